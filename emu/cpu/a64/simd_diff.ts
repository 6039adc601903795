// Arm ARM C4.1.6: Advanced SIMD three different and Advanced SIMD scalar three different. The long
// (L), wide (W) and narrowing-high (HN) forms; the "2" forms (Q = 1) take the upper halves of the
// narrow sources or write the upper half of the destination (keeping the lower half).
// PMULL (8- and 64-bit) is decoded with the crypto extension (crypto.ts).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64, umul32x32 } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import { lane, setT, out, flushQC, setSize, ssat, tw, sat, sqadd64, sqsub64, smul32 } from './simd_lanes.js';

/** Element function of a long form with a result of up to 32 bits: a, b the narrow operands (or a
 * the wide one, for W), d the old wide destination element. */
type LongOp = (a: number, b: number, d: number) => number;
/** The same with a 64-bit result: a, b 32-bit operands as numbers (extended per U), d = (dlo, dhi);
 * result in R. */
type LongOp64 = (a: number, b: number, dlo: number, dhi: number, signed: number) => void;

/** 64-bit two's complement of the exact integer v (|v| < 2^53) -> R. */
function fromNum(v: number): void {
  R[LO] = v >>> 0 | 0;
  R[HI] = Math.floor(v / 4294967296) | 0;
}

/** The product a * b of two 32-bit elements -> R. */
function mul(a: number, b: number, signed: number): void {
  if (signed) smul32(a, b); else umul32x32(a, b);
}

/** 2 * a * b saturated, 32-bit signed elements -> R. */
function sqdmull64(a: number, b: number): void {
  if (a === -2147483648 && b === -2147483648) { sat.qc = 1; R[LO] = -1; R[HI] = 0x7fffffff; return; }
  smul32(a, b);
  const lo = R[LO], hi = R[HI];
  R[LO] = lo << 1; R[HI] = (hi << 1) | (lo >>> 31);
}

const ABS = Math.abs;
export const LONG: (LongOp | undefined)[] = [
  (a, b) => a + b, // 0000 [SU]ADDL
  (a, b) => a + b, // 0001 [SU]ADDW
  (a, b) => a - b, // 0010 [SU]SUBL
  (a, b) => a - b, // 0011 [SU]SUBW
  undefined, // 0100 ADDHN
  (a, b, d) => d + ABS(a - b), // 0101 [SU]ABAL
  undefined, // 0110 SUBHN
  (a, b) => ABS(a - b), // 0111 [SU]ABDL
  (a, b, d) => d + a * b, // 1000 [SU]MLAL
  (a, b, d) => ssat(d + ssat(2 * a * b)), // 1001 SQDMLAL
  (a, b, d) => d - a * b, // 1010 [SU]MLSL
  (a, b, d) => ssat(d - ssat(2 * a * b)), // 1011 SQDMLSL
  (a, b) => a * b, // 1100 [SU]MULL
  (a, b) => ssat(2 * a * b), // 1101 SQDMULL
];
export const LONG64: (LongOp64 | undefined)[] = [
  (a, b) => fromNum(a + b),
  undefined, // W forms: WIDE64
  (a, b) => fromNum(a - b),
  undefined,
  undefined,
  (a, b, dl, dh) => { fromNum(ABS(a - b)); add64(dl, dh, R[LO], R[HI], 0); },
  undefined,
  (a, b) => fromNum(ABS(a - b)),
  (a, b, dl, dh, s) => { mul(a, b, s); add64(dl, dh, R[LO], R[HI], 0); },
  (a, b, dl, dh) => { sqdmull64(a, b); sqadd64(dl, dh, R[LO], R[HI]); },
  (a, b, dl, dh, s) => { mul(a, b, s); add64(dl, dh, ~R[LO], ~R[HI], 1); },
  (a, b, dl, dh) => { sqdmull64(a, b); sqsub64(dl, dh, R[LO], R[HI]); },
  (a, b, dl, dh, s) => mul(a, b, s),
  (a, b) => sqdmull64(a, b),
  undefined,
];
const NAMES = ['ADDL', 'ADDW', 'SUBL', 'SUBW', 'ADDHN', 'ABAL', 'SUBHN', 'ABDL', 'MLAL', 'QDMLAL', 'MLSL', 'QDMLSL', 'MULL', 'QDMULL'];

// aux0 = opcode, aux1 = elements (of the 64-bit half), aux2 = signed, aux3 = part (0/1); for the scalar
// forms aux1 = 1 and aux3 = 0.

/** Long and wide forms, wide elements up to 32 bits. */
function LONG_(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = LONG[i.aux0]!, esz = i.size, sg = i.aux2, n = i.rn, m = i.rm, d = i.rd, e = i.aux1, base = i.aux3 * e;
  const wide = i.aux0 === 1 || i.aux0 === 3;
  setSize(esz + 1);
  for (let k = 0; k < e; k++) {
    const a = wide ? lane(c, n, esz + 1, k, sg) : lane(c, n, esz, base + k, sg);
    setT(esz + 1, k, f(a, lane(c, m, esz, base + k, sg), lane(c, d, esz + 1, k, sg)));
  }
  out(c, d, e === 1 ? 2 << esz : 16);
  flushQC(c);
}

/** Long forms with 64-bit wide elements. */
function LONG_64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = LONG64[i.aux0]!, sg = i.aux2, n = i.rn, m = i.rm, d = i.rd * 4, e = i.aux1, base = i.aux3 * e, v = c.vw;
  for (let k = 0; k < e; k++) {
    f(lane(c, n, 2, base + k, sg), lane(c, m, 2, base + k, sg), v[d + 2 * k], v[d + 2 * k + 1], sg);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, e === 1 ? 8 : 16);
  flushQC(c);
}

/** [SU]ADDW, [SU]SUBW with 64-bit wide elements. */
function WIDE_64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const sg = i.aux2, n = i.rn * 4, m = i.rm * 4 + 2 * i.aux3, v = c.vw, sub = i.aux0 === 3;
  for (let k = 0; k < 2; k++) {
    const b = v[m + k], bh = sg ? b >> 31 : 0;
    if (sub) add64(v[n + 2 * k], v[n + 2 * k + 1], ~b, ~bh, 1); else add64(v[n + 2 * k], v[n + 2 * k + 1], b, bh, 0);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, 16);
}

/** ADDHN, RADDHN, SUBHN, RSUBHN: the high half of each wide sum or difference (rounded for R). */
function NARROW(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn, m = i.rm, d = i.rd, e = i.aux1, base = i.aux3 * e, sub = i.aux0 === 6;
  const round = i.aux2; // here aux2 = round
  const v = c.vw;
  if (base !== 0) { tw[0] = v[d * 4]; tw[1] = v[d * 4 + 1]; }
  if (esz === 2) {
    for (let k = 0; k < 2; k++) {
      const al = v[n * 4 + 2 * k], ah = v[n * 4 + 2 * k + 1], bl = v[m * 4 + 2 * k], bh = v[m * 4 + 2 * k + 1];
      if (sub) add64(al, ah, ~bl, ~bh, 1); else add64(al, ah, bl, bh, 0);
      if (round) add64(R[LO], R[HI], 0x80000000 | 0, 0, 0);
      tw[base + k] = R[HI];
    }
  } else {
    const bits = 8 << esz, div = 2 ** bits, r = round ? div / 2 : 0;
    for (let k = 0; k < e; k++) {
      const a = lane(c, n, esz + 1, k, 0), b = lane(c, m, esz + 1, k, 0);
      setT(esz, base + k, Math.floor(((sub ? a - b : a + b) + r) / div));
    }
  }
  out(c, d, base !== 0 ? 16 : 8);
}

function prepVec(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 15, u = i.U, esz = i.size, q = i.Q;
  if (esz === 3) return false;
  if ((opcode === 0b1001 || opcode === 0b1011 || opcode === 0b1101) && (u === 1 || esz === 0)) return false;
  if (opcode >= 0b1110) return false; // (PMULL is crypto.ts's; U = 1 and 1111 unallocated)
  // ADDHN/RADDHN, SUBHN/RSUBHN; otherwise S or U by U (SQDMLAL...: 'S' + 'QDMLAL').
  const pre = opcode === 0b0100 || opcode === 0b0110 ? (u ? 'R' : '') : u ? 'U' : 'S';
  i.name = pre + NAMES[opcode] + (q ? '2' : '');
  i.aux0 = opcode; i.aux1 = 8 >> esz; i.aux3 = q;
  if (opcode === 0b0100 || opcode === 0b0110) { i.aux2 = u; i.exec = NARROW; return true; }
  i.aux2 = u === 0 ? 1 : 0;
  if (esz === 2) i.exec = opcode === 0b0001 || opcode === 0b0011 ? WIDE_64 : LONG_64;
  else i.exec = LONG_;
  return true;
}

/** Scalar SQDMLAL, SQDMLSL, SQDMULL (H -> S, S -> D). */
function prepScalar(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 15;
  if (i.size !== 1 && i.size !== 2) return false;
  i.name = 'S' + NAMES[opcode];
  i.aux0 = opcode; i.aux1 = 1; i.aux2 = 1; i.aux3 = 0;
  i.exec = i.size === 2 ? LONG_64 : LONG_;
  return true;
}

export const SIMD_DIFF: Encoding[] = [
  enc('0QU01110 qq1 mmmmm 0kkk 00 nnnnn ddddd', 'SIMD_three_different', LONG_, prepVec),
  enc('0QU01110 qq1 mmmmm 10kk 00 nnnnn ddddd', 'SIMD_three_different', LONG_, prepVec),
  enc('0QU01110 qq1 mmmmm 110k 00 nnnnn ddddd', 'SIMD_three_different', LONG_, prepVec),
  // PMULL (opcode 1110, U = 0), 8- and 64-bit, is decoded with the crypto extension (crypto.ts).
  enc('01011110 qq1 mmmmm 1001 00 nnnnn ddddd', 'SIMD_scalar_three_different', LONG_, prepScalar),
  enc('01011110 qq1 mmmmm 1011 00 nnnnn ddddd', 'SIMD_scalar_three_different', LONG_, prepScalar),
  enc('01011110 qq1 mmmmm 1101 00 nnnnn ddddd', 'SIMD_scalar_three_different', LONG_, prepScalar),
];
