import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { machineWith, getX } from '../harness.js';

describe('decoded-code cache', () => {
  it('a store over an already-executed instruction makes the new one run', async () => {
    // The loop body runs once with "mov x0, #1", then rewrites that instruction to "mov x0, #7"
    // (0xd28000e0) and runs it again: the cached decode must be dropped.
    const w = await assembleWords(`
      movz w2, #0x00e0
      movk w2, #0xd280, lsl #16
      adr x1, target
      mov x3, #2
    target:
      mov x0, #1
      add x4, x4, x0
      str w2, [x1]
      subs x3, x3, #1
      b.ne target
      b .`);
    const { c } = machineWith(w);
    c.run(4 + 5 * 2);
    expect(getX(c, 4)).toBe(1n + 7n);
  });

  it('data stored next to code in the same page leaves the code decoded and correct', async () => {
    const w = await assembleWords(`
      adr x1, data
      mov x3, #100
    loop:
      add x0, x0, #3
      str x0, [x1]
      subs x3, x3, #1
      b.ne loop
      b .
    data:
      .quad 0`);
    const { c, m } = machineWith(w);
    c.run(2 + 4 * 100);
    expect(getX(c, 0)).toBe(300n);
    expect(m.ram.dv.getUint32(7 * 4, true)).toBe(300); // data follows the 7 instructions
  });
});
