// Arm ARM C4.1.6: Advanced SIMD (scalar) shift by immediate, the fixed-point conversions SCVTF UCVTF
// (opcode 11100) and FCVTZS FCVTZU (11111). immh = 01xx: 32-bit lanes, fbits = 64 - immh:immb;
// immh = 1xxx: 64-bit lanes, fbits = 128 - immh:immb (2D only for vectors); immh = 001x is ARMv8.2
// half precision and immh = 0000 another class. The integer shifts are in simd_shift.ts.
// Names: _asimd = vector, _asisd = AdvSIMD scalar.

import type { Insn } from '../insn.js';
import { enc, Encoding } from '../insn.js';
import { Un, unS, unD } from './simd_fp_ops.js';
import { Rnd, toIntParam, fromIntParam } from './simd_fp_misc.js';

function prep(scalarForm: boolean, dbl: boolean, toInt: boolean, u: number) {
  return (i: Insn): boolean => {
    if (dbl && !scalarForm && i.Q === 0) return false;
    const fbits = dbl ? 64 - i.imm : 32 - i.imm;
    const op = toInt ? Un.TOINT : Un.FROMINT;
    i.aux0 = op;
    i.aux2 = toInt ? toIntParam(Rnd.ZERO, u, fbits) : fromIntParam(u, fbits);
    i.aux1 = scalarForm ? 1 : dbl ? 2 : i.Q === 1 ? 4 : 2;
    i.exec = dbl ? unD : unS;
    return true;
  };
}

function rows(name: string, u: number, opcode: string, toInt: boolean): Encoding[] {
  return [
    enc(`0 Q ${u} 011110 01 iiiii ${opcode} 1 nnnnn ddddd`, `${name}_fix_asimd`, unS, prep(false, false, toInt, u)),
    enc(`0 Q ${u} 011110 1 iiiiii ${opcode} 1 nnnnn ddddd`, `${name}_fix_asimd`, unS, prep(false, true, toInt, u)),
    enc(`01 ${u} 111110 01 iiiii ${opcode} 1 nnnnn ddddd`, `${name}_fix_asisd`, unS, prep(true, false, toInt, u)),
    enc(`01 ${u} 111110 1 iiiiii ${opcode} 1 nnnnn ddddd`, `${name}_fix_asisd`, unS, prep(true, true, toInt, u)),
  ];
}

export const SIMD_FP_SHIFT: Encoding[] = [
  ...rows('SCVTF', 0, '11100', false),
  ...rows('UCVTF', 1, '11100', false),
  ...rows('FCVTZS', 0, '11111', true),
  ...rows('FCVTZU', 1, '11111', true),
];
