// Golden Tarmac: a small deterministic program traced in the Fast Models line formats, compared byte
// for byte with test/trace/golden/small.tarmac. After a deliberate change of the format, regenerate
// with UPDATE_GOLDEN=1 npx vitest run test/trace/tarmac-golden.test.ts and review the diff.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { openTrace } from '../../emu/trace/tracer.js';
import { wordBytes } from '../harness.js';

const MAIN = RAM_BASE + 0x10000, VECTORS = RAM_BASE + 0x10800, DATA = RAM_BASE + 0x12000;
const GOLDEN = join(__dirname, 'golden', 'small.tarmac');

const MAIN_SRC = `
  movz x0, #${VECTORS >>> 16}, lsl #16
  movk x0, #${VECTORS & 0xffff}
  msr vbar_el1, x0
  movz x5, #${DATA >>> 16}, lsl #16
  movk x5, #${DATA & 0xffff}
  mov x1, #3
  mov x2, #0
loop:
  add x2, x2, x1
  stp x1, x2, [x5, #-16]!
  ldr w3, [x5, #8]
  strb w3, [x5, #32]
  ldrh w4, [x5, #32]
  add x5, x5, #16
  subs x1, x1, #1
  b.ne loop
  svc #0x42
  cmp x2, #6
  b.ne fail
  movz x0, #0x8400, lsl #16
  movk x0, #8
  hvc #0
fail:
  brk #1
`;

const bytesOf = wordBytes;

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-tarmac-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function trace(smp: number, inline: boolean, name: string): Promise<void> {
  const m = new Machine({ smp, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  m.boot(MAIN, false);
  m.ram.load(MAIN, bytesOf(await assembleWords(MAIN_SRC, MAIN)));
  m.ram.load(VECTORS + 0x200, bytesOf(await assembleWords('mov x9, #0x42\neret', VECTORS + 0x200)));
  m.symbolize = (a) => (a === BigInt(MAIN) ? 'main' : undefined);
  const t = await openTrace(m, { path: join(dir, name), format: 'tarmac', inline });
  const r = m.run();
  t.close();
  expect(r.reason).toBe('PSCI SYSTEM_OFF');
}

describe('Tarmac trace', () => {
  it('matches the golden file byte for byte (one file per core)', async () => {
    await trace(1, false, 'small.tarmac');
    const got = readFileSync(join(dir, 'small.tarmac.core0'), 'latin1');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, got, 'latin1');
    expect(got).toBe(readFileSync(GOLDEN, 'latin1'));
  });

  it('uses the line kinds tarmac-trace-utilities parse', () => {
    const lines = readFileSync(GOLDEN, 'latin1').split('\n').filter((l) => l !== '');
    for (const l of lines) {
      expect(l).toMatch(/^\d+ clk (I[TS] \(\d+\) [0-9a-f]{8,16} [0-9a-f]{8} O EL[0-3][th]_n : \S.*|R (X\d+|SP_EL[0-3]) [0-9A-F]{16}|R cpsr [0-9a-f]{8}|M[RW][1248] [0-9a-f]{8,16}:[0-9a-f]{12,}_NS [0-9a-f_]+|E [0-9a-f]{8,16} 0000008[0-9a-f] CoreEvent_(CURRENT_SP0|CURRENT_SPx|LOWER_64|LOWER_32)_(SYNC|IRQ|FIQ|ABORT))$/);
    }
    expect(lines.some((l) => / IS \(/.test(l))).toBe(true); // the b.ne not taken
    // The SVC, as Fast Models write a synchronous exception: the instruction's address, event 0x84.
    expect(lines.filter((l) => / E /.test(l)).map((l) => l.replace(/^\d+ clk /, ''))).toEqual(['E 4001003c 00000084 CoreEvent_CURRENT_SPx_SYNC']);
  });

  it('with the cores inline, names the core after the time (gem5 style) and otherwise matches', async () => {
    await trace(2, true, 'inline.tarmac');
    const got = readFileSync(join(dir, 'inline.tarmac'), 'latin1');
    const lines = got.split('\n').filter((l) => l !== '');
    expect(lines.every((l) => /^\d+ clk cpu0 /.test(l))).toBe(true); // core 1 never starts
    expect(got.replace(/ clk cpu0 /g, ' clk ')).toBe(readFileSync(GOLDEN, 'latin1'));
  });
});
