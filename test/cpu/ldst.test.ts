// Loads and stores of general registers: every addressing form, extension, literal, pairs, SP as base,
// the SIMD&FP trap, and the decode table's rows. Encodings come from keystone (or are built by hand
// where keystone refuses a CONSTRAINED UNPREDICTABLE form); expected values are computed here.

import { describe, it, expect, beforeAll } from 'vitest';
import { machineWith, setX, getX, CODE, SCRATCH, sysr, execMem, Mem } from '../harness.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { LDST } from '../../emu/cpu/a64/ldst.js';
import { A64_TABLE } from '../../emu/cpu/a64/index.js';
import { compileEncoding, overlaps } from '../../emu/cpu/decoder.js';

// ---------------------------------------------------------------- helpers

const S = SCRATCH;
const M64 = (1n << 64n) - 1n;

const run = execMem;

/** ESR_EL1 fields of the last exception. */
function esr(c: Cpu): { ec: number; iss: number; il: number } {
  const v = Number(sysr(c, 'ESR_EL1'));
  return { ec: v >>> 26, iss: v & 0x1ffffff, il: (v >>> 25) & 1 };
}

const sx = (v: bigint, bits: number) => BigInt.asUintN(64, BigInt.asIntN(bits, v));
const zx = (v: bigint, bits: number) => BigInt.asUintN(bits, v);

let A: (src: string, addr?: number) => Promise<number>;
beforeAll(async () => {
  A = async (src, addr = CODE) => (await assembleWords(src, addr))[0];
});

const D1 = 0x8877665544332211n;
const D2 = 0xf0e0d0c0b0a09080n;
const GARBAGE = 0xaaaa_aaaa_aaaa_aaaan;

// ---------------------------------------------------------------- addressing forms

describe('single register: addressing forms', () => {
  it('unsigned offset is scaled by the size, up to imm12 = 4095', async () => {
    run([await A('ldr x1, [x2, #24]')], { x: { 2: BigInt(S) }, mem: [[S + 24, 8, D1]] }, { x: { 1: D1 } });
    run([await A('ldr x1, [x2, #32760]')], { x: { 2: BigInt(S) }, mem: [[S + 32760, 8, D2]] }, { x: { 1: D2 } });
    run([await A('ldr w1, [x2, #16380]')], { x: { 1: GARBAGE, 2: BigInt(S) }, mem: [[S + 16380, 4, 0x9abcdef0n]] }, { x: { 1: 0x9abcdef0n } });
    run([await A('ldrh w1, [x2, #8190]')], { x: { 2: BigInt(S) }, mem: [[S + 8190, 2, 0xbeefn]] }, { x: { 1: 0xbeefn } });
    run([await A('ldrb w1, [x2, #4095]')], { x: { 2: BigInt(S) }, mem: [[S + 4095, 1, 0xc3n]] }, { x: { 1: 0xc3n } });
    run([await A('str x1, [x2, #8]')], { x: { 1: D1, 2: BigInt(S) } }, { mem: [[S + 8, 8, D1]] });
  });

  it('unscaled LDUR/STUR take a signed 9-bit byte offset and any alignment', async () => {
    run([await A('ldur x1, [x2, #-256]')], { x: { 2: BigInt(S) }, mem: [[S - 256, 8, D1]] }, { x: { 1: D1 } });
    run([await A('ldur x1, [x2, #3]')], { x: { 2: BigInt(S) }, mem: [[S + 3, 8, D2]] }, { x: { 1: D2 } });
    run([await A('stur w1, [x2, #255]')], { x: { 1: D1, 2: BigInt(S) }, mem: [[S + 254, 1, 0x5an], [S + 259, 1, 0xa5n]] },
      { mem: [[S + 255, 4, D1 & 0xffffffffn], [S + 254, 1, 0x5an], [S + 259, 1, 0xa5n]] });
  });

  it('pre-index writes the new address back to the base', async () => {
    run([await A('ldr x1, [x2, #-16]!')], { x: { 2: BigInt(S) }, mem: [[S - 16, 8, D1]] }, { x: { 1: D1, 2: BigInt(S - 16) } });
    run([await A('str w1, [x2, #255]!')], { x: { 1: 0x11223344n, 2: BigInt(S) } }, { x: { 2: BigInt(S + 255) }, mem: [[S + 255, 4, 0x11223344n]] });
    run([await A('ldrsb x1, [x2, #-1]!')], { x: { 2: BigInt(S) }, mem: [[S - 1, 1, 0x80n]] }, { x: { 1: sx(0x80n, 8), 2: BigInt(S - 1) } });
  });

  it('post-index accesses the old address, then adds the offset to the base', async () => {
    run([await A('ldr x1, [x2], #-256')], { x: { 2: BigInt(S) }, mem: [[S, 8, D2]] }, { x: { 1: D2, 2: BigInt(S - 256) } });
    run([await A('strh w1, [x2], #2')], { x: { 1: 0x12345n, 2: BigInt(S) } }, { x: { 2: BigInt(S + 2) }, mem: [[S, 2, 0x2345n]] });
    run([await A('ldrsw x1, [x2], #4')], { x: { 2: BigInt(S) }, mem: [[S, 4, 0x80000000n]] }, { x: { 1: sx(0x80000000n, 32), 2: BigInt(S + 4) } });
  });

  it('register offset: LSL by the size, UXTW, SXTW, SXTX, and no shift', async () => {
    run([await A('ldr x1, [x2, x3, lsl #3]')], { x: { 2: BigInt(S), 3: 5n }, mem: [[S + 40, 8, D1]] }, { x: { 1: D1 } });
    run([await A('ldr x1, [x2, x3]')], { x: { 2: BigInt(S), 3: -8n & M64 }, mem: [[S - 8, 8, D2]] }, { x: { 1: D2 } });
    // UXTW ignores the upper half of Xm.
    run([await A('ldr w1, [x2, w3, uxtw #2]')], { x: { 2: BigInt(S), 3: 0xdead_0000_0003n }, mem: [[S + 12, 4, 0xcafef00dn]] },
      { x: { 1: 0xcafef00dn } });
    // SXTW sign-extends W3 (and also ignores the upper half).
    run([await A('ldrsw x1, [x2, w3, sxtw #2]')], { x: { 2: BigInt(S), 3: 0x1234_5678_ffff_fffen }, mem: [[S - 8, 4, 0x7fffffffn]] },
      { x: { 1: 0x7fffffffn } });
    run([await A('ldrh w1, [x2, x3, sxtx #1]')], { x: { 2: BigInt(S), 3: -3n & M64 }, mem: [[S - 6, 2, 0xfeedn]] }, { x: { 1: 0xfeedn } });
    run([await A('ldrb w1, [x2, w3, sxtw]')], { x: { 2: BigInt(S), 3: 0xffff_ffffn }, mem: [[S - 1, 1, 0x42n]] }, { x: { 1: 0x42n } });
    // For bytes, S = 1 ("lsl #0") still shifts by 0.
    run([await A('ldrb w1, [x2, x3, lsl #0]')], { x: { 2: BigInt(S), 3: 7n }, mem: [[S + 7, 1, 0x99n]] }, { x: { 1: 0x99n } });
    run([await A('str x1, [x2, w3, uxtw #3]')], { x: { 1: D1, 2: BigInt(S), 3: 2n } }, { mem: [[S + 16, 8, D1]] });
    // Xm = XZR reads as zero.
    run([await A('ldr x1, [x2, xzr]')], { x: { 2: BigInt(S) }, mem: [[S, 8, D1]] }, { x: { 1: D1 } });
  });

  it('register offset with option<1> = 0 (UXTB, UXTH, SXTB, SXTH) is UNDEFINED', async () => {
    const base = await A('ldr x1, [x2, x3, lsl #3]');
    for (const option of [0b000, 0b001, 0b100, 0b101]) {
      const w = (base & ~(7 << 13)) | (option << 13);
      const c = run([w], { x: { 2: BigInt(S) }, mem: [[S, 8, D1]] }, { pc: 0x200n });
      expect(esr(c).ec).toBe(0);
    }
  });

  it('unprivileged LDTR/STTR forms act as ordinary accesses with the MMU off', async () => {
    run([await A('ldtr x1, [x2, #8]')], { x: { 2: BigInt(S) }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 } });
    run([await A('sttrb w1, [x2, #-1]')], { x: { 1: 0x1ffn, 2: BigInt(S) } }, { mem: [[S - 1, 1, 0xffn]] });
    run([await A('ldtrsh x1, [x2]')], { x: { 2: BigInt(S) }, mem: [[S, 2, 0x8001n]] }, { x: { 1: sx(0x8001n, 16) } });
    run([await A('ldtrsw x1, [x2, #4]')], { x: { 2: BigInt(S) }, mem: [[S + 4, 4, 0xfffffff0n]] }, { x: { 1: sx(0xfffffff0n, 32) } });
  });

  it('XZR as Rt: a store writes zero, a load discards', async () => {
    run([await A('str xzr, [x2]')], { x: { 2: BigInt(S) }, mem: [[S, 8, D1]] }, { mem: [[S, 8, 0n]] });
    run([await A('ldr xzr, [x2]')], { x: { 2: BigInt(S) }, mem: [[S, 8, D1]] }, {});
  });

  it('unallocated size/opc combinations are UNDEFINED', async () => {
    // LDR (unsigned offset) with size = 10, opc = 11, and size = 11, opc = 11.
    for (const w of [0xb9c00041, 0xf9c00041]) {
      const c = run([w], { x: { 2: BigInt(S) } }, { pc: 0x200n });
      expect(esr(c).ec).toBe(0);
    }
    // PRFM has no pre-index form: size = 11, opc = 10, bits 11:10 = 11.
    const c = run([0xf8800c40], { x: { 2: BigInt(S) } }, { pc: 0x200n });
    expect(esr(c).ec).toBe(0);
  });

  it('PRFM in every form changes nothing', async () => {
    for (const src of ['prfm pldl1keep, [x2, #8]', 'prfum pstl2strm, [x2, #-3]', 'prfm pldl1keep, [x2, x3, lsl #3]']) {
      run([await A(src)], { x: { 2: 0n, 3: 5n } }, { pc: BigInt(CODE + 4) }); // even at an unmapped address
    }
  });
});

// ---------------------------------------------------------------- extension

describe('sign and zero extension of each load size', () => {
  const cases: [string, number, bigint, (v: bigint) => bigint][] = [
    ['ldrb w1, [x2]', 1, 0x80n, (v) => zx(v, 8)],
    ['ldrb w1, [x2]', 1, 0x7fn, (v) => zx(v, 8)],
    ['ldrsb w1, [x2]', 1, 0x80n, (v) => zx(BigInt.asUintN(32, BigInt.asIntN(8, v)), 32)],
    ['ldrsb w1, [x2]', 1, 0x7fn, (v) => v],
    ['ldrsb x1, [x2]', 1, 0x80n, (v) => sx(v, 8)],
    ['ldrsb x1, [x2]', 1, 0x7fn, (v) => sx(v, 8)],
    ['ldrh w1, [x2]', 2, 0x8001n, (v) => v],
    ['ldrsh w1, [x2]', 2, 0x8001n, (v) => BigInt.asUintN(32, BigInt.asIntN(16, v))],
    ['ldrsh w1, [x2]', 2, 0x7ffen, (v) => v],
    ['ldrsh x1, [x2]', 2, 0x8001n, (v) => sx(v, 16)],
    ['ldrsh x1, [x2]', 2, 0x1234n, (v) => sx(v, 16)],
    ['ldr w1, [x2]', 4, 0x80000001n, (v) => v],
    ['ldrsw x1, [x2]', 4, 0x80000001n, (v) => sx(v, 32)],
    ['ldrsw x1, [x2]', 4, 0x7fffffffn, (v) => sx(v, 32)],
    ['ldr x1, [x2]', 8, 0xffffffff00000001n, (v) => v],
  ];
  for (const [src, bytes, v, f] of cases) {
    it(`${src} of 0x${v.toString(16)}`, async () => {
      run([await A(src)], { x: { 1: GARBAGE, 2: BigInt(S) }, mem: [[S, 8, 0x5555_5555_5555_5555n], [S, bytes, v]] }, { x: { 1: f(v) } });
    });
  }

  it('stores write only their size', async () => {
    const around: Mem = [[S - 8, 8, 0x1111111111111111n], [S, 8, 0x2222222222222222n], [S + 8, 8, 0x3333333333333333n]];
    run([await A('strb w1, [x2]')], { x: { 1: D2, 2: BigInt(S) }, mem: around }, { mem: [[S, 8, 0x2222222222222280n], [S - 8, 8, 0x1111111111111111n]] });
    run([await A('strh w1, [x2]')], { x: { 1: D2, 2: BigInt(S) }, mem: around }, { mem: [[S, 8, 0x2222222222229080n]] });
    run([await A('str w1, [x2]')], { x: { 1: D2, 2: BigInt(S) }, mem: around }, { mem: [[S, 8, 0x22222222b0a09080n], [S + 8, 8, 0x3333333333333333n]] });
    run([await A('str x1, [x2]')], { x: { 1: D2, 2: BigInt(S) }, mem: around }, { mem: [[S, 8, D2], [S + 8, 8, 0x3333333333333333n]] });
  });
});

// ---------------------------------------------------------------- literal

describe('literal loads', () => {
  it('LDR X forward and backward', async () => {
    const lo = Number(D1 & 0xffffffffn), hi = Number(D1 >> 32n);
    run([await A(`ldr x1, #${CODE + 8}`), 0xd503201f, lo, hi], {}, { x: { 1: D1 } }, 0, 1);
    run([lo, hi, await A(`ldr x1, #${CODE}`, CODE + 8)], {}, { x: { 1: D1 } }, 2, 1);
  });
  it('LDR W zero-extends, LDRSW sign-extends', async () => {
    run([await A(`ldr w1, #${CODE + 4}`), 0x80000002], { x: { 1: GARBAGE } }, { x: { 1: 0x80000002n } }, 0, 1);
    run([await A(`ldrsw x1, #${CODE + 4}`), 0x80000002], {}, { x: { 1: sx(0x80000002n, 32) } }, 0, 1);
  });
  it('PRFM (literal) is a hint', async () => {
    run([await A(`prfm pldl1keep, #${CODE + 0x1000}`)], {}, { pc: BigInt(CODE + 4) });
  });
});

// ---------------------------------------------------------------- pairs

describe('load/store pair', () => {
  it('STP/LDP X with signed offset', async () => {
    run([await A('stp x1, x2, [x3, #16]')], { x: { 1: D1, 2: D2, 3: BigInt(S) } }, { mem: [[S + 16, 8, D1], [S + 24, 8, D2]] });
    run([await A('ldp x1, x2, [x3, #-512]')], { x: { 3: BigInt(S) }, mem: [[S - 512, 8, D1], [S - 504, 8, D2]] }, { x: { 1: D1, 2: D2 } });
    run([await A('ldp x1, x2, [x3, #504]')], { x: { 3: BigInt(S) }, mem: [[S + 504, 8, D2], [S + 512, 8, D1]] }, { x: { 1: D2, 2: D1 } });
  });
  it('STP/LDP W: 4-byte elements, upper halves cleared', async () => {
    run([await A('stp w1, w2, [x3, #-256]')], { x: { 1: D1, 2: D2, 3: BigInt(S) } }, { mem: [[S - 256, 8, ((D2 & 0xffffffffn) << 32n) | (D1 & 0xffffffffn)]] });
    run([await A('ldp w1, w2, [x3, #252]')], { x: { 1: GARBAGE, 2: GARBAGE, 3: BigInt(S) }, mem: [[S + 252, 8, D2]] },
      { x: { 1: D2 & 0xffffffffn, 2: D2 >> 32n } });
  });
  it('pre- and post-index pairs write the base back', async () => {
    run([await A('stp x1, x2, [x3, #-32]!')], { x: { 1: D1, 2: D2, 3: BigInt(S) } }, { x: { 3: BigInt(S - 32) }, mem: [[S - 32, 8, D1], [S - 24, 8, D2]] });
    run([await A('ldp x1, x2, [x3], #48')], { x: { 3: BigInt(S) }, mem: [[S, 8, D1], [S + 8, 8, D2]] }, { x: { 1: D1, 2: D2, 3: BigInt(S + 48) } });
    run([await A('ldp w1, w2, [x3, #8]!')], { x: { 3: BigInt(S) }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 & 0xffffffffn, 2: D1 >> 32n, 3: BigInt(S + 8) } });
  });
  it('LDPSW sign-extends both words, in all three forms', async () => {
    const mem: Mem = [[S, 4, 0x80000000n], [S + 4, 4, 0x7fffffffn], [S + 8, 4, 0xfffffffen], [S + 12, 4, 1n]];
    run([await A('ldpsw x1, x2, [x3]')], { x: { 3: BigInt(S) }, mem }, { x: { 1: sx(0x80000000n, 32), 2: 0x7fffffffn } });
    run([await A('ldpsw x1, x2, [x3, #8]!')], { x: { 3: BigInt(S) }, mem }, { x: { 1: sx(0xfffffffen, 32), 2: 1n, 3: BigInt(S + 8) } });
    run([await A('ldpsw x1, x2, [x3], #-8')], { x: { 3: BigInt(S) }, mem }, { x: { 1: sx(0x80000000n, 32), 2: 0x7fffffffn, 3: BigInt(S - 8) } });
  });
  it('LDNP/STNP behave as the signed-offset forms', async () => {
    run([await A('stnp x1, x2, [x3, #-16]')], { x: { 1: D1, 2: D2, 3: BigInt(S) } }, { mem: [[S - 16, 8, D1], [S - 8, 8, D2]] });
    run([await A('ldnp w1, w2, [x3, #4]')], { x: { 3: BigInt(S) }, mem: [[S + 4, 8, D1]] }, { x: { 1: D1 & 0xffffffffn, 2: D1 >> 32n } });
  });
  it('LDP with Rt == Rt2 keeps the value from the lower address (our CONSTRAINED UNPREDICTABLE choice)', () => {
    // ldp x1, x1, [x3]: opc 10, 101 0 010 1, imm7 0, Rt2 1, Rn 3, Rt 1.
    const w = (0b10 << 30) | (0b1010010 << 23) | (1 << 22) | (1 << 10) | (3 << 5) | 1;
    run([w], { x: { 3: BigInt(S) }, mem: [[S, 8, D1], [S + 8, 8, D2]] }, { x: { 1: D1 } });
  });
  it('unallocated pair encodings are UNDEFINED (opc = 11; STGP slot opc = 01, L = 0)', () => {
    for (const w of [0xe9400441, 0x69000441]) {
      const c = run([w], { x: { 2: BigInt(S) } }, { pc: 0x200n });
      expect(esr(c).ec).toBe(0);
    }
  });
});

// ---------------------------------------------------------------- writeback overlap

describe('writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE, QEMU behaviour)', () => {
  it('a load leaves the written-back address in the base', () => {
    // ldr x2, [x2], #8: size 11, 111 0 00 01 0 imm9 01 Rn Rt.
    const w = (0b11 << 30) | (0b111000010 << 21) | (8 << 12) | (0b01 << 10) | (2 << 5) | 2;
    run([w], { x: { 2: BigInt(S) }, mem: [[S, 8, D1]] }, { x: { 2: BigInt(S + 8) } });
  });
  it('a store stores the original register value', () => {
    // str x2, [x2, #-8]!: size 11, 111 0 00 00 0 imm9(-8) 11 Rn Rt.
    const w = (0b11 << 30) | (0b111000000 << 21) | ((-8 & 0x1ff) << 12) | (0b11 << 10) | (2 << 5) | 2;
    run([w], { x: { 2: BigInt(S) } }, { x: { 2: BigInt(S - 8) }, mem: [[S - 8, 8, BigInt(S)]] });
  });
  it('STP with writeback stores the original values', () => {
    // stp x2, x3, [x2, #16]!: opc 10, 101 0 011 0, imm7 2, Rt2 3, Rn 2, Rt 2.
    const w = (0b10 << 30) | (0b1010011 << 23) | (2 << 15) | (3 << 10) | (2 << 5) | 2;
    run([w], { x: { 2: BigInt(S), 3: D2 } }, { x: { 2: BigInt(S + 16) }, mem: [[S + 16, 8, BigInt(S)], [S + 24, 8, D2]] });
  });
});

// ---------------------------------------------------------------- SP as base

const SCTLR = 0x30d00800n; // RES1 bits, SA/SA0 clear
const SA = 1n << 3n, SA0 = 1n << 4n;

describe('SP as the base register', () => {
  it('pushes and pops through SP', async () => {
    run([await A('str x1, [sp, #-16]!')], { x: { 1: D1 }, sp: BigInt(S) }, { sp: BigInt(S - 16), mem: [[S - 16, 8, D1]] });
    run([await A('stp x29, x30, [sp, #-32]!')], { x: { 29: D1, 30: D2 }, sp: BigInt(S) }, { sp: BigInt(S - 32), mem: [[S - 32, 8, D1], [S - 24, 8, D2]] });
    run([await A('ldp x29, x30, [sp], #16')], { sp: BigInt(S) , mem: [[S, 8, D2], [S + 8, 8, D1]] }, { x: { 29: D2, 30: D1 }, sp: BigInt(S + 16) });
    run([await A('ldr w1, [sp, x2, lsl #2]')], { x: { 2: 3n }, sp: BigInt(S), mem: [[S + 12, 4, 0x1234n]] }, { x: { 1: 0x1234n } });
  });

  it('a misaligned SP faults (EC 0x26) when SCTLR_EL1.SA is set, and nothing changes', async () => {
    for (const src of ['ldr x1, [sp]', 'str x1, [sp, #-8]!', 'ldp x1, x2, [sp], #16', 'ldur w1, [sp, #-4]', 'ldr x1, [sp, x2]']) {
      const c = run([await A(src)], { x: { 1: D1 }, sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA }, mem: [[S, 8, D2]] },
        { pc: 0x200n, mem: [[S, 8, D2]] });
      expect(esr(c)).toEqual({ ec: 0x26, iss: 0, il: 1 });
      expect(sysr(c, 'ELR_EL1')).toBe(BigInt(CODE));
    }
  });

  it('no SP alignment fault when SA is clear, for another base register, or for PRFM', async () => {
    run([await A('ldr x1, [sp]')], { sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 } });
    run([await A('ldr x1, [x2]')], { x: { 2: BigInt(S + 8) }, sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 } });
    run([await A('prfm pldl1keep, [sp]')], { sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA } }, { pc: BigInt(CODE + 4) });
    // SA0 alone does not apply at EL1.
    run([await A('ldr x1, [sp]')], { sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA0 }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 } });
  });

  it('at EL0, SCTLR_EL1.SA0 controls the check and the fault goes to EL1', async () => {
    const w = await A('ldr x1, [sp]');
    run([w], { el: 0, sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA }, mem: [[S + 8, 8, D1]] }, { x: { 1: D1 } });
    const c = run([w], { el: 0, sp: BigInt(S + 8), sys: { SCTLR_EL1: SCTLR | SA0 } }, { sp: 0n, pc: 0x400n }); // SP_EL1 is 0
    expect(c.el).toBe(1);
    expect(esr(c).ec).toBe(0x26);
  });
});

// ---------------------------------------------------------------- address arithmetic

describe('64-bit address arithmetic', () => {
  // Addresses outside RAM take a synchronous external abort whose FAR shows the computed address.
  function farOf(words: number[], x: Record<number, bigint>): bigint {
    const { c } = machineWith(words);
    for (const [r, v] of Object.entries(x)) setX(c, Number(r), v);
    c.run(1);
    expect(esr(c).ec).toBe(0x25);
    return sysr(c, 'FAR_EL1');
  }
  it('carries into and borrows from the upper half', async () => {
    expect(farOf([await A('ldr x1, [x2, #16]')], { 2: 0xffff_fff8n })).toBe(0x1_0000_0008n);
    expect(farOf([await A('ldur x1, [x2, #-16]')], { 2: 0x1_0000_0008n })).toBe(0xffff_fff8n);
    expect(farOf([await A('ldr x1, [x2, x3]')], { 2: 0xffff_ffff_ffff_fff0n, 3: 0x18n })).toBe(0x8n);
    expect(farOf([await A('ldr x1, [x2, w3, sxtw]')], { 2: 0x1_0000_0000n, 3: 0xffff_fff0n })).toBe(0xffff_fff0n);
    expect(farOf([await A('ldp x1, x2, [x3, #-64]')], { 3: 0x1_0000_0020n })).toBe(0xffff_ffe0n);
  });
  it('a faulting pre-index access leaves the base and the target unchanged', async () => {
    const { c } = machineWith([await A('ldr x1, [x2, #16]!')]);
    setX(c, 1, D1); setX(c, 2, 0xffff_fff8n);
    c.run(1);
    expect(getX(c, 1)).toBe(D1);
    expect(getX(c, 2)).toBe(0xffff_fff8n);
  });
});

// ---------------------------------------------------------------- SIMD&FP

describe('SIMD&FP loads and stores: the FP access trap', () => {
  const FPEN = (v: bigint) => v << 20n;
  it('trap with EC 0x07 when CPACR_EL1.FPEN disables FP, and execute when it allows it', async () => {
    const S = BigInt(SCRATCH);
    const forms: [string, Record<number, bigint>, bigint?][] = [
      ['ldr q0, [x1]', {}], ['str d0, [x1, #8]!', { 1: S + 8n }], ['ldp s0, s1, [sp], #8', {}, S + 8n],
      ['ldr q1, [x1, x2, lsl #4]', {}], ['ld1 {v0.16b}, [x0]', {}], ['st1 {v0.s}[1], [x0], #4', { 0: S + 4n }],
      ['ld4r {v0.8b, v1.8b, v2.8b, v3.8b}, [x0]', {}], [`ldr d0, #${CODE + 8}`, {}], ['stnp q0, q1, [x0]', {}],
    ];
    for (const [src, x, sp] of forms) {
      const w = await A(src);
      for (const fpen of [0n, 2n]) {
        const c = run([w], { sys: { CPACR_EL1: FPEN(fpen) } }, { pc: 0x200n });
        expect(esr(c), src).toEqual({ ec: 0x07, iss: 0x1e00000, il: 1 });
        expect(sysr(c, 'ELR_EL1')).toBe(BigInt(CODE));
      }
      run([w], { sys: { CPACR_EL1: FPEN(3n) }, x: { 0: S, 1: S, 2: 1n }, sp: S }, { x, sp: sp ?? S, pc: BigInt(CODE + 4) });
    }
  });
  it('FPEN = 01 traps EL0 only', async () => {
    const w = await A('ldr q0, [x1]');
    run([w], { sys: { CPACR_EL1: FPEN(1n) }, x: { 1: BigInt(SCRATCH) } }, { pc: BigInt(CODE + 4) });
    const c = run([w], { el: 0, sys: { CPACR_EL1: FPEN(1n) } }, { pc: 0x400n });
    expect(esr(c).ec).toBe(0x07);
  });
  it('unallocated SIMD&FP encodings are UNDEFINED even when FP is disabled', () => {
    // LDR (unsigned offset) V=1 size 01 opc 11; LDR (literal) V=1 opc 11; LDTR V=1; LD1 multiple opcode 0001.
    for (const w of [0x7dc00020, 0xdc000040, 0x3c400820, 0x4c401000]) {
      const c = run([w], { sys: { CPACR_EL1: 0n } }, { pc: 0x200n });
      expect(esr(c).ec, w.toString(16)).toBe(0);
    }
  });
});

// ---------------------------------------------------------------- decode table

describe('decode table', () => {
  it('no LDST row overlaps another row of the A64 table at the same priority', () => {
    const all = A64_TABLE.map(compileEncoding);
    const mine = new Set(LDST);
    const clashes: string[] = [];
    for (let a = 0; a < all.length; a++) {
      for (let b = a + 1; b < all.length; b++) {
        if (!mine.has(all[a].enc) && !mine.has(all[b].enc)) continue;
        if (all[a].priority === all[b].priority && overlaps(all[a], all[b])) clashes.push(`${all[a].enc.name} / ${all[b].enc.name}`);
      }
    }
    expect(clashes).toEqual([]);
  });
  it('every LDST row is in the A64 table', () => {
    const table = new Set(A64_TABLE);
    expect(LDST.filter((e) => !table.has(e)).map((e) => e.name)).toEqual([]);
  });
});
