// Causal time (machine.ts, the top of the file): an event one core causes on another is never dated
// before its cause. In 4-core runs of the SMP self-test with several seeds, every SGI acknowledgement
// is at or after the send that caused it, and each core's events are in time order. (Before the
// board moved a touched core's clock up to its toucher's, several acknowledgements per run came
// before their send, and thousands of events went back in time on their core.) Same seed, same trace.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { openTrace } from '../../emu/trace/tracer.js';
import { readTrace } from '../../emu/trace/reader.js';

const IMAGE = join(__dirname, '..', '..', 'firmware', 'images', 'smp-selftest.elf');
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-causal-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Run the self-test on 4 cores with this seed, traced (every kind but reg and mem, which carry their
 * instruction's time) to a binary file; returns its path. */
async function run(seed: number, name: string): Promise<string> {
  const m = new Machine({ smp: 4, ramMiB: 256, stdout: () => {}, stderr: () => {}, seed });
  const img = loadImage(m, readFileSync(IMAGE), { path: IMAGE });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const path = join(dir, name);
  const t = await openTrace(m, { path, format: 'binary', filters: ['kind=insn,exc,eret,ack,sgi,sleep,wake,excl,psci,uart'] });
  const r = m.run();
  t.close();
  expect(r.status).toBe(0);
  return path;
}

describe.skipIf(!existsSync(IMAGE))('causal time, 4 cores', () => {
  for (const seed of [0, 1, 2, 7, 42]) {
    it(`seed ${seed}: every SGI acknowledgement is at or after its send; each core's events are in time order`, async () => {
      const path = await run(seed, `causal-${seed}.a64t`);
      // The trace is in execution order, so the send an acknowledgement answers is the latest SGI of
      // that INTID to that core before it.
      const sent = new Map<string, { core: number; time: number }>();
      const last = [-1, -1, -1, -1];
      let acks = 0;
      const early: string[] = [], backwards: string[] = [];
      await readTrace(path, (e) => {
        if (e.t === 'sgi') for (const k of e.targets as number[]) sent.set(`${k}/${e.intid as number}`, e);
        if (e.t === 'ack' && (e.intid as number) < 16) {
          const s = sent.get(`${e.core}/${e.intid as number}`);
          expect(s).toBeDefined();
          acks++;
          if (e.time < s!.time && early.length < 5) early.push(`core ${e.core} acknowledged SGI ${e.intid as number} at ${e.time}, sent by core ${s!.core} at ${s!.time}`);
        }
        if (e.time < last[e.core] && backwards.length < 5) backwards.push(`core ${e.core}: ${e.t} at ${e.time} after ${last[e.core]}`);
        last[e.core] = Math.max(last[e.core], e.time);
      });
      expect(acks).toBeGreaterThan(100);
      expect(early).toEqual([]);
      expect(backwards).toEqual([]);
    }, 60_000);
  }

  it('the same seed gives the same trace', async () => {
    const a = await run(7, 'same-a.a64t'), b = await run(7, 'same-b.a64t');
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  }, 60_000);
});
