// A small litmus harness for the memory-model tests: each thread is assembly run by its own core from
// reset (MMU off, EL1), with X1..X4 holding the addresses of the shared locations x, y, z, w; it ends
// in a WFI loop, and the run ends when every core sleeps. The outcome is the values of the chosen
// registers and locations.

import { assembler } from '../../emu/asm/assembler.js';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import type { MemoryModelName } from '../../emu/memory-model/model.js';

const CODE = RAM_BASE + 0x1_0000;
/** x, y, z, w: each on its own 4 KiB page (so no two share a block or a monitor granule). */
export const LOCS: Record<string, number> = { x: RAM_BASE + 0x8_0000, y: RAM_BASE + 0x8_1000, z: RAM_BASE + 0x8_2000, w: RAM_BASE + 0x8_3000 };

export interface Litmus {
  threads: string[];
  /** Initial 64-bit values of the locations (default 0). */
  init?: Record<string, number>;
  /** What makes up the outcome: "0:X0" (thread 0's X0) or "x" (a location), in this order. */
  observe: string[];
}

export interface RunOpts { model: MemoryModelName; seed: number; quantum?: number }

let asm: ((s: string, a?: number) => Uint8Array) | undefined;

/** Assemble the threads once. */
export async function prepare(t: Litmus): Promise<Uint8Array[]> {
  asm ??= await assembler();
  return t.threads.map((src, k) => asm!(`${src}\nlitmus_end: wfi\n b litmus_end`, CODE + k * 0x1000));
}

/** Run once; returns the outcome as "0:X0=1 x=2 ..." and the machine. */
export function runOnce(t: Litmus, code: Uint8Array[], o: RunOpts): { outcome: string; m: Machine } {
  const m = new Machine({ smp: t.threads.length, ramMiB: 1, memoryModel: o.model, seed: o.seed, quantum: o.quantum ?? 3, maxInsns: 1_000_000, stdout: () => {}, stderr: () => {} });
  for (const [name, addr] of Object.entries(LOCS)) {
    const v = BigInt(t.init?.[name] ?? 0);
    m.ram.dv.setBigUint64(addr - RAM_BASE, v, true);
  }
  code.forEach((bytes, k) => {
    m.ram.load(CODE + k * 0x1000, bytes);
    const c = m.cores[k];
    c.pcLo = CODE + k * 0x1000; c.pcHi = 0;
    c.sleep = 0;
    ['x', 'y', 'z', 'w'].forEach((n, j) => { c.x[2 * (1 + j)] = LOCS[n]; c.x[2 * (1 + j) + 1] = 0; });
  });
  const r = m.run();
  if (r.cause !== 'deadlock') throw new Error(`litmus run did not end with every core asleep: ${r.reason}`);
  const parts = t.observe.map((w) => {
    const reg = /^(\d+):X(\d+)$/.exec(w);
    if (reg !== null) {
      const c = m.cores[Number(reg[1])];
      const n = Number(reg[2]);
      return `${w}=${(BigInt(c.x[2 * n + 1] >>> 0) << 32n) | BigInt(c.x[2 * n] >>> 0)}`;
    }
    return `${w}=${m.ram.dv.getBigUint64(LOCS[w] - RAM_BASE, true)}`;
  });
  return { outcome: parts.join(' '), m };
}

/** Run over seeds 1..runs; returns a histogram of outcomes. */
export async function histogram(t: Litmus, model: MemoryModelName, runs: number, quantum?: number): Promise<Map<string, number>> {
  const code = await prepare(t);
  const h = new Map<string, number>();
  for (let seed = 1; seed <= runs; seed++) {
    const { outcome } = runOnce(t, code, { model, seed, quantum });
    h.set(outcome, (h.get(outcome) ?? 0) + 1);
  }
  return h;
}
