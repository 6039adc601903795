// The SIMD&FP families of the oracle catalogue: one fixture class each. To add one, write
// families/<class>.ts exporting a Family and list it here (one import, one line).

import type { Family } from '../catalogue.js';
import { FP_LDST } from './fp_ldst.js';
import { FP_MOV } from './fp_mov.js';

export const FAMILIES: Family[] = [
  FP_LDST,
  FP_MOV,
];
