// The board: a QEMU-virt-compatible machine (shared/platform.md). It owns RAM, the bus and its devices,
// the cores, and the deterministic scheduler.
//
// Scheduling: cores run one at a time, round-robin, each for an instruction quantum. With a --seed
// other than 0 the order of cores and the length of each quantum vary per round, drawn from a PRNG
// seeded by it, so different seeds explore different interleavings and the same seed repeats one.
// Time is virtual: a round advances the counter by its longest quantum (one tick per instruction at
// CNTFRQ = 62.5 MHz), and a core reading the counter mid-quantum sees the round's start plus what it
// has retired so far. A core woken by another one mid-round (SEV, a store that clears its monitor,
// an SGI, CPU_ON) starts, if it runs later in that round, at its waker's time, not the round's start,
// so that nothing it does comes before what woke it. When every core sleeps, time jumps to the next
// timer deadline.

import { Cpu, CpuEnv, Flow, Sleep } from '../cpu/cpu.js';
import { Decoder } from '../cpu/decoder.js';
import { CodeCache } from '../cpu/codecache.js';
import { GlobalMonitor } from '../cpu/monitor.js';
import { A64_TABLE } from '../cpu/a64/index.js';
import { Ram } from '../mem/ram.js';
import { Bus } from '../mem/bus.js';
import { Pl011 } from '../devices/pl011.js';
import { Semihosting, SEMIHOSTING_HLT_IMM } from '../devices/semihosting.js';
import { psciCall, PowerControl, affinity } from '../devices/psci.js';
import { GicV3, GICD_SIZE, takeInterrupt, interruptTarget } from '../gic/gicv3.js';
import { GicV2, GICV2_DIST_SIZE, GICV2_CPU_SIZE, GICV2_MAX_CPUS } from '../gic/gicv2.js';
import { GenericTimer } from '../devices/timer.js';
import { serialize, virtDeviceTree } from './dtb.js';
import { EXIT_DEADLOCK, EXIT_GUEST_FAULT, EXIT_MAX_INSNS } from './exit.js';
import type { Tracer } from '../trace/tracer.js';
import type { WakeCause } from '../trace/events.js';

export const RAM_BASE = 0x4000_0000;
export const GICD_BASE = 0x0800_0000;
export const GICR_BASE = 0x080a_0000;
/** GICv2 CPU interface (QEMU virt, gic-version=2). */
export const GICC_BASE = 0x0801_0000;
export const GICR_STRIDE = 0x2_0000;
export const UART0_BASE = 0x0900_0000;
export const UART0_SPI = 1; // INTID 33
/** Generic counter frequency, as QEMU 7.2 reports in CNTFRQ_EL0. */
export const CNTFRQ = 62_500_000;
export const MAX_CORES = 64;
export const MAX_RAM_MIB = 3072; // keeps every RAM address below 2^32

export interface MachineOptions {
  smp?: number;
  /** Clusters: MPIDR Aff1 = cluster, Aff0 = core in cluster. 0/undefined: QEMU's Aff0 = n % 16. */
  clusters?: number;
  ramMiB?: number;
  semihosting?: boolean;
  /** Instructions a core runs before the scheduler moves on (the mean, with a seed). */
  quantum?: number;
  /** 0: fixed round-robin; otherwise varies quantum lengths and order reproducibly. */
  seed?: number;
  /** Stop after this many instructions in total (exit status 124). */
  maxInsns?: number;
  /** Start the boot core at EL2 with PSCI over SMC, as QEMU's virtualization=on. */
  startEl?: 1 | 2;
  bootargs?: string;
  /** 3 (default): GICv3 with redistributors and ICC_* registers; 2: GICv2 (at most 8 cores), as QEMU's
   * virt with gic-version=2. */
  gicVersion?: 2 | 3;
  /** Bytes the guest writes to the UART or semihosting console. */
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export type StopCause = 'guest' | 'fault' | 'max-insns' | 'deadlock';

export interface RunResult {
  status: number;
  /** Who ended the run: the guest (semihosting exit, PSCI), or the emulator (fault, limit, deadlock). */
  cause: StopCause;
  reason: string;
  instructions: number;
}

export interface MachineStats {
  exceptions: number[];
  wfeSleeps: number[];
  psciCalls: number;
}

let sharedDecoder: Decoder | undefined;
/** One decoder per process: the table is compiled once. */
export function a64Decoder(): Decoder {
  sharedDecoder ??= new Decoder(A64_TABLE, (c: Cpu) => c.undefinedInstruction());
  return sharedDecoder;
}

/** MPIDR_EL1 of core k (bit 31 set: the multiprocessor extensions format). */
export function mpidrFor(k: number, smp: number, clusters: number): number {
  if (clusters > 1) {
    const per = Math.ceil(smp / clusters);
    return (0x8000_0000 | (Math.floor(k / per) << 8) | (k % per)) >>> 0;
  }
  return (0x8000_0000 | ((k >> 4) << 8) | (k & 15)) >>> 0;
}

export class Machine {
  readonly ram: Ram;
  readonly bus: Bus;
  readonly code: CodeCache;
  readonly monitor: GlobalMonitor;
  readonly cores: Cpu[] = [];
  readonly uart: Pl011;
  readonly gic: GicV3 | GicV2;
  readonly timers: GenericTimer[] = [];
  readonly semihosting: Semihosting;
  readonly opts: Required<Omit<MachineOptions, 'stdout' | 'stderr'>>;
  readonly stats: MachineStats;
  maxInsns: number;
  /** Total retired instructions over all cores. */
  instructions = 0;
  /** Virtual time (counter ticks) at the start of the current round. */
  time = 0;
  /** Per core, where in the current round its quantum starts (ticks after `time`): non-zero only for
   * a core another one woke earlier in the round. */
  private readonly startOffset: number[];
  /** Per core, where in the current round its quantum ended (0 if it has not run in this round). */
  private readonly doneAt: number[];
  /** The core executing now, or null between quanta. */
  private runningCore: Cpu | null = null;
  /** Host input (the UART's receive line) may still arrive: set by the CLI while stdin is open. */
  inputOpen = false;
  /** Symbolizer for reports (set by the loader when the image has symbols). */
  symbolize: (addr: number) => string | undefined = () => undefined;
  /** Device-tree blob for this run and where it was placed. */
  dtb: Uint8Array;
  dtbAddr = RAM_BASE;
  /** The trace event stream, or null (set with setTracer). */
  tracer: Tracer | null = null;
  private stopResult: RunResult | null = null;
  private readonly out: (b: Uint8Array) => void;
  private readonly err: (b: Uint8Array) => void;
  private rng: number;
  private readonly order: number[];

  constructor(opts: MachineOptions = {}) {
    const smp = opts.smp ?? 1;
    if (!Number.isInteger(smp) || smp < 1 || smp > MAX_CORES) throw new RangeError(`--smp must be 1 to ${MAX_CORES}`);
    const ramMiB = opts.ramMiB ?? 256;
    if (!Number.isInteger(ramMiB) || ramMiB < 1 || ramMiB > MAX_RAM_MIB) throw new RangeError(`-m must be 1 to ${MAX_RAM_MIB} MiB`);
    const clusters = opts.clusters ?? 0;
    if (!Number.isInteger(clusters) || clusters < 0 || clusters > smp) throw new RangeError('--clusters must be between 1 and the number of cores');
    this.opts = {
      smp, clusters, ramMiB,
      semihosting: opts.semihosting ?? true,
      quantum: opts.quantum ?? 1000,
      seed: opts.seed ?? 0,
      maxInsns: opts.maxInsns ?? Infinity,
      startEl: opts.startEl ?? 1,
      bootargs: opts.bootargs ?? '',
      gicVersion: opts.gicVersion ?? 3,
    };
    if (this.opts.gicVersion !== 2 && this.opts.gicVersion !== 3) throw new RangeError('--gic-version must be 2 or 3');
    if (this.opts.gicVersion === 2 && smp > GICV2_MAX_CPUS) throw new RangeError(`--smp ${smp}: a GICv2 serves at most ${GICV2_MAX_CPUS} cores`);
    if (!(this.opts.quantum >= 1)) throw new RangeError('--quantum must be at least 1');
    this.maxInsns = this.opts.maxInsns;
    this.rng = (this.opts.seed >>> 0) || 1;
    this.order = Array.from({ length: smp }, (_, k) => k);
    this.out = opts.stdout ?? ((b) => process.stdout.write(b));
    this.err = opts.stderr ?? ((b) => process.stderr.write(b));
    this.stats = { exceptions: new Array(smp).fill(0), wfeSleeps: new Array(smp).fill(0), psciCalls: 0 };

    this.ram = new Ram(RAM_BASE, ramMiB * 1024 * 1024);
    this.bus = new Bus(this.ram);
    this.code = new CodeCache(this.ram);
    this.monitor = new GlobalMonitor(smp);
    this.uart = new Pl011((b) => {
      if (this.tracer !== null) { const c = this.tracer.cur ?? this.cores[0]; this.tracer.uart(c.id, b, c.el); }
      this.out(Uint8Array.of(b));
    });
    this.bus.map(UART0_BASE, 0x1000, this.uart);
    this.semihosting = new Semihosting({
      write: (bytes, stream) => (stream === 2 ? this.err : this.out)(bytes),
      readChar: () => -1,
      exit: (status, reason) => this.stop(status, reason),
      clock: () => Math.floor(this.time / (CNTFRQ / 100)),
    });

    this.startOffset = new Array<number>(smp).fill(0);
    this.doneAt = new Array<number>(smp).fill(0);
    const env = this.makeEnv();
    const decoder = a64Decoder();
    for (let k = 0; k < smp; k++) {
      const c = new Cpu(k, mpidrFor(k, smp, clusters), this.ram, this.bus, this.monitor, decoder, this.code, env);
      c.hasEl2 = this.opts.startEl === 2;
      this.resetCore(c);
      if (k !== 0) c.sleep = Sleep.Off; // secondaries wait for PSCI CPU_ON
      this.cores.push(c);
      this.code.cores.push(c);
    }
    for (const c of this.cores) c.peers = this.cores;
    this.monitor.onClear = (core, by, pa) => {
      if (this.tracer !== null) this.tracer.exclClear(core, pa, by, this.cores[core].el, this.timeFor(this.cores[core]));
      this.wakeEvent(this.cores[core], 'monitor', by);
    };

    // GICv3: distributor, one redistributor per core, and each core's ICC_* interface.
    if (this.opts.gicVersion === 2) {
      // GICv2: distributor and memory-mapped CPU interface; no ICC_* registers.
      const g2 = new GicV2(smp);
      this.gic = g2;
      this.bus.map(GICD_BASE, GICV2_DIST_SIZE, g2.distributor);
      this.bus.map(GICC_BASE, GICV2_CPU_SIZE, g2.cpuInterface);
    } else {
      const g3 = new GicV3(this.cores.map((c) => c.mpidr));
      this.gic = g3;
      this.bus.map(GICD_BASE, GICD_SIZE, g3.distributor);
      this.bus.map(GICR_BASE, g3.redistributorSize, g3.redistributors);
    }
    this.gic.onLineChange = (k) => this.interruptLinesChanged(this.cores[k]);
    this.uart.onIrq = (level) => this.gic.setSpi(32 + UART0_SPI, level);
    for (const c of this.cores) {
      c.gicc = this.gic.cpus[c.id];
      const t = new GenericTimer(c, (core, intid, level) => this.gic.setPpi(core, intid, level));
      t.onEvent = () => this.wakeEvent(c, 'timer');
      c.timer = t;
      this.timers.push(t);
      c.sys.hooks = {
        daifChanged: (cc) => this.interruptLinesChanged(cc),
        isr: (cc) => this.gic.isrBits(cc.id),
        exceptionEntry: (cc) => { this.stats.exceptions[cc.id]++; this.interruptLinesChanged(cc); },
        exceptionReturn: (cc) => this.interruptLinesChanged(cc),
      };
    }

    this.dtb = serialize(virtDeviceTree({
      ramBase: RAM_BASE, ramSize: this.ram.size,
      mpidrs: this.cores.map((c) => c.mpidr & 0xff_ffff),
      gicdBase: GICD_BASE, gicrBase: GICR_BASE, gicrStride: GICR_STRIDE,
      gicVersion: this.opts.gicVersion, giccBase: GICC_BASE,
      uartBase: UART0_BASE, uartSpi: UART0_SPI,
      psciMethod: this.opts.startEl === 2 ? 'smc' : 'hvc',
      bootargs: this.opts.bootargs,
    }));
  }

  /** Architectural reset state: boot EL, SP_ELx selected, interrupts masked, MMU off. */
  private resetCore(c: Cpu): void {
    c.lo.fill(0); c.hi.fill(0);
    c.spLo.fill(0); c.spHi.fill(0);
    c.nzcv = 0;
    c.daif = 0xf;
    c.el = this.opts.startEl; c.spsel = 1;
    c.sys.reset(c);
    c.sys.onTranslationChange(c);
    c.exclPa = -1; c.event = 0;
    this.monitor.clear(c.id);
  }

  /** Place the DTB and set the boot core's registers, as QEMU's -kernel does: the DTB goes to the
   * start of RAM when the image leaves it free, else after the image (2 MiB aligned); a Linux boot
   * gets x0 = the DTB's address. Returns where the DTB went. */
  boot(entry: number, linux: boolean, occupied: readonly { start: number; end: number }[] = []): number {
    const len = this.dtb.length;
    const clash = (a: number) => occupied.some((r) => a < r.end && r.start < a + len);
    let at = RAM_BASE;
    if (linux || clash(at)) at = alignUp(Math.max(RAM_BASE, ...occupied.map((r) => r.end)), 2 * 1024 * 1024);
    if (at + len > RAM_BASE + this.ram.size) throw new RangeError('no room in RAM for the device tree');
    this.dtbAddr = at;
    this.ram.load(at, this.dtb);
    const c = this.cores[0];
    c.pcLo = entry | 0; c.pcHi = Math.floor(entry / 4294967296) | 0;
    if (linux) { c.lo[0] = at | 0; c.hi[0] = 0; }
    return at;
  }

  private makeEnv(): CpuEnv {
    const power: PowerControl = {
      coreByAffinity: (aff) => this.cores.find((c) => affinity(c.mpidr, 0) === aff),
      isOn: (c) => c.sleep !== Sleep.Off,
      powerOn: (c, eLo, eHi, xLo, xHi) => {
        this.resetCore(c);
        this.gic.cpus[c.id].reset();
        this.timers[c.id].reset();
        c.pcLo = eLo; c.pcHi = eHi;
        c.lo[0] = xLo; c.hi[0] = xHi;
        this.wakeUp(c, 'psci', this.runningCore?.id);
      },
      powerOff: (c) => { c.sleep = Sleep.Off; c.flow = Flow.Exit; if (this.tracer !== null) this.tracer.sleep(c.id, 'off', c.el); },
      standby: (c) => { c.sleep = Sleep.WFI; c.nextAndExit(); if (this.tracer !== null) this.tracer.sleep(c.id, 'psci', c.el); },
      systemOff: () => this.stop(0, 'PSCI SYSTEM_OFF'),
      systemReset: () => this.stop(0, 'PSCI SYSTEM_RESET'),
      validEntry: (lo, hi) => hi === 0 && (lo >>> 0) >= RAM_BASE && (lo >>> 0) < RAM_BASE + this.ram.size,
      onCall: (c, fn, result) => {
        this.stats.psciCalls++;
        if (this.tracer !== null) this.tracer.psci(c.id, fn, result, c.el);
      },
    };
    return {
      hlt: (c, imm) => {
        if (imm !== SEMIHOSTING_HLT_IMM || !this.opts.semihosting) return false;
        this.semihosting.call(c);
        return true;
      },
      // PSCI is reached through HVC when booting at EL1, through SMC when booting at EL2.
      callFirmware: (c, smc) => (smc === (this.opts.startEl === 2)) && psciCall(c, power),
      sendEvent: (from) => { for (const c of this.cores) this.wakeEvent(c, 'sev', from.id); },
      takeInterrupt: (c) => takeInterrupt(c),
      fatal: (c, message) => this.stop(EXIT_GUEST_FAULT, `core ${c.id} at ${this.where(c)}: ${message}`, 'fault'),
      counter: (c) => this.time + this.startOffset[c.id] + c.retiredInRun,
    };
  }

  /** The GIC's IRQ/FIQ outputs for core c, or its PSTATE masks, changed: WFI wakes on any pending
   * interrupt, masked or not; WFE and the run loop only on one that can be taken now. */
  interruptLinesChanged(c: Cpu): void {
    const g = c.gicc;
    if (g === null) return;
    if (c.sleep === Sleep.Off) { c.irqPending = false; return; }
    const deliverable = (g.irq && interruptTarget(c, false) > 0) || (g.fiq && interruptTarget(c, true) > 0);
    c.irqPending = deliverable;
    if (c.sleep === Sleep.WFI && (g.irq || g.fiq)) this.wakeUp(c, 'irq');
    else if (c.sleep === Sleep.WFE && deliverable) this.wakeUp(c, 'irq');
  }

  private wakeUp(c: Cpu, cause: WakeCause, by?: number): void {
    c.sleep = Sleep.Running;
    const w = this.runningCore;
    if (w !== null && w !== c) this.startOffset[c.id] = Math.max(this.startOffset[c.id], this.startOffset[w.id] + w.retiredInRun);
    if (this.tracer !== null) this.tracer.wake(c.id, cause, by, c.el, this.timeFor(c));
  }

  /** The time of something the running core (or, between quanta, the board) does to core c: the
   * running core's clock, but not before c's own (c may have run further into this round already). */
  private timeFor(c: Cpu): number {
    const w = this.runningCore;
    const now = w === null ? this.time : this.time + this.startOffset[w.id] + w.retiredInRun;
    return Math.max(now, this.time + this.doneAt[c.id]);
  }

  /** Set a core's event register; a core asleep in WFE wakes (and consumes the event). */
  wakeEvent(c: Cpu, cause: WakeCause = 'event', by?: number): void {
    if (c.sleep === Sleep.WFE) { this.wakeUp(c, cause, by); c.event = 0; }
    else if (c.sleep === Sleep.Running) c.event = 1;
  }

  /** Turn tracing on (every core, the GIC's SGI and acknowledge hooks) or off (null). The caller
   * closes the tracer after the run. */
  setTracer(t: Tracer | null): void {
    this.tracer = t;
    for (const c of this.cores) c.setTracer(t);
    if (t === null) { this.gic.onSgi = null; this.gic.onAck = null; return; }
    this.gic.onSgi = (sender, targets, intid, raw) => t.sgi(sender, targets, intid, raw, this.cores[sender].el);
    this.gic.onAck = (core, intid) => t.ack(core, intid, this.cores[core].el);
  }

  /** End the run with this status (first caller wins). */
  stop(status: number, reason: string, cause: StopCause = 'guest'): void {
    if (this.stopResult === null) this.stopResult = { status, cause, reason, instructions: 0 };
    for (const c of this.cores) { c.flow = Flow.Exit; c.halt = true; } // leave the inner loop at once, and run()
  }

  get stopped(): boolean { return this.stopResult !== null; }
  get result(): RunResult | null { return this.stopResult && { ...this.stopResult, instructions: this.instructions }; }

  /** xorshift32: small, fast and identical on every host. */
  private next(): number {
    let x = this.rng;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  /** One scheduling round. Returns the instructions retired. */
  step(): number {
    const cores = this.cores, order = this.order, q = this.opts.quantum;
    const seeded = this.opts.seed !== 0;
    if (seeded) {
      for (let k = order.length - 1; k > 0; k--) { // Fisher-Yates with the run's PRNG
        const j = this.next() % (k + 1);
        const t = order[k]; order[k] = order[j]; order[j] = t;
      }
    }
    let ran = 0, longest = 0;
    for (let k = 0; k < order.length && this.stopResult === null; k++) {
      const c = cores[order[k]];
      if (c.sleep !== Sleep.Running) continue;
      let budget = seeded ? 1 + (this.next() % (2 * q)) : q;
      budget = Math.min(budget, this.maxInsns - this.instructions);
      if (budget <= 0) break;
      this.runningCore = c;
      const n = c.run(budget);
      this.runningCore = null;
      c.retiredInRun = 0;
      this.instructions += n;
      ran += n;
      const end = this.startOffset[c.id] + n;
      this.doneAt[c.id] = end;
      if (end > longest) longest = end;
    }
    this.startOffset.fill(0);
    this.doneAt.fill(0);
    this.time += longest;
    for (const t of this.timers) t.update(this.time);
    return ran;
  }

  /** Every core is asleep: jump virtual time to the next timer deadline or event-stream tick. Returns
   * false when nothing is armed, so nothing can ever wake a core. */
  private skipToNextDeadline(): boolean {
    let next = Infinity;
    for (const c of this.cores) {
      if (c.sleep !== Sleep.WFE && c.sleep !== Sleep.WFI) continue;
      const t = this.timers[c.id];
      next = Math.min(next, t.nextDeadline());
      if (c.sleep === Sleep.WFE) next = Math.min(next, t.nextEventStream()); // events wake WFE only
    }
    if (next === Infinity) return false;
    if (next > this.time) this.time = next;
    for (const t of this.timers) t.update(this.time);
    return true;
  }

  /** Run until the guest exits, faults, deadlocks or reaches maxInsns. */
  run(): RunResult {
    while (this.stopResult === null) if (!this.stepChecked()) this.stopDeadlocked();
    return this.result!;
  }

  /** As run(), but yields to the event loop now and then so host input (UART RX) can arrive; while
   * every core sleeps waiting for that input, it polls every 10 ms of host time. */
  async runAsync(sliceInsns = 1 << 22): Promise<RunResult> {
    while (this.stopResult === null) {
      const target = this.instructions + sliceInsns;
      let idle = false;
      while (this.stopResult === null && this.instructions < target) {
        const before = this.instructions, time = this.time;
        if (!this.stepChecked()) { this.stopDeadlocked(); break; }
        if (this.instructions === before && this.time === time) { idle = true; break; } // waiting for input
      }
      await new Promise((r) => (idle ? setTimeout(r, 10) : setImmediate(r)));
    }
    return this.result!;
  }

  /** One scheduling round, then the instruction limit (which stops the run) and, when every core
   * sleeps, the skip to the next timer deadline. Returns false when every core sleeps and nothing
   * can wake one; the machine is left as it is, for the caller to report. */
  stepChecked(): boolean {
    const ran = this.step();
    if (this.stopResult !== null) return true;
    if (this.instructions >= this.maxInsns) {
      this.stop(EXIT_MAX_INSNS, `instruction limit of ${this.maxInsns} reached; ${this.corePcs()}`, 'max-insns');
      return true;
    }
    if (ran !== 0 || this.cores.some((c) => c.sleep === Sleep.Running)) return true;
    if (this.uart.rxPending || this.skipToNextDeadline()) return true;
    return this.inputOpen && this.uart.rxInterruptEnabled; // a keystroke can still wake the guest
  }

  private stopDeadlocked(): void {
    this.stop(EXIT_DEADLOCK, `deadlock: every core is asleep and nothing can wake one; ${this.corePcs()}`, 'deadlock');
  }

  where(c: Cpu): string {
    const pc = (c.pcHi >>> 0) * 4294967296 + (c.pcLo >>> 0);
    const sym = this.symbolize(pc);
    return `pc=0x${pc.toString(16)}${sym ? ` <${sym}>` : ''}`;
  }

  corePcs(): string {
    return this.cores.map((c) => `core ${c.id} ${this.where(c)} ${SLEEP_NAMES[c.sleep]}`).join('; ');
  }
}

const SLEEP_NAMES = ['running', 'asleep in WFE (no event)', 'asleep in WFI (no interrupt)', 'powered off', 'halted'];

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}
