// Oracle family simd_fp_pairwise: Advanced SIMD scalar pairwise, the floating-point opcodes (Arm ARM:
// 01 U 11110 a sz 11000 opcode 10 Rn Rd; U = 1: 01100 FMAXNMP/FMINNMP, 01101 FADDP, 01111 FMAXP/FMINP).
// U = 0 with these opcodes is ARMv8.2 half precision and 01101 with a = 1 is unallocated: entries too.

import type { Family } from '../catalogue.js';
import { aliased } from './simd_fp_alias.js';

const p = (u: string, a: string, o: string): string => `01 ${u} 11110 ${a} z 11000 ${o} 10 nnnnn ddddd`;

export const SIMD_FP_PAIRWISE: Family = {
  cls: 'simd_fp_pairwise',
  count: 5000,
  entries: [
    { name: 'FMAXNMP_asisd', pattern: p('1', '0', '01100'), weight: 3, gen: aliased(false) },
    { name: 'FMINNMP_asisd', pattern: p('1', '1', '01100'), weight: 3, gen: aliased(false) },
    { name: 'FADDP_asisd', pattern: p('1', '0', '01101'), weight: 3, gen: aliased(false) },
    { name: 'FMAXP_asisd', pattern: p('1', '0', '01111'), weight: 3, gen: aliased(false) },
    { name: 'FMINP_asisd', pattern: p('1', '1', '01111'), weight: 3, gen: aliased(false) },
    { name: 'simd_fp_pairwise_unallocated_U1_a1_01101', pattern: p('1', '1', '01101') },
    { name: 'simd_fp_pairwise_unallocated_U0_01100', pattern: p('0', 'a', '01100') },
    { name: 'simd_fp_pairwise_unallocated_U0_01101', pattern: p('0', 'a', '01101') },
    { name: 'simd_fp_pairwise_unallocated_U0_01111', pattern: p('0', 'a', '01111') },
  ],
};
