// Stopping mid-round and going on (what a gdb stop does) must not change the execution: the SMP
// self-test paused before hundreds of arbitrary instructions ends exactly as the run without pauses:
// same output, instruction counts per core, virtual time and registers.

import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { Cpu, InsnHook, Slow } from '../../emu/cpu/cpu.js';
import { Machine } from '../../emu/board/machine.js';
import { ROOT } from './session.js';
import { runImageFile } from '../run-image.js';
import { loadImage } from '../../emu/loader/image.js';
import { readFileSync } from 'node:fs';

const IMAGE = join(ROOT, 'firmware/images/smp-selftest.elf');

function fingerprint(m: Machine, stdout: string) {
  return {
    stdout, instructions: m.instructions, time: m.time, result: m.result,
    cores: m.cores.map((c) => ({ icount: c.icount, pc: [c.pcLo, c.pcHi], x: [...c.x], el: c.el, sleep: c.sleep })),
  };
}

/** Pauses before every n-th instruction, n drawn from a fixed sequence; counts the pauses. */
class Pauser implements InsnHook {
  pauses = 0;
  private left = 1;
  private x = 12345;
  constructor(private readonly m: Machine) {}
  before(_c: Cpu): boolean {
    if (--this.left > 0) return false;
    this.x = (this.x * 1103515245 + 12345) >>> 0;
    this.left = 1 + (this.x >>> 8) % 200;
    this.pauses++;
    this.m.pauseRequested = true;
    return true;
  }
  after(): void {}
}

describe('pausing the machine mid-round (gdb stops)', () => {
  for (const seed of [0, 9]) {
    it(`leaves the execution unchanged (seed ${seed})`, () => {
      const opts = { smp: 4, seed, quantum: 400 };
      const plain = runImageFile(IMAGE, opts);
      expect(plain.status).toBe(0);
      const want = fingerprint(plain.machine, plain.stdout);

      const chunks: Uint8Array[] = [];
      const m = new Machine({ ramMiB: 256, ...opts, stdout: (b) => chunks.push(b.slice()), stderr: (b) => chunks.push(b.slice()) });
      const img = loadImage(m, readFileSync(IMAGE), { path: IMAGE });
      m.boot(Number(img.entry), img.linuxBoot, img.regions);
      const hook = new Pauser(m);
      for (const c of m.cores) c.addHook(hook, Slow.Gdb);
      let pausedSteps = 0;
      while (!m.stopped) {
        if (!m.stepChecked()) m.stopDeadlocked();
        if (m.paused) pausedSteps++;
      }
      const run = { machine: m, stdout: Buffer.concat(chunks).toString('latin1') };
      expect(hook.pauses).toBeGreaterThan(100);
      expect(pausedSteps).toBe(hook.pauses);
      expect(fingerprint(run.machine, run.stdout)).toEqual(want);
    });
  }
});
