import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { loadDisassembler } from '../../emu/asm/disassembler.js';

describe('keystone and capstone wrappers', () => {
  it('assemble and disassemble round-trip', async () => {
    const [w] = await assembleWords('ldaxr w1, [x0]');
    expect(w).toBe(0x885ffc01);
    const dis = await loadDisassembler();
    expect(dis(w, 0).text).toBe('ldaxr w1, [x0]');
    expect(dis(0, 0).text).toBe('.inst 0x00000000');
  });
  it('reports what keystone cannot assemble', async () => {
    await expect(assembleWords('ldadd w1, w2, [x0]')).rejects.toThrow(/cannot assemble/);
  });
  it('keeps an instruction followed by a comment at the end, and refuses a statement keystone would hang on', async () => {
    expect(await assembleWords('mov x0, #1 // one')).toEqual([0xd2800020]);
    expect(await assembleWords('mov x0, #1 // one\nmov x1, #2 // two')).toEqual([0xd2800020, 0xd2800041]);
    expect(await assembleWords('mov x0, #(8/2) /* four */')).toEqual([0xd2800080]);
    for (const bad of ['/tmp/a.s', 'nop; /x', 'nop\n  /']) await expect(assembleWords(bad)).rejects.toThrow(/begins with "\/"/);
  });
});
