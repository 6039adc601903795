// A translated region goes straight on to the next after a branch or jump (the WebAssembly back end
// tail-calls its table slot; both back ends loop back to a region's entry and take forward branches
// inside it) unless an interrupt is pending: then it returns, so that the interrupt is taken at the
// branch target, as the interpreter takes it. No other test has an interrupt become pending inside a
// region, so those checks could be removed with every other test passing. An MSR always ends its
// region and the interpreter's loop (the interrupt is taken before the next instruction), so the guest
// pends its SGIs by STLR to GICR_ISPENDR0: a handler call that leaves the region running.

import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { RAM_BASE } from '../../emu/board/machine.js';
import type { Machine } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { core, lockstep, state, SLICES } from './lockstep.js';
import { GICD_INIT, GICR_INIT } from '../gic-asm.js';

const RD_BASE = 0x080a_0000; // core 0's redistributor
const ITERATIONS = 6;
/** Interrupts the guest takes per iteration: one per site. */
const SITES = 12;
/** Enough for the whole program (about 1,000 instructions; then it spins on `b .`). */
const TOTAL = 1500;

// Guest: at each site x9 is set to where the interrupt must be taken, then SGI 2 is pended (w5 to
// GICR_ISPENDR0 at x6) just before a branch: B, B.cond, CBNZ, BL, BR, BLR, RET back to the same page
// (backward, so the branch leaves its region and is one that chains), B and BR to another page (chained
// through the jump cache), B back to the region's own entry (l_head) and B forward inside a region
// (f_fwd). One site instead sends SGI 1 by MSR ICC_SGI1R_EL1 (x10), taken at the instruction after the
// MSR. The IRQ handler logs (ELR, x9) at x25 and counts interrupts (x21) and ELRs that are not x9
// (x22); x0 and x1 are its own; x3 counts the iterations.
const SOURCE = `
    b main
t_b:
    add x11, x11, #1
    b s_bcond
t_bc:
    add x12, x12, #1
    b s_cbnz
t_cb:
    add x12, x12, #2
    b s_bl
f_bl:
    add x13, x13, #1
    ret
t_br:
    add x14, x14, #1
    b s_blr
f_blr:
    add x14, x14, #2
    ret
t_ret:
    add x15, x15, #1
    b s_far

l_head:
    add x16, x16, #1
    tbz x16, #0, l_out
    adr x9, l_head
    stlr w5, [x6]
    b l_head
l_out:
    b s_fwd

${GICR_INIT}

main:${GICD_INIT}
    movz x2, #0x${(RD_BASE >>> 16).toString(16)}, lsl #16
    bl gicr_init
    adr x25, log
    movz x10, #0x100, lsl #16
    movk x10, #1
    mov w5, #4
    add x6, x2, #0x200
    mov x3, #${ITERATIONS}
    msr daifclr, #2
loop:
    adr x9, m_b
    msr icc_sgi1r_el1, x10
m_b:
    b s_b
s_b:
    adr x9, t_b
    stlr w5, [x6]
    b t_b
s_bcond:
    adr x9, t_bc
    cmp x3, #0
    stlr w5, [x6]
    b.ne t_bc
s_cbnz:
    adr x9, t_cb
    stlr w5, [x6]
    cbnz x3, t_cb
s_bl:
    adr x9, f_bl
    stlr w5, [x6]
    bl f_bl
    adr x8, t_br
    mov x9, x8
    stlr w5, [x6]
    br x8
s_blr:
    adr x8, f_blr
    mov x9, x8
    stlr w5, [x6]
    blr x8
    adr x30, t_ret
    mov x9, x30
    stlr w5, [x6]
    ret
s_far:
    adr x9, t_far
    stlr w5, [x6]
    b t_far
s_farbr:
    adr x8, t_far2
    mov x9, x8
    stlr w5, [x6]
    br x8
s_loop:
    b l_head

s_fwd:
    adr x9, f_fwd
    stlr w5, [x6]
    b f_fwd
    add x18, x18, #100
f_fwd:
    add x18, x18, #1
    subs x3, x3, #1
    b.ne loop
    b .

    .balign 4096
t_far:
    add x19, x19, #1
    b s_farbr
t_far2:
    add x19, x19, #2
    b s_loop

    .balign 4096
vectors:
    .skip 0x280
    mrs x0, icc_iar1_el1
    mrs x1, elr_el1
    stp x1, x9, [x25], #16
    cmp x1, x9
    cinc x22, x22, ne
    add x21, x21, #1
    msr icc_eoir1_el1, x0
    eret

    .balign 4096
log:
`;

/** The handler's log of a core: [ELR, expected] per interrupt taken. */
function log(m: Machine, c: Cpu): [number, number][] {
  const n = c.x[2 * 21], base = c.x[2 * 25] - 16 * n - RAM_BASE;
  return Array.from({ length: n }, (_, k) => [m.ram.dv.getUint32(base + 16 * k, true), m.ram.dv.getUint32(base + 16 * k + 8, true)]);
}

describe('translator: an interrupt made pending in translated code stops the chain', () => {
  it('every kind of branch after an SGI agrees with the interpreter at every budget', async () => {
    const w = await assembleWords(SOURCE);
    const { interp, wasm, js } = lockstep(w, SLICES, TOTAL);
    for (const { c } of [interp, wasm, js]) expect(c.x[2 * 21]).toBe(SITES * ITERATIONS);
  });

  it('each interrupt is taken at the branch target, on the interpreter and both back ends', async () => {
    // One slice for the whole run: a slice ending between the SGI and its branch would take the
    // interrupt before the branch (run() checks at its start), on every core alike.
    const w = await assembleWords(SOURCE);
    const runs = ([false, 'wasm', 'js'] as const).map((jit) => {
      const { m, c } = core(w, jit);
      expect(c.run(TOTAL)).toBe(TOTAL);
      return { m, c };
    });
    for (const { m, c } of runs) {
      expect(c.x[2 * 3]).toBe(0); // finished
      expect(c.x[2 * 21]).toBe(SITES * ITERATIONS);
      expect(c.x[2 * 22]).toBe(0);
      const l = log(m, c);
      for (const [elr, expected] of l) expect(elr.toString(16)).toBe(expected.toString(16));
      expect(new Set(l.map(([e]) => e)).size).toBe(SITES);
      expect(state(c)).toBe(state(runs[0].c));
    }
  });
});
