// A guest running at a high virtual address (MMU on, TTBR1): the tracer, the trace readers and the
// run's messages give exact 64-bit PCs. As doubles, PCs near 2^64 are rounded to multiples of 2048, so
// two instructions 4 bytes apart used to share one code location (and one PC in the trace).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrace } from '../../emu/trace/tracer.js';
import { readTrace, TraceEvent } from '../../emu/trace/reader.js';
import { wordBytes } from '../harness.js';
import { RAM_BASE, Tables, enableMmu, newMachine, tcr } from '../cpu/mmu-helpers.js';

/** Where the code sits: a 2 MiB block of TTBR1's range, at an address whose low 11 bits are not 0. */
const VA_BLOCK = 0xffff_ff80_4000_0000n;
const CODE_OFF = 0x63eb0;
const HIGH_PC = VA_BLOCK + BigInt(CODE_OFF); // 0xffffff8040063eb0

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-high-va-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('a guest at a high virtual address', () => {
  for (const format of ['jsonl', 'binary', 'tarmac'] as const) {
    it(`${format}: every PC and branch target in the trace is exact, and so is the stop message`, async () => {
      const m = newMachine();
      const c = m.cores[0];
      const t = new Tables(m, RAM_BASE + 0x20_0000);
      const root1 = t.alloc();
      t.map(root1, 39, VA_BLOCK, RAM_BASE, undefined, 2); // a 2 MiB block: VA_BLOCK -> RAM base
      enableMmu(c, { tcr: tcr({ t0sz: 25, t1sz: 25, epd0: true }), ttbr1: BigInt(root1) });
      // nop; nop; add x0, x0, #1; bl +8; nop; b -16 (to the first nop): a loop of distinct PCs 4 apart.
      m.ram.load(RAM_BASE + CODE_OFF, wordBytes([0xd503201f, 0xd503201f, 0x91000400, 0x94000002, 0xd503201f, 0x17fffffb]));
      c.pcLo = Number(HIGH_PC & 0xffff_ffffn) | 0; c.pcHi = Number(HIGH_PC >> 32n) | 0;
      m.symbolize = (a) => (a >= HIGH_PC && a < HIGH_PC + 24n ? `hot+0x${(a - HIGH_PC).toString(16)}` : undefined);
      const path = join(dir, `t.${format}`);
      const tr = await openTrace(m, { path, format });
      m.maxInsns = 14;
      const r = m.run();
      tr.close();
      expect(r.status).toBe(124);
      expect(r.reason).toContain(`pc=0x${(HIGH_PC + 20n).toString(16)} <hot+0x14>`);

      const evs: TraceEvent[] = [];
      await readTrace(format === 'tarmac' ? `${path}.core0` : path, (ev) => { evs.push(ev); });
      const pcs = evs.filter((e) => e.t === 'insn').map((e) => BigInt(e.pc as string));
      expect(pcs).toHaveLength(14);
      // Straight line, then the loop back through bl's target.
      const off = (k: number): bigint => HIGH_PC + BigInt(4 * k);
      expect(pcs.slice(0, 7)).toEqual([off(0), off(1), off(2), off(3), off(5), off(0), off(1)]);
      const bl = evs.find((e) => e.t === 'insn' && /^bl /i.test(e.dis as string));
      expect(bl?.dis).toMatch(/bl #0xffffff8040063ec4/i);
      if (format !== 'tarmac') expect(evs.find((e) => e.t === 'insn')?.sym).toBe('hot+0x0');
      // The BL's write of X30 (after the register dump a core's trace starts with).
      const lr = evs.find((e, k) => e.t === 'reg' && e.reg === 'x30' && evs.slice(0, k).includes(bl!));
      expect(BigInt(lr?.val as string)).toBe(off(4));
      if (format === 'tarmac') expect(readFileSync(`${path}.core0`, 'latin1')).toContain('FFFFFF8040063EB0'.toLowerCase());
    });
  }
});
