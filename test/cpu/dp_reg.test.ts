// Data Processing -- Register (Arm ARM C4.1.5). Expected values come from BigInt models written from the
// Arm ARM's definitions (AddWithCarry, ShiftReg, ExtendReg, ConditionHolds, the CRC32 pseudocode...),
// from hand-derived constants, or from published check values; never from the emulator itself.

import { describe, it, expect } from 'vitest';
import { exec, bulk, BulkCase } from '../harness.js';
import { A, u, s, ones, awc, isUndef } from './dp-model.js';

// ---------------------------------------------------------------- helpers

/** ShiftReg: LSL, LSR, ASR, ROR on N bits. */
function shiftReg(v: bigint, type: number, amt: number, N: number): bigint {
  v = u(v, N);
  const a = BigInt(amt);
  switch (type) {
    case 0: return u(v << a, N);
    case 1: return v >> a;
    case 2: return u(s(v, N) >> a, N);
    default: return u((v >> a) | (v << (BigInt(N) - a)), N);
  }
}

/** ExtendReg: option UXTB UXTH UXTW UXTX SXTB SXTH SXTW SXTX, then LSL shift; on N bits. */
function extendReg(v: bigint, option: number, shift: number, N: number): bigint {
  const len = 8 << (option & 3);
  const part = (option & 4) !== 0 ? s(u(v, len), len) : u(v, len);
  return u(part << BigInt(shift), N);
}

/** ConditionHolds, from the Arm ARM. */
function condHolds(cond: number, nzcv: number): boolean {
  const N = (nzcv >> 3) & 1, Z = (nzcv >> 2) & 1, C = (nzcv >> 1) & 1, V = nzcv & 1;
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = Z === 1; break;
    case 1: r = C === 1; break;
    case 2: r = N === 1; break;
    case 3: r = V === 1; break;
    case 4: r = C === 1 && Z === 0; break;
    case 5: r = N === V; break;
    case 6: r = N === V && Z === 0; break;
    default: r = true;
  }
  return (cond & 1) === 1 && cond !== 15 ? !r : r;
}

const logicNZ = (r: bigint, N: number): number => (Number(r >> BigInt(N - 1)) << 3) | (r === 0n ? 4 : 0);

const V64 = [
  0n, 1n, 2n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xffffffffffffffffn,
  0xfffffffffffffffen, 0xffffffffn, 0x100000000n, 0x7fffffffn, 0x80000000n, 0x123456789abcdef0n,
  0xfedcba9876543210n, 0xffffffff80000000n, 0x00000001_7fffffffn,
];
const V_FEW = [0n, 1n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x80000000n, 0x7fffffffn, 0xfedcba9876543210n];

// ---------------------------------------------------------------- raw encoders (checked against keystone)

function sregWord(sf: number, top: number, shift: number, N: number, rm: number, imm6: number, rn: number, rd: number): number {
  // top = bits 30:24 as given (opc/op:S and the class bits)
  return ((sf << 31) | (top << 24) | (shift << 22) | (N << 21) | (rm << 16) | (imm6 << 10) | (rn << 5) | rd) >>> 0;
}
const LOGICAL = (opc: number) => (opc << 5) | 0b01010;
const ADDSUB = (op: number, S: number) => (op << 6) | (S << 5) | 0b01011;

function extWord(sf: number, op: number, S: number, rm: number, option: number, imm3: number, rn: number, rd: number): number {
  return ((sf << 31) | (op << 30) | (S << 29) | (0b01011 << 24) | (1 << 21) | (rm << 16) | (option << 13) | (imm3 << 10) | (rn << 5) | rd) >>> 0;
}

function ccWord(sf: number, op: number, imm: number, rmOrImm5: number, cond: number, rn: number, nzcv: number): number {
  return ((sf << 31) | (op << 30) | (1 << 29) | (0b11010010 << 21) | (rmOrImm5 << 16) | (cond << 12) | (imm << 11) | (rn << 5) | nzcv) >>> 0;
}

function cselWord(sf: number, op: number, rm: number, cond: number, op2: number, rn: number, rd: number): number {
  return ((sf << 31) | (op << 30) | (0b11010100 << 21) | (rm << 16) | (cond << 12) | (op2 << 10) | (rn << 5) | rd) >>> 0;
}

function dp2Word(sf: number, rm: number, opcode: number, rn: number, rd: number): number {
  return ((sf << 31) | (0b11010110 << 21) | (rm << 16) | (opcode << 10) | (rn << 5) | rd) >>> 0;
}

function dp1Word(sf: number, opcode: number, rn: number, rd: number): number {
  return ((sf << 31) | (1 << 30) | (0b11010110 << 21) | (opcode << 10) | (rn << 5) | rd) >>> 0;
}

function dp3Word(sf: number, op54: number, op31: number, rm: number, o0: number, ra: number, rn: number, rd: number): number {
  return ((sf << 31) | (op54 << 29) | (0b11011 << 24) | (op31 << 21) | (rm << 16) | (o0 << 15) | (ra << 10) | (rn << 5) | rd) >>> 0;
}

describe('raw encoders used below agree with keystone', () => {
  it('match', async () => {
    expect(sregWord(1, ADDSUB(1, 1), 2, 0, 2, 5, 1, 0)).toBe(await A('subs x0, x1, x2, asr #5'));
    expect(sregWord(0, LOGICAL(2), 3, 1, 2, 7, 1, 0)).toBe(await A('eon w0, w1, w2, ror #7'));
    expect(extWord(1, 0, 0, 2, 6, 3, 1, 0)).toBe(await A('add x0, x1, w2, sxtw #3'));
    expect(extWord(0, 1, 1, 2, 3, 2, 1, 0)).toBe(await A('subs w0, w1, w2, uxtx #2'));
    expect(ccWord(0, 0, 1, 31, 8, 1, 5)).toBe(await A('ccmn w1, #31, #0b0101, hi'));
    expect(ccWord(1, 1, 0, 2, 15, 1, 10)).toBe(await A('ccmp x1, x2, #10, nv'));
    expect(cselWord(1, 0, 2, 15, 1, 1, 0)).toBe(await A('csinc x0, x1, x2, nv'));
    expect(dp2Word(1, 2, 0b010111, 1, 0)).toBe(await A('crc32cx w0, w1, x2'));
    expect(dp1Word(1, 0b000101, 1, 0)).toBe(await A('cls x0, x1'));
    expect(dp3Word(1, 0, 0b101, 2, 1, 31, 1, 0)).toBe(await A('umnegl x0, w1, w2'));
  });
});

// ---------------------------------------------------------------- add/subtract (shifted register)

describe('ADD/ADDS/SUB/SUBS (shifted register)', () => {
  it('flags on signed and unsigned overflow, hand-derived', async () => {
    exec(await A('adds x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 1n } }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('adds x0, x1, x2'), { x: { 1: 0x7fffffffffffffffn, 2: 1n } }, { x: { 0: 0x8000000000000000n }, nzcv: 0b1001 });
    exec(await A('adds x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 0x8000000000000000n } }, { x: { 0: 0n }, nzcv: 0b0111 });
    exec(await A('subs x0, x1, x2'), { x: { 1: 0n, 2: 1n } }, { x: { 0: 0xffffffffffffffffn }, nzcv: 0b1000 });
    exec(await A('subs x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 1n } }, { x: { 0: 0x7fffffffffffffffn }, nzcv: 0b0011 });
    exec(await A('cmp x1, x2'), { x: { 1: 7n, 2: 7n } }, { nzcv: 0b0110 });
    exec(await A('adds w0, w1, w2'), { x: { 1: 0xaaaaaaaa_ffffffffn, 2: 0x55555555_00000001n } }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('adds w0, w1, w2'), { x: { 1: 0x7fffffffn, 2: 1n } }, { x: { 0: 0x80000000n }, nzcv: 0b1001 });
    exec(await A('subs w0, w1, w2'), { x: { 1: 0x80000000n, 2: 1n } }, { x: { 0: 0x7fffffffn }, nzcv: 0b0011 });
    exec(await A('subs w0, w1, w2'), { x: { 1: 0x1_00000000n, 2: 1n } }, { x: { 0: 0xffffffffn }, nzcv: 0b1000 });
    exec(await A('sub w0, w1, w2'), { x: { 1: 0xffffffff_00000005n, 2: 3n }, nzcv: 0b1111 }, { x: { 0: 2n } });
  });
  it('agree with AddWithCarry and ShiftReg over shift types, amounts and values', async () => {
    const cases: BulkCase[] = [];
    for (const [opName, op, S] of [['add', 0, 0], ['adds', 0, 1], ['sub', 1, 0], ['subs', 1, 1]] as const) {
      for (const sf of [1, 0]) {
        const N = sf ? 64 : 32;
        for (const type of [0, 1, 2]) {
          for (const amt of sf ? [0, 1, 31, 32, 63] : [0, 1, 16, 31]) {
            const word = sregWord(sf, ADDSUB(op, S), type, 0, 2, amt, 1, 0);
            for (const a of V_FEW) {
              for (const b of V_FEW) {
                const op2 = shiftReg(b, type, amt, N);
                const { r, nzcv } = op ? awc(a, ~op2, 1n, N) : awc(a, op2, 0n, N);
                cases.push({ word, x: { 1: a, 2: b }, nzcv: 0b0101, want: { x: { 0: r }, nzcv: S ? nzcv : 0b0101 }, label: `${opName}/${N} sh${type} #${amt} ${a.toString(16)} ${b.toString(16)}` });
              }
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('register 31 is XZR for Rd, Rn and Rm (NEG, CMP, discarded results)', async () => {
    exec(await A('neg x0, x1'), { x: { 1: 5n }, sp: 0x100n }, { x: { 0: u(-5n) } });
    exec(await A('negs w0, w1'), { x: { 1: 0x80000000n }, sp: 0x100n }, { x: { 0: 0x80000000n }, nzcv: 0b1001 });
    exec(await A('add xzr, x1, x2'), { x: { 1: 5n, 2: 6n }, sp: 0x100n }, {});
    exec(await A('cmn x1, x2, lsl #3'), { x: { 1: u(-8n), 2: 1n }, sp: 0x100n }, { nzcv: 0b0110 });
    exec(sregWord(1, ADDSUB(0, 0), 0, 0, 31, 0, 1, 0), { x: { 1: 9n }, sp: 0x100n }, { x: { 0: 9n } }); // add x0, x1, xzr
  });
  it('shift type 11, and sf=0 with imm6>=32, are UNDEFINED', () => {
    expect(isUndef(sregWord(1, ADDSUB(0, 0), 3, 0, 2, 0, 1, 0))).toBe(true);
    expect(isUndef(sregWord(1, ADDSUB(1, 1), 3, 0, 2, 5, 1, 0))).toBe(true);
    expect(isUndef(sregWord(0, ADDSUB(0, 1), 0, 0, 2, 32, 1, 0))).toBe(true);
    expect(isUndef(sregWord(0, ADDSUB(0, 1), 0, 0, 2, 31, 1, 0))).toBe(false);
    expect(isUndef(sregWord(1, ADDSUB(0, 1), 0, 0, 2, 63, 1, 0))).toBe(false);
  });
});

// ---------------------------------------------------------------- add/subtract (extended register)

describe('ADD/ADDS/SUB/SUBS (extended register)', () => {
  it('every extend option with shifts 0-4, both widths', () => {
    const cases: BulkCase[] = [];
    const ms = [0x8081828384858687n, 0x7f7f7f7f7f7f7f7fn, 0xffffffffffffffffn, 0x00000000ffff8000n];
    const ns = [0x1000n, 0xffffffffffffff00n];
    for (const [opName, op, S] of [['add', 0, 0], ['adds', 0, 1], ['sub', 1, 0], ['subs', 1, 1]] as const) {
      for (const sf of [1, 0]) {
        const N = sf ? 64 : 32;
        for (let option = 0; option < 8; option++) {
          for (let sh = 0; sh <= 4; sh++) {
            const word = extWord(sf, op, S, 2, option, sh, 1, 0);
            for (const m of ms) {
              for (const n of ns) {
                const op2 = extendReg(m, option, sh, N);
                const { r, nzcv } = op ? awc(n, ~op2, 1n, N) : awc(n, op2, 0n, N);
                cases.push({ word, x: { 1: n, 2: m }, nzcv: 0b1010, want: { x: { 0: r }, nzcv: S ? nzcv : 0b1010 }, label: `${opName}/${N} opt${option} #${sh} ${n.toString(16)} ${m.toString(16)}` });
              }
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('hand-derived extends', async () => {
    exec(await A('add x0, x1, w2, sxtb #4'), { x: { 1: 0x1000n, 2: 0xffffff80n } }, { x: { 0: 0x1000n - 0x800n } });
    exec(await A('add x0, x1, w2, uxth #1'), { x: { 1: 1n, 2: 0xffff_ffffn } }, { x: { 0: 0x1fffen + 1n } });
    exec(await A('sub x0, x1, w2, sxtw'), { x: { 1: 0n, 2: 0x12345678_ffffffffn } }, { x: { 0: 1n } });
    exec(await A('add w0, w1, w2, sxth #2'), { x: { 1: 0n, 2: 0x8000n } }, { x: { 0: 0xfffe0000n } });
  });
  it('Rd and Rn are SP for ADD/SUB; Rn is SP and Rd XZR for ADDS/SUBS; Rm 31 is XZR', async () => {
    exec(await A('add sp, sp, x1'), { x: { 1: 0x10n }, sp: 0x1000n }, { sp: 0x1010n });
    exec(await A('add x0, sp, x1'), { x: { 1: 0x10n }, sp: 0x1000n }, { x: { 0: 0x1010n } });
    exec(await A('sub wsp, wsp, w1'), { x: { 1: 1n }, sp: 0x5_00000000n }, { sp: 0xffffffffn });
    exec(await A('cmp sp, x1'), { x: { 1: 0x1000n }, sp: 0x1000n }, { nzcv: 0b0110 });
    exec(await A('adds x0, sp, x1'), { x: { 1: 1n }, sp: 0xffffffffffffffffn }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(extWord(1, 0, 1, 1, 3, 0, 2, 31), { x: { 1: 1n, 2: 2n }, sp: 0x1000n }, { nzcv: 0 }); // cmn x2, x1: Rd XZR
    exec(extWord(1, 0, 0, 31, 3, 0, 2, 31), { x: { 2: 0x2000n }, sp: 0x1000n }, { sp: 0x2000n }); // add sp, x2, xzr
    exec(extWord(0, 0, 0, 31, 2, 0, 31, 0), { sp: 0x3_0000_0042n }, { x: { 0: 0x42n } }); // add w0, wsp, wzr
  });
  it('shift amounts 5-7 and opt != 00 are UNDEFINED', () => {
    for (const sh of [5, 6, 7]) expect(isUndef(extWord(1, 0, 0, 2, 0, sh, 1, 0))).toBe(true);
    expect(isUndef(extWord(1, 1, 1, 2, 7, 4, 1, 0))).toBe(false);
    for (const opt of [1, 2, 3]) expect(isUndef(extWord(1, 0, 0, 2, 0, 0, 1, 0) | (opt << 22))).toBe(true);
  });
});

// ---------------------------------------------------------------- add/subtract with carry

describe('ADC/ADCS/SBC/SBCS', () => {
  it('flags on overflow with the carry in, hand-derived', async () => {
    exec(await A('adcs x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('adcs x0, x1, x2'), { x: { 1: 0x7fffffffffffffffn, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0x8000000000000000n }, nzcv: 0b1001 });
    exec(await A('adcs x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 0xffffffffffffffffn }, nzcv: 0b0010 }, { x: { 0: 0xffffffffffffffffn }, nzcv: 0b1010 });
    exec(await A('sbcs x0, x1, x2'), { x: { 1: 0n, 2: 0n }, nzcv: 0b0000 }, { x: { 0: 0xffffffffffffffffn }, nzcv: 0b1000 });
    exec(await A('sbcs x0, x1, x2'), { x: { 1: 0n, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('sbcs x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 0n }, nzcv: 0b0000 }, { x: { 0: 0x7fffffffffffffffn }, nzcv: 0b0011 });
    exec(await A('adcs w0, w1, w2'), { x: { 1: 0x7fffffffn, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0x80000000n }, nzcv: 0b1001 });
    exec(await A('adcs w0, w1, w2'), { x: { 1: 0xffffffffn, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('sbcs w0, w1, w2'), { x: { 1: 0x80000000n, 2: 0n }, nzcv: 0b0000 }, { x: { 0: 0x7fffffffn }, nzcv: 0b0011 });
    exec(await A('adc x0, x1, x2'), { x: { 1: 0xffffffffn, 2: 0n }, nzcv: 0b0010 }, { x: { 0: 0x100000000n } });
    exec(await A('sbc w0, w1, w2'), { x: { 1: 0xffff_0000_0000_0005n, 2: 5n }, nzcv: 0b1101 }, { x: { 0: 0xffffffffn } });
    exec(await A('ngcs w0, w1'), { x: { 1: 0n }, nzcv: 0b0010 }, { x: { 0: 0n }, nzcv: 0b0110 });
  });
  it('agree with AddWithCarry for both carries, both widths', () => {
    const cases: BulkCase[] = [];
    for (const [name, op, S] of [['adc', 0, 0], ['adcs', 0, 1], ['sbc', 1, 0], ['sbcs', 1, 1]] as const) {
      for (const sf of [1, 0]) {
        const N = sf ? 64 : 32;
        const word = ((sf << 31) | (op << 30) | (S << 29) | (0b11010000 << 21) | (2 << 16) | (1 << 5) | 0) >>> 0;
        for (const cin of [0, 1]) {
          for (const a of V64) {
            for (const b of V_FEW) {
              const { r, nzcv } = op ? awc(a, ~b, BigInt(cin), N) : awc(a, b, BigInt(cin), N);
              const init = (cin << 1) | 0b1000;
              cases.push({ word, x: { 1: a, 2: b }, nzcv: init, want: { x: { 0: r }, nzcv: S ? nzcv : init }, label: `${name}/${N} C=${cin} ${a.toString(16)} ${b.toString(16)}` });
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('opcode2 != 000000 is UNDEFINED (no RMIF/SETF in ARMv8.0)', () => {
    const adc = ((1 << 31) | (0b11010000 << 21) | (2 << 16) | (1 << 5)) >>> 0;
    expect(isUndef(adc)).toBe(false);
    expect(isUndef(adc | (1 << 10))).toBe(true);
    expect(isUndef(adc | (1 << 15))).toBe(true);
  });
});

// ---------------------------------------------------------------- logical (shifted register)

describe('AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register)', () => {
  it('agree with ShiftReg (including ROR) for all eight, both widths', () => {
    const cases: BulkCase[] = [];
    const fs: [string, number, number, (a: bigint, b: bigint) => bigint][] = [
      ['and', 0, 0, (a, b) => a & b], ['bic', 0, 1, (a, b) => a & ~b], ['orr', 1, 0, (a, b) => a | b], ['orn', 1, 1, (a, b) => a | ~b],
      ['eor', 2, 0, (a, b) => a ^ b], ['eon', 2, 1, (a, b) => a ^ ~b], ['ands', 3, 0, (a, b) => a & b], ['bics', 3, 1, (a, b) => a & ~b],
    ];
    const vals = [0n, 0xffffffffffffffffn, 0x8000000000000001n, 0x123456789abcdef0n, 0x00000000ffffffffn, 0xf0f0f0f00f0f0f0fn];
    for (const [name, opc, Nb, f] of fs) {
      for (const sf of [1, 0]) {
        const N = sf ? 64 : 32;
        for (let type = 0; type < 4; type++) {
          for (const amt of sf ? [0, 1, 4, 31, 32, 63] : [0, 1, 4, 31]) {
            const word = sregWord(sf, LOGICAL(opc), type, Nb, 2, amt, 1, 0);
            for (const a of vals) {
              for (const b of vals) {
                const r = u(f(u(a, N), shiftReg(b, type, amt, N)), N);
                cases.push({ word, x: { 1: a, 2: b }, nzcv: 0b0011, want: { x: { 0: r }, nzcv: opc === 3 ? logicNZ(r, N) : 0b0011 }, label: `${name}/${N} sh${type} #${amt} ${a.toString(16)} ${b.toString(16)}` });
              }
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('MOV, MVN and TST aliases; Rd = 31 is XZR, not SP', async () => {
    exec(await A('mov x0, x1'), { x: { 1: 0xfedcba9876543210n } }, { x: { 0: 0xfedcba9876543210n } });
    exec(await A('mov w0, w1'), { x: { 0: 5n, 1: 0xfedcba9876543210n } }, { x: { 0: 0x76543210n } });
    exec(await A('mvn w0, w1, ror #4'), { x: { 1: 0x0000000f_0000000fn } }, { x: { 0: 0x0fffffffn } });
    exec(await A('tst x1, x2, lsr #63'), { x: { 1: 1n, 2: 0x8000000000000000n }, nzcv: 0b1011, sp: 0x1000n }, { nzcv: 0b0000 });
    exec(await A('tst w1, w2'), { x: { 1: 0x80000000n, 2: 0xffffffff_80000000n }, sp: 0x1000n }, { nzcv: 0b1000 });
    exec(await A('bics w0, w1, w2'), { x: { 1: 0xffffffff_0000ffffn, 2: 0xffffn }, nzcv: 0b0111 }, { x: { 0: 0n }, nzcv: 0b0100 });
    exec(await A('orr xzr, x1, x2'), { x: { 1: 1n, 2: 2n }, sp: 0x1000n }, {});
  });
  it('sf=0 with imm6>=32 is UNDEFINED', () => {
    expect(isUndef(sregWord(0, LOGICAL(1), 0, 0, 2, 32, 1, 0))).toBe(true);
    expect(isUndef(sregWord(0, LOGICAL(3), 3, 1, 2, 63, 1, 0))).toBe(true);
    expect(isUndef(sregWord(1, LOGICAL(3), 3, 1, 2, 63, 1, 0))).toBe(false);
  });
});

// ---------------------------------------------------------------- conditional compare

describe('CCMN/CCMP (register and immediate)', () => {
  it('every condition against every flag state, both widths', () => {
    const cases: BulkCase[] = [];
    const pairs: [bigint, bigint][] = [[5n, 5n], [0x8000000000000000n, 1n], [0x7fffffffn, 0xffffffff80000001n], [0n, 0x1fn]];
    for (const sf of [1, 0]) {
      const N = sf ? 64 : 32;
      for (const op of [0, 1]) {
        for (const imm of [0, 1]) {
          for (let cond = 0; cond < 16; cond++) {
            for (let flags = 0; flags < 16; flags += 3) {
              for (const [a, b0] of pairs) {
                const b = imm ? b0 & 0x1fn : b0;
                const word = ccWord(sf, op, imm, imm ? Number(b) : 2, cond, 1, 0b1010 ^ flags);
                const want = condHolds(cond, flags) ? (op ? awc(a, ~b, 1n, N) : awc(a, b, 0n, N)).nzcv : 0b1010 ^ flags;
                cases.push({ word, x: { 1: a, 2: b }, nzcv: flags, want: { nzcv: want }, label: `ccm${op ? 'p' : 'n'}/${N} imm=${imm} cond=${cond} flags=${flags}` });
              }
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('hand-derived', async () => {
    exec(await A('ccmp x1, x2, #0, eq'), { x: { 1: 3n, 2: 3n }, nzcv: 0b0100 }, { nzcv: 0b0110 });
    exec(await A('ccmp x1, x2, #0b1001, ne'), { x: { 1: 3n, 2: 3n }, nzcv: 0b0100 }, { nzcv: 0b1001 });
    exec(await A('ccmn w1, #1, #0, al'), { x: { 1: 0xffffffffn } }, { nzcv: 0b0110 });
    exec(await A('ccmp x1, #31, #0, al'), { x: { 1: 0n } }, { nzcv: 0b1000 });
  });
  it('o2 = 1, o3 = 1 and S = 0 are unallocated', () => {
    const w = ccWord(1, 1, 1, 3, 0, 1, 0);
    expect(isUndef(w)).toBe(false);
    expect(isUndef(w | (1 << 10))).toBe(true);
    expect(isUndef(w | (1 << 4))).toBe(true);
    expect(isUndef(w & ~(1 << 29))).toBe(true);
  });
});

// ---------------------------------------------------------------- conditional select

describe('CSEL/CSINC/CSINV/CSNEG', () => {
  it('every condition, both widths, wrap-around values', () => {
    const cases: BulkCase[] = [];
    const ops: [number, number, (m: bigint) => bigint][] = [[0, 0, (m) => m], [0, 1, (m) => m + 1n], [1, 0, (m) => ~m], [1, 1, (m) => -m]];
    const pairs: [bigint, bigint][] = [[0x1111n, 0xffffffffffffffffn], [0xaaaa_0000_0000_0001n, 0x8000000000000000n], [2n, 0x80000000n], [3n, 0x7fffffffffffffffn]];
    for (const sf of [1, 0]) {
      const N = sf ? 64 : 32;
      for (const [op, op2, f] of ops) {
        for (let cond = 0; cond < 16; cond++) {
          for (const flags of [0b0000, 0b0110, 0b1001, 0b1111, 0b0010, 0b1100]) {
            for (const [n, m] of pairs) {
              const want = condHolds(cond, flags) ? u(n, N) : u(f(u(m, N)), N);
              cases.push({ word: cselWord(sf, op, 2, cond, op2, 1, 0), x: { 1: n, 2: m }, nzcv: flags, want: { x: { 0: want } }, label: `cs ${op}${op2}/${N} cond=${cond} flags=${flags}` });
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('aliases: CSET, CSETM, CINC, CNEG', async () => {
    exec(await A('cset x0, eq'), { x: { 0: 7n }, nzcv: 0b0100 }, { x: { 0: 1n } });
    exec(await A('csetm w0, ne'), { x: { 0: 7n }, nzcv: 0b0000 }, { x: { 0: 0xffffffffn } });
    exec(await A('cinc x0, x1, hs'), { x: { 1: 0xffffffffffffffffn }, nzcv: 0b0010 }, { x: { 0: 0n } });
    exec(await A('cneg w0, w1, mi'), { x: { 1: 0xffffffff_00000001n }, nzcv: 0b1000 }, { x: { 0: 0xffffffffn } });
  });
  it('op2 = 1x and S = 1 are unallocated', () => {
    expect(isUndef(cselWord(1, 0, 2, 0, 2, 1, 0))).toBe(true);
    expect(isUndef(cselWord(0, 1, 2, 0, 3, 1, 0))).toBe(true);
    expect(isUndef(cselWord(1, 0, 2, 0, 0, 1, 0) | (1 << 29))).toBe(true);
  });
});

// ---------------------------------------------------------------- data processing (1 source)

function rbitRef(v: bigint, N: number): bigint {
  let r = 0n;
  for (let k = 0; k < N; k++) if ((v >> BigInt(k)) & 1n) r |= 1n << BigInt(N - 1 - k);
  return r;
}

/** Reverse the bytes within each `chunk`-byte container of an N-bit value. */
function revBytes(v: bigint, chunk: number, N: number): bigint {
  const bytes: bigint[] = [];
  for (let k = 0; k < N / 8; k++) bytes.push((v >> BigInt(8 * k)) & 0xffn);
  let r = 0n;
  for (let k = 0; k < N / 8; k++) {
    const base = Math.floor(k / chunk) * chunk;
    const src = base + (chunk - 1 - (k - base));
    r |= bytes[src] << BigInt(8 * k);
  }
  return r;
}

function clzRef(v: bigint, N: number): bigint {
  let k = 0;
  while (k < N && ((v >> BigInt(N - 1 - k)) & 1n) === 0n) k++;
  return BigInt(k);
}

function clsRef(v: bigint, N: number): bigint {
  const top = (v >> BigInt(N - 1)) & 1n;
  let k = 0;
  while (k < N - 1 && ((v >> BigInt(N - 2 - k)) & 1n) === top) k++;
  return BigInt(k);
}

describe('RBIT, REV16, REV32, REV, CLZ, CLS', () => {
  it('hand-derived edge cases', async () => {
    exec(await A('clz x0, x1'), { x: { 1: 0n } }, { x: { 0: 64n } });
    exec(await A('clz w0, w1'), { x: { 1: 0xffffffff_00000000n } }, { x: { 0: 32n } });
    exec(await A('cls x0, x1'), { x: { 1: 0n } }, { x: { 0: 63n } });
    exec(await A('cls x0, x1'), { x: { 1: 0xffffffffffffffffn } }, { x: { 0: 63n } });
    exec(await A('cls w0, w1'), { x: { 1: 0n } }, { x: { 0: 31n } });
    exec(await A('cls w0, w1'), { x: { 1: 0xffffffffn } }, { x: { 0: 31n } });
    exec(await A('cls x0, x1'), { x: { 1: 0x8000000000000000n } }, { x: { 0: 0n } });
    exec(await A('cls x0, x1'), { x: { 1: 0xffffffff_7fffffffn } }, { x: { 0: 31n } }); // bits 62..32 repeat the sign
    exec(await A('rev x0, x1'), { x: { 1: 0x0123456789abcdefn } }, { x: { 0: 0xefcdab8967452301n } });
    exec(await A('rev32 x0, x1'), { x: { 1: 0x0123456789abcdefn } }, { x: { 0: 0x67452301efcdab89n } });
    exec(await A('rev16 x0, x1'), { x: { 1: 0x0123456789abcdefn } }, { x: { 0: 0x23016745ab89efcdn } });
    exec(await A('rev w0, w1'), { x: { 1: 0x0123456789abcdefn } }, { x: { 0: 0xefcdab89n } });
    exec(await A('rev16 w0, w1'), { x: { 1: 0x0123456789abcdefn } }, { x: { 0: 0xab89efcdn } });
    exec(await A('rbit x0, x1'), { x: { 1: 1n } }, { x: { 0: 0x8000000000000000n } });
    exec(await A('rbit w0, w1'), { x: { 1: 0xffffffff_00000003n } }, { x: { 0: 0xc0000000n } });
  });
  it('agree with bitwise models over many values', () => {
    const vals: bigint[] = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x4000000000000000n, 0x00000000ffffffffn, 0x0000000080000000n,
      0x0123456789abcdefn, 0xc000000000000001n, 0x00000001_00000000n, 0x3fffffffffffffffn, 0xffffffff_c0000000n, 0x00000000_40000000n];
    for (let k = 0; k < 64; k++) vals.push(1n << BigInt(k), u(~(1n << BigInt(k))), ones(k), u(~ones(k)));
    const cases: BulkCase[] = [];
    for (const sf of [1, 0]) {
      const N = sf ? 64 : 32;
      const ops: [number, (v: bigint) => bigint][] = [
        [0, (v) => rbitRef(v, N)], [1, (v) => revBytes(v, 2, N)], [4, (v) => clzRef(v, N)], [5, (v) => clsRef(v, N)],
        ...(sf ? [[2, (v: bigint) => revBytes(v, 4, 64)], [3, (v: bigint) => revBytes(v, 8, 64)]] as [number, (v: bigint) => bigint][] : [[2, (v: bigint) => revBytes(v, 4, 32)]] as [number, (v: bigint) => bigint][]),
      ];
      for (const [opc, f] of ops) {
        for (const v of vals) cases.push({ word: dp1Word(sf, opc, 1, 0), x: { 1: v }, want: { x: { 0: f(u(v, N)) } }, label: `dp1 ${opc}/${N} ${v.toString(16)}` });
      }
    }
    bulk(cases);
  });
  it('REV with sf=0 opc=000011, opcode2 != 0 and S = 1 are unallocated', () => {
    expect(isUndef(dp1Word(0, 3, 1, 0))).toBe(true);
    expect(isUndef(dp1Word(1, 3, 1, 0))).toBe(false);
    expect(isUndef(dp1Word(1, 6, 1, 0))).toBe(true);
    expect(isUndef(dp1Word(1, 0, 1, 0) | (1 << 16))).toBe(true); // opcode2 = 00001 (PAC in later versions)
    expect(isUndef(dp1Word(1, 0, 1, 0) | (1 << 29))).toBe(true);
  });
});

// ---------------------------------------------------------------- data processing (2 source)

/** CRC32 exactly as the Arm ARM pseudocode: BitReverse, append zeros, Poly32Mod2, BitReverse. */
function crcArm(acc: bigint, val: bigint, size: number, c: boolean): bigint {
  const poly = c ? 0x1edc6f41n : 0x04c11db7n;
  const tempacc = rbitRef(u(acc, 32), 32) << BigInt(size);
  const tempval = rbitRef(u(val, size), size) << 32n;
  let data = tempacc ^ tempval; // size + 32 bits
  for (let i = size + 31; i >= 32; i--) {
    if ((data >> BigInt(i)) & 1n) data ^= (poly | (1n << 32n)) << BigInt(i - 32);
  }
  return rbitRef(data & 0xffffffffn, 32);
}

describe('UDIV, SDIV', () => {
  it('division by zero gives 0; INT_MIN / -1 gives INT_MIN; truncation toward zero', async () => {
    exec(await A('udiv x0, x1, x2'), { x: { 1: 1234n, 2: 0n } }, { x: { 0: 0n } });
    exec(await A('sdiv x0, x1, x2'), { x: { 1: 1234n, 2: 0n } }, { x: { 0: 0n } });
    exec(await A('udiv w0, w1, w2'), { x: { 1: 1234n, 2: 0x1_00000000n } }, { x: { 0: 0n } });
    exec(await A('sdiv w0, w1, w2'), { x: { 1: 1234n, 2: 0xffffffff_00000000n } }, { x: { 0: 0n } });
    exec(await A('sdiv x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 0xffffffffffffffffn } }, { x: { 0: 0x8000000000000000n } });
    exec(await A('sdiv w0, w1, w2'), { x: { 1: 0x80000000n, 2: 0xffffffffn } }, { x: { 0: 0x80000000n } });
    exec(await A('sdiv x0, x1, x2'), { x: { 1: u(-7n), 2: 2n } }, { x: { 0: u(-3n) } });
    exec(await A('sdiv w0, w1, w2'), { x: { 1: 7n, 2: 0xfffffffen } }, { x: { 0: 0xfffffffdn } });
    exec(await A('udiv x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 3n } }, { x: { 0: 0x5555555555555555n } });
    exec(await A('udiv w0, w1, w2'), { x: { 1: 0xffffffffn, 2: 0xffff_ffff_0000_0002n } }, { x: { 0: 0x7fffffffn } });
  });
  it('agree with BigInt division over a table, both widths', () => {
    const vals = [...V64, 3n, 7n, 10n, u(-3n), u(-7n), 0x0020000000000001n, 0x001fffffffffffffn, 0xfffffffffffffff0n, 0x8000000000000003n, 0x1_00000001n];
    const cases: BulkCase[] = [];
    for (const sf of [1, 0]) {
      const N = sf ? 64 : 32;
      for (const a of vals) {
        for (const b of vals) {
          const ua = u(a, N), ub = u(b, N), sa = s(a, N), sb = s(b, N);
          const uq = ub === 0n ? 0n : ua / ub;
          const sq = sb === 0n ? 0n : u(sa / sb, N); // BigInt division truncates toward zero, as the Arm ARM's RoundTowardsZero
          cases.push({ word: dp2Word(sf, 2, 0b000010, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: uq } }, label: `udiv/${N} ${a.toString(16)} ${b.toString(16)}` });
          cases.push({ word: dp2Word(sf, 2, 0b000011, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: sq } }, label: `sdiv/${N} ${a.toString(16)} ${b.toString(16)}` });
        }
      }
    }
    bulk(cases);
  });
});

describe('LSLV, LSRV, ASRV, RORV', () => {
  it('shift amounts are taken modulo the width', () => {
    const amts = [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n, 127n, 0xffffffff_ffffffc1n, 0x1_00000020n, 0xffffffffn];
    const vals = [0x8123456789abcdefn, 0x0123456789abcdefn, 0xffffffffffffffffn, 1n];
    const cases: BulkCase[] = [];
    for (const sf of [1, 0]) {
      const N = sf ? 64 : 32;
      for (let type = 0; type < 4; type++) {
        for (const amt of amts) {
          for (const v of vals) {
            const want = shiftReg(v, type, Number(amt % BigInt(N)), N);
            cases.push({ word: dp2Word(sf, 2, 0b001000 | type, 1, 0), x: { 1: v, 2: amt }, want: { x: { 0: want } }, label: `shiftv ${type}/${N} ${amt}` });
          }
        }
      }
    }
    bulk(cases);
  });
  it('hand-derived', async () => {
    exec(await A('lsl x0, x1, x2'), { x: { 1: 1n, 2: 64n } }, { x: { 0: 1n } });
    exec(await A('lsr w0, w1, w2'), { x: { 1: 0xffffffff_80000000n, 2: 63n } }, { x: { 0: 1n } });
    exec(await A('asr x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 63n } }, { x: { 0: 0xffffffffffffffffn } });
    exec(await A('ror w0, w1, w2'), { x: { 1: 1n, 2: 33n } }, { x: { 0: 0x80000000n } });
  });
});

describe('CRC32, CRC32C', () => {
  const bytes = new TextEncoder().encode('123456789');
  const le = (from: number, n: number): bigint => { let v = 0n; for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[from + k]); return v; };
  it('"123456789" gives the published check values 0xCBF43926 and 0xE3069283', async () => {
    for (const [c, check] of [['', 0xcbf43926n], ['c', 0xe3069283n]] as const) {
      // X (bytes 0-7) then B (byte 8)
      exec([await A(`crc32${c}x w0, w0, x1`), await A(`crc32${c}b w0, w0, w2`), await A('mvn w0, w0')],
        { x: { 0: 0xffffffffn, 1: le(0, 8), 2: le(8, 1) } }, { x: { 0: check } });
      // W (0-3), H (4-5), B (6), B (7), H would overrun: B (8)
      exec([await A(`crc32${c}w w0, w0, w1`), await A(`crc32${c}h w0, w0, w2`), await A(`crc32${c}b w0, w0, w3`), await A(`crc32${c}b w0, w0, w4`), await A(`crc32${c}b w0, w0, w5`), await A('mvn w0, w0')],
        { x: { 0: 0xffffffffn, 1: 0xdead0000_00000000n | le(0, 4), 2: 0xffff0000n | le(4, 2), 3: 0xffffff00n | le(6, 1), 4: le(7, 1), 5: le(8, 1) } }, { x: { 0: check } });
    }
  });
  it('agree with the Arm ARM pseudocode (Poly32Mod2) for every size', () => {
    const cases: BulkCase[] = [];
    const accs = [0n, 0xffffffffn, 0x12345678n, 0xffffffff_87654321n];
    const vals = [0n, 0xffffffffffffffffn, 0x0123456789abcdefn, 0x8000000000000001n];
    for (const c of [0, 1]) {
      for (let sz = 0; sz < 4; sz++) {
        const size = 8 << sz;
        const word = dp2Word(sz === 3 ? 1 : 0, 2, 0b010000 | (c << 2) | sz, 1, 0);
        for (const a of accs) for (const v of vals) {
          cases.push({ word, x: { 1: a, 2: v }, want: { x: { 0: crcArm(a, v, size, c === 1) } }, label: `crc32${c ? 'c' : ''} size ${size}` });
        }
      }
    }
    bulk(cases);
  });
  it('sf must be 1 exactly for the X forms', () => {
    for (const c of [0, 1]) {
      for (let sz = 0; sz < 4; sz++) {
        const opcode = 0b010000 | (c << 2) | sz;
        expect(isUndef(dp2Word(sz === 3 ? 1 : 0, 2, opcode, 1, 0))).toBe(false);
        expect(isUndef(dp2Word(sz === 3 ? 0 : 1, 2, opcode, 1, 0))).toBe(true);
      }
    }
  });
  it('other 2-source opcodes and S = 1 are unallocated', () => {
    for (const opc of [0, 1, 4, 5, 6, 7, 0b001100, 0b011000, 0b100000, 0b111111]) expect(isUndef(dp2Word(1, 2, opc, 1, 0))).toBe(true);
    expect(isUndef(dp2Word(1, 2, 2, 1, 0) | (1 << 29))).toBe(true);
  });
});

// ---------------------------------------------------------------- data processing (3 source)

describe('MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH', () => {
  it('hand-derived', async () => {
    exec(await A('mul x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 0xffffffffffffffffn } }, { x: { 0: 1n } });
    exec(await A('madd w0, w1, w2, w3'), { x: { 1: 0x10000n, 2: 0x10000n, 3: 0xffff_ffff_0000_0005n } }, { x: { 0: 5n } });
    exec(await A('mneg x0, x1, x2'), { x: { 1: 3n, 2: 5n } }, { x: { 0: u(-15n) } });
    exec(await A('smull x0, w1, w2'), { x: { 1: 0x80000000n, 2: 0x80000000n } }, { x: { 0: 0x4000000000000000n } });
    exec(await A('umull x0, w1, w2'), { x: { 1: 0xffffffffn, 2: 0xffffffffn } }, { x: { 0: 0xfffffffe00000001n } });
    exec(await A('smulh x0, x1, x2'), { x: { 1: 0x8000000000000000n, 2: 0x8000000000000000n } }, { x: { 0: 0x4000000000000000n } });
    exec(await A('smulh x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 1n } }, { x: { 0: 0xffffffffffffffffn } });
    exec(await A('umulh x0, x1, x2'), { x: { 1: 0xffffffffffffffffn, 2: 0xffffffffffffffffn } }, { x: { 0: 0xfffffffffffffffen } });
  });
  it('agree with BigInt products over a table', () => {
    const vals = [...V64, 3n, u(-3n), 0xdeadbeefcafebaben, 0x00000000_ffff0001n];
    const cases: BulkCase[] = [];
    const acc = 0x0f0f0f0f_f0f0f0f0n;
    for (const a of vals) {
      for (const b of vals) {
        const ab = a * b;
        cases.push({ word: dp3Word(1, 0, 0, 2, 0, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc + ab) } }, label: 'madd x' });
        cases.push({ word: dp3Word(1, 0, 0, 2, 0, 31, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: u(ab) } }, label: 'mul x' });
        cases.push({ word: dp3Word(1, 0, 0, 2, 1, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc - ab) } }, label: 'msub x' });
        cases.push({ word: dp3Word(0, 0, 0, 2, 0, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc + ab, 32) } }, label: 'madd w' });
        cases.push({ word: dp3Word(0, 0, 0, 2, 0, 31, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: u(ab, 32) } }, label: 'mul w' });
        cases.push({ word: dp3Word(0, 0, 0, 2, 1, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc - ab, 32) } }, label: 'msub w' });
        const sp = s(a, 32) * s(b, 32), up = u(a, 32) * u(b, 32);
        cases.push({ word: dp3Word(1, 0, 1, 2, 0, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc + sp) } }, label: 'smaddl' });
        cases.push({ word: dp3Word(1, 0, 1, 2, 1, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc - sp) } }, label: 'smsubl' });
        cases.push({ word: dp3Word(1, 0, 5, 2, 0, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc + up) } }, label: 'umaddl' });
        cases.push({ word: dp3Word(1, 0, 5, 2, 1, 3, 1, 0), x: { 1: a, 2: b, 3: acc }, want: { x: { 0: u(acc - up) } }, label: 'umsubl' });
        cases.push({ word: dp3Word(1, 0, 2, 2, 0, 31, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: u((s(a) * s(b)) >> 64n) } }, label: `smulh ${a.toString(16)} ${b.toString(16)}` });
        cases.push({ word: dp3Word(1, 0, 6, 2, 0, 31, 1, 0), x: { 1: a, 2: b }, want: { x: { 0: u((a * b) >> 64n) } }, label: `umulh ${a.toString(16)} ${b.toString(16)}` });
      }
    }
    // Ra = Rd: the accumulator is read before the write
    cases.push({ word: dp3Word(1, 0, 0, 2, 0, 0, 1, 0), x: { 0: 10n, 1: 3n, 2: 4n }, want: { x: { 0: 22n } }, label: 'madd x0, x1, x2, x0' });
    bulk(cases);
  });
  it('unallocated op54/op31/o0 combinations and 32-bit long forms are UNDEFINED', () => {
    expect(isUndef(dp3Word(0, 0, 1, 2, 0, 3, 1, 0))).toBe(true); // smaddl with sf=0
    expect(isUndef(dp3Word(0, 0, 5, 2, 1, 3, 1, 0))).toBe(true); // umsubl with sf=0
    expect(isUndef(dp3Word(0, 0, 2, 2, 0, 31, 1, 0))).toBe(true); // smulh with sf=0
    expect(isUndef(dp3Word(1, 0, 2, 2, 1, 31, 1, 0))).toBe(true); // smulh with o0=1
    expect(isUndef(dp3Word(1, 0, 6, 2, 1, 31, 1, 0))).toBe(true); // umulh with o0=1
    for (const op31 of [3, 4, 7]) expect(isUndef(dp3Word(1, 0, op31, 2, 0, 3, 1, 0))).toBe(true);
    for (const op54 of [1, 2, 3]) expect(isUndef(dp3Word(1, op54, 0, 2, 0, 3, 1, 0))).toBe(true);
    expect(isUndef(dp3Word(1, 0, 2, 2, 0, 5, 1, 0))).toBe(false); // Ra should-be-one: ignored
  });
});

describe('udiv64/sdiv64 helpers against BigInt', () => {
  it('agree on large dividends with small, medium (below and just above 2^32) and large divisors', async () => {
    const { udiv64, sdiv64, R, LO, HI, toBigInt } = await import('../../emu/cpu/int64.js');
    let x = 0x9e3779b97f4a7c15n;
    const next = () => { x = BigInt.asUintN(64, x * 6364136223846793005n + 1442695040888963407n); return x; };
    const split = (v: bigint) => [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0] as const;
    for (let k = 0; k < 3000; k++) {
      const a = next();
      const b = [next() & 0xfn, next() & 0x1fffffn, next() & 0x3fffffn, next() & 0xffffffffn, 0xffffffffn - (next() & 7n),
        next() >> 31n, next() >> 20n, next()][k % 8] || 1n;
      const [al, ah] = split(a), [bl, bh] = split(b);
      udiv64(al, ah, bl, bh);
      expect(toBigInt(R[LO], R[HI])).toBe(a / b);
      sdiv64(al, ah, bl, bh);
      const sa = BigInt.asIntN(64, a), sb = BigInt.asIntN(64, b);
      expect(BigInt.asIntN(64, toBigInt(R[LO], R[HI]))).toBe(BigInt.asIntN(64, sa / sb));
    }
  });
});
