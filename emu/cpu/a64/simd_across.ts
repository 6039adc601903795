// Arm ARM C4.1.6: Advanced SIMD across lanes, integer opcodes: ADDV, [SU]ADDLV, [SU]MAXV, [SU]MINV.
// The FP reductions (FMAXV, FMINV, FMAXNMV, FMINNMV) are fp-vec's (simd_fp_across.ts).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled, setVD } from './simd_fp.js';
import { lane, setT, out } from './simd_lanes.js';

/** aux0 = operation (0 ADDLV, 1 MAXV, 2 MINV, 3 ADDV), aux1 = lanes, aux2 = signed. */
function ACROSS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const esz = i.size, sg = i.aux2, n = i.rn, kind = i.aux0;
  let r = lane(c, n, esz, 0, sg);
  for (let k = 1; k < i.aux1; k++) {
    const a = lane(c, n, esz, k, sg);
    if (kind === 1) { if (a > r) r = a; } else if (kind === 2) { if (a < r) r = a; } else r += a;
  }
  if (kind === 0 && esz === 2) { setVD(c, i.rd, r >>> 0 | 0, Math.floor(r / 4294967296) | 0); return; }
  const resz = kind === 0 ? esz + 1 : esz;
  setT(resz, 0, r);
  out(c, i.rd, 1 << resz);
}

function prep(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 31, u = i.U, esz = i.size;
  if (esz === 3 || (esz === 2 && i.Q === 0)) return false;
  const kind = opcode === 0b00011 ? 0 : opcode === 0b01010 ? 1 : opcode === 0b11010 ? 2 : 3;
  if (kind === 3 && u === 1) return false;
  i.aux0 = kind; i.aux1 = (i.Q ? 16 : 8) >> esz; i.aux2 = u ^ 1;
  i.name = kind === 3 ? 'ADDV' : (u ? 'U' : 'S') + ['ADDLV', 'MAXV', 'MINV'][kind];
  return true;
}

export const SIMD_ACROSS: Encoding[] = [
  enc('0QU01110 qq 11000 00011 10 nnnnn ddddd', 'SIMD_across_lanes', ACROSS, prep),
  enc('0QU01110 qq 11000 01010 10 nnnnn ddddd', 'SIMD_across_lanes', ACROSS, prep),
  enc('0QU01110 qq 11000 1101k 10 nnnnn ddddd', 'SIMD_across_lanes', ACROSS, prep),
];
