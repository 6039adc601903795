// The board: a QEMU-virt-compatible machine (shared/platform.md). It owns RAM, the bus and its devices,
// the cores, and the deterministic scheduler.
//
// Scheduling: cores run one at a time, round-robin, each for an instruction quantum. With a --seed
// other than 0 the order of cores and the length of each quantum vary per round, drawn from a PRNG
// seeded by it, so different seeds explore different interleavings and the same seed repeats one.
// Time is virtual: one tick per instruction at CNTFRQ = 62.5 MHz. Each core has its own clock within
// a round (roundClock): a core's quantum starts at the round's start, and a core reading the counter
// mid-quantum sees its clock plus what it has retired so far. Time is causal for everything one core
// does to another that the board sees (touch): an SGI or any other change of its interrupt state,
// SEV, a store that clears its exclusive monitor, PSCI CPU_ON. Such an effect is dated at the acting
// core's clock (but not before the affected core's own), and the affected core's clock moves up to
// it, so that if it runs later in the round it starts there: nothing it does comes before its cause.
// A round then advances time by the latest clock. Plain memory is not tracked: a core later in the
// order may read at an earlier time what another core wrote. When every core sleeps, time jumps to
// the next timer deadline.
//
// A core running alone (the others asleep or off) in the fixed schedule runs up to roundsPerRun rounds
// in one Cpu.run (per-run costs are much of a round's when code is translated). That is the same
// execution, instruction for instruction: between rounds the board only evaluates timers and the RTC
// and the core takes a deliverable interrupt at a run's start, and a sleeping core only wakes by an
// interrupt or an event; so the batch ends at the first round where a timer deadline or event-stream
// tick of any core or the RTC's alarm falls (known at its start, or set within: Cpu.endRoundAt), or
// where the core's interrupt became deliverable or it woke another core (Cpu.endRound).

import { Cpu, CpuEnv, Flow, Sleep } from '../cpu/cpu.js';
import { Decoder } from '../cpu/decoder.js';
import { CodeCache } from '../cpu/codecache.js';
import { Translator, TranslationStats } from '../cpu/translator/translator.js';
import { GlobalMonitor } from '../cpu/monitor.js';
import { toBigInt } from '../cpu/int64.js';
import { A64_TABLE } from '../cpu/a64/index.js';
import { Ram } from '../mem/ram.js';
import { Bus } from '../mem/bus.js';
import { Pl011 } from '../devices/pl011.js';
import { Semihosting, SEMIHOSTING_HLT_IMM } from '../devices/semihosting.js';
import { psciCall, PowerControl, affinity } from '../devices/psci.js';
import { GicV3, GICD_SIZE, takeInterrupt, interruptTarget } from '../gic/gicv3.js';
import { GicV3Its, ITS_SIZE } from '../gic/its.js';
import { GicV2, GICV2_DIST_SIZE, GICV2_CPU_SIZE, GICV2_MAX_CPUS } from '../gic/gicv2.js';
import { GenericTimer } from '../devices/timer.js';
import { PMU_INTID } from '../cpu/pmu/pmu.js';
import { Pl031, RTC_DEFAULT_BASE } from '../devices/pl031.js';
import { Prng, PRNG_STREAM_CHOSEN, PRNG_STREAM_VIRTIO_RNG } from '../devices/prng.js';
import { VirtioMmio, VirtioDevice, VIRTIO_MMIO_BASE, VIRTIO_MMIO_COUNT, VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SPI } from '../devices/virtio/mmio.js';
import { VirtioBlk } from '../devices/virtio/blk.js';
import { VirtioRng } from '../devices/virtio/rng.js';
import { VirtioConsole } from '../devices/virtio/console.js';
import type { Disk } from '../devices/virtio/disk.js';
import { ParsedDtb, parseDtb, patchForBoot, serialize, virtDeviceTree } from './dtb.js';
import { ExceptionLoopDetector } from './excloop.js';
import { EXIT_DEADLOCK, EXIT_GUEST_FAULT, EXIT_MAX_INSNS } from './exit.js';
import type { Tracer } from '../trace/tracer.js';
import { MemoryModel, MemoryModelName, PRNG_STREAM_MEMMODEL } from '../memory-model/model.js';
import type { WakeCause } from '../trace/events.js';

export const RAM_BASE = 0x4000_0000;
/** Most scheduling rounds one core runs in one Cpu.run by default (Machine.roundsPerRun). */
const MAX_ROUNDS = 64;
export const GICD_BASE = 0x0800_0000;
export const GICR_BASE = 0x080a_0000;
/** GICv3 ITS (QEMU virt: its=on with gic-version=3). */
export const GITS_BASE = 0x0808_0000;
/** GICv2 CPU interface (QEMU virt, gic-version=2). */
export const GICC_BASE = 0x0801_0000;
export const GICR_STRIDE = 0x2_0000;
export const UART0_BASE = 0x0900_0000;
export const UART0_SPI = 1; // INTID 33
export const RTC_BASE = 0x0901_0000;
export const RTC_SPI = 2; // INTID 34
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
  /** 0: fixed round-robin; otherwise varies quantum lengths and order reproducibly. Any integer in
   * [0, 2^64) (a bigint above 2^53); every seed gives its own sequence. */
  seed?: number | bigint;
  /** Stop after this many instructions in total (exit status 124). */
  maxInsns?: number;
  /** 'sc' (default): sequential consistency. 'arm': RAM accesses follow the weak Armv8 memory model
   * (emu/memory-model/), the seed choosing which allowed behaviour happens; the default quantum is
   * then 100. */
  memoryModel?: MemoryModelName;
  /** Start the boot core at EL2 with PSCI over SMC, as QEMU's virtualization=on. */
  startEl?: 1 | 2;
  bootargs?: string;
  /** PL031 RTC: its count at the start of the run, in seconds since 1970 (default 2024-01-01). */
  rtcBase?: number;
  /** PL031 RTC: count host wall-clock time (QEMU's -rtc clock=host) instead of virtual time. */
  rtcHost?: boolean;
  /** virtio devices, in the order QEMU's -device options would name them: the first gets the
   * highest-address transport (0x0a003e00), the next the one below, as QEMU's virt board assigns. */
  virtio?: VirtioSpec[];
  /** PSCI SYSTEM_RESET ends the run (status 0) instead of restarting the machine (QEMU's -no-reboot). */
  noReboot?: boolean;
  /** 3 (default): GICv3 with redistributors and ICC_* registers; 2: GICv2 (at most 8 cores), as QEMU's
   * virt with gic-version=2. */
  gicVersion?: 2 | 3;
  /** Translate hot guest code (emu/cpu/translator; jitBackend says into what); default true. Results
   * are the interpreter's either way; false interprets only (--no-jit). */
  jit?: boolean;
  /** The translator's back end: 'wasm' (default: WebAssembly functions, RAM and the cores' registers
   * in a WebAssembly memory) or 'js' (JavaScript functions). Results are the same (--jit-backend). */
  jitBackend?: 'wasm' | 'js';
  /** Bytes the guest writes to the UART or semihosting console. */
  stdout?: (bytes: Uint8Array) => void;
  /** The UART's bytes one at a time, instead of through stdout as arrays of one (for a sink that
   * buffers: a guest printing a lot writes a byte per instruction). */
  stdoutByte?: (byte: number) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export type VirtioSpec = { type: 'blk'; disk: Disk } | { type: 'rng' } | { type: 'console' };

/** Files a boot places besides the image (see Machine.boot). */
export interface BootFiles {
  /** An initial RAM disk (QEMU's -initrd), announced in /chosen. */
  initrd?: Uint8Array;
  /** A device tree blob to boot with instead of the generated one (QEMU's -dtb). */
  dtb?: Uint8Array;
  /** End of the kernel's claimed memory (load address + image_size): the initrd goes above it. */
  imageEnd?: number;
}

/** 'user': the person at the console quit (Ctrl-A x). */
export type StopCause = 'guest' | 'fault' | 'max-insns' | 'deadlock' | 'user';

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
  /** The block translator shared by the cores, or null with jit: false. */
  readonly translator: Translator | null;
  readonly monitor: GlobalMonitor;
  /** The weak memory model under --memory-model arm, else null. */
  readonly memModel: MemoryModel | null = null;
  readonly cores: Cpu[] = [];
  readonly uart: Pl011;
  readonly gic: GicV3 | GicV2;
  /** The GICv3's ITS (null with a GICv2). */
  readonly its: GicV3Its | null = null;
  readonly timers: GenericTimer[] = [];
  readonly semihosting: Semihosting;
  readonly opts: Required<Omit<MachineOptions, 'stdout' | 'stdoutByte' | 'stderr' | 'rtcBase' | 'rtcHost' | 'virtio'>>;
  readonly rtc: Pl031;
  /** The 32 virtio-mmio transports, lowest address first. */
  readonly virtio: VirtioMmio[] = [];
  readonly stats: MachineStats;
  maxInsns: number;
  /** Total retired instructions over all cores. */
  instructions = 0;
  /** Virtual time (counter ticks) at the start of the current round. */
  time = 0;
  /** Most scheduling rounds one core runs in one Cpu.run (see the top of this file): long enough that
   * a run's fixed costs vanish, short enough for host input to be seen promptly. 1: a run per round
   * (the same execution, more slowly; tests compare the two). */
  roundsPerRun = MAX_ROUNDS;
  /** Per core, its clock in the current round (ticks after `time`): where its quantum starts (0, or
   * later when another core touched it first), then where it ended, or later when touched since. */
  private readonly roundClock: number[];
  /** The core executing now, or null between quanta. */
  private runningCore: Cpu | null = null;
  /** Host input (the UART's receive line) may still arrive: set by the CLI while stdin is open. */
  inputOpen = false;
  /** Symbolizer for reports (set by the loader when the image has symbols). */
  symbolize: (addr: bigint) => string | undefined = () => undefined;
  /** Device-tree blob for this run and where it was placed. */
  dtb: Uint8Array;
  dtbAddr = RAM_BASE;
  /** What boot() loaded (images, initrd, DTB), copied in again at a system reset (QEMU's ROM blobs). */
  private rom: { addr: number; bytes: Uint8Array }[] = [];
  private bootEntry = RAM_BASE;
  private bootLinux = false;
  private resetPending = false;
  /** PSCI SYSTEM_RESETs so far. */
  resets = 0;
  /** Watches synchronous exception entries for a vector that faults again and again. */
  readonly excLoop: ExceptionLoopDetector;
  /** The trace event stream, or null (set with setTracer). */
  tracer: Tracer | null = null;
  private stopResult: RunResult | null = null;
  private readonly out: (b: Uint8Array) => void;
  private readonly outByte: (b: number) => void;
  private readonly err: (b: Uint8Array) => void;
  private rng = 1;
  /** The high half of the xorshift64 state, used when `wide` (a seed from 2^32; below, xorshift32). */
  private rngHi = 0;
  private wide = false;
  private seeded = false;
  private readonly order: number[];
  /** Set by an instruction hook (gdb) just before its before() returns true: step() then keeps its
   * place in the round (roundPos) and returns, and the next step() resumes exactly there. */
  pauseRequested = false;
  /** Guest output is dropped (gdb re-running recorded history: it was shown the first time). */
  quiet = false;
  /** Mid-round position while paused: index in `order`, that core's remaining budget, and the round's
   * tally so far; roundPos -1: between rounds. */
  private roundPos = -1;
  private roundBudget = 0;
  private roundRan = 0;
  private roundLongest = 0;

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
      quantum: opts.quantum ?? (opts.memoryModel === 'arm' ? 100 : 1000),
      memoryModel: opts.memoryModel ?? 'sc',
      seed: opts.seed ?? 0,
      maxInsns: opts.maxInsns ?? Infinity,
      startEl: opts.startEl ?? 1,
      bootargs: opts.bootargs ?? '',
      noReboot: opts.noReboot ?? false,
      gicVersion: opts.gicVersion ?? 3,
      jit: opts.jit ?? true,
      jitBackend: opts.jitBackend ?? 'wasm',
    };
    if (this.opts.jitBackend !== 'wasm' && this.opts.jitBackend !== 'js') throw new RangeError('--jit-backend must be wasm or js');
    if (this.opts.gicVersion !== 2 && this.opts.gicVersion !== 3) throw new RangeError('--gic-version must be 2 or 3');
    if (this.opts.gicVersion === 2 && smp > GICV2_MAX_CPUS) throw new RangeError(`--smp ${smp}: a GICv2 serves at most ${GICV2_MAX_CPUS} cores`);
    if (!(this.opts.quantum >= 1)) throw new RangeError('--quantum must be at least 1');
    if (this.opts.memoryModel !== 'sc' && this.opts.memoryModel !== 'arm') throw new RangeError('--memory-model must be sc or arm');
    this.maxInsns = this.opts.maxInsns;
    const seed = opts.seed ?? 0;
    if (typeof seed === 'number' ? !Number.isSafeInteger(seed) || seed < 0 : seed < 0n || seed >= 1n << 64n) throw new RangeError('--seed must be an integer from 0 to 2^64-1');
    this.seedScheduler(seed);
    this.order = Array.from({ length: smp }, (_, k) => k);
    this.out = opts.stdout ?? ((b) => process.stdout.write(b));
    this.outByte = opts.stdoutByte ?? ((b) => this.out(Uint8Array.of(b)));
    this.err = opts.stderr ?? ((b) => process.stderr.write(b));
    this.stats = { exceptions: new Array(smp).fill(0), wfeSleeps: new Array(smp).fill(0), psciCalls: 0 };

    // RAM in a WebAssembly memory, with an area per core, for the WebAssembly back end.
    this.ram = new Ram(RAM_BASE, ramMiB * 1024 * 1024, this.opts.jit && this.opts.jitBackend === 'wasm' ? smp : 0);
    this.bus = new Bus(this.ram);
    this.code = new CodeCache(this.ram);
    this.translator = this.opts.jit ? new Translator(this.code, this.ram, this.opts.jitBackend) : null;
    this.monitor = new GlobalMonitor(smp);
    this.uart = new Pl011((b) => {
      if (this.tracer !== null) { const c = this.tracer.cur ?? this.cores[0]; this.tracer.uart(c.id, b, c.el); }
      if (!this.quiet) this.outByte(b);
    });
    this.bus.map(UART0_BASE, 0x1000, this.uart);
    this.semihosting = new Semihosting({
      write: (bytes, stream) => { if (!this.quiet) (stream === 2 ? this.err : this.out)(bytes); },
      readChar: () => -1,
      exit: (status, reason) => this.stop(status, reason),
      clock: () => Math.floor(this.time / (CNTFRQ / 100)),
    });

    this.excLoop = new ExceptionLoopDetector(smp);
    this.roundClock = new Array<number>(smp).fill(0);
    const env = this.makeEnv();
    const decoder = a64Decoder();
    for (let k = 0; k < smp; k++) {
      const c = new Cpu(k, mpidrFor(k, smp, clusters), this.ram, this.bus, this.monitor, decoder, this.code, env);
      c.hasEl2 = this.opts.startEl === 2;
      c.jit = this.translator;
      this.resetCore(c);
      if (k !== 0) c.sleep = Sleep.Off; // secondaries wait for PSCI CPU_ON
      this.cores.push(c);
      this.code.cores.push(c);
    }
    for (const c of this.cores) c.peers = this.cores;
    if (this.opts.memoryModel === 'arm') {
      this.memModel = new MemoryModel(this.ram.dv, this.cores, seed);
      this.memModel.attach();
    }
    this.monitor.onClear = (core, by, pa) => {
      const at = this.touch(this.cores[core]);
      if (this.tracer !== null) this.tracer.exclClear(core, pa, by, this.cores[core].el, at);
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
      this.its = new GicV3Its(g3, this.ram);
      this.bus.map(GITS_BASE, ITS_SIZE, this.its.mmio);
    }
    this.gic.onLineChange = (k) => this.interruptLinesChanged(this.cores[k]);
    this.gic.onUpdate = (k) => { this.touch(this.cores[k]); };
    this.uart.onIrq = (level) => this.gic.setSpi(32 + UART0_SPI, level);
    for (const c of this.cores) {
      c.gicc = this.gic.cpus[c.id];
      const t = new GenericTimer(c, (core, intid, level) => this.gic.setPpi(core, intid, level));
      t.onEvent = () => this.wakeEvent(c, 'timer');
      c.pmu.irq = (level) => this.gic.setPpi(c.id, PMU_INTID, level);
      c.timer = t;
      this.timers.push(t);
      c.sys.hooks = {
        daifChanged: (cc) => this.interruptLinesChanged(cc),
        isr: (cc) => this.gic.isrBits(cc.id),
        exceptionEntry: (cc, target, kind) => {
          this.stats.exceptions[cc.id]++;
          if (kind === 0 && this.excLoop.syncEntry(cc, target)) this.stop(EXIT_GUEST_FAULT, `core ${cc.id}: ${this.excLoop.describe(cc, target)}`, 'fault');
          this.interruptLinesChanged(cc);
        },
        exceptionReturn: (cc) => this.interruptLinesChanged(cc),
      };
    }

    // PL031: virtual time by default (the counter, as the running core sees it), else the host's clock.
    const t0 = Date.now();
    this.rtc = opts.rtcHost
      ? new Pl031({ seconds: () => (Date.now() - t0) / 1000 }, Math.floor(t0 / 1000))
      : new Pl031({ seconds: () => this.now() / CNTFRQ, ticksPerSecond: CNTFRQ }, opts.rtcBase ?? RTC_DEFAULT_BASE);
    this.bus.map(RTC_BASE, 0x1000, this.rtc);
    this.rtc.onIrq = (level) => this.gic.setSpi(32 + RTC_SPI, level);
    this.rtc.onWrite = () => this.runningCore?.endRound(); // an alarm set now fires at a round's end
    this.attachVirtio(opts.virtio ?? []);
    const chosenRng = new Prng(this.opts.seed, PRNG_STREAM_CHOSEN);

    this.dtb = serialize(virtDeviceTree({
      ramBase: RAM_BASE, ramSize: this.ram.size,
      mpidrs: this.cores.map((c) => c.mpidr & 0xff_ffff),
      gicdBase: GICD_BASE, gicrBase: GICR_BASE, gicrStride: GICR_STRIDE,
      gicVersion: this.opts.gicVersion, giccBase: GICC_BASE, itsBase: GITS_BASE,
      uartBase: UART0_BASE, uartSpi: UART0_SPI,
      psciMethod: this.opts.startEl === 2 ? 'smc' : 'hvc',
      gicMaintenancePpi: this.opts.startEl === 2 && this.opts.gicVersion !== 2 ? 9 : undefined,
      bootargs: this.opts.bootargs,
      rtc: { base: RTC_BASE, spi: RTC_SPI },
      virtioMmio: { base: VIRTIO_MMIO_BASE, size: VIRTIO_MMIO_SIZE, count: VIRTIO_MMIO_COUNT, spi: VIRTIO_MMIO_SPI },
      rngSeed: chosenRng.fill(new Uint8Array(32)),
      kaslrSeed: chosenRng.fill(new Uint8Array(8)),
    }));
  }

  /** The 32 virtio-mmio transports; device k of the list goes on transport 31 - k. */
  private attachVirtio(specs: VirtioSpec[]): void {
    if (specs.length > VIRTIO_MMIO_COUNT) throw new RangeError(`at most ${VIRTIO_MMIO_COUNT} virtio devices`);
    let rng: Prng | undefined;
    const devs: (VirtioDevice | null)[] = new Array(VIRTIO_MMIO_COUNT).fill(null);
    specs.forEach((s, k) => {
      devs[VIRTIO_MMIO_COUNT - 1 - k] = s.type === 'blk' ? new VirtioBlk(s.disk)
        : s.type === 'rng' ? new VirtioRng(rng ??= new Prng(this.opts.seed, PRNG_STREAM_VIRTIO_RNG))
          : new VirtioConsole((b) => { if (!this.quiet) this.out(b); });
    });
    devs.forEach((d, n) => {
      const t = new VirtioMmio(this.ram, d, n);
      t.onIrq = (level) => this.gic.setSpi(32 + VIRTIO_MMIO_SPI + n, level);
      this.bus.map(VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE, t);
      this.virtio.push(t);
    });
  }

  /** Virtual time now: the running core's counter, or between quanta the round's start. */
  private now(): number {
    const w = this.runningCore;
    return w === null ? this.time : this.time + this.roundClock[w.id] + w.retiredInRun;
  }

  /** Architectural reset state: boot EL, SP_ELx selected, interrupts masked, MMU off. */
  private resetCore(c: Cpu): void {
    c.x.fill(0);
    c.spLo.fill(0); c.spHi.fill(0);
    c.nzcv = 0;
    c.daif = 0xf;
    c.el = this.opts.startEl; c.spsel = 1;
    c.sys.reset(c);
    c.sys.onTranslationChange(c);
    c.exclPa = -1; c.event = 0;
    this.monitor.clear(c.id);
  }

  /** Place the initrd and the DTB and set the boot core's registers, as QEMU 7.2's -kernel does
   * (hw/arm/boot.c). A Linux boot: the initrd at RAM base + min(RAM / 2, 128 MiB), or above the
   * kernel's image_size if that is higher (4 KiB aligned); the DTB after the initrd, 2 MiB aligned;
   * x0 = the DTB's address. Other images: the DTB at the start of RAM when the image leaves it free,
   * else after the image (2 MiB aligned). A user's DTB (files.dtb, QEMU's -dtb) gets RAM's memory
   * node and /chosen patched as QEMU does. Throws RangeError (no room) or DtbError (a bad DTB).
   * What was loaded is kept, to be copied in again at a PSCI SYSTEM_RESET. Returns the DTB's address. */
  boot(entry: number, linux: boolean, occupied: readonly { start: number; end: number }[] = [], files: BootFiles = {}): number {
    const MiB = 1024 * 1024, ramEnd = RAM_BASE + this.ram.size;
    const hex = (v: number) => `0x${v.toString(16)}`;
    let tree: ParsedDtb | undefined;
    if (files.dtb !== undefined) {
      tree = parseDtb(files.dtb);
      patchForBoot(tree.root, { memory: { base: RAM_BASE, size: this.ram.size }, bootargs: this.opts.bootargs, psciMethod: this.opts.startEl === 2 ? 'smc' : 'hvc' });
    }
    const blobs: { start: number; end: number }[] = [...occupied];
    const clash = (a: number, len: number) => occupied.find((r) => a < r.end && r.start < a + len);
    let at = RAM_BASE;
    if (linux) {
      let initrdStart = RAM_BASE + Math.min(this.ram.size / 2, 128 * MiB);
      // (Without imageEnd from the loader, the end of what was loaded stands for it.)
      const imageEnd = files.imageEnd ?? Math.max(0, ...occupied.map((r) => r.end));
      initrdStart = Math.max(initrdStart, imageEnd);
      initrdStart = alignUp(initrdStart, 4096);
      const initrdLen = files.initrd?.length ?? 0;
      if (files.initrd !== undefined) {
        if (initrdStart + initrdLen > ramEnd) throw new RangeError(`the initrd (${initrdLen} bytes) does not fit in RAM after the kernel: it would go at ${hex(initrdStart)}, RAM ends at ${hex(ramEnd)}`);
        const r = clash(initrdStart, initrdLen);
        if (r !== undefined) throw new RangeError(`the initrd at ${hex(initrdStart)}..${hex(initrdStart + initrdLen)} overlaps ${hex(r.start)}..${hex(r.end)}`);
        this.ram.load(initrdStart, files.initrd);
        blobs.push({ start: initrdStart, end: initrdStart + initrdLen });
        tree ??= parseDtb(this.dtb);
        patchForBoot(tree.root, { initrd: { start: initrdStart, end: initrdStart + initrdLen } });
      }
      at = alignUp(initrdStart + initrdLen, 2 * MiB);
    } else if (files.initrd !== undefined) {
      throw new RangeError('--initrd is for a Linux kernel (an arm64 Image or a raw file), not an ELF image');
    }
    if (tree !== undefined) this.dtb = serialize(tree.root, tree.bootCpu, tree.reserved);
    const len = this.dtb.length;
    if (!linux && clash(at, len)) at = alignUp(Math.max(RAM_BASE, ...occupied.map((r) => r.end)), 2 * MiB);
    if (at + len > ramEnd) throw new RangeError(`no room in RAM for the device tree (${len} bytes at ${hex(at)}; RAM ends at ${hex(ramEnd)})`);
    const r = clash(at, len);
    if (r !== undefined) throw new RangeError(`the device tree at ${hex(at)} overlaps ${hex(r.start)}..${hex(r.end)}`);
    this.dtbAddr = at;
    this.ram.load(at, this.dtb);
    blobs.push({ start: at, end: at + len });
    this.rom = blobs.filter((b) => b.end > b.start).map((b) => ({ addr: b.start, bytes: this.ram.u8.slice(b.start - RAM_BASE, b.end - RAM_BASE) }));
    this.bootEntry = entry;
    this.bootLinux = linux;
    this.startBootCore();
    return at;
  }

  /** Core 0 at the entry point; for a Linux boot x0 = the DTB, x1..x3 = 0. */
  private startBootCore(): void {
    const c = this.cores[0], entry = this.bootEntry;
    c.pcLo = entry | 0; c.pcHi = Math.floor(entry / 4294967296) | 0;
    if (this.bootLinux) { c.x[2 * 0] = this.dtbAddr | 0; c.x[2 * 0 + 1] = 0; }
  }

  /** PSCI SYSTEM_RESET, as QEMU's system reset: the loaded images are copied in again (the rest of
   * RAM keeps its contents), the GIC, timers and UART reset, every core resets, and core 0 starts
   * at the entry point again while the others stay off until CPU_ON. Virtual time goes on. */
  private systemReset(): void {
    this.resetPending = false;
    if (this.memModel !== null) this.memModel.reset();
    for (const b of this.rom) this.ram.load(b.addr, b.bytes);
    this.resetBoard();
    this.startBootCore();
    for (const c of this.cores) this.interruptLinesChanged(c);
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
        c.x[2 * 0] = xLo; c.x[2 * 0 + 1] = xHi;
        this.wakeUp(c, 'psci', this.runningCore?.id);
      },
      powerOff: (c) => { c.sleep = Sleep.Off; c.flow = Flow.Exit; if (this.tracer !== null) this.tracer.sleep(c.id, 'off', c.el); },
      standby: (c) => { c.sleep = Sleep.WFI; c.nextAndExit(); if (this.tracer !== null) this.tracer.sleep(c.id, 'psci', c.el); },
      systemOff: () => this.stop(0, 'PSCI SYSTEM_OFF'),
      systemReset: () => {
        if (this.opts.noReboot) { this.stop(0, 'PSCI SYSTEM_RESET with --no-reboot'); return; }
        // Reset between rounds: every core leaves its loop now, and step() resets the machine.
        this.resetPending = true;
        this.resets++;
        for (const c of this.cores) { c.flow = Flow.Exit; c.halt = true; }
      },
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
      counter: (c) => this.time + this.roundClock[c.id] + c.retiredInRun,
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
    if (deliverable) c.endRound(); // taken at the next run's start, if no jump comes first
    if (c.sleep === Sleep.WFI && (g.irq || g.fiq)) this.wakeUp(c, 'irq');
    else if (c.sleep === Sleep.WFE && deliverable) this.wakeUp(c, 'irq');
  }

  private wakeUp(c: Cpu, cause: WakeCause, by?: number): void {
    c.sleep = Sleep.Running;
    const r = this.runningCore;
    if (r !== null && r !== c) r.endRound(); // c runs from the next round (or later in this one)
    const at = this.touch(c);
    if (this.tracer !== null) this.tracer.wake(c.id, cause, by, c.el, at);
  }

  /** The running core (or, between quanta, the board) does something to core c: returns its time,
   * the running core's clock but not before c's own, and moves c's clock up to it (see the top of
   * this file). Not the running core itself: its clock is its counter. */
  private touch(c: Cpu): number {
    const w = this.runningCore;
    if (w === c) return this.time + this.roundClock[c.id] + c.retiredInRun;
    const at = Math.max(w === null ? 0 : this.roundClock[w.id] + w.retiredInRun, this.roundClock[c.id]);
    this.roundClock[c.id] = at;
    return this.time + at;
  }

  /** Set a core's event register; a core asleep in WFE wakes (and consumes the event). */
  wakeEvent(c: Cpu, cause: WakeCause = 'event', by?: number): void {
    if (c.sleep === Sleep.WFE) { this.wakeUp(c, cause, by); c.event = 0; }
    else if (c.sleep === Sleep.Running) { this.touch(c); c.event = 1; }
  }

  /** Turn tracing on (every core, the GIC's SGI and acknowledge hooks) or off (null). The caller
   * closes the tracer after the run. */
  /** The translation cache: live blocks, their generated source in characters (a proxy for the memory
   * they hold), blocks compiled and blocks invalidated so far. All 0 with jit: false. */
  translationStats(): TranslationStats {
    return this.translator !== null ? this.translator.stats() : { blocks: 0, bytes: 0, compiled: 0, stepping: 0, deviceSites: 0, invalidated: 0 };
  }

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
    if (this.memModel !== null) this.memModel.flushAll(); // the final memory holds every write
    for (const c of this.cores) { c.flow = Flow.Exit; c.halt = true; } // leave the inner loop at once, and run()
  }

  get stopped(): boolean { return this.stopResult !== null; }
  get result(): RunResult | null { return this.stopResult && { ...this.stopResult, instructions: this.instructions }; }

  private seedScheduler(seed: number | bigint): void {
    this.seeded = seed != 0; // eslint-disable-line eqeqeq -- 0 or 0n
    // Seeds below 2^32 keep the xorshift32 sequence they always had; larger ones use xorshift64 on
    // the whole seed, so that no two seeds share a sequence.
    const big = BigInt(seed);
    this.rngHi = Number(big >> 32n) | 0;
    this.wide = this.rngHi !== 0;
    this.rng = this.wide ? Number(big & 0xffff_ffffn) : Number(big) || 1;
  }

  /** Start over with another scheduler seed without building a new board (the litmus runner's many
   * short runs): as a fresh machine, core 0 reset and running, the others reset and off, time and the
   * instruction count at 0, no stop, devices reset, the memory model (if any) empty and reseeded.
   * RAM keeps its contents (the memory model's buffered writes are committed to it first). */
  restart(seed: number | bigint): void {
    if (typeof seed === 'number' ? !Number.isSafeInteger(seed) || seed < 0 : seed < 0n || seed >= 1n << 64n) throw new RangeError('--seed must be an integer from 0 to 2^64-1');
    this.seedScheduler(seed);
    const mm = this.memModel;
    if (mm !== null) {
      mm.reset();
      mm.now = 0; mm.floor = 0; mm.staleReads = 0; // as a new model: timestamps from 0
      mm.rng.reseed(seed, PRNG_STREAM_MEMMODEL);
    }
    for (let k = 0; k < this.order.length; k++) this.order[k] = k;
    this.stopResult = null;
    this.instructions = 0;
    this.time = 0;
    this.roundClock.fill(0);
    this.resetPending = false;
    this.resetBoard();
    for (const c of this.cores) { c.icount = 0; this.interruptLinesChanged(c); }
  }

  /** The devices and every core to their reset state (core 0 running, the others off until CPU_ON):
   * what a system reset and restart() share. */
  private resetBoard(): void {
    this.gic.systemReset();
    this.its?.reset();
    this.uart.reset();
    for (const c of this.cores) {
      this.resetCore(c);
      this.timers[c.id].reset();
      c.sleep = c.id === 0 ? Sleep.Running : Sleep.Off;
      c.irqPending = false;
      c.halt = false;
      c.resetFetch();
    }
    this.excLoop.reset();
  }

  /** xorshift32 (or xorshift64 for seeds from 2^32, returning its high half): small, fast and
   * identical on every host. */
  private next(): number {
    if (this.wide) {
      let lo = this.rng | 0, hi = this.rngHi, t: number;
      t = hi ^ ((hi << 13) | (lo >>> 19)); lo ^= lo << 13; hi = t;
      t = lo ^ ((lo >>> 7) | (hi << 25)); hi ^= hi >>> 7; lo = t;
      t = hi ^ ((hi << 17) | (lo >>> 15)); lo ^= lo << 17; hi = t;
      this.rng = lo >>> 0; this.rngHi = hi | 0;
      return hi >>> 0;
    }
    let x = this.rng;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  /** One scheduling round. Returns the instructions retired. */
  step(): number {
    const cores = this.cores, order = this.order, q = this.opts.quantum;
    const seeded = this.seeded;
    let ran = 0, longest = 0, k = 0, resumeBudget = -1;
    if (this.roundPos >= 0) { // resume a paused round where it stopped (no new shuffle or draws)
      k = this.roundPos; resumeBudget = this.roundBudget; ran = this.roundRan; longest = this.roundLongest;
      this.roundPos = -1;
      cores[order[k]].resumeInBlock = true;
    } else if (seeded) {
      for (let k = order.length - 1; k > 0; k--) { // Fisher-Yates with the run's PRNG
        const j = this.next() % (k + 1);
        const t = order[k]; order[k] = order[j]; order[j] = t;
      }
    }
    for (; k < order.length && this.stopResult === null; k++) {
      const c = cores[order[k]];
      let budget: number, rounds = 1;
      if (resumeBudget >= 0) { budget = resumeBudget; resumeBudget = -1; }
      else {
        if (c.sleep !== Sleep.Running) continue;
        budget = seeded ? 1 + (this.next() % (2 * q)) : q;
        if (!seeded) rounds = this.roundsAlone(c, q);
      }
      budget = Math.min(budget * rounds, this.maxInsns - this.instructions);
      if (budget <= 0) break;
      this.runningCore = c;
      const n = c.run(budget, rounds > 1 ? q : 0);
      this.runningCore = null;
      c.retiredInRun = 0;
      c.resumeInBlock = false;
      this.instructions += n;
      ran += n;
      const end = this.roundClock[c.id] + n;
      this.roundClock[c.id] = end;
      if (end > longest) longest = end;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        this.roundPos = k; this.roundBudget = budget - n; this.roundRan = ran; this.roundLongest = longest;
        return ran;
      }
    }
    // (A loop: Array.prototype.fill is a call into the runtime, which a round of 8 busy cores noticed.)
    const clock = this.roundClock;
    for (let k = 0; k < clock.length; k++) clock[k] = 0;
    if (this.resetPending && this.stopResult === null) this.systemReset();
    this.time += longest;
    for (const t of this.timers) t.update(this.time);
    this.rtc.update();
    return ran;
  }

  /** How many rounds of q core c may run in one go (see the top of this file): one unless every other
   * core sleeps, else up to the one in which a timer deadline or event-stream tick of any core, or the
   * RTC's alarm, falls. One too when something else watches between rounds: the memory model, a
   * tracer, other observers of c (c.slow), or the host's clock in the RTC. */
  private roundsAlone(c: Cpu, q: number): number {
    if (this.roundsPerRun === 1 || this.memModel !== null || this.tracer !== null || c.slow !== 0 || this.rtc.hostClock) return 1;
    for (const o of this.cores) if (o !== c && o.sleep === Sleep.Running) return 1;
    let next = this.rtc.nextDeadline(this.time);
    for (const t of this.timers) next = Math.min(next, t.nextDeadline(), t.nextEventStream());
    return Math.max(1, Math.min(this.roundsPerRun, Math.ceil((next - this.time) / q)));
  }

  /** Paused mid-round by a hook (gdb); the next step() continues the round. */
  get paused(): boolean { return this.roundPos >= 0; }

  /** The core the paused round will continue with, or null between rounds. */
  get pausedCore(): Cpu | null { return this.roundPos >= 0 ? this.cores[this.order[this.roundPos]] : null; }

  /** Run core c alone, out of the schedule, for up to `budget` instructions (gdb: stepping or
   * continuing one core while the others stay stopped). Its clock in the round moves on as if it had
   * run a quantum. Returns the instructions retired. */
  runAlone(c: Cpu, budget: number): number {
    if (this.stopResult !== null || c.sleep !== Sleep.Running) return 0;
    budget = Math.min(budget, this.maxInsns - this.instructions);
    if (budget <= 0) return 0;
    this.runningCore = c;
    const n = c.run(budget);
    this.runningCore = null;
    c.retiredInRun = 0;
    c.resumeInBlock = false;
    this.pauseRequested = false;
    this.instructions += n;
    const end = this.roundClock[c.id] + n;
    this.roundClock[c.id] = end;
    if (this.roundPos >= 0) { this.roundRan += n; if (end > this.roundLongest) this.roundLongest = end; }
    return n;
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
      next = Math.min(next, this.rtc.nextDeadline(this.time));
    }
    if (next === Infinity) return false;
    if (next > this.time) this.time = next;
    for (const t of this.timers) t.update(this.time);
    this.rtc.update();
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
    if (this.stopResult !== null || this.roundPos >= 0) return true;
    if (this.instructions >= this.maxInsns) {
      this.stop(EXIT_MAX_INSNS, `instruction limit of ${this.maxInsns} reached; ${this.corePcs()}`, 'max-insns');
      return true;
    }
    if (ran !== 0 || this.cores.some((c) => c.sleep === Sleep.Running)) return true;
    if (this.memModel !== null && this.memModel.flushParked()) return true; // buffered writes may wake a core
    if (this.uart.rxPending || this.skipToNextDeadline()) return true;
    if (this.rtc.hostAlarmArmed) { this.rtc.update(); return true; } // the host clock will get there
    return this.inputOpen && this.uart.rxInterruptEnabled; // a keystroke can still wake the guest
  }

  stopDeadlocked(): void {
    this.stop(EXIT_DEADLOCK, `deadlock: every core is asleep and nothing can wake one; ${this.corePcs()}`, 'deadlock');
  }

  where(c: Cpu): string {
    const pc = toBigInt(c.pcLo, c.pcHi); // exact: a double rounds addresses above 2^53
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
