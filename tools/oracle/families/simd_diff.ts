// Oracle family simd_diff: AdvSIMD three different (L, W and HN forms and their "2" variants; PMULL,
// 8- and 64-bit, is the crypto family's) and AdvSIMD scalar three different
// (SQDMLAL, SQDMLSL, SQDMULL), with reserved sizes and unallocated slots.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

// [opcode, name for U = 0, name for U = 1 (or null: unallocated)]
const OPS: [number, string, string | null][] = [
  [0, 'SADDL', 'UADDL'], [1, 'SADDW', 'UADDW'], [2, 'SSUBL', 'USUBL'], [3, 'SSUBW', 'USUBW'],
  [4, 'ADDHN', 'RADDHN'], [5, 'SABAL', 'UABAL'], [6, 'SUBHN', 'RSUBHN'], [7, 'SABDL', 'UABDL'],
  [8, 'SMLAL', 'UMLAL'], [9, 'SQDMLAL', null], [10, 'SMLSL', 'UMLSL'], [11, 'SQDMLSL', null],
  [12, 'SMULL', 'UMULL'], [13, 'SQDMULL', null],
];

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  // The operands' lanes: the narrow size for L forms, the wide one for W/HN (random lane sizes too).
  const gen = intGen();
  for (const [opcode, n0, n1] of OPS) {
    E.push({ name: `${n0}_vec`, pattern: `0Q001110 ss1 mmmmm ${bits(opcode, 4)} 00 nnnnn ddddd`, gen, weight: 3 });
    if (n1) E.push({ name: `${n1}_vec`, pattern: `0Q101110 ss1 mmmmm ${bits(opcode, 4)} 00 nnnnn ddddd`, gen, weight: 3 });
    else E.push({ name: `SIMD_diff_${bits(opcode, 4)}_U1_unalloc`, pattern: `0Q101110 ss1 mmmmm ${bits(opcode, 4)} 00 nnnnn ddddd` });
  }
  // PMULL (opcode 1110, U = 0) of every size is in the crypto family.
  E.push({ name: 'SIMD_diff_1110_U1_unalloc', pattern: '0Q101110 ss1 mmmmm 1110 00 nnnnn ddddd' });
  E.push({ name: 'SIMD_diff_1111_unalloc', pattern: '0QU01110 ss1 mmmmm 1111 00 nnnnn ddddd' });
  for (const [opcode, n] of [[9, 'SQDMLAL'], [11, 'SQDMLSL'], [13, 'SQDMULL']] as const) {
    E.push({ name: `${n}_scalar`, pattern: `01011110 ss1 mmmmm ${bits(opcode, 4)} 00 nnnnn ddddd`, gen, weight: 3 });
    E.push({ name: `${n}_scalar_U1_unalloc`, pattern: `01111110 ss1 mmmmm ${bits(opcode, 4)} 00 nnnnn ddddd` });
  }
  return E;
}

export const SIMD_DIFF: Family = { cls: 'simd_diff', count: 8000, entries: entries() };
