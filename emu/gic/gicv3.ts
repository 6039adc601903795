// GICv3 interrupt controller, as on QEMU's virt board with gic-version=3 and no security extensions
// (Arm IHI 0069; QEMU 7.2's hw/intc/arm_gicv3_* is the oracle where the spec leaves a choice).
//
// Pieces: one distributor (GICD, SPIs 32..numIrqs-1), one redistributor per core (GICR: RD_base frame,
// SGI_base frame at +0x10000 holding SGIs 0-15 and PPIs 16-31), and one CPU interface per core reached
// through the ICC_* system registers (defined below with defineSysReg; the hooks find the per-core state
// through c.gicc).
//
// ---------------------------------------------------------------- board API
//
//   const gic = new GicV3(mpidrs: number[], opts?: { numIrqs?: number });   // MPIDR_EL1 of core 0..n-1
//   bus.map(0x0800_0000, GICD_SIZE, gic.distributor);                       // 64 KiB
//   bus.map(0x080a_0000, gic.redistributorSize, gic.redistributors);        // 0x20000 per core, one region
//   c.gicc = gic.cpus[k];                                                   // for every core k
//   gic.onLineChange = (k) => { ... };  // IRQ or FIQ output of core k changed: set c.irqPending, wake WFI
//   gic.setSpi(intid, level)            // a device's interrupt line (INTID 32..numIrqs-1), e.g. UART 33
//   gic.setPpi(core, intid, level)      // a core-private line (INTID 16..31), e.g. timers 26/27/30
//   gic.irqLine(k) / gic.fiqLine(k)     // the CPU interface signals IRQ / FIQ to core k now
//                                       // (PSTATE.I/F not applied: the core does that; WFI wakes on these)
//   gic.isrBits(k)                      // ISR_EL1 value: I (bit 7) = irqLine, F (bit 6) = fiqLine
//   takeInterrupt(c)                    // optional helper: apply PSTATE masks and HCR_EL2 routing, and
//                                       // enter the IRQ/FIQ exception at a block boundary
//   gic.cpus[k].reset()                 // CPU-interface reset (PSCI CPU_ON), as QEMU's CPU reset does
//   gic.stats.{sgiWrites,sgisSent,sgisReceived,irqsAcked}[k]               // counters for --stats
//   gic.onSgi = (sender, targets: number[], intid, raw: bigint) => ...      // tracing hooks (null = off)
//   gic.onAck = (core, intid) => ...
//   new GicV3Its(gic, ram)              // emu/gic/its.ts: the ITS, which gives the GIC LPIs (attachLpiMemory)
//   gic.setLpiPending(core, intid, lvl) // an LPI's pending state in a redistributor (what the ITS does)
//
// ---------------------------------------------------------------- choices made (spec allows several)
//
// - Single security state: GICD_CTLR.DS = 1 and ARE = 1, both read-only (QEMU virt with secure=off).
//   GICD_CTLR bit 0 = EnableGrp0, bit 1 = EnableGrp1, bit 4 = ARE, bit 6 = DS. Group 0 interrupts are
//   signalled as FIQ, group 1 as IRQ. Every interrupt resets to group 0 (IGROUPR = 0), as in QEMU when
//   the GIC has no security extensions: a guest must set IGROUPR bits to get IRQs.
// - 288 interrupt IDs (QEMU virt: 256 SPIs-and-PPIs + 32): SPIs 32..287. GICD_TYPER.ITLinesNumber = 8,
//   the spec's value for a maximum SPI INTID of 287 (QEMU before 8.2 reported 7, a bug since fixed).
// - 5 priority bits in the CPU interface (QEMU's cortex-a57: ICC_CTLR_EL1.PRIbits = 4): PMR keeps bits
//   [7:3]; 32 preemption levels, so only ICC_AP0R0_EL1 and ICC_AP1R0_EL1 exist. The distributor and
//   redistributors store all 8 bits of each priority (as QEMU). Minimum BPR0 = 2, BPR1 = 3 (the reset
//   values); group 1 uses BPR1 with the Non-secure offset (group priority = bits [7:BPR1]), or BPR0 when
//   ICC_CTLR_EL1.CBPR = 1 (then BPR1 reads BPR0 + 1, saturated at 7, and ignores writes).
// - Among equal priorities the lowest INTID wins (QEMU). Priority 0xFF is never signalled.
// - The highest priority pending interrupt is chosen among interrupts whose group is enabled both in
//   GICD_CTLR and in ICC_IGRPEN<n>_EL1 (QEMU picks first and then checks IGRPEN; they differ only when a
//   higher-priority interrupt of a CPU-disabled group is pending).
// - GICR_WAKER: ProcessorSleep is the only writable bit; ChildrenAsleep follows it at once. Resets to
//   ProcessorSleep = ChildrenAsleep = 1. As in QEMU, ProcessorSleep does not stop delivery to the core;
//   it only takes the core out of 1-of-N selection.
// - GICD_IROUTER.Interrupt_Routing_Mode = 1 (1 of N) is supported (GICD_TYPER.No1N = 0; QEMU has No1N = 1
//   and routes by the affinity fields): the SPI goes to the lowest-numbered core whose redistributor is
//   awake (GICR_WAKER.ProcessorSleep = 0) and whose CPU interface enables the SPI's group. With no such
//   core it stays pending. IRM = 0 routes to the core whose affinity matches Aff3.Aff2.Aff1.Aff0, or none.
// - SGIs (ICC_SGI1R_EL1): the architecture's rule exactly. IRM = 1: every core but the writer. IRM = 0:
//   cores whose Aff3.Aff2.Aff1 equal the register's and whose Aff0 - 16*RS is a set bit of TargetList.
//   RS is honoured always; ICC_CTLR_EL1.RSS and GICD_TYPER.RSS read 1 only when some core has Aff0 > 15
//   (QEMU: always 0). A target accepts the SGI only if it configures that SGI in the generated group:
//   SGI1R makes group 1, SGI0R group 0, and ASGI1R (the other Security state's group 1) group 0 since
//   DS = 1 (QEMU). SGIs are edge-triggered (GICR_ICFGR0 reads 0xAAAAAAAA).
// - Level-sensitive interrupts: pending = pending latch OR (line high AND level-sensitive); acknowledge
//   clears the latch, so a level interrupt still asserted becomes active and pending (QEMU).
// - ICC_EOIR<n>_EL1: ignored unless the highest active priority belongs to group n (then the priority
//   drops and, with EOImode = 0, the written INTID is deactivated). INTIDs >= numIrqs (1020-1023 too)
//   are ignored. ICC_DIR_EL1 deactivates only when EOImode = 1 (QEMU).
// - LPIs (when the board has an ITS: GicV3.attachLpiMemory): GICR_CTLR.EnableLPIs, GICR_PROPBASER and
//   GICR_PENDBASER, GICR_TYPER.PLPIS and GICD_TYPER.LPIS. LPIs are group 1, edge-triggered, have no active
//   state, and compete with SGIs, PPIs and SPIs by priority (the configuration byte & 0xFC); on equal
//   priority the lowest INTID wins, so an LPI loses ties to the others (QEMU). The pending table in guest
//   memory holds the state (written through on every change); each redistributor keeps the pending LPIs
//   as a list too and reloads it from the table when EnableLPIs is set and on the ITS's INV/INVALL, as
//   QEMU rescans its table then. The configuration table is read when the pending LPIs are weighed, so a
//   change is seen at the next update (the architecture allows caching until INV; QEMU caches).
//   GICD_CTLR.EnableGrp1 and ICC_IGRPEN1_EL1 gate LPIs as they gate other group 1 interrupts.
// - Not modelled: message-based SPIs, the virtual CPU interface's behaviour (ICV_*, virtual
//   interrupts, maintenance interrupts), GICR_CTLR.DPG* (RAZ). Its EL2 registers exist as storage
//   with QEMU 7.2's reset values and write masks, since KVM's EL2 set-up probes and clears them:
//   ICH_VTR_EL2 (4 list registers, 5 priority and preemption bits, as QEMU's cortex-a57), ICH_HCR_EL2,
//   ICH_VMCR_EL2, ICH_LR0-3_EL2, ICH_AP0R0/AP1R0_EL2, and ICH_ELRSR/EISR_EL2 computed from the list
//   registers; ICH_MISR_EL2 reads 0 (no maintenance conditions are evaluated).
//   ICC_SRE_EL1 reads 0x7 and ICC_SRE_EL2 0xF, writes ignored (system-register interface only).

import type { MmioDevice } from '../mem/bus.js';
import { Cpu, Flow, INSN_ABORTED } from '../cpu/cpu.js';
import { defineSysReg } from '../cpu/sysregs.js';
import { R, LO, HI } from '../cpu/int64.js';
import type { Ram } from '../mem/ram.js';

export const GICD_SIZE = 0x1_0000;
export const GICR_STRIDE = 0x2_0000;
/** QEMU virt: 256 external + 32 internal interrupt IDs. */
export const DEFAULT_NUM_IRQS = 288;
export const INTID_SPURIOUS = 1023;
/** The first LPI. */
export const LPI_INTID_BASE = 8192;
/** GICD_TYPER.IDbits + 1: INTIDs (LPIs included) are below 2^16. */
export const GIC_ID_BITS = 16;

const G0 = 0, G1 = 1;
const PRI_BITS = 5;
/** The virtual CPU interface as QEMU 7.2's cortex-a57: 4 list registers; ICH_VTR_EL2 = PRIbits 4 and
 * PREbits 4 (5 bits each), IDbits 1 (24), A3V, nV4, TDS, ListRegs 3. */
const ICH_LRS = 4;
const ICH_VTR = 0x90b80003 | 0;
/** ICH_VMCR_EL2: VPMR [31:24], VBPR0 [23:21], VBPR1 [20:18], VEOIM 9, VCBPR 4, VFIQEn 3 (RES1 with
 * system registers), VENG1 1, VENG0 0; the binary points at least their minimum (2 and 3). */
const ICH_VMCR_MASK = 0xfffc021b | 0;
const ICH_VMCR_RESET = (2 << 21) | (3 << 18) | (1 << 3);
const PRI_MASK = (0xff << (8 - PRI_BITS)) & 0xff; // 0xF8
const MIN_BPR0 = 7 - PRI_BITS;                   // 2
const MIN_BPR1 = MIN_BPR0 + 1;                   // 3
const IIDR = 0x43b;                               // Arm, r0p0, ProductID 0 (QEMU)
/** CoreSight ID registers at 0xFFD0..0xFFFC: PIDR4-7, PIDR0-3, CIDR0-3 (PIDR2.ArchRev = 3). */
const ID_REGS = [0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];
const PIDR0_DIST = 0x92, PIDR0_REDIST = 0x93;
const WAKER_PS = 2, WAKER_CA = 4;
const CTLR_CBPR = 1, CTLR_EOIMODE = 2;

function ctz(x: number): number { return 31 - Math.clz32(x & -x); }

/** The odd bits of an ICFGR word (1 = edge) as a 16-bit mask, and back. */
function cfgToEdge(v: number): number {
  let e = 0;
  for (let j = 0; j < 16; j++) if ((v >>> (2 * j + 1)) & 1) e |= 1 << j;
  return e;
}
function edgeToCfg(e: number): number {
  let v = 0;
  for (let j = 0; j < 16; j++) if ((e >>> j) & 1) v |= 1 << (2 * j + 1);
  return v >>> 0;
}

function idReg(off: number, pidr0: number): number {
  const n = (off - 0xffd0) >>> 2;
  return n === 4 ? pidr0 : ID_REGS[n];
}

/** Per-core state: the redistributor's SGIs and PPIs, and the CPU interface (ICC_* registers). */
export class GicCpuInterface {
  /** The ICC_* system registers exist (ID_AA64PFR0_EL1.GIC = 1). */
  readonly sysRegs = true;
  // --- redistributor, INTIDs 0..31 (bit n = INTID n) ---
  group = 0;
  enable = 0;
  /** Pending latch (edge events, ISPENDR writes, SGIs). */
  pend = 0;
  active = 0;
  /** Input line levels (PPIs). */
  level = 0;
  /** 1 = edge-triggered. SGIs are always edge; PPIs reset to level. */
  edge = 0xffff;
  readonly prio = new Uint8Array(32);
  waker = WAKER_PS | WAKER_CA;
  // --- CPU interface ---
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  /** ICC_CTLR_EL1 writable bits: CBPR (0), EOImode (1). */
  ctlr = 0;
  igrpen0 = 0;
  igrpen1 = 0;
  /** Active priorities, one bit per group priority (priority >> 3). */
  apr0 = 0;
  apr1 = 0;
  // --- redistributor LPI state (GICR_CTLR.EnableLPIs, PROPBASER, PENDBASER as 32-bit halves) ---
  lpiEnable = false;
  propLo = 0; propHi = 0;
  pendLo = 0; pendHi = 0;
  /** Pending LPIs (INTIDs >= 8192), unordered; mirrors the pending table while EnableLPIs = 1. */
  readonly lpiPend: number[] = [];
  /** ICH_HCR_EL2, ICH_VMCR_EL2, ICH_AP0R0/AP1R0_EL2 and ICH_LR<n>_EL2 (two halves each), stored only. */
  ichHcrLo = 0;
  ichHcrHi = 0;
  ichVmcr = ICH_VMCR_RESET;
  ichAp0r = 0;
  ichAp1r = 0;
  readonly ichLr = new Int32Array(2 * ICH_LRS);
  // --- derived, kept current by GicV3.updateCore ---
  hppiId = INTID_SPURIOUS;
  hppiPrio = 0xff;
  hppiGrp = G1;
  irq = false;
  fiq = false;
  readonly aff0: number;
  /** Aff3:Aff2:Aff1:Aff0 as GICR_TYPER[63:32] has it. */
  readonly affinity: number;
  /** Aff3:Aff2:Aff1 (for SGI target matching). */
  readonly affUpper: number;

  constructor(readonly gic: GicV3, readonly core: number, readonly mpidr: number) {
    const aff3 = Math.floor(mpidr / 4294967296) & 0xff;
    this.aff0 = mpidr & 0xff;
    this.affinity = ((aff3 << 24) | (mpidr & 0xffffff)) >>> 0;
    this.affUpper = this.affinity >>> 8;
  }

  /** CPU interface reset (the core's reset domain; the redistributor keeps its state), as QEMU. */
  reset(): void {
    this.pmr = 0; this.bpr0 = MIN_BPR0; this.bpr1 = MIN_BPR1; this.ctlr = 0;
    this.igrpen0 = 0; this.igrpen1 = 0; this.apr0 = 0; this.apr1 = 0;
    this.ichHcrLo = 0; this.ichHcrHi = 0;
    this.ichVmcr = ICH_VMCR_RESET; this.ichAp0r = 0; this.ichAp1r = 0; this.ichLr.fill(0);
    this.gic.cpuInterfaceChanged(this.core, true);
  }

  /** Mask of the group-priority bits for an interrupt of group g (GroupBits() in the spec). */
  gmask(g: number): number {
    if (g === G0 || (this.ctlr & CTLR_CBPR) !== 0) return (0xff << (this.bpr0 + 1)) & 0xff;
    return (0xff << this.bpr1) & 0xff;
  }

  /** ICC_RPR_EL1: priority of the highest-priority active group, 0xFF when idle. */
  runningPriority(): number {
    const apr = this.apr0 | this.apr1;
    return apr === 0 ? 0xff : ctz(apr) << (8 - PRI_BITS);
  }

  /** The group owning the highest active priority: 0, 1, or -1 when nothing is active. */
  highestActiveGroup(): number {
    if (this.apr1 !== 0 && (this.apr0 === 0 || ctz(this.apr1) < ctz(this.apr0))) return G1;
    return this.apr0 !== 0 ? G0 : -1;
  }

  /** The HPPI passes the priority mask and can preempt the running priority. */
  canSignal(): boolean {
    const p = this.hppiPrio;
    if (p >= 0xff || p >= this.pmr) return false;
    const rp = this.runningPriority();
    if (rp === 0xff) return true;
    const m = this.gmask(this.hppiGrp);
    return (p & m) < (rp & m);
  }

  /** ICC_CTLR_EL1 as read. */
  ctlrValue(): number {
    return ((1 << 15) /* A3V */ | (1 << 11) /* IDbits: 24 */ | ((PRI_BITS - 1) << 8) |
      (this.gic.rss ? 1 << 18 : 0) | this.ctlr) >>> 0;
  }
}

export interface GicStats {
  /** ICC_SGI*R writes per sender. */
  sgiWrites: number[];
  /** SGIs accepted by a target (one per target core), per sender. */
  sgisSent: number[];
  /** SGIs acknowledged (IAR returned 0..15), per receiving core. */
  sgisReceived: number[];
  /** All interrupts acknowledged, per core. */
  irqsAcked: number[];
}

export interface GicOptions {
  /** Interrupt IDs including the 32 private ones; a multiple of 32, at most 1020 rounded down (992). */
  numIrqs?: number;
}

/** The distributor's per-SPI bitmaps, one word per 32 INTIDs (word 0, the SGIs and PPIs, is banked
 * per core elsewhere). */
export interface SpiBitmaps { group: Int32Array; enable: Int32Array; pend: Int32Array; active: Int32Array }

/** A write of v to word n (n >= 1) of the GICD_IGROUPR, ISENABLER, ICENABLER, ISPENDR, ICPENDR,
 * ISACTIVER or ICACTIVER block at `block` (0x080 ... 0x380): the same in GICv2 and GICv3. Returns
 * false for any other block (nothing written). */
export function writeSpiBitmap(g: SpiBitmaps, block: number, n: number, v: number): boolean {
  switch (block) {
    case 0x080: g.group[n] = v; return true;
    case 0x100: g.enable[n] |= v; return true;
    case 0x180: g.enable[n] &= ~v; return true;
    case 0x200: g.pend[n] |= v; return true;
    case 0x280: g.pend[n] &= ~v; return true;
    case 0x300: g.active[n] |= v; return true;
    case 0x380: g.active[n] &= ~v; return true;
    default: return false;
  }
}

export class GicV3 {
  readonly numIrqs: number;
  readonly cpus: GicCpuInterface[];
  readonly distributor: MmioDevice;
  readonly redistributors: MmioDevice;
  /** Bytes the redistributor region spans (0x20000 per core). */
  readonly redistributorSize: number;
  /** Some core has Aff0 > 15: SGI range selector support is advertised (RSS). */
  readonly rss: boolean;
  readonly stats: GicStats;
  /** The IRQ or FIQ output of a core changed. */
  onLineChange: (core: number) => void = () => {};
  /** Core k's interrupt state is re-evaluated: something may have changed it (the board keeps time
   * causal with this: machine.ts touch). */
  onUpdate: (core: number) => void = () => {};
  /** Tracing: an ICC_SGI*R write; targets are the cores that accepted it. */
  onSgi: ((sender: number, targets: number[], intid: number, raw: bigint) => void) | null = null;
  /** Tracing: a core acknowledged an interrupt. */
  onAck: ((core: number, intid: number) => void) | null = null;

  // --- distributor state; word w covers INTIDs 32w..32w+31 (word 0 unused: those are per core) ---
  /** GICD_CTLR EnableGrp0 (bit 0) and EnableGrp1 (bit 1). */
  dctlr = 0;
  private readonly words: number;
  readonly group: Int32Array;
  readonly enable: Int32Array;
  readonly pend: Int32Array;
  readonly active: Int32Array;
  readonly level: Int32Array;
  readonly edge: Int32Array;
  readonly prio: Uint8Array;
  readonly irouterLo: Int32Array;
  readonly irouterHi: Int32Array;
  /** Core an IRM=0 SPI routes to, or -1. */
  private readonly target: Int16Array;
  /** For IRM=1 SPIs of group 0 / group 1: the chosen core, or -1. */
  private readonly anyTarget = [-1, -1];
  /** Guest memory for the LPI tables; null = no LPIs (GICD_TYPER.LPIS = 0, GICR_TYPER.PLPIS = 0). */
  private mem: Ram | null = null;

  constructor(mpidrs: number[], opts: GicOptions = {}) {
    const n = opts.numIrqs ?? DEFAULT_NUM_IRQS;
    if (n % 32 !== 0 || n < 32 || n > 992) throw new RangeError('GICv3: numIrqs must be a multiple of 32 from 32 to 992');
    if (mpidrs.length < 1) throw new RangeError('GICv3: at least one core');
    this.numIrqs = n;
    this.words = n >>> 5;
    this.group = new Int32Array(this.words);
    this.enable = new Int32Array(this.words);
    this.pend = new Int32Array(this.words);
    this.active = new Int32Array(this.words);
    this.level = new Int32Array(this.words);
    this.edge = new Int32Array(this.words);
    this.prio = new Uint8Array(n);
    this.irouterLo = new Int32Array(n);
    this.irouterHi = new Int32Array(n);
    this.target = new Int16Array(n);
    this.cpus = mpidrs.map((m, k) => new GicCpuInterface(this, k, m));
    this.rss = this.cpus.some((ci) => ci.aff0 > 15);
    const cores = mpidrs.length;
    this.stats = {
      sgiWrites: new Array(cores).fill(0), sgisSent: new Array(cores).fill(0),
      sgisReceived: new Array(cores).fill(0), irqsAcked: new Array(cores).fill(0),
    };
    this.redistributorSize = GICR_STRIDE * cores;
    for (let id = 32; id < n; id++) this.target[id] = this.routeByAffinity(0, 0);
    const g = this;
    this.distributor = {
      name: 'gicv3-distributor',
      read: (off, size) => g.distRead(off, size),
      write: (off, size, v) => g.distWrite(off, size, v),
      peek: (off, size) => g.distRead(off, size),
    };
    this.redistributors = {
      name: 'gicv3-redistributors',
      read: (off, size) => g.redistRead(off, size),
      write: (off, size, v) => g.redistWrite(off, size, v),
      peek: (off, size) => g.redistRead(off, size),
    };
  }

  /** The board has an ITS: LPIs exist, with their tables in this memory. */
  attachLpiMemory(ram: Ram): void { this.mem = ram; }
  get lpis(): boolean { return this.mem !== null; }

  /** System reset (PSCI SYSTEM_RESET): distributor, redistributors and CPU interfaces to their reset
   * state. Input line levels stay: they are the devices' (which reset themselves). */
  systemReset(): void {
    this.dctlr = 0;
    for (const a of [this.group, this.enable, this.pend, this.active, this.edge, this.irouterLo, this.irouterHi]) a.fill(0);
    this.prio.fill(0);
    for (let id = 32; id < this.numIrqs; id++) this.target[id] = this.routeByAffinity(0, 0);
    this.anyTarget[0] = -1; this.anyTarget[1] = -1;
    for (const ci of this.cpus) {
      ci.group = 0; ci.enable = 0; ci.pend = 0; ci.active = 0; ci.edge = 0xffff;
      ci.prio.fill(0);
      ci.waker = WAKER_PS | WAKER_CA;
      ci.lpiEnable = false; ci.propLo = 0; ci.propHi = 0; ci.pendLo = 0; ci.pendHi = 0; ci.lpiPend.length = 0;
      ci.reset();
    }
    this.updateAll();
  }

  // ---------------------------------------------------------------- lines in and out

  /** Drive an SPI input line (INTID 32..numIrqs-1). A rising edge latches pending if edge-triggered. */
  setSpi(intid: number, level: boolean): void {
    if (!(intid >= 32 && intid < this.numIrqs)) throw new RangeError(`GICv3: SPI ${intid} out of range`);
    const w = intid >>> 5, bit = 1 << (intid & 31);
    const was = (this.level[w] & bit) !== 0;
    if (was === level) return;
    if (level) {
      this.level[w] |= bit;
      if ((this.edge[w] & bit) !== 0) this.pend[w] |= bit;
    } else {
      this.level[w] &= ~bit;
    }
    this.updateSpi(intid);
  }

  /** Drive a PPI input line (INTID 16..31) of one core. */
  setPpi(core: number, intid: number, level: boolean): void {
    if (!(intid >= 16 && intid < 32)) throw new RangeError(`GICv3: PPI ${intid} out of range`);
    const ci = this.cpus[core];
    const bit = 1 << intid;
    if (((ci.level & bit) !== 0) === level) return;
    if (level) {
      ci.level |= bit;
      if ((ci.edge & bit) !== 0) ci.pend |= bit;
    } else {
      ci.level &= ~bit;
    }
    this.updateCore(core);
  }

  irqLine(core: number): boolean { return this.cpus[core].irq; }
  fiqLine(core: number): boolean { return this.cpus[core].fiq; }
  /** ISR_EL1 bits: I (7) and F (6). */
  isrBits(core: number): number {
    const ci = this.cpus[core];
    return (ci.irq ? 0x80 : 0) | (ci.fiq ? 0x40 : 0);
  }

  // ---------------------------------------------------------------- routing and signalling

  private routeByAffinity(lo: number, hi: number): number {
    const aff = (((hi & 0xff) << 24) | (lo & 0xffffff)) >>> 0;
    for (const ci of this.cpus) if (ci.affinity === aff) return ci.core;
    return -1;
  }

  /** 1-of-N choice: lowest-numbered core that is awake and enables group g. */
  private recomputeAnyTargets(): void {
    for (let g = 0; g < 2; g++) {
      let t = -1;
      for (const ci of this.cpus) {
        if ((ci.waker & WAKER_PS) === 0 && (g === G0 ? ci.igrpen0 : ci.igrpen1) !== 0) { t = ci.core; break; }
      }
      this.anyTarget[g] = t;
    }
  }

  /** The core an SPI is routed to now, or -1. */
  targetOf(intid: number): number {
    if ((this.irouterLo[intid] >>> 31) !== 0) return this.anyTarget[(this.group[intid >>> 5] >>> (intid & 31)) & 1];
    return this.target[intid];
  }

  /** Recompute core k's highest priority pending interrupt and its IRQ/FIQ outputs. */
  updateCore(k: number): void {
    this.onUpdate(k);
    const ci = this.cpus[k];
    let bestPrio = 0xff, bestId = INTID_SPURIOUS, bestGrp = G1;
    const en0 = (this.dctlr & 1) !== 0 && ci.igrpen0 !== 0;
    const en1 = (this.dctlr & 2) !== 0 && ci.igrpen1 !== 0;
    if (en0 || en1) {
      let cand = (ci.pend | (ci.level & ~ci.edge)) & ci.enable & ~ci.active &
        ((en1 ? ci.group : 0) | (en0 ? ~ci.group : 0));
      while (cand !== 0) { // ascending INTIDs: on equal priority the lowest INTID stays
        const i = ctz(cand);
        cand &= cand - 1;
        const p = ci.prio[i];
        if (p < bestPrio) { bestPrio = p; bestId = i; bestGrp = (ci.group >>> i) & 1; }
      }
      for (let w = 1; w < this.words; w++) {
        const grp = this.group[w];
        let c = (this.pend[w] | (this.level[w] & ~this.edge[w])) & this.enable[w] & ~this.active[w] &
          ((en1 ? grp : 0) | (en0 ? ~grp : 0));
        while (c !== 0) {
          const i = ctz(c);
          c &= c - 1;
          const id = (w << 5) | i;
          const p = this.prio[id];
          if (p >= bestPrio || this.targetOf(id) !== k) continue;
          bestPrio = p; bestId = id; bestGrp = (grp >>> i) & 1;
        }
      }
      if (en1 && ci.lpiPend.length !== 0) {
        const cfg = this.propBase(ci);
        for (let j = 0; j < ci.lpiPend.length; j++) {
          const id = ci.lpiPend[j];
          const b = this.memByte(cfg + id - LPI_INTID_BASE);
          if ((b & 1) === 0) continue;
          const p = b & 0xfc;
          if (p < bestPrio || (p === bestPrio && bestId >= LPI_INTID_BASE && id < bestId)) {
            bestPrio = p; bestId = id; bestGrp = G1;
          }
        }
      }
    }
    ci.hppiId = bestId; ci.hppiPrio = bestPrio; ci.hppiGrp = bestGrp;
    const sig = ci.canSignal();
    const irq = sig && bestGrp === G1, fiq = sig && bestGrp === G0;
    if (irq !== ci.irq || fiq !== ci.fiq) {
      ci.irq = irq; ci.fiq = fiq;
      this.onLineChange(k);
    }
  }

  updateAll(): void {
    for (let k = 0; k < this.cpus.length; k++) this.updateCore(k);
  }

  private updateSpi(intid: number): void {
    const t = this.targetOf(intid);
    if (t >= 0) this.updateCore(t);
  }

  /** A CPU-interface register changed; group enables also move 1-of-N SPIs. */
  cpuInterfaceChanged(k: number, groupEnables: boolean): void {
    if (groupEnables) { this.recomputeAnyTargets(); this.updateAll(); }
    else this.updateCore(k);
  }

  // ---------------------------------------------------------------- CPU interface operations

  /** ICC_IAR<g>_EL1 read: acknowledge the HPPI if it is of group g and can be signalled. */
  acknowledge(k: number, g: number): number {
    const ci = this.cpus[k];
    this.updateCore(k);
    if (ci.hppiGrp !== g || !ci.canSignal()) return INTID_SPURIOUS;
    const id = ci.hppiId;
    const bit = 1 << ((ci.hppiPrio & ci.gmask(g)) >>> (8 - PRI_BITS));
    if (g === G0) ci.apr0 |= bit; else ci.apr1 |= bit;
    if (id >= LPI_INTID_BASE) {
      this.setLpiPending(k, id, false); // no active state
    } else if (id < 32) {
      ci.active |= 1 << id;
      ci.pend &= ~(1 << id);
    } else {
      const w = id >>> 5, b = 1 << (id & 31);
      this.active[w] |= b;
      this.pend[w] &= ~b;
    }
    this.stats.irqsAcked[k]++;
    if (id < 16) this.stats.sgisReceived[k]++;
    this.updateCore(k);
    if (this.onAck !== null) this.onAck(k, id);
    return id;
  }

  /** ICC_HPPIR<g>_EL1: the HPPI if it is of group g (priority mask and running priority not applied). */
  highestPending(k: number, g: number): number {
    this.updateCore(k);
    const ci = this.cpus[k];
    return ci.hppiPrio < 0xff && ci.hppiGrp === g ? ci.hppiId : INTID_SPURIOUS;
  }

  /** ICC_EOIR<g>_EL1 write. */
  endOfInterrupt(k: number, g: number, value: number): void {
    const id = value & 0xffffff;
    if (id >= this.numIrqs && !(id >= LPI_INTID_BASE && this.lpis)) return;
    const ci = this.cpus[k];
    if (ci.highestActiveGroup() !== g) return;
    if (g === G0) ci.apr0 &= ci.apr0 - 1; else ci.apr1 &= ci.apr1 - 1; // clear the lowest set bit
    if ((ci.ctlr & CTLR_EOIMODE) === 0) this.deactivate(k, id);
    this.updateCore(k);
  }

  /** ICC_DIR_EL1 write. */
  deactivateInterrupt(k: number, value: number): void {
    const id = value & 0xffffff;
    if (id >= this.numIrqs) return;
    if ((this.cpus[k].ctlr & CTLR_EOIMODE) === 0) return;
    this.deactivate(k, id);
    this.updateCore(k);
  }

  private deactivate(k: number, id: number): void {
    if (id >= LPI_INTID_BASE) return; // LPIs have no active state
    if (id < 32) {
      this.cpus[k].active &= ~(1 << id);
    } else {
      this.active[id >>> 5] &= ~(1 << (id & 31));
      const t = this.targetOf(id);
      if (t >= 0 && t !== k) this.updateCore(t);
    }
  }

  /** ICC_SGI1R_EL1 (group 1), ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 (both group 0 here) writes. */
  generateSgi(sender: number, lo: number, hi: number, grp: number): void {
    const intid = (lo >>> 24) & 0xf;
    const targetList = lo & 0xffff;
    const irm = (hi >>> 8) & 1;
    const rs = (hi >>> 12) & 0xf;
    const affUpper = (((hi >>> 16) & 0xff) << 16) | ((hi & 0xff) << 8) | ((lo >>> 16) & 0xff);
    const bit = 1 << intid;
    const trace: number[] | null = this.onSgi !== null ? [] : null;
    let sent = 0;
    for (const ci of this.cpus) {
      if (irm !== 0) {
        if (ci.core === sender) continue;
      } else {
        if (ci.affUpper !== affUpper) continue;
        const n = ci.aff0 - 16 * rs;
        if (n < 0 || n > 15 || ((targetList >>> n) & 1) === 0) continue;
      }
      if (((ci.group >>> intid) & 1) !== grp) continue; // the target configures this SGI in another group
      ci.pend |= bit;
      sent++;
      if (trace !== null) trace.push(ci.core);
      this.updateCore(ci.core);
    }
    this.stats.sgiWrites[sender]++;
    this.stats.sgisSent[sender] += sent;
    if (trace !== null) this.onSgi!(sender, trace, intid, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }

  // ---------------------------------------------------------------- LPIs

  /** Number of INTIDs the LPI tables of core ci cover: 2^(min(PROPBASER.IDbits, 15) + 1). */
  lpiLimit(ci: GicCpuInterface): number {
    return 2 ** (Math.min(ci.propLo & 0x1f, GIC_ID_BITS - 1) + 1);
  }
  /** LPI configuration table address: PROPBASER.Physical_Address [51:12]. */
  private propBase(ci: GicCpuInterface): number {
    return (ci.propHi & 0xfffff) * 4294967296 + ((ci.propLo & ~0xfff) >>> 0);
  }
  /** LPI pending table address: PENDBASER.Physical_Address [51:16]. */
  private pendBase(ci: GicCpuInterface): number {
    return (ci.pendHi & 0xfffff) * 4294967296 + ((ci.pendLo & ~0xffff) >>> 0);
  }
  /** A byte of guest RAM; 0 outside RAM (the tables' reads then find nothing). */
  memByte(pa: number): number {
    const m = this.mem!;
    return pa >= m.base && pa < m.base + m.size ? m.u8[pa - m.base] : 0;
  }
  setMemByte(pa: number, v: number): void {
    const m = this.mem!;
    if (pa >= m.base && pa < m.base + m.size) { m.touch(pa - m.base, 1); m.u8[pa - m.base] = v; } // touch first: a snapshot saves the page
  }

  /** LPIs are usable on core k: EnableLPIs, and both tables given (QEMU: non-zero base registers). */
  private lpiReady(ci: GicCpuInterface): boolean {
    return ci.lpiEnable && (ci.propLo | ci.propHi) !== 0 && (ci.pendLo | ci.pendHi) !== 0;
  }

  /** Set or clear LPI intid's pending state in core k's redistributor (an ITS translation, CLEAR,
   * DISCARD, MOVI, or an acknowledge). Ignored unless LPIs are ready there and intid is in range. */
  setLpiPending(k: number, intid: number, level: boolean): void {
    const ci = this.cpus[k];
    if (!this.lpiReady(ci) || intid < LPI_INTID_BASE || intid >= this.lpiLimit(ci)) return;
    const a = this.pendBase(ci) + (intid >>> 3), bit = 1 << (intid & 7);
    const b = this.memByte(a);
    this.setMemByte(a, level ? b | bit : b & ~bit);
    const j = ci.lpiPend.indexOf(intid);
    if (level && j < 0) ci.lpiPend.push(intid);
    else if (!level && j >= 0) { ci.lpiPend[j] = ci.lpiPend[ci.lpiPend.length - 1]; ci.lpiPend.pop(); }
    else return;
    this.updateCore(k);
  }

  /** LPI intid is pending on core k. */
  lpiPending(k: number, intid: number): boolean { return this.cpus[k].lpiPend.includes(intid); }

  /** Re-read core k's pending table (EnableLPIs set, the ITS's INV and INVALL), as QEMU rescans it. */
  loadLpiPending(k: number): void {
    const ci = this.cpus[k];
    ci.lpiPend.length = 0;
    if (this.lpiReady(ci)) {
      const base = this.pendBase(ci), limit = this.lpiLimit(ci);
      for (let byte = LPI_INTID_BASE >>> 3; byte < limit >>> 3; byte++) {
        let b = this.memByte(base + byte);
        while (b !== 0) { const i = ctz(b); b &= b - 1; ci.lpiPend.push(byte * 8 + i); }
      }
    }
    this.updateCore(k);
  }

  /** Move LPI intid's pending state from core src to core dst (the ITS's MOVI). */
  moveLpi(src: number, dst: number, intid: number): void {
    if (src === dst || !this.lpiPending(src, intid)) return;
    this.setLpiPending(src, intid, false);
    this.setLpiPending(dst, intid, true);
  }

  /** Move every pending LPI of core src to core dst (the ITS's MOVALL). */
  moveAllLpis(src: number, dst: number): void {
    if (src === dst) return;
    const ids = this.cpus[src].lpiPend.slice();
    for (const id of ids) { this.setLpiPending(src, id, false); this.setLpiPending(dst, id, true); }
  }

  // ---------------------------------------------------------------- distributor registers

  private pendingWord(w: number): number {
    return this.pend[w] | (this.level[w] & ~this.edge[w]);
  }

  distRead(off: number, size: number): number {
    if (size === 1) {
      if (off >= 0x400 && off < 0x800) {
        const id = off - 0x400;
        return id >= 32 && id < this.numIrqs ? this.prio[id] : 0;
      }
      return 0;
    }
    if (size !== 4 || (off & 3) !== 0) return 0;
    if (off < 0x80) {
      switch (off) {
        case 0x0000: return (1 << 6) | (1 << 4) | this.dctlr; // DS, ARE, group enables; RWP = 0
        case 0x0004: return this.typer();
        case 0x0008: return IIDR;
        default: return 0; // TYPER2, STATUSR, message-based SPI registers
      }
    }
    if (off < 0x400) {
      const n = (off & 0x7f) >>> 2; // register index within its bank: INTIDs 32n..32n+31
      if (n === 0 || n >= this.words) return 0;
      switch (off & ~0x7f) {
        case 0x080: return this.group[n] >>> 0;
        case 0x100: case 0x180: return this.enable[n] >>> 0;
        case 0x200: case 0x280: return this.pendingWord(n) >>> 0;
        case 0x300: case 0x380: return this.active[n] >>> 0;
        default: return 0;
      }
    }
    if (off < 0x800) {
      let v = 0;
      for (let b = 3; b >= 0; b--) {
        const id = off - 0x400 + b;
        v = (v << 8) | (id >= 32 && id < this.numIrqs ? this.prio[id] : 0);
      }
      return v >>> 0;
    }
    if (off >= 0xc00 && off < 0xd00) {
      const first = (off - 0xc00) * 4; // 16 INTIDs per register
      if (first < 32 || first >= this.numIrqs) return 0;
      return edgeToCfg((this.edge[first >>> 5] >>> (first & 16)) & 0xffff);
    }
    if (off >= 0x6000 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      if (id < 32 || id >= this.numIrqs) return 0;
      return ((off & 4) === 0 ? this.irouterLo[id] : this.irouterHi[id]) >>> 0;
    }
    if (off >= 0xffd0) return idReg(off, PIDR0_DIST);
    return 0; // ITARGETSR, IGRPMODR, NSACR (RAZ with DS=1/ARE=1), SGIR (WO), reserved
  }

  private typer(): number {
    return ((this.rss ? 1 << 26 : 0) | (1 << 24) /* A3V */ | ((GIC_ID_BITS - 1) << 19) /* IDbits: 16 */ |
      (this.lpis ? 1 << 17 : 0) /* LPIS */ |
      ((this.numIrqs >>> 5) - 1)) >>> 0;
  }

  distWrite(off: number, size: number, v: number): void {
    if (size === 1) {
      if (off >= 0x400 && off < 0x800) {
        const id = off - 0x400;
        if (id >= 32 && id < this.numIrqs) { this.prio[id] = v; this.updateSpi(id); }
      }
      return;
    }
    if (size !== 4 || (off & 3) !== 0) return;
    if (off === 0x0000) { this.dctlr = v & 3; this.updateAll(); return; }
    if (off < 0x80) return;
    if (off < 0x400) {
      const n = (off & 0x7f) >>> 2;
      if (n === 0 || n >= this.words) return;
      if (writeSpiBitmap(this, off & ~0x7f, n, v)) this.updateAll();
      return;
    }
    if (off < 0x800) {
      for (let b = 0; b < 4; b++) {
        const id = off - 0x400 + b;
        if (id >= 32 && id < this.numIrqs) this.prio[id] = (v >>> (8 * b)) & 0xff;
      }
      this.updateAll();
      return;
    }
    if (off >= 0xc00 && off < 0xd00) {
      const first = (off - 0xc00) * 4;
      if (first < 32 || first >= this.numIrqs) return;
      const w = first >>> 5, sh = first & 16;
      this.edge[w] = (this.edge[w] & ~(0xffff << sh)) | (cfgToEdge(v) << sh);
      this.updateAll();
      return;
    }
    if (off >= 0x6000 && off < 0x8000) {
      const id = (off - 0x6000) >>> 3;
      if (id < 32 || id >= this.numIrqs) return;
      if ((off & 4) === 0) this.irouterLo[id] = v & 0x80ffffff; // Aff2.Aff1.Aff0, IRM
      else this.irouterHi[id] = v & 0xff;                      // Aff3
      this.target[id] = this.routeByAffinity(this.irouterLo[id], this.irouterHi[id]);
      this.updateAll();
    }
    // Everything else is read-only, RAZ/WI or reserved.
  }

  // ---------------------------------------------------------------- redistributor registers

  redistRead(offset: number, size: number): number {
    const k = Math.floor(offset / GICR_STRIDE);
    if (k >= this.cpus.length) return 0;
    const ci = this.cpus[k];
    const off = offset - k * GICR_STRIDE;
    if (size === 1) return off >= 0x10400 && off < 0x10420 ? ci.prio[off - 0x10400] : 0;
    if (size !== 4 || (off & 3) !== 0) return 0;
    switch (off) {
      // GICR_CTLR: EnableLPIs, CES (EnableLPIs can be cleared; QEMU); DPG not supported, RWP/UWP 0
      case 0x0000: return (ci.lpiEnable ? 1 : 0) | (this.lpis ? 2 : 0);
      case 0x0004: return IIDR;
      case 0x0008: return ((1 << 24) /* CommonLPIAff */ | (k << 8) | (k === this.cpus.length - 1 ? 1 << 4 : 0) |
        (this.lpis ? 1 : 0) /* PLPIS */) >>> 0;
      case 0x0070: return this.lpis ? ci.propLo >>> 0 : 0;
      case 0x0074: return this.lpis ? ci.propHi >>> 0 : 0;
      case 0x0078: return this.lpis ? ci.pendLo >>> 0 : 0;
      case 0x007c: return this.lpis ? ci.pendHi >>> 0 : 0;
      case 0x000c: return ci.affinity;
      case 0x0014: return ci.waker;
      case 0x10080: return ci.group >>> 0;
      case 0x10100: case 0x10180: return ci.enable >>> 0;
      case 0x10200: case 0x10280: return (ci.pend | (ci.level & ~ci.edge)) >>> 0;
      case 0x10300: case 0x10380: return ci.active >>> 0;
      case 0x10c00: return edgeToCfg(ci.edge & 0xffff);
      case 0x10c04: return edgeToCfg(ci.edge >>> 16);
      default: break;
    }
    if (off >= 0x10400 && off < 0x10420) {
      const i = off - 0x10400;
      return (ci.prio[i] | (ci.prio[i + 1] << 8) | (ci.prio[i + 2] << 16) | (ci.prio[i + 3] << 24)) >>> 0;
    }
    if (off >= 0xffd0 && off < 0x10000) return idReg(off, PIDR0_REDIST);
    return 0;
  }

  redistWrite(offset: number, size: number, v: number): void {
    const k = Math.floor(offset / GICR_STRIDE);
    if (k >= this.cpus.length) return;
    const ci = this.cpus[k];
    const off = offset - k * GICR_STRIDE;
    if (size === 1) {
      if (off >= 0x10400 && off < 0x10420) { ci.prio[off - 0x10400] = v; this.updateCore(k); }
      return;
    }
    if (size !== 4 || (off & 3) !== 0) return;
    switch (off) {
      case 0x0000: // GICR_CTLR.EnableLPIs: setting it loads the pending table, as QEMU rescans it
        if (!this.lpis) return;
        if ((v & 1) !== 0 && !ci.lpiEnable) { ci.lpiEnable = true; this.loadLpiPending(k); }
        else if ((v & 1) === 0) { ci.lpiEnable = false; ci.lpiPend.length = 0; }
        break;
      // PROPBASER/PENDBASER hold what is written (QEMU); the tables are located when used
      case 0x0070: if (this.lpis) ci.propLo = v; return;
      case 0x0074: if (this.lpis) ci.propHi = v; return;
      case 0x0078: if (this.lpis) ci.pendLo = v; return;
      case 0x007c: if (this.lpis) ci.pendHi = v; return;
      case 0x0014: // GICR_WAKER: ChildrenAsleep follows ProcessorSleep at once
        ci.waker = (v & WAKER_PS) !== 0 ? WAKER_PS | WAKER_CA : 0;
        this.recomputeAnyTargets();
        this.updateAll();
        return;
      case 0x10080: ci.group = v; break;
      case 0x10100: ci.enable |= v; break;
      case 0x10180: ci.enable &= ~v; break;
      case 0x10200: ci.pend |= v; break;
      case 0x10280: ci.pend &= ~v; break;
      case 0x10300: ci.active |= v; break;
      case 0x10380: ci.active &= ~v; break;
      case 0x10c04: ci.edge = (ci.edge & 0xffff) | (cfgToEdge(v) << 16); break; // PPIs; ICFGR0 is RO
      default:
        if (off >= 0x10400 && off < 0x10420) {
          for (let b = 0; b < 4; b++) ci.prio[off - 0x10400 + b] = (v >>> (8 * b)) & 0xff;
          break;
        }
        return;
    }
    this.updateCore(k);
  }
}

// ---------------------------------------------------------------- taking interrupts (board helper)

/** If core c should take an FIQ or IRQ now, enter the exception (return address = the current PC,
 * which at a block boundary is the next instruction) and return true. Applies HCR_EL2.{FMO,IMO,TGE}
 * routing and PSTATE.{F,I}: an interrupt routed to a higher EL than the current one is taken regardless
 * of PSTATE, one routed to a lower EL is not taken. FIQ is taken before IRQ. Call between run() calls;
 * it leaves c.flow = Next. */
export function takeInterrupt(c: Cpu): boolean {
  const g = c.gicc;
  if (g === null) return false;
  if (g.fiq) { const el = interruptTarget(c, true); if (el > 0) return enter(c, 0x100, el); }
  if (g.irq) { const el = interruptTarget(c, false); if (el > 0) return enter(c, 0x080, el); }
  return false;
}

/** The EL an IRQ (fiq false) or FIQ would be taken to now, or 0 when it cannot be taken: routed by
 * HCR_EL2.TGE/IMO/FMO, and masked as Arm ARM D1.3.6 says: PSTATE.I/F mask an interrupt taken to the
 * current EL, and one taken from EL0 to EL1; one routed above EL1 is not maskable from below. */
export function interruptTarget(c: Cpu, fiq: boolean): number {
  const hcr = c.hasEl2 ? c.sys.hcrEl2Lo : 0;
  const target = (hcr & ((1 << 27) | (fiq ? 1 << 3 : 1 << 4))) !== 0 ? 2 : 1;
  if (target < c.el) return 0;
  if (target === c.el || target === 1) return (c.daif & (fiq ? 1 : 2)) === 0 ? target : 0;
  return target;
}

function enter(c: Cpu, kind: number, target: number): boolean {
  c.enterException(target, kind, c.pcLo, c.pcHi);
  c.flow = Flow.Next; // the PC is already the vector, and we are outside the inner loop
  return true;
}

// ---------------------------------------------------------------- ICC_* system registers

function cpuif(c: Cpu): GicCpuInterface {
  const g = c.gicc;
  // no GIC, or a GICv2 (memory-mapped CPU interface only): the ICC_* registers are UNDEFINED (QEMU)
  if (g === null || !(g instanceof GicCpuInterface)) { c.undefinedInstruction(); throw INSN_ABORTED; }
  return g;
}

function ret(v: number): void { R[LO] = v | 0; R[HI] = 0; }

type Enc = [number, number, number, number, number];
const ENC = {
  ICC_PMR_EL1: [3, 0, 4, 6, 0], ICC_IAR0_EL1: [3, 0, 12, 8, 0], ICC_EOIR0_EL1: [3, 0, 12, 8, 1],
  ICC_HPPIR0_EL1: [3, 0, 12, 8, 2], ICC_BPR0_EL1: [3, 0, 12, 8, 3], ICC_AP0R0_EL1: [3, 0, 12, 8, 4],
  ICC_AP1R0_EL1: [3, 0, 12, 9, 0], ICC_DIR_EL1: [3, 0, 12, 11, 1], ICC_RPR_EL1: [3, 0, 12, 11, 3],
  ICC_SGI1R_EL1: [3, 0, 12, 11, 5], ICC_ASGI1R_EL1: [3, 0, 12, 11, 6], ICC_SGI0R_EL1: [3, 0, 12, 11, 7],
  ICC_IAR1_EL1: [3, 0, 12, 12, 0], ICC_EOIR1_EL1: [3, 0, 12, 12, 1], ICC_HPPIR1_EL1: [3, 0, 12, 12, 2],
  ICC_BPR1_EL1: [3, 0, 12, 12, 3], ICC_CTLR_EL1: [3, 0, 12, 12, 4], ICC_SRE_EL1: [3, 0, 12, 12, 5],
  ICC_IGRPEN0_EL1: [3, 0, 12, 12, 6], ICC_IGRPEN1_EL1: [3, 0, 12, 12, 7], ICC_SRE_EL2: [3, 4, 12, 9, 5],
  ICH_HCR_EL2: [3, 4, 12, 11, 0],
} as const satisfies Record<string, Enc>;

const def = (name: keyof typeof ENC, minEl: number, opts: Parameters<typeof defineSysReg>[3]): void => {
  defineSysReg(name, [...ENC[name]] as Enc, minEl, opts);
};

def('ICC_PMR_EL1', 1, {
  read: (c) => ret(cpuif(c).pmr),
  write: (c, lo) => { const g = cpuif(c); g.pmr = lo & PRI_MASK; g.gic.cpuInterfaceChanged(g.core, false); },
});
def('ICC_IAR0_EL1', 1, { readOnly: true, read: (c) => { const g = cpuif(c); ret(g.gic.acknowledge(g.core, G0)); } });
def('ICC_IAR1_EL1', 1, { readOnly: true, read: (c) => { const g = cpuif(c); ret(g.gic.acknowledge(g.core, G1)); } });
def('ICC_EOIR0_EL1', 1, { writeOnly: true, write: (c, lo) => { const g = cpuif(c); g.gic.endOfInterrupt(g.core, G0, lo); } });
def('ICC_EOIR1_EL1', 1, { writeOnly: true, write: (c, lo) => { const g = cpuif(c); g.gic.endOfInterrupt(g.core, G1, lo); } });
def('ICC_HPPIR0_EL1', 1, { readOnly: true, read: (c) => { const g = cpuif(c); ret(g.gic.highestPending(g.core, G0)); } });
def('ICC_HPPIR1_EL1', 1, { readOnly: true, read: (c) => { const g = cpuif(c); ret(g.gic.highestPending(g.core, G1)); } });
def('ICC_DIR_EL1', 1, { writeOnly: true, write: (c, lo) => { const g = cpuif(c); g.gic.deactivateInterrupt(g.core, lo); } });
def('ICC_RPR_EL1', 1, { readOnly: true, read: (c) => ret(cpuif(c).runningPriority()) });
def('ICC_BPR0_EL1', 1, {
  read: (c) => ret(cpuif(c).bpr0),
  write: (c, lo) => { const g = cpuif(c); g.bpr0 = Math.max(lo & 7, MIN_BPR0); g.gic.cpuInterfaceChanged(g.core, false); },
});
def('ICC_BPR1_EL1', 1, {
  read: (c) => { const g = cpuif(c); ret((g.ctlr & CTLR_CBPR) !== 0 ? Math.min(g.bpr0 + 1, 7) : g.bpr1); },
  write: (c, lo) => {
    const g = cpuif(c);
    if ((g.ctlr & CTLR_CBPR) !== 0) return; // BPR0 governs group 1 too; writes ignored
    g.bpr1 = Math.max(lo & 7, MIN_BPR1);
    g.gic.cpuInterfaceChanged(g.core, false);
  },
});
def('ICC_AP0R0_EL1', 1, {
  read: (c) => { R[LO] = cpuif(c).apr0; R[HI] = 0; },
  write: (c, lo) => { const g = cpuif(c); g.apr0 = lo; g.gic.cpuInterfaceChanged(g.core, false); },
});
def('ICC_AP1R0_EL1', 1, {
  read: (c) => { R[LO] = cpuif(c).apr1; R[HI] = 0; },
  write: (c, lo) => { const g = cpuif(c); g.apr1 = lo; g.gic.cpuInterfaceChanged(g.core, false); },
});
def('ICC_CTLR_EL1', 1, {
  read: (c) => ret(cpuif(c).ctlrValue()),
  write: (c, lo) => { const g = cpuif(c); g.ctlr = lo & (CTLR_CBPR | CTLR_EOIMODE); g.gic.cpuInterfaceChanged(g.core, false); },
});
def('ICC_SRE_EL1', 1, { read: (c) => { cpuif(c); ret(0x7); }, write: (c) => { cpuif(c); } }); // SRE, DFB, DIB: RAO/WI
def('ICC_SRE_EL2', 2, { read: (c) => { cpuif(c); ret(0xf); }, write: (c) => { cpuif(c); } }); // + Enable
def('ICC_IGRPEN0_EL1', 1, {
  read: (c) => ret(cpuif(c).igrpen0),
  write: (c, lo) => { const g = cpuif(c); g.igrpen0 = lo & 1; g.gic.cpuInterfaceChanged(g.core, true); },
});
def('ICC_IGRPEN1_EL1', 1, {
  read: (c) => ret(cpuif(c).igrpen1),
  write: (c, lo) => { const g = cpuif(c); g.igrpen1 = lo & 1; g.gic.cpuInterfaceChanged(g.core, true); },
});

/** SGI register writes at EL1 trap to EL2 when HCR_EL2.IMO or FMO is set (they would be virtual). */
function sgiWrite(name: 'ICC_SGI1R_EL1' | 'ICC_SGI0R_EL1' | 'ICC_ASGI1R_EL1', grp: number) {
  return (c: Cpu, lo: number, hi: number): void => {
    const g = cpuif(c);
    if (c.el === 1 && c.hasEl2 && (c.sys.hcrEl2Lo & 0x18) !== 0) c.trapSysReg(2, ENC[name], false);
    g.gic.generateSgi(g.core, lo, hi, grp);
  };
}
def('ICC_SGI1R_EL1', 1, { writeOnly: true, write: sgiWrite('ICC_SGI1R_EL1', G1) });
def('ICC_SGI0R_EL1', 1, { writeOnly: true, write: sgiWrite('ICC_SGI0R_EL1', G0) });
def('ICC_ASGI1R_EL1', 1, { writeOnly: true, write: sgiWrite('ICC_ASGI1R_EL1', G0) });

// The virtual CPU interface's EL2 registers: storage (see the notes at the top).
def('ICH_HCR_EL2', 2, {
  read: (c) => { const g = cpuif(c); R[LO] = g.ichHcrLo; R[HI] = g.ichHcrHi; },
  write: (c, lo, hi) => { const g = cpuif(c); g.ichHcrLo = lo; g.ichHcrHi = hi; },
});
const ichDef = (name: string, enc: Enc, opts: Parameters<typeof defineSysReg>[3]): void => { defineSysReg(name, enc, 2, opts); };
ichDef('ICH_VTR_EL2', [3, 4, 12, 11, 1], { readOnly: true, read: (c) => { cpuif(c); ret(ICH_VTR); } });
ichDef('ICH_MISR_EL2', [3, 4, 12, 11, 2], { readOnly: true, read: (c) => { cpuif(c); ret(0); } });
/** ICH_EISR_EL2 (eoi true): list registers with State 0, HW 0 and EOI (bit 41) set; ICH_ELRSR_EL2:
 * the empty ones, State 0 and not such an EOI. */
function lrStatus(g: GicCpuInterface, eoi: boolean): number {
  let v = 0;
  for (let n = 0; n < ICH_LRS; n++) {
    const hi = g.ichLr[2 * n + 1];
    if ((hi >>> 30) !== 0) continue;
    const e = (hi & (1 << 29)) === 0 && (hi & (1 << 9)) !== 0;
    if (e === eoi) v |= 1 << n;
  }
  return v;
}
ichDef('ICH_EISR_EL2', [3, 4, 12, 11, 3], { readOnly: true, read: (c) => ret(lrStatus(cpuif(c), true)) });
ichDef('ICH_ELRSR_EL2', [3, 4, 12, 11, 5], { readOnly: true, read: (c) => ret(lrStatus(cpuif(c), false)) });
ichDef('ICH_VMCR_EL2', [3, 4, 12, 11, 7], {
  read: (c) => ret(cpuif(c).ichVmcr),
  write: (c, lo) => {
    const g = cpuif(c);
    let v = (lo & ICH_VMCR_MASK) | (1 << 3);
    if (((v >>> 21) & 7) < 2) v = (v & ~(7 << 21)) | (2 << 21);
    if (((v >>> 18) & 7) < 3) v = (v & ~(7 << 18)) | (3 << 18);
    g.ichVmcr = v;
  },
});
// Only AP0R0/AP1R0: 5 preemption bits need 32 active-priority bits per group.
ichDef('ICH_AP0R0_EL2', [3, 4, 12, 8, 0], { read: (c) => ret(cpuif(c).ichAp0r), write: (c, lo) => { cpuif(c).ichAp0r = lo; } });
ichDef('ICH_AP1R0_EL2', [3, 4, 12, 9, 0], { read: (c) => ret(cpuif(c).ichAp1r), write: (c, lo) => { cpuif(c).ichAp1r = lo; } });
for (let n = 0; n < ICH_LRS; n++) {
  ichDef(`ICH_LR${n}_EL2`, [3, 4, 12, 12 + (n >>> 3), n & 7], {
    read: (c) => { const g = cpuif(c); R[LO] = g.ichLr[2 * n]; R[HI] = g.ichLr[2 * n + 1]; },
    // Priority [55:48] keeps its top 5 bits (as QEMU: the rest of the register is stored as written).
    write: (c, lo, hi) => { const g = cpuif(c); g.ichLr[2 * n] = lo; g.ichLr[2 * n + 1] = hi & ~(7 << 16); },
  });
}
