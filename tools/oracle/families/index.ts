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
import { SIMD_SAME } from './simd_same.js';
import { SIMD_DIFF } from './simd_diff.js';
import { SIMD_MISC } from './simd_misc.js';
import { SIMD_ACROSS } from './simd_across.js';
import { SIMD_SHIFT } from './simd_shift.js';
import { SIMD_ELEM } from './simd_elem.js';
import { SIMD_IMM } from './simd_imm.js';
import { SIMD_COPY } from './simd_copy.js';
import { SIMD_PERM } from './simd_perm.js';

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
  SIMD_SAME,
  SIMD_DIFF,
  SIMD_MISC,
  SIMD_ACROSS,
  SIMD_SHIFT,
  SIMD_ELEM,
  SIMD_IMM,
  SIMD_COPY,
  SIMD_PERM,
];
