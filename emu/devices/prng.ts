// A small deterministic generator for the devices and the device tree that need random bytes (the
// /chosen seeds, virtio-rng): xoshiro128** (Blackman and Vigna), its state filled by splitmix32 from
// the run's --seed and a stream number, so each consumer gets its own sequence and a run with the
// same seed gets the same bytes on every host.

/** Stream numbers: one per consumer, so adding a consumer does not change the others' bytes. */
export const PRNG_STREAM_CHOSEN = 1;
export const PRNG_STREAM_VIRTIO_RNG = 2;

export class Prng {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;

  constructor(seed: number | bigint, stream: number) {
    this.reseed(seed, stream);
  }

  /** Start over as a new Prng(seed, stream) would. */
  reseed(seed: number | bigint, stream: number): void {
    // Both 32-bit halves of the seed (0 to 2^64-1) and the stream go into splitmix32.
    const big = BigInt(seed);
    const lo = Number(big & 0xffffffffn), hi = Number((big >> 32n) & 0xffffffffn);
    let x = (Math.imul(hi, 0x9e3779b9) ^ lo ^ Math.imul(stream, 0x85ebca6b)) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Fill with random bytes (little-endian words). */
  fill(out: Uint8Array): Uint8Array {
    for (let k = 0; k < out.length; k += 4) {
      let w = this.nextU32();
      for (let j = k; j < Math.min(k + 4, out.length); j++) { out[j] = w & 0xff; w >>>= 8; }
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
