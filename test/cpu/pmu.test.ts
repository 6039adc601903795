// PMUv3 (emu/cpu/pmu): the registers, exact event counts on small programs whose counts follow from
// the Arm ARM's event definitions, EL filtering, overflow, chaining and the overflow interrupt. The
// parts QEMU 7.2 implements are compared with it by the machine guest test/machine-guests/src/pmu.c.

import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { Slow } from '../../emu/cpu/cpu.js';
import { machineWith, msr, mrs, pc, setX, CODE, SCRATCH, sysRegKey } from '../harness.js';

const VBAR = CODE + 0x8000;
const E = 1;

async function setup(src: string): Promise<{ c: Cpu; irqs: { level: boolean; at: number }[] }> {
  const { c } = machineWith(await assembleWords(src, CODE));
  msr(c, 'VBAR_EL1', VBAR);
  const irqs: { level: boolean; at: number }[] = [];
  c.pmu.irq = (level) => irqs.push({ level, at: c.icount + c.retiredInRun });
  return { c, irqs };
}

describe('PMU registers', () => {
  it('PMCR_EL0 is QEMU cortex-a57\'s (IMP 0x41, N = 6); P and C reset; PMCEID0/1 list the counted events', async () => {
    const { c } = await setup('nop');
    expect(mrs(c, 'PMCR_EL0')).toBe(0x41013000n);
    msr(c, 'PMCR_EL0', 0xff);
    expect(mrs(c, 'PMCR_EL0')).toBe(0x41013079n);
    const ceid0 = Number(mrs(c, 'PMCEID0_EL0'));
    for (const ev of [0x00, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x0e, 0x10, 0x11, 0x13, 0x1e]) expect((ceid0 >>> ev) & 1, `event ${ev}`).toBe(1);
    expect((ceid0 >>> 0x01) & 1).toBe(0);
    expect(mrs(c, 'PMCEID1_EL0')).toBe(0b110n); // BR_RETIRED 0x21, BR_MIS_PRED_RETIRED 0x22
    expect(mrs(c, 'ID_AA64DFR0_EL1')).toBe(0x10305106n);
    // Only six event counters exist.
    expect(c.sys.write(c, sysRegKey('PMEVCNTR5_EL0'), 1, 0)).toBe(true);
    expect(c.sys.read(c, (3 << 14) | (3 << 11) | (14 << 7) | (8 << 3) | 6)).toBe(false); // PMEVCNTR6_EL0
  });

  it('PMSELR selects the counter PMXEVCNTR/PMXEVTYPER reach (31: PMCCFILTR); unimplemented ones are RAZ/WI', async () => {
    const { c } = await setup('nop');
    msr(c, 'PMSELR_EL0', 3);
    msr(c, 'PMXEVTYPER_EL0', 0x80000011);
    msr(c, 'PMXEVCNTR_EL0', 1234);
    expect(mrs(c, 'PMEVTYPER3_EL0')).toBe(0x80000011n);
    expect(mrs(c, 'PMEVCNTR3_EL0')).toBe(1234n);
    msr(c, 'PMSELR_EL0', 31);
    msr(c, 'PMXEVTYPER_EL0', 0x40000000);
    expect(mrs(c, 'PMCCFILTR_EL0')).toBe(0x40000000n);
    msr(c, 'PMSELR_EL0', 7);
    msr(c, 'PMXEVCNTR_EL0', 5);
    expect(mrs(c, 'PMXEVCNTR_EL0')).toBe(0n);
  });

  it('EL0 access follows PMUSERENR_EL0 (EN, SW, CR, ER); PMINTENSET is EL1 only', async () => {
    const { c } = await setup('nop');
    c.selectSp(0, 0);
    const can = (name: string, write = false) => (write ? c.sys.write(c, sysRegKey(name), 0, 0) : c.sys.read(c, sysRegKey(name)));
    expect(can('PMCR_EL0')).toBe(false);
    expect(can('PMUSERENR_EL0')).toBe(true);
    expect(can('PMINTENSET_EL1')).toBe(false);
    c.pmu.userenr = 4; // CR
    expect(can('PMCCNTR_EL0')).toBe(true);
    expect(can('PMEVCNTR0_EL0')).toBe(false);
    c.pmu.userenr = 8; // ER
    expect(can('PMEVCNTR0_EL0')).toBe(true);
    expect(can('PMSELR_EL0', true)).toBe(true);
    expect(can('PMSWINC_EL0', true)).toBe(false);
    c.pmu.userenr = 2; // SW
    expect(can('PMSWINC_EL0', true)).toBe(true);
    c.pmu.userenr = 1;
    expect(can('PMCR_EL0', true)).toBe(true);
  });
});

describe('PMU events', () => {
  it('counts nothing and costs nothing until enabled; INST_RETIRED and CPU_CYCLES need no hook', async () => {
    const { c } = await setup('nop; nop; nop; nop; nop; nop; nop; nop');
    c.run(2);
    msr(c, 'PMEVTYPER0_EL0', 0x08);
    msr(c, 'PMCNTENSET_EL0', 0x80000001);
    expect(mrs(c, 'PMEVCNTR0_EL0')).toBe(0n);
    msr(c, 'PMCR_EL0', E);
    expect(c.slow).toBe(0);
    c.run(5);
    expect(mrs(c, 'PMEVCNTR0_EL0')).toBe(5n);
    expect(mrs(c, 'PMCCNTR_EL0')).toBe(5n);
    msr(c, 'PMCR_EL0', 0);
    c.run(1);
    expect(mrs(c, 'PMEVCNTR0_EL0')).toBe(5n);
  });

  it('branches, loads, stores and memory accesses, exactly', async () => {
    const src = [
      'mov x1, #0', 'mov x2, #3',
      'loop: ldr x3, [x0]', 'stp x3, x3, [x0, #16]', 'add x1, x1, #1', 'cmp x1, x2', 'b.ne loop',
      'bl fn', 'cbz x1, end', 'ldadd x1, x1, [x0]', 'b end',
      'fn: ret',
      'end: nop',
    ].join('\n');
    const words = await assembleWords(src.replace('ldadd x1, x1, [x0]', 'nop'), CODE);
    words[9] = 0xf8210001; // ldadd x1, x1, [x0] (keystone has no LSE)
    const { c } = machineWith(words);
    setX(c, 0, BigInt(SCRATCH));
    const events = [0x21, 0x0d, 0x0e, 0x06, 0x07, 0x13];
    events.forEach((ev, n) => msr(c, `PMEVTYPER${n}_EL0`, ev));
    msr(c, 'PMCNTENSET_EL0', 0x3f);
    msr(c, 'PMCR_EL0', E);
    expect(c.slow & Slow.Pmu).not.toBe(0);
    c.run(2 + 3 * 5 + 1 + 1 + 1 + 1 + 1 + 1); // to end: nop
    expect(pc(c)).toBe(BigInt(CODE + 12 * 4 + 4));
    const got = events.map((_, n) => Number(mrs(c, `PMEVCNTR${n}_EL0`)));
    // BR: 3 b.ne + bl + cbz + b + ret = 7; immediate: 6; return: 1; loads: 3 ldr + ldadd = 4;
    // stores: 3 stp + ldadd = 4; accesses: 3 + 3 * 2 + 2 (ldadd reads and writes).
    expect(got).toEqual([7, 6, 1, 4, 4, 11]);
  });

  it('filters by EL: U excludes EL0, P excludes EL1; EXC_TAKEN and EXC_RETURN', async () => {
    const { c } = await setup('eret');
    const user = await assembleWords('nop; nop; nop; svc #0', CODE + 0x1000);
    user.forEach((w, k) => c.ram.dv.setUint32(0x1000 + 4 * k, w, true));
    msr(c, 'ELR_EL1', CODE + 0x1000);
    msr(c, 'SPSR_EL1', 0);
    msr(c, 'PMEVTYPER0_EL0', 0x80000008); // INST_RETIRED, not at EL1
    msr(c, 'PMEVTYPER1_EL0', 0x40000008); // INST_RETIRED, not at EL0
    msr(c, 'PMEVTYPER2_EL0', 0x09);
    msr(c, 'PMEVTYPER3_EL0', 0x0a);
    msr(c, 'PMCCFILTR_EL0', 0x80000000);
    msr(c, 'PMCNTENSET_EL0', 0x8000000f);
    msr(c, 'PMCR_EL0', E);
    c.run(1 + 4 + 2); // ERET; 3 nops and the SVC at EL0; 2 instructions of the vector (zeros: UNDEFINED, at EL1)
    const v = [0, 1, 2, 3].map((n) => Number(mrs(c, `PMEVCNTR${n}_EL0`)));
    expect(v).toEqual([4, 3, 3, 1]); // EL0: nops + SVC; EL1: ERET + 2; SVC + 2 UNDEFs taken; one ERET
    expect(mrs(c, 'PMCCNTR_EL0')).toBe(4n);
  });

  it('SW_INCR overflows into PMOVSSET and the chained odd counter; the interrupt follows PMINTENSET and PMCR.E', async () => {
    const { c, irqs } = await setup('nop');
    msr(c, 'PMEVTYPER2_EL0', 0x00);
    msr(c, 'PMEVTYPER3_EL0', 0x1e); // CHAIN
    msr(c, 'PMEVCNTR2_EL0', 0xfffffffe);
    msr(c, 'PMCNTENSET_EL0', 0b1100);
    msr(c, 'PMINTENSET_EL1', 0b1000);
    msr(c, 'PMSWINC_EL0', 0b100);
    expect(mrs(c, 'PMEVCNTR2_EL0')).toBe(0xfffffffen); // PMCR.E = 0: nothing counts
    msr(c, 'PMCR_EL0', E);
    msr(c, 'PMSWINC_EL0', 0b100);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0n);
    msr(c, 'PMSWINC_EL0', 0b1100); // the odd counter counts CHAIN, not SW_INCR
    expect(mrs(c, 'PMEVCNTR2_EL0')).toBe(0n);
    expect(mrs(c, 'PMEVCNTR3_EL0')).toBe(1n);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0b100n);
    expect(irqs).toEqual([]); // counter 2's interrupt is not enabled
    msr(c, 'PMEVCNTR3_EL0', 0xffffffff);
    msr(c, 'PMEVCNTR2_EL0', 0xffffffff);
    msr(c, 'PMSWINC_EL0', 0b100);
    expect(mrs(c, 'PMEVCNTR3_EL0')).toBe(0n);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0b1100n);
    expect(irqs.map((i) => i.level)).toEqual([true]);
    msr(c, 'PMCR_EL0', 0);
    msr(c, 'PMCR_EL0', E);
    msr(c, 'PMOVSCLR_EL0', 0b1000);
    expect(irqs.map((i) => i.level)).toEqual([true, false, true, false]);
  });

  it('a lazily counted counter raises its overflow interrupt after exactly the overflowing instruction', async () => {
    const { c, irqs } = await setup(Array(40).fill('nop').join('; '));
    msr(c, 'PMEVTYPER0_EL0', 0x08);
    msr(c, 'PMEVCNTR0_EL0', 0xfffffff0);
    msr(c, 'PMCNTENSET_EL0', 1);
    msr(c, 'PMINTENSET_EL1', 1);
    msr(c, 'PMCR_EL0', E);
    const t0 = c.icount;
    c.run(30);
    expect(irqs).toEqual([{ level: true, at: t0 + 16 }]);
    expect(mrs(c, 'PMEVCNTR0_EL0')).toBe(14n);
    expect(pc(c)).toBe(BigInt(CODE + 30 * 4));
  });

  it('a chained pair counts instructions as 64 bits; the odd counter\'s overflow interrupt comes at the exact instruction', async () => {
    const { c, irqs } = await setup(Array(40).fill('nop').join('; '));
    msr(c, 'PMEVTYPER0_EL0', 0x08);
    msr(c, 'PMEVTYPER1_EL0', 0x1e); // CHAIN
    msr(c, 'PMEVCNTR0_EL0', 0xfffffffa);
    msr(c, 'PMEVCNTR1_EL0', 0xffffffff);
    msr(c, 'PMCNTENSET_EL0', 0b11);
    msr(c, 'PMINTENSET_EL1', 0b10);
    msr(c, 'PMCR_EL0', E);
    const t0 = c.icount;
    c.run(20);
    expect(irqs).toEqual([{ level: true, at: t0 + 6 }]); // counter 0 wraps on the 6th, carrying into counter 1
    expect(mrs(c, 'PMEVCNTR0_EL0')).toBe(BigInt(20 - 6));
    expect(mrs(c, 'PMEVCNTR1_EL0')).toBe(0n);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0b11n);
  });

  it('at EL2 a counter counts only with PMEVTYPER.NSH', async () => {
    const { c } = await setup(Array(10).fill('nop').join('; '));
    c.hasEl2 = true;
    c.el = 2;
    msr(c, 'PMEVTYPER0_EL0', 0x08);
    msr(c, 'PMEVTYPER1_EL0', 0x08000008); // NSH
    msr(c, 'PMCNTENSET_EL0', 0b11);
    msr(c, 'PMCR_EL0', E);
    c.run(4);
    expect([mrs(c, 'PMEVCNTR0_EL0'), mrs(c, 'PMEVCNTR1_EL0')]).toEqual([0n, 4n]);
  });

  it('the cycle counter: 64-bit with PMCR.LC, overflow out of bit 31 without; PMCR.D counts every 64th cycle', async () => {
    const { c } = await setup(Array(200).fill('nop').join('; '));
    msr(c, 'PMCNTENSET_EL0', 0x80000000);
    msr(c, 'PMCCNTR_EL0', 0xfffffffen);
    msr(c, 'PMCR_EL0', E);
    c.run(4);
    expect(mrs(c, 'PMCCNTR_EL0')).toBe(0x100000002n);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0x80000000n);
    msr(c, 'PMOVSCLR_EL0', 0x80000000);
    msr(c, 'PMCR_EL0', E | 0x40);
    msr(c, 'PMCCNTR_EL0', 0xfffffffffffffffen);
    c.run(1);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0n);
    c.run(2);
    expect(mrs(c, 'PMCCNTR_EL0')).toBe(1n);
    expect(mrs(c, 'PMOVSSET_EL0')).toBe(0x80000000n);
    msr(c, 'PMCR_EL0', E | 8 | 4); // D, and C resets
    c.run(130);
    expect(mrs(c, 'PMCCNTR_EL0')).toBe(2n);
  });
});
