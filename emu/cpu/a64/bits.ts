// Helpers shared by the data-processing classes (dp_imm.ts, dp_reg.ts): AddWithCarry with flags,
// logical-result flags, shifted and extended register operands, and DecodeBitMasks (decode time only).
//
// Everything that runs per instruction takes and returns int32 halves and writes 64-bit results to the
// scratch array R, like int64.ts: nothing is allocated.

import type { Cpu } from '../cpu.js';
import { R, LO, HI, lsl64, lsr64, asr64, ror64 } from '../int64.js';

// ---------------------------------------------------------------- flags

/** AddWithCarry(a, b, cin) on 32 bits (Arm ARM J1): sets NZCV, returns the result. cin is 0 or 1. */
export function addFlags32(c: Cpu, a: number, b: number, cin: number): number {
  const s = (a >>> 0) + (b >>> 0) + cin;
  const r = s | 0;
  c.nf = r >>> 31;
  c.zf = r === 0 ? 1 : 0;
  c.cf = s > 0xffffffff ? 1 : 0;
  c.vf = (~(a ^ b) & (a ^ r)) >>> 31;
  return r;
}

/** AddWithCarry(a, b, cin) on 64 bits: sets NZCV, result in R. cin is 0 or 1. */
export function addFlags64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const l = (alo >>> 0) + (blo >>> 0) + cin;
  const h = (ahi >>> 0) + (bhi >>> 0) + (l > 0xffffffff ? 1 : 0);
  const rl = l | 0, rh = h | 0;
  R[LO] = rl;
  R[HI] = rh;
  c.nf = rh >>> 31;
  c.zf = (rl | rh) === 0 ? 1 : 0;
  c.cf = h > 0xffffffff ? 1 : 0;
  c.vf = (~(ahi ^ bhi) & (ahi ^ rh)) >>> 31;
}

/** Flags of a logical operation (ANDS, BICS, TST): N and Z from the result, C = V = 0. */
export function logicFlags32(c: Cpu, r: number): void {
  c.nf = r >>> 31;
  c.zf = r === 0 ? 1 : 0;
  c.cf = 0;
  c.vf = 0;
}

export function logicFlags64(c: Cpu, lo: number, hi: number): void {
  c.nf = hi >>> 31;
  c.zf = (lo | hi) === 0 ? 1 : 0;
  c.cf = 0;
  c.vf = 0;
}

// ---------------------------------------------------------------- register operands

/** ShiftReg(X[m], type, amount) for amount 0..63; type 0 LSL, 1 LSR, 2 ASR, 3 ROR. Result in R. */
export function shiftReg64(c: Cpu, m: number, type: number, amount: number): void {
  const lo = c.x[2 * m], hi = c.x[2 * m + 1];
  switch (type) {
    case 0: lsl64(lo, hi, amount); break;
    case 1: lsr64(lo, hi, amount); break;
    case 2: asr64(lo, hi, amount); break;
    default: ror64(lo, hi, amount); break;
  }
}

/** ShiftReg on a 32-bit value, amount 0..31. */
export function shiftReg32(v: number, type: number, amount: number): number {
  switch (type) {
    case 0: return v << amount;
    case 1: return (v >>> amount) | 0;
    case 2: return v >> amount;
    default: return (v >>> amount) | (v << (32 - amount)); // amount 0: v | v
  }
}

/** 32-bit rotate right by 0..31. */
export function ror32(v: number, s: number): number {
  return (v >>> s) | (v << (32 - s));
}

/** ExtendReg(X[m], option, shift) on 64 bits, shift 0..4. option: UXTB UXTH UXTW UXTX SXTB SXTH SXTW SXTX. */
export function extendReg64(c: Cpu, m: number, option: number, shift: number): void {
  let lo = c.x[2 * m], hi: number;
  switch (option) {
    case 0: lo &= 0xff; hi = 0; break;
    case 1: lo &= 0xffff; hi = 0; break;
    case 2: hi = 0; break;
    case 4: lo = (lo << 24) >> 24; hi = lo >> 31; break;
    case 5: lo = (lo << 16) >> 16; hi = lo >> 31; break;
    case 6: hi = lo >> 31; break;
    default: hi = c.x[2 * m + 1]; break; // UXTX, SXTX
  }
  if (shift !== 0) {
    hi = (hi << shift) | (lo >>> (32 - shift));
    lo <<= shift;
  }
  R[LO] = lo;
  R[HI] = hi;
}

/** ExtendReg on 32 bits (the W forms: UXTW, UXTX, SXTW and SXTX leave the value as is). */
export function extendReg32(v: number, option: number, shift: number): number {
  switch (option) {
    case 0: v &= 0xff; break;
    case 1: v &= 0xffff; break;
    case 4: v = (v << 24) >> 24; break;
    case 5: v = (v << 16) >> 16; break;
    default: break;
  }
  return v << shift;
}

// ---------------------------------------------------------------- DecodeBitMasks (decode time)

/** DecodeBitMasks results: wmask lo, wmask hi, tmask lo, tmask hi (hi halves 0 for datasize 32). */
export const MASKS = new Int32Array(4);

/** Replicate(ROR(ZeroExtend(Ones(k), esize), r)) to 64 bits, into R. 1 <= k <= esize, 0 <= r < esize. */
function onesRorReplicate(k: number, r: number, esize: number): void {
  if (esize === 64) {
    const lo = k >= 32 ? -1 : ((1 << k) - 1) | 0;
    const hi = k >= 64 ? -1 : k > 32 ? ((1 << (k - 32)) - 1) | 0 : 0;
    ror64(lo, hi, r);
    return;
  }
  let e = k >= 32 ? -1 : ((1 << k) - 1) | 0;
  if (r !== 0) {
    const emask = esize === 32 ? -1 : (1 << esize) - 1;
    e = ((e >>> r) | (e << (esize - r))) & emask;
  }
  for (let s = esize; s < 32; s *= 2) e |= e << s;
  R[LO] = e;
  R[HI] = e;
}

/**
 * DecodeBitMasks(immN, imms, immr, immediate) for datasize M (32 or 64), Arm ARM J1.
 * Returns false where the pseudocode is UNDEFINED; otherwise fills MASKS.
 */
export function decodeBitMasks(immN: number, imms: number, immr: number, immediate: boolean, M: number): boolean {
  const x = (immN << 6) | (~imms & 0x3f);
  if (x === 0) return false;
  const len = 31 - Math.clz32(x); // HighestSetBit
  if (len < 1) return false;
  const esize = 1 << len;
  if (esize > M) return false;
  const levels = esize - 1;
  if (immediate && (imms & levels) === levels) return false;
  const S = imms & levels;
  const Rot = immr & levels;
  const d = (S - Rot) & levels; // diff<len-1:0>
  onesRorReplicate(S + 1, Rot, esize);
  MASKS[0] = R[LO];
  MASKS[1] = M === 64 ? R[HI] : 0;
  onesRorReplicate(d + 1, 0, esize);
  MASKS[2] = R[LO];
  MASKS[3] = M === 64 ? R[HI] : 0;
  return true;
}
