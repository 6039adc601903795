// What the AdvSIMD integer class files (simd_same.ts ... simd_tbl.ts) share: lane access by element
// size, a 16-byte scratch vector for results (so a destination that is also a source is read before it
// is written), the per-element-size saturation bounds, the QC flag, and the element shift of
// SSHL/SRSHL/SQSHL/SQRSHL (and their U forms), which the shift-by-immediate class reuses.
//
// Elements of 8, 16 and 32 bits are computed as exact JS numbers (every sum, difference and product of
// two of them below 2^53, or scaled by a power of two, is exact); 64-bit elements go through the
// (lo, hi) helpers of int64.ts. Element sizes are given as log2 of the byte count (the Arm ARM's
// `size` field): 0 = B, 1 = H, 2 = S, 3 = D.

import type { Cpu } from '../cpu.js';
import { R, LO, HI, add64, lsl64, lsr64, asr64, umul32x32 } from '../int64.js';

/** FPSR.QC: cumulative saturation. */
export const FPSR_QC = 0x08000000;

/** The result vector being built; copied to Vd by out(). */
export const T = new ArrayBuffer(16);
export const tb = new Uint8Array(T);
export const th = new Uint16Array(T);
export const tw = new Int32Array(T);

/** Set by an operation that saturates; the handler moves it to FPSR.QC. */
export const sat = { qc: 0 };

/** 2^k for k = 0..140, exact. */
export const POW2 = new Float64Array(141);
for (let k = 0; k < 141; k++) POW2[k] = 2 ** k;

/** Lane k of Vreg, element size esz (0..2), sign- or zero-extended. */
export function lane(c: Cpu, reg: number, esz: number, k: number, signed: number): number {
  if (esz === 0) { const v = c.vb[reg * 16 + k]; return signed ? (v << 24) >> 24 : v; }
  if (esz === 1) { const v = c.vh[reg * 8 + k]; return signed ? (v << 16) >> 16 : v; }
  const v = c.vw[reg * 4 + k]; return signed ? v : v >>> 0;
}

/** Lane k of the scratch vector = v (truncated to the element size). */
export function setT(esz: number, k: number, v: number): void {
  if (esz === 0) tb[k] = v;
  else if (esz === 1) th[k] = v;
  else tw[k] = v;
}

/** Lane k of the scratch vector, sign- or zero-extended. */
export function laneT(esz: number, k: number, signed: number): number {
  if (esz === 0) { const v = tb[k]; return signed ? (v << 24) >> 24 : v; }
  if (esz === 1) { const v = th[k]; return signed ? (v << 16) >> 16 : v; }
  const v = tw[k]; return signed ? v : v >>> 0;
}

/** Vd = the first nbytes (1, 2, 4, 8 or 16) of the scratch vector, the rest of the register zeroed. */
export function out(c: Cpu, d: number, nbytes: number): void {
  const b = d * 4, w = c.vw;
  if (nbytes === 16) { w[b] = tw[0]; w[b + 1] = tw[1]; w[b + 2] = tw[2]; w[b + 3] = tw[3]; return; }
  w[b + 2] = 0; w[b + 3] = 0;
  if (nbytes === 8) { w[b] = tw[0]; w[b + 1] = tw[1]; return; }
  w[b + 1] = 0;
  w[b] = nbytes === 4 ? tw[0] : nbytes === 2 ? th[0] : tb[0];
}

/** Move a saturation seen by the element operations to FPSR.QC. */
export function flushQC(c: Cpu): void {
  if (sat.qc !== 0) { c.fpsr |= FPSR_QC; sat.qc = 0; }
}

// ---------------------------------------------------------------- element-size parameters

/** Element bits and the bounds of saturation, for the size the current instruction works on. */
export const P = { bits: 8, smin: -128, smax: 127, umax: 255 };

export function setSize(esz: number): void {
  const bits = 8 << esz;
  P.bits = bits;
  P.smin = -POW2[bits - 1];
  P.smax = POW2[bits - 1] - 1;
  P.umax = POW2[bits] - 1;
}

/** SignedSatQ at the current size. */
export function ssat(x: number): number {
  if (x > P.smax) { sat.qc = 1; return P.smax; }
  if (x < P.smin) { sat.qc = 1; return P.smin; }
  return x;
}

/** UnsignedSatQ at the current size. */
export function usat(x: number): number {
  if (x > P.umax) { sat.qc = 1; return P.umax; }
  if (x < 0) { sat.qc = 1; return 0; }
  return x;
}

/**
 * The element shift of [S|U][Q][R]SHL at sizes up to 32 bits: x (already extended per `unsigned`)
 * shifted left by s (negative = right), rounded (round: add 2^(-s-1) first) and saturated (sq: 0 none,
 * 1 to the signed range, 2 to the unsigned range). The non-saturating result may exceed the element:
 * the caller truncates it on store.
 */
export function shiftEl(x: number, s: number, round: boolean, sq: number): number {
  if (s >= 0) {
    if (sq === 0) return s >= 32 ? 0 : x << s;
    if (x === 0) return 0;
    const r = x * POW2[s > 127 ? 127 : s]; // exact: a power-of-two scaling
    return sq === 1 ? ssat(r) : usat(r);
  }
  const n = -s;
  if (n > 40) return round ? 0 : (x < 0 ? -1 : 0);
  return Math.floor((round ? x + POW2[n - 1] : x) / POW2[n]);
}

/**
 * The same for 64-bit elements (lo, hi) -> R. signed selects the extension of the operand; sq as
 * above (1 = SignedSatQ, 2 = UnsignedSatQ of the signedness `signed` gives).
 */
export function shiftEl64(lo: number, hi: number, s: number, signed: boolean, round: boolean, sq: number): void {
  if (s >= 0) {
    if (sq === 0) {
      if (s >= 64) { R[LO] = 0; R[HI] = 0; } else lsl64(lo, hi, s);
      return;
    }
    if (lo === 0 && hi === 0) { R[LO] = 0; R[HI] = 0; return; }
    if (s < 64) {
      lsl64(lo, hi, s);
      const rl = R[LO], rh = R[HI];
      if (signed) asr64(rl, rh, s); else lsr64(rl, rh, s);
      if (R[LO] === lo && R[HI] === hi) { R[LO] = rl; R[HI] = rh; return; }
    }
    sat.qc = 1;
    if (!signed) { R[LO] = -1; R[HI] = -1; } else if (hi < 0) { R[LO] = 0; R[HI] = 0x80000000 | 0; } else { R[LO] = -1; R[HI] = 0x7fffffff; }
    return;
  }
  // floor(x / 2^n), plus bit n-1 of x when rounding (= floor((x + 2^(n-1)) / 2^n)).
  const n = -s;
  const neg = signed && hi < 0;
  let bit = 0;
  if (round) bit = n - 1 >= 64 ? (neg ? 1 : 0) : n - 1 >= 32 ? (hi >>> (n - 33)) & 1 : (lo >>> (n - 1)) & 1;
  if (n >= 64) { R[LO] = neg ? -1 : 0; R[HI] = R[LO]; } else if (signed) asr64(lo, hi, n); else lsr64(lo, hi, n);
  if (bit !== 0) add64(R[LO], R[HI], 1, 0, 0);
}

/** Signed saturating 64-bit a + b -> R (QC on saturation). */
export function sqadd64(alo: number, ahi: number, blo: number, bhi: number): void {
  add64(alo, ahi, blo, bhi, 0);
  if (((ahi ^ R[HI]) & (bhi ^ R[HI])) < 0) { sat.qc = 1; R[LO] = ahi < 0 ? 0 : -1; R[HI] = ahi < 0 ? 0x80000000 | 0 : 0x7fffffff; }
}

/** Signed saturating 64-bit a - b -> R. */
export function sqsub64(alo: number, ahi: number, blo: number, bhi: number): void {
  add64(alo, ahi, ~blo, ~bhi, 1);
  if (((ahi ^ bhi) & (ahi ^ R[HI])) < 0) { sat.qc = 1; R[LO] = ahi < 0 ? 0 : -1; R[HI] = ahi < 0 ? 0x80000000 | 0 : 0x7fffffff; }
}

/** Unsigned saturating 64-bit a + b -> R. */
export function uqadd64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (add64(alo, ahi, blo, bhi, 0) !== 0) { sat.qc = 1; R[LO] = -1; R[HI] = -1; }
}

/** Unsigned saturating 64-bit a - b -> R. */
export function uqsub64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (add64(alo, ahi, ~blo, ~bhi, 1) === 0) { sat.qc = 1; R[LO] = 0; R[HI] = 0; }
}

/** Signed 32x32 -> 64 product -> R: the unsigned product, with the high word corrected for negative
 * operands (hi -= b when a < 0, hi -= a when b < 0). */
export function smul32(a: number, b: number): void {
  umul32x32(a, b);
  let h = R[HI];
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  R[HI] = h;
}
