import { describe, it, expect } from 'vitest';
import { exec, machineWith, CODE, pc } from '../harness.js';
import { SYSREG_BY_NAME } from '../../emu/cpu/sysregs.js';
import { R, LO } from '../../emu/cpu/int64.js';

describe('branches', () => {
  it('B forward and BL sets X30', () => {
    exec(0x14000004 /* b +16 */, {}, { pc: BigInt(CODE + 16) });
    exec(0x97ffffff /* bl -4 */, {}, { x: { 30: BigInt(CODE + 4) }, pc: BigInt(CODE - 4) });
  });
  it('CBZ on a W register ignores the upper half', () => {
    exec(0x34000040 /* cbz w0, +8 */, { x: { 0: 0x1_0000_0000n } }, { pc: BigInt(CODE + 8) });
    exec(0xb4000040 /* cbz x0, +8 */, { x: { 0: 0x1_0000_0000n } }, { pc: BigInt(CODE + 4) });
  });
  it('TBNZ tests bit 63', () => {
    exec(0xb7f80040 /* tbnz x0, #63, +8 */, { x: { 0: 1n << 63n } }, { pc: BigInt(CODE + 8) });
  });
  it('B.cond follows the flags', () => {
    exec(0x54000040 /* b.eq +8 */, { nzcv: 0b0100 }, { pc: BigInt(CODE + 8) });
    exec(0x54000040, { nzcv: 0b0000 }, { pc: BigInt(CODE + 4) });
  });
  it('an unallocated encoding takes an Unknown exception to VBAR_EL1 + 0x200', () => {
    const { c } = machineWith([0x00000000]);
    c.run(1);
    expect(pc(c)).toBe(0x200n); // VBAR_EL1 resets to 0 here
    const esr = c.sys.read(c, SYSREG_BY_NAME.get('ESR_EL1')!.key) ? R[LO] >>> 0 : -1;
    expect(esr >>> 26).toBe(0); // EC = Unknown reason
    expect((esr >>> 25) & 1).toBe(1); // IL: 32-bit instruction
  });
});

describe('FP/SIMD data processing without an FP unit', () => {
  const esrOf = (c: import('../../emu/cpu/cpu.js').Cpu) => (c.sys.read(c, SYSREG_BY_NAME.get('ESR_EL1')!.key) ? R[LO] >>> 0 : -1);
  it('takes the FP access trap (EC 0x07) while CPACR_EL1.FPEN traps, and is UNDEFINED when enabled', () => {
    const FADD = 0x1e222820; // fadd s0, s1, s2
    let { c } = machineWith([FADD]);
    c.run(1);
    expect(esrOf(c) >>> 26).toBe(0x07);
    expect(esrOf(c) & 0x1ffffff).toBe(0x1e00000);
    ({ c } = machineWith([FADD]));
    c.sys.write(c, SYSREG_BY_NAME.get('CPACR_EL1')!.key, 3 << 20, 0); // FPEN = 11: no trap
    c.run(1);
    expect(esrOf(c) >>> 26).toBe(0x00);
  });
});

describe('ID registers describe what is implemented', () => {
  it('ID_AA64PFR0_EL1: AArch64-only EL0/EL1, EL2 only when present, FP/AdvSIMD, GIC system registers', () => {
    const read = (c: import('../../emu/cpu/cpu.js').Cpu) => (c.sys.read(c, SYSREG_BY_NAME.get('ID_AA64PFR0_EL1')!.key) ? R[LO] >>> 0 : -1);
    const { c } = machineWith([0xd503201f]);
    const v = read(c);
    expect(v & 0xf).toBe(1);          // EL0: AArch64 only
    expect((v >>> 4) & 0xf).toBe(1);  // EL1: AArch64 only
    expect((v >>> 8) & 0xf).toBe(0);  // no EL2 unless the board starts at EL2
    expect((v >>> 16) & 0xff).toBe(0); // FP and AdvSIMD implemented (no half-precision arithmetic)
    expect((v >>> 24) & 0xf).toBe(1); // GICv3 system registers
    c.hasEl2 = true;
    expect((read(c) >>> 8) & 0xf).toBe(1);
  });
  it('ID_AA64ISAR0_EL1 and MVFR0-2_EL1 as QEMU cortex-a57 (plus LSE): AES = 2, SHA1 = SHA2 = CRC32 = 1, Atomic = 2', () => {
    const { c } = machineWith([0xd503201f]);
    const read = (n: string): number => (c.sys.read(c, SYSREG_BY_NAME.get(n)!.key) ? R[LO] >>> 0 : -1);
    const isar0 = read('ID_AA64ISAR0_EL1');
    expect([(isar0 >>> 4) & 15, (isar0 >>> 8) & 15, (isar0 >>> 12) & 15, (isar0 >>> 16) & 15, (isar0 >>> 20) & 15]).toEqual([2, 1, 1, 1, 2]);
    expect((read('ID_AA64ISAR1_EL1') >>> 20) & 15).toBe(1); // LRCPC
    expect([read('MVFR0_EL1'), read('MVFR1_EL1'), read('MVFR2_EL1')]).toEqual([0x10110222, 0x12111111, 0x43]);
  });
});
