// Arm ARM C4.1.6: Advanced SIMD extract: EXT. Byte j of the result is byte imm4 + j of Vm:Vn (Vn the
// low part), over 8 or 16 bytes.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';
import { out, tb } from './simd_lanes.js';

function EXT(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const bytes = i.aux3, pos = i.imm, n = i.rn * 16, m = i.rm * 16, v = c.vb;
  for (let j = 0; j < bytes; j++) {
    const p = pos + j;
    tb[j] = p < bytes ? v[n + p] : v[m + p - bytes];
  }
  out(c, i.rd, bytes);
}

export const SIMD_EXT: Encoding[] = [
  enc('0Q101110 000 mmmmm 0 iiii 0 nnnnn ddddd', 'EXT', EXT, (i) => {
    if (i.Q === 0 && i.imm >= 8) return false;
    i.aux3 = i.Q ? 16 : 8;
    return true;
  }),
];
