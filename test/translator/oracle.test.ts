// The committed oracle fixtures (cases recorded from qemu-aarch64, integer and SIMD&FP) replayed with
// the translator on at threshold 1, with each back end: every case's instruction runs as translated code
// (a block of its own, since the case's words are followed by UDF padding), so every inline emitter
// (emit-dp.ts, codegen.ts, and wasm/'s) is checked against QEMU bit for bit, as the interpreter is by
// test/oracle/replay.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { a64Decoder } from '../../emu/board/machine.js';
import { FIXTURE_CLASSES } from '../../tools/oracle/catalogue.js';
import { decodeFixture, FixtureCase } from '../../tools/oracle/fixture.js';
import { checkAll, formatSummary, OracleCpu } from '../../tools/oracle/replay.js';
import { emitDp, Names } from '../../emu/cpu/translator/emit-dp.js';
import { DP_IMM } from '../../emu/cpu/a64/dp_imm.js';
import { DP_REG } from '../../emu/cpu/a64/dp_reg.js';

const DIR = new URL('../fixtures/oracle/', import.meta.url);

function load(cls: string): FixtureCase[] {
  const f = new URL(`${cls}.bin.gz`, DIR);
  if (!existsSync(f)) throw new Error(`missing fixture ${f.pathname}: run npm run oracle:gen`);
  return decodeFixture(readFileSync(f));
}

const NAMES: Names = {
  lo: (n) => (n === 31 ? '0' : `X[${n}]`),
  hi: (n) => (n === 31 ? '0' : `Y[${n}]`),
  set: (n, lo, hi) => (n === 31 ? '' : `{ const s_l = ${lo}, s_h = ${hi}; X[${n}] = s_l; Y[${n}] = s_h; }`),
  flag: (f) => `c.${f}f`,
};

for (const backend of ['wasm', 'js'] as const) describe(`oracle fixtures replayed with every instruction translated (threshold 1, ${backend})`, () => {
  let disasm: (w: number, a: number) => string = (w) => `.inst 0x${(w >>> 0).toString(16)}`;
  let cpu: OracleCpu;

  beforeAll(async () => {
    const d = await loadDisassembler();
    disasm = (w, a) => d(w, a).text;
    cpu = new OracleCpu({ jitBackend: backend });
    expect(cpu.m.translator?.backend).toBe(backend);
    cpu.m.translator!.threshold = 1;
    cpu.m.translator!.stepThreshold = 1;
    cpu.warmDataCache = true; // so loads and stores of the scratch page run inline, not interpreted
  });

  // Every class: the SIMD&FP loads and stores are inline too (codegen.ts fpLdst), and the rest of the
  // SIMD&FP space is called through the region's lighter protocol (FP_PURE) or the full one.
  for (const cls of FIXTURE_CLASSES) {
    it(`${cls}: every case matches QEMU, run as translated code`, { timeout: 300_000 }, async () => {
      await new Promise((r) => setImmediate(r)); // let the worker's event loop breathe between classes
      const t = cpu.m.translator!;
      const cases = load(cls);
      const compiled0 = t.compiled;
      const s = checkAll(cpu, cases, disasm);
      if (s.failed > 0) {
        s.reports = s.reports.slice(0, 40);
        throw new Error(formatSummary(`oracle fixtures ${cls} (translated, ${backend})`, s));
      }
      // Each case loads its words over the last case's (ram.load invalidates the blocks there), so
      // each case compiles at least the block at its first word: none reuses another case's code.
      expect(t.compiled - compiled0).toBeGreaterThanOrEqual(cases.length);
      if (cls === 'dp_imm' || cls === 'dp_reg') {
        // And the data-processing cases really go through the inline emitters: all but the UNDEFINED
        // words and ADR/ADRP (the block writer's, they need the PC).
        const dec = a64Decoder();
        const names = cases.map((fc) => dec.decode(fc.words[0]));
        const dp = names.filter((i) => i.name !== 'UNDEFINED' && i.name !== 'ADR' && i.name !== 'ADRP');
        const called = dp.filter((i) => emitDp(i, NAMES) === null).map((i) => i.name);
        expect(called).toEqual([]);
        expect(dp.length).toBeGreaterThan(cases.length / 2);
      }
    });
  }
});

describe('the inline emitters', () => {
  it('every integer data-processing row but ADR/ADRP is emitted inline', () => {
    // One word per row with every field 0 (register fields too), and with fields 1: the emitters
    // must accept every form the decoder produces for them.
    const dec = a64Decoder();
    const missing = new Set<string>();
    for (const e of [...DP_IMM, ...DP_REG]) {
      if (e.name === 'ADR' || e.name === 'ADRP') continue;
      const pat = e.pattern.replace(/ /g, '');
      for (const fill of ['0', '1']) {
        const bits = pat.replace(/[^01]/g, fill);
        const insn = dec.decode(parseInt(bits, 2) | 0);
        if (insn.name !== e.name) continue; // an invalid field combination: UNDEFINED
        if (emitDp(insn, NAMES) === null) missing.add(e.name);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
