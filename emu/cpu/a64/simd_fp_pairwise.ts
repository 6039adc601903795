// Arm ARM C4.1.6: Advanced SIMD scalar pairwise, the floating-point opcodes: FADDP FMAXP FMINP FMAXNMP
// FMINNMP of the two lanes of Vn.2S (sz = 0) or Vn.2D (sz = 1). The U = 0 forms are ARMv8.2
// half precision (catch-all: UNDEFINED). The vector pairwise forms are in simd_fp_same.ts, the
// integer ADDP in simd_pairwise.ts.

import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import { Bin, pairScalarS, pairScalarD } from './simd_fp_ops.js';

function prep(op: Bin) {
  return (i: Insn): boolean => {
    i.aux0 = op;
    i.exec = i.sf === 1 ? pairScalarD : pairScalarS;
    return true;
  };
}

function row(name: string, a: number, opcode: string, op: Bin): Encoding {
  return enc(`01 1 11110 ${a} z 11000 ${opcode} 10 nnnnn ddddd`, `${name}_asisd`, pairScalarS, prep(op));
}

export const SIMD_FP_PAIRWISE: Encoding[] = [
  row('FMAXNMP', 0, '01100', Bin.MAXNM),
  row('FMINNMP', 1, '01100', Bin.MINNM),
  row('FADDP', 0, '01101', Bin.ADD),
  row('FMAXP', 0, '01111', Bin.MAX),
  row('FMINP', 1, '01111', Bin.MIN),
];
