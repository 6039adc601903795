// The SIMD&FP families of the oracle catalogue: one fixture class each. To add one, write
// families/<class>.ts exporting a Family and list it here (one import, one line).

import type { Family } from '../catalogue.js';
import { FP_LDST } from './fp_ldst.js';
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
