// The SIMD&FP families of the oracle catalogue: one fixture class each. To add one, write
// families/<class>.ts exporting a Family and list it here (one import, one line).

import type { Family } from '../catalogue.js';
import { FP_LDST } from './fp_ldst.js';
import { FP_DP } from './fp_dp.js';
import { FP_CVT } from './fp_cvt.js';
import { FP_MOV } from './fp_mov.js';
import { FP_SYSREG } from './fp_sysreg.js';
import { CRYPTO } from './crypto.js';

export const FAMILIES: Family[] = [
  FP_LDST,
  FP_DP,
  FP_CVT,
  FP_MOV,
  FP_SYSREG,
  CRYPTO,
];
