// The gdbstub: GDB's remote serial protocol over TCP, driving the machine (run --gdb, -s, -S).
//
// Every core is a thread (thread id = core + 1). All-stop: when gdb has the machine stopped no core
// runs. Stops happen between instructions: breakpoints, steps and Ctrl-C are checked by an InsnHook
// (Slow.Gdb, set only while gdb needs it), watchpoints by a DataHook (only while one is inserted), and
// a stop in the middle of a scheduling round keeps the round's place (Machine.pauseRequested), so
// continuing runs exactly what would have run.
//
// Resuming: vCont with `c` for every thread runs the machine's own schedule. `s` for one thread runs
// the schedule until that core has retired one instruction when the others may run (`;c`), or, with
// the others stopped, that core alone for one instruction (in its place in the round when the round
// is paused at it, so a step over a breakpoint does not change the schedule). `c` for one thread only
// (scheduler-locking on) runs that core alone.

import { createServer, Server, Socket } from 'node:net';
import { Access, Cpu, DataHook, InsnHook, Sleep, Slow } from '../cpu/cpu.js';
import { GRANULE_SHIFT } from '../cpu/monitor.js';
import { toBigInt } from '../cpu/int64.js';
import { CNTFRQ, Machine, RunResult } from '../board/machine.js';
import { FrameReader, MAX_PACKET, framePacket, fromHex, parseHexBig, toHex } from './packets.js';
import { G_REGS, readReg, targetXml, writeReg } from './target.js';
import { Snapshot, SnapshotStore, notStateFields } from '../snapshot/index.js';

export interface GdbOptions {
  host: string;
  port: number;
  /** -S: wait for the debugger before the first instruction. */
  wait: boolean;
  /** Messages for the user (stderr). */
  log: (s: string) => void;
  /** Reverse execution: the snapshot memory budget in bytes (0: no reverse execution). */
  historyBytes?: number;
  /** Instructions between periodic snapshots (default SNAPSHOT_INTERVAL). */
  snapshotInterval?: number;
}

/** Instructions between two periodic snapshots while the machine runs under gdb: a reverse step
 * re-runs at most about twice this many. */
export const SNAPSHOT_INTERVAL = 1_000_000;

/** Something gdb (or the host) did to the machine that its own schedule does not repeat: running one
 * core alone, or changing registers, memory or input. Re-running history applies these at the same
 * place: instruction count n, stopped mid-round or not, and virtual time (between rounds). */
type Entry = { n: number; paused: boolean; time: number } & ({ kind: 'alone'; core: number; count: number } | { kind: 'write'; apply: () => void });

/** While history is re-run: where to stop, and what to watch for on the way. */
interface Replay {
  stopAt: number;
  /** Instructions below this count are observed. */
  limit: number;
  /** The last instruction (count) core `core` started below limit, or -1. */
  core: number;
  lastOfCore: number;
  /** The last breakpoint or watchpoint hit below limit. */
  hits: boolean;
  lastHit: number;
  hitInfo: StopInfo | null;
}

// The stub's flag, not machine state: a snapshot restore must not turn output back on mid-replay.
notStateFields(Machine, 'quiet', 'pauseRequested');

/** The port cannot be listened on (in use, no permission, bad host). */
export class GdbListenError extends Error {}

/** Why the machine stopped, for the stop reply. */
interface StopInfo {
  core: number;
  signal: number;
  /** 'swbreak:;' 'hwbreak:;' 'watch:ADDR;' ... or ''. */
  reason: string;
}

interface Breakpoint { hi: number; hw: boolean }
interface Watchpoint { lo: number; hi: number; len: number; type: 2 | 3 | 4 }

const SIGINT = 2, SIGTRAP = 5;

/** Parse `[HOST:]PORT` (QEMU's tcp::PORT and tcp:HOST:PORT too); undefined when malformed. */
export function parseGdbAddress(spec: string): { host: string; port: number } | undefined {
  let s = spec.startsWith('tcp:') ? spec.slice(4) : spec;
  let host = '127.0.0.1';
  const colon = s.lastIndexOf(':');
  if (colon >= 0) {
    const h = s.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    if (h !== '') host = h;
    s = s.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) return undefined;
  return { host, port: Number(s) };
}

export class GdbStub implements InsnHook, DataHook {
  private server!: Server;
  private sock: Socket | null = null;
  private reader = new FrameReader();
  private noAck = false;
  private lastSent: Buffer | null = null;
  /** The machine is executing (gdb resumed it, or no gdb is attached). */
  private running: boolean;
  /** gdb resumed and waits for a stop reply. */
  private waitingReply = false;
  private lastStop: StopInfo;
  /** Threads selected by Hg (registers, memory) and Hc, as core numbers (-1: any). */
  private gCore = 0;
  private cCore = -1;
  private readonly bps = new Map<number, Breakpoint[]>();
  private bpCount = 0;
  private wps: Watchpoint[] = [];
  /** While resumed: the core being stepped (-1: none) and its instruction count when it started. */
  private stepCore = -1;
  private stepStart = 0;
  /** While resumed: run this core alone (others stopped). */
  private alone: Cpu | null = null;
  private interrupt = false;
  private pending: StopInfo | null = null;
  private wake: (() => void) | null = null;
  /** m and M packets address physical memory (monitor phys on). */
  private physical = false;
  private hooked = false;
  private dataHooked = false;
  private readonly host: string;
  port = 0;
  /** Reverse execution: the snapshots, and for each the length of `log` when it was taken. */
  private store: SnapshotStore | null = null;
  private readonly logAt = new WeakMap<Snapshot, number>();
  private log: Entry[] = [];
  private replay: Replay | null = null;
  private interval: number;

  private constructor(readonly m: Machine, private readonly opts: GdbOptions) {
    this.running = !opts.wait;
    this.host = opts.host;
    this.lastStop = { core: 0, signal: SIGTRAP, reason: '' };
    this.interval = opts.snapshotInterval ?? SNAPSHOT_INTERVAL;
    if ((opts.historyBytes ?? 0) > 0) this.store = new SnapshotStore(m, { budgetBytes: opts.historyBytes });
  }

  /** Listen on host:port; rejects with GdbListenError (port in use...). */
  static async listen(m: Machine, opts: GdbOptions): Promise<GdbStub> {
    const stub = new GdbStub(m, opts);
    const server = createServer((s) => stub.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const what = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied'
          : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? 'no such local address' : e.message;
        reject(new GdbListenError(`cannot listen for gdb on ${opts.host}:${opts.port}: ${what}`));
      });
      server.listen(opts.port, opts.host, () => resolve());
    });
    stub.server = server;
    const a = server.address();
    stub.port = typeof a === 'object' && a !== null ? a.port : opts.port;
    opts.log(`a64emu: gdb: listening on ${stub.host}:${stub.port}${opts.wait ? ' (waiting for the debugger before the first instruction)' : ''}\n`);
    return stub;
  }

  // ------------------------------------------------------------------ connection

  private accept(s: Socket): void {
    if (this.sock !== null) {
      this.opts.log(`a64emu: gdb: refused a second connection from ${s.remoteAddress}:${s.remotePort} (a debugger is already attached)\n`);
      s.end(framePacket('E.a64emu: a debugger is already attached'));
      return;
    }
    this.sock = s;
    this.reader = new FrameReader();
    this.noAck = false;
    s.setNoDelay(true);
    // Attaching stops the machine, as QEMU's gdbstub does; gdb then asks '?'.
    if (this.running) { this.running = false; this.lastStop = { core: this.gCore, signal: SIGTRAP, reason: '' }; }
    s.on('data', (b) => this.onData(b));
    const gone = () => { if (this.sock === s) this.detach(); };
    s.on('close', gone);
    s.on('error', gone);
  }

  private onData(b: Buffer): void {
    for (const f of this.reader.feed(b)) {
      if (f.kind === 'interrupt') { if (this.running) this.interrupt = true; continue; }
      if (f.kind === 'nak') { if (this.lastSent !== null && !this.noAck) this.sock?.write(this.lastSent); continue; }
      if (f.kind === 'ack') continue;
      if (f.kind === 'bad') { if (!this.noAck) this.sock?.write('-'); continue; }
      if (!this.noAck) this.sock?.write('+');
      let reply: string | null;
      try {
        reply = this.handle(f.data);
      } catch (e) {
        reply = 'E.' + (e as Error).message.replace(/[^\x20-\x7e]/g, '?'); // never let a packet kill the run
      }
      if (reply !== null) this.send(reply);
    }
  }

  private send(payload: string): void {
    if (this.sock === null) return;
    this.lastSent = framePacket(payload);
    this.sock.write(this.lastSent);
  }

  /** The debugger went away (D, or the connection closed): remove what it inserted and let the run go on. */
  private detach(): void {
    const s = this.sock;
    this.sock = null;
    this.bps.clear(); this.bpCount = 0; this.wps = [];
    this.stepCore = -1; this.alone = null; this.interrupt = false; this.pending = null;
    this.waitingReply = false;
    this.syncHooks();
    this.running = true;
    s?.end();
    this.kick();
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  // ------------------------------------------------------------------ driving the machine

  /** Run the machine to its end, serving gdb; closes the server when done. */
  async run(): Promise<RunResult> {
    const m = this.m;
    this.snapshot();
    try {
      while (!m.stopped) {
        if (!this.running) { await new Promise<void>((r) => { this.wake = r; }); continue; }
        const idle = this.slice();
        await new Promise((r) => (idle ? setTimeout(r, 10) : setImmediate(r)));
      }
    } finally {
      if (this.sock !== null) {
        const r = m.result;
        if (this.waitingReply && r !== null) this.send(`W${(r.status & 0xff).toString(16).padStart(2, '0')}`);
        this.sock.end();
        this.sock = null;
      }
      this.server.close();
      this.store?.dispose();
    }
    return m.result!;
  }

  /** Run for about 20 ms of host time, or until a stop. Returns true when nothing can run now
   * (waiting for host input). */
  private slice(): boolean {
    const m = this.m, t0 = Date.now();
    do {
      const n0 = m.instructions, time0 = m.time;
      if (this.alone !== null) {
        if (this.alone.sleep !== Sleep.Running && this.pending === null) this.pending = { core: this.alone.id, signal: SIGTRAP, reason: '' };
        else this.runAlone(this.alone, m.opts.quantum);
      } else if (!m.stepChecked()) {
        m.stopDeadlocked();
      }
      if (m.stopped) return false;
      if (this.checkStop()) return false;
      if (m.instructions === n0 && m.time === time0) return true;
      const newest = this.store?.newest();
      if (newest !== undefined && m.instructions - newest.instructions >= this.interval) this.snapshot();
    } while (Date.now() - t0 < 20);
    return false;
  }

  /** Between slices: has something stopped the machine? Then report it. */
  private checkStop(): boolean {
    if (this.pending === null) {
      if (this.stepCore >= 0 && this.m.cores[this.stepCore].icount > this.stepStart) this.pending = { core: this.stepCore, signal: SIGTRAP, reason: '' };
      else if (this.interrupt) this.pending = { core: this.gCore, signal: SIGINT, reason: '' };
      else return false;
    }
    this.stopNow();
    return true;
  }

  private stopNow(): void {
    const p = this.pending ?? { core: this.gCore, signal: SIGTRAP, reason: '' };
    this.pending = null;
    this.running = false;
    this.interrupt = false;
    this.stepCore = -1;
    this.alone = null;
    this.syncHooks();
    this.lastStop = p;
    this.gCore = p.core;
    if (this.waitingReply) { this.waitingReply = false; this.send(this.stopReply(p)); }
  }

  private stopReply(p: StopInfo): string {
    return `T${p.signal.toString(16).padStart(2, '0')}thread:${(p.core + 1).toString(16)};core:${p.core.toString(16)};${p.reason}`;
  }

  /** Install the instruction hook while breakpoints or a step need it, the data hook while
   * watchpoints do; otherwise neither (no cost). */
  private syncHooks(): void {
    // (Watchpoints need it too: their stop comes before the next instruction of any core.)
    const need = this.bpCount > 0 || this.wps.length > 0 || this.stepCore >= 0 || (this.running && this.interrupt) || this.replay !== null;
    if (need !== this.hooked) {
      for (const c of this.m.cores) { if (need) c.addHook(this, Slow.Gdb); else c.removeHook(this, Slow.Gdb); }
      this.hooked = need;
    }
    const data = this.wps.length > 0;
    if (data !== this.dataHooked) {
      for (const c of this.m.cores) { if (data) c.addDataHook(this); else c.removeDataHook(this); }
      this.dataHooked = data;
    }
  }

  private pause(): true {
    this.m.pauseRequested = true;
    return true;
  }

  /** InsnHook: stop before this instruction? */
  before(c: Cpu): boolean {
    if (this.replay !== null) return this.replayBefore(c);
    if (this.pending !== null) return this.pause();
    if (this.interrupt) { this.pending = { core: c.id, signal: SIGINT, reason: '' }; return this.pause(); }
    if (this.stepCore >= 0) {
      const s = this.m.cores[this.stepCore];
      if (s.icount + (s === c ? c.retiredInRun : 0) > this.stepStart) { this.pending = { core: this.stepCore, signal: SIGTRAP, reason: '' }; return this.pause(); }
    }
    if (this.bpCount > 0) {
      const l = this.bps.get(c.pcLo >>> 0);
      if (l !== undefined) {
        for (let k = 0; k < l.length; k++) {
          if (l[k].hi === c.pcHi) { this.pending = { core: c.id, signal: SIGTRAP, reason: l[k].hw ? 'hwbreak:;' : 'swbreak:;' }; return this.pause(); }
        }
      }
    }
    return false;
  }

  after(): void {}

  /** DataHook: a watched access stops the machine after the instruction (before the next one). */
  access(c: Cpu, vlo: number, vhi: number, acc: Access, size: number): void {
    const r = this.replay;
    if (r !== null ? !r.hits || this.m.instructions + c.retiredInRun >= r.limit : this.pending !== null) return;
    const write = acc === Access.Write || acc === Access.WriteUnpriv;
    const a = vlo >>> 0;
    for (let k = 0; k < this.wps.length; k++) {
      const w = this.wps[k];
      if (w.hi !== vhi || a >= w.lo + w.len || a + size <= w.lo) continue;
      if (w.type === 2 ? !write : w.type === 3 ? write : false) continue;
      const name = w.type === 2 ? 'watch' : w.type === 3 ? 'rwatch' : 'awatch';
      const at = Math.max(a, w.lo);
      const info = { core: c.id, signal: SIGTRAP, reason: `${name}:${toBigInt(at | 0, vhi).toString(16)};` };
      if (r !== null) { r.lastHit = this.m.instructions + c.retiredInRun; r.hitInfo = info; } else this.pending = info;
      return;
    }
  }

  /** Resume: every core by the schedule, or one alone, stepping `step` (-1: none). */
  private resume(step: number, alone: Cpu | null): void {
    this.stepCore = step;
    this.stepStart = step >= 0 ? this.m.cores[step].icount : 0;
    this.alone = alone;
    this.running = true;
    this.waitingReply = true;
    this.syncHooks();
    this.kick();
  }

  /** Step core k alone, one instruction, now. */
  private stepAlone(k: number): string {
    const c = this.m.cores[k];
    this.syncHooks();
    this.runAlone(c, 1);
    const p = this.pending ?? { core: k, signal: SIGTRAP, reason: '' };
    if (this.m.stopped) { const r = this.m.result!; this.pending = null; this.running = true; this.kick(); return `W${(r.status & 0xff).toString(16).padStart(2, '0')}`; }
    this.pending = null;
    this.lastStop = p;
    this.gCore = p.core;
    return this.stopReply(p);
  }

  // ------------------------------------------------------------------ packets

  private thread(s: string): number | undefined {
    if (s === '-1') return -1;
    if (!/^[0-9a-fA-F]+$/.test(s)) return undefined;
    const t = parseInt(s, 16);
    if (t === 0) return -2; // any thread
    return t >= 1 && t <= this.m.cores.length ? t - 1 : undefined;
  }

  /** Answer one packet; null: no reply now (a resume answers when it stops, k never). */
  private handle(p: string): string | null {
    const m = this.m;
    const c = m.cores[this.gCore];
    switch (p[0]) {
      case '?': return this.stopReply(this.lastStop);
      case 'g': return p.length === 1 ? Array.from({ length: G_REGS }, (_, n) => readReg(c, n)).join('') : 'E01';
      case 'G': { const h = p.slice(1), r = this.writeAll(c, h); if (r === 'OK') this.record(() => this.writeAll(c, h)); return r; }
      case 'p': {
        if (!/^p[0-9a-fA-F]+$/.test(p)) return 'E01';
        return readReg(c, parseInt(p.slice(1), 16)) ?? 'E00';
      }
      case 'P': {
        const r = /^P([0-9a-fA-F]+)=([0-9a-fA-F]*)$/.exec(p);
        if (r === null) return 'E01';
        const n = parseInt(r[1], 16), v = r[2];
        if (!writeReg(c, n, v)) return 'E00';
        this.record(() => writeReg(c, n, v));
        return 'OK';
      }
      case 'm': {
        const r = /^m([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
        const a = r && parseHexBig(r[1]), n = r && parseHexBig(r[2]);
        if (a == null || n == null) return 'E01';
        const bytes = this.readMem(c, a, Math.min(Number(n), MAX_PACKET / 2 - 16));
        return bytes.length === 0 && n > 0n ? 'E14' : Buffer.from(bytes).toString('hex');
      }
      case 'M': case 'X': {
        const r = /^[MX]([0-9a-fA-F]+),([0-9a-fA-F]+):([\s\S]*)$/.exec(p);
        const a = r && parseHexBig(r[1]), n = r && parseHexBig(r[2]);
        if (r === null || a == null || n == null) return 'E01';
        let data: Buffer;
        if (p[0] === 'M') { if (r[3].length !== Number(n) * 2 || !/^[0-9a-fA-F]*$/.test(r[3])) return 'E01'; data = Buffer.from(r[3], 'hex'); }
        else { data = Buffer.from(r[3], 'latin1'); if (data.length !== Number(n)) return 'E01'; }
        if (!this.writeMem(c, a, data)) return 'E14';
        const phys = this.physical;
        this.record(() => { const was = this.physical; this.physical = phys; this.writeMem(c, a, data); this.physical = was; });
        return 'OK';
      }
      case 'H': {
        const t = this.thread(p.slice(2));
        if (t === undefined || (p[1] !== 'g' && p[1] !== 'c')) return 'E01';
        if (p[1] === 'g') { if (t >= 0) this.gCore = t; } else this.cCore = t >= 0 ? t : -1;
        return 'OK';
      }
      case 'T': { const t = this.thread(p.slice(1)); return t !== undefined && t >= 0 ? 'OK' : 'E01'; }
      case 'Z': case 'z': return this.breakpoint(p);
      case 'c': case 's': case 'C': case 'S': {
        // Legacy resume: the optional address sets the PC of the Hc thread (or the current one).
        const k = this.cCore >= 0 ? this.cCore : this.gCore;
        const addr = /^[cs](?:([0-9a-fA-F]+))?$|^[CS][0-9a-fA-F]{2}(?:;([0-9a-fA-F]+))?$/.exec(p);
        if (addr === null) return 'E01';
        const a = addr[1] ?? addr[2];
        if (a !== undefined) {
          const v = parseHexBig(a);
          if (v === undefined) return 'E01';
          const cc = m.cores[k], lo = Number(v & 0xffffffffn) | 0, hi = Number(v >> 32n) | 0;
          const set = () => { cc.pcLo = lo; cc.pcHi = hi; };
          set(); this.record(set);
        }
        if (p[0] === 'c' || p[0] === 'C') { this.resume(-1, null); return null; }
        return this.stepOne(k, false);
      }
      case 'v': return this.vPacket(p);
      case 'b':
        if (p === 'bs' || p === 'bc') return this.reverse(p[1] as 's' | 'c');
        return '';
      case 'q': case 'Q': return this.query(p);
      case 'D': this.send('OK'); this.detach(); return null;
      case 'k': m.stop(0, 'killed from gdb', 'user'); this.sock?.end(); this.sock = null; this.running = true; this.kick(); return null;
      default: return '';
    }
  }

  private writeAll(c: Cpu, h: string): string {
    // 16 hex digits per 64-bit register, 32 per V register, 8 for cpsr, fpsr, fpcr.
    const widths = Array.from({ length: G_REGS }, (_, n) => (n >= 34 && n < 66 ? 32 : n === 33 || n >= 66 ? 8 : 16));
    const total = widths.reduce((a, b) => a + b, 0);
    if (h.length !== total || !/^[0-9a-fA-F]*$/.test(h)) return 'E01';
    let at = 0;
    for (let n = 0; n < G_REGS; n++) { writeReg(c, n, h.slice(at, at + widths[n])); at += widths[n]; }
    return 'OK';
  }

  /** vCont?, vCont;ACTION[:THREAD]...; vKill; everything else unsupported (''). */
  private vPacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S;t';
    if (p.startsWith('vKill')) { this.m.stop(0, 'killed from gdb', 'user'); this.running = true; this.kick(); return 'OK'; }
    if (!p.startsWith('vCont;')) return '';
    const n = this.m.cores.length;
    const action: (string | undefined)[] = new Array(n).fill(undefined);
    for (const part of p.slice(6).split(';')) {
      const r = /^([cCsSt])(?:[0-9a-fA-F]{2})?(?::(.+))?$/.exec(part);
      if (r === null) return 'E01';
      if (r[2] === undefined) { for (let k = 0; k < n; k++) action[k] ??= r[1].toLowerCase(); continue; }
      const t = this.thread(r[2]);
      if (t === undefined) return 'E01';
      if (t < 0) { for (let k = 0; k < n; k++) action[k] ??= r[1].toLowerCase(); } else action[t] ??= r[1].toLowerCase();
    }
    const steps = action.flatMap((a, k) => (a === 's' ? [k] : []));
    const conts = action.flatMap((a, k) => (a === 'c' ? [k] : []));
    if (steps.length > 0) return this.stepOne(steps[0], conts.length > 0);
    if (conts.length === 0) return 'OK'; // only 't': everything stays stopped
    if (conts.length === 1 && n > 1) { this.resume(-1, this.m.cores[conts[0]]); return null; }
    this.resume(-1, null);
    return null;
  }

  /** Step core k: with the others running (by the schedule until k retired one instruction), or
   * with them stopped (k alone; in its place in a round paused at it). */
  private stepOne(k: number, othersRun: boolean): string | null {
    if (othersRun || this.m.pausedCore === this.m.cores[k]) { this.resume(k, null); return null; }
    return this.stepAlone(k);
  }

  private breakpoint(p: string): string {
    const r = /^([Zz])([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)(;.*)?$/.exec(p);
    if (r === null) return 'E01';
    const insert = r[1] === 'Z', type = Number(r[2]);
    const a = parseHexBig(r[3]), len = parseInt(r[4], 16);
    if (a === undefined || !(len > 0)) return 'E01';
    const lo = Number(a & 0xffffffffn), hi = Number(a >> 32n) | 0;
    if (type <= 1) {
      const l = this.bps.get(lo) ?? [];
      const i = l.findIndex((b) => b.hi === hi && b.hw === (type === 1));
      if (insert && i < 0) { l.push({ hi, hw: type === 1 }); this.bps.set(lo, l); this.bpCount++; }
      if (!insert && i >= 0) { l.splice(i, 1); if (l.length === 0) this.bps.delete(lo); this.bpCount--; }
    } else {
      const i = this.wps.findIndex((w) => w.lo === lo && w.hi === hi && w.len === len && w.type === type);
      if (insert && i < 0) this.wps = [...this.wps, { lo, hi, len, type: type as 2 | 3 | 4 }];
      if (!insert && i >= 0) this.wps = this.wps.filter((_, k) => k !== i);
    }
    this.syncHooks();
    return 'OK';
  }

  private query(p: string): string | null {
    const m = this.m;
    if (p.startsWith('qSupported')) {
      return `PacketSize=${MAX_PACKET.toString(16)};qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+` +
        (this.store !== null ? ';ReverseStep+;ReverseContinue+' : '');
    }
    if (p === 'QStartNoAckMode') { this.send('OK'); this.noAck = true; return null; }
    if (p.startsWith('qXfer:features:read:')) {
      const r = /^qXfer:features:read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
      if (r === null) return 'E01';
      if (r[1] !== 'target.xml') return 'E00';
      const xml = targetXml(), off = parseInt(r[2], 16), len = parseInt(r[3], 16);
      const part = xml.slice(off, off + Math.min(len, MAX_PACKET - 64));
      return (off + part.length >= xml.length ? 'l' : 'm') + part;
    }
    if (p === 'qfThreadInfo') return 'm' + m.cores.map((c) => (c.id + 1).toString(16)).join(',');
    if (p === 'qsThreadInfo') return 'l';
    if (p === 'qC') return `QC${(this.gCore + 1).toString(16)}`;
    if (p.startsWith('qAttached')) return '1';
    if (p.startsWith('qThreadExtraInfo,')) {
      const t = this.thread(p.slice(17));
      if (t === undefined || t < 0) return 'E01';
      return toHex(`core ${t}, ${coreState(m.cores[t])}`);
    }
    if (p.startsWith('qRcmd,')) {
      const cmd = fromHex(p.slice(6));
      if (cmd === undefined) return 'E01';
      const text = this.monitor(cmd.trim());
      // Long output goes in O packets; the final reply is OK.
      for (let k = 0; k < text.length; k += 1024) this.send('O' + toHex(text.slice(k, k + 1024)));
      return 'OK';
    }
    if (p.startsWith('qSymbol')) return 'OK';
    return '';
  }

  // ------------------------------------------------------------------ memory

  /** The PA of a virtual address through core c's MMU (or the address itself with `monitor phys on`),
   * or -1 when it does not translate. */
  private pa(c: Cpu, a: bigint): number {
    if (this.physical) return a < 1n << 48n ? Number(a) : -1;
    const lo = Number(a & 0xffffffffn) | 0, hi = Number(a >> 32n) | 0;
    if (!c.mmuOn) return (hi >>> 12) !== 0 ? -1 : (hi >>> 0) * 4294967296 + (lo >>> 0);
    return c.sys.mmu.peek(c, lo, hi);
  }

  /** Up to n bytes from address a: stops at the first byte that is not RAM or does not translate. */
  private readMem(c: Cpu, a: bigint, n: number): number[] {
    const ram = this.m.ram, out: number[] = [];
    let pa = -1;
    for (let k = 0; k < n; k++) {
      const va = (a + BigInt(k)) & 0xffff_ffff_ffff_ffffn;
      if (k === 0 || (va & 0xfffn) === 0n) pa = this.pa(c, va); else pa++;
      const off = pa - ram.base;
      if (pa < 0 || off < 0 || off >= ram.size) break;
      out.push(ram.u8[off]);
    }
    return out;
  }

  private writeMem(c: Cpu, a: bigint, data: Buffer): boolean {
    const ram = this.m.ram, offs: number[] = [];
    let pa = -1;
    for (let k = 0; k < data.length; k++) { // check every byte first: all or nothing
      const va = (a + BigInt(k)) & 0xffff_ffff_ffff_ffffn;
      if (k === 0 || (va & 0xfffn) === 0n) pa = this.pa(c, va); else pa++;
      const off = pa - ram.base;
      if (pa < 0 || off < 0 || off >= ram.size) return false;
      offs.push(off);
    }
    offs.forEach((off, k) => {
      ram.touch(off, 1); // before the write: snapshot copy-on-write, decoded code there
      ram.u8[off] = data[k];
    });
    return true;
  }

  // ------------------------------------------------------------------ history and reverse execution

  /** Bytes from the host (the UART's receive line): recorded, so that re-running history gets them
   * at the same place. */
  hostInput(bytes: Uint8Array): void {
    const copy = Uint8Array.from(bytes);
    const put = () => this.m.uart.receive(copy);
    put();
    this.record(put);
  }

  /** Log a change gdb made (it is applied already). Changing the past forks history: what came after
   * is forgotten first. */
  private record(apply: () => void): void {
    if (this.store === null || this.replay !== null) return;
    const m = this.m;
    this.log.push({ n: m.instructions, paused: m.paused, time: m.time, kind: 'write', apply });
  }

  private snapshot(): void {
    if (this.store === null) return;
    const s = this.store.take();
    this.logAt.set(s, this.log.length);
  }

  /** Machine.runAlone, recorded. */
  private runAlone(c: Cpu, budget: number): number {
    const m = this.m, n0 = m.instructions, paused = m.paused, time = m.time;
    const n = m.runAlone(c, budget);
    if (this.store !== null && this.replay === null && n > 0) {
      const last = this.log[this.log.length - 1];
      if (last !== undefined && last.kind === 'alone' && last.core === c.id && last.n + last.count === n0) last.count += n;
      else this.log.push({ n: n0, paused, time, kind: 'alone', core: c.id, count: n });
    }
    return n;
  }

  private replayBefore(c: Cpu): boolean {
    const r = this.replay!, n = this.m.instructions + c.retiredInRun;
    if (n < r.limit) {
      if (c.id === r.core) r.lastOfCore = n;
      if (r.hits && this.bpCount > 0) {
        const l = this.bps.get(c.pcLo >>> 0);
        if (l !== undefined) {
          for (const b of l) if (b.hi === c.pcHi) { r.lastHit = n; r.hitInfo = { core: c.id, signal: SIGTRAP, reason: b.hw ? 'hwbreak:;' : 'swbreak:;' }; }
        }
      }
    }
    if (n >= r.stopAt) return this.pause();
    return false;
  }

  /** Re-run the schedule to instruction count n: stopped before instruction n (paused), or between
   * rounds at virtual time `time`. */
  private runTo(n: number, paused: boolean, time: number): void {
    const m = this.m, r = this.replay!;
    r.stopAt = n;
    for (;;) {
      if (m.instructions === n && (paused ? m.paused : !m.paused && m.time >= time)) return;
      if (m.instructions === n && m.paused) return; // (between rounds in the original: the nearest place)
      if (m.instructions > n || m.stopped) return; // cannot happen when history repeats
      const n0 = m.instructions, t0 = m.time;
      if (!m.stepChecked()) return;
      if (m.instructions === n0 && m.time === t0 && !m.paused) return; // waiting: as far as it goes
    }
  }

  /** Restore snapshot s and re-run what happened after it up to just before instruction `target`,
   * observing on the way (r), with guest output off. Returns the log entries still valid there. */
  private replayTo(s: Snapshot, target: number, r: Replay): number {
    const m = this.m;
    this.store!.restore(s);
    this.replay = r;
    this.syncHooks();
    m.quiet = true;
    let k = this.logAt.get(s) ?? this.log.length;
    try {
      for (; k < this.log.length; k++) {
        const e = this.log[k];
        if (e.n > target) break;
        this.runTo(e.n, e.paused, e.time);
        if (e.kind === 'write') { e.apply(); continue; }
        r.stopAt = target; // not before the core run alone, which is next
        if (target < e.n + e.count) { // target inside this run alone
          if (target > e.n) m.runAlone(m.cores[e.core], target - e.n);
          return k + (target > e.n ? 1 : 0);
        }
        m.runAlone(m.cores[e.core], e.count);
      }
      this.runTo(target, true, 0);
      return k;
    } finally {
      m.quiet = false;
      this.replay = null;
      this.syncHooks();
    }
  }

  /** bs / bc: back to before the stepping core's previous instruction, or to the previous breakpoint
   * or watchpoint hit; to the start of the recorded history when there is none. */
  private reverse(kind: 's' | 'c'): string {
    const store = this.store, m = this.m;
    if (store === null) return 'E01';
    const core = kind === 's' ? (this.cCore >= 0 ? this.cCore : this.gCore) : -1;
    const here = m.instructions;
    const snaps = [...store.snapshots];
    for (let i = snaps.length - 1; i >= 0; i--) {
      const s = snaps[i];
      if (s.instructions >= here) continue;
      const r: Replay = { stopAt: here, limit: here, core, lastOfCore: -1, hits: kind === 'c', lastHit: -1, hitInfo: null };
      this.replayTo(s, here, r); // observe [s, here)
      let found = kind === 's' ? r.lastOfCore : r.lastHit;
      if (found < 0) continue;
      // A watchpoint going backwards stops just after the access (gdb then steps back over it, as
      // its watchpoints are not steppable on aarch64), a breakpoint before the instruction.
      if (kind === 'c' && !/break/.test(r.hitInfo!.reason)) found++;
      const keep = this.replayTo(s, found, { ...r, stopAt: found, limit: -1 });
      this.forkAt(keep, s);
      const p: StopInfo = kind === 's' ? { core, signal: SIGTRAP, reason: '' } : r.hitInfo!;
      this.lastStop = p; this.gCore = p.core;
      return this.stopReply(p);
    }
    // Nothing earlier: the start of the recorded history.
    const first = snaps[0];
    if (first !== undefined && store.snapshots.includes(first)) { store.restore(first); this.forkAt(this.logAt.get(first) ?? 0, first); }
    const p: StopInfo = { core: kind === 's' ? core : this.gCore, signal: SIGTRAP, reason: 'replaylog:begin;' };
    this.lastStop = { ...p, reason: '' }; this.gCore = p.core;
    return this.stopReply(p);
  }

  /** After going back: keep the first `keep` log entries (a run alone that the target cut short is
   * shortened), since going forward from here may make a different future. */
  private forkAt(keep: number, _s: Snapshot): void {
    this.log.length = Math.min(keep, this.log.length);
    const last = this.log[this.log.length - 1];
    if (last !== undefined && last.kind === 'alone' && last.n + last.count > this.m.instructions) last.count = this.m.instructions - last.n;
  }

  // ------------------------------------------------------------------ monitor commands

  private monitor(cmd: string): string {
    const m = this.m;
    const [word, ...args] = cmd.split(/\s+/);
    switch (word) {
      case '': case 'help':
        return 'a64emu monitor commands:\n' +
          '  cores           each core: running, asleep (WFE/WFI, and what wakes it) or powered off\n' +
          '  gic             pending, enabled and active interrupts, and each CPU interface\n' +
          '  exclusive       the local and global exclusive monitors\n' +
          '  time            virtual time and instruction counts\n' +
          '  memory-model    the memory model in use\n' +
          '  history         snapshots kept for reverse execution, and where history starts\n' +
          '  history interval N       take a snapshot every N instructions (default 1000000)\n' +
          '  phys on|off     m/M packets (x, set var...) address physical memory instead of virtual\n' +
          '  phys read ADDR [LEN]     hex dump of physical memory\n' +
          '  phys write ADDR HEXBYTES write physical memory\n';
      case 'cores': return m.cores.map((c) => coreLine(m, c)).join('');
      case 'gic': return gicText(m);
      case 'exclusive': case 'monitors': return m.cores.map((c) => {
        const g = m.monitor.granule[c.id];
        const local = c.exclPa < 0 ? 'open' : `exclusive at PA 0x${c.exclPa.toString(16)}, ${c.exclSize} bytes`;
        const global = g < 0 ? 'open' : `marks the granule at PA 0x${(g * 2 ** GRANULE_SHIFT).toString(16)} (${2 ** GRANULE_SHIFT} bytes)`;
        return `core ${c.id}: local monitor ${local}; global monitor ${global}\n`;
      }).join('');
      case 'time':
        return `virtual time ${m.time} ticks (${(m.time / CNTFRQ).toFixed(6)} s at ${CNTFRQ} Hz), at the start of ${m.paused ? 'the paused round' : 'the next round'}\n` +
          `instructions: ${m.instructions} in total; ${m.cores.map((c) => `core ${c.id} ${c.icount}`).join(', ')}\n`;
      case 'memory-model': {
        const mm = (m.opts as { memoryModel?: string }).memoryModel ?? 'sc';
        return `memory model: ${mm}${mm === 'sc' ? ' (sequentially consistent: every store is visible to every core at once)' : ''}\n`;
      }
      case 'phys': return this.phys(args);
      case 'history': {
        const st = this.store;
        if (st === null) return 'reverse execution is off (run --gdb-history MiB to turn it on)\n';
        if (args[0] === 'interval') {
          const n = Number(args[1]);
          if (!Number.isSafeInteger(n) || n < 1000) return 'usage: monitor history interval N (instructions between snapshots, at least 1000)\n';
          this.interval = n;
          return `a snapshot every ${n} instructions from now on\n`;
        }
        const o = st.oldest();
        return `${st.snapshots.length} snapshots, ${(st.bytes / 1048576).toFixed(1)} MiB of ${(st.budgetBytes / 1048576).toFixed(0)} MiB; ` +
          `history starts at instruction ${o?.instructions ?? '-'} (now ${m.instructions}); ${this.log.length} recorded gdb actions\n`;
      }
      default: return `unknown monitor command '${word}' (try: monitor help)\n`;
    }
  }

  private phys(args: string[]): string {
    const ram = this.m.ram;
    if (args[0] === 'on' || args[0] === 'off') {
      this.physical = args[0] === 'on';
      return `memory accesses from gdb now use ${this.physical ? 'physical' : 'virtual (the selected core\'s MMU)'} addresses\n`;
    }
    const a = args[1] === undefined ? undefined : parseHexBig(args[1].replace(/^0x/i, ''));
    if (a === undefined || a >= 1n << 48n) return 'usage: monitor phys on|off | phys read ADDR [LEN] | phys write ADDR HEXBYTES\n';
    const off = Number(a) - ram.base;
    if (args[0] === 'read') {
      const len = Math.min(args[2] === undefined ? 16 : Number(args[2]), 4096);
      if (!(len > 0) || off < 0 || off + len > ram.size) return `0x${a.toString(16)}: not RAM (RAM is 0x${ram.base.toString(16)}..0x${(ram.base + ram.size).toString(16)})\n`;
      let s = '';
      for (let k = 0; k < len; k += 16) {
        s += `0x${(Number(a) + k).toString(16).padStart(9, '0')}: ${Buffer.from(ram.u8.subarray(off + k, off + Math.min(k + 16, len))).toString('hex').replace(/(..)/g, '$1 ').trim()}\n`;
      }
      return s;
    }
    if (args[0] === 'write') {
      const h = args[2] ?? '';
      if (h.length === 0 || h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return 'usage: monitor phys write ADDR HEXBYTES\n';
      const data = Buffer.from(h, 'hex');
      if (off < 0 || off + data.length > ram.size) return `0x${a.toString(16)}: not RAM\n`;
      const write = () => { ram.touch(off, data.length); ram.u8.set(data, off); };
      write(); this.record(write);
      return `wrote ${data.length} bytes at PA 0x${a.toString(16)}\n`;
    }
    return 'usage: monitor phys on|off | phys read ADDR [LEN] | phys write ADDR HEXBYTES\n';
  }
}

/** A core's state in a few words (thread names). */
export function coreState(c: Cpu): string {
  switch (c.sleep) {
    case Sleep.Running: return 'running';
    case Sleep.WFE: return 'asleep in WFE';
    case Sleep.WFI: return 'asleep in WFI';
    case Sleep.Off: return 'powered off';
    default: return 'halted';
  }
}

function coreLine(m: Machine, c: Cpu): string {
  const why = c.sleep === Sleep.WFE ? ' (the event register was clear; wakes on SEV, a deliverable interrupt, a store clearing its exclusive monitor, or the timer event stream)'
    : c.sleep === Sleep.WFI ? ' (wakes on any pending interrupt, masked or not)'
    : c.sleep === Sleep.Off ? ' (waits for PSCI CPU_ON)' : '';
  const t = m.timers[c.id].nextDeadline();
  return `core ${c.id} (thread ${c.id + 1}): ${coreState(c)}${why}; ${m.where(c)} EL${c.el} DAIF=${c.daif.toString(2).padStart(4, '0')} ` +
    `event=${c.event} irq-pending=${c.irqPending ? 'yes' : 'no'}${Number.isFinite(t) ? ` timer-deadline=${t}` : ''}\n`;
}

function bits(v: number, base: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 32; b++) if ((v >>> b) & 1) out.push(base + b);
  return out;
}

function gicText(m: Machine): string {
  const g = m.gic as unknown as Record<string, unknown>;
  const list = (xs: number[]) => (xs.length === 0 ? 'none' : xs.join(' '));
  let s = `GICv${m.opts.gicVersion}\n`;
  const arr = (name: string) => (g[name] instanceof Int32Array ? g[name] as Int32Array : undefined);
  const pend = arr('pend'), level = arr('level'), edge = arr('edge'), enable = arr('enable'), active = arr('active');
  if (pend && level && edge && enable && active) {
    const p: number[] = [], e: number[] = [], a: number[] = [];
    for (let w = 1; w < pend.length; w++) {
      p.push(...bits(pend[w] | (level[w] & ~edge[w]), 32 * w)); e.push(...bits(enable[w], 32 * w)); a.push(...bits(active[w], 32 * w));
    }
    s += `distributor: SPIs pending ${list(p)}; enabled ${list(e)}; active ${list(a)}\n`;
  }
  m.cores.forEach((c) => {
    const ci = m.gic.cpus[c.id] as unknown as Record<string, unknown>;
    const n = (k: string) => (typeof ci[k] === 'number' ? ci[k] as number : 0);
    const sgi = typeof ci.sgiPendBits === 'function' ? (ci.sgiPendBits as () => number).call(ci) : 0;
    s += `core ${c.id}: IRQ line ${ci.irq ? 'high' : 'low'}, FIQ line ${ci.fiq ? 'high' : 'low'}; SGI/PPI pending ${list(bits(sgi | n('pend') | (n('level') & ~n('edge')), 0))}; ` +
      `enabled ${list(bits(n('enable'), 0))}; active ${list(bits(n('active'), 0))}` +
      (typeof ci.hppiId === 'number' ? `; highest pending ${ci.hppiId}` : '') + (typeof ci.pmr === 'number' ? `; PMR 0x${(ci.pmr as number).toString(16)}` : '') + '\n';
  });
  return s;
}
