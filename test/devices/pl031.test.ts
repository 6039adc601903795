// PL031 RTC registers (DDI 0224, with QEMU 7.2's choices): the count from a base and a clock, RTCLR,
// RTCCR, the match interrupt and its mask, the ID registers; --rtc-base parsing; and on the board,
// that the count follows virtual time and a core asleep waiting for the match is woken by it.

import { describe, it, expect } from 'vitest';
import { Pl031, RTCDR, RTCMR, RTCLR, RTCCR, RTCIMSC, RTCRIS, RTCMIS, RTCICR, RTC_DEFAULT_BASE, parseRtcBase } from '../../emu/devices/pl031.js';
import { CNTFRQ, Machine, RTC_BASE } from '../../emu/board/machine.js';
import { machineWith, msr } from '../harness.js';

function rtc(base = 1000) {
  const clock = { t: 0, seconds() { return this.t; }, ticksPerSecond: 100 };
  const r = new Pl031(clock, base);
  const irq: boolean[] = [];
  r.onIrq = (l) => irq.push(l);
  return { r, clock, irq, level: () => irq.at(-1) ?? false };
}

describe('PL031', () => {
  it('ID registers read as QEMU\'s (PeriphID 0x00141031, PCellID 0xb105f00d)', () => {
    const { r } = rtc();
    const id = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => r.read(0xfe0 + 4 * k, 4));
    expect(id).toEqual([0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  });

  it('RTCDR counts whole seconds of the clock from the base; RTCCR reads 1 and ignores writes', () => {
    const { r, clock } = rtc(1000);
    expect(r.read(RTCDR, 4)).toBe(1000);
    clock.t = 0.99;
    expect(r.read(RTCDR, 4)).toBe(1000);
    clock.t = 2.5;
    expect(r.read(RTCDR, 4)).toBe(1002);
    r.write(RTCCR, 4, 0);
    expect(r.read(RTCCR, 4)).toBe(1);
    r.write(RTCDR, 4, 5); // read-only
    expect(r.read(RTCDR, 4)).toBe(1002);
  });

  it('RTCLR loads the count, which then runs on, and reads back what was loaded', () => {
    const { r, clock } = rtc(1000);
    clock.t = 3.2;
    r.write(RTCLR, 4, 0xffff_fffe);
    expect(r.read(RTCDR, 4)).toBe(0xffff_fffe);
    expect(r.read(RTCLR, 4)).toBe(0xffff_fffe);
    clock.t = 5.1; // wraps at 2^32
    expect(r.read(RTCDR, 4)).toBe(0);
    expect(r.read(RTCLR, 4)).toBe(0xffff_fffe);
  });

  it('the match raises RTCRIS when the count reaches RTCMR; RTCIMSC gates the line; RTCICR clears', () => {
    const { r, clock, level } = rtc(1000);
    r.write(RTCMR, 4, 1003);
    expect(r.read(RTCMR, 4)).toBe(1003);
    clock.t = 2.9; r.update();
    expect(r.read(RTCRIS, 4)).toBe(0);
    clock.t = 3.0; r.update();
    expect(r.read(RTCRIS, 4)).toBe(1);
    expect(r.read(RTCMIS, 4)).toBe(0);
    expect(level()).toBe(false);
    r.write(RTCIMSC, 4, 0xff);
    expect(r.read(RTCIMSC, 4)).toBe(1);
    expect(r.read(RTCMIS, 4)).toBe(1);
    expect(level()).toBe(true);
    r.write(RTCICR, 4, 1);
    expect(r.read(RTCRIS, 4)).toBe(0);
    expect(level()).toBe(false);
    clock.t = 10; r.update(); // fires once, not again at every later second
    expect(r.read(RTCRIS, 4)).toBe(0);
    expect(r.read(RTCICR, 4)).toBe(0); // write-only
  });

  it('a time jump past the match still raises it; writing RTCMR = count raises it at once', () => {
    const { r, clock } = rtc(1000);
    r.write(RTCMR, 4, 1005);
    clock.t = 100; r.update();
    expect(r.read(RTCRIS, 4)).toBe(1);
    r.write(RTCICR, 4, 1);
    r.write(RTCMR, 4, r.read(RTCDR, 4));
    expect(r.read(RTCRIS, 4)).toBe(1);
  });

  it('loading the count re-arms the match, as QEMU', () => {
    const { r, clock } = rtc(1000);
    r.write(RTCMR, 4, 2000);
    r.write(RTCLR, 4, 1998);
    clock.t = 1.5; r.update();
    expect(r.read(RTCRIS, 4)).toBe(0);
    clock.t = 2; r.update();
    expect(r.read(RTCRIS, 4)).toBe(1);
  });

  it('nextDeadline: the clock tick at which the armed match fires, Infinity when none', () => {
    const { r } = rtc(1000);
    expect(r.nextDeadline(0)).toBe(Infinity);
    r.write(RTCMR, 4, 1004);
    expect(r.nextDeadline(0)).toBe(400);
    const host = new Pl031({ seconds: () => 0 }, 0);
    host.write(RTCMR, 4, 10);
    expect(host.nextDeadline(0)).toBe(Infinity);
  });
});

describe('--rtc-base', () => {
  it('takes seconds since 1970 or an ISO date (UTC unless a zone is given)', () => {
    expect(parseRtcBase('0')).toBe(0);
    expect(parseRtcBase('1704067200')).toBe(RTC_DEFAULT_BASE);
    expect(parseRtcBase('2024-01-01')).toBe(RTC_DEFAULT_BASE);
    expect(parseRtcBase('2024-01-01T00:00:00Z')).toBe(RTC_DEFAULT_BASE);
    expect(parseRtcBase('2024-01-01T01:00:00+01:00')).toBe(RTC_DEFAULT_BASE);
    expect(parseRtcBase('2024-01-01 00:01')).toBe(RTC_DEFAULT_BASE + 60);
    expect(parseRtcBase('2106-02-07T06:28:15Z')).toBe(0xffff_ffff);
  });
  it('rejects malformed dates, impossible days and times outside 32 bits', () => {
    for (const bad of ['', 'now', '-1', '2024-02-30', '2024-13-01', '2106-02-07T06:28:16Z', '4294967296', '1e9', '2024-1-1']) {
      expect(parseRtcBase(bad), bad).toBeUndefined();
    }
  });
});

describe('PL031 on the board', () => {
  it('sits at 0x09010000, counts virtual time from --rtc-base, and is the same on every run', () => {
    const m = new Machine({ rtcBase: 5000, stdout: () => {} });
    const r = m.bus.find(RTC_BASE)!;
    expect(r.dev).toBe(m.rtc);
    expect(m.rtc.read(RTCDR, 4)).toBe(5000);
    m.time = 3 * CNTFRQ + 1;
    expect(m.rtc.read(RTCDR, 4)).toBe(5003);
    expect(new Machine({ stdout: () => {} }).rtc.read(RTCDR, 4)).toBe(RTC_DEFAULT_BASE);
  });
  it('with the host clock, reads the host\'s time', () => {
    const m = new Machine({ rtcHost: true, stdout: () => {} });
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs(m.rtc.read(RTCDR, 4) - now)).toBeLessThanOrEqual(1);
  });
  it('the match interrupt reaches the GIC as SPI 2 (INTID 34)', () => {
    const m = new Machine({ stdout: () => {} });
    m.rtc.write(RTCIMSC, 4, 1);
    m.rtc.write(RTCMR, 4, m.rtc.read(RTCDR, 4));
    const gicd = m.bus.find(0x0800_0000)!.dev;
    expect((gicd.read(0x204, 4, 0) >>> 2) & 1).toBe(1); // GICD_ISPENDR1 bit 2: level-sensitive line high
  });
});

describe('PL031 host-clock alarm', () => {
  it('is reported as armed (so an idle board waits for it) only with the interrupt unmasked', () => {
    const r = new Pl031({ seconds: () => 0 }, 100);
    r.write(RTCMR, 4, 105);
    expect(r.hostAlarmArmed).toBe(false);
    r.write(RTCIMSC, 4, 1);
    expect(r.hostAlarmArmed).toBe(true);
    const v = new Pl031({ seconds: () => 0, ticksPerSecond: 10 }, 100);
    v.write(RTCMR, 4, 105); v.write(RTCIMSC, 4, 1);
    expect(v.hostAlarmArmed).toBe(false);
  });
});

describe('PL031 match wakes a sleeping board', () => {
  it('with every core in WFI and only the RTC match armed, virtual time skips to it (no deadlock)', () => {
    const { m, c } = machineWith([0xd503207f, 0x14000000]); // wfi; b .
    const w32 = (pa: number, v: number) => m.bus.find(pa)!.dev.write(pa - m.bus.find(pa)!.base, 4, v, 0);
    w32(0x0800_0000, 0x12); // GICD_CTLR: ARE, EnableGrp1
    w32(0x0800_0084, 1 << 2); // IGROUPR1: INTID 34 in group 1
    w32(0x0800_0420, 0x80808080); // IPRIORITYR8: INTIDs 32-35 at priority 0x80
    w32(0x0800_6110, 0); w32(0x0800_6114, 0); // IROUTER34: core 0
    w32(0x0800_0104, 1 << 2); // ISENABLER1
    w32(0x080a_0014, 0); // GICR_WAKER: awake
    msr(c, 'ICC_SRE_EL1', 1); msr(c, 'ICC_PMR_EL1', 0xff); msr(c, 'ICC_IGRPEN1_EL1', 1);
    m.rtc.write(RTCIMSC, 4, 1);
    m.rtc.write(RTCMR, 4, m.rtc.read(RTCDR, 4) + 3);
    m.maxInsns = 1000;
    const r = m.run();
    expect(r.cause).toBe('max-insns');
    expect(m.time).toBeGreaterThanOrEqual(3 * CNTFRQ);
    expect(m.rtc.read(RTCRIS, 4)).toBe(1);
  });
});
