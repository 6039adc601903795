// Whole-machine snapshots (emu/snapshot/): a run that takes snapshots at many points and goes back to
// earlier ones must end exactly as the uninterrupted run (output, per-core counts and registers, time,
// RAM), for every kind of guest; and the store's own rules (later snapshots, drop, budget, dispose).

import { describe, it, expect, beforeAll } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { Disk, memoryStore } from '../../emu/devices/virtio/disk.js';
import { REG } from '../../emu/devices/virtio/mmio.js';
import { VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT } from '../../emu/devices/virtio/blk.js';
import { SnapshotStore } from '../../emu/snapshot/index.js';
import { Slow } from '../../emu/cpu/cpu.js';
import { Tracer } from '../../emu/trace/tracer.js';
import { otherJson } from '../../emu/trace/events.js';
import { bootImage, fingerprint, replay, Rig } from './replay.js';
import { machineWith, getX } from '../harness.js';
import { assembleWords } from '../../emu/asm/assembler.js';

describe('snapshots: restore and re-run gives the uninterrupted run', () => {
  it('programs (strings, clang -O2, to the end; vm, gcc -O2, its first 500k instructions)', () => {
    for (const [name, limit] of [['strings-clang-O2', Infinity], ['vm-gcc-O2', 5e5]] as const) {
      const res = replay(() => bootImage(`test/guests/bin/${name}.elf`, { smp: 1, quantum: 200 }), { limit, every: 150, backEvery: 500, maxRestores: 4 });
      expect(res.takes).toBeGreaterThan(5);
      expect(res.restores).toBeGreaterThan(2);
      expect(res.replayed).toEqual(res.reference);
    }
  });

  it('a program whose steps run several rounds each (one core alone: Machine.roundsPerRun)', () => {
    const res = replay(() => bootImage('test/guests/bin/vm-gcc-O2.elf', { smp: 1, quantum: 200 }, (m) => { m.roundsPerRun = 16; }),
      { limit: 5e5, every: 3, backEvery: 11, maxRestores: 4 });
    expect(res.takes).toBeGreaterThan(5);
    expect(res.restores).toBeGreaterThan(2);
    expect(res.replayed).toEqual(res.reference);
  });

  for (const name of ['fpnum-clang-O2', 'neon-clang-O2', 'fpcr-gcc-O3']) {
    it(`an FP guest (${name})`, () => {
      const res = replay(() => bootImage(`test/fp-guests/bin/${name}.elf`, { smp: 1, quantum: 100 }), { limit: 150_000, every: 20, backEvery: 70, maxRestores: 5 });
      expect(res.restores).toBeGreaterThan(2);
      expect(res.replayed).toEqual(res.reference);
    });
  }

  for (const seed of [0, 0x1_2345_6789]) { // (seed 7: detect.test.ts)
    it(`the SMP self-test on 4 cores, seed ${seed} (GIC SGIs, timers, PSCI, TLB maintenance)`, () => {
      const limit = seed === 0 ? Infinity : 500_000; // the whole self-test once, a prefix for the others
      const res = replay(() => bootImage('firmware/images/smp-selftest.elf', { smp: 4, seed, quantum: 500 }), { limit, every: 30, backEvery: 110, maxRestores: 5 });
      expect(res.restores).toBeGreaterThan(2);
      expect(res.replayed).toEqual(res.reference);
      if (seed === 0) expect(res.output).toContain('SUMMARY: 39 passed, 0 failed');
    });
  }

  it('the LSE build of the self-test on 3 cores', () => {
    const res = replay(() => bootImage('firmware/images/smp-selftest-lse.elf', { smp: 3, seed: 3 }), { limit: 500_000, every: 30, backEvery: 110, maxRestores: 5 });
    expect(res.restores).toBeGreaterThan(2);
    expect(res.replayed).toEqual(res.reference);
  });

  it('with a tracer: the re-run writes the same trace events (registers, memory, SGIs, wakes) again', () => {
    const make = () => {
      const r = bootImage('firmware/images/smp-selftest.elf', { smp: 4, seed: 5, quantum: 300 });
      const ev: string[] = r.trace = [];
      r.m.setTracer(new Tracer({
        insn: (core, seq, time, code, el) => { ev.push(`i ${core} ${seq} ${time} ${code.pcLo} ${el}`); },
        reg: (core, seq, time, n, lo, hi) => { ev.push(`r ${core} ${seq} ${time} ${n} ${lo} ${hi}`); },
        vreg: (core, seq, time, n, w0, w1, w2, w3) => { ev.push(`v ${core} ${seq} ${time} ${n} ${w0} ${w1} ${w2} ${w3}`); },
        mem: (core, seq, time, write, vaLo, _vaHi, pa, size, lo, hi) => { ev.push(`m ${core} ${seq} ${time} ${write} ${vaLo} ${pa} ${size} ${lo} ${hi}`); },
        other: (e) => { ev.push(otherJson(e)); },
        close: () => {},
      }, undefined, null, undefined, () => r.m.time));
      return r;
    };
    // From round 100 on, when every core has started: the tracer (host output) writes a core's
    // register dump once, before its first instruction, and a re-run does not write it again.
    const res = replay(make, { limit: 100_000, from: 100, every: 20, backEvery: 60, maxRestores: 4 });
    expect(res.restores).toBeGreaterThan(2);
    expect(res.replayed).toEqual(res.reference);
  });

  it('virtio-blk and virtio-rng driven by the host between rounds, beside the SMP self-test', () => {
    const res = replay(() => virtioRig(), { limit: 600_000, every: 50, backEvery: 170, maxRestores: 5 });
    expect(res.restores).toBeGreaterThan(3);
    expect(res.replayed).toEqual(res.reference);
  });
});

/** Queues and buffers in the top MiB of a 64 MiB RAM, clear of the self-test. */
function virtioRig(): Rig {
  const image = Uint8Array.from({ length: 16 * 512 }, (_, i) => (i * 13) & 0xff);
  const disk = new Disk(memoryStore(image), false, true);
  const r = bootImage('firmware/images/smp-selftest.elf', { smp: 2, seed: 5, ramMiB: 64, virtio: [{ type: 'blk', disk }, { type: 'rng' }] });
  const m = r.m;
  const top = RAM_BASE + 63 * 1024 * 1024;
  const write = (pa: number, bytes: Uint8Array) => m.ram.load(pa, bytes);
  const u32 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  const u16 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255);
  const queue = (slot: number, base: number) => {
    const t = m.virtio[slot], w = (o: number, v: number) => t.write(o, 4, v);
    w(REG.Status, 0); w(REG.Status, 1); w(REG.Status, 3);
    w(REG.DriverFeaturesSel, 0); w(REG.DriverFeatures, 0);
    w(REG.DriverFeaturesSel, 1); w(REG.DriverFeatures, 1);
    w(REG.Status, 11);
    w(REG.QueueSel, 0); w(REG.QueueNum, 8);
    w(REG.QueueDescLow, base); w(REG.QueueDescHigh, 0);
    w(REG.QueueDriverLow, base + 0x1000); w(REG.QueueDriverHigh, 0);
    w(REG.QueueDeviceLow, base + 0x2000); w(REG.QueueDeviceHigh, 0);
    w(REG.QueueReady, 1); w(REG.Status, 15);
    return (descs: [number, number, number][]) => { // addr, len, flags (next is implied)
      descs.forEach(([a, len, fl], i) => {
        write(base + 16 * i, new Uint8Array([...u32(a), 0, 0, 0, 0, ...u32(len), ...u16(fl | (i < descs.length - 1 ? 1 : 0)), ...u16(i + 1)]));
      });
      const avail = m.ram.dv.getUint16(base + 0x1000 + 2 - RAM_BASE, true); // in guest RAM: machine state
      write(base + 0x1000 + 4 + 2 * (avail % 8), u16(0));
      write(base + 0x1000 + 2, u16((avail + 1) & 0xffff));
      w(REG.QueueNotify, 0);
      w(REG.InterruptACK, t.read(REG.InterruptStatus, 4));
    };
  };
  let blk: ReturnType<typeof queue>, rng: ReturnType<typeof queue>;
  r.between = (round) => {
    if (round === 0) { blk = queue(31, top); rng = queue(30, top + 0x10000); }
    if (round % 23 !== 7) return;
    const buf = top + 0x20000, sector = round % 16;
    const out = round % 2 === 0;
    write(buf, new Uint8Array([...u32(out ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN), 0, 0, 0, 0, ...u32(sector), 0, 0, 0, 0]));
    if (out) write(buf + 0x100, Uint8Array.from({ length: 512 }, (_, i) => (i + round) & 0xff));
    blk([[buf, 16, 0], [buf + 0x100, 512, out ? 0 : 2], [buf + 0x80, 1, 2]]);
    rng([[top + 0x30000 + (round % 8) * 64, 64, 2]]);
  };
  r.extra = () => { const b = new Uint8Array(16 * 512); disk.read(0, b); return Buffer.from(b).toString('hex'); };
  return r;
}

describe('the snapshot store', () => {
  /** A one-core machine whose program stores a counter to memory in a loop. */
  let words: number[] = [];
  beforeAll(async () => {
    words = await assembleWords(`
      movz x1, #0x4010, lsl #16
      mov x2, #0
    loop:
      add x2, x2, #1
      str x2, [x1]
      str x2, [x1, #0x1ff8]
      b loop`);
  });
  function counter(): { m: Machine; run: (n: number) => void } {
    const { m } = machineWith([...words]);
    return { m, run: (n) => { m.maxInsns = m.instructions + n; while (m.instructions < m.maxInsns) m.step(); } };
  }
  const word = (m: Machine, off: number) => m.ram.dv.getUint32(0x10_0000 + off, true);

  it('restore puts registers, counts and RAM back, also a store crossing into a second page', () => {
    const { m, run } = counter();
    const store = new SnapshotStore(m);
    run(102); // the setup, then 25 whole iterations
    const s = store.take();
    const x2 = getX(m.cores[0], 2), icount = m.cores[0].icount;
    run(1000);
    expect(word(m, 0)).not.toBe(Number(x2));
    store.restore(s);
    expect(getX(m.cores[0], 2)).toBe(x2);
    expect(m.cores[0].icount).toBe(icount);
    expect(word(m, 0)).toBe(Number(x2));
    expect(word(m, 0x1ff8)).toBe(Number(x2));
    // An 8-byte store across a page boundary from the host and one from the CPU's path.
    m.ram.load(RAM_BASE + 0x10_0ffc, new Uint8Array(8).fill(0xee));
    store.restore(s);
    expect(m.ram.u8[0x10_0fff]).toBe(0);
    expect(m.ram.u8[0x10_1000]).toBe(0);
  });

  it('restoring an older snapshot drops the later ones; the restored one stays usable; drop keeps the older ones right', () => {
    const { m, run } = counter();
    const store = new SnapshotStore(m);
    run(50); const a = store.take(); const fa = fingerprint({ m, out: [] });
    run(50); const b = store.take(); const fb = fingerprint({ m, out: [] });
    run(50); const c = store.take();
    run(50); const d = store.take();
    run(50);
    store.drop(b); // its undo pages go to a
    expect(b.valid).toBe(false);
    store.restore(c);
    expect(d.valid).toBe(false);
    expect(store.snapshots).toEqual([a, c]);
    expect(() => store.restore(d)).toThrow(/no longer held/);
    store.restore(a);
    expect(fingerprint({ m, out: [] })).toEqual(fa);
    run(100);
    store.restore(a);
    expect(fingerprint({ m, out: [] })).toEqual(fa);
    expect(fb).not.toEqual(fa);
  });

  it('the budget drops the oldest snapshots; bytes counts undo pages and state; dispose ends tracking', () => {
    const { m, run } = counter();
    const store = new SnapshotStore(m, { budgetBytes: 1 });
    run(10); const a = store.take();
    run(10); const b = store.take();
    expect(a.valid).toBe(false);
    expect(store.oldest()).toBe(b);
    expect(store.bytes).toBeGreaterThan(0);
    run(10);
    expect(b.pages.size).toBe(2); // the two pages the loop stores to
    expect(store.bytes).toBe(b.bytes);
    store.dispose();
    expect(store.bytes).toBe(0);
    expect(m.ram.codePages.every((f) => (f & 2) === 0)).toBe(true);
    expect(() => store.take()).toThrow(/disposed/);
    const again = new SnapshotStore(m);
    expect(() => new SnapshotStore(m)).toThrow(/already has a snapshot store/);
    again.dispose();
  });

  it('decoded code of a page put back is decoded again (self-modifying code undone)', () => {
    const { m, run } = counter();
    const store = new SnapshotStore(m);
    run(20);
    const s = store.take();
    // Patch the loop's `add x2, x2, #1` into `add x2, x2, #2` from the host.
    const addOff = 8, insn = m.ram.dv.getUint32(addOff, true);
    const patched = new Uint8Array(4); new DataView(patched.buffer).setUint32(0, (insn & ~(0xfff << 10)) | (2 << 10), true);
    m.ram.load(RAM_BASE + addOff, patched);
    run(20);
    const fast = getX(m.cores[0], 2);
    store.restore(s);
    const x0 = getX(m.cores[0], 2);
    run(20);
    expect(fast - x0).toBeGreaterThan(getX(m.cores[0], 2) - x0); // the +1 loop again
  });

  it('observers stay installed across a restore (hooks and their Slow bits are not state)', () => {
    const { m, run } = counter();
    const store = new SnapshotStore(m);
    const s = store.take();
    let seen = 0;
    const hook = { before: () => { seen++; return false; }, after: () => {} };
    m.cores[0].addHook(hook, Slow.Gdb);
    store.restore(s);
    expect(m.cores[0].hooks).toContain(hook);
    expect(m.cores[0].slow & Slow.Gdb).not.toBe(0);
    run(10);
    expect(seen).toBeGreaterThan(0);
  });
});
