// The block translator: hot guest code becomes JavaScript functions (see codegen.ts for what a block
// does). One Translator per machine, shared by its cores (blocks take the core as their argument), so
// N cores running the same code translate it once.
//
// Blocks are keyed by physical location: RAM page number and word index of their first instruction.
// A block never crosses a page, and it is only entered through the core's fetch cache (curPage/curVLo/
// curPfn), which holds the current translation of the PC's page: so a block is never run under a
// mapping other than the one just checked, and TLB maintenance or an MMU change (Cpu.resetFetch)
// needs no flush here. Written code (CodeCache.invalidate, fed by the RAM's code-page marks, the same
// path as Cpu.stored) drops every block covering a written word, and a block that is running stops
// after the store.
//
// Hotness: a counter per block entry (a PC reached by a jump, or where a block or the interpreter's
// straight line left off); at `threshold` executions the block is translated. Cold code is interpreted
// by the same steps as Cpu.inner.
//
// Cache bound: when the generated source would exceed MAX_BYTES (or MAX_BLOCKS blocks), everything is
// dropped and translation starts again (QEMU's policy for a full translation buffer). `bytes` counts
// the generated JavaScript source characters, a proxy for the memory V8 holds for it.

import { Cpu, Flow, INSN_ABORTED } from '../cpu.js';
import type { Insn } from '../insn.js';
import type { CodeCache } from '../codecache.js';
import { PAGE_SHIFT } from '../../mem/ram.js';
import { R } from '../int64.js';
import { checkSp, ea } from '../a64/ldst_exclusive.js';
import { BlockWriter, TraceInsn, endsBlock } from './codegen.js';
import { DP_HELPERS } from './emit-dp.js';

const WORDS = 1 << (PAGE_SHIFT - 2);
/** Branches a trace continues past (on the not-taken path). */
const CONDITIONAL = new Set(['B.cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ']);
/** Longest block, in instructions. */
const MAX_INSNS = 64;
export const MAX_BYTES = 64 * 1024 * 1024;
export const MAX_BLOCKS = 1 << 16;

export type BlockFn = (c: Cpu, budget: number) => void;

export class Block {
  valid = true;
  fn: BlockFn = noop;
  /** lo..lo+span-1: the words it was translated from; n: the instructions of one pass (the budget
   * check); entry: its first word. */
  constructor(readonly pfn: number, readonly lo: number, readonly span: number, readonly n: number, readonly bytes: number, readonly entry: number) {}
}

function noop(): void {}

interface PageBlocks {
  /** Block starting at each word, if translated. */
  entry: (Block | undefined)[];
  /** Executions seen at each word while not yet translated. */
  hot: Uint16Array;
  /** Every block on the page, for invalidation. */
  list: Block[];
}

/** Helpers the generated code calls (closure argument H). */
const HELPERS = { checkSp, ea, ...DP_HELPERS };

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
    this.threshold = Number.isInteger(env) && env >= 1 ? env : 1000;
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

  /** Translate the block at word idx of the core's current fetch page. */
  private compile(c: Cpu, pb: PageBlocks, idx: number): void {
    const page = c.curPage!;
    const trace: TraceInsn[] = [];
    const seen = new Set<number>();
    let w = idx;
    while (trace.length < MAX_INSNS) {
      const insn = page[w] ?? c.decodeAt(page, w);
      // Stop before an undefined word (usually data or zeroed memory after the code): it needs no
      // translation, and a block that is shorter fits small budgets (the instruction tests' one run).
      if (insn.name === 'UNDEFINED' && trace.length > 0) break;
      trace.push({ insn, w });
      seen.add(w);
      let next = w + 1;
      if (insn.name === 'B') next = w + (insn.aux0 >> 2); // follow it within the page
      else if (endsBlock(insn) && !CONDITIONAL.has(insn.name)) break;
      if (next < 0 || next >= WORDS || seen.has(next)) break;
      w = next;
    }
    const insns = trace.map((t) => t.insn);
    const body = new BlockWriter(trace).build();
    const decl = insns.map((_, k) => `const I${k} = I[${k}];`).join(' ');
    const src = `${decl}\nreturn function block(c, budget) {\n${body}\n};`;
    if (this.bytes + src.length > MAX_BYTES || this.blocks >= MAX_BLOCKS) {
      this.clear();
      this.flushes++;
      pb = this.pageBlocks(c.curPfn);
    }
    // Invalidation goes by the words a block covers: its first to its last (a trace may skip some).
    let lo = idx, hi = idx;
    for (const t of trace) { if (t.w < lo) lo = t.w; if (t.w > hi) hi = t.w; }
    const b = new Block(c.curPfn, lo, hi - lo + 1, insns.length, src.length, idx);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('H', 'R', 'B', 'I', src) as (h: typeof HELPERS, r: Int32Array, b: Block, i: Insn[]) => BlockFn;
    b.fn = factory(HELPERS, R, b, insns);
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
      while (c.retiredInRun < budget) {
        const page0 = c.curPage;
        let idx: number;
        if (page0 !== null && (c.pcLo & ~0xfff) === c.curVLo && c.pcHi === c.curVHi && (c.pcLo & 3) === 0) {
          idx = (c.pcLo & 0xfff) >>> 2;
        } else {
          c.fetchSlow(); // may take an abort (and throw), as in the interpreter
          idx = (c.pcLo & 0xfff) >>> 2;
        }
        const page = c.curPage!;
        if (entry && c.slow === 0) {
          const pb = this.pages[c.curPfn] ?? this.pageBlocks(c.curPfn);
          let b = pb.entry[idx];
          if (b === undefined && ++pb.hot[idx] >= this.threshold) {
            this.compile(c, pb, idx);
            b = this.pages[c.curPfn]!.entry[idx];
          }
          if (b !== undefined && c.retiredInRun + b.n <= budget) {
            b.fn(c, budget);
            const f = c.flow;
            if (f !== Flow.Next) {
              c.flow = Flow.Next;
              if (f === Flow.Exit || c.irqPending) break;
            }
            continue;
          }
        }
        // Interpret one instruction, as Cpu.inner does.
        const insn = page[idx] ?? c.decodeAt(page, idx);
        insn.exec(c, insn);
        c.retiredInRun++;
        const f = c.flow;
        if (f === Flow.Next) {
          const l = (c.pcLo + 4) | 0;
          if (l === 0) c.pcHi = (c.pcHi + 1) | 0;
          c.pcLo = l;
          entry = false;
        } else {
          c.flow = Flow.Next;
          if (f === Flow.Exit || c.irqPending) break;
          entry = true;
        }
      }
    } catch (e) {
      if (e !== INSN_ABORTED) throw e;
      c.flow = Flow.Next;
      c.unpriv = 0;
      c.retiredInRun++;
    }
  }
}
