// The SIMD&FP families of the oracle catalogue: one fixture class each. To add one, write
// families/<class>.ts exporting a Family and list it here (one import, one line).

import type { Family } from '../catalogue.js';
import { FP_LDST } from './fp_ldst.js';
import { SIMD_FP_SAME } from './simd_fp_same.js';
import { SIMD_FP_MISC } from './simd_fp_misc.js';
import { SIMD_FP_ACROSS } from './simd_fp_across.js';
import { SIMD_FP_PAIRWISE } from './simd_fp_pairwise.js';
import { SIMD_FP_ELEM } from './simd_fp_elem.js';
import { SIMD_FP_SHIFT } from './simd_fp_shift.js';
import { FP_DP } from './fp_dp.js';
import { FP_CVT } from './fp_cvt.js';
import { FP_MOV } from './fp_mov.js';
import { FP_SYSREG } from './fp_sysreg.js';
import { CRYPTO } from './crypto.js';

export const FAMILIES: Family[] = [
  FP_LDST,
  SIMD_FP_SAME,
  SIMD_FP_MISC,
  SIMD_FP_ACROSS,
  SIMD_FP_PAIRWISE,
  SIMD_FP_ELEM,
  SIMD_FP_SHIFT,
  FP_DP,
  FP_CVT,
  FP_MOV,
  FP_SYSREG,
  CRYPTO,
];
