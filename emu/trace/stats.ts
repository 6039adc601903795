// `trace stats`: statistics of a trace, accumulated event by event in memory bounded by the number of
// cores, functions and addresses (not by the trace length).
//
//  - per-core instruction counts (and condition-failed ones), first and last time;
//  - a flat profile by function (the "sym" of insn events without its +0x offset);
//  - exclusive-store failures (excl op=fail) per core and per physical address;
//  - SGIs per sender -> target pair, and acknowledgements per core;
//  - time asleep per core: the sum of wake.time - sleep.time over completed sleeps (a wake carries
//    its waker's time, which the emulator keeps at or after the sleeper's own; were it behind, the
//    sleep would count 0);
//  - lock contention per lock address: STXR failures there, and WFE sleeps whose core's last
//    exclusive reservation (excl op=set) was that address.

import type { SymbolTable } from '../loader/symbols.js';
import { TraceEvent, functionOf, normAddr } from './reader.js';

export interface CoreStats {
  core: number;
  insns: number;
  condFailed: number;
  firstTime: number;
  lastTime: number;
  exceptions: number;
  sleeps: number;
  /** Sum of wake.time - sleep.time over completed sleeps (each at least 0). */
  asleep: number;
  /** Asleep when the trace ends (that last sleep is not counted in `asleep`). */
  asleepAtEnd: boolean;
  exclFails: number;
  sgisSent: number;
  sgisAcked: number;
}

export interface ProfileEntry { function: string; count: number; percent: number }
export interface LockEntry { addr: string; symbol?: string; exclFails: number; wfeSleeps: number; exclSets: number }
export interface SgiPair { from: number; to: number; count: number }
export interface ExclAddrEntry { addr: string; symbol?: string; fails: number }

export interface TraceStats {
  events: number;
  instructions: number;
  firstTime: number;
  lastTime: number;
  cores: CoreStats[];
  profile: ProfileEntry[];
  exclFailsByAddr: ExclAddrEntry[];
  sgis: SgiPair[];
  locks: LockEntry[];
  /** Events of each type. */
  kinds: Record<string, number>;
}

/** The name of code with no "sym" in the trace. */
export const NO_SYMBOL = '(no symbol)';

export class StatsCollector {
  private events = 0;
  private cores = new Map<number, CoreStats>();
  private funcs = new Map<string, number>();
  private exclFails = new Map<string, number>();
  private sgi = new Map<string, number>();
  private sleepStart = new Map<number, number>();
  private sleepWhy = new Map<number, string>();
  private lastExcl = new Map<number, string>();
  private locks = new Map<string, { exclFails: number; wfeSleeps: number; exclSets: number }>();
  private kinds: Record<string, number> = {};
  private firstTime = Infinity;
  private lastTime = -Infinity;
  private pcNames = new Map<string, string>();

  /** `symbols` names instructions that have no "sym" (Tarmac traces) by their PC. */
  constructor(private readonly symbols?: SymbolTable) {}

  private functionAt(pc: unknown): string {
    if (this.symbols === undefined || typeof pc !== 'string') return NO_SYMBOL;
    let f = this.pcNames.get(pc);
    if (f === undefined) {
      let name: string | undefined;
      try { name = functionOf(this.symbols.symbolize(BigInt(pc))); } catch { name = undefined; }
      f = name ?? NO_SYMBOL;
      if (this.pcNames.size < 1 << 20) this.pcNames.set(pc, f);
    }
    return f;
  }

  private core(c: number, time: number): CoreStats {
    let s = this.cores.get(c);
    if (s === undefined) {
      s = { core: c, insns: 0, condFailed: 0, firstTime: time, lastTime: time, exceptions: 0, sleeps: 0, asleep: 0, asleepAtEnd: false, exclFails: 0, sgisSent: 0, sgisAcked: 0 };
      this.cores.set(c, s);
    }
    return s;
  }

  private lock(addr: string): { exclFails: number; wfeSleeps: number; exclSets: number } {
    let l = this.locks.get(addr);
    if (l === undefined) { l = { exclFails: 0, wfeSleeps: 0, exclSets: 0 }; this.locks.set(addr, l); }
    return l;
  }

  add(ev: TraceEvent): void {
    this.events++;
    this.kinds[ev.t] = (this.kinds[ev.t] ?? 0) + 1;
    if (ev.time < this.firstTime) this.firstTime = ev.time;
    if (ev.time > this.lastTime) this.lastTime = ev.time;
    const cs = this.core(ev.core, ev.time);
    if (ev.time < cs.firstTime) cs.firstTime = ev.time;
    if (ev.time > cs.lastTime) cs.lastTime = ev.time;
    switch (ev.t) {
      case 'insn': {
        cs.insns++;
        if (ev.cf === true) cs.condFailed++;
        const f = functionOf(ev.sym) ?? this.functionAt(ev.pc);
        this.funcs.set(f, (this.funcs.get(f) ?? 0) + 1);
        break;
      }
      case 'exc': cs.exceptions++; break;
      case 'sgi': {
        const targets = ev.targets as number[];
        cs.sgisSent += targets.length;
        for (const t of targets) {
          const k = `${ev.core}>${t}`;
          this.sgi.set(k, (this.sgi.get(k) ?? 0) + 1);
        }
        break;
      }
      case 'ack': cs.sgisAcked++; break;
      case 'sleep': {
        cs.sleeps++;
        if (!this.sleepStart.has(ev.core)) this.sleepStart.set(ev.core, ev.time);
        this.sleepWhy.set(ev.core, String(ev.why));
        if (ev.why === 'wfe') {
          const a = this.lastExcl.get(ev.core);
          if (a !== undefined) this.lock(a).wfeSleeps++;
        }
        break;
      }
      case 'wake': {
        const s = this.sleepStart.get(ev.core);
        if (s !== undefined) {
          // The wake carries the waker's time (not before this core's own; if it were, no time asleep).
          cs.asleep += Math.max(0, ev.time - s);
          this.sleepStart.delete(ev.core);
        }
        break;
      }
      case 'excl': {
        const a = normAddr(ev.pa);
        if (ev.op === 'set') {
          if (a !== undefined) { this.lastExcl.set(ev.core, a); this.lock(a).exclSets++; }
        } else if (ev.op === 'fail') {
          cs.exclFails++;
          const key = a ?? '(unknown)';
          this.exclFails.set(key, (this.exclFails.get(key) ?? 0) + 1);
          if (a !== undefined) this.lock(a).exclFails++;
        }
        break;
      }
      default: break;
    }
  }

  /** The statistics; `symbols` (from --elf) names lock and exclusive addresses. */
  result(symbols: SymbolTable | undefined = this.symbols): TraceStats {
    const sym = (a: string): string | undefined => (a.startsWith('0x') ? symbols?.symbolize(BigInt(a)) : undefined);
    const cores = [...this.cores.values()].sort((a, b) => a.core - b.core);
    for (const c of cores) c.asleepAtEnd = this.sleepStart.has(c.core);
    const instructions = cores.reduce((n, c) => n + c.insns, 0);
    const profile = [...this.funcs].map(([f, count]) => ({ function: f, count, percent: instructions === 0 ? 0 : (100 * count) / instructions }))
      .sort((a, b) => b.count - a.count || (a.function < b.function ? -1 : 1));
    const byAddr = (a: string, b: string): number => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);
    const exclFailsByAddr = [...this.exclFails].sort((a, b) => b[1] - a[1] || byAddr(a[0], b[0]))
      .map(([addr, fails]) => ({ addr, symbol: sym(addr), fails }));
    const sgis = [...this.sgi].map(([k, count]) => { const [f, t] = k.split('>').map(Number); return { from: f, to: t, count }; })
      .sort((a, b) => a.from - b.from || a.to - b.to);
    // A lock is an address that was contended: an exclusive failure there, or a WFE wait on it.
    const locks = [...this.locks].filter(([, l]) => l.exclFails > 0 || l.wfeSleeps > 0)
      .map(([addr, l]) => ({ addr, symbol: sym(addr), ...l }))
      .sort((a, b) => (b.exclFails + b.wfeSleeps) - (a.exclFails + a.wfeSleeps) || byAddr(a.addr, b.addr));
    return {
      events: this.events, instructions,
      firstTime: this.events === 0 ? 0 : this.firstTime, lastTime: this.events === 0 ? 0 : this.lastTime,
      cores, profile, exclFailsByAddr, sgis, locks, kinds: this.kinds,
    };
  }
}

// ------------------------------------------------------------------ text rendering

function table(head: string[], rows: (string | number)[][], rightAlign: boolean[]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, k) => Math.max(...cells.map((r) => r[k].length)));
  return cells.map((r) => r.map((c, k) => (rightAlign[k] ? c.padStart(w[k]) : c.padEnd(w[k]))).join('  ').trimEnd()).join('\n') + '\n';
}

const pct = (x: number): string => `${x.toFixed(2)}%`;
const label = (addr: string, symbol?: string): string => (symbol === undefined ? addr : `${addr} <${symbol}>`);

export function formatStats(s: TraceStats, opts: { top?: number } = {}): string {
  let out = `${s.events} events, ${s.instructions} instructions, ${s.cores.length} core${s.cores.length === 1 ? '' : 's'}, time ${s.firstTime}..${s.lastTime}\n`;

  out += '\nInstructions per core\n';
  out += table(['core', 'insns', 'cond-failed', 'first time', 'last time', 'exceptions'],
    s.cores.map((c) => [c.core, c.insns, c.condFailed, c.firstTime, c.lastTime, c.exceptions]), [true, true, true, true, true, true]);

  out += '\nFlat profile by function\n';
  const top = opts.top ?? Infinity;
  const shown = s.profile.slice(0, top);
  if (shown.length === 0) out += '  (no instructions)\n';
  else out += table(['insns', '%', 'function'], shown.map((p) => [p.count, pct(p.percent), p.function]), [true, true, false]);
  if (s.profile.length > shown.length) out += `  ... ${s.profile.length - shown.length} more functions\n`;

  out += '\nTime asleep per core (WFE/WFI)\n';
  out += table(['core', 'sleeps', 'asleep', '% of span', ''],
    s.cores.map((c) => {
      const span = c.lastTime - c.firstTime;
      return [c.core, c.sleeps, c.asleep, span > 0 ? pct((100 * c.asleep) / span) : '-', c.asleepAtEnd ? 'asleep at end' : ''];
    }), [true, true, true, true, false]);

  out += '\nExclusive store failures per core\n';
  out += table(['core', 'fails'], s.cores.map((c) => [c.core, c.exclFails]), [true, true]);
  out += '\nExclusive store failures per address\n';
  if (s.exclFailsByAddr.length === 0) out += '  (none)\n';
  else out += table(['fails', 'address'], s.exclFailsByAddr.map((e) => [e.fails, label(e.addr, e.symbol)]), [true, false]);

  out += '\nSGIs per sender -> target (rows: sender, columns: target)\n';
  const ids = s.cores.map((c) => c.core);
  for (const p of s.sgis) { if (!ids.includes(p.from)) ids.push(p.from); if (!ids.includes(p.to)) ids.push(p.to); }
  ids.sort((a, b) => a - b);
  if (s.sgis.length === 0) out += '  (none)\n';
  else {
    const count = (f: number, t: number): number => s.sgis.find((p) => p.from === f && p.to === t)?.count ?? 0;
    out += table(['from\\to', ...ids.map((c) => `core ${c}`), 'sent'],
      ids.map((f) => [`core ${f}`, ...ids.map((t) => count(f, t)), ids.reduce((n, t) => n + count(f, t), 0)]),
      [false, ...ids.map(() => true), true]);
    out += table(['acked by', ...ids.map((c) => `core ${c}`)], [['', ...ids.map((c) => s.cores.find((x) => x.core === c)?.sgisAcked ?? 0)]],
      [false, ...ids.map(() => true)]);
  }

  out += '\nLock contention per lock address (exclusive failures, WFE waits after a reservation there)\n';
  if (s.locks.length === 0) out += '  (none)\n';
  else out += table(['excl fails', 'wfe waits', 'reservations', 'address'],
    s.locks.map((l) => [l.exclFails, l.wfeSleeps, l.exclSets, label(l.addr, l.symbol)]), [true, true, true, false]);
  return out;
}
