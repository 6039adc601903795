// Arm ARM C4.1.2: Data Processing -- Immediate.
//
// PC-relative addressing, add/subtract (immediate), logical (immediate), move wide, bitfield, extract.
// Where register 31 means SP, prepare() rewrites the field to SP (32) so that handlers write the
// register file directly; where it means XZR, handlers write through setX/setW, which discard it.
// 32-bit and 64-bit forms are separate rows with separate handlers. Every aux value is an int32.

import { Cpu, SP } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI, lsl64, lsr64, asr64, ror64 } from '../int64.js';
import { sext } from './branch_sys.js';
import { addFlags32, addFlags64, logicFlags32, logicFlags64, decodeBitMasks, MASKS, ror32 } from './bits.js';

// ---------------------------------------------------------------- PC-relative addressing

/** imm = immhi (imm) : immlo (imm2), a signed 21-bit value. */
function prepAdr(i: Insn): boolean {
  i.aux0 = sext((i.imm << 2) | i.imm2, 21);
  return true;
}

function prepAdrp(i: Insn): boolean {
  const off = sext((i.imm << 2) | i.imm2, 21) * 4096;
  i.aux0 = off | 0;
  i.aux1 = Math.floor(off / 4294967296) | 0;
  return true;
}

function ADR(c: Cpu, i: Insn): void {
  c.pcRel(i.aux0);
  c.setX(i.rd, R[LO], R[HI]);
}

function ADRP(c: Cpu, i: Insn): void {
  const l = ((c.pcLo & ~0xfff) >>> 0) + (i.aux0 >>> 0);
  c.setX(i.rd, l | 0, (c.pcHi + i.aux1 + (l > 0xffffffff ? 1 : 0)) | 0);
}

// ---------------------------------------------------------------- add/subtract (immediate)
//
// ADD and SUB share a handler: SUB adds the negated immediate (aux0 lo, aux1 hi). ADDS and SUBS share one
// too, as AddWithCarry(Xn, imm, 0) and AddWithCarry(Xn, NOT(imm), 1) (aux2 = carry in).

function immAddSub(i: Insn): number {
  return i.sh !== 0 ? i.imm << 12 : i.imm;
}

function prepAddImm(i: Insn): boolean {
  if (i.rd === 31) i.rd = SP;
  if (i.rn === 31) i.rn = SP;
  i.aux0 = immAddSub(i);
  i.aux1 = 0;
  return true;
}

function prepSubImm(i: Insn): boolean {
  if (i.rd === 31) i.rd = SP;
  if (i.rn === 31) i.rn = SP;
  const imm = immAddSub(i);
  i.aux0 = -imm | 0;
  i.aux1 = imm === 0 ? 0 : -1;
  return true;
}

function prepAddsImm(i: Insn): boolean {
  if (i.rn === 31) i.rn = SP;
  i.aux0 = immAddSub(i);
  i.aux1 = 0;
  i.aux2 = 0;
  return true;
}

function prepSubsImm(i: Insn): boolean {
  if (i.rn === 31) i.rn = SP;
  i.aux0 = ~immAddSub(i);
  i.aux1 = -1;
  i.aux2 = 1;
  return true;
}

/** ADD/SUB (immediate), 64-bit; Rd and Rn may be SP. */
function addImm64(c: Cpu, i: Insn): void {
  const n = i.rn, d = i.rd;
  const l = (c.x[2 * n] >>> 0) + (i.aux0 >>> 0);
  const h = (c.x[2 * n + 1] + i.aux1 + (l > 0xffffffff ? 1 : 0)) | 0;
  c.x[2 * d] = l | 0;
  c.x[2 * d + 1] = h;
}

function addImm32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.x[2 * d] = (c.x[2 * i.rn] + i.aux0) | 0;
  c.x[2 * d + 1] = 0;
}

/** ADDS/SUBS (immediate), 64-bit; CMN/CMP when Rd is XZR. */
function addsImm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  addFlags64(c, c.x[2 * n], c.x[2 * n + 1], i.aux0, i.aux1, i.aux2);
  c.setX(i.rd, R[LO], R[HI]);
}

function addsImm32(c: Cpu, i: Insn): void {
  c.setW(i.rd, addFlags32(c, c.x[2 * i.rn], i.aux0, i.aux2));
}

// ---------------------------------------------------------------- logical (immediate)
//
// The bitmask immediate (DecodeBitMasks with N:immr:imms) is decoded once into aux0 (lo) and aux1 (hi).
// Rd is SP for AND, ORR and EOR, XZR for ANDS; Rn is XZR throughout.

function prepLogImm64(i: Insn): boolean {
  if (!decodeBitMasks(i.N, i.imm, i.imm2, true, 64)) return false;
  i.aux0 = MASKS[0];
  i.aux1 = MASKS[1];
  return true;
}

function prepLogImm32(i: Insn): boolean {
  if (!decodeBitMasks(0, i.imm, i.imm2, true, 32)) return false;
  i.aux0 = MASKS[0];
  i.aux1 = 0;
  return true;
}

function prepLogImmSp64(i: Insn): boolean {
  if (i.rd === 31) i.rd = SP;
  return prepLogImm64(i);
}

function prepLogImmSp32(i: Insn): boolean {
  if (i.rd === 31) i.rd = SP;
  return prepLogImm32(i);
}

function andImm64(c: Cpu, i: Insn): void {
  const n = i.rn, d = i.rd;
  c.x[2 * d] = c.x[2 * n] & i.aux0;
  c.x[2 * d + 1] = c.x[2 * n + 1] & i.aux1;
}

function andImm32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.x[2 * d] = c.x[2 * i.rn] & i.aux0;
  c.x[2 * d + 1] = 0;
}

function orrImm64(c: Cpu, i: Insn): void {
  const n = i.rn, d = i.rd;
  c.x[2 * d] = c.x[2 * n] | i.aux0;
  c.x[2 * d + 1] = c.x[2 * n + 1] | i.aux1;
}

function orrImm32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.x[2 * d] = c.x[2 * i.rn] | i.aux0;
  c.x[2 * d + 1] = 0;
}

function eorImm64(c: Cpu, i: Insn): void {
  const n = i.rn, d = i.rd;
  c.x[2 * d] = c.x[2 * n] ^ i.aux0;
  c.x[2 * d + 1] = c.x[2 * n + 1] ^ i.aux1;
}

function eorImm32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.x[2 * d] = c.x[2 * i.rn] ^ i.aux0;
  c.x[2 * d + 1] = 0;
}

function andsImm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  const lo = c.x[2 * n] & i.aux0, hi = c.x[2 * n + 1] & i.aux1;
  logicFlags64(c, lo, hi);
  c.setX(i.rd, lo, hi);
}

function andsImm32(c: Cpu, i: Insn): void {
  const r = c.x[2 * i.rn] & i.aux0;
  logicFlags32(c, r);
  c.setW(i.rd, r);
}

// ---------------------------------------------------------------- move wide (immediate)
//
// MOVZ and MOVN load a constant (aux0 lo, aux1 hi); MOVK keeps the register outside the 16-bit field
// (aux2/aux3 = keep masks) and inserts aux0/aux1.

function movField(i: Insn): void {
  const pos = i.sh * 16;
  const v = i.imm;
  i.aux0 = pos === 0 ? v : pos === 16 ? v << 16 : 0;
  i.aux1 = pos === 32 ? v : pos === 48 ? v << 16 : 0;
  i.aux2 = pos === 0 ? ~0xffff : pos === 16 ? 0xffff : -1;
  i.aux3 = pos === 32 ? ~0xffff : pos === 48 ? 0xffff : -1;
}

function prepMovz(i: Insn): boolean { movField(i); return true; }
function prepMovn(i: Insn): boolean { movField(i); i.aux0 = ~i.aux0; i.aux1 = ~i.aux1; return true; }

function movConst64(c: Cpu, i: Insn): void { c.setX(i.rd, i.aux0, i.aux1); }
function movConst32(c: Cpu, i: Insn): void { c.setW(i.rd, i.aux0); }

function movk64(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.setX(d, (c.x[2 * d] & i.aux2) | i.aux0, (c.x[2 * d + 1] & i.aux3) | i.aux1);
}

function movk32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.setW(d, (c.x[2 * d] & i.aux2) | i.aux0);
}

// ---------------------------------------------------------------- bitfield
//
// General forms follow the pseudocode with precomputed masks: the source is rotated right by immr (imm2)
// and combined with wmask/tmask from DecodeBitMasks(N, imms, immr, FALSE). The shift aliases (LSL, LSR,
// ASR immediate) get their own handlers, shift amount in aux0.

function prepUbfm(M: number, i: Insn): boolean {
  const S = i.imm, r = i.imm2;
  if (S === M - 1) { i.exec = M === 64 ? lsrImm64 : lsrImm32; i.aux0 = r; return true; }
  if (S + 1 === r) { i.exec = M === 64 ? lslImm64 : lslImm32; i.aux0 = M - 1 - S; return true; }
  if (!decodeBitMasks(M === 64 ? 1 : 0, S, r, false, M)) return false;
  i.aux0 = MASKS[0] & MASKS[2];
  i.aux1 = MASKS[1] & MASKS[3];
  return true;
}

function prepSbfm(M: number, i: Insn): boolean {
  const S = i.imm, r = i.imm2;
  if (S === M - 1) { i.exec = M === 64 ? asrImm64 : asrImm32; i.aux0 = r; return true; }
  if (!decodeBitMasks(M === 64 ? 1 : 0, S, r, false, M)) return false;
  i.aux0 = MASKS[0] & MASKS[2];
  i.aux1 = MASKS[1] & MASKS[3];
  i.aux2 = ~MASKS[2];
  i.aux3 = M === 64 ? ~MASKS[3] : 0;
  return true;
}

function prepBfm(M: number, i: Insn): boolean {
  if (!decodeBitMasks(M === 64 ? 1 : 0, i.imm, i.imm2, false, M)) return false;
  i.aux0 = MASKS[0];
  i.aux1 = MASKS[1];
  i.aux2 = MASKS[2];
  i.aux3 = MASKS[3];
  return true;
}

function prepUbfm64(i: Insn): boolean { return prepUbfm(64, i); }
function prepUbfm32(i: Insn): boolean { return prepUbfm(32, i); }
function prepSbfm64(i: Insn): boolean { return prepSbfm(64, i); }
function prepSbfm32(i: Insn): boolean { return prepSbfm(32, i); }
function prepBfm64(i: Insn): boolean { return prepBfm(64, i); }
function prepBfm32(i: Insn): boolean { return prepBfm(32, i); }

/** UBFM: ROR(src, R) AND wmask AND tmask (aux0/aux1 hold wmask AND tmask). */
function ubfm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  ror64(c.x[2 * n], c.x[2 * n + 1], i.imm2);
  c.setX(i.rd, R[LO] & i.aux0, R[HI] & i.aux1);
}

function ubfm32(c: Cpu, i: Insn): void {
  c.setW(i.rd, ror32(c.x[2 * i.rn], i.imm2) & i.aux0);
}

/** SBFM: (Replicate(src<S>) AND NOT(tmask)) OR (ROR(src, R) AND wmask AND tmask); aux2/aux3 = NOT(tmask). */
function sbfm64(c: Cpu, i: Insn): void {
  const n = i.rn, S = i.imm;
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  const sign = S >= 32 ? (hi << (63 - S)) >> 31 : (lo << (31 - S)) >> 31;
  ror64(lo, hi, i.imm2);
  c.setX(i.rd, (R[LO] & i.aux0) | (sign & i.aux2), (R[HI] & i.aux1) | (sign & i.aux3));
}

function sbfm32(c: Cpu, i: Insn): void {
  const v = c.x[2 * i.rn];
  const sign = (v << (31 - i.imm)) >> 31;
  c.setW(i.rd, (ror32(v, i.imm2) & i.aux0) | (sign & i.aux2));
}

/** BFM: bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask); dst = (dst AND NOT(tmask)) OR (bot AND tmask). */
function bfm64(c: Cpu, i: Insn): void {
  const n = i.rn, d = i.rd;
  const dlo = c.x[2 * d], dhi = c.x[2 * d + 1];
  ror64(c.x[2 * n], c.x[2 * n + 1], i.imm2);
  const wl = i.aux0, wh = i.aux1, tl = i.aux2, th = i.aux3;
  const bl = (dlo & ~wl) | (R[LO] & wl), bh = (dhi & ~wh) | (R[HI] & wh);
  c.setX(d, (dlo & ~tl) | (bl & tl), (dhi & ~th) | (bh & th));
}

function bfm32(c: Cpu, i: Insn): void {
  const d = i.rd;
  const dst = c.x[2 * d];
  const w = i.aux0, t = i.aux2;
  const bot = (dst & ~w) | (ror32(c.x[2 * i.rn], i.imm2) & w);
  c.setW(d, (dst & ~t) | (bot & t));
}

function lslImm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  lsl64(c.x[2 * n], c.x[2 * n + 1], i.aux0);
  c.setX(i.rd, R[LO], R[HI]);
}

function lsrImm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  lsr64(c.x[2 * n], c.x[2 * n + 1], i.aux0);
  c.setX(i.rd, R[LO], R[HI]);
}

function asrImm64(c: Cpu, i: Insn): void {
  const n = i.rn;
  asr64(c.x[2 * n], c.x[2 * n + 1], i.aux0);
  c.setX(i.rd, R[LO], R[HI]);
}

function lslImm32(c: Cpu, i: Insn): void { c.setW(i.rd, c.x[2 * i.rn] << i.aux0); }
function lsrImm32(c: Cpu, i: Insn): void { c.setW(i.rd, (c.x[2 * i.rn] >>> i.aux0) | 0); }
function asrImm32(c: Cpu, i: Insn): void { c.setW(i.rd, c.x[2 * i.rn] >> i.aux0); }

// ---------------------------------------------------------------- extract
//
// EXTR: bits [lsb+datasize-1 : lsb] of Xn:Xm. (b << 1) << (31 - s) is b << (32 - s) with s = 0 giving 0.

function prepExtr64(i: Insn): boolean {
  if (i.imm >= 32) i.exec = extr64High;
  i.aux0 = i.imm & 31;
  return true;
}

function prepExtr32(i: Insn): boolean {
  i.aux0 = i.imm;
  return true;
}

/** lsb < 32: the result starts in Xm's low word. */
function extr64(c: Cpu, i: Insn): void {
  const s = i.aux0, m = i.rm;
  const w0 = c.x[2 * m], w1 = c.x[2 * m + 1], w2 = c.x[2 * i.rn];
  c.setX(i.rd, (w0 >>> s) | ((w1 << 1) << (31 - s)), (w1 >>> s) | ((w2 << 1) << (31 - s)));
}

/** lsb >= 32: the result starts in Xm's high word. */
function extr64High(c: Cpu, i: Insn): void {
  const s = i.aux0, n = i.rn;
  const w1 = c.x[2 * i.rm + 1], w2 = c.x[2 * n], w3 = c.x[2 * n + 1];
  c.setX(i.rd, (w1 >>> s) | ((w2 << 1) << (31 - s)), (w2 >>> s) | ((w3 << 1) << (31 - s)));
}

function extr32(c: Cpu, i: Insn): void {
  const s = i.aux0;
  c.setW(i.rd, (c.x[2 * i.rm] >>> s) | ((c.x[2 * i.rn] << 1) << (31 - s)));
}

// ---------------------------------------------------------------- decode table

export const DP_IMM: Encoding[] = [
  // PC-relative addressing: op immlo 10000 immhi Rd
  enc('0 jj 10000 iiiiiiiiiiiiiiiiiii ddddd', 'ADR', ADR, prepAdr),
  enc('1 jj 10000 iiiiiiiiiiiiiiiiiii ddddd', 'ADRP', ADRP, prepAdrp),

  // Add/subtract (immediate): sf op S 100010 sh imm12 Rn Rd (bit 23 set is unallocated in ARMv8.0)
  enc('1 0 0 100010 h iiiiiiiiiiii nnnnn ddddd', 'ADD_64_imm', addImm64, prepAddImm),
  enc('0 0 0 100010 h iiiiiiiiiiii nnnnn ddddd', 'ADD_32_imm', addImm32, prepAddImm),
  enc('1 0 1 100010 h iiiiiiiiiiii nnnnn ddddd', 'ADDS_64_imm', addsImm64, prepAddsImm),
  enc('0 0 1 100010 h iiiiiiiiiiii nnnnn ddddd', 'ADDS_32_imm', addsImm32, prepAddsImm),
  enc('1 1 0 100010 h iiiiiiiiiiii nnnnn ddddd', 'SUB_64_imm', addImm64, prepSubImm),
  enc('0 1 0 100010 h iiiiiiiiiiii nnnnn ddddd', 'SUB_32_imm', addImm32, prepSubImm),
  enc('1 1 1 100010 h iiiiiiiiiiii nnnnn ddddd', 'SUBS_64_imm', addsImm64, prepSubsImm),
  enc('0 1 1 100010 h iiiiiiiiiiii nnnnn ddddd', 'SUBS_32_imm', addsImm32, prepSubsImm),

  // Logical (immediate): sf opc 100100 N immr imms Rn Rd; sf=0 with N=1 has no row (UNDEFINED)
  enc('1 00 100100 N jjjjjj iiiiii nnnnn ddddd', 'AND_64_imm', andImm64, prepLogImmSp64),
  enc('0 00 100100 0 jjjjjj iiiiii nnnnn ddddd', 'AND_32_imm', andImm32, prepLogImmSp32),
  enc('1 01 100100 N jjjjjj iiiiii nnnnn ddddd', 'ORR_64_imm', orrImm64, prepLogImmSp64),
  enc('0 01 100100 0 jjjjjj iiiiii nnnnn ddddd', 'ORR_32_imm', orrImm32, prepLogImmSp32),
  enc('1 10 100100 N jjjjjj iiiiii nnnnn ddddd', 'EOR_64_imm', eorImm64, prepLogImmSp64),
  enc('0 10 100100 0 jjjjjj iiiiii nnnnn ddddd', 'EOR_32_imm', eorImm32, prepLogImmSp32),
  enc('1 11 100100 N jjjjjj iiiiii nnnnn ddddd', 'ANDS_64_imm', andsImm64, prepLogImm64),
  enc('0 11 100100 0 jjjjjj iiiiii nnnnn ddddd', 'ANDS_32_imm', andsImm32, prepLogImm32),

  // Move wide (immediate): sf opc 100101 hw imm16 Rd; opc=01 unallocated; sf=0 with hw<1>=1 has no row
  enc('1 00 100101 hh iiiiiiiiiiiiiiii ddddd', 'MOVN_64', movConst64, prepMovn),
  enc('0 00 100101 0h iiiiiiiiiiiiiiii ddddd', 'MOVN_32', movConst32, prepMovn),
  enc('1 10 100101 hh iiiiiiiiiiiiiiii ddddd', 'MOVZ_64', movConst64, prepMovz),
  enc('0 10 100101 0h iiiiiiiiiiiiiiii ddddd', 'MOVZ_32', movConst32, prepMovz),
  enc('1 11 100101 hh iiiiiiiiiiiiiiii ddddd', 'MOVK_64', movk64, prepMovz),
  enc('0 11 100101 0h iiiiiiiiiiiiiiii ddddd', 'MOVK_32', movk32, prepMovz),

  // Bitfield: sf opc 100110 N immr imms Rn Rd; N must equal sf, and for sf=0 immr<5> = imms<5> = 0;
  // opc=11 unallocated
  enc('1 00 100110 1 jjjjjj iiiiii nnnnn ddddd', 'SBFM_64', sbfm64, prepSbfm64),
  enc('0 00 100110 0 0jjjjj 0iiiii nnnnn ddddd', 'SBFM_32', sbfm32, prepSbfm32),
  enc('1 01 100110 1 jjjjjj iiiiii nnnnn ddddd', 'BFM_64', bfm64, prepBfm64),
  enc('0 01 100110 0 0jjjjj 0iiiii nnnnn ddddd', 'BFM_32', bfm32, prepBfm32),
  enc('1 10 100110 1 jjjjjj iiiiii nnnnn ddddd', 'UBFM_64', ubfm64, prepUbfm64),
  enc('0 10 100110 0 0jjjjj 0iiiii nnnnn ddddd', 'UBFM_32', ubfm32, prepUbfm32),

  // Extract: sf op21 100111 N o0 Rm imms Rn Rd; only op21=00 o0=0 allocated, N must equal sf,
  // and imms<5>=0 for sf=0
  enc('1 00 100111 1 0 mmmmm iiiiii nnnnn ddddd', 'EXTR_64', extr64, prepExtr64),
  enc('0 00 100111 0 0 mmmmm 0iiiii nnnnn ddddd', 'EXTR_32', extr32, prepExtr32),
];
