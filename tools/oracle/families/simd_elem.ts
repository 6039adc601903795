// Oracle family simd_elem: AdvSIMD vector x indexed element and its scalar form, integer opcodes (MUL,
// MLA, MLS, [SU]MULL, [SU]MLAL, [SU]MLSL, SQDMULL, SQDMLAL, SQDMLSL, SQDMULH, SQRDMULH), every size
// (B and D reserved) and index; the unallocated integer slots. FMLA/FMLS/FMUL/FMULX are fp-vec's.

import type { Family } from '../catalogue.js';
import { bits, intGen, pinSize } from './simd_int.js';

// [opcode, U, name | null, scalar allocated?]
const OPS: [number, number, string | null, boolean][] = [
  [0, 0, null, false], [0, 1, 'MLA_elem', false], [2, 0, 'SMLAL_elem', false], [2, 1, 'UMLAL_elem', false],
  [3, 0, 'SQDMLAL_elem', true], [3, 1, null, false], [4, 0, null, false], [4, 1, 'MLS_elem', false],
  [6, 0, 'SMLSL_elem', false], [6, 1, 'UMLSL_elem', false], [7, 0, 'SQDMLSL_elem', true], [7, 1, null, false],
  [8, 0, 'MUL_elem', false], [8, 1, null, false], [10, 0, 'SMULL_elem', false], [10, 1, 'UMULL_elem', false],
  [11, 0, 'SQDMULL_elem', true], [11, 1, null, false], [12, 0, 'SQDMULH_elem', true], [12, 1, null, false],
  [13, 0, 'SQRDMULH_elem', true], [14, 0, null, false], [14, 1, null, false], [15, 0, null, false],
];
// Not listed: 1101 with U = 1 and 1111 with U = 1 (ARMv8.1 SQRDMLAH/SQRDMLSH: UNDEFINED on the A57,
// listed as unallocated below), 0001/0101/1001 (FP).

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = pinSize(intGen(), [1, 2]);
  for (const [opcode, u, name, scalar] of OPS) {
    const v = `0Q${u}01111 ss L M mmmm ${bits(opcode, 4)} H 0 nnnnn ddddd`;
    E.push(name ? { name: `${name}_vec`, pattern: v, gen, weight: 3 } : { name: `SIMD_elem_${bits(opcode, 4)}_${u}_unalloc`, pattern: v });
    const s = `01${u}11111 ss L M mmmm ${bits(opcode, 4)} H 0 nnnnn ddddd`;
    E.push(scalar ? { name: `${name}_scalar`, pattern: s, gen, weight: 3 } : { name: `SIMD_scalar_elem_${bits(opcode, 4)}_${u}_unalloc`, pattern: s });
  }
  for (const opcode of [13, 15]) {
    E.push({ name: `SIMD_elem_${bits(opcode, 4)}_1_v81_unalloc`, pattern: `0Q101111 ss L M mmmm ${bits(opcode, 4)} H 0 nnnnn ddddd` });
    E.push({ name: `SIMD_scalar_elem_${bits(opcode, 4)}_1_v81_unalloc`, pattern: `01111111 ss L M mmmm ${bits(opcode, 4)} H 0 nnnnn ddddd` });
  }
  return E;
}

export const SIMD_ELEM: Family = { cls: 'simd_elem', count: 7000, entries: entries() };
