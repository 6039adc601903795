// Operand generators for the FP oracle tests: special values (zeros, infinities, quiet and signalling
// NaNs with payloads, denormals, extremes, integer-conversion boundaries) mixed with random patterns
// biased toward the interesting places (few significand bits for ties, extreme exponents, cancellation).

import type { Case, Kind, Op } from './qemu-fp.js';

/** xorshift128+ on BigInt state: deterministic from the seed. */
export class Rng {
  private a: bigint; private b: bigint;
  constructor(seed: number) {
    this.a = BigInt(seed >>> 0) * 0x9e3779b97f4a7c15n + 1n; this.b = (this.a ^ 0x632be59bd9b4e019n) | 1n;
    for (let k = 0; k < 8; k++) this.next64();
  }
  next64(): bigint {
    const M = 0xffffffffffffffffn;
    let s1 = this.a; const s0 = this.b;
    this.a = s0; s1 ^= (s1 << 23n) & M; s1 ^= s1 >> 17n; s1 ^= s0; s1 ^= s0 >> 26n; this.b = s1;
    return (this.a + this.b) & M;
  }
  int(n: number): number { return Number(this.next64() % BigInt(n)); }
  bits(n: number): bigint { return this.next64() & ((1n << BigInt(n)) - 1n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
}

const S_SPECIAL = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7fc12345, 0x7f800001, 0xff812345,
  0x7fa00000, 1, 0x80000001, 0x807fffff, 0x00400000, 0x00200000, 0x00800000, 0x80800000, 0x7f7fffff,
  0xff7fffff, 0x3f800000, 0xbf800000, 0x3f000000, 0x4f000000, 0x4f800000, 0x5f000000, 0x5f800000,
  0xcf000000, 0xdf000000, 0x4effffff, 0x5effffff, 0x3fc00000, 0x40200000, 0xbfc00000, 0xbf000000,
  0x3effffff, 0x4b000000, 0x4b000001, 0x4affffff, 0x40400000, 0x7e800000, 0x01000000, 0x00ffffff,
].map((v) => BigInt(v >>> 0));

const D_SPECIAL = [
  0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
  0xfff8000000000001n, 0x7ff8123456789abcn, 0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff7ffffffffffffn,
  1n, 0x8000000000000001n, 0x000fffffffffffffn, 0x0008000000000000n, 0x0010000000000000n,
  0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, 0x3ff0000000000000n, 0xbff0000000000000n,
  0x3fe0000000000000n, 0x41e0000000000000n, 0x41f0000000000000n, 0x43e0000000000000n, 0x43f0000000000000n,
  0xc1e0000000000000n, 0xc3e0000000000000n, 0x41dfffffffffffffn, 0x41efffffffffffffn, 0x43dfffffffffffffn,
  0x43efffffffffffffn, 0x3ff8000000000000n, 0x4004000000000000n, 0xbff8000000000000n, 0x4330000000000000n,
  0x4330000000000001n, 0x432fffffffffffffn, 0x47efffffe0000000n, 0x47efffffffffffffn, 0x3810000000000000n,
  0x380fffffffffffffn, 0x36a0000000000000n, 0x3690000000000000n, 0x7fe0000000000000n, 0x0020000000000000n,
  0x40effc0000000000n, 0x40f0000000000000n, 0x3f10000000000000n, 0x3e70000000000000n,
];

const I_SPECIAL = [
  0n, 1n, 2n, 3n, 0xffffffffffffffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0xffffffff80000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0x0020000000000001n, 0x1000001n, 0x1000003n, 0x7fffff80n,
  0xffffff7fn, 0x8000008000000000n, 0xfffffffffefffffen, 0x20000000000003n, 0x7ffffffffffffdffn,
];

function sRandom(r: Rng): bigint {
  const sign = r.bits(1) << 31n;
  switch (r.int(8)) {
    case 0: return r.bits(32);
    case 1: return sign | (BigInt(127 - 30 + r.int(60)) << 23n) | r.bits(23);
    case 2: return sign | (BigInt(127 - 30 + r.int(60)) << 23n) | (r.bits(4) << 19n);
    case 3: return sign | (BigInt(r.int(30)) << 23n) | r.bits(23);
    case 4: return sign | (BigInt(225 + r.int(30)) << 23n) | r.bits(23);
    case 5: return sign | (BigInt(120 + r.int(40)) << 23n) | (r.bits(12) << 11n);
    case 6: return sign | (BigInt(r.int(3)) << 23n) | (r.bits(3) << BigInt(r.int(21)));
    default: return r.pick(S_SPECIAL);
  }
}

function dRandom(r: Rng): bigint {
  const sign = r.bits(1) << 63n;
  switch (r.int(9)) {
    case 0: return r.bits(64);
    case 1: return sign | (BigInt(1023 - 60 + r.int(120)) << 52n) | r.bits(52);
    case 2: return sign | (BigInt(1023 - 60 + r.int(120)) << 52n) | (r.bits(5) << 47n);
    case 3: return sign | (BigInt(r.int(60)) << 52n) | r.bits(52);
    case 4: return sign | (BigInt(2046 - r.int(60)) << 52n) | r.bits(52);
    case 5: return sign | (BigInt(1023 - 200 + r.int(400)) << 52n) | (r.bits(26) << 26n);
    case 6: return sign | (BigInt(r.int(3)) << 52n) | (r.bits(3) << BigInt(r.int(50)));
    case 7: return sign | (BigInt(896 - 30 + r.int(60)) << 52n) | (r.bits(23) << 29n); // binary32 edges
    default: return r.pick(D_SPECIAL);
  }
}

function hRandom(r: Rng): bigint {
  switch (r.int(3)) {
    case 0: return r.bits(16);
    case 1: return r.pick([0n, 0x8000n, 0x7c00n, 0xfc00n, 0x7e00n, 0x7d01n, 0xfe55n, 1n, 0x3ffn, 0x400n, 0x7bffn, 0x7fffn, 0xffffn, 0x3c00n]);
    default: return (r.bits(1) << 15n) | (BigInt(r.pick([0, 1, 30, 31, 15, 14])) << 10n) | r.bits(10);
  }
}

function iRandom(r: Rng, kind: Kind): bigint {
  let v: bigint;
  switch (r.int(4)) {
    case 0: v = r.bits(64); break;
    case 1: v = r.bits(r.int(64) + 1); break;
    case 2: v = (r.bits(r.int(30) + 1) | 1n) << BigInt(r.int(40)); if (r.int(2)) v = -v; break;
    default: v = r.pick(I_SPECIAL);
  }
  v &= 0xffffffffffffffffn;
  return kind === 'w' ? v & 0xffffffffn : v;
}

function operand(r: Rng, kind: Kind): bigint {
  switch (kind) {
    case 's': return sRandom(r);
    case 'd': return dRandom(r);
    case 'h': return hRandom(r);
    default: return iRandom(r, kind);
  }
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** n random cases for each op, FPCR random over RMode, FZ, DN, AHP. */
export function makeCases(ops: Op[], n: number, seed: number): Case[] {
  const r = new Rng(seed);
  const out: Case[] = [];
  ops.forEach((op, k) => {
    for (let j = 0; j < n; j++) {
      const fpcr = (r.int(4) << 22) | (r.int(3) === 0 ? 1 << 24 : 0) | (r.int(3) === 0 ? 1 << 25 : 0) | (r.int(3) === 0 ? 1 << 26 : 0);
      const a = op.ins.map((kind) => operand(r, kind));
      while (a.length < 3) a.push(r.bits(64));
      // Same-scale operands and cancellations: the last operand derived from the first two.
      if (op.ins.length >= 2 && op.ins[0] === op.ins[1] && r.int(3) === 0) {
        const kind = op.ins[0];
        if (kind === 's') {
          u32[0] = Number(a[0]); const x = f32[0]; u32[0] = Number(a[1]); const y = f32[0];
          f32[0] = op.ins.length === 3 ? -(x * y) : (r.int(2) ? -x : x * (r.int(5) + 1));
          let b = BigInt(u32[0]) + BigInt(r.int(5) - 2);
          if (op.ins.length === 3) a[2] = b & 0xffffffffn; else a[1] = b & 0xffffffffn;
          b = 0n;
        } else if (kind === 'd') {
          u64[0] = a[0]; const x = f64[0]; u64[0] = a[1]; const y = f64[0];
          f64[0] = op.ins.length === 3 ? -(x * y) : (r.int(2) ? -x : x * (r.int(5) + 1));
          const b = (u64[0] + BigInt(r.int(5) - 2)) & 0xffffffffffffffffn;
          if (op.ins.length === 3) a[2] = b; else a[1] = b;
        }
      }
      out.push({ op: k, fpcr, a: a[0], b: a[1], c: a[2] });
    }
  });
  return out;
}
