// PSCI as Linux uses it beyond boot: CPU_OFF and CPU_ON again (hotplug), SYSTEM_RESET restarting the
// machine as QEMU does (images copied in again, every core reset, core 0 at the entry), and
// --no-reboot making SYSTEM_RESET end the run.

import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { words } from '../loader/elfwriter.js';

const ENTRY = RAM_BASE + 0x8_0000;
const COUNTERS = RAM_BASE + 0x10_0000; // plain RAM, not part of the image

async function machine(source: string, opts: { smp?: number; noReboot?: boolean } = {}) {
  const m = new Machine({ smp: opts.smp ?? 2, ramMiB: 16, noReboot: opts.noReboot, stdout: () => {} });
  const image = words(await assembleWords(source, ENTRY));
  m.ram.load(ENTRY, image);
  m.boot(ENTRY, false, [{ start: ENTRY, end: ENTRY + image.length }]);
  return m;
}

const peek32 = (m: Machine, pa: number) => m.ram.dv.getUint32(pa - RAM_BASE, true);

// Boot count at COUNTERS; at COUNTERS + 4 * n, the image word seen by boot n (which then changes it).
const RESETTING = `
    movz x5, #0x4010, lsl #16
    ldr w6, [x5]
    add w6, w6, #1
    str w6, [x5]
    adr x7, imgword
    ldr w8, [x7]
    str w8, [x5, w6, uxtw #2]
    mov w9, #0x2222
    str w9, [x7]
    mrs x10, mpidr_el1
    str w10, [x5, #0x40]
    cmp w6, #3
    b.eq off
    movz w0, #0x0009
    movk w0, #0x8400, lsl #16
    hvc #0
    b .
  off:
    movz w0, #0x0008
    movk w0, #0x8400, lsl #16
    hvc #0
    b .
  imgword:
    .word 0x1111`;

describe('PSCI SYSTEM_RESET', () => {
  it('restarts the machine: the image as loaded, core 0 at the entry, until SYSTEM_OFF', async () => {
    const m = await machine(RESETTING);
    const r = m.run();
    expect(r.status).toBe(0);
    expect(r.reason).toBe('PSCI SYSTEM_OFF');
    expect(m.resets).toBe(2);
    expect(peek32(m, COUNTERS)).toBe(3); // RAM outside the images keeps its contents, as QEMU
    expect([1, 2, 3].map((n) => peek32(m, COUNTERS + 4 * n))).toEqual([0x1111, 0x1111, 0x1111]);
  });

  it('with --no-reboot ends the run with status 0 instead', async () => {
    const m = await machine(RESETTING, { noReboot: true });
    const r = m.run();
    expect(r.status).toBe(0);
    expect(r.reason).toBe('PSCI SYSTEM_RESET with --no-reboot');
    expect(peek32(m, COUNTERS)).toBe(1);
  });
});

describe('PSCI CPU hotplug', () => {
  it('CPU_ON, CPU_OFF and CPU_ON again, many times, with AFFINITY_INFO seeing each state', async () => {
    // Core 0 starts core 1, which counts and powers itself off; core 0 waits (AFFINITY_INFO) until
    // it is off, and does it again, 20 times; then SYSTEM_OFF.
    const m = await machine(`
        movz x5, #0x4010, lsl #16
        mov x19, #20
      again:
        movz w0, #0x0003
        movk w0, #0xc400, lsl #16
        mov x1, #1
        adr x2, secondary
        mov x3, x19
        hvc #0
        cbnz x0, fail
      wait:
        movz w0, #0x0004
        movk w0, #0xc400, lsl #16
        mov x1, #1
        mov x2, #0
        hvc #0
        cmp x0, #1
        b.ne wait
        subs x19, x19, #1
        b.ne again
        movz w0, #0x0008
        movk w0, #0x8400, lsl #16
        hvc #0
      fail:
        b fail
      secondary:
        movz x5, #0x4010, lsl #16
        ldr w6, [x5]
        add w6, w6, #1
        str w6, [x5]
        str w0, [x5, #4]
        movz w0, #0x0002
        movk w0, #0x8400, lsl #16
        hvc #0
        b .`);
    const r = m.run();
    expect(r.reason).toBe('PSCI SYSTEM_OFF');
    expect(peek32(m, COUNTERS)).toBe(20);
    expect(peek32(m, COUNTERS + 4)).toBe(1); // the last context id
  });
});
