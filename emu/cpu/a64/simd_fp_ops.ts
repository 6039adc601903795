// The per-lane floating-point operations of the AdvSIMD FP forms (simd_fp_*.ts) and the lane loops
// that apply them. An instruction's prepare step picks, once, the operation (an index into one of the
// tables below, in aux0), the lane count (aux1) and a parameter (aux2), and the handler for its shape
// (element-wise unary/binary/fused, pairwise, across lanes, by element) and element size (S or D).
//
// Lanes: a vector of S lanes has 2 or 4 of them, of D lanes 2; an AdvSIMD scalar has 1. Every handler
// writes its lanes and zeroes the rest of the 128-bit register (a 64-bit vector or a scalar result
// clears the upper part). Operands are read through the int32 view (bit-exact: NaN payloads and
// signalling NaNs survive); binary64 results come back in int64.ts's R. Each lane's operation ORs its
// exception flags into FPSR, so the flags are the union over the lanes, as the Arm ARM's loop gives.

import type { Cpu } from '../cpu.js';
import type { Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import * as est from '../fp/estimate.js';

/** A binary32 operation on one lane: bits in, bits out; p is the instruction's parameter (aux2). */
export type UnS = (st: Cpu, a: number, p: number) => number;
/** A binary64 operation on one lane (lo, hi): the result in R. */
export type UnD = (st: Cpu, lo: number, hi: number, p: number) => void;
export type BinS = (st: Cpu, a: number, b: number) => number;
export type BinD = (st: Cpu, alo: number, ahi: number, blo: number, bhi: number) => void;
/** addend + a * b, rounded once (FPMulAdd). */
export type FmaS = (st: Cpu, addend: number, a: number, b: number) => number;
export type FmaD = (st: Cpu, clo: number, chi: number, alo: number, ahi: number, blo: number, bhi: number) => void;

// ---------------------------------------------------------------- the operation tables

/** Unary operations (two-register misc). The parameter p: FRINT* rounding | exact << 3; FCVT*
 * rounding | unsigned << 3 | fbits << 4; SCVTF/UCVTF unsigned | fbits << 1. */
export const enum Un {
  ABS, NEG, SQRT, RECPE, RSQRTE, RECPX, URECPE, URSQRTE,
  CMGT0, CMGE0, CMEQ0, CMLE0, CMLT0, RINT, TOINT, FROMINT,
  COUNT,
}
/** Binary operations (three same, pairwise, across lanes, by element). Comparisons give an all-ones
 * or all-zeros lane. */
export const enum Bin {
  ADD, SUB, MUL, DIV, MAX, MIN, MAXNM, MINNM, MULX, ABD, RECPS, RSQRTS,
  CMEQ, CMGE, CMGT, ACGE, ACGT,
  COUNT,
}
/** Fused multiply-add (FMLA) and multiply-subtract (FMLS: the Arm ARM negates the Vn element). */
export const enum Fma { MLA, MLS, COUNT }

export const UN_S: (UnS | null)[] = new Array<UnS | null>(Un.COUNT).fill(null);
export const UN_D: (UnD | null)[] = new Array<UnD | null>(Un.COUNT).fill(null);
export const BIN_S: (BinS | null)[] = new Array<BinS | null>(Bin.COUNT).fill(null);
export const BIN_D: (BinD | null)[] = new Array<BinD | null>(Bin.COUNT).fill(null);
export const FMA_S: (FmaS | null)[] = new Array<FmaS | null>(Fma.COUNT).fill(null);
export const FMA_D: (FmaD | null)[] = new Array<FmaD | null>(Fma.COUNT).fill(null);

// FABS and FNEG are bit operations (no flags, NaNs untouched, FZ does not apply).
UN_S[Un.ABS] = (_st, a) => a & 0x7fffffff;
UN_S[Un.NEG] = (_st, a) => a ^ 0x80000000;
UN_D[Un.ABS] = (_st, lo, hi) => { R[LO] = lo; R[HI] = hi & 0x7fffffff; };
UN_D[Un.NEG] = (_st, lo, hi) => { R[LO] = lo; R[HI] = hi ^ 0x80000000; };
UN_S[Un.RECPE] = (st, a) => est.sRecipEstimate(st, a);
UN_D[Un.RECPE] = (st, lo, hi) => est.dRecipEstimate(st, lo, hi);
UN_S[Un.RSQRTE] = (st, a) => est.sRSqrtEstimate(st, a);
UN_D[Un.RSQRTE] = (st, lo, hi) => est.dRSqrtEstimate(st, lo, hi);
UN_S[Un.RECPX] = (st, a) => est.sRecpX(st, a);
UN_D[Un.RECPX] = (st, lo, hi) => est.dRecpX(st, lo, hi);
UN_S[Un.URECPE] = (_st, a) => est.uRecipEstimate(a);
UN_S[Un.URSQRTE] = (_st, a) => est.uRSqrtEstimate(a);

/** The FP<->FP conversions of FCVTN/FCVTXN/FCVTL (FPConvert; dToSOdd rounds to odd). */
export const CVT: {
  sToH: ((st: Cpu, a: number) => number) | null;
  dToS: ((st: Cpu, lo: number, hi: number) => number) | null;
  dToSOdd: ((st: Cpu, lo: number, hi: number) => number) | null;
  hToS: ((st: Cpu, h: number) => number) | null;
  sToD: ((st: Cpu, a: number) => void) | null;
} = { sToH: null, dToS: null, dToSOdd: null, hToS: null, sToD: null };

/** True when the operation of this shape and size exists (the FP library provides it). */
export function hasUn(op: Un, d: boolean): boolean { return (d ? UN_D : UN_S)[op] !== null; }
export function hasBin(op: Bin, d: boolean): boolean { return (d ? BIN_D : BIN_S)[op] !== null; }
export function hasFma(op: Fma, d: boolean): boolean { return (d ? FMA_D : FMA_S)[op] !== null; }

// ---------------------------------------------------------------- zeroing

/** Zero the S lanes from `from` to 3 of the register at word index b. */
function zeroS(c: Cpu, b: number, from: number): void {
  for (let k = from; k < 4; k++) c.vw[b + k] = 0;
}

// ---------------------------------------------------------------- element-wise

/** Vd.S[k] = op(Vn.S[k]) for aux1 lanes. */
export function unS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = UN_S[i.aux0]!, p = i.aux2, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  for (let k = 0; k < lanes; k++) vw[d + k] = op(c, vw[n + k], p);
  zeroS(c, d, lanes);
}

/** Vd.D[k] = op(Vn.D[k]) for aux1 lanes. */
export function unD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = UN_D[i.aux0]!, p = i.aux2, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  for (let k = 0; k < lanes * 2; k += 2) {
    op(c, vw[n + k], vw[n + k + 1], p);
    vw[d + k] = R[LO]; vw[d + k + 1] = R[HI];
  }
  zeroS(c, d, lanes * 2);
}

/** Vd.S[k] = op(Vn.S[k], Vm.S[k]). */
export function binS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_S[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  for (let k = 0; k < lanes; k++) vw[d + k] = op(c, vw[n + k], vw[m + k]);
  zeroS(c, d, lanes);
}

export function binD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_D[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  for (let k = 0; k < lanes * 2; k += 2) {
    op(c, vw[n + k], vw[n + k + 1], vw[m + k], vw[m + k + 1]);
    vw[d + k] = R[LO]; vw[d + k + 1] = R[HI];
  }
  zeroS(c, d, lanes * 2);
}

/** Vd.S[k] = Vd.S[k] +/- Vn.S[k] * Vm.S[k], fused. */
export function fmaS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = FMA_S[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  for (let k = 0; k < lanes; k++) vw[d + k] = op(c, vw[d + k], vw[n + k], vw[m + k]);
  zeroS(c, d, lanes);
}

export function fmaD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = FMA_D[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  for (let k = 0; k < lanes * 2; k += 2) {
    op(c, vw[d + k], vw[d + k + 1], vw[n + k], vw[n + k + 1], vw[m + k], vw[m + k + 1]);
    vw[d + k] = R[LO]; vw[d + k + 1] = R[HI];
  }
  zeroS(c, d, lanes * 2);
}

// ---------------------------------------------------------------- by element (aux3 = the Vm lane)

/** Vd.S[k] = op(Vn.S[k], Vm.S[index]): the element is read first, as Vd may be Vm. */
export function binElemS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_S[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  const e = vw[i.rm * 4 + i.aux3];
  for (let k = 0; k < lanes; k++) vw[d + k] = op(c, vw[n + k], e);
  zeroS(c, d, lanes);
}

export function binElemD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_D[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  const m = i.rm * 4 + i.aux3 * 2, elo = vw[m], ehi = vw[m + 1];
  for (let k = 0; k < lanes * 2; k += 2) {
    op(c, vw[n + k], vw[n + k + 1], elo, ehi);
    vw[d + k] = R[LO]; vw[d + k + 1] = R[HI];
  }
  zeroS(c, d, lanes * 2);
}

export function fmaElemS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = FMA_S[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  const e = vw[i.rm * 4 + i.aux3];
  for (let k = 0; k < lanes; k++) vw[d + k] = op(c, vw[d + k], vw[n + k], e);
  zeroS(c, d, lanes);
}

export function fmaElemD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = FMA_D[i.aux0]!, lanes = i.aux1, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  const m = i.rm * 4 + i.aux3 * 2, elo = vw[m], ehi = vw[m + 1];
  for (let k = 0; k < lanes * 2; k += 2) {
    op(c, vw[d + k], vw[d + k + 1], vw[n + k], vw[n + k + 1], elo, ehi);
    vw[d + k] = R[LO]; vw[d + k + 1] = R[HI];
  }
  zeroS(c, d, lanes * 2);
}

// ---------------------------------------------------------------- pairwise and across lanes

/** Results are built here first: Vd may be Vn or Vm, whose lanes are still needed. */
const tmp = new Int32Array(4);

/** Vector pairwise (FADDP etc.): the pairs of the concatenation Vm:Vn, lowest first. */
export function pairS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_S[i.aux0]!, lanes = i.aux1, half = lanes >> 1, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  for (let k = 0; k < half; k++) tmp[k] = op(c, vw[n + 2 * k], vw[n + 2 * k + 1]);
  for (let k = 0; k < half; k++) tmp[half + k] = op(c, vw[m + 2 * k], vw[m + 2 * k + 1]);
  for (let k = 0; k < lanes; k++) vw[d + k] = tmp[k];
  zeroS(c, d, lanes);
}

export function pairD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_D[i.aux0]!, vw = c.vw, d = i.rd * 4, n = i.rn * 4, m = i.rm * 4;
  op(c, vw[n], vw[n + 1], vw[n + 2], vw[n + 3]);
  tmp[0] = R[LO]; tmp[1] = R[HI];
  op(c, vw[m], vw[m + 1], vw[m + 2], vw[m + 3]);
  vw[d] = tmp[0]; vw[d + 1] = tmp[1]; vw[d + 2] = R[LO]; vw[d + 3] = R[HI];
}

/** Scalar pairwise (FADDP Sd, Vn.2S etc.): Sd = op(Vn.S[0], Vn.S[1]). */
export function pairScalarS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_S[i.aux0]!, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  vw[d] = op(c, vw[n], vw[n + 1]);
  zeroS(c, d, 1);
}

export function pairScalarD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_D[i.aux0]!, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  op(c, vw[n], vw[n + 1], vw[n + 2], vw[n + 3]);
  vw[d] = R[LO]; vw[d + 1] = R[HI];
  zeroS(c, d, 2);
}

/** Across lanes, 4S (FMAXV etc.): the Arm ARM's Reduce halves the vector, so
 * op(op(e0, e1), op(e2, e3)). */
export function acrossS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const op = BIN_S[i.aux0]!, vw = c.vw, d = i.rd * 4, n = i.rn * 4;
  const lo = op(c, vw[n], vw[n + 1]);
  const hi = op(c, vw[n + 2], vw[n + 3]);
  vw[d] = op(c, lo, hi);
  zeroS(c, d, 1);
}
