// Inline JavaScript for the integer data-processing instructions (Arm ARM C4.1.2 and C4.1.5), for the
// block translator. Each emitter produces source with exactly the semantics of the instruction's handler
// in a64/dp_imm.ts or a64/dp_reg.ts (bit for bit, including XZR/SP as the prepare steps resolved them),
// written against Names: how the block writer names guest registers and flags. So the same emitters
// serve whatever register allocation the writer uses.
//
// Rules of the source: pure computation on the names given; temporaries are declared inside a block we
// open and are all named q_* (the writer's names never look like that); no access to the core, no PC,
// no allocation, no BigInt. 64-bit multiply-high and the rare 64-bit divisions call DP_HELPERS, which
// return their result in the shared R array like int64.ts.
//
// Every value handed to Names.set is an int32 (never an unsigned >>> result that may exceed 2^31 - 1),
// so a writer that keeps registers in locals can compare halves directly.

import type { Insn } from '../insn.js';
import { R, HI, umul32x32, umulh64, smulh64, udiv64, sdiv64 } from '../int64.js';
import { crcByte } from '../a64/dp_reg.js';

/** How generated code names guest state; supplied by the block writer. */
export interface Names {
  /** Expression for bits [31:0] of register n as an int32 ('0' for n = 31, XZR; n = 32 is SP, as the
   *  decoder's prepare steps resolve Rn=31 to 32 where the encoding means SP). */
  lo(n: number): string;
  /** Expression for bits [63:32]. */
  hi(n: number): string;
  /** Statement(s) setting register n to (lo, hi), two int32 expressions that may read n itself (the
   *  writer evaluates both before assigning). '' for n = 31. */
  set(n: number, lo: string, hi: string): string;
  /** Lvalue/expression of a flag: 'n' | 'z' | 'c' | 'v'. C is always 0 or 1; so are the others unless
   *  raw. */
  flag(f: 'n' | 'z' | 'c' | 'v'): string;
  /** The flags are kept as QEMU keeps them: N as the sign of an int32 (the result), Z as an int32 that
   *  is 0 exactly when Z is set (the result), V as the sign of an int32. A flag-setting instruction
   *  then computes no 0/1 values, and a condition is a sign or zero test. */
  readonly raw?: boolean;
}

// ---------------------------------------------------------------- helpers called by generated code

/** Signed 32x32 -> 64 product into R (as dp_reg.ts smul32x32). */
function smul32x32(a: number, b: number): void {
  umul32x32(a, b);
  R[HI] = (R[HI] - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** Unsigned 64-bit division, divisor non-zero (the caller tests it), quotient in R. */
function dpUdiv64(alo: number, ahi: number, blo: number, bhi: number): void { udiv64(alo, ahi, blo, bhi); }

/** Signed 64-bit division, divisor non-zero, quotient in R (INT64_MIN / -1 = INT64_MIN). */
function dpSdiv64(alo: number, ahi: number, blo: number, bhi: number): void { sdiv64(alo, ahi, blo, bhi); }

// CRC32/CRC32C: dp_reg.ts's table and byte step (t = 0 for CRC32, 256 for CRC32C).

/** CRC of the low `bytes` bytes of v (1, 2 or 4) into crc; an int32. */
function dpCrc(crc: number, v: number, t: number, bytes: number): number {
  for (let k = 0; k < bytes; k++) { crc = crcByte(crc, v, t); v >>>= 8; }
  return crc;
}

export const DP_HELPERS: Record<string, Function> = {
  dpCrc,
  dpUdiv64,
  dpSdiv64,
  dpUmulh64: umulh64,
  dpSmulh64: smulh64,
  dpSmul32x32: smul32x32,
};

// ---------------------------------------------------------------- conditions

/** ConditionHolds(cond) as a boolean expression on the flags (AL and NV: true). */
export function cond(c: number, n: Names): string {
  const N = n.flag('n'), Z = n.flag('z'), C = n.flag('c'), V = n.flag('v');
  // Each flag's test in the form the names keep it (Names.raw: signs and zero, else 0 or 1).
  const nSet = n.raw ? `${N} < 0` : `${N} === 1`, vSet = n.raw ? `${V} < 0` : `${V} === 1`;
  const zSet = n.raw ? `${Z} === 0` : `${Z} === 1`, zClear = n.raw ? `${Z} !== 0` : `${Z} === 0`;
  const cSet = n.raw ? `${C} !== 0` : `${C} === 1`, nEqV = n.raw ? `(${N} ^ ${V}) >= 0` : `${N} === ${V}`;
  let e: string;
  switch (c >>> 1) {
    case 0: e = zSet; break;
    case 1: e = cSet; break;
    case 2: e = nSet; break;
    case 3: e = vSet; break;
    case 4: e = `(${cSet} && ${zClear})`; break;
    case 5: e = nEqV; break;
    case 6: e = `(${zClear} && ${nEqV})`; break;
    default: return 'true';
  }
  return (c & 1) === 1 ? `!(${e})` : `(${e})`;
}

// ---------------------------------------------------------------- pieces

/** NZCV from their raw forms (see Names.raw): nv and vv int32s whose signs are N and V, zv an int32
 * that is 0 exactly when Z is set, cv 0 or 1. Each is evaluated once. */
function setFlags(n: Names, nv: string, zv: string, cv: string, vv: string): string {
  if (n.raw) return `${n.flag('n')} = ${nv}; ${n.flag('z')} = ${zv}; ${n.flag('c')} = ${cv}; ${n.flag('v')} = ${vv};`;
  return `${n.flag('n')} = (${nv}) >>> 31; ${n.flag('z')} = (${zv}) === 0 ? 1 : 0; ${n.flag('c')} = ${cv}; ${n.flag('v')} = (${vv}) >>> 31;`;
}

/** NZCV of a logical result (C = V = 0). */
function logicFlags(n: Names, lo: string, hi: string | null): string {
  return setFlags(n, hi ?? lo, hi === null ? lo : `${lo} | ${hi}`, '0', '0');
}

/** NZCV from a constant nzcv field. */
function setNzcv(n: Names, v: number): string {
  return setFlags(n, (v & 8) !== 0 ? '-1' : '0', (v & 4) !== 0 ? '0' : '1', String((v >>> 1) & 1), (v & 1) !== 0 ? '-1' : '0');
}

/** The carry out of the 32-bit sum r = (a + b + cin) | 0 (a, b 32-bit, cin 0 or 1), as 0 or 1, from
 * r and a alone: with no carry in there was one exactly when r < a (unsigned), with one when r <= a.
 * Integer operations only: V8 then needs no float64 arithmetic for a 64-bit add. a and r are names
 * (evaluated more than once); cin '0', '1' or an expression of the carry in. */
export function carry(r: string, a: string, cin: string): string {
  if (cin === '0') return `((${r} >>> 0) < (${a} >>> 0) ? 1 : 0)`;
  if (cin === '1') return `((${r} >>> 0) <= (${a} >>> 0) ? 1 : 0)`;
  return `((${cin} !== 0 ? (${r} >>> 0) <= (${a} >>> 0) : (${r} >>> 0) < (${a} >>> 0)) ? 1 : 0)`;
}

/** AddWithCarry on 64 bits of (al, ah) + (bl, bh) + cin into q_rl/q_rh (declared), with NZCV when S. */
function addc64(n: Names, al: string, ah: string, bl: string, bh: string, cin: string, S: boolean): string {
  const lo = `const q_al = ${al}; const q_rl = (q_al + (${bl}) + ${cin}) | 0; `;
  if (!S) return `${lo}const q_rh = (${ah} + (${bh}) + ${carry('q_rl', 'q_al', cin)}) | 0;`;
  return `const q_ah = ${ah}, q_bh = ${bh}; ${lo}const q_c = ${carry('q_rl', 'q_al', cin)}; const q_rh = (q_ah + q_bh + q_c) | 0; ` +
    setFlags(n, 'q_rh', 'q_rl | q_rh', carry('q_rh', 'q_ah', 'q_c'), '~(q_ah ^ q_bh) & (q_ah ^ q_rh)');
}

/** AddWithCarry on 32 bits into q_r (declared), with NZCV when S. */
function addc32(n: Names, a: string, b: string, cin: string, S: boolean): string {
  if (!S) return `const q_r = (${a} + (${b}) + ${cin}) | 0;`;
  return `const q_a = ${a}, q_b = ${b}; const q_r = (q_a + q_b + ${cin}) | 0; ` +
    setFlags(n, 'q_r', 'q_r', carry('q_r', 'q_a', cin), '~(q_a ^ q_b) & (q_a ^ q_r)');
}

/** ShiftReg on 64 bits by a constant 0..63 (type 0 LSL, 1 LSR, 2 ASR, 3 ROR) of (l, h) into q_ml/q_mh. */
function shift64(l: string, h: string, type: number, s: number): string {
  if (s === 0) return `const q_ml = ${l}, q_mh = ${h};`;
  switch (type) {
    case 0: return s < 32 ? `const q_ml = ${l} << ${s}, q_mh = (${h} << ${s}) | (${l} >>> ${32 - s});` : `const q_ml = 0, q_mh = ${l} << ${s - 32};`;
    case 1:
      if (s < 32) return `const q_ml = (${l} >>> ${s}) | (${h} << ${32 - s}), q_mh = ${h} >>> ${s};`;
      return `const q_ml = (${h} >>> ${s - 32}) | 0, q_mh = 0;`;
    case 2:
      if (s < 32) return `const q_ml = (${l} >>> ${s}) | (${h} << ${32 - s}), q_mh = ${h} >> ${s};`;
      return `const q_ml = ${h} >> ${s - 32}, q_mh = ${h} >> 31;`;
    default: {
      if (s === 32) return `const q_ml = ${h}, q_mh = ${l};`;
      // ROR by 32 + t: the halves swap, then rotate by t.
      if (s > 32) { const t = s - 32; return `const q_ml = (${h} >>> ${t}) | (${l} << ${32 - t}), q_mh = (${l} >>> ${t}) | (${h} << ${32 - t});`; }
      return `const q_ml = (${l} >>> ${s}) | (${h} << ${32 - s}), q_mh = (${h} >>> ${s}) | (${l} << ${32 - s});`;
    }
  }
}

/** ShiftReg on 32 bits by a constant 0..31, as an int32 expression. */
function shift32(v: string, type: number, s: number): string {
  if (s === 0) return v;
  switch (type) {
    case 0: return `(${v} << ${s})`;
    case 1: return `((${v} >>> ${s}) | 0)`;
    case 2: return `(${v} >> ${s})`;
    default: return `((${v} >>> ${s}) | (${v} << ${32 - s}))`;
  }
}

/** ExtendReg(X[m], option, shift) on 64 bits into q_el/q_eh (as bits.ts extendReg64). */
function extend64(n: Names, m: number, opt: number, sh: number): string {
  const l = n.lo(m);
  let el: string, eh: string;
  switch (opt) {
    case 0: el = `${l} & 0xff`; eh = '0'; break;
    case 1: el = `${l} & 0xffff`; eh = '0'; break;
    case 2: el = l; eh = '0'; break;
    case 4: el = `(${l} << 24) >> 24`; eh = 'q_x >> 31'; break;
    case 5: el = `(${l} << 16) >> 16`; eh = 'q_x >> 31'; break;
    case 6: el = l; eh = 'q_x >> 31'; break;
    default: el = l; eh = n.hi(m); break;
  }
  let s = `const q_x = ${el}, q_y = ${eh};`;
  if (sh === 0) s += ' const q_el = q_x, q_eh = q_y;';
  else s += ` const q_el = q_x << ${sh}, q_eh = (q_y << ${sh}) | (q_x >>> ${32 - sh});`;
  return s;
}

/** ExtendReg on 32 bits (as bits.ts extendReg32), an int32 expression. */
function extend32(v: string, opt: number, sh: number): string {
  let e: string;
  switch (opt) {
    case 0: e = `(${v} & 0xff)`; break;
    case 1: e = `(${v} & 0xffff)`; break;
    case 4: e = `((${v} << 24) >> 24)`; break;
    case 5: e = `((${v} << 16) >> 16)`; break;
    default: e = v; break;
  }
  return sh === 0 ? e : `(${e} << ${sh})`;
}

/** ROR of a 32-bit value by a constant 0..31. */
function ror32c(v: string, r: number): string {
  return r === 0 ? v : `((${v} >>> ${r}) | (${v} << ${32 - r}))`;
}

/** Unsigned 32x32 -> 64 product of int32 expressions a and b into q_pl/q_ph (as int64.ts umul32x32:
 * 16-bit splits keep every partial product exact). */
function umul32(a: string, b: string): string {
  return `const q_a = ${a}, q_b = ${b}; const q_a0 = q_a & 0xffff, q_a1 = q_a >>> 16, q_b0 = q_b & 0xffff, q_b1 = q_b >>> 16; ` +
    'const q_p00 = q_a0 * q_b0, q_p01 = q_a0 * q_b1, q_p10 = q_a1 * q_b0; ' +
    'const q_mid = (q_p00 >>> 16) + (q_p01 & 0xffff) + (q_p10 & 0xffff); ' +
    'const q_pl = ((q_mid & 0xffff) << 16) | (q_p00 & 0xffff); ' +
    'const q_ph = (q_a1 * q_b1 + (q_p01 >>> 16) + (q_p10 >>> 16) + (q_mid >>> 16)) | 0;';
}

/** Low 64 bits of a 64x64 product into q_pl/q_ph (as int64.ts mul64). */
function mul64(n: Names, a: number, b: number): string {
  // The cross terms only reach the high word; the sum is exact below 2^53 and | 0 reduces it mod 2^32.
  return `${umul32(n.lo(a), n.lo(b))} const q_hx = (q_ph + Math.imul(q_a, ${n.hi(b)}) + Math.imul(${n.hi(a)}, q_b)) | 0;`;
}

function rbitExpr(v: string): string {
  return `${v} = ((${v} >>> 1) & 0x55555555) | ((${v} & 0x55555555) << 1); ` +
    `${v} = ((${v} >>> 2) & 0x33333333) | ((${v} & 0x33333333) << 2); ` +
    `${v} = ((${v} >>> 4) & 0x0f0f0f0f) | ((${v} & 0x0f0f0f0f) << 4); ` +
    `${v} = ((${v} >>> 8) & 0x00ff00ff) | ((${v} & 0x00ff00ff) << 8); ` +
    `${v} = (${v} >>> 16) | (${v} << 16);`;
}

function bswap(v: string): string {
  return `((${v} >>> 24) | ((${v} >>> 8) & 0xff00) | ((${v} & 0xff00) << 8) | (${v} << 24))`;
}

function rev16(v: string): string {
  return `(((${v} >>> 8) & 0x00ff00ff) | ((${v} & 0x00ff00ff) << 8))`;
}

/** Variable 64-bit shifts (LSLV, LSRV, ASRV, RORV) of register a by X[m] MOD 64 into q_rl/q_rh. */
function shiftV64(n: Names, type: number, a: number, m: number): string {
  let s = `const q_s = ${n.lo(m)} & 63, q_l = ${n.lo(a)}, q_h = ${n.hi(a)}; let q_rl = q_l, q_rh = q_h; `;
  switch (type) {
    case 0:
      s += 'if (q_s >= 32) { q_rh = q_l << (q_s - 32); q_rl = 0; } else if (q_s !== 0) { q_rh = (q_h << q_s) | (q_l >>> (32 - q_s)); q_rl = q_l << q_s; }';
      break;
    case 1:
      s += 'if (q_s >= 32) { q_rl = (q_h >>> (q_s - 32)) | 0; q_rh = 0; } else if (q_s !== 0) { q_rl = (q_l >>> q_s) | (q_h << (32 - q_s)); q_rh = q_h >>> q_s; }';
      break;
    case 2:
      s += 'if (q_s >= 32) { q_rl = q_h >> (q_s - 32); q_rh = q_h >> 31; } else if (q_s !== 0) { q_rl = (q_l >>> q_s) | (q_h << (32 - q_s)); q_rh = q_h >> q_s; }';
      break;
    default:
      // ROR by 32 + t swaps the halves, then rotates by t (ROR by 32 with t = 0 is the swap alone).
      s += 'let q_t = q_s, q_x = q_l, q_y = q_h; if (q_t >= 32) { q_x = q_h; q_y = q_l; q_t -= 32; } q_rl = q_x; q_rh = q_y; ' +
        'if (q_t !== 0) { q_rl = (q_x >>> q_t) | (q_y << (32 - q_t)); q_rh = (q_y >>> q_t) | (q_x << (32 - q_t)); }';
      break;
  }
  return s;
}

/** e as an operand that any operator may follow or precede (names and numbers stay as they are). */
function paren(e: string): string {
  return /^(-?\d+|[\w$.]+(\[\d+\])?)$/.test(e) ? e : `(${e})`;
}

const LOGIC_OP: Record<string, string> = { AND: '&', BIC: '&', ANDS: '&', BICS: '&', ORR: '|', ORN: '|', EOR: '^', EON: '^' };

// ---------------------------------------------------------------- the emitter

/** Source for instruction i (a statement or a `{ ... }` block), or null if not emitted inline. */
export function emitDp(i: Insn, n: Names): string | null {
  const name = i.name, d = i.rd, rn = i.rn, rm = i.rm;
  const L = (r: number): string => paren(n.lo(r));
  const Hi = (r: number): string => paren(n.hi(r));
  const set = (r: number, lo: string, hi: string): string => n.set(r, paren(lo), paren(hi));
  const inv = (v: string, aux: number): string => (aux !== 0 ? `~${v}` : v);
  switch (name) {
    // ---- add/subtract (immediate): Rd and Rn may be SP (ADD/SUB), Rn may be SP (ADDS/SUBS)
    case 'ADD_64_imm': case 'SUB_64_imm':
      return `{ const q_al = ${L(rn)}; const q_rl = (q_al + ${i.aux0}) | 0; ${set(d, 'q_rl', `(${Hi(rn)} + ${i.aux1} + ${carry('q_rl', 'q_al', '0')}) | 0`)} }`;
    case 'ADD_32_imm': case 'SUB_32_imm':
      return set(d, `(${L(rn)} + ${i.aux0}) | 0`, '0');
    case 'ADDS_64_imm': case 'SUBS_64_imm':
      return `{ ${addc64(n, L(rn), Hi(rn), `${i.aux0}`, `${i.aux1}`, `${i.aux2}`, true)} ${set(d, 'q_rl', 'q_rh')} }`;
    case 'ADDS_32_imm': case 'SUBS_32_imm':
      return `{ ${addc32(n, L(rn), `${i.aux0}`, `${i.aux2}`, true)} ${set(d, 'q_r', '0')} }`;

    // ---- logical (immediate): Rd may be SP except for ANDS
    case 'AND_64_imm': return set(d, `${L(rn)} & ${i.aux0}`, `${Hi(rn)} & ${i.aux1}`);
    case 'ORR_64_imm': return set(d, `${L(rn)} | ${i.aux0}`, `${Hi(rn)} | ${i.aux1}`);
    case 'EOR_64_imm': return set(d, `${L(rn)} ^ ${i.aux0}`, `${Hi(rn)} ^ ${i.aux1}`);
    case 'AND_32_imm': return set(d, `${L(rn)} & ${i.aux0}`, '0');
    case 'ORR_32_imm': return set(d, `${L(rn)} | ${i.aux0}`, '0');
    case 'EOR_32_imm': return set(d, `${L(rn)} ^ ${i.aux0}`, '0');
    case 'ANDS_64_imm':
      return `{ const q_rl = ${L(rn)} & ${i.aux0}, q_rh = ${Hi(rn)} & ${i.aux1}; ${logicFlags(n, 'q_rl', 'q_rh')} ${set(d, 'q_rl', 'q_rh')} }`;
    case 'ANDS_32_imm':
      return `{ const q_r = ${L(rn)} & ${i.aux0}; ${logicFlags(n, 'q_r', null)} ${set(d, 'q_r', '0')} }`;

    // ---- move wide
    case 'MOVN_64': case 'MOVZ_64': return set(d, `${i.aux0}`, `${i.aux1}`);
    case 'MOVN_32': case 'MOVZ_32': return set(d, `${i.aux0}`, '0');
    case 'MOVK_64': return set(d, `(${L(d)} & ${i.aux2}) | ${i.aux0}`, `(${Hi(d)} & ${i.aux3}) | ${i.aux1}`);
    case 'MOVK_32': return set(d, `(${L(d)} & ${i.aux2}) | ${i.aux0}`, '0');

    // ---- bitfield (the alias handlers LSL/LSR/ASR are chosen by prepare from imms/immr, as here)
    case 'UBFM_64': {
      const S = i.imm, r = i.imm2;
      if (S === 63) return `{ ${shift64(L(rn), Hi(rn), 1, r)} ${set(d, 'q_ml', 'q_mh')} }`; // LSR
      if (S + 1 === r) return `{ ${shift64(L(rn), Hi(rn), 0, 63 - S)} ${set(d, 'q_ml', 'q_mh')} }`; // LSL
      return `{ ${shift64(L(rn), Hi(rn), 3, r)} ${set(d, `q_ml & ${i.aux0}`, `q_mh & ${i.aux1}`)} }`;
    }
    case 'UBFM_32': {
      const S = i.imm, r = i.imm2;
      if (S === 31) return set(d, `(${L(rn)} >>> ${r}) | 0`, '0');
      if (S + 1 === r) return set(d, `${L(rn)} << ${31 - S}`, '0');
      return set(d, `${ror32c(L(rn), r)} & ${i.aux0}`, '0');
    }
    case 'SBFM_64': {
      const S = i.imm, r = i.imm2;
      if (S === 63) return `{ ${shift64(L(rn), Hi(rn), 2, r)} ${set(d, 'q_ml', 'q_mh')} }`; // ASR
      if (r === 0 && (S === 7 || S === 15 || S === 31)) { // SXTB, SXTH, SXTW
        const sh = 31 - S;
        return `{ const q_v = ${sh === 0 ? L(rn) : `(${L(rn)} << ${sh}) >> ${sh}`}; ${set(d, 'q_v', 'q_v >> 31')} }`;
      }
      const sign = S >= 32 ? `(${Hi(rn)} << ${63 - S}) >> 31` : `(${L(rn)} << ${31 - S}) >> 31`;
      return `{ const q_sg = ${sign}; ${shift64(L(rn), Hi(rn), 3, r)} ` +
        `${set(d, `(q_ml & ${i.aux0}) | (q_sg & ${i.aux2})`, `(q_mh & ${i.aux1}) | (q_sg & ${i.aux3})`)} }`;
    }
    case 'SBFM_32': {
      const S = i.imm, r = i.imm2;
      if (S === 31) return set(d, `${L(rn)} >> ${r}`, '0'); // ASR
      if (r === 0 && (S === 7 || S === 15)) return set(d, `(${L(rn)} << ${31 - S}) >> ${31 - S}`, '0'); // SXTB, SXTH
      return `{ const q_v = ${L(rn)}; ${set(d, `(${ror32c('q_v', r)} & ${i.aux0}) | (((q_v << ${31 - S}) >> 31) & ${i.aux2})`, '0')} }`;
    }
    case 'BFM_64': {
      const r = i.imm2, wl = i.aux0, wh = i.aux1, tl = i.aux2, th = i.aux3;
      return `{ const q_dl = ${L(d)}, q_dh = ${Hi(d)}; ${shift64(L(rn), Hi(rn), 3, r)} ` +
        `const q_bl = (q_dl & ${~wl}) | (q_ml & ${wl}), q_bh = (q_dh & ${~wh}) | (q_mh & ${wh}); ` +
        `${set(d, `(q_dl & ${~tl}) | (q_bl & ${tl})`, `(q_dh & ${~th}) | (q_bh & ${th})`)} }`;
    }
    case 'BFM_32': {
      const w = i.aux0, t = i.aux2;
      return `{ const q_dl = ${L(d)}; const q_b = (q_dl & ${~w}) | (${ror32c(L(rn), i.imm2)} & ${w}); ` +
        `${set(d, `(q_dl & ${~t}) | (q_b & ${t})`, '0')} }`;
    }

    // ---- extract: bits [lsb+datasize-1 : lsb] of Xn:Xm
    case 'EXTR_64': {
      const s = i.imm & 31;
      // The three 32-bit words the result comes from, low to high.
      const [w0, w1, w2] = i.imm >= 32 ? [Hi(rm), L(rn), Hi(rn)] : [L(rm), Hi(rm), L(rn)];
      if (s === 0) return set(d, w0, w1);
      return `{ const q_w0 = ${w0}, q_w1 = ${w1}, q_w2 = ${w2}; ` +
        `${set(d, `(q_w0 >>> ${s}) | (q_w1 << ${32 - s})`, `(q_w1 >>> ${s}) | (q_w2 << ${32 - s})`)} }`;
    }
    case 'EXTR_32': {
      const s = i.aux0;
      if (s === 0) return set(d, L(rm), '0');
      return set(d, `(${L(rm)} >>> ${s}) | (${L(rn)} << ${32 - s})`, '0');
    }

    // ---- logical (shifted register)
    case 'AND_64_sreg': case 'BIC_64_sreg': case 'ORR_64_sreg': case 'ORN_64_sreg':
    case 'EOR_64_sreg': case 'EON_64_sreg': case 'ANDS_64_sreg': case 'BICS_64_sreg': {
      const base = name.slice(0, name.indexOf('_'));
      const op = LOGIC_OP[base];
      let s = `{ ${shift64(L(rm), Hi(rm), i.sh, i.imm)} const q_rl = ${L(rn)} ${op} ${inv('q_ml', i.aux0)}, q_rh = ${Hi(rn)} ${op} ${inv('q_mh', i.aux0)};`;
      if (base === 'ANDS' || base === 'BICS') s += ` ${logicFlags(n, 'q_rl', 'q_rh')}`;
      return `${s} ${set(d, 'q_rl', 'q_rh')} }`;
    }
    case 'AND_32_sreg': case 'BIC_32_sreg': case 'ORR_32_sreg': case 'ORN_32_sreg':
    case 'EOR_32_sreg': case 'EON_32_sreg': case 'ANDS_32_sreg': case 'BICS_32_sreg': {
      const base = name.slice(0, name.indexOf('_'));
      const op = LOGIC_OP[base];
      const e = `${L(rn)} ${op} ${inv(`(${shift32(L(rm), i.sh, i.imm)})`, i.aux0)}`;
      if (base === 'ANDS' || base === 'BICS') return `{ const q_r = ${e}; ${logicFlags(n, 'q_r', null)} ${set(d, 'q_r', '0')} }`;
      return set(d, e, '0');
    }

    // ---- add/subtract (shifted register)
    case 'ADD_64_sreg': case 'SUB_64_sreg': case 'ADDS_64_sreg': case 'SUBS_64_sreg': {
      const S = name[3] === 'S';
      return `{ ${shift64(L(rm), Hi(rm), i.sh, i.imm)} ${addc64(n, L(rn), Hi(rn), inv('q_ml', i.aux0), inv('q_mh', i.aux0), `${i.aux1}`, S)} ${set(d, 'q_rl', 'q_rh')} }`;
    }
    case 'ADD_32_sreg': case 'SUB_32_sreg': case 'ADDS_32_sreg': case 'SUBS_32_sreg': {
      const S = name[3] === 'S';
      const b = inv(`(${shift32(L(rm), i.sh, i.imm)})`, i.aux0);
      if (!S) return set(d, `(${L(rn)} + ${b} + ${i.aux1}) | 0`, '0');
      return `{ ${addc32(n, L(rn), b, `${i.aux1}`, true)} ${set(d, 'q_r', '0')} }`;
    }

    // ---- add/subtract (extended register): Rn is SP; Rd is SP for ADD/SUB
    case 'ADD_64_ext': case 'SUB_64_ext': case 'ADDS_64_ext': case 'SUBS_64_ext': {
      const S = name[3] === 'S';
      return `{ ${extend64(n, rm, i.opt, i.imm)} ${addc64(n, L(rn), Hi(rn), inv('q_el', i.aux0), inv('q_eh', i.aux0), `${i.aux1}`, S)} ${set(d, 'q_rl', 'q_rh')} }`;
    }
    case 'ADD_32_ext': case 'SUB_32_ext': case 'ADDS_32_ext': case 'SUBS_32_ext': {
      const S = name[3] === 'S';
      const b = inv(extend32(L(rm), i.opt, i.imm), i.aux0);
      if (!S) return set(d, `(${L(rn)} + ${b} + ${i.aux1}) | 0`, '0');
      return `{ ${addc32(n, L(rn), b, `${i.aux1}`, true)} ${set(d, 'q_r', '0')} }`;
    }

    // ---- add/subtract with carry
    case 'ADC_64': case 'SBC_64': case 'ADCS_64': case 'SBCS_64': {
      const S = name[3] === 'S';
      return `{ ${addc64(n, L(rn), Hi(rn), inv(L(rm), i.aux0), inv(Hi(rm), i.aux0), n.flag('c'), S)} ${set(d, 'q_rl', 'q_rh')} }`;
    }
    case 'ADC_32': case 'SBC_32': case 'ADCS_32': case 'SBCS_32': {
      const S = name[3] === 'S';
      if (!S) return set(d, `(${L(rn)} + ${inv(L(rm), i.aux0)} + ${n.flag('c')}) | 0`, '0');
      return `{ ${addc32(n, L(rn), inv(L(rm), i.aux0), n.flag('c'), true)} ${set(d, 'q_r', '0')} }`;
    }

    // ---- conditional compare
    case 'CCMN_64_reg': case 'CCMP_64_reg':
      return `if (${cond(i.cond, n)}) { ${addc64(n, L(rn), Hi(rn), inv(L(rm), i.aux0), inv(Hi(rm), i.aux0), `${i.aux1}`, true)} } else { ${setNzcv(n, i.imm)} }`;
    case 'CCMN_32_reg': case 'CCMP_32_reg':
      return `if (${cond(i.cond, n)}) { ${addc32(n, L(rn), inv(L(rm), i.aux0), `${i.aux1}`, true)} } else { ${setNzcv(n, i.imm)} }`;
    case 'CCMN_64_imm': case 'CCMP_64_imm':
      return `if (${cond(i.cond, n)}) { ${addc64(n, L(rn), Hi(rn), `${i.aux2}`, `${i.aux0}`, `${i.aux1}`, true)} } else { ${setNzcv(n, i.imm)} }`;
    case 'CCMN_32_imm': case 'CCMP_32_imm':
      return `if (${cond(i.cond, n)}) { ${addc32(n, L(rn), `${i.aux2}`, `${i.aux1}`, true)} } else { ${setNzcv(n, i.imm)} }`;

    // ---- conditional select (CSINC: aux0 = 0, aux1 = 1; CSINV: -1, 0; CSNEG: -1, 1)
    case 'CSEL_64':
      return `if (${cond(i.cond, n)}) { ${set(d, L(rn), Hi(rn))} } else { ${set(d, L(rm), Hi(rm))} }`;
    case 'CSEL_32':
      return `if (${cond(i.cond, n)}) { ${set(d, L(rn), '0')} } else { ${set(d, L(rm), '0')} }`;
    case 'CSINC_64': case 'CSINV_64': case 'CSNEG_64': {
      let els: string;
      if (i.aux1 === 0) els = set(d, inv(L(rm), i.aux0), inv(Hi(rm), i.aux0));
      else els = `const q_rl = (${inv(L(rm), i.aux0)} + 1) | 0; ${set(d, 'q_rl', `(${inv(Hi(rm), i.aux0)} + (q_rl === 0 ? 1 : 0)) | 0`)}`;
      return `if (${cond(i.cond, n)}) { ${set(d, L(rn), Hi(rn))} } else { ${els} }`;
    }
    case 'CSINC_32': case 'CSINV_32': case 'CSNEG_32': {
      const els = i.aux1 === 0 ? inv(L(rm), i.aux0) : `(${inv(L(rm), i.aux0)} + 1) | 0`;
      return `if (${cond(i.cond, n)}) { ${set(d, L(rn), '0')} } else { ${set(d, els, '0')} }`;
    }

    // ---- data processing (2 source)
    case 'UDIV_32':
      return `{ const q_m = ${L(rm)} >>> 0; ${set(d, `q_m === 0 ? 0 : ((${L(rn)} >>> 0) / q_m) | 0`, '0')} }`;
    case 'SDIV_32':
      // INT32_MIN / -1 = 2^31, which | 0 wraps to INT32_MIN as the Arm ARM says.
      return `{ const q_m = ${L(rm)}; ${set(d, `q_m === 0 ? 0 : (${L(rn)} / q_m) | 0`, '0')} }`;
    case 'UDIV_64':
      // Operands below 2^32 (the usual case), or below 2^53: one exact double division.
      return `{ const q_nl = ${L(rn)}, q_nh = ${Hi(rn)}, q_ml = ${L(rm)}, q_mh = ${Hi(rm)}; ` +
        `if ((q_ml | q_mh) === 0) { ${set(d, '0', '0')} } ` +
        `else if ((q_nh | q_mh) === 0) { ${set(d, '((q_nl >>> 0) / (q_ml >>> 0)) | 0', '0')} } ` +
        // Both below 2^53: the double quotient floored is exact (as in int64.ts udiv64).
        'else if ((q_nh >>> 21) === 0 && (q_mh >>> 21) === 0) { ' +
        'const q_q = Math.floor((q_nh * 4294967296 + (q_nl >>> 0)) / (q_mh * 4294967296 + (q_ml >>> 0))); ' +
        `${set(d, 'q_q | 0', '(q_q / 4294967296) | 0')} } ` +
        `else { H.dpUdiv64(q_nl, q_nh, q_ml, q_mh); ${set(d, 'R[0]', 'R[1]')} } }`;
    case 'SDIV_64':
      // Both operands sign-extended 32-bit values (the usual case): the double quotient truncated is
      // exact, and -2^31 / -1 = 2^31 has low word INT32_MIN and high word 0.
      return `{ const q_nl = ${L(rn)}, q_nh = ${Hi(rn)}, q_ml = ${L(rm)}, q_mh = ${Hi(rm)}; ` +
        `if ((q_ml | q_mh) === 0) { ${set(d, '0', '0')} } ` +
        'else if (q_nh === q_nl >> 31 && q_mh === q_ml >> 31) { const q_q = Math.trunc(q_nl / q_ml); ' +
        `${set(d, 'q_q | 0', 'q_q < 0 ? -1 : 0')} } ` +
        `else { H.dpSdiv64(q_nl, q_nh, q_ml, q_mh); ${set(d, 'R[0]', 'R[1]')} } }`;
    case 'LSLV_64': return `{ ${shiftV64(n, 0, rn, rm)} ${set(d, 'q_rl', 'q_rh')} }`;
    case 'LSRV_64': return `{ ${shiftV64(n, 1, rn, rm)} ${set(d, 'q_rl', 'q_rh')} }`;
    case 'ASRV_64': return `{ ${shiftV64(n, 2, rn, rm)} ${set(d, 'q_rl', 'q_rh')} }`;
    case 'RORV_64': return `{ ${shiftV64(n, 3, rn, rm)} ${set(d, 'q_rl', 'q_rh')} }`;
    // JavaScript shifts take the count modulo 32, as the 32-bit forms do.
    case 'LSLV_32': return set(d, `${L(rn)} << ${L(rm)}`, '0');
    case 'LSRV_32': return set(d, `(${L(rn)} >>> ${L(rm)}) | 0`, '0');
    case 'ASRV_32': return set(d, `${L(rn)} >> ${L(rm)}`, '0');
    case 'RORV_32':
      return `{ const q_v = ${L(rn)}, q_s = ${L(rm)} & 31; ${set(d, '(q_v >>> q_s) | (q_v << (32 - q_s))', '0')} }`;

    case 'CRC32B': case 'CRC32H': case 'CRC32W': case 'CRC32CB': case 'CRC32CH': case 'CRC32CW':
      return set(d, `H.dpCrc(${L(rn)}, ${L(rm)}, ${i.aux0}, ${{ B: 1, H: 2, W: 4 }[name[name.length - 1] as 'B' | 'H' | 'W']})`, '0');
    case 'CRC32X': case 'CRC32CX':
      return set(d, `H.dpCrc(H.dpCrc(${L(rn)}, ${L(rm)}, ${i.aux0}, 4), ${Hi(rm)}, ${i.aux0}, 4)`, '0');

    // ---- data processing (1 source)
    case 'RBIT_32': return `{ let q_v = ${L(rn)}; ${rbitExpr('q_v')} ${set(d, 'q_v', '0')} }`;
    case 'RBIT_64':
      return `{ let q_v = ${L(rn)}, q_w = ${Hi(rn)}; ${rbitExpr('q_v')} ${rbitExpr('q_w')} ${set(d, 'q_w', 'q_v')} }`;
    case 'REV16_32': return `{ const q_v = ${L(rn)}; ${set(d, rev16('q_v'), '0')} }`;
    case 'REV16_64': return `{ const q_v = ${L(rn)}, q_w = ${Hi(rn)}; ${set(d, rev16('q_v'), rev16('q_w'))} }`;
    case 'REV_32': return `{ const q_v = ${L(rn)}; ${set(d, bswap('q_v'), '0')} }`;
    case 'REV32_64': return `{ const q_v = ${L(rn)}, q_w = ${Hi(rn)}; ${set(d, bswap('q_v'), bswap('q_w'))} }`;
    case 'REV_64': return `{ const q_v = ${L(rn)}, q_w = ${Hi(rn)}; ${set(d, bswap('q_w'), bswap('q_v'))} }`;
    case 'CLZ_32': return set(d, `Math.clz32(${L(rn)})`, '0');
    case 'CLZ_64':
      return `{ const q_h = ${Hi(rn)}; ${set(d, `q_h !== 0 ? Math.clz32(q_h) : 32 + Math.clz32(${L(rn)})`, '0')} }`;
    // CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>).
    case 'CLS_32': return `{ const q_v = ${L(rn)}; ${set(d, 'Math.clz32((q_v ^ (q_v << 1)) | 1)', '0')} }`;
    case 'CLS_64':
      return `{ const q_l = ${L(rn)}, q_h = ${Hi(rn)}; const q_yl = q_l ^ (q_l << 1), q_yh = q_h ^ ((q_h << 1) | (q_l >>> 31)); ` +
        `${set(d, 'q_yh !== 0 ? Math.clz32(q_yh) : 32 + Math.clz32(q_yl | 1)', '0')} }`;

    // ---- data processing (3 source)
    case 'MADD_32':
      return set(d, i.ra === 31 ? `Math.imul(${L(rn)}, ${L(rm)})` : `(${L(i.ra)} + Math.imul(${L(rn)}, ${L(rm)})) | 0`, '0');
    case 'MSUB_32':
      return set(d, `(${L(i.ra)} - Math.imul(${L(rn)}, ${L(rm)})) | 0`, '0');
    case 'MADD_64': {
      if (i.ra === 31) return `{ ${mul64(n, rn, rm)} ${set(d, 'q_pl', 'q_hx')} }`;
      return `{ const q_cl = ${L(i.ra)}, q_ch = ${Hi(i.ra)}; ${mul64(n, rn, rm)} const q_rl = (q_cl + q_pl) | 0; ` +
        `${set(d, 'q_rl', `(q_ch + q_hx + ${carry('q_rl', 'q_cl', '0')}) | 0`)} }`;
    }
    case 'MSUB_64':
      return `{ const q_cl = ${L(i.ra)}, q_ch = ${Hi(i.ra)}; ${mul64(n, rn, rm)} const q_rl = (q_cl + ~q_pl + 1) | 0; ` +
        `${set(d, 'q_rl', `(q_ch + ~q_hx + ${carry('q_rl', 'q_cl', '1')}) | 0`)} }`;
    case 'SMADDL': case 'SMSUBL': case 'UMADDL': case 'UMSUBL': {
      const signed = name[0] === 'S';
      // Signed product = unsigned product - 2^32 * ((a < 0 ? b : 0) + (b < 0 ? a : 0)).
      const ph = signed ? '(q_ph - (q_a < 0 ? q_b : 0) - (q_b < 0 ? q_a : 0)) | 0' : 'q_ph';
      const x = i.aux0 !== 0;
      return `{ const q_cl = ${L(i.ra)}, q_ch = ${Hi(i.ra)}; ${umul32(L(rn), L(rm))} const q_qh = ${ph}; ` +
        `const q_rl = (q_cl + ${x ? '~q_pl' : 'q_pl'} + ${i.aux1}) | 0; ` +
        `${set(d, 'q_rl', `(q_ch + ${x ? '~q_qh' : 'q_qh'} + ${carry('q_rl', 'q_cl', String(i.aux1))}) | 0`)} }`;
    }
    case 'SMULH':
      return `{ H.dpSmulh64(${L(rn)}, ${Hi(rn)}, ${L(rm)}, ${Hi(rm)}); ${set(d, 'R[0]', 'R[1]')} }`;
    case 'UMULH':
      return `{ H.dpUmulh64(${L(rn)}, ${Hi(rn)}, ${L(rm)}, ${Hi(rm)}); ${set(d, 'R[0]', 'R[1]')} }`;

    default:
      return null;
  }
}
