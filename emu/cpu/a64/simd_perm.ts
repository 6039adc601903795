// Arm ARM C4.1.6: Advanced SIMD permute: UZP1, UZP2, TRN1, TRN2, ZIP1, ZIP2. Elements are copied as
// bytes; decode time stores the operation in aux0, the element bytes in aux1, the vector bytes in aux3.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';
import { out, tb } from './simd_lanes.js';

/** Element k of the result is element src(k) of Vn (src < lanes) or of Vm (src - lanes). */
function PERMUTE(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const kind = i.aux0, eb = i.aux1, bytes = i.aux3, lanes = bytes / eb, half = lanes >> 1, part = i.aux2;
  const n = i.rn * 16, m = i.rm * 16, v = c.vb;
  for (let k = 0; k < lanes; k++) {
    let from: number, idx: number; // from: 0 = Vn, 1 = Vm
    if (kind === 0) { const s = 2 * k + part; from = s >= lanes ? 1 : 0; idx = s - from * lanes; } // UZP
    else if (kind === 1) { from = k & 1; idx = (k & ~1) + part; } // TRN
    else { from = k & 1; idx = part * half + (k >> 1); } // ZIP
    const src = (from ? m : n) + idx * eb, dst = k * eb;
    for (let b = 0; b < eb; b++) tb[dst + b] = v[src + b];
  }
  out(c, i.rd, bytes);
}

function prepare(i: Insn): boolean {
  const opcode = (i.word >>> 12) & 7;
  if ((opcode & 3) === 0 || (i.size === 3 && i.Q === 0)) return false;
  i.aux0 = (opcode & 3) - 1; i.aux2 = opcode >> 2; i.aux1 = 1 << i.size; i.aux3 = i.Q ? 16 : 8;
  i.name = ['UZP', 'TRN', 'ZIP'][i.aux0] + (i.aux2 + 1);
  return true;
}

export const SIMD_PERM: Encoding[] = [
  enc('0Q001110 qq0 mmmmm 0 kkk 10 nnnnn ddddd', 'SIMD_permute', PERMUTE, prepare),
];
