// The block translator: hot guest code becomes JavaScript functions (see codegen.ts for what a
// region's function does). One Translator per machine, shared by its cores (functions take the core as
// their argument), so N cores running the same code translate it once.
//
// A region is the code reachable from a hot entry inside one physical page by falling through and by
// forward branches (up to MAX_INSNS instructions), with a loop back to its entry; it is entered only
// there.
//
// Regions are keyed by physical location: RAM page number and word index. A region never crosses a
// page, and it is only entered through the core's fetch cache (curPage/curVLo/curPfn), which holds the
// current translation of the PC's page: so a region never runs under a mapping other than the one just
// checked, and TLB maintenance or an MMU change (Cpu.resetFetch) needs no flush here. Written code
// (CodeCache.invalidate, fed by the RAM's code-page marks, the same path as Cpu.stored) drops every
// region covering a written word; a region that wrote its own code (through a handler) stops after it.
//
// Hotness: a counter per entry word (a PC reached by a jump, where translated code left to the
// interpreter, or where a straight line runs into the next page); at `threshold` executions the region
// is translated. Cold code is interpreted by the same steps as Cpu.inner.
//
// Cache bound: when the generated source would exceed MAX_BYTES (or MAX_BLOCKS regions), everything is
// dropped and translation starts again (QEMU's policy for a full translation buffer). `bytes` counts
// the generated JavaScript source characters, a proxy for the memory V8 holds for it.

import { Cpu, Flow, INSN_ABORTED } from '../cpu.js';
import type { Insn } from '../insn.js';
import type { CodeCache } from '../codecache.js';
import { PAGE_SHIFT } from '../../mem/ram.js';
import { R } from '../int64.js';
import { checkSp, ea } from '../a64/ldst_exclusive.js';
import { DP_HELPERS } from './emit-dp.js';
import { fpOn } from '../a64/simd_fp.js';
import { RegionWriter, TraceInsn, CONDITIONAL, endsBlock } from './codegen.js';

const WORDS = 1 << (PAGE_SHIFT - 2);
/** Executions of an entry before its region is translated. High on purpose: translated code that runs
 * rarely costs more than it saves (V8 compiles it, and every distinct function a dispatcher calls costs
 * instruction-cache misses), so only the hottest code is translated and the rest is interpreted. */
export const DEFAULT_THRESHOLD = 10_000;
/** Most instructions in one region. */
const MAX_INSNS = 32;
export const MAX_BYTES = 64 * 1024 * 1024;
export const MAX_BLOCKS = 1 << 16;

export type RegionFn = (c: Cpu, budget: number) => void;

/** One translated region. */
export class Block {
  valid = true;
  fn: RegionFn = noop;
  /** lo..lo+span-1: the words it was translated from; entry: its first word, whose basic block has n
   * instructions (the dispatcher's budget check: the function itself leaves at once when the block
   * does not fit). */
  constructor(readonly pfn: number, readonly lo: number, readonly span: number, readonly bytes: number, readonly entry: number, readonly n: number) {}
}

function noop(): void {}

interface PageBlocks {
  /** The region entered at each word, if translated. */
  entry: (Block | undefined)[];
  /** Executions seen at each word while not yet translated. */
  hot: Uint16Array;
  /** Every region on the page, for invalidation. */
  list: Block[];
}

/** Helpers the generated code calls (closure argument H). */
const HELPERS = { checkSp, ea, fpOn, ...DP_HELPERS };

export interface TranslationStats { blocks: number; bytes: number; compiled: number; invalidated: number }

export class Translator {
  /** By RAM page number; a filled array (a sparse one would be a slow dictionary). */
  private pages: (PageBlocks | undefined)[];
  /** Executions of a block entry before it is translated. */
  threshold: number;
  blocks = 0;
  bytes = 0;
  compiled = 0;
  invalidated = 0;
  /** Whole-cache flushes (the bound reached). */
  flushes = 0;

  constructor(private readonly code: CodeCache, private readonly numPages: number) {
    this.pages = new Array<PageBlocks | undefined>(numPages).fill(undefined);
    const env = Number(process.env.A64EMU_JIT_THRESHOLD);
    this.threshold = Number.isInteger(env) && env >= 1 && env <= 65535 ? env : DEFAULT_THRESHOLD;
    code.translator = this;
  }

  stats(): TranslationStats {
    return { blocks: this.blocks, bytes: this.bytes, compiled: this.compiled, invalidated: this.invalidated };
  }

  /** Words [w0, w1] of RAM page pfn were written: drop the blocks that cover any of them. */
  invalidate(pfn: number, w0: number, w1: number): void {
    const pb = this.pages[pfn];
    if (pb === undefined || pb.list.length === 0) return;
    const list = pb.list;
    let kept = 0;
    for (let k = 0; k < list.length; k++) {
      const b = list[k];
      if (b.lo <= w1 && b.lo + b.span > w0) {
        b.valid = false;
        pb.entry[b.entry] = undefined;
        pb.hot[b.entry] = 0;
        this.blocks--;
        this.bytes -= b.bytes;
        this.invalidated++;
      } else list[kept++] = b;
    }
    list.length = kept;
  }

  /** Drop every block (a new image, or the cache bound reached). */
  clear(): void {
    for (const pb of this.pages) if (pb !== undefined) for (const b of pb.list) b.valid = false;
    this.pages = new Array<PageBlocks | undefined>(this.numPages).fill(undefined);
    this.blocks = 0;
    this.bytes = 0;
  }

  private pageBlocks(pfn: number): PageBlocks {
    let pb = this.pages[pfn];
    if (pb === undefined) {
      pb = { entry: new Array<Block | undefined>(WORDS).fill(undefined), hot: new Uint16Array(WORDS), list: [] };
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
      trace.push({ insn, w });
      const name = insn.name;
      const mark = (t: number): void => { if (t > w && t < WORDS && reach[t] === 0) { reach[t] = 1; pending++; } };
      if (name === 'B') mark(w + (insn.aux0 >> 2));
      else if (CONDITIONAL.has(name)) { mark(w + (insn.aux0 >> 2)); mark(w + 1); }
      else if (!endsBlock(insn)) mark(w + 1);
    }
    let lo = idx, hi = idx;
    for (const t of trace) { if (t.w < lo) lo = t.w; if (t.w > hi) hi = t.w; }
    const writer = new RegionWriter(trace);
    const body = writer.build();
    const decl = writer.insns.map((_, k) => `const I${k} = I[${k}];`).join(' ');
    const src = `${decl}\nreturn function region(c, budget) {\n${body}\n};`;
    if (this.bytes + src.length > MAX_BYTES || this.blocks >= MAX_BLOCKS) {
      this.clear();
      this.flushes++;
      pb = this.pageBlocks(c.curPfn);
    }
    // Invalidation goes by the words a region covers: its first to its last (it may skip some).
    const b = new Block(c.curPfn, lo, hi - lo + 1, src.length, idx, writer.entryLen);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('H', 'R', 'B', 'I', src) as (h: typeof HELPERS, r: Int32Array, b: Block, i: Insn[]) => RegionFn;
    b.fn = factory(HELPERS, R, b, writer.insns);
    pb.entry[idx] = b;
    pb.list.push(b);
    this.blocks++;
    this.bytes += src.length;
    this.compiled++;
  }

  /** Cpu.run's fast path with translation: blocks where translated and within the budget, else the
   * interpreter's own steps. Leaves exactly where Cpu.inner would (Flow.Exit, or a jump with an
   * interrupt pending, or the budget reached). */
  run(c: Cpu, budget: number): void {
    let entry = true;
    try {
      outer: while (c.retiredInRun < budget) {
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
          if (b !== undefined && c.retiredInRun + b.n <= budget && c.jitFill === 0) {
            b.fn(c, budget);
            entry = true;
            const f = c.flow;
            if (f !== Flow.Next) {
              c.flow = Flow.Next;
              if (f === Flow.Exit || c.irqPending) break;
            }
            continue;
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
            if (fill !== 3) c.dtlbFill(fill === 1 ? c.dtlbR : c.dtlbW, c.lastVlo, c.lastVhi);
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
          if (c.curPage !== page || c.retiredInRun >= budget) continue outer;
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
