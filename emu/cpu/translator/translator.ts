// The block translator: hot guest code becomes WebAssembly functions (wasm/codegen.ts; the default
// where RAM is a WebAssembly memory) or JavaScript functions (codegen.ts; --jit-backend js), which do
// the same. One Translator per machine, shared by its cores (functions take the core, or its area in
// the WebAssembly memory, as their argument), so N cores running the same code translate it once.
//
// WebAssembly regions sit in a table, a slot per word of each page with translated code; a region that
// ends by a branch, a jump through a register or by falling off its end tail-calls the slot of where
// it goes, so regions chain without returning to this dispatcher (a slot without a region holds a
// stub that returns here). Within its page a region knows the slots; another page's it finds in the
// core's jump cache (Cpu.jumps: virtual page -> the slots of its RAM page), which this dispatcher fills
// from the fetch cache as it enters a region, so a chain only goes where a fetch would. The dispatcher
// calls regions through one trampoline, which V8 calls far more cheaply than a different WebAssembly
// function each time.
//
// A region is the code reachable from a hot entry inside one physical page by falling through and by
// forward branches (up to MAX_INSNS instructions), with a loop back to its entry; it is entered only
// there. Where a core's quantum starts or ends inside a WebAssembly region (its first block does not
// fit in the budget), the region's stepping variant (wasm/codegen.ts) runs that part, once the region
// has been used so often (STEP_THRESHOLD); it sits in a second slot per word, the entry's.
//
// Regions are keyed by physical location: RAM page number and word index. A region never crosses a
// page, and it is only entered through the core's fetch cache (curPage/curVLo/curPfn), which holds the
// current translation of the PC's page, or through the jump cache, which holds what the fetch cache
// held and is dropped with it: so a region never runs under a mapping other than one a fetch would
// use, and TLB maintenance or an MMU change (Cpu.resetFetch) needs no flush here. Written code
// (CodeCache.invalidate, fed by the RAM's code-page marks, the same path as Cpu.stored) drops every
// region covering a written word; a region that wrote its own code (through a handler) stops after it.
//
// Hotness: a counter per entry word (a PC reached by a jump, where translated code left to the
// interpreter, where a straight line runs into the next page, or where a run starts, unless it resumes
// where the last one's budget cut it: Cpu.cutLo); at `threshold` executions the region is translated.
// Cold code is interpreted by the same steps as Cpu.inner.
//
// Cache bound: when the generated code would exceed MAX_BYTES (or MAX_BLOCKS regions, or the table
// MAX_SLOT_PAGES pages of slots), everything is dropped and translation starts again (QEMU's policy
// for a full translation buffer). `bytes` counts the WebAssembly modules' bytes or the generated JavaScript
// source characters, a proxy for the memory V8 holds for them.

import { Cpu, Flow, INSN_ABORTED, AreaSlot } from '../cpu.js';
import type { Insn } from '../insn.js';
import type { CodeCache } from '../codecache.js';
import { PAGE_SHIFT, Ram } from '../../mem/ram.js';
import { R } from '../int64.js';
import { checkSp, ea } from '../a64/ldst_exclusive.js';
import { DP_HELPERS } from './emit-dp.js';
import { fpOn } from '../a64/simd_fp.js';
import { RegionWriter, TraceInsn, CONDITIONAL, endsBlock } from './codegen.js';
import { WasmRegionWriter } from './wasm/codegen.js';
import { moduleBytes, trampolineBytes } from './wasm/encoder.js';

const WORDS = 1 << (PAGE_SHIFT - 2);
/** Executions of an entry before its region is translated, by back end. High on purpose: translated
 * code that runs rarely costs more than it saves (V8 compiles it, and every distinct function a
 * dispatcher calls costs instruction-cache misses), so only the hottest code is translated and the
 * rest is interpreted. Not higher: a steady workload interprets its warm-up until then. WebAssembly:
 * at 10,000 vm ran 6% slower over 1.2 billion instructions; at 1,000 the Linux boot took 10 to 15%
 * longer, at 3,000 to 5,000 about as long. JavaScript, dearer to compile: at 5,000 the Linux boot took
 * 24% longer than at 10,000. */
export const DEFAULT_THRESHOLD: Record<Backend, number> = { wasm: 5_000, js: 10_000 };
/** Most instructions in one region. */
const MAX_INSNS = 32;
export const MAX_BYTES = 64 * 1024 * 1024;
export const MAX_BLOCKS = 1 << 16;
/** Most pages with slots in the WebAssembly back end's table (2,048 slots each: a region's and its
 * stepping variant's for each word). */
const MAX_SLOT_PAGES = 1024;
const MAX_MODULE = 64 * 1024;
/** Most compiled modules kept for reuse (Translator.module). */
const MAX_MODULES = 1024;
/** Times a quantum starts or ends inside a region's code before the region's stepping variant is
 * written (the dispatcher would interpret that part until then). Lower than `threshold`: the region is
 * hot already, and few regions need one. */
export const STEP_THRESHOLD = 1000;
/** Times a load or store that a region accesses inline goes to a device (MMIO, or Device memory)
 * before the regions covering it are translated again, calling its handler: an inline access leaves
 * the region for the dispatcher each time (a UART's data register written in a loop). */
export const DEVICE_THRESHOLD = 64;

export type RegionFn = (c: Cpu, budget: number) => void;
/** The trampoline calling a WebAssembly region (wasm/codegen.ts) by its slot in the table:
 * (slot, area, budget, retired, pcLo, pcHi, nzcv). */
type Trampoline = (slot: number, area: number, budget: number, retired: number, pcLo: number, pcHi: number, nzcv: number) => void;

/** Which back end translates: 'wasm' where RAM is a WebAssembly memory, else 'js'. */
export type Backend = 'js' | 'wasm';

/** One translated region. */
export class Block {
  valid = true;
  fn: RegionFn = noop;
  /** The WebAssembly function's slot in the translator's table, when the WebAssembly back end
   * translated it (fn is then unused); else -1. */
  slot = -1;
  /** The WebAssembly back end's: its instructions (for the stepping variant, whose slot is WORDS
   * after the region's), whether that variant is written, and the times it would have been used
   * before (STEP_THRESHOLD). */
  trace: TraceInsn[] | null = null;
  stepped = false;
  hits = 0;
  /** lo..lo+span-1: the words it was translated from; entry: its first word, whose basic block has n
   * instructions (the dispatcher's budget check: the function itself leaves at once when the block
   * does not fit); bytes: its code's (and its stepping variant's). */
  constructor(readonly pfn: number, readonly lo: number, readonly span: number, public bytes: number, readonly entry: number, readonly n: number) {}
}

function noop(): void {}

interface PageBlocks {
  /** The region entered at each word, if translated. */
  entry: (Block | undefined)[];
  /** Executions seen at each word while not yet translated. */
  hot: Uint16Array;
  /** Every region on the page, for invalidation. */
  list: Block[];
  /** A region whose code includes each word (the first translated), for its stepping variant. */
  cover: (Block | undefined)[];
  /** Accesses to a device by the load or store at each word while translated code accessed it inline
   * (each left the region), up to deviceThreshold: from then on regions call its handler. */
  device: Uint16Array;
}

/** Helpers the generated code calls (closure argument H). */
const HELPERS = { checkSp, ea, fpOn, ...DP_HELPERS };

/** blocks and bytes: regions in the cache and their code's size; compiled: regions translated;
 * stepping: stepping variants written; deviceSites: loads and stores regions call the handler of
 * because they went to a device; invalidated: regions dropped for written code. */
export interface TranslationStats { blocks: number; bytes: number; compiled: number; stepping: number; deviceSites: number; invalidated: number }

export class Translator {
  /** By RAM page number; a filled array (a sparse one would be a slow dictionary). */
  private pages: (PageBlocks | undefined)[];
  /** Executions of a block entry before it is translated. */
  threshold: number;
  /** Uses of a region's stepping variant before it is written (STEP_THRESHOLD). */
  stepThreshold: number;
  /** Device accesses of an inline load or store before regions call its handler (DEVICE_THRESHOLD). */
  deviceThreshold = DEVICE_THRESHOLD;
  blocks = 0;
  bytes = 0;
  compiled = 0;
  stepping = 0;
  /** Loads and stores found going to a device (DEVICE_THRESHOLD). */
  deviceSites = 0;
  invalidated = 0;
  /** Whole-cache flushes (the bound reached). */
  flushes = 0;

  private readonly numPages: number;
  /** The back end in use ('wasm' only where the RAM is a WebAssembly memory). */
  readonly backend: Backend;
  /** The core whose region is running (handler calls from WebAssembly find it here). */
  private cur: Cpu | null = null;
  /** The WebAssembly back end's table of region functions: a slot per word of each page that holds
   * translated code (1,024 consecutive slots from the page's base in pageSlots, so that a region can
   * compute the slot of a jump's target in its page), holding the region entered there or, while
   * there is none, the stub (which leaves to the dispatcher); and the trampoline that calls a slot. */
  private readonly tab: WebAssembly.Table | null = null;
  private readonly pageSlots = new Map<number, number>();
  private readonly stub: Function | null = null;
  private readonly jump: Function | null = null;
  private readonly modules = new Map<string, WebAssembly.Module>();
  /** The RAM's WebAssembly memory (Ram.wasm), which every module imports, and its size in 64 KiB
   * pages (what the modules declare they import). */
  private readonly mem: WebAssembly.Memory | null;
  private readonly memPages: number;
  private readonly tramp: Trampoline = () => {};

  constructor(private readonly code: CodeCache, private readonly ram: Ram, backend: Backend = 'wasm') {
    this.numPages = ram.codePages.length;
    this.pages = new Array<PageBlocks | undefined>(this.numPages).fill(undefined);
    this.backend = backend === 'wasm' && ram.wasm !== null ? 'wasm' : 'js';
    const env = Number(process.env.A64EMU_JIT_THRESHOLD);
    this.threshold = Number.isInteger(env) && env >= 1 && env <= 65535 ? env : DEFAULT_THRESHOLD[this.backend];
    this.stepThreshold = Math.min(STEP_THRESHOLD, this.threshold);
    this.mem = ram.wasm as WebAssembly.Memory | null;
    this.memPages = ram.wasm === null ? 0 : ram.wasm.buffer.byteLength / 65536;
    if (this.backend === 'wasm') {
      this.tab = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
      const t = new WebAssembly.Instance(new WebAssembly.Module(trampolineBytes(WasmRegionWriter.stub(), this.memPages)),
        { env: { mem: this.mem!, tab: this.tab } });
      this.tramp = t.exports.t as Trampoline;
      this.stub = t.exports.s as Function;
      this.jump = t.exports.j as Function;
    }
    code.translator = this;
  }

  stats(): TranslationStats {
    return { blocks: this.blocks, bytes: this.bytes, compiled: this.compiled, stepping: this.stepping, deviceSites: this.deviceSites, invalidated: this.invalidated };
  }

  /** Words [w0, w1] of RAM page pfn were written: drop the blocks that cover any of them. */
  invalidate(pfn: number, w0: number, w1: number): void {
    const pb = this.pages[pfn];
    if (pb === undefined) return;
    pb.device.fill(0, w0, w1 + 1);
    this.invalidated += this.dropCovering(pb, w0, w1, 0);
  }

  /** Drop the blocks of page pb that cover any of words [w0, w1]; their entries' hot counts become
   * `hot`. Returns how many were dropped. */
  private dropCovering(pb: PageBlocks, w0: number, w1: number, hot: number): number {
    const list = pb.list;
    let kept = 0;
    for (let k = 0; k < list.length; k++) {
      const b = list[k];
      if (b.lo <= w1 && b.lo + b.span > w0) {
        this.drop(b);
        pb.entry[b.entry] = undefined;
        pb.hot[b.entry] = hot;
        this.blocks--;
        this.bytes -= b.bytes;
      } else list[kept++] = b;
    }
    const dropped = list.length - kept;
    list.length = kept;
    return dropped;
  }

  /** The load or store at word w of the core's fetch page, accessed inline by a region, went to a
   * device (the region left before it): at deviceThreshold times, the regions covering it are
   * translated again, the next time each is entered, calling its handler there. */
  private deviceAccess(c: Cpu, w: number): void {
    const pb = this.pages[c.curPfn];
    if (pb === undefined || pb.device[w] >= this.deviceThreshold) return;
    if (++pb.device[w] < this.deviceThreshold) return;
    this.deviceSites++;
    this.dropCovering(pb, w, w, this.threshold - 1);
  }

  /** Mark b invalid; its table slots get the stub back (regions that lead there keep the slot). */
  private drop(b: Block): void {
    b.valid = false;
    if (b.slot >= 0) this.tab!.set(b.slot, this.stub);
    if (b.stepped) this.tab!.set(b.slot + WORDS, this.stub);
  }

  /** The table slot of (RAM page pfn, word w) (the stepping variant's is WORDS on); the page's 2,048
   * are allocated (holding the stub) at the first use of one. */
  private slotOf(pfn: number, w: number): number {
    let base = this.pageSlots.get(pfn);
    if (base === undefined) {
      const tab = this.tab!;
      base = this.pageSlots.size * 2 * WORDS;
      if (base + 2 * WORDS > tab.length) tab.grow(base + 2 * WORDS - tab.length, this.stub);
      this.pageSlots.set(pfn, base);
    }
    return base + w;
  }

  /** Drop every block (a new image, or the cache bound reached). */
  clear(): void {
    for (const pb of this.pages) if (pb !== undefined) for (const b of pb.list) this.drop(b);
    // Slots are allocated anew (every one holds the stub again), so the jump caches naming them go.
    this.pageSlots.clear();
    for (const c of this.code.cores) c.dropJumps();
    this.pages = new Array<PageBlocks | undefined>(this.numPages).fill(undefined);
    this.blocks = 0;
    this.bytes = 0;
  }

  private pageBlocks(pfn: number): PageBlocks {
    let pb = this.pages[pfn];
    if (pb === undefined) {
      pb = {
        entry: new Array<Block | undefined>(WORDS).fill(undefined), hot: new Uint16Array(WORDS), list: [],
        cover: new Array<Block | undefined>(WORDS).fill(undefined), device: new Uint16Array(WORDS),
      };
      this.pages[pfn] = pb;
    }
    return pb;
  }

  /** Translate the region from word idx of the core's current fetch page: the words from idx on,
   * in address order, that are reached from it by falling through or by forward branches inside the
   * page, up to MAX_INSNS of them (a backward branch leaves it, except one to idx: the region's loop). */
  private compile(c: Cpu, pb: PageBlocks, idx: number): void {
    const page = c.curPage!;
    const trace: TraceInsn[] = [];
    const reach = new Uint8Array(WORDS + 1);
    reach[idx] = 1;
    let pending = 0; // reached words not yet visited, beyond the current one
    for (let w = idx; w < WORDS && trace.length < MAX_INSNS; w++) {
      if (reach[w] === 0) { if (pending === 0) break; continue; }
      if (w !== idx) pending--;
      const insn = page[w] ?? c.decodeAt(page, w);
      // An undefined word is not translated (usually data or zeroed memory after the code): the
      // interpreter takes its exception; a region that is shorter also fits small budgets.
      if (insn.name === 'UNDEFINED' && w !== idx) continue;
      trace.push({ insn, w, device: pb.device[w] >= this.deviceThreshold });
      const name = insn.name;
      const mark = (t: number): void => { if (t > w && t < WORDS && reach[t] === 0) { reach[t] = 1; pending++; } };
      if (name === 'B') mark(w + (insn.aux0 >> 2));
      else if (CONDITIONAL.has(name)) { mark(w + (insn.aux0 >> 2)); mark(w + 1); }
      else if (!endsBlock(insn)) mark(w + 1);
    }
    let lo = idx, hi = idx;
    for (const t of trace) { if (t.w < lo) lo = t.w; if (t.w > hi) hi = t.w; }
    let b: Block;
    if (this.backend === 'wasm') {
      // The bound is checked first (a flush frees the slots the code is written with); a region's
      // module is far smaller than MAX_MODULE.
      const full = this.pageSlots.size >= MAX_SLOT_PAGES && !this.pageSlots.has(c.curPfn);
      if (this.bytes + MAX_MODULE > MAX_BYTES || this.blocks >= MAX_BLOCKS || full) pb = this.flush(c);
      const pfn = c.curPfn, slot = this.slotOf(pfn, idx);
      const writer = WasmRegionWriter.write(trace, this.ram.cpOff, (w) => this.slotOf(pfn, w), { stepping: false, slot: slot + WORDS });
      const bytes = moduleBytes(writer.f, this.memPages);
      b = new Block(c.curPfn, lo, hi - lo + 1, bytes.length, idx, writer.entryLen);
      b.slot = slot;
      b.trace = trace;
      this.tab!.set(b.slot, this.instance(b, writer, bytes));
      for (const t of trace) { const o = pb.cover[t.w]; if (o === undefined || !o.valid) pb.cover[t.w] = b; }
    } else {
      const writer = new RegionWriter(trace);
      const body = writer.build();
      const decl = writer.insns.map((_, k) => `const I${k} = I[${k}];`).join(' ');
      const src = `${decl}\nreturn function region(c, budget) {\n${body}\n};`;
      if (this.bytes + src.length > MAX_BYTES || this.blocks >= MAX_BLOCKS) pb = this.flush(c);
      // Invalidation goes by the words a region covers: its first to its last (it may skip some).
      b = new Block(c.curPfn, lo, hi - lo + 1, src.length, idx, writer.entryLen);
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const factory = new Function('H', 'R', 'B', 'I', src) as (h: typeof HELPERS, r: Int32Array, b: Block, i: Insn[]) => RegionFn;
      b.fn = factory(HELPERS, R, b, writer.insns);
    }
    pb.entry[idx] = b;
    pb.list.push(b);
    this.blocks++;
    this.bytes += b.bytes;
    this.compiled++;
    // A region cut short at MAX_INSNS leaves to the words it reached but could not take in, as often
    // as it runs: they are about as hot as its entry, so each is translated the next time it is
    // reached, instead of after `threshold` more (a long straight line, such as an unrolled loop,
    // would otherwise be interpreted for threshold times its length in regions).
    if (trace.length === MAX_INSNS) {
      const hot = pb.hot, near = this.threshold - 1;
      for (let w = hi + 1; w < WORDS; w++) if (reach[w] !== 0 && hot[w] < near) hot[w] = near;
    }
  }

  /** An instance of the region b's function (or its stepping variant's) that writer wrote. */
  private instance(b: Block, writer: WasmRegionWriter, bytes: Uint8Array<ArrayBuffer>): Function {
    const inst = new WebAssembly.Instance(this.module(bytes), {
      env: { mem: this.mem!, call: this.caller(b, writer.insns), crc: DP_HELPERS.dpCrc, jump: this.jump!, pure: this.pureCaller(writer.insns) },
    });
    return inst.exports.f as Function;
  }

  /** Write the stepping variant of the WebAssembly region b (valid, on the core's fetch page) into its
   * slot; false (nothing written) when the cache has no room for it (the next region translated
   * flushes the cache then). */
  private compileStep(b: Block): boolean {
    if (this.bytes + MAX_MODULE > MAX_BYTES) return false;
    const pfn = b.pfn;
    const writer = WasmRegionWriter.write(b.trace!, this.ram.cpOff, (w) => this.slotOf(pfn, w), { stepping: true, slot: -1 });
    const bytes = moduleBytes(writer.f, this.memPages);
    this.tab!.set(b.slot + WORDS, this.instance(b, writer, bytes));
    b.stepped = true;
    b.bytes += bytes.length;
    this.bytes += bytes.length;
    this.stepping++;
    return true;
  }

  /** The compiled module of these bytes: the same code translated again at the same place (after it
   * was written with the same words, or after a flush) is not compiled again. */
  private module(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    let m = this.modules.get(key);
    if (m === undefined) {
      if (this.modules.size >= MAX_MODULES) this.modules.clear();
      m = new WebAssembly.Module(bytes);
      this.modules.set(key, m);
    }
    return m;
  }

  /** The cache bound is reached: drop everything; the current page's (new) blocks. */
  private flush(c: Cpu): PageBlocks {
    this.clear();
    this.flushes++;
    return this.pageBlocks(c.curPfn);
  }

  /** A WebAssembly region's calls of FP_PURE handlers (its import `pure`): the k-th called
   * instruction's handler on the running core, with the PC and retired count the region passes (as
   * the JavaScript back end's light calls leave them); nothing else for the region to reload. */
  private pureCaller(insns: Insn[]): (k: number, pcLo: number, pcHi: number, retired: number) => void {
    return (k, pcLo, pcHi, retired) => {
      const c = this.cur!;
      c.pcLo = pcLo;
      c.pcHi = pcHi;
      c.retiredInRun = retired;
      const i = insns[k];
      i.exec(c, i);
    };
  }

  /** A WebAssembly region's handler calls (its import `call`): the k-th called instruction's handler on
   * the running core, with the PC, retired count and flags the region passes; returns the flags, the
   * flow (bits 7:4) and bit 8 when the next instruction must be fetched anew (fetch cache reset, the
   * region invalidated, or the run's end moved: Cpu.endRound), and refreshes the slots the region
   * reads (AreaSlot.IRQ, MON). A region chained to from another page first makes its page the fetch
   * cache's (what a handler may read, as the interpreter leaves it). */
  private caller(b: Block, insns: Insn[]): (k: number, pcLo: number, pcHi: number, retired: number, nzcv: number) => number {
    return (k, pcLo, pcHi, retired, nzcv) => {
      const c = this.cur!;
      c.pcLo = pcLo;
      c.pcHi = pcHi;
      const vp = pcLo & -4096;
      if (vp !== c.curVLo || pcHi !== c.curVHi) c.fetchPage(vp, pcHi, b.pfn);
      c.retiredInRun = retired;
      c.nzcv = nzcv;
      const i = insns[k], end = c.end;
      i.exec(c, i);
      Translator.slotsIn(c);
      return c.nzcv | (c.flow << 4) | (c.curPage === null || !b.valid || c.end !== end ? 256 : 0);
    };
  }

  /** The exchange slots a WebAssembly region reads, from the core: before it runs and after each
   * handler it calls. */
  private static slotsIn(c: Cpu): void {
    const st = c.st;
    st[AreaSlot.IRQ] = c.irqPending ? 1 : 0;
    st[AreaSlot.MON] = c.monitor.active;
    st[AreaSlot.FPON] = fpOn(c) ? 1 : 0;
  }

  /** Run the WebAssembly region b (on the fetch cache's page) to c.end, from its slot or its stepping
   * variant's (`slot`, which starts at the PC): its page into the core's jump cache, its inputs into
   * the exchange slots, then its exit out of them (as a JavaScript region leaves the core). */
  private enter(c: Cpu, b: Block, slot: number): void {
    const st = c.st;
    c.noteJumps(b.slot - b.entry);
    Translator.slotsIn(c);
    this.cur = c;
    this.tramp(slot, c.area, c.end, c.retiredInRun, c.pcLo, c.pcHi, c.nzcv);
    c.retiredInRun = st[AreaSlot.XN];
    if (st[AreaSlot.XW] !== -1) { c.pcLo = st[AreaSlot.PCLO]; c.pcHi = st[AreaSlot.PCHI]; }
    c.flow = st[AreaSlot.XF];
    c.nzcv = st[AreaSlot.NZCV];
    const fill = st[AreaSlot.FILL];
    if (fill !== 0) { c.jitFill = fill; st[AreaSlot.FILL] = 0; }
  }

  /** Cpu.run's fast path with translation: blocks where translated and within the run (to c.end),
   * else the interpreter's own steps. Leaves exactly where Cpu.inner would (Flow.Exit, or a jump with
   * an interrupt pending, or c.end reached). entry: whether the PC counts as an entry (see the top). */
  run(c: Cpu, entry = true): void {
    try {
      outer: while (c.retiredInRun < c.end) {
        let idx: number;
        if (c.curPage !== null && (c.pcLo & ~0xfff) === c.curVLo && c.pcHi === c.curVHi && (c.pcLo & 3) === 0) {
          idx = (c.pcLo & 0xfff) >>> 2;
        } else {
          c.fetchSlow(); // may take an abort (and throw), as in the interpreter
          idx = (c.pcLo & 0xfff) >>> 2;
        }
        const page = c.curPage!;
        let ways: (Block | undefined)[] | null = null;
        if (c.slow === 0) {
          // Where a jump, a region or an access translated code left to the interpreter went (entry):
          // an entry, or a candidate for one. Straight-line interpreted code (where a quantum started or
          // ended inside a region) is not counted, but joins a region where one starts.
          let pb = this.pages[c.curPfn] ?? this.pageBlocks(c.curPfn);
          let b = pb.entry[idx];
          if (b === undefined && entry && ++pb.hot[idx] >= this.threshold) {
            this.compile(c, pb, idx);
            pb = this.pages[c.curPfn]!; // (a new one if the cache bound flushed everything)
            b = pb.entry[idx];
          }
          if (c.jitFill === 0) {
            // The region here, when its first block fits in the budget; else, where the region here has
            // no room for that block or a region's code is entered other than at its entry, a
            // WebAssembly region's stepping variant, when it has one; or should now, counting only
            // where a quantum ends (no room) or starts (a word reached otherwise becomes an entry of
            // its own if it is hot).
            let r: Block | undefined, slot = -1;
            if (b !== undefined && c.retiredInRun + b.n <= c.end) { r = b; slot = b.slot; }
            else {
              const s = b ?? pb.cover[idx];
              if (s !== undefined && s.valid && s.slot >= 0 &&
                (s.stepped || ((b !== undefined || c.retiredInRun === 0) && ++s.hits >= this.stepThreshold && this.compileStep(s)))) {
                r = s; slot = s.slot + WORDS;
              }
            }
            if (r !== undefined) {
              const n0 = c.retiredInRun;
              if (slot >= 0) this.enter(c, r, slot); else r.fn(c, c.end);
              // (A stepping variant always runs at least one instruction or asks for a fill; were it
              // ever to return having done neither, entering it again would loop forever: the
              // interpreter goes on instead.)
              if (slot === r.slot || c.retiredInRun !== n0 || c.jitFill !== 0) {
                entry = true;
                const f = c.flow;
                if (f !== Flow.Next) {
                  c.flow = Flow.Next;
                  if (f === Flow.Exit || c.irqPending) break;
                }
                continue;
              }
            }
          }
          ways = pb.entry;
        }
        // Interpret, as Cpu.inner does, along the straight line from here: to a jump, the budget, the
        // end of the page, or a word a region is entered at.
        entry = false;
        for (;;) {
          const insn = page[idx] ?? c.decodeAt(page, idx);
          const fill = c.jitFill;
          insn.exec(c, insn);
          c.retiredInRun++;
          if (fill !== 0) {
            // Translated code left before this access: remember its page for the next time (whatever
            // the instruction did next, so that no stale request outlives this run).
            c.jitFill = 0;
            if (fill !== 3) {
              c.dtlbFill(fill === 1 ? c.dtlbR : c.dtlbW, c.lastVlo, c.lastVhi);
              if (c.lastAccessDevice()) this.deviceAccess(c, idx);
            }
          }
          const f = c.flow;
          if (f !== Flow.Next) {
            c.flow = Flow.Next;
            if (f === Flow.Exit || c.irqPending) break outer;
            entry = true;
            continue outer;
          }
          const l = (c.pcLo + 4) | 0;
          if (l === 0) c.pcHi = (c.pcHi + 1) | 0;
          c.pcLo = l;
          // Where the straight line goes on after such an access counts as an entry (a region may start
          // there).
          if (fill !== 0) { entry = true; continue outer; }
          // A straight line that runs into the next page counts there as at an entry (it would never
          // be counted otherwise, since nothing jumps there).
          if (++idx === 1024) { entry = true; continue outer; }
          // A handler that dropped the fetch cache sends the next fetch the slow way.
          if (c.curPage !== page || c.retiredInRun >= c.end) continue outer;
          if (ways !== null && ways[idx] !== undefined) continue outer;
        }
      }
    } catch (e) {
      c.jitFill = 0;
      if (e !== INSN_ABORTED) throw e;
      c.flow = Flow.Next;
      c.unpriv = 0;
      c.retiredInRun++;
    }
  }
}
