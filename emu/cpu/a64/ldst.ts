// Arm ARM C4.1.4: Loads and Stores. This file: the general-register loads and stores (LDR/STR of every
// size with the immediate, unscaled, pre/post-index, register-offset, unprivileged and literal forms,
// the sign-extending loads, PRFM) and the pairs (LDP/STP/LDPSW/LDNP/STNP); the SIMD&FP forms (V = 1) are
// in fp_ldst.ts. The exclusive and
// acquire/release forms are in ldst_exclusive.ts, the ARMv8.1 LSE atomics in atomics.ts; LDST is the
// concatenation of all three.
//
// CONSTRAINED UNPREDICTABLE choices (all as QEMU 7.2 does them):
// - Load with writeback and Rn == Rt (Rn != SP): the load is done, then the base is written back, so
//   Rn ends up holding the written-back address (an allowed "base UNKNOWN" outcome).
// - Store with writeback and Rn == Rt: the original value of the register is stored.
// - LDP/LDPSW/LDNP with Rt == Rt2: Rt keeps the value from the lower address (Rt2 is written first).
//   With writeback and Rn == Rt or Rt2, as for single loads, the written-back address wins.
// - STP with writeback and Rn == Rt or Rt2: the original register values are stored.

import { Cpu, SP, XZR } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64 } from '../int64.js';
import { sext } from './branch_sys.js';
import { LDST_EXCLUSIVE, checkSp, ea, prepBase } from './ldst_exclusive.js';
import { ATOMICS } from './atomics.js';

// ---------------------------------------------------------------- single register access

/** The memory operation of a single-register form: size << 2 | opc (bits 31:30 and 23:22). */
const enum Op {
  STRB = 0, LDRB = 1, LDRSB_X = 2, LDRSB_W = 3,
  STRH = 4, LDRH = 5, LDRSH_X = 6, LDRSH_W = 7,
  STR_W = 8, LDR_W = 9, LDRSW = 10,
  STR_X = 12, LDR_X = 13, PRFM = 14,
}

/** Perform memory operation `op` at (lo, hi) with register t. Loads into XZR still access memory. */
function access(c: Cpu, op: number, t: number, lo: number, hi: number): void {
  let v: number;
  switch (op) {
    case Op.STRB: c.write8(lo, hi, c.x[2 * t]); return;
    case Op.LDRB: v = c.read8(lo, hi); if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; } return;
    case Op.LDRSB_X: v = (c.read8(lo, hi) << 24) >> 24; if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = v >> 31; } return;
    case Op.LDRSB_W: v = (c.read8(lo, hi) << 24) >> 24; if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; } return;
    case Op.STRH: c.write16(lo, hi, c.x[2 * t]); return;
    case Op.LDRH: v = c.read16(lo, hi); if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; } return;
    case Op.LDRSH_X: v = (c.read16(lo, hi) << 16) >> 16; if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = v >> 31; } return;
    case Op.LDRSH_W: v = (c.read16(lo, hi) << 16) >> 16; if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; } return;
    case Op.STR_W: c.write32(lo, hi, c.x[2 * t]); return;
    case Op.LDR_W: v = c.read32(lo, hi); if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; } return;
    case Op.LDRSW: v = c.read32(lo, hi); if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = v >> 31; } return;
    case Op.STR_X: c.write64(lo, hi, c.x[2 * t], c.x[2 * t + 1]); return;
    case Op.LDR_X: c.read64(lo, hi); if (t !== XZR) { c.x[2 * t] = R[LO]; c.x[2 * t + 1] = R[HI]; } return;
    default: return; // PRFM: a hint; no access, no fault
  }
}

/** Unsigned offset (imm12 scaled), unscaled (LDUR/STUR) and unprivileged: address = Rn + aux1. */
function LDST_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  access(c, i.aux0, i.rt, R[LO], R[HI]);
}

// The most frequent forms (the unsigned-offset and unscaled 64-bit, 32-bit and byte accesses) get
// handlers of their own, chosen at decode time, so that the access is not a switch at run time.

function LDR_X_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  c.read64(R[LO], R[HI]);
  const t = i.rt;
  if (t !== XZR) { c.x[2 * t] = R[LO]; c.x[2 * t + 1] = R[HI]; }
}

function STR_X_imm(c: Cpu, i: Insn): void {
  const n = i.rn, t = i.rt;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  c.write64(R[LO], R[HI], c.x[2 * t], c.x[2 * t + 1]);
}

function LDR_W_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const v = c.read32(R[LO], R[HI]), t = i.rt;
  if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; }
}

function STR_W_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  c.write32(R[LO], R[HI], c.x[2 * i.rt]);
}

function LDRB_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const v = c.read8(R[LO], R[HI]), t = i.rt;
  if (t !== XZR) { c.x[2 * t] = v; c.x[2 * t + 1] = 0; }
}

function STRB_imm(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  c.write8(R[LO], R[HI], c.x[2 * i.rt]);
}

/** The handler of its own for an LDST_imm row's operation, if it has one. */
function specialize(i: Insn): void {
  if (i.exec !== LDST_imm) return;
  switch (i.aux0) {
    case Op.LDR_X: i.exec = LDR_X_imm; break;
    case Op.STR_X: i.exec = STR_X_imm; break;
    case Op.LDR_W: i.exec = LDR_W_imm; break;
    case Op.STR_W: i.exec = STR_W_imm; break;
    case Op.LDRB: i.exec = LDRB_imm; break;
    case Op.STRB: i.exec = STRB_imm; break;
  }
}

/** LDTR/STTR family: at EL1 the access is checked against EL0's permissions (the Arm ARM's
 * AccType_UNPRIV). The flag makes translate() use Access.ReadUnpriv/WriteUnpriv; with the MMU off it
 * changes nothing. An abort leaves the flag to the run loop, which clears it. */
function LDST_unpriv(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  c.unpriv = c.el === 1 ? 3 : 0;
  access(c, i.aux0, i.rt, R[LO], R[HI]);
  c.unpriv = 0;
}

function LDST_pre(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const lo = R[LO], hi = R[HI];
  access(c, i.aux0, i.rt, lo, hi);
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi; // after the access: a fault leaves the base unchanged
}

function LDST_post(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  access(c, i.aux0, i.rt, lo, hi);
  ea(lo, hi, i.aux1);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

/** Register offset: Rn + (extend(Rm) << aux2); opt is the option field (010 UXTW, 011 LSL, 110 SXTW, 111 SXTX). */
function LDST_reg(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm, opt = i.opt;
  if (n === SP) checkSp(c);
  let olo = c.x[2 * m], ohi: number;
  if (opt === 2) ohi = 0; // UXTW
  else if (opt === 6) ohi = olo >> 31; // SXTW
  else ohi = c.x[2 * m + 1]; // LSL (UXTX), SXTX
  const sh = i.aux2;
  if (sh !== 0) { ohi = (ohi << sh) | (olo >>> (32 - sh)); olo <<= sh; }
  add64(c.x[2 * n], c.x[2 * n + 1], olo, ohi, 0);
  access(c, i.aux0, i.rt, R[LO], R[HI]);
}

/** LDR (literal), LDRSW (literal): address = PC + aux1. */
function LDR_lit(c: Cpu, i: Insn): void {
  c.pcRel(i.aux1);
  access(c, i.aux0, i.rt, R[LO], R[HI]);
}

/** PRFM in every form: a hint. It makes no access, so it takes no fault (not even SP alignment). */
function PRFM(): void {}

// ---------------------------------------------------------------- pairs

/** Pair operation: opc << 1 | L. */
const enum PairOp { STP_W = 0, LDP_W = 1, LDPSW = 3, STP_X = 4, LDP_X = 5 }

function pairAccess(c: Cpu, op: number, t: number, t2: number, lo: number, hi: number): void {
  let a: number, b: number, ah: number, bh: number;
  switch (op) {
    case PairOp.STP_W:
      c.write32(lo, hi, c.x[2 * t]);
      ea(lo, hi, 4);
      c.write32(R[LO], R[HI], c.x[2 * t2]);
      return;
    case PairOp.LDP_W:
      a = c.read32(lo, hi);
      ea(lo, hi, 4);
      b = c.read32(R[LO], R[HI]);
      if (t2 !== XZR) { c.x[2 * t2] = b; c.x[2 * t2 + 1] = 0; }
      if (t !== XZR) { c.x[2 * t] = a; c.x[2 * t + 1] = 0; }
      return;
    case PairOp.LDPSW:
      a = c.read32(lo, hi);
      ea(lo, hi, 4);
      b = c.read32(R[LO], R[HI]);
      if (t2 !== XZR) { c.x[2 * t2] = b; c.x[2 * t2 + 1] = b >> 31; }
      if (t !== XZR) { c.x[2 * t] = a; c.x[2 * t + 1] = a >> 31; }
      return;
    case PairOp.STP_X:
      c.write64(lo, hi, c.x[2 * t], c.x[2 * t + 1]);
      ea(lo, hi, 8);
      c.write64(R[LO], R[HI], c.x[2 * t2], c.x[2 * t2 + 1]);
      return;
    default: // LDP_X
      c.read64(lo, hi); a = R[LO]; ah = R[HI];
      ea(lo, hi, 8);
      c.read64(R[LO], R[HI]); b = R[LO]; bh = R[HI];
      if (t2 !== XZR) { c.x[2 * t2] = b; c.x[2 * t2 + 1] = bh; }
      if (t !== XZR) { c.x[2 * t] = a; c.x[2 * t + 1] = ah; }
      return;
  }
}

/** Signed offset, and the non-temporal LDNP/STNP (the hint means nothing here). */
function LDSTP_off(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  pairAccess(c, i.aux0, i.rt, i.rt2, R[LO], R[HI]);
}

function LDSTP_pre(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const lo = R[LO], hi = R[HI];
  pairAccess(c, i.aux0, i.rt, i.rt2, lo, hi);
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi;
}

function LDSTP_post(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  pairAccess(c, i.aux0, i.rt, i.rt2, lo, hi);
  ea(lo, hi, i.aux1);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

// ---------------------------------------------------------------- decode-time preparation

/** op = size << 2 | opc, read from the word (the single-register rows fix both). */
function opOf(i: Insn): number {
  return ((i.word >>> 28) & 0xc) | ((i.word >>> 22) & 3);
}

function prepUimm(i: Insn): boolean {
  prepBase(i);
  i.aux0 = opOf(i);
  i.aux1 = i.imm << (i.word >>> 30); // imm12 scaled by the access size
  specialize(i);
  return true;
}

function prepSimm9(i: Insn): boolean {
  prepBase(i);
  i.aux0 = opOf(i);
  i.aux1 = sext(i.imm, 9);
  specialize(i);
  return true;
}

/** Register offset: option<1> = 0 is UNDEFINED; aux2 = shift (S ? size : 0). */
function prepReg(i: Insn): boolean {
  if ((i.opt & 2) === 0) return false;
  prepBase(i);
  i.aux0 = opOf(i);
  i.aux2 = i.S !== 0 ? i.word >>> 30 : 0;
  return true;
}

function prepLit(i: Insn): boolean {
  const opc = i.word >>> 30; // 00 LDR W, 01 LDR X, 10 LDRSW, 11 PRFM
  i.aux0 = opc === 0 ? Op.LDR_W : opc === 1 ? Op.LDR_X : opc === 2 ? Op.LDRSW : Op.PRFM;
  i.aux1 = sext(i.imm, 19) * 4;
  return true;
}

/** Pairs: opc in bits 31:30, L in bit 22. aux0 = opc << 1 | L, aux1 = imm7 scaled. */
function prepPair(i: Insn): boolean {
  prepBase(i);
  const opc = i.word >>> 30, L = (i.word >>> 22) & 1;
  i.aux0 = (opc << 1) | L;
  i.aux1 = sext(i.imm, 7) * (opc === 2 ? 8 : 4);
  return true;
}

// ---------------------------------------------------------------- decode table

function bits(v: number, n: number): string {
  return v.toString(2).padStart(n, '0');
}

/** [size, opc, LDR/STR name, unscaled name, unprivileged name (null: unallocated)] */
const SINGLE: [number, number, string, string, string | null][] = [
  [0, 0, 'STRB', 'STURB', 'STTRB'],
  [0, 1, 'LDRB', 'LDURB', 'LDTRB'],
  [0, 2, 'LDRSB_x', 'LDURSB_x', 'LDTRSB_x'],
  [0, 3, 'LDRSB_w', 'LDURSB_w', 'LDTRSB_w'],
  [1, 0, 'STRH', 'STURH', 'STTRH'],
  [1, 1, 'LDRH', 'LDURH', 'LDTRH'],
  [1, 2, 'LDRSH_x', 'LDURSH_x', 'LDTRSH_x'],
  [1, 3, 'LDRSH_w', 'LDURSH_w', 'LDTRSH_w'],
  [2, 0, 'STR_w', 'STUR_w', 'STTR_w'],
  [2, 1, 'LDR_w', 'LDUR_w', 'LDTR_w'],
  [2, 2, 'LDRSW', 'LDURSW', 'LDTRSW'],
  [3, 0, 'STR_x', 'STUR_x', 'STTR_x'],
  [3, 1, 'LDR_x', 'LDUR_x', 'LDTR_x'],
  [3, 2, 'PRFM', 'PRFUM', null],
  // size 10 and 11 with opc 11 are unallocated (no rows).
];

function singleRows(): Encoding[] {
  const rows: Encoding[] = [];
  for (const [size, opc, name, uname, tname] of SINGLE) {
    const so = `${bits(size, 2)} 111 0`;
    const o = bits(opc, 2);
    const prfm = name === 'PRFM';
    rows.push(enc(`${so} 01 ${o} iiiiiiiiiiii nnnnn ttttt`, `${name}_uimm`, prfm ? PRFM : LDST_imm, prepUimm));
    rows.push(enc(`${so} 00 ${o} 0 iiiiiiiii 00 nnnnn ttttt`, uname, prfm ? PRFM : LDST_imm, prepSimm9));
    if (!prfm) {
      rows.push(enc(`${so} 00 ${o} 0 iiiiiiiii 01 nnnnn ttttt`, `${name}_post`, LDST_post, prepSimm9));
      rows.push(enc(`${so} 00 ${o} 0 iiiiiiiii 11 nnnnn ttttt`, `${name}_pre`, LDST_pre, prepSimm9));
    }
    if (tname !== null) rows.push(enc(`${so} 00 ${o} 0 iiiiiiiii 10 nnnnn ttttt`, tname, LDST_unpriv, prepSimm9));
    rows.push(enc(`${so} 00 ${o} 1 mmmmm xxx S 10 nnnnn ttttt`, `${name}_reg`, prfm ? PRFM : LDST_reg, prepReg));
  }
  return rows;
}

function pairRows(): Encoding[] {
  const rows: Encoding[] = [];
  // Bits 25:23: 000 non-temporal (signed offset), 001 post-index, 010 signed offset, 011 pre-index.
  const forms: [string, string, (c: Cpu, i: Insn) => void][] = [
    ['001', '_post', LDSTP_post], ['010', '_off', LDSTP_off], ['011', '_pre', LDSTP_pre],
  ];
  rows.push(enc('z0 101 0 000 0 iiiiiii uuuuu nnnnn ttttt', 'STNP', LDSTP_off, prepPair));
  rows.push(enc('z0 101 0 000 1 iiiiiii uuuuu nnnnn ttttt', 'LDNP', LDSTP_off, prepPair));
  for (const [f, sfx, h] of forms) {
    rows.push(enc(`z0 101 0 ${f} 0 iiiiiii uuuuu nnnnn ttttt`, `STP${sfx}`, h, prepPair));
    rows.push(enc(`z0 101 0 ${f} 1 iiiiiii uuuuu nnnnn ttttt`, `LDP${sfx}`, h, prepPair));
    rows.push(enc(`01 101 0 ${f} 1 iiiiiii uuuuu nnnnn ttttt`, `LDPSW${sfx}`, h, prepPair));
  }
  // opc = 01 with L = 0 (STGP, MTE) and opc = 11 are unallocated; so are LDNP/STNP with opc = 01.
  return rows;
}

const LITERAL: Encoding[] = [
  enc('0z 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', 'LDR_lit', LDR_lit, prepLit),
  enc('10 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', 'LDRSW_lit', LDR_lit, prepLit),
  enc('11 011 0 00 iiiiiiiiiiiiiiiiiii ttttt', 'PRFM_lit', PRFM, prepLit),
];

export const LDST: Encoding[] = [
  ...singleRows(),
  ...pairRows(),
  ...LITERAL,
  ...LDST_EXCLUSIVE,
  ...ATOMICS,
];
