// Arm ARM C4.1.6: Advanced SIMD shift by immediate and Advanced SIMD scalar shift by immediate, integer
// opcodes: [SU]SHR, [SU]SRA, [SU]RSHR, [SU]RSRA, SRI, SHL, SLI, SQSHLU, [SU]QSHL (immediate), SHRN,
// RSHRN, SQSHRUN, SQRSHRUN, [SU]QSHRN, [SU]QRSHRN, [SU]SHLL. The fixed-point conversions (SCVTF, UCVTF,
// FCVTZS, FCVTZU) are fp-vec's (simd_fp_shift.ts). immh = 0 is the modified-immediate class (vector)
// or unallocated (scalar), so the rows spell out immh != 0 as four prefixes.
//
// The element size is the highest set bit of immh; right shifts are 2 * esize - immh:immb, left shifts
// immh:immb - esize. Decode time stores the shift in imm, the part (the "2" forms) in imm2.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Handler, Insn } from '../insn.js';
import { R, LO, HI, add64, lsl64, lsr64 } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import { lane, setT, out, flushQC, setSize, ssat, usat, shiftEl, shiftEl64, tb, th, tw, sat, POW2, P } from './simd_lanes.js';

type OpS = (x: number, d: number, sh: number) => number;
type OpS64 = (lo: number, hi: number, dlo: number, dhi: number, sh: number) => void;

function sri(x: number, d: number, sh: number): number {
  if (sh >= P.bits) return d;
  const mask = P.umax >>> sh;
  return (d & ~mask) | (x >>> sh);
}
function sli(x: number, d: number, sh: number): number {
  const mask = P.umax << sh;
  return (d & ~mask) | (x << sh);
}
function sqshlu(x: number, _d: number, sh: number): number {
  if (x < 0) { sat.qc = 1; return 0; }
  return usat(x * POW2[sh]);
}

function sri64(lo: number, hi: number, dlo: number, dhi: number, sh: number): void {
  if (sh >= 64) { R[LO] = dlo; R[HI] = dhi; return; }
  lsr64(-1, -1, sh); const ml = R[LO], mh = R[HI];
  lsr64(lo, hi, sh);
  R[LO] = (dlo & ~ml) | R[LO]; R[HI] = (dhi & ~mh) | R[HI];
}
function sli64(lo: number, hi: number, dlo: number, dhi: number, sh: number): void {
  lsl64(-1, -1, sh); const ml = R[LO], mh = R[HI];
  lsl64(lo, hi, sh);
  R[LO] = (dlo & ~ml) | R[LO]; R[HI] = (dhi & ~mh) | R[HI];
}
function acc64(dlo: number, dhi: number): void { add64(dlo, dhi, R[LO], R[HI], 0); }

// Indexed by opcode << 1 | U (opcode 0xxxx).
const OPS: (OpS | undefined)[] = [];
const OPS64: (OpS64 | undefined)[] = [];
const NAMES: string[] = [];
function op(opcode: number, u: number, name: string, f: OpS, f64: OpS64): void {
  OPS[opcode << 1 | u] = f; OPS64[opcode << 1 | u] = f64; NAMES[opcode << 1 | u] = name;
}
for (const u of [0, 1]) {
  const s = u === 0, p = s ? 'S' : 'U';
  op(0b00000, u, p + 'SHR', (x, d, sh) => shiftEl(x, -sh, false, 0), (l, h, dl, dh, sh) => shiftEl64(l, h, -sh, s, false, 0));
  op(0b00010, u, p + 'SRA', (x, d, sh) => d + shiftEl(x, -sh, false, 0), (l, h, dl, dh, sh) => { shiftEl64(l, h, -sh, s, false, 0); acc64(dl, dh); });
  op(0b00100, u, p + 'RSHR', (x, d, sh) => shiftEl(x, -sh, true, 0), (l, h, dl, dh, sh) => shiftEl64(l, h, -sh, s, true, 0));
  op(0b00110, u, p + 'RSRA', (x, d, sh) => d + shiftEl(x, -sh, true, 0), (l, h, dl, dh, sh) => { shiftEl64(l, h, -sh, s, true, 0); acc64(dl, dh); });
  op(0b01110, u, p + 'QSHL', (x, d, sh) => shiftEl(x, sh, false, s ? 1 : 2), (l, h, dl, dh, sh) => shiftEl64(l, h, sh, s, false, s ? 1 : 2));
}
op(0b01000, 1, 'SRI', sri, sri64);
op(0b01010, 0, 'SHL', (x, d, sh) => x << sh, (l, h, dl, dh, sh) => lsl64(l, h, sh));
op(0b01010, 1, 'SLI', sli, sli64);
op(0b01100, 1, 'SQSHLU', sqshlu, (l, h, dl, dh, sh) => {
  if (h < 0) { sat.qc = 1; R[LO] = 0; R[HI] = 0; } else shiftEl64(l, h, sh, false, false, 2);
});

// ---------------------------------------------------------------- handlers

/** Element-wise, 8..32-bit elements, one loop per element size: aux0 = key, aux1 = lanes, aux2 = signed,
 * aux3 = bytes, imm = shift. */
function SHIFT_B(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vb, n = i.rn * 16, d = i.rd * 16, sh = i.imm, lanes = i.aux1;
  setSize(0);
  if (i.aux2) for (let k = 0; k < lanes; k++) tb[k] = f((v[n + k] << 24) >> 24, v[d + k], sh);
  else for (let k = 0; k < lanes; k++) tb[k] = f(v[n + k], v[d + k], sh);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function SHIFT_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vh, n = i.rn * 8, d = i.rd * 8, sh = i.imm, lanes = i.aux1;
  setSize(1);
  if (i.aux2) for (let k = 0; k < lanes; k++) th[k] = f((v[n + k] << 16) >> 16, v[d + k], sh);
  else for (let k = 0; k < lanes; k++) th[k] = f(v[n + k], v[d + k], sh);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
function SHIFT_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS[i.aux0]!, v = c.vw, n = i.rn * 4, d = i.rd * 4, sh = i.imm, lanes = i.aux1;
  setSize(2);
  if (i.aux2) for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k], v[d + k] >>> 0, sh);
  else for (let k = 0; k < lanes; k++) tw[k] = f(v[n + k] >>> 0, v[d + k] >>> 0, sh);
  out(c, i.rd, i.aux3);
  flushQC(c);
}
const SHIFT_BY_SIZE = [SHIFT_B, SHIFT_H, SHIFT_S];

// The plain shifts of words and halfwords (frequent in vectorised code): loops of their own, in place
// (aux1 = lanes; a 64-bit vector's upper half is zeroed).
function hi64(c: Cpu, i: Insn): void { if (i.aux3 === 8) { c.vw[i.rd * 4 + 2] = 0; c.vw[i.rd * 4 + 3] = 0; } }
function USHR_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, d = i.rd * 4, sh = i.imm;
  if (sh === 32) for (let k = 0; k < i.aux1; k++) v[d + k] = 0; else for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] >>> sh;
  hi64(c, i);
}
function SSHR_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, d = i.rd * 4, sh = i.imm > 31 ? 31 : i.imm; // >> 32 = >> 31 here
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] >> sh;
  hi64(c, i);
}
function SHL_S(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw, n = i.rn * 4, d = i.rd * 4, sh = i.imm;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] << sh;
  hi64(c, i);
}
function USHR_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vh, n = i.rn * 8, d = i.rd * 8, sh = i.imm; // sh <= 16: a 16-bit lane >>> 16 is 0
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] >>> sh;
  hi64(c, i);
}
function SHL_H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vh, n = i.rn * 8, d = i.rd * 8, sh = i.imm;
  for (let k = 0; k < i.aux1; k++) v[d + k] = v[n + k] << sh;
  hi64(c, i);
}
/** By opcode << 1 | U, for S and H elements. */
function dedicated(key: number, esz: number): Handler | undefined {
  if (esz === 2) return key === 1 ? USHR_S : key === 0 ? SSHR_S : key === 0b01010 << 1 ? SHL_S : undefined;
  if (esz === 1) return key === 1 ? USHR_H : key === 0b01010 << 1 ? SHL_H : undefined;
  return undefined;
}

function SHIFT64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = OPS64[i.aux0]!, n = i.rn * 4, d = i.rd * 4, v = c.vw, sh = i.imm;
  for (let k = 0; k < i.aux1; k++) {
    f(v[n + 2 * k], v[n + 2 * k + 1], v[d + 2 * k], v[d + 2 * k + 1], sh);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, i.aux3);
  flushQC(c);
}

/** Narrowing right shifts: aux0 = narrowing (0 truncate, 1 SignedSatQ, 2 UnsignedSatQ), aux1 = elements
 * (1 for the scalar forms), aux2 = signed source, aux3 = round, imm = shift, imm2 = part. */
function SHRN(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn, d = i.rd, e = i.aux1, base = i.imm2 * e, kind = i.aux0, sg = i.aux2;
  const round = i.aux3 !== 0, sh = i.imm, v = c.vw;
  if (base !== 0) { tw[0] = v[d * 4]; tw[1] = v[d * 4 + 1]; }
  if (esz === 2) {
    for (let k = 0; k < e; k++) {
      shiftEl64(v[n * 4 + 2 * k], v[n * 4 + 2 * k + 1], -sh, sg !== 0, round, 0);
      const lo = R[LO], hi = R[HI];
      let r = lo;
      if (kind === 1) { if (hi !== lo >> 31) { sat.qc = 1; r = hi < 0 ? 0x80000000 | 0 : 0x7fffffff; } }
      else if (kind === 2) { if (hi < 0 && sg) { sat.qc = 1; r = 0; } else if (hi !== 0) { sat.qc = 1; r = -1; } }
      tw[base + k] = r;
    }
  } else {
    setSize(esz);
    for (let k = 0; k < e; k++) {
      const x = shiftEl(lane(c, n, esz + 1, k, sg), -sh, round, 0);
      setT(esz, base + k, kind === 0 ? x : kind === 1 ? ssat(x) : usat(x));
    }
  }
  out(c, d, e === 1 ? 1 << esz : base !== 0 ? 16 : 8);
  flushQC(c);
}

/** [SU]SHLL: aux2 = signed, imm = shift, imm2 = part. */
function SHLL(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, n = i.rn, e = 8 >> esz, base = i.imm2 * e, sg = i.aux2, sh = i.imm;
  for (let k = 0; k < e; k++) {
    const x = lane(c, n, esz, base + k, sg);
    if (esz === 2) { lsl64(x | 0, sg ? x >> 31 : 0, sh); tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI]; } else setT(esz + 1, k, x << sh);
  }
  out(c, i.rd, 16);
}

// ---------------------------------------------------------------- decode

const hsb = (immh: number): number => 31 - Math.clz32(immh);

/** Shared by the vector (scalar = false) and scalar forms. */
function prepare(i: Insn, scalar: boolean): boolean {
  const w = i.word, u = i.U, q = scalar ? 1 : i.Q;
  const immh = (w >>> 19) & 15, immhb = (w >>> 16) & 127, opcode = (w >>> 11) & 31;
  const esz = hsb(immh), bits = 8 << esz;
  const right = 2 * bits - immhb, left = immhb - bits;
  i.size = esz;
  if (opcode < 16) {
    const key = opcode << 1 | u;
    if (OPS[key] === undefined) return false;
    if (esz === 3 && !q) return false;
    // Scalar: only the saturating left shifts have B, H and S forms.
    if (scalar && esz !== 3 && opcode !== 0b01100 && opcode !== 0b01110) return false;
    i.name = NAMES[key];
    i.imm = opcode >= 0b01010 ? left : right;
    i.aux0 = key; i.aux2 = opcode === 0b01100 ? 1 : u ^ 1; // SQSHLU: a signed source
    i.aux1 = scalar ? 1 : (q ? 16 : 8) >> esz; i.aux3 = scalar ? 1 << esz : q ? 16 : 8;
    i.exec = esz === 3 ? SHIFT64 : (scalar ? undefined : dedicated(key, esz)) ?? SHIFT_BY_SIZE[esz];
    return true;
  }
  if (esz === 3) return false;
  if (opcode === 0b10100) { // [SU]SHLL
    if (scalar) return false;
    i.imm = left; i.imm2 = i.Q; i.aux2 = u ^ 1; i.exec = SHLL;
    i.name = (u ? 'USHLL' : 'SSHLL') + (i.Q ? '2' : '');
    return true;
  }
  // 1000x: SHRN/RSHRN (U0), SQSHRUN/SQRSHRUN (U1); 1001x: [SU]Q[R]SHRN.
  if (opcode > 0b10011) return false;
  const round = opcode & 1;
  if (opcode <= 0b10001) {
    if (u === 0) { if (scalar) return false; i.aux0 = 0; i.name = round ? 'RSHRN' : 'SHRN'; }
    else { i.aux0 = 2; i.name = round ? 'SQRSHRUN' : 'SQSHRUN'; }
    i.aux2 = 1;
  } else {
    i.aux0 = u ? 2 : 1; i.aux2 = u ^ 1;
    i.name = (u ? 'UQ' : 'SQ') + (round ? 'RSHRN' : 'SHRN');
  }
  if (!scalar && i.Q) i.name += '2';
  i.imm = right; i.imm2 = scalar ? 0 : i.Q; i.aux1 = scalar ? 1 : 8 >> esz; i.aux3 = round; i.exec = SHRN;
  return true;
}

const rows: Encoding[] = [];
for (const pre of ['1iiiiii', '01iiiii', '001iiii', '0001iii']) {
  for (const opc of ['0kkkk', '100kk', '10100']) {
    rows.push(enc(`0QU011110 ${pre} ${opc} 1 nnnnn ddddd`, 'SIMD_shift_by_immediate', SHIFT_B, (i) => prepare(i, false)));
  }
  for (const opc of ['0kkkk', '100kk']) {
    rows.push(enc(`01U111110 ${pre} ${opc} 1 nnnnn ddddd`, 'SIMD_scalar_shift_by_immediate', SHIFT_B, (i) => prepare(i, true)));
  }
}
export const SIMD_SHIFT: Encoding[] = rows;
