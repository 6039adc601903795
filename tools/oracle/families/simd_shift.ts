// Oracle family simd_shift: AdvSIMD shift by immediate and its scalar form, integer opcodes, every
// immh (element size) including the reserved ones; the fixed-point conversions are fp-vec's. immh = 0
// is the modified-immediate class in the vector form, unallocated in the scalar one.

import type { Family, Gen } from '../catalogue.js';
import { field } from '../shape.js';
import { bits, intGen, shiftImmGen } from './simd_int.js';

// [opcode, U, name | null, scalar: allocated?]
const OPS: [number, number, string | null, boolean][] = [
  [0, 0, 'SSHR', true], [0, 1, 'USHR', true], [2, 0, 'SSRA', true], [2, 1, 'USRA', true],
  [4, 0, 'SRSHR', true], [4, 1, 'URSHR', true], [6, 0, 'SRSRA', true], [6, 1, 'URSRA', true],
  [8, 0, null, false], [8, 1, 'SRI', true], [10, 0, 'SHL', true], [10, 1, 'SLI', true],
  [12, 0, null, false], [12, 1, 'SQSHLU', true], [14, 0, 'SQSHL_imm', true], [14, 1, 'UQSHL_imm', true],
  [16, 0, 'SHRN', false], [16, 1, 'SQSHRUN', true], [17, 0, 'RSHRN', false], [17, 1, 'SQRSHRUN', true],
  [18, 0, 'SQSHRN', true], [18, 1, 'UQSHRN', true], [19, 0, 'SQRSHRN', true], [19, 1, 'UQRSHRN', true],
  [20, 0, 'SSHLL', false], [20, 1, 'USHLL', false],
];
// Odd opcodes below 10000 and 10101..11011, 11101, 11110 are unallocated (11100, 11111: fp-vec's).
const UNALLOC = [1, 3, 5, 7, 9, 11, 13, 15, 21, 22, 23, 24, 25, 26, 27, 29, 30];

/** Element bits: the highest set bit of immh (the wide source for the narrowing forms, by chance). */
const immBits = (w: number): number => {
  const immh = field(w, 19, 4);
  return immh === 0 ? 8 : 8 << (31 - Math.clz32(immh));
};

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const gen: Gen = shiftImmGen(intGen({ bits: immBits }));
  for (const [opcode, u, name, scalar] of OPS) {
    const v = `0Q${u}011110 hhhh bbb ${bits(opcode, 5)} 1 nnnnn ddddd`;
    E.push(name ? { name: `${name}_vec`, pattern: v, gen, weight: 3 } : { name: `SIMD_shift_${bits(opcode, 5)}_${u}_unalloc`, pattern: v, gen });
    const s = `01${u}111110 hhhh bbb ${bits(opcode, 5)} 1 nnnnn ddddd`;
    E.push(scalar ? { name: `${name}_scalar`, pattern: s, gen, weight: 3 } : { name: `SIMD_scalar_shift_${bits(opcode, 5)}_${u}_unalloc`, pattern: s, gen });
  }
  for (const opcode of UNALLOC) {
    for (const u of [0, 1]) {
      E.push({ name: `SIMD_shift_${bits(opcode, 5)}_${u}_unalloc`, pattern: `0Q${u}011110 hhhh bbb ${bits(opcode, 5)} 1 nnnnn ddddd`, gen });
      E.push({ name: `SIMD_scalar_shift_${bits(opcode, 5)}_${u}_unalloc`, pattern: `01${u}111110 hhhh bbb ${bits(opcode, 5)} 1 nnnnn ddddd`, gen });
    }
  }
  E.push({ name: 'SIMD_scalar_shift_immh0_unalloc', pattern: '01U111110 0000 bbb ooooo 1 nnnnn ddddd' });
  return E;
}

export const SIMD_SHIFT: Family = { cls: 'simd_shift', count: 14000, entries: entries() };
