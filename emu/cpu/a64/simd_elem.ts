// Arm ARM C4.1.6: Advanced SIMD vector x indexed element and Advanced SIMD scalar x indexed element,
// integer opcodes: MUL, MLA, MLS, [SU]MULL, [SU]MLAL, [SU]MLSL, SQDMULL, SQDMLAL, SQDMLSL, SQDMULH,
// SQRDMULH. The FP opcodes (FMLA, FMLS, FMUL, FMULX) are fp-vec's (simd_fp_elem.ts).
//
// The element functions are those of the three-same (simd_same.ts) and three-different
// (simd_diff.ts) forms; only the second operand differs: one element of Vm, read once.
// Elements are H (index H:L:M, Vm in V0-V15) or S (index H:L, Vm = M:Rm).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import { fpEnabled } from './simd_fp.js';
import { lane, setT, out, flushQC, setSize, tw } from './simd_lanes.js';
import { OPS as SAME_OPS } from './simd_same.js';
import { LONG, LONG64 } from './simd_diff.js';

// aux0 = the function's index in its table, aux1 = elements, aux2 = signed, aux3 = result bytes (ELEM)
// or part (the long forms); imm = the index into Vm.

function ELEM(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = SAME_OPS[i.aux0]!, esz = i.size, sg = i.aux2, n = i.rn, d = i.rd;
  const b = lane(c, i.rm, esz, i.imm, sg);
  setSize(esz);
  for (let k = 0; k < i.aux1; k++) setT(esz, k, f(lane(c, n, esz, k, sg), b, lane(c, d, esz, k, sg)));
  out(c, d, i.aux3);
  flushQC(c);
}

/** Long forms, H elements (S results). */
function ELEM_LONG(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = LONG[i.aux0]!, sg = i.aux2, n = i.rn, d = i.rd, e = i.aux1, base = i.aux3 * e;
  const b = lane(c, i.rm, 1, i.imm, sg);
  setSize(2);
  for (let k = 0; k < e; k++) setT(2, k, f(lane(c, n, 1, base + k, sg), b, lane(c, d, 2, k, sg)));
  out(c, d, e === 1 ? 4 : 16);
  flushQC(c);
}

/** Long forms, S elements (D results). */
function ELEM_LONG64(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const f = LONG64[i.aux0]!, sg = i.aux2, n = i.rn, d = i.rd * 4, e = i.aux1, base = i.aux3 * e, v = c.vw;
  const b = lane(c, i.rm, 2, i.imm, sg);
  for (let k = 0; k < e; k++) {
    f(lane(c, n, 2, base + k, sg), b, v[d + 2 * k], v[d + 2 * k + 1], sg);
    tw[2 * k] = R[LO]; tw[2 * k + 1] = R[HI];
  }
  out(c, i.rd, e === 1 ? 8 : 16);
  flushQC(c);
}

// opcode -> [three-same key or three-different opcode, name, long?, U allowed (0, 1, or 2 = both)]
const FORMS: ([number, string, boolean, number] | undefined)[] = [];
FORMS[0b0000] = [0b10010 << 1, 'MLA', false, 1];
FORMS[0b0100] = [0b10010 << 1 | 1, 'MLS', false, 1];
FORMS[0b1000] = [0b10011 << 1, 'MUL', false, 0];
FORMS[0b1100] = [0b10110 << 1, 'SQDMULH', false, 0];
FORMS[0b1101] = [0b10110 << 1 | 1, 'SQRDMULH', false, 0];
FORMS[0b0010] = [0b1000, 'MLAL', true, 2];
FORMS[0b0110] = [0b1010, 'MLSL', true, 2];
FORMS[0b1010] = [0b1100, 'MULL', true, 2];
FORMS[0b0011] = [0b1001, 'SQDMLAL', true, 0];
FORMS[0b0111] = [0b1011, 'SQDMLSL', true, 0];
FORMS[0b1011] = [0b1101, 'SQDMULL', true, 0];

function prepare(i: Insn, scalar: boolean): boolean {
  const w = i.word, u = i.U, esz = i.size, q = scalar ? 0 : i.Q;
  const opcode = (w >>> 12) & 15, H = (w >>> 11) & 1, L = (w >>> 21) & 1, M = (w >>> 20) & 1;
  const form = FORMS[opcode];
  if (form === undefined || (form[3] !== 2 && form[3] !== u)) return false;
  if (esz !== 1 && esz !== 2) return false;
  const [idx, name, long] = form;
  if (scalar && !(opcode === 0b1100 || opcode === 0b1101 || (opcode & 3) === 3)) return false;
  i.imm = esz === 1 ? H << 2 | L << 1 | M : H << 1 | L;
  i.rm = esz === 1 ? (w >>> 16) & 15 : (w >>> 16) & 31;
  i.aux0 = idx;
  i.aux2 = u === 0 || opcode === 0b1100 || opcode === 0b1101 ? 1 : 0;
  if (long) {
    i.name = (form[3] === 2 ? (u ? 'U' : 'S') : '') + name + (q ? '2' : '');
    i.aux1 = scalar ? 1 : 8 >> esz; i.aux3 = q;
    i.exec = esz === 1 ? ELEM_LONG : ELEM_LONG64;
  } else {
    i.name = name;
    i.aux1 = scalar ? 1 : (q ? 16 : 8) >> esz; i.aux3 = scalar ? 1 << esz : q ? 16 : 8;
    i.exec = ELEM;
  }
  return true;
}

// Integer opcodes: the even ones, xx11 and 1101 (the FP ones are 0001, 0101, 1001).
const rows: Encoding[] = [];
for (const opc of ['kkk0', 'kk11', '1101']) {
  rows.push(enc(`0QU01111 qq ii mmmm ${opc} j 0 nnnnn ddddd`, 'SIMD_vector_x_indexed_element', ELEM, (i) => prepare(i, false)));
  rows.push(enc(`01U11111 qq ii mmmm ${opc} j 0 nnnnn ddddd`, 'SIMD_scalar_x_indexed_element', ELEM, (i) => prepare(i, true)));
}
export const SIMD_ELEM: Encoding[] = rows;
