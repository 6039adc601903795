// Arm ARM C4.1.6: Advanced SIMD (scalar) x indexed element, the floating-point opcodes FMLA FMLS FMUL
// FMULX with size = 1x (size = 00 is ARMv8.2 half precision). The element is Vm.S[H:L] (sz = 0) or
// Vm.D[H] (sz = 1, L = 1 reserved); Rm is M:Rm (5 bits) for both. Pattern letters: S = L, h = H.
// The integer opcodes are in simd_elem.ts. Names: _asimd = vector, _asisd = AdvSIMD scalar.

import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import { Bin, Fma, binElemS, binElemD, fmaElemS, fmaElemD } from './simd_fp_ops.js';

function prep(scalarForm: boolean, fused: boolean, op: number) {
  return (i: Insn): boolean => {
    const dbl = i.sf === 1;
    if (dbl && (i.S === 1 || (!scalarForm && i.Q === 0))) return false;
    i.aux0 = op;
    i.aux1 = scalarForm ? 1 : dbl ? 2 : i.Q === 1 ? 4 : 2;
    i.aux3 = dbl ? i.sh : (i.sh << 1) | i.S;
    if (fused) { i.exec = dbl ? fmaElemD : fmaElemS; return true; }
    i.exec = dbl ? binElemD : binElemS;
    return true;
  };
}

function rows(name: string, u: number, opcode: string, fused: boolean, op: number): Encoding[] {
  return [
    enc(`0 Q ${u} 01111 1 z S mmmmm ${opcode} h 0 nnnnn ddddd`, `${name}_elem_asimd`, binElemS, prep(false, fused, op)),
    enc(`01 ${u} 11111 1 z S mmmmm ${opcode} h 0 nnnnn ddddd`, `${name}_elem_asisd`, binElemS, prep(true, fused, op)),
  ];
}

export const SIMD_FP_ELEM: Encoding[] = [
  ...rows('FMLA', 0, '0001', true, Fma.MLA),
  ...rows('FMLS', 0, '0101', true, Fma.MLS),
  ...rows('FMUL', 0, '1001', false, Bin.MUL),
  ...rows('FMULX', 1, '1001', false, Bin.MULX),
];
