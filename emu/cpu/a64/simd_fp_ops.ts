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
import * as fp from '../fp/index.js';

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
UN_S[Un.RECPE] = (st, a) => fp.sRecipEstimate(st, a);
UN_D[Un.RECPE] = (st, lo, hi) => fp.dRecipEstimate(st, lo, hi);
UN_S[Un.RSQRTE] = (st, a) => fp.sRSqrtEstimate(st, a);
UN_D[Un.RSQRTE] = (st, lo, hi) => fp.dRSqrtEstimate(st, lo, hi);
UN_S[Un.RECPX] = (st, a) => fp.sRecpX(st, a);
UN_D[Un.RECPX] = (st, lo, hi) => fp.dRecpX(st, lo, hi);
UN_S[Un.URECPE] = (_st, a) => fp.uRecipEstimate(a);
UN_S[Un.URSQRTE] = (_st, a) => fp.uRSqrtEstimate(a);

// The rest from the FP library (emu/cpu/fp).
const fpcrRounding = fp.fpcrRounding;

BIN_S[Bin.ADD] = fp.sAdd; BIN_D[Bin.ADD] = fp.dAdd;
BIN_S[Bin.SUB] = fp.sSub; BIN_D[Bin.SUB] = fp.dSub;
BIN_S[Bin.MUL] = fp.sMul; BIN_D[Bin.MUL] = fp.dMul;
BIN_S[Bin.DIV] = fp.sDiv; BIN_D[Bin.DIV] = fp.dDiv;
BIN_S[Bin.MAX] = fp.sMax; BIN_D[Bin.MAX] = fp.dMax;
BIN_S[Bin.MIN] = fp.sMin; BIN_D[Bin.MIN] = fp.dMin;
BIN_S[Bin.MAXNM] = fp.sMaxNum; BIN_D[Bin.MAXNM] = fp.dMaxNum;
BIN_S[Bin.MINNM] = fp.sMinNum; BIN_D[Bin.MINNM] = fp.dMinNum;
BIN_S[Bin.MULX] = fp.sMulX; BIN_D[Bin.MULX] = fp.dMulX;
BIN_S[Bin.RECPS] = fp.sRecipStepFused; BIN_D[Bin.RECPS] = fp.dRecipStepFused;
BIN_S[Bin.RSQRTS] = fp.sRSqrtStepFused; BIN_D[Bin.RSQRTS] = fp.dRSqrtStepFused;
// FABD: FPAbs(FPSub()), the sign cleared even of a NaN result.
BIN_S[Bin.ABD] = (st, a, b) => fp.sSub(st, a, b) & 0x7fffffff;
BIN_D[Bin.ABD] = (st, alo, ahi, blo, bhi) => { fp.dSub(st, alo, ahi, blo, bhi); R[HI] &= 0x7fffffff; };
BIN_S[Bin.CMEQ] = (st, a, b) => fp.sCompareEq(st, a, b) ? -1 : 0;
BIN_S[Bin.CMGE] = (st, a, b) => fp.sCompareGe(st, a, b) ? -1 : 0;
BIN_S[Bin.CMGT] = (st, a, b) => fp.sCompareGt(st, a, b) ? -1 : 0;
BIN_S[Bin.ACGE] = (st, a, b) => fp.sCompareGe(st, a & 0x7fffffff, b & 0x7fffffff) ? -1 : 0;
BIN_S[Bin.ACGT] = (st, a, b) => fp.sCompareGt(st, a & 0x7fffffff, b & 0x7fffffff) ? -1 : 0;
const maskD = (t: boolean): void => { R[LO] = R[HI] = t ? -1 : 0; };
BIN_D[Bin.CMEQ] = (st, alo, ahi, blo, bhi) => maskD(fp.dCompareEq(st, alo, ahi, blo, bhi));
BIN_D[Bin.CMGE] = (st, alo, ahi, blo, bhi) => maskD(fp.dCompareGe(st, alo, ahi, blo, bhi));
BIN_D[Bin.CMGT] = (st, alo, ahi, blo, bhi) => maskD(fp.dCompareGt(st, alo, ahi, blo, bhi));
BIN_D[Bin.ACGE] = (st, alo, ahi, blo, bhi) => maskD(fp.dCompareGe(st, alo, ahi & 0x7fffffff, blo, bhi & 0x7fffffff));
BIN_D[Bin.ACGT] = (st, alo, ahi, blo, bhi) => maskD(fp.dCompareGt(st, alo, ahi & 0x7fffffff, blo, bhi & 0x7fffffff));

FMA_S[Fma.MLA] = fp.sMulAdd; FMA_D[Fma.MLA] = fp.dMulAdd;
FMA_S[Fma.MLS] = (st, c, a, b) => fp.sMulAdd(st, c, a ^ 0x80000000, b);
FMA_D[Fma.MLS] = (st, clo, chi, alo, ahi, blo, bhi) => fp.dMulAdd(st, clo, chi, alo, ahi ^ 0x80000000, blo, bhi);

UN_S[Un.SQRT] = (st, a) => fp.sSqrt(st, a); UN_D[Un.SQRT] = (st, lo, hi) => fp.dSqrt(st, lo, hi);
// The compares with zero: FCMLT/FCMLE #0 are 0 > x and 0 >= x (FPCompareGT/GE(zero, x)).
UN_S[Un.CMGT0] = (st, a) => fp.sCompareGt(st, a, 0) ? -1 : 0;
UN_S[Un.CMGE0] = (st, a) => fp.sCompareGe(st, a, 0) ? -1 : 0;
UN_S[Un.CMEQ0] = (st, a) => fp.sCompareEq(st, a, 0) ? -1 : 0;
UN_S[Un.CMLE0] = (st, a) => fp.sCompareGe(st, 0, a) ? -1 : 0;
UN_S[Un.CMLT0] = (st, a) => fp.sCompareGt(st, 0, a) ? -1 : 0;
UN_D[Un.CMGT0] = (st, lo, hi) => maskD(fp.dCompareGt(st, lo, hi, 0, 0));
UN_D[Un.CMGE0] = (st, lo, hi) => maskD(fp.dCompareGe(st, lo, hi, 0, 0));
UN_D[Un.CMEQ0] = (st, lo, hi) => maskD(fp.dCompareEq(st, lo, hi, 0, 0));
UN_D[Un.CMLE0] = (st, lo, hi) => maskD(fp.dCompareGe(st, 0, 0, lo, hi));
UN_D[Un.CMLT0] = (st, lo, hi) => maskD(fp.dCompareGt(st, 0, 0, lo, hi));
// p = rounding | exact << 3, rounding 7 = FPCR's.
UN_S[Un.RINT] = (st, a, p) => fp.sRoundInt(st, a, (p & 7) === 7 ? fpcrRounding(st) : p & 7, (p & 8) !== 0);
UN_D[Un.RINT] = (st, lo, hi, p) => fp.dRoundInt(st, lo, hi, (p & 7) === 7 ? fpcrRounding(st) : p & 7, (p & 8) !== 0);
// p = rounding | unsigned << 3 | fbits << 4.
UN_S[Un.TOINT] = (st, a, p) => { fp.sToInt(st, a, p >>> 4, (p & 8) !== 0, p & 7, false); return R[LO]; };
UN_D[Un.TOINT] = (st, lo, hi, p) => fp.dToInt(st, lo, hi, p >>> 4, (p & 8) !== 0, p & 7, true);
// p = unsigned | fbits << 1; FPCR's rounding.
UN_S[Un.FROMINT] = (st, a, p) => fp.intToS(st, a, (p & 1) !== 0 ? 0 : a >> 31, false, (p & 1) !== 0, p >>> 1, fpcrRounding(st));
UN_D[Un.FROMINT] = (st, lo, hi, p) => fp.intToD(st, lo, hi, true, (p & 1) !== 0, p >>> 1, fpcrRounding(st));

/** FCVTXN: FPConvert with rounding to odd. */
export const dToSOdd = (st: Cpu, lo: number, hi: number): number => fp.dToS(st, lo, hi, fp.RND_ODD);

// Every entry is filled (URECPE and URSQRTE exist for 32-bit lanes only; their rows reject sz = 1).
for (const [name, t] of [['UN_S', UN_S], ['UN_D', UN_D], ['BIN_S', BIN_S], ['BIN_D', BIN_D], ['FMA_S', FMA_S], ['FMA_D', FMA_D]] as const) {
  t.forEach((f, k) => {
    if (f === null && !(name === 'UN_D' && (k === Un.URECPE || k === Un.URSQRTE))) throw new Error(`simd_fp_ops: ${name}[${k}] missing`);
  });
}

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
