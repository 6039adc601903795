// Arm ARM C4.1.6, conversion between floating-point and integer: the FMOV (general) encodings, which
// move bits between a general register and a SIMD&FP register without conversion. The rest of the
// class (FCVT*, SCVTF, UCVTF) is in fp_cvt.ts.
//   sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd, opcode 110 (to GPR) / 111 (from GPR):
//   FMOV Wd, Sn / Sd, Wn (sf 0, ftype 00, rmode 00), Xd, Dn / Dd, Xn (sf 1, ftype 01, rmode 00),
//   Xd, Vn.D[1] / Vd.D[1], Xn (sf 1, ftype 10, rmode 01).
// The half-precision forms (ftype 11) are ARMv8.2 (FEAT_FP16): not implemented, so UNDEFINED.

import { Cpu, XZR } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled, setVD, setVS } from './simd_fp.js';

/** FMOV Wd, Sn: the upper half of Xd is zeroed. */
function FMOV_w_s(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const d = i.rd;
  if (d !== XZR) { c.x[2 * d] = c.vw[i.rn << 2]; c.x[2 * d + 1] = 0; }
}

function FMOV_s_w(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, c.x[2 * i.rn]);
}

function FMOV_x_d(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const d = i.rd, b = i.rn << 2;
  if (d !== XZR) { c.x[2 * d] = c.vw[b]; c.x[2 * d + 1] = c.vw[b + 1]; }
}

function FMOV_d_x(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVD(c, i.rd, c.x[2 * i.rn], c.x[2 * i.rn + 1]);
}

/** FMOV Xd, Vn.D[1]. */
function FMOV_x_v1(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const d = i.rd, b = i.rn << 2;
  if (d !== XZR) { c.x[2 * d] = c.vw[b + 2]; c.x[2 * d + 1] = c.vw[b + 3]; }
}

/** FMOV Vd.D[1], Xn: bits [63:0] of Vd are kept. */
function FMOV_v1_x(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const b = i.rd << 2;
  c.vw[b + 2] = c.x[2 * i.rn]; c.vw[b + 3] = c.x[2 * i.rn + 1];
}

export const FP_MOV: Encoding[] = [
  enc('0 00 11110 00 1 00 110 000000 nnnnn ddddd', 'FMOV_w_s', FMOV_w_s),
  enc('0 00 11110 00 1 00 111 000000 nnnnn ddddd', 'FMOV_s_w', FMOV_s_w),
  enc('1 00 11110 01 1 00 110 000000 nnnnn ddddd', 'FMOV_x_d', FMOV_x_d),
  enc('1 00 11110 01 1 00 111 000000 nnnnn ddddd', 'FMOV_d_x', FMOV_d_x),
  enc('1 00 11110 10 1 01 110 000000 nnnnn ddddd', 'FMOV_x_v1', FMOV_x_v1),
  enc('1 00 11110 10 1 01 111 000000 nnnnn ddddd', 'FMOV_v1_x', FMOV_v1_x),
];
