// Oracle family simd_perm: AdvSIMD permute (UZP1/2, TRN1/2, ZIP1/2 and the unallocated opcodes),
// extract (EXT, with the reserved Q = 0 positions and op2 != 00) and table lookup (TBL/TBX of one to
// four registers, the table wrapping past V31; op2 != 00 unallocated).

import type { Family } from '../catalogue.js';
import { bits, intGen, tblGen } from './simd_int.js';

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = intGen();
  const names = ['', 'UZP1', 'TRN1', 'ZIP1', '', 'UZP2', 'TRN2', 'ZIP2'];
  names.forEach((n, op) => {
    const p = `0Q001110 ss0 mmmmm 0 ${bits(op, 3)} 10 nnnnn ddddd`;
    E.push(n ? { name: n, pattern: p, gen, weight: 3 } : { name: `SIMD_perm_${bits(op, 3)}_unalloc`, pattern: p });
  });
  E.push({ name: 'EXT', pattern: '0Q101110 000 mmmmm 0 iiii 0 nnnnn ddddd', gen, weight: 4 });
  E.push({ name: 'EXT_op2_unalloc', pattern: '0Q101110 oo0 mmmmm 0 iiii 0 nnnnn ddddd' });
  for (let len = 0; len < 4; len++) {
    for (let op = 0; op < 2; op++) {
      E.push({ name: `${op ? 'TBX' : 'TBL'}_${len + 1}`, pattern: `0Q001110 000 mmmmm 0 ${bits(len, 2)} ${op} 00 nnnnn ddddd`, gen: tblGen, weight: 3 });
    }
  }
  E.push({ name: 'TBL_op2_unalloc', pattern: '0Q001110 oo0 mmmmm 0 ll p 00 nnnnn ddddd' });
  return E;
}

export const SIMD_PERM: Family = { cls: 'simd_perm', count: 5000, entries: entries() };
