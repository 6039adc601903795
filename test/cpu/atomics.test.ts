// ARMv8.1 LSE: CAS, CASP, LD<op> (ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN), SWP, in every size and
// ordering variant. Keystone cannot assemble these, so the words are built here from the Arm ARM field
// layout and cross-checked against capstone's disassembly. Expected values are computed with BigInt.

import { describe, it, expect, beforeAll } from 'vitest';
import { machineWith, snapshot, setX, getX, pc, CODE, SCRATCH, RegState, poke, peek, sysr } from '../harness.js';
import { Machine } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { R, LO, HI } from '../../emu/cpu/int64.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { loadDisassembler, Disasm } from '../../emu/asm/disassembler.js';

// ---------------------------------------------------------------- encodings

const SIZE_SFX = ['b', 'h', '', ''];
const ORDER: [number, number, string][] = [[0, 0, ''], [1, 0, 'a'], [0, 1, 'l'], [1, 1, 'al']];
const OPS = ['ldadd', 'ldclr', 'ldeor', 'ldset', 'ldsmax', 'ldsmin', 'ldumax', 'ldumin', 'swp'];

/** LD<op>/SWP: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt (o3:opc = the index in OPS). */
function ldop(size: number, a: number, r: number, op: number, rs: number, rn: number, rt: number): number {
  return ((size << 30) | 0x38200000 | (a << 23) | (r << 22) | (rs << 16) | (op << 12) | (rn << 5) | rt) >>> 0;
}
/** CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt (L = acquire, o0 = release). */
function cas(size: number, a: number, r: number, rs: number, rn: number, rt: number): number {
  return ((size << 30) | 0x08a07c00 | (a << 22) | (rs << 16) | (r << 15) | (rn << 5) | rt) >>> 0;
}
/** CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt. */
function casp(sz: number, a: number, r: number, rs: number, rn: number, rt: number): number {
  return ((sz << 30) | 0x08207c00 | (a << 22) | (rs << 16) | (r << 15) | (rn << 5) | rt) >>> 0;
}

// ---------------------------------------------------------------- helpers

const S = SCRATCH;
const M64 = (1n << 64n) - 1n;


/** One machine reused for many single-instruction runs (a fresh machine per case would be slow). */
class Bench {
  readonly c: Cpu;
  constructor() { this.c = machineWith([0xd503201f]).c; }

  /** Put `word` at CODE, set registers and memory, run it, and check every register not in want.x is
   * unchanged; returns the core. */
  run(word: number, x: Record<number, bigint>, mem: [number, number, bigint][], want: { x?: Record<number, bigint>; pc?: bigint }): Cpu {
    const c = this.c;
    const w = new Uint8Array(4);
    new DataView(w.buffer).setUint32(0, word, true);
    c.ram.load(CODE, w); // drops the previously decoded instruction
    c.selectSp(1, 1);
    c.pcLo = CODE; c.pcHi = 0;
    for (let r = 0; r < 31; r++) setX(c, r, 0x5a5a_0000_0000_0000n + BigInt(r));
    for (const [r, v] of Object.entries(x)) setX(c, Number(r), v);
    for (const [a, b, v] of mem) poke(c, a, b, v);
    const before = snapshot(c);
    c.run(1);
    const after = snapshot(c);
    const expected: RegState = { ...before, x: [...before.x] };
    for (const [r, v] of Object.entries(want.x ?? {})) expected.x[Number(r)] = BigInt.asUintN(64, v);
    const hex = (s: RegState) => ({ x: s.x.map((v) => '0x' + v.toString(16)), sp: '0x' + s.sp.toString(16), nzcv: s.nzcv });
    expect(hex(after)).toEqual(hex(expected));
    expect('0x' + pc(c).toString(16)).toBe('0x' + (want.pc ?? BigInt(CODE + 4)).toString(16));
    return c;
  }
}

function esr(c: Cpu): { ec: number; wnr: number; dfsc: number; far: bigint } {
  const v = Number(sysr(c, 'ESR_EL1'));
  return { ec: v >>> 26, wnr: (v >>> 6) & 1, dfsc: v & 0x3f, far: sysr(c, 'FAR_EL1') };
}

/** The model of each operation on N-bit values (independent of the emulator). */
function model(op: string, a: bigint, b: bigint, bits: number): bigint {
  const s = (v: bigint) => BigInt.asIntN(bits, v);
  const u = (v: bigint) => BigInt.asUintN(bits, v);
  switch (op) {
    case 'ldadd': return u(a + b);
    case 'ldclr': return u(a & ~b);
    case 'ldeor': return u(a ^ b);
    case 'ldset': return u(a | b);
    case 'ldsmax': return s(a) >= s(b) ? u(a) : u(b);
    case 'ldsmin': return s(a) <= s(b) ? u(a) : u(b);
    case 'ldumax': return u(a) >= u(b) ? u(a) : u(b);
    case 'ldumin': return u(a) <= u(b) ? u(a) : u(b);
    case 'swp': return u(b);
    default: throw new Error(op);
  }
}

/** Interesting operand pairs (memory, register) for an N-bit operation, as N-bit patterns. */
function operands(bits: number): [bigint, bigint][] {
  const B = BigInt(bits);
  const min = 1n << (B - 1n), max = min - 1n, ones = (1n << B) - 1n;
  const t = (v: bigint) => BigInt.asUintN(bits, v);
  return [
    [min, 1n], // most negative vs 1: signed min/max and unsigned disagree
    [max, ones], // most positive vs -1
    [5n, t(-5n)],
    [ones, 0n],
    [t(0x1234_5678_9abc_def0n), t(0xfedc_ba98_7654_3210n)],
    [t(0x0f0f_0f0f_0f0f_0f0fn), t(0x0f0f_0f0f_0f0f_0f0fn)], // equal
  ];
}

const NEIGHBOURS = 0x6666_6666_6666_6666n;
let dis: (word: number, address: number) => Disasm;
beforeAll(async () => { dis = await loadDisassembler(); });

// ---------------------------------------------------------------- the encodings themselves

describe('hand-built encodings agree with capstone', () => {
  it('LD<op>, SWP, CAS, CASP', () => {
    for (let size = 0; size < 4; size++) {
      for (const [a, r, o] of ORDER) {
        OPS.forEach((name, k) => {
          expect(dis(ldop(size, a, r, k, 1, 2, 3), 0).mnemonic).toBe(`${name}${o}${SIZE_SFX[size]}`);
        });
        expect(dis(cas(size, a, r, 1, 2, 3), 0).mnemonic).toBe(`cas${o}${SIZE_SFX[size]}`);
        if (size < 2) expect(dis(casp(size, a, r, 4, 2, 6), 0).text).toBe(`casp${o} ${size ? 'x' : 'w'}4, ${size ? 'x' : 'w'}5, ${size ? 'x' : 'w'}6, ${size ? 'x' : 'w'}7, [x2]`);
      }
    }
    expect(ldop(2, 0, 0, 0, 1, 0, 2)).toBe(0xb8210002); // ldadd w1, w2, [x0] (Arm ARM example encoding)
  });
});

// ---------------------------------------------------------------- LD<op> and SWP

describe('LD<op> and SWP: Rt = old value, memory = old <op> Rs', () => {
  for (const [k, name] of OPS.entries()) {
    it(`${name} in every size and ordering`, () => {
      const b = new Bench();
      for (let size = 0; size < 4; size++) {
        const bytes = 1 << size, bits = 8 * bytes;
        for (const [a, r] of ORDER) {
          for (const [m, s] of operands(bits)) {
            // Rs carries garbage above the operand size: only the low bits take part.
            const rs = bits === 64 ? s : (0xdead_beef_dead_beefn << BigInt(bits)) & M64 | s;
            const c = b.run(ldop(size, a, r, k, 4, 2, 3), { 2: BigInt(S + 8), 4: rs },
              [[S, 24, 0n], [S, 8, NEIGHBOURS], [S + 16, 8, NEIGHBOURS], [S + 8, 8, NEIGHBOURS], [S + 8, bytes, m]],
              { x: { 3: m } });
            const rest = bits === 64 ? 0n : (NEIGHBOURS >> BigInt(bits)) << BigInt(bits);
            expect(peek(c, S + 8, 8), `${name} size ${size} m=${m.toString(16)} s=${s.toString(16)}`).toBe(rest | model(name, m, s, bits));
            expect(peek(c, S, 8)).toBe(NEIGHBOURS);
            expect(peek(c, S + 16, 8)).toBe(NEIGHBOURS);
          }
        }
      }
    });
  }

  it('Rt = XZR (the ST<op> aliases) updates memory only', () => {
    const b = new Bench();
    const c = b.run(ldop(3, 0, 1, 0, 4, 2, 31), { 2: BigInt(S), 4: 0x10n }, [[S, 8, 0xfffffffffffffff8n]], {}); // staddl x4, [x2]
    expect(peek(c, S, 8)).toBe(8n);
  });

  it('Rt == Rs: the register receives the old value, memory gets the operation on the original Rs', () => {
    const b = new Bench();
    let c = b.run(ldop(3, 1, 1, 8, 1, 2, 1), { 1: 0x1111n, 2: BigInt(S) }, [[S, 8, 0x2222n]], { x: { 1: 0x2222n } }); // swpal x1, x1
    expect(peek(c, S, 8)).toBe(0x1111n);
    c = b.run(ldop(2, 0, 0, 0, 1, 2, 1), { 1: 0xffff_ffff_0000_0003n, 2: BigInt(S) }, [[S, 4, 0x7fff_ffffn]], { x: { 1: 0x7fff_ffffn } });
    expect(peek(c, S, 4)).toBe(0x8000_0002n);
  });

  it('SP as the base', () => {
    const b = new Bench();
    setX(b.c, 32, BigInt(S));
    const c = b.run(ldop(3, 0, 0, 3, 4, 31, 3), { 4: 0xf0n }, [[S, 8, 0x0fn]], { x: { 3: 0x0fn } }); // ldset x4, x3, [sp]
    expect(peek(c, S, 8)).toBe(0xffn);
  });

  it('misaligned: alignment fault, WnR = 0, nothing changed', () => {
    const b = new Bench();
    for (let size = 1; size < 4; size++) {
      const addr = S + (1 << size) / 2 + 8;
      const c = b.run(ldop(size, 0, 0, 0, 4, 2, 3), { 2: BigInt(addr), 4: 1n }, [[S, 24, 0n]], { pc: 0x200n });
      expect(esr(c)).toEqual({ ec: 0x25, wnr: 0, dfsc: 0x21, far: BigInt(addr) });
      expect(peek(c, S, 16)).toBe(0n);
    }
  });

  it('unallocated o3 = 1 encodings (other than SWP) are UNDEFINED', () => {
    const b = new Bench();
    // o3:opc = 1100 is LDAPR only with A=1, R=0 and Rs=11111; with another Rs it is unallocated.
    for (const [op, rs] of [[0b1001, 31], [0b1100, 5], [0b1111, 31]]) {
      const c = b.run(ldop(3, 1, 0, op, rs, 2, 3), { 2: BigInt(S) }, [], { pc: 0x200n });
      expect(Number(sysr(c, 'ESR_EL1')) >>> 26).toBe(0);
    }
  });

  it('LDAPR loads like LDAR, zero-extending B/H/W', () => {
    const b = new Bench();
    const v = 0x8877665544332211n;
    for (let size = 0; size < 4; size++) {
      const mask = (1n << BigInt(8 << size)) - 1n;
      b.run(ldop(size, 1, 0, 0b1100, 31, 2, 3), { 2: BigInt(S) }, [[S, 8, v]], { x: { 3: v & mask } });
    }
  });
});

// ---------------------------------------------------------------- CAS

describe('CAS', () => {
  it('stores Rt when memory equals the low bits of Rs; Rs gets the old value either way', () => {
    const b = new Bench();
    for (let size = 0; size < 4; size++) {
      const bytes = 1 << size, bits = 8 * bytes, mask = (1n << BigInt(bits)) - 1n;
      for (const [a, r] of ORDER) {
        const old = 0x8765_4321_fedc_ba98n & mask;
        const garbage = bits === 64 ? 0n : (0x1234_5678_1234_5678n << BigInt(bits)) & M64;
        const newv = 0xabcd_ef01_2345_6789n;
        // Equal: the store happens.
        let c = b.run(cas(size, a, r, 4, 2, 5), { 2: BigInt(S), 4: garbage | old, 5: newv }, [[S, 8, NEIGHBOURS], [S + 8, 8, NEIGHBOURS], [S, bytes, old]], { x: { 4: old } });
        const rest = (NEIGHBOURS >> BigInt(bits)) << BigInt(bits);
        expect(peek(c, S, 8)).toBe(bits === 64 ? newv : rest | (newv & mask));
        expect(peek(c, S + 8, 8)).toBe(NEIGHBOURS);
        // Not equal: no store.
        c = b.run(cas(size, a, r, 4, 2, 5), { 2: BigInt(S), 4: garbage | (old ^ 1n), 5: newv }, [[S, 8, NEIGHBOURS], [S + 8, 8, NEIGHBOURS], [S, bytes, old]], { x: { 4: old } });
        expect(peek(c, S, 8)).toBe(bits === 64 ? old : rest | old);
      }
    }
  });

  it('Rs = XZR compares with zero and discards the old value', () => {
    const b = new Bench();
    let c = b.run(cas(3, 1, 0, 31, 2, 5), { 2: BigInt(S), 5: 0x77n }, [[S, 8, 0n]], {});
    expect(peek(c, S, 8)).toBe(0x77n);
    c = b.run(cas(3, 1, 0, 31, 2, 5), { 2: BigInt(S), 5: 0x77n }, [[S, 8, 1n]], {});
    expect(peek(c, S, 8)).toBe(1n);
  });

  it('misaligned: alignment fault, WnR = 0, even when the compare would fail', () => {
    const b = new Bench();
    for (let size = 1; size < 4; size++) {
      const addr = S + 1;
      const c = b.run(cas(size, 0, 0, 4, 2, 5), { 2: BigInt(addr), 4: 9n, 5: 7n }, [[S, 16, 0n]], { pc: 0x200n });
      expect(esr(c)).toEqual({ ec: 0x25, wnr: 0, dfsc: 0x21, far: BigInt(addr) });
      expect(peek(c, S, 16)).toBe(0n);
    }
  });
});

// ---------------------------------------------------------------- CASP

describe('CASP', () => {
  it('W pair: compares and stores 8 bytes, Ws from the lower address', () => {
    const b = new Bench();
    for (const [a, r] of ORDER) {
      const mem = 0x2222_2222_1111_1111n;
      let c = b.run(casp(0, a, r, 4, 2, 6), { 2: BigInt(S + 8), 4: 0xffff_ffff_1111_1111n, 5: 0x2222_2222n, 6: 0xaaaa_aaaan, 7: 0xbbbb_bbbbn },
        [[S + 8, 8, mem], [S + 16, 8, NEIGHBOURS]], { x: { 4: 0x1111_1111n, 5: 0x2222_2222n } });
      expect(peek(c, S + 8, 8)).toBe(0xbbbb_bbbb_aaaa_aaaan);
      expect(peek(c, S + 16, 8)).toBe(NEIGHBOURS);
      c = b.run(casp(0, a, r, 4, 2, 6), { 2: BigInt(S + 8), 4: 0x1111_1111n, 5: 0x2222_2223n, 6: 0xaaaa_aaaan, 7: 0xbbbb_bbbbn },
        [[S + 8, 8, mem]], { x: { 5: 0x2222_2222n } });
      expect(peek(c, S + 8, 8)).toBe(mem);
    }
  });

  it('X pair: compares and stores 16 bytes', () => {
    const b = new Bench();
    const m0 = 0x0123_4567_89ab_cdefn, m1 = 0xfedc_ba98_7654_3210n;
    let c = b.run(casp(1, 1, 1, 0, 2, 6), { 0: m0, 1: m1, 2: BigInt(S + 16), 6: 1n, 7: 2n }, [[S + 16, 8, m0], [S + 24, 8, m1]], {});
    expect([peek(c, S + 16, 8), peek(c, S + 24, 8)]).toEqual([1n, 2n]);
    // The second doubleword differs: no store, both registers get the memory values.
    c = b.run(casp(1, 0, 0, 0, 2, 6), { 0: m0, 1: m0, 2: BigInt(S + 16), 6: 1n, 7: 2n }, [[S + 16, 8, m0], [S + 24, 8, m1]], { x: { 1: m1 } });
    expect([peek(c, S + 16, 8), peek(c, S + 24, 8)]).toEqual([m0, m1]);
    // Only the first differs.
    c = b.run(casp(1, 0, 0, 0, 2, 6), { 0: m1, 1: m1, 2: BigInt(S + 16), 6: 1n, 7: 2n }, [[S + 16, 8, m0], [S + 24, 8, m1]], { x: { 0: m0 } });
    expect([peek(c, S + 16, 8), peek(c, S + 24, 8)]).toEqual([m0, m1]);
  });

  it('Rs+1 or Rt+1 = XZR when Rs or Rt is 30', () => {
    const b = new Bench();
    const c = b.run(casp(1, 0, 0, 30, 2, 6), { 2: BigInt(S), 30: 5n, 6: 7n, 7: 8n }, [[S, 8, 5n], [S + 8, 8, 0n]], {});
    expect([peek(c, S, 8), peek(c, S + 8, 8)]).toEqual([7n, 8n]);
  });

  it('an odd Rs or Rt is UNDEFINED', () => {
    const b = new Bench();
    for (const [rs, rt] of [[1, 2], [2, 3]]) {
      const c = b.run(casp(1, 0, 0, rs, 2, rt), { 2: BigInt(S) }, [[S, 16, 0n]], { pc: 0x200n });
      expect(Number(sysr(c, 'ESR_EL1')) >>> 26).toBe(0);
    }
  });

  it('must be aligned to the pair size', () => {
    const b = new Bench();
    for (const [sz, off] of [[0, 4], [1, 8]]) {
      const c = b.run(casp(sz, 0, 0, 4, 2, 6), { 2: BigInt(S + off) }, [[S, 32, 0n]], { pc: 0x200n });
      expect(esr(c)).toEqual({ ec: 0x25, wnr: 0, dfsc: 0x21, far: BigInt(S + off) });
    }
  });
});

// ---------------------------------------------------------------- interaction with exclusives

describe('atomics and the exclusive monitors of other cores', () => {
  async function race(core1Word: number, x1: Record<number, bigint>): Promise<{ status: bigint; mem: bigint }> {
    const m = new Machine({ smp: 2, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const [c0, c1] = m.cores;
    const code0 = await assembleWords('ldxr x1, [x2]\nstxr w3, x4, [x2]', CODE);
    m.ram.load(CODE, new Uint8Array(new Uint32Array(code0).buffer));
    m.ram.load(CODE + 0x1000, new Uint8Array(new Uint32Array([core1Word]).buffer));
    c0.pcLo = CODE; c1.pcLo = CODE + 0x1000; c1.sleep = 0;
    setX(c0, 2, BigInt(S)); setX(c0, 3, 7n); setX(c0, 4, 0x4444n);
    for (const [r, v] of Object.entries(x1)) setX(c1, Number(r), v);
    poke(c0, S, 8, 0x1000n);
    c0.run(1); c1.run(1); c0.run(1);
    return { status: getX(c0, 3), mem: peek(c0, S, 8) };
  }
  it("another core's LDADD clears the reservation", async () => {
    expect(await race(ldop(3, 0, 0, 0, 5, 2, 6), { 2: BigInt(S), 5: 1n })).toEqual({ status: 1n, mem: 0x1001n });
  });
  it("another core's successful CAS clears it, a failed CAS (no store) does not", async () => {
    expect(await race(cas(3, 0, 0, 5, 2, 6), { 2: BigInt(S), 5: 0x1000n, 6: 0x2000n })).toEqual({ status: 1n, mem: 0x2000n });
    expect(await race(cas(3, 0, 0, 5, 2, 6), { 2: BigInt(S), 5: 0x1001n, 6: 0x2000n })).toEqual({ status: 0n, mem: 0x4444n });
  });
});
