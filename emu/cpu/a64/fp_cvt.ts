// Arm ARM C4.1.6, scalar floating-point conversions: FCVT between half, single and double precision
// and FRINT* (in the 1-source class), conversion between floating-point and integer (FCVT[NPMZA][SU],
// SCVTF, UCVTF) and between floating-point and fixed-point (SCVTF, UCVTF, FCVTZS, FCVTZU with #fbits).
//
// FMOV (general) shares the FP<->integer class (opcode 110/111) but lives in fp_mov.ts. ftype 11 is
// half precision: only FCVT from it is ARMv8.0; its other forms stay UNDEFINED through the catch-all.
// Decode-time constants: aux0 = FPRounding (-1: the FPCR's), aux1 = unsigned / FRINTX exact,
// aux2 = fraction bits.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Handler, Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import * as fp from '../fp/index.js';
import { fpEnabled, setVS, setVD, setVH, FP_UNALLOCATED } from './simd_fp.js';

const rounding = (c: Cpu, i: Insn): number => (i.aux0 < 0 ? fp.fpcrRounding(c) : i.aux0);

// ---------------------------------------------------------------- FCVT (precision)

function fcvtSD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.sToD(c, c.vw[i.rn * 4]);
  setVD(c, i.rd, R[LO], R[HI]);
}
function fcvtDS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  setVS(c, i.rd, fp.dToS(c, c.vw[n], c.vw[n + 1]));
}
function fcvtSH(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVH(c, i.rd, fp.sToH(c, c.vw[i.rn * 4]));
}
function fcvtDH(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  setVH(c, i.rd, fp.dToH(c, c.vw[n], c.vw[n + 1]));
}
function fcvtHS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.hToS(c, c.vh[i.rn * 8]));
}
function fcvtHD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.hToD(c, c.vh[i.rn * 8]);
  setVD(c, i.rd, R[LO], R[HI]);
}

// ---------------------------------------------------------------- FRINT*

function frintS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sRoundInt(c, c.vw[i.rn * 4], rounding(c, i), i.aux1 !== 0));
}
function frintD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  fp.dRoundInt(c, c.vw[n], c.vw[n + 1], rounding(c, i), i.aux1 !== 0);
  setVD(c, i.rd, R[LO], R[HI]);
}

/** FRINT<N,P,M,Z,A,X,I>: rounding, exact. */
function prepFrint(r: number, exact: boolean): (i: Insn) => boolean {
  return (i: Insn): boolean => { i.aux0 = r; i.aux1 = exact ? 1 : 0; return true; };
}

// ---------------------------------------------------------------- FP -> integer / fixed point
// Rd = 31 is XZR (setX/setW discard).

function cvtToIntS32(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.sToInt(c, c.vw[i.rn * 4], i.aux2, i.aux1 !== 0, rounding(c, i), false);
  c.setW(i.rd, R[LO]);
}
function cvtToIntS64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.sToInt(c, c.vw[i.rn * 4], i.aux2, i.aux1 !== 0, rounding(c, i), true);
  c.setX(i.rd, R[LO], R[HI]);
}
function cvtToIntD32(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  fp.dToInt(c, c.vw[n], c.vw[n + 1], i.aux2, i.aux1 !== 0, rounding(c, i), false);
  c.setW(i.rd, R[LO]);
}
function cvtToIntD64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  fp.dToInt(c, c.vw[n], c.vw[n + 1], i.aux2, i.aux1 !== 0, rounding(c, i), true);
  c.setX(i.rd, R[LO], R[HI]);
}

// ---------------------------------------------------------------- integer / fixed point -> FP
// Rn = 31 is XZR (its halves in c.x read as zero).

function cvtFromInt32S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.intToS(c, c.x[2 * i.rn], 0, false, i.aux1 !== 0, i.aux2, fp.fpcrRounding(c)));
}
function cvtFromInt64S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.intToS(c, c.x[2 * i.rn], c.x[2 * i.rn + 1], true, i.aux1 !== 0, i.aux2, fp.fpcrRounding(c)));
}
function cvtFromInt32D(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.intToD(c, c.x[2 * i.rn], 0, false, i.aux1 !== 0, i.aux2, fp.fpcrRounding(c));
  setVD(c, i.rd, R[LO], R[HI]);
}
function cvtFromInt64D(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  fp.intToD(c, c.x[2 * i.rn], c.x[2 * i.rn + 1], true, i.aux1 !== 0, i.aux2, fp.fpcrRounding(c));
  setVD(c, i.rd, R[LO], R[HI]);
}

/** FP<->integer: rounding (-1 = FPCR), unsigned. */
function prepInt(r: number, unsigned: boolean): (i: Insn) => boolean {
  return (i: Insn): boolean => { i.aux0 = r; i.aux1 = unsigned ? 1 : 0; i.aux2 = 0; return true; };
}

/** FP<->fixed point: fbits = 64 - scale; a 32-bit form needs scale<5> = 1 (fbits <= 32), else the
 * encoding is unallocated (it still takes the FP access trap first). */
function prepFixed(r: number, unsigned: boolean): (i: Insn) => boolean {
  return (i: Insn): boolean => {
    i.aux0 = r; i.aux1 = unsigned ? 1 : 0; i.aux2 = 64 - i.imm;
    if (i.word >= 0 && (i.imm & 0x20) === 0) i.exec = FP_UNALLOCATED; // sf = 0
    return true;
  };
}

// ---------------------------------------------------------------- the rows

const FRINT: [string, string, number, boolean][] = [
  ['001000', 'FRINTN', fp.RND_TIEEVEN, false], ['001001', 'FRINTP', fp.RND_POSINF, false],
  ['001010', 'FRINTM', fp.RND_NEGINF, false], ['001011', 'FRINTZ', fp.RND_ZERO, false],
  ['001100', 'FRINTA', fp.RND_TIEAWAY, false], ['001110', 'FRINTX', -1, true], ['001111', 'FRINTI', -1, false],
];

/** FCVT[NPMZ][SU] (rmode, opcode 00U) and FCVTA[SU] (rmode 00, opcode 10U). */
const TO_INT: [string, string, string, number, boolean][] = [
  ['00', '000', 'FCVTNS', fp.RND_TIEEVEN, false], ['00', '001', 'FCVTNU', fp.RND_TIEEVEN, true],
  ['01', '000', 'FCVTPS', fp.RND_POSINF, false], ['01', '001', 'FCVTPU', fp.RND_POSINF, true],
  ['10', '000', 'FCVTMS', fp.RND_NEGINF, false], ['10', '001', 'FCVTMU', fp.RND_NEGINF, true],
  ['11', '000', 'FCVTZS', fp.RND_ZERO, false], ['11', '001', 'FCVTZU', fp.RND_ZERO, true],
  ['00', '100', 'FCVTAS', fp.RND_TIEAWAY, false], ['00', '101', 'FCVTAU', fp.RND_TIEAWAY, true],
];

/** The four sf/ftype rows of a conversion: handlers [S->32, S->64, D->32, D->64] (or the reverse). */
function sizes(pattern: string, name: string, h: Handler[], prepare: (i: Insn) => boolean): Encoding[] {
  const row = (sf: string, t: string, k: number, sz: string): Encoding =>
    enc(sf + pattern.replace('TT', t), `${name}_${sz}`, h[k], prepare);
  return [row('0', '00', 0, '32S'), row('1', '00', 1, '64S'), row('0', '01', 2, '32D'), row('1', '01', 3, '64D')];
}

const TO_INT_H = [cvtToIntS32, cvtToIntS64, cvtToIntD32, cvtToIntD64];
const FROM_INT_H = [cvtFromInt32S, cvtFromInt64S, cvtFromInt32D, cvtFromInt64D];

export const FP_CVT: Encoding[] = [
  // FCVT: M 0 S 11110 ftype 1 0001 opc 10000 Rn Rd (opc: the destination type)
  enc('0 0 0 11110 00 1 0001 01 10000 nnnnn ddddd', 'FCVT_SD', fcvtSD),
  enc('0 0 0 11110 00 1 0001 11 10000 nnnnn ddddd', 'FCVT_SH', fcvtSH),
  enc('0 0 0 11110 01 1 0001 00 10000 nnnnn ddddd', 'FCVT_DS', fcvtDS),
  enc('0 0 0 11110 01 1 0001 11 10000 nnnnn ddddd', 'FCVT_DH', fcvtDH),
  enc('0 0 0 11110 11 1 0001 00 10000 nnnnn ddddd', 'FCVT_HS', fcvtHS),
  enc('0 0 0 11110 11 1 0001 01 10000 nnnnn ddddd', 'FCVT_HD', fcvtHD),

  // FRINT*: M 0 S 11110 ftype 1 001 rmode 10000 Rn Rd
  ...FRINT.flatMap(([op, name, r, x]) => [
    enc(`0 0 0 11110 00 1 ${op} 10000 nnnnn ddddd`, `${name}_S`, frintS, prepFrint(r, x)),
    enc(`0 0 0 11110 01 1 ${op} 10000 nnnnn ddddd`, `${name}_D`, frintD, prepFrint(r, x)),
  ]),

  // FP <-> integer: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd
  ...TO_INT.flatMap(([rm, op, name, r, u]) => sizes(` 0 0 11110 TT 1 ${rm} ${op} 000000 nnnnn ddddd`, name, TO_INT_H, prepInt(r, u))),
  ...sizes(' 0 0 11110 TT 1 00 010 000000 nnnnn ddddd', 'SCVTF', FROM_INT_H, prepInt(-1, false)),
  ...sizes(' 0 0 11110 TT 1 00 011 000000 nnnnn ddddd', 'UCVTF', FROM_INT_H, prepInt(-1, true)),

  // FP <-> fixed point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd
  ...sizes(' 0 0 11110 TT 0 11 000 iiiiii nnnnn ddddd', 'FCVTZS_fix', TO_INT_H, prepFixed(fp.RND_ZERO, false)),
  ...sizes(' 0 0 11110 TT 0 11 001 iiiiii nnnnn ddddd', 'FCVTZU_fix', TO_INT_H, prepFixed(fp.RND_ZERO, true)),
  ...sizes(' 0 0 11110 TT 0 00 010 iiiiii nnnnn ddddd', 'SCVTF_fix', FROM_INT_H, prepFixed(-1, false)),
  ...sizes(' 0 0 11110 TT 0 00 011 iiiiii nnnnn ddddd', 'UCVTF_fix', FROM_INT_H, prepFixed(-1, true)),
];
