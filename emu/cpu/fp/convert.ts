// Conversions (Arm ARM FPConvert, FPToFixed, FixedToFP, FPRoundInt) on bit patterns.
//
// Every source value is a double exactly (an int64 is an exact double-double H + L), so each result
// is one rounding of a known double plus the sign of a remainder: Math.fround or the native value for
// the common round-to-nearest case, roundDouble() (core.ts) otherwise. No BigInt.

import { R, LO, HI, neg64 } from '../int64.js';
import {
  FpState, IOC, IXC, FPCR_AHP, FPCR_DN, RND_TIEEVEN, RND_POSINF, RND_NEGINF, RND_ZERO, RND_TIEAWAY,
  T_ZERO, T_NUM, T_INF, T_QNAN, T_SNAN, F64, F64W, F32, F32W, fpcrRounding, roundDouble, pow2, twoSumErr,
} from './core.js';
import { sType, sNum, S_DEFAULT_NAN, sRound, sProcessNaN } from './f32.js';
import { dType, dNum, dProcessNaN } from './f64.js';

const SIGN = 0x80000000 | 0;
const TWO32 = 4294967296;
const MIN_NORMAL_S = 1.1754943508222875e-38;
const MAX_FLOAT = 3.4028234663852886e38;

// ---------------------------------------------------------------- between binary16, 32 and 64

/** FPUnpackCV type of a binary16 value (no flushing: FZ16 is forced off; AHP: no infinities or NaNs). */
function hType(st: FpState, h: number): number {
  const e = h & 0x7c00;
  if (e === 0) return (h & 0x3ff) === 0 ? T_ZERO : T_NUM;
  if (e !== 0x7c00 || (st.fpcr & FPCR_AHP) !== 0) return T_NUM;
  if ((h & 0x3ff) === 0) return T_INF;
  return (h & 0x200) !== 0 ? T_QNAN : T_SNAN;
}

function hNum(h: number): number {
  const e = (h >>> 10) & 0x1f, f = h & 0x3ff;
  const v = e === 0 ? f * 5.960464477539063e-8 : (f + 1024) * pow2(e - 25);
  return (h & 0x8000) !== 0 ? -v : v;
}

/** FPConvert binary16 -> binary32 (exact). */
export function hToS(st: FpState, h: number): number {
  const t = hType(st, h);
  const sign = (h & 0x8000) << 16;
  if (t >= T_QNAN) {
    if (t === T_SNAN) st.fpsr |= IOC;
    if ((st.fpcr & FPCR_DN) !== 0) return S_DEFAULT_NAN;
    return sign | 0x7fc00000 | ((h & 0x1ff) << 13);
  }
  if (t === T_INF) return sign | 0x7f800000;
  if (t === T_ZERO) return sign;
  F32[0] = hNum(h); return F32W[0];
}

/** FPConvert binary16 -> binary64 (exact), into R. */
export function hToD(st: FpState, h: number): void {
  const t = hType(st, h);
  const sign = (h & 0x8000) << 16;
  if (t >= T_QNAN) {
    if (t === T_SNAN) st.fpsr |= IOC;
    R[LO] = 0;
    R[HI] = (st.fpcr & FPCR_DN) !== 0 ? 0x7ff80000 : sign | 0x7ff80000 | ((h & 0x1ff) << 10);
    return;
  }
  if (t === T_INF) { R[LO] = 0; R[HI] = sign | 0x7ff00000; return; }
  if (t === T_ZERO) { R[LO] = 0; R[HI] = sign; return; }
  F64[0] = hNum(h); R[LO] = F64W[0]; R[HI] = F64W[1];
}

/** FPConvert to binary16 of a non-numeric source (type t, sign bit 0x8000 or 0, NaN payload top bits). */
function toHSpecial(st: FpState, t: number, sign: number, payload: number): number {
  const ahp = (st.fpcr & FPCR_AHP) !== 0;
  if (t >= T_QNAN) {
    if (t === T_SNAN || ahp) st.fpsr |= IOC;
    if (ahp) return sign;
    if ((st.fpcr & FPCR_DN) !== 0) return 0x7e00;
    return sign | 0x7e00 | payload;
  }
  if (t === T_INF) {
    if (ahp) { st.fpsr |= IOC; return sign | 0x7fff; }
    return sign | 0x7c00;
  }
  return sign; // zero
}

/** FPConvert binary32 -> binary16 (FPCR rounding, AHP). */
export function sToH(st: FpState, a: number): number {
  const t = sType(st, a);
  if (t !== T_NUM) return toHSpecial(st, t, (a >>> 16) & 0x8000, (a >>> 13) & 0x1ff);
  return roundDouble(st, 16, sNum(t, a), 0, fpcrRounding(st), (st.fpcr & FPCR_AHP) !== 0);
}

/** FPConvert binary64 -> binary16. */
export function dToH(st: FpState, lo: number, hi: number): number {
  const t = dType(st, lo, hi);
  if (t !== T_NUM) return toHSpecial(st, t, (hi >>> 16) & 0x8000, (hi >>> 10) & 0x1ff);
  return roundDouble(st, 16, dNum(t, lo, hi), 0, fpcrRounding(st), (st.fpcr & FPCR_AHP) !== 0);
}

/** FPConvert binary32 -> binary64 (exact), into R. */
export function sToD(st: FpState, a: number): void {
  const t = sType(st, a);
  if (t >= T_QNAN) {
    if (t === T_SNAN) st.fpsr |= IOC;
    if ((st.fpcr & FPCR_DN) !== 0) { R[LO] = 0; R[HI] = 0x7ff80000; return; }
    R[LO] = (a & 7) << 29;
    R[HI] = (a & SIGN) | 0x7ff80000 | ((a & 0x3fffff) >>> 3);
    return;
  }
  if (t === T_INF) { R[LO] = 0; R[HI] = (a & SIGN) | 0x7ff00000; return; }
  if (t === T_ZERO) { R[LO] = 0; R[HI] = a & SIGN; return; }
  F64[0] = sNum(t, a); R[LO] = F64W[0]; R[HI] = F64W[1];
}

/** FPConvert binary64 -> binary32; rounding defaults to the FPCR's (FCVTXN passes RND_ODD). */
export function dToS(st: FpState, lo: number, hi: number, rounding = -1): number {
  const t = dType(st, lo, hi);
  if (t >= T_QNAN) {
    if (t === T_SNAN) st.fpsr |= IOC;
    if ((st.fpcr & FPCR_DN) !== 0) return S_DEFAULT_NAN;
    return (hi & SIGN) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
  }
  if (t === T_INF) return (hi & SIGN) | 0x7f800000;
  if (t === T_ZERO) return hi & SIGN;
  const x = dNum(t, lo, hi);
  const rnd = rounding < 0 ? fpcrRounding(st) : rounding;
  if (rnd === RND_TIEEVEN) {
    const ax = x < 0 ? -x : x;
    if (ax > MIN_NORMAL_S && ax < MAX_FLOAT) {
      const f = Math.fround(x);
      if (f !== x) st.fpsr |= IXC;
      F32[0] = f; return F32W[0];
    }
  }
  return roundDouble(st, 32, x, 0, rnd, false);
}

// ---------------------------------------------------------------- to integer and fixed point

/** FPToFixed's rounding of x (a double) to an integer, with saturation to 32 or 64 bits; into R
 * (a 32-bit result in R[LO] with R[HI] = 0), flags IOC (NaN, out of range) or IXC. */
function toFixed(st: FpState, x: number, nan: boolean, unsigned: boolean, rounding: number, is64: boolean): void {
  if (nan) { st.fpsr |= IOC; R[LO] = 0; R[HI] = 0; return; }
  let n = Math.floor(x);
  const err = x - n;
  let up = false;
  if (err !== 0) {
    switch (rounding) {
      case RND_TIEEVEN: up = err > 0.5 || (err === 0.5 && n % 2 !== 0); break;
      case RND_POSINF: up = true; break;
      case RND_NEGINF: up = false; break;
      case RND_ZERO: up = n < 0; break;
      case RND_TIEAWAY: up = err > 0.5 || (err === 0.5 && n >= 0); break;
    }
  }
  if (up) n += 1;
  // saturate (n is an exact integer double; err is NaN for infinities, which saturate)
  if (is64) {
    if (unsigned) {
      if (n < 0) { st.fpsr |= IOC; R[LO] = 0; R[HI] = 0; return; }
      if (n >= 18446744073709551616) { st.fpsr |= IOC; R[LO] = -1; R[HI] = -1; return; }
    } else {
      if (n < -9223372036854775808) { st.fpsr |= IOC; R[LO] = 0; R[HI] = SIGN; return; }
      if (n >= 9223372036854775808) { st.fpsr |= IOC; R[LO] = -1; R[HI] = 0x7fffffff; return; }
    }
    const h = Math.floor(n / TWO32);
    R[LO] = (n - h * TWO32) | 0; R[HI] = h | 0;
  } else {
    R[HI] = 0;
    if (unsigned) {
      if (n < 0) { st.fpsr |= IOC; R[LO] = 0; return; }
      if (n > 4294967295) { st.fpsr |= IOC; R[LO] = -1; return; }
    } else {
      if (n < -2147483648) { st.fpsr |= IOC; R[LO] = SIGN; return; }
      if (n > 2147483647) { st.fpsr |= IOC; R[LO] = 0x7fffffff; return; }
    }
    R[LO] = n | 0;
  }
  if (err !== 0) st.fpsr |= IXC;
}

/** FPToFixed from binary32: fbits fraction bits (0 for FCVT*), result into R. */
export function sToInt(st: FpState, a: number, fbits: number, unsigned: boolean, rounding: number, is64: boolean): void {
  const t = sType(st, a);
  if (t === T_INF) { toFixed(st, a < 0 ? -Infinity : Infinity, false, unsigned, rounding, is64); return; }
  toFixed(st, t >= T_QNAN ? 0 : sNum(t, a) * pow2(fbits), t >= T_QNAN, unsigned, rounding, is64);
}

/** FPToFixed from binary64, into R. */
export function dToInt(st: FpState, lo: number, hi: number, fbits: number, unsigned: boolean, rounding: number, is64: boolean): void {
  const t = dType(st, lo, hi);
  if (t === T_INF) { toFixed(st, hi < 0 ? -Infinity : Infinity, false, unsigned, rounding, is64); return; }
  toFixed(st, t >= T_QNAN ? 0 : dNum(t, lo, hi) * pow2(fbits), t >= T_QNAN, unsigned, rounding, is64);
}

/** The integer operand of FixedToFP as H + L, an exact double-double (set in iH, iL); false for 0. */
let iH = 0, iL = 0;
function intValue(lo: number, hi: number, is64: boolean, unsigned: boolean, fbits: number): boolean {
  let neg = false;
  if (!is64) {
    iH = unsigned ? lo >>> 0 : lo | 0; iL = 0;
  } else {
    if (!unsigned && hi < 0) { neg64(lo, hi); lo = R[LO]; hi = R[HI]; neg = true; }
    const H = (hi >>> 0) * TWO32, L = lo >>> 0;
    iH = H + L; iL = twoSumErr(H, L, iH);
    if (neg) { iH = -iH; iL = -iL; }
  }
  if (iH === 0) return false;
  if (fbits !== 0) { const s = pow2(-fbits); iH *= s; iL *= s; }
  return true;
}

/** FixedToFP to binary32: the signed/unsigned 32/64-bit integer (lo, hi) / 2^fbits, rounded. */
export function intToS(st: FpState, lo: number, hi: number, is64: boolean, unsigned: boolean, fbits: number, rounding: number): number {
  if (!intValue(lo, hi, is64, unsigned, fbits)) return 0;
  return sRound(st, iH, iL, rounding);
}

/** FixedToFP to binary64, into R. */
export function intToD(st: FpState, lo: number, hi: number, is64: boolean, unsigned: boolean, fbits: number, rounding: number): void {
  if (!intValue(lo, hi, is64, unsigned, fbits)) { R[LO] = 0; R[HI] = 0; return; }
  const x = iH, rs = iL;
  F64[0] = x;
  let l = F64W[0], h = F64W[1];
  if (rs !== 0) { // iH is the round-to-nearest value: step to the neighbour for a directed mode
    st.fpsr |= IXC;
    let step = 0;
    if (rounding === RND_POSINF) { if (rs > 0) step = x > 0 ? 1 : -1; }
    else if (rounding === RND_NEGINF) { if (rs < 0) step = x < 0 ? 1 : -1; }
    else if (rounding === RND_ZERO) { if ((rs > 0) !== (x > 0)) step = -1; }
    else if (rounding === RND_TIEAWAY) { /* no ties: an int64 has at most 11 bits beyond 53 */ }
    if (step === 1) { l = (l + 1) | 0; if (l === 0) h = (h + 1) | 0; }
    else if (step === -1) { if (l === 0) h = (h - 1) | 0; l = (l - 1) | 0; }
  }
  R[LO] = l; R[HI] = h;
}

// ---------------------------------------------------------------- round to integral (FRINT*)

/** FPRoundInt's integer of x with its rounding; sets rIntErr. */
let rIntErr = 0;
function roundIntValue(x: number, rounding: number): number {
  let n = Math.floor(x);
  const err = x - n;
  rIntErr = err;
  let up = false;
  if (err !== 0) {
    switch (rounding) {
      case RND_TIEEVEN: up = err > 0.5 || (err === 0.5 && n % 2 !== 0); break;
      case RND_POSINF: up = true; break;
      case RND_ZERO: up = n < 0; break;
      case RND_TIEAWAY: up = err > 0.5 || (err === 0.5 && n >= 0); break;
    }
  }
  if (up) n += 1;
  return n;
}

/** FPRoundInt on binary32 (FRINT*): exact = FRINTX (raises IXC when the value changes). */
export function sRoundInt(st: FpState, a: number, rounding: number, exact: boolean): number {
  const t = sType(st, a);
  if (t >= T_QNAN) return sProcessNaN(st, t, a);
  if (t === T_INF) return a;
  if (t === T_ZERO) return a & SIGN;
  if ((a & 0x7f800000) >= 0x4b000000) return a; // |a| >= 2^23: already an integer
  const n = roundIntValue(sNum(t, a), rounding);
  if (exact && rIntErr !== 0) st.fpsr |= IXC;
  if (n === 0) return a & SIGN;
  F32[0] = n; return F32W[0];
}

/** FPRoundInt on binary64, into R. */
export function dRoundInt(st: FpState, lo: number, hi: number, rounding: number, exact: boolean): void {
  const t = dType(st, lo, hi);
  if (t >= T_QNAN) { dProcessNaN(st, t, lo, hi); return; }
  if (t === T_INF) { R[LO] = lo; R[HI] = hi; return; }
  if (t === T_ZERO) { R[LO] = 0; R[HI] = hi & SIGN; return; }
  if ((hi & 0x7ff00000) >= 0x43300000) { R[LO] = lo; R[HI] = hi; return; } // |a| >= 2^52
  const n = roundIntValue(dNum(t, lo, hi), rounding);
  if (exact && rIntErr !== 0) st.fpsr |= IXC;
  if (n === 0) { R[LO] = 0; R[HI] = hi & SIGN; return; }
  F64[0] = n; R[LO] = F64W[0]; R[HI] = F64W[1];
}
