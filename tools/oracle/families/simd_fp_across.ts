// Oracle family simd_fp_across: Advanced SIMD across lanes, the floating-point opcodes (Arm ARM:
// 0 Q U 01110 a sz 11000 opcode 10 Rn Rd, opcode 01100 FMAXNMV/FMINNMV, 01111 FMAXV/FMINV, U = 1).
// ARMv8.0 allocates only Q = 1, sz = 0 (4S): the other Q/sz values come up in the random bits, and
// U = 0 (half precision, ARMv8.2) is an unallocated entry.

import type { Family } from '../catalogue.js';
import { aliased } from './simd_fp_alias.js';

const p = (u: number, a: number, o: string): string => `0 Q ${u} 01110 ${a} z 11000 ${o} 10 nnnnn ddddd`;

export const SIMD_FP_ACROSS: Family = {
  cls: 'simd_fp_across',
  count: 5000,
  entries: [
    { name: 'FMAXNMV_asimd', pattern: p(1, 0, '01100'), weight: 3, gen: aliased(false) },
    { name: 'FMINNMV_asimd', pattern: p(1, 1, '01100'), weight: 3, gen: aliased(false) },
    { name: 'FMAXV_asimd', pattern: p(1, 0, '01111'), weight: 3, gen: aliased(false) },
    { name: 'FMINV_asimd', pattern: p(1, 1, '01111'), weight: 3, gen: aliased(false) },
    { name: 'simd_fp_across_unallocated_U0_01100', pattern: `0 Q 0 01110 a z 11000 01100 10 nnnnn ddddd` },
    { name: 'simd_fp_across_unallocated_U0_01111', pattern: `0 Q 0 01110 a z 11000 01111 10 nnnnn ddddd` },
  ],
};
