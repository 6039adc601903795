// Oracle family fp_ldst: the SIMD&FP loads and stores (Arm ARM C4.1.4 with V = 1, and the AdvSIMD
// load/store structure classes). Every base register points into scratch (2% of the time at an
// unmapped page); SIMD&FP accesses have no alignment requirement in Linux user mode (SCTLR_EL1.A = 0),
// so addresses are anywhere in scratch, naturally aligned half the time.

import type { Family, Gen } from '../catalogue.js';
import { SCRATCH, SCRATCH_SIZE, TEST_PC } from '../layout.js';
import { Builder, field, otherReg, pickEA, RN, RS, RT, RT2, setBase, setField, u64 } from '../shape.js';

function bits(v: number, n: number): string {
  return v.toString(2).padStart(n, '0');
}

/** Bytes of a single-register access: size and opc<1> (Q when size = 00, opc<1> = 1). */
function singleBytes(w: number): number {
  const size = field(w, 30, 2), opc1 = field(w, 23, 1);
  return opc1 === 1 && size === 0 ? 16 : 1 << size;
}

const uoff: Gen = (b, w) => {
  const g = b.g;
  const bytes = singleBytes(w);
  if (g.chance(0.5)) w = setField(w, 10, 12, g.below(g.chance(0.5) ? 16 : 512));
  setBase(b, RN(w), pickEA(g, bytes, bytes, 'free'), BigInt(field(w, 10, 12) * bytes), bytes);
  return [w];
};

const imm9: Gen = (b, w) => {
  const bytes = singleBytes(w);
  const mode = field(w, 10, 2); // 00 unscaled, 01 post, 11 pre (10 is unallocated with V = 1)
  const imm = (field(w, 12, 9) << 23) >> 23;
  setBase(b, RN(w), pickEA(b.g, bytes, bytes, 'free'), mode === 1 ? 0n : BigInt(imm), bytes);
  return [w];
};

const regOff: Gen = (b, w) => {
  const g = b.g;
  const bytes = singleBytes(w);
  const shift = Math.log2(bytes);
  const opt = field(w, 13, 3);
  if ((opt & 2) === 0) return g.chance(0.1) ? [w] : null; // UNDEFINED extend options, now and then
  const amount = field(w, 12, 1) ? shift : 0;
  const rn = RN(w), rm = RS(w);
  const ea = pickEA(g, bytes, bytes, 'free');
  if (rm === 31) { setBase(b, rn, ea, 0n, bytes); return [w]; }
  if (rm === rn) {
    const k = 1 + (1 << amount);
    const v = Math.floor(ea / k);
    if (v * k < SCRATCH || v * k + bytes > SCRATCH + SCRATCH_SIZE) return null;
    b.set(rn, BigInt(v));
    return [w];
  }
  const small = g.chance(0.5) ? g.range(-64, 64) : g.range(-0x800, 0x800);
  let index: bigint, ext: bigint;
  if (opt === 2) { const lo = Math.abs(small); index = (u64(g.next()) << 32n) | BigInt(lo); ext = BigInt(lo); }
  else if (opt === 6) { index = (u64(g.next()) << 32n) | BigInt(small >>> 0); ext = BigInt(small); }
  else { index = u64(small); ext = BigInt(small); }
  b.set(rm, index);
  setBase(b, rn, ea, ext << BigInt(amount), bytes);
  return [w];
};

const literal: Gen = (b, w) => {
  const bytes = [4, 8, 16][field(w, 30, 2)] ?? 4;
  const ea = SCRATCH + 4 * b.g.below((SCRATCH_SIZE - bytes) / 4 + 1);
  return [setField(w, 5, 19, (ea - TEST_PC) / 4)];
};

const pair: Gen = (b, w) => {
  const g = b.g;
  const scale = 4 << field(w, 30, 2);
  const mode = field(w, 23, 2); // 00 no-allocate, 01 post, 10 offset, 11 pre
  const load = field(w, 22, 1) === 1;
  // LDP with Rt = Rt2 is CONSTRAINED UNPREDICTABLE; V registers cannot clash with the base.
  if (load && RT(w) === RT2(w)) w = setField(w, 10, 5, (RT(w) + 1 + g.below(31)) & 31);
  if (g.chance(0.5)) w = setField(w, 15, 7, g.range(-8, 8));
  const imm = (field(w, 15, 7) << 25) >> 25;
  setBase(b, RN(w), pickEA(g, 2 * scale, scale, 'free'), mode === 1 ? 0n : BigInt(imm * scale), 2 * scale);
  return [w];
};

/** Post-index register Rm (not 31): a small increment, or any value (only Rn's final value shows it). */
function postReg(b: Builder, w: number, post: boolean): void {
  const rm = RS(w), rn = RN(w);
  if (!post || rm === 31 || rm === rn) return;
  const g = b.g;
  b.set(rm, g.chance(0.7) ? u64(g.range(-256, 256)) : g.u64());
}

/** Multiple structures: opcode -> registers. */
const MULT_REGS: Record<number, number> = { 0b0000: 4, 0b0010: 4, 0b0100: 3, 0b0110: 3, 0b0111: 1, 0b1000: 2, 0b1010: 2 };

const multiple: Gen = (b, w) => {
  const g = b.g;
  const post = field(w, 23, 1) === 1;
  const bytes = MULT_REGS[field(w, 12, 4)] * (field(w, 30, 1) ? 16 : 8);
  let rn = RN(w);
  if (post && RS(w) === rn && rn !== 31 && g.chance(0.8)) {
    w = setField(w, 16, 5, otherReg(g, [rn]));
  }
  rn = RN(w);
  setBase(b, rn, pickEA(g, bytes, 1 << field(w, 10, 2), 'free'), 0n, bytes);
  postReg(b, w, post);
  return [w];
};

/** Single structure: bytes of one element set, from opcode<2:1>, opcode<0>:R and size (replicate: size). */
const single: Gen = (b, w) => {
  const g = b.g;
  const post = field(w, 23, 1) === 1;
  const opcode = field(w, 13, 3), r = field(w, 21, 1), size = field(w, 10, 2);
  const selem = (((opcode & 1) << 1) | r) + 1;
  const scale = opcode >> 1;
  const esize = scale === 3 ? 1 << size : scale === 2 ? (size & 1 ? 8 : 4) : 1 << scale;
  const bytes = selem * esize;
  const rn = RN(w);
  if (post && RS(w) === rn && rn !== 31 && g.chance(0.8)) w = setField(w, 16, 5, otherReg(g, [rn]));
  setBase(b, RN(w), pickEA(g, bytes, esize, 'free'), 0n, bytes);
  postReg(b, w, post);
  return [w];
};

function entries(): Family['entries'] {
  const E: Family['entries'] = [];
  const add = (name: string, pattern: string, gen: Gen, weight = 1): void => { E.push({ name, pattern, gen, weight }); };
  // Single register: [size, opc, name].
  const regs: [number, number, string][] = [
    [0, 0, 'STR_b'], [0, 1, 'LDR_b'], [1, 0, 'STR_h'], [1, 1, 'LDR_h'], [2, 0, 'STR_s'], [2, 1, 'LDR_s'],
    [3, 0, 'STR_d'], [3, 1, 'LDR_d'], [0, 2, 'STR_q'], [0, 3, 'LDR_q'],
  ];
  for (const [size, opc, n] of regs) {
    const s = `${bits(size, 2)}111 1`;
    add(`${n}_fp_uoff`, `${s} 01 ${bits(opc, 2)} iiiiiiiiiiii nnnnn ttttt`, uoff, 2);
    add(`${n}_fp_unscaled`, `${s} 00 ${bits(opc, 2)} 0 iiiiiiiii 00 nnnnn ttttt`, imm9);
    add(`${n}_fp_post`, `${s} 00 ${bits(opc, 2)} 0 iiiiiiiii 01 nnnnn ttttt`, imm9);
    add(`${n}_fp_pre`, `${s} 00 ${bits(opc, 2)} 0 iiiiiiiii 11 nnnnn ttttt`, imm9);
    add(`${n}_fp_reg`, `${s} 00 ${bits(opc, 2)} 1 mmmmm xxx S 10 nnnnn ttttt`, regOff, 2);
    // The unprivileged slot is unallocated with V = 1.
    add(`${n}_fp_unpriv_unalloc`, `${s} 00 ${bits(opc, 2)} 0 iiiiiiiii 10 nnnnn ttttt`, imm9);
  }
  // size != 00 with opc<1> = 1: unallocated in every form.
  add('LDST_fp_size_unalloc_uoff', '1s111 1 01 1o iiiiiiiiiiii nnnnn ttttt', uoff);
  add('LDST_fp_size01_unalloc_uoff', '01111 1 01 1o iiiiiiiiiiii nnnnn ttttt', uoff);
  add('LDST_fp_size_unalloc', '1s111 1 00 1o jjjjjjjjjjjjjjjjjjjjjj', (b, w) => [w]);
  add('LDST_fp_size01_unalloc', '01111 1 00 1o jjjjjjjjjjjjjjjjjjjjjj', (b, w) => [w]);

  ['LDR_s_lit', 'LDR_d_lit', 'LDR_q_lit'].forEach((n, opc) =>
    add(n, `${bits(opc, 2)}011 1 00 iiiiiiiiiiiiiiiiiii ttttt`, literal, 2));
  add('LDR_lit_fp_unalloc', '11011 1 00 iiiiiiiiiiiiiiiiiii ttttt', (b, w) => [w]);

  // Pairs: opc 00 S, 01 D, 10 Q; 11 unallocated.
  const idx = ['np', 'post', 'off', 'pre'];
  for (const [opc, sz] of [[0, 's'], [1, 'd'], [2, 'q']] as const) {
    for (let i = 0; i < 4; i++) {
      for (let L = 0; L < 2; L++) {
        const base = i === 0 ? (L ? 'LDNP' : 'STNP') : (L ? 'LDP' : 'STP');
        add(`${base}_${sz}${i === 0 ? '' : '_' + idx[i]}`, `${bits(opc, 2)}101 1 0 ${bits(i, 2)} ${L} iiiiiii uuuuu nnnnn ttttt`, pair);
      }
    }
  }
  add('LDSTP_fp_unalloc', '11101 1 0 xx L iiiiiii uuuuu nnnnn ttttt', (b, w) => [w]);

  // Multiple structures: 0 Q 001100 P L 0 Rm opcode size Rn Rt (P = post-index; Rm = 0 without it).
  const mult: [number, string][] = [[0b0000, '4'], [0b0010, '1_4'], [0b0100, '3'], [0b0110, '1_3'], [0b0111, '1_1'], [0b1000, '2'], [0b1010, '1_2']];
  for (const [opcode, sfx] of mult) {
    for (let L = 0; L < 2; L++) {
      const n = `${L ? 'LD' : 'ST'}${sfx[0]}${sfx.length > 1 ? '_' + sfx.slice(2) + 'r' : ''}`;
      add(`${n}_mult`, `0Q 001100 0 ${L} 000000 ${bits(opcode, 4)} qq nnnnn ttttt`, multiple, 2);
      add(`${n}_mult_post`, `0Q 001100 1 ${L} 0 mmmmm ${bits(opcode, 4)} qq nnnnn ttttt`, multiple, 2);
    }
  }
  // Other opcodes of the multiple-structure classes are unallocated.
  add('LDST_mult_unalloc', '0Q 001100 P L 0 mmmmm 1 1 jj qq nnnnn ttttt', (b, w) => [w]);
  add('LDST_mult_unalloc2', '0Q 001100 P L 0 mmmmm 0 0 j 1 qq nnnnn ttttt', (b, w) => [w]);
  add('LDST_mult_unalloc3', '0Q 001100 P L 0 mmmmm 0101 qq nnnnn ttttt', (b, w) => [w]);
  add('LDST_mult_unalloc4', '0Q 001100 P L 0 mmmmm 10 j 1 qq nnnnn ttttt', (b, w) => [w]);
  add('LDST_mult_b21_unalloc', '0Q 001100 P L 1 jjjjjjjjjjjjjjjjjjjjj', (b, w) => [w]);

  // Single structure: 0 Q 001101 P L R Rm opcode S size Rn Rt; opcode 000/001 B, 010/011 H, 100/101 S or D,
  // 110/111 replicate (loads only).
  for (let L = 0; L < 2; L++) {
    for (let R = 0; R < 2; R++) {
      for (let op0 = 0; op0 < 2; op0++) {
        const n = `${L ? 'LD' : 'ST'}${((op0 << 1) | R) + 1}`;
        for (const [scale, sz] of [[0, 'b'], [1, 'h'], [2, 's']] as const) {
          const opcode = bits((scale << 1) | op0, 3);
          const sizePat = scale === 0 ? 'qq' : scale === 1 ? 'q0' : '00';
          add(`${n}_${sz}_lane`, `0Q 001101 0 ${L} ${R} 00000 ${opcode} S ${sizePat} nnnnn ttttt`, single);
          add(`${n}_${sz}_lane_post`, `0Q 001101 1 ${L} ${R} mmmmm ${opcode} S ${sizePat} nnnnn ttttt`, single);
        }
        const opD = bits((2 << 1) | op0, 3);
        add(`${n}_d_lane`, `0Q 001101 0 ${L} ${R} 00000 ${opD} 0 01 nnnnn ttttt`, single);
        add(`${n}_d_lane_post`, `0Q 001101 1 ${L} ${R} mmmmm ${opD} 0 01 nnnnn ttttt`, single);
        if (L === 1) {
          add(`${n}R`, `0Q 001101 0 1 ${R} 00000 11${op0} 0 qq nnnnn ttttt`, single, 2);
          add(`${n}R_post`, `0Q 001101 1 1 ${R} mmmmm 11${op0} 0 qq nnnnn ttttt`, single, 2);
        }
      }
    }
  }
  // Unallocated single-structure forms: H with size<0> = 1, S/D with size 1x or size 01 and S = 1,
  // replicate with S = 1, replicate stores.
  add('LDST_single_h_unalloc', '0Q 001101 P L R mmmmm 01 o S q1 nnnnn ttttt', (b, w) => [w]);
  add('LDST_single_s_unalloc', '0Q 001101 P L R mmmmm 10 o S 1q nnnnn ttttt', (b, w) => [w]);
  add('LDST_single_d_unalloc', '0Q 001101 P L R mmmmm 10 o 1 01 nnnnn ttttt', (b, w) => [w]);
  add('LDnR_S_unalloc', '0Q 001101 P 1 R mmmmm 11 o 1 qq nnnnn ttttt', (b, w) => [w]);
  add('STnR_unalloc', '0Q 001101 P 0 R mmmmm 11 o S qq nnnnn ttttt', (b, w) => [w]);
  return E;
}

export const FP_LDST: Family = { cls: 'fp_ldst', count: 8000, entries: entries() };
