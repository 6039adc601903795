// spinlock scenarios: contention with a sleeping waiter, try_acquire, mutual exclusion under load with
// a guest worker loop, and a deliberate ABBA deadlock caught by the kernel's detection.

import { describe, expect, test } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { CNTFRQ } from '../../emu/board/machine.js';
import { bootIdle, isIdleLoop, SPIN } from './kernel.js';

describe('spinlock through the API', () => {
  test('core 2 sleeps in WFE while core 1 holds g_test_lock, and gets it when core 1 releases', () => {
    const g = bootIdle();
    const lock = g.addr('g_test_lock');

    g.callAndWait(1, 'acquire_spinlock', [lock]);
    expect(g.readU32(lock, SPIN.lock)).toBe(1);
    expect(g.readU32(lock, SPIN.holder)).toBe(2); // CPU 1 + 1
    expect(isIdleLoop(g, 1)).toBe(true); // back in the idle loop, still holding the lock

    const waiter = g.call(2, 'acquire_spinlock', [lock]);
    expect(g.runUntil(() => g.coreState(2).sleep === 'wfe', 1_000_000).reason).toBe('predicate');
    const s = g.coreState(2);
    expect(s.func).toMatch(/^acquire_spinlock/); // acquire_spinlock_common, where cpu_wait is inlined
    expect(s.inCall).toBe(true);
    expect(s.irqsMasked).toBe(true);

    // It stays asleep (woken only by the event stream, to re-check) as long as the lock is held.
    g.runFor(100_000);
    expect(waiter.done).toBe(false);
    expect(g.readU32(lock, SPIN.holder)).toBe(2);

    g.callAndWait(1, 'release_spinlock', [lock]);
    g.finish(waiter, 1_000_000);
    expect(g.readU32(lock, SPIN.lock)).toBe(1);
    expect(g.readU32(lock, SPIN.holder)).toBe(3); // CPU 2 + 1
    expect(g.coreState(2).inCall).toBe(false);
    expect(isIdleLoop(g, 2)).toBe(true);

    g.callAndWait(2, 'release_spinlock', [lock]);
    expect(g.readU64(lock)).toBe(0n);
    expect(g.output).not.toContain('PANIC');
  });

  test('try_acquire_spinlock fails while the lock is held and succeeds after release', () => {
    const g = bootIdle();
    const lock = g.addr('g_test_lock2');
    expect(g.callAndWait(3, 'try_acquire_spinlock', [lock]) & 0xffn).toBe(1n);
    expect(g.readU32(lock, SPIN.holder)).toBe(4);

    for (const core of [0, 1, 2]) {
      const c = g.call(core, 'try_acquire_spinlock', [lock]);
      g.finish(c, 100_000);
      expect(c.bool).toBe(false);
      expect(c.instructions).toBeLessThan(100); // a try never waits
    }
    expect(g.readU32(lock, SPIN.holder)).toBe(4);
    expect(g.callAndWait(0, 'spinlock_is_held', [lock]) & 0xffn).toBe(1n);

    g.callAndWait(3, 'release_spinlock', [lock]);
    expect(g.callAndWait(0, 'spinlock_is_held', [lock]) & 0xffn).toBe(0n);
    const c = g.call(1, 'try_acquire_spinlock', [lock]);
    g.finish(c);
    expect(c.bool).toBe(true);
    expect(g.readU32(lock, SPIN.holder)).toBe(2);
  });

  test('mutual exclusion: four cores each add 300 under g_test_lock, and without it updates are lost', async () => {
    // worker(lock, counter, n, acquire, release): n times { acquire(lock); (*counter)++; release(lock) },
    // with a few instructions between the load and the store to widen the race window.
    const g0 = bootIdle();
    const base = g0.scratchBase; // the same in every machine of this size: assemble once
    const src = `
      stp x29, x30, [sp, #-64]!
      mov x29, sp
      stp x19, x20, [sp, #16]
      stp x21, x22, [sp, #32]
      stp x23, x24, [sp, #48]
      mov x19, x0
      mov x20, x1
      mov x21, x2
      mov x22, x3
      mov x23, x4
    loop:
      cbz x21, out
      mov x0, x19
      blr x22
      ldr w5, [x20]
      add w5, w5, #1
      nop
      nop
      nop
      nop
      str w5, [x20]
      mov x0, x19
      blr x23
      sub x21, x21, #1
      b loop
    out:
      ldp x23, x24, [sp, #48]
      ldp x21, x22, [sp, #32]
      ldp x19, x20, [sp, #16]
      ldp x29, x30, [sp], #64
      ret`;
    const words = await assembleWords(src, 0);
    const N = 300;

    const run = (locked: boolean, seed: number): number => {
      const g = bootIdle({ seed, quantum: 200 });
      expect(g.scratchBase).toBe(base);
      const worker = g.placeCode(words);
      const [acq, rel] = locked ? ['acquire_spinlock', 'release_spinlock'] : ['scheduler_reschedule_ici', 'scheduler_reschedule_ici'];
      const calls = [0, 1, 2, 3].map((k) => g.call(k, worker, ['g_test_lock', 'g_test_counter', N, acq, rel]));
      g.finish(calls, 50_000_000);
      expect(g.readU64('g_test_lock')).toBe(0n);
      return g.readU32('g_test_counter');
    };
    expect(run(true, 7)).toBe(4 * N);
    expect(run(true, 12345)).toBe(4 * N);
    expect(run(false, 7)).toBeLessThan(4 * N); // scheduler_reschedule_ici is an empty function: no lock
  });

  test('ABBA deadlock: both cores sleep, and the detection panics naming the lock and its holder', () => {
    const g = bootIdle();
    const a = g.addr('g_test_lock'), b = g.addr('g_test_lock2');
    g.callAndWait(1, 'acquire_spinlock', [a]);
    g.callAndWait(2, 'acquire_spinlock', [b]);
    const c1 = g.call(1, 'acquire_spinlock', [b]);
    const c2 = g.call(2, 'acquire_spinlock', [a]);
    const bothAsleep = () => [1, 2].every((k) => g.coreState(k).sleep === 'wfe' && /^acquire_spinlock/.test(g.coreState(k).func ?? ''));
    expect(g.runUntil(bothAsleep, 1_000_000).reason).toBe('predicate');
    g.runFor(200_000);
    expect(c1.done || c2.done).toBe(false);
    expect(g.readU32(a, SPIN.holder)).toBe(2);
    expect(g.readU32(b, SPIN.holder)).toBe(3);
    expect(g.output).not.toContain('PANIC');

    // Lower the thresholds at run time (defaults: 10000 wake-ups and 2 s).
    expect(g.readU32('g_spinlock_deadlock_count')).toBe(10000);
    expect(g.readU64('g_spinlock_deadlock_min_us')).toBe(2_000_000n);
    g.writeU32('g_spinlock_deadlock_count', 40);
    g.writeU64('g_spinlock_deadlock_min_us', 1000);
    const r = g.runUntil(() => false, 5_000_000);
    expect(r.reason).toBe('stopped');
    expect(g.result?.status).toBe(3); // panic's semihosting exit status
    const m = /deadlock detected: cpu (\d) spun (\d+) times on lock 0x([0-9a-f]+) \("(g_test_lock2?)"\) held by cpu (\d)/.exec(g.output);
    expect(m, g.output).not.toBeNull();
    const [, spinner, spins, addr, name, holder] = m!;
    // Caught by the lowered thresholds: well before 10000 wake-ups and 2 s of virtual time.
    expect(Number(spins)).toBeGreaterThanOrEqual(40);
    expect(Number(spins)).toBeLessThan(10000);
    expect(g.machine.time).toBeLessThan(2 * CNTFRQ);
    if (spinner === '1') expect([Number.parseInt(addr, 16), name, holder]).toEqual([b, 'g_test_lock2', '2']);
    else expect([spinner, Number.parseInt(addr, 16), name, holder]).toEqual(['2', a, 'g_test_lock', '1']);
    // The panic runs the `spinlock` debugger command: both locks and their holders.
    expect(g.output).toMatch(/spinlock 0x[0-9a-f]+ "g_test_lock": locked by cpu 1/);
    expect(g.output).toMatch(/spinlock 0x[0-9a-f]+ "g_test_lock2": locked by cpu 2/);
    expect(c1.done || c2.done).toBe(false);
  });
});
