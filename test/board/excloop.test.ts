// Exception-loop detection: a vector that faults on its own first instruction ends the run (exit
// 123) naming the vector and ESR; a guest that takes many exceptions and handles them does not.

import { describe, it, expect } from 'vitest';
import { CODE, machineWith, msr } from '../harness.js';
import { LOOP_REPEATS } from '../../emu/board/excloop.js';

const UDF = 0x00000000; // UDF #0: UNDEFINED
const NOP = 0xd503201f;
const VBAR = CODE + 0x1000;

describe('exception loop detection', () => {
  it('stops a vector that is UNDEFINED itself, naming it and the ESR', () => {
    const words = new Array<number>(0x1000 / 4 + 0x800 / 4).fill(UDF); // the vector table is all UDF too
    const { m, c } = machineWith(words);
    msr(c, 'VBAR_EL1', VBAR);
    const r = m.run();
    expect(r.status).toBe(123);
    expect(r.cause).toBe('fault');
    expect(r.reason).toBe(`core 0: exception loop: the synchronous exception vector at 0x${(VBAR + 0x200).toString(16)} (VBAR_EL1 + 0x200: synchronous, from the current EL with SP_ELx) faulted on its own first instructions ${LOOP_REPEATS} times in a row, each time with ESR_EL1=0x2000000 (EC 0x0), ELR_EL1=0x${(VBAR + 0x200).toString(16)}`);
    expect(r.instructions).toBeLessThan(LOOP_REPEATS + 10);
  });

  it('leaves alone a guest that takes thousands of exceptions and returns from each', () => {
    // The program: 3000 UDFs in a row, each skipped by the handler (ELR += 4, ERET), then an HLT exit.
    const n = 3000;
    const prog = [...new Array<number>(n).fill(UDF)];
    // Semihosting SYS_EXIT with the ADP_Stopped_ApplicationExit block at `blk`: x0 = 0x18, x1 = &blk.
    const exitAt = CODE + 4 * prog.length;
    prog.push(0xd2800300, 0x10000061, 0xd45e0000, 0x14000000, 0x20026, 0, 7, 0); // mov x0,#0x18; adr x1,blk; hlt #0xf000; b .; blk
    const table = new Array<number>(0x800 / 4).fill(NOP);
    // Sync, current EL, SP_ELx: mrs x9, elr_el1; add x9, x9, #4; msr elr_el1, x9; eret
    table.splice(0x200 / 4, 4, 0xd5384029, 0x91001129, 0xd5184029, 0xd69f03e0);
    const base = Math.ceil((prog.length * 4) / 0x800) * 0x800;
    const words = [...prog, ...new Array<number>(base / 4 - prog.length).fill(0), ...table];
    const { m, c } = machineWith(words);
    expect(exitAt).toBe(CODE + 4 * n);
    msr(c, 'VBAR_EL1', CODE + base);
    const r = m.run();
    expect(r.reason).toMatch(/exit/i);
    expect(r.status).toBe(7);
    expect(m.stats.exceptions[0]).toBe(n);
  });
});
