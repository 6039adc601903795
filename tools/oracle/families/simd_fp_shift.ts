// Oracle family simd_fp_shift: Advanced SIMD (scalar) shift by immediate, the fixed-point conversions
// (Arm ARM: 0 Q U 011110 immh immb opcode 1 Rn Rd, scalar 01 U 111110 ...; opcode 11100 SCVTF/UCVTF,
// 11111 FCVTZS/FCVTZU). immh = 01xx: 32-bit lanes, 1xxx: 64-bit lanes (Q = 0 reserved for vectors,
// in the random bits); immh = 001x is ARMv8.2 half precision: unallocated entries.

import type { Family } from '../catalogue.js';

type E = Family['entries'][number];

function entries(): E[] {
  const out: E[] = [];
  const forms: [string, string][] = [['asimd', '0 Q U 011110 IIII iii oooo 1 nnnnn ddddd'], ['asisd', '01 U 111110 IIII iii ooooo 1 nnnnn ddddd']];
  const names: Record<string, string> = { '0 11100': 'SCVTF', '1 11100': 'UCVTF', '0 11111': 'FCVTZS', '1 11111': 'FCVTZU' };
  for (const [form, pat] of forms) {
    for (const o of ['11100', '11111']) for (const u of [0, 1]) {
      const base = pat.replace('U', String(u)).replace(/o+/, o);
      const name = names[`${u} ${o}`];
      out.push({ name: `${name}_fix_${form}_32`, pattern: base.replace('IIII', '01II'), weight: 3 });
      out.push({ name: `${name}_fix_${form}_64`, pattern: base.replace('IIII', '1III'), weight: 3 });
      out.push({ name: `simd_fp_shift_unallocated_${form}_${name}_immh001x`, pattern: base.replace('IIII', '001I') });
    }
  }
  return out;
}

export const SIMD_FP_SHIFT: Family = { cls: 'simd_fp_shift', count: 8000, entries: entries() };
