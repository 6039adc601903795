// PMUv3 (Arm ARM D7, ARMv8.0: ID_AA64DFR0_EL1.PMUVer = 1): six 32-bit event counters, the 64-bit
// cycle counter, filtering by EL, chaining, overflow status and the overflow interrupt (PPI 23).
//
// Events are counted exactly and deterministically:
//   SW_INCR (0x00)            writes to PMSWINC_EL0
//   LD_RETIRED (0x06)         instructions that read data memory (atomics count as loads and stores)
//   ST_RETIRED (0x07)         instructions that write data memory (DC ZVA included)
//   INST_RETIRED (0x08)       instructions retired, as the board counts them for virtual time
//   EXC_TAKEN (0x09)          exceptions taken (counted at the EL they are taken from)
//   EXC_RETURN (0x0A)         ERETs
//   BR_IMMED_RETIRED (0x0D)   B, BL, B.cond, CBZ, CBNZ, TBZ, TBNZ, taken or not
//   BR_RETURN_RETIRED (0x0E)  RET
//   BR_MIS_PRED (0x10), BR_MIS_PRED_RETIRED (0x22): always 0 (no branch prediction is modelled)
//   CPU_CYCLES (0x11)         one cycle per retired instruction (the board's virtual time while the
//                             core runs; a core asleep in WFI/WFE counts no cycles)
//   MEM_ACCESS (0x13)         data memory accesses, one per access the core issues (a pair or a
//                             128-bit register is two 8-byte accesses)
//   CHAIN (0x1E)              overflows of the even counter below (odd counters only)
//   BR_RETIRED (0x21)         the branch instructions above plus BR, BLR
// INST_RETIRED and CPU_CYCLES (and the cycle counter) need no hook: they are computed from the
// core's retired count, folded in at every EL change and configuration change (the EL filters are
// constant in between). The other events register an instruction hook (Slow.Pmu), and LD/ST/
// MEM_ACCESS a data-access hook, only while a counter counts them. An enabled overflow interrupt on
// a lazily counted counter also registers the instruction hook, which checks after each instruction
// whether the count reached the overflow (a precomputed deadline), so that the interrupt is raised
// after exactly the instruction that overflowed the counter, in every run.
// An instruction that takes a synchronous exception counts (INST_RETIRED, CPU_CYCLES) at the EL it
// was executed at, as the board counts it as retired.
// Not modelled: MDCR_EL2.HPMN (EL1 sees all six counters) and the MDCR_EL2.TPM/TPMCR traps.

import type { Cpu, InsnHook, DataHook } from '../cpu.js';
import { Access, Flow, Slow } from '../cpu.js';
import type { Insn } from '../insn.js';
import { defineSysReg, SysRegDef } from '../sysregs.js';
import { R, LO, HI } from '../int64.js';

export const PMU_COUNTERS = 6;
/** The overflow interrupt: PPI 7, INTID 23 (QEMU virt's VIRTUAL_PMU_IRQ). */
export const PMU_INTID = 23;
/** PMCR_EL0 as QEMU's cortex-a57: IMP 0x41, IDCODE 0x01, N = 6. */
const PMCR_ID = 0x41010000 | (PMU_COUNTERS << 11);
/** PMCR_EL0 bits kept: E, D, X, DP, LC (P and C are actions, N and the ID read-only). */
const PMCR_KEEP = 0x79;
const PMCR_E = 1, PMCR_D = 8, PMCR_LC = 0x40;
/** PMEVTYPER bits kept: P, U, NSH (no EL3: NSK, NSU, M are RES0) and evtCount[9:0]. */
const TYPER_MASK = 0xc80003ff | 0;
const CYCLE = 31;
const TWO32 = 4294967296;

export const enum Ev {
  SW_INCR = 0x00, LD_RETIRED = 0x06, ST_RETIRED = 0x07, INST_RETIRED = 0x08, EXC_TAKEN = 0x09,
  EXC_RETURN = 0x0a, BR_IMMED_RETIRED = 0x0d, BR_RETURN_RETIRED = 0x0e, BR_MIS_PRED = 0x10,
  CPU_CYCLES = 0x11, MEM_ACCESS = 0x13, CHAIN = 0x1e, BR_RETIRED = 0x21, BR_MIS_PRED_RETIRED = 0x22,
}
/** PMCEID0_EL0 (events 0x00-0x1f) and PMCEID1_EL0 (0x20-0x3f). */
export function pmceid(k: 0 | 1): number {
  let v = 0;
  for (const e of [0x00, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x0e, 0x10, 0x11, 0x13, 0x1e, 0x21, 0x22]) if (e >>> 5 === k) v |= 1 << (e & 31);
  return v;
}

// Instruction classes for the branch events (bit 0 branch, 1 immediate branch, 2 return).
const BR = 1, BR_IMM = 2, BR_RET = 4;
const CLASS = new Map<string, number>([
  ['B', BR | BR_IMM], ['BL', BR | BR_IMM], ['B.cond', BR | BR_IMM], ['CBZ', BR | BR_IMM], ['CBNZ', BR | BR_IMM],
  ['TBZ', BR | BR_IMM], ['TBNZ', BR | BR_IMM], ['BR', BR], ['BLR', BR], ['RET', BR | BR_RET],
]);

const isLazy = (ev: number) => ev === Ev.INST_RETIRED || ev === Ev.CPU_CYCLES;
const isData = (ev: number) => ev === Ev.LD_RETIRED || ev === Ev.ST_RETIRED || ev === Ev.MEM_ACCESS;
const isInsn = (ev: number) => ev === Ev.BR_RETIRED || ev === Ev.BR_IMMED_RETIRED || ev === Ev.BR_RETURN_RETIRED || isData(ev);

/** Is an event of a counter with this PMEVTYPER/PMCCFILTR value not counted at el (no EL3). */
function filtered(typer: number, el: number): boolean {
  if (el === 0) return (typer & (1 << 30)) !== 0; // U
  if (el === 1) return (typer & (1 << 31)) !== 0; // P
  return (typer & (1 << 27)) === 0; // NSH: count at EL2 only when set
}

export class Pmu implements InsnHook, DataHook {
  /** Set by the board: the level of the overflow interrupt line. */
  irq: (level: boolean) => void = () => {};
  private level = false;
  /** The interrupt line went up during the current instruction. */
  private raised = false;
  pmcr = 0;
  readonly cnt = new Float64Array(PMU_COUNTERS);
  readonly typer = new Int32Array(PMU_COUNTERS);
  ccLo = 0; ccHi = 0;
  /** Cycles not yet counted under PMCR.D (the cycle counter counts every 64th). */
  private ccPre = 0;
  ccfiltr = 0;
  cnten = 0; ovs = 0; inten = 0; selr = 0; userenr = 0;
  /** Counters counting now (enable, PMCR.E and the filter at the current EL); bit 31 the cycle counter. */
  private counting = 0;
  /** Of those, the ones counted from the retired count, the instruction hook, the data hook. */
  private lazy = 0;
  private insnEv = 0;
  private dataEv = 0;
  /** The retired count at the last fold. */
  private mark = 0;
  /** Retired count at which a lazily counted counter with its interrupt enabled overflows. */
  private deadline = Infinity;
  private hooked = false;
  private dataHooked = false;
  /** The current instruction read / wrote data memory. */
  private rd = false;
  private wr = false;
  /** The address of its last write. */
  private wLo = 0;
  private wHi = 0;

  private now(c: Cpu): number { return c.icount + c.retiredInRun; }

  reset(c: Cpu): void {
    this.pmcr = 0; this.cnt.fill(0); this.typer.fill(0);
    this.ccLo = this.ccHi = this.ccPre = 0;
    this.ccfiltr = this.cnten = this.ovs = this.inten = this.selr = this.userenr = 0;
    this.mark = this.now(c);
    this.recompute(c);
  }

  // ------------------------------------------------------------------ counting

  /** Bring the lazily counted counters up to date (to the retired count plus extra). */
  fold(c: Cpu, extra = 0): void {
    const now = this.now(c) + extra;
    const d = now - this.mark;
    this.mark = now;
    if (d <= 0 || this.lazy === 0) return;
    for (let n = 0; n < PMU_COUNTERS; n++) if ((this.lazy & (1 << n)) !== 0) this.add(c, n, d);
    if ((this.lazy & (1 << CYCLE)) !== 0) this.addCycles(c, d);
  }

  /** Add k events to counter n: overflow sets PMOVSSET and feeds a chained odd counter. */
  private add(c: Cpu, n: number, k: number): void {
    let v = this.cnt[n] + k;
    if (v >= TWO32) {
      const wraps = Math.floor(v / TWO32);
      v -= wraps * TWO32;
      this.ovs |= 1 << n;
      const m = n + 1;
      if ((n & 1) === 0 && m < PMU_COUNTERS && (this.counting & (1 << m)) !== 0 && (this.typer[m] & 0x3ff) === Ev.CHAIN) {
        this.cnt[n] = v;
        this.add(c, m, wraps);
      }
      this.updateIrq();
    }
    this.cnt[n] = v;
  }

  private addCycles(_c: Cpu, d: number): void {
    if ((this.pmcr & PMCR_D) !== 0) {
      this.ccPre += d;
      d = Math.floor(this.ccPre / 64);
      this.ccPre -= d * 64;
      if (d === 0) return;
    }
    let lo = this.ccLo + d;
    if (lo >= TWO32) {
      const carry = Math.floor(lo / TWO32);
      lo -= carry * TWO32;
      let hi = this.ccHi + carry;
      if ((this.pmcr & PMCR_LC) === 0) this.ovs |= 1 << CYCLE; // overflow out of bit 31
      if (hi >= TWO32) { hi %= TWO32; if ((this.pmcr & PMCR_LC) !== 0) this.ovs |= 1 << CYCLE; }
      this.ccHi = hi;
      this.updateIrq();
    }
    this.ccLo = lo;
  }

  /** Count one event of type ev on every counter counting it. */
  private event(c: Cpu, ev: number, k = 1): void {
    for (let n = 0; n < PMU_COUNTERS; n++) if ((this.counting & (1 << n)) !== 0 && (this.typer[n] & 0x3ff) === ev) this.add(c, n, k);
  }

  private updateIrq(): void {
    const level = (this.pmcr & PMCR_E) !== 0 && (this.ovs & this.inten) !== 0;
    if (level !== this.level) { this.level = level; if (level) this.raised = true; this.irq(level); }
  }

  /** After a fold: which counters count at the current EL, and which hooks that needs. */
  recompute(c: Cpu): void {
    const e = (this.pmcr & PMCR_E) !== 0;
    let counting = 0, lazy = 0, insnEv = 0, dataEv = 0;
    if (e) {
      for (let n = 0; n < PMU_COUNTERS; n++) {
        if ((this.cnten & (1 << n)) === 0 || filtered(this.typer[n], c.el)) continue;
        counting |= 1 << n;
        const ev = this.typer[n] & 0x3ff;
        if (isLazy(ev)) lazy |= 1 << n;
        if (isInsn(ev)) insnEv |= 1 << n;
        if (isData(ev)) dataEv |= 1 << n;
      }
      if ((this.cnten & (1 << CYCLE)) !== 0 && !filtered(this.ccfiltr, c.el)) { counting |= 1 << CYCLE; lazy |= 1 << CYCLE; }
    }
    this.counting = counting; this.lazy = lazy; this.insnEv = insnEv; this.dataEv = dataEv;
    this.deadline = this.computeDeadline();
    const wantInsn = insnEv !== 0 || this.deadline !== Infinity;
    if (wantInsn !== this.hooked) {
      if (wantInsn) c.addHook(this, Slow.Pmu); else c.removeHook(this, Slow.Pmu);
      this.hooked = wantInsn;
    }
    const wantData = dataEv !== 0;
    if (wantData !== this.dataHooked) {
      if (wantData) c.addDataHook(this); else c.removeDataHook(this);
      this.dataHooked = wantData;
    }
    this.updateIrq();
  }

  /** The retired count at which a lazily counted counter whose overflow raises the interrupt (itself,
   * or the odd counter it chains into) next overflows. */
  private computeDeadline(): number {
    let left = Infinity;
    for (let n = 0; n < PMU_COUNTERS; n++) {
      if ((this.lazy & (1 << n)) === 0) continue;
      const chained = (n & 1) === 0 && n + 1 < PMU_COUNTERS && (this.inten & (1 << (n + 1))) !== 0;
      if ((this.inten & (1 << n)) !== 0 || chained) left = Math.min(left, TWO32 - this.cnt[n]);
    }
    if ((this.lazy & (1 << CYCLE)) !== 0 && (this.inten & (1 << CYCLE)) !== 0) {
      const rem = (this.pmcr & PMCR_LC) !== 0 ? (TWO32 - 1 - this.ccHi) * TWO32 + (TWO32 - this.ccLo) : TWO32 - this.ccLo;
      left = Math.min(left, (this.pmcr & PMCR_D) !== 0 ? rem * 64 - this.ccPre : rem);
    }
    return left === Infinity ? Infinity : this.mark + left;
  }

  /** Configuration is about to change: count up to now under the old one. Then call recompute. */
  private reconfigure(c: Cpu, change: () => void): void {
    this.fold(c);
    change();
    this.recompute(c);
  }

  // ------------------------------------------------------------------ hooks

  before(_c: Cpu, _insn: Insn): boolean {
    this.rd = this.wr = this.raised = false;
    return false;
  }

  after(c: Cpu, insn: Insn): void {
    if (this.insnEv !== 0) {
      const cls = CLASS.get(insn.name) ?? 0;
      for (let n = 0; n < PMU_COUNTERS; n++) {
        if ((this.insnEv & (1 << n)) === 0) continue;
        let hit = false;
        switch (this.typer[n] & 0x3ff) {
          case Ev.BR_RETIRED: hit = (cls & BR) !== 0; break;
          case Ev.BR_IMMED_RETIRED: hit = (cls & BR_IMM) !== 0; break;
          case Ev.BR_RETURN_RETIRED: hit = (cls & BR_RET) !== 0; break;
          case Ev.LD_RETIRED: hit = this.rd; break;
          case Ev.ST_RETIRED: hit = this.wr; break;
          default: break;
        }
        if (hit) this.add(c, n, 1);
      }
    }
    if (this.now(c) >= this.deadline) { this.fold(c); this.deadline = this.computeDeadline(); }
    // An overflow interrupt raised by this instruction is taken before the next one: leave the block.
    if (this.raised) { this.raised = false; if (c.flow === Flow.Next) c.nextAndExit(); }
  }

  access(c: Cpu, vlo: number, vhi: number, acc: Access, _size: number, _pa: number): void {
    if (acc === Access.Write || acc === Access.WriteUnpriv) {
      // An atomic translates its location for writing before it writes it: one access, not two.
      if (this.wr && vlo === this.wLo && vhi === this.wHi) return;
      this.wr = true; this.wLo = vlo; this.wHi = vhi;
    } else this.rd = true;
    this.event(c, Ev.MEM_ACCESS);
  }

  /** Exception entry (sys hook): EXC_TAKEN at the EL it was taken from; then the new EL's filters.
   * A synchronous exception's instruction counts at its own EL. */
  exceptionTaken(c: Cpu, kind: number): void {
    if ((this.pmcr & PMCR_E) === 0) return;
    this.fold(c, kind === 0 ? 1 : 0);
    this.event(c, Ev.EXC_TAKEN);
    this.recompute(c);
  }

  exceptionReturn(c: Cpu): void {
    if ((this.pmcr & PMCR_E) === 0) return;
    this.fold(c, 1); // the ERET itself counts at the EL it ran at
    this.event(c, Ev.EXC_RETURN);
    this.recompute(c);
  }

  // ------------------------------------------------------------------ registers

  readPmcr(): number { return PMCR_ID | this.pmcr; }
  writePmcr(c: Cpu, v: number): void {
    this.reconfigure(c, () => {
      if ((v & 2) !== 0) this.cnt.fill(0); // P: reset the event counters
      if ((v & 4) !== 0) { this.ccLo = this.ccHi = this.ccPre = 0; } // C: reset the cycle counter
      this.pmcr = v & PMCR_KEEP;
    });
  }
  readCounter(c: Cpu, n: number): number { this.fold(c); return this.cnt[n]; }
  writeCounter(c: Cpu, n: number, v: number): void { this.reconfigure(c, () => { this.cnt[n] = v >>> 0; }); }
  readTyper(n: number): number { return this.typer[n]; }
  writeTyper(c: Cpu, n: number, v: number): void { this.reconfigure(c, () => { this.typer[n] = v & TYPER_MASK; }); }
  writeCcfiltr(c: Cpu, v: number): void { this.reconfigure(c, () => { this.ccfiltr = v & (0xc8000000 | 0); }); }
  readOvs(c: Cpu): number { this.fold(c); return this.ovs; }
  set(c: Cpu, which: 'cnten' | 'ovs' | 'inten', bits: number, on: boolean): void {
    bits &= (1 << CYCLE) | ((1 << PMU_COUNTERS) - 1);
    this.reconfigure(c, () => { this[which] = on ? this[which] | bits : this[which] & ~bits; });
  }
  swinc(c: Cpu, bits: number): void {
    for (let n = 0; n < PMU_COUNTERS; n++) {
      if ((bits & (1 << n)) !== 0 && (this.counting & (1 << n)) !== 0 && (this.typer[n] & 0x3ff) === Ev.SW_INCR) this.add(c, n, 1);
    }
  }
}

// ------------------------------------------------------------------ the system registers

type Enc = [number, number, number, number, number];

/** Define the PMU's system registers (called by sysregs.ts while it builds its table: this module and
 * that one import each other, so nothing here runs at module load). */
export function definePmuRegs(): void {
  const N = 6; // PMU_COUNTERS (a module constant may not be initialised yet when this runs)

  // PMUSERENR_EL0: EN (every EL0 access), SW (PMSWINC), CR (cycle counter reads), ER (event counter
  // reads and PMSELR).
  const EN = 1, SW = 2, CR = 4, ER = 8;
  const el0Needs = (bits: number) => (c: Cpu) => (c.pmu.userenr & bits) === 0;
  /** An EL0 write that PMUSERENR_EL0 allows only with EN (reads may be allowed by CR/ER). */
  const el0WriteNeedsEn = (c: Cpu, enc: Enc): void => {
    if (c.el === 0 && (c.pmu.userenr & EN) === 0) c.trapSysReg(1, enc, false);
  }
  const out = (lo: number, hi = 0) => { R[LO] = lo | 0; R[HI] = hi | 0; };
  const pmuReg = (name: string, enc: Enc, minEl: number, opts: Partial<SysRegDef>): number => defineSysReg(name, enc, minEl, opts);

  const PMCR: Enc = [3, 3, 9, 12, 0];
  pmuReg('PMCR_EL0', PMCR, 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.readPmcr()), write: (c, lo) => c.pmu.writePmcr(c, lo) });
  pmuReg('PMCNTENSET_EL0', [3, 3, 9, 12, 1], 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.cnten), write: (c, lo) => c.pmu.set(c, 'cnten', lo, true) });
  pmuReg('PMCNTENCLR_EL0', [3, 3, 9, 12, 2], 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.cnten), write: (c, lo) => c.pmu.set(c, 'cnten', lo, false) });
  pmuReg('PMOVSCLR_EL0', [3, 3, 9, 12, 3], 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.readOvs(c)), write: (c, lo) => c.pmu.set(c, 'ovs', lo, false) });
  pmuReg('PMOVSSET_EL0', [3, 3, 9, 14, 3], 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.readOvs(c)), write: (c, lo) => c.pmu.set(c, 'ovs', lo, true) });
  pmuReg('PMSWINC_EL0', [3, 3, 9, 12, 4], 0, { writeOnly: true, el0Traps: el0Needs(EN | SW), write: (c, lo) => c.pmu.swinc(c, lo) });
  pmuReg('PMSELR_EL0', [3, 3, 9, 12, 5], 0, { el0Traps: el0Needs(EN | ER), read: (c) => out(c.pmu.selr), write: (c, lo) => { c.pmu.selr = lo & 0x1f; } });
  pmuReg('PMCEID0_EL0', [3, 3, 9, 12, 6], 0, { readOnly: true, el0Traps: el0Needs(EN), read: () => out(pmceid(0)) });
  pmuReg('PMCEID1_EL0', [3, 3, 9, 12, 7], 0, { readOnly: true, el0Traps: el0Needs(EN), read: () => out(pmceid(1)) });
  const PMCCNTR: Enc = [3, 3, 9, 13, 0];
  pmuReg('PMCCNTR_EL0', PMCCNTR, 0, {
    el0Traps: el0Needs(EN | CR),
    read: (c) => { c.pmu.fold(c); out(c.pmu.ccLo, c.pmu.ccHi); },
    write: (c, lo, hi) => { el0WriteNeedsEn(c, PMCCNTR); c.pmu.fold(c); c.pmu.ccLo = lo >>> 0; c.pmu.ccHi = hi >>> 0; c.pmu.recompute(c); },
  });
  // PMXEVTYPER/PMXEVCNTR: the counter PMSELR_EL0.SEL selects (31: PMCCFILTR for the type); an
  // unimplemented counter reads as zero and ignores writes, as QEMU.
  const PMXEVTYPER: Enc = [3, 3, 9, 13, 1], PMXEVCNTR: Enc = [3, 3, 9, 13, 2];
  pmuReg('PMXEVTYPER_EL0', PMXEVTYPER, 0, {
    el0Traps: el0Needs(EN),
    read: (c) => { const s = c.pmu.selr; out(s === 31 ? c.pmu.ccfiltr : s < N ? c.pmu.readTyper(s) : 0); },
    write: (c, lo) => { const s = c.pmu.selr; if (s === 31) c.pmu.writeCcfiltr(c, lo); else if (s < N) c.pmu.writeTyper(c, s, lo); },
  });
  pmuReg('PMXEVCNTR_EL0', PMXEVCNTR, 0, {
    el0Traps: el0Needs(EN | ER),
    read: (c) => { const s = c.pmu.selr; out(s < N ? c.pmu.readCounter(c, s) : 0); },
    write: (c, lo) => { el0WriteNeedsEn(c, PMXEVCNTR); const s = c.pmu.selr; if (s < N) c.pmu.writeCounter(c, s, lo); },
  });
  pmuReg('PMUSERENR_EL0', [3, 3, 9, 14, 0], 0, { writeMinEl: 1, read: (c) => out(c.pmu.userenr), write: (c, lo) => { c.pmu.userenr = lo & 0xf; } });
  pmuReg('PMINTENSET_EL1', [3, 0, 9, 14, 1], 1, { read: (c) => out(c.pmu.inten), write: (c, lo) => c.pmu.set(c, 'inten', lo, true) });
  pmuReg('PMINTENCLR_EL1', [3, 0, 9, 14, 2], 1, { read: (c) => out(c.pmu.inten), write: (c, lo) => c.pmu.set(c, 'inten', lo, false) });
  for (let n = 0; n < N; n++) {
    const cntr: Enc = [3, 3, 14, 8 + (n >> 3), n & 7];
    pmuReg(`PMEVCNTR${n}_EL0`, cntr, 0, {
      el0Traps: el0Needs(EN | ER),
      read: (c) => out(c.pmu.readCounter(c, n)),
      write: (c, lo) => { el0WriteNeedsEn(c, cntr); c.pmu.writeCounter(c, n, lo); },
    });
    pmuReg(`PMEVTYPER${n}_EL0`, [3, 3, 14, 12 + (n >> 3), n & 7], 0, {
      el0Traps: el0Needs(EN), read: (c) => out(c.pmu.readTyper(n)), write: (c, lo) => c.pmu.writeTyper(c, n, lo),
    });
  }
  pmuReg('PMCCFILTR_EL0', [3, 3, 14, 15, 7], 0, { el0Traps: el0Needs(EN), read: (c) => out(c.pmu.ccfiltr), write: (c, lo) => c.pmu.writeCcfiltr(c, lo) });
}
