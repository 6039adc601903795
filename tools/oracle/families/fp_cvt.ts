// Oracle family fp_cvt: scalar floating-point conversions (Arm ARM C4.1.6): FCVT between half, single
// and double precision, FRINT*, conversion between floating-point and integer (not FMOV general, which
// is fp_mov's) and between floating-point and fixed point, with the unallocated combinations of these
// classes. Operands: the seed's V registers and X registers; FPCR random (AHP included).

import type { Family } from '../catalogue.js';
import { fpOperands } from '../shape.js';

type E = Family['entries'][number];

function entries(): E[] {
  const E: E[] = [];
  const add = (name: string, pattern: string, weight?: number): void => { E.push({ name, pattern, gen: fpOperands, weight }); };
  // FCVT: ftype (source) 0001 opc (destination).
  const T = [['00', 'S'], ['01', 'D'], ['11', 'H']];
  for (const [src, s] of T) {
    for (const [dst, d] of T) {
      if (src === dst) add(`FCVT_${s}${d}_unalloc`, `000 11110 ${src} 1 0001 ${dst} 10000 nnnnn ddddd`);
      else add(`FCVT_${s}${d}`, `000 11110 ${src} 1 0001 ${dst} 10000 nnnnn ddddd`, 2);
    }
    add(`FCVT_${s}_opc10_unalloc`, `000 11110 ${src} 1 0001 10 10000 nnnnn ddddd`);
  }
  add('FCVT_ftype10_unalloc', '000 11110 10 1 0001 jj 10000 nnnnn ddddd');
  // FRINT*: ftype 1 001 rmode.
  const frint = [['000', 'N'], ['001', 'P'], ['010', 'M'], ['011', 'Z'], ['100', 'A'], ['110', 'X'], ['111', 'I']];
  for (const [t, sz] of [['00', 'S'], ['01', 'D']]) {
    for (const [rm, n] of frint) add(`FRINT${n}_${sz}`, `000 11110 ${t} 1 001 ${rm} 10000 nnnnn ddddd`);
    add(`FRINT_101_unalloc_${sz}`, `000 11110 ${t} 1 001 101 10000 nnnnn ddddd`);
  }
  add('FRINT_half_unalloc', '000 11110 11 1 001 jjj 10000 nnnnn ddddd');
  add('FRINT_ftype10_unalloc', '000 11110 10 1 001 jjj 10000 nnnnn ddddd');
  // FP <-> integer: sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd (opcode 11x is FMOV: not here).
  const toInt = [['00', '000', 'FCVTNS'], ['00', '001', 'FCVTNU'], ['01', '000', 'FCVTPS'], ['01', '001', 'FCVTPU'],
    ['10', '000', 'FCVTMS'], ['10', '001', 'FCVTMU'], ['11', '000', 'FCVTZS'], ['11', '001', 'FCVTZU'],
    ['00', '100', 'FCVTAS'], ['00', '101', 'FCVTAU'], ['00', '010', 'SCVTF'], ['00', '011', 'UCVTF']];
  for (const [sf, w] of [['0', '32'], ['1', '64']]) {
    for (const [t, sz] of [['00', 'S'], ['01', 'D']]) {
      for (const [rm, op, n] of toInt) add(`${n}_${w}${sz}`, `${sf}00 11110 ${t} 1 ${rm} ${op} 000000 nnnnn ddddd`);
      add(`FCVT_int_rmode_unalloc_${w}${sz}`, `${sf}00 11110 ${t} 1 01 01j 000000 nnnnn ddddd`);
      add(`FCVT_int_rmode_unalloc2_${w}${sz}`, `${sf}00 11110 ${t} 1 1j 01j 000000 nnnnn ddddd`);
      add(`FCVT_int_rmode_unalloc3_${w}${sz}`, `${sf}00 11110 ${t} 1 01 10j 000000 nnnnn ddddd`);
      add(`FCVT_int_rmode_unalloc4_${w}${sz}`, `${sf}00 11110 ${t} 1 1j 10j 000000 nnnnn ddddd`);
      // FP <-> fixed point: sf 0 0 11110 ftype 0 rmode opcode scale Rn Rd.
      const fix = [['11', '000', 'FCVTZS'], ['11', '001', 'FCVTZU'], ['00', '010', 'SCVTF'], ['00', '011', 'UCVTF']];
      for (const [rm, op, n] of fix) add(`${n}_fix_${w}${sz}`, `${sf}00 11110 ${t} 0 ${rm} ${op} ${sf === '0' ? '1' : 's'}sssss nnnnn ddddd`, 2);
      add(`FCVT_fix_op_unalloc_${w}${sz}`, `${sf}00 11110 ${t} 0 jj 1jj ssssss nnnnn ddddd`);
    }
    add(`FCVT_int_half_unalloc_${w}`, `${sf}00 11110 11 1 jj 0jj 000000 nnnnn ddddd`);
    add(`FCVT_fix_half_unalloc_${w}`, `${sf}00 11110 11 0 jj 0jj ssssss nnnnn ddddd`);
    add(`FCVT_int_ftype10_unalloc_${w}`, `${sf}00 11110 10 1 jj 0jj 000000 nnnnn ddddd`);
    add(`FCVT_int_ftype10_unalloc2_${w}`, `${sf}00 11110 10 1 jj 10j 000000 nnnnn ddddd`);
  }
  // A 32-bit fixed-point form with scale<5> = 0 (more than 32 fraction bits) is unallocated.
  add('FCVT_fix_32_scale_unalloc', '000 11110 0j 0 jj jjj 0sssss nnnnn ddddd');
  return E;
}

export const FP_CVT: Family = { cls: 'fp_cvt', count: 12000, entries: entries() };
