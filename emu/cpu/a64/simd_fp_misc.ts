// Arm ARM C4.1.6: Advanced SIMD two-register miscellaneous and its scalar form, the floating-point
// opcodes (and URECPE/URSQRTE, which share their encodings with FRECPE/FRSQRTE's group): FABS FNEG
// FSQRT, FRINT*, FCVT*S/U, SCVTF/UCVTF, the compares with zero, the estimates, FRECPX, and the
// narrowing/widening FCVTN(2)/FCVTXN(2)/FCVTL(2). The integer opcodes are in simd_misc.ts.
// Names: _asimd = vector form, _asisd = AdvSIMD scalar form.

import type { Cpu } from '../cpu.js';
import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import { Un, unS, unD, dToSOdd } from './simd_fp_ops.js';
import { sToH, dToS, hToS, sToD } from '../fp/index.js';

/** FPRounding values; FPCR means "the rounding mode FPCR.RMode says", resolved per execution. */
export const enum Rnd { TIEEVEN = 0, POSINF = 1, NEGINF = 2, ZERO = 3, TIEAWAY = 4, ODD = 5, FPCR = 7 }

/** The parameter (aux2) of each unary operation: see Un in simd_fp_ops.ts. */
export function rintParam(r: Rnd, exact: boolean): number { return r | (exact ? 8 : 0); }
export function toIntParam(r: Rnd, unsigned: number, fbits: number): number { return r | (unsigned << 3) | (fbits << 4); }
export function fromIntParam(unsigned: number, fbits: number): number { return unsigned | (fbits << 1); }

/** Element-wise rows: 2S/4S/2D vectors (1D reserved) and S/D scalars. onlyS: the operation exists
 * for 32-bit lanes only (URECPE, URSQRTE). */
function prepUn(scalarForm: boolean, op: Un, p: number, onlyS = false) {
  return (i: Insn): boolean => {
    const dbl = i.sf === 1;
    if (dbl && (onlyS || (!scalarForm && i.Q === 0))) return false;
    i.aux0 = op; i.aux2 = p;
    i.aux1 = scalarForm ? 1 : dbl ? 2 : i.Q === 1 ? 4 : 2;
    i.exec = dbl ? unD : unS;
    return true;
  };
}

function vec(name: string, u: number, a: number, opcode: string, op: Un, p = 0, onlyS = false): Encoding {
  return enc(`0 Q ${u} 01110 ${a} z 10000 ${opcode} 10 nnnnn ddddd`, `${name}_asimd`, unS, prepUn(false, op, p, onlyS));
}

function scalar(name: string, u: number, a: number, opcode: string, op: Un, p = 0): Encoding {
  return enc(`01 ${u} 11110 ${a} z 10000 ${opcode} 10 nnnnn ddddd`, `${name}_asisd`, unS, prepUn(true, op, p));
}

// ---------------------------------------------------------------- narrowing and widening

/** Results are built here first: Vd may be Vn, whose lanes are still needed. */
const tmp = new Int32Array(4);

/** FCVTN/FCVTN2 4S -> 4H: into the lower half (upper zeroed) or, Q = 1, the upper half (lower kept). */
function FCVTN_SH(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, n = i.rn * 4;
  for (let k = 0; k < 4; k++) tmp[k] = sToH(c, vw[n + k]);
  const vh = c.vh, d = i.rd * 8;
  if (i.Q === 0) { vw[i.rd * 4 + 2] = 0; vw[i.rd * 4 + 3] = 0; }
  const o = d + i.Q * 4;
  for (let k = 0; k < 4; k++) vh[o + k] = tmp[k];
}

/** FCVTN/FCVTN2 2D -> 2S, and FCVTXN/FCVTXN2 (aux0 = 1: round to odd). */
function FCVTN_DS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, n = i.rn * 4, d = i.rd * 4, f = i.aux0 === 1 ? dToSOdd : dToS;
  tmp[0] = f(c, vw[n], vw[n + 1]);
  tmp[1] = f(c, vw[n + 2], vw[n + 3]);
  if (i.Q === 0) { vw[d] = tmp[0]; vw[d + 1] = tmp[1]; vw[d + 2] = 0; vw[d + 3] = 0; }
  else { vw[d + 2] = tmp[0]; vw[d + 3] = tmp[1]; }
}

/** FCVTXN Sd, Dn. */
function FCVTXN_scalar(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, n = i.rn * 4, d = i.rd * 4;
  const v = dToSOdd(c, vw[n], vw[n + 1]);
  vw[d] = v; vw[d + 1] = 0; vw[d + 2] = 0; vw[d + 3] = 0;
}

/** FCVTL/FCVTL2 4H -> 4S from the lower (Q = 0) or upper half of Vn. */
function FCVTL_HS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vh = c.vh, n = i.rn * 8 + i.Q * 4;
  for (let k = 0; k < 4; k++) tmp[k] = vh[n + k];
  const vw = c.vw, d = i.rd * 4;
  for (let k = 0; k < 4; k++) vw[d + k] = hToS(c, tmp[k]);
}

/** FCVTL/FCVTL2 2S -> 2D. */
function FCVTL_SD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, n = i.rn * 4 + i.Q * 2, d = i.rd * 4;
  const a0 = vw[n], a1 = vw[n + 1];
  sToD(c, a0); vw[d] = R[LO]; vw[d + 1] = R[HI];
  sToD(c, a1); vw[d + 2] = R[LO]; vw[d + 3] = R[HI];
}

function prepFCVTN(i: Insn): boolean {
  i.aux0 = 0;
  i.exec = i.sf === 1 ? FCVTN_DS : FCVTN_SH;
  return true;
}

function prepFCVTXN(i: Insn): boolean {
  i.aux0 = 1;
  return i.sf === 1;
}

function prepFCVTL(i: Insn): boolean {
  i.exec = i.sf === 1 ? FCVTL_SD : FCVTL_HS;
  return true;
}

// ---------------------------------------------------------------- the rows

/** FCVT<mode>S/U, vector and scalar: the rounding of each opcode. */
function fcvt(name: string, a: number, opcode: string, r: Rnd): Encoding[] {
  return [
    vec(`${name}S`, 0, a, opcode, Un.TOINT, toIntParam(r, 0, 0)),
    vec(`${name}U`, 1, a, opcode, Un.TOINT, toIntParam(r, 1, 0)),
    scalar(`${name}S`, 0, a, opcode, Un.TOINT, toIntParam(r, 0, 0)),
    scalar(`${name}U`, 1, a, opcode, Un.TOINT, toIntParam(r, 1, 0)),
  ];
}

export const SIMD_FP_MISC: Encoding[] = [
  enc('0 Q 0 01110 0 z 10000 10110 10 nnnnn ddddd', 'FCVTN_asimd', FCVTN_DS, prepFCVTN),
  enc('0 Q 1 01110 0 z 10000 10110 10 nnnnn ddddd', 'FCVTXN_asimd', FCVTN_DS, prepFCVTXN),
  enc('0 Q 0 01110 0 z 10000 10111 10 nnnnn ddddd', 'FCVTL_asimd', FCVTL_SD, prepFCVTL),
  enc('01 1 11110 0 z 10000 10110 10 nnnnn ddddd', 'FCVTXN_asisd', FCVTXN_scalar, prepFCVTXN),

  vec('FRINTN', 0, 0, '11000', Un.RINT, rintParam(Rnd.TIEEVEN, false)),
  vec('FRINTP', 0, 1, '11000', Un.RINT, rintParam(Rnd.POSINF, false)),
  vec('FRINTM', 0, 0, '11001', Un.RINT, rintParam(Rnd.NEGINF, false)),
  vec('FRINTZ', 0, 1, '11001', Un.RINT, rintParam(Rnd.ZERO, false)),
  vec('FRINTA', 1, 0, '11000', Un.RINT, rintParam(Rnd.TIEAWAY, false)),
  vec('FRINTX', 1, 0, '11001', Un.RINT, rintParam(Rnd.FPCR, true)),
  vec('FRINTI', 1, 1, '11001', Un.RINT, rintParam(Rnd.FPCR, false)),

  ...fcvt('FCVTN', 0, '11010', Rnd.TIEEVEN),
  ...fcvt('FCVTP', 1, '11010', Rnd.POSINF),
  ...fcvt('FCVTM', 0, '11011', Rnd.NEGINF),
  ...fcvt('FCVTZ', 1, '11011', Rnd.ZERO),
  ...fcvt('FCVTA', 0, '11100', Rnd.TIEAWAY),

  vec('URECPE', 0, 1, '11100', Un.URECPE, 0, true),
  vec('URSQRTE', 1, 1, '11100', Un.URSQRTE, 0, true),

  vec('SCVTF', 0, 0, '11101', Un.FROMINT, fromIntParam(0, 0)),
  vec('UCVTF', 1, 0, '11101', Un.FROMINT, fromIntParam(1, 0)),
  scalar('SCVTF', 0, 0, '11101', Un.FROMINT, fromIntParam(0, 0)),
  scalar('UCVTF', 1, 0, '11101', Un.FROMINT, fromIntParam(1, 0)),

  vec('FRECPE', 0, 1, '11101', Un.RECPE),
  vec('FRSQRTE', 1, 1, '11101', Un.RSQRTE),
  scalar('FRECPE', 0, 1, '11101', Un.RECPE),
  scalar('FRSQRTE', 1, 1, '11101', Un.RSQRTE),
  scalar('FRECPX', 0, 1, '11111', Un.RECPX),

  vec('FCMGT_zero', 0, 1, '01100', Un.CMGT0),
  vec('FCMGE_zero', 1, 1, '01100', Un.CMGE0),
  vec('FCMEQ_zero', 0, 1, '01101', Un.CMEQ0),
  vec('FCMLE_zero', 1, 1, '01101', Un.CMLE0),
  vec('FCMLT_zero', 0, 1, '01110', Un.CMLT0),
  scalar('FCMGT_zero', 0, 1, '01100', Un.CMGT0),
  scalar('FCMGE_zero', 1, 1, '01100', Un.CMGE0),
  scalar('FCMEQ_zero', 0, 1, '01101', Un.CMEQ0),
  scalar('FCMLE_zero', 1, 1, '01101', Un.CMLE0),
  scalar('FCMLT_zero', 0, 1, '01110', Un.CMLT0),

  vec('FABS', 0, 1, '01111', Un.ABS),
  vec('FNEG', 1, 1, '01111', Un.NEG),
  vec('FSQRT', 1, 1, '11111', Un.SQRT),
];
