// Cost of whole-machine snapshots (emu/snapshot/): runs an image once plainly and once with a snapshot
// every N scheduling rounds, then restores the newest, a middle and the oldest snapshot; prints one
// JSON line with the times and the memory the snapshots hold.
//
//   node dist/tools/snapshot-bench.js IMAGE [SMP] [EVERY_ROUNDS] [MAX_INSNS] [RAM_MIB]
//   node dist/tools/snapshot-bench.js firmware/images/smp-selftest.elf 4 50
//   node dist/tools/snapshot-bench.js .cache/linux/vmlinuz 4 500 3e7 512
//
// Times include JIT warm-up: the first takes are slower than the median, which is the steady state.

import { readFileSync } from 'node:fs';
import { Machine } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';
import { SnapshotStore } from '../emu/snapshot/index.js';

function usage(msg: string): never {
  process.stderr.write(`snapshot-bench: ${msg}\nusage: snapshot-bench IMAGE [SMP] [EVERY_ROUNDS] [MAX_INSNS] [RAM_MIB]\n`);
  process.exit(2);
}

const [path, smpArg = '4', everyArg = '100', limitArg = 'Infinity', ramArg = '256'] = process.argv.slice(2);
if (path === undefined) usage('no image given');
const smp = Number(smpArg), every = Number(everyArg), limit = Number(limitArg), ramMiB = Number(ramArg);
if (!Number.isInteger(smp) || !Number.isInteger(every) || every < 1 || !(limit > 0) || !Number.isInteger(ramMiB)) usage('SMP, EVERY_ROUNDS and RAM_MIB must be positive integers, MAX_INSNS a positive number');
let bytes: Uint8Array;
try { bytes = readFileSync(path); } catch (e) { usage(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }

let outBytes = 0;
function boot(): Machine {
  const m = new Machine({ smp, ramMiB, bootargs: 'console=ttyAMA0 earlycon=pl011,0x9000000', stdout: (b) => { outBytes += b.length; }, stderr: () => {} });
  const img = loadImage(m, bytes, { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  return m;
}
const runTo = (m: Machine, each: (round: number) => void): number => {
  let round = 0;
  while (!m.stopped && m.instructions < limit) { each(round); if (!m.stepChecked()) break; round++; }
  return round;
};

let m = boot();
let t0 = performance.now();
runTo(m, () => {});
const plainMs = performance.now() - t0, insns = m.instructions;

m = boot();
const store = new SnapshotStore(m, { budgetBytes: 2 ** 40 });
const takes: number[] = [];
t0 = performance.now();
const rounds = runTo(m, (round) => {
  if (round % every !== 0) return;
  const a = performance.now();
  store.take();
  takes.push(performance.now() - a);
});
const withMs = performance.now() - t0;
const snaps = store.snapshots, sizes = snaps.map((s) => s.bytes), held = store.bytes;
const time = (s: (typeof snaps)[number]) => { const a = performance.now(); store.restore(s); return +(performance.now() - a).toFixed(2); };
const restoreNewestMs = time(snaps[snaps.length - 1]);
const restoreMiddleMs = time(snaps[snaps.length >> 1]);
const restoreOldestMs = time(snaps[0]);
const sorted = [...takes].sort((a, b) => a - b);
const mib = (b: number) => +(b / 1048576).toFixed(2);
console.log(JSON.stringify({
  image: path, smp, ramMiB, instructions: insns, rounds, everyRounds: every,
  plainMs: Math.round(plainMs), withSnapshotsMs: Math.round(withMs),
  takes: takes.length, takeMedianMs: +sorted[sorted.length >> 1].toFixed(2), takeMaxMs: +sorted[sorted.length - 1].toFixed(2),
  stateBytes: snaps[0].state.bytes, heldMiB: mib(held), snapshotMeanMiB: mib(sizes.reduce((a, b) => a + b, 0) / sizes.length), snapshotMaxMiB: mib(Math.max(...sizes)),
  restoreNewestMs, restoreMiddleMs, restoreOldestMs, consoleBytes: outBytes,
}));
