// The board: a QEMU-virt-compatible machine (shared/platform.md). It owns RAM, the bus and its devices,
// the cores, and the deterministic scheduler that runs the cores round-robin, one instruction quantum
// each, in a fixed order (varied reproducibly by --seed).

import { Cpu, CpuEnv, Sleep } from '../cpu/cpu.js';
import { Decoder } from '../cpu/decoder.js';
import { CodeCache } from '../cpu/codecache.js';
import { GlobalMonitor } from '../cpu/monitor.js';
import { A64_TABLE } from '../cpu/a64/index.js';
import { Ram } from '../mem/ram.js';
import { Bus } from '../mem/bus.js';
import { Pl011 } from '../devices/pl011.js';
import { Semihosting, SEMIHOSTING_HLT_IMM } from '../devices/semihosting.js';
import { EXIT_DEADLOCK, EXIT_GUEST_FAULT, EXIT_MAX_INSNS } from './exit.js';

export const RAM_BASE = 0x4000_0000;
export const UART0_BASE = 0x0900_0000;
/** Generic counter frequency, as QEMU 7.2 reports in CNTFRQ_EL0. One counter tick per instruction-time. */
export const CNTFRQ = 62_500_000;

export interface MachineOptions {
  smp?: number;
  ramMiB?: number;
  semihosting?: boolean;
  /** Instructions a core runs before the scheduler moves on. */
  quantum?: number;
  /** Stop after this many instructions in total (exit status 124). */
  maxInsns?: number;
  /** Bytes the guest writes to the UART or semihosting console. */
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export interface RunResult {
  status: number;
  reason: string;
  instructions: number;
}

let sharedDecoder: Decoder | undefined;
/** One decoder per process: the table is compiled once. */
export function a64Decoder(): Decoder {
  sharedDecoder ??= new Decoder(A64_TABLE, (c: Cpu) => c.undefinedInstruction());
  return sharedDecoder;
}

export class Machine {
  readonly ram: Ram;
  readonly bus: Bus;
  readonly code: CodeCache;
  readonly monitor: GlobalMonitor;
  readonly cores: Cpu[] = [];
  readonly uart: Pl011;
  readonly semihosting: Semihosting;
  readonly quantum: number;
  maxInsns: number;
  /** Total retired instructions over all cores. */
  instructions = 0;
  private stopResult: RunResult | null = null;
  private readonly out: (b: Uint8Array) => void;
  private readonly err: (b: Uint8Array) => void;
  private readonly semihostingOn: boolean;

  constructor(opts: MachineOptions = {}) {
    const smp = opts.smp ?? 1;
    const ramMiB = opts.ramMiB ?? 256;
    this.quantum = opts.quantum ?? 1000;
    this.maxInsns = opts.maxInsns ?? Infinity;
    this.out = opts.stdout ?? ((b) => process.stdout.write(b));
    this.err = opts.stderr ?? ((b) => process.stderr.write(b));
    this.semihostingOn = opts.semihosting ?? true;
    this.ram = new Ram(RAM_BASE, ramMiB * 1024 * 1024);
    this.bus = new Bus(this.ram);
    this.code = new CodeCache(this.ram);
    this.monitor = new GlobalMonitor(smp);
    this.uart = new Pl011((b) => this.out(Uint8Array.of(b)));
    this.bus.map(UART0_BASE, 0x1000, this.uart);
    this.semihosting = new Semihosting({
      write: (bytes, stream) => (stream === 2 ? this.err : this.out)(bytes),
      readChar: () => -1,
      exit: (status, reason) => this.stop(status, reason),
      clock: () => Math.floor(this.instructions / (CNTFRQ / 100)),
    });
    const env = this.makeEnv();
    const decoder = a64Decoder();
    for (let k = 0; k < smp; k++) {
      const mpidr = (0x8000_0000 | ((k >> 4) << 8) | (k & 15)) >>> 0;
      const c = new Cpu(k, mpidr, this.ram, this.bus, this.monitor, decoder, this.code, env);
      if (k !== 0) c.sleep = Sleep.Off; // secondaries wait for PSCI CPU_ON
      this.cores.push(c);
      this.code.cores.push(c);
    }
    for (const c of this.cores) c.peers = this.cores;
    this.monitor.onClear = (core) => this.wakeEvent(this.cores[core]);
  }

  private makeEnv(): CpuEnv {
    return {
      hlt: (c, imm) => {
        if (imm !== SEMIHOSTING_HLT_IMM || !this.semihostingOn) return false;
        this.semihosting.call(c);
        return true;
      },
      callFirmware: () => false,
      sendEvent: () => { for (const c of this.cores) this.wakeEvent(c); },
      fatal: (c, message) => this.stop(EXIT_GUEST_FAULT, `core ${c.id} at pc=0x${hexPc(c)}: ${message}`),
      counter: () => this.instructions,
    };
  }

  /** Set a core's event register; a core asleep in WFE wakes (and consumes the event). */
  wakeEvent(c: Cpu): void {
    if (c.sleep === Sleep.WFE) { c.sleep = Sleep.Running; c.event = 0; }
    else if (c.sleep === Sleep.Running) c.event = 1;
  }

  /** End the run with this status (first caller wins). */
  stop(status: number, reason: string): void {
    if (this.stopResult === null) this.stopResult = { status, reason, instructions: 0 };
    for (const c of this.cores) c.flow = 2; // Flow.Exit: leave the inner loop at once
  }

  get stopped(): boolean { return this.stopResult !== null; }

  /** Run until the guest exits, faults, deadlocks or reaches maxInsns. */
  run(): RunResult {
    const cores = this.cores;
    while (this.stopResult === null) {
      let ran = 0;
      for (let k = 0; k < cores.length && this.stopResult === null; k++) {
        const c = cores[k];
        if (c.sleep !== Sleep.Running) continue;
        const budget = Math.min(this.quantum, this.maxInsns - this.instructions);
        if (budget <= 0) break;
        const n = c.run(budget);
        this.instructions += n;
        ran += n;
      }
      if (this.stopResult !== null) break;
      if (this.instructions >= this.maxInsns) {
        this.stop(EXIT_MAX_INSNS, `instruction limit of ${this.maxInsns} reached; ${this.corePcs()}`);
        break;
      }
      if (ran === 0 && !cores.some((c) => c.sleep === Sleep.Running)) {
        this.stop(EXIT_DEADLOCK, `deadlock: every core is asleep and nothing can wake one; ${this.corePcs()}`);
      }
    }
    const r = this.stopResult!;
    return { ...r, instructions: this.instructions };
  }

  corePcs(): string {
    return this.cores.map((c) => `core ${c.id} pc=0x${hexPc(c)} ${SLEEP_NAMES[c.sleep]}`).join(', ');
  }
}

const SLEEP_NAMES = ['running', 'in WFE', 'in WFI', 'powered off', 'halted'];

function hexPc(c: Cpu): string {
  return ((c.pcHi >>> 0) * 4294967296 + (c.pcLo >>> 0)).toString(16);
}
