// The trace event stream. The CPU's traced loop (Cpu.innerTraced, used only while Cpu.tracer is set)
// and the board's hooks call in here; the filter is applied on raw numbers first, and only events that
// pass are formatted, by a TraceWriter (./tarmac.ts or ./jsonl.ts), which streams them to a file.

import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/insn.js';
import { SPLIT } from '../cpu/mmu.js';
import { InsnEvent, OtherEvent, TraceWriter, WakeCause, SleepWhy } from './events.js';
import { TraceFilter, NO_FILTER, inRanges, parseFilters, SymbolRange } from './filter.js';
import { JsonlWriter } from './jsonl.js';
import { TarmacWriter } from './tarmac.js';
import { loadDisassembler } from '../asm/disassembler.js';

export type DisasmFn = (word: number, address: number) => { text: string };

interface CodeInfo { word: number; dis: string; sym: string | undefined; cache: { key: number; a: Uint8Array; b: Uint8Array } }

const EMPTY = new Uint8Array(0);
const REG_NAMES = Array.from({ length: 31 }, (_, k) => `x${k}`);

export class Tracer {
  /** Register file before the current instruction (scratch for the diff). */
  readonly snapLo = new Int32Array(33);
  readonly snapHi = new Int32Array(33);
  /** The core executing an instruction now, or null between blocks. */
  cur: Cpu | null = null;
  /** The current instruction's sequence number, time and EL, and whether its events pass the address filter. */
  seq = 0;
  time = 0;
  el = 0;
  insnInRange = true;
  private readonly ev: InsnEvent = { core: 0, seq: 0, time: 0, pcLo: 0, pcHi: 0, op: 0, el: 0, spsel: 0, cf: false, dis: '', sym: undefined, cache: { key: -1, a: EMPTY, b: EMPTY } };
  private readonly code = new Map<number, CodeInfo>();
  private readonly wantInsn: boolean;
  private readonly wantReg: boolean;
  private readonly wantMem: boolean;
  private closed = false;

  constructor(
    readonly writer: TraceWriter,
    readonly filter: TraceFilter = NO_FILTER,
    private readonly disasm: DisasmFn | null = null,
    private readonly symbolize: (addr: number) => string | undefined = () => undefined,
    /** Virtual time when no core is executing (the machine's round start). */
    private readonly idleTime: () => number = () => 0,
  ) {
    const k = filter.kinds;
    this.wantInsn = k === null || k.has('insn');
    this.wantReg = k === null || k.has('reg');
    this.wantMem = k === null || k.has('mem');
  }

  /** Does core c (at EL el) pass the core and EL filters? */
  private coreElPass(core: number, el: number): boolean {
    const f = this.filter;
    return (f.cores === null || f.cores.has(core)) && (f.els === null || f.els.has(el));
  }

  /** Virtual time now: the executing core's counter, else the machine's. */
  now(): number {
    const c = this.cur;
    return c !== null ? c.env.counter(c) : this.idleTime();
  }

  // ---------------------------------------------------------------- per instruction (the traced loop)

  /** Before an instruction executes: snapshot state and write its insn event. */
  begin(c: Cpu, insn: Insn): void {
    this.cur = c;
    if (this.wantReg) { this.snapLo.set(c.lo); this.snapHi.set(c.hi); }
    const seq = this.seq = c.icount + c.retiredInRun;
    const time = this.time = c.env.counter(c);
    this.el = c.el;
    const pcLo = c.pcLo, pcHi = c.pcHi;
    const r = this.filter.ranges;
    this.insnInRange = r === null || inRanges(r, (pcHi >>> 0) * 4294967296 + (pcLo >>> 0));
    if (!this.wantInsn || !this.insnInRange || !this.coreElPass(c.id, c.el)) return;
    const e = this.ev;
    e.core = c.id; e.seq = seq; e.time = time; e.pcLo = pcLo; e.pcHi = pcHi;
    e.op = insn.word; e.el = c.el; e.spsel = c.spsel;
    // Condition failed: in A64 only a B.cond (BC.cond) is a conditional instruction in Tarmac's sense.
    e.cf = insn.name === 'B.cond' && !c.condHolds(insn.cond);
    const info = this.codeInfo(pcLo, pcHi, insn.word);
    e.dis = info.dis; e.sym = info.sym; e.cache = info.cache;
    this.writer.insn(e);
  }

  private codeInfo(pcLo: number, pcHi: number, word: number): CodeInfo {
    const key = (pcHi >>> 0) * 4294967296 + (pcLo >>> 0);
    let info = this.code.get(key);
    if (info === undefined || info.word !== word) {
      info = {
        word,
        dis: this.disasm !== null ? this.disasm(word, key).text : `.inst 0x${(word >>> 0).toString(16).padStart(8, '0')}`,
        sym: this.symbolize(key),
        cache: { key: -1, a: EMPTY, b: EMPTY },
      };
      this.code.set(key, info);
    }
    return info;
  }

  /** After the instruction (or its abort): register writes, exclusive-monitor and sleep changes. */
  end(c: Cpu, nzcv0: number, exclPa0: number, fails0: number): void {
    const id = c.id;
    if (this.wantReg && this.insnInRange && this.coreElPass(id, this.el)) {
      const lo = c.lo, hi = c.hi, slo = this.snapLo, shi = this.snapHi, w = this.writer;
      const seq = this.seq, time = this.time;
      for (let r = 0; r < 31; r++) {
        if (lo[r] !== slo[r] || hi[r] !== shi[r]) w.reg(id, seq, time, REG_NAMES[r], lo[r], hi[r], c.el, c.spsel, 0);
      }
      if (lo[32] !== slo[32] || hi[32] !== shi[32]) w.reg(id, seq, time, 'sp', lo[32], hi[32], c.el, c.spsel, 0);
      const nzcv = c.nzcv;
      if (nzcv !== nzcv0) w.reg(id, seq, time, 'nzcv', (nzcv << 28) | 0, 0, c.el, c.spsel, c.pstate);
    }
    if (c.exclFailures !== fails0) this.other({ t: 'excl', core: id, time: this.time, op: 'fail', ...(exclPa0 >= 0 ? { pa: exclPa0 } : {}) }, this.el);
    else if (c.exclPa >= 0 && c.exclPa !== exclPa0) this.other({ t: 'excl', core: id, time: this.time, op: 'set', pa: c.exclPa }, this.el);
  }

  /** A data access by the executing core (from the traced read/write wrappers). */
  mem(c: Cpu, write: boolean, vlo: number, vhi: number, pa: number, size: number, lo: number, hi: number): void {
    if (!this.wantMem || !this.coreElPass(c.id, c.el)) return;
    const r = this.filter.ranges;
    if (r !== null && !inRanges(r, (vhi >>> 0) * 4294967296 + (vlo >>> 0))) return;
    if (pa === SPLIT) pa = c.sys.mmu.splitPa0;
    this.writer.mem(c.id, this.seq, this.time, write, vlo, vhi, pa, size, lo, hi);
  }

  // ---------------------------------------------------------------- other events

  /** Any other event; el is the EL the core is at (for the EL filter). */
  other(e: OtherEvent, el = -1): void {
    const f = this.filter;
    if (f.kinds !== null && !f.kinds.has(e.t)) return;
    if (f.cores !== null && !f.cores.has(e.core)) return;
    if (f.els !== null && el >= 0 && !f.els.has(el)) return;
    this.writer.other(e);
  }

  exception(c: Cpu, kind: number, from: number, to: number, esr: number, elrLo: number, elrHi: number, vecLo: number, vecHi: number): void {
    const inInsn = this.cur === c;
    this.other({
      t: 'exc', core: c.id, ...(inInsn ? { seq: this.seq } : {}), time: inInsn ? this.time : c.env.counter(c),
      kind: kind === 0 ? 'sync' : kind === 0x80 ? 'irq' : kind === 0x100 ? 'fiq' : 'serror',
      from, to, esr: kind === 0 ? esr : 0, elrLo, elrHi, vecLo, vecHi,
    }, from);
  }

  eret(c: Cpu, from: number, to: number, pcLo: number, pcHi: number): void {
    this.other({ t: 'eret', core: c.id, seq: this.seq, time: this.time, from, to, pcLo, pcHi }, from);
  }

  ack(core: number, intid: number, el: number): void {
    if (intid >= 1020) return;
    this.other({ t: 'ack', core, time: this.now(), intid }, el);
  }

  sgi(sender: number, targets: number[], intid: number, val: bigint, el: number): void {
    this.other({ t: 'sgi', core: sender, time: this.now(), targets, intid, val }, el);
  }

  sleep(core: number, why: SleepWhy, el: number): void {
    this.other({ t: 'sleep', core, time: this.now(), why }, el);
  }

  wake(core: number, cause: WakeCause, by: number | undefined, el: number): void {
    this.other(by === undefined ? { t: 'wake', core, time: this.now(), cause } : { t: 'wake', core, time: this.now(), cause, by }, el);
  }

  exclClear(core: number, pa: number, by: number, el: number): void {
    this.other({ t: 'excl', core, time: this.now(), op: 'clear', pa, by }, el);
  }

  psci(core: number, fn: number, ret: number, el: number): void {
    this.other({ t: 'psci', core, time: this.now(), fn, ret }, el);
  }

  uart(core: number, byte: number, el: number): void {
    this.other({ t: 'uart', core, time: this.now(), byte }, el);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
  }
}

// ---------------------------------------------------------------- setting up a trace for a machine

export interface TraceOptions {
  path: string;
  format: 'tarmac' | 'jsonl';
  /** --trace-filter specs (AND of all). */
  filters?: readonly string[];
  /** Tarmac: one file with the core named on each line (gem5 style) instead of FILE.coreN. */
  inline?: boolean;
  /** name -> [start, end) for sym= filters. */
  symbolRange?: SymbolRange;
}

/** Load the disassembler, open the trace file(s) and attach a Tracer to the machine. Close the
 * returned tracer (tracer.close()) after the run to flush the files. */
export async function openTrace(m: { cores: readonly Cpu[]; time: number; symbolize: (addr: number) => string | undefined; setTracer(t: Tracer | null): void }, o: TraceOptions): Promise<Tracer> {
  const filter = parseFilters(o.filters ?? [], o.symbolRange);
  const dis = await loadDisassembler();
  const writer = o.format === 'jsonl' ? new JsonlWriter(o.path) : new TarmacWriter(o.path, m.cores.length, o.inline ?? false);
  const t = new Tracer(writer, filter, dis, (a) => m.symbolize(a), () => m.time);
  m.setTracer(t);
  return t;
}
