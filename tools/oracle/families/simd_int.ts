// Operand set-up shared by the AdvSIMD integer families (simd_same.ts ... simd_perm.ts): vectors whose
// lanes are integer edge values of the instruction's element size (0, +-1, the signed and unsigned
// bounds and their neighbours, powers of two, small numbers, random bits), since the seed's FP values
// rarely hit integer saturation and rounding boundaries. Shift-by-register operands get lanes with
// small signed shift counts (the bottom byte is the count), table lookups indices in and near the table.

import type { Gen } from '../catalogue.js';
import type { Rng } from '../rng.js';
import { Builder, field, M64, RN, RS, RT, setField } from '../shape.js';

/** One lane of `bits` bits (as an unsigned bigint). */
export function laneValue(g: Rng, bits: number): bigint {
  const B = BigInt(bits), mask = (1n << B) - 1n, half = 1n << (B - 1n);
  let v: bigint;
  switch (g.below(14)) {
    case 0: v = 0n; break;
    case 1: v = 1n; break;
    case 2: v = mask; break; // -1
    case 3: v = half - 1n; break; // signed max
    case 4: v = half; break; // signed min
    case 5: v = half + 1n; break;
    case 6: v = half - 2n; break;
    case 7: v = mask - 1n; break;
    case 8: v = BigInt(g.range(-20, 20)); break;
    case 9: v = 1n << BigInt(g.below(bits)); break;
    case 10: v = (1n << BigInt(g.below(bits))) - 1n; break;
    case 11: v = half + BigInt(g.range(-3, 3)); break;
    default: v = g.u64();
  }
  return v & mask;
}

/** A 128-bit vector of `bits`-bit lanes as [lo, hi]; shift = lanes of small signed counts. */
export function intVector(g: Rng, bits: number, shift = false): [bigint, bigint] {
  let v = 0n;
  for (let k = 0; k < 128 / bits; k++) {
    const x = shift ? BigInt(g.range(-(bits + 3), bits + 3)) & ((1n << BigInt(bits)) - 1n) : laneValue(g, bits);
    v |= x << BigInt(k * bits);
  }
  return [v & M64, v >> 64n];
}

export interface IntOpts {
  /** Element bits of the operands (default: 8 << size field). */
  bits?: (w: number) => number;
  /** Vm's lanes are shift counts. */
  shiftM?: boolean;
}

const sizeBits = (w: number): number => 8 << field(w, 22, 2);

/** Vn, Vm (and Vd, for accumulating forms) with integer edge lanes 85% of the time, else the seed's;
 * a fifth of the time Vm = Vn. Lanes of a random size a quarter of the time (the value mix then
 * crosses element boundaries). */
export function intGen(opts: IntOpts = {}): Gen {
  return (b: Builder, w: number) => {
    const g = b.g;
    if (g.chance(0.85)) {
      const bits = g.chance(0.25) ? 8 << g.below(4) : Math.min(64, (opts.bits ?? sizeBits)(w));
      const rn = RN(w), rm = RS(w), rd = RT(w);
      const [dl, dh] = intVector(g, bits);
      b.setV(rd, dl, dh);
      const [nl, nh] = intVector(g, bits);
      b.setV(rn, nl, nh);
      if (g.chance(0.2)) b.setV(rm, nl, nh);
      else {
        const [ml, mh] = intVector(g, bits, opts.shiftM === true && g.chance(0.7));
        b.setV(rm, ml, mh);
      }
    }
    return [w];
  };
}

/** Table lookups: index bytes mostly inside or just past the table of len + 1 registers. */
export const tblGen: Gen = (b, w) => {
  const g = b.g, regs = field(w, 13, 2) + 1;
  if (g.chance(0.8)) {
    let v = 0n;
    for (let k = 0; k < 16; k++) v |= BigInt(g.chance(0.9) ? g.below(regs * 16 + 8) : g.below(256)) << BigInt(8 * k);
    b.setV(RS(w), v & M64, v >> 64n);
  }
  return [w];
};

/** Shift by immediate: immh = 0 is another class (modified immediate), so pick a non-zero immh. */
export function shiftImmGen(base: Gen): Gen {
  return (b, w) => {
    if (field(w, 19, 4) === 0) w = setField(w, 19, 4, 1 + b.g.below(15));
    return base(b, w);
  };
}

export function bits(v: number, n: number): string {
  return v.toString(2).padStart(n, '0');
}

/** Mostly (85%) an allocated element size (`sizes`, in the size field at bits 23:22), so that reserved
 * sizes, which are UNDEFINED, do not take a large share of the cases. */
export function pinSize(base: Gen, sizes: number[]): Gen {
  return (b, w) => {
    if (b.g.chance(0.85)) w = setField(w, 22, 2, sizes[b.g.below(sizes.length)]);
    return base(b, w);
  };
}
