// Budget edges, precise exceptions in the middle of a block, jumps to other pages and self-modifying
// code, in lock-step (lockstep.ts): a block must never run past its budget, an abort must leave the
// state exactly as the interpreter does, and a chain must only go where a fetch would.

import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { RAM_BASE } from '../../emu/board/machine.js';
import type { Machine } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { wordBytes } from '../harness.js';
import { D, NORMAL, Tables, tcr, enableMmu } from '../cpu/mmu-helpers.js';
import { core, lockstep, state, SLICES } from './lockstep.js';

/** Exception vectors whose handler for a synchronous exception at the same EL counts it in x22, keeps
 * ELR and ESR in x20 and x21, and returns past the instruction; SET_VBAR installs them. */
const SKIPPING_VECTORS = `
      .balign 2048
    vectors:
      .skip 0x200
      mrs x20, elr_el1
      mrs x21, esr_el1
      add x22, x22, #1
      add x20, x20, #4
      msr elr_el1, x20
      eret`;
const SET_VBAR = `adr x0, vectors
      msr vbar_el1, x0
      isb`;

describe('translator: budgets, aborts, self-modifying code', () => {
  it('a loop with loads, stores, pairs, calls and flags stops exactly at every budget', async () => {
    const w = await assembleWords(`
      adr x1, data
      mov x3, #60
    loop:
      ldr x0, [x1]
      add x0, x0, #3
      str x0, [x1]
      stp x0, x3, [x1, #16]!
      ldp x5, x6, [x1], #-16
      bl func
      tbz x3, #0, skip
      eor x8, x8, x3, lsl #7
    skip:
      cbz x8, never
      subs x3, x3, #1
      b.ne loop
      b .
    never:
      brk #1
    func:
      add x7, x7, x0
      ret
      .balign 64
    data:
      .quad 0, 0, 0, 0, 0, 0`);
    lockstep(w, SLICES, 1500);
  });

  it('an abort in the middle of a block leaves the PC, registers and count as the interpreter does', async () => {
    // x9 points where nothing is mapped: the load takes a synchronous external abort; the handler
    // records ELR and ESR, skips the load and returns.
    const w = await assembleWords(`
      ${SET_VBAR}
      mov x3, #25
      mov x9, #0x20000000
    loop:
      add x4, x4, #1
      add x5, x5, x4
      ldr x6, [x9]
      add x7, x7, #1
      subs x3, x3, #1
      b.ne loop
      b .
${SKIPPING_VECTORS}`);
    const { wasm: { m } } = lockstep(w, SLICES, 600);
    const c = m.cores[0];
    expect(c.x[2 * 22]).toBe(25); // every abort taken
    expect((c.x[2 * 21] >>> 26) & 0x3f).toBe(0x25); // data abort, same EL
    expect(c.x[2 * 7]).toBe(25);
  });

  it('an access that runs past the end of a cached page misses the data-access cache', async () => {
    // RAM ends at 0x41000000. The 8-byte load fills the read cache with the last page; the pair load
    // and store at 0x40fffffc start on that page but end past RAM, where the interpreter takes an
    // abort (SKIPPING_VECTORS count it and skip the instruction). Translated code that checked
    // only the first byte's page would read and write beyond RAM instead.
    const w = await assembleWords(`
      ${SET_VBAR}
      mov x3, #25
      movz x9, #0x40ff, lsl #16
      movk x9, #0xfff0
    loop:
      ldr x4, [x9]
      add x5, x5, x4
      str x3, [x9, #8]
      ldp w6, w7, [x9, #12]
      add x8, x8, #1
      stp w8, w5, [x9, #12]
      subs x3, x3, #1
      b.ne loop
      b .
${SKIPPING_VECTORS}`);
    const { wasm: { m } } = lockstep(w, SLICES, 600, (_m, c) => { c.x[2 * 7] = 1; });
    expect(m.cores[0].x[2 * 22]).toBe(50);
  });

  it('translated loads and stores whose address carries or borrows across 4 GiB reach the pages the interpreter reaches', async () => {
    // VA 0xffff_f000 and 0x1_0000_0000 map two RAM pages of different contents; each form of address
    // (immediate offset up and down, register offset, pre- and post-index, pairs) crosses between them.
    // A lost carry or borrow would reach VA 0x0 or 0x1_ffff_f000: decoy pages, put in the
    // data-access cache (the same set as the right page) just before each such access through x15 and
    // x17; otherwise a wrong address would only miss the cache and the interpreter would do it right.
    const w = await assembleWords(`
    loop:
      ldr x14, [x15]
      ldr x2, [x0, #16]
      ldr x14, [x15]
      ldr x4, [x0, x5]
      ldr x16, [x17]
      ldur x3, [x1, #-16]
      add x12, x12, x2
      str xzr, [x15, #8]
      str x12, [x0, #24]
      ldr x14, [x15]
      ldp x6, x7, [x0, #16]
      ldr x9, [x0, #16]!
      ldr x10, [x0], #-16
      add x13, x13, x3
      subs x11, x11, #1
      b.ne loop
      b .`);
    const setup = (m: Machine, c: Cpu): void => {
      const t = new Tables(m, RAM_BASE + 0x80_0000);
      const root0 = t.alloc(), root1 = t.alloc();
      t.map(root0, 39, BigInt(RAM_BASE), RAM_BASE, NORMAL | D.UXN, 1);
      const below = RAM_BASE + 0x10_0000, above = RAM_BASE + 0x10_1000, decoy = RAM_BASE + 0x10_2000;
      t.map(root0, 39, 0xffff_f000n, below, NORMAL);
      t.map(root0, 39, 0x1_0000_0000n, above, NORMAL);
      t.map(root0, 39, 0x0n, decoy, NORMAL);
      t.map(root0, 39, 0x1_ffff_f000n, decoy, NORMAL);
      for (let k = 0; k < 1024; k++) {
        m.ram.dv.setUint32(below - RAM_BASE + 4 * k, 0x1000 + k, true);
        m.ram.dv.setUint32(above - RAM_BASE + 4 * k, 0x2000 + k, true);
        m.ram.dv.setUint32(decoy - RAM_BASE + 4 * k, 0xdead, true);
      }
      enableMmu(c, { tcr: tcr({}), ttbr0: BigInt(root0), ttbr1: BigInt(root1) });
      c.x[2 * 0] = 0xffff_fff8 | 0; c.x[2 * 0 + 1] = 0; // x0 = 0xffff_fff8
      c.x[2 * 1] = 8; c.x[2 * 1 + 1] = 1; // x1 = 0x1_0000_0008
      c.x[2 * 5] = 16;
      c.x[2 * 11] = 40;
      c.x[2 * 15] = 0x10; // VA 0x10
      c.x[2 * 17] = 0xffff_fff0 | 0; c.x[2 * 17 + 1] = 1; // VA 0x1_ffff_fff0
    };
    const { wasm: { m } } = lockstep(w, SLICES, 800, setup);
    const c = m.cores[0];
    expect(c.x[2 * 11]).toBe(0);
    expect(c.x[2 * 2]).toBe(0x2002); // from above 4 GiB (word 2 of that page)
    expect(c.x[2 * 3]).toBe(0x13fe); // from below (the page's word 1022)
  });

  it.each(['tlbi vae1, x22', 'tlbi vmalle1'])('jumps to other pages chain only where a fetch would go: a page remapped, then %s, runs its new code', async (tlbi) => {
    // Regions chain across pages through the core's jump cache. Calls through a register (BLR, RET),
    // a BL to the next page and a straight line running over a page end all cross pages; halfway, the
    // guest remaps the called page (VA 0x1000_5000: RAM page P1, then P2) and invalidates it (that page,
    // or everything). A jump cache entry that outlived the TLBI would chain into P1's code (x10) instead
    // of P2's (x11). (The jump cache is direct-mapped on VA[17:12]: the called page must not share a set
    // with the loop's, or it would be evicted before it could go stale.)
    const w = await assembleWords(`
    loop:
      blr x9
      add x12, x12, x0
      bl far
      b tail
    back:
      cmp x3, #20
      b.ne next
      str x21, [x20]
      dsb ish
      ${tlbi}
      dsb ish
      isb
    next:
      subs x3, x3, #1
      b.ne loop
      b .
      .balign 4096
    far:
      add x13, x13, #1
      ret
      .rept 1020
      nop
      .endr
    tail:
      add x14, x14, #1
      add x14, x14, #2
      add x14, x14, #4
      b back`);
    const p1 = RAM_BASE + 0x10_0000, p2 = RAM_BASE + 0x10_1000, fn = 0x1000_5000n;
    const callee = async (x: number) => assembleWords(`add x${9 + x}, x${9 + x}, #1\n mov x0, #${x}\n ret`);
    const [c1, c2] = [await callee(1), await callee(2)];
    const setup = (m: Machine, c: Cpu): void => {
      const t = new Tables(m, RAM_BASE + 0x80_0000);
      const root0 = t.alloc(), root1 = t.alloc();
      t.map(root0, 39, BigInt(RAM_BASE), RAM_BASE, NORMAL | D.UXN, 1);
      const pte = t.map(root0, 39, fn, p1, NORMAL | D.UXN);
      m.ram.load(p1, wordBytes(c1));
      m.ram.load(p2, wordBytes(c2));
      enableMmu(c, { tcr: tcr({}), ttbr0: BigInt(root0), ttbr1: BigInt(root1) });
      c.x[2 * 3] = 40;
      c.x[2 * 9] = Number(fn);
      c.x[2 * 20] = pte; // identity-mapped
      const d = BigInt(p2) | D.PAGE | NORMAL | D.UXN;
      c.x[2 * 21] = Number(d & 0xffff_ffffn) | 0; c.x[2 * 21 + 1] = Number(d >> 32n) | 0;
      c.x[2 * 22] = Number(fn >> 12n);
    };
    const { wasm: { m } } = lockstep(w, SLICES, 1500, setup);
    const c = m.cores[0];
    expect(c.x[2 * 3]).toBe(0);
    expect([c.x[2 * 10], c.x[2 * 11]]).toEqual([21, 19]);
    expect(c.x[2 * 12]).toBe(21 * 1 + 19 * 2);
    expect([c.x[2 * 13], c.x[2 * 14]]).toEqual([40, 40 * 7]);
  });

  it('code that rewrites an instruction later in its own block runs the new instruction', async () => {
    // "mov x0, #1" is rewritten to "mov x0, #7" (0xd28000e0) by a store earlier in the same block.
    const w = await assembleWords(`
      movz w2, #0x00e0
      movk w2, #0xd280, lsl #16
      adr x1, target
      mov x3, #4
    loop:
      add x5, x5, #1
      str w2, [x1]
    target:
      mov x0, #1
      add x4, x4, x0
      subs x3, x3, #1
      b.ne loop
      b .`);
    const { wasm: { m } } = lockstep(w, [1, 3, 100], 400);
    expect(m.cores[0].x[2 * 4]).toBe(4 * 7);
    expect(m.translationStats().invalidated).toBeGreaterThan(0);
  });

  it('a request to fill the data-access cache never outlives run(), even when its instruction leaves the loop', async () => {
    // As if a region had left before YIELD's access (jitFill 1): YIELD leaves the loop (Flow.Exit) and
    // the budget ends there; a request left pending would later fill the cache from another access.
    const w = await assembleWords(`
      yield
      ldr x1, [x2]
      b .`);
    const { c } = core(w, 'wasm');
    c.jitFill = 1;
    expect(c.run(1)).toBe(1);
    expect(c.jitFill).toBe(0);
  });

  it('loads and stores that go to a device become handler calls in regions, and agree at every budget', async () => {
    // The UART's divisor register written and read back and its data register written, in a loop
    // between RAM accesses: after deviceThreshold device accesses from each site (each leaving the
    // region), the regions covering it are translated again with the handler called there.
    const w = await assembleWords(`
      mov x1, #0x09000000
      adr x2, data
      mov x3, #80
    loop:
      str w3, [x1, #0x24]
      ldr x5, [x2]
      ldr w4, [x1, #0x24]
      add x5, x5, x4
      add w6, w3, #0x40
      strb w6, [x1]
      str x5, [x2, #8]!
      sub x2, x2, #8
      add x7, x7, x5
      subs x3, x3, #1
      b.ne loop
      b .
      .balign 64
    data:
      .quad 1, 2, 3`);
    const setup = (m: Machine): void => { if (m.translator !== null) m.translator.deviceThreshold = 4; };
    const { wasm, js, step } = lockstep(w, SLICES, 800, setup);
    for (const t of [wasm, js, step]) expect(t.m.translationStats().deviceSites).toBe(3);
  });

  it('SIMD&FP loads and stores of every size and FP data processing agree at every budget, and trap once the FP unit is off', async () => {
    // Q, D, S, H and B loads (each zeroing the rest of its register), pairs, pre- and post-index, and
    // FP data processing reading and writing general registers (the light handler calls); in the 21st
    // pass the loop turns the FP unit off (CPACR_EL1.FPEN = 0) and every one of them traps from then
    // on (EC 0x07, counted and skipped by SKIPPING_VECTORS): translated code must not go on accessing
    // the registers once a handler has changed whether it may. The data has a page of its own, so
    // that stores do not leave the region (a page with code makes them slow) and it loops.
    const w = await assembleWords(`
      ${SET_VBAR}
      mov x0, #0x300000
      msr cpacr_el1, x0
      isb
      adr x1, data
      mov x3, #40
    loop:
      ldr q0, [x1]
      ldr d1, [x1, #16]
      ldp s2, s3, [x1, #24]
      ldr h4, [x1, #2]
      ldr b5, [x1, #5]
      str q0, [x1, #32]!
      stp d1, d0, [x1], #-32
      ldp q6, q7, [x1, #32]
      str s2, [x1, #4]
      str h3, [x1, #17]
      fadd d1, d1, d0
      fcvtzs x7, d1
      eor x8, x8, x7
      fmov d9, x5
      fmov x10, d9
      add x11, x11, x10
      add x5, x5, #1
      cmp x3, #20
      b.ne keep
      msr cpacr_el1, xzr
    keep:
      subs x3, x3, #1
      b.ne loop
      b .
      .balign 4096
    data:
      .quad 0x0123456789abcdef, 0xfedcba9876543210, 0x1111222233334444, 0x5555666677778888
      .quad 0, 0, 0, 0, 0, 0
${SKIPPING_VECTORS}`);
    const { wasm: { m } } = lockstep(w, SLICES, 3600);
    const c = m.cores[0];
    expect(c.x[2 * 22]).toBe(19 * 14); // the 19 passes after the 21st: each of the 14 traps
    expect((c.x[2 * 21] >>> 26) & 0x3f).toBe(0x07);
  });

  it('a straight line longer than a region is translated whole as soon as its first region is', async () => {
    // 100 instructions in a loop: regions of 32 (MAX_INSNS). Each region's continuation is translated
    // the next time it is reached, not after `threshold` more passes.
    const body = Array.from({ length: 100 }, (_, k) => `add x${k % 8}, x${k % 8}, #${k + 1}`).join('\n');
    const w = await assembleWords(`
      mov x9, #12
    loop:
      ${body}
      subs x9, x9, #1
      b.ne loop
      b .`);
    for (const backend of ['wasm', 'js'] as const) {
      const a = core(w, false), b = core(w, backend);
      b.m.translator!.threshold = 5;
      const n = 1 + 12 * 102; // to the loop's end
      expect(b.c.run(n)).toBe(a.c.run(n));
      expect(state(b.c)).toBe(state(a.c));
      // The loop's 102 instructions: four regions from its head, translated in passes 5 to 8 (else
      // the second in pass 10, and the third not yet).
      expect(b.m.translationStats().compiled, backend).toBe(4);
    }
  });

  it('a tight loop translated into itself agrees at every budget, also with irqPending set', async () => {
    const w = await assembleWords(`
    loop:
      add x1, x1, #1
      add x2, x2, #2
      b loop`);
    for (const backend of ['wasm', 'js'] as const) {
      const a = core(w, false), b = core(w, backend);
      for (const n of [10, 7, 5]) {
        expect(b.c.run(n)).toBe(a.c.run(n));
        expect(state(b.c)).toBe(state(a.c));
      }
      // irqPending with nothing deliverable: run() clears it before either loop starts.
      for (const x of [a, b]) x.c.irqPending = true;
      expect(b.c.run(50)).toBe(a.c.run(50));
      expect(state(b.c)).toBe(state(a.c));
    }
  });

  it('where a run cut by its budget resumes is not counted as an entry: quanta that start inside a region translate nothing more', async () => {
    // A loop of 9 instructions run in slices of 7: slices start at every word of it. Only the loop's
    // head and the code after it are entries, as in one long run; counting where each slice resumed
    // would make a region start at every word (threshold 1). A PC moved between runs is an entry.
    const w = await assembleWords(`
      mov x3, #400
    loop:
      add x1, x1, #1
      add x2, x2, x1
      eor x4, x4, x2
      add x5, x5, #3
      orr x6, x6, x5
      add x7, x7, x6
      sub x8, x8, x7
      subs x3, x3, #1
      b.ne loop
      b .`);
    for (const backend of ['wasm', 'js'] as const) {
      const whole = core(w, backend), cut = core(w, backend), ref = core(w, false);
      expect(whole.c.run(4004)).toBe(ref.c.run(4004));
      for (let done = 0; done < 4004; done += 7) cut.c.run(7);
      expect(cut.c.icount).toBe(whole.c.icount);
      expect(state(cut.c)).toBe(state(whole.c));
      const regions = whole.m.translationStats().compiled;
      expect(regions, backend).toBe(3); // the first word, the loop, and the \`b .\` after it
      expect(cut.m.translationStats().compiled, backend).toBe(regions);
      // Moved by hand to the loop's third word: an entry now (a region starts there at once).
      cut.c.pcLo = RAM_BASE + 12;
      cut.c.run(7);
      expect(cut.m.translationStats().compiled, backend).toBe(regions + 1);
    }
  });
});
