// Replay checks for snapshots: run a machine uninterrupted and record what it did; run it again taking
// snapshots at many points and going back to earlier ones now and then, and require the same end: the
// same console output, per-core instruction counts and registers, virtual time and RAM.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Machine, MachineOptions } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { Snapshot, SnapshotStore } from '../../emu/snapshot/index.js';

export interface Rig {
  m: Machine;
  /** Console bytes so far (host side: truncated by the test when it goes back). */
  out: number[];
  /** Host-side action between rounds, a function of the round number only (device drivers in tests). */
  between?: (round: number) => void;
  /** More state to compare (a disk's contents). */
  extra?: () => string;
  /** Trace events so far, one line each (host side: truncated by the test when it goes back). */
  trace?: string[];
}

export function bootImage(path: string, opts: MachineOptions = {}, extra?: (m: Machine) => void): Rig {
  const out: number[] = [];
  const sink = (b: Uint8Array): void => { for (const x of b) out.push(x); };
  const m = new Machine({ ramMiB: 16, ...opts, stdout: sink, stderr: sink });
  const img = loadImage(m, readFileSync(path), { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  // Snapshots go between scheduling steps: a step per round gives the restore points these tests
  // count on (several rounds per step run the same execution; snapshot.test.ts has a test with them).
  m.roundsPerRun = 1;
  const r: Rig = { m, out };
  extra?.(m);
  return r;
}

/** What a run must reproduce: registers and counts of every core, time, scheduler, RAM (long parts as
 * hashes, so that a difference names the part without printing megabytes). */
export function fingerprint(r: Rig): Record<string, string> {
  const m = r.m;
  const hash = (x: Uint8Array | string) => createHash('sha1').update(x).digest('hex');
  const fp: Record<string, string> = {
    ram: hash(m.ram.u8), out: hash(Buffer.from(r.out)), extra: hash(r.extra?.() ?? ''), trace: hash((r.trace ?? []).join('\n')),
    counts: JSON.stringify([m.instructions, m.time, m.result]),
  };
  for (const c of m.cores) {
    fp[`core${c.id}`] = JSON.stringify([c.icount, c.pcLo, c.pcHi, c.el, c.sleep, c.nzcv, c.daif, c.event, c.exclPa, c.irqPending, c.fpcr, c.fpsr]);
    fp[`core${c.id}.regs`] = hash(JSON.stringify([[...c.x], [...c.spLo], [...c.spHi], [...c.vw], [...c.sys.vals]]));
  }
  return fp;
}

/** Step until the machine stops or `limit` instructions ran. Returns rounds run. */
function runTo(r: Rig, limit: number, round0: number, each?: (round: number) => boolean): number {
  const m = r.m;
  let round = round0;
  while (!m.stopped && m.instructions < limit) {
    if (each !== undefined && each(round)) break;
    r.between?.(round);
    if (!m.stepChecked()) break;
    round++;
  }
  return round;
}

export interface ReplayResult { reference: Record<string, string>; replayed: Record<string, string>; output: string; takes: number; restores: number; store: SnapshotStore }

/** Run `make()` to the end (or `limit` instructions) once plainly, and once with a snapshot every
 * `every` rounds and, every `backEvery` rounds, a restore to an earlier snapshot (chosen by a fixed
 * pattern) followed by re-execution; `check` also compares the fingerprint right after each restore
 * with the one recorded at take(). */
export interface ReplayOptions {
  limit?: number; every: number; backEvery: number; budgetBytes?: number; maxRestores?: number;
  /** Compare the machine right after each restore with its fingerprint at take() (default true). */
  checkEach?: boolean;
  /** No snapshots before this round (default 0). */
  from?: number;
  /** Tests that the check can fail: called with the store once it exists. */
  sabotage?: (store: SnapshotStore) => void;
}

export function replay(make: () => Rig, opts: ReplayOptions): ReplayResult {
  const limit = opts.limit ?? Infinity;
  const ref = make();
  runTo(ref, limit, 0);
  const reference = fingerprint(ref);

  const r = make();
  const store = new SnapshotStore(r.m, { budgetBytes: opts.budgetBytes });
  opts.sabotage?.(store);
  const checkEach = opts.checkEach ?? true;
  const meta = new Map<Snapshot, { round: number; out: number; trace: number; fp: Record<string, string> }>();
  let takes = 0, restores = 0, pick = 0;
  const maxRestores = opts.maxRestores ?? 20;
  let round = 0;
  const backDone = new Set<number>();
  for (;;) {
    round = runTo(r, limit, round, (rd) => {
      const newest = store.newest();
      if (rd % opts.every === 0 && rd >= (opts.from ?? 0) && (newest === undefined || meta.get(newest)!.round !== rd)) {
        const s = store.take();
        takes++;
        meta.set(s, { round: rd, out: r.out.length, trace: r.trace?.length ?? 0, fp: checkEach ? fingerprint(r) : {} });
      }
      return rd % opts.backEvery === opts.backEvery - 1 && store.newest() !== undefined && !backDone.has(rd) && restores < maxRestores;
    });
    if (r.m.stopped || r.m.instructions >= limit) {
      // One more trip back from the very end, then on to the end again.
      if (restores >= maxRestores || backDone.has(-1)) break;
      backDone.add(-1);
    } else backDone.add(round);
    const live = store.snapshots;
    const s = live[(pick++ * 7) % live.length];
    const info = meta.get(s)!;
    store.restore(s);
    restores++;
    r.out.length = info.out;
    if (r.trace !== undefined) r.trace.length = info.trace;
    const now = checkEach ? fingerprint(r) : {};
    const diff = Object.keys(now).filter((k) => now[k] !== info.fp[k]);
    if (diff.length > 0) throw new Error(`after restoring snapshot ${s.seq} (round ${info.round}) the machine differs from when it was taken: ${diff.join(', ')}`);
    round = info.round;
  }
  return { reference, replayed: fingerprint(r), output: Buffer.from(r.out).toString('latin1'), takes, restores, store };
}
