// Trace filters: which events reach a writer. Applied by the tracer on raw numbers, before anything is
// formatted. Every given condition must hold (AND); a condition with several values matches any (OR).
//
//   core=0,1            events of these cores
//   kind=insn,sgi       these event kinds (the `t` field)
//   el=1                events while the core is at these ELs (an instruction's EL for its events)
//   addr=0x40200000-0x40210000   instructions (and their register writes) whose PC is in the range,
//                       and memory accesses whose virtual address is in it (end exclusive; several
//                       ranges may be given, comma-separated); other events pass
//   sym=acquire_spinlock        as addr=, with the range the ELF symbol covers (function or object)

import { EVENT_KINDS, EventKind } from './events.js';

export interface TraceFilter {
  cores: Set<number> | null;
  kinds: Set<EventKind> | null;
  els: Set<number> | null;
  /** [start, end) ranges; null = any address. */
  ranges: [number, number][] | null;
}

export const NO_FILTER: TraceFilter = { cores: null, kinds: null, els: null, ranges: null };

export class FilterError extends Error {}

/** Resolves a symbol name to [start, end), or undefined when the image has no such symbol. */
export type SymbolRange = (name: string) => [number, number] | undefined;

function parseNum(s: string, what: string): number {
  const v = Number(s.trim());
  if (!Number.isSafeInteger(v) || v < 0) throw new FilterError(`bad ${what} '${s}' in --trace-filter`);
  return v;
}

/** Parse repeated `--trace-filter key=values` options into one filter (AND of all). */
export function parseFilters(specs: readonly string[], symbolRange?: SymbolRange): TraceFilter {
  const f: TraceFilter = { cores: null, kinds: null, els: null, ranges: null };
  const and = <T>(prev: Set<T> | null, next: Set<T>): Set<T> => (prev === null ? next : new Set([...prev].filter((x) => next.has(x))));
  let ranges: [number, number][] | null = null;
  const andRanges = (next: [number, number][]) => {
    if (ranges === null) { ranges = next; return; }
    const out: [number, number][] = [];
    for (const [a, b] of ranges) for (const [c, d] of next) { const s = Math.max(a, c), e = Math.min(b, d); if (s < e) out.push([s, e]); }
    ranges = out;
  };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) throw new FilterError(`--trace-filter ${spec}: expected key=value (core, kind, el, addr, sym)`);
    const key = spec.slice(0, eq).trim(), vals = spec.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (vals.length === 0) throw new FilterError(`--trace-filter ${spec}: no values`);
    switch (key) {
      case 'core': f.cores = and(f.cores, new Set(vals.map((v) => parseNum(v, 'core')))); break;
      case 'el': f.els = and(f.els, new Set(vals.map((v) => {
        const n = parseNum(v.replace(/^el/i, ''), 'EL');
        if (n > 3) throw new FilterError(`bad EL '${v}' in --trace-filter`);
        return n;
      }))); break;
      case 'kind': f.kinds = and(f.kinds, new Set(vals.map((v) => {
        if (!(EVENT_KINDS as readonly string[]).includes(v)) throw new FilterError(`unknown event kind '${v}' in --trace-filter (kinds: ${EVENT_KINDS.join(', ')})`);
        return v as EventKind;
      }))); break;
      case 'addr': andRanges(vals.map((v) => {
        const m = /^(.+?)(?:-|\.\.)(.+)$/.exec(v);
        if (m === null) { const a = parseNum(v, 'address'); return [a, a + 1] as [number, number]; }
        const a = parseNum(m[1], 'address'), b = parseNum(m[2], 'address');
        if (b <= a) throw new FilterError(`empty address range '${v}' in --trace-filter`);
        return [a, b] as [number, number];
      })); break;
      case 'sym': andRanges(vals.map((v) => {
        const r = symbolRange?.(v);
        if (r === undefined) throw new FilterError(`--trace-filter sym=${v}: no such symbol in the image`);
        return r;
      })); break;
      default: throw new FilterError(`--trace-filter ${spec}: unknown key '${key}' (core, kind, el, addr, sym)`);
    }
  }
  f.ranges = ranges;
  return f;
}

/** Is address a (a number; exact below 2^53) in one of the ranges? */
export function inRanges(ranges: [number, number][], a: number): boolean {
  for (let k = 0; k < ranges.length; k++) if (a >= ranges[k][0] && a < ranges[k][1]) return true;
  return false;
}
