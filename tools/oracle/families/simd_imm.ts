// Oracle family simd_imm: AdvSIMD modified immediate (MOVI, MVNI, ORR, BIC, FMOV vector immediate),
// every cmode and op; o2 = 1 (FMOV half precision, ARMv8.2) is unallocated on the A57.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = intGen({ bits: () => 8 << 2 });
  for (let op = 0; op < 2; op++) {
    for (let cmode = 0; cmode < 16; cmode++) {
      let name: string;
      if (cmode < 12 && (cmode & 1)) name = op ? 'BIC_imm' : 'ORR_imm';
      else if (cmode === 14) name = op ? 'MOVI_64' : 'MOVI_8';
      else if (cmode === 15) name = op ? 'FMOV_vec_d' : 'FMOV_vec_s';
      else name = op ? 'MVNI' : 'MOVI';
      E.push({ name: `${name}_cmode${bits(cmode, 4)}`, pattern: `0Q${op}0111100000 abc ${bits(cmode, 4)} 0 1 defgh ddddd`, gen, weight: 2 });
    }
  }
  E.push({ name: 'SIMD_imm_o2_unalloc', pattern: '0QU0111100000 abc cccc 1 1 defgh ddddd' });
  return E;
}

export const SIMD_IMM: Family = { cls: 'simd_imm', count: 3000, entries: entries() };
