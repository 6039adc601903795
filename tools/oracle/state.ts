// The initial state of a case, regenerated from its 32-bit seed: X0..X30, SP, NZCV, TPIDR_EL0 and the
// scratch memory. Cases then override a few registers (base addresses, offsets, compare values); the
// fixtures store only the seed and those overrides.
//
// The derivation must never change silently (fixtures depend on it): bump FIXTURE_VERSION instead.

import { Rng } from './rng.js';
import { NSLOTS, SCRATCH_SIZE, SLOT_NZCV, SLOT_SP, SLOT_TPIDR } from './layout.js';

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

/** The register slots (X0..X30, SP, NZCV, TPIDR_EL0) a seed gives. */
export function seedRegs(seed: number): bigint[] {
  const g = new Rng(seed, 2);
  const regs: bigint[] = [];
  for (let r = 0; r <= 30; r++) regs.push(oneValue(g, regs));
  regs[SLOT_SP] = oneValue(g, regs);
  regs[SLOT_NZCV] = BigInt(g.below(16)) << 28n;
  regs[SLOT_TPIDR] = g.chance(0.5) ? g.u64() : g.pick(EDGE_VALUES);
  if (regs.length !== NSLOTS) throw new Error('state: slot count');
  return regs;
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
  for (const [slot, v] of overrides) regs[slot] = BigInt.asUintN(64, v);
  return regs;
}
