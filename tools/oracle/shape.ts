// Operand set-up shared by the integer shapes (cases.ts) and the family generators (families/*.ts):
// instruction fields, the Builder that collects a case's register overrides, and effective addresses
// placed in scratch (or, rarely, unmapped).

import { Rng } from './rng.js';
import { seedFpRegs, seedScratch } from './state.js';
import { SCRATCH, SCRATCH_SIZE, SLOT_SP, SLOT_V, UNMAPPED } from './layout.js';

export const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint | number): bigint => BigInt.asUintN(64, BigInt(v));

export function field(w: number, shift: number, width: number): number {
  return (w >>> shift) & ((1 << width) - 1);
}

export function setField(w: number, shift: number, width: number, v: number): number {
  const m = ((1 << width) - 1) << shift;
  return ((w & ~m) | ((v << shift) & m)) >>> 0;
}

export const RT = (w: number): number => w & 31;
export const RN = (w: number): number => (w >>> 5) & 31;
export const RT2 = (w: number): number => (w >>> 10) & 31;
export const RS = (w: number): number => (w >>> 16) & 31;

/** A register number (0..30) different from all of `avoid`. */
export function otherReg(g: Rng, avoid: number[]): number {
  for (;;) {
    const r = g.below(31);
    if (!avoid.includes(r)) return r;
  }
}

/** Things the generator decides for one case. */
export class Builder {
  readonly ov = new Map<number, bigint>();
  private scratch: Uint8Array | undefined;
  private fp: bigint[] | undefined;
  constructor(readonly g: Rng, readonly seed: number) {}

  /** Value of an X register or SP slot (31) for an operand; XZR cannot be set. */
  set(slot: number, v: bigint): void {
    this.ov.set(slot, v & M64);
  }

  mem(off: number, bytes: number): bigint {
    this.scratch ??= seedScratch(this.seed);
    let v = 0n;
    for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(this.scratch[off + k]);
    return v;
  }

  /** Vn as [bits 63:0, bits 127:64]: the seed's value or an override. */
  v(n: number): [bigint, bigint] {
    this.fp ??= seedFpRegs(this.seed);
    const lo = this.ov.get(SLOT_V + 2 * n) ?? this.fp[2 * n], hi = this.ov.get(SLOT_V + 2 * n + 1) ?? this.fp[2 * n + 1];
    return [lo, hi];
  }

  /** Override Vn (both halves). */
  setV(n: number, lo: bigint, hi: bigint): void {
    this.ov.set(SLOT_V + 2 * n, lo & M64);
    this.ov.set(SLOT_V + 2 * n + 1, hi & M64);
  }
}

/** How an effective address may be placed: 'free' = anywhere in scratch, naturally aligned half the
 * time (normal accesses may be unaligned in Linux user mode); 'strict' = aligned, but misaligned 5% of
 * the time to check the Alignment fault; 'aligned' = always aligned. */
export type Placement = 'free' | 'strict' | 'aligned';

/** An effective address for an access of `bytes` bytes with alignment `align`; 2% of the time (when
 * allowFault) an unmapped address, to check the fault. */
export function pickEA(g: Rng, bytes: number, align: number, placement: Placement, allowFault = true): number {
  if (allowFault && g.chance(0.02)) return UNMAPPED + g.below(0x1000 / align) * align;
  const span = SCRATCH_SIZE - bytes;
  if (placement !== 'free') {
    if (placement === 'strict' && align > 1 && g.chance(0.05)) {
      let off = g.below(span + 1);
      if (off % align === 0) off += 1;
      return SCRATCH + Math.min(off, span);
    }
    return SCRATCH + g.below(Math.floor(span / align) + 1) * align;
  }
  if (g.chance(0.5)) return SCRATCH + g.below(Math.floor(span / bytes) + 1) * bytes;
  return SCRATCH + g.below(span + 1);
}

/** Set base register Rn so that base + off = ea. SP as a base must stay 16-byte aligned: the address
 * moves down (or up) by less than 16 to fix that, keeping `alignOfOff` alignment. */
export function setBase(b: Builder, rn: number, ea: number, off: bigint, bytes: number): void {
  let base = u64(BigInt(ea) - off);
  if (rn === 31) {
    const mis = Number(base & 15n);
    if (mis !== 0) {
      base -= BigInt(mis);
      if (Number(base + off) < SCRATCH && ea >= SCRATCH) base += 16n;
      if (Number(base + off) + bytes > SCRATCH + SCRATCH_SIZE && ea < SCRATCH + SCRATCH_SIZE) base -= 16n;
    }
  }
  b.set(rn === 31 ? SLOT_SP : rn, u64(base));
}


/** The default set-up of a SIMD&FP data-processing case: the seed's V registers, and a quarter of the
 * time the second operand equal to the first (Vm = Vn: equal operands, x - x, compare equal). */
export function fpOperands(b: Builder, w: number): number[] {
  const rn = RN(w), rm = RS(w);
  if (rn !== rm && b.g.chance(0.25)) {
    const [lo, hi] = b.v(rn);
    b.setV(rm, lo, hi);
  }
  return [w];
}
