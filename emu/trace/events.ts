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
// | `insn` | `seq`, `pc`, `op` (encoding, 8 hex digits), `el` (0-3), `sp` (`"t"` SP_EL0 / `"h"` SP_ELx), `cf` (condition failed: a B.cond, CBZ, CBNZ, TBZ or TBNZ not taken, as Fast Models mark them), `dis` (capstone disassembly), `sym` (`func+0x14`, absent when unknown) | an instruction retired (or took an exception part-way) |
// | `reg` | `seq`, `reg` (`x0`..`x30`, `sp`, `cpsr`, `v0`..`v31`, `fpcr`, `fpsr`), `val` | a register written: by instruction `seq` (every register it writes, changed or not; `cpsr` is PSTATE in the SPSR format), by exception entry (`cpsr`, after the `exc`), or every register before the core's first traced instruction (and its first after a CPU_ON); for the last two `seq` is the core's last instruction, absent when there is none; `v0`..`v31` (128-bit values, 32 hex digits), `fpcr` and `fpsr` are reported when their values change |
// | `mem` | `seq`, `dir` (`"r"`/`"w"`), `va`, `pa`, `size` (bytes), `val` | a data access |
// | `exc` | `seq` (when an instruction caused it), `kind` (`sync`/`irq`/`fiq`/`serror`), `from`, `to` (ELs), `esr`, `ec` (sync only), `elr`, `vec` | an exception taken |
// | `eret` | `seq`, `from`, `to` (ELs), `pc` (return address) | an exception return |
// | `ack` | `intid` | an interrupt acknowledged (ICC_IAR1_EL1/ICC_IAR0_EL1 read; 1023 spurious is not reported) |
// | `sgi` | `targets` (core list), `intid`, `val` (the ICC_SGI1R_EL1 value; with `--gic-version 2` the GICD_SGIR value) | an SGI sent; `core` is the sender |
// | `sleep` | `why` (`wfe`/`wfi`/`psci`/`off`) | the core stopped running |
// | `wake` | `cause` (`event`/`monitor`/`irq`/`timer`/`psci`/`sev`), `by` (the core whose SEV, store or CPU_ON woke it, when known) | the core runs again |
// | `excl` | `op` (`set`/`clear`/`fail`), `pa` (absent on a fail with the monitor open), `by` (for `clear`: the core whose store cleared it) | exclusive monitor |
// | `stale` | `seq`, `pa` (the 8-byte block), `w` (the timestamp of the write it read), `by` (the core that wrote it; absent for the value the model's history started from), `newest` (the timestamp of the newest write to the block) | under `--memory-model arm`: a load returned an older write than the newest (before its `mem` event) |
// | `psci` | `fn` (function id), `ret` (result, signed) | a PSCI call |
// | `uart` | `byte` | a byte written to the PL011's data register |
//
// Example:
//   {"t":"insn","core":0,"seq":12,"time":1234,"pc":"0x40080000","op":"d503201f","el":1,"sp":"h","cf":false,"dis":"nop","sym":"main+0x4"}
//   {"t":"reg","core":0,"seq":12,"time":1234,"reg":"x0","val":"0x0000000000000001"}
//   {"t":"sgi","core":0,"time":1300,"targets":[1,2],"intid":0,"val":"0x0000000000010006"}

/** Event kinds, as in the `t` field. */
export const EVENT_KINDS = ['insn', 'reg', 'mem', 'exc', 'eret', 'ack', 'sgi', 'sleep', 'wake', 'excl', 'psci', 'uart', 'stale'] as const;
export type EventKind = typeof EVENT_KINDS[number];

export const WAKE_CAUSES = ['event', 'monitor', 'irq', 'timer', 'psci', 'sev'] as const;
export type WakeCause = typeof WAKE_CAUSES[number];
export const SLEEP_WHYS = ['wfe', 'wfi', 'psci', 'off'] as const;
export type SleepWhy = typeof SLEEP_WHYS[number];

/** The most cores a trace can have: the emulator's limit (machine.ts MAX_CORES). Readers reject core
 * numbers from this on (a binary trace: from its header's count). */
export const MAX_TRACE_CORES = 64;

/** Register numbers in reg events: 0..30 are X0..X30, then SP, CPSR (PSTATE in the SPSR format:
 * NZCV in bits [31:28], DAIF [9:6], EL [3:2], SP selection [0]), FPCR and FPSR. (V registers have an
 * event of their own: TraceWriter.vreg.) */
export const REG_SP = 31, REG_CPSR = 32, REG_FPCR = 33, REG_FPSR = 34;
/** Names of the register numbers, as the JSON Lines `reg` field has them. */
export const REG_NAMES: readonly string[] = [...Array.from({ length: 31 }, (_, k) => `x${k}`), 'sp', 'cpsr', 'fpcr', 'fpsr'];
/** Names of V0..V31 in reg events. */
export const V_NAMES: readonly string[] = Array.from({ length: 32 }, (_, k) => `v${k}`);

/** A code location as the tracer describes it once (tracer.ts CodeInfo). */
export interface CodeLocation {
  readonly id: number; readonly pcLo: number; readonly pcHi: number; readonly word: number;
  readonly dis: string; readonly sym: string | undefined;
  /** A writer may cache here its text of the parts of an insn event that depend only on the location,
   * word, EL and SP selection (key: its own code for the EL and SP selection). */
  readonly cache: { key: number; a: Uint8Array; b: Uint8Array };
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
  | { t: 'uart'; core: number; time: number; byte: number }
  | { t: 'stale'; core: number; seq: number; time: number; pa: number; w: number; by?: number; newest: number };

/** What a trace format implements. Addresses and 64-bit values come as (lo, hi) int32 halves. */
export interface TraceWriter {
  /** A code location met for the first time (before its first insn event); ids count up from 0. */
  code?(info: CodeLocation): void;
  /** An instruction about to execute at a code location; cf: its condition failed (a conditional branch not taken). */
  insn(core: number, seq: number, time: number, code: CodeLocation, el: number, spsel: number, cf: boolean): void;
  /** A register write: r is 0..30 for X0..X30, 31 for SP, 32 for CPSR (REG_NAMES above; lo holds
   * PSTATE, hi 0); for SP, el/spsel name the bank. seq is the core's instruction that wrote it, or its
   * last one (exception entry for an interrupt; the state before its first instruction: -1 if none). */
  reg(core: number, seq: number, time: number, r: number, lo: number, hi: number, el: number, spsel: number): void;
  /** A SIMD&FP register write: Vn's 128 bits as four 32-bit words, least significant first. (Optional:
   * a writer without it drops these events.) */
  vreg?(core: number, seq: number, time: number, n: number, w0: number, w1: number, w2: number, w3: number): void;
  mem(core: number, seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void;
  other(e: OtherEvent): void;
  close(): void;
}

// ---------------------------------------------------------------- events other than insn/reg/mem as JSON

/** An event other than insn/reg/mem as its JSON Lines line (without the newline). */
export function otherJson(e: OtherEvent): string {
  const head = `{"t":"${e.t}","core":${e.core}`;
  const seq = 'seq' in e && e.seq !== undefined ? `,"seq":${e.seq}` : '';
  const time = `,"time":${e.time}`;
  let body: string;
  switch (e.t) {
    case 'exc':
      body = `,"kind":"${e.kind}","from":${e.from},"to":${e.to},"esr":"0x${(e.esr >>> 0).toString(16)}"` +
        (e.kind === 'sync' ? `,"ec":"0x${(e.esr >>> 26).toString(16)}"` : '') +
        `,"elr":"0x${hexTrim(e.elrLo, e.elrHi)}","vec":"0x${hexTrim(e.vecLo, e.vecHi)}"`;
      break;
    case 'eret': body = `,"from":${e.from},"to":${e.to},"pc":"0x${hexTrim(e.pcLo, e.pcHi)}"`; break;
    case 'ack': body = `,"intid":${e.intid}`; break;
    case 'sgi': body = `,"targets":[${e.targets.join(',')}],"intid":${e.intid},"val":"0x${e.val.toString(16).padStart(16, '0')}"`; break;
    case 'sleep': body = `,"why":"${e.why}"`; break;
    case 'wake': body = `,"cause":"${e.cause}"` + (e.by !== undefined ? `,"by":${e.by}` : ''); break;
    case 'excl': body = `,"op":"${e.op}"` + (e.pa !== undefined ? `,"pa":"0x${e.pa.toString(16)}"` : '') + (e.by !== undefined ? `,"by":${e.by}` : ''); break;
    case 'psci': body = `,"fn":"0x${(e.fn >>> 0).toString(16)}","ret":${e.ret | 0}`; break;
    case 'uart': body = `,"byte":${e.byte}`; break;
    case 'stale': body = `,"pa":"0x${e.pa.toString(16)}","w":${e.w}` + (e.by !== undefined ? `,"by":${e.by}` : '') + `,"newest":${e.newest}`; break;
  }
  return head + seq + time + body + '}';
}

/** The inverse of otherJson (for the binary format, which stores these events as that text). */
export function otherFromJson(text: string): OtherEvent {
  const o = JSON.parse(text) as Record<string, unknown>;
  const num = (k: string): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`"${k}" is not an integer`);
    return v;
  };
  const hex = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || !/^0x[0-9a-f]{1,16}$/.test(v)) throw new Error(`"${k}" is not a hex string`);
    return v.slice(2);
  };
  const halves = (k: string): [number, number] => {
    const h = hex(k);
    return [parseInt(h.slice(-8), 16) | 0, h.length > 8 ? parseInt(h.slice(0, -8), 16) | 0 : 0];
  };
  const oneOf = <T extends string>(k: string, values: readonly T[]): T => {
    const v = o[k];
    if (!(values as readonly unknown[]).includes(v)) throw new Error(`bad "${k}"`);
    return v as T;
  };
  const el = (k: string): number => {
    const v = num(k);
    if (v < 0 || v > 3) throw new Error(`"${k}" is not an EL (0-3)`);
    return v;
  };
  const core = num('core'), time = num('time');
  const seq = o.seq === undefined ? undefined : num('seq');
  switch (o.t) {
    case 'exc': {
      const [elrLo, elrHi] = halves('elr'), [vecLo, vecHi] = halves('vec');
      const kind = o.kind;
      if (kind !== 'sync' && kind !== 'irq' && kind !== 'fiq' && kind !== 'serror') throw new Error('bad "kind"');
      return { t: 'exc', core, ...(seq !== undefined ? { seq } : {}), time, kind, from: el('from'), to: el('to'), esr: parseInt(hex('esr'), 16), elrLo, elrHi, vecLo, vecHi };
    }
    case 'eret': { const [pcLo, pcHi] = halves('pc'); return { t: 'eret', core, seq: seq ?? 0, time, from: el('from'), to: el('to'), pcLo, pcHi }; }
    case 'ack': return { t: 'ack', core, time, intid: num('intid') };
    case 'sgi': {
      const targets = o.targets;
      if (!Array.isArray(targets) || !targets.every((x) => Number.isSafeInteger(x))) throw new Error('bad "targets"');
      return { t: 'sgi', core, time, targets: targets as number[], intid: num('intid'), val: BigInt('0x' + hex('val')) };
    }
    case 'sleep': return { t: 'sleep', core, time, why: oneOf('why', SLEEP_WHYS) };
    case 'wake': return { t: 'wake', core, time, cause: oneOf('cause', WAKE_CAUSES), ...(o.by !== undefined ? { by: num('by') } : {}) };
    case 'excl': {
      const op = o.op;
      if (op !== 'set' && op !== 'clear' && op !== 'fail') throw new Error('bad "op"');
      return { t: 'excl', core, time, op, ...(o.pa !== undefined ? { pa: parseInt(hex('pa'), 16) } : {}), ...(o.by !== undefined ? { by: num('by') } : {}) };
    }
    case 'psci': return { t: 'psci', core, time, fn: parseInt(hex('fn'), 16), ret: num('ret') };
    case 'uart': return { t: 'uart', core, time, byte: num('byte') };
    case 'stale': return { t: 'stale', core, seq: seq ?? 0, time, pa: parseInt(hex('pa'), 16), w: num('w'), ...(o.by !== undefined ? { by: num('by') } : {}), newest: num('newest') };
    default: throw new Error(`unknown event type ${JSON.stringify(o.t)}`);
  }
}

/** Capstone through loadDisassembler: the address may be a bigint (exact above 2^53, so that branch
 * targets at high virtual addresses are right). */
export type DisasmFn = (word: number, address: number | bigint) => { text: string };

/** Capstone's text for a word at an address, or `.inst 0x...` without a disassembler. */
export function disassemble(disasm: DisasmFn | null, word: number, pcLo: number, pcHi: number): string {
  return disasm !== null ? disasm(word, (BigInt(pcHi >>> 0) << 32n) | BigInt(pcLo >>> 0)).text : `.inst 0x${(word >>> 0).toString(16).padStart(8, '0')}`;
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
