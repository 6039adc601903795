// Oracle fixture generator: draws random cases per encoding class, runs them under qemu-aarch64 and
// writes the results as test/fixtures/oracle/<class>.bin.gz.
//
//   node dist/tools/oracle/generate.js [--out DIR] [--seed N] [--scale F] [--classes a,b] [--jobs N]
//
// Same seed, same catalogue and decode table, same QEMU: byte-identical fixtures. Only table.bin.gz
// depends on the emulator's decode table (its rows are sampled); every other class depends on the
// oracle's own catalogue (catalogue.ts) alone.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { A64_TABLE } from '../../emu/cpu/a64/index.js';
import { compileEncoding } from '../../emu/cpu/decoder.js';
import { Case, generateClass, generateFromRows } from './cases.js';
import { Cls, entryByName, FIXTURE_CLASSES } from './catalogue.js';
import { FAMILIES } from './families/index.js';
import { encodeFixture, FixtureCase } from './fixture.js';
import { FIXTURE_VERSION, OUTCOME_NAMES, Outcome, TEST_PC } from './layout.js';
import { QEMU, QEMU_CPU, QEMU_CPU_FP, runUnderQemu } from './qemu.js';
import { expectedFrom } from './replay.js';
import { fnv1a, seedScratch } from './state.js';

/** Cases per class at --scale 1 (table: cases per decode-table row); families bring their own. */
export const CLASS_COUNTS: Record<Cls, number> = {
  dp_imm: 6000, dp_reg: 9000, branch: 4000, exception: 1500, system: 3000,
  ldst: 12000, ldst_pair: 4500, excl: 5000, atomic: 6000, undef: 4000, table: 20,
  ...Object.fromEntries(FAMILIES.map((f) => [f.cls, f.count])),
};

/** The QEMU CPU model a case runs on: SIMD&FP entries on the Cortex-A57, the rest on the A76. */
export function cpuFor(c: Case): string {
  return entryByName(c.name)?.fp ? QEMU_CPU_FP : QEMU_CPU;
}

export function tableRows(): { name: string; mask: number; value: number }[] {
  return A64_TABLE.map((e) => {
    const c = compileEncoding(e);
    return { name: e.name, mask: c.mask >>> 0, value: c.value >>> 0 };
  });
}

export function casesFor(cls: Cls, seed: number, scale: number): Case[] {
  if (cls === 'table') return generateFromRows(tableRows(), seed, Math.max(1, Math.round(CLASS_COUNTS.table * scale)));
  return generateClass(cls, seed, Math.max(1, Math.round(CLASS_COUNTS[cls] * scale)));
}

/** Run cases under QEMU; check the driver regenerated the same scratch; return fixture cases. */
export async function oracleRun(cases: Case[], jobs: number): Promise<FixtureCase[]> {
  const results = await runUnderQemu(cases, { jobs, cpu: cpuFor });
  return cases.map((c, k) => {
    const q = results[k];
    if (q.scratchHash !== fnv1a(seedScratch(c.seed))) {
      throw new Error(`oracle: the driver's scratch for seed 0x${c.seed.toString(16)} differs from state.ts (PRNG mismatch)`);
    }
    return { name: c.name, seed: c.seed, words: c.words, overrides: c.overrides, expected: expectedFrom(c, q) };
  });
}

function parseArgs(argv: string[]): { out: string; seed: number; scale: number; classes: Cls[]; jobs: number } {
  const a = { out: 'test/fixtures/oracle', seed: 1, scale: 1, classes: [...FIXTURE_CLASSES], jobs: 2 };
  for (let k = 0; k < argv.length; k++) {
    const v = argv[k + 1];
    switch (argv[k]) {
      case '--out': a.out = v; k++; break;
      case '--seed': a.seed = Number(v) >>> 0; k++; break;
      case '--scale': a.scale = Number(v); k++; break;
      case '--jobs': a.jobs = Number(v); k++; break;
      case '--classes': {
        const cs = v.split(',') as Cls[];
        for (const c of cs) if (!FIXTURE_CLASSES.includes(c)) throw new Error(`unknown class ${c}; classes: ${FIXTURE_CLASSES.join(', ')}`);
        a.classes = cs; k++; break;
      }
      case '-h': case '--help':
        console.log('usage: generate [--out DIR] [--seed N] [--scale F] [--classes a,b] [--jobs N]');
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${argv[k]}`);
    }
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.out, { recursive: true });
  const qv = spawnSync(QEMU, ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? '?';
  const manifest: Record<string, unknown> = { version: FIXTURE_VERSION, seed: args.seed, scale: args.scale, qemu: qv, cpu: QEMU_CPU, cpuFp: QEMU_CPU_FP, classes: {} };
  let total = 0;
  for (const cls of args.classes) {
    const t0 = Date.now();
    const cases = casesFor(cls, args.seed, args.scale);
    const fixtures = await oracleRun(cases, args.jobs);
    const gz = encodeFixture(fixtures);
    writeFileSync(join(args.out, `${cls}.bin.gz`), gz);
    total += fixtures.length;
    const outcomes = new Map<string, number>();
    for (const f of fixtures) {
      const n = OUTCOME_NAMES[f.expected.outcome];
      outcomes.set(n, (outcomes.get(n) ?? 0) + 1);
    }
    const names = new Set(fixtures.map((f) => f.name));
    (manifest.classes as Record<string, unknown>)[cls] = { cases: fixtures.length, instructions: names.size, bytes: gz.length };
    console.log(`${cls}: ${fixtures.length} cases, ${names.size} instruction forms, ${(gz.length / 1024).toFixed(0)} KiB, ${((Date.now() - t0) / 1000).toFixed(1)} s; ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (cls === 'undef') {
      // Probes are outside the catalogue; QEMU should find them UNDEFINED. List the ones it ran.
      const ran = fixtures.filter((f) => !(f.expected.outcome === Outcome.Ill && f.expected.pc === BigInt(TEST_PC)));
      if (ran.length > 0) {
        console.log(`  ${ran.length} probe(s) QEMU did not reject as UNDEFINED (catalogue gaps or extensions):`);
        for (const f of ran.slice(0, 40)) console.log(`    ${(f.words[0] >>> 0).toString(16).padStart(8, '0')} ${f.name} -> ${OUTCOME_NAMES[f.expected.outcome]} at 0x${f.expected.pc.toString(16)}`);
      }
    }
  }
  manifest.total = total;
  // The manifest lists every class: classes not regenerated now keep their previous entries.
  const mpath = join(args.out, 'manifest.json');
  if (existsSync(mpath)) {
    const old = JSON.parse(readFileSync(mpath, 'utf8')) as { classes?: Record<string, unknown> };
    const merged: Record<string, unknown> = {};
    for (const c of FIXTURE_CLASSES) {
      const e = (manifest.classes as Record<string, unknown>)[c] ?? old.classes?.[c];
      if (e !== undefined) merged[c] = e;
    }
    manifest.classes = merged;
    manifest.total = Object.values(merged).reduce((n: number, e) => n + ((e as { cases: number }).cases ?? 0), 0);
  }
  writeFileSync(mpath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`total ${total} cases in ${args.out}`);
}

const invoked = process.argv[1] ?? '';
if (invoked.endsWith('generate.js') || invoked.endsWith('generate.ts')) {
  main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
}
