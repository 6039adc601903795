// Driving a guest from TypeScript: load an image, run it under the board's scheduler, resolve its
// symbols, read and write its memory, and call guest functions on chosen cores while the other cores
// go on running.
//
//   import { Guest, builtinImage } from 'a64emu/dist/emu/api/index.js';
//
//   const g = Guest.load(builtinImage('smp-idle'), { smp: 4 });   // path or bytes; MachineOptions
//   g.runUntilIdle();                                  // boot: every core asleep in WFI
//   const lock = g.addr('g_test_lock');                // ELF symbol -> address
//   g.callAndWait(1, 'acquire_spinlock', [lock]);      // core 1 takes the lock
//   const c2 = g.call(2, 'acquire_spinlock', [lock]);  // core 2 waits for it...
//   g.runUntil(() => g.coreState(2).sleep === 'wfe');  // ...asleep in WFE
//   g.callAndWait(1, 'release_spinlock', [lock]);
//   g.finish(c2);                                      // core 2 got it; c2.done, c2.result (x0)
//   g.readU32('g_test_lock', 4)                        // holder field: CPU index + 1 = 3
//
// Running. Guest.load builds a Machine (emu/board/machine.ts) with the given MachineOptions (smp,
// clusters, seed, quantum, ...), loads the image as `a64emu run` does (ELF, Linux Image or raw) and
// points core 0 at its entry. Nothing runs until runUntil/runFor/finish/callAndWait, which call
// Machine.step() (one scheduling round: every running core for its quantum) until a predicate holds
// or an instruction budget is spent. Predicates and budgets are checked between rounds, so a run may
// overshoot the budget by up to one round. When every core sleeps, virtual time jumps to the next timer
// deadline or event-stream tick, as Machine.run() does; when nothing at all can wake a core (e.g. all
// idle in WFI with no timer armed) the run returns 'asleep' but, unlike Machine.run(), does not stop
// the machine: the host may still write memory or start a call. A guest exit (semihosting, PSCI
// SYSTEM_OFF, a panic) stops the machine for good: runs return 'stopped' and g.result says why.
//
// Memory. readU32/readU64/writeU32/writeU64 (and the byte and string helpers) take a symbol name
// ('g_test_lock', also 'gCPU+0x40'), a number or a bigint, plus an optional byte offset, and go to
// PHYSICAL memory (RAM only). The SMP kernel runs with the MMU on but identity-maps RAM, so its
// virtual addresses are the physical ones; for a guest that maps RAM elsewhere, translate first.
// A host write behaves like a store by another agent: it drops stale decoded code and clears every
// core's exclusive-monitor reservation on that granule, so a core sleeping in WFE on the word
// (cpu_wait) wakes up.
//
// Calls. g.call(core, fn, args) makes `core` call `fn` (a symbol name or an address) with up to 8
// integer arguments in x0..x7 (number, bigint, boolean, or a symbol name for its address) and returns
// a GuestCall at once; the call proceeds as the machine runs, under the scheduler, while the other
// cores go on. call.done turns true, and call.result holds x0, when the function returns. It works
// like an interrupt that the host injects:
//   - The core's whole state is saved: x0..x30, the live SP and the banked SP_EL0..3, PC, NZCV, DAIF,
//     EL, SPSel, ELR/SPSR of EL1 (and EL2 when present), its sleep state and event register.
//   - x0..x7 get the arguments, X30 (LR) the address of a return trampoline, PC the function. The
//     function runs at the core's current EL, on its current stack, 256 bytes below the interrupted
//     SP (16-byte aligned), so the interrupted frame is untouched.
//   - Interrupts: by default IRQ and FIQ are masked (PSTATE.I and F set) for the call. Haiku's rule
//     is that spinlocks are taken with interrupts disabled (its acquire_spinlock panics otherwise in
//     debug builds; here heap.c and smp.c mask before every lock), since an interrupt handler on the
//     same CPU taking the same lock would deadlock. Masking costs nothing in responsiveness: this
//     kernel's waits (lock.c, smp.c) answer ICIs between WFE sleeps via process_all_pending_ici, and
//     senders SEV after the SGI so a masked waiter wakes. { irqs: 'inherit' } keeps the interrupted
//     code's masks instead (the idle loop runs with IRQs on). Either way the saved DAIF comes back
//     with the rest of the state, so a lock taken in a call stays held after it, with interrupts on
//     again in the idle loop: fine for these test locks, which no interrupt handler takes.
//   - The trampoline is one instruction, HLT #0xA64E, in a scratch area the API reserves at the top
//     of RAM (the last 64 KiB, checked to be clear of the image and the DTB; the SMP images end near
//     0x40321000 and their heap and stacks are in .bss/.stacks, so the top of the default 256 MiB is
//     free). The API wraps each core's env.hlt: that HLT, executed at the trampoline by a core with a
//     call in progress, records x0 and restores the saved state (returning with another SP or EL than
//     the call started with stops the machine as a guest fault). Any other HLT goes to the board's
//     handler (semihosting) as before. Nothing on the per-instruction path changes.
//   - Back from the call, a core that was asleep in WFI goes back to sleep in WFI (woken at once if an
//     interrupt became pending meanwhile); one that was asleep in WFE resumes running, as after a
//     spurious wake-up (always allowed; the kernel's waits re-check and sleep again), because the
//     exclusive-monitor reservation its WFE relied on was dropped by the call.
//   - One call per core at a time (a second one throws); calls on different cores overlap freely.
//     A core that is powered off or halted cannot be called.
// alloc(size) hands out guest memory from the same scratch area (e.g. a CPUSet to pass by pointer),
// and placeCode(words) puts instructions there to call as helper functions.
//
// Observing. coreState(k) gives the PC, its symbol, the sleep reason ('running' | 'wfe' | 'wfi' |
// 'off' | 'halted'), EL, the IRQ mask, whether a call is in progress and the core's retired
// instruction count; describe() is a one-line summary of every core; output is what the guest
// printed (UART and semihosting).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cpu, CpuEnv, Flow, Sleep, SP } from '../cpu/cpu.js';
import { Machine, MachineOptions, RunResult } from '../board/machine.js';
import { EXIT_GUEST_FAULT } from '../board/exit.js';
import { LoadedImage, loadImage } from '../loader/image.js';
import { Symbol as ElfSymbol, SymbolTable } from '../loader/symbols.js';
import { packageRoot } from '../cli/common.js';

/** The HLT immediate of the call-return trampoline. */
export const CALL_RETURN_HLT_IMM = 0xa64e;
/** HLT #0xA64E (HLT: 0xd4400000 | imm16 << 5). */
export const CALL_RETURN_INSN = (0xd440_0000 | (CALL_RETURN_HLT_IMM << 5)) >>> 0;
/** Bytes left untouched below the interrupted SP when a call starts. */
export const CALL_STACK_GAP = 256;
/** Size of the scratch area at the top of RAM (trampoline, alloc(), placeCode()). */
export const SCRATCH_BYTES = 64 * 1024;
/** Default instruction budget of runUntil/finish/callAndWait: a few seconds of host time. */
export const DEFAULT_BUDGET = 20_000_000;

export type SleepReason = 'running' | 'wfe' | 'wfi' | 'off' | 'halted';
const SLEEP_REASONS: SleepReason[] = ['running', 'wfe', 'wfi', 'off', 'halted'];

/** A guest address: a symbol name (optionally 'name+0x10'), or a number or bigint. */
export type Addr = string | number | bigint;
/** A call argument: an integer (negative numbers are sign-extended to 64 bits), a boolean, or a
 * symbol name standing for its address. */
export type Arg = number | bigint | boolean | string;

export interface GuestOptions extends Omit<MachineOptions, 'stdout' | 'stderr'> {
  /** Also pass the guest's console output here (it is always collected in Guest.output). */
  stdout?: (bytes: Uint8Array) => void;
  /** A name for messages (default: the path, or 'image'). */
  name?: string;
}

export interface CallOptions {
  /** 'masked' (default): IRQ and FIQ masked during the call. 'inherit': keep the core's masks. */
  irqs?: 'masked' | 'inherit';
}

export interface CoreState {
  core: number;
  /** The PC as a number: exact below 2^53 (symbol and func are looked up with the exact PC). */
  pc: number;
  /** 'name' or 'name+0x14', when a symbol covers the PC. */
  symbol: string | undefined;
  /** The name of the symbol covering the PC (no offset). */
  func: string | undefined;
  sleep: SleepReason;
  el: number;
  /** PSTATE.I: IRQs masked. */
  irqsMasked: boolean;
  /** A host call is in progress on this core. */
  inCall: boolean;
  /** Instructions the core retired so far. */
  instructions: number;
}

/** How a run ended: the predicate held; the budget was spent; every core is asleep and nothing can wake
 * one (the machine is not stopped); or the machine stopped (guest exit, fault: see Guest.result). */
export type RunReason = 'predicate' | 'budget' | 'asleep' | 'stopped';
export interface RunOutcome { reason: RunReason; instructions: number }

/** The core state a call saves and restores. */
interface SavedState {
  x: Int32Array; spLo: Int32Array; spHi: Int32Array;
  pcLo: number; pcHi: number; nzcv: number; daif: number; el: number; spsel: number;
  elr: { lo: number; hi: number }[]; spsr: number[];
  sleep: number; event: number;
}

/** A guest function call in progress or finished (Guest.call). */
export class GuestCall {
  done = false;
  /** x0 when the function returned. */
  result: bigint | undefined = undefined;
  /** Instructions this core retired during the call (trampoline included), once done. */
  instructions: number | undefined = undefined;
  /** Virtual time (counter ticks) when the call started and returned. */
  readonly startTime: number;
  endTime: number | undefined = undefined;
  /** @internal */ saved: SavedState;
  /** @internal */ sp: bigint;
  /** @internal */ startIcount: number;

  constructor(readonly core: number, readonly fn: number, readonly name: string, readonly args: readonly bigint[],
    saved: SavedState, sp: bigint, startIcount: number, startTime: number) {
    this.saved = saved; this.sp = sp; this.startIcount = startIcount; this.startTime = startTime;
  }

  /** x0; throws if the call has not returned. */
  get value(): bigint {
    if (!this.done || this.result === undefined) throw new Error(`${this.describe()} has not returned`);
    return this.result;
  }
  /** w0 as unsigned / signed 32-bit, and as a C bool (w0 & 0xff != 0). */
  get u32(): number { return Number(this.value & 0xffff_ffffn); }
  get i32(): number { return this.u32 | 0; }
  get bool(): boolean { return (this.value & 0xffn) !== 0n; }

  describe(): string {
    return `core ${this.core}: ${this.name}(${this.args.map((a) => `0x${a.toString(16)}`).join(', ')})`;
  }
}

/** The path of a built-in image, firmware/images/NAME.elf of this package. */
export function builtinImage(name: string): string {
  const root = packageRoot();
  if (root === undefined) throw new Error('cannot find the a64emu package root (for firmware/images)');
  return join(root, 'firmware', 'images', `${name}.elf`);
}

const U64 = (1n << 64n) - 1n;
const toU64 = (v: bigint): bigint => v & U64;
const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

export class Guest {
  readonly machine: Machine;
  readonly image: LoadedImage;
  readonly symbols: SymbolTable;
  /** Scratch area [scratchBase, scratchEnd): the trampoline first, then alloc()/placeCode(). */
  readonly scratchBase: number;
  readonly scratchEnd: number;
  readonly trampoline: number;
  private scratchNext: number;
  private readonly calls: (GuestCall | undefined)[];
  private chunks: Uint8Array[] = [];
  private outText = '';

  /** Build a machine with `opts`, load the image (a path, or its bytes) and point core 0 at its entry.
   * Nothing runs yet. */
  static load(image: string | Uint8Array, opts: GuestOptions = {}): Guest {
    const name = opts.name ?? (typeof image === 'string' ? image : 'image');
    const bytes = typeof image === 'string' ? readFileSync(image) : image;
    const { stdout, name: _name, ...mopts } = opts;
    const chunks: Uint8Array[] = [];
    const sink = (b: Uint8Array): void => { chunks.push(b.slice()); stdout?.(b); };
    const m = new Machine({ ramMiB: 256, ...mopts, stdout: sink, stderr: sink });
    const img = loadImage(m, bytes, { path: name });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    const g = new Guest(m, img);
    g.chunks = chunks;
    return g;
  }

  /** Attach to a machine the image was already loaded into and booted (Machine.boot done). Console
   * output is collected only by Guest.load. */
  constructor(machine: Machine, image: LoadedImage) {
    this.machine = machine;
    this.image = image;
    this.symbols = image.symbols ?? new SymbolTable([]);
    const syms = this.symbols;
    if (syms.size > 0) machine.symbolize = (pc) => syms.symbolize(pc);
    this.calls = new Array(machine.cores.length).fill(undefined);

    // Scratch area: the top of RAM, clear of the image and the device tree.
    const ram = machine.ram;
    this.scratchEnd = ram.base + ram.size;
    this.scratchBase = this.scratchEnd - SCRATCH_BYTES;
    const used = [...image.regions, { start: machine.dtbAddr, end: machine.dtbAddr + machine.dtb.length, what: 'device tree' }];
    for (const r of used) {
      if (r.start < this.scratchEnd && this.scratchBase < r.end) {
        throw new RangeError(`the API's scratch area ${hex(this.scratchBase)}..${hex(this.scratchEnd)} overlaps ${r.what} (${hex(r.start)}..${hex(r.end)}): give the machine more RAM`);
      }
    }
    this.trampoline = this.scratchBase;
    this.scratchNext = this.scratchBase + 16;
    this.writeU32(this.trampoline, CALL_RETURN_INSN);

    // Wrap env.hlt on every core (the board gives them one env object; so do we).
    const wrapped = new Map<CpuEnv, CpuEnv>();
    for (const c of machine.cores) {
      const orig: CpuEnv = c.env;
      let env = wrapped.get(orig);
      if (env === undefined) {
        env = { ...orig, hlt: (cc, imm) => (imm === CALL_RETURN_HLT_IMM && this.callReturned(cc)) || orig.hlt(cc, imm) };
        wrapped.set(orig, env);
      }
      c.env = env;
    }
  }

  // ------------------------------------------------------------------ output and status

  /** Everything the guest printed so far (UART and semihosting), as latin1 text. */
  get output(): string {
    if (this.chunks.length > 0) {
      this.outText += Buffer.concat(this.chunks).toString('latin1');
      this.chunks.length = 0;
    }
    return this.outText;
  }

  get stopped(): boolean { return this.machine.stopped; }
  /** Why the machine stopped (guest exit status, fault, ...), or null while it can run. */
  get result(): RunResult | null { return this.machine.result; }

  // ------------------------------------------------------------------ running

  /** Run scheduling rounds until pred() holds (checked before each round), maxInsns instructions have
   * been retired, every core sleeps with nothing to wake it, or the machine stops. */
  runUntil(pred: () => boolean, maxInsns = DEFAULT_BUDGET): RunOutcome {
    const m = this.machine, start = m.instructions;
    const out = (reason: RunReason): RunOutcome => ({ reason, instructions: m.instructions - start });
    for (;;) {
      if (pred()) return out('predicate');
      if (m.stopped) return out('stopped');
      if (m.instructions - start >= maxInsns) return out('budget');
      if (!m.stepChecked()) return out('asleep');
    }
  }

  /** Run for (at least) n instructions, or until every core sleeps for good or the machine stops. */
  runFor(n: number): RunOutcome {
    return this.runUntil(() => false, n);
  }

  /** Every core is asleep in WFI (the idle loop) and no call is in progress. */
  allIdle(): boolean {
    return this.machine.cores.every((c) => c.sleep === Sleep.WFI && this.calls[c.id] === undefined);
  }

  /** Run until allIdle(); throws if that does not happen within maxInsns. */
  runUntilIdle(maxInsns = DEFAULT_BUDGET): RunOutcome {
    const r = this.runUntil(() => this.allIdle(), maxInsns);
    if (r.reason !== 'predicate') throw new Error(`the cores did not all become idle (${r.reason}): ${this.describe()}${this.stopNote()}`);
    return r;
  }

  // ------------------------------------------------------------------ symbols

  /** The symbol of that name; throws if the image has none. */
  symbol(name: string): ElfSymbol {
    const s = this.symbols.lookup(name);
    if (s === undefined) throw new Error(`no symbol '${name}' in the image`);
    return s;
  }

  /** An address: a symbol name ('name' or 'name+0x10' / 'name+16'), a number or a bigint. */
  addr(a: Addr, offset = 0): number {
    return Number(this.addr64(a) + BigInt(offset));
  }

  /** addr(), exact to 64 bits (a number rounds addresses above 2^53). */
  private addr64(a: Addr): bigint {
    if (typeof a === 'string') {
      const mt = /^(.+?)\+(0x[0-9a-f]+|\d+)$/i.exec(a);
      const s = this.symbol(mt ? mt[1] : a);
      return s.addr + (mt ? BigInt(mt[2]) : 0n);
    }
    return typeof a === 'bigint' ? a : BigInt(a);
  }

  /** 'name' or 'name+0x14' for an address, if a symbol covers it. */
  symbolize(addr: number | bigint): string | undefined {
    return this.symbols.symbolize(typeof addr === 'bigint' ? addr : BigInt(addr));
  }

  // ------------------------------------------------------------------ physical memory

  private ramOffset(a: Addr, offset: number, len: number): number {
    const pa = this.addr(a, offset);
    const ram = this.machine.ram;
    if (!Number.isInteger(pa) || !ram.contains(pa, len)) throw new RangeError(`${hex(pa)}..+${len} is not in RAM`);
    return pa - ram.base;
  }

  readU8(a: Addr, offset = 0): number { return this.machine.ram.dv.getUint8(this.ramOffset(a, offset, 1)); }
  readU32(a: Addr, offset = 0): number { return this.machine.ram.dv.getUint32(this.ramOffset(a, offset, 4), true); }
  readI32(a: Addr, offset = 0): number { return this.machine.ram.dv.getInt32(this.ramOffset(a, offset, 4), true); }
  readU64(a: Addr, offset = 0): bigint { return this.machine.ram.dv.getBigUint64(this.ramOffset(a, offset, 8), true); }

  readBytes(a: Addr, len: number, offset = 0): Uint8Array {
    const off = this.ramOffset(a, offset, len);
    return this.machine.ram.u8.slice(off, off + len);
  }

  /** A NUL-terminated string (latin1), at most max bytes. */
  readCString(a: Addr, max = 4096): string {
    const base = this.addr(a);
    let s = '';
    for (let k = 0; k < max; k++) {
      const b = this.readU8(base + k);
      if (b === 0) break;
      s += String.fromCharCode(b);
    }
    return s;
  }

  writeU32(a: Addr, v: number, offset = 0): void {
    const off = this.ramOffset(a, offset, 4);
    this.stored(off, 4);
    this.machine.ram.dv.setUint32(off, v >>> 0, true);
  }

  writeU64(a: Addr, v: bigint | number, offset = 0): void {
    const off = this.ramOffset(a, offset, 8);
    this.stored(off, 8);
    this.machine.ram.dv.setBigUint64(off, toU64(BigInt(v)), true);
  }

  writeBytes(a: Addr, bytes: Uint8Array, offset = 0): void {
    const off = this.ramOffset(a, offset, bytes.length);
    this.stored(off, bytes.length);
    this.machine.ram.u8.set(bytes, off);
  }

  /** A host store, before the bytes change: save the page for a snapshot, drop decoded code there,
   * and clear exclusive reservations (waking WFE sleepers). */
  private stored(off: number, len: number): void {
    const m = this.machine;
    if (len === 0) return;
    m.ram.touch(off, len);
    if (m.monitor.active > 0) m.monitor.store(m.ram.base + off, len, -1);
  }

  /** size bytes of zeroed guest memory from the scratch area (never freed). */
  alloc(size: number, align = 16): number {
    const at = Math.ceil(this.scratchNext / align) * align;
    if (!(size >= 0) || at + size > this.scratchEnd) throw new RangeError(`scratch area exhausted (${size} bytes wanted)`);
    this.scratchNext = at + size;
    this.writeBytes(at, new Uint8Array(size));
    return at;
  }

  /** Place instruction words in the scratch area; returns their address (callable with call()). */
  placeCode(words: readonly number[] | Uint32Array): number {
    const at = this.alloc(words.length * 4, 16);
    const dv = this.machine.ram.dv, base = this.machine.ram.base;
    this.stored(at - base, words.length * 4);
    for (let k = 0; k < words.length; k++) dv.setUint32(at - base + 4 * k, words[k] >>> 0, true);
    return at;
  }

  // ------------------------------------------------------------------ calls

  /** The call in progress on a core, if any. */
  activeCall(core: number): GuestCall | undefined { return this.calls[core]; }

  /** Start a call of fn(args) on `core` (see the file comment); returns at once. */
  call(core: number, fn: Addr, args: readonly Arg[] = [], opts: CallOptions = {}): GuestCall {
    const m = this.machine;
    const c = m.cores[core];
    if (c === undefined) throw new RangeError(`no core ${core} (the machine has ${m.cores.length})`);
    if (m.stopped) throw new Error(`the machine has stopped: ${m.result?.reason}`);
    if (args.length > 8) throw new RangeError('at most 8 arguments (x0..x7)');
    const busy = this.calls[core];
    if (busy !== undefined) throw new Error(`core ${core} is still running ${busy.describe()}`);
    if (c.sleep === Sleep.Off || c.sleep === Sleep.Halted) throw new Error(`core ${core} is ${SLEEP_REASONS[c.sleep]}`);
    const target = this.addr64(fn);
    const name = typeof fn === 'string' ? fn : this.symbolize(target) ?? hex(target);
    const values = args.map((a) => this.argValue(a));

    const saved = this.save(c);
    const curSp = BigInt(c.x[2 * SP + 1] >>> 0) << 32n | BigInt(c.x[2 * SP] >>> 0);
    const sp = (curSp - BigInt(CALL_STACK_GAP)) & ~15n;
    for (let r = 0; r < 8; r++) this.setX(c, r, values[r] ?? 0n);
    this.setX(c, 30, BigInt(this.trampoline));
    this.setX(c, SP, sp);
    c.pcLo = Number(target & 0xffff_ffffn) | 0; c.pcHi = Number((target >> 32n) & 0xffff_ffffn) | 0;
    if ((opts.irqs ?? 'masked') === 'masked') c.daif |= 0x3; // I and F
    c.exclPa = -1; m.monitor.clear(c.id);
    c.event = 0;
    c.sleep = Sleep.Running;
    m.interruptLinesChanged(c);

    const call = new GuestCall(core, Number(target), name, values, saved, sp, c.icount, m.time);
    this.calls[core] = call;
    return call;
  }

  /** Run until the call(s) returned; throws (with every core's state) if not within maxInsns. Returns the
   * result of the (last) call. */
  finish(calls: GuestCall | readonly GuestCall[], maxInsns = DEFAULT_BUDGET): bigint {
    const list = Array.isArray(calls) ? calls as readonly GuestCall[] : [calls as GuestCall];
    const r = this.runUntil(() => list.every((k) => k.done), maxInsns);
    if (r.reason !== 'predicate') {
      const pending = list.filter((k) => !k.done).map((k) => k.describe()).join('; ');
      throw new Error(`${pending} did not return (${r.reason} after ${r.instructions} instructions): ${this.describe()}${this.stopNote()}`);
    }
    return list[list.length - 1].value;
  }

  /** call() then finish(): x0 of fn(args) on core. */
  callAndWait(core: number, fn: Addr, args: readonly Arg[] = [], opts: CallOptions & { maxInsns?: number } = {}): bigint {
    return this.finish(this.call(core, fn, args, opts), opts.maxInsns);
  }

  private argValue(a: Arg): bigint {
    if (typeof a === 'string') return BigInt(this.addr(a));
    if (typeof a === 'boolean') return a ? 1n : 0n;
    if (typeof a === 'number' && !Number.isInteger(a)) throw new RangeError(`argument ${a} is not an integer`);
    return toU64(BigInt(a));
  }

  private setX(c: Cpu, r: number, v: bigint): void {
    c.x[2 * r] = Number(v & 0xffff_ffffn) | 0;
    c.x[2 * r + 1] = Number((v >> 32n) & 0xffff_ffffn) | 0;
  }

  private save(c: Cpu): SavedState {
    const els = c.hasEl2 ? [1, 2] : [1];
    return {
      x: c.x.slice(), spLo: c.spLo.slice(), spHi: c.spHi.slice(),
      pcLo: c.pcLo, pcHi: c.pcHi, nzcv: c.nzcv, daif: c.daif, el: c.el, spsel: c.spsel,
      elr: els.map((el) => ({ ...c.sys.getElr(el) })), spsr: els.map((el) => c.sys.getSpsr(el)),
      sleep: c.sleep, event: c.event,
    };
  }

  /** env.hlt for HLT #0xA64E: a call returning through the trampoline. False: not ours. */
  private callReturned(c: Cpu): boolean {
    const call = this.calls[c.id];
    if (call === undefined || c.pcHi !== 0 || (c.pcLo >>> 0) !== this.trampoline) return false;
    const m = this.machine;
    const sp = BigInt(c.x[2 * SP + 1] >>> 0) << 32n | BigInt(c.x[2 * SP] >>> 0);
    if (sp !== call.sp || c.el !== call.saved.el) {
      m.stop(EXIT_GUEST_FAULT, `${call.describe()} returned with SP ${hex(sp)} at EL${c.el} (called with SP ${hex(call.sp)} at EL${call.saved.el})`, 'fault');
      return true;
    }
    call.result = BigInt(c.x[2 * 0 + 1] >>> 0) << 32n | BigInt(c.x[2 * 0] >>> 0);
    call.instructions = c.icount + c.retiredInRun + 1 - call.startIcount;
    call.endTime = m.time + c.retiredInRun;

    const s = call.saved;
    c.x.set(s.x); c.spLo.set(s.spLo); c.spHi.set(s.spHi);
    c.pcLo = s.pcLo; c.pcHi = s.pcHi;
    c.nzcv = s.nzcv; c.daif = s.daif; c.el = s.el; c.spsel = s.spsel;
    const els = c.hasEl2 ? [1, 2] : [1];
    els.forEach((el, k) => { c.sys.setElr(el, s.elr[k].lo, s.elr[k].hi); c.sys.setSpsr(el, s.spsr[k]); });
    c.exclPa = -1; m.monitor.clear(c.id);
    // WFI: back to sleep (the line check below wakes it if an interrupt is pending). WFE: resume, as
    // after a spurious wake-up, since its reservation is gone.
    c.sleep = s.sleep === Sleep.WFI ? Sleep.WFI : Sleep.Running;
    c.event |= s.event;
    c.flow = Flow.Exit; // PC set: do not advance it; leave the block to re-check sleep and interrupts
    this.calls[c.id] = undefined;
    call.done = true;
    m.interruptLinesChanged(c);
    return true;
  }

  // ------------------------------------------------------------------ observing

  coreState(k: number): CoreState {
    const c = this.machine.cores[k];
    if (c === undefined) throw new RangeError(`no core ${k}`);
    const pc64 = (BigInt(c.pcHi >>> 0) << 32n) | BigInt(c.pcLo >>> 0);
    const f = this.symbols.find(pc64);
    return {
      core: k, pc: Number(pc64),
      symbol: this.symbolize(pc64),
      func: f?.symbol.name,
      sleep: SLEEP_REASONS[c.sleep] ?? 'running',
      el: c.el,
      irqsMasked: (c.daif & 2) !== 0,
      inCall: this.calls[k] !== undefined,
      instructions: c.icount,
    };
  }

  /** Every core's PC, symbol and state, on one line. */
  describe(): string {
    return this.machine.cores.map((c) => {
      const s = this.coreState(c.id);
      const call = this.calls[c.id];
      return `core ${c.id} pc=${hex(s.pc)}${s.symbol ? ` <${s.symbol}>` : ''} ${s.sleep}${call ? ` in ${call.describe().replace(/^core \d+: /, '')}` : ''}`;
    }).join('; ');
  }

  private stopNote(): string {
    const r = this.machine.result;
    return r ? ` (machine stopped: status ${r.status}, ${r.reason})` : '';
  }
}
