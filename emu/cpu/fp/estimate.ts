// Reciprocal and reciprocal square root estimates (Arm ARM FPRecipEstimate, FPRSqrtEstimate,
// FPRecpX, UnsignedRecipEstimate, UnsignedRSqrtEstimate) from the architecture's RecipEstimate and
// RecipSqrtEstimate integer functions, precomputed into tables.

import { R, LO, HI } from '../int64.js';
import {
  FpState, DZC, IOC, OFC, UFC, IXC, FPCR_FZ, RND_TIEEVEN, RND_POSINF, RND_NEGINF, T_ZERO, T_INF, T_QNAN,
  fpcrRounding,
} from './core.js';
import { sType, sProcessNaN, S_DEFAULT_NAN } from './f32.js';
import { dType, dProcessNaN } from './f64.js';

const SIGN = 0x80000000 | 0;

/** RecipEstimate(a), a in 256..511, indexed by a - 256. */
const RECIP = new Uint16Array(256);
/** RecipSqrtEstimate(a), a in 128..511, indexed by a - 128. */
const RSQRT = new Uint16Array(384);
for (let a = 256; a < 512; a++) {
  const b = Math.floor((1 << 19) / (a * 2 + 1));
  RECIP[a - 256] = (b + 1) >> 1;
}
for (let a0 = 128; a0 < 512; a0++) {
  let a = a0;
  if (a < 256) a = a * 2 + 1;
  else { a = (a >> 1) << 1; a = (a + 1) * 2; }
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  RSQRT[a0 - 128] = (b + 1) >> 1;
}

/** The overflow result of FPRecipEstimate for a tiny operand: infinity or the largest normal. */
function overflowToInf(st: FpState, neg: boolean): boolean {
  const r = fpcrRounding(st);
  st.fpsr |= OFC | IXC;
  return r === RND_TIEEVEN || (r === RND_POSINF && !neg) || (r === RND_NEGINF && neg);
}

/** FRECPE on binary32. */
export function sRecipEstimate(st: FpState, a: number): number {
  const t = sType(st, a);
  const sign = a & SIGN;
  if (t >= T_QNAN) return sProcessNaN(st, t, a);
  if (t === T_INF) return sign;
  if (t === T_ZERO) { st.fpsr |= DZC; return sign | 0x7f800000; }
  let exp = (a >>> 23) & 0xff;
  let frac = a & 0x7fffff; // the top 23 of the 52-bit fraction
  if (exp === 0 && (frac & 0x600000) === 0) { // |a| < 2^-128
    return overflowToInf(st, sign !== 0) ? sign | 0x7f800000 : sign | 0x7f7fffff;
  }
  if ((st.fpcr & FPCR_FZ) !== 0 && exp >= 253) { st.fpsr |= UFC; return sign; } // |a| >= 2^126
  if (exp === 0) {
    if ((frac & 0x400000) === 0) { exp = -1; frac = (frac << 2) & 0x7fffff; }
    else frac = (frac << 1) & 0x7fffff;
  }
  const est = RECIP[frac >>> 15]; // '1':fraction<51:44>
  let resExp = 253 - exp;
  let rf = (est & 0xff) << 15; // fraction<51:29> = estimate<7:0> : zeros
  if (resExp === 0) rf = 0x400000 | (rf >>> 1);
  else if (resExp === -1) { rf = 0x200000 | (rf >>> 2); resExp = 0; }
  return sign | (resExp << 23) | rf;
}

/** FRECPE on binary64, into R. */
export function dRecipEstimate(st: FpState, lo: number, hi: number): void {
  const t = dType(st, lo, hi);
  const sign = hi & SIGN;
  if (t >= T_QNAN) { dProcessNaN(st, t, lo, hi); return; }
  R[LO] = 0;
  if (t === T_INF) { R[HI] = sign; return; }
  if (t === T_ZERO) { st.fpsr |= DZC; R[HI] = sign | 0x7ff00000; return; }
  let exp = (hi >>> 20) & 0x7ff;
  let fh = hi & 0xfffff; // fraction<51:32>
  if (exp === 0 && (fh & 0xc0000) === 0) { // |a| < 2^-1024
    if (overflowToInf(st, sign !== 0)) R[HI] = sign | 0x7ff00000;
    else { R[LO] = -1; R[HI] = sign | 0x7fefffff; }
    return;
  }
  if ((st.fpcr & FPCR_FZ) !== 0 && exp >= 2045) { st.fpsr |= UFC; R[HI] = sign; return; } // >= 2^1022
  if (exp === 0) {
    if ((fh & 0x80000) === 0) { exp = -1; fh = ((fh << 2) | (lo >>> 30)) & 0xfffff; }
    else fh = ((fh << 1) | (lo >>> 31)) & 0xfffff;
  }
  const est = RECIP[fh >>> 12];
  let resExp = 2045 - exp;
  let rf = (est & 0xff) << 12; // fraction<51:32>; the low 32 bits are zero
  let rlo = 0;
  if (resExp === 0) { rlo = (rf & 1) << 31; rf = 0x80000 | (rf >>> 1); }
  else if (resExp === -1) { rlo = (rf & 3) << 30; rf = 0x40000 | (rf >>> 2); resExp = 0; }
  R[LO] = rlo;
  R[HI] = sign | (resExp << 20) | rf;
}

/** FRSQRTE on binary32. */
export function sRSqrtEstimate(st: FpState, a: number): number {
  const t = sType(st, a);
  if (t >= T_QNAN) return sProcessNaN(st, t, a);
  if (t === T_ZERO) { st.fpsr |= DZC; return (a & SIGN) | 0x7f800000; }
  if (a < 0) { st.fpsr |= IOC; return S_DEFAULT_NAN; }
  if (t === T_INF) return 0;
  let exp = (a >>> 23) & 0xff;
  let frac = a & 0x7fffff;
  if (exp === 0) {
    while ((frac & 0x400000) === 0) { frac <<= 1; exp--; }
    frac = (frac << 1) & 0x7fffff;
  }
  const scaled = (exp & 1) === 0 ? 256 | (frac >>> 15) : 128 | (frac >>> 16);
  const resExp = Math.floor((380 - exp) / 2);
  return (resExp << 23) | ((RSQRT[scaled - 128] & 0xff) << 15);
}

/** FRSQRTE on binary64, into R. */
export function dRSqrtEstimate(st: FpState, lo: number, hi: number): void {
  const t = dType(st, lo, hi);
  if (t >= T_QNAN) { dProcessNaN(st, t, lo, hi); return; }
  R[LO] = 0;
  if (t === T_ZERO) { st.fpsr |= DZC; R[HI] = (hi & SIGN) | 0x7ff00000; return; }
  if (hi < 0) { st.fpsr |= IOC; R[HI] = 0x7ff80000; return; }
  if (t === T_INF) { R[HI] = 0; return; }
  let exp = (hi >>> 20) & 0x7ff;
  let fh = hi & 0xfffff, fl = lo;
  if (exp === 0) {
    while ((fh & 0x80000) === 0) { fh = ((fh << 1) | (fl >>> 31)) & 0xfffff; fl <<= 1; exp--; }
    fh = ((fh << 1) | (fl >>> 31)) & 0xfffff;
  }
  const scaled = (exp & 1) === 0 ? 256 | (fh >>> 12) : 128 | (fh >>> 13);
  const resExp = Math.floor((3068 - exp) / 2);
  R[HI] = (resExp << 20) | ((RSQRT[scaled - 128] & 0xff) << 12);
}

/** FRECPX on binary32. */
export function sRecpX(st: FpState, a: number): number {
  const t = sType(st, a);
  if (t >= T_QNAN) return sProcessNaN(st, t, a);
  const exp = (a >>> 23) & 0xff;
  return (a & SIGN) | ((exp === 0 ? 0xfe : ~exp & 0xff) << 23);
}

/** FRECPX on binary64, into R. */
export function dRecpX(st: FpState, lo: number, hi: number): void {
  const t = dType(st, lo, hi);
  if (t >= T_QNAN) { dProcessNaN(st, t, lo, hi); return; }
  const exp = (hi >>> 20) & 0x7ff;
  R[LO] = 0;
  R[HI] = (hi & SIGN) | ((exp === 0 ? 0x7fe : ~exp & 0x7ff) << 20);
}

/** URECPE on one uint32 lane. */
export function uRecipEstimate(x: number): number {
  if (x >= 0) return -1; // bit 31 clear
  return (RECIP[(x >>> 23) & 0xff] & 0x1ff) << 23;
}

/** URSQRTE on one uint32 lane. */
export function uRSqrtEstimate(x: number): number {
  if ((x >>> 30) === 0) return -1;
  return (RSQRT[(x >>> 23) - 128] & 0x1ff) << 23;
}
