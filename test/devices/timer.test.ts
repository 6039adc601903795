// Generic timer (Arm ARM D11): TVAL/CVAL arithmetic, ISTATUS/IMASK/ENABLE, PPI assertion into the GIC,
// nextDeadline, EL0/EL2 access traps and the event stream. Time is set directly through c.env.counter.

import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { GenericTimer, CNTFRQ_RESET, PPI_PHYS, PPI_VIRT, PPI_EL2_PHYS } from '../../emu/devices/timer.js';
import { GicV3 } from '../../emu/gic/gicv3.js';
import { sysKey } from '../../emu/cpu/sysregs.js';
import { INSN_ABORTED, type Cpu } from '../../emu/cpu/cpu.js';
import { sysRegKey as key, mrs, msr } from '../harness.js';

/** Run an access that must take an exception (trap or UNDEFINED); returns ESR of the target EL. */
function faulting(c: Cpu, f: () => void, el = 1): number {
  let thrown: unknown;
  try { f(); } catch (e) { thrown = e; }
  expect(thrown).toBe(INSN_ABORTED);
  expect(c.el).toBe(el);
  return Number(mrs(c, `ESR_EL${el}`));
}

interface Rig { m: Machine; c: Cpu; t: GenericTimer; gic: GicV3; ppis: [number, number, boolean][]; time: { now: number } }

function rig(opts: { gicReady?: boolean } = {}): Rig {
  const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  const c = m.cores[0];
  const gic = new GicV3([c.mpidr]);
  const ppis: [number, number, boolean][] = [];
  const t = new GenericTimer(c, (k, i, l) => { ppis.push([k, i, l]); gic.setPpi(k, i, l); });
  c.gicc = gic.cpus[0];
  c.timer = t;
  const time = { now: 0 };
  c.env = { ...c.env, counter: () => time.now };
  if (opts.gicReady) {
    gic.distributor.write(0, 4, 2, 0);
    gic.redistributors.write(0x10080, 4, 0xffffffff, 0);
    gic.redistributors.write(0x10100, 4, 0xffffffff, 0);
    msr(c, 'ICC_PMR_EL1', 0xff);
    msr(c, 'ICC_IGRPEN1_EL1', 1);
  }
  return { m, c, t, gic, ppis, time };
}

describe('counter and frequency registers', () => {
  it('encodings per the Arm ARM', () => {
    const want: [string, number, number, number, number, number][] = [
      ['CNTFRQ_EL0', 3, 3, 14, 0, 0], ['CNTPCT_EL0', 3, 3, 14, 0, 1], ['CNTVCT_EL0', 3, 3, 14, 0, 2],
      ['CNTKCTL_EL1', 3, 0, 14, 1, 0], ['CNTP_TVAL_EL0', 3, 3, 14, 2, 0], ['CNTP_CTL_EL0', 3, 3, 14, 2, 1],
      ['CNTP_CVAL_EL0', 3, 3, 14, 2, 2], ['CNTV_TVAL_EL0', 3, 3, 14, 3, 0], ['CNTV_CTL_EL0', 3, 3, 14, 3, 1],
      ['CNTV_CVAL_EL0', 3, 3, 14, 3, 2], ['CNTVOFF_EL2', 3, 4, 14, 0, 3], ['CNTHCTL_EL2', 3, 4, 14, 1, 0],
      ['CNTHP_TVAL_EL2', 3, 4, 14, 2, 0], ['CNTHP_CTL_EL2', 3, 4, 14, 2, 1], ['CNTHP_CVAL_EL2', 3, 4, 14, 2, 2],
    ];
    for (const [n, ...e] of want) expect(key(n), n).toBe(sysKey(e[0], e[1], e[2], e[3], e[4]));
  });
  it('CNTFRQ_EL0 resets to 62.5 MHz and is writable at EL1', () => {
    const { c } = rig();
    expect(CNTFRQ_RESET).toBe(62_500_000);
    expect(mrs(c, 'CNTFRQ_EL0')).toBe(62_500_000n);
    msr(c, 'CNTFRQ_EL0', 1_000_000);
    expect(mrs(c, 'CNTFRQ_EL0')).toBe(1_000_000n);
  });
  it('CNTPCT_EL0 is the counter; CNTVCT_EL0 subtracts CNTVOFF_EL2 modulo 2^64', () => {
    const { c, time } = rig();
    time.now = 0x1_2345_6789;
    expect(mrs(c, 'CNTPCT_EL0')).toBe(0x1_2345_6789n);
    expect(mrs(c, 'CNTVCT_EL0')).toBe(0x1_2345_6789n);
    c.hasEl2 = true;
    c.selectSp(2, 1);
    msr(c, 'CNTVOFF_EL2', 0x1_0000_0000n);
    expect(mrs(c, 'CNTVCT_EL0')).toBe(0x2345_6789n);
    msr(c, 'CNTVOFF_EL2', 0x2_0000_0000n);
    expect(mrs(c, 'CNTVCT_EL0')).toBe(0xffff_ffff_2345_6789n);
    expect(c.sys.write(c, key('CNTPCT_EL0'), 0, 0)).toBe(false); // read-only
  });
  it('the counter never goes back for the timer', () => {
    const { c, t, time } = rig();
    time.now = 500;
    expect(mrs(c, 'CNTPCT_EL0')).toBe(500n);
    t.update(1000);
    expect(mrs(c, 'CNTPCT_EL0')).toBe(1000n);
  });
});

describe('CVAL, TVAL, CTL', () => {
  it('TVAL reads (CVAL - count)[31:0] and a TVAL write sets CVAL = count + SignExtend(TVAL)', () => {
    const { c, time } = rig();
    time.now = 1000;
    msr(c, 'CNTP_CVAL_EL0', 1500);
    expect(mrs(c, 'CNTP_TVAL_EL0')).toBe(500n);
    time.now = 1600;
    expect(mrs(c, 'CNTP_TVAL_EL0')).toBe(0xffff_ff9cn); // -100 in the 32-bit TimerValue, bits [63:32] RES0
    msr(c, 'CNTP_TVAL_EL0', 0xffff_fffbn); // -5
    expect(mrs(c, 'CNTP_CVAL_EL0')).toBe(1595n);
    msr(c, 'CNTP_TVAL_EL0', 0x7fff_ffff);
    expect(mrs(c, 'CNTP_CVAL_EL0')).toBe(1600n + 0x7fff_ffffn);
    time.now = 2;
    msr(c, 'CNTP_TVAL_EL0', 0x8000_0000n); // -2^31: CVAL wraps below zero
    expect(mrs(c, 'CNTP_CVAL_EL0')).toBe(BigInt.asUintN(64, 1600n - 0x8000_0000n)); // count is still 1600
  });
  it('the virtual TVAL works on the virtual count', () => {
    const { c, time } = rig();
    c.hasEl2 = true;
    c.selectSp(2, 1);
    msr(c, 'CNTVOFF_EL2', 300);
    c.selectSp(1, 1);
    time.now = 1000;
    msr(c, 'CNTV_TVAL_EL0', 50);
    expect(mrs(c, 'CNTV_CVAL_EL0')).toBe(750n);
  });
  it('ISTATUS is count >= CVAL (unsigned) while enabled, 0 while disabled; IMASK does not hide it', () => {
    const { c, time } = rig();
    time.now = 100;
    msr(c, 'CNTP_CVAL_EL0', 100);
    expect(mrs(c, 'CNTP_CTL_EL0')).toBe(0n); // disabled: ISTATUS reads 0
    msr(c, 'CNTP_CTL_EL0', 1);
    expect(mrs(c, 'CNTP_CTL_EL0')).toBe(5n);
    msr(c, 'CNTP_CTL_EL0', 3 | 4); // ISTATUS is read-only
    expect(mrs(c, 'CNTP_CTL_EL0')).toBe(7n);
    msr(c, 'CNTP_CVAL_EL0', 101);
    expect(mrs(c, 'CNTP_CTL_EL0')).toBe(3n);
    msr(c, 'CNTP_CVAL_EL0', 0x8000_0000_0000_0000n); // a "negative" CVAL is far in the future
    expect(mrs(c, 'CNTP_CTL_EL0') & 4n).toBe(0n);
  });
});

describe('PPIs into the GIC', () => {
  it('the physical timer asserts PPI 30 while ENABLE=1, IMASK=0, ISTATUS=1, and drops it at once', () => {
    const { c, t, gic, ppis, time } = rig({ gicReady: true });
    time.now = 10;
    msr(c, 'CNTP_CVAL_EL0', 1000);
    msr(c, 'CNTP_CTL_EL0', 1);
    expect(gic.irqLine(0)).toBe(false);
    t.update(999);
    expect(gic.irqLine(0)).toBe(false);
    t.update(1000);
    expect(ppis).toEqual([[0, PPI_PHYS, true]]);
    expect(gic.irqLine(0)).toBe(true);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(30n);
    time.now = 1001;
    msr(c, 'CNTP_CTL_EL0', 3); // IMASK: the handler silences the timer before EOI
    expect(ppis.at(-1)).toEqual([0, PPI_PHYS, false]);
    msr(c, 'ICC_EOIR1_EL1', 30);
    expect(gic.irqLine(0)).toBe(false);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
  });
  it('the virtual timer raises PPI 27 at CVAL + CNTVOFF, the EL2 timer PPI 26', () => {
    const { c, t, ppis, time } = rig();
    c.hasEl2 = true;
    c.selectSp(2, 1);
    msr(c, 'CNTVOFF_EL2', 5000);
    msr(c, 'CNTV_CVAL_EL0', 100);
    msr(c, 'CNTV_CTL_EL0', 1);
    // At physical count 0 the virtual count is 2^64 - 5000: unsigned, that is >= CVAL, so it fires.
    expect(ppis).toEqual([[0, PPI_VIRT, true]]);
    msr(c, 'CNTHP_CVAL_EL2', 7000);
    msr(c, 'CNTHP_CTL_EL2', 1);
    t.update(5000); // virtual count 0
    t.update(5099);
    expect(ppis).toEqual([[0, PPI_VIRT, true], [0, PPI_VIRT, false]]);
    ppis.length = 0;
    t.update(5100);
    expect(ppis).toEqual([[0, PPI_VIRT, true]]);
    t.update(7000);
    expect(ppis).toEqual([[0, PPI_VIRT, true], [0, PPI_EL2_PHYS, true]]);
    expect(t.output(1)).toBe(true);
    time.now = 7000;
    msr(c, 'CNTV_CTL_EL0', 0);
    expect(t.output(1)).toBe(false);
  });
  it('reset turns the timers off and drops their PPIs', () => {
    const { c, t, ppis, time } = rig();
    time.now = 50;
    msr(c, 'CNTP_CVAL_EL0', 10);
    msr(c, 'CNTP_CTL_EL0', 1);
    expect(t.output(0)).toBe(true);
    msr(c, 'CNTKCTL_EL1', 3);
    t.reset();
    expect(ppis.at(-1)).toEqual([0, PPI_PHYS, false]);
    expect(mrs(c, 'CNTP_CTL_EL0')).toBe(0n);
    expect(mrs(c, 'CNTKCTL_EL1')).toBe(0n);
  });
});

describe('nextDeadline and the event stream', () => {
  it('nextDeadline: the earliest armed, unmasked, not yet met timer, in physical counts', () => {
    const { c, t, time } = rig();
    expect(t.nextDeadline()).toBe(Infinity);
    msr(c, 'CNTP_CVAL_EL0', 9000);
    expect(t.nextDeadline()).toBe(Infinity); // not enabled
    msr(c, 'CNTP_CTL_EL0', 1);
    expect(t.nextDeadline()).toBe(9000);
    c.hasEl2 = true;
    c.selectSp(2, 1);
    time.now = 4000; // virtual count 0 once the offset is written
    msr(c, 'CNTVOFF_EL2', 4000);
    msr(c, 'CNTV_CVAL_EL0', 3000); // physical 7000
    msr(c, 'CNTV_CTL_EL0', 3); // masked
    expect(t.nextDeadline()).toBe(9000);
    msr(c, 'CNTV_CTL_EL0', 1);
    expect(t.nextDeadline()).toBe(7000);
    t.update(7000);
    expect(t.nextDeadline()).toBe(9000); // the virtual timer has fired and asserts its PPI
    t.update(9500);
    expect(t.nextDeadline()).toBe(Infinity);
    time.now = 9500;
    msr(c, 'CNTP_TVAL_EL0', 100);
    expect(t.nextDeadline()).toBe(9600);
  });
  it('the event stream fires on the chosen bit transition of the virtual count', () => {
    const { c, t, time } = rig();
    let events = 0;
    t.onEvent = () => { events++; };
    expect(t.nextEventStream()).toBe(Infinity);
    time.now = 1;
    msr(c, 'CNTKCTL_EL1', (2 << 4) | 4); // EVNTI = 2 (period 8), 0->1 at count = 4 mod 8
    expect(t.nextEventStream()).toBe(4);
    t.update(3);
    expect(events).toBe(0);
    t.update(4);
    expect(events).toBe(1);
    expect(t.nextEventStream()).toBe(12);
    t.update(30); // several transitions: one event
    expect(events).toBe(2);
    msr(c, 'CNTKCTL_EL1', (2 << 4) | 8 | 4); // EVNTDIR = 1: 1->0 at count = 0 mod 8
    expect(t.nextEventStream()).toBe(32);
  });
});

describe('access control', () => {
  it('EL0 counter and timer accesses trap to EL1 (EC 0x18) unless CNTKCTL_EL1 enables them', () => {
    const { c } = rig();
    msr(c, 'VBAR_EL1', RAM_BASE);
    c.selectSp(0, 0);
    let esr = faulting(c, () => c.sys.read(c, key('CNTVCT_EL0')));
    expect(esr >>> 26).toBe(0x18);
    expect(esr & 1).toBe(1); // a read
    expect((esr >>> 1) & 15).toBe(0); // CRm
    expect((esr >>> 10) & 15).toBe(14); // CRn
    expect((esr >>> 17) & 7).toBe(2); // op2
    expect(c.pcLo >>> 0).toBe(RAM_BASE + 0x400); // lower EL, AArch64, synchronous
    msr(c, 'CNTKCTL_EL1', 2); // EL0VCTEN
    c.selectSp(0, 0);
    expect(c.sys.read(c, key('CNTVCT_EL0'))).toBe(true);
    expect(c.sys.read(c, key('CNTFRQ_EL0'))).toBe(true); // EL0PCTEN | EL0VCTEN enables CNTFRQ
    faulting(c, () => c.sys.read(c, key('CNTPCT_EL0')));
    msr(c, 'CNTKCTL_EL1', 0x100); // EL0VTEN only
    c.selectSp(0, 0);
    expect(c.sys.read(c, key('CNTV_CTL_EL0'))).toBe(true);
    faulting(c, () => c.sys.read(c, key('CNTFRQ_EL0')));
    c.selectSp(0, 0);
    esr = faulting(c, () => c.sys.write(c, key('CNTP_CTL_EL0'), 1, 0));
    expect(esr & 1).toBe(0); // a write
  });
  it('EL0 writes to CNTFRQ_EL0 are UNDEFINED even when reads are allowed', () => {
    const { c } = rig();
    msr(c, 'CNTKCTL_EL1', 3);
    c.selectSp(0, 0);
    const esr = faulting(c, () => c.sys.write(c, key('CNTFRQ_EL0'), 5, 0));
    expect(esr >>> 26).toBe(0); // Unknown reason
    expect(mrs(c, 'CNTFRQ_EL0')).toBe(62_500_000n);
  });
  it('with EL2, CNTHCTL_EL2.EL1PCTEN/EL1PCEN = 0 trap EL1 physical counter/timer accesses to EL2', () => {
    const { c } = rig();
    c.hasEl2 = true;
    c.selectSp(2, 1);
    expect(mrs(c, 'CNTHCTL_EL2')).toBe(3n); // reset as QEMU: no traps
    msr(c, 'CNTHCTL_EL2', 0);
    c.selectSp(1, 1);
    expect(c.sys.read(c, key('CNTVCT_EL0'))).toBe(true);
    let esr = faulting(c, () => c.sys.read(c, key('CNTPCT_EL0')), 2);
    expect(esr >>> 26).toBe(0x18);
    c.selectSp(1, 1);
    esr = faulting(c, () => c.sys.write(c, key('CNTP_CVAL_EL0'), 1, 0), 2);
    expect((esr >>> 17) & 7).toBe(2); // op2 of CVAL
    msr(c, 'CNTHCTL_EL2', 3);
    c.selectSp(1, 1);
    expect(c.sys.read(c, key('CNTPCT_EL0'))).toBe(true);
  });
  it('without a timer the registers are UNDEFINED', () => {
    const { c } = rig();
    c.timer = null;
    const esr = faulting(c, () => c.sys.read(c, key('CNTPCT_EL0')));
    expect(esr >>> 26).toBe(0);
  });
});
