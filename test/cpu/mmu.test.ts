// Stage-1 translation (EL1&0, 4 KiB granule), the per-core TLB, TLBI and AT.
//
// Expected values come from the Arm ARM: ESR_ELx = EC[31:26] | IL[25] | ISS, with EC 0x25/0x24 for a data
// abort from the same/a lower EL, 0x21/0x20 for an instruction abort, ISS.WnR = bit 6, and the fault status
// codes: address size 0b0000LL, translation 0b0001LL, access flag 0b0010LL, permission 0b0011LL,
// synchronous external abort on a table walk 0b0101LL, alignment 0b100001. PAR_EL1 after AT: F = 0 with
// PA[47:12], SH[8:7], NS[9], RES1 bit 11, ATTR[63:56]; or F = 1 with FST[6:1], PTW[8] = 0, S[9] = 0.

import { describe, it, expect } from 'vitest';
import { Access } from '../../emu/cpu/cpu.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import type { Machine } from '../../emu/board/machine.js';
import { sysKey } from '../../emu/cpu/sysregs.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { SPLIT } from '../../emu/cpu/mmu.js';
import {
  D, NORMAL, DEVICE, RAM_BASE, Tables, tcr, TcrFields, setSys, getSys, newMachine, enableMmu, abortOf, lohi, hex,
} from './mmu-helpers.js';

const CODE = RAM_BASE;                 // instructions (identity-mapped when a test runs code)
const DATA = RAM_BASE + 0x10_0000;     // data pages: DATA + k * 0x1000
const POOL = RAM_BASE + 0x80_0000;     // page tables

// ESR values (EC | IL).
const DABT_SAME = 0x96000000;
const DABT_LOWER = 0x92000000;
const IABT_SAME = 0x86000000;
const IABT_LOWER = 0x82000000;
const WNR = 0x40;

// SYS encodings: 0xd5080000 | op1 << 16 | CRn << 12 | CRm << 8 | op2 << 5 | Rt.
const sysInsn = (op1: number, crn: number, crm: number, op2: number, rt: number): number =>
  (0xd5080000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt) >>> 0;
const TLBI = {
  VMALLE1: sysInsn(0, 8, 7, 0, 31), VAE1: sysInsn(0, 8, 7, 1, 0), ASIDE1: sysInsn(0, 8, 7, 2, 0),
  VAAE1: sysInsn(0, 8, 7, 3, 0), VALE1: sysInsn(0, 8, 7, 5, 0), VAALE1: sysInsn(0, 8, 7, 7, 0),
  VMALLE1IS: sysInsn(0, 8, 3, 0, 31), VAE1IS: sysInsn(0, 8, 3, 1, 0), ASIDE1IS: sysInsn(0, 8, 3, 2, 0),
  VAAE1IS: sysInsn(0, 8, 3, 3, 0), VALE1IS: sysInsn(0, 8, 3, 5, 0), VAALE1IS: sysInsn(0, 8, 3, 7, 0),
};
const AT = { S1E1R: sysInsn(0, 7, 8, 0, 0), S1E1W: sysInsn(0, 7, 8, 1, 0), S1E0R: sysInsn(0, 7, 8, 2, 0), S1E0W: sysInsn(0, 7, 8, 3, 0) };

interface Env { m: Machine; c: Cpu; t: Tables; root0: number; root1: number; in0: number; in1: number }

/** A machine with empty TTBR0/TTBR1 roots, the MMU on, and RAM identity-mapped through TTBR0 by a 1 GiB
 * block at VA 0x4000_0000 (EL1 RW, executable at EL1) unless the VA size cannot hold it. */
function setup(f: TcrFields = {}, opts: { smp?: number; identity?: boolean; asid0?: number; asid1?: number } = {}): Env {
  const m = newMachine(opts.smp ?? 1);
  const c = m.cores[0];
  const t = new Tables(m, POOL);
  const root0 = t.alloc(), root1 = t.alloc();
  const in0 = 64 - (f.t0sz ?? 25), in1 = 64 - (f.t1sz ?? 25);
  if (opts.identity ?? true) t.map(root0, in0, BigInt(RAM_BASE), RAM_BASE, NORMAL | D.UXN, 1);
  for (const core of m.cores) {
    enableMmu(core, {
      tcr: tcr(f),
      ttbr0: BigInt(root0) | (BigInt(opts.asid0 ?? 0) << 48n),
      ttbr1: BigInt(root1) | (BigInt(opts.asid1 ?? 0) << 48n),
    });
  }
  return { m, c, t, root0, root1, in0, in1 };
}

function poke(m: Machine, pa: number, v: number): void { m.ram.dv.setUint32(pa - RAM_BASE, v >>> 0, true); }
function peek(m: Machine, pa: number): number { return m.ram.dv.getUint32(pa - RAM_BASE, true); }
function rd(c: Cpu, va: bigint): number { const [l, h] = lohi(va); return c.read32(l, h) >>> 0; }
function wr(c: Cpu, va: bigint, v: number): void { const [l, h] = lohi(va); c.write32(l, h, v); }
function tr(c: Cpu, va: bigint, acc: Access, size = 4): number { const [l, h] = lohi(va); return c.translate(l, h, acc, size); }

/** Fill data page k with a recognisable word at every offset multiple of 4: 0xkk00_0000 + offset. */
function fillPage(m: Machine, k: number): number {
  const pa = DATA + k * 0x1000;
  for (let o = 0; o < 0x1000; o += 4) poke(m, pa + o, ((k << 24) | o) >>> 0);
  return pa;
}

/** Run one instruction at CODE (identity-mapped) on core c; `before` runs after the code is stored. */
function runAt(m: Machine, c: Cpu, word: number, x0?: bigint, before?: () => void): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, word, true);
  m.ram.load(CODE, b); // (invalidates decoded code, which resets every core's fetch page)
  before?.();
  if (x0 !== undefined) { const [l, h] = lohi(x0); c.x[2 * 0] = l; c.x[2 * 0 + 1] = h; }
  c.pcLo = CODE; c.pcHi = 0;
  c.resetFetch();
  c.run(1);
}

/** Xt for TLBI by VA: ASID in [63:48], VA[55:12] in [43:0]. */
const tlbiArg = (va: bigint, asid = 0): bigint => (BigInt(asid) << 48n) | ((va >> 12n) & ((1n << 44n) - 1n));

function expectAbort(c: Cpu, fn: () => void, esr: number, far: bigint): void {
  const a = abortOf(c, fn);
  expect(a, 'expected an abort').not.toBeNull();
  expect({ esr: hex(a!.esr), far: hex(a!.far) }).toEqual({ esr: hex(esr), far: hex(BigInt.asUintN(64, far)) });
}

function expectNoAbort(c: Cpu, fn: () => void): void {
  const a = abortOf(c, fn);
  expect(a === null ? null : { esr: hex(a.esr), far: hex(a.far) }).toBeNull();
}

// ---------------------------------------------------------------------------------------------------

describe('translation: VA sizes, TTBR0/TTBR1, blocks and pages', () => {
  it('48-bit VA through TTBR0, walk from level 0 to a level-3 page', () => {
    const { m, c, t, root0 } = setup({ t0sz: 16, t1sz: 16 }, { identity: false });
    const va = 0x0000_1234_5678_9000n;
    const pa = fillPage(m, 1);
    t.map(root0, 48, va, pa);
    expect(hex(rd(c, va + 0x10n))).toBe(hex(0x01000010));
    wr(c, va + 0x20n, 0xcafef00d);
    expect(hex(peek(m, pa + 0x20))).toBe(hex(0xcafef00d));
    expect(tr(c, va + 0xabcn, Access.Read)).toBe(pa + 0xabc);
  });

  it('48-bit VA through TTBR1, with 1 GiB (level 1) and 2 MiB (level 2) blocks and a page', () => {
    const { m, c, t, root1 } = setup({ t0sz: 16, t1sz: 16 }, { identity: false });
    fillPage(m, 3);
    const vaPage = 0xffff_8000_0020_3000n;
    t.map(root1, 48, vaPage, DATA + 0x3000);
    expect(hex(rd(c, vaPage + 0x44n))).toBe(hex(0x03000044));
    const va1g = 0xffff_0000_4000_0000n; // 1 GiB block onto PA 0x4000_0000
    t.map(root1, 48, va1g, 0x4000_0000, NORMAL, 1);
    expect(tr(c, va1g + 0x0012_3458n, Access.Read)).toBe(0x4012_3458);
    expect(hex(rd(c, va1g + 0x0010_3008n))).toBe(hex(0x03000008)); // DATA + 0x3008
    const va2m = 0xffff_9000_0060_0000n; // 2 MiB block onto PA 0x4000_0000
    t.map(root1, 48, va2m, 0x4000_0000, NORMAL, 2);
    expect(tr(c, va2m + 0x1_2344n, Access.Write)).toBe(0x4001_2344);
    expect(hex(rd(c, va2m + 0x10_3010n))).toBe(hex(0x03000010));
  });

  it('39-bit VAs (TxSZ = 25) start at level 1, through TTBR0 and TTBR1', () => {
    const { m, c, t, root0, root1 } = setup({ t0sz: 25, t1sz: 25 });
    fillPage(m, 1); fillPage(m, 2);
    const lowVa = 0x0000_0040_0000_5000n; // L1 index 256
    const highVa = 0xffff_ffc0_0000_0000n; // lowest address of the 39-bit upper range, L1 index 0
    t.map(root0, 39, lowVa, DATA + 0x1000);
    t.map(root1, 39, highVa, DATA + 0x2000);
    expect(hex(rd(c, lowVa + 4n))).toBe(hex(0x01000004));
    expect(hex(rd(c, highVa + 8n))).toBe(hex(0x02000008));
    // The level-1 descriptors sit at root + 8 * index.
    expect(t.descAddr(root0, 39, lowVa, 1, false)).toBe(root0 + 256 * 8);
    // Outside both ranges: level 0 translation fault.
    expectAbort(c, () => rd(c, 0x0000_8000_0000_0000n), DABT_SAME | 0b000100, 0x0000_8000_0000_0000n);
    expectAbort(c, () => rd(c, 0xffff_ff00_0000_0010n), DABT_SAME | 0b000100, 0xffff_ff00_0000_0010n);
    expectAbort(c, () => rd(c, 0x00ff_ff80_0000_0000n), DABT_SAME | 0b000100, 0x00ff_ff80_0000_0000n);
    expectAbort(c, () => wr(c, 0x8000_0000_0000_0000n, 1), DABT_SAME | WNR | 0b000100, 0x8000_0000_0000_0000n);
  });

  it('T0SZ = 39 (25-bit VA) starts at level 2 with a 16-entry table; T0SZ = 24 (40-bit) at level 0 with 2 entries', () => {
    {
      const m = newMachine(); const c = m.cores[0]; const t = new Tables(m, POOL);
      fillPage(m, 5);
      // A 16-entry table needs only 128-byte alignment: put it in the middle of a page.
      const page = t.alloc();
      const root = page + 0x80;
      const va = 0x0080_3000n; // VA[24:21] = 4
      const l3 = t.alloc();
      t.write(root + 4 * 8, BigInt(l3) | D.TABLE);
      t.write(l3 + 3 * 8, BigInt(DATA + 0x5000) | D.PAGE | NORMAL);
      enableMmu(c, { tcr: tcr({ t0sz: 39 }), ttbr0: BigInt(root) });
      expect(hex(rd(c, va + 0xcn))).toBe(hex(0x0500000c));
      expectAbort(c, () => rd(c, 0x0200_0000n), DABT_SAME | 0b000100, 0x0200_0000n); // VA[63:25] not zero
    }
    {
      const m = newMachine(); const c = m.cores[0]; const t = new Tables(m, POOL);
      fillPage(m, 6);
      const page = t.alloc();
      const root = page + 0x10; // 2 entries: 16-byte alignment
      const va = 0x80_0000_7000n; // VA[39] = 1: L0 index 1
      const l1 = t.alloc(), l2 = t.alloc(), l3 = t.alloc();
      t.write(root + 8, BigInt(l1) | D.TABLE);
      t.write(l1, BigInt(l2) | D.TABLE);
      t.write(l2, BigInt(l3) | D.TABLE);
      t.write(l3 + 7 * 8, BigInt(DATA + 0x6000) | D.PAGE | NORMAL);
      enableMmu(c, { tcr: tcr({ t0sz: 24 }), ttbr0: BigInt(root) });
      expect(hex(rd(c, va + 0x10n))).toBe(hex(0x06000010));
    }
  });

  it('TxSZ outside 16..39 gives a level 0 translation fault; a 16 KiB TG0 is treated as 4 KiB', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000);
    expect(hex(rd(c, 0x1000_0000n))).toBe(hex(0x01000000));
    setSys(c, 'TCR_EL1', tcr({ t0sz: 40 }));
    expectAbort(c, () => rd(c, 0x1000_0000n), DABT_SAME | 0b000100, 0x1000_0000n);
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, tg0: 0b10 }));
    expect(hex(rd(c, 0x1000_0004n))).toBe(hex(0x01000004));
  });

  it('TBI0 ignores the top byte; without it a tagged address faults at level 0', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000);
    expectAbort(c, () => rd(c, 0x5a00_0000_1000_0008n), DABT_SAME | 0b000100, 0x5a00_0000_1000_0008n);
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, tbi0: true }));
    expect(hex(rd(c, 0x5a00_0000_1000_0008n))).toBe(hex(0x01000008));
    expect(hex(rd(c, 0x1000_0008n))).toBe(hex(0x01000008));
  });

  it('instruction fetch through TTBR1: code runs at a high VA', () => {
    const { m, c, t, root1 } = setup({ t1sz: 25 });
    const codePa = DATA + 0x7000;
    const words = [0xd28000a0 /* movz x0, #5 */, 0xd28000e1 /* movz x1, #7 */];
    words.forEach((w, k) => poke(m, codePa + 4 * k, w));
    const va = 0xffff_ff80_0000_0000n;
    t.map(root1, 39, va, codePa, NORMAL | D.UXN);
    [c.pcLo, c.pcHi] = lohi(va);
    c.run(2);
    expect(c.x[2 * 0]).toBe(5);
    expect(c.x[2 * 1]).toBe(7);
    expect(hex((BigInt(c.pcHi >>> 0) << 32n) | BigInt(c.pcLo >>> 0))).toBe(hex(va + 8n));
  });
});

describe('faults: translation, address size, external abort on walk, access flag', () => {
  it('translation faults at levels 0-3, reserved and misplaced descriptors, with WnR for writes', () => {
    const { m, c, t, root0 } = setup({ t0sz: 16 }, { identity: false });
    fillPage(m, 1);
    const va = 0x0000_0080_4020_1000n; // L0 1, L1 1, L2 1, L3 1
    // Level 0 entry invalid.
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b000100, va);
    const l0 = t.descAddr(root0, 48, va, 0, false);
    const l1t = t.alloc(); t.write(l0, BigInt(l1t) | D.TABLE);
    expectAbort(c, () => rd(c, va + 4n), DABT_SAME | 0b000101, va + 4n);
    const l2t = t.alloc(); t.write(l1t + 8, BigInt(l2t) | D.TABLE);
    expectAbort(c, () => wr(c, va + 8n, 0), DABT_SAME | WNR | 0b000110, va + 8n);
    const l3t = t.alloc(); t.write(l2t + 8, BigInt(l3t) | D.TABLE);
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b000111, va);
    // bits[1:0] = 0b10 is invalid (bit 0 clear) even with every other bit set.
    t.write(l3t + 8, BigInt(DATA + 0x1000) | 2n | NORMAL);
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b000111, va);
    // bits[1:0] = 0b01 at level 3 is reserved.
    t.write(l3t + 8, BigInt(DATA + 0x1000) | 1n | NORMAL);
    expectAbort(c, () => rd(c, va + 0xffcn), DABT_SAME | 0b000111, va + 0xffcn);
    t.write(l3t + 8, BigInt(DATA + 0x1000) | D.PAGE | NORMAL);
    expect(hex(rd(c, va + 0xffcn))).toBe(hex(0x01000ffc));
    // A block descriptor at level 0 is not allowed with the 4 KiB granule: level 0 translation fault.
    const vb = 0x0000_0100_0000_0000n; // L0 index 2
    t.write(t.descAddr(root0, 48, vb, 0, false), 0x4000_0000n | D.BLOCK | NORMAL);
    expectAbort(c, () => rd(c, vb), DABT_SAME | 0b000100, vb);
    // Instruction fetch from an unmapped page: instruction abort, IFSC translation level 3.
    expectAbort(c, () => tr(c, va + 0x1000n, Access.Exec), IABT_SAME | 0b000111, va + 0x1000n);
  });

  it('EPD0 and EPD1 disable walks from TTBR0 and TTBR1: level 0 translation fault', () => {
    const { m, c, t, root0, root1 } = setup({ t0sz: 25, t1sz: 25 });
    fillPage(m, 1);
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000);
    t.map(root1, 39, 0xffff_ffc0_1000_0000n, DATA + 0x1000);
    expect(hex(rd(c, 0x1000_0000n))).toBe(hex(0x01000000));
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, t1sz: 25, epd0: true }));
    expectAbort(c, () => rd(c, 0x1000_0000n), DABT_SAME | 0b000100, 0x1000_0000n);
    expect(hex(rd(c, 0xffff_ffc0_1000_0004n))).toBe(hex(0x01000004));
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, t1sz: 25, epd1: true }));
    expectAbort(c, () => rd(c, 0xffff_ffc0_1000_0004n), DABT_SAME | 0b000100, 0xffff_ffc0_1000_0004n);
  });

  it('address size faults: TTBR, table and output addresses beyond TCR.IPS', () => {
    const { c, t, root0 } = setup({ t0sz: 25, ips: 0 }); // 32-bit output addresses
    // Leaf output address 0x1_0000_0000 needs 33 bits: level 3 address size fault.
    const va = 0x1000_0000n;
    t.map(root0, 39, va, 0x1_0000_0000n);
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b000011, va);
    // A 2 MiB block beyond 32 bits: level 2.
    const vb = 0x2000_0000n;
    t.map(root0, 39, vb, 0x1_0020_0000n, NORMAL, 2);
    expectAbort(c, () => rd(c, vb + 0x100n), DABT_SAME | 0b000010, vb + 0x100n);
    // A level-1 table descriptor pointing beyond 32 bits: fault at level 1.
    const vc = 0x80_0000_0000n - 0x4000_0000n; // L1 index 510
    t.write(t.descAddr(root0, 39, vc, 1, false), 0x1_0000_0000n | D.TABLE);
    expectAbort(c, () => rd(c, vc), DABT_SAME | 0b000001, vc);
    // TTBR0 beyond 32 bits: level 0.
    setSys(c, 'TTBR0_EL1', BigInt(root0) | (1n << 32n));
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b000000, va);
    // With IPS = 48 bits the same leaf is fine (the PA is returned; nothing is accessed).
    setSys(c, 'TTBR0_EL1', BigInt(root0));
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, ips: 5 }));
    expect(tr(c, va + 0x10n, Access.Read)).toBe(0x1_0000_0010);
  });

  it('a walk outside RAM is a synchronous external abort on the translation table walk', () => {
    const { c, t, root0 } = setup({ t0sz: 25 });
    const va = 0x1000_0000n;
    // The level-1 entry points at a level-2 table at PA 0x1000_0000, which is not RAM.
    t.write(t.descAddr(root0, 39, va, 1, false), 0x1000_0000n | D.TABLE);
    expectAbort(c, () => rd(c, va), DABT_SAME | 0b010110, va);
    // TTBR0 itself outside RAM: the level-1 lookup aborts.
    setSys(c, 'TTBR0_EL1', 0x2000_0000n);
    expectAbort(c, () => wr(c, va, 0), DABT_SAME | WNR | 0b010101, va);
  });

  it('access flag faults at the level of the leaf, before permission faults', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const noAf = D.ATTR(0) | D.SH_ISH;
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000, noAf);
    t.map(root0, 39, 0x2000_0000n, 0x4000_0000, noAf, 2);
    t.map(root0, 39, 0x80_0000_0000n - 0x4000_0000n, 0x4000_0000, noAf, 1);
    expectAbort(c, () => rd(c, 0x1000_0000n), DABT_SAME | 0b001011, 0x1000_0000n);
    expectAbort(c, () => rd(c, 0x2000_0040n), DABT_SAME | 0b001010, 0x2000_0040n);
    expectAbort(c, () => rd(c, 0x7f_c000_0080n), DABT_SAME | 0b001001, 0x7f_c000_0080n);
    // Read-only page without AF: a write reports the access flag fault, not the permission fault.
    t.map(root0, 39, 0x1000_1000n, DATA + 0x1000, noAf | D.AP_RO);
    expectAbort(c, () => wr(c, 0x1000_1000n, 0), DABT_SAME | WNR | 0b001011, 0x1000_1000n);
    // Setting AF makes the page usable (no TLBI needed: faulting entries are not cached).
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000, NORMAL);
    expect(hex(rd(c, 0x1000_0000n))).toBe(hex(0x01000000));
  });
});

describe('permissions', () => {
  /** Pages with AP[2:1] = 00, 01, 10, 11 at VA 0x1000_0000 + k * 0x1000. */
  function apPages(): Env {
    const env = setup({ t0sz: 25 });
    fillPage(env.m, 1);
    const aps = [0n, D.AP_EL0, D.AP_RO, D.AP_RO | D.AP_EL0];
    aps.forEach((ap, k) => env.t.map(env.root0, 39, 0x1000_0000n + BigInt(k) * 0x1000n, DATA + 0x1000, NORMAL | ap));
    return env;
  }
  const P = (k: number): bigint => 0x1000_0000n + BigInt(k) * 0x1000n + 0x40n;

  it('AP[2:1] at EL1: everything readable; AP = 1x read-only', () => {
    const { c } = apPages();
    for (let k = 0; k < 4; k++) expect(hex(rd(c, P(k)))).toBe(hex(0x01000040));
    expectNoAbort(c, () => wr(c, P(0), 0x11));
    expectNoAbort(c, () => wr(c, P(1), 0x22));
    expectAbort(c, () => wr(c, P(2), 0), DABT_SAME | WNR | 0b001111, P(2));
    expectAbort(c, () => wr(c, P(3), 0), DABT_SAME | WNR | 0b001111, P(3));
  });

  it('AP[2:1] at EL0: x0 no access, 01 read/write, 11 read-only; aborts are from a lower EL', () => {
    const { c } = apPages();
    const el0 = (): void => c.selectSp(0, 0);
    el0(); expectAbort(c, () => rd(c, P(0)), DABT_LOWER | 0b001111, P(0));
    el0(); expectAbort(c, () => rd(c, P(2)), DABT_LOWER | 0b001111, P(2));
    el0(); expect(hex(rd(c, P(1)))).toBe(hex(0x01000040));
    expect(hex(rd(c, P(3)))).toBe(hex(0x01000040));
    expectNoAbort(c, () => wr(c, P(1), 5));
    expectAbort(c, () => wr(c, P(3), 0), DABT_LOWER | WNR | 0b001111, P(3));
    el0(); expectAbort(c, () => wr(c, P(0), 0), DABT_LOWER | WNR | 0b001111, P(0));
    expect(c.el).toBe(1); // the abort was taken to EL1
  });

  it('LDTR/STTR at EL1 (ReadUnpriv/WriteUnpriv) are checked against EL0 permissions', () => {
    const { c } = apPages();
    expectAbort(c, () => tr(c, P(0), Access.ReadUnpriv), DABT_SAME | 0b001111, P(0));
    expectAbort(c, () => tr(c, P(2), Access.ReadUnpriv), DABT_SAME | 0b001111, P(2));
    expectNoAbort(c, () => tr(c, P(1), Access.ReadUnpriv));
    expectNoAbort(c, () => tr(c, P(3), Access.ReadUnpriv));
    expectNoAbort(c, () => tr(c, P(1), Access.WriteUnpriv));
    expectAbort(c, () => tr(c, P(3), Access.WriteUnpriv), DABT_SAME | WNR | 0b001111, P(3));
    expectAbort(c, () => tr(c, P(0), Access.WriteUnpriv), DABT_SAME | WNR | 0b001111, P(0));
    // ...while a plain EL1 write to AP = 00 is fine.
    expectNoAbort(c, () => tr(c, P(0), Access.Write));
  });

  it('UXN, PXN, the implicit PXN of EL0-writable memory, and execute-only EL0 memory', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const V = (k: number): bigint => 0x1000_0000n + BigInt(k) * 0x1000n;
    const pages: bigint[] = [
      NORMAL | D.PXN | D.AP_EL0 | D.AP_RO, // 0: PXN, EL0 read-only
      NORMAL | D.UXN | D.AP_EL0 | D.AP_RO, // 1: UXN
      NORMAL | D.AP_EL0,                   // 2: EL0 read/write: EL1 may not execute it
      NORMAL,                              // 3: AP = 00, UXN = 0: EL0 may execute (execute-only)
    ];
    pages.forEach((a, k) => t.map(root0, 39, V(k), DATA + 0x1000, a));
    expectAbort(c, () => tr(c, V(0), Access.Exec), IABT_SAME | 0b001111, V(0));
    expectNoAbort(c, () => tr(c, V(1), Access.Exec));
    expectAbort(c, () => tr(c, V(2) + 0x10n, Access.Exec), IABT_SAME | 0b001111, V(2) + 0x10n);
    expectNoAbort(c, () => tr(c, V(3), Access.Exec));
    c.selectSp(0, 0);
    expectNoAbort(c, () => tr(c, V(0), Access.Exec));
    expectAbort(c, () => tr(c, V(1), Access.Exec), IABT_LOWER | 0b001111, V(1));
    c.selectSp(0, 0);
    expectNoAbort(c, () => tr(c, V(2), Access.Exec));
    expectNoAbort(c, () => tr(c, V(3), Access.Exec));
    expectAbort(c, () => tr(c, V(3), Access.Read), DABT_LOWER | 0b001111, V(3));
  });

  it('SCTLR_EL1.WXN makes writable memory execute-never at the EL that can write it', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const V = (k: number): bigint => 0x1000_0000n + BigInt(k) * 0x1000n;
    t.map(root0, 39, V(0), DATA + 0x1000, NORMAL);                        // EL1 RW
    t.map(root0, 39, V(1), DATA + 0x1000, NORMAL | D.AP_RO);              // EL1 RO
    t.map(root0, 39, V(2), DATA + 0x1000, NORMAL | D.AP_EL0 | D.PXN);     // EL0 RW
    t.map(root0, 39, V(3), DATA + 0x1000, NORMAL | D.AP_EL0 | D.AP_RO);   // EL0 RO
    expectNoAbort(c, () => tr(c, V(0), Access.Exec));
    c.selectSp(0, 0);
    expectNoAbort(c, () => tr(c, V(2), Access.Exec));
    c.selectSp(1, 1);
    setSys(c, 'SCTLR_EL1', getSys(c, 'SCTLR_EL1') | (1n << 19n));
    expectAbort(c, () => tr(c, V(0), Access.Exec), IABT_SAME | 0b001111, V(0));
    expectNoAbort(c, () => tr(c, V(1), Access.Exec));
    c.selectSp(0, 0);
    expectAbort(c, () => tr(c, V(2), Access.Exec), IABT_LOWER | 0b001111, V(2));
    c.selectSp(0, 0);
    expectNoAbort(c, () => tr(c, V(3), Access.Exec));
  });

  it('APTable, UXNTable and PXNTable restrict everything below the table descriptor', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    // Each case in its own 2 MiB region, so each has its own level-2 table descriptor.
    const V = (k: number): bigint => 0x1000_0000n + BigInt(k) * 0x20_0000n;
    t.map(root0, 39, V(0), DATA + 0x1000, NORMAL | D.AP_EL0, 3, D.AP_TABLE_NO_EL0);
    t.map(root0, 39, V(1), DATA + 0x1000, NORMAL, 3, D.AP_TABLE_RO);
    t.map(root0, 39, V(2), DATA + 0x1000, NORMAL | D.AP_EL0 | D.AP_RO, 3, D.UXN_TABLE);
    t.map(root0, 39, V(3), DATA + 0x1000, NORMAL, 3, D.PXN_TABLE);
    // APTable[0]: no EL0 access although AP = 01; EL1 keeps read/write.
    expectNoAbort(c, () => wr(c, V(0), 1));
    c.selectSp(0, 0);
    expectAbort(c, () => rd(c, V(0)), DABT_LOWER | 0b001111, V(0));
    // APTable[1]: read-only although AP = 00; the fault is at level 3 (the leaf).
    expect(hex(rd(c, V(1) + 4n))).toBe(hex(0x01000004));
    expectAbort(c, () => wr(c, V(1) + 4n, 1), DABT_SAME | WNR | 0b001111, V(1) + 4n);
    // UXNTable: not executable at EL0; EL1 unaffected.
    expectNoAbort(c, () => tr(c, V(2), Access.Exec));
    c.selectSp(0, 0);
    expectAbort(c, () => tr(c, V(2), Access.Exec), IABT_LOWER | 0b001111, V(2));
    // PXNTable: not executable at EL1.
    expectAbort(c, () => tr(c, V(3), Access.Exec), IABT_SAME | 0b001111, V(3));
  });

  it('a fetch at EL0 from a UXN page: instruction abort from a lower EL with FAR and ELR = PC', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const va = 0x1000_0000n;
    t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.AP_EL0 | D.UXN);
    setSys(c, 'VBAR_EL1', 0x4000_0800n);
    c.selectSp(0, 0);
    [c.pcLo, c.pcHi] = lohi(va);
    c.run(1);
    expect(hex(Number(getSys(c, 'ESR_EL1')))).toBe(hex(IABT_LOWER | 0b001111));
    expect(hex(getSys(c, 'FAR_EL1'))).toBe(hex(va));
    expect(hex(getSys(c, 'ELR_EL1'))).toBe(hex(va));
    expect(c.el).toBe(1);
    expect(hex(c.pcLo)).toBe(hex(0x4000_0800 + 0x400));
  });

  it('a permission miss walks again: a PTE made writable is used without TLBI', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.AP_RO);
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    t.write(at, BigInt(DATA + 0x1000) | D.PAGE | NORMAL);
    expectNoAbort(c, () => wr(c, va, 0x77));
    expect(peek(m, DATA + 0x1000)).toBe(0x77);
  });
});

describe('memory attributes', () => {
  it('Device memory: unaligned data accesses take an alignment fault; aligned ones and Normal memory do not', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const dev = 0x1000_0000n, nrm = 0x1000_1000n, gre = 0x1000_2000n, ro = 0x1000_3000n;
    t.map(root0, 39, dev, DATA + 0x1000, DEVICE);
    t.map(root0, 39, nrm, DATA + 0x1000, NORMAL);
    t.map(root0, 39, gre, DATA + 0x1000, D.ATTR(3) | D.AF); // Device-GRE
    t.map(root0, 39, ro, DATA + 0x1000, DEVICE | D.AP_RO);
    expect(hex(rd(c, dev + 8n))).toBe(hex(0x01000008));
    expect(c.sys.mmu.lastDevice).toBe(true);
    expect(hex(rd(c, nrm + 1n))).toBe(hex(0x04010000)); // bytes 00 00 01 | 04 of the next word
    expect(c.sys.mmu.lastDevice).toBe(false);
    expectAbort(c, () => rd(c, dev + 1n), DABT_SAME | 0b100001, dev + 1n);
    expectAbort(c, () => { const [l, h] = lohi(dev + 2n); c.write32(l, h, 0); }, DABT_SAME | WNR | 0b100001, dev + 2n);
    expectAbort(c, () => { const [l, h] = lohi(gre + 4n); c.read64(l, h); }, DABT_SAME | 0b100001, gre + 4n);
    expectNoAbort(c, () => { const [l, h] = lohi(dev + 3n); c.read8(l, h); });
    // Alignment is checked before permission.
    expectAbort(c, () => wr(c, ro + 2n, 0), DABT_SAME | WNR | 0b100001, ro + 2n);
    expectAbort(c, () => wr(c, ro + 4n, 0), DABT_SAME | WNR | 0b001111, ro + 4n);
    // An instruction fetch from Device memory that is not execute-never: CONSTRAINED UNPREDICTABLE; we
    // treat it as Normal Non-cacheable (as QEMU does), so it is allowed.
    expectNoAbort(c, () => tr(c, dev, Access.Exec));
  });

  it('accesses crossing a page boundary translate both pages', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1); fillPage(m, 2); fillPage(m, 4);
    const va = 0x1000_0000n;
    t.map(root0, 39, va, DATA + 0x1000);
    t.map(root0, 39, va + 0x1000n, DATA + 0x2000); // physically adjacent
    expect(hex(rd(c, va + 0xffen))).toBe(hex(0x00000100)); // 0x01000ffc's top half, then 0x02000000's low half
    const vb = 0x1000_4000n;
    t.map(root0, 39, vb, DATA + 0x1000);
    t.map(root0, 39, vb + 0x1000n, DATA + 0x4000); // not adjacent
    expect(tr(c, vb + 0xffcn, Access.Read, 8)).toBe(SPLIT);
    expect(c.sys.mmu.splitPa0).toBe(DATA + 0x1ffc);
    expect(c.sys.mmu.splitPa1).toBe(DATA + 0x4000);
    // Second page unmapped: the fault reports the first byte of the second page.
    const vc = 0x1000_8000n;
    t.map(root0, 39, vc, DATA + 0x1000);
    expectAbort(c, () => rd(c, vc + 0xffen), DABT_SAME | 0b000111, vc + 0x1000n);
    expectAbort(c, () => wr(c, vc + 0xfffn, 0), DABT_SAME | WNR | 0b000111, vc + 0x1000n);
    // First page unmapped: the access address.
    expectAbort(c, () => rd(c, vc - 2n), DABT_SAME | 0b000111, vc - 2n);
    // Second page read-only: a write faults there.
    t.map(root0, 39, vc + 0x1000n, DATA + 0x2000, NORMAL | D.AP_RO);
    expectAbort(c, () => wr(c, vc + 0xffen, 0), DABT_SAME | WNR | 0b001111, vc + 0x1000n);
  });
});

describe('TLB, ASIDs and TLBI', () => {
  it('cached translations stay after the PTE changes until a TLBI VAE1; a neighbouring TLBI leaves them', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1); fillPage(m, 2);
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.NG);
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL | D.NG);
    expect(hex(rd(c, va))).toBe(hex(0x01000000)); // stale
    runAt(m, c, TLBI.VAE1, tlbiArg(va + 0x1000n)); // another page
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    runAt(m, c, TLBI.VAE1, tlbiArg(va, 1)); // right page, other ASID: an nG entry stays
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    runAt(m, c, TLBI.VAE1, tlbiArg(va, 0));
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
    expect(hex(c.pcLo)).toBe(hex(CODE + 4)); // TLBI itself did not fault
  });

  it('TLBI VAE1 and VALE1 drop global entries whatever the ASID; VAAE1 and VAALE1 drop any ASID', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 }, { asid0: 7 });
    fillPage(m, 1); fillPage(m, 2);
    const g = 0x1000_0000n, n = 0x1000_1000n;
    const ag = t.map(root0, 39, g, DATA + 0x1000);
    const an = t.map(root0, 39, n, DATA + 0x1000, NORMAL | D.NG);
    const cases: [number, bigint, bigint, number][] = [
      [TLBI.VAE1, g, ag, 99], [TLBI.VALE1, g, ag, 99], [TLBI.VAAE1, n, an, 99], [TLBI.VAALE1, n, an, 99],
    ];
    for (const [insn, va, at, asid] of cases) {
      t.write(at, BigInt(DATA + 0x1000) | D.PAGE | NORMAL | (va === n ? D.NG : 0n));
      runAt(m, c, TLBI.VMALLE1);
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL | (va === n ? D.NG : 0n));
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      runAt(m, c, insn, tlbiArg(va, asid));
      expect(hex(rd(c, va)), hex(insn)).toBe(hex(0x02000000));
    }
    // VAE1 with another ASID leaves an nG entry (checked above for ASID 0 too); VMALLE1 drops it.
    t.write(an, BigInt(DATA + 0x1000) | D.PAGE | NORMAL | D.NG);
    expect(hex(rd(c, n))).toBe(hex(0x02000000));
    runAt(m, c, TLBI.VAE1, tlbiArg(n, 99));
    expect(hex(rd(c, n))).toBe(hex(0x02000000));
    runAt(m, c, TLBI.VMALLE1);
    expect(hex(rd(c, n))).toBe(hex(0x01000000));
  });

  it('TLBI by VA anywhere in a 2 MiB block drops every cached page of that block', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1);
    const va = 0x2000_0000n;
    const at = t.map(root0, 39, va, 0x4000_0000, NORMAL, 2);
    expect(hex(rd(c, va + 0x10_1000n))).toBe(hex(0x01000000)); // PA DATA + 0x1000
    expect(tr(c, va + 0x3000n, Access.Read)).toBe(0x4000_3000);
    t.write(at, 0x4020_0000n | D.BLOCK | NORMAL);
    expect(tr(c, va + 0x3000n, Access.Read)).toBe(0x4000_3000);
    runAt(m, c, TLBI.VAE1, tlbiArg(va + 0x1f_f000n));
    expect(tr(c, va + 0x3000n, Access.Read)).toBe(0x4020_3000);
    expect(tr(c, va + 0x10_1000n, Access.Read)).toBe(0x4030_1000);
  });

  it('ASIDs: one VA in two address spaces; TTBR switches keep both; TLBI ASIDE1 drops only one', () => {
    const { m, c, t, root0: rootA } = setup({ t0sz: 25, as16: true }, { asid0: 0x1234 });
    const rootB = t.alloc();
    t.map(rootB, 39, BigInt(RAM_BASE), RAM_BASE, NORMAL | D.UXN, 1);
    for (let k = 1; k <= 7; k++) fillPage(m, k);
    const va = 0x1000_0000n, vg = 0x1020_0000n;
    const aA = t.map(rootA, 39, va, DATA + 0x1000, NORMAL | D.NG);
    const aB = t.map(rootB, 39, va, DATA + 0x2000, NORMAL | D.NG);
    const gA = t.map(rootA, 39, vg, DATA + 0x3000); // global
    t.map(rootB, 39, vg, DATA + 0x4000);
    const A = BigInt(rootA) | (0x1234n << 48n), B = BigInt(rootB) | (0x5678n << 48n);
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    expect(hex(rd(c, vg))).toBe(hex(0x03000000));
    setSys(c, 'TTBR0_EL1', B);
    expect(hex(rd(c, va))).toBe(hex(0x02000000)); // A's nG entry does not match ASID 0x5678
    expect(hex(rd(c, vg))).toBe(hex(0x03000000)); // a global entry matches any ASID
    // Change both PTEs without TLBI: each ASID keeps its cached translation across TTBR switches.
    t.write(aA, BigInt(DATA + 0x5000) | D.PAGE | NORMAL | D.NG);
    t.write(aB, BigInt(DATA + 0x6000) | D.PAGE | NORMAL | D.NG);
    t.write(gA, BigInt(DATA + 0x7000) | D.PAGE | NORMAL);
    setSys(c, 'TTBR0_EL1', A);
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    setSys(c, 'TTBR0_EL1', B);
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
    // TLBI ASIDE1 for ASID 0x5678 (issued while running as A).
    setSys(c, 'TTBR0_EL1', A);
    runAt(m, c, TLBI.ASIDE1, 0x5678n << 48n);
    expect(hex(rd(c, va))).toBe(hex(0x01000000)); // A's entry stays
    expect(hex(rd(c, vg))).toBe(hex(0x03000000)); // global entries are not affected by ASIDE1
    setSys(c, 'TTBR0_EL1', B);
    expect(hex(rd(c, va))).toBe(hex(0x06000000)); // B's was dropped
    runAt(m, c, TLBI.ASIDE1, 0x1234n << 48n);
    setSys(c, 'TTBR0_EL1', A);
    expect(hex(rd(c, va))).toBe(hex(0x05000000));
    expect(hex(rd(c, vg))).toBe(hex(0x03000000));
    runAt(m, c, TLBI.VAAE1, tlbiArg(vg));
    expect(hex(rd(c, vg))).toBe(hex(0x07000000));
  });

  it('TCR_EL1.AS = 0: 8-bit ASIDs (TTBR ASID[15:8] ignored); TCR_EL1.A1 takes the ASID from TTBR1', () => {
    {
      const { m, c, t, root0 } = setup({ t0sz: 25 }, { asid0: 0x0134 });
      fillPage(m, 1); fillPage(m, 2);
      const va = 0x1000_0000n;
      const at = t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.NG);
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL | D.NG);
      setSys(c, 'TTBR0_EL1', BigInt(root0) | (0x0234n << 48n)); // same 8-bit ASID 0x34
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      setSys(c, 'TTBR0_EL1', BigInt(root0) | (0x0235n << 48n));
      expect(hex(rd(c, va))).toBe(hex(0x02000000));
    }
    {
      const { m, c, t, root0, root1 } = setup({ t0sz: 25, a1: true }, { asid0: 1, asid1: 2 });
      fillPage(m, 1); fillPage(m, 2);
      const va = 0x1000_0000n;
      const at = t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.NG);
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL | D.NG);
      setSys(c, 'TTBR0_EL1', BigInt(root0) | (3n << 48n)); // TTBR0's ASID field is not used
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      setSys(c, 'TTBR1_EL1', BigInt(root1) | (3n << 48n));
      expect(hex(rd(c, va))).toBe(hex(0x02000000));
    }
  });

  it('TTBR writes keep the TLB; TCR, MAIR and SCTLR.M changes drop it', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    fillPage(m, 1); fillPage(m, 2);
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA + 0x1000);
    const stale = (): void => {
      t.write(at, BigInt(DATA + 0x1000) | D.PAGE | NORMAL);
      runAt(m, c, TLBI.VMALLE1);
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
      t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL);
      expect(hex(rd(c, va))).toBe(hex(0x01000000));
    };
    stale();
    setSys(c, 'TTBR0_EL1', BigInt(root0));
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    setSys(c, 'TCR_EL1', tcr({ t0sz: 25, t1sz: 24 }));
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
    stale();
    setSys(c, 'MAIR_EL1', 0xffn);
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
    stale();
    const sctlr = getSys(c, 'SCTLR_EL1');
    setSys(c, 'SCTLR_EL1', sctlr & ~1n);
    setSys(c, 'SCTLR_EL1', sctlr);
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
  });

  it('two cores: TLBI VAE1 acts on the issuing core only, VAE1IS on both (and drops that page from their fetch caches)', () => {
    const { m, c: c0, t, root0 } = setup({ t0sz: 25 }, { smp: 2 });
    const c1 = m.cores[1];
    fillPage(m, 1); fillPage(m, 2); fillPage(m, 3);
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA + 0x1000, NORMAL | D.NG);
    expect(hex(rd(c0, va))).toBe(hex(0x01000000));
    expect(hex(rd(c1, va))).toBe(hex(0x01000000));
    t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL | D.NG);
    expect(hex(rd(c0, va))).toBe(hex(0x01000000));
    expect(hex(rd(c1, va))).toBe(hex(0x01000000));
    runAt(m, c0, TLBI.VAE1, tlbiArg(va));
    expect(hex(rd(c0, va))).toBe(hex(0x02000000));
    expect(hex(rd(c1, va))).toBe(hex(0x01000000)); // still stale on the other core
    // A TLBI of one page drops that page from the fetch cache (whatever VA[63:56] holds), not another.
    runAt(m, c0, TLBI.VAE1IS, tlbiArg(va), () => { c1.curPage = []; c1.curVLo = Number(va); c1.curVHi = 0x5a00_0000; });
    expect(hex(rd(c1, va))).toBe(hex(0x02000000));
    expect(c1.curPage).toBeNull();
    const other: never[] = [];
    runAt(m, c0, TLBI.VAE1IS, tlbiArg(va), () => { c1.curPage = other; c1.curVLo = 0x1234_5000; c1.curVHi = 0; });
    expect(c1.curPage).toBe(other);
    // The IS forms of VMALLE1, ASIDE1, VAAE1, VALE1, VAALE1 reach the other core too.
    const variants: [number, bigint][] = [
      [TLBI.VMALLE1IS, 0n], [TLBI.ASIDE1IS, 0n], [TLBI.VAAE1IS, tlbiArg(va, 5)], [TLBI.VALE1IS, tlbiArg(va)],
      [TLBI.VAALE1IS, tlbiArg(va, 9)],
    ];
    for (const [insn, arg] of variants) {
      // Move the PTE to the next of pages 1, 2, 3: the other core sees the change only after the TLBI.
      const cur = rd(c1, va) >>> 24;
      const next = (cur % 3) + 1;
      t.write(at, BigInt(DATA + next * 0x1000) | D.PAGE | NORMAL | D.NG);
      expect(rd(c1, va) >>> 24, hex(insn)).toBe(cur);
      runAt(m, c0, insn, arg);
      expect(rd(c1, va) >>> 24, hex(insn)).toBe(next);
    }
  });

  it('the fetch cache keeps the previous page too, and a TLBI of that page drops it', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    const NOP = 0xd503201f, ADD = 0x8b020020;
    const [p1, p2, p3] = [fillPage(m, 1), fillPage(m, 2), fillPage(m, 3)];
    poke(m, p1, NOP); poke(m, p2, ADD);
    const va = 0x1000_0000n, other = 0x1000_1000n;
    const at = t.map(root0, 39, va, p1, NORMAL | D.UXN);
    t.map(root0, 39, other, p3, NORMAL | D.UXN);
    const fetch = (v: bigint): number => { const [l, h] = lohi(v); c.pcLo = l; c.pcHi = h; return c.fetchSlow().word >>> 0; };
    expect(hex(fetch(va))).toBe(hex(NOP));
    fetch(other);
    expect(c.prevVLo).toBe(Number(va));
    // Without a TLBI the old translation may stay cached (as in a TLB); the swap back finds it.
    t.write(at, BigInt(p2) | D.PAGE | NORMAL | D.UXN);
    expect(hex(fetch(va))).toBe(hex(NOP));
    expect(c.prevVLo).toBe(Number(other));
    fetch(other);
    // TLBI VAE1 of the previous page drops it from the fetch cache, not the current page.
    const [l, h] = lohi(va >> 12n);
    c.x[2 * 1] = l; c.x[2 * 1 + 1] = h;
    expect(c.sys.sysInstr(c, sysKey(1, 0, 8, 7, 1), 1)).toBe(true);
    expect(c.prevPage).toBeNull();
    expect(c.curVLo).toBe(Number(other));
    expect(hex(fetch(va))).toBe(hex(ADD));
  });

  it('EL1 TLBIs that do not exist in ARMv8.0, and EL2/EL3 TLBIs at EL1, are UNDEFINED; EL2 may use ALLE1', () => {
    const { m, c, t, root0 } = setup({ t0sz: 25 });
    const k = (op1: number, crm: number, op2: number): number => sysKey(1, op1, 8, crm, op2);
    expect(c.sys.sysInstr(c, k(0, 7, 4), 0)).toBe(false);
    expect(c.sys.sysInstr(c, k(0, 7, 6), 0)).toBe(false);
    expect(c.sys.sysInstr(c, k(0, 1, 0), 0)).toBe(false); // VMALLE1OS is ARMv8.4
    expect(c.sys.sysInstr(c, k(0, 6, 1), 0)).toBe(false); // range TLBIs are ARMv8.4
    expect(c.sys.sysInstr(c, k(4, 7, 0), 0)).toBe(false); // ALLE2 at EL1
    expect(c.sys.sysInstr(c, k(4, 7, 4), 0)).toBe(false); // ALLE1 at EL1
    expect(c.sys.sysInstr(c, k(6, 7, 0), 0)).toBe(false); // ALLE3
    expect(c.sys.sysInstr(c, k(0, 7, 0), 31)).toBe(true);
    // The instruction itself: TLBI ALLE2 at EL1 takes an Unknown-reason exception.
    runAt(m, c, sysInsn(4, 8, 7, 0, 31));
    expect(hex(Number(getSys(c, 'ESR_EL1')) >>> 26)).toBe(hex(0));
    // At EL2, TLBI ALLE1 drops the EL1&0 entries.
    fillPage(m, 1); fillPage(m, 2);
    const va = 0x1000_0000n;
    const at = t.map(root0, 39, va, DATA + 0x1000);
    expect(hex(rd(c, va))).toBe(hex(0x01000000));
    t.write(at, BigInt(DATA + 0x2000) | D.PAGE | NORMAL);
    c.selectSp(2, 1);
    expect(c.sys.sysInstr(c, k(4, 7, 4), 31)).toBe(true);
    expect(c.sys.sysInstr(c, k(4, 7, 0), 31)).toBe(true); // ALLE2: accepted, nothing cached for EL2
    expect(c.sys.sysInstr(c, k(6, 7, 0), 31)).toBe(false);
    c.selectSp(1, 1);
    expect(hex(rd(c, va))).toBe(hex(0x02000000));
  });

  it('the encodings used here are the ones the assembler produces', async () => {
    const words = await assembleWords(
      'tlbi vmalle1; tlbi vae1, x0; tlbi aside1, x0; tlbi vaae1, x0; tlbi vale1, x0; tlbi vaale1, x0;' +
      'tlbi vmalle1is; tlbi vae1is, x0; tlbi aside1is, x0; tlbi vaae1is, x0; tlbi vale1is, x0; tlbi vaale1is, x0;' +
      'at s1e1r, x0; at s1e1w, x0; at s1e0r, x0; at s1e0w, x0');
    expect(words.map(hex)).toEqual([
      TLBI.VMALLE1, TLBI.VAE1, TLBI.ASIDE1, TLBI.VAAE1, TLBI.VALE1, TLBI.VAALE1,
      TLBI.VMALLE1IS, TLBI.VAE1IS, TLBI.ASIDE1IS, TLBI.VAAE1IS, TLBI.VALE1IS, TLBI.VAALE1IS,
      AT.S1E1R, AT.S1E1W, AT.S1E0R, AT.S1E0W,
    ].map(hex));
  });
});

describe('AT', () => {
  function atEnv(): Env {
    const env = setup({ t0sz: 25 });
    const { t, root0 } = env;
    t.map(root0, 39, 0x1000_0000n, DATA + 0x1000, NORMAL);                    // Normal WB, Inner Shareable
    t.map(root0, 39, 0x1000_1000n, DATA + 0x2000, DEVICE | D.SH_ISH);         // Device: reported OSH
    t.map(root0, 39, 0x1000_2000n, DATA + 0x3000, D.ATTR(2) | D.AF | D.SH_ISH); // Normal NC: reported OSH
    t.map(root0, 39, 0x1000_3000n, DATA + 0x4000, NORMAL | D.AP_RO);
    t.map(root0, 39, 0x1000_4000n, DATA + 0x5000, NORMAL | D.AP_EL0);
    t.map(root0, 39, 0x1000_5000n, DATA + 0x6000, D.ATTR(0) | D.SH_ISH);     // AF = 0
    t.map(root0, 39, 0x2000_0000n, 0x4000_0000, D.ATTR(0) | D.AF | D.SH_OSH, 2); // 2 MiB block, OSH
    return env;
  }
  const at = (env: Env, insn: number, va: bigint): bigint => {
    setSys(env.c, 'ESR_EL1', 0x5a5an);
    runAt(env.m, env.c, insn, va);
    expect(hex(env.c.pcLo)).toBe(hex(CODE + 4)); // no exception
    expect(hex(getSys(env.c, 'ESR_EL1'))).toBe(hex(0x5a5a));
    return getSys(env.c, 'PAR_EL1');
  };

  it('successful translations: PA, ATTR, SH, NS and RES1 bit 11', () => {
    const env = atEnv();
    expect(hex(at(env, AT.S1E1R, 0x1000_0123n))).toBe(hex(0xff00_0000_4010_1b80n));
    expect(hex(at(env, AT.S1E1W, 0x1000_1fffn))).toBe(hex(0x0000_0000_4010_2b00n));
    expect(hex(at(env, AT.S1E1R, 0x1000_2000n))).toBe(hex(0x4400_0000_4010_3b00n));
    expect(hex(at(env, AT.S1E1R, 0x1000_3000n))).toBe(hex(0xff00_0000_4010_4b80n));
    expect(hex(at(env, AT.S1E0W, 0x1000_4000n))).toBe(hex(0xff00_0000_4010_5b80n));
    expect(hex(at(env, AT.S1E1R, 0x2012_3456n))).toBe(hex(0xff00_0000_4012_3b00n));
  });

  it('faults are reported in PAR_EL1 (F = 1, FST) without an exception', () => {
    const env = atEnv();
    expect(hex(at(env, AT.S1E1W, 0x1000_3000n))).toBe(hex(0x801n | (0b001111n << 1n))); // permission L3
    expect(hex(at(env, AT.S1E0R, 0x1000_0000n))).toBe(hex(0x801n | (0b001111n << 1n))); // EL0 no access
    expect(hex(at(env, AT.S1E0W, 0x1000_3000n))).toBe(hex(0x801n | (0b001111n << 1n)));
    expect(hex(at(env, AT.S1E1R, 0x1000_6000n))).toBe(hex(0x801n | (0b000111n << 1n))); // translation L3
    expect(hex(at(env, AT.S1E1R, 0x1000_5000n))).toBe(hex(0x801n | (0b001011n << 1n))); // access flag L3
    expect(hex(at(env, AT.S1E1R, 0x80_0000_0000n))).toBe(hex(0x801n | (0b000100n << 1n))); // translation L0
  });

  it('with the MMU off, AT gives the flat mapping as Device-nGnRnE; AT at EL0 is UNDEFINED', () => {
    const env = atEnv();
    const { c } = env;
    const sctlr = getSys(c, 'SCTLR_EL1');
    runAt(env.m, c, TLBI.VMALLE1);
    setSys(c, 'SCTLR_EL1', sctlr & ~1n);
    expect(hex(at(env, AT.S1E1R, 0x4000_1234n))).toBe(hex(0x4000_1b00n));
    expect(hex(at(env, AT.S1E1R, 0x1_0000_0000_0000n))).toBe(hex(0x801n)); // address size L0
    setSys(c, 'SCTLR_EL1', sctlr);
    c.selectSp(0, 0);
    expect(c.sys.sysInstr(c, sysKey(1, 0, 7, 8, 0), 0)).toBe(false);
    c.selectSp(1, 1);
    expect(c.sys.sysInstr(c, sysKey(1, 4, 7, 8, 0), 0)).toBe(false); // AT S1E2R is not offered
  });
});
