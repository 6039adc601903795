// A sorted symbol table: lookup by name, and address -> "name+0x14" for traces, deadlock reports and
// the disassembler. Addresses are BigInt (symbols of a kernel linked high do not fit a double); this is
// never on the per-instruction path.

export type SymbolKind = 'func' | 'object' | 'label';

export interface Symbol {
  name: string;
  addr: bigint;
  /** Size from the symbol table; 0 for labels and unsized symbols. */
  size: bigint;
  kind: SymbolKind;
  global: boolean;
  /** End (exclusive) of the range this symbol covers when symbolizing: addr + size for sized symbols;
   * for unsized ones, the next symbol or the end of its section, whichever comes first; addr itself
   * when nothing bounds it (the symbol then only names its own address). */
  end: bigint;
}

/** An input symbol before extents are computed: the section bounds, when the symbol has a section. */
export interface RawSymbol {
  name: string;
  addr: bigint;
  size: bigint;
  kind: SymbolKind;
  global: boolean;
  /** End of the containing section (exclusive), or undefined (absolute or unknown). */
  sectionEnd?: bigint;
}

const KIND_RANK: Record<SymbolKind, number> = { label: 0, object: 1, func: 2 };

/** Preference among symbols at the same address: functions over objects over labels, global over
 * local, sized over unsized. Higher is better. */
function rank(s: RawSymbol): number {
  return KIND_RANK[s.kind] * 4 + (s.global ? 2 : 0) + (s.size > 0n ? 1 : 0);
}

export class SymbolTable {
  /** Sorted by address; at equal addresses the preferred symbol comes last. */
  readonly symbols: readonly Symbol[];
  private readonly byName = new Map<string, Symbol>();
  /** maxEnd[i] = the largest `end` among symbols[0..i], to bound the backward search. */
  private readonly maxEnd: bigint[];

  constructor(raw: readonly RawSymbol[]) {
    const sorted = [...raw].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : rank(a) - rank(b)));
    const out: Symbol[] = [];
    // Next strictly greater address for each index, scanning from the end.
    const nextAddr: (bigint | undefined)[] = new Array(sorted.length);
    let next: bigint | undefined;
    for (let k = sorted.length - 1; k >= 0; k--) {
      if (k + 1 < sorted.length && sorted[k + 1].addr > sorted[k].addr) next = sorted[k + 1].addr;
      nextAddr[k] = next;
    }
    for (let k = 0; k < sorted.length; k++) {
      const s = sorted[k];
      let end: bigint;
      if (s.size > 0n) end = s.addr + s.size;
      else if (s.sectionEnd !== undefined && s.sectionEnd > s.addr) {
        const n = nextAddr[k];
        end = n !== undefined && n < s.sectionEnd ? n : s.sectionEnd;
      } else end = s.addr;
      out.push({ name: s.name, addr: s.addr, size: s.size, kind: s.kind, global: s.global, end });
    }
    this.symbols = out;
    this.maxEnd = new Array(out.length);
    let m = -1n;
    for (let k = 0; k < out.length; k++) {
      if (out[k].end > m) m = out[k].end;
      this.maxEnd[k] = m;
    }
    for (const s of out) {
      const prev = this.byName.get(s.name);
      if (prev === undefined || (!prev.global && s.global)) this.byName.set(s.name, s);
    }
  }

  get size(): number { return this.symbols.length; }

  /** The symbol of that name (a global one if the name is also used by locals). */
  lookup(name: string): Symbol | undefined {
    return this.byName.get(name);
  }

  /** The innermost symbol covering addr, and the offset into it. */
  find(addr: bigint | number): { symbol: Symbol; offset: bigint } | undefined {
    const a = toBig(addr);
    if (a === undefined) return undefined;
    const syms = this.symbols;
    // Last index with symbols[i].addr <= a.
    let lo = 0, hi = syms.length - 1, i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (syms[mid].addr <= a) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let k = i; k >= 0; k--) {
      if (this.maxEnd[k] <= a && syms[k].addr !== a) {
        // Nothing at or before k reaches a; only symbols exactly at a (none left) could name it.
        return undefined;
      }
      const s = syms[k];
      if (s.addr === a || a < s.end) return { symbol: s, offset: a - s.addr };
    }
    return undefined;
  }

  /** "name" or "name+0x14"; undefined when no symbol covers addr. */
  symbolize(addr: bigint | number): string | undefined {
    const f = this.find(addr);
    if (f === undefined) return undefined;
    return f.offset === 0n ? f.symbol.name : `${f.symbol.name}+0x${f.offset.toString(16)}`;
  }
}

function toBig(addr: bigint | number): bigint | undefined {
  if (typeof addr === 'bigint') return addr;
  if (!Number.isInteger(addr) || addr < 0) return undefined;
  return BigInt(addr);
}
