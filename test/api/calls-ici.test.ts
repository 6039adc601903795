// Function-call distribution and ICIs: call_single_cpu(_sync), call_all_cpus(_sync), unicast and
// broadcast ICIs (ASYNC, SYNC, FREE_ARG) with exact delivery counts, multicast across clusters, and
// the CPU halt message.

import { describe, expect, test } from 'vitest';
import { bootIdle, expectIciQuiet, FLAG, halted, isIdleLoop, received, receivedAll, RW, sent, SMP_MSG, SPIN } from './kernel.js';

const { CALL_FUNCTION, RESCHEDULE, CPU_HALT } = SMP_MSG;

describe('function calls through the SMP layer', () => {
  test('call_single_cpu_sync from core 0 runs acquire_spinlock on core 3', () => {
    const g = bootIdle();
    const lock = g.addr('g_test_lock');
    // call_single_cpu_sync(3, acquire_spinlock, &g_test_lock): acquire_spinlock(void *) ignores the
    // int CPU argument, and records the CPU that ran it as the holder.
    const before = receivedAll(g, CALL_FUNCTION);
    g.callAndWait(0, 'call_single_cpu_sync', [3, 'acquire_spinlock', lock]);
    // SYNC: done by the time the call returns, on core 3 and nowhere else.
    expect(g.readU32(lock, SPIN.holder)).toBe(4);
    expect(receivedAll(g, CALL_FUNCTION).map((v, k) => v - before[k])).toEqual([0, 0, 0, 1]);
    expect(sent(g, 0)).toBe(1);

    g.callAndWait(0, 'call_single_cpu_sync', [3, 'release_spinlock', lock]);
    expect(g.readU64(lock)).toBe(0n);
    expect(received(g, 3, CALL_FUNCTION)).toBe(2);

    // The asynchronous form: core 1 asks core 2; it happens a little later.
    const rw = g.addr('g_test_rw_lock');
    g.callAndWait(1, 'call_single_cpu', [2, 'try_acquire_read_spinlock', rw]);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(g.readU32(rw, RW.lock)).toBe(1);
    expect(received(g, 2, CALL_FUNCTION)).toBe(1);
    // To itself: a direct call, no ICI.
    g.callAndWait(1, 'call_single_cpu_sync', [1, 'release_read_spinlock', rw]);
    expect(g.readU32(rw, RW.lock)).toBe(0);
    expect(sent(g, 1)).toBe(1);
    expectIciQuiet(g);
  });

  test('call_all_cpus_sync runs the function once on every CPU', () => {
    const g = bootIdle();
    const rw = g.addr('g_test_rw_lock');
    // Each CPU takes one read lock: the reader count is the number of CPUs that ran it.
    g.callAndWait(2, 'call_all_cpus_sync', ['try_acquire_read_spinlock', rw]);
    expect(g.readU32(rw, RW.lock)).toBe(4);
    expect(receivedAll(g, CALL_FUNCTION)).toEqual([1, 1, 0, 1]); // the caller ran it directly
    expect(sent(g, 2)).toBe(1); // one broadcast message

    // call_all_cpus (ASYNC): every CPU releases its read lock, eventually.
    g.callAndWait(0, 'call_all_cpus', ['release_read_spinlock', rw]);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(g.readU32(rw, RW.lock)).toBe(0);
    expect(receivedAll(g, CALL_FUNCTION)).toEqual([1, 2, 1, 2]);
    expectIciQuiet(g);
    expect(g.output).not.toContain('PANIC');
  });
});

describe('ICIs through the SMP layer', () => {
  test('unicast and broadcast, ASYNC, SYNC and FREE_ARG, with exact delivery counts', () => {
    const g = bootIdle();
    const send = (from: number, to: number, msg: number, flags: number, ptr: bigint | number = 0) =>
      g.callAndWait(from, 'smp_send_ici', [to, msg, 0, 0, 0, ptr, flags]);
    const broadcast = (from: number, msg: number, flags: number, ptr: bigint | number = 0) =>
      g.callAndWait(from, 'smp_send_broadcast_ici', [msg, 0, 0, 0, ptr, flags]);

    send(0, 1, RESCHEDULE, FLAG.ASYNC);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(receivedAll(g, RESCHEDULE)).toEqual([0, 1, 0, 0]);

    send(3, 2, RESCHEDULE, FLAG.SYNC);
    expect(receivedAll(g, RESCHEDULE)).toEqual([0, 1, 1, 0]); // handled before the sender returned
    send(2, 2, RESCHEDULE, FLAG.SYNC); // to itself: dropped
    expect(receivedAll(g, RESCHEDULE)).toEqual([0, 1, 1, 0]);

    broadcast(1, RESCHEDULE, FLAG.SYNC);
    expect(receivedAll(g, RESCHEDULE)).toEqual([1, 1, 2, 1]); // everyone but the sender
    broadcast(0, RESCHEDULE, FLAG.ASYNC);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(receivedAll(g, RESCHEDULE)).toEqual([1, 2, 3, 2]);
    expect([0, 1, 2, 3].map((k) => sent(g, k))).toEqual([2, 1, 0, 1]);

    // FREE_ARG: the last target kfree()s the argument, before a SYNC sender returns.
    const free0 = g.readI32('sHeapFreeCount');
    const p1 = g.callAndWait(0, 'kmalloc', [64]);
    const p2 = g.callAndWait(0, 'kmalloc', [64]);
    expect(g.readI32('sHeapFreeCount')).toBe(free0 - 2);
    broadcast(3, RESCHEDULE, FLAG.SYNC | FLAG.FREE_ARG, p1);
    expect(g.readI32('sHeapFreeCount')).toBe(free0 - 1);
    send(1, 0, RESCHEDULE, FLAG.ASYNC | FLAG.FREE_ARG, p2);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(g.readI32('sHeapFreeCount')).toBe(free0);
    expect(receivedAll(g, RESCHEDULE)).toEqual([3, 3, 4, 2]);
    expectIciQuiet(g);
    expect(g.output).not.toContain('PANIC');
  });

  test('multicast across two clusters reaches exactly its targets, one SGI write per cluster', () => {
    const g = bootIdle({ smp: 4, clusters: 2 });
    // Cores 0,1 are cluster 0 (Aff1 = 0), cores 2,3 cluster 1, and the kernel's map agrees.
    expect(g.machine.cores.map((c) => c.mpidr & 0xffffff)).toEqual([0x000, 0x001, 0x100, 0x101]);
    expect([0, 1, 2, 3].map((k) => g.readU64('gCPU', 64 * k + 8))).toEqual([0x000n, 0x001n, 0x100n, 0x101n]);

    const set = g.alloc(8); // CPUSet: uint32 bitmap[2]
    const multicast = (from: number, cpus: number[], flags: number) => {
      g.writeU64(set, cpus.reduce((m, k) => m | (1n << BigInt(k)), 0n));
      const sgis = g.machine.gic.stats.sgisReceived.slice();
      const writes = g.readI32('g_multicast_sgi_writes');
      g.callAndWait(from, 'smp_send_multicast_ici', [set, RESCHEDULE, 0, 0, 0, 0, flags]);
      g.runUntil(() => g.allIdle(), 1_000_000);
      return {
        writes: g.readI32('g_multicast_sgi_writes') - writes,
        sgis: g.machine.gic.stats.sgisReceived.map((v, k) => v - sgis[k]),
      };
    };

    let r = multicast(0, [1, 2, 3], FLAG.SYNC);
    expect(r.writes).toBe(2); // cluster 0: {1}; cluster 1: {2, 3}
    expect(r.sgis).toEqual([0, 1, 1, 1]);
    expect(receivedAll(g, RESCHEDULE)).toEqual([0, 1, 1, 1]);

    r = multicast(1, [0, 1, 3], FLAG.ASYNC); // the sender is left out
    expect(r.writes).toBe(2);
    expect(r.sgis).toEqual([1, 0, 0, 1]);
    expect(receivedAll(g, RESCHEDULE)).toEqual([1, 1, 1, 2]);

    r = multicast(3, [2], FLAG.SYNC); // same cluster as the sender
    expect(r.writes).toBe(1);
    expect(r.sgis).toEqual([0, 0, 1, 0]);
    expect(receivedAll(g, RESCHEDULE)).toEqual([1, 1, 2, 2]);
    expectIciQuiet(g);
  });

  test('SMP_MSG_CPU_HALT parks a core: it handles nothing, a SYNC sender waits, and the release frees both', () => {
    const g = bootIdle();
    const send = (from: number, to: number, msg: number, flags: number) =>
      g.call(from, 'smp_send_ici', [to, msg, 0, 0, 0, 0, flags]);

    g.finish(send(0, 2, CPU_HALT, FLAG.ASYNC));
    expect(g.runUntil(() => halted(g, 2) === 1 && g.coreState(2).sleep === 'wfe', 1_000_000).reason).toBe('predicate');
    const parked = /^(smp_park_cpu|process_all_pending_ici)$/; // clang inlines the one into the other
    expect(g.coreState(2).func).toMatch(parked);
    expect(received(g, 2, CPU_HALT)).toBe(1);

    // An ASYNC message to the parked core is queued, not handled.
    g.finish(send(1, 2, RESCHEDULE, FLAG.ASYNC));
    // A SYNC one keeps its sender waiting.
    const sync = send(3, 2, RESCHEDULE, FLAG.SYNC);
    g.runFor(300_000);
    expect(sync.done).toBe(false);
    expect(g.coreState(3).func).toMatch(/^(smp_send_ici|process_all_pending_ici|find_free_message)$/);
    expect(received(g, 2, RESCHEDULE)).toBe(0);
    expect(g.coreState(2).func).toMatch(parked);
    expect(halted(g, 2)).toBe(1);

    g.callAndWait(1, 'smp_release_halted_cpus');
    g.finish(sync, 1_000_000);
    g.runUntil(() => g.allIdle(), 1_000_000);
    expect(halted(g, 2)).toBe(0);
    expect(received(g, 2, RESCHEDULE)).toBe(2);
    expect(isIdleLoop(g, 2)).toBe(true);
    expectIciQuiet(g);
    expect(g.output).not.toContain('PANIC');
  });
});
