// The data-access cache translated code reads (Cpu.dtlbR/dtlbW) must only ever hold what the MMU's TLB
// holds, for the current EL and regime: otherwise translated code could use a translation the
// interpreter no longer uses (after a TLB eviction, a TLBI or a change of translation registers) and the
// two would diverge. These tests fill it the way the dispatcher does (an access through the core, then
// dtlbFill) and check when it must be empty.

import { describe, it, expect } from 'vitest';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { DTLB_EMPTY, DTLB_SETS } from '../../emu/cpu/cpu.js';
import { sysKey } from '../../emu/cpu/sysregs.js';
import { D, NORMAL, DEVICE, RAM_BASE, Tables, tcr, newMachine, enableMmu, lohi, setSys } from '../cpu/mmu-helpers.js';

const DATA = RAM_BASE + 0x10_0000;
const POOL = RAM_BASE + 0x80_0000;

function setup(): { c: Cpu; t: Tables; root0: number } {
  const m = newMachine(1);
  const c = m.cores[0];
  const t = new Tables(m, POOL);
  const root0 = t.alloc(), root1 = t.alloc();
  t.map(root0, 39, BigInt(RAM_BASE), RAM_BASE, NORMAL | D.UXN, 1);
  enableMmu(c, { tcr: tcr({}), ttbr0: BigInt(root0), ttbr1: BigInt(root1) });
  return { c, t, root0 };
}

/** Read at va through the core (as the interpreter does) and offer the page to the read cache. */
function readAndFill(c: Cpu, va: bigint): number {
  const [l, h] = lohi(va);
  const v = c.read32(l, h);
  c.dtlbFill(c.dtlbR, l, h);
  return v;
}

function cached(c: Cpu, va: bigint): boolean {
  const [l, h] = lohi(va);
  const e = ((l >>> 12) & (DTLB_SETS - 1)) << 2;
  return c.dtlbR[e] === (l & ~0xfff) && c.dtlbR[e + 1] === h;
}

describe('the data-access cache of translated code', () => {
  it('is filled for Normal RAM pages, not for Device memory', () => {
    const { c, t, root0 } = setup();
    t.map(root0, 39, 0x1000_0000n, DATA, NORMAL);
    t.map(root0, 39, 0x1000_1000n, DATA, DEVICE);
    readAndFill(c, 0x1000_0000n);
    readAndFill(c, 0x1000_1000n);
    expect(cached(c, 0x1000_0000n)).toBe(true);
    expect(cached(c, 0x1000_1000n)).toBe(false);
  });

  it('loses a page when the MMU TLB evicts it, so a changed PTE is seen as the interpreter sees it', () => {
    const { c, t, root0 } = setup();
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA, NORMAL);
    c.ram.dv.setUint32(DATA - RAM_BASE, 0x1111, true);
    c.ram.dv.setUint32(DATA + 0x1000 - RAM_BASE, 0x2222, true);
    expect(readAndFill(c, va)).toBe(0x1111);
    expect(cached(c, va)).toBe(true);
    // The PTE changes without a TLBI (the TLB may keep the old one until it evicts it).
    t.write(at, BigInt(DATA + 0x1000) | D.PAGE | NORMAL);
    // Touch enough other pages to evict every entry of a 2-way TLB of any size up to 1024 sets.
    for (let k = 1; k <= 2048; k++) {
      const v = 0x2000_0000n + BigInt(k) * 0x1000n;
      t.map(root0, 39, v, DATA, NORMAL);
      const [l, h] = lohi(v);
      c.read32(l, h);
    }
    // The interpreter now walks again and reads the new page; the cache must not still hold the old.
    expect(cached(c, va)).toBe(false);
    const [l, h] = lohi(va);
    expect(c.read32(l, h)).toBe(0x2222);
  });

  it('is dropped by TLB maintenance and by a change of translation registers', () => {
    const { c, t, root0 } = setup();
    t.map(root0, 39, 0x1000_0000n, DATA, NORMAL);
    t.map(root0, 39, 0x1000_2000n, DATA, NORMAL);
    readAndFill(c, 0x1000_0000n);
    readAndFill(c, 0x1000_2000n);
    expect(cached(c, 0x1000_0000n)).toBe(true);
    // TLBI VAE1 and VALE1 (Xt: VA[55:12]) drop their page only; VMALLE1 drops everything.
    const tlbi = (op2: number, va: bigint): void => {
      const [l, h] = lohi(va >> 12n);
      c.x[2 * 1] = l; c.x[2 * 1 + 1] = h;
      expect(c.sys.sysInstr(c, sysKey(1, 0, 8, 7, op2), 1)).toBe(true);
    };
    tlbi(1, 0x1000_0000n);
    expect(cached(c, 0x1000_0000n)).toBe(false);
    expect(cached(c, 0x1000_2000n)).toBe(true);
    readAndFill(c, 0x1000_0000n);
    tlbi(5, 0x1000_2000n);
    expect(cached(c, 0x1000_0000n)).toBe(true);
    expect(cached(c, 0x1000_2000n)).toBe(false);
    tlbi(0, 0n);
    expect(cached(c, 0x1000_0000n)).toBe(false);
    readAndFill(c, 0x1000_0000n);
    c.resetFetch(); // what every other TLBI and MMU change does
    expect(cached(c, 0x1000_0000n)).toBe(false);
    readAndFill(c, 0x1000_0000n);
    setSys(c, 'TTBR0_EL1', BigInt(root0) | (1n << 48n)); // another ASID
    expect(cached(c, 0x1000_0000n)).toBe(false);
    expect(c.dtlbR.every((v, k) => (k & 3) !== 0 || v === DTLB_EMPTY)).toBe(true);
  });

  it('is not filled while alignment checking is on or data hooks observe accesses', () => {
    const { c, t, root0 } = setup();
    t.map(root0, 39, 0x1000_0000n, DATA, NORMAL);
    c.addDataHook({ access: () => {} });
    readAndFill(c, 0x1000_0000n);
    expect(cached(c, 0x1000_0000n)).toBe(false);
    c.dataHooks = [];
    c.alignCheck = true;
    readAndFill(c, 0x1000_0000n);
    expect(cached(c, 0x1000_0000n)).toBe(false);
  });
});
