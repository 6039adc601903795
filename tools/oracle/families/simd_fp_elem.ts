// Oracle family simd_fp_elem: Advanced SIMD (scalar) x indexed element, the floating-point opcodes
// (Arm ARM: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd, scalar 01 U 11111 ...; size = 1x; 0001 FMLA,
// 0101 FMLS, 1001 FMUL (U = 0) / FMULX (U = 1)). sz = 1 with L = 1, and 1D, are reserved (they come up
// in the random bits). size = 0x with these opcodes (half precision is ARMv8.2) and U = 1 with
// 0001/0101 are unallocated entries.

import type { Family } from '../catalogue.js';
import { aliased } from './simd_fp_alias.js';

type E = Family['entries'][number];

function entries(): E[] {
  const out: E[] = [];
  const forms: [string, string][] = [['asimd', '0 Q U 01111 Z z L mmmmm oooo H 0 nnnnn ddddd'], ['asisd', '01 U 11111 Z z L mmmmm oooo H 0 nnnnn ddddd']];
  const names: Record<string, string> = { '0 0001': 'FMLA', '0 0101': 'FMLS', '0 1001': 'FMUL', '1 1001': 'FMULX' };
  for (const [form, pat] of forms) {
    for (const o of ['0001', '0101', '1001']) for (const u of [0, 1]) {
      const name = names[`${u} ${o}`];
      const base = pat.replace('U', String(u)).replace('oooo', o);
      if (name !== undefined) out.push({ name: `${name}_elem_${form}`, pattern: base.replace('Z', '1'), weight: 3, gen: aliased(true) });
      else out.push({ name: `simd_fp_elem_unallocated_${form}_U${u}_${o}`, pattern: base.replace('Z', '1') });
      out.push({ name: `simd_fp_elem_unallocated_${form}_U${u}_size0x_${o}`, pattern: base.replace('Z', '0') });
    }
  }
  return out;
}

export const SIMD_FP_ELEM: Family = { cls: 'simd_fp_elem', count: 8000, entries: entries() };
