// Arm ARM C4.1.6: Advanced SIMD across lanes, the floating-point opcodes FMAXNMV FMINNMV FMAXV FMINV.
// ARMv8.0 has only the 4S form (Q = 1, sz = 0; the half-precision forms are ARMv8.2): other Q/sz
// values fall to the catch-all (UNDEFINED). The integer opcodes are in simd_across.ts.

import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import { Bin, acrossS } from './simd_fp_ops.js';

function prep(op: Bin) {
  return (i: Insn): boolean => { i.aux0 = op; return true; };
}

function row(name: string, a: number, opcode: string, op: Bin): Encoding {
  return enc(`0 1 1 01110 ${a} 0 11000 ${opcode} 10 nnnnn ddddd`, `${name}_asimd`, acrossS, prep(op));
}

export const SIMD_FP_ACROSS: Encoding[] = [
  row('FMAXNMV', 0, '01100', Bin.MAXNM),
  row('FMINNMV', 1, '01100', Bin.MINNM),
  row('FMAXV', 0, '01111', Bin.MAX),
  row('FMINV', 1, '01111', Bin.MIN),
];
