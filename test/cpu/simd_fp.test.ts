// AdvSIMD floating-point classes: what the oracle fixtures cannot show (they run with the FP unit
// enabled at EL0): the FP access trap taken by each handler shape of the simd_fp_* class files, before
// any register or FPSR flag changes. Results themselves are checked against QEMU by the simd_fp_*
// oracle fixtures.

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { R, LO } from '../../emu/cpu/int64.js';
import { SYSREG_BY_NAME } from '../../emu/cpu/sysregs.js';
import { CODE, machineWith, pc } from '../harness.js';

const esrOf = (c: Cpu): number => (c.sys.read(c, SYSREG_BY_NAME.get('ESR_EL1')!.key) ? R[LO] >>> 0 : -1);
const enableFp = (c: Cpu): void => { c.sys.write(c, SYSREG_BY_NAME.get('CPACR_EL1')!.key, 3 << 20, 0); };
/** A signalling NaN in every S and D lane: every FP operation of these forms raises IOC with it. */
const SNAN = 0x7f800001;

// One form of each handler shape (element-wise, fused, pairwise, scalar, by element, across lanes,
// narrowing, widening, fixed point; S and D lanes).
const FORMS: [string, number][] = [
  ['fadd v0.4s, v1.4s, v2.4s', 0x4e22d420],
  ['fadd v0.2d, v1.2d, v2.2d', 0x4e62d420],
  ['fmla v0.4s, v1.4s, v2.4s', 0x4e22cc20],
  ['fmla v0.2d, v1.2d, v2.2d', 0x4e62cc20],
  ['faddp v0.4s, v1.4s, v2.4s', 0x6e22d420],
  ['faddp v0.2d, v1.2d, v2.2d', 0x6e62d420],
  ['fcmge s0, s1, s2', 0x7e22e420],
  ['fabd d0, d1, d2', 0x7ee2d420],
  ['fsqrt v0.4s, v1.4s', 0x6ea1f820],
  ['frintx v0.2d, v1.2d', 0x6e619820],
  ['frecpe s0, s1', 0x5ea1d820],
  ['fcvtzs d0, d1', 0x5ee1b820],
  ['fcvtn v0.4h, v1.4s', 0x0e216820],
  ['fcvtn2 v0.4s, v1.2d', 0x4e616820],
  ['fcvtxn s0, d1', 0x7e616820],
  ['fcvtl v0.4s, v1.4h', 0x0e217820],
  ['fcvtl2 v0.2d, v1.4s', 0x4e617820],
  ['fmaxnmv s0, v1.4s', 0x6e30c820],
  ['faddp s0, v1.2s', 0x7e30d820],
  ['fminp d0, v1.2d', 0x7ef0f820],
  ['fmul v0.4s, v1.4s, v2.s[3]', 0x4fa29820],
  ['fmla v0.2d, v1.2d, v2.d[1]', 0x4fc21820],
  ['fmulx s0, s1, v2.s[1]', 0x7fa29020],
  ['fmls d0, d1, v2.d[0]', 0x5fc25020],
  ['scvtf v0.4s, v1.4s, #5', 0x4f3be420],
  ['fcvtzu d0, d1, #60', 0x7f44fc20],
];

describe('AdvSIMD floating-point classes', () => {
  for (const [name, w] of FORMS) {
    it(`${name}: the FP access trap while CPACR_EL1.FPEN traps, nothing written; executed when enabled`, () => {
      let { c } = machineWith([w]);
      c.vw.fill(SNAN);
      c.run(1);
      expect(esrOf(c) >>> 26).toBe(0x07);
      expect(c.vw.every((v) => v === SNAN)).toBe(true);
      expect(c.fpsr).toBe(0);
      ({ c } = machineWith([w]));
      enableFp(c);
      c.run(1);
      expect(pc(c)).toBe(BigInt(CODE + 4));
    });
  }
});
