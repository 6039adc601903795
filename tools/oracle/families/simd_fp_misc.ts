// Oracle family simd_fp_misc: Advanced SIMD two-register miscellaneous and its scalar form, the
// floating-point opcodes (01100-01111, 10110, 10111, 11000-11111; size<1> = a, size<0> = sz), from the
// Arm ARM's encoding tables, with URECPE/URSQRTE which share FRECPE/FRSQRTE's opcode. Vector:
// 0 Q U 01110 a sz 10000 opcode 10 Rn Rd; scalar: 01 U 11110 a sz 10000 opcode 10 Rn Rd. The
// combinations ARMv8.0 leaves unallocated are entries too; reserved sz/Q values come up in the
// allocated entries' random bits.

import type { Family } from '../catalogue.js';
import { aliased } from './simd_fp_alias.js';

type E = Family['entries'][number];

const OPCODES = ['01100', '01101', '01110', '01111', '10110', '10111', '11000', '11001', '11010', '11011', '11100', '11101', '11110', '11111'];

/** "U a opcode" -> name, vector forms. */
const VEC: Record<string, string> = {
  '0 1 01100': 'FCMGT_zero', '1 1 01100': 'FCMGE_zero', '0 1 01101': 'FCMEQ_zero', '1 1 01101': 'FCMLE_zero',
  '0 1 01110': 'FCMLT_zero', '0 1 01111': 'FABS', '1 1 01111': 'FNEG',
  '0 0 10110': 'FCVTN', '1 0 10110': 'FCVTXN', '0 0 10111': 'FCVTL',
  '0 0 11000': 'FRINTN', '0 1 11000': 'FRINTP', '1 0 11000': 'FRINTA',
  '0 0 11001': 'FRINTM', '0 1 11001': 'FRINTZ', '1 0 11001': 'FRINTX', '1 1 11001': 'FRINTI',
  '0 0 11010': 'FCVTNS', '1 0 11010': 'FCVTNU', '0 1 11010': 'FCVTPS', '1 1 11010': 'FCVTPU',
  '0 0 11011': 'FCVTMS', '1 0 11011': 'FCVTMU', '0 1 11011': 'FCVTZS', '1 1 11011': 'FCVTZU',
  '0 0 11100': 'FCVTAS', '1 0 11100': 'FCVTAU', '0 1 11100': 'URECPE', '1 1 11100': 'URSQRTE',
  '0 0 11101': 'SCVTF', '1 0 11101': 'UCVTF', '0 1 11101': 'FRECPE', '1 1 11101': 'FRSQRTE',
  '1 1 11111': 'FSQRT',
};

/** The scalar forms. */
const SCALAR: Record<string, string> = {
  '0 1 01100': 'FCMGT_zero', '1 1 01100': 'FCMGE_zero', '0 1 01101': 'FCMEQ_zero', '1 1 01101': 'FCMLE_zero',
  '0 1 01110': 'FCMLT_zero', '1 0 10110': 'FCVTXN',
  '0 0 11010': 'FCVTNS', '1 0 11010': 'FCVTNU', '0 1 11010': 'FCVTPS', '1 1 11010': 'FCVTPU',
  '0 0 11011': 'FCVTMS', '1 0 11011': 'FCVTMU', '0 1 11011': 'FCVTZS', '1 1 11011': 'FCVTZU',
  '0 0 11100': 'FCVTAS', '1 0 11100': 'FCVTAU',
  '0 0 11101': 'SCVTF', '1 0 11101': 'UCVTF', '0 1 11101': 'FRECPE', '1 1 11101': 'FRSQRTE',
  '0 1 11111': 'FRECPX',
};

function entries(): E[] {
  const out: E[] = [];
  const forms: [string, (u: number, a: number, o: string) => string, Record<string, string>][] = [
    ['asimd', (u, a, o) => `0 Q ${u} 01110 ${a} z 10000 ${o} 10 nnnnn ddddd`, VEC],
    ['asisd', (u, a, o) => `01 ${u} 11110 ${a} z 10000 ${o} 10 nnnnn ddddd`, SCALAR],
  ];
  for (const [form, pat, names] of forms) {
    for (const o of OPCODES) for (const u of [0, 1]) for (const a of [0, 1]) {
      const name = names[`${u} ${a} ${o}`];
      out.push(name !== undefined
        ? { name: `${name}_${form}`, pattern: pat(u, a, o), weight: 3, gen: aliased(false) }
        : { name: `simd_fp_misc_unallocated_${form}_U${u}_a${a}_${o}`, pattern: pat(u, a, o) });
    }
  }
  return out;
}

export const SIMD_FP_MISC: Family = { cls: 'simd_fp_misc', count: 15000, entries: entries() };
