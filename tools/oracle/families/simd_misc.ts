// Oracle family simd_misc: AdvSIMD two-register miscellaneous and its scalar form, integer opcodes
// (REV*, [SU]ADDLP, [SU]ADALP, SUQADD, USQADD, CLS, CLZ, CNT, NOT, RBIT, SQABS, SQNEG, CMxx #0, ABS,
// NEG, XTN, SQXTUN, SQXTN, UQXTN, SHLL) with reserved sizes and the unallocated integer slots. The FP
// opcodes and URECPE/URSQRTE are fp-vec's.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

// [opcode, U, name | null (unallocated), scalar form: true = allocated, false = unallocated, undefined = not listed]
const OPS: [number, number, string | null, boolean?][] = [
  [0, 0, 'REV64'], [0, 1, 'REV32'], [1, 0, 'REV16'], [1, 1, null], [2, 0, 'SADDLP'], [2, 1, 'UADDLP'],
  [3, 0, 'SUQADD', true], [3, 1, 'USQADD', true], [4, 0, 'CLS'], [4, 1, 'CLZ'], [5, 0, 'CNT'], [5, 1, 'NOT_RBIT'],
  [6, 0, 'SADALP'], [6, 1, 'UADALP'], [7, 0, 'SQABS', true], [7, 1, 'SQNEG', true], [8, 0, 'CMGT_zero', true],
  [8, 1, 'CMGE_zero', true], [9, 0, 'CMEQ_zero', true], [9, 1, 'CMLE_zero', true], [10, 0, 'CMLT_zero', true],
  [10, 1, null, false], [11, 0, 'ABS', true], [11, 1, 'NEG', true], [18, 0, 'XTN', false], [18, 1, 'SQXTUN', true],
  [19, 0, null], [19, 1, 'SHLL'], [20, 0, 'SQXTN', true], [20, 1, 'UQXTN', true],
];

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen = intGen();
  for (const [opcode, u, name, scalar] of OPS) {
    const v = `0Q${u}01110 ss 10000 ${bits(opcode, 5)} 10 nnnnn ddddd`;
    E.push(name ? { name: `${name}_vec`, pattern: v, gen, weight: 3 } : { name: `SIMD_misc_${bits(opcode, 5)}_${u}_unalloc`, pattern: v });
    const s = `01${u}11110 ss 10000 ${bits(opcode, 5)} 10 nnnnn ddddd`;
    if (scalar === true) E.push({ name: `${name}_scalar`, pattern: s, gen, weight: 3 });
    else E.push({ name: `SIMD_scalar_misc_${bits(opcode, 5)}_${u}_unalloc`, pattern: s });
  }
  return E;
}

export const SIMD_MISC: Family = { cls: 'simd_misc', count: 10000, entries: entries() };
