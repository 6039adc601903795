// `a64emu trace show|stats|timeline|convert FILE`: read a trace written by `run --trace` (binary, JSON
// Lines, or Tarmac for instruction-level use) without holding it in memory.
//
//   show      human-readable events: filters (--core, --kind, --from-seq, --start), paging (--count,
//             --page/--page-size), cores interleaved by time or --side-by-side in columns
//   stats     per-core instruction counts, flat profile by function, exclusive failures, SGI matrix,
//             time asleep, lock contention (--elf names lock addresses); text or --json
//   timeline  a self-contained HTML page with one lane per core and SGI arrows (-o FILE)
//   convert   a binary trace into Tarmac or JSON Lines (--to, -o)

import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { EXIT_USAGE } from '../board/exit.js';
import { ImageError, isElf, parseElf } from '../loader/elf.js';
import type { SymbolTable } from '../loader/symbols.js';
import { CoreMerger, KNOWN_KINDS, TraceEvent, TraceFormat, TraceFormatError, detectFormat, readTrace } from '../trace/reader.js';
import { StatsCollector, formatStats } from '../trace/stats.js';
import { BinaryTraceError, NULL_WRITER, binaryTraceCores, replayBinary } from '../trace/binary.js';
import { TraceWriteError } from '../trace/output.js';
import { MAX_TRACE_CORES } from '../trace/events.js';
import { JsonlWriter } from '../trace/jsonl.js';
import { TarmacWriter } from '../trace/tarmac.js';
import type { TraceWriter } from '../trace/events.js';
import { loadDisassembler } from '../asm/disassembler.js';
import { TimelineBuilder, timelineHtml } from '../trace/timeline.js';
import { CliError, CliIo, fsErrorMessage, intOption, readInput, refuseOverwrite } from './common.js';

// ------------------------------------------------------------------ option parsers

function coreList(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) throw new InvalidArgumentError('not a list of core numbers (e.g. 0,2 or 1-3).');
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 4096) throw new InvalidArgumentError(`bad core range "${part}".`);
    for (let c = a; c <= b; c++) out.push(c);
  }
  if (out.length === 0) throw new InvalidArgumentError('no cores given.');
  return out;
}

function kindList(value: string): string[] {
  const out = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = out.find((k) => !(KNOWN_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw new InvalidArgumentError(`unknown event kind "${bad}" (kinds: ${KNOWN_KINDS.join(', ')}).`);
  if (out.length === 0) throw new InvalidArgumentError('no kinds given.');
  return out;
}

// ------------------------------------------------------------------ reading with CLI errors

function tracePath(io: CliIo, file: string): { path: string; format: TraceFormat } {
  const path = resolve(io.cwd, file);
  try {
    return { path, format: detectFormat(path) };
  } catch (e) {
    throw new CliError(EXIT_USAGE, `cannot read ${file}: ${fsErrorMessage(e)}`);
  }
}

async function forEachEvent(io: CliIo, file: string, sink: (ev: TraceEvent) => boolean | void): Promise<void> {
  const { path, format } = tracePath(io, file);
  try {
    await readTrace(path, sink, format);
  } catch (e) {
    if (e instanceof TraceFormatError) {
      // Per-core Tarmac files: name the one at fault (FILE.coreN).
      throw new CliError(EXIT_USAGE, `${e.file === path ? file : e.file}:${e.line}: malformed trace line: ${e.reason}`);
    }
    if (e instanceof BinaryTraceError) throw new CliError(EXIT_USAGE, `${file}: byte ${e.offset}: malformed binary trace: ${e.reason}`);
    if (e instanceof CliError) throw e;
    if (typeof (e as { code?: unknown }).code === 'string') throw new CliError(EXIT_USAGE, `cannot read ${file}: ${fsErrorMessage(e)}`);
    throw e;
  }
}

/** Buffered output: one host write per 64 KiB. */
class Out {
  private buf = '';
  constructor(private readonly io: CliIo) {}
  line(s: string): void { this.buf += s + '\n'; if (this.buf.length > 65536) this.flush(); }
  flush(): void { if (this.buf !== '') { this.io.stdout(this.buf); this.buf = ''; } }
}

// ------------------------------------------------------------------ formatting of events

const str = (v: unknown): string => (v === undefined || v === null ? '?' : String(v));
const elName = (ev: TraceEvent): string => (ev.el === undefined ? '' : `EL${str(ev.el)}${typeof ev.sp === 'string' ? ev.sp : ''}`);

/** The text of an instruction's register or memory effect. */
export function effectText(ev: TraceEvent): string {
  if (ev.t === 'reg') return `${str(ev.reg)} = ${str(ev.val)}`;
  // mem
  const dir = ev.dir === 'w' ? 'W' : 'R';
  const where = ev.pa !== undefined && ev.pa !== ev.va ? `${str(ev.va)}:${str(ev.pa)}` : str(ev.va ?? ev.pa);
  return `M${dir}${str(ev.size)} ${where} = ${str(ev.val)}`;
}

const coreList1 = (v: unknown): string => (Array.isArray(v) ? v.join(',') : str(v));

/** The text of an event that is not an instruction or its effect (without time and core). */
export function eventText(ev: TraceEvent): string {
  switch (ev.t) {
    case 'exc': {
      const esr = ev.esr !== undefined ? ` ESR ${str(ev.esr)}${ev.ec !== undefined ? ` (EC ${str(ev.ec)})` : ''}` : '';
      const elr = ev.elr !== undefined ? ` ELR ${str(ev.elr)}` : '';
      const vec = ev.vec !== undefined ? ` -> vector ${str(ev.vec)}` : '';
      return `exception ${str(ev.kind)} EL${str(ev.from)} -> EL${str(ev.to)}${esr}${elr}${vec}`;
    }
    case 'eret': return `eret EL${str(ev.from)} -> EL${str(ev.to)} at ${str(ev.pc)}`;
    case 'ack': return `ack INTID ${str(ev.intid)}`;
    case 'sgi': {
      const t = Array.isArray(ev.targets) ? ev.targets : [];
      return `SGI ${str(ev.intid)} -> core${t.length === 1 ? '' : 's'} ${coreList1(t)}${ev.val !== undefined ? ` (ICC_SGI1R_EL1 ${str(ev.val)})` : ''}`;
    }
    case 'sleep': return `sleep (${str(ev.why)})`;
    case 'wake': return `wake (${str(ev.cause)}${ev.by !== undefined ? ` by core ${str(ev.by)}` : ''})`;
    case 'excl':
      if (ev.op === 'set') return `exclusive monitor set ${str(ev.pa)}`;
      if (ev.op === 'clear') return `exclusive monitor cleared ${str(ev.pa)}${ev.by !== undefined ? ` by core ${str(ev.by)}` : ''}`;
      return `STXR failed ${str(ev.pa)}`;
    case 'psci': return `PSCI ${str(ev.fn)}${ev.ret !== undefined ? ` -> ${str(ev.ret)}` : ''}`;
    case 'uart': {
      const b = Number(ev.byte);
      const ch = b >= 0x20 && b < 0x7f ? ` '${String.fromCharCode(b)}'` : b === 10 ? ' \'\\n\'' : '';
      return `UART ${str(ev.byte)}${ch}`;
    }
    default: return `${ev.t} ${JSON.stringify(ev)}`;
  }
}

/** One instruction: PC, encoding, EL, symbol, disassembly. */
function insnText(ev: TraceEvent): string {
  const sym = typeof ev.sym === 'string' && ev.sym !== '' ? `<${ev.sym}> ` : '';
  const cf = ev.cf === true ? ' (condition failed)' : '';
  return `${str(ev.pc)} ${typeof ev.op === 'string' ? ev.op : '--------'} ${elName(ev).padEnd(4)} ${sym}${typeof ev.dis === 'string' ? ev.dis : ''}${cf}`;
}

// ------------------------------------------------------------------ show

interface ShowOptions {
  core?: number[];
  kind?: string[];
  fromSeq?: number;
  start?: number;
  count?: number;
  page?: number;
  pageSize?: number;
  sideBySide?: boolean;
  width?: number;
  window?: number;
}

/** Events buffered to interleave the cores by time (see CoreMerger). */
const DEFAULT_WINDOW = 20_000;

const EFFECTS = new Set(['reg', 'mem']);

export async function showTrace(file: string, opts: ShowOptions, io: CliIo): Promise<number> {
  const cores = opts.core === undefined ? undefined : new Set(opts.core);
  if (cores !== undefined) {
    // A core the trace cannot have (its header's count; otherwise the emulator's limit) selects nothing.
    const { path, format } = tracePath(io, file);
    let n = MAX_TRACE_CORES;
    if (format === 'binary') {
      try { n = binaryTraceCores(path); } catch (e) {
        if (e instanceof BinaryTraceError) throw new CliError(EXIT_USAGE, `${file}: byte ${e.offset}: malformed binary trace: ${e.reason}`);
        throw new CliError(EXIT_USAGE, `cannot read ${file}: ${fsErrorMessage(e)}`);
      }
    }
    if (![...cores].some((c) => c < n)) throw new CliError(EXIT_USAGE, `--core ${[...cores].join(',')}: the trace has cores 0-${n - 1} at most, so nothing would be shown`);
  }
  const kinds = opts.kind === undefined ? undefined : new Set(opts.kind);
  const effectsWithInsn = kinds === undefined || ![...kinds].some((k) => EFFECTS.has(k));
  const pageSize = opts.pageSize ?? 50;
  const skip = opts.page !== undefined ? (opts.page - 1) * pageSize : 0;
  let limit = opts.count ?? Infinity;
  if (opts.page !== undefined) limit = Math.min(limit, pageSize);
  const reached = new Set<number>(); // cores that have reached --from-seq

  // Columns for --side-by-side: the cores asked for, or those in the trace (a first pass).
  let columns: number[] = [];
  if (opts.sideBySide) {
    if (cores !== undefined) columns = [...cores].sort((a, b) => a - b);
    else {
      const seen = new Set<number>();
      await forEachEvent(io, file, (ev) => { seen.add(ev.core); });
      columns = [...seen].sort((a, b) => a - b);
    }
  }
  const width = opts.width ?? 44;
  const out = new Out(io);
  const timeW = 12;
  if (opts.sideBySide) {
    out.line(`${'time'.padStart(timeW)}  ${columns.map((c) => `core ${c}`.padEnd(width)).join(' | ').trimEnd()}`);
    out.line(`${'-'.repeat(timeW)}  ${columns.map(() => '-'.repeat(width)).join('-+-')}`);
  }
  const colOf = new Map(columns.map((c, k) => [c, k]));
  let row: { time: number; cells: (string | undefined)[] } | undefined;
  const flushRow = (): void => {
    if (row === undefined) return;
    const cells = columns.map((_, k) => {
      const c = row!.cells[k] ?? '';
      return c.length > width ? c.slice(0, width - 1) + '~' : c.padEnd(width);
    });
    out.line(`${String(row.time).padStart(timeW)}  ${cells.join(' | ').trimEnd()}`);
    row = undefined;
  };
  const cell = (ev: TraceEvent, text: string): void => {
    const k = colOf.get(ev.core);
    if (k === undefined) return;
    if (row === undefined || row.time !== ev.time || row.cells[k] !== undefined) {
      flushRow();
      row = { time: ev.time, cells: [] };
    }
    row.cells[k] = text;
  };

  let records = 0;
  const lastInsn = new Map<number, { seq: number | undefined; shown: 'yes' | 'paged' | 'filtered' }>();
  const merger = new CoreMerger(opts.window ?? DEFAULT_WINDOW, (ev) => show(ev));
  await forEachEvent(io, file, (ev) => {
    if (cores !== undefined && !cores.has(ev.core)) return;
    if (!(KNOWN_KINDS as readonly string[]).includes(ev.t)) return; // unknown event types are ignored
    if (opts.start !== undefined && ev.time < opts.start) return;
    if (opts.fromSeq !== undefined) {
      if (ev.seq !== undefined) {
        if (ev.seq < opts.fromSeq) return;
        reached.add(ev.core);
      } else if (!reached.has(ev.core)) return;
    }
    return merger.push(ev);
  });
  merger.finish();

  function show(ev: TraceEvent): boolean | void {
    const isEffect = EFFECTS.has(ev.t);
    if (isEffect) {
      const li = lastInsn.get(ev.core);
      if (li !== undefined && li.seq === ev.seq && li.shown !== 'filtered') {
        // An effect of the instruction just read on this core.
        if (li.shown === 'paged') return;
        if (kinds !== undefined && !kinds.has(ev.t) && !(kinds.has('insn') && effectsWithInsn)) return;
        if (opts.sideBySide) cell(ev, `  ${effectText(ev)}`);
        else out.line(`${''.padStart(timeW)}      ${effectText(ev)}`);
        return;
      }
    }
    if (kinds !== undefined && !kinds.has(ev.t)) {
      if (ev.t === 'insn') lastInsn.set(ev.core, { seq: ev.seq, shown: 'filtered' });
      return;
    }
    records++;
    if (records > skip + limit) return false;
    const shown = records > skip;
    if (ev.t === 'insn') lastInsn.set(ev.core, { seq: ev.seq, shown: shown ? 'yes' : 'paged' });
    if (!shown) return;
    const seq = ev.seq !== undefined ? `#${ev.seq}` : '';
    let text: string;
    if (ev.t === 'insn') text = insnText(ev);
    else if (isEffect) text = effectText(ev);
    else text = eventText(ev);
    if (opts.sideBySide) cell(ev, seq === '' ? text : `${seq} ${text}`);
    else out.line(`${String(ev.time).padStart(timeW)}  core ${String(ev.core).padEnd(2)} ${seq.padEnd(9)} ${text}`);
  }
  flushRow();
  out.flush();
  if (records <= skip && (skip > 0)) throw new CliError(EXIT_USAGE, `page ${opts.page} is past the end (${records} record${records === 1 ? '' : 's'}, ${pageSize} per page)`);
  return 0;
}

// ------------------------------------------------------------------ stats

interface StatsOptions { elf?: string; json?: boolean; top?: number }

function loadSymbols(io: CliIo, file: string): SymbolTable {
  const bytes = readInput(io, file);
  if (!isElf(bytes)) throw new CliError(EXIT_USAGE, `--elf ${file}: not an ELF file`);
  try {
    const elf = parseElf(bytes);
    for (const w of elf.warnings) io.stderr(`a64emu: warning: --elf ${file}: ${w}\n`);
    return elf.symbols;
  } catch (e) {
    if (e instanceof ImageError) throw new CliError(EXIT_USAGE, `--elf ${file}: ${e.message}`);
    throw e;
  }
}

export async function traceStats(file: string, opts: StatsOptions, io: CliIo): Promise<number> {
  const symbols = opts.elf === undefined ? undefined : loadSymbols(io, opts.elf);
  const c = new StatsCollector(symbols);
  await forEachEvent(io, file, (ev) => { c.add(ev); });
  const s = c.result();
  io.stdout(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStats(s, { top: opts.top }));
  return 0;
}

// ------------------------------------------------------------------ timeline

interface TimelineOptions { output: string; title?: string }

export async function traceTimeline(file: string, opts: TimelineOptions, io: CliIo): Promise<number> {
  refuseOverwrite(io, opts.output, [file]);
  const b = new TimelineBuilder();
  await forEachEvent(io, file, (ev) => { b.add(ev); });
  const html = timelineHtml(b.result(opts.title ?? basename(file)));
  try {
    writeFileSync(resolve(io.cwd, opts.output), html);
  } catch (e) {
    throw new CliError(EXIT_USAGE, `cannot write ${opts.output}: ${fsErrorMessage(e)}`);
  }
  return 0;
}

// ------------------------------------------------------------------ convert

interface ConvertOptions { to: string; output: string; coresInline?: boolean }

/** A binary trace into Tarmac or JSON Lines: what `run --trace` would have written in that format.
 * Nothing is created or truncated until the whole input has been read and found sound: an output that
 * is the input is refused, the header is checked first, and a first pass over the records checks
 * everything the writers would put into their output (the readers would reject the rest). */
export async function traceConvert(file: string, opts: ConvertOptions, io: CliIo): Promise<number> {
  const { path, format } = tracePath(io, file);
  if (format !== 'binary') throw new CliError(EXIT_USAGE, `${file}: not a binary trace (convert reads what run --trace-format binary writes)`);
  if (opts.to !== 'tarmac' && opts.to !== 'jsonl') throw new CliError(EXIT_USAGE, `--to must be tarmac or jsonl, not '${opts.to}'`);
  if (opts.to !== 'tarmac' && opts.coresInline) throw new CliError(EXIT_USAGE, '--cores-inline is for --to tarmac');
  const out = resolve(io.cwd, opts.output);
  const malformed = (e: unknown): never => {
    if (e instanceof BinaryTraceError) throw new CliError(EXIT_USAGE, `${file}: byte ${e.offset}: malformed binary trace: ${e.reason}`);
    if (typeof (e as { code?: unknown }).code === 'string') throw new CliError(EXIT_USAGE, `cannot read ${file}: ${fsErrorMessage(e)}`);
    throw e;
  };
  let ncores = 0;
  try { ncores = binaryTraceCores(path); } catch (e) { malformed(e); }
  const outputs = opts.to === 'jsonl' ? [opts.output] : TarmacWriter.paths(opts.output, ncores, opts.coresInline ?? false);
  for (const o of outputs) refuseOverwrite(io, o, [file]);
  try { replayBinary(path, NULL_WRITER, null); } catch (e) { malformed(e); }
  const dis = await loadDisassembler();
  let w: TraceWriter | undefined;
  try {
    w = opts.to === 'jsonl' ? new JsonlWriter(out) : new TarmacWriter(out, ncores, opts.coresInline ?? false);
    replayBinary(path, w, dis);
    const done = w;
    w = undefined;
    done.close();
  } catch (e) {
    if (w !== undefined) try { w.close(); } catch { /* the first error is the one to report */ }
    if (e instanceof TraceWriteError) throw new CliError(EXIT_USAGE, `cannot write ${asGiven(e.path, out, opts.output)}: ${fsErrorMessage(e.cause)}`);
    malformed(e);
  }
  return 0;
}

/** A written file's path as the user gave it: `given` for `resolved` (and its .coreN files). */
export function asGiven(path: string, resolved: string, given: string): string {
  return path.startsWith(resolved) ? given + path.slice(resolved.length) : path;
}

// ------------------------------------------------------------------ the command

export function addTraceCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  const trace = program
    .command('trace')
    .description('read a trace written by run --trace (binary, JSON Lines, or Tarmac for instructions): show, stats, timeline, convert');
  trace
    .command('show')
    .description('print the events of a trace, cores interleaved by time or side by side')
    .argument('<file>', 'trace file (binary, JSON Lines or Tarmac; FILE for per-core Tarmac files FILE.core0, ...)')
    .option('--core <list>', 'only these cores (e.g. 0,2 or 1-3)', coreList)
    .option('--kind <list>', `only these event kinds (${KNOWN_KINDS.join(',')}); insn includes its reg/mem effects unless reg or mem is listed`, kindList)
    .option('--from-seq <n>', 'start at instruction sequence number n (per core)', intOption(0, Number.MAX_SAFE_INTEGER))
    .option('--start <time>', 'start at this virtual time (ticks)', intOption(0, Number.MAX_SAFE_INTEGER, true))
    .option('--count <n>', 'print at most n records (an instruction with its effects is one record)', intOption(1, Number.MAX_SAFE_INTEGER, true))
    .option('--page <n>', 'print page n (from 1) of --page-size records', intOption(1, Number.MAX_SAFE_INTEGER))
    .option('--page-size <n>', 'records per page (default 50)', intOption(1, 1e9, true))
    .option('--side-by-side', 'one column per core, rows aligned by time')
    .option('--width <n>', 'column width for --side-by-side (default 44)', intOption(16, 400))
    .option('--window <n>', `events held to interleave the cores by time (default ${DEFAULT_WINDOW}; 0: file order)`, intOption(0, 1e8, true))
    .action(async (file: string, opts: ShowOptions) => { done(await showTrace(file, opts, io)); });
  trace
    .command('stats')
    .description('per-core instructions, profile by function, exclusive failures, SGIs, time asleep, lock contention')
    .argument('<file>', 'trace file (binary, JSON Lines or Tarmac)')
    .option('--elf <image>', 'name lock and exclusive addresses (and, for Tarmac, instructions) with this ELF image\'s symbols')
    .option('--json', 'print the statistics as JSON')
    .option('--top <n>', 'show only the n most frequent functions in the text profile', intOption(1, Number.MAX_SAFE_INTEGER))
    .action(async (file: string, opts: StatsOptions) => { done(await traceStats(file, opts, io)); });
  trace
    .command('timeline')
    .description('write a self-contained HTML timeline: one lane per core (running, asleep, in exception), SGI arrows')
    .argument('<file>', 'trace file (binary or JSON Lines; Tarmac gives instructions only)')
    .requiredOption('-o, --output <html>', 'the HTML file to write')
    .option('--title <text>', 'page title (default: the trace file name)')
    .action(async (file: string, opts: TimelineOptions) => { done(await traceTimeline(file, opts, io)); });
  trace
    .command('convert')
    .description('turn a binary trace (run --trace-format binary) into Tarmac or JSON Lines')
    .argument('<file>', 'binary trace file')
    .requiredOption('--to <format>', 'tarmac or jsonl')
    .requiredOption('-o, --output <file>', 'the file to write (Tarmac: FILE.core0, FILE.core1, ... unless --cores-inline)')
    .option('--cores-inline', 'Tarmac: one file, each line naming its core (gem5 style)')
    .action(async (file: string, opts: ConvertOptions) => { done(await traceConvert(file, opts, io)); });
}
