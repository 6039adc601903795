// Oracle family simd_fp_shift: Advanced SIMD (scalar) shift by immediate, the fixed-point conversions
// (Arm ARM: 0 Q U 011110 immh immb opcode 1 Rn Rd, scalar 01 U 111110 ...; opcode 11100 SCVTF/UCVTF,
// 11111 FCVTZS/FCVTZU). immh = 01xx: 32-bit lanes, 1xxx: 64-bit lanes (Q = 0 reserved for vectors,
// in the random bits); immh = 001x is ARMv8.2 half precision: unallocated entries.
//
// Half of the cases put values at the edges of the fixed-point conversion in Vn's lanes (the rest keep
// the seed's special values): for FCVTZS/FCVTZU, +-2^(k - fbits) an ulp either side (k = 31, 32, 63,
// 64: the saturation bounds) and around 2^-fbits (the truncated fraction); for SCVTF/UCVTF, integers
// whose rounding to the format is a tie or just off one, and the ends of the signed/unsigned range.

import type { Family, Gen } from '../catalogue.js';
import type { Rng } from '../rng.js';
import { RN, field } from '../shape.js';
import { aliased } from './simd_fp_alias.js';

const F32 = new Float32Array(1), W32 = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1), W64 = new BigUint64Array(F64.buffer);

/** A lane value (32 or 64 bits) near the edges of FCVTZ* with fbits fraction bits. */
function toIntEdge(g: Rng, esize: number, fbits: number): bigint {
  const k = g.pick(esize === 32 ? [31, 32, 0, 1, 30] : [63, 64, 0, 1, 62]);
  const v = (g.chance(0.3) ? -1 : 1) * 2 ** (k - fbits);
  const d = BigInt(g.range(0, 4) - 2);
  if (esize === 32) { F32[0] = v; return BigInt.asUintN(32, BigInt(W32[0]) + d); }
  F64[0] = v; return BigInt.asUintN(64, W64[0] + d);
}

/** An integer lane value whose conversion rounds at a tie or next to one, or a range end. */
function fromIntEdge(g: Rng, esize: number): bigint {
  const p = esize === 32 ? 24 : 53; // significand bits of the destination format (S or D)
  const top = g.range(p + 1, esize);  // the value's bit length
  let v = (1n << BigInt(top - 1)) | (BigInt.asUintN(top - 1, g.u64()) & ~((1n << BigInt(top - p)) - 1n));
  const half = 1n << BigInt(top - p - 1);
  v |= g.pick([half, half - 1n, half + 1n, 0n, (half << 1n) - 1n]); // the bits below the rounding point
  if (g.chance(0.15)) v = g.pick([0n, 1n, (1n << BigInt(esize - 1)) - 1n, 1n << BigInt(esize - 1), (1n << BigInt(esize)) - 1n]);
  if (g.chance(0.3)) v = -v;
  return BigInt.asUintN(esize, v);
}

function edges(toInt: boolean): Gen {
  return (b, w) => {
    if (b.g.chance(0.5)) return aliased(false)(b, w);
    const immhb = field(w, 16, 7), esize = immhb >= 64 ? 64 : 32;
    const fbits = 2 * esize - immhb;
    const lanes = 128 / esize;
    let lo = 0n, hi = 0n;
    for (let k = 0; k < lanes; k++) {
      const v = toInt ? toIntEdge(b.g, esize, fbits) : fromIntEdge(b.g, esize);
      const at = BigInt((k * esize) % 64);
      if (k * esize < 64) lo |= v << at; else hi |= v << at;
    }
    b.setV(RN(w), lo, hi);
    return [w];
  };
}

type E = Family['entries'][number];

function entries(): E[] {
  const out: E[] = [];
  const forms: [string, string][] = [['asimd', '0 Q U 011110 IIII iii oooo 1 nnnnn ddddd'], ['asisd', '01 U 111110 IIII iii ooooo 1 nnnnn ddddd']];
  const names: Record<string, string> = { '0 11100': 'SCVTF', '1 11100': 'UCVTF', '0 11111': 'FCVTZS', '1 11111': 'FCVTZU' };
  for (const [form, pat] of forms) {
    for (const o of ['11100', '11111']) for (const u of [0, 1]) {
      const base = pat.replace('U', String(u)).replace(/o+/, o);
      const name = names[`${u} ${o}`];
      const gen = edges(o === '11111');
      out.push({ name: `${name}_fix_${form}_32`, pattern: base.replace('IIII', '01II'), weight: 3, gen });
      out.push({ name: `${name}_fix_${form}_64`, pattern: base.replace('IIII', '1III'), weight: 3, gen });
      out.push({ name: `simd_fp_shift_unallocated_${form}_${name}_immh001x`, pattern: base.replace('IIII', '001I') });
    }
  }
  return out;
}

export const SIMD_FP_SHIFT: Family = { cls: 'simd_fp_shift', count: 8000, entries: entries() };
