// SIMD&FP registers in traces: V register writes (128 bits), FPCR and FPSR writes appear in every
// format; the binary format converts to the same events; the register check (verifyRegs) covers the
// V registers; `trace show` and `trace stats` read them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { openTrace, Tracer } from '../../emu/trace/tracer.js';
import { readTrace, TraceEvent } from '../../emu/trace/reader.js';
import { wordBytes } from '../harness.js';
import { cliIn } from '../cli/run-cli.js';

const SRC = [
  'mov x0, #0x300000', 'msr cpacr_el1, x0', 'isb',
  'movz x1, #0x1111', 'movk x1, #0x2222, lsl #48', 'movz x2, #0x3333', 'movk x2, #0x4444, lsl #32',
  'fmov d0, x1', 'fmov v0.d[1], x2', 'fmov x7, v0.d[1]',
  'adr x3, data', 'ldr q1, [x3]', 'ld1 {v30.4s, v31.4s, v0.4s}, [x3], #48', 'str q1, [x3, #64]',
  'movz x4, #0x0340, lsl #16', 'msr fpcr, x4', 'movz x5, #0x9f', 'msr fpsr, x5', 'mrs x6, fpsr',
  'b .',
  'data:',
];

let dir: string;
let words: number[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'a64emu-fp-trace-'));
  words = await assembleWords(SRC.join('\n'), RAM_BASE);
  for (let k = 0; k < 16; k++) words.push((0x01020304 * (k + 1)) | 0);
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function machine(): Machine {
  const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {}, maxInsns: SRC.length + 5 });
  m.boot(RAM_BASE, false);
  m.ram.load(RAM_BASE, wordBytes(words));
  return m;
}

async function traced(format: 'tarmac' | 'jsonl' | 'binary'): Promise<string> {
  const m = machine();
  const path = join(dir, `t.${format}`);
  const t = await openTrace({ cores: m.cores, time: m.time, symbolize: () => undefined, setTracer: (x) => m.setTracer(x) }, { path, format });
  m.run();
  t.close();
  return format === 'tarmac' ? `${path}.core0` : path;
}

async function events(path: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  await readTrace(path, (ev) => { out.push(ev); });
  return out;
}

describe('SIMD&FP registers in traces', () => {
  it('Tarmac: R Qn with 128 bits, R FPCR, R FPSR', async () => {
    const text = readFileSync(await traced('tarmac'), 'utf8');
    expect(text).toContain(' clk R Q0 00000000000000002222000000001111\n'); // FMOV D0 zeroes bits [127:64]
    expect(text).toContain(' clk R Q0 00004444000033332222000000001111\n');
    expect(text).toMatch(/R Q1 [0-9A-F]{32}\n/);
    expect(text).toMatch(/R Q30 [0-9A-F]{32}\n/);
    expect(text).toContain('R FPCR 03400000\n');
    expect(text).toContain('R FPSR 0000009F\n');
    expect(text).toContain('R X7 0000444400003333\n');
  });

  it('JSON Lines: reg v0 with a 128-bit value, fpcr and fpsr; binary converts to the same events', async () => {
    const j = await events(await traced('jsonl'));
    const regs = j.filter((e) => e.t === 'reg').map((e) => `${e.reg}=${e.val}`);
    expect(regs).toContain('v0=0x00000000000000002222000000001111');
    expect(regs).toContain('v0=0x00004444000033332222000000001111');
    expect(regs).toContain('fpcr=0x0000000003400000');
    expect(regs).toContain('fpsr=0x000000000000009f');
    // LD1 of three registers wraps from V31 to V0; the post-index writes X3.
    expect(regs.filter((r) => /^v(30|31|0)=/.test(r)).length).toBeGreaterThanOrEqual(4);
    const b = await events(await traced('binary'));
    expect(b).toEqual(j);
  });

  it('the register check covers V registers, FPCR and FPSR', () => {
    const m = machine();
    const t = new Tracer({ insn() {}, reg() {}, vreg() {}, mem() {}, other() {}, close() {} });
    t.verifyRegs = true;
    m.setTracer(t);
    expect(() => m.run()).not.toThrow();
    // And it can fail: a SIMD&FP instruction (FMOV D0, X1) that also writes another V register.
    const m2 = machine();
    const t2 = new Tracer({ insn() {}, reg() {}, vreg() {}, mem() {}, other() {}, close() {} });
    t2.verifyRegs = true;
    m2.setTracer(t2);
    const c = m2.cores[0];
    const orig = c.decoder.decode.bind(c.decoder);
    c.decoder.decode = (word: number) => {
      const insn = orig(word);
      if (insn.name === 'FMOV_d_x') { const exec = insn.exec; insn.exec = (cpu, i) => { cpu.vw[20] = 99; exec(cpu, i); }; }
      return insn;
    };
    expect(() => m2.run()).toThrow(/wrote V5, which its register fields do not name/);
  });

  it('trace show and trace stats read them', async () => {
    const cli = cliIn(dir);
    for (const f of ['t.binary', 't.jsonl', 't.tarmac.core0']) {
      const show = await cli('trace', 'show', f);
      expect(show.status, show.err).toBe(0);
      expect(show.out).toContain('v0 = 0x00004444000033332222000000001111');
      expect(show.out).toContain('fpsr = 0x');
      const stats = await cli('trace', 'stats', f);
      expect(stats.status, stats.err).toBe(0);
    }
  });
});
