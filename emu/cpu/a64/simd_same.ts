// Arm ARM C4.1.6: Advanced SIMD three same (integer and bitwise opcodes) and Advanced SIMD scalar three
// same (integer opcodes). The FP opcodes (11xxx) of both classes are fp-vec's (simd_fp_same.ts).
//
// Decode time picks, from opcode and U, an element function (OPS for 8/16/32-bit elements, OPS64 for
// 64-bit ones) or, for the bitwise and pairwise forms, a handler of its own; at run time a handler only
// loops over the lanes.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Handler, Insn } from '../insn.js';
import { R, LO, HI, add64, scmp64, ucmp64 } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import {
  lane, setT, out, flushQC, setSize, ssat, usat, shiftEl, shiftEl64, sqadd64, sqsub64, uqadd64, uqsub64,
  smul32, tb, th, tw, sat, P,
} from './simd_lanes.js';

/** An operation on one element of up to 32 bits: a, b the operands (extended per U), d the old
 * destination element (for the accumulating forms). The caller truncates the result on store. */
export type Op3 = (a: number, b: number, d: number) => number;
/** An operation on 64-bit elements: result in R. */
export type Op64 = (alo: number, ahi: number, blo: number, bhi: number) => void;

const sb = (b: number): number => (b << 24) >> 24; // the shift amount: the bottom byte, signed

/** Polynomial (carry-less) multiply of two bytes, low 8 bits. */
export function pmul8(a: number, b: number): number {
  let r = 0;
  for (let k = 0; k < 8; k++) if ((b >> k) & 1) r ^= a << k;
  return r & 0xff;
}

/** SQDMULH / SQRDMULH of one element (16 or 32 bits, signed operands): the high half of 2*a*b
 * (+ 2^(bits-1) when rounding), saturated. */
export function sqdmulh(a: number, b: number, round: boolean): number {
  if (P.bits === 16) return ssat(Math.floor((2 * a * b + (round ? 32768 : 0)) / 65536));
  if (a === -2147483648 && b === -2147483648) { sat.qc = 1; return 0x7fffffff; }
  smul32(a, b); // 2ab >> 32 = ab >> 31; rounding adds 2^30 to ab first
  let lo = R[LO], hi = R[HI];
  if (round) { add64(lo, hi, 0x40000000, 0, 0); lo = R[LO]; hi = R[HI]; }
  return (lo >>> 31) | (hi << 1);
}

// ---------------------------------------------------------------- element functions, by opcode << 1 | U

export const OPS: (Op3 | undefined)[] = [];
const OPS64: (Op64 | undefined)[] = [];
const NAMES: string[] = [];
function op(opcode: number, u: number, name: string, f: Op3 | undefined, f64?: Op64): void {
  OPS[opcode << 1 | u] = f; OPS64[opcode << 1 | u] = f64; NAMES[opcode << 1 | u] = name;
}

const cmp = (c: number): boolean => c > 0;
op(0b00000, 0, 'SHADD', (a, b) => Math.floor((a + b) / 2));
op(0b00000, 1, 'UHADD', (a, b) => Math.floor((a + b) / 2));
op(0b00001, 0, 'SQADD', (a, b) => ssat(a + b), sqadd64);
op(0b00001, 1, 'UQADD', (a, b) => usat(a + b), uqadd64);
op(0b00010, 0, 'SRHADD', (a, b) => Math.floor((a + b + 1) / 2));
op(0b00010, 1, 'URHADD', (a, b) => Math.floor((a + b + 1) / 2));
op(0b00100, 0, 'SHSUB', (a, b) => Math.floor((a - b) / 2));
op(0b00100, 1, 'UHSUB', (a, b) => Math.floor((a - b) / 2));
op(0b00101, 0, 'SQSUB', (a, b) => ssat(a - b), sqsub64);
op(0b00101, 1, 'UQSUB', (a, b) => usat(a - b), uqsub64);
const allOnes = (t: boolean): void => { R[LO] = t ? -1 : 0; R[HI] = R[LO]; };
op(0b00110, 0, 'CMGT', (a, b) => (a > b ? -1 : 0), (al, ah, bl, bh) => allOnes(cmp(scmp64(al, ah, bl, bh))));
op(0b00110, 1, 'CMHI', (a, b) => (a > b ? -1 : 0), (al, ah, bl, bh) => allOnes(cmp(ucmp64(al, ah, bl, bh))));
op(0b00111, 0, 'CMGE', (a, b) => (a >= b ? -1 : 0), (al, ah, bl, bh) => allOnes(scmp64(al, ah, bl, bh) >= 0));
op(0b00111, 1, 'CMHS', (a, b) => (a >= b ? -1 : 0), (al, ah, bl, bh) => allOnes(ucmp64(al, ah, bl, bh) >= 0));
op(0b01000, 0, 'SSHL', (a, b) => shiftEl(a, sb(b), false, 0), (al, ah, bl) => shiftEl64(al, ah, sb(bl), true, false, 0));
op(0b01000, 1, 'USHL', (a, b) => shiftEl(a, sb(b), false, 0), (al, ah, bl) => shiftEl64(al, ah, sb(bl), false, false, 0));
op(0b01001, 0, 'SQSHL', (a, b) => shiftEl(a, sb(b), false, 1), (al, ah, bl) => shiftEl64(al, ah, sb(bl), true, false, 1));
op(0b01001, 1, 'UQSHL', (a, b) => shiftEl(a, sb(b), false, 2), (al, ah, bl) => shiftEl64(al, ah, sb(bl), false, false, 2));
op(0b01010, 0, 'SRSHL', (a, b) => shiftEl(a, sb(b), true, 0), (al, ah, bl) => shiftEl64(al, ah, sb(bl), true, true, 0));
op(0b01010, 1, 'URSHL', (a, b) => shiftEl(a, sb(b), true, 0), (al, ah, bl) => shiftEl64(al, ah, sb(bl), false, true, 0));
op(0b01011, 0, 'SQRSHL', (a, b) => shiftEl(a, sb(b), true, 1), (al, ah, bl) => shiftEl64(al, ah, sb(bl), true, true, 1));
op(0b01011, 1, 'UQRSHL', (a, b) => shiftEl(a, sb(b), true, 2), (al, ah, bl) => shiftEl64(al, ah, sb(bl), false, true, 2));
op(0b01100, 0, 'SMAX', (a, b) => (a > b ? a : b));
op(0b01100, 1, 'UMAX', (a, b) => (a > b ? a : b));
op(0b01101, 0, 'SMIN', (a, b) => (a < b ? a : b));
op(0b01101, 1, 'UMIN', (a, b) => (a < b ? a : b));
op(0b01110, 0, 'SABD', (a, b) => Math.abs(a - b));
op(0b01110, 1, 'UABD', (a, b) => Math.abs(a - b));
op(0b01111, 0, 'SABA', (a, b, d) => d + Math.abs(a - b));
op(0b01111, 1, 'UABA', (a, b, d) => d + Math.abs(a - b));
op(0b10000, 0, 'ADD', (a, b) => a + b, (al, ah, bl, bh) => { add64(al, ah, bl, bh, 0); });
op(0b10000, 1, 'SUB', (a, b) => a - b, (al, ah, bl, bh) => { add64(al, ah, ~bl, ~bh, 1); });
op(0b10001, 0, 'CMTST', (a, b) => ((a & b) !== 0 ? -1 : 0), (al, ah, bl, bh) => allOnes(((al & bl) | (ah & bh)) !== 0));
op(0b10001, 1, 'CMEQ', (a, b) => (a === b ? -1 : 0), (al, ah, bl, bh) => allOnes(al === bl && ah === bh));
op(0b10010, 0, 'MLA', (a, b, d) => d + Math.imul(a, b));
op(0b10010, 1, 'MLS', (a, b, d) => d - Math.imul(a, b));
op(0b10011, 0, 'MUL', (a, b) => Math.imul(a, b));
op(0b10011, 1, 'PMUL', pmul8);
op(0b10110, 0, 'SQDMULH', (a, b) => sqdmulh(a, b, false));
op(0b10110, 1, 'SQRDMULH', (a, b) => sqdmulh(a, b, true));
// Pairwise: the element function of the pair; the handler pairs the lanes.
op(0b10100, 0, 'SMAXP', (a, b) => (a > b ? a : b));
op(0b10100, 1, 'UMAXP', (a, b) => (a > b ? a : b));
op(0b10101, 0, 'SMINP', (a, b) => (a < b ? a : b));
op(0b10101, 1, 'UMINP', (a, b) => (a < b ? a : b));
op(0b10111, 0, 'ADDP', (a, b) => a + b, (al, ah, bl, bh) => { add64(al, ah, bl, bh, 0); });

// ---------------------------------------------------------------- handlers

/** Element-wise, elements of 8..32 bits, one loop per element size over the typed-array views.
 * aux0 = opcode << 1 | U, aux1 = lanes, aux2 = signed, aux3 = result bytes (16, 8, or the element size
 * for the scalar form). The rows' handler until prepare picks the form's. */
function SAME_B(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vb, n = i.rn * 16, m = i.rm * 16, d = i.rd * 16, lanes = i.aux1;
  setSize(0);
  if (i.aux2) for (let k = 0; k < lanes; k++) tb[k] = f((v[n + k] << 24) >> 24, (v[m + k] << 24) >> 24, (v[d + k] << 24) >> 24);
  else for (let k = 0; k < lanes; k++) tb[k] = f(v[n + k], v[m + k], v[d + k]);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function SAME_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vh, n = i.rn * 8, m = i.rm * 8, d = i.rd * 8, lanes = i.aux1;
  setSize(1);
  if (i.aux2) for (let k = 0; k < lanes; k++) th[k] = f((v[n + k] << 16) >> 16, (v[m + k] << 16) >> 16, (v[d + k] << 16) >> 16);
  else for (let k = 0; k < lanes; k++) th[k] = f(v[n + k], v[m + k], v[d + k]);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function SAME_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4, lanes = i.aux1;
  setSize(2);
  if (i.aux2) for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k], v[m + k], v[d + k]);
  else for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k] >>> 0, v[m + k] >>> 0, v[d + k] >>> 0);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
const SAME_BY_SIZE = [SAME_B, SAME_H, SAME_S];

/** Element-wise, 64-bit elements (lanes in aux1). */
function SAME64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS64[i.aux0]!, n = i.rn * 4, m = i.rm * 4, v = c.vw;
  for (let k = 0; k < i.aux1; k++) {
    f(v[n + 2 * k], v[n + 2 * k + 1], v[m + 2 * k], v[m + 2 * k + 1]);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, i.aux3);
  flushQC(c);
}

/** Pairwise (ADDP, [SU]MAXP, [SU]MINP): the pairs of Vn, then those of Vm. */
function PAIRWISE(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, esz = i.size, sg = i.aux2, n = i.rn, m = i.rm, lanes = i.aux1, h = lanes >> 1;
  for (let k = 0; k < h; k++) setT(esz, k, f(lane(c, n, esz, 2 * k, sg), lane(c, n, esz, 2 * k + 1, sg), 0));
  for (let k = 0; k < h; k++) setT(esz, h + k, f(lane(c, m, esz, 2 * k, sg), lane(c, m, esz, 2 * k + 1, sg), 0));
  out(c, i.rd, i.aux3);
}

function PAIRWISE_B(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vb, n = i.rn * 16, m = i.rm * 16, h = i.aux1 >> 1;
  if (i.aux2) {
    for (let k = 0; k < h; k++) tb[k] = f((v[n + 2 * k] << 24) >> 24, (v[n + 2 * k + 1] << 24) >> 24, 0);
    for (let k = 0; k < h; k++) tb[h + k] = f((v[m + 2 * k] << 24) >> 24, (v[m + 2 * k + 1] << 24) >> 24, 0);
  } else {
    for (let k = 0; k < h; k++) tb[k] = f(v[n + 2 * k], v[n + 2 * k + 1], 0);
    for (let k = 0; k < h; k++) tb[h + k] = f(v[m + 2 * k], v[m + 2 * k + 1], 0);
  }
  out(c, i.rd, i.aux3);
}
function PAIRWISE_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vh, n = i.rn * 8, m = i.rm * 8, h = i.aux1 >> 1;
  if (i.aux2) {
    for (let k = 0; k < h; k++) th[k] = f((v[n + 2 * k] << 16) >> 16, (v[n + 2 * k + 1] << 16) >> 16, 0);
    for (let k = 0; k < h; k++) th[h + k] = f((v[m + 2 * k] << 16) >> 16, (v[m + 2 * k + 1] << 16) >> 16, 0);
  } else {
    for (let k = 0; k < h; k++) th[k] = f(v[n + 2 * k], v[n + 2 * k + 1], 0);
    for (let k = 0; k < h; k++) th[h + k] = f(v[m + 2 * k], v[m + 2 * k + 1], 0);
  }
  out(c, i.rd, i.aux3);
}
const PAIRWISE_BY_SIZE = [PAIRWISE_B, PAIRWISE_H, PAIRWISE];

/** ADDP Vd.2D. */
function ADDP64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  add64(v[n], v[n + 1], v[n + 2], v[n + 3], 0); const l = R[LO], h = R[HI];
  add64(v[m], v[m + 1], v[m + 2], v[m + 3], 0);
  const d = i.rd * 4;
  v[d] = l; v[d + 1] = h; v[d + 2] = R[LO]; v[d + 3] = R[HI];
}

// The bitwise forms work on 32-bit words; aux1 = words (2 or 4).
function hi64(c: Cpu, i: Insn): void { if (i.aux1 === 2) { c.vw[i.rd * 4 + 2] = 0; c.vw[i.rd * 4 + 3] = 0; } }
function AND(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] & v[m + k];
  hi64(c, i);
}
function BIC(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] & ~v[m + k];
  hi64(c, i);
}
function ORR(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] | v[m + k];
  hi64(c, i);
}
function ORN(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] | ~v[m + k];
  hi64(c, i);
}
function EOR(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] ^ v[m + k];
  hi64(c, i);
}
function BSL(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) { const s = v[d + k]; v[d + k] = (s & v[n + k]) | (~s & v[m + k]); }
  hi64(c, i);
}
function BIT(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) { const s = v[m + k]; v[d + k] = (v[d + k] & ~s) | (v[n + k] & s); }
  hi64(c, i);
}
function BIF(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) { const s = v[m + k]; v[d + k] = (v[d + k] & s) | (v[n + k] & ~s); }
  hi64(c, i);
}
const LOGIC = [AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF];
const LOGIC_NAMES = ['AND', 'BIC', 'ORR', 'ORN', 'EOR', 'BSL', 'BIT', 'BIF'];

// Frequent element-wise forms get loops of their own (no element function call).
function ADD_32(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = (v[n + k] + v[m + k]) | 0;
  hi64(c, i);
}
function SUB_32(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = (v[n + k] - v[m + k]) | 0;
  hi64(c, i);
}
// Byte lanes four at a time in 32-bit words (SWAR): the carry out of each byte is kept from the next.
const H8 = 0x80808080 | 0, L7 = 0x7f7f7f7f;
function CMEQ_8(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) {
    const x = v[n + k] ^ v[m + k];
    const nz = (((x & L7) + L7) | x) & H8; // top bit of each byte: the byte is non-zero
    v[d + k] = ((~nz & H8) >>> 7) * 255;
  }
  hi64(c, i);
}
function ADD_8(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) { const a = v[n + k], b = v[m + k]; v[d + k] = ((a & L7) + (b & L7)) ^ ((a ^ b) & H8); }
  hi64(c, i);
}
function SUB_8(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) { const a = v[n + k], b = v[m + k]; v[d + k] = ((a | H8) - (b & L7)) ^ ((a ^ ~b) & H8); }
  hi64(c, i);
}

// UMAXP/UMINP of bytes (string and memory routines reduce compare masks with them), ADDP and MUL of
// words and halfwords, MLA of words: loops of their own.
/** The unsigned max (max = 1) or min of the two bytes of each halfword of w, packed into 2 bytes. */
function pairMinMax(w: number, max: number): number {
  const lo = w & 0x00ff00ff, hi = (w >>> 8) & 0x00ff00ff;
  const ge = (((hi | 0x01000100) - lo) >>> 8) & 0x00010001; // per halfword: hi >= lo
  const sel = (max ? ge : ge ^ 0x00010001) * 255; // 0xff where hi is the result
  const r = (hi & sel) | (lo & ~sel);
  return (r & 0xff) | ((r >>> 8) & 0xff00);
}
function PMINMAX_B(c: Cpu, i: Insn, max: number): void {
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, words = i.aux1 >> 2; // 2 or 4 words per operand
  if (words === 4) {
    tw[0] = pairMinMax(v[n], max) | (pairMinMax(v[n + 1], max) << 16);
    tw[1] = pairMinMax(v[n + 2], max) | (pairMinMax(v[n + 3], max) << 16);
    tw[2] = pairMinMax(v[m], max) | (pairMinMax(v[m + 1], max) << 16);
    tw[3] = pairMinMax(v[m + 2], max) | (pairMinMax(v[m + 3], max) << 16);
  } else {
    tw[0] = pairMinMax(v[n], max) | (pairMinMax(v[n + 1], max) << 16);
    tw[1] = pairMinMax(v[m], max) | (pairMinMax(v[m + 1], max) << 16);
  }
  out(c, i.rd, i.aux3);
}
function UMAXP_B(c: Cpu, i: Insn): void {
  if (fpEnabled(c)) PMINMAX_B(c, i, 1);
}
function UMINP_B(c: Cpu, i: Insn): void {
  if (fpEnabled(c)) PMINMAX_B(c, i, 0);
}
function ADDP_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, h = i.aux1 >> 1;
  for (let k = 0; k < h; k++) tw[k] = (v[n + 2 * k] + v[n + 2 * k + 1]) | 0;
  for (let k = 0; k < h; k++) tw[h + k] = (v[m + 2 * k] + v[m + 2 * k + 1]) | 0;
  out(c, i.rd, i.aux3);
}
function MUL_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = Math.imul(v[n + k], v[m + k]);
  hi64(c, i);
}
function MUL_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vh, n = i.rn * 8, m = i.rm * 8, d = i.rd * 8, e = i.aux1 * 2;
  for (let k = 0; k < e; k++) v[d + k] = Math.imul(v[n + k], v[m + k]);
  hi64(c, i);
}
function MLA_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, m = i.rm * 4, d = i.rd * 4;
  for (let k = 0; k < i.aux1; k++) v[d + k] = (v[d + k] + Math.imul(v[n + k], v[m + k])) | 0;
  hi64(c, i);
}
function ADD_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vh, n = i.rn * 8, m = i.rm * 8, d = i.rd * 8, e = i.aux1 * 2;
  for (let k = 0; k < e; k++) v[d + k] = v[n + k] + v[m + k];
  hi64(c, i);
}

/** Dedicated handlers by opcode << 1 | U and size (the element-wise ones take aux1 = 32-bit words). */
function dedicated(key: number, esz: number): Handler | undefined {
  switch (key) {
    case 0b10000 << 1: return esz === 0 ? ADD_8 : esz === 1 ? ADD_H : esz === 2 ? ADD_32 : undefined;
    case 0b10000 << 1 | 1: return esz === 0 ? SUB_8 : esz === 2 ? SUB_32 : undefined;
    case 0b10001 << 1 | 1: return esz === 0 ? CMEQ_8 : undefined;
    case 0b10011 << 1: return esz === 1 ? MUL_H : esz === 2 ? MUL_S : undefined;
    case 0b10010 << 1: return esz === 2 ? MLA_S : undefined;
    default: return undefined;
  }
}
/** Dedicated pairwise handlers (aux1 = lanes). */
function dedicatedPairwise(key: number, esz: number): Handler | undefined {
  if (esz === 0 && key === (0b10100 << 1 | 1)) return UMAXP_B;
  if (esz === 0 && key === (0b10101 << 1 | 1)) return UMINP_B;
  if (esz === 2 && key === 0b10111 << 1) return ADDP_S;
  return undefined;
}

// ---------------------------------------------------------------- decode

/** Vector three same: opcode bits [15:11], U, size, Q. */
function prepVec(i: Insn): boolean {
  const opcode = (i.word >>> 11) & 31, u = i.U, esz = i.size, q = i.Q;
  const key = opcode << 1 | u;
  if (opcode === 0b00011) {
    const k = u << 2 | esz;
    i.exec = LOGIC[k]; i.name = LOGIC_NAMES[k]; i.aux1 = q ? 4 : 2;
    return true;
  }
  if (NAMES[key] === undefined) return false;
  i.name = NAMES[key];
  if (esz === 3) {
    if (!q || OPS64[key] === undefined) return false;
    i.aux0 = key; i.aux1 = 2; i.aux3 = 16;
    i.exec = opcode === 0b10111 ? ADDP64 : SAME64;
    return true;
  }
  if (OPS[key] === undefined) return false;
  if (opcode === 0b10011 && u === 1 && esz !== 0) return false; // PMUL: bytes only
  if ((opcode === 0b10010 || opcode === 0b10011) && esz === 3) return false;
  if (opcode === 0b10110 && (esz === 0 || esz === 3)) return false; // SQ[R]DMULH: H and S
  i.aux0 = key; i.aux1 = (q ? 16 : 8) >> esz; i.aux3 = q ? 16 : 8;
  // Signed operands for the signed forms (U = 0) and for SQ[R]DMULH; the rest read them unsigned.
  i.aux2 = u === 0 || opcode === 0b10110 ? 1 : 0;
  if (opcode === 0b10100 || opcode === 0b10101 || opcode === 0b10111) {
    i.exec = dedicatedPairwise(key, esz) ?? PAIRWISE_BY_SIZE[esz];
    return true;
  }
  const h = dedicated(key, esz);
  if (h !== undefined) { i.exec = h; i.aux1 = q ? 4 : 2; } else i.exec = SAME_BY_SIZE[esz];
  return true;
}

/** Scalar three same: the saturating, shift, compare and add forms, one element. */
function prepScalar(i: Insn): boolean {
  const opcode = (i.word >>> 11) & 31, u = i.U, esz = i.size;
  const key = opcode << 1 | u;
  switch (opcode) {
    case 0b00001: case 0b00101: case 0b01001: case 0b01011: break; // every size
    case 0b00110: case 0b00111: case 0b01000: case 0b01010: case 0b10000: case 0b10001:
      if (esz !== 3) return false;
      break;
    case 0b10110: if (esz !== 1 && esz !== 2) return false; break;
    default: return false;
  }
  i.name = NAMES[key];
  i.aux0 = key; i.aux1 = 1; i.aux3 = 1 << esz;
  i.aux2 = u === 0 || opcode === 0b10110 ? 1 : 0;
  i.exec = esz === 3 ? SAME64 : SAME_BY_SIZE[esz];
  return true;
}

export const SIMD_SAME: Encoding[] = [
  enc('0QU01110 qq1 mmmmm 0kkkk 1 nnnnn ddddd', 'SIMD_three_same', SAME_B, prepVec),
  enc('0QU01110 qq1 mmmmm 10kkk 1 nnnnn ddddd', 'SIMD_three_same', SAME_B, prepVec),
  enc('01U11110 qq1 mmmmm 0kkkk 1 nnnnn ddddd', 'SIMD_scalar_three_same', SAME_B, prepScalar),
  enc('01U11110 qq1 mmmmm 10kkk 1 nnnnn ddddd', 'SIMD_scalar_three_same', SAME_B, prepScalar),
];
