// Replays every committed oracle fixture (cases recorded from qemu-aarch64 by tools/oracle/generate.ts)
// on our CPU. A mismatch prints the disassembly, the initial state and both final states side by side.

import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { CATALOGUE, FIXTURE_CLASSES } from '../../tools/oracle/catalogue.js';
import { recorded } from './classes.js';
import { SIMD_FP } from '../../emu/cpu/a64/simd_fp.js';
import { compileEncoding } from '../../emu/cpu/decoder.js';
import { decodeFixture, FixtureCase } from '../../tools/oracle/fixture.js';
import { checkAll, formatSummary, OracleCpu } from '../../tools/oracle/replay.js';

const DIR = new URL('../fixtures/oracle/', import.meta.url);
const MAX_REPORTS = 40;

function load(cls: string): FixtureCase[] {
  const f = new URL(`${cls}.bin.gz`, DIR);
  if (!existsSync(f)) throw new Error(`missing fixture ${f.pathname}: run npm run oracle:gen`);
  return decodeFixture(readFileSync(f));
}

describe('oracle fixtures (recorded from qemu-aarch64) replayed on our CPU', () => {
  let disasm: (w: number, a: number) => string = (w) => `.inst 0x${(w >>> 0).toString(16)}`;
  let cpu: OracleCpu;
  const all: FixtureCase[] = [];

  beforeAll(async () => {
    const d = await loadDisassembler();
    disasm = (w, a) => d(w, a).text;
    cpu = new OracleCpu();
  });

  for (const cls of FIXTURE_CLASSES) {
    it.skipIf(!recorded(cls))(`${cls}: every case matches QEMU`, { timeout: 300_000 }, async () => {
      // Let the worker's event loop run between classes: the replays are synchronous, and a minute
      // without a macrotask makes vitest's worker RPC time out ("Timeout calling onTaskUpdate").
      await new Promise((r) => setImmediate(r));
      const cases = load(cls);
      all.push(...cases);
      const s = checkAll(cpu, cases, disasm);
      if (s.failed > 0) {
        s.reports = s.reports.slice(0, MAX_REPORTS);
        throw new Error(formatSummary(`oracle fixtures ${cls}`, s));
      }
      expect(s.total).toBeGreaterThan(0);
    });
  }

  it('fixtures hold at least 50,000 cases and cover every instruction form of the catalogue', { timeout: 120_000 }, () => {
    if (all.length === 0) for (const cls of FIXTURE_CLASSES.filter((c) => recorded(c))) all.push(...load(cls));
    expect(all.length).toBeGreaterThanOrEqual(50_000);
    const count = new Map<string, number>();
    for (const c of all) count.set(c.name, (count.get(c.name) ?? 0) + 1);
    const thin = CATALOGUE.filter((e) => !e.excluded && recorded(e.cls) && (count.get(e.name) ?? 0) < 20).map((e) => `${e.name} (${count.get(e.name) ?? 0})`);
    expect(thin, 'catalogue entries with fewer than 20 fixture cases').toEqual([]);
  });

  it('every SIMD&FP row of the decode table has fixture cases', { timeout: 120_000 }, () => {
    if (all.length === 0) for (const cls of FIXTURE_CLASSES.filter((c) => recorded(c))) all.push(...load(cls));
    // The catch-all rows (priority -1) stand for what no class file decodes: not rows of their own.
    const rows = SIMD_FP.filter((e) => (e.priority ?? 0) >= 0).map((e) => ({ name: e.name, c: compileEncoding(e) }));
    const count = new Map<string, number>();
    for (const fc of all) {
      const w = fc.words[0] >>> 0;
      for (const r of rows) if (((w & r.c.mask) >>> 0) === r.c.value >>> 0) count.set(r.name, (count.get(r.name) ?? 0) + 1);
    }
    const thin = rows.filter((r) => (count.get(r.name) ?? 0) < 10).map((r) => `${r.name} (${count.get(r.name) ?? 0})`);
    expect(thin, 'SIMD&FP decode-table rows with fewer than 10 fixture cases').toEqual([]);
  });
});
