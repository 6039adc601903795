// binary64 arithmetic on (lo, hi) bit-pattern halves; results go to R (int64.ts's scratch).
//
// Exactness: the fast path computes the round-to-nearest result natively and the exact remainder
// with an error-free transformation (TwoSum for +/-, Dekker's TwoProduct for *, the residual x - q*y
// for /, x - s*s for sqrt); the remainder's sign gives the inexact flag and the directed-rounding
// step to the neighbouring double. FMA in round-to-nearest is Boldo-Melquiond's emulation (TwoProduct,
// TwoSum, one addition rounded to odd, a final native addition). Each fast path first proves its
// preconditions (normal operands, no overflow, no tiny result, splitting safe); everything else
// (subnormal or overflowing results, subnormal inputs, directed-rounding FMA) takes the exact BigInt
// slow path at the end of this file, which is rare in real programs.

import { R, LO, HI } from '../int64.js';
import {
  FpState, IOC, DZC, IDC, IXC, FPCR_DN, FPCR_FZ, RND_TIEEVEN, RND_POSINF, RND_NEGINF, RND_ZERO, T_ZERO,
  T_NUM, T_INF, T_QNAN, T_SNAN, F64, F64W, fpcrRounding, roundBig, twoSumErr, twoProdErr, pow2,
} from './core.js';

const SIGN = 0x80000000 | 0;
const D_NAN_HI = 0x7ff80000, D_INF_HI = 0x7ff00000;
const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_DOUBLE = 1.7976931348623157e308;
const PM900 = 2 ** -900;

/** FPUnpack's type of (lo, hi) (FZ: a denormal is ZERO with IDC). */
export function dType(st: FpState, lo: number, hi: number): number {
  const e = hi & 0x7ff00000;
  if (e === 0) {
    if ((hi & 0xfffff) === 0 && lo === 0) return T_ZERO;
    if ((st.fpcr & FPCR_FZ) !== 0) { st.fpsr |= IDC; return T_ZERO; }
    return T_NUM;
  }
  if (e !== 0x7ff00000) return T_NUM;
  if ((hi & 0xfffff) === 0 && lo === 0) return T_INF;
  return (hi & 0x80000) !== 0 ? T_QNAN : T_SNAN;
}

/** 2^(e - 1075) for a biased exponent e (e = 0: 2^-1074, the denormals' scale). */
const SCALE = new Float64Array(2048);
for (let e = 1; e < 2048; e++) SCALE[e] = 2 ** (e - 1075);
SCALE[0] = 2 ** -1074;

/** The value of the finite (lo, hi), computed rather than read through a Float64Array aliasing an
 * Int32Array: two 32-bit stores and a 64-bit load defeat store forwarding and measured several
 * times slower. */
export function dValue(lo: number, hi: number): number {
  const e = (hi >>> 20) & 0x7ff;
  const v = ((hi & 0xfffff) * 4294967296 + (lo >>> 0) + (e !== 0 ? 4503599627370496 : 0)) * SCALE[e];
  return hi < 0 ? -v : v;
}

/** The significand of a normal (lo, hi) as a double in [1, 2), sign included. */
function dSig(lo: number, hi: number): number {
  const m = ((hi & 0xfffff) * 4294967296 + (lo >>> 0)) * 2.220446049250313e-16 + 1;
  return hi < 0 ? -m : m;
}

/** The unbiased exponent of a normal (lo, hi). */
const dExp = (hi: number): number => ((hi >>> 20) & 0x7ff) - 1023;

/** The value of a numeric operand of type t (a flushed denormal is a signed zero). */
export function dNum(t: number, lo: number, hi: number): number {
  if (t === T_ZERO) return hi < 0 ? -0 : 0;
  return dValue(lo, hi);
}

function set(lo: number, hi: number): void { R[LO] = lo; R[HI] = hi; }

/** FPProcessNaN into R. */
export function dProcessNaN(st: FpState, t: number, lo: number, hi: number): void {
  if (t === T_SNAN) { st.fpsr |= IOC; hi |= 0x80000; }
  if ((st.fpcr & FPCR_DN) !== 0) set(0, D_NAN_HI); else set(lo, hi);
}

/** FPProcessNaNs into R. */
export function dProcessNaNs(st: FpState, t1: number, t2: number, alo: number, ahi: number, blo: number, bhi: number): void {
  if (t1 === T_SNAN) dProcessNaN(st, t1, alo, ahi);
  else if (t2 === T_SNAN) dProcessNaN(st, t2, blo, bhi);
  else if (t1 === T_QNAN) dProcessNaN(st, t1, alo, ahi);
  else dProcessNaN(st, t2, blo, bhi);
}

function invalid(st: FpState): void { st.fpsr |= IOC; set(0, D_NAN_HI); }
function exactZero(st: FpState): void { set(0, fpcrRounding(st) === RND_NEGINF ? SIGN : 0); }

/** x (normal, |x| < max) is the round-to-nearest result and rs the sign of exact - x: write the
 * result in rounding mode rnd (0..3) to R, with IXC. */
function dRoundFast(st: FpState, x: number, rs: number, rnd: number): void {
  F64[0] = x;
  let lo = F64W[0], hi = F64W[1];
  if (rs !== 0) {
    st.fpsr |= IXC;
    // step = +1: the neighbour away from zero; -1: toward zero.
    let step = 0;
    if (rnd === RND_POSINF) { if (rs > 0) step = x > 0 ? 1 : -1; }
    else if (rnd === RND_NEGINF) { if (rs < 0) step = x < 0 ? 1 : -1; }
    else if (rnd === RND_ZERO) { if ((rs > 0) !== (x > 0)) step = -1; }
    if (step === 1) { lo = (lo + 1) | 0; if (lo === 0) hi = (hi + 1) | 0; }
    else if (step === -1) { if (lo === 0) hi = (hi - 1) | 0; lo = (lo - 1) | 0; }
  }
  R[LO] = lo; R[HI] = hi;
}

const inRange = (ax: number): boolean => ax > MIN_NORMAL && ax < MAX_DOUBLE;

// ---------------------------------------------------------------- add, sub, mul, div, sqrt
// Operands that are all normal numbers (exponent field 1..2046) skip the classification.

const isNormal = (hi: number): boolean => ((((hi >>> 20) & 0x7ff) - 1) >>> 0) < 2046;

export function dAdd(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  if (isNormal(ahi) && isNormal(bhi)) { dAddNormal(st, alo, ahi, blo, bhi); return; }
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  dAddNum(st, t1, t2, alo, ahi, blo, bhi);
}

export function dSub(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  if (isNormal(ahi) && isNormal(bhi)) { dAddNormal(st, alo, ahi, blo, bhi ^ SIGN); return; }
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  dAddNum(st, t1, t2, alo, ahi, blo, bhi ^ SIGN);
}

function dAddNormal(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  const x = dValue(alo, ahi), y = dValue(blo, bhi);
  const s = x + y;
  if (s === 0) { exactZero(st); return; }
  if (inRange(s < 0 ? -s : s)) { dRoundFast(st, s, twoSumErr(x, y, s), fpcrRounding(st)); return; }
  slowAdd(st, T_NUM, T_NUM, alo, ahi, blo, bhi, fpcrRounding(st));
}

function dAddNum(st: FpState, t1: number, t2: number, alo: number, ahi: number, blo: number, bhi: number): void {
  if (t1 === T_INF || t2 === T_INF) {
    if (t1 === T_INF && t2 === T_INF && (ahi ^ bhi) < 0) { invalid(st); return; }
    if (t1 === T_INF) set(alo, ahi); else set(blo, bhi);
    return;
  }
  if (t1 === T_ZERO && t2 === T_ZERO) {
    if ((ahi ^ bhi) < 0) exactZero(st); else set(0, ahi & SIGN);
    return;
  }
  const x = dNum(t1, alo, ahi), y = dNum(t2, blo, bhi);
  const s = x + y;
  if (s === 0) { exactZero(st); return; } // TwoSum: a zero sum is exact
  if (inRange(s < 0 ? -s : s)) { dRoundFast(st, s, twoSumErr(x, y, s), fpcrRounding(st)); return; }
  slowAdd(st, t1, t2, alo, ahi, blo, bhi, fpcrRounding(st));
}

export function dMul(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  if (isNormal(ahi) && isNormal(bhi) && dMulNormal(st, alo, ahi, blo, bhi)) return;
  dMulCommon(st, alo, ahi, blo, bhi, false);
}

/** Normal operands: the product of the significands (in [1, 4)) and its TwoProduct error are exact
 * whatever the exponents; scaling by 2^(ea + eb) is exact when the result is normal. False: the
 * result is tiny or overflows (the caller takes the exact path). */
function dMulNormal(st: FpState, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const x = dSig(alo, ahi), y = dSig(blo, bhi);
  const p = x * y;
  const e = dExp(ahi) + dExp(bhi);
  if (e < -1022 || e > 1022) return false;
  const r = p * pow2(e), ar = r < 0 ? -r : r;
  if (!inRange(ar)) return false;
  dRoundFast(st, r, twoProdErr(x, y, p), fpcrRounding(st));
  return true;
}

/** FMULX: FPMul except infinity * zero = 2.0 with the product's sign. */
export function dMulX(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  dMulCommon(st, alo, ahi, blo, bhi, true);
}

function dMulCommon(st: FpState, alo: number, ahi: number, blo: number, bhi: number, mulx: boolean): void {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  const sign = (ahi ^ bhi) & SIGN;
  if (t1 === T_INF || t2 === T_INF) {
    if (t1 === T_ZERO || t2 === T_ZERO) { if (mulx) set(0, sign | 0x40000000); else invalid(st); }
    else set(0, sign | D_INF_HI);
    return;
  }
  if (t1 === T_ZERO || t2 === T_ZERO) { set(0, sign); return; }
  if (isNormal(ahi) && isNormal(bhi) && dMulNormal(st, alo, ahi, blo, bhi)) return;
  slowMulAdd(st, false, 0, 0, t1, alo, ahi, t2, blo, bhi, 0, fpcrRounding(st));
}

export function dDiv(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  if (isNormal(ahi) && isNormal(bhi) && dDivNormal(st, alo, ahi, blo, bhi)) return;
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  const sign = (ahi ^ bhi) & SIGN;
  if ((t1 === T_INF && t2 === T_INF) || (t1 === T_ZERO && t2 === T_ZERO)) { invalid(st); return; }
  if (t1 === T_INF || t2 === T_ZERO) {
    if (t1 !== T_INF) st.fpsr |= DZC;
    set(0, sign | D_INF_HI);
    return;
  }
  if (t1 === T_ZERO || t2 === T_INF) { set(0, sign); return; }
  if (isNormal(ahi) && isNormal(bhi) && dDivNormal(st, alo, ahi, blo, bhi)) return;
  slowDiv(st, t1, alo, ahi, t2, blo, bhi, fpcrRounding(st));
}

/** Normal operands: the quotient of the significands (in (1/2, 2)) and its exact residual
 * x - q*y, scaled by 2^(ea - eb) when the result is normal; false otherwise. */
function dDivNormal(st: FpState, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const x = dSig(alo, ahi), y = dSig(blo, bhi);
  const q = x / y;
  const e = dExp(ahi) - dExp(bhi);
  if (e < -1021 || e > 1023) return false;
  const r = q * pow2(e), ar = r < 0 ? -r : r;
  if (!inRange(ar)) return false;
  const p = q * y;
  const rem = (x - p) - twoProdErr(q, y, p); // x - q*y, exact
  dRoundFast(st, r, y < 0 ? -rem : rem, fpcrRounding(st));
  return true;
}

export function dSqrt(st: FpState, alo: number, ahi: number): void {
  const t = dType(st, alo, ahi);
  if (t >= T_QNAN) { dProcessNaN(st, t, alo, ahi); return; }
  if (t === T_ZERO) { set(0, ahi & SIGN); return; }
  if (ahi < 0) { invalid(st); return; }
  if (t === T_INF) { set(alo, ahi); return; }
  if (isNormal(ahi)) {
    // x = m * 2^e with e even and m in [1, 4): the root of m and its exact residual, scaled by 2^(e/2)
    // (always a normal result).
    let m = dSig(alo, ahi), e = dExp(ahi);
    if ((e & 1) !== 0) { m *= 2; e -= 1; }
    const s = Math.sqrt(m);
    const p = s * s;
    dRoundFast(st, s * pow2(e / 2), (m - p) - twoProdErr(s, s, p), fpcrRounding(st));
    return;
  }
  slowSqrt(st, alo, ahi, fpcrRounding(st));
}

// ---------------------------------------------------------------- fused multiply-add

/** c + x*y rounded once (x, y, c numbers; not the all-zero cases), halved first when half. */
function dFmaNum(st: FpState, tc: number, clo: number, chi: number, t1: number, alo: number, ahi: number,
  t2: number, blo: number, bhi: number, half: boolean): void {
  const rnd = fpcrRounding(st);
  if (rnd === RND_TIEEVEN && isNormal(ahi) && isNormal(bhi) && (tc === T_ZERO || isNormal(chi))) {
    // Work at the product's scale: x, y are the significands (x*y in [1, 4)), c the addend divided by
    // 2^E; the result is scaled back by 2^E, exactly when it is normal.
    const x = dSig(alo, ahi), y = dSig(blo, bhi);
    const E = dExp(ahi) + dExp(bhi);
    const d = tc === T_ZERO ? 0 : dExp(chi) - E;
    if (d > -900 && d < 900 && E >= -1022 && E <= 1023) {
      const c = tc === T_ZERO ? 0 : dSig(clo, chi) * pow2(d);
      // Boldo-Melquiond: uh + ul = x*y; th + tl = c + uh; v = RO(tl + ul); z = RN(th + v).
      const uh = x * y;
      const ul = twoProdErr(x, y, uh);
      const th = c + uh, tl = twoSumErr(c, uh, th);
      let v = tl + ul;
      const ve = twoSumErr(tl, ul, v);
      if (ve !== 0) {
        F64[0] = v;
        if ((F64W[0] & 1) === 0) { // round to odd: step toward the exact value onto the odd neighbour
          let lo = F64W[0], hi = F64W[1];
          if ((ve > 0) === (v > 0)) { lo = (lo + 1) | 0; if (lo === 0) hi = (hi + 1) | 0; }
          else { if (lo === 0) hi = (hi - 1) | 0; lo = (lo - 1) | 0; }
          F64W[0] = lo; F64W[1] = hi; v = F64[0];
        }
      }
      const z = th + v;
      const ze = twoSumErr(th, v, z);
      const az = z < 0 ? -z : z;
      if (az > PM900) {
        const r = z * pow2(E) * (half ? 0.5 : 1);
        if (inRange(r < 0 ? -r : r)) {
          if (ve !== 0 || ze !== 0) st.fpsr |= IXC;
          F64[0] = r; R[LO] = F64W[0]; R[HI] = F64W[1];
          return;
        }
      }
    }
  }
  slowMulAdd(st, true, clo, chi, t1, alo, ahi, t2, blo, bhi, half ? -1 : 0, rnd, tc);
}

/** FPMulAdd: addend + a*b rounded once, into R. */
export function dMulAdd(st: FpState, clo: number, chi: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const tA = dType(st, clo, chi), t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  const infZero = (t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF);
  if (tA >= T_QNAN || t1 >= T_QNAN || t2 >= T_QNAN) {
    if (tA === T_QNAN && infZero) invalid(st);
    else if (tA === T_SNAN) dProcessNaN(st, tA, clo, chi);
    else if (t1 === T_SNAN) dProcessNaN(st, t1, alo, ahi);
    else if (t2 === T_SNAN) dProcessNaN(st, t2, blo, bhi);
    else if (tA === T_QNAN) dProcessNaN(st, tA, clo, chi);
    else if (t1 === T_QNAN) dProcessNaN(st, t1, alo, ahi);
    else dProcessNaN(st, t2, blo, bhi);
    return;
  }
  const signP = (ahi ^ bhi) & SIGN;
  const infP = t1 === T_INF || t2 === T_INF, zeroP = t1 === T_ZERO || t2 === T_ZERO;
  if (infZero || (tA === T_INF && infP && (chi & SIGN) !== signP)) { invalid(st); return; }
  if (tA === T_INF) { set(clo, chi); return; }
  if (infP) { set(0, signP | D_INF_HI); return; }
  if (zeroP) {
    if (tA === T_ZERO) { if ((chi & SIGN) === signP) set(0, signP); else exactZero(st); }
    else set(clo, chi); // FPRound of the addend: exact
    return;
  }
  dFmaNum(st, tA, clo, chi, t1, alo, ahi, t2, blo, bhi, false);
}

/** FRECPS: 2 - a*b rounded once (infinity * zero gives 2.0). */
export function dRecipStepFused(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  ahi ^= SIGN;
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  if ((t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF)) { set(0, 0x40000000); return; }
  if (t1 === T_INF || t2 === T_INF) { set(0, ((ahi ^ bhi) & SIGN) | D_INF_HI); return; }
  if (t1 === T_ZERO || t2 === T_ZERO) { set(0, 0x40000000); return; }
  dFmaNum(st, T_NUM, 0, 0x40000000, t1, alo, ahi, t2, blo, bhi, false);
}

/** FRSQRTS: (3 - a*b) / 2 rounded once (infinity * zero gives 1.5). */
export function dRSqrtStepFused(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void {
  ahi ^= SIGN;
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  if ((t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF)) { set(0, 0x3ff80000); return; }
  if (t1 === T_INF || t2 === T_INF) { set(0, ((ahi ^ bhi) & SIGN) | D_INF_HI); return; }
  if (t1 === T_ZERO || t2 === T_ZERO) { set(0, 0x3ff80000); return; }
  dFmaNum(st, T_NUM, 0, 0x40080000, t1, alo, ahi, t2, blo, bhi, true);
}

// ---------------------------------------------------------------- max, min

function dMaxMin(st: FpState, alo: number, ahi: number, blo: number, bhi: number, max: boolean): void {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { dProcessNaNs(st, t1, t2, alo, ahi, blo, bhi); return; }
  const x = dNum(t1, alo, ahi), y = dNum(t2, blo, bhi);
  const pick1 = max ? x > y : x < y;
  const t = pick1 ? t1 : t2;
  const lo = pick1 ? alo : blo, hi = pick1 ? ahi : bhi;
  if (t === T_ZERO) {
    if (x === y) set(0, max ? (ahi & bhi & SIGN) : ((ahi | bhi) & SIGN));
    else set(0, hi & SIGN);
    return;
  }
  set(lo, hi);
}

export function dMax(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void { dMaxMin(st, alo, ahi, blo, bhi, true); }
export function dMin(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void { dMaxMin(st, alo, ahi, blo, bhi, false); }

function dMaxMinNum(st: FpState, alo: number, ahi: number, blo: number, bhi: number, max: boolean): void {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  const inf = max ? (SIGN | D_INF_HI) : D_INF_HI;
  if (t1 === T_QNAN && t2 !== T_QNAN) { alo = 0; ahi = inf; }
  else if (t1 !== T_QNAN && t2 === T_QNAN) { blo = 0; bhi = inf; }
  dMaxMin(st, alo, ahi, blo, bhi, max);
}

export function dMaxNum(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void { dMaxMinNum(st, alo, ahi, blo, bhi, true); }
export function dMinNum(st: FpState, alo: number, ahi: number, blo: number, bhi: number): void { dMaxMinNum(st, alo, ahi, blo, bhi, false); }

// ---------------------------------------------------------------- compare

export function dCompare(st: FpState, alo: number, ahi: number, blo: number, bhi: number, signalAllNaNs: boolean): number {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) {
    if (t1 === T_SNAN || t2 === T_SNAN || signalAllNaNs) st.fpsr |= IOC;
    return 3;
  }
  const x = dNum(t1, alo, ahi), y = dNum(t2, blo, bhi);
  return x === y ? 6 : x < y ? 8 : 2;
}

export function dCompareEq(st: FpState, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) {
    if (t1 === T_SNAN || t2 === T_SNAN) st.fpsr |= IOC;
    return false;
  }
  return dNum(t1, alo, ahi) === dNum(t2, blo, bhi);
}

export function dCompareGe(st: FpState, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { st.fpsr |= IOC; return false; }
  return dNum(t1, alo, ahi) >= dNum(t2, blo, bhi);
}

export function dCompareGt(st: FpState, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const t1 = dType(st, alo, ahi), t2 = dType(st, blo, bhi);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { st.fpsr |= IOC; return false; }
  return dNum(t1, alo, ahi) > dNum(t2, blo, bhi);
}

// ---------------------------------------------------------------- the exact slow path (BigInt)

let bM = 0n, bE = 0;

/** |value| of a numeric operand as bM * 2^bE (a flushed denormal is 0). */
function unpackBig(t: number, lo: number, hi: number): void {
  if (t === T_ZERO) { bM = 0n; bE = 0; return; }
  const e = (hi >>> 20) & 0x7ff;
  const f = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  if (e === 0) { bM = f; bE = -1074; } else { bM = f | (1n << 52n); bE = e - 1075; }
}

function bitLen(x: bigint): number { return x === 0n ? 0 : x.toString(2).length; }

function finishBig(st: FpState, s: bigint, exp: number, rnd: number): void {
  if (s === 0n) { exactZero(st); return; }
  roundBig(st, 64, s < 0n, s < 0n ? -s : s, exp, rnd, false);
}

function slowAdd(st: FpState, t1: number, t2: number, alo: number, ahi: number, blo: number, bhi: number, rnd: number): void {
  unpackBig(t1, alo, ahi);
  let m1 = ahi < 0 ? -bM : bM; const e1 = bE;
  unpackBig(t2, blo, bhi);
  let m2 = bhi < 0 ? -bM : bM; const e2 = bE;
  const e = Math.min(e1, e2);
  m1 <<= BigInt(e1 - e); m2 <<= BigInt(e2 - e);
  finishBig(st, m1 + m2, e, rnd);
}

/** (fma ? c : 0) + a*b, scaled by 2^scale, rounded once. */
function slowMulAdd(st: FpState, fma: boolean, clo: number, chi: number, t1: number, alo: number, ahi: number,
  t2: number, blo: number, bhi: number, scale: number, rnd: number, tc = T_NUM): void {
  unpackBig(t1, alo, ahi);
  const m1 = bM, e1 = bE;
  unpackBig(t2, blo, bhi);
  let p = m1 * bM; let ep = e1 + bE;
  if ((ahi ^ bhi) < 0) p = -p;
  if (fma) {
    unpackBig(tc, clo, chi);
    let mc = chi < 0 ? -bM : bM; const ec = bE;
    const e = Math.min(ep, ec);
    p <<= BigInt(ep - e); mc <<= BigInt(ec - e);
    p += mc; ep = e;
  }
  finishBig(st, p, ep + scale, rnd);
}

function slowDiv(st: FpState, t1: number, alo: number, ahi: number, t2: number, blo: number, bhi: number, rnd: number): void {
  unpackBig(t1, alo, ahi);
  const m1 = bM, e1 = bE;
  unpackBig(t2, blo, bhi);
  const k = Math.max(0, 64 + bitLen(bM) - bitLen(m1));
  const num = m1 << BigInt(k);
  let q = num / bM;
  q = (q << 1n) | (num % bM !== 0n ? 1n : 0n);
  if ((ahi ^ bhi) < 0) q = -q;
  finishBig(st, q, e1 - bE - k - 1, rnd);
}

function slowSqrt(st: FpState, alo: number, ahi: number, rnd: number): void {
  unpackBig(T_NUM, alo, ahi);
  let m = bM, e = bE;
  if ((e & 1) !== 0) { m <<= 1n; e -= 1; }
  const k = Math.max(0, Math.ceil((140 - bitLen(m)) / 2));
  m <<= BigInt(2 * k); e -= 2 * k;
  let x = 1n << BigInt((bitLen(m) >> 1) + 1);
  for (;;) { const y = (x + m / x) >> 1n; if (y >= x) break; x = y; }
  const r = (x << 1n) | (x * x !== m ? 1n : 0n);
  finishBig(st, r, e / 2 - 1, rnd);
}
