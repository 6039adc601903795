// Running a litmus test: assemble its threads once, then run it many times, each run on a fresh
// machine with one core per thread, and count the final states.
//
// Layout of a run (MMU off, EL1, interrupts masked): thread k's code at RAM_BASE + k * 4 KiB, ended
// by a WFI the runner appends (a core asleep has finished); location i at DATA_BASE + i * 256 (its
// own 256-byte block, so no two share a cache line or an exclusives granule). Every core starts at
// its code in the first scheduling round; a run ends when no core is running.
//
// Seeds: run k of `--seed S` runs the machine with seed splitmix64(S + k * golden) (never 0), so each
// run is reproducible alone (`--seed S --run k`). The machine's seed chooses the interleaving (quantum
// lengths and core order per round) and, under --model arm, which behaviour the memory model allows.

import { Machine, MachineOptions, RAM_BASE } from '../board/machine.js';
import { Sleep } from '../cpu/cpu.js';
import { assembler } from '../asm/assembler.js';
import { encodeExtra } from './encode.js';
import { LitmusSyntaxError, LitmusTest, Location, Prop, Target, Value, propTargets } from './parse.js';

export type MemoryModelName = 'sc' | 'arm';

export const CODE_STRIDE = 0x1000;
export const DATA_BASE = RAM_BASE + 0x8_0000;
export const DATA_STRIDE = 0x100;
const MAX_THREADS = 16;
const MAX_LOCATIONS = 1024;

export interface CompiledTest {
  test: LitmusTest;
  /** Machine code per thread (with the final WFI), placed at codeAddr(k). */
  code: Uint8Array[];
  /** Address of each location (same order as test.locations). */
  addr: Map<string, number>;
  /** Initial register values per thread: [reg, value (64-bit two's complement)]. */
  regs: [number, bigint][][];
  /** The initial contents of the data area. */
  data: Uint8Array;
  /** What a state shows: the `locations` line and the condition's targets, registers first. */
  shown: Target[];
}

export interface LitmusRunOptions {
  runs?: number;
  model?: MemoryModelName;
  seed?: bigint;
  /** Run only this run (as run k of `seed`). */
  only?: number;
  /** Mean scheduling quantum in instructions (default 2: threads interleave finely). */
  quantum?: number;
  /** Most rounds a thread's start may be delayed by (default: its longest thread's length in quanta). */
  skew?: number;
  /** Instructions a run may take in total before it is declared endless. */
  maxInsnsPerRun?: number;
}

export interface StateCount { key: string; count: number; ok: boolean; firstRun: number }

export interface LitmusResult {
  test: LitmusTest;
  states: StateCount[];
  /** Runs whose final state satisfies the proposition, and the others. */
  pos: number;
  neg: number;
  runs: number;
  seconds: number;
  seed: bigint;
  model: MemoryModelName;
}

/** A run that could not finish (a fault, an endless loop). */
export class LitmusRunError extends Error {}

export function codeAddr(k: number): number { return RAM_BASE + k * CODE_STRIDE; }

const MASK64 = (1n << 64n) - 1n;

/** Assemble and lay out a parsed test. Assembly errors are LitmusSyntaxErrors at the offending cell. */
export async function compileLitmus(test: LitmusTest): Promise<CompiledTest> {
  const n = test.threads.length;
  if (n > MAX_THREADS) throw new LitmusSyntaxError(test.threads[0].pos.line, test.threads[0].pos.col, `${n} threads: at most ${MAX_THREADS}`);
  if (test.locations.length > MAX_LOCATIONS) throw new LitmusSyntaxError(1, 1, `more than ${MAX_LOCATIONS} locations`);
  const addr = new Map<string, number>();
  test.locations.forEach((l, i) => addr.set(l.name, DATA_BASE + i * DATA_STRIDE));
  const value = (v: Value): bigint => (v.kind === 'int' ? v.value : BigInt(addr.get(v.name)!)) & MASK64;

  const asm = await assembler();
  const code = test.threads.map((t, k) => assembleThread(asm, t.lines, codeAddr(k)));
  code.forEach((c, k) => {
    if (c.length > CODE_STRIDE) throw new LitmusSyntaxError(test.threads[k].pos.line, test.threads[k].pos.col, `P${k} is too long (at most ${CODE_STRIDE / 4 - 1} instructions)`);
  });

  const regs: [number, bigint][][] = test.threads.map(() => []);
  for (const r of test.regs) {
    if (r.thread >= n) throw new LitmusSyntaxError(r.pos.line, r.pos.col, `thread ${r.thread} does not exist (the test has P0..P${n - 1})`);
    regs[r.thread].push([r.reg, value(r.value)]);
  }
  const data = new Uint8Array(test.locations.length * DATA_STRIDE);
  const dv = new DataView(data.buffer);
  test.locations.forEach((l, i) => { if (l.init !== null) writeSized(dv, i * DATA_STRIDE, l.size, value(l.init)); });

  const targets = [...test.observed];
  for (const t of propTargets(test.prop)) if (!targets.some((u) => u.text === t.text)) targets.push(t);
  for (const t of targets) {
    if (t.kind === 'reg' && t.thread >= n) throw new LitmusSyntaxError(t.pos.line, t.pos.col, `thread ${t.thread} does not exist (the test has P0..P${n - 1})`);
  }
  const shown = dedupe(targets).sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'reg' ? -1 : 1;
    if (a.kind === 'reg' && b.kind === 'reg') return a.thread - b.thread || a.reg - b.reg || a.text.localeCompare(b.text);
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  });
  return { test, code, addr, regs, data, shown };
}

function dedupe(ts: Target[]): Target[] {
  const seen = new Set<string>();
  return ts.filter((t) => (seen.has(t.text) ? false : (seen.add(t.text), true)));
}

function writeSized(dv: DataView, off: number, size: number, v: bigint): void {
  switch (size) {
    case 1: dv.setUint8(off, Number(v & 0xffn)); break;
    case 2: dv.setUint16(off, Number(v & 0xffffn), true); break;
    case 4: dv.setUint32(off, Number(v & 0xffff_ffffn), true); break;
    default: dv.setBigUint64(off, v & MASK64, true); break;
  }
}

function readSized(dv: DataView, off: number, size: number): bigint {
  switch (size) {
    case 1: return BigInt(dv.getInt8(off));
    case 2: return BigInt(dv.getInt16(off, true));
    case 4: return BigInt(dv.getInt32(off, true));
    default: return dv.getBigInt64(off, true);
  }
}

/** One thread's cells as one source (labels work across rows), LSE lines pre-encoded, WFI appended.
 * When keystone rejects the whole, each line is tried alone (with every label defined) to say which. */
function assembleThread(asm: (s: string, a?: number) => Uint8Array, lines: { text: string; pos: { line: number; col: number } }[], at: number): Uint8Array {
  const labels = new Set<string>();
  const prepared = lines.map(({ text, pos }) => {
    const m = /^([A-Za-z_.][A-Za-z0-9_.]*)\s*:\s*(.*)$/.exec(text);
    const label = m === null ? null : m[1];
    if (label !== null) labels.add(label);
    const insn = m === null ? text : m[2];
    let enc: number | null;
    try {
      enc = insn === '' ? null : encodeExtra(insn);
    } catch (e) {
      throw new LitmusSyntaxError(pos.line, pos.col, `cannot assemble "${insn}": ${(e as Error).message}`);
    }
    const body = enc === null ? insn : `.word 0x${enc.toString(16)}`;
    return { label, body, pos, text };
  });
  const line = (p: { label: string | null; body: string }) => (p.label === null ? p.body : `${p.label}:\n${p.body}`);
  const source = `${prepared.map(line).join('\n')}\nwfi`;
  try {
    const bytes = asm(source, at);
    const expected = prepared.filter((p) => p.body !== '').length + 1;
    if (bytes.length === expected * 4) return bytes;
  } catch { /* find the line below */ }
  for (const p of prepared) {
    if (p.body === '') continue;
    const others = [...labels].filter((l) => l !== p.label).map((l) => `${l}:`);
    try {
      const b = asm([line(p), ...others].join('\n'), at);
      if (b.length !== 4) throw new Error(b.length === 0 ? 'not an instruction' : 'more than one instruction');
    } catch (e) {
      const why = (e as Error).message.replace(/^cannot assemble "[^]*?": /, '');
      throw new LitmusSyntaxError(p.pos.line, p.pos.col, `cannot assemble "${p.text}": ${why}`);
    }
  }
  const first = lines[0]?.pos ?? { line: 1, col: 1 };
  throw new LitmusSyntaxError(first.line, first.col, 'cannot assemble this thread\'s code (keystone rejects the whole though each line assembles alone)');
}

/** splitmix64 of S + k * golden: the machine seed of run k (never 0, which means "no seed"). */
export function runSeed(seed: bigint, k: number): bigint {
  let z = (seed + BigInt(k + 1) * 0x9e37_79b9_7f4a_7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & MASK64;
  z ^= z >> 31n;
  return z === 0n ? 1n : z;
}

/** Run a compiled test: runs 0..N-1 (or only run `only`), and count the final states. */
export function runLitmus(ct: CompiledTest, opts: LitmusRunOptions = {}): LitmusResult {
  const runs = opts.runs ?? 1000, seed = opts.seed ?? 0n, model = opts.model ?? 'sc';
  const quantum = opts.quantum ?? 2, cap = opts.maxInsnsPerRun ?? 100_000;
  const first = opts.only ?? 0, count = opts.only === undefined ? runs : 1;
  const t0 = performance.now();
  const table = new Map<string, StateCount>();
  const evalCache = new Map<string, boolean>();
  let pos = 0, neg = 0;
  const machines = new Machines(ct, model, quantum);
  const longest = Math.max(...ct.code.map((c) => c.length / 4));
  const skew = opts.skew ?? Math.ceil(longest / quantum);
  for (let k = first; k < first + count; k++) {
    const values = runOnce(ct, machines, runSeed(seed, k), cap, k, skew);
    const key = stateKey(ct, values);
    let e = table.get(key);
    if (e === undefined) {
      let ok = evalCache.get(key);
      if (ok === undefined) { ok = evalProp(ct, ct.test.prop, values); evalCache.set(key, ok); }
      e = { key, count: 0, ok, firstRun: k };
      table.set(key, e);
    }
    e.count++;
    if (e.ok) pos++; else neg++;
  }
  const states = [...table.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { test: ct.test, states, pos, neg, runs: count, seconds: (performance.now() - t0) / 1000, seed, model };
}

/** The observed values of one run, by target text (registers as 64-bit, memory by its size). */
type Values = Map<string, bigint>;

const sink = (): void => {};

/** One machine serves every run: Machine.restart reseeds it and empties the memory model (building a
 * board costs more than a run). */
class Machines {
  private m: Machine | null = null;
  constructor(private readonly ct: CompiledTest, private readonly model: MemoryModelName, private readonly quantum: number) {}

  get(seed: bigint): Machine {
    const ct = this.ct;
    if (this.m !== null) {
      this.m.restart(seed);
      this.m.ram.load(DATA_BASE, ct.data);
      return this.m;
    }
    const opts: MachineOptions & { memoryModel?: MemoryModelName } = {
      smp: ct.code.length, ramMiB: 1, semihosting: false, quantum: this.quantum, seed, stdout: sink, stderr: sink,
    };
    if (this.model !== 'sc') opts.memoryModel = this.model;
    const m = new Machine(opts);
    for (let t = 0; t < ct.code.length; t++) m.ram.load(codeAddr(t), ct.code[t]);
    m.ram.load(DATA_BASE, ct.data);
    this.m = m;
    return m;
  }
}

function runOnce(ct: CompiledTest, machines: Machines, seed: bigint, cap: number, k: number, skew: number): Values {
  const n = ct.code.length;
  const m = machines.get(seed);
  for (let t = 0; t < n; t++) {
    const c = m.cores[t];
    c.pcLo = codeAddr(t) | 0; c.pcHi = 0;
    for (const [r, v] of ct.regs[t]) { c.x[2 * r] = Number(v & 0xffff_ffffn) | 0; c.x[2 * r + 1] = Number(v >> 32n) | 0; }
    c.sleep = Sleep.Off; // until its start round
  }
  // Each thread starts after a random number of rounds (0 to about its length), drawn from the run's
  // seed: as litmus7's start skew, it lets one thread run well before or after another, which is
  // what many relaxed outcomes need (a reader after the writer's stores are visible).
  let x = Number(seed & 0xffff_ffffn) | 1;
  const start = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    start[t] = (x >>> 0) % (skew + 1);
  }
  for (let round = 0; ; round++) {
    let running = false;
    for (let t = 0; t < n; t++) {
      const c = m.cores[t];
      if (start[t] === round) c.sleep = Sleep.Running;
      if (c.sleep === Sleep.Running || start[t] > round) running = true;
    }
    if (!running || m.stopped) break;
    m.step();
    if (m.instructions > cap) {
      throw new LitmusRunError(`${ct.test.name}: run ${k} did not finish within ${cap} instructions (${m.corePcs()})`);
    }
  }
  if (m.stopped) throw new LitmusRunError(`${ct.test.name}: run ${k} stopped: ${m.result!.reason}`);
  for (const c of m.cores) {
    if (c.sleep !== Sleep.WFI || c.el !== 1) throw new LitmusRunError(`${ct.test.name}: run ${k}: P${c.id} did not reach its end (${m.where(c)}; an exception?)`);
  }
  settle(m);
  const values: Values = new Map();
  const dv = m.ram.dv;
  for (const t of ct.shown) {
    if (t.kind === 'reg') {
      const c = m.cores[t.thread];
      values.set(t.text, (BigInt(c.x[2 * t.reg + 1] >>> 0) << 32n) | BigInt(c.x[2 * t.reg] >>> 0));
    } else {
      const i = ct.test.locations.findIndex((l) => l.name === t.name);
      values.set(t.text, readSized(dv, DATA_BASE - RAM_BASE + i * DATA_STRIDE, ct.test.locations[i].size));
    }
  }
  return values;
}

/** Let a memory model make every write visible in RAM before the final state is read (it may
 * buffer writes). */
function settle(m: Machine): void {
  const mm = (m as unknown as { memModel?: { flushAll?: () => void } | null }).memModel;
  if (mm !== undefined && mm !== null && typeof mm.flushAll === 'function') mm.flushAll();
}

function location(ct: CompiledTest, name: string): Location {
  return ct.test.locations.find((l) => l.name === name)!;
}

/** How a value shows: a location's name for its address, else signed decimal at the target's width. */
function showValue(ct: CompiledTest, t: Target, v: bigint): string {
  if (t.kind === 'reg' && t.wide) {
    for (const [name, a] of ct.addr) if (BigInt(a) === v) return name;
    return BigInt.asIntN(64, v).toString();
  }
  if (t.kind === 'reg') return BigInt.asIntN(32, v).toString();
  return v.toString();
}

function stateKey(ct: CompiledTest, values: Values): string {
  let s = '';
  for (const t of ct.shown) s += `${s === '' ? '' : ' '}${t.text}=${showValue(ct, t, values.get(t.text)!)};`;
  return s;
}

function evalProp(ct: CompiledTest, p: Prop, values: Values): boolean {
  switch (p.kind) {
    case 'true': return true;
    case 'false': return false;
    case 'not': return !evalProp(ct, p.p, values);
    case 'and': return evalProp(ct, p.a, values) && evalProp(ct, p.b, values);
    case 'or': return evalProp(ct, p.a, values) || evalProp(ct, p.b, values);
    case 'implies': return !evalProp(ct, p.a, values) || evalProp(ct, p.b, values);
    case 'eq': {
      const t = p.target;
      const want = p.value.kind === 'int' ? p.value.value : BigInt(ct.addr.get(p.value.name)!);
      const have = values.get(t.text)!;
      const bits = t.kind === 'reg' ? (t.wide ? 64 : 32) : location(ct, t.name).size * 8;
      return BigInt.asUintN(bits, have) === BigInt.asUintN(bits, want);
    }
  }
}

/** The verdict's words, as herd7 and litmus7 print them. */
export function kind(q: LitmusTest['quantifier']): string {
  return q === 'exists' ? 'Allowed' : q === '~exists' ? 'Forbidden' : 'Required';
}

/** Whether the condition holds over the runs: exists: some run satisfies the proposition; ~exists:
 * none does; forall: all do. */
export function validated(r: LitmusResult): boolean {
  const q = r.test.quantifier;
  return q === 'exists' ? r.pos > 0 : q === '~exists' ? r.pos === 0 : r.neg === 0;
}

export function observation(r: LitmusResult): 'Never' | 'Sometimes' | 'Always' {
  return r.pos === 0 ? 'Never' : r.neg === 0 ? 'Always' : 'Sometimes';
}

/** The result in litmus7's layout: the histogram (`*>` marks states that satisfy the proposition),
 * the verdict, the witnesses (for ~exists, Positive counts the runs that satisfy the condition as a
 * whole, as litmus7 does), the observation and the time; then how to repeat a run. */
export function formatResult(r: LitmusResult): string {
  const name = r.test.name;
  const ok = validated(r);
  const [wpos, wneg] = r.test.quantifier === '~exists' ? [r.neg, r.pos] : [r.pos, r.neg];
  let out = `Test ${name} ${kind(r.test.quantifier)}\n`;
  out += `States ${r.states.length}\n`;
  for (const s of r.states) out += `${String(s.count).padEnd(6)}${s.ok ? '*' : ':'}>${s.key}\n`;
  out += `${ok ? 'Ok' : 'No'}\n`;
  out += 'Witnesses\n';
  out += `Positive: ${wpos}, Negative: ${wneg}\n`;
  out += `Condition ${r.test.conditionText} is ${ok ? '' : 'NOT '}validated\n`;
  out += `Observation ${name} ${observation(r)} ${r.pos} ${r.neg}\n`;
  out += `Time ${name} ${r.seconds.toFixed(2)}\n`;
  const firstPos = r.states.filter((s) => s.ok).reduce((m, s) => Math.min(m, s.firstRun), Infinity);
  const runs = r.runs === 1 ? `run ${r.states[0]?.firstRun ?? 0}` : `runs 0..${r.runs - 1}`;
  out += `Seed ${name} ${r.seed} model ${r.model}, ${runs}${Number.isFinite(firstPos) ? `; first witness run ${firstPos}` : ''} (one run alone: --seed ${r.seed} --run K)\n`;
  return out;
}
