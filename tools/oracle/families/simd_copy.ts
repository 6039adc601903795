// Oracle family simd_copy: AdvSIMD copy (DUP element and general, INS general and element, SMOV,
// UMOV) and AdvSIMD scalar copy (DUP element), every imm5 (size and index, including the reserved
// x0000) and the unallocated imm4 values.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = intGen({ bits: () => 8 << 3 });
  E.push({ name: 'DUP_element_vec', pattern: '0Q001110000 iiiii 0 0000 1 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'DUP_general_vec', pattern: '0Q001110000 iiiii 0 0001 1 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'INS_general', pattern: '01001110000 iiiii 0 0011 1 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'INS_general_Q0_unalloc', pattern: '00001110000 iiiii 0 0011 1 nnnnn ddddd' });
  E.push({ name: 'SMOV', pattern: '0Q001110000 iiiii 0 0101 1 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'UMOV', pattern: '0Q001110000 iiiii 0 0111 1 nnnnn ddddd', gen, weight: 3 });
  for (const imm4 of [2, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15]) {
    E.push({ name: `SIMD_copy_imm4_${bits(imm4, 4)}_unalloc`, pattern: `0Q001110000 iiiii 0 ${bits(imm4, 4)} 1 nnnnn ddddd` });
  }
  E.push({ name: 'INS_element', pattern: '01101110000 iiiii 0 jjjj 1 nnnnn ddddd', gen, weight: 4 });
  E.push({ name: 'SIMD_copy_op1_Q0_unalloc', pattern: '00101110000 iiiii 0 jjjj 1 nnnnn ddddd' });
  E.push({ name: 'DUP_element_scalar', pattern: '01011110000 iiiii 0 0000 1 nnnnn ddddd', gen, weight: 3 });
  E.push({ name: 'SIMD_scalar_copy_imm4_unalloc', pattern: '01011110000 iiiii 0 jjj1 1 nnnnn ddddd' });
  E.push({ name: 'SIMD_scalar_copy_imm4_unalloc2', pattern: '01011110000 iiiii 0 jj10 1 nnnnn ddddd' });
  E.push({ name: 'SIMD_scalar_copy_imm4_unalloc3', pattern: '01011110000 iiiii 0 j100 1 nnnnn ddddd' });
  E.push({ name: 'SIMD_scalar_copy_imm4_unalloc4', pattern: '01011110000 iiiii 0 1000 1 nnnnn ddddd' });
  E.push({ name: 'SIMD_scalar_copy_op1_unalloc', pattern: '01111110000 iiiii 0 jjjj 1 nnnnn ddddd' });
  return E;
}

export const SIMD_COPY: Family = { cls: 'simd_copy', count: 5000, entries: entries() };
