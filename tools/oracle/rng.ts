// Deterministic PRNG shared by the generator, the replay and (re-implemented bit for bit) the C driver:
// xoshiro128** seeded through splitmix32. 32-bit integer arithmetic only, so TypeScript and C agree.
//
// Changing anything here changes every initial state regenerated from a fixture seed: bump
// FIXTURE_VERSION in layout.ts and regenerate the fixtures.

export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A stream of numbers determined by (seed, stream). */
  constructor(seed: number, stream = 0) {
    let x = (seed ^ Math.imul(stream, 0x632be5ab)) >>> 0;
    this.s0 = splitmix32(x); x = (x + 0x9e3779b9) >>> 0;
    this.s1 = splitmix32(x); x = (x + 0x9e3779b9) >>> 0;
    this.s2 = splitmix32(x); x = (x + 0x9e3779b9) >>> 0;
    this.s3 = splitmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The four state words (for callers that inline the generator). */
  state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Next unsigned 32-bit number. */
  next(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform integer in [0, n) for n <= 2^32 (modulo bias is irrelevant here). */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p * 4294967296;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }

  /** Uniform unsigned 64-bit value. */
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
