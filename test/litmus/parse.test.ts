// The litmus parser: the format's pieces, every catalogue file, and each error with its line and
// column (through the CLI too: FILE:LINE:COL and exit status 2).

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LitmusSyntaxError, parseLitmus } from '../../emu/litmus/parse.js';
import { compileLitmus } from '../../emu/litmus/run.js';
import { cliIn } from '../cli/run-cli.js';

const DIR = join(import.meta.dirname, '.');
const catalogue = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();

const MP = `AArch64 MP
"PodWW Rfe PodRR Fre"
Cycle=Rfe PodRR Fre PodWW
(* a comment (* nested *) across
   lines *)
{
0:X1=x; 0:X3=y;
1:X1=y; 1:X3=x;
}
 P0          | P1          ;
 MOV W0,#1   | LDR W0,[X1] ;
 STR W0,[X1] | LDR W2,[X3] ;
 MOV W2,#1   |             ;
 STR W2,[X3] |             ;
exists
(1:X0=1 /\\ 1:X2=0)
`;

describe('litmus parser', () => {
  it('reads the name, comments, metadata, init block, threads and condition', () => {
    const t = parseLitmus(MP);
    expect(t.name).toBe('MP');
    expect(t.comments).toEqual(['PodWW Rfe PodRR Fre']);
    expect(t.info.get('Cycle')).toBe('Rfe PodRR Fre PodWW');
    expect(t.regs.map((r) => [r.thread, r.reg, r.value])).toEqual([
      [0, 1, { kind: 'loc', name: 'x', pos: { line: 7, col: 6 } }],
      [0, 3, { kind: 'loc', name: 'y', pos: { line: 7, col: 14 } }],
      [1, 1, { kind: 'loc', name: 'y', pos: { line: 8, col: 6 } }],
      [1, 3, { kind: 'loc', name: 'x', pos: { line: 8, col: 14 } }],
    ]);
    expect(t.locations.map((l) => l.name)).toEqual(['x', 'y']);
    expect(t.threads.map((th) => th.lines.map((l) => l.text))).toEqual([
      ['MOV W0,#1', 'STR W0,[X1]', 'MOV W2,#1', 'STR W2,[X3]'],
      ['LDR W0,[X1]', 'LDR W2,[X3]'],
    ]);
    expect(t.threads[1].lines[1].pos).toEqual({ line: 12, col: 16 });
    expect(t.quantifier).toBe('exists');
    expect(t.conditionText).toBe('exists (1:X0=1 /\\ 1:X2=0)');
    expect(t.prop).toMatchObject({ kind: 'and', a: { kind: 'eq', target: { text: '1:X0' } }, b: { kind: 'eq', value: { kind: 'int', value: 0n } } });
  });

  it('reads typed locations, values, W registers, [x], ~, \\/, =>, ~exists, forall and locations [...]', () => {
    const t = parseLitmus(`AArch64 T
{ uint64_t x = 0x10; int64_t y=-1; z; int 0:X2; 0:X0 = -5; 1:X4=z; uint8_t b; }
 P0 | P1 ;
 NOP | NOP ;
locations [x; 0:X2; [y];]
~exists (x=2 \\/ ~(1:W4=1) /\\ [z]=3 => true \\/ not false)
`);
    expect(t.locations.map((l) => [l.name, l.size, l.init?.kind === 'int' ? l.init.value : null])).toEqual([
      ['x', 8, 16n], ['y', 8, -1n], ['z', 4, null], ['b', 1, null],
    ]);
    expect(t.regs.map((r) => [r.thread, r.reg, r.value.kind === 'int' ? r.value.value : r.value.name])).toEqual([[0, 0, -5n], [1, 4, 'z']]);
    expect(t.observed.map((o) => o.text)).toEqual(['x', '0:X2', 'y']);
    expect(t.quantifier).toBe('~exists');
    // => binds loosest: (x=2 \/ (~(1:W4=1) /\ [z]=3)) => (true \/ not false)
    expect(t.prop).toMatchObject({
      kind: 'implies',
      a: { kind: 'or', a: { kind: 'eq' }, b: { kind: 'and', a: { kind: 'not', p: { target: { text: '1:W4', wide: false } } } } },
      b: { kind: 'or', a: { kind: 'true' }, b: { kind: 'not', p: { kind: 'false' } } },
    });
    expect(parseLitmus('AArch64 F\n{}\n P0 ;\n NOP ;\nforall (0:X0=0)\n').quantifier).toBe('forall');
  });

  it('parses and assembles every catalogue file, each marked Allowed or Forbidden with a source', async () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
    for (const f of catalogue) {
      const t = parseLitmus(readFileSync(join(DIR, f), 'utf8'));
      expect(`${t.name}.litmus`).toBe(f);
      expect(['Allowed', 'Forbidden']).toContain(t.info.get('Arm'));
      expect(t.info.get('Source') ?? '').not.toBe('');
      const ct = await compileLitmus(t);
      ct.code.forEach((c, k) => expect(c.length).toBe((t.threads[k].lines.filter((l) => !/:\s*$/.test(l.text)).length + 1) * 4));
    }
  });

  const bad: [string, string, number, number, RegExp][] = [
    ['empty file', '   \n', 2, 1, /empty file/],
    ['another architecture', 'X86 SB\n{}\n', 1, 1, /unsupported architecture "X86"/],
    ['no name', 'AArch64\n{}\n', 1, 8, /expected the test's name/],
    ['junk before the init block', 'AArch64 T\nhello there\n{}\n', 2, 1, /expected the init block/],
    ['unterminated quoted line', 'AArch64 T\n"abc\n{}\n', 2, 1, /unterminated string/],
    ['unterminated comment', 'AArch64 T\n(* x\n{}\n', 2, 1, /unterminated comment/],
    ['bad register in init', 'AArch64 T\n{ 0:Q1=x; }\n', 2, 5, /"Q1" is not a general-purpose register/],
    ['register 31', 'AArch64 T\n{ 0:X31=0; }\n', 2, 5, /"X31" is not/],
    ['missing ; in init', 'AArch64 T\n{ x=1 y=2 }\n', 2, 7, /expected ";" between init entries/],
    ['bad value', 'AArch64 T\n{ x=1z; }\n', 2, 5, /"1z" is not a 64-bit integer/],
    ['unterminated init', 'AArch64 T\n{ x=1;\n', 3, 1, /unterminated init block/],
    ['twice set', 'AArch64 T\n{ x=1; x=2; }\n', 2, 8, /x is initialized twice/],
    ['bad header', 'AArch64 T\n{}\n P0 | P2 ;\n', 3, 7, /expected "P1" in the thread header/],
    ['header without ;', 'AArch64 T\n{}\n P0 | P1\n', 3, 9, /the thread header must end with ";"/],
    ['row with too few cells', 'AArch64 T\n{}\n P0 | P1 ;\n NOP ;\nexists (0:X0=0)\n', 4, 2, /a row has 1 column but there are 2 threads/],
    ['row without ;', 'AArch64 T\n{}\n P0 ;\n NOP\nexists (0:X0=0)\n', 4, 5, /a row of code must end with ";"/],
    ['no condition', 'AArch64 T\n{}\n P0 ;\n NOP ;\n', 5, 1, /expected a final condition/],
    ['bad quantifier', 'AArch64 T\n{}\n P0 ;\n NOP ;\nlocations [x;]\nexist (x=1)\n', 6, 1, /expected a final condition/],
    ['unclosed paren', 'AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:X0=1 /\\ x=1\n', 6, 1, /unclosed "\(" \(opened at 5:8\)/],
    ['missing =', 'AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:X0 1)\n', 5, 14, /expected "=" after 0:X0/],
    ['bad register in condition', 'AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:R0=1)\n', 5, 11, /"R0" is not a general-purpose register/],
    ['junk after condition', 'AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:X0=1) foo\n', 5, 17, /unexpected "foo" after the final condition/],
    ['filter', 'AArch64 T\n{}\n P0 ;\n NOP ;\nfilter (0:X0=1)\nexists (0:X0=1)\n', 5, 1, /"filter" conditions are not supported/],
  ];
  for (const [what, text, line, col, msg] of bad) {
    it(`reports ${what} at ${line}:${col}`, () => {
      let err: unknown;
      try { parseLitmus(text); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(LitmusSyntaxError);
      const e = err as LitmusSyntaxError;
      expect(e.message).toMatch(msg);
      expect([e.line, e.col]).toEqual([line, col]);
    });
  }

  const badAsm: [string, string, number, number, RegExp][] = [
    ['an unknown instruction', 'AArch64 T\n{}\n P0          | P1   ;\n MOV W0,#1   | FROB ;\nexists (0:X0=1)\n', 4, 16, /cannot assemble "FROB"/],
    ['a bad operand', 'AArch64 T\n{}\n P0 ;\n NOP ;\n LDR W0,[X99] ;\nexists (0:X0=1)\n', 5, 2, /cannot assemble "LDR W0,\[X99\]"/],
    ['an LSE instruction with bad registers', 'AArch64 T\n{}\n P0 ;\n SWP W0,X1,[X2] ;\nexists (0:X0=1)\n', 4, 2, /both registers must be W or both X/],
    ['a register of a thread that does not exist', 'AArch64 T\n{ 3:X0=1; }\n P0 ;\n NOP ;\nexists (0:X0=1)\n', 2, 3, /thread 3 does not exist/],
    ['a condition on a thread that does not exist', 'AArch64 T\n{}\n P0 ;\n NOP ;\nexists (2:X0=1)\n', 5, 9, /thread 2 does not exist/],
  ];
  for (const [what, text, line, col, msg] of badAsm) {
    it(`reports ${what} at ${line}:${col}`, async () => {
      let err: unknown;
      try { await compileLitmus(parseLitmus(text)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(LitmusSyntaxError);
      const e = err as LitmusSyntaxError;
      expect(e.message).toMatch(msg);
      expect([e.line, e.col]).toEqual([line, col]);
    });
  }
});

describe('a64emu litmus: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'litmus-'));
  const cli = cliIn(dir);

  it('prints FILE:LINE:COL: message and exits with status 2 for a file it cannot parse', async () => {
    writeFileSync(join(dir, 'bad.litmus'), 'AArch64 T\n{ x=1 y=2 }\n');
    const r = await cli('litmus', 'bad.litmus');
    expect(r.status).toBe(2);
    expect(r.err).toBe('bad.litmus:2:7: expected ";" between init entries, found "y=2 }"\n');
    expect(r.out).toBe('');
  });

  it('runs nothing when one of several files is bad', async () => {
    writeFileSync(join(dir, 'bad2.litmus'), 'AArch64 T\n{}\n P0 ;\n FROB ;\nexists (0:X0=1)\n');
    const r = await cli('litmus', join(DIR, 'SB.litmus'), 'bad2.litmus');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^bad2\.litmus:4:2: cannot assemble "FROB"/);
    expect(r.out).toBe('');
  });

  it('exits with status 2 for an unknown option, a bad value and a missing file', async () => {
    for (const args of [['--frob'], ['--model', 'tso'], ['--runs', '0'], ['--seed', '-1'], ['--skew', 'x'], ['--quantum', '0']]) {
      const r = await cli('litmus', ...args, join(DIR, 'SB.litmus'));
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^a64emu: /);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const r = await cli('litmus', 'nosuch.litmus');
    expect(r.status).toBe(2);
    expect(r.err).toBe('a64emu: cannot read nosuch.litmus: no such file\n');
  });

  it('reports a thread that faults as a one-line error with status 2', async () => {
    writeFileSync(join(dir, 'fault.litmus'), 'AArch64 F\n{ 0:X1=0x10; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=1)\n');
    const r = await cli('litmus', '--runs', '3', 'fault.litmus');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^a64emu: F: run 0/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('reports a thread that never ends', async () => {
    writeFileSync(join(dir, 'loop.litmus'), 'AArch64 L\n{}\n P0 ;\n L0: B L0 ;\nexists (0:X0=1)\n');
    const r = await cli('litmus', '--runs', '2', 'loop.litmus');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^a64emu: L: run 0 did not finish within 100000 instructions/);
  });
});
