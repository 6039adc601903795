// AdvSIMD integer classes: what the oracle fixtures cannot show (they run with the FP unit enabled
// at EL0): the FP access trap taken by every class file's handlers, and FPSR.QC being cumulative.
// Results themselves are checked against QEMU by the simd_* oracle fixtures.

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { R, LO } from '../../emu/cpu/int64.js';
import { SYSREG_BY_NAME } from '../../emu/cpu/sysregs.js';
import { CODE, machineWith, pc } from '../harness.js';

const esrOf = (c: Cpu): number => (c.sys.read(c, SYSREG_BY_NAME.get('ESR_EL1')!.key) ? R[LO] >>> 0 : -1);
const enableFp = (c: Cpu): void => { c.sys.write(c, SYSREG_BY_NAME.get('CPACR_EL1')!.key, 3 << 20, 0); };

// One form of each class file.
const FORMS: [string, number][] = [
  ['add v0.4s, v1.4s, v2.4s (simd_same)', 0x4ea28420],
  ['saddl v0.4s, v1.4h, v2.4h (simd_diff)', 0x0e620020],
  ['cnt v0.16b, v1.16b (simd_misc)', 0x4e205820],
  ['addv b0, v1.16b (simd_across)', 0x4e31b820],
  ['addp d0, v1.2d (simd_pairwise)', 0x5ef1b820],
  ['ushr v0.4s, v1.4s, #3 (simd_shift)', 0x6f3d0420],
  ['mul v0.4s, v1.4s, v2.s[1] (simd_elem)', 0x4fa28020],
  ['movi v0.16b, #0x55 (simd_imm)', 0x4f02e6a0],
  ['umov w0, v1.b[3] (simd_copy)', 0x0e073c20],
  ['zip1 v0.16b, v1.16b, v2.16b (simd_perm)', 0x4e023820],
  ['ext v0.16b, v1.16b, v2.16b, #3 (simd_ext)', 0x6e021820],
  ['tbl v0.16b, {v1.16b}, v2.16b (simd_tbl)', 0x4e020020],
];

describe('AdvSIMD integer classes', () => {
  for (const [name, w] of FORMS) {
    it(`${name}: the FP access trap while CPACR_EL1.FPEN traps, executed when enabled`, () => {
      let { c } = machineWith([w]);
      c.vw.fill(0x01020304);
      c.run(1);
      expect(esrOf(c) >>> 26).toBe(0x07);
      expect(c.vw[0]).toBe(0x01020304); // nothing written
      ({ c } = machineWith([w]));
      enableFp(c);
      c.run(1);
      expect(pc(c)).toBe(BigInt(CODE + 4));
    });
  }

  it('FPSR.QC is set by a saturating operation and kept by later ones that do not saturate', () => {
    const SQADD_B = 0x5e220c20; // sqadd b0, b1, b2
    const ADD_16B = 0x4e238463; // add v3.16b, v3.16b, v3.16b
    const { c } = machineWith([SQADD_B, ADD_16B, SQADD_B]);
    enableFp(c);
    c.vb[16] = 0x7f; c.vb[32] = 0x01; // 127 + 1 saturates
    c.run(1);
    expect(c.vb[0]).toBe(0x7f);
    expect(c.fpsr >>> 27 & 1).toBe(1);
    c.run(1);
    expect(c.fpsr >>> 27 & 1).toBe(1);
    c.fpsr = 0; c.vb[32] = 0xff; // 127 + -1: no saturation, QC stays clear
    c.run(1);
    expect(c.vb[0]).toBe(0x7e);
    expect(c.fpsr).toBe(0);
  });
});
