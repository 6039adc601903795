import type { Encoding } from '../insn.js';

export const DP_IMM: Encoding[] = [];
