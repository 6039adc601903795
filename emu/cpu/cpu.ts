// One ARMv8-A core: architectural state, the memory access path, exception entry and the inner loop.
//
// General registers live in one Int32Array of halves, X[n] at 2n (low) and 2n+1 (high), so that
// translated WebAssembly code moves a register with one 64-bit access. Register 31 reads as zero (XZR)
// and is never written; register 32 is the current stack pointer, banked per EL in spLo/spHi (see
// selectSp).
// Instruction semantics are in ./a64/, one file per Arm ARM encoding class.

import { Insn } from './insn.js';
import { Decoder } from './decoder.js';
import { Ram, PAGE_SHIFT } from '../mem/ram.js';
import { Bus } from '../mem/bus.js';
import { GlobalMonitor } from './monitor.js';
import { R, LO, HI, toBigInt } from './int64.js';
import { SysRegs, sysRegIss } from './sysregs.js';
import { SPLIT } from './mmu.js';
import type { CodeCache } from './codecache.js';
import type { Translator } from './translator/translator.js';
import type { GicCpuInterface } from '../gic/gicv3.js';
import type { GicV2Cpu } from '../gic/gicv2.js';
import type { GenericTimer } from '../devices/timer.js';
import type { Tracer, CodeInfo } from '../trace/tracer.js';
import { SelfHostedDebug } from './debug/debug.js';
import { Pmu } from './pmu/pmu.js';
import type { ThreadModel } from '../memory-model/model.js';

// The SIMD&FP register views (Cpu.vb/vh/vw/vs/vd) share one buffer in host byte order; lanes are
// little-endian only on a little-endian host (every platform Node runs on today).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('a64emu needs a little-endian host');

export const XZR = 31;
/** Why a core is not running (Cpu.sleep). */
export const enum Sleep { Running = 0, WFE = 1, WFI = 2, Off = 3, Halted = 4 }
export const SP = 32;
/** Sets of Cpu.dtlbR/dtlbW, and the tag of an empty entry (no page-aligned VA has bit 0 set). */
export const DTLB_SETS = 256;
export const DTLB_EMPTY = 1;

/** Byte offsets in the core's area of the WebAssembly memory (Ram.coreOff), where translated
 * WebAssembly code finds what the core's typed arrays hold: x, the exchange slots (AreaSlot),
 * dtlbR/dtlbW, the jump cache and the SIMD&FP registers (vb to vd, 16 bytes per register). */
export const AREA_X = 0, AREA_ST = 512, AREA_DTLBR = 1024, AREA_DTLBW = 1024 + DTLB_SETS * 16;
/** Sets of Cpu.jumps (direct-mapped on VA[17:12]), 16 bytes each, at AREA_JUMPS. */
export const JUMP_SETS = 64;
export const AREA_JUMPS = AREA_DTLBW + DTLB_SETS * 16;
export const AREA_V = AREA_JUMPS + JUMP_SETS * 16;
/** The exchange slots (Cpu.st, int32s) between a WebAssembly region and the dispatcher. */
export const enum AreaSlot {
  /** Out: where the region left, as codegen's xw, xn and xf; NZCV packed (N in bit 3); jitFill. */
  XW = 0, XN = 1, XF = 2, NZCV = 3, FILL = 4,
  /** In (and refreshed after each handler call): Cpu.irqPending, GlobalMonitor.active. */
  IRQ = 5, MON = 6,
  /** Out: the PC when XW is -2 (a jump the region computed). */
  PCLO = 7, PCHI = 8,
  /** In, as IRQ and MON: 1 when SIMD&FP instructions may run (fpOn), for inline SIMD&FP loads and
   * stores. */
  FPON = 9,
}

/** Why a core must run the checked loop (cpu.slow, a bit per feature) instead of the fast loop or
 * translated code. 0 means nothing observes single instructions: the fast path runs. */
export const enum Slow { Trace = 1, Debug = 2, Pmu = 4, Gdb = 8, MemModel = 16 }

/** Empty the entry for VA page vp (bits 31:12) in a direct-mapped page table of `sets` sets of four
 * int32s (Cpu.dtlbR, dtlbW, jumps) if it holds that page: its VA[63:32] equal to vhi in the bits of
 * `mask`. */
function dropEntry(tab: Int32Array, sets: number, vp: number, vhi: number, mask: number): void {
  const e = ((vp >>> 12) & (sets - 1)) << 2;
  if (tab[e] === vp && ((tab[e + 1] ^ vhi) & mask) === 0) tab[e] = DTLB_EMPTY;
}

/** A per-instruction observer, called by the checked loop (self-hosted debug, PMU events, gdb, the
 * memory model). Registered with Cpu.addHook, which also sets the feature's Slow bit. */
export interface InsnHook {
  /** Before the instruction at the PC executes. To take a debug exception, enter it and throw
   * INSN_ABORTED (the instruction does not execute). Return true to leave run() before it, with the PC
   * at it and it not counted (a gdb stop). */
  before(c: Cpu, insn: Insn): boolean;
  /** After the instruction retired (c.flow tells how it left; the PC is not yet advanced for
   * Flow.Next). Not called for an instruction that took a synchronous exception part-way. */
  after(c: Cpu, insn: Insn): void;
}

/** A data-access observer, called for every data access after translation (so MMU faults come first)
 * and before memory is touched (watchpoints). Registered with Cpu.addDataHook. */
export interface DataHook {
  access(c: Cpu, vlo: number, vhi: number, acc: Access, size: number, pa: number): void;
}

/** How the inner loop left an instruction. */
export const enum Flow { Next = 0, Jump = 1, Exit = 2 }

/** Access types, for translation and fault syndromes. */
export const enum Access { Read = 0, Write = 1, Exec = 2, ReadUnpriv = 3, WriteUnpriv = 4 }

/** Exception classes (ESR_ELx.EC), Arm ARM D17.2.37. */
export const enum EC {
  Unknown = 0x00, WFx = 0x01, FPAccess = 0x07, IllegalState = 0x0e,
  SVC64 = 0x15, HVC64 = 0x16, SMC64 = 0x17, SysReg = 0x18,
  InstAbortLower = 0x20, InstAbortSame = 0x21, PCAlign = 0x22,
  DataAbortLower = 0x24, DataAbortSame = 0x25, SPAlign = 0x26,
  Breakpoint = 0x30, SoftwareStep = 0x32, Watchpoint = 0x34, // +1: taken to the same EL
  BRK64 = 0x3c,
}

/** Thrown (a single preallocated object, so nothing is allocated) to abandon an instruction that
 * took a synchronous exception in the middle, e.g. a data abort inside a load. The exception has
 * already been entered when this is thrown. */
export const INSN_ABORTED = { aborted: true } as const;

/** Host-side hooks the board provides: semihosting, PSCI, events, stopping the run. */
export interface CpuEnv {
  /** HLT #imm; returns true if handled (semihosting), false to take the architectural exception. */
  hlt(c: Cpu, imm: number): boolean;
  /** HVC or SMC #imm; returns true if handled by the board (PSCI firmware), false to take the exception. */
  callFirmware(c: Cpu, smc: boolean, imm: number): boolean;
  /** SEV: set every core's event register. */
  sendEvent(from: Cpu): void;
  /** The guest did something the run cannot continue past (no vector, unhandled...). */
  fatal(c: Cpu, message: string): void;
  /** Take a pending interrupt between blocks; false if none is deliverable after all. */
  takeInterrupt(c: Cpu): boolean;
  /** Virtual time in counter ticks, for CNTPCT/CNTVCT. */
  counter(c: Cpu): number;
}

export class Cpu {
  // --- general registers and PC ---
  /** X[n] for n in 0..32 (31: XZR, 32: SP) as halves: low at 2n, high at 2n + 1. */
  readonly x: Int32Array;
  pcLo = 0;
  pcHi = 0;
  /** Set by a handler that wrote the PC (Jump) or needs the loop left after it (Exit). */
  flow: Flow = Flow.Next;

  // --- SIMD&FP registers ---
  // V0-V31, 128 bits each, in one buffer with a view per lane size, so a handler reads lane k of size
  // S of Vn as e.g. vw[n * 4 + k] with no conversion (lanes are little-endian: the host must be, which
  // the check at the top of this file asserts). Q views are pairs of D lanes; vs/vd are the same bits as floats,
  // for handlers whose inputs are known not to be NaN (reading a signalling NaN through a float view
  // may quiet it; bit-exact handlers go through vw).
  // (In the core's area at AREA_V when RAM is a WebAssembly memory, where translated code loads and
  // stores them itself.)
  readonly vb: Uint8Array;
  readonly vh: Uint16Array;
  readonly vw: Int32Array;
  readonly vs: Float32Array;
  readonly vd: Float64Array;
  /** FPCR and FPSR as 32-bit values (their AArch64 upper halves are RES0). */
  fpcr = 0;
  fpsr = 0;

  // --- PSTATE ---
  nf = 0; zf = 0; cf = 0; vf = 0;
  /** D, A, I, F as bits 3..0 (the SPSR/DAIF bit order shifted down by 6). */
  daif = 0xf;
  el = 1;
  spsel = 1;
  /** PSTATE.SS, the software step state bit (SPSR bit 21); see debug/debug.ts. */
  ss = 0;
  readonly spLo = new Int32Array(4);
  readonly spHi = new Int32Array(4);

  // --- system registers, monitors, events ---
  /** Self-hosted debug (made before sys, whose reset resets it). */
  readonly debug = new SelfHostedDebug();
  /** PMUv3 (made before sys, whose reset resets it). */
  readonly pmu = new Pmu();
  readonly sys: SysRegs;
  /** Local exclusive monitor: physical address and size of the last LDXR, -1 when open. */
  exclPa = -1;
  exclSize = 0;
  event = 0;
  /** Why the core is not running: 0 running, else one of the Sleep values. */
  sleep = 0;
  /** Set by the interrupt controller when an interrupt may need taking; checked at block boundaries. */
  irqPending = false;
  /** Retired instructions. */
  icount = 0;
  /** Statistics for --stats: WFE that slept, store-exclusives that failed. */
  wfeSleeps = 0;
  exclFailures = 0;
  /** Stage-1 translation enabled for the current regime (kept by SysRegs on SCTLR writes and EL changes). */
  mmuOn = false;
  /** SCTLR_EL1.A is set for the current regime: data accesses must be aligned to their size. */
  alignCheck = false;
  /** Every core of the machine, this one included (TLBI broadcast, SEV). */
  peers: Cpu[] = [];
  /** The GIC CPU interface and generic timer of this core, when the board has them. */
  gicc: GicCpuInterface | GicV2Cpu | null = null;
  timer: GenericTimer | null = null;
  /** Instructions retired in the current run() call so far (for a precise virtual counter). */
  retiredInRun = 0;
  /** Where the current run() stops (its retired count): its budget, unless it covers several
   * scheduling rounds (round > 0) and something in one of them must be seen at that round's end
   * (endRound, endRoundAt). Every loop that runs instructions stops here. */
  end = 0;
  /** The round length when the current run() covers several scheduling rounds in one go (a core
   * running alone: Machine.step), else 0. */
  round = 0;
  /** 3 while an LDTR/STTR runs at EL1: added to Access.Read/Write it gives ReadUnpriv/WriteUnpriv. */
  unpriv = 0;
  /** EL2 is implemented (the board starts cores at EL2, as QEMU's virtualization=on). */
  hasEl2 = false;
  /** Set by the board when the run has ended (Machine.stop): run() returns at the next block boundary
   * instead of running out its budget (it used to go on executing past a SYSTEM_OFF or semihosting
   * exit until the quantum ended). Cleared when run() returns. */
  halt = false;
  /** The trace event stream, or null (tracing off: the untraced loop runs). Set with setTracer(). */
  tracer: Tracer | null = null;
  /** Set by the board when run() resumes a quantum paused mid-block (gdb): the interrupt check at
   * the top of run() is skipped once, as the unpaused run would not have made it there. */
  resumeInBlock = false;
  /** Slow bits: while any is set, run() uses the checked loop (innerChecked). */
  slow = 0;
  /** Per-instruction observers of the checked loop, and data-access observers (see addHook). */
  hooks: InsnHook[] = [];
  dataHooks: DataHook[] = [];
  /** Under --memory-model arm, this core's side of the weak memory model: RAM data accesses go
   * through it. null (the default, 'sc'): straight to RAM. */
  mm: ThreadModel | null = null;
  /** The machine's block translator, or null (--no-jit): used by run() while slow is 0. */
  jit: Translator | null = null;
  /** Where the last run() stopped when its budget cut it short (cutLo 1: it did not), a straight
   * line's middle as a rule: the next run starting there tells the translator it is no entry. */
  cutLo = 1;
  cutHi = 0;

  // --- memory fast path ---
  readonly dv: DataView;
  readonly ramBase: number;
  readonly ramSize: number;
  /** Decoded code page for the current PC (virtual page base in curVLo/curVHi). */
  curPage: (Insn | undefined)[] | null = null;
  curVLo = 1; // never a page base, so the first fetch takes the slow path
  curVHi = 0;
  curPfn = 0;
  /** The page fetched from before the current one (same fields; prevVLo 1 when none): the fetch cache's
   * second entry, so code that calls across a page boundary and returns finds both pages cached. */
  prevPage: (Insn | undefined)[] | null = null;
  prevVLo = 1;
  prevVHi = 0;
  prevPfn = 0;
  /** The data-access cache of translated code: per set (DTLB_SETS, direct-mapped on VA[19:12]) the VA
   * page (bits 31:12 in a page-aligned int32, DTLB_EMPTY when empty), VA[63:32] and the page's offset
   * in RAM, for reads (dtlbR) and writes (dtlbW); the first two, read as one little-endian i64, are the
   * page's whole VA, which WebAssembly code compares in one step. An entry exists only for a
   * Normal-memory RAM page the MMU (or the flat mapping) let this core read or write at the current EL,
   * and only while nothing observes accesses (no data hooks, no alignment checking); it is a subset of
   * the MMU's TLB (Mmu.fill drops what the TLB evicts), dropped whole with the fetch cache (resetFetch:
   * TLB maintenance, translation register or EL changes). Translated code reads it inline; the interpreter never does. */
  readonly dtlbR: Int32Array;
  readonly dtlbW: Int32Array;
  /** The WebAssembly translator's jump cache: per set (JUMP_SETS, direct-mapped on VA[17:12]) a VA
   * page the fetch cache held (bits 31:12, DTLB_EMPTY when empty), VA[63:32], and the first table slot
   * of its RAM page (Translator), so that a region jumping to another page can chain to the region
   * there without the dispatcher. Filled by the dispatcher from the fetch cache, it follows the fetch
   * cache's rules: dropped with it (resetFetch, dropPage) and, like dtlbR/dtlbW, for a page the MMU's
   * TLB refills or evicts; dropped whole when the translator reallocates its slots. */
  readonly jumps: Int32Array;
  /** Where RAM is a WebAssembly memory (Ram.wasm): the byte offset of this core's area, which holds
   * x, dtlbR, dtlbW, jumps and the exchange slots st (AreaSlot); else -1 (and st is unused). */
  readonly area: number;
  readonly st: Int32Array;
  /** Physical and virtual address of the last translate() (for filling dtlbR/dtlbW after a slow
   * access). */
  lastPa = 0;
  lastVlo = 0;
  lastVhi = 0;
  /** Set by translated code that left before an access it could not make directly: the dispatcher
   * interprets that instruction, then fills dtlbR (1) or dtlbW (2) from it (3: nothing to fill). */
  jitFill = 0;

  constructor(
    readonly id: number,
    readonly mpidr: number,
    readonly ram: Ram,
    readonly bus: Bus,
    readonly monitor: GlobalMonitor,
    readonly decoder: Decoder,
    readonly code: CodeCache,
    public env: CpuEnv,
  ) {
    const w = ram.wasm;
    this.area = w === null ? -1 : ram.coreOff(id);
    const view = (off: number, n: number): Int32Array => (w === null ? new Int32Array(n) : new Int32Array(w.buffer, this.area + off, n));
    this.x = view(AREA_X, 66);
    this.st = view(AREA_ST, 16);
    this.dtlbR = view(AREA_DTLBR, DTLB_SETS * 4).fill(DTLB_EMPTY);
    this.dtlbW = view(AREA_DTLBW, DTLB_SETS * 4).fill(DTLB_EMPTY);
    this.jumps = view(AREA_JUMPS, JUMP_SETS * 4).fill(DTLB_EMPTY);
    const vbuf = w === null ? new ArrayBuffer(32 * 16) : w.buffer, voff = w === null ? 0 : this.area + AREA_V;
    this.vb = new Uint8Array(vbuf, voff, 512);
    this.vh = new Uint16Array(vbuf, voff, 256);
    this.vw = new Int32Array(vbuf, voff, 128);
    this.vs = new Float32Array(vbuf, voff, 128);
    this.vd = new Float64Array(vbuf, voff, 64);
    this.dv = ram.dv;
    this.ramBase = ram.base;
    this.ramSize = ram.size;
    this.sys = new SysRegs(this);
  }

  /** The views into the core's area (state the snapshot store captures by their bytes). */
  get areaViews(): Int32Array[] { return [this.x, this.st, this.dtlbR, this.dtlbW, this.vw]; }

  // ---------------------------------------------------------------- registers

  /** Write a general register (index 31 is XZR and discards). */
  setX(r: number, lo: number, hi: number): void {
    if (r !== XZR) { this.x[2 * r] = lo; this.x[2 * r + 1] = hi; }
  }

  /** Write a W register: the upper half is zeroed. */
  setW(r: number, lo: number): void {
    if (r !== XZR) { this.x[2 * r] = lo; this.x[2 * r + 1] = 0; }
  }

  /** Current instruction's address + off (off a small signed number), into R. */
  pcRel(off: number): void {
    const l = (this.pcLo >>> 0) + off; // in [-2^32, 2^33): |off| <= 2^32 (ADRP)
    R[LO] = l | 0;
    R[HI] = (this.pcHi + (l >= 4294967296 ? 1 : l < 0 ? -1 : 0)) | 0;
  }

  /** Advance past the current instruction and leave the inner loop (WFE, MSR DAIF, ...). */
  nextAndExit(): void {
    this.pcRel(4);
    this.pcLo = R[LO]; this.pcHi = R[HI];
    this.flow = Flow.Exit;
  }

  jump(lo: number, hi: number): void {
    this.pcLo = lo;
    this.pcHi = hi;
    this.flow = Flow.Jump;
  }

  /** NZCV as the 4-bit value of bits [31:28]. */
  get nzcv(): number {
    return (this.nf << 3) | (this.zf << 2) | (this.cf << 1) | this.vf;
  }
  set nzcv(v: number) {
    this.nf = (v >>> 3) & 1; this.zf = (v >>> 2) & 1; this.cf = (v >>> 1) & 1; this.vf = v & 1;
  }

  /** ConditionHolds() from the Arm ARM. */
  condHolds(cond: number): boolean {
    let r: boolean;
    switch (cond >>> 1) {
      case 0: r = this.zf === 1; break;
      case 1: r = this.cf === 1; break;
      case 2: r = this.nf === 1; break;
      case 3: r = this.vf === 1; break;
      case 4: r = this.cf === 1 && this.zf === 0; break;
      case 5: r = this.nf === this.vf; break;
      case 6: r = this.nf === this.vf && this.zf === 0; break;
      default: return true; // AL and NV both mean always
    }
    return (cond & 1) === 1 ? !r : r;
  }

  /** Bank the current SP and select SP_EL0 or SP_ELx after a change of EL or SPSel. */
  selectSp(newEl: number, newSpsel: number): void {
    const oldBank = this.spsel !== 0 ? this.el : 0;
    this.spLo[oldBank] = this.x[2 * SP]; this.spHi[oldBank] = this.x[2 * SP + 1];
    this.el = newEl; this.spsel = newSpsel;
    const bank = newSpsel !== 0 ? newEl : 0;
    this.x[2 * SP] = this.spLo[bank]; this.x[2 * SP + 1] = this.spHi[bank];
  }

  /** Read the banked SP_ELn (the live register if it is the current one). */
  getSpEl(n: number): void {
    const cur = this.spsel !== 0 ? this.el : 0;
    if (n === cur) { R[LO] = this.x[2 * SP]; R[HI] = this.x[2 * SP + 1]; }
    else { R[LO] = this.spLo[n]; R[HI] = this.spHi[n]; }
  }

  setSpEl(n: number, lo: number, hi: number): void {
    const cur = this.spsel !== 0 ? this.el : 0;
    if (n === cur) { this.x[2 * SP] = lo; this.x[2 * SP + 1] = hi; }
    else { this.spLo[n] = lo; this.spHi[n] = hi; }
  }

  /** PSTATE as an SPSR value (AArch64 state). */
  get pstate(): number {
    return ((this.nzcv << 28) | (this.ss << 21) | (this.daif << 6) | (this.el << 2) | this.spsel) >>> 0;
  }

  // ---------------------------------------------------------------- memory

  /** Virtual to physical for a data or instruction access; takes the abort (and throws) on a fault. */
  translate(vlo: number, vhi: number, acc: Access, size: number): number {
    // SCTLR_EL1.A: every unaligned data access faults, before translation (AArch64.CheckAlignment).
    if (this.alignCheck && (vlo & (size - 1)) !== 0 && acc !== Access.Exec) this.memAbort(vlo, vhi, acc, 0b100001);
    let pa: number;
    if (this.mmuOn) pa = this.sys.mmu.translate(this, vlo, vhi, acc + this.unpriv, size);
    else {
      // MMU off: flat mapping; the PA range is 44 bits (ID_AA64MMFR0_EL1.PARange = 4).
      if ((vhi >>> 12) !== 0) this.abortAddressSize(vlo, vhi, acc);
      pa = (vhi >>> 0) * 4294967296 + (vlo >>> 0);
    }
    if (this.dataHooks.length !== 0 && acc !== Access.Exec) this.callDataHooks(vlo, vhi, acc + this.unpriv, size, pa);
    this.lastPa = pa; this.lastVlo = vlo; this.lastVhi = vhi;
    return pa;
  }

  /** After an access at (vlo, vhi) that went through translate() without a fault: remember its page in
   * `tab` (dtlbR or dtlbW) if translated code may access it directly next time (see dtlbR). */
  dtlbFill(tab: Int32Array, vlo: number, vhi: number): void {
    if (this.dataHooks.length !== 0 || this.alignCheck || this.slow !== 0 || this.unpriv !== 0) return;
    const off = this.lastRamPage();
    if (off < 0) return;
    const e = ((vlo >>> 12) & (DTLB_SETS - 1)) << 2;
    tab[e] = vlo & ~0xfff; tab[e + 1] = vhi; tab[e + 2] = off;
  }

  /** The RAM offset of the last access's page (through translate(), as dtlbFill reads it), or -1 when
   * translated code can never access that page directly (not RAM: MMIO; or RAM mapped as Device
   * memory), or -2 when the access spanned two pages. */
  private lastRamPage(): number {
    if (this.mmuOn && this.sys.mmu.lastDevice) return -1;
    const pa = this.lastPa;
    if (pa === SPLIT) return -2;
    const off = pa - (pa % 4096) - this.ramBase;
    return off < 0 || off + 4096 > this.ramSize ? -1 : off;
  }

  /** Whether the last access went to a page translated code can never access directly (lastRamPage). */
  lastAccessDevice(): boolean { return this.lastRamPage() === -1; }

  /** Forget the page (VA page base vp, VA[63:32] vhi) in both data-access caches. */
  dtlbDrop(vp: number, vhi: number): void {
    dropEntry(this.dtlbR, DTLB_SETS, vp, vhi, -1);
    dropEntry(this.dtlbW, DTLB_SETS, vp, vhi, -1);
    dropEntry(this.jumps, JUMP_SETS, vp, vhi, -1);
  }

  /** Forget the jump cache (the translator's slots moved, or the fetch cache was dropped). */
  dropJumps(): void { this.jumps.fill(DTLB_EMPTY); }

  /** The fetch cache's current page leads to the translator's slots from `slot` on (its RAM page's
   * first): a region jumping there may chain to them. */
  noteJumps(slot: number): void {
    const j = ((this.curVLo >>> 12) & (JUMP_SETS - 1)) << 2, t = this.jumps;
    t[j] = this.curVLo; t[j + 1] = this.curVHi; t[j + 2] = slot;
  }

  /** The fetch cache's current page becomes (vlo, vhi) -> RAM page pfn, as fetchSlow leaves it after
   * translating: for translated code that chained there through the jump cache (whose entries the
   * fetch cache held). */
  fetchPage(vlo: number, vhi: number, pfn: number): void {
    if (this.curPage !== null) {
      this.prevPage = this.curPage; this.prevVLo = this.curVLo; this.prevVHi = this.curVHi; this.prevPfn = this.curPfn;
    }
    this.curPfn = pfn;
    this.curPage = this.code.page(pfn);
    this.curVLo = vlo;
    this.curVHi = vhi;
  }

  private callDataHooks(vlo: number, vhi: number, acc: Access, size: number, pa: number): void {
    const h = this.dataHooks;
    for (let k = 0; k < h.length; k++) h[k].access(this, vlo, vhi, acc, size, pa);
  }

  private abortAddressSize(vlo: number, vhi: number, acc: Access): never {
    // Address size fault, level 0: DFSC/IFSC 0b000000.
    this.memAbort(vlo, vhi, acc, 0b000000);
  }

  /** Take an instruction or data abort with the given fault status code, and throw. */
  memAbort(vlo: number, vhi: number, acc: Access, fsc: number): never {
    const target = this.el === 0 ? 1 : this.el;
    const same = target === this.el;
    let ec: number, iss: number;
    if (acc === Access.Exec) { ec = same ? EC.InstAbortSame : EC.InstAbortLower; iss = fsc; }
    else { ec = same ? EC.DataAbortSame : EC.DataAbortLower; iss = fsc | (acc === Access.Write || acc === Access.WriteUnpriv ? 1 << 6 : 0); }
    this.takeSync(target, ec, iss, true, vlo, vhi);
    throw INSN_ABORTED;
  }

  /** An access to a physical address that is neither RAM nor a device: synchronous external abort. */
  busError(vlo: number, vhi: number, acc: Access, _pa: number): never {
    // External abort, not on translation table walk: FSC 0b010000. ESR.EA (bit 9) is the
    // IMPLEMENTATION DEFINED classification; 0 as QEMU gives for a decode error. ISV is 0, as QEMU
    // gives for aborts taken to EL1.
    this.memAbort(vlo, vhi, acc, 0b010000);
  }

  // Each access reports itself to the tracer, when there is one (one well-predicted test per access
  // when tracing is off).

  read8(vlo: number, vhi: number): number {
    const pa = this.translate(vlo, vhi, Access.Read, 1);
    const off = pa - this.ramBase;
    const v = off >= 0 && off < this.ramSize ? (this.mm === null ? this.dv.getUint8(off) : this.mm.load(off, 1)) : this.mmioRead(vlo, vhi, pa, 1);
    if (this.tracer !== null) this.tracer.mem(this, false, vlo, vhi, pa, 1, v, 0);
    return v;
  }

  read16(vlo: number, vhi: number): number {
    const pa = this.translate(vlo, vhi, Access.Read, 2);
    const off = pa - this.ramBase;
    const v = off >= 0 && off <= this.ramSize - 2 ? (this.mm === null ? this.dv.getUint16(off, true) : this.mm.load(off, 2)) : this.mmioRead(vlo, vhi, pa, 2);
    if (this.tracer !== null) this.tracer.mem(this, false, vlo, vhi, pa, 2, v, 0);
    return v;
  }

  /** 32-bit load; returns the value as a signed int32 (use >>> 0 for unsigned). */
  read32(vlo: number, vhi: number): number {
    const pa = this.translate(vlo, vhi, Access.Read, 4);
    const off = pa - this.ramBase;
    const v = off >= 0 && off <= this.ramSize - 4 ? (this.mm === null ? this.dv.getInt32(off, true) : this.mm.load(off, 4)) : this.mmioRead(vlo, vhi, pa, 4) | 0;
    if (this.tracer !== null) this.tracer.mem(this, false, vlo, vhi, pa, 4, v, 0);
    return v;
  }

  /** 64-bit load into R. */
  read64(vlo: number, vhi: number): void {
    const pa = this.translate(vlo, vhi, Access.Read, 8);
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 8) {
      if (this.mm !== null) this.mm.load(off, 8);
      else {
        R[LO] = this.dv.getInt32(off, true);
        R[HI] = this.dv.getInt32(off + 4, true);
      }
    } else if (pa === SPLIT) {
      this.splitLoad(vlo, vhi, 8);
    } else {
      const l = this.mmioRead(vlo, vhi, pa, 4) | 0;
      const h = this.mmioRead(vlo, vhi, pa + 4, 4) | 0;
      R[LO] = l; R[HI] = h;
    }
    if (this.tracer !== null) this.tracer.mem(this, false, vlo, vhi, pa, 8, R[LO], R[HI]);
  }

  write8(vlo: number, vhi: number, v: number): void {
    const pa = this.translate(vlo, vhi, Access.Write, 1);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      if (this.mm !== null) this.mm.store(off, 1, v & 0xff, 0);
      else {
        this.stored(pa, off, 1); // first: a snapshot saves the page before it changes
        this.dv.setUint8(off, v);
      }
    } else this.mmioWrite(vlo, vhi, pa, 1, v & 0xff);
    if (this.tracer !== null) this.tracer.mem(this, true, vlo, vhi, pa, 1, v & 0xff, 0);
  }

  write16(vlo: number, vhi: number, v: number): void {
    const pa = this.translate(vlo, vhi, Access.Write, 2);
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 2) {
      if (this.mm !== null) this.mm.store(off, 2, v & 0xffff, 0);
      else {
        this.stored(pa, off, 2); // first: a snapshot saves the page before it changes
        this.dv.setUint16(off, v, true);
      }
    } else this.mmioWrite(vlo, vhi, pa, 2, v & 0xffff);
    if (this.tracer !== null) this.tracer.mem(this, true, vlo, vhi, pa, 2, v & 0xffff, 0);
  }

  write32(vlo: number, vhi: number, v: number): void {
    const pa = this.translate(vlo, vhi, Access.Write, 4);
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 4) {
      if (this.mm !== null) this.mm.store(off, 4, v, 0);
      else {
        this.stored(pa, off, 4); // first: a snapshot saves the page before it changes
        this.dv.setInt32(off, v, true);
      }
    } else this.mmioWrite(vlo, vhi, pa, 4, v >>> 0);
    if (this.tracer !== null) this.tracer.mem(this, true, vlo, vhi, pa, 4, v, 0);
  }

  write64(vlo: number, vhi: number, lo: number, hi: number): void {
    const pa = this.translate(vlo, vhi, Access.Write, 8);
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 8) {
      if (this.mm !== null) this.mm.store(off, 8, lo, hi);
      else {
        this.stored(pa, off, 8); // first: a snapshot saves the page before it changes
        this.dv.setInt32(off, lo, true);
        this.dv.setInt32(off + 4, hi, true);
      }
    } else if (pa === SPLIT) {
      this.splitStore(vlo, vhi, 8, lo, hi);
    } else {
      this.mmioWrite(vlo, vhi, pa, 4, lo >>> 0);
      this.mmioWrite(vlo, vhi, pa + 4, 4, hi >>> 0);
    }
    if (this.tracer !== null) this.tracer.mem(this, true, vlo, vhi, pa, 8, lo, hi);
  }

  /** Bookkeeping for a RAM store, called BEFORE the bytes change: other cores' exclusive marks, and
   * the page flags of the first and last page (decoded code there; a snapshot's copy-on-write). */
  stored(pa: number, off: number, size: number): void {
    if (this.monitor.active !== 0) this.monitor.store(pa, size, this.id);
    const f = this.ram.codePages;
    if ((f[off >>> PAGE_SHIFT] | f[(off + size - 1) >>> PAGE_SHIFT]) !== 0) this.ram.touch(off, size);
  }

  private mmioRead(vlo: number, vhi: number, pa: number, size: number): number {
    if (this.mm !== null) this.mm.opaque(); // outside the memory model: see every committed write
    if (pa === SPLIT) { this.splitLoad(vlo, vhi, size); return R[LO] >>> 0; }
    const r = this.bus.find(pa);
    if (r === undefined) this.busError(vlo, vhi, Access.Read, pa);
    return r.dev.read(pa - r.base, size, this.id);
  }

  private mmioWrite(vlo: number, vhi: number, pa: number, size: number, v: number): void {
    if (this.mm !== null) this.mm.opaque();
    if (pa === SPLIT) { this.splitStore(vlo, vhi, size, v, 0); return; }
    const r = this.bus.find(pa);
    if (r === undefined) this.busError(vlo, vhi, Access.Write, pa);
    r.dev.write(pa - r.base, size, v, this.id);
  }

  /** Physical address of byte k of an access for which Mmu.translate() returned SPLIT: it crosses from
   * one page into another that is not physically adjacent (both pages already translated and checked). */
  private splitByte(k: number): number {
    const m = this.sys.mmu;
    const first = 0x1000 - (m.splitPa0 % 0x1000); // bytes on the first page
    return k < first ? m.splitPa0 + k : m.splitPa1 + (k - first);
  }

  /** A SPLIT load of size bytes, byte by byte, little-endian, into R. */
  private splitLoad(vlo: number, vhi: number, size: number): void {
    let lo = 0, hi = 0;
    for (let k = 0; k < size; k++) {
      const pa = this.splitByte(k);
      const off = pa - this.ramBase;
      // Under the memory model byte by byte too (an unaligned access is single-copy atomic per byte).
      const b = off >= 0 && off < this.ramSize ? (this.mm === null ? this.dv.getUint8(off) : this.mm.load(off, 1)) : this.mmioRead(vlo, vhi, pa, 1);
      if (k < 4) lo |= b << (8 * k); else hi |= b << (8 * (k - 4));
    }
    R[LO] = lo; R[HI] = hi;
  }

  /** A SPLIT store of size bytes (value lo, hi), byte by byte, little-endian. */
  private splitStore(vlo: number, vhi: number, size: number, lo: number, hi: number): void {
    for (let k = 0; k < size; k++) {
      const pa = this.splitByte(k);
      const b = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
      const off = pa - this.ramBase;
      if (off >= 0 && off < this.ramSize) {
        if (this.mm !== null) this.mm.store(off, 1, b, 0);
        else { this.stored(pa, off, 1); this.dv.setUint8(off, b); }
      }
      else this.mmioWrite(vlo, vhi, pa, 1, b);
    }
  }

  // ---------------------------------------------------------------- exceptions

  /** Enter a synchronous exception at EL `target` (1 or 2) with ESR = EC:IL:ISS; sets FAR if given. */
  takeSync(target: number, ec: number, iss: number, setFar: boolean, farLo = 0, farHi = 0): void {
    const esr = ((ec << 26) | (1 << 25) | (iss & 0x1ffffff)) >>> 0;
    this.sys.setEsr(target, esr);
    if (setFar) this.sys.setFar(target, farLo, farHi);
    this.enterException(target, 0x000, this.pcLo, this.pcHi);
  }

  /** Common exception entry: save PSTATE and the return address, pick the vector, mask interrupts.
   * kind is 0x000 sync, 0x080 IRQ, 0x100 FIQ, 0x180 SError. */
  enterException(target: number, kind: number, retLo: number, retHi: number): void {
    const fromEl = this.el;
    if (this.mm !== null) this.mm.contextSync(); // exception entry is context-synchronising
    const spsr = this.pstate;
    this.sys.setSpsr(target, spsr);
    this.sys.setElr(target, retLo, retHi);
    let off: number;
    if (fromEl === target) off = this.spsel !== 0 ? 0x200 : 0x000;
    else off = 0x400; // lower EL, AArch64
    this.exclPa = -1; // exception entry clears the local monitor
    this.daif = 0xf;
    this.ss = 0;
    this.selectSp(target, 1);
    const vbar = this.sys.vbar(target);
    const l = (vbar.lo >>> 0) + off + kind;
    this.jump(l | 0, (vbar.hi + (l > 0xffffffff ? 1 : 0)) | 0);
    this.flow = Flow.Exit; // interrupt masks and EL changed: leave the block
    if (this.tracer !== null) this.tracer.exception(this, kind, fromEl, target, this.sys.getEsr(target), retLo, retHi, this.pcLo, this.pcHi);
    this.sys.onExceptionEntry(this, target, kind, fromEl);
  }

  /** ERET from the current EL (>= 1). */
  eret(): void {
    const el = this.el;
    const spsr = this.sys.getSpsr(el) >>> 0;
    const elr = this.sys.getElr(el);
    const m = spsr & 0x1f;
    const newEl = (m >>> 2) & 3;
    if ((m & 0x10) !== 0 || newEl > el || (m & 2) !== 0) {
      // AArch32 or an illegal return: we implement AArch64 only; set PSTATE.IL by taking Illegal State.
      this.env.fatal(this, `ERET to an unsupported state (SPSR_EL${el}=0x${spsr.toString(16)})`);
      return;
    }
    this.nzcv = spsr >>> 28;
    // PSTATE.SS from SPSR.SS only when software step is enabled at the target and not here.
    this.ss = (spsr & (1 << 21)) !== 0 ? this.debug.returnSs(this, spsr, newEl) : 0;
    this.daif = (spsr >>> 6) & 0xf;
    this.selectSp(newEl, m & 1);
    this.exclPa = -1; // exception return clears the local monitor
    this.jump(elr.lo, elr.hi);
    this.flow = Flow.Exit;
    if (this.tracer !== null) this.tracer.eret(this, el, newEl, elr.lo, elr.hi);
    this.sys.onExceptionReturn(this, el, newEl);
  }

  /** An UNDEFINED instruction: Unknown reason exception to EL1 (or the current EL if higher). */
  undefinedInstruction(): void {
    this.takeSync(this.el === 0 ? 1 : this.el, EC.Unknown, 0, false);
  }

  /** Trap the MRS/MSR being executed, of register enc = [op0, op1, CRn, CRm, op2], to EL `target`
   * with EC 0x18, and abandon it (for system registers whose own controls trap, such as the timer's
   * and the GIC CPU interface's). */
  trapSysReg(target: number, enc: readonly number[], read: boolean): never {
    this.takeSync(target, EC.SysReg, sysRegIss(enc[0], enc[1], enc[2], enc[3], enc[4], this.currentRt(), read), false);
    throw INSN_ABORTED;
  }

  /** Rt of the instruction at the PC (from the code cache; 31 when it is not there). */
  private currentRt(): number {
    const page = this.curPage;
    if (page !== null && (this.pcLo & ~0xfff) === this.curVLo && this.pcHi === this.curVHi) {
      const insn = page[(this.pcLo & 0xfff) >>> 2];
      if (insn !== undefined) return insn.rt;
    }
    return 31;
  }

  // ---------------------------------------------------------------- execution

  /** Decoded instruction at the current PC, through the per-page code cache. */
  fetchSlow(): Insn {
    const vpLo = this.pcLo & ~0xfff, vpHi = this.pcHi;
    if (vpLo === this.prevVLo && vpHi === this.prevVHi && (this.pcLo & 3) === 0) {
      // The previous page: swap the two entries (both hold translations the TLB holds: every change
      // that drops the current one drops this one too).
      const page = this.prevPage!, pfn = this.prevPfn;
      this.prevPage = this.curPage; this.prevVLo = this.curVLo; this.prevVHi = this.curVHi; this.prevPfn = this.curPfn;
      this.curPage = page; this.curVLo = vpLo; this.curVHi = vpHi; this.curPfn = pfn;
      const idx = (this.pcLo & 0xfff) >>> 2;
      return page[idx] ?? this.decodeAt(page, idx);
    }
    if ((this.pcLo & 3) !== 0) {
      // PC alignment fault: FAR = PC.
      this.takeSync(this.el === 0 ? 1 : this.el, EC.PCAlign, 0, true, this.pcLo, this.pcHi);
      throw INSN_ABORTED;
    }
    // Translate the PC itself (not its page) so that an instruction abort reports FAR = PC.
    const pa = this.translate(this.pcLo, this.pcHi, Access.Exec, 4) - (this.pcLo & 0xfff);
    const off = pa - this.ramBase;
    if (!(off >= 0 && off < this.ramSize)) {
      // Nothing to execute there: a synchronous external abort (instruction abort, FSC 0b010000),
      // unless the PC is already in this EL's vector table -- then the abort itself could not be
      // delivered, and the run cannot continue.
      const note = this.vectorNote();
      if (note !== '') this.env.fatal(this, `instruction fetch from 0x${(pa + (this.pcLo & 0xfff)).toString(16)}, which is not RAM${note}`);
      this.memAbort(this.pcLo, this.pcHi, Access.Exec, 0b010000);
    }
    this.fetchPage(vpLo, vpHi, off >>> PAGE_SHIFT);
    const idx = (this.pcLo & 0xfff) >>> 2;
    return this.curPage![idx] ?? this.decodeAt(this.curPage!, idx); // the page may already hold it
  }

  /** When the PC is in the current EL's vector table, name the exception that led there. */
  private vectorNote(): string {
    if (this.el === 0) return '';
    const v = this.sys.vbar(this.el);
    const off = (this.pcLo - v.lo) >>> 0;
    if (this.pcHi !== v.hi || off >= 0x800) return '';
    const esr = this.sys.getEsr(this.el) >>> 0;
    const elr = this.sys.getElr(this.el);
    const kind = ['synchronous exception', 'IRQ', 'FIQ', 'SError'][(off >>> 7) & 3];
    const detail = (off & 0x180) === 0 ? ` (ESR_EL${this.el}=0x${esr.toString(16)}, EC=0x${(esr >>> 26).toString(16)})` : '';
    return `: a ${kind}${detail} from 0x${toBigInt(elr.lo, elr.hi).toString(16)} went to the vector table at VBAR_EL${this.el}=0x${toBigInt(v.lo, v.hi).toString(16)}, which is not set up`;
  }

  decodeAt(page: (Insn | undefined)[], idx: number): Insn {
    const insn = this.decoder.decode(this.dv.getInt32((this.curPfn << PAGE_SHIFT) + (idx << 2), true));
    page[idx] = insn;
    return insn;
  }

  /** Forget the page VA[55:12] = (vp[31:12], vaHi[23:0]) in the fetch and data-access caches (a TLBI of
   * one page; VA[63:56] may be a TBI tag and does not take part). */
  dropPage(vp: number, vaHi: number): void {
    if (this.curVLo === vp && ((this.curVHi ^ vaHi) & 0xffffff) === 0) { this.curPage = null; this.curVLo = 1; }
    if (this.prevVLo === vp && ((this.prevVHi ^ vaHi) & 0xffffff) === 0) { this.prevPage = null; this.prevVLo = 1; }
    dropEntry(this.dtlbR, DTLB_SETS, vp, vaHi, 0xffffff);
    dropEntry(this.dtlbW, DTLB_SETS, vp, vaHi, 0xffffff);
    dropEntry(this.jumps, JUMP_SETS, vp, vaHi, 0xffffff);
  }

  /** Forget the cached page translation (TLB maintenance, MMU changes, code invalidation). */
  resetFetch(): void {
    this.curPage = null;
    this.curVLo = 1;
    this.prevPage = null;
    this.prevVLo = 1;
    this.dtlbR.fill(DTLB_EMPTY);
    this.dtlbW.fill(DTLB_EMPTY);
    this.dropJumps();
  }

  /** Run up to `budget` instructions. Returns how many retired. Stops early when the core sleeps, an
   * interrupt may be pending at a block boundary, or a handler asked to leave the loop.
   *
   * With `round` > 0 the budget is several scheduling rounds of `round` instructions, run as one
   * (Machine.step, a core running alone): it executes exactly what that many run(round) calls would,
   * provided the board does nothing between them. So it stops at the end of the first round in which
   * the board must act: where an interrupt became deliverable (the next run would take it at its
   * start), another core was woken, or a timer or the RTC may fire (endRound, endRoundAt). */
  run(budget: number, round = 0): number {
    this.retiredInRun = 0;
    this.end = budget;
    this.round = round;
    // The first PC is an entry for the translator's counts (Translator.run) unless the run resumes
    // where the last was cut: else, with many cores, every word where quanta happen to start would
    // become hot and get a region of its own (copies of the regions around them).
    let resumed = this.resumeInBlock, entry = this.pcLo !== this.cutLo || this.pcHi !== this.cutHi;
    this.cutLo = 1;
    while (this.retiredInRun < this.end && this.sleep === 0 && !this.halt) {
      // irqPending means an interrupt is deliverable now (the board keeps it so, masks included).
      if (this.irqPending && !resumed) { if (this.env.takeInterrupt(this)) entry = true; else this.irqPending = false; }
      resumed = false;
      if (this.slow !== 0) this.innerChecked();
      else if (this.jit !== null) this.jit.run(this, entry);
      else this.inner();
      entry = true;
    }
    if (this.retiredInRun >= this.end) { this.cutLo = this.pcLo; this.cutHi = this.pcHi; }
    this.round = 0;
    this.halt = false; // consumed: a machine reused after a stop (the oracle's) runs normally again
    const n = this.retiredInRun;
    this.icount += n;
    this.retiredInRun = 0; // icount + retiredInRun is the retired count at any time (the PMU reads it)
    return n;
  }

  /** In a run() of several rounds: stop at the end of the current one (something the board must see
   * there happened: an interrupt became deliverable, another core woke, a device that counts time was
   * written). */
  endRound(): void {
    if (this.round !== 0) this.endAt(this.retiredInRun + 1);
  }

  /** In a run() of several rounds: stop at the end of the round in which the counter reaches `tick`
   * (a timer deadline or event: the board evaluates timers at each round's end), or of the current
   * one if that is later. */
  endRoundAt(tick: number): void {
    if (this.round !== 0 && tick !== Infinity) {
      this.endAt(Math.max(this.retiredInRun + 1, tick - (this.env.counter(this) - this.retiredInRun)));
    }
  }

  /** Stop at the first round end at or after retired count n. */
  private endAt(n: number): void {
    const e = Math.ceil(n / this.round) * this.round;
    if (e < this.end) this.end = e;
  }

  /** The hot loop. Counts in the retiredInRun field (not a local) so that a counter read mid-block and
   * an aborted instruction both see the exact count. */
  private inner(): void {
    try {
      while (this.retiredInRun < this.end) {
        let insn: Insn | undefined;
        const page = this.curPage;
        if (page !== null && (this.pcLo & ~0xfff) === this.curVLo && this.pcHi === this.curVHi && (this.pcLo & 3) === 0) {
          const idx = (this.pcLo & 0xfff) >>> 2;
          insn = page[idx];
          if (insn === undefined) insn = this.decodeAt(page, idx);
        } else {
          insn = this.fetchSlow();
        }
        insn.exec(this, insn);
        this.retiredInRun++;
        const f = this.flow;
        if (f === Flow.Next) {
          const l = (this.pcLo + 4) | 0;
          if (l === 0) this.pcHi = (this.pcHi + 1) | 0;
          this.pcLo = l;
        } else {
          this.flow = Flow.Next;
          if (f === Flow.Exit || this.irqPending) break;
        }
      }
    } catch (e) {
      if (e !== INSN_ABORTED) throw e;
      // The instruction took a synchronous exception part-way; exception entry already set the PC.
      this.flow = Flow.Next;
      this.unpriv = 0;
      this.retiredInRun++;
    }
  }

  // ---------------------------------------------------------------- observers

  /** Turn tracing on (a Tracer) or off (null). While on, run() uses innerChecked() and every data
   * access reports itself; the untraced loop is untouched. */
  setTracer(t: Tracer | null): void {
    this.tracer = t;
    this.setSlow(Slow.Trace, t !== null);
  }

  /** Set or clear one reason for the checked loop. A handler may call this mid-block: the loop it
   * runs in re-reads the choice at the next block boundary (set flow = Exit to get there at once). */
  setSlow(bit: Slow, on: boolean): void {
    this.slow = on ? this.slow | bit : this.slow & ~bit;
  }

  /** Register an instruction observer for feature `bit` (its Slow bit is set while it has hooks). */
  addHook(h: InsnHook, bit: Slow): void {
    if (!this.hooks.includes(h)) this.hooks = [...this.hooks, h];
    this.setSlow(bit, true);
  }

  /** Remove an observer; clear its feature's Slow bit when the feature needs the loop no longer. */
  removeHook(h: InsnHook, bit: Slow, stillNeeded = false): void {
    this.hooks = this.hooks.filter((x) => x !== h);
    if (!stillNeeded) this.setSlow(bit, false);
  }

  addDataHook(h: DataHook): void {
    if (!this.dataHooks.includes(h)) this.dataHooks = [...this.dataHooks, h];
    this.resetFetch(); // translated code's direct accesses would bypass the hook
  }

  removeDataHook(h: DataHook): void {
    this.dataHooks = this.dataHooks.filter((x) => x !== h);
  }

  /** The checked loop: as inner(), plus the instruction observers (hooks) and, when tracing, the
   * tracer's begin/end around every instruction (the registers it may have written, the exclusive
   * monitor and sleep state). */
  // This loop mirrors inner() on purpose: the fast loop stays free of any per-instruction test.
  private innerChecked(): void {
    const t = this.tracer;
    const hooks = this.hooks;
    let exclPa0 = -1, fails0 = 0;
    if (t !== null) t.enterBlock(this);
    try {
      while (this.retiredInRun < this.end) {
        let insn: Insn | undefined;
        const page = this.curPage;
        if (page !== null && (this.pcLo & ~0xfff) === this.curVLo && this.pcHi === this.curVHi && (this.pcLo & 3) === 0) {
          const idx = (this.pcLo & 0xfff) >>> 2;
          insn = page[idx];
          if (insn === undefined) insn = this.decodeAt(page, idx);
        } else {
          insn = this.fetchSlow();
        }
        let stop = false;
        for (let k = 0; k < hooks.length; k++) if (hooks[k].before(this, insn)) stop = true;
        if (stop) { this.halt = true; break; }
        const sleep0 = this.sleep;
        if (t !== null) { exclPa0 = this.exclPa; fails0 = this.exclFailures; t.begin(this, insn); }
        insn.exec(this, insn);
        this.retiredInRun++;
        if (t !== null) {
          // Software step's advance (PSTATE.SS 1 -> 0) is part of the instruction: done before the
          // tracer reads PSTATE, so the trace shows it (the hooks' loop below then finds it done).
          const ss0 = this.ss;
          this.debug.after(this, insn);
          t.end(this, exclPa0, fails0, false, this.ss !== ss0);
          if (this.sleep !== sleep0 && (this.sleep === Sleep.WFE || this.sleep === Sleep.WFI) && (insn.trace as CodeInfo).isWfx) {
            t.sleep(this.id, this.sleep === Sleep.WFE ? 'wfe' : 'wfi', this.el); // PSCI sleeps are reported by the board
          }
          t.cur = null;
        }
        for (let k = 0; k < hooks.length; k++) hooks[k].after(this, insn);
        const f = this.flow;
        if (f === Flow.Next) {
          const l = (this.pcLo + 4) | 0;
          if (l === 0) this.pcHi = (this.pcHi + 1) | 0;
          this.pcLo = l;
        } else {
          this.flow = Flow.Next;
          if (f === Flow.Exit || this.irqPending) break;
        }
      }
    } catch (e) {
      if (e !== INSN_ABORTED) throw e;
      this.flow = Flow.Next;
      this.unpriv = 0;
      this.retiredInRun++;
      if (t !== null && t.cur === this) { t.end(this, exclPa0, fails0, true); t.cur = null; }
    }
  }
}
