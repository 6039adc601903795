// The catalogue under both memory models: a Forbidden outcome never appears, over several seeds; under
// --model arm the classic relaxed outcomes do appear; runs stay reproducible alone.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../../emu/litmus/parse.js';
import { CompiledTest, compileLitmus, runLitmus } from '../../emu/litmus/run.js';
import { cliIn } from '../cli/run-cli.js';

const DIR = import.meta.dirname;
const catalogue = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const load = async (f: string): Promise<CompiledTest> => compileLitmus(parseLitmus(readFileSync(join(DIR, f), 'utf8')));
const verdict = (ct: CompiledTest): string | undefined => ct.test.info.get('Arm');

describe('litmus catalogue: forbidden outcomes never appear', () => {
  for (const f of catalogue) {
    it(`${f.replace(/\.litmus$/, '')}`, async () => {
      const ct = await load(f);
      if (verdict(ct) !== 'Forbidden') return;
      for (const seed of [1n, 2n]) {
        const arm = runLitmus(ct, { runs: 600, seed, model: 'arm' });
        expect(arm.pos, `${f} seed ${seed} arm: ${arm.states.filter((s) => s.ok).map((s) => `${s.key} (run ${s.firstRun})`).join(', ')}`).toBe(0);
      }
      expect(runLitmus(ct, { runs: 300, seed: 3n, model: 'sc' }).pos).toBe(0);
    });
  }
});

describe('litmus catalogue under --model arm', () => {
  // Fixed seeds: each run is deterministic, so these counts are too; the thresholds leave room for a
  // model that changes which allowed behaviour a seed picks.
  for (const name of ['MP', 'SB', '2+2W', 'MP+dmb.sy+po']) {
    it(`shows ${name}'s relaxed outcome, which sc never shows`, async () => {
      const ct = await load(`${name}.litmus`);
      expect(verdict(ct)).toBe('Allowed');
      const arm = runLitmus(ct, { runs: 2000, seed: 1n, model: 'arm' });
      expect(arm.pos, name).toBeGreaterThan(0);
      expect(runLitmus(ct, { runs: 2000, seed: 1n, model: 'sc' }).pos, name).toBe(0);
    });
  }

  it('names the first witness on the Seed line, and --run repeats it alone', async () => {
    const cli = cliIn(DIR);
    const r = await cli('litmus', '--model', 'arm', '--runs', '500', '--seed', '99', 'SB.litmus');
    expect(r.status).toBe(0);
    const m = /^Seed SB 99 model arm, runs 0\.\.499; first witness run ([0-9]+) \(one run alone: --seed 99 --run K\)$/m.exec(r.out);
    expect(m).not.toBeNull();
    const one = await cli('litmus', '--model', 'arm', '--seed', '99', '--run', m![1], 'SB.litmus');
    expect(one.out).toMatch(/^Test SB Allowed\nStates 1\n1     \*>0:X2=0; 1:X2=0;\nOk\n/);
    expect(one.out).toContain(`Seed SB 99 model arm, run ${m![1]}; first witness run ${m![1]}`);
  });

  it('repeats any run alone: a batch and its runs one by one give the same histogram', async () => {
    const ct = await load('SB.litmus');
    const batch = runLitmus(ct, { runs: 80, seed: 21n, model: 'arm' });
    const single: Record<string, number> = {};
    for (let k = 0; k < 80; k++) {
      const key = runLitmus(ct, { seed: 21n, only: k, model: 'arm' }).states[0].key;
      single[key] = (single[key] ?? 0) + 1;
    }
    expect(single).toEqual(Object.fromEntries(batch.states.map((s) => [s.key, s.count])));
    expect(batch.pos).toBeGreaterThan(0);
    expect(batch.neg).toBeGreaterThan(0);
  });
});
