// Oracle family fp_dp: scalar floating-point data processing (Arm ARM C4.1.6): 1 source (FMOV
// register, FABS, FNEG, FSQRT), 2 source, 3 source, compare, conditional compare, conditional select,
// FMOV (scalar, immediate), and the unallocated combinations of these classes (ftype 10, half
// precision ftype 11 which is ARMv8.2, M or S set, reserved opcodes). Operands: the seed's V registers
// (special values per lane, random FPCR), Vm = Vn a quarter of the time.

import type { Family } from '../catalogue.js';
import { fpOperands } from '../shape.js';

type E = Family['entries'][number];

function entries(): E[] {
  const E: E[] = [];
  const add = (name: string, pattern: string, weight?: number): void => { E.push({ name, pattern, gen: fpOperands, weight }); };
  for (const [t, sz] of [['00', 'S'], ['01', 'D']]) {
    for (const [op, n] of [['000000', 'FMOV_reg'], ['000001', 'FABS'], ['000010', 'FNEG'], ['000011', 'FSQRT']]) {
      add(`${n}_${sz}`, `000 11110 ${t} 1 ${op} 10000 nnnnn ddddd`);
    }
    const two = ['FMUL', 'FDIV', 'FADD', 'FSUB', 'FMAX', 'FMIN', 'FMAXNM', 'FMINNM', 'FNMUL'];
    two.forEach((n, k) => add(`${n}_${sz}`, `000 11110 ${t} 1 mmmmm ${k.toString(2).padStart(4, '0')} 10 nnnnn ddddd`, 2));
    add(`FMADD_${sz}`, `000 11111 ${t} 0 mmmmm 0 aaaaa nnnnn ddddd`, 3);
    add(`FMSUB_${sz}`, `000 11111 ${t} 0 mmmmm 1 aaaaa nnnnn ddddd`, 3);
    add(`FNMADD_${sz}`, `000 11111 ${t} 1 mmmmm 0 aaaaa nnnnn ddddd`, 3);
    add(`FNMSUB_${sz}`, `000 11111 ${t} 1 mmmmm 1 aaaaa nnnnn ddddd`, 3);
    add(`FCMP_${sz}`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn 00000`);
    add(`FCMP_zero_${sz}`, `000 11110 ${t} 1 00000 00 1000 nnnnn 01000`);
    add(`FCMPE_${sz}`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn 10000`);
    add(`FCMPE_zero_${sz}`, `000 11110 ${t} 1 00000 00 1000 nnnnn 11000`);
    add(`FCCMP_${sz}`, `000 11110 ${t} 1 mmmmm cccc 01 nnnnn 0 ffff`);
    add(`FCCMPE_${sz}`, `000 11110 ${t} 1 mmmmm cccc 01 nnnnn 1 ffff`);
    add(`FCSEL_${sz}`, `000 11110 ${t} 1 mmmmm cccc 11 nnnnn ddddd`);
    add(`FMOV_imm_${sz}`, `000 11110 ${t} 1 iiiiiiii 100 00000 ddddd`);
    // Reserved opcodes and fields of the same classes.
    add(`FP_1src_unalloc_${sz}`, `000 11110 ${t} 1 01 jjjj 10000 nnnnn ddddd`);
    add(`FP_1src_unalloc2_${sz}`, `000 11110 ${t} 1 1 jjjjj 10000 nnnnn ddddd`);
    add(`FP_2src_unalloc_${sz}`, `000 11110 ${t} 1 mmmmm 1001 10 nnnnn ddddd`);
    add(`FP_2src_unalloc2_${sz}`, `000 11110 ${t} 1 mmmmm 101j 10 nnnnn ddddd`);
    add(`FP_2src_unalloc3_${sz}`, `000 11110 ${t} 1 mmmmm 11jj 10 nnnnn ddddd`);
    add(`FCMP_op_unalloc_${sz}`, `000 11110 ${t} 1 mmmmm 1j 1000 nnnnn jjjjj`);
    add(`FCMP_op_unalloc2_${sz}`, `000 11110 ${t} 1 mmmmm 01 1000 nnnnn jjjjj`);
    add(`FCMP_opc2_unalloc_${sz}`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn jj 1jj`);
    add(`FCMP_opc2_unalloc2_${sz}`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn jj 01j`);
    add(`FCMP_opc2_unalloc3_${sz}`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn jj 001`);
    add(`FMOV_imm_unalloc_${sz}`, `000 11110 ${t} 1 iiiiiiii 100 jjjj1 ddddd`);
    add(`FMOV_imm_unalloc2_${sz}`, `000 11110 ${t} 1 iiiiiiii 100 jjj10 ddddd`);
  }
  // Half precision (ftype 11) arithmetic is ARMv8.2; ftype 10 is unallocated.
  for (const [t, n] of [['11', 'half'], ['10', 'ftype10']]) {
    add(`FP_1src_${n}_unalloc`, `000 11110 ${t} 1 0000jj 10000 nnnnn ddddd`);
    add(`FP_2src_${n}_unalloc`, `000 11110 ${t} 1 mmmmm 0jjj 10 nnnnn ddddd`);
    add(`FP_3src_${n}_unalloc`, `000 11111 ${t} j mmmmm j aaaaa nnnnn ddddd`);
    add(`FCMP_${n}_unalloc`, `000 11110 ${t} 1 mmmmm 00 1000 nnnnn jj000`);
    add(`FCCMP_${n}_unalloc`, `000 11110 ${t} 1 mmmmm cccc 01 nnnnn jffff`);
    add(`FCSEL_${n}_unalloc`, `000 11110 ${t} 1 mmmmm cccc 11 nnnnn ddddd`);
    add(`FMOV_imm_${n}_unalloc`, `000 11110 ${t} 1 iiiiiiii 100 00000 ddddd`);
  }
  // M = 1 or S = 1.
  add('FP_2src_M_unalloc', '10j 11110 jj 1 mmmmm jjjj 10 nnnnn ddddd');
  add('FP_2src_S_unalloc', '001 11110 jj 1 mmmmm jjjj 10 nnnnn ddddd');
  add('FP_3src_M_unalloc', '10j 11111 jj j mmmmm j aaaaa nnnnn ddddd');
  add('FP_3src_S_unalloc', '001 11111 jj j mmmmm j aaaaa nnnnn ddddd');
  add('FCSEL_M_unalloc', '10j 11110 jj 1 mmmmm cccc 11 nnnnn ddddd');
  add('FCSEL_S_unalloc', '001 11110 jj 1 mmmmm cccc 11 nnnnn ddddd');
  return E;
}

export const FP_DP: Family = { cls: 'fp_dp', count: 12000, entries: entries() };
