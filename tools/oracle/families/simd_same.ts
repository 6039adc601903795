// Oracle family simd_same: AdvSIMD three same (integer and bitwise opcodes: opcode 0xxxx and 10xxx)
// and AdvSIMD scalar three same (the same opcode space), vector forms of every size and Q, with the
// reserved sizes and the unallocated opcode/U slots as entries too. The FP opcodes (11xxx) are fp-vec's.

import type { Family } from '../catalogue.js';
import { bits, intGen } from './simd_int.js';

// [opcode, U, name, shift operand]
const OPS: [number, number, string, boolean?][] = [
  [0, 0, 'SHADD'], [0, 1, 'UHADD'], [1, 0, 'SQADD'], [1, 1, 'UQADD'], [2, 0, 'SRHADD'], [2, 1, 'URHADD'],
  [4, 0, 'SHSUB'], [4, 1, 'UHSUB'], [5, 0, 'SQSUB'], [5, 1, 'UQSUB'], [6, 0, 'CMGT'], [6, 1, 'CMHI'],
  [7, 0, 'CMGE'], [7, 1, 'CMHS'], [8, 0, 'SSHL', true], [8, 1, 'USHL', true], [9, 0, 'SQSHL', true],
  [9, 1, 'UQSHL', true], [10, 0, 'SRSHL', true], [10, 1, 'URSHL', true], [11, 0, 'SQRSHL', true],
  [11, 1, 'UQRSHL', true], [12, 0, 'SMAX'], [12, 1, 'UMAX'], [13, 0, 'SMIN'], [13, 1, 'UMIN'],
  [14, 0, 'SABD'], [14, 1, 'UABD'], [15, 0, 'SABA'], [15, 1, 'UABA'], [16, 0, 'ADD'], [16, 1, 'SUB'],
  [17, 0, 'CMTST'], [17, 1, 'CMEQ'], [18, 0, 'MLA'], [18, 1, 'MLS'], [19, 0, 'MUL'], [19, 1, 'PMUL'],
  [20, 0, 'SMAXP'], [20, 1, 'UMAXP'], [21, 0, 'SMINP'], [21, 1, 'UMINP'], [22, 0, 'SQDMULH'],
  [22, 1, 'SQRDMULH'], [23, 0, 'ADDP'],
];
const SCALAR = new Set(['SQADD', 'UQADD', 'SQSUB', 'UQSUB', 'CMGT', 'CMHI', 'CMGE', 'CMHS', 'SSHL', 'USHL', 'SQSHL',
  'UQSHL', 'SRSHL', 'URSHL', 'SQRSHL', 'UQRSHL', 'ADD', 'SUB', 'CMTST', 'CMEQ', 'SQDMULH', 'SQRDMULH']);
const LOGIC = ['AND', 'BIC', 'ORR', 'ORN', 'EOR', 'BSL', 'BIT', 'BIF'];

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const plain = intGen(), shift = intGen({ shiftM: true });
  for (const [opcode, u, name, sh] of OPS) {
    const gen = sh ? shift : plain;
    E.push({ name: `${name}_vec`, pattern: `0Q${u}01110 ss1 mmmmm ${bits(opcode, 5)} 1 nnnnn ddddd`, gen, weight: sh ? 3 : 2 });
    const sp = `01${u}11110 ss1 mmmmm ${bits(opcode, 5)} 1 nnnnn ddddd`;
    if (SCALAR.has(name)) E.push({ name: `${name}_scalar`, pattern: sp, gen, weight: sh ? 2 : 1 });
    else E.push({ name: `${name}_scalar_unalloc`, pattern: sp, weight: 1 });
  }
  E.push({ name: 'SIMD_same_10111_U1_unalloc', pattern: '0Q101110 ss1 mmmmm 10111 1 nnnnn ddddd', weight: 1 });
  E.push({ name: 'SIMD_scalar_same_10111_U1_unalloc', pattern: '01111110 ss1 mmmmm 10111 1 nnnnn ddddd', weight: 1 });
  for (const op of [3]) {
    for (const u of [0, 1]) E.push({ name: `SIMD_scalar_same_${bits(op, 5)}_${u}_unalloc`, pattern: `01${u}11110 ss1 mmmmm ${bits(op, 5)} 1 nnnnn ddddd`, weight: 1 });
  }
  LOGIC.forEach((name, k) => {
    E.push({ name: `${name}_vec`, pattern: `0Q${k >> 2}01110 ${bits(k & 3, 2)}1 mmmmm 00011 1 nnnnn ddddd`, gen: plain, weight: 2 });
  });
  return E;
}

export const SIMD_SAME: Family = { cls: 'simd_same', count: 14000, entries: entries() };
