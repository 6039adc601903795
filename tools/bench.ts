// `npm run bench`: guest instructions, seconds and MIPS for a set of guest workloads, and where
// qemu-system-aarch64 is installed, QEMU's wall time on the same image in the same run and the ratio.
//
// Each workload runs REPEAT times in one process (fresh machine each time, as the CLI would run it
// again) after one warm-up run, so the figure is the interpreter's steady state, not JIT warm-up.
// QEMU's time includes its start-up (about 0.15 s here), which is part of what a user waits for.

import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine, MachineOptions } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

interface Workload { name: string; image: string; smp: number; opts?: MachineOptions }

const PROGRAMS = ['vm', 'hash', 'sort', 'recursion', 'bignum', 'arith', 'bitops', 'strings'];
const workloads: Workload[] = [
  ...PROGRAMS.map((p) => ({ name: `${p} (clang -O2)`, image: `test/guests/bin/${p}-clang-O2.elf`, smp: 1 })),
  ...PROGRAMS.slice(0, 3).map((p) => ({ name: `${p} (gcc -O0)`, image: `test/guests/bin/${p}-gcc-O0.elf`, smp: 1 })),
  { name: 'SMP self-test, 4 cores', image: 'firmware/images/smp-selftest.elf', smp: 4 },
];

function runOnce(w: Workload, bytes: Uint8Array): { insns: number; seconds: number; status: number } {
  const m = new Machine({ smp: w.smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 2e9, ...w.opts });
  const img = loadImage(m, bytes, { path: w.image });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const t0 = process.hrtime.bigint();
  const r = m.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { insns: r.instructions, seconds, status: r.status };
}

function qemuSeconds(w: Workload): number | undefined {
  const q = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', String(w.smp), '-m', '256',
    '-nographic', '-semihosting', '-kernel', join(root, w.image)], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 120_000 });
  if (q.error !== undefined) return undefined;
  const t0 = process.hrtime.bigint();
  spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', String(w.smp), '-m', '256',
    '-nographic', '-semihosting', '-kernel', join(root, w.image)], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 120_000 });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const haveQemu = spawnSync('qemu-system-aarch64', ['--version'], { stdio: 'ignore' }).status === 0;
const rows: string[][] = [['workload', 'instructions', 'seconds', 'MIPS', 'QEMU s', 'a64emu/QEMU']];
let totalInsns = 0, totalSeconds = 0;
for (const w of workloads) {
  const path = join(root, w.image);
  if (!existsSync(path)) { rows.push([w.name, '(image not built)', '', '', '', '']); continue; }
  const bytes = readFileSync(path);
  runOnce(w, bytes); // warm-up
  let insns = 0, seconds = 0, status = 0;
  for (let k = 0; k < REPEAT; k++) { const r = runOnce(w, bytes); insns += r.insns; seconds += r.seconds; status |= r.status; }
  insns /= REPEAT; seconds /= REPEAT;
  totalInsns += insns; totalSeconds += seconds;
  const q = haveQemu ? qemuSeconds(w) : undefined;
  rows.push([
    w.name + (status !== 0 ? ` (exit ${status})` : ''),
    insns.toLocaleString('en-US'),
    seconds.toFixed(3),
    (insns / seconds / 1e6).toFixed(1),
    q === undefined ? '-' : q.toFixed(3),
    q === undefined ? '-' : `${(seconds / q).toFixed(2)}x`,
  ]);
}
rows.push(['total', Math.round(totalInsns).toLocaleString('en-US'), totalSeconds.toFixed(3), (totalInsns / totalSeconds / 1e6).toFixed(1), '', '']);
const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
for (const r of rows) console.log(r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  '));
console.log(`\nNode ${process.version}; ${REPEAT} timed runs per workload after one warm-up; QEMU ${haveQemu ? 'timed once after one warm-up run' : 'not installed'}.`);
