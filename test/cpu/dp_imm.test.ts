// Data Processing -- Immediate (Arm ARM C4.1.2). Expected values come from BigInt models written from the
// Arm ARM's definitions (AddWithCarry, the bitmask-immediate and bitfield alias descriptions), from
// hand-derived constants, or from the encoder in keystone; never from the emulator itself.

import { describe, it, expect } from 'vitest';
import { exec, machineWith, pc, CODE, bulk, BulkCase } from '../harness.js';
import { A, u, s, ones, awc, isUndef } from './dp-model.js';

// ---------------------------------------------------------------- helpers

const V64 = [
  0n, 1n, 2n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xffffffffffffffffn,
  0xfffffffffffffffen, 0xffffffffn, 0x100000000n, 0x7fffffffn, 0x80000000n, 0xfffn, 0x1000n, 0xfff000n,
  0x123456789abcdef0n, 0xfedcba9876543210n, 0xffffffff80000000n,
];

// ---------------------------------------------------------------- PC-relative

/** ADR/ADRP encoding from the Arm ARM field layout: op immlo 10000 immhi Rd. */
function adrWord(page: boolean, imm: number, rd: number): number {
  return ((page ? 1 : 0) << 31) | ((imm & 3) << 29) | (0x10 << 24) | (((imm >> 2) & 0x7ffff) << 5) | rd;
}

describe('ADR, ADRP', () => {
  it('the raw encoder agrees with keystone', async () => {
    expect(adrWord(true, -1, 1) >>> 0).toBe(await A('adrp x1, -0x1000'));
  });
  it('ADR adds a signed 21-bit offset to the PC', () => {
    exec(adrWord(false, 0x100, 0), {}, { x: { 0: BigInt(CODE) + 0x100n } });
    exec(adrWord(false, -1, 3), {}, { x: { 3: BigInt(CODE) - 1n } });
    exec(adrWord(false, 0xfffff, 5), {}, { x: { 5: BigInt(CODE) + 0xfffffn } });
    exec(adrWord(false, -0x100000, 5), {}, { x: { 5: BigInt(CODE) - 0x100000n } });
  });
  it('ADRP uses the 4 KiB page of the PC and a page offset of +-4 GiB', () => {
    const words = [0xd503201f, adrWord(true, 1, 0)]; // nop, then ADRP at CODE+4: page is still CODE
    exec(words, {}, { x: { 0: BigInt(CODE) + 0x1000n } });
    exec(adrWord(true, -0x40000, 2), {}, { x: { 2: u(BigInt(CODE) - 0x40000000n) } });
    exec(adrWord(true, -0x100000, 2), {}, { x: { 2: u(BigInt(CODE) - 0x100000000n) } });
    exec(adrWord(true, 0xfffff, 2), {}, { x: { 2: BigInt(CODE) + 0xfffff000n } });
  });
  it('ADRP clears all of PC<11:0>; ADR does not', () => {
    const sled = new Array<number>(0x3ff).fill(0xd503201f); // NOPs, so the last word sits at CODE + 0xffc
    exec([...sled, adrWord(true, 2, 0)], {}, { x: { 0: BigInt(CODE) + 0x2000n } });
    exec([...sled, adrWord(false, 2, 0)], {}, { x: { 0: BigInt(CODE) + 0xffen } });
  });
  it('Rd = 31 is XZR (discarded), not SP', () => {
    exec(adrWord(false, 4, 31), { sp: 0x1000n }, {});
    exec(adrWord(true, 4, 31), { sp: 0x1000n }, {});
  });
});

// ---------------------------------------------------------------- add/subtract (immediate)

describe('ADD/ADDS/SUB/SUBS (immediate)', () => {
  it('64-bit flags, hand-derived', async () => {
    exec(await A('adds x0, x1, #1'), { x: { 1: 0xffffffffffffffffn } }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('adds x0, x1, #1'), { x: { 1: 0x7fffffffffffffffn } }, { x: { 0: 0x8000000000000000n }, nzcv: 0b1001 });
    exec(await A('subs x0, x1, #1'), { x: { 1: 0n } }, { x: { 0: 0xffffffffffffffffn }, nzcv: 0b1000 });
    exec(await A('subs x0, x1, #0'), { x: { 1: 0n } }, { x: { 0: 0n }, nzcv: 0b0110 }); // NOT(0) + 1 carries out
    exec(await A('subs x0, x1, #1'), { x: { 1: 0x8000000000000000n } }, { x: { 0: 0x7fffffffffffffffn }, nzcv: 0b0011 });
    exec(await A('cmp x1, #5'), { x: { 1: 5n }, nzcv: 0b1001 }, { nzcv: 0b0110 });
    exec(await A('cmn x1, #1'), { x: { 1: 0xffffffffffffffffn } }, { nzcv: 0b0110 });
  });
  it('32-bit flags and zero-extension, hand-derived', async () => {
    exec(await A('adds w0, w1, #1'), { x: { 1: 0xdeadbeef_ffffffffn } }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('adds w0, w1, #1'), { x: { 1: 0x7fffffffn } }, { x: { 0: 0x80000000n }, nzcv: 0b1001 });
    exec(await A('subs w0, w1, #1'), { x: { 1: 0xffffffff_80000000n } }, { x: { 0: 0x7fffffffn }, nzcv: 0b0011 });
    exec(await A('subs w0, w1, #2'), { x: { 1: 1n } }, { x: { 0: 0xffffffffn }, nzcv: 0b1000 });
    exec(await A('sub w0, w1, #1'), { x: { 1: 0x12345678_00000000n }, nzcv: 0b0101 }, { x: { 0: 0xffffffffn } });
    exec(await A('add w0, w1, #4095, lsl #12'), { x: { 1: 0xffffffff_00001000n } }, { x: { 0: 0x01000000n } });
  });
  it('agree with AddWithCarry over a table of values and immediates', async () => {
    const imms: [number, boolean][] = [[0, false], [1, false], [0xfff, false], [1, true], [0xfff, true], [0x800, true]];
    const cases: BulkCase[] = [];
    for (const op of ['add', 'adds', 'sub', 'subs']) {
      for (const sf of [64, 32]) {
        for (const [imm, sh] of imms) {
          const r = sf === 64 ? 'x' : 'w';
          const src = `${op} ${r}3, ${r}4, #${imm}${sh ? ', lsl #12' : ''}`;
          const word = await A(src);
          const val = BigInt(imm) << (sh ? 12n : 0n);
          for (const v of V64) {
            const sub = op.startsWith('sub');
            const { r: res, nzcv } = sub ? awc(v, ~val, 1n, sf) : awc(v, val, 0n, sf);
            const flags = op.endsWith('s');
            cases.push({ word, x: { 4: v }, nzcv: 0b1010, want: { x: { 3: res }, nzcv: flags ? nzcv : 0b1010 }, label: `${src} with ${v.toString(16)}` });
          }
        }
      }
    }
    bulk(cases);
  });
  it('Rd and Rn are SP for ADD/SUB; only Rn is SP for ADDS/SUBS', async () => {
    exec(await A('add x0, sp, #16'), { sp: 0x1000n }, { x: { 0: 0x1010n } });
    exec(await A('mov sp, x1'), { x: { 1: 0xabcdef12345n } }, { sp: 0xabcdef12345n });
    exec(await A('mov x0, sp'), { sp: 0x8000_0000_0000n }, { x: { 0: 0x8000_0000_0000n } });
    exec(await A('sub sp, sp, #1, lsl #12'), { sp: 0x10000n }, { sp: 0xf000n });
    exec(await A('adds x0, sp, #1'), { sp: 0xffffffffffffffffn }, { x: { 0: 0n }, nzcv: 0b0110 });
    exec(await A('cmp sp, #16'), { sp: 0x10n }, { nzcv: 0b0110 }); // SUBS XZR, SP, #16: SP unchanged
    exec(await A('cmn x1, #1'), { x: { 1: 1n }, sp: 0x5000n }, { nzcv: 0b0000 }); // Rd 31 of ADDS is XZR
    exec(await A('sub wsp, w1, #1'), { x: { 1: 0xffffffff_00000000n }, sp: 0x1_0000_0000n }, { sp: 0xffffffffn });
    exec(await A('add w0, wsp, #1'), { sp: 0x5_ffff_ffffn }, { x: { 0: 0n } });
    exec(await A('subs w0, wsp, #1'), { sp: 0x5_0000_0001n }, { x: { 0: 0n }, nzcv: 0b0110 });
  });
  it('shift field 1x (bit 23 set) is UNDEFINED', async () => {
    const w = await A('add x0, x1, #1');
    expect(isUndef(w)).toBe(false);
    expect(isUndef(w | (1 << 23))).toBe(true);
    expect(isUndef(w | (3 << 22))).toBe(true);
    // and an UNDEFINED word really takes the exception (VBAR_EL1 = 0, current EL with SP_ELx: +0x200)
    const { c } = machineWith([w | (1 << 23)]);
    c.run(1);
    expect(pc(c)).toBe(0x200n);
  });
});

// ---------------------------------------------------------------- logical (immediate)

/** Logical (immediate) encoding: sf opc 100100 N immr imms Rn Rd. */
function logImmWord(sf: number, opc: number, N: number, immr: number, imms: number, rn: number, rd: number): number {
  return ((sf << 31) | (opc << 29) | (0b100100 << 23) | (N << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;
}

/** The bitmask immediates by definition: a run of k ones (0 < k < e) rotated right by r within an
 * element of e = 2..64 bits, replicated; encoded as N:imms = element-size marker and k - 1, immr = r. */
function bitmaskTable(width: number): Map<number, bigint> {
  const m = new Map<number, bigint>(); // key N << 12 | immr << 6 | imms
  for (let e = 2; e <= width; e *= 2) {
    for (let k = 1; k < e; k++) {
      for (let immr = 0; immr < 64; immr++) {
        const r = immr % e; // only immr's low log2(e) bits take part
        const E = BigInt(e);
        const elem = ((ones(k) >> BigInt(r)) | (ones(k) << (E - BigInt(r)))) & ones(e);
        let v = 0n;
        for (let p = 0; p < width; p += e) v |= elem << BigInt(p);
        const N = e === 64 ? 1 : 0;
        const imms = e === 64 ? k - 1 : ((0x3f & ~(2 * e - 1)) | (k - 1));
        m.set((N << 12) | (immr << 6) | imms, v);
      }
    }
  }
  return m;
}

describe('AND/ORR/EOR/ANDS (immediate)', () => {
  it('known immediates assembled by keystone, 64-bit', async () => {
    const imms = [
      0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0xffn, 0x0f0f0f0f0f0f0f0fn, 0x8000000000000000n, 0x4000000000000000n,
      1n, 0x7fffffffffffffffn, 0xfffffffffffffffen, 0x00ff00ff00ff00ffn, 0x0000ffff0000ffffn, 0xffffffff00000000n,
      0x3fffffffc0n, 0xe0000000000001ffn, 0x8000000080000000n, 0x0003000300030003n, 0x6666666666666666n,
      0x8181818181818181n, 0xfffe0000fffe0000n, 0x1fffffffffffffffn,
    ];
    const vals = [0n, 0xffffffffffffffffn, 0x123456789abcdef0n, 0x8000000000000001n];
    const cases: BulkCase[] = [];
    for (const imm of imms) {
      for (const [op, f] of [['and', (a: bigint) => a & imm], ['orr', (a: bigint) => a | imm], ['eor', (a: bigint) => a ^ imm], ['ands', (a: bigint) => a & imm]] as const) {
        const word = await A(`${op} x5, x6, #0x${imm.toString(16)}`);
        for (const v of vals) {
          const r = f(v);
          const want = op === 'ands' ? { x: { 5: r }, nzcv: (Number(r >> 63n) << 3) | (r === 0n ? 4 : 0) } : { x: { 5: r } };
          cases.push({ word, x: { 6: v }, nzcv: 0b0011, want, label: `${op} #${imm.toString(16)}` });
        }
      }
    }
    bulk(cases);
  });
  it('known immediates assembled by keystone, 32-bit, zero-extending', async () => {
    const imms = [0x55555555n, 0xffn, 0x0f0f0f0fn, 0x80000000n, 0x7fffffffn, 0xfffffffen, 0x00ff00ffn, 0xffff0000n, 0xe00001ffn, 0x3c3c3c3cn, 1n];
    const vals = [0n, 0xffffffffffffffffn, 0x123456789abcdef0n, 0xdeadbeef00000000n];
    const cases: BulkCase[] = [];
    for (const imm of imms) {
      for (const [op, f] of [['and', (a: bigint) => a & imm], ['orr', (a: bigint) => (a | imm)], ['eor', (a: bigint) => a ^ imm], ['ands', (a: bigint) => a & imm]] as const) {
        const word = await A(`${op} w5, w6, #0x${imm.toString(16)}`);
        for (const v of vals) {
          const r = u(f(v), 32);
          const want = op === 'ands' ? { x: { 5: r }, nzcv: (Number(r >> 31n) << 3) | (r === 0n ? 4 : 0) } : { x: { 5: r } };
          cases.push({ word, x: { 6: v }, nzcv: 0b0011, want, label: `${op} w #${imm.toString(16)}` });
        }
      }
    }
    bulk(cases);
  });
  it('every N:immr:imms decodes to the bitmask of its definition, or is UNDEFINED (64-bit)', () => {
    const table = bitmaskTable(64);
    const cases: BulkCase[] = [];
    let undef = 0;
    const distinct = new Set<bigint>();
    for (let N = 0; N < 2; N++) {
      for (let immr = 0; immr < 64; immr++) {
        for (let imms = 0; imms < 64; imms++) {
          const word = logImmWord(1, 1, N, immr, imms, 31, 7); // ORR x7, XZR, #imm (MOV)
          const v = table.get((N << 12) | (immr << 6) | imms);
          if (v === undefined) { expect(isUndef(word), `N=${N} immr=${immr} imms=${imms}`).toBe(true); undef++; continue; }
          distinct.add(v);
          cases.push({ word, want: { x: { 7: v } }, label: `N=${N} immr=${immr} imms=${imms}` });
        }
      }
    }
    expect(distinct.size).toBe(5334); // the well-known count of 64-bit logical immediates
    expect(cases.length + undef).toBe(8192);
    bulk(cases);
  });
  it('every immr:imms decodes to its bitmask, or is UNDEFINED (32-bit); N=1 is always UNDEFINED', () => {
    const table = bitmaskTable(64);
    const cases: BulkCase[] = [];
    const distinct = new Set<bigint>();
    for (let immr = 0; immr < 64; immr++) {
      for (let imms = 0; imms < 64; imms++) {
        expect(isUndef(logImmWord(0, 1, 1, immr, imms, 31, 7))).toBe(true);
        const word = logImmWord(0, 1, 0, immr, imms, 31, 7);
        // With N=0 the element is at most 32 bits and only immr's low log2(element) bits count, so the
        // 32-bit immediate is the low half of the 64-bit one with N=0.
        const imm64 = table.get((0 << 12) | (immr << 6) | imms);
        if (imm64 === undefined) { expect(isUndef(word), `immr=${immr} imms=${imms}`).toBe(true); continue; }
        const v = u(imm64, 32);
        distinct.add(v);
        cases.push({ word, want: { x: { 7: v } }, label: `immr=${immr} imms=${imms}` });
      }
    }
    expect(distinct.size).toBe(1302); // 2*1 + 4*3 + 8*7 + 16*15 + 32*31
    bulk(cases);
  });
  it('reserved encodings are UNDEFINED', () => {
    expect(isUndef(logImmWord(1, 0, 1, 0, 0b111111, 1, 0))).toBe(true); // 64 ones
    expect(isUndef(logImmWord(1, 0, 0, 0, 0b111111, 1, 0))).toBe(true); // len < 1
    expect(isUndef(logImmWord(1, 0, 0, 0, 0b111101, 1, 0))).toBe(true); // element 2, all ones
    expect(isUndef(logImmWord(1, 0, 0, 0, 0b011111, 1, 0))).toBe(true); // element 32, all ones
    expect(isUndef(logImmWord(1, 0, 0, 0, 0b011110, 1, 0))).toBe(false);
    expect(isUndef(logImmWord(0, 3, 1, 0, 0, 1, 0))).toBe(true); // sf=0, N=1
    expect(isUndef(logImmWord(0, 3, 0, 0, 0, 1, 0))).toBe(false);
  });
  it('Rd = 31 is SP for AND/ORR/EOR and XZR for ANDS (TST); Rn = 31 is XZR', async () => {
    exec(await A('orr sp, x1, #0xff'), { x: { 1: 0x1000n } }, { sp: 0x10ffn });
    exec(await A('and wsp, w1, #0xff0'), { x: { 1: 0xffffffff_ffffffffn }, sp: 0xffff_0000_0000n }, { sp: 0xff0n });
    exec(await A('eor sp, x1, #1'), { x: { 1: 0x1001n } }, { sp: 0x1000n });
    exec(await A('tst x1, #0x8000000000000000'), { x: { 1: 0x8000000000000000n }, sp: 0x4000n, nzcv: 0b0011 }, { nzcv: 0b1000 });
    exec(await A('tst w1, #0x1'), { x: { 1: 0xfffffffe_fffffffen }, nzcv: 0b1011 }, { nzcv: 0b0100 });
    exec(logImmWord(1, 0, 1, 0, 7, 31, 0), { sp: 0xffffn }, { x: { 0: 0n } }); // AND x0, XZR, #0xff
    exec(await A('mov w0, #0x55555555'), { x: { 0: 0xffffffff_ffffffffn } }, { x: { 0: 0x55555555n } });
  });
});

// ---------------------------------------------------------------- move wide

describe('MOVN/MOVZ/MOVK', () => {
  it('each hw position, both widths', async () => {
    const cases: BulkCase[] = [];
    const v0 = 0x1122334455667788n;
    for (const hw of [0, 1, 2, 3]) {
      const sh = BigInt(hw * 16);
      cases.push({ word: await A(`movz x2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: 0xbeefn << sh } } });
      cases.push({ word: await A(`movn x2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: u(~(0xbeefn << sh)) } } });
      cases.push({ word: await A(`movk x2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: (v0 & ~(0xffffn << sh)) | (0xbeefn << sh) } } });
    }
    for (const hw of [0, 1]) {
      const sh = BigInt(hw * 16);
      cases.push({ word: await A(`movz w2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: 0xbeefn << sh } } });
      cases.push({ word: await A(`movn w2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: u(~(0xbeefn << sh), 32) } } });
      cases.push({ word: await A(`movk w2, #0xbeef, lsl #${hw * 16}`), x: { 2: v0 }, want: { x: { 2: u((v0 & ~(0xffffn << sh)) | (0xbeefn << sh), 32) } } });
    }
    cases.push({ word: await A('movn x3, #0'), want: { x: { 3: 0xffffffffffffffffn } } });
    cases.push({ word: await A('movn w3, #0'), want: { x: { 3: 0xffffffffn } } });
    cases.push({ word: await A('movn w3, #0xffff, lsl #16'), want: { x: { 3: 0xffffn } } });
    cases.push({ word: await A('movz xzr, #1'), sp: 0x1230n, want: {} }); // Rd 31 is XZR
    cases.push({ word: 0xf2a0003f /* movk xzr, #1, lsl #16 */, sp: 0x1230n, want: {} });
    bulk(cases);
  });
  it('sf=0 with hw>=2, and opc=01, are UNDEFINED', async () => {
    const movz = await A('movz w0, #1, lsl #16');
    expect(isUndef(movz)).toBe(false);
    expect(isUndef((movz & ~(3 << 21)) | (2 << 21))).toBe(true);
    expect(isUndef((movz & ~(3 << 21)) | (3 << 21))).toBe(true);
    const movn = await A('movn x0, #1');
    expect(isUndef(movn | (1 << 29))).toBe(true); // opc=01
    expect(isUndef(0x52c00000)).toBe(true); // movz w0 with hw=2
  });
});

// ---------------------------------------------------------------- bitfield

/** The bitfield operations as the Arm ARM describes their aliases: with imms >= immr, the field
 * src<imms:immr> goes to the bottom of the result; with imms < immr, src<imms:0> goes to bit
 * (size - immr). SBFM sign-extends above the field and clears below it, UBFM zero-fills,
 * BFM leaves the rest of the destination alone. */
function bitfield(op: 'sbfm' | 'bfm' | 'ubfm', size: number, dst: bigint, src: bigint, immr: number, imms: number): bigint {
  const S = BigInt(size);
  src = u(src, size); dst = u(dst, size);
  let width: number, lsbSrc: number, pos: number;
  if (imms >= immr) { width = imms - immr + 1; lsbSrc = immr; pos = 0; }
  else { width = imms + 1; lsbSrc = 0; pos = size - immr; }
  const field = (src >> BigInt(lsbSrc)) & ones(width);
  const fmask = ones(width) << BigInt(pos);
  if (op === 'bfm') return u((dst & ~fmask) | (field << BigInt(pos)), size);
  if (op === 'ubfm') return field << BigInt(pos);
  const signed = u(s(field, width) << BigInt(pos), size); // sign-extend above the field
  void S;
  return signed;
}

function bitfieldWord(sf: number, opc: number, N: number, immr: number, imms: number, rn: number, rd: number): number {
  return ((sf << 31) | (opc << 29) | (0b100110 << 23) | (N << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;
}

describe('SBFM/BFM/UBFM', () => {
  it('the raw encoder agrees with keystone', async () => {
    expect(bitfieldWord(1, 2, 1, 0, 63, 1, 0)).toBe(await A('lsr x0, x1, #0'));
    expect(bitfieldWord(0, 1, 0, 3, 31, 1, 0)).toBe(await A('bfxil w0, w1, #3, #29'));
  });
  it('aliases assembled by keystone: shifts, extends, field extract and insert', async () => {
    const srcs = [0x8123456789abcdefn, 0x7edcba9876543210n, 0xffffffffffffffffn, 0n, 0x0000000080000080n];
    const dst = 0x5a5a5a5a5a5a5a5an;
    const cases: BulkCase[] = [];
    const add = async (src: string, f: (x: bigint, d: bigint) => bigint) => {
      const word = await A(src);
      for (const v of srcs) cases.push({ word, x: { 1: v, 0: dst }, want: { x: { 0: f(v, dst) } }, label: src });
    };
    for (const k of [0, 1, 7, 31, 32, 33, 62, 63]) {
      await add(`lsl x0, x1, #${k}`, (x) => u(x << BigInt(k)));
      await add(`lsr x0, x1, #${k}`, (x) => x >> BigInt(k));
      await add(`asr x0, x1, #${k}`, (x) => u(s(x) >> BigInt(k)));
    }
    for (const k of [0, 1, 7, 16, 31]) {
      await add(`lsl w0, w1, #${k}`, (x) => u(x << BigInt(k), 32));
      await add(`lsr w0, w1, #${k}`, (x) => u(x, 32) >> BigInt(k));
      await add(`asr w0, w1, #${k}`, (x) => u(s(x, 32) >> BigInt(k), 32));
    }
    await add('sxtb x0, w1', (x) => u(s(x, 8)));
    await add('sxth x0, w1', (x) => u(s(x, 16)));
    await add('sxtw x0, w1', (x) => u(s(x, 32)));
    await add('sxtb w0, w1', (x) => u(s(x, 8), 32));
    await add('sxth w0, w1', (x) => u(s(x, 16), 32));
    await add('uxtb w0, w1', (x) => x & 0xffn);
    await add('uxth w0, w1', (x) => x & 0xffffn);
    await add('ubfx x0, x1, #4, #8', (x) => (x >> 4n) & 0xffn);
    await add('ubfx x0, x1, #60, #4', (x) => x >> 60n);
    await add('sbfx x0, x1, #28, #8', (x) => u(s((x >> 28n) & 0xffn, 8)));
    await add('sbfx w0, w1, #1, #31', (x) => u(s(x, 32) >> 1n, 32));
    await add('ubfiz x0, x1, #60, #4', (x) => u((x & 0xfn) << 60n));
    await add('sbfiz x0, x1, #8, #8', (x) => u(s(x & 0xffn, 8) << 8n));
    await add('ubfiz w0, w1, #31, #1', (x) => (x & 1n) << 31n);
    await add('bfi x0, x1, #60, #4', (x, d) => (d & ~(0xfn << 60n)) | ((x & 0xfn) << 60n));
    await add('bfi x0, x1, #0, #64', (x) => x);
    await add('bfi w0, w1, #8, #16', (x, d) => u((d & ~(0xffffn << 8n)) | ((x & 0xffffn) << 8n), 32));
    await add('bfxil x0, x1, #32, #16', (x, d) => (d & ~0xffffn) | ((x >> 32n) & 0xffffn));
    await add('bfxil w0, w1, #3, #29', (x, d) => u((d & ~ones(29)) | ((x >> 3n) & ones(29)), 32));
    bulk(cases);
  });
  it('all immr, imms agree with the alias definitions (64-bit and 32-bit)', () => {
    const cases: BulkCase[] = [];
    const src = 0xc3a5_96f0_0f69_5a3cn, dst = 0x1122_3344_5566_7788n, nsrc = 0x43a5_96f0_8f69_5a3cn;
    const ops = ['sbfm', 'bfm', 'ubfm'] as const;
    for (let opc = 0; opc < 3; opc++) {
      for (let immr = 0; immr < 64; immr++) {
        for (let imms = 0; imms < 64; imms++) {
          for (const v of [src, nsrc]) {
            cases.push({ word: bitfieldWord(1, opc, 1, immr, imms, 1, 0), x: { 0: dst, 1: v }, want: { x: { 0: bitfield(ops[opc], 64, dst, v, immr, imms) } }, label: `${ops[opc]} x ${immr} ${imms}` });
            if (immr < 32 && imms < 32) {
              cases.push({ word: bitfieldWord(0, opc, 0, immr, imms, 1, 0), x: { 0: dst, 1: v }, want: { x: { 0: bitfield(ops[opc], 32, dst, v, immr, imms) } }, label: `${ops[opc]} w ${immr} ${imms}` });
            }
          }
        }
      }
    }
    bulk(cases);
  });
  it('Rd = 31 is XZR; Rn = 31 reads zero', () => {
    exec(bitfieldWord(1, 2, 1, 4, 63, 1, 31), { x: { 1: 0xffn }, sp: 0x8000n }, {}); // lsr xzr, x1, #4
    exec(bitfieldWord(1, 0, 1, 0, 7, 31, 2), { x: { 2: 5n } }, { x: { 2: 0n } }); // sxtb x2, wzr
    exec(bitfieldWord(1, 1, 1, 0, 7, 31, 2), { x: { 2: 0x1234n } }, { x: { 2: 0x1200n } }); // bfxil x2, xzr, #0, #8
  });
  it('sf/N mismatch, 32-bit immr/imms >= 32, and opc=11 are UNDEFINED', () => {
    expect(isUndef(bitfieldWord(1, 2, 1, 5, 10, 1, 0))).toBe(false);
    expect(isUndef(bitfieldWord(1, 2, 0, 5, 10, 1, 0))).toBe(true);
    expect(isUndef(bitfieldWord(0, 2, 0, 5, 10, 1, 0))).toBe(false);
    expect(isUndef(bitfieldWord(0, 2, 1, 5, 10, 1, 0))).toBe(true);
    expect(isUndef(bitfieldWord(0, 0, 0, 32, 10, 1, 0))).toBe(true);
    expect(isUndef(bitfieldWord(0, 1, 0, 5, 32, 1, 0))).toBe(true);
    expect(isUndef(bitfieldWord(0, 0, 0, 31, 31, 1, 0))).toBe(false);
    expect(isUndef(bitfieldWord(1, 3, 1, 5, 10, 1, 0))).toBe(true);
    expect(isUndef(bitfieldWord(0, 3, 0, 5, 10, 1, 0))).toBe(true);
  });
});

// ---------------------------------------------------------------- extract

function extrWord(sf: number, N: number, rm: number, imms: number, rn: number, rd: number): number {
  return ((sf << 31) | (0b100111 << 23) | (N << 22) | (rm << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;
}

describe('EXTR', () => {
  it('the raw encoder agrees with keystone', async () => {
    expect(extrWord(1, 1, 2, 17, 1, 0)).toBe(await A('extr x0, x1, x2, #17'));
    expect(extrWord(0, 0, 2, 31, 1, 0)).toBe(await A('extr w0, w1, w2, #31'));
  });
  it('every lsb, both widths; ROR (immediate) when Rn = Rm', async () => {
    const n = 0x0123456789abcdefn, m = 0xfedcba9876543210n;
    const cases: BulkCase[] = [];
    for (let lsb = 0; lsb < 64; lsb++) {
      const want = u(((n << 64n) | m) >> BigInt(lsb));
      cases.push({ word: extrWord(1, 1, 2, lsb, 1, 0), x: { 1: n, 2: m }, want: { x: { 0: want } }, label: `extr x #${lsb}` });
      if (lsb < 32) {
        const w32 = u(((u(n, 32) << 32n) | u(m, 32)) >> BigInt(lsb), 32);
        cases.push({ word: extrWord(0, 0, 2, lsb, 1, 0), x: { 1: n, 2: m }, want: { x: { 0: w32 } }, label: `extr w #${lsb}` });
      }
    }
    for (const k of [0, 1, 31, 32, 33, 63]) {
      cases.push({ word: await A(`ror x3, x4, #${k}`), x: { 4: n }, want: { x: { 3: u((n >> BigInt(k)) | (n << BigInt(64 - k))) } } });
    }
    for (const k of [0, 1, 16, 31]) {
      const v = u(m, 32);
      cases.push({ word: await A(`ror w3, w4, #${k}`), x: { 4: m }, want: { x: { 3: u((v >> BigInt(k)) | (v << BigInt(32 - k)), 32) } } });
    }
    bulk(cases);
  });
  it('sf=0 with imms>=32, N != sf, op21 != 00 and o0 = 1 are UNDEFINED', () => {
    expect(isUndef(extrWord(0, 0, 2, 32, 1, 0))).toBe(true);
    expect(isUndef(extrWord(0, 1, 2, 3, 1, 0))).toBe(true);
    expect(isUndef(extrWord(1, 0, 2, 3, 1, 0))).toBe(true);
    expect(isUndef(extrWord(1, 1, 2, 3, 1, 0) | (1 << 29))).toBe(true);
    expect(isUndef(extrWord(1, 1, 2, 3, 1, 0) | (1 << 21))).toBe(true);
  });
});
