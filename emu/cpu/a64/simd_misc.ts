// Arm ARM C4.1.6: Advanced SIMD two-register miscellaneous and Advanced SIMD scalar two-register
// miscellaneous, integer opcodes: REV16/32/64, [SU]ADDLP, [SU]ADALP, SUQADD, USQADD, CLS, CLZ, CNT,
// NOT, RBIT, SQABS, SQNEG, CMxx #0, ABS, NEG, XTN, SQXTN, UQXTN, SQXTUN, SHLL. The FP opcodes and
// URECPE/URSQRTE are fp-vec's (simd_fp_misc.ts).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64, neg64 } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import {
  lane, setT, out, flushQC, setSize, ssat, usat, tb, th, tw, sat, sqadd64, uqadd64, uqsub64,
} from './simd_lanes.js';

/** Element function: a = Vn's element (extended per aux2), d = Vd's old element (extended the other
 * way: only SUQADD/USQADD read it). */
type Op1 = (a: number, d: number) => number;
/** 64-bit elements: a = (alo, ahi), d = (dlo, dhi); result in R. */
type Op1_64 = (alo: number, ahi: number, dlo: number, dhi: number) => void;

function popcount8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

function rbit8(x: number): number {
  x = ((x & 0xf0) >> 4) | ((x & 0x0f) << 4);
  x = ((x & 0xcc) >> 2) | ((x & 0x33) << 2);
  return ((x & 0xaa) >> 1) | ((x & 0x55) << 1);
}

const b64 = (t: boolean): void => { R[LO] = t ? -1 : 0; R[HI] = R[LO]; };
const isZero = (lo: number, hi: number): boolean => lo === 0 && hi === 0;
const MIN64_HI = 0x80000000 | 0;

/** SUQADD, 64-bit: signed d + unsigned a, saturated to the signed range. */
function suqadd64(alo: number, ahi: number, dlo: number, dhi: number): void {
  if (ahi >= 0) { sqadd64(dlo, dhi, alo, ahi); return; }
  // a >= 2^63: only a negative d keeps the sum below 2^63 (the sum is then in [0, 2^64)).
  if (dhi >= 0) { sat.qc = 1; R[LO] = -1; R[HI] = 0x7fffffff; return; }
  add64(dlo, dhi, alo, ahi, 0);
  if (R[HI] < 0) { sat.qc = 1; R[LO] = -1; R[HI] = 0x7fffffff; }
}

/** USQADD, 64-bit: unsigned d + signed a, saturated to the unsigned range. */
function usqadd64(alo: number, ahi: number, dlo: number, dhi: number): void {
  if (ahi >= 0) { uqadd64(dlo, dhi, alo, ahi); return; }
  neg64(alo, ahi); // |a|, at most 2^63: fits as unsigned
  uqsub64(dlo, dhi, R[LO], R[HI]);
}

// Indexed by opcode << 1 | U.
const OPS: (Op1 | undefined)[] = [];
const OPS64: (Op1_64 | undefined)[] = [];
const NAMES: string[] = [];
function op(opcode: number, u: number, name: string, f: Op1 | undefined, f64?: Op1_64): void {
  OPS[opcode << 1 | u] = f; OPS64[opcode << 1 | u] = f64; NAMES[opcode << 1 | u] = name;
}
// The size-dependent element bits for CLS/CLZ come from setSize's P via the handler: bits = 8 << esz.
let ebits = 8;
op(0b00011, 0, 'SUQADD', (a, d) => ssat(d + a), suqadd64);
op(0b00011, 1, 'USQADD', (a, d) => usat(d + a), usqadd64);
op(0b00100, 0, 'CLS', (a) => Math.clz32(a ^ (a >> 31)) - 1 - (32 - ebits));
op(0b00100, 1, 'CLZ', (a) => Math.clz32(a) - (32 - ebits));
op(0b00101, 0, 'CNT', popcount8);
op(0b00111, 0, 'SQABS', (a) => ssat(a < 0 ? -a : a), (al, ah) => {
  if (ah === MIN64_HI && al === 0) { sat.qc = 1; R[LO] = -1; R[HI] = 0x7fffffff; } else if (ah < 0) neg64(al, ah); else { R[LO] = al; R[HI] = ah; }
});
op(0b00111, 1, 'SQNEG', (a) => ssat(-a), (al, ah) => {
  if (ah === MIN64_HI && al === 0) { sat.qc = 1; R[LO] = -1; R[HI] = 0x7fffffff; } else neg64(al, ah);
});
op(0b01000, 0, 'CMGT', (a) => (a > 0 ? -1 : 0), (al, ah) => b64(ah > 0 || (ah === 0 && al !== 0)));
op(0b01000, 1, 'CMGE', (a) => (a >= 0 ? -1 : 0), (al, ah) => b64(ah >= 0));
op(0b01001, 0, 'CMEQ', (a) => (a === 0 ? -1 : 0), (al, ah) => b64(isZero(al, ah)));
op(0b01001, 1, 'CMLE', (a) => (a <= 0 ? -1 : 0), (al, ah) => b64(ah < 0 || isZero(al, ah)));
op(0b01010, 0, 'CMLT', (a) => (a < 0 ? -1 : 0), (al, ah) => b64(ah < 0));
op(0b01011, 0, 'ABS', (a) => (a < 0 ? -a : a), (al, ah) => { if (ah < 0) neg64(al, ah); else { R[LO] = al; R[HI] = ah; } });
op(0b01011, 1, 'NEG', (a) => -a, (al, ah) => neg64(al, ah));

// ---------------------------------------------------------------- handlers

/** Element-wise, 8..32-bit elements, one loop per element size. aux0 = key, aux1 = lanes, aux2 = signed
 * (of Vn; Vd is read with the other signedness: only SUQADD/USQADD use it), aux3 = bytes. */
function MISC_B(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vb, n = i.rn * 16, d = i.rd * 16, lanes = i.aux1;
  setSize(0); ebits = 8;
  if (i.aux2) for (let k = 0; k < lanes; k++) tb[k] = f((v[n + k] << 24) >> 24, v[d + k]);
  else for (let k = 0; k < lanes; k++) tb[k] = f(v[n + k], (v[d + k] << 24) >> 24);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function MISC_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vh, n = i.rn * 8, d = i.rd * 8, lanes = i.aux1;
  setSize(1); ebits = 16;
  if (i.aux2) for (let k = 0; k < lanes; k++) th[k] = f((v[n + k] << 16) >> 16, v[d + k]);
  else for (let k = 0; k < lanes; k++) th[k] = f(v[n + k], (v[d + k] << 16) >> 16);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function MISC_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vw, n = i.rn * 4, d = i.rd * 4, lanes = i.aux1;
  setSize(2); ebits = 32;
  if (i.aux2) for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k], v[d + k] >>> 0);
  else for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k] >>> 0, v[d + k]);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
const MISC_BY_SIZE = [MISC_B, MISC_H, MISC_S];

/** Element-wise, 64-bit elements. */
function MISC64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS64[i.aux0]!, n = i.rn * 4, d = i.rd * 4, v = c.vw;
  for (let k = 0; k < i.aux1; k++) {
    f(v[n + 2 * k], v[n + 2 * k + 1], v[d + 2 * k], v[d + 2 * k + 1]);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, i.aux3);
  flushQC(c);
}

/** REV16/REV32/REV64: byte j of the result is byte j ^ aux0 of the source (aux0 = container bytes -
 * element bytes reverses the elements in each container). aux3 = bytes. */
function REV(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 16, x = i.aux0, e = i.aux3, v = c.vb;
  for (let j = 0; j < e; j++) tb[j] = v[n + (j ^ x)];
  out(c, i.rd, e);
}

function NOT(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, v = c.vw;
  for (let k = 0; k < 4; k++) tw[k] = ~v[n + k];
  out(c, i.rd, i.aux3);
}

function RBIT(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 16, v = c.vb;
  for (let j = 0; j < 16; j++) tb[j] = rbit8(v[n + j]);
  out(c, i.rd, i.aux3);
}

function CNT(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 16, v = c.vb;
  for (let j = 0; j < 16; j++) tb[j] = popcount8(v[n + j]);
  out(c, i.rd, i.aux3);
}

/** [SU]ADDLP, [SU]ADALP (aux0 = 1 accumulates): pairs of esz elements summed into esz + 1 elements.
 * aux1 = result lanes, aux2 = signed. */
function ADDLP(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, sg = i.aux2, n = i.rn, d = i.rd, acc = i.aux0;
  if (esz === 2) {
    const v = c.vw;
    for (let k = 0; k < i.aux1; k++) {
      const s = lane(c, n, 2, 2 * k, sg) + lane(c, n, 2, 2 * k + 1, sg);
      let lo = s >>> 0 | 0, hi = Math.floor(s / 4294967296) | 0;
      if (acc) { add64(lo, hi, v[d * 4 + 2 * k], v[d * 4 + 2 * k + 1], 0); lo = R[LO]; hi = R[HI]; }
      tw[2 * k] = lo; tw[2 * k + 1] = hi;
    }
  } else {
    for (let k = 0; k < i.aux1; k++) {
      const s = lane(c, n, esz, 2 * k, sg) + lane(c, n, esz, 2 * k + 1, sg);
      setT(esz + 1, k, acc ? s + lane(c, d, esz + 1, k, 0) : s);
    }
  }
  out(c, d, i.aux3);
}

/** XTN, SQXTN, UQXTN, SQXTUN: wide elements of esz + 1 narrowed to esz. aux0 = kind (0 XTN, 1 SQXTN,
 * 2 UQXTN, 3 SQXTUN), aux1 = elements, aux3 = part (1: the upper half, keeping the lower). For the
 * scalar forms aux1 = 1 and the result is one element. */
function XTN(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn, d = i.rd, kind = i.aux0, e = i.aux1, base = i.aux3 * e, v = c.vw;
  if (base !== 0) { tw[0] = v[d * 4]; tw[1] = v[d * 4 + 1]; }
  if (esz === 2) {
    for (let k = 0; k < e; k++) {
      const lo = v[n * 4 + 2 * k], hi = v[n * 4 + 2 * k + 1];
      let r = lo;
      if (kind === 1) { if (hi !== lo >> 31) { sat.qc = 1; r = hi < 0 ? MIN64_HI : 0x7fffffff; } }
      else if (kind === 2) { if (hi !== 0) { sat.qc = 1; r = -1; } }
      else if (kind === 3) { if (hi < 0) { sat.qc = 1; r = 0; } else if (hi !== 0) { sat.qc = 1; r = -1; } }
      tw[base + k] = r;
    }
  } else {
    setSize(esz);
    const sg = kind === 2 ? 0 : 1;
    for (let k = 0; k < e; k++) {
      const a = lane(c, n, esz + 1, k, sg);
      setT(esz, base + k, kind === 0 ? a : kind === 1 ? ssat(a) : usat(a));
    }
  }
  out(c, d, e === 1 ? 1 << esz : base !== 0 ? 16 : 8);
  flushQC(c);
}

/** SHLL, SHLL2: each element widened and shifted left by its size. aux3 = part. */
function SHLL(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn, e = 8 >> esz, base = i.aux3 * e;
  for (let k = 0; k < e; k++) {
    const a = lane(c, n, esz, base + k, 0);
    if (esz === 2) { tw[2 * k] = 0; tw[2 * k + 1] = a; } else setT(esz + 1, k, a << (8 << esz));
  }
  out(c, i.rd, 16);
}

// ---------------------------------------------------------------- decode

function prepVec(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 31, u = i.U, esz = i.size, q = i.Q, key = opcode << 1 | u;
  const bytes = q ? 16 : 8;
  i.aux3 = bytes;
  switch (opcode) {
    case 0b00000: case 0b00001: { // REV64 (U0) / REV32 (U1); REV16 (U0)
      const cont = opcode === 1 ? (u ? 0 : 2) : u ? 4 : 8;
      if (cont === 0 || (1 << esz) >= cont) return false;
      i.aux0 = cont - (1 << esz); i.exec = REV; i.name = `REV${cont * 8}`;
      return true;
    }
    case 0b00010: case 0b00110: // [SU]ADDLP, [SU]ADALP
      if (esz === 3) return false;
      i.aux0 = opcode === 0b00110 ? 1 : 0; i.aux1 = bytes >> (esz + 1); i.aux2 = u ^ 1; i.exec = ADDLP;
      i.name = (u ? 'U' : 'S') + (opcode === 0b00110 ? 'ADALP' : 'ADDLP');
      return true;
    case 0b00101:
      if (u === 0) { if (esz !== 0) return false; i.exec = CNT; i.name = 'CNT'; return true; }
      if (esz > 1) return false;
      i.exec = esz === 0 ? NOT : RBIT; i.name = esz === 0 ? 'NOT' : 'RBIT';
      return true;
    case 0b10010: case 0b10100: // XTN/SQXTUN, SQXTN/UQXTN
      if (esz === 3) return false;
      i.aux0 = opcode === 0b10010 ? (u ? 3 : 0) : u ? 2 : 1;
      i.aux1 = 8 >> esz; i.aux3 = q; i.exec = XTN;
      i.name = ['XTN', 'SQXTN', 'UQXTN', 'SQXTUN'][i.aux0] + (q ? '2' : '');
      return true;
    case 0b10011:
      if (u === 0 || esz === 3) return false;
      i.aux3 = q; i.exec = SHLL; i.name = q ? 'SHLL2' : 'SHLL';
      return true;
  }
  if (NAMES[key] === undefined) return false;
  i.name = NAMES[key]; i.aux0 = key;
  if (esz === 3) {
    if (!q || OPS64[key] === undefined) return false;
    i.aux1 = 2; i.exec = MISC64;
    return true;
  }
  // SUQADD reads Vn unsigned (and Vd signed); USQADD the reverse; the rest read Vn signed except CLZ.
  i.aux2 = key === (0b00011 << 1) || key === (0b00100 << 1 | 1) ? 0 : 1;
  i.aux1 = bytes >> esz; i.exec = MISC_BY_SIZE[esz];
  return true;
}

function prepScalar(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 31, u = i.U, esz = i.size, key = opcode << 1 | u;
  switch (opcode) {
    case 0b00011: case 0b00111: break;
    case 0b01000: case 0b01001: case 0b01010: case 0b01011:
      if (esz !== 3) return false;
      break;
    case 0b10010: case 0b10100:
      if (esz === 3 || (opcode === 0b10010 && u === 0)) return false;
      i.aux0 = opcode === 0b10010 ? 3 : u ? 2 : 1;
      i.aux1 = 1; i.aux3 = 0; i.exec = XTN; i.name = ['XTN', 'SQXTN', 'UQXTN', 'SQXTUN'][i.aux0];
      return true;
    default: return false;
  }
  if (NAMES[key] === undefined) return false;
  i.name = NAMES[key]; i.aux0 = key; i.aux1 = 1; i.aux3 = 1 << esz;
  i.aux2 = key === (0b00011 << 1) ? 0 : 1;
  i.exec = esz === 3 ? MISC64 : MISC_BY_SIZE[esz];
  return true;
}

export const SIMD_MISC: Encoding[] = [
  enc('0QU01110 qq 10000 00kkk 10 nnnnn ddddd', 'SIMD_two_reg_misc', MISC_B, prepVec),
  enc('0QU01110 qq 10000 010kk 10 nnnnn ddddd', 'SIMD_two_reg_misc', MISC_B, prepVec),
  enc('0QU01110 qq 10000 1001k 10 nnnnn ddddd', 'SIMD_two_reg_misc', MISC_B, prepVec),
  enc('0QU01110 qq 10000 10100 10 nnnnn ddddd', 'SIMD_two_reg_misc', MISC_B, prepVec),
  enc('01U11110 qq 10000 00011 10 nnnnn ddddd', 'SIMD_scalar_two_reg_misc', MISC_B, prepScalar),
  enc('01U11110 qq 10000 00111 10 nnnnn ddddd', 'SIMD_scalar_two_reg_misc', MISC_B, prepScalar),
  enc('01U11110 qq 10000 010kk 10 nnnnn ddddd', 'SIMD_scalar_two_reg_misc', MISC_B, prepScalar),
  enc('01U11110 qq 10000 10010 10 nnnnn ddddd', 'SIMD_scalar_two_reg_misc', MISC_B, prepScalar),
  enc('01U11110 qq 10000 10100 10 nnnnn ddddd', 'SIMD_scalar_two_reg_misc', MISC_B, prepScalar),
];
