// What every part of the FP library shares: the state it reads and writes, the exception flags, the
// FPRounding values, bit-pattern scratch views, and FPRound (Arm ARM FPRoundBase) in two exact forms:
//
// - roundDouble(): the value is a JS double x plus the sign of a residual (exact value = x + rs * tiny,
//   with |tiny| below every bit of x). Exact for binary16 and binary32 targets, whose 24 significand
//   bits and exponent range sit well inside a double's: every step is a scaling by a power of two, a
//   floor or a comparison. No BigInt.
// - roundBig(): the value is mant * 2^exp with a BigInt mant. The exact slow path for binary64 results
//   that the double fast paths cannot prove (subnormal or overflowing results, subnormal inputs,
//   directed-rounding FMA, huge exponent gaps): rare, so BigInt is allowed there.

import { R, LO, HI } from '../int64.js';

/** The FP state every operation reads (FPCR modes) and writes (FPSR cumulative flags); a Cpu is one. */
export interface FpState { fpcr: number; fpsr: number }

// FPSR cumulative exception bits.
export const IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;
// FPCR mode bits.
export const FPCR_AHP = 1 << 26, FPCR_DN = 1 << 25, FPCR_FZ = 1 << 24;

// FPRounding.
export const RND_TIEEVEN = 0, RND_POSINF = 1, RND_NEGINF = 2, RND_ZERO = 3, RND_TIEAWAY = 4, RND_ODD = 5;

/** FPRoundingMode(FPCR): RMode maps onto FPRounding 0..3 directly. */
export function fpcrRounding(st: FpState): number {
  return (st.fpcr >>> 22) & 3;
}

// FPType as the library classifies an operand (a flushed denormal is ZERO).
export const T_ZERO = 0, T_NUM = 1, T_INF = 2, T_QNAN = 3, T_SNAN = 4;

// Scratch views to move between bit patterns and floats (host little-endian, as cpu.ts asserts).
export const F64 = new Float64Array(1);
export const F64W = new Int32Array(F64.buffer);
export const F32 = new Float32Array(1);
export const F32W = new Int32Array(F32.buffer);

/** Bits of a non-NaN double into R. */
export function dBitsToR(x: number): void {
  F64[0] = x; R[LO] = F64W[0]; R[HI] = F64W[1];
}

/** The double with bits (lo, hi); only for non-NaN patterns. */
export function dVal(lo: number, hi: number): number {
  F64W[0] = lo; F64W[1] = hi; return F64[0];
}

/** The binary32 bits of a float value held in a double (exactly representable, non-NaN). */
export function sBits(f: number): number {
  F32[0] = f; return F32W[0];
}

/** The value of binary32 bits a (non-NaN). */
export function sVal(a: number): number {
  F32W[0] = a; return F32[0];
}

/** 2^k for any integer k in [-1074, 1023], exactly. */
export function pow2(k: number): number {
  if (k >= -1022) { F64W[0] = 0; F64W[1] = (k + 1023) << 20; return F64[0]; }
  return 2 ** k;
}

// Format parameters, indexed by N.
function fmtF(N: number): number { return N === 16 ? 10 : N === 32 ? 23 : 52; }
function fmtE(N: number): number { return N === 16 ? 5 : N === 32 ? 8 : 11; }

/**
 * FPRoundBase for N = 16 or 32 from a double: the exact value is x + rs * tiny (only the sign of rs is
 * used; x nonzero, finite). ahp: the N = 16 result is alternative half precision (FPConvert only).
 * Returns the result bits and ORs the flags into st.fpsr.
 */
export function roundDouble(st: FpState, N: number, x: number, rs: number, rnd: number, ahp: boolean): number {
  const F = fmtF(N), E = fmtE(N), emin = N === 16 ? -14 : -126;
  const neg = x < 0;
  const m = neg ? -x : x;
  const r = neg ? -rs : rs; // the residual's sign in the direction of growing magnitude
  const sign = neg ? (N === 32 ? 0x80000000 | 0 : 0x8000) : 0;
  // exponent = floor(log2(exact value))
  F64[0] = m;
  const hi = F64W[1], lo = F64W[0];
  let e = (hi >>> 20) & 0x7ff;
  let pow2exact: boolean;
  if (e !== 0) {
    pow2exact = (hi & 0xfffff) === 0 && lo === 0;
    e -= 1023;
  } else { // subnormal double (dToS of a tiny value)
    const fh = hi & 0xfffff;
    e = fh !== 0 ? -1074 + 52 - (Math.clz32(fh) - 12) : -1074 + 31 - Math.clz32(lo);
    pow2exact = m === pow2(e);
  }
  if (pow2exact && r < 0) e -= 1; // just below a power of two
  // Flush to zero (FZ; binary16 has FZ16, absent in ARMv8.0): before rounding, with UFC and no IXC.
  if ((st.fpcr & FPCR_FZ) !== 0 && N !== 16 && e < emin) {
    st.fpsr |= UFC;
    return sign;
  }
  let biased = e - emin + 1;
  if (biased < 0) biased = 0;
  const lsb = biased === 0 ? emin - F : e - F;
  const t = lsb < -1000 ? (m * pow2(-lsb - 600)) * pow2(600) : m * pow2(-lsb); // exact
  let n = Math.floor(t);
  let frac = t - n; // exact, in [0, 1)
  if (frac === 0 && r < 0) { n -= 1; frac = 1; } // error just below 1
  const inexact = frac !== 0 || r !== 0;
  const gtHalf = frac > 0.5 || (frac === 0.5 && r > 0);
  const eqHalf = frac === 0.5 && r === 0;
  if (biased === 0 && inexact) st.fpsr |= UFC;
  let up: boolean, toInf: boolean;
  switch (rnd) {
    case RND_TIEEVEN: up = gtHalf || (eqHalf && (n & 1) === 1); toInf = true; break;
    case RND_POSINF: up = inexact && !neg; toInf = !neg; break;
    case RND_NEGINF: up = inexact && neg; toInf = neg; break;
    case RND_TIEAWAY: up = gtHalf || eqHalf; toInf = true; break;
    default: up = false; toInf = false; // ZERO, ODD
  }
  if (up) {
    n += 1;
    if (n === 1 << F) biased = 1; // a denormal rounded up to the smallest normal
    if (n === 1 << (F + 1)) { biased += 1; n = n / 2; }
  }
  if (inexact && rnd === RND_ODD) n |= 1;
  let res: number;
  if (N !== 16 || !ahp) {
    if (biased >= (1 << E) - 1) {
      st.fpsr |= OFC | IXC;
      return toInf ? sign | (((1 << E) - 1) << F) : sign | ((((1 << E) - 1) << F) - 1);
    }
    res = sign | (biased << F) | (n & ((1 << F) - 1));
  } else {
    if (biased >= 1 << E) { st.fpsr |= IOC; return sign | 0x7fff; }
    res = sign | (biased << F) | (n & ((1 << F) - 1));
  }
  if (inexact) st.fpsr |= IXC;
  return res;
}

/**
 * FPRoundBase for any N on an exact value (-1)^neg * mant * 2^exp, mant > 0 (BigInt: the slow path).
 * For N = 64 the result goes to R and 0 is returned; otherwise the bits are returned.
 */
export function roundBig(st: FpState, N: number, neg: boolean, mant: bigint, exp: number, rnd: number, ahp: boolean): number {
  const F = fmtF(N), E = fmtE(N), emin = N === 16 ? -14 : N === 32 ? -126 : -1022;
  const L = mant.toString(2).length;
  const e = exp + L - 1;
  if ((st.fpcr & FPCR_FZ) !== 0 && N !== 16 && e < emin) {
    st.fpsr |= UFC;
    return packBig(N, neg, 0, 0n);
  }
  let biased = e - emin + 1;
  if (biased < 0) biased = 0;
  const lsb = biased === 0 ? emin - F : e - F;
  const sh = lsb - exp;
  let n: bigint, inexact = false, gtHalf = false, eqHalf = false;
  if (sh > 0) {
    const bsh = BigInt(sh);
    n = mant >> bsh;
    const rem = mant & ((1n << bsh) - 1n);
    const half = 1n << (bsh - 1n);
    inexact = rem !== 0n; gtHalf = rem > half; eqHalf = rem === half;
  } else {
    n = mant << BigInt(-sh);
  }
  if (biased === 0 && inexact) st.fpsr |= UFC;
  let up: boolean, toInf: boolean;
  switch (rnd) {
    case RND_TIEEVEN: up = gtHalf || (eqHalf && (n & 1n) === 1n); toInf = true; break;
    case RND_POSINF: up = inexact && !neg; toInf = !neg; break;
    case RND_NEGINF: up = inexact && neg; toInf = neg; break;
    case RND_TIEAWAY: up = gtHalf || eqHalf; toInf = true; break;
    default: up = false; toInf = false;
  }
  if (up) {
    n += 1n;
    if (n === 1n << BigInt(F)) biased = 1;
    if (n === 1n << BigInt(F + 1)) { biased += 1; n >>= 1n; }
  }
  if (inexact && rnd === RND_ODD) n |= 1n;
  const emax = (1 << E) - 1;
  if (N !== 16 || !ahp) {
    if (biased >= emax) {
      st.fpsr |= OFC | IXC;
      return toInf ? packBig(N, neg, emax, 0n) : packBig(N, neg, emax - 1, (1n << BigInt(F)) - 1n);
    }
  } else if (biased >= 1 << E) {
    st.fpsr |= IOC;
    return packBig(N, neg, 31, 0x3ffn);
  }
  if (inexact) st.fpsr |= IXC;
  return packBig(N, neg, biased, n & ((1n << BigInt(F)) - 1n));
}

function packBig(N: number, neg: boolean, bexp: number, frac: bigint): number {
  if (N === 64) {
    const f = Number(frac);
    R[LO] = f % 4294967296 | 0;
    R[HI] = (neg ? 0x80000000 : 0) | (bexp << 20) | Math.floor(f / 4294967296);
    return 0;
  }
  const F = fmtF(N);
  return (neg ? (N === 32 ? 0x80000000 | 0 : 0x8000) : 0) | (bexp << F) | Number(frac);
}

// ---------------------------------------------------------------- error-free transformations

/** The error of a + b = s (TwoSum, Knuth): exact when nothing overflows. */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)

/** The error of a * b = p (Dekker's TwoProduct with Veltkamp splitting): exact when |a|, |b| < 2^995
 * and the product's low bits stay above 2^-1074. */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
