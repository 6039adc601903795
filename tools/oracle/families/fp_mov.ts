// Oracle family fp_mov: FMOV (general), the bit moves between general and SIMD&FP registers, and the
// other encodings of their rmode/opcode slots (half precision is ARMv8.2: UNDEFINED on the A57).

import type { Family } from '../catalogue.js';

export const FP_MOV: Family = {
  cls: 'fp_mov',
  count: 1500,
  entries: [
    { name: 'FMOV_w_s', pattern: '0 00 11110 00 1 00 110 000000 nnnnn ddddd' },
    { name: 'FMOV_s_w', pattern: '0 00 11110 00 1 00 111 000000 nnnnn ddddd' },
    { name: 'FMOV_x_d', pattern: '1 00 11110 01 1 00 110 000000 nnnnn ddddd' },
    { name: 'FMOV_d_x', pattern: '1 00 11110 01 1 00 111 000000 nnnnn ddddd' },
    { name: 'FMOV_x_v1', pattern: '1 00 11110 10 1 01 110 000000 nnnnn ddddd' },
    { name: 'FMOV_v1_x', pattern: '1 00 11110 10 1 01 111 000000 nnnnn ddddd' },
    { name: 'FMOV_h', pattern: 'z 00 11110 11 1 00 11o 000000 nnnnn ddddd' },
    { name: 'FMOV_gen_unalloc', pattern: 'z 00 11110 yy 1 00 11o 000000 nnnnn ddddd' },
    { name: 'FMOV_v1_w_unalloc', pattern: '0 00 11110 10 1 01 11o 000000 nnnnn ddddd' },
  ],
};
