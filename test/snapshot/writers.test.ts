// Every path that writes RAM must save the page for a snapshot before the bytes change: after
// take(), a write, and restore(), RAM must be exactly as it was. One case per writer: the CPU's stores
// of every size (pairs, SIMD multi-register, atomics, exclusives), a store split across two pages that
// are not physically adjacent, loaders (Ram.load, an ELF's bss), virtio DMA, the TypeScript API.

import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { SnapshotStore } from '../../emu/snapshot/index.js';
import { GuestMemory } from '../../emu/devices/virtio/queue.js';
import { parseElf, loadElf } from '../../emu/loader/elf.js';
import { Guest, builtinImage } from '../../emu/api/index.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { machineWith, setX } from '../harness.js';
import { Tables, NORMAL, tcr, enableMmu, lohi } from '../cpu/mmu-helpers.js';

const ramHash = (m: Machine) => createHash('sha1').update(m.ram.u8).digest('hex');

/** take(), act, check something changed, restore(), check RAM is back. */
function undone(m: Machine, act: () => void): void {
  const store = new SnapshotStore(m, { verify: true });
  const before = ramHash(m);
  const s = store.take();
  act();
  expect(ramHash(m), 'the action wrote RAM').not.toBe(before);
  store.restore(s);
  expect(ramHash(m)).toBe(before);
  store.dispose();
}

describe('every RAM writer saves the page before it changes', () => {
  let stores: number[] = [];
  beforeAll(async () => {
    // x1: data pages, one per kind of store so that each is the first write to its page; x2/x3: values.
    stores = await assembleWords(`
      strb w2, [x1, #1]
      add x7, x1, #1, lsl #12
      strh w2, [x7, #0x102]
      add x7, x1, #2, lsl #12
      str w2, [x7, #0x204]
      add x7, x1, #3, lsl #12
      str x2, [x7, #0x308]
      add x7, x1, #4, lsl #12
      stp x2, x3, [x7, #16]
      movi v0.16b, #0x5a
      movi v1.16b, #0xa5
      add x7, x1, #5, lsl #12
      st1 {v0.16b, v1.16b}, [x7]
      add x4, x1, #6, lsl #12
      nop
      add x4, x1, #7, lsl #12
      ldxr x5, [x4]
      stxr w6, x2, [x4]
      add x4, x1, #9, lsl #12
      sub x4, x4, #4
      str x2, [x4]
      b .`);
    stores[stores.indexOf(0xd503201f)] = 0xf8228085; // swp x2, x5, [x4] (keystone predates LSE)
  });

  it('CPU stores of every kind, and one crossing into the next page', () => {
    const { m, c } = machineWith([...stores, 0xd503201f]);
    setX(c, 1, BigInt(RAM_BASE + 0x10_0000)); setX(c, 2, 0x1122334455667788n); setX(c, 3, 0x99aabbccddeeff00n);
    undone(m, () => c.run(stores.length - 1));
  });

  it('a CPU store split across two pages that are not physically adjacent', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const c = m.cores[0];
    const t = new Tables(m, RAM_BASE + 0x80_0000);
    const root0 = t.alloc(), root1 = t.alloc();
    const va = 0x1000_0000n, data = RAM_BASE + 0x10_0000;
    t.map(root0, 39, va, data + 0x1000);
    t.map(root0, 39, va + 0x1000n, data + 0x4000);
    enableMmu(c, { tcr: tcr({ t0sz: 25 }), ttbr0: BigInt(root0), ttbr1: BigInt(root1) });
    const [lo, hi] = lohi(va + 0xffcn);
    undone(m, () => c.write64(lo, hi, 0x0102_0304, 0x0506_0708));
    expect(m.ram.u8[0x10_4000]).toBe(0);
  });

  it('Ram.load and an ELF loader\'s bss', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    undone(m, () => m.ram.load(RAM_BASE + 0x1ff0, new Uint8Array(64).fill(7)));
    const bytes = new Uint8Array(readFileSync('test/guests/bin/strings-clang-O2.elf'));
    loadElf(m.ram, parseElf(bytes), bytes);
    m.ram.u8.fill(0xcc); // so that the bss zeroing changes something
    undone(m, () => loadElf(m.ram, parseElf(bytes), bytes));
  });

  it('virtio DMA (GuestMemory.write, setU16, setU32)', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const g = new GuestMemory(m.ram);
    undone(m, () => g.write(RAM_BASE + 0x3ffe, Uint8Array.of(1, 2, 3, 4)));
    undone(m, () => g.setU16(RAM_BASE + 0x5000, 0xbeef));
    undone(m, () => g.setU32(RAM_BASE + 0x6000, 0xdeadbeef));
  });

  it('the TypeScript API\'s writes', () => {
    const g = Guest.load(builtinImage('smp-idle'), { smp: 1, ramMiB: 16 });
    const m = g.machine, at = RAM_BASE + 0x20_0000;
    undone(m, () => g.writeU32(at, 0x12345678));
    undone(m, () => g.writeU64(at + 8, 0x1122334455667788n));
    undone(m, () => g.writeBytes(at + 0xffe, Uint8Array.of(9, 9, 9, 9)));
    undone(m, () => g.placeCode([0xd503201f]));
  });

  it('the verify option names a write that did not call Ram.touch() first', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const store = new SnapshotStore(m, { verify: true });
    const s = store.take();
    m.ram.u8[0x12345] = 1; // behind the store's back
    expect(() => store.restore(s)).toThrow(/RAM at 0x40012345 \(page 18\) differs after the restore/);
  });
});
