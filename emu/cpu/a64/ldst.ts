import type { Encoding } from '../insn.js';

export const LDST: Encoding[] = [];
