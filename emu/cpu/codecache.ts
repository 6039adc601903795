// Decoded instructions, cached per physical RAM page and shared by all cores. A store into a page that
// holds decoded code drops just the decoded words it overwrote (the RAM marks such pages), so
// self-modifying code and loaders see their new instructions, while data that merely shares a page
// with code (a .data section right after .text) costs a lookup, not a re-decode of the page.

import type { Insn } from './insn.js';
import type { Ram } from '../mem/ram.js';
import { PAGE_SHIFT, PAGE_CODE } from '../mem/ram.js';

type Page = (Insn | undefined)[];

export interface FetchingCore { curPfn: number; curPage: Page | null; resetFetch(): void; dropJumps(): void }

export class CodeCache {
  /** Decoded pages by RAM page index (page number from the start of RAM). */
  private readonly pages: (Page | undefined)[];
  readonly cores: FetchingCore[] = [];
  /** The block translator, told of every invalidation (translator/translator.ts). */
  translator: { invalidate(pfn: number, w0: number, w1: number): void; clear(): void } | null = null;

  constructor(private readonly ram: Ram) {
    this.pages = new Array<Page | undefined>(ram.codePages.length).fill(undefined);
    ram.onCodeWrite = (off, len) => this.invalidate(off, len);
  }

  /** The decoded-instruction array for RAM page `pfn`. */
  page(pfn: number): Page {
    let p = this.pages[pfn];
    if (p === undefined) {
      p = new Array<Insn | undefined>(1 << (PAGE_SHIFT - 2)).fill(undefined);
      this.pages[pfn] = p;
      this.ram.codePages[pfn] |= PAGE_CODE;
    }
    return p;
  }

  /** Bytes [off, off+len) of RAM were written: forget the instructions decoded from them. */
  invalidate(off: number, len: number): void {
    const last = off + len - 1;
    for (let pfn = off >>> PAGE_SHIFT; pfn <= last >>> PAGE_SHIFT; pfn++) {
      const p = this.pages[pfn];
      if (p === undefined) continue;
      const base = pfn << PAGE_SHIFT;
      const w0 = (Math.max(off, base) - base) >>> 2;
      const w1 = (Math.min(last, base + (1 << PAGE_SHIFT) - 1) - base) >>> 2;
      for (let w = w0; w <= w1; w++) p[w] = undefined;
      if (this.translator !== null) this.translator.invalidate(pfn, w0, w1);
    }
  }

  /** The decoded page for `pfn` if there is one (a fetch cache still pointing at it is valid). */
  cached(pfn: number): Page | undefined { return this.pages[pfn]; }

  /** Drop everything (a new image). */
  clear(): void {
    this.pages.fill(undefined);
    const f = this.ram.codePages; // the other bits (PAGE_SAVE) belong to the snapshot store
    for (let k = 0; k < f.length; k++) f[k] &= ~PAGE_CODE;
    if (this.translator !== null) this.translator.clear();
    for (const c of this.cores) c.resetFetch();
  }
}
