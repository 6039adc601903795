// The litmus runner under sequential consistency: the output format, the verdict for each quantifier,
// reproducible runs, every interleaving's outcome reached, and no relaxed outcome in the catalogue.
// (test/litmus/arm.test.ts does the Arm memory model.)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { encodeExtra } from '../../emu/litmus/encode.js';
import { parseLitmus } from '../../emu/litmus/parse.js';
import { CompiledTest, compileLitmus, runLitmus } from '../../emu/litmus/run.js';
import { cliIn } from '../cli/run-cli.js';

const DIR = import.meta.dirname;
const catalogue = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const cli = cliIn(DIR);
const compile = async (text: string): Promise<CompiledTest> => compileLitmus(parseLitmus(text));
const file = (name: string): string => readFileSync(join(DIR, `${name}.litmus`), 'utf8');
const histogram = (r: ReturnType<typeof runLitmus>): Record<string, number> => Object.fromEntries(r.states.map((s) => [s.key, s.count]));

describe('litmus runner', () => {
  it('prints litmus7\'s layout: states with *> on those satisfying the condition, verdict, witnesses, observation', async () => {
    const r = await cli('litmus', '--runs', '300', '--seed', '5', 'SB.litmus');
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Test SB Allowed');
    expect(lines[1]).toBe('States 3');
    // Every outcome SC allows, none marked (the condition is the relaxed outcome).
    expect(lines.slice(2, 5).map((l) => l.replace(/^[0-9]+ +/, ''))).toEqual([':>0:X2=0; 1:X2=1;', ':>0:X2=1; 1:X2=0;', ':>0:X2=1; 1:X2=1;']);
    const counts = lines.slice(2, 5).map((l) => Number(/^([0-9]+) *:>/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b)).toBe(300);
    for (const l of lines.slice(2, 5)) expect(l.indexOf(':>')).toBeGreaterThanOrEqual(6); // %-6d
    expect(lines.slice(5, 10)).toEqual([
      'No', 'Witnesses', 'Positive: 0, Negative: 300',
      'Condition exists (0:X2=0 /\\ 1:X2=0) is NOT validated',
      'Observation SB Never 0 300',
    ]);
    expect(lines[10]).toMatch(/^Time SB [0-9]+\.[0-9]{2}$/);
    expect(lines[11]).toBe('Seed SB 5 model sc, runs 0..299 (one run alone: --seed 5 --run K)');
    expect(lines.slice(12)).toEqual(['', '']);
  });

  it('gives exists, ~exists and forall their verdicts and witnesses as herd7 does', async () => {
    const body = '{ 0:X1=x; }\n P0          ;\n MOV W0,#1   ;\n STR W0,[X1] ;\n';
    const run = async (cond: string) => (await cli('litmus', '--runs', '20', await tmpFile(`AArch64 T\n${body}${cond}\n`))).out;
    let out = await run('exists (0:X0=1 /\\ x=1)');
    expect(out).toMatch(/^Test T Allowed\nStates 1\n20    \*>0:X0=1; x=1;\nOk\nWitnesses\nPositive: 20, Negative: 0\nCondition exists \(0:X0=1 \/\\ x=1\) is validated\nObservation T Always 20 0\n/);
    out = await run('~exists (x=1)');
    expect(out).toMatch(/^Test T Forbidden\nStates 1\n20    \*>x=1;\nNo\nWitnesses\nPositive: 0, Negative: 20\nCondition ~exists \(x=1\) is NOT validated\nObservation T Always 20 0\n/);
    out = await run('~exists (x=2)');
    expect(out).toMatch(/\nOk\nWitnesses\nPositive: 20, Negative: 0\nCondition ~exists \(x=2\) is validated\nObservation T Never 0 20\n/);
    out = await run('forall (x=1 /\\ 0:W0=1)');
    expect(out).toMatch(/^Test T Required\nStates 1\n20    \*>0:W0=1; x=1;\nOk\nWitnesses\nPositive: 20, Negative: 0\n/);
    out = await run('forall (0:X1=y)');
    expect(out).toMatch(/\n20    :>0:X1=x;\nNo\n[^]*Observation T Never 0 20\n/);
  });

  it('shows registers holding addresses by name, values signed at their width, and the locations line', async () => {
    const ct = await compile('AArch64 V\n{ 0:X1=x; int64_t y; uint8_t b; }\n P0 ;\n MOV X2,#-1 ;\n STR X2,[X1] ;\n MOV W3,#-2 ;\nlocations [b; x; 0:X1;]\nexists (0:W2=-1 /\\ 0:X2=-1 /\\ 0:X3=0xfffffffe /\\ 0:W3=-2)\n');
    const r = runLitmus(ct, { runs: 3 });
    expect(r.states.map((s) => [s.key, s.ok])).toEqual([['0:X1=x; 0:W2=-1; 0:X2=-1; 0:W3=-2; 0:X3=4294967294; b=0; x=-1;', true]]);
  });

  it('repeats any run alone: the runs of a batch, one by one with --run, give the same histogram', async () => {
    const ct = await compile(file('IRIW'));
    const batch = runLitmus(ct, { runs: 60, seed: 77n });
    const single: Record<string, number> = {};
    for (let k = 0; k < 60; k++) {
      const r = runLitmus(ct, { seed: 77n, only: k });
      expect(r.runs).toBe(1);
      single[r.states[0].key] = (single[r.states[0].key] ?? 0) + 1;
      if (k === 0) expect(r.states[0].firstRun).toBe(0);
    }
    expect(single).toEqual(histogram(batch));
    expect(Object.keys(single).length).toBeGreaterThan(3); // the seeds do vary the interleaving
    expect(histogram(runLitmus(ct, { runs: 60, seed: 77n }))).toEqual(histogram(batch));
    expect(histogram(runLitmus(ct, { runs: 60, seed: 78n }))).not.toEqual(histogram(batch));
  });

  it('reaches every sequentially consistent outcome of MP, SB, 2+2W and IRIW, and only those', async () => {
    const expectStates = async (name: string, runs: number, want: string[]) => {
      const r = runLitmus(await compile(file(name)), { runs, seed: 1n });
      expect(r.states.map((s) => s.key), name).toEqual(want.sort());
    };
    await expectStates('MP', 1000, ['1:X0=0; 1:X2=0;', '1:X0=0; 1:X2=1;', '1:X0=1; 1:X2=1;']);
    await expectStates('SB', 1000, ['0:X2=0; 1:X2=1;', '0:X2=1; 1:X2=0;', '0:X2=1; 1:X2=1;']);
    await expectStates('2+2W', 1000, ['x=1; y=2;', 'x=2; y=1;', 'x=1; y=1;']);
    // IRIW under SC: every combination of the readers' values except both seeing the writes in
    // opposite orders (15 of 16).
    const all: string[] = [];
    for (const [a, b, c, d] of [...Array(16).keys()].map((k) => [(k >> 3) & 1, (k >> 2) & 1, (k >> 1) & 1, k & 1])) {
      if (a === 1 && b === 0 && c === 1 && d === 0) continue;
      all.push(`1:X0=${a}; 1:X2=${b}; 3:X0=${c}; 3:X2=${d};`);
    }
    await expectStates('IRIW', 4000, all);
  });

  it('runs LSE atomics and LDAPR, which keystone cannot assemble', async () => {
    const ct = await compile(`AArch64 A
{ 0:X1=x; 1:X1=x; 0:X5=y; 1:X5=y; y=5; }
 P0                  | P1                  ;
 MOV W0,#1           | MOV W0,#1           ;
 LDADDAL W0,W2,[X1]  | LDADD W0,W2,[X1]    ;
 MOV W3,#7           | MOV W3,#8           ;
 MOV W6,#5           | MOV W6,#5           ;
 CASAL W6,W3,[X5]    | CAS W6,W3,[X5]      ;
 LDAPR W4,[X1]       | SWPL W0,W4,[X1]     ;
locations [y; 0:X6; 1:X6;]
forall ((x=1 /\\ 1:X4=2) \\/ (x=2 /\\ 1:X4=1))
`);
    const r = runLitmus(ct, { runs: 200, seed: 3n });
    expect(r.neg).toBe(0);
    // Exactly one CAS succeeds: it returns 5 and writes its value; the other returns that value.
    for (const s of r.states) {
      const y = /y=([0-9]+)/.exec(s.key)![1], x6 = /0:X6=([0-9]+)/.exec(s.key)![1], y6 = /1:X6=([0-9]+)/.exec(s.key)![1];
      expect([[y, x6, y6]]).toContainEqual(y === '7' ? ['7', '5', '7'] : ['8', '8', '5']);
    }
  });

  it('encodes LDAPR, SWP, LD<op>, ST<op> and CAS as capstone reads them', async () => {
    const dis = await loadDisassembler();
    for (const s of ['ldapr w0, [x1]', 'ldapr x3, [sp]', 'swp w0, w1, [x2]', 'swpal x0, x1, [x2]', 'swpb w0, w1, [x2]', 'ldadd w0, w1, [x2]',
      'ldaddal x5, x6, [x7]', 'ldclrl w0, w1, [x2]', 'ldeora w0, w1, [x2]', 'ldseth w0, w1, [x2]', 'stadd w0, [x2]', 'staddl x0, [x2]',
      'cas w0, w1, [x2]', 'casal x0, x1, [x2]', 'casab w0, w1, [x2]', 'casl w3, w4, [x5]']) {
      expect(dis(encodeExtra(s.toUpperCase())!, 0).text).toBe(s);
    }
    expect(encodeExtra('ldr w0, [x1]')).toBeNull();
    expect(() => encodeExtra('staddal w0, [x1]')).toThrow(/does not exist/);
  });

  it('never shows a relaxed outcome under sc: no catalogue condition holds in 300 runs of each', async () => {
    for (const f of catalogue) {
      const r = runLitmus(await compile(readFileSync(join(DIR, f), 'utf8')), { runs: 300, seed: 11n, model: 'sc' });
      expect(r.pos, f).toBe(0);
      expect(r.states.length, f).toBeGreaterThan(f.startsWith('CoRW1') || f.startsWith('CoWW') ? 0 : 1);
    }
  });
});

let tmpCount = 0;
async function tmpFile(text: string): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'litmus-run-'));
  const p = join(dir, `t${tmpCount++}.litmus`);
  writeFileSync(p, text);
  return p;
}
