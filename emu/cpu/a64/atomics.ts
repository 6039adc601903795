// ARMv8.1 LSE atomics (Arm ARM C4.1.4): CAS and CASP (load/store exclusive class), and the atomic
// memory operations LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN and SWP with their
// A (acquire), L (release) and AL variants. The ST<op> aliases are the LD<op> encodings with Rt = XZR.
//
// Each instruction is one read and one write inside a single handler; cores run one at a time, so the
// pair is atomic. Acquire/release need nothing more (see ldst_exclusive.ts).
//
// Faults follow the Arm ARM's MemAtomic* pseudocode: the access must be naturally aligned (pairs: to the
// pair's size) or an alignment fault is taken; the location is translated for writing even when a CAS
// then compares unequal. We translate for reading first (the read access), then for writing, so a
// fault that a read would also take reports WnR = 0 and a write-permission fault WnR = 1, as ESR_ELx.WnR
// asks for atomic instructions. A CAS whose comparison fails performs no store, so it changes neither
// memory nor any exclusive monitor (the Arm ARM permits, but does not require, its read to clear
// monitors on that location; we don't). A store that is performed clears other cores' reservations like
// every store (Cpu.stored); registers are written only after every access succeeded, so an abort leaves
// Ws/Xs (and Xt) as they were, as the Arm ARM requires.

import { Access, Cpu, SP, XZR } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, add64, scmp64, ucmp64 } from '../int64.js';
import { FSC_ALIGNMENT, checkSp, prepBase, storeSized } from './ldst_exclusive.js';

/** Operations, in the order of their encoding (o3:opc); SWP is o3 = 1, opc = 000. */
const enum AOp { ADD = 0, CLR = 1, EOR = 2, SET = 3, SMAX = 4, SMIN = 5, UMAX = 6, UMIN = 7, SWP = 8 }

/** Read 1, 2 or 4 bytes: zero-extended for 1 and 2, the 32 bits as an int32 for 4. */
function readSmall(c: Cpu, lo: number, hi: number, bytes: number): number {
  if (bytes === 4) return c.read32(lo, hi);
  if (bytes === 2) return c.read16(lo, hi);
  return c.read8(lo, hi);
}

/** Sign-extend the low `bytes` (1, 2, 4) of v. */
function sextBytes(v: number, bytes: number): number {
  const s = 32 - 8 * bytes;
  return (v << s) >> s;
}

// ---------------------------------------------------------------- decode-time preparation

/** CAS and LD<op>/SWP: aux0 = bytes, aux2 = mask of the compared bits (low word). */
function prepSized(i: Insn): boolean {
  prepBase(i);
  i.aux0 = 1 << i.size;
  i.aux2 = i.size === 0 ? 0xff : i.size === 1 ? 0xffff : -1;
  return true;
}

/** LD<op>/SWP: aux1 = operation from o3:opc (bits 15:12). */
function prepAtomic(i: Insn): boolean {
  prepSized(i);
  i.aux1 = (i.word >>> 12) & 15;
  return true;
}

/** CASP: Rs and Rt must be even (UNDEFINED otherwise); aux0 = element bytes, aux1 = total bytes. */
function prepCasp(i: Insn): boolean {
  if ((i.rs & 1) !== 0 || (i.rt & 1) !== 0) return false;
  prepBase(i);
  i.aux0 = 4 << i.sf;
  i.aux1 = 8 << i.sf;
  return true;
}

// ---------------------------------------------------------------- semantics

/** LDADD ... LDUMIN, SWP: Xt = old memory value (zero-extended), memory = old <op> Xs. */
function LD_op(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const alo = c.x[2 * n], ahi = c.x[2 * n + 1], bytes = i.aux0;
  if ((alo & (bytes - 1)) !== 0) c.memAbort(alo, ahi, Access.Read, FSC_ALIGNMENT);
  const s = i.rs;
  const slo = c.x[2 * s], shi = c.x[2 * s + 1];
  let olo: number, ohi = 0;
  if (bytes === 8) { c.read64(alo, ahi); olo = R[LO]; ohi = R[HI]; }
  else olo = readSmall(c, alo, ahi, bytes);
  c.translate(alo, ahi, Access.Write, bytes); // write permission, before anything changes
  let nlo: number, nhi = 0; // for bytes < 8 only the low `bytes` of nlo are stored
  let k: number;
  switch (i.aux1) {
    case AOp.ADD:
      if (bytes === 8) { add64(olo, ohi, slo, shi, 0); nlo = R[LO]; nhi = R[HI]; }
      else nlo = (olo + slo) | 0;
      break;
    case AOp.CLR: nlo = olo & ~slo; nhi = ohi & ~shi; break;
    case AOp.EOR: nlo = olo ^ slo; nhi = ohi ^ shi; break;
    case AOp.SET: nlo = olo | slo; nhi = ohi | shi; break;
    case AOp.SMAX: case AOp.SMIN:
      if (bytes === 8) k = scmp64(olo, ohi, slo, shi);
      else { const a = sextBytes(olo, bytes), b = sextBytes(slo, bytes); k = a < b ? -1 : a > b ? 1 : 0; }
      if ((i.aux1 === AOp.SMAX) === (k >= 0)) { nlo = olo; nhi = ohi; } else { nlo = slo; nhi = shi; }
      break;
    case AOp.UMAX: case AOp.UMIN:
      if (bytes === 8) k = ucmp64(olo, ohi, slo, shi);
      else { const m = i.aux2, a = (olo & m) >>> 0, b = (slo & m) >>> 0; k = a < b ? -1 : a > b ? 1 : 0; }
      if ((i.aux1 === AOp.UMAX) === (k >= 0)) { nlo = olo; nhi = ohi; } else { nlo = slo; nhi = shi; }
      break;
    default: nlo = slo; nhi = shi; break; // SWP
  }
  storeSized(c, alo, ahi, bytes, nlo, nhi);
  const t = i.rt;
  if (t !== XZR) { c.x[2 * t] = olo; c.x[2 * t + 1] = ohi; }
}

/** CAS: compare the low `bytes` of Xs with memory; store Xt if equal; Xs = old value (zero-extended). */
function CAS(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const alo = c.x[2 * n], ahi = c.x[2 * n + 1], bytes = i.aux0;
  if ((alo & (bytes - 1)) !== 0) c.memAbort(alo, ahi, Access.Read, FSC_ALIGNMENT);
  const s = i.rs, t = i.rt;
  const clo = c.x[2 * s], chi = c.x[2 * s + 1], vlo = c.x[2 * t], vhi = c.x[2 * t + 1];
  let olo: number, ohi = 0;
  if (bytes === 8) { c.read64(alo, ahi); olo = R[LO]; ohi = R[HI]; }
  else olo = readSmall(c, alo, ahi, bytes);
  c.translate(alo, ahi, Access.Write, bytes);
  const equal = bytes === 8 ? olo === clo && ohi === chi : ((olo ^ clo) & i.aux2) === 0;
  if (equal) storeSized(c, alo, ahi, bytes, vlo, vhi);
  if (s !== XZR) { c.x[2 * s] = olo; c.x[2 * s + 1] = ohi; }
}

/** CASP: the pair <Xs+1:Xs> against memory (Xs at the lower address), <Xt+1:Xt> stored if equal. */
function CASP(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const alo = c.x[2 * n], ahi = c.x[2 * n + 1], total = i.aux1;
  if ((alo & (total - 1)) !== 0) c.memAbort(alo, ahi, Access.Read, FSC_ALIGNMENT);
  const s = i.rs, t = i.rt; // even; s + 1 or t + 1 may be 31 (XZR, which reads as zero)
  const s0lo = c.x[2 * s], s0hi = c.x[2 * s + 1], s1lo = c.x[2 * (s + 1)], s1hi = c.x[2 * (s + 1) + 1];
  const t0lo = c.x[2 * t], t0hi = c.x[2 * t + 1], t1lo = c.x[2 * (t + 1)], t1hi = c.x[2 * (t + 1) + 1];
  let o0lo: number, o0hi: number, o1lo: number, o1hi: number;
  let equal: boolean;
  if (total === 8) { // two words in one 64-bit access
    c.read64(alo, ahi); o0lo = R[LO]; o1lo = R[HI]; o0hi = 0; o1hi = 0;
    c.translate(alo, ahi, Access.Write, 8);
    equal = o0lo === s0lo && o1lo === s1lo;
    if (equal) c.write64(alo, ahi, t0lo, t1lo);
  } else { // 16-byte aligned: alo + 8 cannot carry
    const blo = (alo + 8) | 0;
    c.read64(alo, ahi); o0lo = R[LO]; o0hi = R[HI];
    c.read64(blo, ahi); o1lo = R[LO]; o1hi = R[HI];
    c.translate(alo, ahi, Access.Write, 8);
    equal = o0lo === s0lo && o0hi === s0hi && o1lo === s1lo && o1hi === s1hi;
    if (equal) { c.write64(alo, ahi, t0lo, t0hi); c.write64(blo, ahi, t1lo, t1hi); }
  }
  c.x[2 * s] = o0lo; c.x[2 * s + 1] = o0hi; // s is even, so never XZR
  if (s + 1 !== XZR) { c.x[2 * (s + 1)] = o1lo; c.x[2 * (s + 1) + 1] = o1hi; }
}

// ---------------------------------------------------------------- decode table

function casRows(): Encoding[] {
  const rows: Encoding[] = [];
  // [L, o0, suffix]: L = acquire, o0 = release.
  const variants: [number, number, string][] = [[0, 0, ''], [1, 0, 'A'], [0, 1, 'L'], [1, 1, 'AL']];
  for (const [L, o0, sfx] of variants) {
    rows.push(enc(`qq 001000 1 ${L} 1 sssss ${o0} 11111 nnnnn ttttt`, `CAS${sfx}`, CAS, prepSized));
  }
  for (const [L, o0, sfx] of variants) {
    // Rt2 != 11111 is unallocated.
    rows.push(enc(`0z 001000 0 ${L} 1 sssss ${o0} 11111 nnnnn ttttt`, `CASP${sfx}`, CASP, prepCasp));
  }
  return rows;
}

function atomicRows(): Encoding[] {
  const rows: Encoding[] = [];
  const ops = ['LDADD', 'LDCLR', 'LDEOR', 'LDSET', 'LDSMAX', 'LDSMIN', 'LDUMAX', 'LDUMIN', 'SWP'];
  // [A, R, suffix]: A = acquire (bit 23), R = release (bit 22).
  const variants: [number, number, string][] = [[0, 0, ''], [1, 0, 'A'], [0, 1, 'L'], [1, 1, 'AL']];
  ops.forEach((name, k) => {
    const o3opc = k.toString(2).padStart(4, '0'); // SWP: 1000
    for (const [A, Rb, sfx] of variants) {
      rows.push(enc(`qq 111 0 00 ${A} ${Rb} 1 sssss ${o3opc} 00 nnnnn ttttt`, `${name}${sfx}`, LD_op, prepAtomic));
    }
  });
  // o3 = 1 with other opc values: LDAPR* (ARMv8.3 RCpc, A = 1, R = 0, opc = 100) is not implemented;
  // the rest is unallocated.
  return rows;
}

export const ATOMICS: Encoding[] = [...casRows(), ...atomicRows()];
