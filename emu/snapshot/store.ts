// Whole-machine snapshots: every core, the GIC, timers, devices, the scheduler (state.ts walks them),
// and RAM copy-on-write by 4 KiB page.
//
// RAM. take() marks every page PAGE_SAVE in the RAM's page-flag bytes (the array that stores already
// test for decoded code, so the store path costs nothing more). The first write to a marked page after
// that (Ram.touch, which every writer of RAM calls before it changes the bytes) clears the bit and
// hands the page to onSave, which copies its old contents into the undo log of the NEWEST snapshot.
// So snapshot k's log holds, for every page written between it and snapshot k+1 (or now), the page as
// it was at k. restore(s) applies the logs newest first down to s's: every page written since s gets
// its contents at s back.
//
// Snapshots after s. restore(s) drops every snapshot taken after s (their state is gone from RAM and
// from the machine; re-running deterministically reaches it again, and may take new ones). s itself
// stays valid, empty-logged again, and can be restored any number of times.
//
// drop(s) of a snapshot with an older neighbour moves its log into that neighbour (for a page the
// neighbour has not saved, the contents at s are the contents at the neighbour), so the older ones stay
// restorable. The budget (budgetBytes: undo pages + captured state) is enforced when a snapshot is taken
// and whenever a page is saved: the oldest snapshots are dropped first; the newest is always kept, so
// a single snapshot may hold more than the budget.

import { Machine } from '../board/machine.js';
import { Cpu } from '../cpu/cpu.js';
import { PAGE_SAVE, PAGE_SHIFT } from '../mem/ram.js';
import { StateCapture, markNotState, markViewState, notStateFields, refOnlyFields } from './state.js';

const PAGE = 1 << PAGE_SHIFT;

// Not machine state: the observers of a core (whoever installed them keeps them across a restore, and
// slow says which are installed), the trace stream. curPage points into the code cache: kept as a
// reference, checked against the cache after a restore.
notStateFields(Cpu, 'hooks', 'dataHooks', 'slow', 'tracer', 'jit'); // jit: translated code is a cache, not state
refOnlyFields(Cpu, 'curPage');
// The board's tracer and whether host input may still come are the host's; what boot() loaded (copied
// in again at a system reset) does not change once booted.
notStateFields(Machine, 'tracer', 'inputOpen', 'translator');
refOnlyFields(Machine, 'rom', 'dtb');

export interface SnapshotStoreOptions {
  /** Memory the store may hold (undo pages and captured state), in bytes. Default 256 MiB. */
  budgetBytes?: number;
  /** Debugging aid (tests): keep a full copy of RAM with every snapshot and, after each restore, check
   * RAM against it; a difference means some writer changed RAM without calling Ram.touch() first.
   * Costs a RAM-sized copy per snapshot (not counted in the budget). */
  verify?: boolean;
}

export class Snapshot {
  /** Undo log: RAM page index -> its contents when this snapshot was taken. */
  readonly pages = new Map<number, Uint8Array>();
  /** False once dropped (by drop(), the budget, restoring an older one, or dispose()). */
  valid = true;
  /** With the verify option: RAM as it was at take(). */
  ramCopy: Uint8Array | null = null;
  constructor(
    /** Taken in this order, from 1 (per store). */
    readonly seq: number,
    readonly state: StateCapture,
    /** Machine.instructions and virtual time when taken (for the caller's bookkeeping). */
    readonly instructions: number,
    readonly time: number,
  ) {}

  /** Bytes this snapshot holds: its undo pages plus its captured state. */
  get bytes(): number { return this.pages.size * PAGE + this.state.bytes; }
}

export class SnapshotStore {
  readonly budgetBytes: number;
  readonly verify: boolean;
  /** Oldest first. */
  private readonly list: Snapshot[] = [];
  private seq = 0;
  private disposed = false;
  private pageBytes = 0;
  private stateBytes = 0;

  constructor(readonly machine: Machine, opts: SnapshotStoreOptions = {}) {
    this.budgetBytes = opts.budgetBytes ?? 256 * 1024 * 1024;
    this.verify = opts.verify ?? false;
    if (!(this.budgetBytes >= 0)) throw new RangeError('the snapshot budget must be a number of bytes, 0 or more');
    const ram = machine.ram;
    if (ram.onSave !== null) throw new Error('this machine already has a snapshot store (dispose it first)');
    // What the state walk must not copy: RAM (copy-on-write here), the code cache and decoder (derived
    // from RAM), the tracer (host output).
    markNotState(ram); markNotState(ram.buf); markNotState(ram.codePages);
    // Each core's registers and data-access caches in the WebAssembly memory RAM shares.
    if (ram.wasm !== null) for (const c of machine.cores) for (const v of c.areaViews) markViewState(v);
    markNotState(machine.code);
    for (const c of machine.cores) markNotState(c.decoder);
    ram.onSave = (pfn) => this.save(pfn);
  }

  /** Memory held now: undo pages and captured state of every live snapshot. */
  get bytes(): number { return this.pageBytes + this.stateBytes; }

  /** Live snapshots, oldest first. */
  get snapshots(): readonly Snapshot[] { return this.list; }

  oldest(): Snapshot | undefined { return this.list[0]; }
  newest(): Snapshot | undefined { return this.list[this.list.length - 1]; }

  /** Capture the machine now. Call between instructions, with no core inside run(). */
  take(): Snapshot {
    this.check();
    const m = this.machine;
    const prev = this.newest();
    const s = new Snapshot(++this.seq, StateCapture.take(m, prev?.state ?? null), m.instructions, m.time);
    if (this.verify) s.ramCopy = m.ram.u8.slice();
    this.list.push(s);
    this.stateBytes += s.state.bytes;
    this.markAll(true);
    this.enforceBudget();
    return s;
  }

  /** Put the machine back exactly as it was when s was taken. Later snapshots are dropped. */
  restore(s: Snapshot): void {
    this.check();
    const at = this.list.indexOf(s);
    if (at < 0 || !s.valid) throw new Error(`snapshot ${s.seq} is no longer held (dropped, or a snapshot before it was restored)`);
    const m = this.machine, ram = m.ram, f = ram.codePages;
    const written = new Set<number>();
    for (let k = this.list.length - 1; k >= at; k--) {
      const t = this.list[k];
      for (const [pfn, bytes] of t.pages) { ram.u8.set(bytes, pfn << PAGE_SHIFT); written.add(pfn); }
      this.pageBytes -= t.pages.size * PAGE;
      t.pages.clear();
      if (k > at) { t.valid = false; t.ramCopy = null; this.stateBytes -= t.state.bytes; }
    }
    this.list.length = at + 1;
    // Decoded code (and anything else on onCodeWrite, a translator) for the pages put back.
    for (const pfn of written) if ((f[pfn] & ~PAGE_SAVE) !== 0) ram.onCodeWrite(pfn << PAGE_SHIFT, PAGE);
    this.markAll(true);
    s.state.restore();
    if (s.ramCopy !== null) this.checkRam(s);
    // A core's fetch cache points at a decoded page; keep it if the code cache still holds that page.
    for (const c of m.cores) {
      c.dropJumps(); // not part of the state: it names the translator's slots, which are not either
      if ((c.curPage !== null && m.code.cached(c.curPfn) !== c.curPage) || (c.prevPage !== null && m.code.cached(c.prevPfn) !== c.prevPage)) c.resetFetch();
    }
  }

  /** Forget s. An older neighbour takes over its undo pages, so it stays restorable. */
  drop(s: Snapshot): void {
    const at = this.list.indexOf(s);
    if (at < 0) return;
    this.list.splice(at, 1);
    s.valid = false;
    s.ramCopy = null;
    this.stateBytes -= s.state.bytes;
    if (at === 0) { this.pageBytes -= s.pages.size * PAGE; s.pages.clear(); return; }
    const older = this.list[at - 1];
    const newest = at === this.list.length; // s was the newest: older collects the saves from now on
    const f = this.machine.ram.codePages;
    for (const [pfn, bytes] of s.pages) {
      if (older.pages.has(pfn)) this.pageBytes -= PAGE;
      else older.pages.set(pfn, bytes);
    }
    s.pages.clear();
    // Pages older has saved must not be saved again into it.
    if (newest) for (const pfn of older.pages.keys()) f[pfn] &= ~PAGE_SAVE;
  }

  /** Drop every snapshot and stop the copy-on-write tracking. */
  dispose(): void {
    if (this.disposed) return;
    for (const s of [...this.list]) { s.valid = false; s.pages.clear(); s.ramCopy = null; }
    this.list.length = 0;
    this.pageBytes = 0; this.stateBytes = 0;
    this.markAll(false);
    this.machine.ram.onSave = null;
    this.disposed = true;
  }

  /** First write to page pfn since the newest snapshot: keep its old contents. */
  private save(pfn: number): void {
    const s = this.list[this.list.length - 1];
    if (s === undefined || s.pages.has(pfn)) return;
    const off = pfn << PAGE_SHIFT;
    const end = Math.min(off + PAGE, this.machine.ram.size);
    s.pages.set(pfn, this.machine.ram.u8.slice(off, end));
    this.pageBytes += PAGE;
    if (this.bytes > this.budgetBytes) this.enforceBudget();
  }

  /** The verify option: RAM must now equal the copy made at take(). */
  private checkRam(s: Snapshot): void {
    const a = this.machine.ram.u8, b = s.ramCopy!;
    if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)) return;
    let k = 0;
    while (a[k] === b[k]) k++;
    const pa = this.machine.ram.base + k;
    throw new Error(`snapshot ${s.seq}: RAM at 0x${pa.toString(16)} (page ${k >>> PAGE_SHIFT}) differs after the restore: something wrote RAM without calling Ram.touch() before the write`);
  }

  /** Set or clear PAGE_SAVE on every page, four page flags at a time. */
  private markAll(on: boolean): void {
    const f = this.machine.ram.codePages;
    const n4 = f.length >>> 2, w = new Uint32Array(f.buffer, f.byteOffset, n4);
    const bits = PAGE_SAVE * 0x01010101;
    if (on) { for (let k = 0; k < n4; k++) w[k] |= bits; for (let p = n4 << 2; p < f.length; p++) f[p] |= PAGE_SAVE; }
    else { for (let k = 0; k < n4; k++) w[k] &= ~bits; for (let p = n4 << 2; p < f.length; p++) f[p] &= ~PAGE_SAVE; }
  }

  private enforceBudget(): void {
    while (this.bytes > this.budgetBytes && this.list.length > 1) this.drop(this.list[0]);
  }

  private check(): void {
    if (this.disposed) throw new Error('the snapshot store was disposed');
  }
}
