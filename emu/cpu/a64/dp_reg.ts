// Arm ARM C4.1.5: Data Processing -- Register.
//
// Logical and add/subtract (shifted register), add/subtract (extended register), add/subtract with
// carry, conditional compare, conditional select, data processing with 1, 2 and 3 sources.
//
// Conventions as in dp_imm.ts: 32-bit and 64-bit forms are separate rows; register 31 is SP only in the
// extended add/subtract forms, where prepare() rewrites the field to SP (32); elsewhere it is XZR and
// handlers write through setX/setW. Pairs that differ only by inverting the second operand (SUB/ADD,
// BIC/AND, SBC/ADC, CCMP/CCMN, CSINV/CSEL...) share a handler: aux0 = 0 or -1 is XORed into the operand
// and aux1 is the carry in. Shifted forms with a shift amount of 0 get a handler without the shift.

import { Cpu, SP } from '../cpu.js';
import { enc, Encoding, Handler, Insn } from '../insn.js';
import {
  R, LO, HI, lsl64, lsr64, asr64, ror64, mul64, umul32x32, umulh64, smulh64, udiv64, sdiv64, clz64,
} from '../int64.js';
import {
  addFlags32, addFlags64, logicFlags32, logicFlags64, shiftReg32, shiftReg64, extendReg32, extendReg64, ror32,
} from './bits.js';

/** For the shifted-register forms: the handler to use when the shift amount is 0. */
const UNSHIFTED = new Map<Handler, Handler>();

// ---------------------------------------------------------------- logical (shifted register)

function andSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  c.setX(i.rd, c.x[2 * n] & (R[LO] ^ inv), c.x[2 * n + 1] & (R[HI] ^ inv));
}

function and64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  c.setX(i.rd, c.x[2 * n] & (c.x[2 * m] ^ inv), c.x[2 * n + 1] & (c.x[2 * m + 1] ^ inv));
}

function andSh32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] & (shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0));
}

function and32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] & (c.x[2 * i.rm] ^ i.aux0));
}

function orrSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  c.setX(i.rd, c.x[2 * n] | (R[LO] ^ inv), c.x[2 * n + 1] | (R[HI] ^ inv));
}

/** Also MOV (register): ORR Xd, XZR, Xm. */
function orr64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  c.setX(i.rd, c.x[2 * n] | (c.x[2 * m] ^ inv), c.x[2 * n + 1] | (c.x[2 * m + 1] ^ inv));
}

function orrSh32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] | (shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0));
}

function orr32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] | (c.x[2 * i.rm] ^ i.aux0));
}

function eorSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  c.setX(i.rd, c.x[2 * n] ^ (R[LO] ^ inv), c.x[2 * n + 1] ^ (R[HI] ^ inv));
}

function eor64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  c.setX(i.rd, c.x[2 * n] ^ (c.x[2 * m] ^ inv), c.x[2 * n + 1] ^ (c.x[2 * m + 1] ^ inv));
}

function eorSh32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] ^ (shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0));
}

function eor32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * i.rn] ^ (c.x[2 * i.rm] ^ i.aux0));
}

function andsSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  const lo = c.x[2 * n] & (R[LO] ^ inv), hi = c.x[2 * n + 1] & (R[HI] ^ inv);
  logicFlags64(c, lo, hi);
  c.setX(i.rd, lo, hi);
}

/** Also TST (shifted register) when Rd is XZR. */
function ands64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  const lo = c.x[2 * n] & (c.x[2 * m] ^ inv), hi = c.x[2 * n + 1] & (c.x[2 * m + 1] ^ inv);
  logicFlags64(c, lo, hi);
  c.setX(i.rd, lo, hi);
}

function andsSh32(c: Cpu, i: Insn): void {
  const r = c.x[2 * i.rn] & (shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0);
  logicFlags32(c, r);
  c.setW(i.rd, r);
}

function ands32(c: Cpu, i: Insn): void {
  const r = c.x[2 * i.rn] & (c.x[2 * i.rm] ^ i.aux0);
  logicFlags32(c, r);
  c.setW(i.rd, r);
}

UNSHIFTED.set(andSh64, and64).set(andSh32, and32).set(orrSh64, orr64).set(orrSh32, orr32)
  .set(eorSh64, eor64).set(eorSh32, eor32).set(andsSh64, ands64).set(andsSh32, ands32);

function unshifted(i: Insn): void {
  if (i.imm === 0) {
    const h = UNSHIFTED.get(i.exec);
    if (h !== undefined) i.exec = h;
  }
}

/** AND, ORR, EOR, ANDS (shifted register). */
function prepLog(i: Insn): boolean {
  i.aux0 = 0;
  unshifted(i);
  return true;
}

/** BIC, ORN, EON, BICS: the same with NOT(operand2). */
function prepLogInv(i: Insn): boolean {
  i.aux0 = -1;
  unshifted(i);
  return true;
}

// ---------------------------------------------------------------- add/subtract (shifted register)
//
// ADD is AddWithCarry(Xn, op2, 0) and SUB is AddWithCarry(Xn, NOT(op2), 1); aux0 = inversion, aux1 = carry.

function addSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  const l = (c.x[2 * n] >>> 0) + ((R[LO] ^ inv) >>> 0) + i.aux1;
  c.setX(i.rd, l | 0, (c.x[2 * n + 1] + (R[HI] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
}

function add64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  const l = (c.x[2 * n] >>> 0) + ((c.x[2 * m] ^ inv) >>> 0) + i.aux1;
  c.setX(i.rd, l | 0, (c.x[2 * n + 1] + (c.x[2 * m + 1] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
}

function addSh32(c: Cpu, i: Insn): void {
  c.setW(i.rd, (c.x[2 * i.rn] + (shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0) + i.aux1) | 0);
}

function add32(c: Cpu, i: Insn): void {
  c.setW(i.rd, (c.x[2 * i.rn] + (c.x[2 * i.rm] ^ i.aux0) + i.aux1) | 0);
}

function addsSh64(c: Cpu, i: Insn): void {
  shiftReg64(c, i.rm, i.sh, i.imm);
  const inv = i.aux0, n = i.rn;
  addFlags64(c, c.x[2 * n], c.x[2 * n + 1], R[LO] ^ inv, R[HI] ^ inv, i.aux1);
  c.setX(i.rd, R[LO], R[HI]);
}

/** Also CMP/CMN (shifted register) when Rd is XZR. */
function adds64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  addFlags64(c, c.x[2 * n], c.x[2 * n + 1], c.x[2 * m] ^ inv, c.x[2 * m + 1] ^ inv, i.aux1);
  c.setX(i.rd, R[LO], R[HI]);
}

function addsSh32(c: Cpu, i: Insn): void {
  c.setW(i.rd, addFlags32(c, c.x[2 * i.rn], shiftReg32(c.x[2 * i.rm], i.sh, i.imm) ^ i.aux0, i.aux1));
}

function adds32(c: Cpu, i: Insn): void {
  c.setW(i.rd, addFlags32(c, c.x[2 * i.rn], c.x[2 * i.rm] ^ i.aux0, i.aux1));
}

UNSHIFTED.set(addSh64, add64).set(addSh32, add32).set(addsSh64, adds64).set(addsSh32, adds32);

function prepAddSreg(i: Insn): boolean {
  if (i.sh === 3) return false; // shift type ROR is reserved here
  i.aux0 = 0;
  i.aux1 = 0;
  unshifted(i);
  return true;
}

function prepSubSreg(i: Insn): boolean {
  if (i.sh === 3) return false;
  i.aux0 = -1;
  i.aux1 = 1;
  unshifted(i);
  return true;
}

// ---------------------------------------------------------------- add/subtract (extended register)
//
// Rn is SP in all four, Rd is SP in ADD and SUB (XZR in ADDS and SUBS). opt = option, imm = shift 0..4.

function addExt64(c: Cpu, i: Insn): void {
  extendReg64(c, i.rm, i.opt, i.imm);
  const inv = i.aux0, n = i.rn, d = i.rd;
  const l = (c.x[2 * n] >>> 0) + ((R[LO] ^ inv) >>> 0) + i.aux1;
  const h = (c.x[2 * n + 1] + (R[HI] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0;
  c.x[2 * d] = l | 0;
  c.x[2 * d + 1] = h;
}

function addExt32(c: Cpu, i: Insn): void {
  const d = i.rd;
  c.x[2 * d] = (c.x[2 * i.rn] + (extendReg32(c.x[2 * i.rm], i.opt, i.imm) ^ i.aux0) + i.aux1) | 0;
  c.x[2 * d + 1] = 0;
}

function addsExt64(c: Cpu, i: Insn): void {
  extendReg64(c, i.rm, i.opt, i.imm);
  const inv = i.aux0, n = i.rn;
  addFlags64(c, c.x[2 * n], c.x[2 * n + 1], R[LO] ^ inv, R[HI] ^ inv, i.aux1);
  c.setX(i.rd, R[LO], R[HI]);
}

function addsExt32(c: Cpu, i: Insn): void {
  c.setW(i.rd, addFlags32(c, c.x[2 * i.rn], extendReg32(c.x[2 * i.rm], i.opt, i.imm) ^ i.aux0, i.aux1));
}

function prepAddExt(i: Insn): boolean {
  if (i.imm > 4) return false;
  if (i.rd === 31) i.rd = SP;
  if (i.rn === 31) i.rn = SP;
  i.aux0 = 0; i.aux1 = 0;
  return true;
}

function prepSubExt(i: Insn): boolean {
  if (i.imm > 4) return false;
  if (i.rd === 31) i.rd = SP;
  if (i.rn === 31) i.rn = SP;
  i.aux0 = -1; i.aux1 = 1;
  return true;
}

function prepAddsExt(i: Insn): boolean {
  if (i.imm > 4) return false;
  if (i.rn === 31) i.rn = SP;
  i.aux0 = 0; i.aux1 = 0;
  return true;
}

function prepSubsExt(i: Insn): boolean {
  if (i.imm > 4) return false;
  if (i.rn === 31) i.rn = SP;
  i.aux0 = -1; i.aux1 = 1;
  return true;
}

// ---------------------------------------------------------------- add/subtract with carry
//
// ADC: AddWithCarry(Xn, Xm, C); SBC: AddWithCarry(Xn, NOT(Xm), C). aux0 = inversion.

function adc64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  const l = (c.x[2 * n] >>> 0) + ((c.x[2 * m] ^ inv) >>> 0) + c.cf;
  c.setX(i.rd, l | 0, (c.x[2 * n + 1] + (c.x[2 * m + 1] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
}

function adc32(c: Cpu, i: Insn): void {
  c.setW(i.rd, (c.x[2 * i.rn] + (c.x[2 * i.rm] ^ i.aux0) + c.cf) | 0);
}

function adcs64(c: Cpu, i: Insn): void {
  const inv = i.aux0, n = i.rn, m = i.rm;
  addFlags64(c, c.x[2 * n], c.x[2 * n + 1], c.x[2 * m] ^ inv, c.x[2 * m + 1] ^ inv, c.cf);
  c.setX(i.rd, R[LO], R[HI]);
}

function adcs32(c: Cpu, i: Insn): void {
  c.setW(i.rd, addFlags32(c, c.x[2 * i.rn], c.x[2 * i.rm] ^ i.aux0, c.cf));
}

function prepPlain(i: Insn): boolean { i.aux0 = 0; i.aux1 = 0; return true; }
function prepInvert(i: Insn): boolean { i.aux0 = -1; i.aux1 = 1; return true; }

// ---------------------------------------------------------------- conditional compare
//
// CCMN: flags of AddWithCarry(Xn, op2, 0); CCMP: of AddWithCarry(Xn, NOT(op2), 1); else NZCV = nzcv (imm).
// The immediate forms hold the (inverted) 5-bit immediate in aux2.

function ccmReg64(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) {
    const inv = i.aux0, m = i.rm, n = i.rn;
    addFlags64(c, c.x[2 * n], c.x[2 * n + 1], c.x[2 * m] ^ inv, c.x[2 * m + 1] ^ inv, i.aux1);
  } else {
    c.nzcv = i.imm;
  }
}

function ccmReg32(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) addFlags32(c, c.x[2 * i.rn], c.x[2 * i.rm] ^ i.aux0, i.aux1);
  else c.nzcv = i.imm;
}

function ccmImm64(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) {
    const n = i.rn;
    addFlags64(c, c.x[2 * n], c.x[2 * n + 1], i.aux2, i.aux0, i.aux1);
  } else {
    c.nzcv = i.imm;
  }
}

function ccmImm32(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) addFlags32(c, c.x[2 * i.rn], i.aux2, i.aux1);
  else c.nzcv = i.imm;
}

function prepCcmnImm(i: Insn): boolean { i.aux0 = 0; i.aux1 = 0; i.aux2 = i.imm2; return true; }
function prepCcmpImm(i: Insn): boolean { i.aux0 = -1; i.aux1 = 1; i.aux2 = ~i.imm2; return true; }

// ---------------------------------------------------------------- conditional select
//
// CSINC, CSINV and CSNEG share a handler: else-value = (Xm XOR aux0) + aux1.

function csel64(c: Cpu, i: Insn): void {
  const r = c.condHolds(i.cond) ? i.rn : i.rm;
  c.setX(i.rd, c.x[2 * r], c.x[2 * r + 1]);
}

function csel32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.x[2 * (c.condHolds(i.cond) ? i.rn : i.rm)]);
}

function csx64(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) {
    const n = i.rn;
    c.setX(i.rd, c.x[2 * n], c.x[2 * n + 1]);
  } else {
    const inv = i.aux0, m = i.rm;
    const l = ((c.x[2 * m] ^ inv) >>> 0) + i.aux1;
    c.setX(i.rd, l | 0, ((c.x[2 * m + 1] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
  }
}

function csx32(c: Cpu, i: Insn): void {
  c.setW(i.rd, c.condHolds(i.cond) ? c.x[2 * i.rn] : ((c.x[2 * i.rm] ^ i.aux0) + i.aux1) | 0);
}

function prepCsinc(i: Insn): boolean { i.aux0 = 0; i.aux1 = 1; return true; }
function prepCsinv(i: Insn): boolean { i.aux0 = -1; i.aux1 = 0; return true; }
function prepCsneg(i: Insn): boolean { i.aux0 = -1; i.aux1 = 1; return true; }

// ---------------------------------------------------------------- data processing (2 source)

function udivR64(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm;
  const mlo = c.x[2 * m], mhi = c.x[2 * m + 1];
  if ((mlo | mhi) === 0) { c.setX(i.rd, 0, 0); return; }
  udiv64(c.x[2 * n], c.x[2 * n + 1], mlo, mhi);
  c.setX(i.rd, R[LO], R[HI]);
}

function sdivR64(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm;
  const mlo = c.x[2 * m], mhi = c.x[2 * m + 1];
  if ((mlo | mhi) === 0) { c.setX(i.rd, 0, 0); return; }
  sdiv64(c.x[2 * n], c.x[2 * n + 1], mlo, mhi);
  c.setX(i.rd, R[LO], R[HI]);
}

function udivR32(c: Cpu, i: Insn): void {
  const m = c.x[2 * i.rm] >>> 0;
  c.setW(i.rd, m === 0 ? 0 : ((c.x[2 * i.rn] >>> 0) / m) | 0);
}

/** Truncating division; INT32_MIN / -1 gives 2^31, which | 0 wraps to INT32_MIN as the Arm ARM says. */
function sdivR32(c: Cpu, i: Insn): void {
  const m = c.x[2 * i.rm];
  c.setW(i.rd, m === 0 ? 0 : (c.x[2 * i.rn] / m) | 0);
}

function lslv64(c: Cpu, i: Insn): void {
  const n = i.rn;
  lsl64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * i.rm] & 63);
  c.setX(i.rd, R[LO], R[HI]);
}

function lsrv64(c: Cpu, i: Insn): void {
  const n = i.rn;
  lsr64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * i.rm] & 63);
  c.setX(i.rd, R[LO], R[HI]);
}

function asrv64(c: Cpu, i: Insn): void {
  const n = i.rn;
  asr64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * i.rm] & 63);
  c.setX(i.rd, R[LO], R[HI]);
}

function rorv64(c: Cpu, i: Insn): void {
  const n = i.rn;
  ror64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * i.rm] & 63);
  c.setX(i.rd, R[LO], R[HI]);
}

// JavaScript shifts already take the count modulo 32.
function lslv32(c: Cpu, i: Insn): void { c.setW(i.rd, c.x[2 * i.rn] << c.x[2 * i.rm]); }
function lsrv32(c: Cpu, i: Insn): void { c.setW(i.rd, (c.x[2 * i.rn] >>> c.x[2 * i.rm]) | 0); }
function asrv32(c: Cpu, i: Insn): void { c.setW(i.rd, c.x[2 * i.rn] >> c.x[2 * i.rm]); }
function rorv32(c: Cpu, i: Insn): void { c.setW(i.rd, ror32(c.x[2 * i.rn], c.x[2 * i.rm] & 31)); }

// CRC32 and CRC32C: the Arm ARM's BitReverse/Poly32Mod2 formulation is the reflected CRC update with no
// initial or final inversion, processing the value's bytes from the least significant. One 256-entry
// table per polynomial (reflected 0x04C11DB7 = 0xEDB88320, reflected 0x1EDC6F41 = 0x82F63B78); aux0 is
// the table's offset in CRC_TABLE.

const CRC_TABLE = new Int32Array(512);
for (let t = 0; t < 2; t++) {
  const poly = t === 0 ? 0xedb88320 : 0x82f63b78;
  for (let b = 0; b < 256; b++) {
    let r = b;
    for (let k = 0; k < 8; k++) r = (r & 1) !== 0 ? (r >>> 1) ^ poly : r >>> 1;
    CRC_TABLE[t * 256 + b] = r;
  }
}

export function crcByte(crc: number, b: number, t: number): number {
  return (crc >>> 8) ^ CRC_TABLE[t + ((crc ^ b) & 0xff)];
}

function crcWord(crc: number, v: number, t: number): number {
  crc = crcByte(crc, v, t);
  crc = crcByte(crc, v >>> 8, t);
  crc = crcByte(crc, v >>> 16, t);
  return crcByte(crc, v >>> 24, t);
}

function crc32b(c: Cpu, i: Insn): void {
  c.setW(i.rd, crcByte(c.x[2 * i.rn], c.x[2 * i.rm], i.aux0));
}

function crc32h(c: Cpu, i: Insn): void {
  const t = i.aux0, v = c.x[2 * i.rm];
  c.setW(i.rd, crcByte(crcByte(c.x[2 * i.rn], v, t), v >>> 8, t));
}

function crc32w(c: Cpu, i: Insn): void {
  c.setW(i.rd, crcWord(c.x[2 * i.rn], c.x[2 * i.rm], i.aux0));
}

function crc32x(c: Cpu, i: Insn): void {
  const t = i.aux0, m = i.rm;
  c.setW(i.rd, crcWord(crcWord(c.x[2 * i.rn], c.x[2 * m], t), c.x[2 * m + 1], t));
}

function prepCrc32(i: Insn): boolean { i.aux0 = 0; return true; }
function prepCrc32c(i: Insn): boolean { i.aux0 = 256; return true; }

// ---------------------------------------------------------------- data processing (1 source)

function rbit32v(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16);
}

function bswap32(v: number): number {
  return (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24);
}

function rev16v(v: number): number {
  return ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
}

function rbit64(c: Cpu, i: Insn): void {
  const n = i.rn;
  const lo = c.x[2 * n];
  c.setX(i.rd, rbit32v(c.x[2 * n + 1]), rbit32v(lo));
}

function rbit32(c: Cpu, i: Insn): void { c.setW(i.rd, rbit32v(c.x[2 * i.rn])); }

function rev16_64(c: Cpu, i: Insn): void {
  const n = i.rn;
  c.setX(i.rd, rev16v(c.x[2 * n]), rev16v(c.x[2 * n + 1]));
}

function rev16_32(c: Cpu, i: Insn): void { c.setW(i.rd, rev16v(c.x[2 * i.rn])); }

/** REV32 (64-bit): byte-reverse each word. */
function rev32_64(c: Cpu, i: Insn): void {
  const n = i.rn;
  c.setX(i.rd, bswap32(c.x[2 * n]), bswap32(c.x[2 * n + 1]));
}

/** REV (64-bit), alias REV64. */
function rev64(c: Cpu, i: Insn): void {
  const n = i.rn;
  const lo = c.x[2 * n];
  c.setX(i.rd, bswap32(c.x[2 * n + 1]), bswap32(lo));
}

function rev32(c: Cpu, i: Insn): void { c.setW(i.rd, bswap32(c.x[2 * i.rn])); }

function clz64r(c: Cpu, i: Insn): void {
  const n = i.rn;
  c.setX(i.rd, clz64(c.x[2 * n], c.x[2 * n + 1]), 0);
}

function clz32r(c: Cpu, i: Insn): void { c.setW(i.rd, Math.clz32(c.x[2 * i.rn])); }

/** CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>). */
function cls64(c: Cpu, i: Insn): void {
  const n = i.rn;
  const lo = c.x[2 * n], hi = c.x[2 * n + 1];
  const yl = lo ^ (lo << 1), yh = hi ^ ((hi << 1) | (lo >>> 31));
  c.setX(i.rd, yh !== 0 ? Math.clz32(yh) : 32 + Math.clz32(yl | 1), 0);
}

function cls32(c: Cpu, i: Insn): void {
  const v = c.x[2 * i.rn];
  c.setW(i.rd, Math.clz32((v ^ (v << 1)) | 1));
}

// ---------------------------------------------------------------- data processing (3 source)

function madd64(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm, a = i.ra;
  const alo = c.x[2 * a], ahi = c.x[2 * a + 1];
  mul64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * m], c.x[2 * m + 1]);
  const l = (alo >>> 0) + (R[LO] >>> 0);
  c.setX(i.rd, l | 0, (ahi + R[HI] + (l > 0xffffffff ? 1 : 0)) | 0);
}

/** MADD with Ra = XZR: MUL. */
function mul64r(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm;
  mul64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * m], c.x[2 * m + 1]);
  c.setX(i.rd, R[LO], R[HI]);
}

function msub64(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm, a = i.ra;
  const alo = c.x[2 * a], ahi = c.x[2 * a + 1];
  mul64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * m], c.x[2 * m + 1]);
  const l = (alo >>> 0) + (~R[LO] >>> 0) + 1;
  c.setX(i.rd, l | 0, (ahi + ~R[HI] + (l > 0xffffffff ? 1 : 0)) | 0);
}

function madd32(c: Cpu, i: Insn): void {
  c.setW(i.rd, (c.x[2 * i.ra] + Math.imul(c.x[2 * i.rn], c.x[2 * i.rm])) | 0);
}

function mul32r(c: Cpu, i: Insn): void {
  c.setW(i.rd, Math.imul(c.x[2 * i.rn], c.x[2 * i.rm]));
}

function msub32(c: Cpu, i: Insn): void {
  c.setW(i.rd, (c.x[2 * i.ra] - Math.imul(c.x[2 * i.rn], c.x[2 * i.rm])) | 0);
}

function prepMadd64(i: Insn): boolean { if (i.ra === 31) i.exec = mul64r; return true; }
function prepMadd32(i: Insn): boolean { if (i.ra === 31) i.exec = mul32r; return true; }

/** Signed 32x32 -> 64 product into R: the unsigned product minus 2^32 * (a<0 ? b : 0) and (b<0 ? a : 0). */
function smul32x32(a: number, b: number): void {
  umul32x32(a, b);
  R[HI] = (R[HI] - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** SMADDL and SMSUBL (aux0 = inversion of the product, aux1 = carry). */
function smaddl(c: Cpu, i: Insn): void {
  const a = i.ra, inv = i.aux0;
  const alo = c.x[2 * a], ahi = c.x[2 * a + 1];
  smul32x32(c.x[2 * i.rn], c.x[2 * i.rm]);
  const l = (alo >>> 0) + ((R[LO] ^ inv) >>> 0) + i.aux1;
  c.setX(i.rd, l | 0, (ahi + (R[HI] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
}

/** UMADDL and UMSUBL. */
function umaddl(c: Cpu, i: Insn): void {
  const a = i.ra, inv = i.aux0;
  const alo = c.x[2 * a], ahi = c.x[2 * a + 1];
  umul32x32(c.x[2 * i.rn], c.x[2 * i.rm]);
  const l = (alo >>> 0) + ((R[LO] ^ inv) >>> 0) + i.aux1;
  c.setX(i.rd, l | 0, (ahi + (R[HI] ^ inv) + (l > 0xffffffff ? 1 : 0)) | 0);
}

function smulh(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm;
  smulh64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * m], c.x[2 * m + 1]);
  c.setX(i.rd, R[LO], R[HI]);
}

function umulh(c: Cpu, i: Insn): void {
  const n = i.rn, m = i.rm;
  umulh64(c.x[2 * n], c.x[2 * n + 1], c.x[2 * m], c.x[2 * m + 1]);
  c.setX(i.rd, R[LO], R[HI]);
}

// ---------------------------------------------------------------- decode table

export const DP_REG: Encoding[] = [
  // Logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd; sf=0 with imm6<5>=1 has no row
  enc('1 00 01010 hh 0 mmmmm iiiiii nnnnn ddddd', 'AND_64_sreg', andSh64, prepLog),
  enc('0 00 01010 hh 0 mmmmm 0iiiii nnnnn ddddd', 'AND_32_sreg', andSh32, prepLog),
  enc('1 00 01010 hh 1 mmmmm iiiiii nnnnn ddddd', 'BIC_64_sreg', andSh64, prepLogInv),
  enc('0 00 01010 hh 1 mmmmm 0iiiii nnnnn ddddd', 'BIC_32_sreg', andSh32, prepLogInv),
  enc('1 01 01010 hh 0 mmmmm iiiiii nnnnn ddddd', 'ORR_64_sreg', orrSh64, prepLog),
  enc('0 01 01010 hh 0 mmmmm 0iiiii nnnnn ddddd', 'ORR_32_sreg', orrSh32, prepLog),
  enc('1 01 01010 hh 1 mmmmm iiiiii nnnnn ddddd', 'ORN_64_sreg', orrSh64, prepLogInv),
  enc('0 01 01010 hh 1 mmmmm 0iiiii nnnnn ddddd', 'ORN_32_sreg', orrSh32, prepLogInv),
  enc('1 10 01010 hh 0 mmmmm iiiiii nnnnn ddddd', 'EOR_64_sreg', eorSh64, prepLog),
  enc('0 10 01010 hh 0 mmmmm 0iiiii nnnnn ddddd', 'EOR_32_sreg', eorSh32, prepLog),
  enc('1 10 01010 hh 1 mmmmm iiiiii nnnnn ddddd', 'EON_64_sreg', eorSh64, prepLogInv),
  enc('0 10 01010 hh 1 mmmmm 0iiiii nnnnn ddddd', 'EON_32_sreg', eorSh32, prepLogInv),
  enc('1 11 01010 hh 0 mmmmm iiiiii nnnnn ddddd', 'ANDS_64_sreg', andsSh64, prepLog),
  enc('0 11 01010 hh 0 mmmmm 0iiiii nnnnn ddddd', 'ANDS_32_sreg', andsSh32, prepLog),
  enc('1 11 01010 hh 1 mmmmm iiiiii nnnnn ddddd', 'BICS_64_sreg', andsSh64, prepLogInv),
  enc('0 11 01010 hh 1 mmmmm 0iiiii nnnnn ddddd', 'BICS_32_sreg', andsSh32, prepLogInv),

  // Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd; shift=11 reserved (prepare)
  enc('1 0 0 01011 hh 0 mmmmm iiiiii nnnnn ddddd', 'ADD_64_sreg', addSh64, prepAddSreg),
  enc('0 0 0 01011 hh 0 mmmmm 0iiiii nnnnn ddddd', 'ADD_32_sreg', addSh32, prepAddSreg),
  enc('1 0 1 01011 hh 0 mmmmm iiiiii nnnnn ddddd', 'ADDS_64_sreg', addsSh64, prepAddSreg),
  enc('0 0 1 01011 hh 0 mmmmm 0iiiii nnnnn ddddd', 'ADDS_32_sreg', addsSh32, prepAddSreg),
  enc('1 1 0 01011 hh 0 mmmmm iiiiii nnnnn ddddd', 'SUB_64_sreg', addSh64, prepSubSreg),
  enc('0 1 0 01011 hh 0 mmmmm 0iiiii nnnnn ddddd', 'SUB_32_sreg', addSh32, prepSubSreg),
  enc('1 1 1 01011 hh 0 mmmmm iiiiii nnnnn ddddd', 'SUBS_64_sreg', addsSh64, prepSubSreg),
  enc('0 1 1 01011 hh 0 mmmmm 0iiiii nnnnn ddddd', 'SUBS_32_sreg', addsSh32, prepSubSreg),

  // Add/subtract (extended register): sf op S 01011 opt 1 Rm option imm3 Rn Rd; opt!=00 unallocated,
  // imm3>4 reserved (prepare)
  enc('1 0 0 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'ADD_64_ext', addExt64, prepAddExt),
  enc('0 0 0 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'ADD_32_ext', addExt32, prepAddExt),
  enc('1 0 1 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'ADDS_64_ext', addsExt64, prepAddsExt),
  enc('0 0 1 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'ADDS_32_ext', addsExt32, prepAddsExt),
  enc('1 1 0 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'SUB_64_ext', addExt64, prepSubExt),
  enc('0 1 0 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'SUB_32_ext', addExt32, prepSubExt),
  enc('1 1 1 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'SUBS_64_ext', addsExt64, prepSubsExt),
  enc('0 1 1 01011 00 1 mmmmm xxx iii nnnnn ddddd', 'SUBS_32_ext', addsExt32, prepSubsExt),

  // Add/subtract with carry: sf op S 11010000 Rm 000000 Rn Rd
  enc('1 0 0 11010000 mmmmm 000000 nnnnn ddddd', 'ADC_64', adc64, prepPlain),
  enc('0 0 0 11010000 mmmmm 000000 nnnnn ddddd', 'ADC_32', adc32, prepPlain),
  enc('1 0 1 11010000 mmmmm 000000 nnnnn ddddd', 'ADCS_64', adcs64, prepPlain),
  enc('0 0 1 11010000 mmmmm 000000 nnnnn ddddd', 'ADCS_32', adcs32, prepPlain),
  enc('1 1 0 11010000 mmmmm 000000 nnnnn ddddd', 'SBC_64', adc64, prepInvert),
  enc('0 1 0 11010000 mmmmm 000000 nnnnn ddddd', 'SBC_32', adc32, prepInvert),
  enc('1 1 1 11010000 mmmmm 000000 nnnnn ddddd', 'SBCS_64', adcs64, prepInvert),
  enc('0 1 1 11010000 mmmmm 000000 nnnnn ddddd', 'SBCS_32', adcs32, prepInvert),

  // Conditional compare (register / immediate): sf op 1 11010010 Rm|imm5 cond o 0 Rn 0 nzcv
  enc('1 0 1 11010010 mmmmm cccc 0 0 nnnnn 0 iiii', 'CCMN_64_reg', ccmReg64, prepPlain),
  enc('0 0 1 11010010 mmmmm cccc 0 0 nnnnn 0 iiii', 'CCMN_32_reg', ccmReg32, prepPlain),
  enc('1 1 1 11010010 mmmmm cccc 0 0 nnnnn 0 iiii', 'CCMP_64_reg', ccmReg64, prepInvert),
  enc('0 1 1 11010010 mmmmm cccc 0 0 nnnnn 0 iiii', 'CCMP_32_reg', ccmReg32, prepInvert),
  enc('1 0 1 11010010 jjjjj cccc 1 0 nnnnn 0 iiii', 'CCMN_64_imm', ccmImm64, prepCcmnImm),
  enc('0 0 1 11010010 jjjjj cccc 1 0 nnnnn 0 iiii', 'CCMN_32_imm', ccmImm32, prepCcmnImm),
  enc('1 1 1 11010010 jjjjj cccc 1 0 nnnnn 0 iiii', 'CCMP_64_imm', ccmImm64, prepCcmpImm),
  enc('0 1 1 11010010 jjjjj cccc 1 0 nnnnn 0 iiii', 'CCMP_32_imm', ccmImm32, prepCcmpImm),

  // Conditional select: sf op 0 11010100 Rm cond op2 Rn Rd; op2=1x unallocated
  enc('1 0 0 11010100 mmmmm cccc 00 nnnnn ddddd', 'CSEL_64', csel64),
  enc('0 0 0 11010100 mmmmm cccc 00 nnnnn ddddd', 'CSEL_32', csel32),
  enc('1 0 0 11010100 mmmmm cccc 01 nnnnn ddddd', 'CSINC_64', csx64, prepCsinc),
  enc('0 0 0 11010100 mmmmm cccc 01 nnnnn ddddd', 'CSINC_32', csx32, prepCsinc),
  enc('1 1 0 11010100 mmmmm cccc 00 nnnnn ddddd', 'CSINV_64', csx64, prepCsinv),
  enc('0 1 0 11010100 mmmmm cccc 00 nnnnn ddddd', 'CSINV_32', csx32, prepCsinv),
  enc('1 1 0 11010100 mmmmm cccc 01 nnnnn ddddd', 'CSNEG_64', csx64, prepCsneg),
  enc('0 1 0 11010100 mmmmm cccc 01 nnnnn ddddd', 'CSNEG_32', csx32, prepCsneg),

  // Data processing (2 source): sf 0 S 11010110 Rm opcode Rn Rd
  enc('1 0 0 11010110 mmmmm 000010 nnnnn ddddd', 'UDIV_64', udivR64),
  enc('0 0 0 11010110 mmmmm 000010 nnnnn ddddd', 'UDIV_32', udivR32),
  enc('1 0 0 11010110 mmmmm 000011 nnnnn ddddd', 'SDIV_64', sdivR64),
  enc('0 0 0 11010110 mmmmm 000011 nnnnn ddddd', 'SDIV_32', sdivR32),
  enc('1 0 0 11010110 mmmmm 001000 nnnnn ddddd', 'LSLV_64', lslv64),
  enc('0 0 0 11010110 mmmmm 001000 nnnnn ddddd', 'LSLV_32', lslv32),
  enc('1 0 0 11010110 mmmmm 001001 nnnnn ddddd', 'LSRV_64', lsrv64),
  enc('0 0 0 11010110 mmmmm 001001 nnnnn ddddd', 'LSRV_32', lsrv32),
  enc('1 0 0 11010110 mmmmm 001010 nnnnn ddddd', 'ASRV_64', asrv64),
  enc('0 0 0 11010110 mmmmm 001010 nnnnn ddddd', 'ASRV_32', asrv32),
  enc('1 0 0 11010110 mmmmm 001011 nnnnn ddddd', 'RORV_64', rorv64),
  enc('0 0 0 11010110 mmmmm 001011 nnnnn ddddd', 'RORV_32', rorv32),
  // CRC32{B,H,W,X} and CRC32C{B,H,W,X}: opcode 010 C sz; sf must be 1 exactly when sz=11
  enc('0 0 0 11010110 mmmmm 010 0 00 nnnnn ddddd', 'CRC32B', crc32b, prepCrc32),
  enc('0 0 0 11010110 mmmmm 010 0 01 nnnnn ddddd', 'CRC32H', crc32h, prepCrc32),
  enc('0 0 0 11010110 mmmmm 010 0 10 nnnnn ddddd', 'CRC32W', crc32w, prepCrc32),
  enc('1 0 0 11010110 mmmmm 010 0 11 nnnnn ddddd', 'CRC32X', crc32x, prepCrc32),
  enc('0 0 0 11010110 mmmmm 010 1 00 nnnnn ddddd', 'CRC32CB', crc32b, prepCrc32c),
  enc('0 0 0 11010110 mmmmm 010 1 01 nnnnn ddddd', 'CRC32CH', crc32h, prepCrc32c),
  enc('0 0 0 11010110 mmmmm 010 1 10 nnnnn ddddd', 'CRC32CW', crc32w, prepCrc32c),
  enc('1 0 0 11010110 mmmmm 010 1 11 nnnnn ddddd', 'CRC32CX', crc32x, prepCrc32c),

  // Data processing (1 source): sf 1 S 11010110 opcode2 opcode Rn Rd; S=0, opcode2=00000
  enc('1 1 0 11010110 00000 000000 nnnnn ddddd', 'RBIT_64', rbit64),
  enc('0 1 0 11010110 00000 000000 nnnnn ddddd', 'RBIT_32', rbit32),
  enc('1 1 0 11010110 00000 000001 nnnnn ddddd', 'REV16_64', rev16_64),
  enc('0 1 0 11010110 00000 000001 nnnnn ddddd', 'REV16_32', rev16_32),
  enc('1 1 0 11010110 00000 000010 nnnnn ddddd', 'REV32_64', rev32_64),
  enc('0 1 0 11010110 00000 000010 nnnnn ddddd', 'REV_32', rev32),
  enc('1 1 0 11010110 00000 000011 nnnnn ddddd', 'REV_64', rev64),
  enc('1 1 0 11010110 00000 000100 nnnnn ddddd', 'CLZ_64', clz64r),
  enc('0 1 0 11010110 00000 000100 nnnnn ddddd', 'CLZ_32', clz32r),
  enc('1 1 0 11010110 00000 000101 nnnnn ddddd', 'CLS_64', cls64),
  enc('0 1 0 11010110 00000 000101 nnnnn ddddd', 'CLS_32', cls32),

  // Data processing (3 source): sf op54 11011 op31 Rm o0 Ra Rn Rd; op54=00 only; the long and high
  // forms are 64-bit only; SMULH/UMULH have o0=0 and Ra should-be-one (ignored)
  enc('1 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd', 'MADD_64', madd64, prepMadd64),
  enc('0 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd', 'MADD_32', madd32, prepMadd32),
  enc('1 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd', 'MSUB_64', msub64),
  enc('0 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd', 'MSUB_32', msub32),
  enc('1 00 11011 001 mmmmm 0 aaaaa nnnnn ddddd', 'SMADDL', smaddl, prepPlain),
  enc('1 00 11011 001 mmmmm 1 aaaaa nnnnn ddddd', 'SMSUBL', smaddl, prepInvert),
  enc('1 00 11011 010 mmmmm 0 aaaaa nnnnn ddddd', 'SMULH', smulh),
  enc('1 00 11011 101 mmmmm 0 aaaaa nnnnn ddddd', 'UMADDL', umaddl, prepPlain),
  enc('1 00 11011 101 mmmmm 1 aaaaa nnnnn ddddd', 'UMSUBL', umaddl, prepInvert),
  enc('1 00 11011 110 mmmmm 0 aaaaa nnnnn ddddd', 'UMULH', umulh),
];
