// Directed rounding at the last bit: products and a fused multiply-add whose exact value is a tie,
// just above one, or just below a representable value, in all four FPCR rounding modes. Expected
// values are hand-derived from the exact products (checked with Python's Fraction arithmetic), so an
// off-by-one-ulp in the library's error-free transformations or its rounding fails here even
// without QEMU.

import { describe, expect, it } from 'vitest';
import * as fp from '../../emu/cpu/fp/index.js';
import { R, LO, HI } from '../../emu/cpu/int64.js';

const MODES = ['RN', 'RU', 'RD', 'RZ'] as const;
const fpcr = (m: number): number => m << 22;
const lo = (v: bigint): number => Number(v & 0xffffffffn) | 0;
const hi = (v: bigint): number => Number(v >> 32n) | 0;
const rd = (): bigint => (BigInt(R[HI] >>> 0) << 32n) | BigInt(R[LO] >>> 0);

describe('binary64 multiply: ties and near-ties in every rounding mode', () => {
  // a, b, results in RN RU RD RZ; all inexact
  const cases: [bigint, bigint, bigint[]][] = [
    // (1 + 2^-26)(1 + 2^-27) = 1 + 2^-26 + 2^-27 + 2^-53: exactly half an ulp above an even value
    [0x3ff0000004000000n, 0x3ff0000002000000n, [0x3ff0000006000000n, 0x3ff0000006000001n, 0x3ff0000006000000n, 0x3ff0000006000000n]],
    // the same with one more ulp in b: above the tie
    [0x3ff0000004000000n, 0x3ff0000002000001n, [0x3ff0000006000002n, 0x3ff0000006000002n, 0x3ff0000006000001n, 0x3ff0000006000001n]],
    // (1 + 2^-26)(1 - 2^-27) = 1 + 2^-27 - 2^-53: a tie below 1 + 2^-27
    [0x3ff0000004000000n, 0x3feffffffc000000n, [0x3ff0000002000000n, 0x3ff0000002000000n, 0x3ff0000001ffffffn, 0x3ff0000001ffffffn]],
    // negative: the directed modes swap
    [0xbff0000004000000n, 0x3ff0000002000000n, [0xbff0000006000000n, 0xbff0000006000000n, 0xbff0000006000001n, 0xbff0000006000000n]],
    // (1 + 2^-52)(1 - 2^-53) = 1 + 2^-53 - 2^-105: just below a tie
    [0x3ff0000000000001n, 0x3fefffffffffffffn, [0x3ff0000000000000n, 0x3ff0000000000001n, 0x3ff0000000000000n, 0x3ff0000000000000n]],
  ];
  for (const [a, b, want] of cases) {
    it(`${a.toString(16)} * ${b.toString(16)}`, () => {
      MODES.forEach((m, k) => {
        const st = { fpcr: fpcr(k), fpsr: 0 };
        fp.dMul(st, lo(a), hi(a), lo(b), hi(b));
        expect(rd().toString(16), m).toBe(want[k].toString(16));
        expect(st.fpsr, m).toBe(fp.IXC);
      });
    });
  }
});

describe('binary32 multiply: ties and exact products', () => {
  const cases: [number, number, number[], number][] = [
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: a tie
    [0x3f800800, 0x3f800800, [0x3f801000, 0x3f801001, 0x3f801000, 0x3f801000], fp.IXC],
    [0x3f800801, 0x3f800800, [0x3f801002, 0x3f801002, 0x3f801001, 0x3f801001], fp.IXC],
    // (1 + 2^-12)(1 - 2^-12) = 1 - 2^-24: exact
    [0x3f800800, 0x3f7ff000, [0x3f7fffff, 0x3f7fffff, 0x3f7fffff, 0x3f7fffff], 0],
  ];
  for (const [a, b, want, flags] of cases) {
    it(`${a.toString(16)} * ${b.toString(16)}`, () => {
      MODES.forEach((m, k) => {
        const st = { fpcr: fpcr(k), fpsr: 0 };
        expect((fp.sMul(st, a, b) >>> 0).toString(16), m).toBe(want[k].toString(16));
        expect(st.fpsr, m).toBe(flags);
      });
    });
  }
});

describe('fused multiply-add rounds once', () => {
  it('(1 + 2^-52)^2 - 1 = 2^-51 + 2^-104 in binary64', () => {
    const want = [0x3cc0000000000000n, 0x3cc0000000000001n, 0x3cc0000000000000n, 0x3cc0000000000000n];
    MODES.forEach((m, k) => {
      const st = { fpcr: fpcr(k), fpsr: 0 };
      fp.dMulAdd(st, 0, 0xbff00000 | 0, 1, 0x3ff00000, 1, 0x3ff00000);
      expect(rd().toString(16), m).toBe(want[k].toString(16));
      expect(st.fpsr, m).toBe(fp.IXC);
    });
  });
  it('(1 + 2^-23)^2 - 1 = 2^-22 + 2^-46 in binary32', () => {
    const want = [0x34800000, 0x34800001, 0x34800000, 0x34800000];
    MODES.forEach((m, k) => {
      const st = { fpcr: fpcr(k), fpsr: 0 };
      expect((fp.sMulAdd(st, 0xbf800000 | 0, 0x3f800001, 0x3f800001) >>> 0).toString(16), m).toBe(want[k].toString(16));
      expect(st.fpsr, m).toBe(fp.IXC);
    });
  });
  it('an unfused a*b+c would differ: 0.1 * 10 - 1 in binary64 is 2^-54 fused, 0 unfused', () => {
    const st = { fpcr: 0, fpsr: 0 };
    // 0.1 = 0x3fb999999999999a, 10 = 0x4024000000000000, -1
    fp.dMulAdd(st, 0, 0xbff00000 | 0, 0x9999999a | 0, 0x3fb99999, 0, 0x40240000);
    expect(rd().toString(16)).toBe('3c90000000000000');
    expect(st.fpsr).toBe(0);
  });
});
