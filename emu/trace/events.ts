// Trace events: what the emulator reports when tracing is on, and the JSON Lines schema.
//
// ## JSON Lines trace schema (`a64emu run --trace FILE --trace-format jsonl`)
//
// One JSON object per line. Every object has `t` (the event type), `core` (the core it concerns) and
// `time` (virtual time: the core's generic-counter value, integer ticks at CNTFRQ = 62.5 MHz). Events
// tied to an instruction also have `seq`, the core's retired-instruction sequence number (0-based,
// per core). Addresses and register values are hex strings (`"0x..."`, 64-bit values padded to 16 digits).
// Events tied to an instruction follow its `insn` line.
//
// | t | fields (besides t, core, time) | meaning |
// |---|---|---|
// | `insn` | `seq`, `pc`, `op` (encoding, 8 hex digits), `el` (0-3), `sp` (`"t"` SP_EL0 / `"h"` SP_ELx), `cf` (condition failed: a B.cond not taken), `dis` (capstone disassembly), `sym` (`func+0x14`, absent when unknown) | an instruction retired (or took an exception part-way) |
// | `reg` | `seq`, `reg` (`x0`..`x30`, `sp`, `nzcv`), `val` | a register the instruction changed (`nzcv` as bits [31:28]) |
// | `mem` | `seq`, `dir` (`"r"`/`"w"`), `va`, `pa`, `size` (bytes), `val` | a data access |
// | `exc` | `seq` (when an instruction caused it), `kind` (`sync`/`irq`/`fiq`/`serror`), `from`, `to` (ELs), `esr`, `ec` (sync only), `elr`, `vec` | an exception taken |
// | `eret` | `seq`, `from`, `to` (ELs), `pc` (return address) | an exception return |
// | `ack` | `intid` | an interrupt acknowledged (ICC_IAR1_EL1/ICC_IAR0_EL1 read; 1023 spurious is not reported) |
// | `sgi` | `targets` (core list), `intid`, `val` (the ICC_SGI1R_EL1 value) | an SGI sent; `core` is the sender |
// | `sleep` | `why` (`wfe`/`wfi`/`psci`/`off`) | the core stopped running |
// | `wake` | `cause` (`event`/`monitor`/`irq`/`timer`/`psci`/`sev`), `by` (the core whose SEV, store or CPU_ON woke it, when known) | the core runs again |
// | `excl` | `op` (`set`/`clear`/`fail`), `pa` (absent on a fail with the monitor open), `by` (for `clear`: the core whose store cleared it) | exclusive monitor |
// | `psci` | `fn` (function id), `ret` (result, signed) | a PSCI call |
// | `uart` | `byte` | a byte written to the PL011's data register |
//
// Example:
//   {"t":"insn","core":0,"seq":12,"time":1234,"pc":"0x40080000","op":"d503201f","el":1,"sp":"h","cf":false,"dis":"nop","sym":"main+0x4"}
//   {"t":"reg","core":0,"seq":12,"time":1234,"reg":"x0","val":"0x0000000000000001"}
//   {"t":"sgi","core":0,"time":1300,"targets":[1,2],"intid":0,"val":"0x0000000000010006"}

/** Event kinds, as in the `t` field. */
export const EVENT_KINDS = ['insn', 'reg', 'mem', 'exc', 'eret', 'ack', 'sgi', 'sleep', 'wake', 'excl', 'psci', 'uart'] as const;
export type EventKind = typeof EVENT_KINDS[number];

export type WakeCause = 'event' | 'monitor' | 'irq' | 'timer' | 'psci' | 'sev';
export type SleepWhy = 'wfe' | 'wfi' | 'psci' | 'off';

/** An instruction, as the tracer hands it to a writer (one preallocated object per tracer). */
export interface InsnEvent {
  core: number; seq: number; time: number;
  pcLo: number; pcHi: number;
  op: number; el: number; spsel: number; cf: boolean;
  dis: string; sym: string | undefined;
  /** Per code location: a writer may cache its formatted text of the parts that depend only on the
   * location, word, EL and SP selection here (the tracer renews the object when the word changes). */
  cache: { key: number; a: Uint8Array; b: Uint8Array };
}

/** Events other than insn/reg/mem: rare enough to be plain objects. */
export type OtherEvent =
  | { t: 'exc'; core: number; seq?: number; time: number; kind: 'sync' | 'irq' | 'fiq' | 'serror'; from: number; to: number; esr: number; elrLo: number; elrHi: number; vecLo: number; vecHi: number }
  | { t: 'eret'; core: number; seq: number; time: number; from: number; to: number; pcLo: number; pcHi: number }
  | { t: 'ack'; core: number; time: number; intid: number }
  | { t: 'sgi'; core: number; time: number; targets: number[]; intid: number; val: bigint }
  | { t: 'sleep'; core: number; time: number; why: SleepWhy }
  | { t: 'wake'; core: number; time: number; cause: WakeCause; by?: number }
  | { t: 'excl'; core: number; time: number; op: 'set' | 'clear' | 'fail'; pa?: number; by?: number }
  | { t: 'psci'; core: number; time: number; fn: number; ret: number }
  | { t: 'uart'; core: number; time: number; byte: number };

/** What a trace format implements. Addresses and 64-bit values come as (lo, hi) int32 halves. */
export interface TraceWriter {
  insn(e: InsnEvent): void;
  /** A register write: name is x0..x30, sp or nzcv; for nzcv, lo holds NZCV << 28 and pstate the full
   * PSTATE (SPSR format) after the instruction; for sp, el/spsel name the bank. */
  reg(core: number, seq: number, time: number, name: string, lo: number, hi: number, el: number, spsel: number, pstate: number): void;
  mem(core: number, seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void;
  other(e: OtherEvent): void;
  close(): void;
}

// ---------------------------------------------------------------- hex helpers (shared by the writers)

const HEX = '0123456789abcdef';
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, k) => HEX[k >>> 4] + HEX[k & 15]);

/** 8 lower-case hex digits of a 32-bit value. */
export function hex32(v: number): string {
  return BYTE_HEX[(v >>> 24) & 0xff] + BYTE_HEX[(v >>> 16) & 0xff] + BYTE_HEX[(v >>> 8) & 0xff] + BYTE_HEX[v & 0xff];
}

const BYTE_HEX_UC: string[] = BYTE_HEX.map((h) => h.toUpperCase());

/** 16 upper-case hex digits of a 64-bit value given as halves (Tarmac register values). */
export function hex64uc(lo: number, hi: number): string {
  return BYTE_HEX_UC[(hi >>> 24) & 0xff] + BYTE_HEX_UC[(hi >>> 16) & 0xff] + BYTE_HEX_UC[(hi >>> 8) & 0xff] + BYTE_HEX_UC[hi & 0xff] +
    BYTE_HEX_UC[(lo >>> 24) & 0xff] + BYTE_HEX_UC[(lo >>> 16) & 0xff] + BYTE_HEX_UC[(lo >>> 8) & 0xff] + BYTE_HEX_UC[lo & 0xff];
}

/** 16 lower-case hex digits of a 64-bit value given as halves. */
export function hex64(lo: number, hi: number): string {
  return hex32(hi) + hex32(lo);
}

/** Hex without leading zeros (at least one digit) of a 64-bit value given as halves. */
export function hexTrim(lo: number, hi: number): string {
  if (hi === 0) return (lo >>> 0).toString(16);
  return (hi >>> 0).toString(16) + hex32(lo);
}

/** Halves of a non-negative integer below 2^53. */
export function splitNum(v: number): [number, number] {
  return [v | 0, Math.floor(v / 4294967296) | 0];
}
