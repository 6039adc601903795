// Arm ARM C4.1.6: Advanced SIMD scalar pairwise, integer opcode: ADDP Dd, Vn.2D. The FP forms (FADDP,
// FMAXP, ...) are fp-vec's (simd_fp_pairwise.ts).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64 } from '../int64.js';
import { fpEnabled, setVD } from './simd_fp.js';

function ADDP_scalar(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, v = c.vw;
  add64(v[n], v[n + 1], v[n + 2], v[n + 3], 0);
  setVD(c, i.rd, R[LO], R[HI]);
}

export const SIMD_PAIRWISE: Encoding[] = [
  enc('01011110 qq 11000 11011 10 nnnnn ddddd', 'ADDP_scalar', ADDP_scalar, (i) => i.size === 3),
];
