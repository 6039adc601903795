// The A64 decode table: the rows of every encoding class, in Arm ARM order. Each class file holds its
// rows next to their semantics, so an instruction's encoding and behaviour are read together.

import type { Encoding } from '../insn.js';
import { BRANCH_SYS } from './branch_sys.js';
import { DP_IMM } from './dp_imm.js';
import { DP_REG } from './dp_reg.js';
import { LDST } from './ldst.js';
import { SIMD_FP } from './simd_fp.js';

export const A64_TABLE: readonly Encoding[] = [...DP_IMM, ...BRANCH_SYS, ...LDST, ...DP_REG, ...SIMD_FP];
