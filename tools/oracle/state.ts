// The initial state of a case, regenerated from its 32-bit seed: X0..X30, SP, NZCV, TPIDR_EL0 and the
// scratch memory. Cases then override a few registers (base addresses, offsets, compare values); the
// fixtures store only the seed and those overrides.
//
// The derivation must never change silently (fixtures depend on it): bump FIXTURE_VERSION instead.

import { Rng } from './rng.js';
import { NSLOTS, NSLOTS_INT, SCRATCH_SIZE, SLOT_FPCR, SLOT_FPSR, SLOT_NZCV, SLOT_SP, SLOT_TPIDR, SLOT_V } from './layout.js';

const M64 = (1n << 64n) - 1n;

/** Values that tend to expose carry, overflow, sign and width bugs. */
export const EDGE_VALUES: readonly bigint[] = [
  0n, 1n, 2n, 31n, 32n, 63n, 64n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x10000n,
  0x7fffffffn, 0x80000000n, 0x80000001n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x1_0000_0001n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xfffffffffffffffen, 0xffffffffffffffffn,
  0xffffffff00000000n, 0xffffffff80000000n, 0xffffffff7fffffffn, 0x00000000ffff0000n,
  0xaaaaaaaaaaaaaaaan, 0x5555555555555555n, 0x0f0f0f0f0f0f0f0fn, 0x8080808080808080n,
];

/** Values an unconstrained register must not take: they could point into memory that QEMU's process
 * maps (its own image at 0x400000 and heap) or that our RAM holds but QEMU's process does not. */
function forbidden(v: bigint): boolean {
  return v >= 0x40_0000n && v < 0x4200_0000n;
}

function oneValue(g: Rng, regs: bigint[]): bigint {
  const k = g.below(100);
  let v: bigint;
  if (k < 30) v = g.u64();
  else if (k < 48) v = BigInt.asUintN(64, BigInt(g.range(-16, 40)));
  else if (k < 64) v = g.pick(EDGE_VALUES);
  else if (k < 74) v = BigInt(g.next());
  else if (k < 80) v = 0xffffffff00000000n | BigInt(g.next());
  else if (k < 86) v = BigInt(g.next()) << BigInt(g.range(1, 32));
  else if (k < 94 && regs.length > 0) v = regs[g.below(regs.length)] + BigInt(g.range(-2, 2));
  else v = BigInt(g.below(4096) * 8);
  v &= M64;
  return forbidden(v) ? g.u64() : v;
}

/** The general-purpose register slots (X0..X30, SP, NZCV, TPIDR_EL0) a seed gives. */
export function seedRegs(seed: number): bigint[] {
  const g = new Rng(seed, 2);
  const regs: bigint[] = [];
  for (let r = 0; r <= 30; r++) regs.push(oneValue(g, regs));
  regs[SLOT_SP] = oneValue(g, regs);
  regs[SLOT_NZCV] = BigInt(g.below(16)) << 28n;
  regs[SLOT_TPIDR] = g.chance(0.5) ? g.u64() : g.pick(EDGE_VALUES);
  if (regs.length !== NSLOTS_INT) throw new Error('state: slot count');
  return regs;
}

// ---------------------------------------------------------------- SIMD&FP state
//
// Each V register is filled lane by lane with values chosen for one lane size (H, S or D: the sizes
// FP instructions read), or with integer-lane edge values, or random bits. FP lane values come from
// a list of special encodings per format (NaNs with payloads, infinities, zeros, denormals, min/max
// normal, values at integer-conversion boundaries), sometimes moved by an ulp or two, or are random
// values whose low bits sit exactly on a rounding tie of a narrower format, or near the bounds.

interface FpFormat { bits: number; exp: number; frac: number }
const H: FpFormat = { bits: 16, exp: 5, frac: 10 };
const S: FpFormat = { bits: 32, exp: 8, frac: 23 };
const D: FpFormat = { bits: 64, exp: 11, frac: 52 };

/** The encoding of 2^e (e within the normal range) in a format. */
function pow2(f: FpFormat, e: number): bigint {
  return BigInt(e + (1 << (f.exp - 1)) - 1) << BigInt(f.frac);
}

/** Special encodings of a format (positive; the sign is chosen separately). */
function specials(f: FpFormat): bigint[] {
  const fr = BigInt(f.frac), expAll = (1n << BigInt(f.exp)) - 1n, fracAll = (1n << fr) - 1n;
  const inf = expAll << fr, qbit = 1n << (fr - 1n);
  const v: bigint[] = [
    0n, inf, inf | qbit, inf | qbit | 1n, inf | 1n, inf | (qbit >> 1n), inf | fracAll, inf | (fracAll >> 1n), // NaNs: quiet, signalling, payloads
    1n, fracAll, 1n << fr, (1n << fr) | 1n, fracAll >> 1n, qbit, // denormals, min normal
    (inf - 1n), (inf - 2n), pow2(f, 0), pow2(f, 0) | 1n, pow2(f, -1), pow2(f, 1), pow2(f, 0) | qbit, // max normal, 1, 0.5, 2, 1.5
    pow2(f, 1) | (qbit >> 1n), pow2(f, -1) | fracAll, // 2.5 (a tie for FRINT), 0.999...
  ];
  // Integer-conversion boundaries (2^15/16, 2^31/32, 2^63/64) where the format reaches them.
  for (const e of [15, 16, 31, 32, 53, 63, 64]) if (e < (1 << (f.exp - 1))) v.push(pow2(f, e), pow2(f, e) - 1n, pow2(f, e) + 1n);
  // Overflow/underflow thresholds of the narrower formats (conversions).
  if (f.bits > 16) v.push(pow2(f, 15) | (0x3ffn << (fr - 10n)), pow2(f, 16), pow2(f, -14), pow2(f, -24), pow2(f, -25));
  if (f.bits > 32) v.push(pow2(f, 127) | (0x7fffffn << (fr - 23n)), pow2(f, 128), pow2(f, -126), pow2(f, -149), pow2(f, -150));
  return v;
}

const SPECIALS = new Map<FpFormat, bigint[]>([[H, specials(H)], [S, specials(S)], [D, specials(D)]]);

/** One lane of format f. */
function fpLane(g: Rng, f: FpFormat): bigint {
  const width = BigInt(f.bits), mask = (1n << width) - 1n, sign = 1n << (width - 1n), fr = BigInt(f.frac);
  const rnd = (): bigint => (f.bits === 64 ? g.u64() : BigInt(g.next())) & mask;
  const k = g.below(100);
  let v: bigint;
  if (k < 45) {
    v = g.pick(SPECIALS.get(f)!);
    if (g.chance(0.25)) v = (v + BigInt(g.range(-2, 2))) & (sign - 1n); // an ulp or two away
  } else if (k < 60) {
    // A random value with its low bits exactly halfway for a narrower format (or an integer: ties of
    // FRINT / FCVT* live at the fraction bits below the binary point).
    const drop = f === D ? g.pick([29n, 42n, 1n + BigInt(g.below(52))]) : f === S ? g.pick([13n, 1n + BigInt(g.below(23))]) : 1n + BigInt(g.below(10));
    const e = BigInt(g.range(-20, 70));
    const bias = (1n << BigInt(f.exp - 1)) - 1n;
    let ex = e + bias;
    if (ex < 1n) ex = 1n;
    if (ex >= (1n << BigInt(f.exp)) - 1n) ex = (1n << BigInt(f.exp)) - 2n;
    v = (ex << fr) | (rnd() & ((1n << fr) - 1n));
    v = (v & ~((1n << drop) - 1n)) | (1n << (drop - 1n)) | (g.chance(0.3) ? BigInt(g.below(2)) : 0n);
  } else if (k < 75) {
    // Near the top or bottom of the exponent range.
    const ex = g.chance(0.5) ? BigInt(g.below(3)) : (1n << BigInt(f.exp)) - 2n - BigInt(g.below(3));
    v = (ex << fr) | (rnd() & ((1n << fr) - 1n));
  } else if (k < 88) {
    // An ordinary value of moderate magnitude.
    const bias = (1n << BigInt(f.exp - 1)) - 1n;
    v = ((bias + BigInt(g.range(-8, 8))) << fr) | (rnd() & ((1n << fr) - 1n));
  } else {
    v = rnd();
  }
  if (g.chance(0.5)) v ^= sign;
  return v & mask;
}

/** Integer-lane edge values (conversions from integers, saturation, shifts). */
const INT_EDGES: readonly bigint[] = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x1fffffffffffffn, 0x20000000000001n,
  0xffffffn, 0x1000001n,
];

function oneV(g: Rng): [bigint, bigint] {
  const k = g.below(100);
  let lanes: bigint[], width: number;
  if (k < 12) return [g.u64(), g.u64()];
  if (k < 40) { width = 64; lanes = [fpLane(g, D), fpLane(g, D)]; }
  else if (k < 68) { width = 32; lanes = Array.from({ length: 4 }, () => fpLane(g, S)); }
  else if (k < 82) { width = 16; lanes = Array.from({ length: 8 }, () => fpLane(g, H)); }
  else {
    width = g.pick([8, 16, 32, 64]);
    const m = (1n << BigInt(width)) - 1n;
    lanes = Array.from({ length: 128 / width }, () => {
      const v = g.chance(0.6) ? g.pick(INT_EDGES) + BigInt(g.range(-1, 1)) : g.u64();
      return (g.chance(0.3) ? -v : v) & m;
    });
  }
  let q = 0n;
  for (let j = lanes.length - 1; j >= 0; j--) q = (q << BigInt(width)) | lanes[j];
  return [q & M64, q >> 64n];
}

/** FPCR.{AHP, DN, FZ, RMode}: bits 26, 25, 24 and 23:22. */
export const FPCR_MODE_BITS = 0x07c00000;
/** FPSR cumulative flags and QC. */
export const FPSR_FLAG_BITS = 0x0800009f;

/** The SIMD&FP slots (V0-V31 as low/high halves, FPCR, FPSR) a seed gives: stream 3, so the
 * general-purpose state (stream 2) is the same as before SIMD&FP existed. A quarter of the cases run
 * with FPCR = 0 (the default environment); the rest with every mode combination equally likely. FPSR
 * starts clear most of the time, so that every flag an instruction raises shows. */
export function seedFpRegs(seed: number): bigint[] {
  const g = new Rng(seed, 3);
  const out: bigint[] = [];
  for (let n = 0; n < 32; n++) out.push(...oneV(g));
  out.push(g.chance(0.25) ? 0n : BigInt(g.below(32) << 22));
  out.push(g.chance(0.75) ? 0n : BigInt((g.next() & FPSR_FLAG_BITS) >>> 0));
  return out;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Scratch contents for a seed. driver.c implements the same function (fill_scratch). The PRNG is
 * Rng(seed, 1) inlined into locals: this runs once per replayed case. */
export function seedScratch(seed: number, out: Uint8Array = new Uint8Array(SCRATCH_SIZE)): Uint8Array {
  const g = new Rng(seed, 1);
  let [s0, s1, s2, s3] = g.state();
  const fast = LITTLE_ENDIAN_HOST && out.byteOffset % 4 === 0;
  const u32 = fast ? new Uint32Array(out.buffer, out.byteOffset, SCRATCH_SIZE / 4) : null;
  const dv = fast ? null : new DataView(out.buffer, out.byteOffset, out.byteLength);
  const next = (): number => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    return r;
  };
  for (let k = 0; k < SCRATCH_SIZE / 4; k++) {
    const v = next();
    let w: number;
    switch (v & 15) {
      case 0: w = 0; break;
      case 1: w = 0xffffffff; break;
      case 2: w = 0x80000000; break;
      case 3: w = 0x7fffffff; break;
      case 4: w = next() & 0xff; break;
      case 5: w = (next() & 0xffff) | 0xffff0000; break;
      default: w = next();
    }
    if (u32 !== null) u32[k] = w;
    else dv!.setUint32(4 * k, w >>> 0, true);
  }
  return out;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over the scratch bytes: the driver reports it so a PRNG disagreement is caught at once. */
export function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < b.length; k++) h = Math.imul(h ^ b[k], 0x01000193);
  return h >>> 0;
}

/** The full initial register slots of a case: the seed's state with the case's overrides. */
export function caseRegs(seed: number, overrides: ReadonlyMap<number, bigint>): bigint[] {
  const regs = seedRegs(seed);
  regs.push(...seedFpRegs(seed));
  if (regs.length !== NSLOTS || regs[SLOT_V] === undefined || regs[SLOT_FPSR] === undefined || SLOT_FPCR + 1 !== SLOT_FPSR) throw new Error('state: slot count');
  for (const [slot, v] of overrides) regs[slot] = BigInt.asUintN(64, v);
  return regs;
}
