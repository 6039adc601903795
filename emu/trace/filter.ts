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
  /** Address ranges; null = any address. */
  ranges: AddrRange[] | null;
}

/** [start, end) of 64-bit addresses, kept exact (bigint), with the unsigned 32-bit halves of start and
 * of end - 1 for inRanges, which runs per access and so uses no BigInt. */
export interface AddrRange {
  readonly start: bigint; readonly end: bigint;
  readonly sLo: number; readonly sHi: number; readonly lLo: number; readonly lHi: number;
}

export function addrRange(start: bigint, end: bigint): AddrRange {
  const last = end - 1n;
  return {
    start, end,
    sLo: Number(start & 0xffff_ffffn), sHi: Number(start >> 32n),
    lLo: Number(last & 0xffff_ffffn), lHi: Number(last >> 32n),
  };
}

export const NO_FILTER: TraceFilter = { cores: null, kinds: null, els: null, ranges: null };

export class FilterError extends Error {}

/** Resolves a symbol name to [start, end), or undefined when the image has no such symbol. */
export type SymbolRange = (name: string) => [bigint | number, bigint | number] | undefined;

const TWO64 = 1n << 64n;

function parseNum(s: string, what: string): number {
  const v = Number(s.trim());
  if (!Number.isSafeInteger(v) || v < 0) throw new FilterError(`bad ${what} '${s}' in --trace-filter`);
  return v;
}

/** An address, exact to 64 bits (decimal or 0x hex). */
function parseAddr(s: string): bigint {
  const t = s.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t) || BigInt(t) >= TWO64) throw new FilterError(`bad address '${s}' in --trace-filter`);
  return BigInt(t);
}

/** Parse repeated `--trace-filter key=values` options into one filter (AND of all). With `ncores`,
 * a filter that can select no event of a machine with that many cores is an error too. */
export function parseFilters(specs: readonly string[], symbolRange?: SymbolRange, ncores?: number): TraceFilter {
  const f: TraceFilter = { cores: null, kinds: null, els: null, ranges: null };
  const and = <T>(prev: Set<T> | null, next: Set<T>): Set<T> => (prev === null ? next : new Set([...prev].filter((x) => next.has(x))));
  let ranges: [bigint, bigint][] | null = null;
  const andRanges = (next: [bigint, bigint][]) => {
    if (ranges === null) { ranges = next; return; }
    const out: [bigint, bigint][] = [];
    for (const [a, b] of ranges) for (const [c, d] of next) { const s = a > c ? a : c, e = b < d ? b : d; if (s < e) out.push([s, e]); }
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
        if (m === null) { const a = parseAddr(v); return [a, a + 1n] as [bigint, bigint]; }
        const a = parseAddr(m[1]), b = parseAddr(m[2]);
        if (b <= a) throw new FilterError(`empty address range '${v}' in --trace-filter`);
        return [a, b] as [bigint, bigint];
      })); break;
      case 'sym': andRanges(vals.map((v) => {
        const r = symbolRange?.(v);
        if (r === undefined) throw new FilterError(`--trace-filter sym=${v}: no such symbol in the image`);
        return [BigInt(r[0]), BigInt(r[1])] as [bigint, bigint];
      })); break;
      default: throw new FilterError(`--trace-filter ${spec}: unknown key '${key}' (core, kind, el, addr, sym)`);
    }
  }
  // A filter that can select nothing is a mistake, not a request for an empty trace.
  const none = (what: string): never => { throw new FilterError(`--trace-filter ${specs.join(' ')}: ${what}, so nothing would be traced`); };
  if (f.cores !== null) {
    if (f.cores.size === 0) none('the core= conditions have no core in common');
    if (ncores !== undefined && ![...f.cores].some((c) => c < ncores)) none(`no core ${[...f.cores].join(',')} on a ${ncores}-core machine (cores 0-${ncores - 1})`);
  }
  if (f.kinds !== null && f.kinds.size === 0) none('the kind= conditions have no kind in common');
  if (f.els !== null && f.els.size === 0) none('the el= conditions have no EL in common');
  if (ranges !== null && (ranges as [bigint, bigint][]).length === 0) none('the address ranges do not overlap');
  f.ranges = ranges === null ? null : (ranges as [bigint, bigint][]).map(([a, b]) => addrRange(a, b));
  return f;
}

/** Is the 64-bit address (lo, hi) in one of the ranges? Exact, and without BigInt (per access). */
export function inRanges(ranges: readonly AddrRange[], lo: number, hi: number): boolean {
  const l = lo >>> 0, h = hi >>> 0;
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k];
    if ((h > r.sHi || (h === r.sHi && l >= r.sLo)) && (h < r.lHi || (h === r.lHi && l <= r.lLo))) return true;
  }
  return false;
}
