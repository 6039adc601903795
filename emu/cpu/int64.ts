// 64-bit arithmetic on (lo, hi) pairs of int32 halves.
//
// Registers are kept as two Int32Array halves because BigInt measured about six times slower in the
// per-instruction path (see shared/design-notes.md). Functions that produce a 64-bit result write it to
// the scratch array R (R[LO], R[HI]) instead of returning an object, so nothing is allocated.

export const R = new Int32Array(2);
export const LO = 0;
export const HI = 1;

const TWO32 = 4294967296;

/** Unsigned 64-bit value as a JS number (exact below 2^53). For addresses and tests, not for arithmetic. */
export function toNumber(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

export function toBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function fromBigInt(v: bigint): void {
  R[LO] = Number(v & 0xffffffffn) | 0;
  R[HI] = Number((v >> 32n) & 0xffffffffn) | 0;
}

export function hex64(lo: number, hi: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** a + b + carryIn; carry-out in the return value (0/1). */
export function add64(alo: number, ahi: number, blo: number, bhi: number, cin: number): number {
  const l = (alo >>> 0) + (blo >>> 0) + cin;
  const lc = l > 0xffffffff ? 1 : 0;
  const h = (ahi >>> 0) + (bhi >>> 0) + lc;
  R[LO] = l | 0;
  R[HI] = h | 0;
  return h > 0xffffffff ? 1 : 0;
}

export function neg64(lo: number, hi: number): void {
  add64(~lo, ~hi, 0, 0, 1);
}

/** Logical shift left by 0..63. */
export function lsl64(lo: number, hi: number, s: number): void {
  if (s === 0) { R[LO] = lo; R[HI] = hi; }
  else if (s < 32) { R[HI] = (hi << s) | (lo >>> (32 - s)); R[LO] = lo << s; }
  else { R[HI] = lo << (s - 32); R[LO] = 0; }
}

/** Logical shift right by 0..63. */
export function lsr64(lo: number, hi: number, s: number): void {
  if (s === 0) { R[LO] = lo; R[HI] = hi; }
  else if (s < 32) { R[LO] = (lo >>> s) | (hi << (32 - s)); R[HI] = hi >>> s; }
  else { R[LO] = hi >>> (s - 32); R[HI] = 0; }
}

/** Arithmetic shift right by 0..63. */
export function asr64(lo: number, hi: number, s: number): void {
  if (s === 0) { R[LO] = lo; R[HI] = hi; }
  else if (s < 32) { R[LO] = (lo >>> s) | (hi << (32 - s)); R[HI] = hi >> s; }
  else { R[LO] = hi >> (s - 32); R[HI] = hi >> 31; }
}

/** Rotate right by 0..63. */
export function ror64(lo: number, hi: number, s: number): void {
  s &= 63;
  if (s === 0) { R[LO] = lo; R[HI] = hi; return; }
  if (s >= 32) { const t = lo; lo = hi; hi = t; s -= 32; if (s === 0) { R[LO] = lo; R[HI] = hi; return; } }
  R[LO] = (lo >>> s) | (hi << (32 - s));
  R[HI] = (hi >>> s) | (lo << (32 - s));
}

/** Unsigned 32x32 -> 64 multiply, using 16-bit splits so every partial product is exact. */
export function umul32x32(a: number, b: number): void {
  a >>>= 0; b >>>= 0;
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff); // < 3 * 2^16
  R[LO] = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  R[HI] = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Low 64 bits of a 64x64 product. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  umul32x32(alo, blo);
  const cross = (Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  R[HI] = (R[HI] + cross) | 0;
}

/** High 64 bits of the unsigned 128-bit product (UMULH). */
export function umulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  // Schoolbook on 32-bit limbs: (ah*2^32 + al)(bh*2^32 + bl).
  umul32x32(alo, blo); const ll_hi = R[HI] >>> 0;
  umul32x32(alo, bhi); const lh_lo = R[LO] >>> 0, lh_hi = R[HI] >>> 0;
  umul32x32(ahi, blo); const hl_lo = R[LO] >>> 0, hl_hi = R[HI] >>> 0;
  umul32x32(ahi, bhi); const hh_lo = R[LO] >>> 0, hh_hi = R[HI] >>> 0;
  const mid = ll_hi + lh_lo + hl_lo; // < 3 * 2^32, exact
  const midCarry = Math.floor(mid / TWO32);
  const w2 = hh_lo + lh_hi + hl_hi + midCarry; // < 4 * 2^32
  const w2c = Math.floor(w2 / TWO32);
  R[LO] = w2 | 0;
  R[HI] = (hh_hi + w2c) | 0;
}

/** High 64 bits of the signed 128-bit product (SMULH). */
export function smulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  umulh64(alo, ahi, blo, bhi);
  let l = R[LO], h = R[HI];
  // signed = unsigned - (a<0 ? b<<64 : 0) - (b<0 ? a<<64 : 0), on the high half.
  if (ahi < 0) { add64(l, h, ~blo, ~bhi, 1); l = R[LO]; h = R[HI]; }
  if (bhi < 0) { add64(l, h, ~alo, ~ahi, 1); l = R[LO]; h = R[HI]; }
  R[LO] = l; R[HI] = h;
}

/** Unsigned compare: -1, 0, 1. */
export function ucmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return (ahi >>> 0) < (bhi >>> 0) ? -1 : 1;
  if (alo !== blo) return (alo >>> 0) < (blo >>> 0) ? -1 : 1;
  return 0;
}

/** Signed compare: -1, 0, 1. */
export function scmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return ahi < bhi ? -1 : 1;
  if (alo !== blo) return (alo >>> 0) < (blo >>> 0) ? -1 : 1;
  return 0;
}

/** Unsigned 64-bit division (b != 0). Quotient in R. Uses doubles when exact, else shift-subtract. */
export function udiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  const a = toNumber(alo, ahi), b = toNumber(blo, bhi);
  if (ahi >>> 21 === 0 && bhi >>> 21 === 0) {
    // Both below 2^53: the double quotient floored is exact.
    const q = Math.floor(a / b);
    R[LO] = q | 0; R[HI] = Math.floor(q / TWO32) | 0;
    return;
  }
  if (bhi === 0) {
    // Divisor below 2^32: long division in base 2^16 (each partial dividend is below 2^48, so every
    // double quotient is exact).
    const d = blo >>> 0, h = ahi >>> 0;
    const qh = Math.floor(h / d);
    const x1 = (h - qh * d) * 65536 + (alo >>> 16);
    const q1 = Math.floor(x1 / d);
    const x0 = (x1 - q1 * d) * 65536 + (alo & 0xffff);
    const q0 = Math.floor(x0 / d);
    R[LO] = (q1 * 65536 + q0) | 0; R[HI] = qh | 0;
    return;
  }
  // Restoring division from the dividend's top set bit; only reached for a dividend of 2^53 and above
  // with a divisor of 2^32 and above (so the quotient is below 2^32).
  let qlo = 0, qhi = 0, rlo = 0, rhi = 0;
  for (let i = 63 - clz64(alo, ahi); i >= 0; i--) {
    // r = (r << 1) | bit i of a
    rhi = (rhi << 1) | (rlo >>> 31);
    rlo = (rlo << 1) | ((i >= 32 ? ahi >>> (i - 32) : alo >>> i) & 1);
    if (ucmp64(rlo, rhi, blo, bhi) >= 0) {
      add64(rlo, rhi, ~blo, ~bhi, 1); rlo = R[LO]; rhi = R[HI];
      if (i >= 32) qhi |= 1 << (i - 32); else qlo |= 1 << i;
    }
  }
  R[LO] = qlo; R[HI] = qhi;
}

/** Signed 64-bit division truncating toward zero (b != 0); INT64_MIN / -1 = INT64_MIN as in the Arm ARM. */
export function sdiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  const neg = (ahi ^ bhi) < 0;
  if (ahi < 0) { neg64(alo, ahi); alo = R[LO]; ahi = R[HI]; }
  if (bhi < 0) { neg64(blo, bhi); blo = R[LO]; bhi = R[HI]; }
  udiv64(alo, ahi, blo, bhi);
  if (neg) neg64(R[LO], R[HI]);
}

export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
