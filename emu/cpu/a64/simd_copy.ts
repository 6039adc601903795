// Arm ARM C4.1.6: Advanced SIMD copy and Advanced SIMD scalar copy: DUP (element), DUP (general), INS
// (general), INS (element), SMOV, UMOV, and the scalar DUP (element) (MOV Bd/Hd/Sd/Dd, Vn.T[i]).
// The element size is the lowest set bit of imm5 and the index the bits above it; decode time stores
// the size in `size`, the destination index in imm and the source index in imm2.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';
import { lane, setT, out, tw } from './simd_lanes.js';

/** DUP (element), vector and scalar: aux1 = lanes, aux3 = bytes. */
function DUP_elem(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn;
  if (esz === 3) {
    const lo = c.vw[n * 4 + 2 * i.imm2], hi = c.vw[n * 4 + 2 * i.imm2 + 1];
    tw[0] = lo; tw[1] = hi; tw[2] = lo; tw[3] = hi;
  } else {
    const x = lane(c, n, esz, i.imm2, 0);
    for (let k = 0; k < i.aux1; k++) setT(esz, k, x);
  }
  out(c, i.rd, i.aux3);
}

function DUP_general(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, lo = c.x[2 * i.rn], hi = c.x[2 * i.rn + 1];
  if (esz === 3) { tw[0] = lo; tw[1] = hi; tw[2] = lo; tw[3] = hi; } else for (let k = 0; k < i.aux1; k++) setT(esz, k, lo);
  out(c, i.rd, i.aux3);
}

/** INS (general): Vd[imm] = Rn, the other elements kept. */
function INS_general(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const d = i.rd, k = i.imm, lo = c.x[2 * i.rn];
  switch (i.size) {
    case 0: c.vb[d * 16 + k] = lo; break;
    case 1: c.vh[d * 8 + k] = lo; break;
    case 2: c.vw[d * 4 + k] = lo; break;
    default: c.vw[d * 4 + 2 * k] = lo; c.vw[d * 4 + 2 * k + 1] = c.x[2 * i.rn + 1];
  }
}

/** INS (element): Vd[imm] = Vn[imm2]. */
function INS_elem(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const d = i.rd, n = i.rn, k = i.imm, j = i.imm2;
  switch (i.size) {
    case 0: c.vb[d * 16 + k] = c.vb[n * 16 + j]; break;
    case 1: c.vh[d * 8 + k] = c.vh[n * 8 + j]; break;
    case 2: c.vw[d * 4 + k] = c.vw[n * 4 + j]; break;
    default: {
      const lo = c.vw[n * 4 + 2 * j], hi = c.vw[n * 4 + 2 * j + 1];
      c.vw[d * 4 + 2 * k] = lo; c.vw[d * 4 + 2 * k + 1] = hi;
    }
  }
}

/** SMOV (aux0 = 1: signed) and UMOV: Rd = Vn[imm2], to W (Q = 0) or X (Q = 1). */
function MOV_to_general(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn, j = i.imm2;
  let lo: number, hi: number;
  if (i.size === 3) { lo = c.vw[n * 4 + 2 * j]; hi = c.vw[n * 4 + 2 * j + 1]; } else {
    lo = lane(c, n, i.size, j, i.aux0) | 0;
    hi = i.Q && i.aux0 ? lo >> 31 : 0;
    if (!i.Q) hi = 0;
  }
  if (i.Q) c.setX(i.rd, lo, hi); else c.setW(i.rd, lo);
}

function prepare(i: Insn, scalar: boolean): boolean {
  const w = i.word, op = (w >>> 29) & 1, imm5 = (w >>> 16) & 31, imm4 = (w >>> 11) & 15, q = i.Q;
  if ((imm5 & 15) === 0) return false;
  const esz = 31 - Math.clz32(imm5 & -imm5);
  i.size = esz;
  const index = imm5 >>> (esz + 1);
  if (scalar) {
    if (op !== 0 || imm4 !== 0) return false;
    i.imm2 = index; i.aux1 = 1; i.aux3 = 1 << esz; i.exec = DUP_elem; i.name = 'DUP_element_scalar';
    return true;
  }
  if (op === 1) {
    if (q === 0) return false;
    i.imm = index; i.imm2 = imm4 >>> esz; i.exec = INS_elem; i.name = 'INS_element';
    return true;
  }
  switch (imm4) {
    case 0b0000: case 0b0001:
      if (esz === 3 && q === 0) return false;
      i.imm2 = index; i.aux1 = (q ? 16 : 8) >> esz; i.aux3 = q ? 16 : 8;
      i.exec = imm4 === 0 ? DUP_elem : DUP_general; i.name = imm4 === 0 ? 'DUP_element' : 'DUP_general';
      return true;
    case 0b0011:
      if (q === 0) return false;
      i.imm = index; i.exec = INS_general; i.name = 'INS_general';
      return true;
    case 0b0101: // SMOV: to W from B/H, to X from B/H/S
      if (esz === 3 || (esz === 2 && q === 0)) return false;
      i.imm2 = index; i.aux0 = 1; i.exec = MOV_to_general; i.name = 'SMOV';
      return true;
    case 0b0111: // UMOV: to W from B/H/S, to X from D
      if (q ? esz !== 3 : esz === 3) return false;
      i.imm2 = index; i.aux0 = 0; i.exec = MOV_to_general; i.name = 'UMOV';
      return true;
  }
  return false;
}

export const SIMD_COPY: Encoding[] = [
  enc('0QU01110000 iiiii 0 kkkk 1 nnnnn ddddd', 'SIMD_copy', DUP_elem, (i) => prepare(i, false)),
  enc('01U11110000 iiiii 0 kkkk 1 nnnnn ddddd', 'SIMD_scalar_copy', DUP_elem, (i) => prepare(i, true)),
];
