// Oracle family simd_across: AdvSIMD across lanes, integer opcodes (ADDV, [SU]ADDLV, [SU]MAXV,
// [SU]MINV), and AdvSIMD scalar pairwise ADDP (D), with reserved sizes and the unallocated slots of
// those opcodes. The FP reductions are fp-vec's.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

const OPS: [number, number, string | null][] = [
  [0b00011, 0, 'SADDLV'], [0b00011, 1, 'UADDLV'], [0b01010, 0, 'SMAXV'], [0b01010, 1, 'UMAXV'],
  [0b11010, 0, 'SMINV'], [0b11010, 1, 'UMINV'], [0b11011, 0, 'ADDV'], [0b11011, 1, null],
];

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = intGen();
  for (const [opcode, u, name] of OPS) {
    const p = `0Q${u}01110 ss 11000 ${bits(opcode, 5)} 10 nnnnn ddddd`;
    E.push(name ? { name: `${name}_vec`, pattern: p, gen, weight: 3 } : { name: `SIMD_across_${bits(opcode, 5)}_${u}_unalloc`, pattern: p });
  }
  E.push({ name: 'ADDP_scalar', pattern: '01011110 ss 11000 11011 10 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'SIMD_scalar_pairwise_11011_U1_unalloc', pattern: '01111110 ss 11000 11011 10 nnnnn ddddd' });
  return E;
}

export const SIMD_ACROSS: Family = { cls: 'simd_across', count: 3000, entries: entries() };
