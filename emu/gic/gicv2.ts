// GICv2 interrupt controller, as on QEMU's virt board with gic-version=2 and no security extensions
// (Arm IHI 0048B; QEMU 7.2's hw/intc/arm_gic.c is the oracle where the spec leaves a choice).
//
// Pieces: one distributor (GICD, 4 KiB of registers in a 64 KiB frame) holding the SPIs and, banked per
// CPU, the SGIs and PPIs; one memory-mapped CPU interface (GICC) whose registers are banked by the
// accessing core. No ICC_* system registers: with GICv2 they are UNDEFINED and ID_AA64PFR0_EL1.GIC = 0
// (as QEMU, which registers them only for a GICv3), so c.gicc is a GicV2Cpu, which the ICC_* hooks
// refuse.
//
// ---------------------------------------------------------------- board API (as GicV3's)
//
//   const gic = new GicV2(ncores);                  // at most 8 cores
//   bus.map(0x0800_0000, GICV2_DIST_SIZE, gic.distributor);
//   bus.map(0x0801_0000, GICV2_CPU_SIZE, gic.cpuInterface);
//   c.gicc = gic.cpus[k]; gic.onLineChange; gic.setSpi; gic.setPpi; gic.isrBits; gic.cpus[k].reset();
//   gic.stats; gic.onSgi; gic.onAck
//
// ---------------------------------------------------------------- choices made (spec allows several)
//
// - 288 interrupt IDs (QEMU virt), GICD_TYPER.ITLinesNumber = 8, CPUNumber = cores - 1, no security
//   extensions. GICD_CTLR and GICC_CTLR have an enable per group (bit 0 group 0, bit 1 group 1); both
//   groups are signalled as IRQ unless GICC_CTLR.FIQEn (bit 3) makes group 0 FIQ. Every interrupt resets
//   to group 0 (as QEMU), so a guest that never touches IGROUPR uses group 0 with GICC_CTLR bit 0.
// - 8 priority bits (QEMU's default for its GICv2). BPR (minimum 0) splits group priority from
//   subpriority for group 0, ABPR (minimum 1) for group 1 unless GICC_CTLR.CBPR. Active priorities are
//   kept as in QEMU, 7 bits of preemption level (priority >> 1) in GICC_APR0..3.
// - As QEMU 7.2: the highest priority pending interrupt is chosen among both groups once any group is
//   enabled in GICD_CTLR and in GICC_CTLR; GICC_HPPIR and GICC_IAR apply the priority mask and give
//   1022 for a group 1 interrupt unless GICC_CTLR.AckCtl; it is signalled only when its own group is
//   enabled in both. GICC_AIAR/AHPPIR read 0 and GICC_AEOIR ignores writes (QEMU 7.2, no security
//   extensions).
// - SGIs keep one pending bit per source CPU (GICD_SPENDSGIR/CPENDSGIR); GICC_IAR returns the lowest
//   pending source in CPUID (bits [12:10]) and leaves the SGI pending while other sources remain.
//   GICD_SGIR's TargetListFilter: 0 the list (cores that exist), 1 every other core, 2 the writer,
//   3 reserved (ignored). GICD_ISPENDR0/ICPENDR0 do not change SGI state (use S/CPENDSGIR).
// - SPIs go to every core set in their GICD_ITARGETSR byte; the first to acknowledge takes it
//   (1-of-N as the spec's GICv2 model). ITARGETSR0-7 (SGIs/PPIs) read the accessing core's own bit.
//   With one core every ITARGETSR is RAZ/WI and every SPI goes to it (IHI 0048B 4.3.12).
// - Level-sensitive interrupts and EOI/DIR as in gicv3.ts (EOImode is GICC_CTLR bit 9).
// - Not modelled: GICv2m MSI frames, the virtualization extensions (GICH/GICV), NSACR, the
//   non-secure alias behaviour of security extensions (there are none).

import type { MmioDevice } from '../mem/bus.js';
import { DEFAULT_NUM_IRQS, INTID_SPURIOUS, writeSpiBitmap, type GicStats } from './gicv3.js';

export const GICV2_DIST_SIZE = 0x1_0000;
export const GICV2_CPU_SIZE = 0x1_0000;
export const GICV2_MAX_CPUS = 8;

const IIDR_DIST = 0x43b;         // Arm (QEMU)
const IIDR_CPU = 0x2043b;        // architecture version 2, Arm (QEMU)
const MIN_BPR = 0, MIN_ABPR = 1;
const CTLR_EN0 = 1, CTLR_EN1 = 2, CTLR_ACKCTL = 4, CTLR_FIQEN = 8, CTLR_CBPR = 0x10, CTLR_EOIMODE = 0x200;
const CTLR_MASK = CTLR_EN0 | CTLR_EN1 | 4 /* AckCtl */ | CTLR_FIQEN | CTLR_CBPR | 0x60 /* bypass disables */ | CTLR_EOIMODE;

function ctz(x: number): number { return 31 - Math.clz32(x & -x); }
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

/** Per-core state: banked SGIs/PPIs (INTIDs 0..31) and the CPU interface. */
export class GicV2Cpu {
  /** GICv2 has no system-register CPU interface. */
  readonly sysRegs = false;
  group = 0;
  enable = 0xffff; // SGIs are always enabled (ISENABLER0[15:0] RAO/WI, QEMU)
  /** PPI pending latch (bits 16..31); SGI pending state is sgiSrc. */
  pend = 0;
  active = 0;
  level = 0;
  edge = 0xffff;
  readonly prio = new Uint8Array(32);
  /** Per SGI: a bit per source core with that SGI pending. */
  readonly sgiSrc = new Uint8Array(16);
  // --- CPU interface ---
  ctlr = 0;
  pmr = 0;
  bpr = MIN_BPR;
  abpr = MIN_ABPR;
  /** Active preemption levels (priority >> 1), 128 bits. */
  readonly apr = new Int32Array(4);
  hppiId = INTID_SPURIOUS;
  hppiPrio = 0xff;
  hppiGrp = 0;
  irq = false;
  fiq = false;

  constructor(readonly gic: GicV2, readonly core: number) {}

  /** CPU interface reset (PSCI CPU_ON), as QEMU's CPU reset of the GICv2 CPU interface. */
  reset(): void {
    this.ctlr = 0; this.pmr = 0; this.bpr = MIN_BPR; this.abpr = MIN_ABPR; this.apr.fill(0);
    this.gic.updateCore(this.core);
  }

  sgiPendBits(): number {
    let b = 0;
    for (let i = 0; i < 16; i++) if (this.sgiSrc[i] !== 0) b |= 1 << i;
    return b;
  }

  gmask(g: number): number {
    if (g === 0 || (this.ctlr & CTLR_CBPR) !== 0) return (0xff << (this.bpr + 1)) & 0xff;
    return (0xff << this.abpr) & 0xff;
  }

  /** Lowest set preemption level, as a priority; 0x100 when nothing is active. */
  runningPriority(): number {
    for (let w = 0; w < 4; w++) if (this.apr[w] !== 0) return ((w << 5) | ctz(this.apr[w])) << 1;
    return 0x100;
  }

  canSignal(): boolean {
    const p = this.hppiPrio;
    if (p >= 0x100 || p >= this.pmr) return false;
    return (p & this.gmask(this.hppiGrp)) < this.runningPriority();
  }
}

export class GicV2 {
  readonly version = 2;
  readonly numIrqs = DEFAULT_NUM_IRQS;
  readonly cpus: GicV2Cpu[];
  readonly distributor: MmioDevice;
  readonly cpuInterface: MmioDevice;
  readonly stats: GicStats;
  onLineChange: (core: number) => void = () => {};
  /** Core k's interrupt state is re-evaluated (the board keeps time causal with this, as for GicV3). */
  onUpdate: (core: number) => void = () => {};
  onSgi: ((sender: number, targets: number[], intid: number, raw: bigint) => void) | null = null;
  onAck: ((core: number, intid: number) => void) | null = null;

  dctlr = 0;
  private readonly words = DEFAULT_NUM_IRQS >>> 5;
  readonly group = new Int32Array(this.words);
  readonly enable = new Int32Array(this.words);
  readonly pend = new Int32Array(this.words);
  readonly active = new Int32Array(this.words);
  readonly level = new Int32Array(this.words);
  readonly edge = new Int32Array(this.words);
  readonly prio = new Uint8Array(DEFAULT_NUM_IRQS);
  readonly targets = new Uint8Array(DEFAULT_NUM_IRQS);

  constructor(cores: number) {
    if (!(cores >= 1 && cores <= GICV2_MAX_CPUS)) throw new RangeError(`GICv2: 1 to ${GICV2_MAX_CPUS} cores`);
    this.cpus = Array.from({ length: cores }, (_, k) => new GicV2Cpu(this, k));
    this.stats = {
      sgiWrites: new Array(cores).fill(0), sgisSent: new Array(cores).fill(0),
      sgisReceived: new Array(cores).fill(0), irqsAcked: new Array(cores).fill(0),
    };
    const g = this;
    this.distributor = {
      name: 'gicv2-distributor',
      read: (off, size, core) => g.distRead(off, size, core),
      write: (off, size, v, core) => g.distWrite(off, size, v, core),
      peek: (off, size) => g.distRead(off, size, 0), // banked registers: core 0's view
    };
    this.cpuInterface = {
      name: 'gicv2-cpu-interface',
      read: (off, size, core) => g.cpuRead(off, size, core),
      write: (off, size, v, core) => g.cpuWrite(off, size, v, core),
      // reading IAR acknowledges: a debugger's peek must not
      peek: (off, size) => (off === 0x0c ? INTID_SPURIOUS : g.cpuRead(off, size, 0)),
    };
  }

  // ---------------------------------------------------------------- lines

  setSpi(intid: number, level: boolean): void {
    if (!(intid >= 32 && intid < this.numIrqs)) throw new RangeError(`GICv2: SPI ${intid} out of range`);
    const w = intid >>> 5, bit = 1 << (intid & 31);
    if (((this.level[w] & bit) !== 0) === level) return;
    if (level) {
      this.level[w] |= bit;
      if ((this.edge[w] & bit) !== 0) this.pend[w] |= bit;
    } else this.level[w] &= ~bit;
    this.updateAll();
  }

  setPpi(core: number, intid: number, level: boolean): void {
    if (!(intid >= 16 && intid < 32)) throw new RangeError(`GICv2: PPI ${intid} out of range`);
    const ci = this.cpus[core];
    const bit = 1 << intid;
    if (((ci.level & bit) !== 0) === level) return;
    if (level) {
      ci.level |= bit;
      if ((ci.edge & bit) !== 0) ci.pend |= bit;
    } else ci.level &= ~bit;
    this.updateCore(core);
  }

  irqLine(core: number): boolean { return this.cpus[core].irq; }
  fiqLine(core: number): boolean { return this.cpus[core].fiq; }
  isrBits(core: number): number {
    const ci = this.cpus[core];
    return (ci.irq ? 0x80 : 0) | (ci.fiq ? 0x40 : 0);
  }

  // ---------------------------------------------------------------- signalling

  updateCore(k: number): void {
    this.onUpdate(k);
    const ci = this.cpus[k];
    let bestPrio = 0x100, bestId = INTID_SPURIOUS, bestGrp = 0;
    // As QEMU: the HPPI is chosen among both groups once any group is enabled in the distributor and
    // in the CPU interface; whether it is signalled depends on its own group's enables.
    if ((this.dctlr & 3) !== 0 && (ci.ctlr & (CTLR_EN0 | CTLR_EN1)) !== 0) {
      let cand = (ci.sgiPendBits() | ci.pend | (ci.level & ~ci.edge)) & ci.enable & ~ci.active;
      while (cand !== 0) {
        const i = ctz(cand);
        cand &= cand - 1;
        if (ci.prio[i] < bestPrio) { bestPrio = ci.prio[i]; bestId = i; bestGrp = (ci.group >>> i) & 1; }
      }
      const me = 1 << k;
      const uni = this.cpus.length === 1; // one core: ITARGETSR RAZ/WI, every SPI goes to it
      for (let w = 1; w < this.words; w++) {
        const grp = this.group[w];
        let c = (this.pend[w] | (this.level[w] & ~this.edge[w])) & this.enable[w] & ~this.active[w];
        while (c !== 0) {
          const i = ctz(c);
          c &= c - 1;
          const id = (w << 5) | i;
          if (this.prio[id] >= bestPrio || (!uni && (this.targets[id] & me) === 0)) continue;
          bestPrio = this.prio[id]; bestId = id; bestGrp = (grp >>> i) & 1;
        }
      }
    }
    ci.hppiId = bestId; ci.hppiPrio = bestPrio; ci.hppiGrp = bestGrp;
    const sig = ci.canSignal() && ((ci.ctlr & this.dctlr) >>> bestGrp & 1) !== 0;
    const fiq = sig && bestGrp === 0 && (ci.ctlr & CTLR_FIQEN) !== 0;
    const irq = sig && !fiq;
    if (irq !== ci.irq || fiq !== ci.fiq) {
      ci.irq = irq; ci.fiq = fiq;
      this.onLineChange(k);
    }
  }

  updateAll(): void {
    for (let k = 0; k < this.cpus.length; k++) this.updateCore(k);
  }

  /** PSCI SYSTEM_RESET: the distributor and every core's banked state and CPU interface as at power-on
   * (input lines stay as the devices drive them). */
  systemReset(): void {
    this.dctlr = 0;
    for (const a of [this.group, this.enable, this.pend, this.active]) a.fill(0);
    this.edge.fill(0);
    this.prio.fill(0);
    this.targets.fill(0);
    for (const ci of this.cpus) {
      ci.group = 0; ci.enable = 0xffff; ci.pend = 0; ci.active = 0; ci.edge = 0xffff;
      ci.prio.fill(0); ci.sgiSrc.fill(0);
      ci.reset();
    }
    this.updateAll();
  }

  // ---------------------------------------------------------------- CPU interface operations

  /** GICC_IAR: acknowledge the HPPI if it passes PMR and the running priority (not the group enables,
   * as QEMU); a group 1 HPPI gives 1022 unless GICC_CTLR.AckCtl. */
  acknowledge(k: number): number {
    const ci = this.cpus[k];
    this.updateCore(k);
    if (!ci.canSignal()) return INTID_SPURIOUS;
    if (ci.hppiGrp === 1 && (ci.ctlr & CTLR_ACKCTL) === 0) return 1022;
    const id = ci.hppiId;
    const level = (ci.hppiPrio & ci.gmask(ci.hppiGrp)) >>> 1;
    ci.apr[level >>> 5] |= 1 << (level & 31);
    let ret = id;
    if (id < 16) {
      const src = ctz(ci.sgiSrc[id]);
      ci.sgiSrc[id] &= ~(1 << src);
      ci.active |= 1 << id;
      ret = id | (src << 10);
      this.stats.sgisReceived[k]++;
    } else if (id < 32) {
      ci.active |= 1 << id;
      ci.pend &= ~(1 << id);
    } else {
      const w = id >>> 5, b = 1 << (id & 31);
      this.active[w] |= b;
      this.pend[w] &= ~b;
    }
    this.stats.irqsAcked[k]++;
    if (id >= 32) this.updateAll(); else this.updateCore(k);
    if (this.onAck !== null) this.onAck(k, id);
    return ret;
  }

  /** GICC_EOIR / GICC_AEOIR: drop the running priority; deactivate unless EOImode. */
  endOfInterrupt(k: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= this.numIrqs) return;
    const ci = this.cpus[k];
    for (let w = 0; w < 4; w++) if (ci.apr[w] !== 0) { ci.apr[w] &= ci.apr[w] - 1; break; }
    if ((ci.ctlr & CTLR_EOIMODE) === 0) this.deactivate(k, id);
    this.updateCore(k);
  }

  private deactivate(k: number, id: number): void {
    if (id < 32) this.cpus[k].active &= ~(1 << id);
    else { this.active[id >>> 5] &= ~(1 << (id & 31)); this.updateAll(); }
  }

  /** GICD_SGIR write. */
  generateSgi(sender: number, v: number): void {
    const intid = v & 0xf;
    const filter = (v >>> 24) & 3;
    let list: number;
    const all = (1 << this.cpus.length) - 1;
    if (filter === 0) list = (v >>> 16) & 0xff & all;
    else if (filter === 1) list = all & ~(1 << sender);
    else if (filter === 2) list = 1 << sender;
    else return;
    const trace: number[] | null = this.onSgi !== null ? [] : null;
    let sent = 0;
    for (let t = 0; t < this.cpus.length; t++) {
      if (((list >>> t) & 1) === 0) continue;
      this.cpus[t].sgiSrc[intid] |= 1 << sender;
      sent++;
      if (trace !== null) trace.push(t);
      this.updateCore(t);
    }
    this.stats.sgiWrites[sender]++;
    this.stats.sgisSent[sender] += sent;
    if (trace !== null) this.onSgi!(sender, trace, intid, BigInt(v >>> 0));
  }

  // ---------------------------------------------------------------- distributor registers

  distRead(off: number, size: number, k: number): number {
    const ci = this.cpus[k];
    if (size === 1) {
      if (off >= 0x400 && off < 0x400 + this.numIrqs) return this.prioOf(ci, off - 0x400);
      if (off >= 0x800 && off < 0x800 + this.numIrqs) return this.targetOf(k, off - 0x800);
      if (off >= 0xf10 && off < 0xf30) return ci.sgiSrc[(off - 0xf10) & 15];
      return 0;
    }
    if (size !== 4 || (off & 3) !== 0) return 0;
    switch (off) {
      case 0x000: return this.dctlr;
      case 0x004: return (((this.cpus.length - 1) << 5) | (this.words - 1)) >>> 0;
      case 0x008: return IIDR_DIST;
      default: break;
    }
    if (off >= 0x080 && off < 0x400) {
      const n = (off & 0x7f) >>> 2;
      if (n >= this.words) return 0;
      if (n === 0) {
        switch (off & ~0x7f) {
          case 0x080: return ci.group >>> 0;
          case 0x100: case 0x180: return ci.enable >>> 0;
          case 0x200: case 0x280: return (ci.sgiPendBits() | ci.pend | (ci.level & ~ci.edge)) >>> 0;
          case 0x300: case 0x380: return ci.active >>> 0;
          default: return 0;
        }
      }
      switch (off & ~0x7f) {
        case 0x080: return this.group[n] >>> 0;
        case 0x100: case 0x180: return this.enable[n] >>> 0;
        case 0x200: case 0x280: return (this.pend[n] | (this.level[n] & ~this.edge[n])) >>> 0;
        case 0x300: case 0x380: return this.active[n] >>> 0;
        default: return 0;
      }
    }
    if ((off >= 0x400 && off < 0x800) || (off >= 0x800 && off < 0xc00) || (off >= 0xf10 && off < 0xf30)) {
      let v = 0;
      for (let b = 3; b >= 0; b--) v = (v << 8) | this.distRead(off + b, 1, k);
      return v >>> 0;
    }
    if (off >= 0xc00 && off < 0xd00) {
      const first = (off - 0xc00) * 4;
      if (first >= this.numIrqs) return 0;
      if (first < 32) return edgeToCfg((ci.edge >>> first) & 0xffff);
      return edgeToCfg((this.edge[first >>> 5] >>> (first & 16)) & 0xffff);
    }
    if (off >= 0xfd0) return idReg(off);
    return 0; // NSACR (no security extensions), SGIR (write-only), reserved
  }

  private prioOf(ci: GicV2Cpu, id: number): number { return id < 32 ? ci.prio[id] : this.prio[id]; }
  private targetOf(k: number, id: number): number {
    if (this.cpus.length === 1) return 0; // uniprocessor: ITARGETSR RAZ/WI (IHI 0048B 4.3.12)
    return id < 32 ? 1 << k : this.targets[id];
  }

  distWrite(off: number, size: number, v: number, k: number): void {
    const ci = this.cpus[k];
    if (size === 1) {
      if (off >= 0x400 && off < 0x400 + this.numIrqs) {
        const id = off - 0x400;
        if (id < 32) ci.prio[id] = v; else this.prio[id] = v;
      } else if (off >= 0x820 && off < 0x800 + this.numIrqs) {
        if (this.cpus.length > 1) this.targets[off - 0x800] = v;
      } else if (off >= 0xf10 && off < 0xf30) {
        const i = (off - 0xf10) & 15;
        if (off < 0xf20) ci.sgiSrc[i] &= ~v; else ci.sgiSrc[i] |= v;
      } else return;
      this.updateAll();
      return;
    }
    if (size !== 4 || (off & 3) !== 0) return;
    if (off === 0x000) { this.dctlr = v & 3; this.updateAll(); return; }
    if (off === 0xf00) { this.generateSgi(k, v); return; }
    if (off >= 0x080 && off < 0x400) {
      const n = (off & 0x7f) >>> 2;
      if (n >= this.words) return;
      if (n === 0) {
        const ppi = 0xffff0000 | 0; // SGI enables are fixed; SGI pending is per source (S/CPENDSGIR)
        switch (off & ~0x7f) {
          case 0x080: ci.group = v; break;
          case 0x100: ci.enable |= v & ppi; break;
          case 0x180: ci.enable &= ~(v & ppi); break;
          case 0x200: ci.pend |= v & ppi; break;
          case 0x280: ci.pend &= ~(v & ppi); break;
          case 0x300: ci.active |= v; break;
          case 0x380: ci.active &= ~v; break;
          default: return;
        }
        this.updateCore(k);
        return;
      }
      if (writeSpiBitmap(this, off & ~0x7f, n, v)) this.updateAll();
      return;
    }
    if ((off >= 0x400 && off < 0x800) || (off >= 0x820 && off < 0xc00) || (off >= 0xf10 && off < 0xf30)) {
      for (let b = 0; b < 4; b++) this.distWrite(off + b, 1, (v >>> (8 * b)) & 0xff, k);
      return;
    }
    if (off >= 0xc00 && off < 0xd00) {
      const first = (off - 0xc00) * 4;
      if (first < 16 || first >= this.numIrqs) return; // ICFGR0 (SGIs) is read-only
      if (first === 16) ci.edge = (ci.edge & 0xffff) | (cfgToEdge(v) << 16);
      else {
        const w = first >>> 5, sh = first & 16;
        this.edge[w] = (this.edge[w] & ~(0xffff << sh)) | (cfgToEdge(v) << sh);
      }
      this.updateAll();
    }
  }

  // ---------------------------------------------------------------- CPU interface registers

  cpuRead(off: number, size: number, k: number): number {
    if (size !== 4 || (off & 3) !== 0) return 0;
    const ci = this.cpus[k];
    switch (off) {
      case 0x00: return ci.ctlr;
      case 0x04: return ci.pmr;
      case 0x08: return ci.bpr;
      case 0x0c: return this.acknowledge(k);
      case 0x14: { const rp = ci.runningPriority(); return rp > 0xff ? 0xff : rp; }
      case 0x18: {
        this.updateCore(k);
        if (ci.hppiPrio >= ci.pmr) return INTID_SPURIOUS; // QEMU applies the priority mask here too
        if (ci.hppiGrp === 1 && (ci.ctlr & CTLR_ACKCTL) === 0) return 1022;
        const id = ci.hppiId;
        return id < 16 ? id | (ctz(ci.sgiSrc[id]) << 10) : id;
      }
      case 0x1c: return (ci.ctlr & CTLR_CBPR) !== 0 ? Math.min(ci.bpr + 1, 7) : ci.abpr;
      case 0x20: case 0x28: return 0; // AIAR, AHPPIR: RAZ without security extensions (QEMU 7.2)
      case 0xfc: return IIDR_CPU;
      default: break;
    }
    if (off >= 0xd0 && off < 0xe0) return ci.apr[(off - 0xd0) >>> 2] >>> 0;
    return 0; // NSAPR (no security extensions), write-only registers, reserved
  }

  cpuWrite(off: number, size: number, v: number, k: number): void {
    if (size !== 4 || (off & 3) !== 0) return;
    const ci = this.cpus[k];
    switch (off) {
      case 0x00: ci.ctlr = v & CTLR_MASK; break;
      case 0x04: ci.pmr = v & 0xff; break;
      case 0x08: ci.bpr = Math.max(v & 7, MIN_BPR); break;
      case 0x10: this.endOfInterrupt(k, v); return; // AEOIR (0x24): WI, as AIAR
      case 0x1c: if ((ci.ctlr & CTLR_CBPR) === 0) ci.abpr = Math.max(v & 7, MIN_ABPR); break;
      case 0x1000: { // GICC_DIR: only with EOImode = 1
        const id = v & 0x3ff;
        if ((ci.ctlr & CTLR_EOIMODE) === 0 || id >= this.numIrqs) return;
        this.deactivate(k, id);
        break;
      }
      default:
        if (off >= 0xd0 && off < 0xe0) { ci.apr[(off - 0xd0) >>> 2] = v; break; }
        return;
    }
    this.updateCore(k);
  }
}

/** CoreSight ID registers at 0xFD0..0xFFC: PIDR4-7, PIDR0-3, CIDR0-3 (PIDR2.ArchRev = 2). */
const ID_REGS = [0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1];
function idReg(off: number): number {
  return ID_REGS[(off - 0xfd0) >>> 2] ?? 0;
}
