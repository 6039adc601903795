// Run one guest image interpreted and translated (every block translated on its first execution, so
// translated code runs as much as possible) and return what can be compared.

import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Machine, MachineOptions } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';

export interface Outcome { out: string; status: number; reason: string; instructions: number; cores: string[]; compiled: number }

export function runOnce(path: string, opts: MachineOptions, jit: boolean, threshold = 1): Outcome {
  const chunks: Buffer[] = [];
  const m = new Machine({ ramMiB: 256, maxInsns: 60_000_000, ...opts, jit, stdout: (b) => chunks.push(Buffer.from(b)), stderr: (b) => chunks.push(Buffer.from(b)) });
  if (m.translator !== null) { m.translator.threshold = threshold; m.translator.stepThreshold = threshold; }
  const img = loadImage(m, readFileSync(path), { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const r = m.run();
  const cores = m.cores.map((c) => `icount=${c.icount} pc=${c.pcHi >>> 0}:${c.pcLo >>> 0} nzcv=${c.nzcv} el=${c.el} sleep=${c.sleep} x=${Array.from(c.x).join(',')} v=${Array.from(c.vw).join(',')}`);
  return { out: Buffer.concat(chunks).toString('latin1'), status: r.status, reason: r.reason, instructions: r.instructions, cores, compiled: m.translationStats().compiled };
}

/** Output, exit status, total and per-core counts and final state are the same without translation and
 * with each back end. */
export function expectSame(path: string, opts: MachineOptions = {}, threshold = 1): void {
  const interp = runOnce(path, opts, false);
  expect(interp.compiled).toBe(0);
  for (const jitBackend of ['wasm', 'js'] as const) {
    const jit = runOnce(path, { ...opts, jitBackend }, true, threshold);
    expect(jit.compiled, jitBackend).toBeGreaterThan(0);
    expect({ ...jit, compiled: 0 }, jitBackend).toEqual({ ...interp, compiled: 0 });
  }
}
