// `npm run bench`: guest instructions, seconds and MIPS for a set of guest workloads, and where
// qemu-system-aarch64 is installed, QEMU's wall time on the same image in the same run and the ratio.
//
// Each workload runs REPEAT times in one process (fresh machine each time, as the CLI would run it
// again) after one warm-up run, so the figure is the interpreter's steady state, not JIT warm-up.
// QEMU's time includes its start-up (about 0.15 s here), which is part of what a user waits for.
//
// Then the cost of tracing: every workload with a full trace (every event, no filter) written to a
// file in a temporary directory in the binary format, against the same workload untraced; the ratio
// is what issue 5 bounds (at most 5x). Then, for two workloads, the text formats written during the
// run, converting the binary trace to Tarmac afterwards, and a trace of the SMP events only. These
// run last, and the untraced time is the first table's (measured before any traced run, so that the
// JIT's view of the memory access path is that of an untraced process).

import { readFileSync, existsSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine, MachineOptions } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';
import { openTrace } from '../emu/trace/tracer.js';
import { TarmacWriter } from '../emu/trace/tarmac.js';
import { replayBinary } from '../emu/trace/binary.js';
import { loadDisassembler } from '../emu/asm/disassembler.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

interface Workload { name: string; image: string; smp: number; opts?: MachineOptions }

const PROGRAMS = ['vm', 'hash', 'sort', 'recursion', 'bignum', 'arith', 'bitops', 'strings'];
const workloads: Workload[] = [
  ...PROGRAMS.map((p) => ({ name: `${p} (clang -O2)`, image: `test/guests/bin/${p}-clang-O2.elf`, smp: 1 })),
  ...PROGRAMS.slice(0, 3).map((p) => ({ name: `${p} (gcc -O0)`, image: `test/guests/bin/${p}-gcc-O0.elf`, smp: 1 })),
  // FP/SIMD: ordinary compiler output (issue 9 asks their MIPS be within 2x of the integer workloads').
  { name: 'floating point (clang -O2)', image: 'test/fp-guests/bin/fpbench-clang-O2.elf', smp: 1 },
  { name: 'auto-vectorised (clang -O3)', image: 'test/fp-guests/bin/vecbench-clang-O3.elf', smp: 1 },
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
async function runTraced(w: Workload, bytes: Uint8Array, format: 'tarmac' | 'jsonl' | 'binary', dir: string, filters: string[] = []): Promise<{ seconds: number; bytes: number; path: string }> {
  for (const f of readdirSync(dir)) rmSync(join(dir, f));
  const m = new Machine({ smp: w.smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 2e9, ...w.opts });
  const img = loadImage(m, bytes, { path: w.image });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const syms = img.symbols;
  if (syms !== undefined && syms.size > 0) m.symbolize = (pc) => syms.symbolize(BigInt(pc));
  const path = join(dir, `trace.${format}`);
  const t = await openTrace(m, { path, format, filters });
  const t0 = process.hrtime.bigint();
  m.run();
  t.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const size = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  return { seconds, bytes: size, path };
}

/** Mean of REPEAT timed calls after one warm-up call. */
async function timed<T extends { seconds: number }>(f: () => Promise<T>): Promise<T> {
  await f();
  let r = await f(), s = r.seconds;
  for (let k = 1; k < REPEAT; k++) { r = await f(); s += r.seconds; }
  return { ...r, seconds: s / REPEAT };
}

function printTable(t: string[][]): void {
  const widths = t[0].map((_, k) => Math.max(...t.map((r) => r[k].length)));
  for (const r of t) console.log(r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  '));
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
const insnsOf = new Map<string, number>();
for (const w of workloads) {
  const path = join(root, w.image);
  if (!existsSync(path)) { rows.push([w.name, '(image not built)', '', '', '', '']); continue; }
  const bytes = readFileSync(path);
  runOnce(w, bytes); // warm-up
  let insns = 0, seconds = 0, status = 0;
  for (let k = 0; k < REPEAT; k++) { const r = runOnce(w, bytes); insns += r.insns; seconds += r.seconds; status |= r.status; }
  insns /= REPEAT; seconds /= REPEAT;
  untracedSeconds.set(w.name, seconds);
  insnsOf.set(w.name, insns);
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
printTable(rows);
console.log(`\nNode ${process.version}; ${REPEAT} timed runs per workload after one warm-up; QEMU ${haveQemu ? 'timed once after one warm-up run' : 'not installed'}.`);

// ---------------------------------------------------------------- tracing cost
const dir = mkdtempSync(join(tmpdir(), 'a64emu-bench-trace-'));
const dis = await loadDisassembler();
const SMP_EVENTS = ['kind=exc,eret,ack,sgi,sleep,wake,excl,psci,uart'];
const full: string[][] = [['full trace, binary', 'untraced s', 'traced s', 'ratio', 'MB', 'bytes/insn']];
const text: string[][] = [['text formats', 'tarmac s', 'ratio', 'MB', 'jsonl s', 'ratio', 'MB', 'convert to tarmac s', 'SMP events s', 'ratio']];
let sumBase = 0, sumTraced = 0;
try {
  for (const w of workloads) {
    const path = join(root, w.image);
    const base = untracedSeconds.get(w.name);
    if (!existsSync(path) || base === undefined) continue;
    const bytes = readFileSync(path);
    const r = await timed(() => runTraced(w, bytes, 'binary', dir));
    const insns = insnsOf.get(w.name) ?? 1;
    sumBase += base; sumTraced += r.seconds;
    full.push([w.name, base.toFixed(3), r.seconds.toFixed(3), `${(r.seconds / base).toFixed(2)}x`, (r.bytes / 1e6).toFixed(1), (r.bytes / insns).toFixed(1)]);
  }
  full.push(['total', sumBase.toFixed(3), sumTraced.toFixed(3), `${(sumTraced / sumBase).toFixed(2)}x`, '', '']);
  for (const w of [workloads[workloads.length - 1], workloads[1]]) { // SMP self-test; hash (clang -O2)
    const path = join(root, w.image);
    const base = untracedSeconds.get(w.name);
    if (!existsSync(path) || base === undefined) continue;
    const bytes = readFileSync(path);
    const row = [w.name];
    for (const format of ['tarmac', 'jsonl'] as const) {
      const r = await timed(() => runTraced(w, bytes, format, dir));
      row.push(r.seconds.toFixed(3), `${(r.seconds / base).toFixed(2)}x`, (r.bytes / 1e6).toFixed(0));
    }
    const bin = await runTraced(w, bytes, 'binary', dir);
    const conv = await timed(async () => {
      const t0 = process.hrtime.bigint();
      const out = new TarmacWriter(join(dir, 'converted.tarmac'), w.smp, false);
      replayBinary(bin.path, out, dis);
      out.close();
      return { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
    });
    row.push(conv.seconds.toFixed(3));
    const smp = await timed(() => runTraced(w, bytes, 'binary', dir, SMP_EVENTS));
    row.push(smp.seconds.toFixed(3), `${(smp.seconds / base).toFixed(2)}x`);
    text.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
printTable(full);
console.log('');
printTable(text);
console.log('Traces are written to a file in a temporary directory; ratio = traced / untraced time (issue 5 asks at most 5x');
console.log('for a full trace). Full trace = every event, no filter. Text formats: the same, written as Tarmac or JSON Lines');
console.log('during the run; convert = `trace convert --to tarmac` of the binary trace afterwards; SMP events = binary with');
console.log(`--trace-filter ${SMP_EVENTS[0]} (no insn/reg/mem).`);
