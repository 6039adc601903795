// Arm ARM C4.1.4 (Loads and Stores) with V = 1, and the AdvSIMD load/store structure classes: every
// SIMD&FP load and store.
// - LDR/STR of B, H, S, D and Q: unsigned offset, unscaled (LDUR/STUR), pre- and post-index, register
//   offset; LDR (literal) of S, D and Q.
// - LDP/STP/LDNP/STNP of S, D and Q in every form.
// - LD1-LD4/ST1-ST4 (multiple structures), LD1-LD4/ST1-ST4 (single structure, one lane), LD1R-LD4R,
//   each with and without post-index (immediate: Rm = 31, or register).
//
// Every handler calls fpEnabled() first (CheckFPAdvSIMDEnabled64), then checks SP alignment when the
// base is SP, as the integer forms do. A 128-bit access is two 64-bit accesses (lower address first);
// with SCTLR_ELx.A set, it must be 16-byte aligned.
//
// What a fault leaves behind (as QEMU 7.2 does): a single-register load writes its register only after
// the whole access; a pair writes Rt before it loads Rt2; structure loads write each element into its
// register as it is loaded (the 64-bit forms' upper halves are cleared at the end), so a fault in the
// middle leaves the elements loaded so far; stores write element by element; the base register is
// written back only after every access.

import { Access, Cpu, SP } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64 } from '../int64.js';
import { sext } from './branch_sys.js';
import { checkSp, ea, FSC_ALIGNMENT, prepBase } from './ldst_exclusive.js';
import { fpEnabled } from './simd_fp.js';

// ---------------------------------------------------------------- whole registers (B/H/S/D/Q)

/** Load 2^log bytes at (lo, hi) into Vt, zeroing the rest of the register. */
function fpLoad(c: Cpu, log: number, t: number, lo: number, hi: number): void {
  const b = t << 2, vw = c.vw;
  switch (log) {
    case 0: vw[b] = c.read8(lo, hi); break;
    case 1: vw[b] = c.read16(lo, hi); break;
    case 2: vw[b] = c.read32(lo, hi); break;
    case 3: c.read64(lo, hi); vw[b] = R[LO]; vw[b + 1] = R[HI]; vw[b + 2] = 0; vw[b + 3] = 0; return;
    default: {
      if (c.alignCheck && (lo & 15) !== 0) c.memAbort(lo, hi, Access.Read, FSC_ALIGNMENT);
      c.read64(lo, hi);
      const a = R[LO], ah = R[HI];
      ea(lo, hi, 8);
      c.read64(R[LO], R[HI]);
      vw[b] = a; vw[b + 1] = ah; vw[b + 2] = R[LO]; vw[b + 3] = R[HI];
      return;
    }
  }
  vw[b + 1] = 0; vw[b + 2] = 0; vw[b + 3] = 0;
}

/** Store the low 2^log bytes of Vt at (lo, hi). */
function fpStore(c: Cpu, log: number, t: number, lo: number, hi: number): void {
  const b = t << 2, vw = c.vw;
  switch (log) {
    case 0: c.write8(lo, hi, vw[b]); return;
    case 1: c.write16(lo, hi, vw[b]); return;
    case 2: c.write32(lo, hi, vw[b]); return;
    case 3: c.write64(lo, hi, vw[b], vw[b + 1]); return;
    default: {
      if (c.alignCheck && (lo & 15) !== 0) c.memAbort(lo, hi, Access.Write, FSC_ALIGNMENT);
      c.write64(lo, hi, vw[b], vw[b + 1]);
      ea(lo, hi, 8);
      c.write64(R[LO], R[HI], vw[b + 2], vw[b + 3]);
    }
  }
}

// Single register. aux0 = log2 of the access size, aux1 = offset (immediate forms), aux2 = shift
// (register offset). One handler per addressing form and direction.

function LDR_fp_imm(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  fpLoad(c, i.aux0, i.rt, R[LO], R[HI]);
}

function STR_fp_imm(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  fpStore(c, i.aux0, i.rt, R[LO], R[HI]);
}

function LDR_fp_pre(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const lo = R[LO], hi = R[HI];
  fpLoad(c, i.aux0, i.rt, lo, hi);
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi;
}

function STR_fp_pre(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const lo = R[LO], hi = R[HI];
  fpStore(c, i.aux0, i.rt, lo, hi);
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi;
}

function LDR_fp_post(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  fpLoad(c, i.aux0, i.rt, lo, hi);
  ea(lo, hi, i.aux1);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

function STR_fp_post(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  fpStore(c, i.aux0, i.rt, lo, hi);
  ea(lo, hi, i.aux1);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

/** Register offset into R: Rn + (extend(Rm) << aux2); opt 010 UXTW, 011 LSL, 110 SXTW, 111 SXTX. */
function regOffset(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm, opt = i.opt;
  if (n === SP) checkSp(c);
  let olo = c.x[2 * m], ohi: number;
  if (opt === 2) ohi = 0;
  else if (opt === 6) ohi = olo >> 31;
  else ohi = c.x[2 * m + 1];
  const sh = i.aux2;
  if (sh !== 0) { ohi = (ohi << sh) | (olo >>> (32 - sh)); olo <<= sh; }
  add64(c.x[2 * n], c.x[2 * n + 1], olo, ohi, 0);
}

function LDR_fp_reg(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  regOffset(c, i);
  fpLoad(c, i.aux0, i.rt, R[LO], R[HI]);
}

function STR_fp_reg(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  regOffset(c, i);
  fpStore(c, i.aux0, i.rt, R[LO], R[HI]);
}

function LDR_fp_lit(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  c.pcRel(i.aux1);
  fpLoad(c, i.aux0, i.rt, R[LO], R[HI]);
}

// Pairs: aux0 = log2 of one register's size, aux1 = imm7 scaled.

function pairAccess(c: Cpu, i: Insn, load: boolean, lo: number, hi: number): void {
  const log = i.aux0;
  ea(lo, hi, 1 << log);
  const lo2 = R[LO], hi2 = R[HI];
  if (load) { fpLoad(c, log, i.rt, lo, hi); fpLoad(c, log, i.rt2, lo2, hi2); }
  else { fpStore(c, log, i.rt, lo, hi); fpStore(c, log, i.rt2, lo2, hi2); }
}

function LDP_fp_off(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  pairAccess(c, i, true, R[LO], R[HI]);
}

function STP_fp_off(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  pairAccess(c, i, false, R[LO], R[HI]);
}

function LDSTP_fp_pre(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  ea(c.x[2 * n], c.x[2 * n + 1], i.aux1);
  const lo = R[LO], hi = R[HI];
  pairAccess(c, i, i.aux3 !== 0, lo, hi);
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi;
}

function LDSTP_fp_post(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  pairAccess(c, i, i.aux3 !== 0, lo, hi);
  ea(lo, hi, i.aux1);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

// ---------------------------------------------------------------- structures

/** Load (or store) element e of 2^log bytes of Vt at (lo, hi). */
function elemLoad(c: Cpu, log: number, t: number, e: number, lo: number, hi: number): void {
  switch (log) {
    case 0: c.vb[(t << 4) + e] = c.read8(lo, hi); return;
    case 1: c.vh[(t << 3) + e] = c.read16(lo, hi); return;
    case 2: c.vw[(t << 2) + e] = c.read32(lo, hi); return;
    default: c.read64(lo, hi); c.vw[(t << 2) + 2 * e] = R[LO]; c.vw[(t << 2) + 2 * e + 1] = R[HI];
  }
}

function elemStore(c: Cpu, log: number, t: number, e: number, lo: number, hi: number): void {
  switch (log) {
    case 0: c.write8(lo, hi, c.vb[(t << 4) + e]); return;
    case 1: c.write16(lo, hi, c.vh[(t << 3) + e]); return;
    case 2: c.write32(lo, hi, c.vw[(t << 2) + e]); return;
    default: c.write64(lo, hi, c.vw[(t << 2) + 2 * e], c.vw[(t << 2) + 2 * e + 1]);
  }
}

/** Post-index writeback: Rn = base + (Rm = 31 ? the bytes transferred : Xm). */
function postIndex(c: Cpu, i: Insn, blo: number, bhi: number): void {
  const n = i.rn, m = i.rm;
  if (m === 31) ea(blo, bhi, i.aux3);
  else add64(blo, bhi, c.x[2 * m], c.x[2 * m + 1], 0);
  c.x[2 * n] = R[LO]; c.x[2 * n + 1] = R[HI];
}

/** LD1-LD4/ST1-ST4 (multiple structures). aux0 = rpt, aux1 = selem, aux2 = log2 of the element size,
 * aux3 = bytes transferred; i.Q. Consecutive elements of one register (selem = 1) go as 64-bit
 * accesses when no alignment check applies (as QEMU does: the order is the same). */
function multiple(c: Cpu, i: Insn, load: boolean, post: boolean): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const blo = c.x[2 * n], bhi = c.x[2 * n + 1];
  const rpt = i.aux0, selem = i.aux1, q = i.Q, rt = i.rt;
  let lo = blo, hi = bhi;
  if (selem === 1 && !c.alignCheck) {
    const halves = q + 1;
    for (let r = 0; r < rpt; r++) {
      const t = (rt + r) & 31;
      for (let k = 0; k < halves; k++) {
        if (load) elemLoad(c, 3, t, k, lo, hi);
        else elemStore(c, 3, t, k, lo, hi);
        ea(lo, hi, 8); lo = R[LO]; hi = R[HI];
      }
    }
  } else {
    const log = i.aux2, esize = 1 << log, elements = (8 << q) >> log;
    for (let r = 0; r < rpt; r++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++) {
          const t = (rt + r + s) & 31;
          if (load) elemLoad(c, log, t, e, lo, hi);
          else elemStore(c, log, t, e, lo, hi);
          ea(lo, hi, esize); lo = R[LO]; hi = R[HI];
        }
      }
    }
  }
  if (load && q === 0) {
    // A 64-bit form clears bits [127:64] of every register it loads.
    for (let r = 0; r < rpt * selem; r++) { const b = ((rt + r) & 31) << 2; c.vw[b + 2] = 0; c.vw[b + 3] = 0; }
  }
  if (post) postIndex(c, i, blo, bhi);
}

function LDn_multiple(c: Cpu, i: Insn): void { multiple(c, i, true, false); }
function STn_multiple(c: Cpu, i: Insn): void { multiple(c, i, false, false); }
function LDn_multiple_post(c: Cpu, i: Insn): void { multiple(c, i, true, true); }
function STn_multiple_post(c: Cpu, i: Insn): void { multiple(c, i, false, true); }

/** LD1-LD4/ST1-ST4 (single structure): element aux2 of 2^aux0 bytes of selem = aux1 registers. */
function lane(c: Cpu, i: Insn, load: boolean, post: boolean): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const blo = c.x[2 * n], bhi = c.x[2 * n + 1];
  const log = i.aux0, selem = i.aux1, e = i.aux2;
  let lo = blo, hi = bhi;
  for (let s = 0; s < selem; s++) {
    const t = (i.rt + s) & 31;
    if (load) elemLoad(c, log, t, e, lo, hi);
    else elemStore(c, log, t, e, lo, hi);
    ea(lo, hi, 1 << log); lo = R[LO]; hi = R[HI];
  }
  if (post) postIndex(c, i, blo, bhi);
}

function LDn_single(c: Cpu, i: Insn): void { lane(c, i, true, false); }
function STn_single(c: Cpu, i: Insn): void { lane(c, i, false, false); }
function LDn_single_post(c: Cpu, i: Insn): void { lane(c, i, true, true); }
function STn_single_post(c: Cpu, i: Insn): void { lane(c, i, false, true); }

/** LD1R-LD4R: one element of 2^aux0 bytes per register, replicated to every lane (64-bit forms clear
 * bits [127:64]). */
function replicate(c: Cpu, i: Insn, post: boolean): void {
  if (!fpEnabled(c)) return;
  const n = i.rn;
  if (n === SP) checkSp(c);
  const blo = c.x[2 * n], bhi = c.x[2 * n + 1];
  const log = i.aux0, selem = i.aux1, q = i.Q;
  const vw = c.vw;
  let lo = blo, hi = bhi;
  for (let s = 0; s < selem; s++) {
    const b = ((i.rt + s) & 31) << 2;
    let w0: number, w1: number;
    switch (log) {
      case 0: w0 = Math.imul(c.read8(lo, hi), 0x01010101); w1 = w0; break;
      case 1: w0 = c.read16(lo, hi); w0 |= w0 << 16; w1 = w0; break;
      case 2: w0 = c.read32(lo, hi); w1 = w0; break;
      default: c.read64(lo, hi); w0 = R[LO]; w1 = R[HI];
    }
    vw[b] = w0; vw[b + 1] = w1;
    if (q !== 0) { vw[b + 2] = w0; vw[b + 3] = w1; } else { vw[b + 2] = 0; vw[b + 3] = 0; }
    ea(lo, hi, 1 << log); lo = R[LO]; hi = R[HI];
  }
  if (post) postIndex(c, i, blo, bhi);
}

function LDnR(c: Cpu, i: Insn): void { replicate(c, i, false); }
function LDnR_post(c: Cpu, i: Insn): void { replicate(c, i, true); }

// ---------------------------------------------------------------- decode-time preparation

/** log2 of a single register's size from size (bits 31:30) and opc<1> (i.opc here): Q is size = 00
 * with opc<1> = 1; other sizes with opc<1> = 1 are unallocated. */
function singleLog(i: Insn): number {
  const size = i.word >>> 30;
  if (i.opc === 0) return size;
  return size === 0 ? 4 : -1;
}

function prepUimm(i: Insn): boolean {
  const log = singleLog(i);
  if (log < 0) return false;
  prepBase(i);
  i.aux0 = log;
  i.aux1 = i.imm << log;
  return true;
}

function prepSimm9(i: Insn): boolean {
  const log = singleLog(i);
  if (log < 0) return false;
  prepBase(i);
  i.aux0 = log;
  i.aux1 = sext(i.imm, 9);
  return true;
}

function prepReg(i: Insn): boolean {
  const log = singleLog(i);
  if (log < 0 || (i.opt & 2) === 0) return false;
  prepBase(i);
  i.aux0 = log;
  i.aux2 = i.S !== 0 ? log : 0;
  return true;
}

/** Literal: opc (bits 31:30) 00 S, 01 D, 10 Q, 11 unallocated. */
function prepLit(i: Insn): boolean {
  const opc = i.word >>> 30;
  if (opc === 3) return false;
  i.aux0 = opc + 2;
  i.aux1 = sext(i.imm, 19) * 4;
  return true;
}

/** Pairs: opc (bits 31:30) 00 S, 01 D, 10 Q, 11 unallocated; aux3 = L. */
function prepPair(i: Insn): boolean {
  const opc = i.word >>> 30;
  if (opc === 3) return false;
  prepBase(i);
  i.aux0 = opc + 2;
  i.aux1 = sext(i.imm, 7) << (opc + 2);
  i.aux3 = (i.word >>> 22) & 1;
  return true;
}

/** Multiple structures: opcode -> rpt and selem; .1D with selem > 1 is reserved. */
function prepMultiple(i: Insn): boolean {
  let rpt: number, selem: number;
  switch (i.opc) {
    case 0b0000: rpt = 1; selem = 4; break;
    case 0b0010: rpt = 4; selem = 1; break;
    case 0b0100: rpt = 1; selem = 3; break;
    case 0b0110: rpt = 3; selem = 1; break;
    case 0b0111: rpt = 1; selem = 1; break;
    case 0b1000: rpt = 1; selem = 2; break;
    case 0b1010: rpt = 2; selem = 1; break;
    default: return false;
  }
  if (i.size === 3 && i.Q === 0 && selem !== 1) return false;
  prepBase(i);
  i.aux0 = rpt; i.aux1 = selem; i.aux2 = i.size;
  i.aux3 = rpt * selem * (8 << i.Q);
  return true;
}

/** Single structure: opcode (ooo), S, size, R (i.o), L (1 for the load rows). Chooses the replicate
 * handler for opcode 11x. */
function prepSingle(i: Insn, load: boolean, post: boolean): boolean {
  const opcode = i.opc, size = i.size, S = i.S, q = i.Q;
  const selem = (((opcode & 1) << 1) | i.o) + 1;
  let scale = opcode >>> 1, index: number;
  switch (scale) {
    case 3: // LDnR
      if (!load || S !== 0) return false;
      scale = size;
      index = 0;
      i.exec = post ? LDnR_post : LDnR;
      break;
    case 0: index = (q << 3) | (S << 2) | size; break;
    case 1:
      if ((size & 1) !== 0) return false;
      index = (q << 2) | (S << 1) | (size >>> 1);
      break;
    default: // 2: S, or D when size = 01 (with S = 0)
      if ((size & 2) !== 0) return false;
      if (size === 0) index = (q << 1) | S;
      else {
        if (S !== 0) return false;
        index = q;
        scale = 3;
      }
  }
  prepBase(i);
  i.aux0 = scale; i.aux1 = selem; i.aux2 = index;
  i.aux3 = selem << scale;
  return true;
}

// ---------------------------------------------------------------- decode table

function bits(v: number, n: number): string {
  return v.toString(2).padStart(n, '0');
}

type Handler = (c: Cpu, i: Insn) => void;

function singleRows(): Encoding[] {
  const rows: Encoding[] = [];
  // Load/store in opc<0> (fixed per row); opc<1> in the 'o' field, size in 'qq'.
  for (const [L, name, imm, pre, post, reg] of [
    [1, 'LDR', LDR_fp_imm, LDR_fp_pre, LDR_fp_post, LDR_fp_reg],
    [0, 'STR', STR_fp_imm, STR_fp_pre, STR_fp_post, STR_fp_reg],
  ] as [number, string, Handler, Handler, Handler, Handler][]) {
    rows.push(enc(`qq 111 1 01 o${L} iiiiiiiiiiii nnnnn ttttt`, `${name}_fp_uimm`, imm, prepUimm));
    rows.push(enc(`qq 111 1 00 o${L} 0 iiiiiiiii 00 nnnnn ttttt`, `${name[0]}${name[1]}UR_fp`, imm, prepSimm9));
    rows.push(enc(`qq 111 1 00 o${L} 0 iiiiiiiii 01 nnnnn ttttt`, `${name}_fp_post`, post, prepSimm9));
    rows.push(enc(`qq 111 1 00 o${L} 0 iiiiiiiii 11 nnnnn ttttt`, `${name}_fp_pre`, pre, prepSimm9));
    rows.push(enc(`qq 111 1 00 o${L} 1 mmmmm xxx S 10 nnnnn ttttt`, `${name}_fp_reg`, reg, prepReg));
  }
  rows.push(enc('qq 011 1 00 iiiiiiiiiiiiiiiiiii ttttt', 'LDR_fp_lit', LDR_fp_lit, prepLit));
  return rows;
}

function pairRows(): Encoding[] {
  // Bits 24:23: 00 non-temporal (signed offset), 01 post-index, 10 signed offset, 11 pre-index.
  return [
    enc('qq 101 1 0 00 1 iiiiiii uuuuu nnnnn ttttt', 'LDNP_fp', LDP_fp_off, prepPair),
    enc('qq 101 1 0 00 0 iiiiiii uuuuu nnnnn ttttt', 'STNP_fp', STP_fp_off, prepPair),
    enc('qq 101 1 0 10 1 iiiiiii uuuuu nnnnn ttttt', 'LDP_fp_off', LDP_fp_off, prepPair),
    enc('qq 101 1 0 10 0 iiiiiii uuuuu nnnnn ttttt', 'STP_fp_off', STP_fp_off, prepPair),
    enc('qq 101 1 0 01 1 iiiiiii uuuuu nnnnn ttttt', 'LDP_fp_post', LDSTP_fp_post, prepPair),
    enc('qq 101 1 0 01 0 iiiiiii uuuuu nnnnn ttttt', 'STP_fp_post', LDSTP_fp_post, prepPair),
    enc('qq 101 1 0 11 1 iiiiiii uuuuu nnnnn ttttt', 'LDP_fp_pre', LDSTP_fp_pre, prepPair),
    enc('qq 101 1 0 11 0 iiiiiii uuuuu nnnnn ttttt', 'STP_fp_pre', LDSTP_fp_pre, prepPair),
  ];
}

function structRows(): Encoding[] {
  return [
    enc('0 Q 001100 0 1 000000 oooo qq nnnnn ttttt', 'LDn_multiple', LDn_multiple, prepMultiple),
    enc('0 Q 001100 0 0 000000 oooo qq nnnnn ttttt', 'STn_multiple', STn_multiple, prepMultiple),
    enc('0 Q 001100 1 1 0 mmmmm oooo qq nnnnn ttttt', 'LDn_multiple_post', LDn_multiple_post, prepMultiple),
    enc('0 Q 001100 1 0 0 mmmmm oooo qq nnnnn ttttt', 'STn_multiple_post', STn_multiple_post, prepMultiple),
    enc('0 Q 001101 0 1 p 00000 ooo S qq nnnnn ttttt', 'LDn_single', LDn_single, (i) => prepSingle(i, true, false)),
    enc('0 Q 001101 0 0 p 00000 ooo S qq nnnnn ttttt', 'STn_single', STn_single, (i) => prepSingle(i, false, false)),
    enc('0 Q 001101 1 1 p mmmmm ooo S qq nnnnn ttttt', 'LDn_single_post', LDn_single_post, (i) => prepSingle(i, true, true)),
    enc('0 Q 001101 1 0 p mmmmm ooo S qq nnnnn ttttt', 'STn_single_post', STn_single_post, (i) => prepSingle(i, false, true)),
  ];
}

export const FP_LDST: Encoding[] = [...singleRows(), ...pairRows(), ...structRows()];
