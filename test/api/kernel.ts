// What the scenarios know of the guest kernel (kernel/*.h), and booting the idle image.
// Structure layouts are those of the committed images (clang, AArch64 LP64, no contention stats).

import { expect } from 'vitest';
import { Guest, GuestOptions, builtinImage } from '../../emu/api/index.js';

/** kernel/smp.h message types and flags. */
export const SMP_MSG = {
  INVALIDATE_PAGE_RANGE: 0, INVALIDATE_PAGE_LIST: 1, USER_INVALIDATE_PAGES: 2, GLOBAL_INVALIDATE_PAGES: 3,
  CPU_HALT: 4, CALL_FUNCTION: 5, RESCHEDULE: 6,
} as const;
export const SMP_MSG_COUNT = 7;
export const FLAG = { ASYNC: 0, SYNC: 1, FREE_ARG: 2 } as const;
/** MSG_POOL_SIZE = SMP_MAX_CPUS * 4. */
export const MSG_POOL_SIZE = 256;

/** struct spinlock { vint32 lock; vint32 holder; } (holder = CPU index + 1). */
export const SPIN = { lock: 0, holder: 4 } as const;
/** struct rw_spinlock { vint32 lock; vint32 writer; } (lock: bit 31 writer, bits 0-30 readers). */
export const RW = { lock: 0, writer: 4 } as const;
export const RW_WRITER_BIT = 0x8000_0000;
/** struct seqlock { spinlock lock; vint32 count; }. */
export const SEQ = { lock: 0, holder: 4, count: 8 } as const;
/** struct cpu_ent (aligned 64) of gCPU[]. */
export const CPU_ENT = { size: 64, cpu_num: 0, mpidr: 8, ici_sent: 16, broadcast_seen: 20, ici_received: 24, interrupts: 52, halted: 56 } as const;

/** Boot smp-idle.elf (4 cores unless told otherwise) until every core idles in smp_idle_loop. */
export function bootIdle(opts: GuestOptions = {}): Guest {
  const g = Guest.load(builtinImage('smp-idle'), { smp: 4, ...opts });
  g.runUntilIdle(20_000_000);
  const n = opts.smp ?? 4;
  expect(g.readU32('g_idle_ready')).toBe(n);
  expect(g.readI32('sNumCPUs')).toBe(n);
  for (let k = 0; k < n; k++) expect(isIdleLoop(g, k)).toBe(true);
  return g;
}

/** Core k sits in the idle loop (smp_idle_loop, which clang inlines into the workload entries). */
export function isIdleLoop(g: Guest, k: number): boolean {
  const s = g.coreState(k);
  return s.sleep === 'wfi' && /^(smp_idle_loop|workload_boot_cpu|workload_secondary)$/.test(s.func ?? '');
}

/** Per-CPU kernel counters. */
export function cpuField(g: Guest, cpu: number, off: number): number {
  return g.readI32('gCPU', cpu * CPU_ENT.size + off);
}
export const received = (g: Guest, cpu: number, msg: number): number => cpuField(g, cpu, CPU_ENT.ici_received + 4 * msg);
export const sent = (g: Guest, cpu: number): number => cpuField(g, cpu, CPU_ENT.ici_sent);
export const halted = (g: Guest, cpu: number): number => cpuField(g, cpu, CPU_ENT.halted);

/** received(msg) of every CPU. */
export function receivedAll(g: Guest, msg: number): number[] {
  return Array.from({ length: g.machine.cores.length }, (_, k) => received(g, k, msg));
}

/** Every message of the pool is back, no broadcast is pending, no mailbox holds anything. */
export function expectIciQuiet(g: Guest): void {
  expect(g.readI32('sFreeMessageCount')).toBe(MSG_POOL_SIZE);
  expect(g.readU64('sBroadcastMessages')).toBe(0n);
  for (let k = 0; k < g.machine.cores.length; k++) expect(g.readU64('sCPUMessages', 8 * k)).toBe(0n);
}
