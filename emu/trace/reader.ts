// Streaming reader of trace files: JSON Lines (the schema in the README) and, for instruction-level
// use, Tarmac (reader-tarmac.ts). Memory stays bounded whatever the file size: lines are read one at a
// time through node:readline and handed to a callback, which can stop the reading early.
//
// A malformed line is a TraceFormatError carrying the file and line number; the CLI prints it as one
// line and exits with status 2.

import { createReadStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readTarmac, tarmacCoreFiles } from './reader-tarmac.js';
import { isBinaryTrace, replayBinary } from './binary.js';
import { loadDisassembler } from '../asm/disassembler.js';
import { CodeLocation, OtherEvent, TraceWriter, REG_NAMES, V_NAMES, MAX_TRACE_CORES, hex32, hexTrim, otherJson } from './events.js';

/** One trace event. Fields beyond these depend on `t` (see the README); unknown fields are kept. */
export interface TraceEvent {
  /** Event type: insn, reg, mem, exc, eret, ack, sgi, sleep, wake, excl, psci, uart, stale (others are allowed). */
  t: string;
  core: number;
  /** Virtual counter ticks. */
  time: number;
  /** The core's instruction sequence number, for events tied to an instruction. */
  seq?: number;
  [field: string]: unknown;
}

/** The event types this package knows; others are passed through and ignored by show/stats/timeline. */
export const KNOWN_KINDS = ['insn', 'reg', 'mem', 'exc', 'eret', 'ack', 'sgi', 'sleep', 'wake', 'excl', 'psci', 'uart', 'stale'] as const;

export class TraceFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: malformed trace line: ${reason}`);
  }
}

export type TraceFormat = 'jsonl' | 'tarmac' | 'binary';

/** Return false from the callback to stop reading. */
export type EventSink = (ev: TraceEvent, line: number) => boolean | void;

/** Which format `path` holds: binary when it starts with the binary trace magic, JSON Lines when its
 * first non-blank character is '{'; Tarmac otherwise (also when only per-core files PATH.core0,
 * PATH.core1, ... exist). */
export function detectFormat(path: string): TraceFormat {
  if (!existsSync(path) && tarmacCoreFiles(path).length > 0) return 'tarmac';
  const st = statSync(path);
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (isBinaryTrace(buf.subarray(0, n))) return 'binary';
    const text = buf.subarray(0, n).toString('utf8');
    const first = /\S/.exec(text);
    return first === null || first[0] === '{' ? 'jsonl' : 'tarmac';
  } finally {
    closeSync(fd);
  }
}

/** Read every event of a trace file in order, calling `sink` for each. Throws TraceFormatError on a
 * malformed line, and the file system's error when the file cannot be read. */
export async function readTrace(path: string, sink: EventSink, format: TraceFormat = detectFormat(path)): Promise<void> {
  if (format === 'tarmac') {
    await readTarmac(path, sink);
    return;
  }
  if (format === 'binary') {
    const control = { stopped: false };
    let n = 0;
    const dis = await loadDisassembler();
    replayBinary(path, new EventBuilder((ev) => { n++; if (sink(ev, n) === false) control.stopped = true; }), dis, control);
    return;
  }
  await readLines(path, (text, lineNo) => {
    const ev = parseJsonLine(text, path, lineNo);
    if (ev === undefined) return true;
    return sink(ev, lineNo);
  });
}

/** Read a text file line by line (bounded memory); `fn` returns false to stop. */
export async function readLines(path: string, fn: (line: string, lineNo: number) => boolean | void): Promise<void> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  let openError: unknown;
  stream.on('error', (e) => { openError = e; });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (fn(line, lineNo) === false) break;
    }
  } finally {
    rl.close();
    stream.destroy();
  }
  if (openError !== undefined) throw openError;
}

/**
 * A TraceWriter that makes the events a JSON Lines reader would have read from the JSON Lines writer's
 * output (test/trace/binary.test.ts holds the two to equality): how binary traces are read.
 */
export class EventBuilder implements TraceWriter {
  constructor(private readonly sink: (ev: TraceEvent) => void) {}

  insn(core: number, seq: number, time: number, code: CodeLocation, el: number, spsel: number, cf: boolean): void {
    const ev: TraceEvent = {
      t: 'insn', core, seq, time, pc: `0x${hexTrim(code.pcLo, code.pcHi)}`, op: hex32(code.word),
      el, sp: spsel !== 0 ? 'h' : 't', cf, dis: code.dis,
    };
    if (code.sym !== undefined) ev.sym = code.sym;
    this.sink(ev);
  }

  reg(core: number, seq: number, time: number, r: number, lo: number, hi: number): void {
    this.sink(seq >= 0 ? { t: 'reg', core, seq, time, reg: REG_NAMES[r], val: `0x${hex32(hi)}${hex32(lo)}` } : { t: 'reg', core, time, reg: REG_NAMES[r], val: `0x${hex32(hi)}${hex32(lo)}` });
  }

  vreg(core: number, seq: number, time: number, n: number, w0: number, w1: number, w2: number, w3: number): void {
    this.sink({ t: 'reg', core, seq, time, reg: V_NAMES[n], val: `0x${hex32(w3)}${hex32(w2)}${hex32(w1)}${hex32(w0)}` });
  }

  mem(core: number, seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void {
    const val = size === 8 ? hex32(hi) + hex32(lo) : hex32(lo).slice(8 - 2 * size);
    this.sink({
      t: 'mem', core, seq, time, dir: write ? 'w' : 'r', va: `0x${hexTrim(vaLo, vaHi)}`,
      pa: `0x${hexTrim(pa | 0, Math.floor(pa / 4294967296))}`, size, val: `0x${val}`,
    });
  }

  other(e: OtherEvent): void {
    this.sink(JSON.parse(otherJson(e)) as TraceEvent);
  }

  close(): void {}
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Parse one JSON Lines line; undefined for a blank line. */
export function parseJsonLine(text: string, file: string, lineNo: number): TraceEvent | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch (e) {
    throw new TraceFormatError(file, lineNo, `not JSON (${e instanceof Error ? e.message.replace(/\s+/g, ' ') : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TraceFormatError(file, lineNo, 'not a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.t !== 'string') throw new TraceFormatError(file, lineNo, 'no "t" (event type) string');
  if (!isInt(o.core) || o.core < 0) throw new TraceFormatError(file, lineNo, '"core" is not a non-negative integer');
  if (o.core >= MAX_TRACE_CORES) throw new TraceFormatError(file, lineNo, `core ${o.core} (a trace has at most ${MAX_TRACE_CORES} cores)`);
  if (!isInt(o.time) || o.time < 0) throw new TraceFormatError(file, lineNo, '"time" is not a non-negative integer');
  if (o.seq !== undefined && (!isInt(o.seq) || o.seq < 0)) throw new TraceFormatError(file, lineNo, '"seq" is not a non-negative integer');
  const bad = checkFields(o);
  if (bad !== undefined) throw new TraceFormatError(file, lineNo, bad);
  return o as TraceEvent;
}

const HEX = /^0x[0-9a-f]+$/i;
const isHex = (v: unknown): boolean => typeof v === 'string' && HEX.test(v);

/** Check the fields the readers depend on, per known event type; a message when one is wrong. */
function checkFields(o: Record<string, unknown>): string | undefined {
  const need = (name: string, ok: (v: unknown) => boolean, what: string): string | undefined =>
    ok(o[name]) ? undefined : `${o.t} event: "${name}" is not ${what}`;
  const byCore = (): string | undefined =>
    (o.by === undefined ? undefined : need('by', (v) => isInt(v) && v >= 0 && v < MAX_TRACE_CORES, 'a core number'));
  switch (o.t) {
    case 'insn': return need('pc', isHex, 'a hex string');
    case 'reg': return need('reg', (v) => typeof v === 'string', 'a string');
    case 'mem': return need('dir', (v) => v === 'r' || v === 'w', '"r" or "w"') ?? need('size', isInt, 'an integer');
    case 'sgi':
      return need('targets', (v) => Array.isArray(v) && v.every((x) => isInt(x) && x >= 0 && x < MAX_TRACE_CORES), 'an array of core numbers')
        ?? need('intid', isInt, 'an integer');
    case 'excl': return need('op', (v) => v === 'set' || v === 'clear' || v === 'fail', 'set, clear or fail') ?? byCore();
    case 'wake': return byCore();
    case 'exc': case 'eret': return undefined;
    default: return undefined;
  }
}

/** Function name of a symbolized address: "acquire_spinlock+0x14" -> "acquire_spinlock". */
export function functionOf(sym: unknown): string | undefined {
  if (typeof sym !== 'string' || sym === '') return undefined;
  const m = /^(.*)\+0x[0-9a-f]+$/i.exec(sym);
  return m === null ? sym : m[1];
}

/** Canonical form of a hex address string (lower case, no leading zeros): a map key. */
export function normAddr(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return `0x${v.toString(16)}`;
  if (!isHex(v)) return undefined;
  return `0x${BigInt(v as string).toString(16)}`;
}

/**
 * Interleaves the cores of a trace by time with bounded memory. A trace file lists events in the
 * order the emulator produced them: each core's events in order, but cores run in turns (quanta), so
 * times of different cores are not sorted in the file, and an event another core caused on this one
 * (a wake, a monitor clear) carries that other core's time (at or after this core's own). This keeps
 * each core's events in file order (the truth for that core) and merges the cores by their own clocks
 * (a caused event sorts with the core's next own event), holding at most `window` events; with window 0 events pass in file order.
 */
export class CoreMerger {
  private queues = new Map<number, { evs: TraceEvent[]; keys: number[]; head: number; last: number }>();
  private size = 0;
  private stopped = false;

  constructor(private readonly window: number, private readonly emit: (ev: TraceEvent) => boolean | void) {}

  /** False once the consumer asked to stop. */
  push(ev: TraceEvent): boolean {
    if (this.stopped) return false;
    if (this.window <= 0) {
      if (this.emit(ev) === false) this.stopped = true;
      return !this.stopped;
    }
    let q = this.queues.get(ev.core);
    if (q === undefined) { q = { evs: [], keys: [], head: 0, last: -1 }; this.queues.set(ev.core, q); }
    // An event another core caused sorts with this core's next own event (a wake just before the
    // instructions the core runs when it wakes); NaN until that event arrives.
    const caused = ev.t === 'wake' || (ev.t === 'excl' && ev.op === 'clear');
    if (!caused) {
      for (let k = q.keys.length - 1; k >= q.head && Number.isNaN(q.keys[k]); k--) q.keys[k] = ev.time;
    }
    q.evs.push(ev);
    q.keys.push(caused ? NaN : ev.time);
    this.size++;
    while (this.size > this.window && !this.stopped) this.emitOne(false);
    return !this.stopped;
  }

  finish(): void {
    while (this.size > 0 && !this.stopped) this.emitOne(true);
  }

  private emitOne(final: boolean): void {
    let best: { evs: TraceEvent[]; keys: number[]; head: number; last: number } | undefined;
    let bestCore = 0, bestKey = 0;
    for (const [core, q] of this.queues) {
      if (q.head >= q.evs.length) continue;
      // An instruction last in its queue may still get effects from the next lines: wait for them.
      if (!final && q.head === q.evs.length - 1 && q.evs[q.head].t === 'insn' && this.queues.size > 1) continue;
      let t = q.keys[q.head];
      if (Number.isNaN(t)) {
        if (!final) continue;
        t = Math.max(q.last, q.evs[q.head].time);
      }
      if (best === undefined || t < bestKey || (t === bestKey && core < bestCore)) { best = q; bestCore = core; bestKey = t; }
    }
    if (best === undefined) {
      if (!final) this.emitOne(true);
      return;
    }
    const ev = best.evs[best.head++];
    this.size--;
    best.last = Math.max(best.last, Number.isNaN(best.keys[best.head - 1]) ? ev.time : best.keys[best.head - 1]);
    // Keep an instruction's effects (same core and sequence number) together with it.
    if (this.emit(ev) !== false) {
      while (best.head < best.evs.length && (best.evs[best.head].t === 'reg' || best.evs[best.head].t === 'mem') && ev.seq !== undefined && best.evs[best.head].seq === ev.seq) {
        const fx = best.evs[best.head++];
        this.size--;
        if (this.emit(fx) === false) { this.stopped = true; break; }
      }
    } else this.stopped = true;
    if (best.head >= 4096 && best.head * 2 >= best.evs.length) {
      best.evs = best.evs.slice(best.head);
      best.keys = best.keys.slice(best.head);
      best.head = 0;
    }
  }
}
