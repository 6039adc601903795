// Decoded instructions, cached per physical RAM page and shared by all cores. A store to a page that
// holds decoded code drops that page (the RAM marks such pages), and every core forgets its fetch
// pointer into it, so self-modifying code and loaders see their new instructions.

import type { Insn } from './insn.js';
import type { Ram } from '../mem/ram.js';

type Page = (Insn | undefined)[];

export interface FetchingCore { curPfn: number; curPage: Page | null; resetFetch(): void }

export class CodeCache {
  private readonly pages = new Map<number, Page>();
  readonly cores: FetchingCore[] = [];

  constructor(private readonly ram: Ram) {
    ram.onCodeWrite = (pfn) => this.invalidate(pfn);
  }

  /** The decoded-instruction array for RAM page `pfn` (page index from the start of RAM). */
  page(pfn: number): Page {
    let p = this.pages.get(pfn);
    if (p === undefined) {
      p = new Array<Insn | undefined>(1024).fill(undefined);
      this.pages.set(pfn, p);
      this.ram.codePages[pfn] = 1;
    }
    return p;
  }

  invalidate(pfn: number): void {
    if (!this.pages.delete(pfn)) return;
    this.ram.codePages[pfn] = 0;
    for (const c of this.cores) if (c.curPage !== null && c.curPfn === pfn) c.resetFetch();
  }

  clear(): void {
    for (const pfn of [...this.pages.keys()]) this.invalidate(pfn);
  }
}
