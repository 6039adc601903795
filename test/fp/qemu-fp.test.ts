// The FP library against qemu-aarch64, instruction by instruction (see qemu-fp.ts): a fixed-seed batch
// and a fresh random one (its seed is printed, so a failure can be replayed with FP_SEED=...).

import { expect, it } from 'vitest';
import { describeWithTools } from '../oracle-env.js';
import { OPS, runQemu, runLib, Case } from './qemu-fp.js';
import { makeCases } from './gen.js';

/** Cases for a subset of OPS, renumbered to their index in OPS. */
function casesFor(pick: (name: string) => boolean, per: number, seed: number): Case[] {
  const idx = OPS.map((op, k) => (pick(op.name) && op.ins[0] === 'd' ? k : -1)).filter((k) => k >= 0);
  return makeCases(idx.map((k) => OPS[k]), per, seed).map((c) => ({ ...c, op: idx[c.op] }));
}

function check(cases: Case[]): string[] {
  const want = runQemu(cases);
  const bad: string[] = [];
  cases.forEach((k, j) => {
    const got = runLib(k);
    if (got.r !== want[j].r || got.fpsr !== want[j].fpsr) {
      bad.push(`${OPS[k.op].name} fpcr=${k.fpcr.toString(16)} a=${k.a.toString(16)} b=${k.b.toString(16)} c=${k.c.toString(16)}: ` +
        `qemu ${want[j].r.toString(16)} fpsr ${want[j].fpsr.toString(16)}, lib ${got.r.toString(16)} fpsr ${got.fpsr.toString(16)}`);
    }
  });
  return bad;
}

describeWithTools('FP library vs qemu-aarch64', ['qemu-aarch64', 'aarch64-linux-gnu-gcc'], () => {
  const per = Number(process.env.FP_CASES ?? 1000);
  it(`fixed seed: ${per} cases per instruction form`, () => {
    const bad = check(makeCases(OPS, per, 12345));
    expect(bad.slice(0, 30), `${bad.length} mismatches`).toEqual([]);
  });
  it('binary64 fused multiply-add (the emulated FMA) in depth', () => {
    const bad = check(casesFor((n) => /^fn?m(add|sub)$|^frecps_d|^frsqrts_d/.test(n), per * 4, 999));
    expect(bad.slice(0, 30), `${bad.length} mismatches`).toEqual([]);
  });
  it('fresh random seed', () => {
    const seed = Number(process.env.FP_SEED ?? (Date.now() % 1e9));
    console.log(`[fp] random seed ${seed} (FP_SEED=${seed} replays it)`);
    const bad = check(makeCases(OPS, Math.max(200, per >> 2), seed));
    expect(bad.slice(0, 30), `seed ${seed}: ${bad.length} mismatches`).toEqual([]);
  });
});
