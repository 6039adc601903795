// Arm ARM C4.1.6: Advanced SIMD table lookup: TBL and TBX with 1 to 4 table registers (Vn, Vn+1, ...
// modulo 32). An index beyond the table gives 0 (TBL) or keeps the destination byte (TBX).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';
import { out, tb } from './simd_lanes.js';

/** aux0 = table registers, aux2 = TBX, aux3 = bytes. */
function TBL(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const bytes = i.aux3, regs = i.aux0, n = i.rn, m = i.rm * 16, d = i.rd * 16, tbx = i.aux2, v = c.vb;
  for (let j = 0; j < bytes; j++) {
    const x = v[m + j];
    if (x < regs * 16) tb[j] = v[((n + (x >> 4)) & 31) * 16 + (x & 15)];
    else tb[j] = tbx ? v[d + j] : 0;
  }
  out(c, i.rd, bytes);
}

export const SIMD_TBL: Encoding[] = [
  enc('0Q001110 000 mmmmm 0 kk p 00 nnnnn ddddd', 'TBL_TBX', TBL, (i) => {
    const len = (i.word >>> 13) & 3;
    i.aux0 = len + 1; i.aux2 = i.o; i.aux3 = i.Q ? 16 : 8;
    i.name = (i.o ? 'TBX' : 'TBL') + `_${len + 1}reg`;
    return true;
  }),
];
