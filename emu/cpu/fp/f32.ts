// binary32 arithmetic (Arm ARM FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd, FPMax/Min(Num), FPCompare*,
// FPMulX, FPRecipStepFused, FPRSqrtStepFused) on bit patterns.
//
// Exactness: a binary32 operand is a double exactly; a sum or product of two of them and the
// TwoSum/TwoProduct residual of a quotient or root are exact in doubles, so each operation builds
// the exact result as a double x plus the sign of what is left (rs), and sRound() rounds that once to
// binary32 in the requested mode (Math.fround for the common round-to-nearest case).

import { FpState, roundDouble, twoSumErr, twoProdErr } from './core.js';

// Local copies of core.ts's constants: V8 folds a module's own constants, not imported bindings.
const IOC = 1, DZC = 2, IXC = 16, IDC = 128, FPCR_DN = 1 << 25, FPCR_FZ = 1 << 24;
const RND_TIEEVEN = 0, RND_NEGINF = 2;
const T_ZERO = 0, T_NUM = 1, T_INF = 2, T_QNAN = 3, T_SNAN = 4;
const fpcrRounding = (st: FpState): number => (st.fpcr >>> 22) & 3;

// Scratch views of this module's own (a local binding is cheaper than an imported one in V8).
const F64 = new Float64Array(1);
const F64W = new Int32Array(F64.buffer);
const F32 = new Float32Array(1);
const F32W = new Int32Array(F32.buffer);

export const S_DEFAULT_NAN = 0x7fc00000;
const S_INF = 0x7f800000, S_NINF = 0xff800000 | 0, S_SIGN = 0x80000000 | 0;
const MIN_NORMAL = 1.1754943508222875e-38; // 2^-126
const MAX_FLOAT = 3.4028234663852886e38;

/** FPUnpack's type of a (FZ: a denormal is ZERO with IDC). */
export function sType(st: FpState, a: number): number {
  const e = a & 0x7f800000;
  if (e === 0) {
    if ((a & 0x7fffff) === 0) return T_ZERO;
    if ((st.fpcr & FPCR_FZ) !== 0) { st.fpsr |= IDC; return T_ZERO; }
    return T_NUM;
  }
  if (e !== 0x7f800000) return T_NUM;
  if ((a & 0x7fffff) === 0) return T_INF;
  return (a & 0x400000) !== 0 ? T_QNAN : T_SNAN;
}

/** The value of a numeric operand of type t (ZERO: the signed zero, also for a flushed denormal). */
export function sNum(t: number, a: number): number {
  if (t === T_ZERO) return a < 0 ? -0 : 0;
  F32W[0] = a; return F32[0];
}

/** FPProcessNaN. */
export function sProcessNaN(st: FpState, t: number, a: number): number {
  if (t === T_SNAN) { st.fpsr |= IOC; a |= 0x400000; }
  return (st.fpcr & FPCR_DN) !== 0 ? S_DEFAULT_NAN : a;
}

/** FPProcessNaNs: the first signalling NaN in operand order, else the first quiet one. */
export function sProcessNaNs(st: FpState, t1: number, t2: number, a: number, b: number): number {
  if (t1 === T_SNAN) return sProcessNaN(st, t1, a);
  if (t2 === T_SNAN) return sProcessNaN(st, t2, b);
  if (t1 === T_QNAN) return sProcessNaN(st, t1, a);
  return sProcessNaN(st, t2, b);
}

function sInvalid(st: FpState): number {
  st.fpsr |= IOC; return S_DEFAULT_NAN;
}

/** A zero result of an exact cancellation: -0 only when rounding toward minus infinity. */
function sExactZero(st: FpState): number {
  return fpcrRounding(st) === RND_NEGINF ? S_SIGN : 0;
}

/**
 * Round x + rs * tiny (x nonzero: the exact result with only the sign of the remainder in rs) to
 * binary32 in mode rnd. The common case (normal result, round to nearest) is Math.fround: rounding the
 * 53-bit x directly is right unless x is a binary32 midpoint and rs says on which side the exact value
 * lies; that and everything else (directed modes, tiny results, overflow) goes to roundDouble().
 */
export function sRound(st: FpState, x: number, rs: number, rnd: number): number {
  if (rnd === RND_TIEEVEN) {
    const ax = x < 0 ? -x : x;
    if (ax > MIN_NORMAL && ax < MAX_FLOAT) {
      const f = Math.fround(x);
      if (rs === 0) {
        if (f !== x) st.fpsr |= IXC;
        F32[0] = f; return F32W[0];
      }
      st.fpsr |= IXC;
      if (f === x) { F32[0] = f; return F32W[0]; }
      F64[0] = x;
      if ((F64W[0] & 0x1fffffff) !== 0x10000000) { F32[0] = f; return F32W[0]; } // not a midpoint
    }
  }
  return roundDouble(st, 32, x, rs, rnd, false);
}

// ---------------------------------------------------------------- add, sub, mul, div, sqrt
// Each starts with the common case, every operand a normal number (exponent field 1..254), which
// needs no classification.

/** a is a normal number (not zero, denormal, infinity or NaN). */
const isNormal = (a: number): boolean => ((((a >>> 23) & 0xff) - 1) >>> 0) < 254;

export function sAdd(st: FpState, a: number, b: number): number {
  if (isNormal(a) && isNormal(b)) return sAddNormal(st, a, b);
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  return sAddNum(st, t1, t2, a, b);
}

export function sSub(st: FpState, a: number, b: number): number {
  if (isNormal(a) && isNormal(b)) return sAddNormal(st, a, b ^ S_SIGN);
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  return sAddNum(st, t1, t2, a, b ^ S_SIGN);
}

function sAddNormal(st: FpState, a: number, b: number): number {
  F32W[0] = a; const x = F32[0];
  F32W[0] = b; const y = F32[0];
  const s = x + y;
  if (s === 0) return sExactZero(st);
  return sRound(st, s, twoSumErr(x, y, s), fpcrRounding(st));
}

function sAddNum(st: FpState, t1: number, t2: number, a: number, b: number): number {
  if (t1 === T_INF || t2 === T_INF) {
    if (t1 === T_INF && t2 === T_INF && (a ^ b) < 0) return sInvalid(st);
    return t1 === T_INF ? a : b;
  }
  if (t1 === T_ZERO && t2 === T_ZERO) return (a ^ b) < 0 ? sExactZero(st) : a & S_SIGN;
  const x = sNum(t1, a), y = sNum(t2, b);
  const s = x + y;
  const e = twoSumErr(x, y, s);
  if (s === 0) return sExactZero(st);
  return sRound(st, s, e, fpcrRounding(st));
}

export function sMul(st: FpState, a: number, b: number): number {
  if (isNormal(a) && isNormal(b)) {
    F32W[0] = a; const x = F32[0];
    F32W[0] = b;
    return sRound(st, x * F32[0], 0, fpcrRounding(st));
  }
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  const sign = (a ^ b) & S_SIGN;
  if (t1 === T_INF || t2 === T_INF) {
    if (t1 === T_ZERO || t2 === T_ZERO) return sInvalid(st);
    return sign | S_INF;
  }
  if (t1 === T_ZERO || t2 === T_ZERO) return sign;
  return sRound(st, sNum(t1, a) * sNum(t2, b), 0, fpcrRounding(st)); // the product is exact
}

/** FMULX: FPMul except infinity * zero = 2.0 with the product's sign. */
export function sMulX(st: FpState, a: number, b: number): number {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  const sign = (a ^ b) & S_SIGN;
  if (t1 === T_INF || t2 === T_INF) {
    if (t1 === T_ZERO || t2 === T_ZERO) return sign | 0x40000000;
    return sign | S_INF;
  }
  if (t1 === T_ZERO || t2 === T_ZERO) return sign;
  return sRound(st, sNum(t1, a) * sNum(t2, b), 0, fpcrRounding(st));
}

export function sDiv(st: FpState, a: number, b: number): number {
  if (isNormal(a) && isNormal(b)) {
    F32W[0] = a; const x = F32[0];
    F32W[0] = b;
    return sDivNum(st, x, F32[0]);
  }
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  const sign = (a ^ b) & S_SIGN;
  if ((t1 === T_INF && t2 === T_INF) || (t1 === T_ZERO && t2 === T_ZERO)) return sInvalid(st);
  if (t1 === T_INF || t2 === T_ZERO) {
    if (t1 !== T_INF) st.fpsr |= DZC;
    return sign | S_INF;
  }
  if (t1 === T_ZERO || t2 === T_INF) return sign;
  return sDivNum(st, sNum(t1, a), sNum(t2, b));
}

function sDivNum(st: FpState, x: number, y: number): number {
  const q = x / y;
  // exact quotient - q has the sign of (x - q*y) / y; x - q*y is exact as (x - p) - e.
  const p = q * y;
  const r = (x - p) - twoProdErr(q, y, p);
  return sRound(st, q, y < 0 ? -r : r, fpcrRounding(st));
}

export function sSqrt(st: FpState, a: number): number {
  const t = sType(st, a);
  if (t >= T_QNAN) return sProcessNaN(st, t, a);
  if (t === T_ZERO) return a & S_SIGN;
  if (a < 0) return sInvalid(st);
  if (t === T_INF) return a;
  const x = sNum(t, a);
  const s = Math.sqrt(x);
  const p = s * s;
  return sRound(st, s, (x - p) - twoProdErr(s, s, p), fpcrRounding(st));
}

// ---------------------------------------------------------------- fused multiply-add

/** Round c + x*y once: the product is exact in a double and TwoSum gives the sum's remainder (a zero
 * sum is exact). half: the result is halved first (FRSQRTS), exactly. */
function sFmaNum(st: FpState, c: number, x: number, y: number, half: boolean): number {
  const p = x * y;
  let s = c + p;
  let e = twoSumErr(c, p, s);
  if (s === 0 && e === 0) return sExactZero(st);
  if (half) { s *= 0.5; e *= 0.5; }
  return sRound(st, s, e, fpcrRounding(st));
}

/** FPMulAdd: addend + a*b rounded once. */
export function sMulAdd(st: FpState, addend: number, a: number, b: number): number {
  if (isNormal(addend) && isNormal(a) && isNormal(b)) {
    F32W[0] = addend; const c = F32[0];
    F32W[0] = a; const x = F32[0];
    F32W[0] = b;
    return sFmaNum(st, c, x, F32[0], false);
  }
  const tA = sType(st, addend), t1 = sType(st, a), t2 = sType(st, b);
  const infZero = (t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF);
  if (tA >= T_QNAN || t1 >= T_QNAN || t2 >= T_QNAN) {
    // FPProcessNaNs3 (addend first), but a quiet-NaN addend with infinity * zero is the default NaN.
    if (tA === T_QNAN && infZero) return sInvalid(st);
    if (tA === T_SNAN) return sProcessNaN(st, tA, addend);
    if (t1 === T_SNAN) return sProcessNaN(st, t1, a);
    if (t2 === T_SNAN) return sProcessNaN(st, t2, b);
    if (tA === T_QNAN) return sProcessNaN(st, tA, addend);
    if (t1 === T_QNAN) return sProcessNaN(st, t1, a);
    return sProcessNaN(st, t2, b);
  }
  const signP = (a ^ b) & S_SIGN;
  const infP = t1 === T_INF || t2 === T_INF, zeroP = t1 === T_ZERO || t2 === T_ZERO;
  if (infZero || (tA === T_INF && infP && (addend & S_SIGN) !== signP)) return sInvalid(st);
  if (tA === T_INF) return addend;
  if (infP) return signP | S_INF;
  if (tA === T_ZERO && zeroP) return (addend & S_SIGN) === signP ? signP : sExactZero(st);
  return sFmaNum(st, sNum(tA, addend), sNum(t1, a), sNum(t2, b), false);
}

/** FRECPS: FPRecipStepFused, 2 - a*b rounded once (infinity * zero gives 2.0). */
export function sRecipStepFused(st: FpState, a: number, b: number): number {
  a ^= S_SIGN;
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  if ((t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF)) return 0x40000000;
  if (t1 === T_INF || t2 === T_INF) return ((a ^ b) & S_SIGN) | S_INF;
  return sFmaNum(st, 2, sNum(t1, a), sNum(t2, b), false);
}

/** FRSQRTS: FPRSqrtStepFused, (3 - a*b) / 2 rounded once (infinity * zero gives 1.5). */
export function sRSqrtStepFused(st: FpState, a: number, b: number): number {
  a ^= S_SIGN;
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  if ((t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF)) return 0x3fc00000;
  if (t1 === T_INF || t2 === T_INF) return ((a ^ b) & S_SIGN) | S_INF;
  return sFmaNum(st, 3, sNum(t1, a), sNum(t2, b), true);
}

// ---------------------------------------------------------------- max, min

function sMaxMin(st: FpState, a: number, b: number, max: boolean): number {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) return sProcessNaNs(st, t1, t2, a, b);
  const x = sNum(t1, a), y = sNum(t2, b);
  const pick1 = max ? x > y : x < y;
  const t = pick1 ? t1 : t2, v = pick1 ? a : b;
  if (t === T_ZERO) {
    // both zero, or the chosen one: max of zeros is +0 unless both are -0; min is -0 if either is.
    if (x === y) return max ? (a & b & S_SIGN) : ((a | b) & S_SIGN);
    return v & S_SIGN;
  }
  return v; // FPRound of a representable value (a denormal stays, with no flags)
}

export function sMax(st: FpState, a: number, b: number): number { return sMaxMin(st, a, b, true); }
export function sMin(st: FpState, a: number, b: number): number { return sMaxMin(st, a, b, false); }

/** FPMaxNum/FPMinNum: a single quiet NaN loses against a number (it acts as -inf for max, +inf for min). */
function sMaxMinNum(st: FpState, a: number, b: number, max: boolean): number {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 === T_QNAN && t2 !== T_QNAN) a = max ? S_NINF : S_INF;
  else if (t1 !== T_QNAN && t2 === T_QNAN) b = max ? S_NINF : S_INF;
  return sMaxMin(st, a, b, max);
}

export function sMaxNum(st: FpState, a: number, b: number): number { return sMaxMinNum(st, a, b, true); }
export function sMinNum(st: FpState, a: number, b: number): number { return sMaxMinNum(st, a, b, false); }

// ---------------------------------------------------------------- compare

/** FPCompare: the NZCV nibble (unordered 0011, equal 0110, less 1000, greater 0010). */
export function sCompare(st: FpState, a: number, b: number, signalAllNaNs: boolean): number {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) {
    if (t1 === T_SNAN || t2 === T_SNAN || signalAllNaNs) st.fpsr |= IOC;
    return 3;
  }
  const x = sNum(t1, a), y = sNum(t2, b);
  return x === y ? 6 : x < y ? 8 : 2;
}

/** FPCompareEQ (quiet: only signalling NaNs raise IOC). */
export function sCompareEq(st: FpState, a: number, b: number): boolean {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) {
    if (t1 === T_SNAN || t2 === T_SNAN) st.fpsr |= IOC;
    return false;
  }
  return sNum(t1, a) === sNum(t2, b);
}

/** FPCompareGE (signalling: any NaN raises IOC). */
export function sCompareGe(st: FpState, a: number, b: number): boolean {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { st.fpsr |= IOC; return false; }
  return sNum(t1, a) >= sNum(t2, b);
}

/** FPCompareGT (signalling). */
export function sCompareGt(st: FpState, a: number, b: number): boolean {
  const t1 = sType(st, a), t2 = sType(st, b);
  if (t1 >= T_QNAN || t2 >= T_QNAN) { st.fpsr |= IOC; return false; }
  return sNum(t1, a) > sNum(t2, b);
}


