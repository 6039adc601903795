// `npm run bench`: a64emu against QEMU 7.2 (qemu-system-aarch64, TCG) on the same images, in the same
// run, like for like. Sections (all by default; `npm run bench -- speed scaling smp linux trace`
// picks some):
//
// speed    Steady-state workloads (tools/bench/bin, built by tools/build-bench-guests.sh): intmark, a
//          CoreMark-class integer workload of our own, the test programs and the FP workloads
//          lengthened, on one core; intmark on 4 cores. Each is sized (its iteration count, a word
//          the bench loads at 0x4ff00000) so that a64emu runs for BENCH_SECONDS (default 3) and is
//          timed as a whole process (`a64emu run`), as QEMU is, on the same image and count:
//          "vs QEMU" = QEMU's time / a64emu's, start-up included on both sides. MIPS are with each
//          side's start-up subtracted (measured with exit0.elf, an image that exits at once); QEMU's
//          MIPS come from a run lengthened until it too lasts seconds (its instruction count from
//          a64emu's, which for a single-core program is the same: the same image executes the same
//          instructions). The interpreter alone (--no-jit) and the JavaScript back end
//          (--jit-backend js) are measured the same way.
// scaling  The same total intmark work on 1, 2, 4 and 8 cores (issue 12: 8 at most 1.3x one), the
//          core counts taking turns.
// smp      The SMP self-test (the default image, 4 cores), and under --memory-model arm when a64emu
//          has it.
// linux    Debian's kernel (tools/fetch-linux.sh) on 4 cores to the first line its /init prints, on
//          a64emu and on QEMU (the time until that line appears on the console).
// trace    The cost of tracing (in-process, on the short test programs).
//
// Peak memory is each a64emu process's maximum resident set (--stats); the translation cache's size
// is what the translator reports at exit.

import { readFileSync, existsSync, mkdtempSync, rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Machine, MachineOptions } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';
import { openTrace } from '../emu/trace/tracer.js';
import { TarmacWriter } from '../emu/trace/tarmac.js';
import { replayBinary } from '../emu/trace/binary.js';
import { loadDisassembler } from '../emu/asm/disassembler.js';
import { cpioNewc } from './initramfs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'dist/emu/cli/main.js');
const BENCH_BIN = join(root, 'tools/bench/bin');
const PARAM_ADDR = '0x4ff00000';
/** A setting from the environment: a number of at least `min` (an integer when `integer`), else the
 * bench says which and exits with status 2. */
function setting(name: string, dflt: number, min: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    console.error(`bench: ${name}=${raw} is not ${integer ? 'an integer' : 'a number'} of at least ${min}`);
    process.exit(2);
  }
  return v;
}
const TARGET = setting('BENCH_SECONDS', 3, 0.1, false);
const REPEAT = setting('BENCH_REPEAT', 3, 1, true);
const SCALING_REPEAT = setting('BENCH_SCALING_REPEAT', 5, 1, true);
const sections = new Set(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['speed', 'scaling', 'smp', 'linux', 'trace']);
const tmp = mkdtempSync(join(tmpdir(), 'a64emu-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const help = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' }).stdout ?? '';
const haveJitOption = help.includes('--no-jit');
/** The translator's second back end (JavaScript functions), measured beside the default. */
const haveJsBackend = help.includes('--jit-backend');
const haveMemoryModel = help.includes('--memory-model');
const qemuVersion = spawnSync('qemu-system-aarch64', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0];
const haveQemu = qemuVersion !== undefined && qemuVersion !== '';

// ---------------------------------------------------------------- running things

interface Ours { seconds: number; runSeconds: number; insns: number; status: number; peakMiB: number; cacheKiB?: number; stdout: string }

function paramFile(scale: number): string {
  const p = join(tmp, `param-${scale}`);
  const b = Buffer.alloc(4); b.writeUInt32LE(scale);
  writeFileSync(p, b);
  return p;
}

/** One whole `a64emu run` process. */
function ours(image: string, smp: number, scale: number | undefined, extra: string[] = []): Ours {
  const args = [CLI, 'run', '--smp', String(smp), '-m', '256', '--stats', ...extra];
  if (scale !== undefined) args.push('--load', `${paramFile(scale)}@${PARAM_ADDR}`);
  args.push(image);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const err = r.stderr ?? '';
  const insns = Number(/stats: (\d+) instructions/.exec(err)?.[1] ?? NaN);
  const runSeconds = Number(/stats: \d+ instructions in ([0-9.]+) s/.exec(err)?.[1] ?? NaN);
  const peak = Number(/peak memory ([0-9.]+) MiB/.exec(err)?.[1] ?? NaN);
  const cache = /translation cache \d+ blocks, (\d+) KiB/.exec(err)?.[1];
  return { seconds, runSeconds, insns, status: r.status ?? -1, peakMiB: peak, cacheKiB: cache === undefined ? undefined : Number(cache), stdout: r.stdout ?? '' };
}

const QEMU_BOARD = ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-m', '256', '-nographic', '-semihosting'];

/** One whole qemu-system-aarch64 process. */
function qemu(image: string, smp: number, scale: number | undefined): { seconds: number; status: number; stdout: string } {
  const args = [...QEMU_BOARD, '-smp', String(smp), '-kernel', image];
  if (scale !== undefined) args.push('-device', `loader,data=${scale},data-len=4,addr=${PARAM_ADDR}`);
  const t0 = process.hrtime.bigint();
  // The same output limit as a64emu's runs (the default 1 MiB would cut a long run's output short, and
  // it would then not compare).
  const r = spawnSync('qemu-system-aarch64', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, maxBuffer: 1 << 28 });
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, status: r.status ?? -1, stdout: r.stdout ?? '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The run of median wall time. */
function medianRun(runs: Ours[]): Ours {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

function printTable(t: string[][]): void {
  const widths = t[0].map((_, k) => Math.max(...t.map((r) => (r[k] ?? '').length)));
  for (const r of t) console.log(r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : (c ?? '').padStart(widths[k]))).join('  '));
}

const fmt = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

console.log(`a64emu bench: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${haveQemu ? qemuVersion : 'QEMU not installed'}`);
console.log(`translator: ${haveJitOption ? 'yes, the default (--no-jit, the interpreter alone, measured too)' : 'none (interpreter only)'}; runs last about ${TARGET} s each\n`);

// Start-up: the whole process for an image that exits at once (median of 5).
const EXIT0 = join(BENCH_BIN, 'exit0.elf');
const exit0 = Array.from({ length: 5 }, () => ours(EXIT0, 1, undefined));
const oursStart = median(exit0.map((r) => r.seconds));
/** Instructions every run of a bench guest executes besides its iterations (start-up, BSS clearing). */
const baseInsns = exit0[0].insns;
const qemuStart = haveQemu ? median(Array.from({ length: 5 }, () => qemu(EXIT0, 1, undefined).seconds)) : NaN;
console.log(`start-up (exit0.elf, whole process, median of 5): a64emu ${oursStart.toFixed(3)} s, QEMU ${fmt(qemuStart, 3)} s\n`);

// ---------------------------------------------------------------- speed

interface Workload { name: string; image: string; smp: number; calib: number }
const SPEED: Workload[] = [
  { name: 'intmark (CoreMark-class)', image: 'intmark.elf', smp: 1, calib: 10 },
  ...['vm', 'hash', 'sort', 'recursion'].map((p) => ({ name: `${p} (clang -O2), repeated`, image: `${p}-long.elf`, smp: 1, calib: 2 })),
  { name: 'floating point (clang -O3), repeated', image: 'fpbench-long.elf', smp: 1, calib: 1 },
  { name: 'auto-vectorised (clang -O3), repeated', image: 'vecbench-long.elf', smp: 1, calib: 1 },
  { name: 'intmark on 4 cores', image: 'intmark.elf', smp: 4, calib: 10 },
];

/** Scale a workload so that this configuration of a64emu runs about TARGET seconds; returns the run. */
function sized(w: Workload, extra: string[]): { scale: number; run: Ours } {
  const image = join(BENCH_BIN, w.image);
  // Calibration from the marginal cost of a unit of work (run time from --stats, without the
  // process's start-up): a run of at least about a second, then one twice as long. Their difference
  // leaves out the warm-up (interpreting until code is hot, translating it), which would otherwise
  // make a unit look dearer than it is once warm and the real runs far shorter than TARGET.
  let units = w.calib;
  let t1 = ours(image, w.smp, units, extra).runSeconds;
  for (let k = 0; k < 6 && t1 < 0.8; k++) {
    units = Math.max(units * 2, Math.round(units * 1.2 / Math.max(0.01, t1)));
    t1 = ours(image, w.smp, units, extra).runSeconds;
  }
  const t2 = ours(image, w.smp, 2 * units, extra).runSeconds;
  const perUnit = Math.max(1e-6, (t2 - t1) / units, t2 / (2 * units) / 4);
  const warm = Math.max(0, t1 - units * perUnit);
  const scale = Math.max(w.calib, Math.round(Math.max(0, TARGET - oursStart - warm) / perUnit));
  const run = medianRun(Array.from({ length: REPEAT }, () => ours(image, w.smp, scale, extra)));
  return { scale, run };
}

let intmarkScale = 0;
if (sections.has('speed') || sections.has('scaling')) {
  const rows: string[][] = [['workload', 'instructions', 'a64emu s', 'MIPS', ...(haveJsBackend ? ['js MIPS'] : []), ...(haveJitOption ? ['--no-jit MIPS'] : []), 'QEMU s', 'QEMU MIPS', 'vs QEMU', 'MIPS/QEMU', 'peak MiB', 'cache KiB']];
  const list = sections.has('speed') ? SPEED : SPEED.slice(0, 1);
  for (const w of list) {
    const image = join(BENCH_BIN, w.image);
    if (!existsSync(image)) { rows.push([w.name, '(not built: tools/build-bench-guests.sh)']); continue; }
    const { scale, run } = sized(w, []);
    if (w.image === 'intmark.elf' && w.smp === 1) intmarkScale = scale;
    const mips = run.insns / run.runSeconds / 1e6;
    let js: number | undefined, interp: number | undefined;
    if (haveJsBackend) {
      const r = sized(w, ['--jit-backend', 'js']).run;
      js = r.insns / r.runSeconds / 1e6;
    }
    if (haveJitOption) {
      const r = sized(w, ['--no-jit']).run;
      interp = r.insns / r.runSeconds / 1e6;
    }
    let q: number | undefined, qMips: number | undefined;
    if (haveQemu) {
      const same = qemu(image, w.smp, scale);
      if (same.status === 0 && same.stdout === run.stdout) q = same.seconds;
      else console.log(`  ${w.name}: QEMU ${same.status !== 0 ? `exited ${same.status}` : 'printed something else'}; not compared`);
      if (q !== undefined && w.smp === 1) {
        // Lengthen QEMU's run until it lasts about TARGET seconds; its instructions from a64emu's two
        // runs (linear in the scale).
        const k = Math.max(1, Math.round(TARGET / Math.max(0.01, q - qemuStart)));
        const long = qemu(image, 1, scale * k);
        const insnsLong = baseInsns + (run.insns - baseInsns) * k;
        qMips = insnsLong / Math.max(1e-6, long.seconds - qemuStart) / 1e6;
      }
    }
    rows.push([
      w.name + (run.status !== 0 ? ` (exit ${run.status})` : ''), int(run.insns), fmt(run.seconds, 3), fmt(mips, 1),
      ...(haveJsBackend ? [fmt(js, 1)] : []), ...(haveJitOption ? [fmt(interp, 1)] : []),
      fmt(q, 3), fmt(qMips, 0), q === undefined ? '-' : `${fmt(q / run.seconds)}`, qMips === undefined ? '-' : fmt(mips / qMips, 3),
      fmt(run.peakMiB, 0), run.cacheKiB === undefined ? '-' : String(run.cacheKiB),
    ]);
  }
  printTable(rows);
  console.log("vs QEMU = QEMU's time / a64emu's for the same image and work, whole processes (start-up included on both");
  console.log("sides). MIPS: a64emu's from its run time without start-up (--stats); QEMU's with its start-up (exit0.elf)");
  console.log(`subtracted, from a run lengthened to seconds. Each a64emu figure is the median of ${REPEAT} runs; QEMU runs once.\n`);
}

// ---------------------------------------------------------------- scaling
if (sections.has('scaling')) {
  const image = join(BENCH_BIN, 'intmark.elf');
  if (intmarkScale === 0) intmarkScale = sized(SPEED[0], []).scale;
  const rows: string[][] = [['intmark, the same total work', 'a64emu s', 'ratio to 1 core', 'QEMU s']];
  // The core counts take turns (1, 2, 4, 8, 1, 2, ...) so that the machine drifting in speed during
  // the section weighs on each alike; each figure is the median of its runs.
  const counts = [1, 2, 4, 8], times: number[][] = counts.map(() => []);
  for (let k = 0; k < SCALING_REPEAT; k++) counts.forEach((n, j) => times[j].push(ours(image, n, intmarkScale).seconds));
  const one = median(times[0]);
  counts.forEach((n, j) => {
    const r = median(times[j]);
    rows.push([`${n} core${n > 1 ? 's' : ''}`, fmt(r, 3), fmt(r / one), haveQemu ? fmt(qemu(image, n, intmarkScale).seconds, 3) : '-']);
  });
  printTable(rows);
  console.log(`Each a64emu figure is the median of ${SCALING_REPEAT} runs, the core counts taking turns (BENCH_SCALING_REPEAT).`);
  console.log('a64emu runs every core in one host thread, so the same work should cost the same on 8 cores as on one;');
  console.log('QEMU (MTTCG) runs a thread per core on this host\'s cores.\n');
}

// ---------------------------------------------------------------- SMP self-test
if (sections.has('smp')) {
  const image = join(root, 'firmware/images/smp-selftest.elf');
  const rows: string[][] = [['SMP self-test, 4 cores', 'instructions', 'a64emu s', 'MIPS', 'QEMU s', 'vs QEMU']];
  const configs: [string, string[]][] = [['default', []]];
  if (haveJitOption) configs.push(['--no-jit', ['--no-jit']]);
  if (haveMemoryModel) configs.push(['--memory-model arm', ['--memory-model', 'arm']]);
  const q = haveQemu ? median(Array.from({ length: REPEAT }, () => qemu(image, 4, undefined).seconds)) : undefined;
  let sc = 0;
  for (const [name, extra] of configs) {
    const r = medianRun(Array.from({ length: REPEAT }, () => ours(image, 4, undefined, extra)));
    if (name === 'default') sc = r.seconds;
    rows.push([name + (name.includes('memory-model') ? ` (${fmt(r.seconds / sc)}x sc)` : ''), int(r.insns), fmt(r.seconds, 3), fmt(r.insns / r.runSeconds / 1e6, 1), fmt(q, 3), q === undefined ? '-' : fmt(q / r.seconds)]);
  }
  printTable(rows);
  console.log('');
}

// ---------------------------------------------------------------- Linux
if (sections.has('linux')) await linuxBoot();

async function linuxBoot(): Promise<void> {
  const kernel = join(root, '.cache/linux/vmlinuz');
  const haveClang = spawnSync('clang', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!existsSync(kernel) || !haveClang) {
    console.log(`Linux boot: skipped (${!existsSync(kernel) ? 'no .cache/linux/vmlinuz: run tools/fetch-linux.sh' : 'clang not installed'})\n`);
    return;
  }
  const init = join(tmp, 'init');
  spawnSync('clang', ['--target=aarch64-linux-gnu', '-nostdlib', '-static', '-fuse-ld=lld', '-o', init, join(root, 'tools/bench/linux-init.S')], { stdio: 'inherit' });
  const initrd = join(tmp, 'initramfs.cpio.gz');
  writeFileSync(initrd, gzipSync(cpioNewc([
    { name: 'dev', mode: 0o040755 },
    { name: 'dev/console', mode: 0o020600, rdev: [5, 1] },
    { name: 'init', mode: 0o100755, data: new Uint8Array(readFileSync(init)) },
  ])));
  const APPEND = 'console=ttyAMA0 earlycon=pl011,0x9000000';
  const MARK = "a64emu-bench: init's first line";
  /** Seconds from the start of the process until MARK appears on its output (then it is left to finish). */
  const untilMark = (cmd: string, args: string[]) => new Promise<{ seconds: number; status: number | null; total: number }>((done) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
    let out = '', at = NaN;
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (Number.isNaN(at) && out.includes(MARK)) at = Number(process.hrtime.bigint() - t0) / 1e9;
    });
    p.stderr.resume();
    p.on('close', (status) => done({ seconds: at, status, total: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
  const rows: string[][] = [['Linux 6.1 (Debian) to /init, 4 cores', 'seconds to init\'s first line', 'whole run s', 'exit']];
  const configs: [string, string[]][] = [['a64emu', []]];
  if (haveJsBackend) configs.push(['a64emu --jit-backend js', ['--jit-backend', 'js']]);
  if (haveJitOption) configs.push(['a64emu --no-jit', ['--no-jit']]);
  for (const [name, extra] of configs) {
    const r = await untilMark(process.execPath, [CLI, 'run', '--smp', '4', '-m', '512', '--append', APPEND, '--initrd', initrd, '--max-insns', '1e10', ...extra, kernel]);
    rows.push([name, fmt(r.seconds, 1), fmt(r.total, 1), String(r.status)]);
  }
  if (haveQemu) {
    const r = await untilMark('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', '4', '-m', '512', '-nographic', '-no-reboot', '-kernel', kernel, '-initrd', initrd, '-append', APPEND]);
    rows.push(['QEMU', fmt(r.seconds, 1), fmt(r.total, 1), String(r.status)]);
  }
  printTable(rows);
  console.log('');
}

// ---------------------------------------------------------------- tracing cost
if (sections.has('trace')) await tracingCost();

async function tracingCost(): Promise<void> {
  // In-process, on the short test programs: untraced first (so that the JIT's view of the memory access
  // path is that of an untraced process), then with a full binary trace, then text formats for two.
  interface Short { name: string; image: string; smp: number; opts?: MachineOptions }
  const PROGRAMS = ['vm', 'hash', 'sort', 'recursion', 'bignum', 'arith', 'bitops', 'strings'];
  const shorts: Short[] = [
    ...PROGRAMS.map((p) => ({ name: `${p} (clang -O2)`, image: `test/guests/bin/${p}-clang-O2.elf`, smp: 1 })),
    { name: 'floating point (clang -O2)', image: 'test/fp-guests/bin/fpbench-clang-O2.elf', smp: 1 },
    { name: 'SMP self-test, 4 cores', image: 'firmware/images/smp-selftest.elf', smp: 4 },
  ];
  const boot = (w: Short, bytes: Uint8Array) => {
    // The interpreter on both sides (jit: false): traced runs use it, so the ratio is tracing's own cost.
    const m = new Machine({ smp: w.smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 2e9, jit: false, ...w.opts });
    const img = loadImage(m, bytes, { path: w.image });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    return { m, img };
  };
  const runOnce = (w: Short, bytes: Uint8Array) => {
    const { m } = boot(w, bytes);
    const t0 = process.hrtime.bigint();
    const r = m.run();
    return { insns: r.instructions, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  };
  const dir = join(tmp, 'trace');
  spawnSync('mkdir', ['-p', dir]);
  const runTraced = async (w: Short, bytes: Uint8Array, format: 'tarmac' | 'jsonl' | 'binary', filters: string[] = []) => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    const { m, img } = boot(w, bytes);
    const syms = img.symbols;
    if (syms !== undefined && syms.size > 0) m.symbolize = (pc) => syms.symbolize(BigInt(pc));
    const path = join(dir, `trace.${format}`);
    const t = await openTrace(m, { path, format, filters });
    const t0 = process.hrtime.bigint();
    m.run();
    t.close();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { seconds, bytes: readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0), path };
  };
  const timed = async <T extends { seconds: number }>(f: () => Promise<T> | T): Promise<T> => {
    await f();
    let r = await f(), s = r.seconds;
    for (let k = 1; k < REPEAT; k++) { r = await f(); s += r.seconds; }
    return { ...r, seconds: s / REPEAT };
  };
  const base = new Map<string, { seconds: number; insns: number }>();
  for (const w of shorts) {
    const path = join(root, w.image);
    if (existsSync(path)) base.set(w.name, await timed(() => runOnce(w, readFileSync(path))));
  }
  const dis = await loadDisassembler();
  const SMP_EVENTS = ['kind=exc,eret,ack,sgi,sleep,wake,excl,psci,uart'];
  const full: string[][] = [['full trace, binary', 'untraced s', 'traced s', 'ratio', 'MB', 'bytes/insn']];
  const text: string[][] = [['text formats', 'tarmac s', 'ratio', 'MB', 'jsonl s', 'ratio', 'MB', 'convert to tarmac s', 'SMP events s', 'ratio']];
  let sumBase = 0, sumTraced = 0;
  for (const w of shorts) {
    const b = base.get(w.name);
    if (b === undefined) continue;
    const bytes = readFileSync(join(root, w.image));
    const r = await timed(() => runTraced(w, bytes, 'binary'));
    sumBase += b.seconds; sumTraced += r.seconds;
    full.push([w.name, b.seconds.toFixed(3), r.seconds.toFixed(3), `${(r.seconds / b.seconds).toFixed(2)}x`, (r.bytes / 1e6).toFixed(1), (r.bytes / b.insns).toFixed(1)]);
  }
  full.push(['total', sumBase.toFixed(3), sumTraced.toFixed(3), `${(sumTraced / sumBase).toFixed(2)}x`, '', '']);
  for (const w of [shorts[shorts.length - 1], shorts[1]]) { // SMP self-test; hash (clang -O2)
    const b = base.get(w.name);
    if (b === undefined) continue;
    const bytes = readFileSync(join(root, w.image));
    const row = [w.name];
    for (const format of ['tarmac', 'jsonl'] as const) {
      const r = await timed(() => runTraced(w, bytes, format));
      row.push(r.seconds.toFixed(3), `${(r.seconds / b.seconds).toFixed(2)}x`, (r.bytes / 1e6).toFixed(0));
    }
    const bin = await runTraced(w, bytes, 'binary');
    const conv = await timed(() => {
      const t0 = process.hrtime.bigint();
      const out = new TarmacWriter(join(dir, 'converted.tarmac'), w.smp, false);
      replayBinary(bin.path, out, dis);
      out.close();
      return { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
    });
    row.push(conv.seconds.toFixed(3));
    const smp = await timed(() => runTraced(w, bytes, 'binary', SMP_EVENTS));
    row.push(smp.seconds.toFixed(3), `${(smp.seconds / b.seconds).toFixed(2)}x`);
    text.push(row);
  }
  printTable(full);
  console.log('');
  printTable(text);
  console.log('Tracing, in-process on the short test programs: a trace written to a file in a temporary directory; ratio =');
  console.log('traced / untraced time. Full trace = every event, no filter. Text formats: the same, written as Tarmac or JSON');
  console.log('Lines during the run; convert = `trace convert --to tarmac` of the binary trace afterwards; SMP events = binary');
  console.log(`with --trace-filter ${SMP_EVENTS[0]} (no insn/reg/mem). Traced runs use the interpreter, and so do the untraced\nruns here (jit: false), so that the ratio is the cost of tracing itself.`);
}
