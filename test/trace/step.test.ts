// Software step in a trace: the stepped instruction clears PSTATE.SS (SSAdvance in the Arm ARM's
// software step state machine), and that change of CPSR bit 21 is the instruction's, in every format.
// (It used to be made after the tracer had finished with the instruction, so no trace showed it.)

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleWords } from '../../emu/asm/assembler.js';
import { openTrace } from '../../emu/trace/tracer.js';
import { readTrace, TraceEvent } from '../../emu/trace/reader.js';
import { machineWith, msr, wordBytes, CODE } from '../harness.js';

const VBAR = CODE + 0x8000, USER = CODE + 0x2000;
const SS = 1 << 21;

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-step-trace-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('software step in a trace', () => {
  for (const format of ['jsonl', 'binary', 'tarmac'] as const) {
    it(`${format}: the ERET sets CPSR.SS, the stepped instruction clears it, then the step exception`, async () => {
      const { m, c } = machineWith(await assembleWords('eret', CODE));
      m.ram.load(USER, wordBytes(await assembleWords('add x0, x0, #1; add x0, x0, #1', USER)));
      msr(c, 'VBAR_EL1', VBAR);
      msr(c, 'OSLAR_EL1', 0);
      msr(c, 'MDSCR_EL1', 1); // MDSCR_EL1.SS
      msr(c, 'ELR_EL1', USER);
      msr(c, 'SPSR_EL1', SS); // EL0t, D clear: EL0 steps
      const path = join(dir, `t.${format}`);
      const tr = await openTrace(m, { path, format });
      m.maxInsns = 3; // the ERET, the stepped ADD, the step exception taken before the next one
      m.run();
      tr.close();

      const evs: TraceEvent[] = [];
      await readTrace(format === 'tarmac' ? `${path}.core0` : path, (ev) => { evs.push(ev); });
      const insns = evs.filter((e) => e.t === 'insn');
      expect(insns.map((e) => BigInt(e.pc as string))).toEqual([BigInt(CODE), BigInt(USER)]);
      // Each instruction's CPSR writes: the events after it, up to the next instruction or exception.
      const cpsrOf = (insn: TraceEvent): number[] => {
        const out: number[] = [];
        for (let k = evs.indexOf(insn) + 1; k < evs.length && evs[k].t !== 'insn' && evs[k].t !== 'exc'; k++) {
          if (evs[k].t === 'reg' && evs[k].reg === 'cpsr') out.push(Number(BigInt(evs[k].val as string)));
        }
        return out;
      };
      const [eret, add] = insns;
      expect(cpsrOf(eret).map((v) => v & (SS | 0xf))).toEqual([SS]); // EL0t with SS set
      // Stepped: SS clear, still EL0t. (Tarmac's reader gives no exception events, so the exception
      // entry's CPSR, EL1h, follows there.)
      expect(cpsrOf(add).map((v) => v & (SS | 0xf))).toEqual(format === 'tarmac' ? [0, 5] : [0]);
      if (format !== 'tarmac') expect(Number(evs.find((e) => e.t === 'exc')?.ec)).toBe(0x32); // software step, lower EL
    });
  }
});
