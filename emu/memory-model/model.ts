// The Arm weak memory model mode (--memory-model arm): an operational model that lets RAM accesses
// show the reorderings the Armv8 (other-multi-copy-atomic) model allows, chosen by the run's seed.
//
// Design (see README "Weak memory"): Promising-ARM's view-based model (Pulte et al., PLDI 2019)
// without promises, plus a per-core buffer of stores that commit out of program order.
//  - Memory is a global sequence of write messages. Every committed write gets the next timestamp
//    (`now`), so the messages of one location are in coherence order. RAM always holds the newest
//    value of every byte; for each 8-byte block (the unit of a "location" here: coherence per block
//    is stronger than per byte, so it only orders more) a short history of older messages is kept,
//    each with a snapshot of the block after it.
//  - Each core has views (timestamps): coh per location, vrOld/vwOld (reads/writes so far), vrNew/
//    vwNew (lower bounds barriers and acquires put on later reads/writes), vCAP (addresses of earlier
//    accesses), vCTRL (conditions of earlier branches), vRel (last release), and one view per
//    register (and one for NZCV) that carries address, data and control dependencies.
//  - A read of location x may return any message m of x with m >= the newest message of x at or
//    before max(vpre, coh[x]), where vpre = view(address registers) | vrNew (| vRel for LDAR). Its
//    view is max(vpre, ts(m)). This is Promising-ARM's read rule.
//  - A write executes in program order but waits in the core's store buffer and commits (takes the
//    next timestamp) later: after a random delay of its own core's instructions, earlier when its
//    location is read by this core, at full and store barriers, releases, exclusives, atomics, MMIO,
//    semihosting and system instructions. A sleeping core's writes are committed by the running cores
//    now and then, and all at once when every core sleeps (Machine.stepChecked). Pending writes to
//    the same block commit in program order; others in any order. Committing at the end of memory is Promising's promise of that write at
//    that moment: its views (address, data, vwNew, vCAP, vCTRL) are all below the new timestamp, so
//    the promise is always fulfillable; and nothing the core did in between depended on the write's
//    timestamp (reads of the location, barriers and releases commit it first).
//  - Exclusive and atomic reads return the newest message; the writes commit at once (after the
//    core's other pending writes), so nothing can come between the read and the write that the
//    global monitor (cleared at commit) would miss.
// Register views are over-approximated generically from the decoded fields (every field may be a
// source; every field may be a destination and then gets max(old view, sources, loaded views)), so no
// instruction handler changes. Larger views only forbid more, which is sound.
//
// Memory outside the model (page-table walks, instruction fetch, device DMA, MMIO, host reads) goes
// straight to RAM: it sees committed writes only. An MMIO access or a system-register read (MRS) is
// still an access of its core at time `now`: it raises vrOld/vwOld, so a later DMB/DSB orders the
// core's later accesses after it (an SGI acknowledged through ICC_IAR1_EL1 or GICC_IAR, then DSB,
// then the mailbox read sees what the sender completed with a DSB before sending).

import { Cpu, Slow, InsnHook, Sleep } from '../cpu/cpu.js';
import type { Insn } from '../cpu/insn.js';
import type { Decoder } from '../cpu/decoder.js';
import { R, LO, HI } from '../cpu/int64.js';
import { Prng } from '../devices/prng.js';

export type MemoryModelName = 'sc' | 'arm';

/** PRNG stream of the memory model (emu/devices/prng.ts numbers the others). */
export const PRNG_STREAM_MEMMODEL = 3;

const SLOT_BITS = 14;
const NSLOTS = 1 << SLOT_BITS;
/** Messages kept per block (the newest and up to K-1 older ones). */
const K = 4;
/** Store-buffer entries per core. */
const NPEND = 8;
/** A buffered write commits within this many of its core's instructions (random below it). */
const DRAIN_MAX = 8;

// Instruction classes, cached per decoded instruction (Insn.mm).
const K_ACQ = 1, K_ACQPC = 2, K_REL = 4, K_ATOMIC = 8, K_BRANCH = 16, K_FLAGS_R = 32, K_FLAGS_W = 64,
  K_DMB_FULL = 128, K_DMB_LD = 256, K_DMB_ST = 512, K_DSB = 1024, K_ISB = 2048, K_SYNC = 4096,
  K_LINK = 8192, K_MULTI = 16384, K_SYSREAD = 32768;

class InsnClass {
  /** The registers this instruction's encoding names (its register fields' values; X and V share an
   * index, SP is 32), each a possible source and destination. */
  constructor(readonly k: number, readonly regs: Int32Array) {}
}

const REG_FIELDS = new Set(['rd', 'rn', 'rm', 'ra', 'rt', 'rt2', 'rs']);

function classify(i: Insn, decoder: Decoder): InsnClass {
  const n = i.name;
  let k = 0;
  if (/^(LDAR|LDAXR|LDAXP)/.test(n)) k |= K_ACQ;
  if (/^LDAPR/.test(n)) k |= K_ACQPC;
  if (/^(STLR|STLXR|STLXP)/.test(n)) k |= K_REL;
  if (/^(LDXR|LDXP|LDAXR|LDAXP|STXR|STXP|STLXR|STLXP)$/.test(n)) k |= K_ATOMIC;
  const m = /^(CASP?|LDADD|LDCLR|LDEOR|LDSET|LDSMAX|LDSMIN|LDUMAX|LDUMIN|SWP)(A|L|AL)?$/.exec(n);
  if (m !== null) {
    k |= K_ATOMIC;
    if (m[2] === 'A' || m[2] === 'AL') k |= K_ACQ;
    if (m[2] === 'L' || m[2] === 'AL') k |= K_REL;
  }
  // Branch, exception generation and system class (op0 bits 28:26 = 101): conditions feed vCTRL.
  if (((i.word >>> 26) & 7) === 5) k |= K_BRANCH;
  if (n === 'BL' || n === 'BLR') k |= K_LINK;
  if (n === 'MRS') k |= K_SYSREAD;
  if (/^(B\.cond|CSEL|CSINC|CSINV|CSNEG|CCM|ADC|SBC|FCSEL|FCCMP|MRS)/.test(n)) k |= K_FLAGS_R;
  if (/^(ADDS|SUBS|ANDS|BICS|ADCS|SBCS|CCMN|CCMP|FCMP|FCCMP|MSR|SETF|RMIF|CFINV|AXFLAG|XAFLAG)/.test(n)) k |= K_FLAGS_W;
  if (/^(LDn|STn|LD[1-4]|ST[1-4])/.test(n)) k |= K_MULTI;
  if (n === 'DMB' || n === 'DSB') {
    const crm = (i.word >>> 8) & 15;
    if (n === 'DSB') k |= K_DSB | K_DMB_FULL;
    else if ((crm & 3) === 1) k |= K_DMB_LD;
    else if ((crm & 3) === 2) k |= K_DMB_ST;
    else k |= K_DMB_FULL; // 11: full; 00 is reserved and behaves as SY
  } else if (n === 'ISB') k |= K_ISB;
  else if ((k & K_BRANCH) !== 0 && !/^(B|BL|B\.cond|CBZ|CBNZ|TBZ|TBNZ|BR|BLR|RET|NOP|HINT|YIELD|SEV|SEVL|WFE|WFI|CLREX|SVC|HVC|SMC)$/.test(n)) {
    k |= K_SYNC; // HLT (semihosting), BRK, MSR/MRS/SYS, ERET: let the host and devices see RAM (PSCI calls need not)
  }
  const regs = new Set<number>();
  const enc = decoder.lookup(i.word);
  if (enc !== undefined && n !== 'UNDEFINED') {
    const rec = i as unknown as Record<string, number>;
    for (const f of enc.fields) if (REG_FIELDS.has(f.field)) regs.add(rec[f.field]);
  }
  if ((k & K_MULTI) !== 0) for (let j = 1; j < 4; j++) regs.add((i.rt + j) & 31);
  if ((k & K_LINK) !== 0) regs.add(30);
  return new InsnClass(k, Int32Array.from(regs));
}

/** The machine-wide state: message histories and the global clock. */
export class MemoryModel {
  /** Timestamp of the newest message. */
  now = 0;
  /** At least the newest timestamp of any history dropped (an evicted block's "base" message). */
  floor = 0;
  readonly tag = new Float64Array(NSLOTS).fill(-1);
  readonly cnt = new Uint8Array(NSLOTS);
  readonly head = new Uint8Array(NSLOTS);
  readonly mts = new Float64Array(NSLOTS * K);
  readonly mlo = new Int32Array(NSLOTS * K);
  readonly mhi = new Int32Array(NSLOTS * K);
  readonly mwho = new Int16Array(NSLOTS * K);
  readonly coh: Float64Array;
  readonly rng: Prng;
  readonly threads: ThreadModel[] = [];
  /** Loads that returned a value other than the newest (statistics). */
  staleReads = 0;
  readonly ncores: number;

  constructor(readonly dv: DataView, cores: Cpu[], seed: number | bigint) {
    this.ncores = cores.length;
    this.coh = new Float64Array(NSLOTS * cores.length);
    this.rng = new Prng(seed, PRNG_STREAM_MEMMODEL);
    for (const c of cores) this.threads.push(new ThreadModel(this, c));
  }

  /** Attach to the cores: each runs the checked loop with the model's hook. */
  attach(): void {
    for (const t of this.threads) { t.cpu.mm = t; t.cpu.addHook(t, Slow.MemModel); }
  }

  /** Commit every buffered write of every core (end of run, host reads). */
  flushAll(): void {
    for (const t of this.threads) t.flushAll();
  }

  /** System reset: commit the buffers and forget histories and views (RAM is reloaded). */
  reset(): void {
    this.flushAll();
    this.tag.fill(-1);
    this.cnt.fill(0);
    this.coh.fill(0);
    this.floor = this.now;
    for (const t of this.threads) t.resetViews();
  }

  /** Sleeping cores with buffered writes: the running cores commit those now and then. */
  parked = 0;

  /** Commit one buffered write of a random parked (sleeping) core. */
  drainParked(): void {
    let k = this.rand(this.threads.length);
    for (let j = 0; j < this.threads.length; j++, k = (k + 1) % this.threads.length) {
      const t = this.threads[k];
      if (t.isParked) { t.commitRandom(); return; }
    }
  }

  /** Every core sleeps: commit every buffered write (it may wake a core through the global monitor).
   * Returns whether there was any. */
  flushParked(): boolean {
    if (this.parked === 0) return false;
    this.flushAll();
    return true;
  }

  /** A random integer in [0, n). */
  rand(n: number): number {
    return this.rng.nextU32() % n;
  }

  /** The history slot of 8-byte block `blk` (RAM offset / 8), made (with the RAM value as its only
   * message) when the block has none. */
  slot(blk: number): number {
    const s = blk & (NSLOTS - 1); // adjacent blocks never share a slot
    if (this.tag[s] !== blk) {
      if (this.cnt[s] !== 0) {
        const t = this.mts[s * K + this.head[s]];
        if (t > this.floor) this.floor = t;
      }
      this.tag[s] = blk;
      this.cnt[s] = 1;
      this.head[s] = 0;
      this.mts[s * K] = this.floor; // at least the dropped newest timestamp of this block
      this.mlo[s * K] = this.dv.getInt32(blk * 8, true);
      this.mhi[s * K] = this.dv.getInt32(blk * 8 + 4, true);
      this.mwho[s * K] = -1;
      this.coh.fill(0, s * this.ncores, (s + 1) * this.ncores);
    }
    return s;
  }

  /** Record a committed write to block blk at time t by core `who` (RAM already holds it). */
  append(s: number, blk: number, t: number, who: number): void {
    const h = (this.head[s] + 1) % K;
    this.head[s] = h;
    if (this.cnt[s] < K) this.cnt[s]++;
    const j = s * K + h;
    this.mts[j] = t;
    this.mlo[j] = this.dv.getInt32(blk * 8, true);
    this.mhi[j] = this.dv.getInt32(blk * 8 + 4, true);
    this.mwho[j] = who;
  }
}

/** One core's side of the model: its views, register views and store buffer. Also its InsnHook. */
export class ThreadModel implements InsnHook {
  readonly id: number;
  // Views (timestamps).
  vrOld = 0; vwOld = 0; vrNew = 0; vwNew = 0; vCAP = 0; vCTRL = 0; vRel = 0;
  /** Register views: index = register field number (X and V registers share one, SP is 32). */
  readonly rv = new Float64Array(33);
  flagsV = 0;
  // The instruction being executed.
  private cls = 0;
  private regs: Int32Array = new Int32Array(0);
  private vsrc = 0;
  private loadV = 0;
  private nzcv0 = 0;
  // Store buffer, oldest first: RAM offset, size, value, due (own instruction count).
  private readonly pOff = new Float64Array(NPEND);
  private readonly pSize = new Int32Array(NPEND);
  private readonly pLo = new Int32Array(NPEND);
  private readonly pHi = new Int32Array(NPEND);
  private readonly pDue = new Float64Array(NPEND);
  pCount = 0;
  /** The core sleeps with writes in its buffer (MemoryModel.parked counts these). */
  isParked = false;
  private readonly scratch = new DataView(new ArrayBuffer(16));

  constructor(readonly m: MemoryModel, readonly cpu: Cpu) {
    this.id = cpu.id;
  }

  resetViews(): void {
    this.vrOld = this.vwOld = this.vrNew = this.vwNew = this.vCAP = this.vCTRL = this.vRel = 0;
    this.rv.fill(0);
    this.flagsV = 0;
  }

  private clock(): number {
    return this.cpu.icount + this.cpu.retiredInRun;
  }

  // ------------------------------------------------------------- the instruction hook

  before(c: Cpu, insn: Insn): boolean {
    let ic = insn.mm as InsnClass | null;
    if (ic === null) { ic = classify(insn, c.decoder); insn.mm = ic; }
    const k = ic.k;
    this.cls = k;
    this.regs = ic.regs;
    const rv = this.rv, regs = ic.regs;
    let v = 0;
    for (let j = 0; j < regs.length; j++) { const r = rv[regs[j]]; if (r > v) v = r; }
    if ((k & K_FLAGS_R) !== 0 && this.flagsV > v) v = this.flagsV;
    this.vsrc = v;
    this.loadV = 0;
    this.nzcv0 = c.nzcv;
    if (this.isParked) this.unpark();
    if (k >= K_DMB_FULL) this.barrier(k);
    return false;
  }

  after(c: Cpu, insn: Insn): void {
    const k = this.cls;
    const v = this.loadV > this.vsrc ? this.loadV : this.vsrc;
    if (v > 0) {
      const rv = this.rv, regs = this.regs;
      for (let j = 0; j < regs.length; j++) {
        const r = regs[j];
        if (r !== 31 && v > rv[r]) rv[r] = v; // XZR is never written (as SP, r is 32)
      }
      if ((k & K_FLAGS_W) !== 0 || c.nzcv !== this.nzcv0) this.flagsV = Math.max(this.flagsV, v);
    }
    if ((k & K_BRANCH) !== 0 && this.vsrc > this.vCTRL) this.vCTRL = this.vsrc;
    if (this.pCount !== 0) {
      if (c.sleep === Sleep.Running) this.drain();
      else if (!this.isParked) { this.isParked = true; this.m.parked++; } // the other cores drain it
    }
    if (this.m.parked !== 0 && this.m.rand(2) === 0) this.m.drainParked();
  }

  private unpark(): void {
    this.isParked = false;
    this.m.parked--;
  }

  /** Commit one buffered write, chosen at random (commitAt keeps same-block order). */
  commitRandom(): void {
    this.commitAt(this.m.rand(this.pCount));
    if (this.pCount === 0 && this.isParked) this.unpark();
  }

  private barrier(k: number): void {
    if ((k & K_DMB_FULL) !== 0) {
      this.flushAll();
      const o = Math.max(this.vrOld, this.vwOld);
      if (o > this.vrNew) this.vrNew = o;
      if (o > this.vwNew) this.vwNew = o;
    } else if ((k & K_DMB_LD) !== 0) {
      if (this.vrOld > this.vrNew) this.vrNew = this.vrOld;
      if (this.vrOld > this.vwNew) this.vwNew = this.vrOld;
    } else if ((k & K_DMB_ST) !== 0) {
      this.flushAll(); // later writes commit after these, so they are ordered
      if (this.vwOld > this.vwNew) this.vwNew = this.vwOld;
    } else if ((k & K_ISB) !== 0) {
      this.contextSync();
    } else if ((k & K_SYNC) !== 0) {
      this.flushAll();
      // A system-register read (ICC_IAR1_EL1 acknowledging an SGI, a counter) observes the
      // machine now: like an MMIO read, a later barrier orders this core's reads after it.
      if ((k & K_SYSREAD) !== 0) this.opaque();
      // ERET and the exceptions SVC/HVC/SMC/BRK/HLT take are context synchronisation events, as ISB
      // is (MSR/SYS are treated the same way: ordering more is sound).
      this.contextSync();
    }
  }

  /** A context synchronisation event (ISB, exception entry, ERET): later reads are ordered after the
   * conditions of earlier branches (Promising-ARM's ISB rule: vrNew takes vCTRL). Cpu.enterException
   * calls it for interrupts, which no instruction of the core's takes. */
  contextSync(): void {
    if (this.vCTRL > this.vrNew) this.vrNew = this.vCTRL;
  }

  // ------------------------------------------------------------- accesses (from Cpu.read*/write*)

  /** A RAM load of size bytes at RAM offset off: returns the value (int32 for size <= 4, unsigned for
   * 1 and 2) or, for 8, the low word with both words in R. */
  load(off: number, size: number): number {
    const m = this.m;
    const b0 = Math.floor(off / 8), b1 = Math.floor((off + size - 1) / 8);
    if (this.pCount !== 0) this.commitOverlapping(b0, b1);
    const k = this.cls;
    let vpre = this.vsrc > this.vrNew ? this.vsrc : this.vrNew;
    if ((k & K_ACQ) !== 0 && this.vRel > vpre) vpre = this.vRel;
    const atomic = (k & K_ATOMIC) !== 0;
    const sc = this.scratch;
    let vpost = vpre;
    for (let b = b0; b <= b1; b++) {
      const s = m.slot(b);
      const base = s * K;
      const cohIdx = s * m.ncores + this.id;
      const cnt = m.cnt[s], h = m.head[s];
      // Messages oldest..newest are ring positions (h - cnt + 1 .. h) mod K.
      let pick = h;
      if (!atomic && cnt > 1) {
        const vlim = Math.max(vpre, m.coh[cohIdx]);
        let lowest = cnt - 1; // age (0 = newest) of the oldest allowed message
        for (let age = 0; age < cnt; age++) {
          if (m.mts[base + (h - age + K) % K] <= vlim) { lowest = age; break; }
        }
        if (lowest > 0 && m.rand(2) === 0) {
          const age = 1 + m.rand(lowest);
          pick = (h - age + K) % K;
        }
      }
      const t = m.mts[base + pick];
      if (pick !== h) {
        m.staleReads++;
        const tr = this.cpu.tracer;
        if (tr !== null) tr.staleRead(this.cpu, b * 8 + this.cpu.ramBase, t, m.mwho[base + pick], m.mts[base + h]);
      }
      if (t > vpost) vpost = t;
      const p = (b - b0) * 8;
      if (pick === h) { // the newest value is RAM's (which also has what DMA and the debugger wrote)
        sc.setInt32(p, m.dv.getInt32(b * 8, true), true);
        sc.setInt32(p + 4, m.dv.getInt32(b * 8 + 4, true), true);
      } else {
        sc.setInt32(p, m.mlo[base + pick], true);
        sc.setInt32(p + 4, m.mhi[base + pick], true);
      }
    }
    for (let b = b0; b <= b1; b++) {
      const cohIdx = m.slot(b) * m.ncores + this.id;
      if (vpost > m.coh[cohIdx]) m.coh[cohIdx] = vpost;
    }
    if (vpost > this.vrOld) this.vrOld = vpost;
    if (this.vsrc > this.vCAP) this.vCAP = this.vsrc;
    if (vpost > this.loadV) this.loadV = vpost;
    if ((k & (K_ACQ | K_ACQPC)) !== 0) {
      if (vpost > this.vrNew) this.vrNew = vpost;
      if (vpost > this.vwNew) this.vwNew = vpost;
    }
    const o = off & 7;
    switch (size) {
      case 1: return sc.getUint8(o);
      case 2: return sc.getUint16(o, true);
      case 4: return sc.getInt32(o, true);
      default: R[LO] = sc.getInt32(o, true); R[HI] = sc.getInt32(o + 4, true); return R[LO];
    }
  }

  /** A RAM store of size bytes (value lo, hi) at RAM offset off. */
  store(off: number, size: number, lo: number, hi: number): void {
    if (this.vsrc > this.vCAP) this.vCAP = this.vsrc;
    const k = this.cls;
    if ((k & (K_ATOMIC | K_REL)) !== 0) {
      // Release: after every earlier access (vrOld, vwOld < now). Exclusive/atomic: at once, so
      // the read-to-write atomicity the monitor checks holds.
      this.flushAll();
      this.commitRaw(off, size, lo, hi);
      if ((k & K_REL) !== 0) this.vRel = this.m.now;
      return;
    }
    if (this.pCount === NPEND) this.commitAt(this.m.rand(NPEND));
    const j = this.pCount++;
    this.pOff[j] = off; this.pSize[j] = size; this.pLo[j] = lo; this.pHi[j] = hi;
    this.pDue[j] = this.clock() + this.m.rand(DRAIN_MAX);
  }

  /** Memory outside the model (MMIO, a page-crossing access, a system-register read): commit
   * everything, and give the result and the core's read/write views the newest timestamp (an
   * over-approximation: it orders more). */
  opaque(): void {
    this.flushAll();
    const now = this.m.now;
    if (now > this.loadV) this.loadV = now;
    // It is an access in program order, at time now: a DMB/DSB after it must order later reads
    // and writes after it (the self-test's ICI: the receiver acknowledges the SGI, DSB, then reads
    // the mailbox the sender completed with a DSB before sending). Without this, the barrier saw
    // only the core's RAM accesses and a read after it could still return a write older than the
    // SGI.
    if (now > this.vrOld) this.vrOld = now;
    if (now > this.vwOld) this.vwOld = now;
  }

  // ------------------------------------------------------------- the store buffer

  flushAll(): void {
    while (this.pCount !== 0) this.commitAt(0);
    if (this.isParked) this.unpark();
  }

  private drain(): void {
    const now = this.clock();
    for (let j = 0; j < this.pCount; j++) {
      if (this.pDue[j] <= now) { this.commitAt(j); j = -1; } // indices shifted: rescan
    }
  }

  private commitOverlapping(b0: number, b1: number): void {
    for (let j = 0; j < this.pCount; j++) {
      const off = this.pOff[j];
      const e0 = Math.floor(off / 8), e1 = Math.floor((off + this.pSize[j] - 1) / 8);
      if (e0 <= b1 && e1 >= b0) { this.commitAt(j); j = -1; }
    }
  }

  /** Commit entry i, after the older entries to the same blocks (coherence). */
  private commitAt(i: number): void {
    for (;;) {
      const off = this.pOff[i];
      const b0 = Math.floor(off / 8), b1 = Math.floor((off + this.pSize[i] - 1) / 8);
      let j = 0;
      for (; j < i; j++) {
        const e0 = Math.floor(this.pOff[j] / 8), e1 = Math.floor((this.pOff[j] + this.pSize[j] - 1) / 8);
        if (e0 <= b1 && e1 >= b0) break;
      }
      if (j < i) { this.commitAt(j); i--; continue; }
      const size = this.pSize[i], lo = this.pLo[i], hi = this.pHi[i];
      for (let q = i + 1; q < this.pCount; q++) {
        this.pOff[q - 1] = this.pOff[q]; this.pSize[q - 1] = this.pSize[q];
        this.pLo[q - 1] = this.pLo[q]; this.pHi[q - 1] = this.pHi[q]; this.pDue[q - 1] = this.pDue[q];
      }
      this.pCount--;
      this.commitRaw(off, size, lo, hi);
      return;
    }
  }

  /** Write to RAM now, with the next timestamp. */
  private commitRaw(off: number, size: number, lo: number, hi: number): void {
    const m = this.m, c = this.cpu, dv = m.dv;
    const b0 = Math.floor(off / 8), b1 = Math.floor((off + size - 1) / 8);
    m.slot(b0); if (b1 !== b0) m.slot(b1); // the histories start from the value before the write
    c.stored(off + c.ramBase, off, size); // before the bytes change (a snapshot saves the page first)
    switch (size) {
      case 1: dv.setUint8(off, lo); break;
      case 2: dv.setUint16(off, lo, true); break;
      case 4: dv.setInt32(off, lo, true); break;
      default: dv.setInt32(off, lo, true); dv.setInt32(off + 4, hi, true); break;
    }
    const t = ++m.now;
    for (let b = b0; b <= b1; b++) {
      const s = m.slot(b);
      m.append(s, b, t, this.id);
      m.coh[s * m.ncores + this.id] = t;
    }
    this.vwOld = t;
  }
}
