// Checks on the oracle generator itself (no QEMU needed): the seed-to-state derivation that the
// committed fixtures depend on, determinism, the fixture format, and the catalogue's consistency.

import { describe, expect, it } from 'vitest';
import { CATALOGUE, classify, probeExcluded } from '../../tools/oracle/catalogue.js';
import { generateClass, probeWord } from '../../tools/oracle/cases.js';
import { decodeFixture, encodeFixture, FixtureCase } from '../../tools/oracle/fixture.js';
import { Outcome, SCRATCH, SCRATCH_SIZE, SLOT_SP } from '../../tools/oracle/layout.js';
import { Rng } from '../../tools/oracle/rng.js';
import { caseRegs, fnv1a, seedFpRegs, seedRegs, seedScratch } from '../../tools/oracle/state.js';

describe('oracle generator', () => {
  it('regenerates the same initial states the fixtures were recorded with', () => {
    // If this fails, fixtures can no longer be replayed: bump FIXTURE_VERSION and regenerate them.
    let txt = '';
    for (let i = 0; i < 200; i++) txt += seedRegs(Math.imul(i, 2654435761) >>> 0).map((v) => v.toString(16)).join(',') + ';';
    expect(fnv1a(new TextEncoder().encode(txt)).toString(16)).toBe('bb810a2e');
    let h = 0;
    for (let i = 0; i < 50; i++) h = (Math.imul(h, 31) + fnv1a(seedScratch(i * 7919))) | 0;
    expect((h >>> 0).toString(16)).toBe('2119dc2c');
    let fp = '';
    for (let i = 0; i < 200; i++) fp += seedFpRegs(Math.imul(i, 2654435761) >>> 0).map((v) => v.toString(16)).join(',') + ';';
    expect(fnv1a(new TextEncoder().encode(fp)).toString(16)).toBe('68d5eaf5');
  });

  it('seeds the SIMD&FP state with special values in every FPCR mode', () => {
    const modes = new Set<bigint>();
    const seen = { qnan: 0, snan: 0, inf: 0, zero: 0, denormal: 0 };
    for (let i = 0; i < 2000; i++) {
      const fp = seedFpRegs(i * 7919);
      modes.add(fp[64]);
      for (let s = 0; s < 64; s++) {
        for (const d of [fp[s]]) {
          const exp = (d >> 52n) & 0x7ffn, frac = d & ((1n << 52n) - 1n);
          if (exp === 0x7ffn && frac === 0n) seen.inf++;
          else if (exp === 0x7ffn && (frac >> 51n) === 1n) seen.qnan++;
          else if (exp === 0x7ffn) seen.snan++;
          else if (exp === 0n && frac === 0n) seen.zero++;
          else if (exp === 0n) seen.denormal++;
        }
      }
    }
    expect(modes.size).toBe(32); // RMode x FZ x DN x AHP
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(100);
  });

  it('is deterministic', () => {
    const a = generateClass('atomic', 5, 300), b = generateClass('atomic', 5, 300);
    expect(a).toEqual(b);
    const r1 = new Rng(9, 3), r2 = new Rng(9, 3);
    for (let k = 0; k < 100; k++) expect(r1.next()).toBe(r2.next());
  });

  it('points memory operands into scratch with SP 16-byte aligned', () => {
    for (const c of generateClass('ldst_pair', 11, 400)) {
      const sp = caseRegs(c.seed, c.overrides)[SLOT_SP];
      if (((c.words[0] >>> 5) & 31) === 31 && sp >= BigInt(SCRATCH - 0x1000) && sp < BigInt(SCRATCH + SCRATCH_SIZE + 0x1000)) {
        expect(sp % 16n).toBe(0n);
      }
    }
  });

  it('round-trips the fixture format', () => {
    const cases: FixtureCase[] = generateClass('excl', 3, 50).map((c, k) => ({
      name: c.name, seed: c.seed, words: c.words, overrides: c.overrides,
      expected: {
        outcome: k % 3 === 0 ? Outcome.Segv : Outcome.Ill, signo: k % 3 === 0 ? 11 : 4, pc: BigInt(0x40111004 + k),
        addr: k % 3 === 0 ? 0x200000n : 0n, changed: new Map([[k % 31, BigInt(k) << 40n]]),
        runs: k % 2 ? [{ off: k, bytes: Uint8Array.of(1, 2, 3) }] : [],
      },
    }));
    expect(decodeFixture(encodeFixture(cases))).toEqual(cases);
    expect(encodeFixture(cases)).toEqual(encodeFixture(cases));
  });

  it('catalogue: entries that overlap differ in specificity', () => {
    const live = CATALOGUE.filter((e) => !e.sequence);
    const bad: string[] = [];
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const a = live[i], b = live[j];
        if (((a.value ^ b.value) & a.mask & b.mask) === 0 && a.fixedBits === b.fixedBits) bad.push(`${a.name} / ${b.name}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('catalogue: every entry classifies its own encodings', () => {
    const g = new Rng(1);
    for (const e of CATALOGUE) {
      if (e.sequence) continue;
      let hits = 0;
      for (let k = 0; k < 50; k++) if (classify(((g.next() & ~e.mask) | e.value) >>> 0) === e) hits++;
      expect(hits, e.name).toBeGreaterThan(0);
    }
  });

  it('probes lie outside the catalogue and the excluded spaces', () => {
    const g = new Rng(2);
    for (let k = 0; k < 500; k++) {
      const w = probeWord(g);
      expect(classify(w)).toBeUndefined();
      expect(probeExcluded(w)).toBe(false);
    }
  });
});
