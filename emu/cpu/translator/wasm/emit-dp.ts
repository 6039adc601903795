// WebAssembly for the integer data-processing instructions (Arm ARM C4.1.2 and C4.1.5), for the block
// translator's WebAssembly back end: the counterpart of ../emit-dp.ts, for every instruction that
// emitDp handles (ADR and ADRP, which need the PC, are the region writer's). Each case has exactly the
// semantics of the instruction's handler in a64/dp_imm.ts or a64/dp_reg.ts, bit for bit, including the
// flags and XZR/SP as the prepare steps resolved them, and reads the decoded fields as emitDp does.
//
// Guest registers are i64 values (WRegs), the flags i32 locals holding 0 or 1. The 32-bit forms work
// on i32 values and zero-extend the result, as the handlers leave the high word 0; where the two forms
// differ only in width, one piece of code serves both (Datasize.op takes the i32 opcode and emits the
// i64 one for the 64-bit forms). The only call is to the imported CRC helper; divisions are guarded
// (WebAssembly traps on a zero divisor and on INT_MIN / -1, where the Arm ARM gives 0 and INT_MIN).

import type { Insn } from '../../insn.js';
import { FN_CRC, FnBuilder, I32, I64, Op } from './encoder.js';
import type { WRegs } from './regs.js';
import { DP_IMM } from '../../a64/dp_imm.js';
import { DP_REG } from '../../a64/dp_reg.js';

/** The names this emitter may handle: the integer data-processing encodings' (its cases match names
 * with the datasize stripped, which SIMD&FP names such as RBIT or REV32 would also match). */
const DP_NAMES = new Set([...DP_IMM, ...DP_REG].map((e) => e.name));

/** The i64 opcode of each i32 opcode that has one (i32Add -> i64Add, i32Extend8S -> i64Extend8S...). */
const WIDE = new Map<number, number>();
for (const [k, v] of Object.entries(Op)) {
  const w = (Op as Record<string, number>)[`i64${k.slice(3)}`];
  if (k.startsWith('i32') && w !== undefined) WIDE.set(v, w);
}

/** Code generation at one datasize: values on the stack are i32 (32-bit forms) or i64 (64-bit). */
class Datasize {
  /** The datasize in bits. */
  readonly M: number;
  constructor(readonly f: FnBuilder, readonly r: WRegs, readonly x: boolean) { this.M = x ? 64 : 32; }
  /** Emit opcodes given in their i32 form (other opcodes pass unchanged). */
  op(...ops: number[]): this {
    for (const o of ops) this.f.op(this.x ? WIDE.get(o) ?? o : o);
    return this;
  }
  /** A constant hi:lo (hi ignored at 32 bits; by default lo sign-extended). */
  k(lo: number, hi = lo < 0 ? -1 : 0): this {
    if (this.x) this.f.i64(lo, hi); else this.f.i32(lo);
    return this;
  }
  /** Push X[n] or W[n]. */
  get(n: number): this {
    this.r.get(this.f, n);
    if (!this.x) this.f.op(Op.i32WrapI64);
    return this;
  }
  /** Pop into X[n], or zero-extended into X[n] from W[n]. */
  set(n: number): this {
    if (!this.x) this.f.op(Op.i64ExtendI32U);
    this.r.set(this.f, n);
    return this;
  }
  local(): number { return this.f.local(this.x ? I64 : I32); }
  /** NOT(top) when inv (an aux inversion field, 0 or -1) is set. */
  invert(inv: number): this { return inv !== 0 ? this.k(-1).op(Op.i32Xor) : this; }
}

/** ShiftReg's types in order: LSL, LSR, ASR, ROR. */
const SHIFT = [Op.i32Shl, Op.i32ShrU, Op.i32ShrS, Op.i32Rotr];

/** SBFM with immr = 0 and these imms: SXTB, SXTH, SXTW. */
const SXT: Record<number, number> = { 7: Op.i32Extend8S, 15: Op.i32Extend16S, 31: Op.i64Extend32S };

const CRC_BYTES: Record<string, number> = { B: 1, H: 2, W: 4, X: 4 };

const LOGIC: Record<string, number> = {
  AND: Op.i32And, BIC: Op.i32And, ANDS: Op.i32And, BICS: Op.i32And, ORR: Op.i32Or, ORN: Op.i32Or, EOR: Op.i32Xor, EON: Op.i32Xor,
};

// ---------------------------------------------------------------- conditions and flags

/** Push ConditionHolds(cond) as an i32 0 or 1 (AL and NV: 1). */
export function condWasm(cond: number, f: FnBuilder, r: WRegs): void {
  const F = r.flags(false);
  switch (cond >>> 1) {
    case 0: f.get(F.z); break;
    case 1: f.get(F.c); break;
    case 2: f.get(F.n); break;
    case 3: f.get(F.v); break;
    case 4: f.get(F.c).get(F.z).op(Op.i32GtU); break; // C = 1 and Z = 0
    case 5: f.get(F.n).get(F.v).op(Op.i32Eq); break;
    case 6: f.get(F.n).get(F.v).op(Op.i32Xor).get(F.z).op(Op.i32Or, Op.i32Eqz); break; // N = V and Z = 0
    default: f.i32(1); return;
  }
  if ((cond & 1) !== 0) f.op(Op.i32Eqz);
}

/** NZCV = the constant nzcv field. */
function setNzcv(f: FnBuilder, r: WRegs, v: number): void {
  const F = r.flags(true);
  f.i32((v >>> 3) & 1).set(F.n).i32((v >>> 2) & 1).set(F.z).i32((v >>> 1) & 1).set(F.c).i32(v & 1).set(F.v);
}

/** N and Z from the result in local res; C and V from the i32s the caller pushes (C below V). */
function flagsOf(d: Datasize, res: number): void {
  const F = d.r.flags(true);
  d.f.set(F.v).set(F.c).get(res);
  d.k(0).op(Op.i32LtS);
  d.f.set(F.n).get(res);
  d.op(Op.i32Eqz);
  d.f.set(F.z);
}

/** The flags of a logical result (the top of the stack, which stays): N and Z from it, C = V = 0. */
function logicFlags(d: Datasize): void {
  const res = d.local();
  d.f.set(res).i32(0).i32(0);
  flagsOf(d, res);
  d.f.get(res);
}

/**
 * AddWithCarry(a, b, carry_in) on the datasize, with a and b on the stack (b on top), leaving the
 * result; with S it sets NZCV. cin: 0 or 1, or -1 for PSTATE.C (ADC, SBC).
 */
function addWithCarry(d: Datasize, cin: number, S: boolean): void {
  const { f, r } = d;
  const C = cin < 0 ? r.flags(false).c : -1;
  const pushCin = (): void => {
    if (cin >= 0) { d.k(cin); return; }
    f.get(C);
    if (d.x) f.op(Op.i64ExtendI32U);
  };
  if (!S) {
    d.op(Op.i32Add);
    if (cin !== 0) { pushCin(); d.op(Op.i32Add); }
    return;
  }
  const a = d.local(), b = d.local(), res = d.local();
  f.set(b).set(a).get(a).get(b);
  d.op(Op.i32Add);
  if (cin !== 0) { pushCin(); d.op(Op.i32Add); }
  f.set(res);
  // The carry out, from res and a alone: with no carry in there was one exactly when res < a
  // (unsigned), with one when res <= a; with PSTATE.C, select between the two (C is read before
  // flagsOf writes it).
  if (cin !== 0) { f.get(res).get(a); d.op(Op.i32LeU); }
  if (cin !== 1) { f.get(res).get(a); d.op(Op.i32LtU); }
  if (cin < 0) f.get(C).op(Op.select);
  // V: the result's sign differs from both operands' (which then agree).
  f.get(a).get(res);
  d.op(Op.i32Xor);
  f.get(b).get(res);
  d.op(Op.i32Xor, Op.i32And).k(0).op(Op.i32LtS);
  flagsOf(d, res);
  f.get(res);
}

// ---------------------------------------------------------------- operands

/** Push the second operand of a register form, XOR aux0 (the inversion of BIC, SUB, SBC, CCMP...):
 * ShiftReg(R[m], sh, imm) for the shifted-register forms (imm below the datasize), ExtendReg(R[m],
 * option, imm) for the extended ones (as bits.ts extendReg64/extendReg32), else R[m]. */
function operand2(d: Datasize, i: Insn): void {
  d.get(i.rm);
  if (i.name.endsWith('_sreg')) {
    if (i.imm !== 0) d.k(i.imm).op(SHIFT[i.sh]);
  } else if (i.name.endsWith('_ext')) {
    switch (i.opt) {
      case 0: d.k(0xff).op(Op.i32And); break;
      case 1: d.k(0xffff).op(Op.i32And); break;
      case 2: if (d.x) d.k(-1, 0).op(Op.i32And); break;
      case 4: d.op(Op.i32Extend8S); break;
      case 5: d.op(Op.i32Extend16S); break;
      case 6: if (d.x) d.op(Op.i64Extend32S); break;
      default: break; // UXTX, SXTX; at 32 bits UXTW and SXTW too
    }
    if (i.imm !== 0) d.k(i.imm).op(Op.i32Shl);
  }
  d.invert(i.aux0);
}

/** The mask of the low half of every 2s-bit element, s = 1..16 (as one 32-bit word). */
const SWAP_MASK: Record<number, number> = { 1: 0x55555555, 2: 0x33333333, 4: 0x0f0f0f0f, 8: 0x00ff00ff, 16: 0x0000ffff };

/** Reverse the order of the `from`-bit elements within each `to`-bit container of the top value: swap
 * the halves of every 2s-bit element for s = from, 2 from, ... to / 2 (a rotate for the whole value). */
function reverse(d: Datasize, from: number, to: number): void {
  const v = d.local();
  for (let s = from; s < to; s *= 2) {
    if (s === d.M / 2) { d.k(s).op(Op.i32Rotr); continue; }
    const m = SWAP_MASK[s];
    d.f.tee(v);
    d.k(s).op(Op.i32ShrU).k(m, m).op(Op.i32And);
    d.f.get(v);
    d.k(m, m).op(Op.i32And).k(s).op(Op.i32Shl, Op.i32Or);
  }
}

/** Push the high 64 bits of the 128-bit product of X[n] and X[m] (signed or unsigned), from the four
 * 32x32 -> 64 partial products (WebAssembly has no multiply-high). */
function mulHigh(d: Datasize, n: number, m: number, signed: boolean): void {
  const { f } = d;
  const a = d.local(), b = d.local(), al = d.local(), ah = d.local(), bl = d.local(), bh = d.local();
  const lh = d.local(), hl = d.local();
  for (const [x, reg, lo, hi] of [[a, n, al, ah], [b, m, bl, bh]]) {
    d.get(reg);
    f.tee(x);
    d.k(-1, 0).op(Op.i32And);
    f.set(lo).get(x);
    d.k(32).op(Op.i32ShrU);
    f.set(hi);
  }
  // mid = (al*bl >> 32) + low halves of al*bh and ah*bl: below 3 * 2^32, so it cannot overflow.
  f.get(al).get(bl);
  d.op(Op.i32Mul).k(32).op(Op.i32ShrU);
  f.get(al).get(bh);
  d.op(Op.i32Mul);
  f.tee(lh);
  d.k(-1, 0).op(Op.i32And, Op.i32Add);
  f.get(ah).get(bl);
  d.op(Op.i32Mul);
  f.tee(hl);
  d.k(-1, 0).op(Op.i32And, Op.i32Add).k(32).op(Op.i32ShrU);
  // + ah*bh + the high halves of the cross products.
  f.get(ah).get(bh);
  d.op(Op.i32Mul, Op.i32Add);
  f.get(lh);
  d.k(32).op(Op.i32ShrU, Op.i32Add);
  f.get(hl);
  d.k(32).op(Op.i32ShrU, Op.i32Add);
  if (!signed) return;
  // Signed: the unsigned high word minus (a < 0 ? b : 0) and (b < 0 ? a : 0).
  for (const [x, y] of [[a, b], [b, a]]) {
    f.get(x);
    d.k(63).op(Op.i32ShrS);
    f.get(y);
    d.op(Op.i32And, Op.i32Sub);
  }
}

/** Push Rn / Rm (UDIV, SDIV). A zero divisor gives 0, and a signed one of -1 gives -n (INT_MIN / -1 =
 * INT_MIN): both are (0 - n) AND m, and WebAssembly's division traps on both, so they are taken apart. */
function divide(d: Datasize, i: Insn, signed: boolean): void {
  const { f } = d;
  const m = d.local(), q = d.local();
  d.get(i.rm);
  f.tee(m);
  if (signed) d.k(1).op(Op.i32Add).k(1).op(Op.i32LeU); // m is 0 or -1
  else d.op(Op.i32Eqz);
  f.open(Op.if);
  d.k(0).get(i.rn).op(Op.i32Sub);
  f.get(m);
  d.op(Op.i32And);
  f.set(q).else();
  d.get(i.rn);
  f.get(m);
  d.op(signed ? Op.i32DivS : Op.i32DivU);
  f.set(q).end().get(q);
}

// ---------------------------------------------------------------- the emitter

/** Emit instruction i into f and return true, or emit nothing and return false if it is not one of the
 * integer data-processing instructions. */
export function emitDpWasm(i: Insn, f: FnBuilder, r: WRegs): boolean {
  const name = i.name, rd = i.rd, rn = i.rn, rm = i.rm;
  if (!DP_NAMES.has(name)) return false;
  // The form without its datasize (ADD_64_imm -> ADD_imm, REV32_64 -> REV32); CRC32X reads Xm but is a
  // 32-bit operation.
  const form = name.replace(/_(32|64)/, '');
  const d = new Datasize(f, r, !/_32|^CRC/.test(name));
  const base = form.replace(/_.*/, '');
  // Each case leaves the result for Rd on the stack, or returns having written what it writes.
  switch (form) {
    // ---- add/subtract (immediate): the immediate in aux0 (lo) / aux1 (hi), negated for SUB; NOT(imm)
    // with carry in aux2 for SUBS
    case 'ADD_imm': case 'SUB_imm': d.get(rn).k(i.aux0, i.aux1).op(Op.i32Add); break;
    case 'ADDS_imm': case 'SUBS_imm':
      d.get(rn).k(i.aux0, i.aux1);
      addWithCarry(d, i.aux2, true);
      break;

    // ---- logical (immediate): the bitmask in aux0 (lo) / aux1 (hi); (shifted register)
    case 'AND_imm': case 'ORR_imm': case 'EOR_imm': case 'ANDS_imm':
    case 'AND_sreg': case 'BIC_sreg': case 'ORR_sreg': case 'ORN_sreg':
    case 'EOR_sreg': case 'EON_sreg': case 'ANDS_sreg': case 'BICS_sreg':
      d.get(rn);
      if (form.endsWith('_imm')) d.k(i.aux0, i.aux1); else operand2(d, i);
      d.op(LOGIC[base]);
      if (base === 'ANDS' || base === 'BICS') logicFlags(d);
      break;

    // ---- move wide: the constant in aux0/aux1; MOVK keeps what aux2/aux3 mask
    case 'MOVN': case 'MOVZ': d.k(i.aux0, i.aux1); break;
    case 'MOVK': d.get(rd).k(i.aux2, i.aux3).op(Op.i32And).k(i.aux0, i.aux1).op(Op.i32Or); break;

    // ---- bitfield: imms in imm, immr in imm2; the aliases as prepare chooses them
    case 'UBFM': {
      const s = i.imm, rot = i.imm2;
      d.get(rn);
      if (s === d.M - 1) d.k(rot).op(Op.i32ShrU); // LSR
      else if (s + 1 === rot) d.k(d.M - 1 - s).op(Op.i32Shl); // LSL
      else d.k(rot).op(Op.i32Rotr).k(i.aux0, i.aux1).op(Op.i32And); // aux: wmask AND tmask
      break;
    }
    case 'SBFM': {
      const s = i.imm, rot = i.imm2;
      const sxt = rot === 0 ? SXT[s] : undefined;
      d.get(rn);
      if (s === d.M - 1) d.k(rot).op(Op.i32ShrS); // ASR
      else if (sxt !== undefined) d.op(sxt); // SXTB, SXTH, SXTW
      else {
        // (ROR(src, R) AND wmask AND tmask) OR (Replicate(src<S>) AND NOT(tmask)).
        d.k(rot).op(Op.i32Rotr).k(i.aux0, i.aux1).op(Op.i32And);
        d.get(rn).k(d.M - 1 - s).op(Op.i32Shl).k(d.M - 1).op(Op.i32ShrS).k(i.aux2, i.aux3).op(Op.i32And, Op.i32Or);
      }
      break;
    }
    case 'BFM': {
      // Bits set in wmask AND tmask come from ROR(src, R), the others stay: the pseudocode's bot and
      // its merge under tmask in one.
      const ml = i.aux0 & i.aux2, mh = i.aux1 & i.aux3;
      d.get(rd).k(~ml, ~mh).op(Op.i32And).get(rn).k(i.imm2).op(Op.i32Rotr).k(ml, mh).op(Op.i32And, Op.i32Or);
      break;
    }

    // ---- extract: bits [lsb+datasize-1 : lsb] of Rn:Rm, lsb = imm
    case 'EXTR':
      d.get(rm);
      // A shift by the datasize would be by 0 in WebAssembly: lsb = 0 is Rm alone.
      if (i.imm !== 0) d.k(i.imm).op(Op.i32ShrU).get(rn).k(d.M - i.imm).op(Op.i32Shl, Op.i32Or);
      break;

    // ---- add/subtract (shifted register, extended register, with carry): aux1 is the carry in, but
    // for ADC and SBC, whose carry in is PSTATE.C
    case 'ADD_sreg': case 'SUB_sreg': case 'ADDS_sreg': case 'SUBS_sreg':
    case 'ADD_ext': case 'SUB_ext': case 'ADDS_ext': case 'SUBS_ext':
    case 'ADC': case 'SBC': case 'ADCS': case 'SBCS':
      d.get(rn);
      operand2(d, i);
      addWithCarry(d, /^(ADC|SBC)S?$/.test(base) ? -1 : i.aux1, /^(ADD|SUB|ADC|SBC)S$/.test(base));
      break;

    // ---- conditional compare: the flags of AddWithCarry(Rn, op2 XOR aux0, aux1), else NZCV = imm; the
    // immediate forms' op2 is aux2 (lo) / aux0 (hi)
    case 'CCMN_reg': case 'CCMP_reg': case 'CCMN_imm': case 'CCMP_imm':
      condWasm(i.cond, f, r);
      f.open(Op.if);
      d.get(rn);
      if (form.endsWith('_reg')) operand2(d, i); else d.k(i.aux2, i.aux0);
      addWithCarry(d, i.aux1, true);
      f.op(Op.drop).else();
      setNzcv(f, r, i.imm);
      f.end();
      return true;

    // ---- conditional select: the else value is (Rm XOR aux0) + aux1 but for CSEL
    case 'CSEL': case 'CSINC': case 'CSINV': case 'CSNEG':
      d.get(rn).get(rm);
      if (base !== 'CSEL') d.invert(i.aux0).k(i.aux1).op(Op.i32Add);
      condWasm(i.cond, f, r);
      f.op(Op.select);
      break;

    // ---- data processing (2 source)
    case 'UDIV': case 'SDIV': divide(d, i, base === 'SDIV'); break;
    // WebAssembly's shifts take the count modulo the width, as the Arm ARM's do.
    case 'LSLV': case 'LSRV': case 'ASRV': case 'RORV':
      d.get(rn).get(rm).op(SHIFT[['LSLV', 'LSRV', 'ASRV', 'RORV'].indexOf(base)]);
      break;
    case 'CRC32B': case 'CRC32H': case 'CRC32W': case 'CRC32X':
    case 'CRC32CB': case 'CRC32CH': case 'CRC32CW': case 'CRC32CX':
      // crc(crc, value, table, bytes) on Wn and Wm; CRC32X goes on with the high word of Xm.
      d.get(rn).get(rm);
      f.i32(i.aux0).i32(CRC_BYTES[name[name.length - 1]]).callFn(FN_CRC);
      if (name.endsWith('X')) {
        r.get(f, rm);
        f.i64(32).op(Op.i64ShrU, Op.i32WrapI64).i32(i.aux0).i32(4).callFn(FN_CRC);
      }
      break;

    // ---- data processing (1 source)
    case 'RBIT': d.get(rn); reverse(d, 1, d.M); break;
    case 'REV16': d.get(rn); reverse(d, 8, 16); break;
    case 'REV32': d.get(rn); reverse(d, 8, 32); break;
    case 'REV': d.get(rn); reverse(d, 8, d.M); break;
    case 'CLZ': d.get(rn).op(Op.i32Clz); break;
    case 'CLS': {
      // CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>), the bit below forced to 1.
      const v = d.local();
      d.get(rn);
      f.tee(v).get(v);
      d.k(1).op(Op.i32Shl, Op.i32Xor).k(1).op(Op.i32Or, Op.i32Clz);
      break;
    }

    // ---- data processing (3 source)
    case 'MADD': case 'MSUB': d.get(i.ra).get(rn).get(rm).op(Op.i32Mul, base === 'MADD' ? Op.i32Add : Op.i32Sub); break;
    case 'SMADDL': case 'SMSUBL': case 'UMADDL': case 'UMSUBL': {
      // Xa +/- the exact 64-bit product of the extended Wn and Wm (aux0 = -1: subtract).
      const ext = name[0] === 'S' ? Op.i64ExtendI32S : Op.i64ExtendI32U;
      d.get(i.ra).get(rn).op(Op.i32WrapI64, ext).get(rm).op(Op.i32WrapI64, ext, Op.i32Mul, i.aux0 !== 0 ? Op.i32Sub : Op.i32Add);
      break;
    }
    case 'SMULH': case 'UMULH': mulHigh(d, rn, rm, name[0] === 'S'); break;

    default:
      return false;
  }
  d.set(rd);
  return true;
}
