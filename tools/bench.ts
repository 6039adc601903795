// `npm run bench`: guest instructions, seconds and MIPS for a set of guest workloads, and where
// qemu-system-aarch64 is installed, QEMU's wall time on the same image in the same run and the ratio.
//
// Each workload runs REPEAT times in one process (fresh machine each time, as the CLI would run it
// again) after one warm-up run, so the figure is the interpreter's steady state, not JIT warm-up.
// QEMU's time includes its start-up (about 0.15 s here), which is part of what a user waits for.
//
// Then the cost of tracing: the same images with a full trace (every event, no filter) written to a
// file in a temporary directory, in both formats, against the same images untraced; the ratio is what
// issue 5 bounds (at most 5x). These run last, and the untraced time is the table's (measured before
// any traced run): a traced run changes the shape of the Cpu objects it traces, which makes later
// untraced runs in the same process slower than a real untraced run is.

import { readFileSync, existsSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine, MachineOptions } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';
import { openTrace } from '../emu/trace/tracer.js';

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

/** As runOnce, with a full trace to dir/trace.<format> (time includes flushing and closing the files). */
async function runTraced(w: Workload, bytes: Uint8Array, format: 'tarmac' | 'jsonl', dir: string, filters: string[] = []): Promise<{ seconds: number; bytes: number }> {
  const m = new Machine({ smp: w.smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 2e9, ...w.opts });
  const img = loadImage(m, bytes, { path: w.image });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const syms = img.symbols;
  if (syms !== undefined && syms.size > 0) m.symbolize = (pc) => syms.symbolize(BigInt(pc));
  const t = await openTrace(m, { path: join(dir, `trace.${format}`), format, filters });
  const t0 = process.hrtime.bigint();
  m.run();
  t.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const size = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  for (const f of readdirSync(dir)) rmSync(join(dir, f));
  return { seconds, bytes: size };
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
/** Untraced time per workload (from the table, measured before any traced run), for the tracing ratios. */
const untracedSeconds = new Map<string, number>();
for (const w of workloads) {
  const path = join(root, w.image);
  if (!existsSync(path)) { rows.push([w.name, '(image not built)', '', '', '', '']); continue; }
  const bytes = readFileSync(path);
  runOnce(w, bytes); // warm-up
  let insns = 0, seconds = 0, status = 0;
  for (let k = 0; k < REPEAT; k++) { const r = runOnce(w, bytes); insns += r.insns; seconds += r.seconds; status |= r.status; }
  insns /= REPEAT; seconds /= REPEAT;
  untracedSeconds.set(w.name, seconds);
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

// ---------------------------------------------------------------- tracing cost
const TRACED: Workload[] = [workloads[workloads.length - 1], workloads[1]]; // SMP self-test; hash (clang -O2)
const dir = mkdtempSync(join(tmpdir(), 'a64emu-bench-trace-'));
const SMP_EVENTS = ['kind=exc,eret,ack,sgi,sleep,wake,excl,psci,uart'];
const trows: string[][] = [['workload', 'untraced s', 'tarmac s', 'ratio', 'MB', 'jsonl s', 'ratio', 'MB', 'SMP-events s', 'ratio']];
try {
  for (const w of TRACED) {
    const path = join(root, w.image);
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    const base = untracedSeconds.get(w.name);
    if (base === undefined) continue;
    const row = [w.name, base.toFixed(3)];
    for (const format of ['tarmac', 'jsonl'] as const) {
      await runTraced(w, bytes, format, dir); // warm-up
      let s = 0, b = 0;
      for (let k = 0; k < REPEAT; k++) { const r = await runTraced(w, bytes, format, dir); s += r.seconds; b = r.bytes; }
      s /= REPEAT;
      row.push(s.toFixed(3), `${(s / base).toFixed(2)}x`, (b / 1e6).toFixed(0));
    }
    await runTraced(w, bytes, 'jsonl', dir, SMP_EVENTS);
    let s = 0;
    for (let k = 0; k < REPEAT; k++) s += (await runTraced(w, bytes, 'jsonl', dir, SMP_EVENTS)).seconds;
    s /= REPEAT;
    row.push(s.toFixed(3), `${(s / base).toFixed(2)}x`);
    trows.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
const twidths = trows[0].map((_, k) => Math.max(...trows.map((r) => r[k].length)));
for (const r of trows) console.log(r.map((c, k) => (k === 0 ? c.padEnd(twidths[k]) : c.padStart(twidths[k]))).join('  '));
console.log('Tracing to a file in a temporary directory: tarmac and jsonl = every event, no filter; SMP-events = jsonl with');
console.log(`--trace-filter ${SMP_EVENTS[0]} (no insn/reg/mem). Ratio = traced / untraced time (issue 5 asks at most 5x for a full trace).`);
