// Arm ARM C4.1.6, scalar floating-point data processing: 1 source (FMOV register, FABS, FNEG, FSQRT;
// FCVT and FRINT* are in fp_cvt.ts), 2 source, 3 source, compare, conditional compare, conditional
// select, FMOV (scalar, immediate).
//
// ftype 00 is binary32, 01 binary64; ftype 11 (half-precision arithmetic) is ARMv8.2 and ftype 10 is
// unallocated: no row matches them, so the catch-all makes them UNDEFINED. Each operation and size has
// its own handler; the arithmetic is the exact library emu/cpu/fp. Operands are read as bits through
// c.vw (a float view could quiet a signalling NaN).

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Handler, Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import * as fp from '../fp/index.js';
import { fpEnabled, setVS, setVD } from './simd_fp.js';

const SIGN = 0x80000000 | 0;

type S2 = (st: fp.FpState, a: number, b: number) => number;
type D2 = (st: fp.FpState, alo: number, ahi: number, blo: number, bhi: number) => void;

// ---------------------------------------------------------------- 1 source

function fmovS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, c.vw[i.rn * 4]);
}
function fmovD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  setVD(c, i.rd, c.vw[n], c.vw[n + 1]);
}
function fabsS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, c.vw[i.rn * 4] & 0x7fffffff);
}
function fabsD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  setVD(c, i.rd, c.vw[n], c.vw[n + 1] & 0x7fffffff);
}
function fnegS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, c.vw[i.rn * 4] ^ SIGN);
}
function fnegD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  setVD(c, i.rd, c.vw[n], c.vw[n + 1] ^ SIGN);
}
function fsqrtS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sSqrt(c, c.vw[i.rn * 4]));
}
function fsqrtD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4;
  fp.dSqrt(c, c.vw[n], c.vw[n + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}

// ---------------------------------------------------------------- 2 source
// The commonest ones have handlers of their own (a direct call); the rest come from s2/d2.

function faddS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sAdd(c, c.vw[i.rn * 4], c.vw[i.rm * 4]));
}
function fsubS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sSub(c, c.vw[i.rn * 4], c.vw[i.rm * 4]));
}
function fmulS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sMul(c, c.vw[i.rn * 4], c.vw[i.rm * 4]));
}
function fdivS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, fp.sDiv(c, c.vw[i.rn * 4], c.vw[i.rm * 4]));
}
function faddD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  fp.dAdd(c, v[n], v[n + 1], v[m], v[m + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}
function fsubD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  fp.dSub(c, v[n], v[n + 1], v[m], v[m + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}
function fmulD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  fp.dMul(c, v[n], v[n + 1], v[m], v[m + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}
function fdivD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  fp.dDiv(c, v[n], v[n + 1], v[m], v[m + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}

/** A binary32 2-source handler; aux0 is XORed into the result (FNMUL: FPNeg of the product, NaN too). */
function s2(f: S2): Handler {
  return (c: Cpu, i: Insn): void => {
    if (!fpEnabled(c)) return;
    setVS(c, i.rd, f(c, c.vw[i.rn * 4], c.vw[i.rm * 4]) ^ i.aux0);
  };
}
function d2(f: D2): Handler {
  return (c: Cpu, i: Insn): void => {
    if (!fpEnabled(c)) return;
    const n = i.rn * 4, m = i.rm * 4, v = c.vw;
    f(c, v[n], v[n + 1], v[m], v[m + 1]);
    setVD(c, i.rd, R[LO], R[HI] ^ i.aux0);
  };
}

function prepNeg(i: Insn): boolean { i.aux0 = SIGN; return true; }
function prepPlain(i: Insn): boolean { i.aux0 = 0; return true; }

// ---------------------------------------------------------------- 3 source
// FMADD Ra + Rn*Rm; FMSUB Ra - Rn*Rm; FNMADD -Ra - Rn*Rm; FNMSUB -Ra + Rn*Rm. The Arm ARM negates the
// operands (FPNeg, also of a NaN) before FPMulAdd: aux0 is XORed into Ra, aux1 into Rn.

function fmaS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const v = c.vw;
  setVS(c, i.rd, fp.sMulAdd(c, v[i.ra * 4] ^ i.aux0, v[i.rn * 4] ^ i.aux1, v[i.rm * 4]));
}
function fmaD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const a = i.ra * 4, n = i.rn * 4, m = i.rm * 4, v = c.vw;
  fp.dMulAdd(c, v[a], v[a + 1] ^ i.aux0, v[n], v[n + 1] ^ i.aux1, v[m], v[m + 1]);
  setVD(c, i.rd, R[LO], R[HI]);
}

function prepFmadd(i: Insn): boolean { i.aux0 = 0; i.aux1 = 0; return true; }
function prepFmsub(i: Insn): boolean { i.aux0 = 0; i.aux1 = SIGN; return true; }
function prepFnmadd(i: Insn): boolean { i.aux0 = SIGN; i.aux1 = SIGN; return true; }
function prepFnmsub(i: Insn): boolean { i.aux0 = SIGN; i.aux1 = 0; return true; }

// ---------------------------------------------------------------- compare, conditional compare
// aux0: 1 for FCMPE/FCCMPE (every NaN signals). aux1: 1 when comparing with +0.0.

function fcmpS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  c.nzcv = fp.sCompare(c, c.vw[i.rn * 4], i.aux1 !== 0 ? 0 : c.vw[i.rm * 4], i.aux0 !== 0);
}
function fcmpD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  c.nzcv = i.aux1 !== 0 ? fp.dCompare(c, v[n], v[n + 1], 0, 0, i.aux0 !== 0) : fp.dCompare(c, v[n], v[n + 1], v[m], v[m + 1], i.aux0 !== 0);
}
function fccmpS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  if (c.condHolds(i.cond)) c.nzcv = fp.sCompare(c, c.vw[i.rn * 4], c.vw[i.rm * 4], i.aux0 !== 0);
  else c.nzcv = i.imm;
}
function fccmpD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const n = i.rn * 4, m = i.rm * 4, v = c.vw;
  if (c.condHolds(i.cond)) c.nzcv = fp.dCompare(c, v[n], v[n + 1], v[m], v[m + 1], i.aux0 !== 0);
  else c.nzcv = i.imm;
}

function prepCmp(i: Insn): boolean { i.aux0 = 0; i.aux1 = 0; return true; }
function prepCmpe(i: Insn): boolean { i.aux0 = 1; i.aux1 = 0; return true; }
function prepCmpZ(i: Insn): boolean { i.aux0 = 0; i.aux1 = 1; return true; }
function prepCmpeZ(i: Insn): boolean { i.aux0 = 1; i.aux1 = 1; return true; }

// ---------------------------------------------------------------- conditional select

function fcselS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, c.vw[(c.condHolds(i.cond) ? i.rn : i.rm) * 4]);
}
function fcselD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const r = (c.condHolds(i.cond) ? i.rn : i.rm) * 4;
  setVD(c, i.rd, c.vw[r], c.vw[r + 1]);
}

// ---------------------------------------------------------------- FMOV (scalar, immediate)
// VFPExpandImm(imm8), precomputed: aux0 = the binary32 bits, aux1 = the upper word of the binary64 bits.

function fmovImmS(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVS(c, i.rd, i.aux0);
}
function fmovImmD(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  setVD(c, i.rd, 0, i.aux1);
}

function prepFmovImm(i: Insn): boolean {
  const imm8 = i.imm, b6 = (imm8 >>> 6) & 1, sign = (imm8 >>> 7) & 1, low = imm8 & 0x3f;
  // binary32: sign : NOT(b6) : Replicate(b6, 5) : imm8<5:4> : imm8<3:0> : Zeros(19)
  i.aux0 = (sign << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0x1f : 0) << 25) | (low << 19);
  // binary64: sign : NOT(b6) : Replicate(b6, 8) : imm8<5:4> : imm8<3:0> : Zeros(48)
  i.aux1 = (sign << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0xff : 0) << 22) | (low << 16);
  return true;
}

// ---------------------------------------------------------------- the rows

/** Rows for both sizes: pattern has 'T' where ftype goes (00 single, 01 double). */
function both(pattern: string, name: string, s: Handler, d: Handler, prepare?: (i: Insn) => boolean): Encoding[] {
  return [
    enc(pattern.replace('TT', '00'), `${name}_S`, s, prepare),
    enc(pattern.replace('TT', '01'), `${name}_D`, d, prepare),
  ];
}

export const FP_DP: Encoding[] = [
  // 1 source: M 0 S 11110 ftype 1 opcode 10000 Rn Rd
  ...both('0 0 0 11110 TT 1 000000 10000 nnnnn ddddd', 'FMOV_reg', fmovS, fmovD),
  ...both('0 0 0 11110 TT 1 000001 10000 nnnnn ddddd', 'FABS', fabsS, fabsD),
  ...both('0 0 0 11110 TT 1 000010 10000 nnnnn ddddd', 'FNEG', fnegS, fnegD),
  ...both('0 0 0 11110 TT 1 000011 10000 nnnnn ddddd', 'FSQRT', fsqrtS, fsqrtD),

  // 2 source: M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd
  ...both('0 0 0 11110 TT 1 mmmmm 0000 10 nnnnn ddddd', 'FMUL', fmulS, fmulD),
  ...both('0 0 0 11110 TT 1 mmmmm 0001 10 nnnnn ddddd', 'FDIV', fdivS, fdivD),
  ...both('0 0 0 11110 TT 1 mmmmm 0010 10 nnnnn ddddd', 'FADD', faddS, faddD),
  ...both('0 0 0 11110 TT 1 mmmmm 0011 10 nnnnn ddddd', 'FSUB', fsubS, fsubD),
  ...both('0 0 0 11110 TT 1 mmmmm 0100 10 nnnnn ddddd', 'FMAX', s2(fp.sMax), d2(fp.dMax), prepPlain),
  ...both('0 0 0 11110 TT 1 mmmmm 0101 10 nnnnn ddddd', 'FMIN', s2(fp.sMin), d2(fp.dMin), prepPlain),
  ...both('0 0 0 11110 TT 1 mmmmm 0110 10 nnnnn ddddd', 'FMAXNM', s2(fp.sMaxNum), d2(fp.dMaxNum), prepPlain),
  ...both('0 0 0 11110 TT 1 mmmmm 0111 10 nnnnn ddddd', 'FMINNM', s2(fp.sMinNum), d2(fp.dMinNum), prepPlain),
  ...both('0 0 0 11110 TT 1 mmmmm 1000 10 nnnnn ddddd', 'FNMUL', s2(fp.sMul), d2(fp.dMul), prepNeg),

  // 3 source: M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd
  ...both('0 0 0 11111 TT 0 mmmmm 0 aaaaa nnnnn ddddd', 'FMADD', fmaS, fmaD, prepFmadd),
  ...both('0 0 0 11111 TT 0 mmmmm 1 aaaaa nnnnn ddddd', 'FMSUB', fmaS, fmaD, prepFmsub),
  ...both('0 0 0 11111 TT 1 mmmmm 0 aaaaa nnnnn ddddd', 'FNMADD', fmaS, fmaD, prepFnmadd),
  ...both('0 0 0 11111 TT 1 mmmmm 1 aaaaa nnnnn ddddd', 'FNMSUB', fmaS, fmaD, prepFnmsub),

  // Compare: M 0 S 11110 ftype 1 Rm op 1000 Rn opcode2 (the #0.0 forms ignore Rm, as QEMU does)
  ...both('0 0 0 11110 TT 1 mmmmm 00 1000 nnnnn 00000', 'FCMP', fcmpS, fcmpD, prepCmp),
  ...both('0 0 0 11110 TT 1 mmmmm 00 1000 nnnnn 01000', 'FCMP_zero', fcmpS, fcmpD, prepCmpZ),
  ...both('0 0 0 11110 TT 1 mmmmm 00 1000 nnnnn 10000', 'FCMPE', fcmpS, fcmpD, prepCmpe),
  ...both('0 0 0 11110 TT 1 mmmmm 00 1000 nnnnn 11000', 'FCMPE_zero', fcmpS, fcmpD, prepCmpeZ),

  // Conditional compare: M 0 S 11110 ftype 1 Rm cond 01 Rn op nzcv
  ...both('0 0 0 11110 TT 1 mmmmm cccc 01 nnnnn 0 iiii', 'FCCMP', fccmpS, fccmpD, prepCmp),
  ...both('0 0 0 11110 TT 1 mmmmm cccc 01 nnnnn 1 iiii', 'FCCMPE', fccmpS, fccmpD, prepCmpe),

  // Conditional select: M 0 S 11110 ftype 1 Rm cond 11 Rn Rd
  ...both('0 0 0 11110 TT 1 mmmmm cccc 11 nnnnn ddddd', 'FCSEL', fcselS, fcselD),

  // FMOV (scalar, immediate): M 0 S 11110 ftype 1 imm8 100 imm5=00000 Rd
  ...both('0 0 0 11110 TT 1 iiiiiiii 100 00000 ddddd', 'FMOV_imm', fmovImmS, fmovImmD, prepFmovImm),
];
