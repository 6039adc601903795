// Oracle family simd_fp_same: Advanced SIMD three same and scalar three same, the floating-point
// opcodes (bits 15:11 = 11xxx; size<1> = a selects within a pair, size<0> = sz the element size), from
// the Arm ARM's encoding tables. Vector: 0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd; scalar: 01 U 11110 ....
// The combinations ARMv8.0 leaves unallocated are entries too (and sz = 1 with Q = 0, 1D, comes up in
// the vector entries' random bits). Operands: the seed's V registers (special values per lane).

import type { Family } from '../catalogue.js';
import { aliased } from './simd_fp_alias.js';

type E = Family['entries'][number];

/** [U, a, opcode, name] of every allocated vector form. */
const VEC: [number, number, string, string][] = [
  [0, 0, '11000', 'FMAXNM'], [0, 1, '11000', 'FMINNM'], [1, 0, '11000', 'FMAXNMP'], [1, 1, '11000', 'FMINNMP'],
  [0, 0, '11001', 'FMLA'], [0, 1, '11001', 'FMLS'],
  [0, 0, '11010', 'FADD'], [0, 1, '11010', 'FSUB'], [1, 0, '11010', 'FADDP'], [1, 1, '11010', 'FABD'],
  [0, 0, '11011', 'FMULX'], [1, 0, '11011', 'FMUL'],
  [0, 0, '11100', 'FCMEQ'], [1, 0, '11100', 'FCMGE'], [1, 1, '11100', 'FCMGT'],
  [1, 0, '11101', 'FACGE'], [1, 1, '11101', 'FACGT'],
  [0, 0, '11110', 'FMAX'], [0, 1, '11110', 'FMIN'], [1, 0, '11110', 'FMAXP'], [1, 1, '11110', 'FMINP'],
  [0, 0, '11111', 'FRECPS'], [0, 1, '11111', 'FRSQRTS'], [1, 0, '11111', 'FDIV'],
];

/** The scalar forms. */
const SCALAR: [number, number, string, string][] = [
  [1, 1, '11010', 'FABD'], [0, 0, '11011', 'FMULX'],
  [0, 0, '11100', 'FCMEQ'], [1, 0, '11100', 'FCMGE'], [1, 1, '11100', 'FCMGT'],
  [1, 0, '11101', 'FACGE'], [1, 1, '11101', 'FACGT'],
  [0, 0, '11111', 'FRECPS'], [0, 1, '11111', 'FRSQRTS'],
];

function entries(): E[] {
  const out: E[] = [];
  const forms: [string, string, [number, number, string, string][]][] = [
    ['asimd', '0 Q U 01110 a z 1 mmmmm ooooo 1 nnnnn ddddd', VEC],
    ['asisd', '01 U 11110 a z 1 mmmmm ooooo 1 nnnnn ddddd', SCALAR],
  ];
  for (const [form, pat, list] of forms) {
    for (let op = 0b11000; op <= 0b11111; op++) {
      for (const u of [0, 1]) for (const a of [0, 1]) {
        const opcode = op.toString(2);
        const hit = list.find(([u2, a2, o2]) => u2 === u && a2 === a && o2 === opcode);
        const pattern = pat.replace('U', String(u)).replace(' a ', ` ${a} `).replace('ooooo', opcode);
        out.push(hit !== undefined
          ? { name: `${hit[3]}_${form}`, pattern, weight: 3, gen: aliased(true) }
          : { name: `simd_fp_same_unallocated_${form}_U${u}_a${a}_${opcode}`, pattern });
      }
    }
  }
  return out;
}

export const SIMD_FP_SAME: Family = { cls: 'simd_fp_same', count: 15000, entries: entries() };
