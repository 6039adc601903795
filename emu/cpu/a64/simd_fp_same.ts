// Arm ARM C4.1.6: Advanced SIMD three same and Advanced SIMD scalar three same, the floating-point
// opcodes (bits 15:11 = 11xxx with size<1> = a). The integer opcodes of the same classes are in
// simd_same.ts. Names: _asimd = vector form, _asisd = AdvSIMD scalar form (the Arm ARM's own suffixes).

import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import {
  Bin, Fma, binS, binD, fmaS, fmaD, pairS, pairD,
} from './simd_fp_ops.js';

const enum Kind { BIN, PAIR, FMA }

/** Vector form: 2S/4S (sz = 0) or 2D (sz = 1, Q = 1; 1D is reserved). */
function prepVec(kind: Kind, op: number) {
  return (i: Insn): boolean => {
    const dbl = i.sf === 1;
    if (dbl && i.Q === 0) return false;
    i.aux0 = op;
    i.aux1 = dbl ? 2 : i.Q === 1 ? 4 : 2;
    switch (kind) {
      case Kind.BIN: i.exec = dbl ? binD : binS; return true;
      case Kind.PAIR: i.exec = dbl ? pairD : pairS; return true;
      default: i.exec = dbl ? fmaD : fmaS; return true;
    }
  };
}

/** Scalar form: one S (sz = 0) or D (sz = 1) lane. */
function prepScalar(op: number) {
  return (i: Insn): boolean => {
    const dbl = i.sf === 1;
    i.aux0 = op; i.aux1 = 1;
    i.exec = dbl ? binD : binS;
    return true;
  };
}

/** U, size<1>, opcode: the fixed bits of a row. */
function vec(name: string, u: number, a: number, opcode: string, kind: Kind, op: number): Encoding {
  return enc(`0 Q ${u} 01110 ${a} z 1 mmmmm ${opcode} 1 nnnnn ddddd`, `${name}_asimd`, binS, prepVec(kind, op));
}

function scalar(name: string, u: number, a: number, opcode: string, op: number): Encoding {
  return enc(`01 ${u} 11110 ${a} z 1 mmmmm ${opcode} 1 nnnnn ddddd`, `${name}_asisd`, binS, prepScalar(op));
}

export const SIMD_FP_SAME: Encoding[] = [
  vec('FMAXNM', 0, 0, '11000', Kind.BIN, Bin.MAXNM),
  vec('FMINNM', 0, 1, '11000', Kind.BIN, Bin.MINNM),
  vec('FMAXNMP', 1, 0, '11000', Kind.PAIR, Bin.MAXNM),
  vec('FMINNMP', 1, 1, '11000', Kind.PAIR, Bin.MINNM),
  vec('FMLA', 0, 0, '11001', Kind.FMA, Fma.MLA),
  vec('FMLS', 0, 1, '11001', Kind.FMA, Fma.MLS),
  vec('FADD', 0, 0, '11010', Kind.BIN, Bin.ADD),
  vec('FSUB', 0, 1, '11010', Kind.BIN, Bin.SUB),
  vec('FADDP', 1, 0, '11010', Kind.PAIR, Bin.ADD),
  vec('FABD', 1, 1, '11010', Kind.BIN, Bin.ABD),
  vec('FMULX', 0, 0, '11011', Kind.BIN, Bin.MULX),
  vec('FMUL', 1, 0, '11011', Kind.BIN, Bin.MUL),
  vec('FCMEQ', 0, 0, '11100', Kind.BIN, Bin.CMEQ),
  vec('FCMGE', 1, 0, '11100', Kind.BIN, Bin.CMGE),
  vec('FCMGT', 1, 1, '11100', Kind.BIN, Bin.CMGT),
  vec('FACGE', 1, 0, '11101', Kind.BIN, Bin.ACGE),
  vec('FACGT', 1, 1, '11101', Kind.BIN, Bin.ACGT),
  vec('FMAX', 0, 0, '11110', Kind.BIN, Bin.MAX),
  vec('FMIN', 0, 1, '11110', Kind.BIN, Bin.MIN),
  vec('FMAXP', 1, 0, '11110', Kind.PAIR, Bin.MAX),
  vec('FMINP', 1, 1, '11110', Kind.PAIR, Bin.MIN),
  vec('FRECPS', 0, 0, '11111', Kind.BIN, Bin.RECPS),
  vec('FRSQRTS', 0, 1, '11111', Kind.BIN, Bin.RSQRTS),
  vec('FDIV', 1, 0, '11111', Kind.BIN, Bin.DIV),

  scalar('FABD', 1, 1, '11010', Bin.ABD),
  scalar('FMULX', 0, 0, '11011', Bin.MULX),
  scalar('FCMEQ', 0, 0, '11100', Bin.CMEQ),
  scalar('FCMGE', 1, 0, '11100', Bin.CMGE),
  scalar('FCMGT', 1, 1, '11100', Bin.CMGT),
  scalar('FACGE', 1, 0, '11101', Bin.ACGE),
  scalar('FACGT', 1, 1, '11101', Bin.ACGT),
  scalar('FRECPS', 0, 0, '11111', Bin.RECPS),
  scalar('FRSQRTS', 0, 1, '11111', Bin.RSQRTS),
];
