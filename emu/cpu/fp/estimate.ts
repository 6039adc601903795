// The reciprocal and reciprocal square root estimates of the Arm ARM (shared/functions/float:
// RecipEstimate, RecipSqrtEstimate, FPRecipEstimate, FPRSqrtEstimate, FPRecpX, UnsignedRecipEstimate,
// UnsignedRSqrtEstimate) for FRECPE, FRSQRTE, FRECPX, URECPE and URSQRTE. ARMv8.0 (no FEAT_RPRES):
// 8-bit estimates from the two 9-bit tables, which are built once here from the pseudocode's own
// loops. Operands and results are bit patterns: binary32 as int32, binary64 as (lo, hi) with the result
// in int64.ts's R.

import { R, LO, HI } from '../int64.js';

/** What the estimates read and write: FPCR's modes and FPSR's cumulative flags. */
export interface EstState { fpcr: number; fpsr: number }

const FZ = 1 << 24, DN = 1 << 25;
const IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;

/** RecipEstimate(a) for a = 256..511 (a 9-bit fixed-point value in [0.5, 1)), indexed by a - 256. */
const RECIP = new Uint16Array(256);
/** RecipSqrtEstimate(a) for a = 128..511 (a value in [0.25, 1)), indexed by a - 128. */
const RSQRT = new Uint16Array(384);
for (let a = 256; a < 512; a++) {
  const b = Math.floor((1 << 19) / (a * 2 + 1));
  RECIP[a - 256] = (b + 1) >> 1;
}
for (let a0 = 128; a0 < 512; a0++) {
  const a = a0 < 256 ? a0 * 2 + 1 : (((a0 >> 1) << 1) + 1) * 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  RSQRT[a0 - 128] = (b + 1) >> 1;
}

/** The RMode field says an overflow goes to infinity (rather than the largest normal) for this sign. */
function overflowToInf(fpcr: number, neg: boolean): boolean {
  switch ((fpcr >>> 22) & 3) {
    case 0: return true;     // RN
    case 1: return !neg;     // RP
    case 2: return neg;      // RM
    default: return false;   // RZ
  }
}

/** FPProcessNaN for binary32: quiet a signalling NaN (IOC), or the default NaN under FPCR.DN. */
function nanS(st: EstState, a: number): number {
  if ((a & 0x00400000) === 0) st.fpsr |= IOC;
  return (st.fpcr & DN) !== 0 ? 0x7fc00000 : a | 0x00400000;
}

/** FPProcessNaN for binary64 into R. */
function nanD(st: EstState, lo: number, hi: number): void {
  if ((hi & 0x00080000) === 0) st.fpsr |= IOC;
  if ((st.fpcr & DN) !== 0) { R[LO] = 0; R[HI] = 0x7ff80000; } else { R[LO] = lo; R[HI] = hi | 0x00080000; }
}

// ---------------------------------------------------------------- FRECPE

/** FPRecipEstimate, binary32. */
export function sRecipEstimate(st: EstState, a: number): number {
  const sign = a & 0x80000000;
  let exp = (a >>> 23) & 0xff;
  let frac = a & 0x7fffff;
  if (exp === 0xff) return frac !== 0 ? nanS(st, a) : sign;   // NaN; 1/inf = zero of the same sign
  if (exp === 0 && frac !== 0 && (st.fpcr & FZ) !== 0) { st.fpsr |= IDC; frac = 0; } // FPUnpack flushes
  if (exp === 0 && frac === 0) { st.fpsr |= DZC; return sign | 0x7f800000; }
  if (exp === 0 && frac < 0x200000) {                   // |a| < 2^-128: the result overflows
    st.fpsr |= OFC | IXC;
    return overflowToInf(st.fpcr, sign !== 0) ? sign | 0x7f800000 : sign | 0x7f7fffff;
  }
  if ((st.fpcr & FZ) !== 0 && exp >= 253) { st.fpsr |= UFC; return sign; } // |a| >= 2^126: flushed
  if (exp === 0) {
    if ((frac & 0x400000) === 0) { exp = -1; frac <<= 2; } else frac <<= 1;
  }
  const est = RECIP[(frac >>> 15) & 0xff];
  let rexp = 253 - exp;
  let f = (est & 0xff) << 15;
  if (rexp === 0) f = 0x400000 | (f >>> 1);
  else if (rexp === -1) { f = 0x200000 | (f >>> 2); rexp = 0; }
  return sign | (rexp << 23) | f;
}

/** FPRecipEstimate, binary64 (a = (lo, hi)); result in R. */
export function dRecipEstimate(st: EstState, lo: number, hi: number): void {
  const sign = hi & 0x80000000;
  let exp = (hi >>> 20) & 0x7ff;
  let fhi = hi & 0xfffff;
  const fzero = fhi === 0 && lo === 0;
  if (exp === 0x7ff) {
    if (!fzero) nanD(st, lo, hi); else { R[LO] = 0; R[HI] = sign; }
    return;
  }
  let zero = exp === 0 && fzero;
  if (exp === 0 && !fzero && (st.fpcr & FZ) !== 0) { st.fpsr |= IDC; zero = true; }
  if (zero) { st.fpsr |= DZC; R[LO] = 0; R[HI] = sign | 0x7ff00000; return; }
  if (exp === 0 && fhi < 0x40000) {                     // |a| < 2^-1024: the result overflows
    st.fpsr |= OFC | IXC;
    if (overflowToInf(st.fpcr, sign !== 0)) { R[LO] = 0; R[HI] = sign | 0x7ff00000; }
    else { R[LO] = -1; R[HI] = sign | 0x7fefffff; }
    return;
  }
  if ((st.fpcr & FZ) !== 0 && exp >= 2045) { st.fpsr |= UFC; R[LO] = 0; R[HI] = sign; return; }
  if (exp === 0) {
    // Only fraction<51:42> matter after the shift, and they are all in hi.
    if ((fhi & 0x80000) === 0) { exp = -1; fhi <<= 2; } else fhi <<= 1;
  }
  const est = RECIP[(fhi >>> 12) & 0xff];
  let rexp = 2045 - exp;
  let f = (est & 0xff) << 12;
  if (rexp === 0) f = 0x80000 | (f >>> 1);
  else if (rexp === -1) { f = 0x40000 | (f >>> 2); rexp = 0; }
  R[LO] = 0; R[HI] = sign | (rexp << 20) | f;
}

// ---------------------------------------------------------------- FRSQRTE

/** FPRSqrtEstimate, binary32. */
export function sRSqrtEstimate(st: EstState, a: number): number {
  const sign = a & 0x80000000;
  let exp = (a >>> 23) & 0xff;
  let frac = a & 0x7fffff;
  if (exp === 0xff && frac !== 0) return nanS(st, a);
  if (exp === 0 && frac !== 0 && (st.fpcr & FZ) !== 0) { st.fpsr |= IDC; frac = 0; }
  if (exp === 0 && frac === 0) { st.fpsr |= DZC; return sign | 0x7f800000; }
  if (sign !== 0) { st.fpsr |= IOC; return 0x7fc00000; }
  if (exp === 0xff) return 0;
  if (exp === 0) {
    while ((frac & 0x400000) === 0) { frac <<= 1; exp--; }
    frac = (frac << 1) & 0x7fffff;
  }
  const scaled = (exp & 1) === 0 ? 256 | (frac >>> 15) : 128 | (frac >>> 16);
  const est = RSQRT[scaled - 128];
  const rexp = Math.floor((380 - exp) / 2);
  return (rexp << 23) | ((est & 0xff) << 15);
}

/** FPRSqrtEstimate, binary64; result in R. */
export function dRSqrtEstimate(st: EstState, lo: number, hi: number): void {
  const sign = hi & 0x80000000;
  let exp = (hi >>> 20) & 0x7ff;
  // The 52-bit fraction as an exact JS number.
  let frac = (hi & 0xfffff) * 4294967296 + (lo >>> 0);
  if (exp === 0x7ff && frac !== 0) { nanD(st, lo, hi); return; }
  if (exp === 0 && frac !== 0 && (st.fpcr & FZ) !== 0) { st.fpsr |= IDC; frac = 0; }
  R[LO] = 0;
  if (exp === 0 && frac === 0) { st.fpsr |= DZC; R[HI] = sign | 0x7ff00000; return; }
  if (sign !== 0) { st.fpsr |= IOC; R[HI] = 0x7ff80000; return; }
  if (exp === 0x7ff) { R[HI] = 0; return; }
  const TOP = 2 ** 51, ALL = 2 ** 52;
  if (exp === 0) {
    while (frac < TOP) { frac *= 2; exp--; }
    frac = frac * 2 - ALL;
  }
  const top8 = Math.floor(frac / 2 ** 44);
  const scaled = (exp & 1) === 0 ? 256 | top8 : 128 | (top8 >>> 1);
  const est = RSQRT[scaled - 128];
  const rexp = Math.floor((3068 - exp) / 2);
  R[HI] = (rexp << 20) | ((est & 0xff) << 12);
}

// ---------------------------------------------------------------- FRECPX

/** FPRecpX, binary32: the exponent inverted, the fraction zeroed. */
export function sRecpX(st: EstState, a: number): number {
  const exp = (a >>> 23) & 0xff;
  const frac = a & 0x7fffff;
  if (exp === 0xff && frac !== 0) return nanS(st, a);
  if (exp === 0 && frac !== 0 && (st.fpcr & FZ) !== 0) st.fpsr |= IDC; // FPUnpack's flush; no other effect
  const sign = a & 0x80000000;
  return exp === 0 ? sign | (0xfe << 23) : sign | ((~exp & 0xff) << 23);
}

/** FPRecpX, binary64; result in R. */
export function dRecpX(st: EstState, lo: number, hi: number): void {
  const exp = (hi >>> 20) & 0x7ff;
  const fzero = (hi & 0xfffff) === 0 && lo === 0;
  if (exp === 0x7ff && !fzero) { nanD(st, lo, hi); return; }
  if (exp === 0 && !fzero && (st.fpcr & FZ) !== 0) st.fpsr |= IDC;
  const sign = hi & 0x80000000;
  R[LO] = 0;
  R[HI] = exp === 0 ? sign | (0x7fe << 20) : sign | ((~exp & 0x7ff) << 20);
}

// ---------------------------------------------------------------- URECPE, URSQRTE

/** UnsignedRecipEstimate (URECPE) of a uint32 lane. */
export function uRecipEstimate(x: number): number {
  if ((x & 0x80000000) === 0) return -1;
  return RECIP[(x >>> 23) - 256] << 23;
}

/** UnsignedRSqrtEstimate (URSQRTE) of a uint32 lane. */
export function uRSqrtEstimate(x: number): number {
  if ((x >>> 30) === 0) return -1;
  return RSQRT[(x >>> 23) - 128] << 23;
}
