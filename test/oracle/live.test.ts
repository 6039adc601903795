// A fresh random batch checked against qemu-aarch64 on every run (when QEMU and the cross compiler
// exist). The seed is printed; ORACLE_SEED=<seed> reproduces a run. ORACLE_LIVE_CASES sets the size.

import { randomInt } from 'node:crypto';
import { expect, it } from 'vitest';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { entryByName } from '../../tools/oracle/catalogue.js';
import { recorded, RECORDED_CLASSES } from './classes.js';
import { Case } from '../../tools/oracle/cases.js';
import { casesFor, CLASS_COUNTS, oracleRun } from '../../tools/oracle/generate.js';
import { CROSS_CC, QEMU } from '../../tools/oracle/qemu.js';
import { checkAll, formatSummary, OracleCpu } from '../../tools/oracle/replay.js';
import { describeWithTools } from '../oracle-env.js';

describeWithTools('oracle: live random batch against qemu-aarch64', [QEMU, CROSS_CC], () => {
  it('a fresh random batch matches QEMU', async () => {
    const seed = process.env.ORACLE_SEED !== undefined ? Number(process.env.ORACLE_SEED) >>> 0 : randomInt(1, 2 ** 32 - 1);
    const target = Number(process.env.ORACLE_LIVE_CASES ?? 4000);
    const total = Object.entries(CLASS_COUNTS).reduce((s, [k, v]) => s + (k === 'table' || !RECORDED_CLASSES.includes(k) ? 0 : v), 0);
    const scale = target / total;
    console.log(`[oracle] live batch seed ${seed} (reproduce with ORACLE_SEED=${seed})`);
    const cases: Case[] = [];
    for (const cls of RECORDED_CLASSES) cases.push(...casesFor(cls, seed, cls === 'table' ? 0.1 : scale));
    // Decode-table rows of a family not recorded yet are not checked either.
    cases.splice(0, cases.length, ...cases.filter((c) => { const e = entryByName(c.name); return e === undefined || recorded(e.cls); }));
    const fixtures = await oracleRun(cases, 2);
    const d = await loadDisassembler();
    const s = checkAll(new OracleCpu(), fixtures, (w, a) => d(w, a).text);
    if (s.failed > 0) {
      s.reports = s.reports.slice(0, 40);
      throw new Error(formatSummary(`oracle live batch (seed ${seed}; ORACLE_SEED=${seed} reproduces)`, s));
    }
    expect(s.total).toBe(cases.length);
  }, 180_000);
});
