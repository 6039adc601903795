// Tarmac trace writer, in the line formats Arm Fast Models write (shared/platform.md) and Arm's
// tarmac-trace-utilities read (its lib/parser.cpp is the reference used here; its test data has the
// Fast Models samples these lines follow):
//
//   TIME clk IT (SEQ) ADDR ENCODING O EL1h_n : DISASM     an instruction; IS when its condition failed
//                                                          (a B.cond, CBZ, CBNZ, TBZ or TBNZ not taken)
//   TIME clk R X0 0000000000000001                         a register write (SP_ELn; cpsr for PSTATE;
//                                                          FPCR, FPSR as 32 bits; Q0..Q31 as 128 bits,
//                                                          Fast Models' name for a whole V register):
//                                                          every register an instruction writes, changed
//                                                          or not; cpsr first; cpsr after an E line; and
//                                                          every register before a core's first
//                                                          instruction (Fast Models' dump at time 0)
//   TIME clk MR8 VA:PA_NS VALUE / MW4 VA:PA_NS VALUE       a data read / write of n bytes (8-byte
//                                                          values as hi_lo; PA in the Non-secure space)
//   TIME clk E ADDR NUMBER CoreEvent_NAME                  an exception taken: the instruction that
//                                                          took it (an interrupt: where execution
//                                                          resumes), the event number 0x80-0x8f and
//                                                          its name, e.g. 00000084 CoreEvent_CURRENT_SPx_SYNC
//
// The machine has one (Non-secure) security state, so every EL is written with _n. One file per core
// (FILE.core0, FILE.core1, ...), or with inline = true one file where each line names its core after the
// time as gem5 does (`4 clk cpu0 IT ...`; the parser skips a cpuN token, so the tools see such a file
// as one core's). SMP events that Tarmac has no line for (SGIs, acknowledges, sleep and wake, exclusive
// monitor, PSCI, UART, ERET) are not written: the parser warns about unknown event types, so they go
// to JSON Lines and binary traces only.

import { BufferedFile, ascii } from './output.js';
import { CodeLocation, OtherEvent, TraceWriter, hex32, REG_CPSR, REG_FPCR, REG_FPSR, REG_SP } from './events.js';


// Fast Models' exception event numbers and names (0x80 + 4 * vector group + kind).
const VECTOR_NAMES = ['CURRENT_SP0', 'CURRENT_SPx', 'LOWER_64', 'LOWER_32'];
const KIND_NAMES = ['SYNC', 'IRQ', 'FIQ', 'ABORT'];

/** An address as Fast Models print it: at least 8 hex digits, 16 when it needs more. */
function addr(lo: number, hi: number): string {
  return hi === 0 ? hex32(lo) : hex32(hi) + hex32(lo);
}

/** Disassembly as Fast Models lay it out: upper-case mnemonic padded to 8, then the operands. */
export function tarmacDisasm(dis: string): string {
  const sp = dis.indexOf(' ');
  if (sp < 0) return dis.toUpperCase();
  return dis.slice(0, sp).toUpperCase().padEnd(8) + ' ' + dis.slice(sp + 1);
}

const P_IT = ascii('IT ('), P_IS = ascii('IS ('), P_CPSR = ascii('R cpsr '), P_NS = ascii('_NS '), P_MR = ascii('MR'), P_MW = ascii('MW');
const P_SP_EL = [0, 1, 2, 3].map((n) => ascii(`R SP_EL${n} `));
const P_X = Array.from({ length: 31 }, (_, n) => ascii(`R X${n} `));
const P_Q = Array.from({ length: 32 }, (_, n) => ascii(`R Q${n} `));
const P_FPCR = ascii('R FPCR '), P_FPSR = ascii('R FPSR ');

export class TarmacWriter implements TraceWriter {
  private readonly files: BufferedFile[] = [];
  private readonly tags: Uint8Array[] = [];
  /** Per core, the last instruction written (an exception names it). */
  private readonly lastSeq: number[] = [];
  private readonly lastPcLo: number[] = [];
  private readonly lastPcHi: number[] = [];

  /** path: FILE; with inline, the one file; otherwise FILE.coreN for each of ncores. */
  constructor(path: string, ncores: number, readonly inline: boolean) {
    if (inline) {
      const f = new BufferedFile(path);
      for (let k = 0; k < ncores; k++) { this.files.push(f); this.tags.push(ascii(` clk cpu${k} `)); }
    } else {
      for (let k = 0; k < ncores; k++) { this.files.push(new BufferedFile(`${path}.core${k}`)); this.tags.push(ascii(' clk ')); }
    }
    for (let k = 0; k < ncores; k++) { this.lastSeq.push(-1); this.lastPcLo.push(0); this.lastPcHi.push(0); }
  }

  /** The files written (for messages and tests). */
  static paths(path: string, ncores: number, inline: boolean): string[] {
    return inline ? [path] : Array.from({ length: ncores }, (_, k) => `${path}.core${k}`);
  }

  insn(core: number, seq: number, time: number, code: CodeLocation, el: number, spsel: number, cf: boolean): void {
    this.lastSeq[core] = seq; this.lastPcLo[core] = code.pcLo; this.lastPcHi[core] = code.pcHi;
    const key = el * 2 + spsel, cache = code.cache;
    if (cache.key !== key) {
      cache.key = key;
      cache.a = ascii(`) ${addr(code.pcLo, code.pcHi)} ${hex32(code.word)} O EL${el}${spsel !== 0 ? 'h' : 't'}_n : ${tarmacDisasm(code.dis)}\n`);
    }
    const o = this.files[core];
    o.reserve(64 + cache.a.length);
    o.dec(time); o.put(this.tags[core]); o.put(cf ? P_IS : P_IT); o.dec(seq); o.put(cache.a);
  }

  reg(core: number, _seq: number, time: number, r: number, lo: number, hi: number, el: number, spsel: number): void {
    const o = this.files[core];
    o.reserve(96);
    o.dec(time); o.put(this.tags[core]);
    if (r === REG_CPSR) { o.put(P_CPSR); o.hex(lo, 8); o.byte(10); return; } // lower case, as Fast Models
    if (r === REG_FPCR || r === REG_FPSR) { o.put(r === REG_FPCR ? P_FPCR : P_FPSR); o.hex(lo, 8, true); o.byte(10); return; }
    o.put(r === REG_SP ? P_SP_EL[spsel !== 0 ? el : 0] : P_X[r]);
    o.hex(hi, 8, true); o.hex(lo, 8, true); o.byte(10);
  }

  vreg(core: number, _seq: number, time: number, n: number, w0: number, w1: number, w2: number, w3: number): void {
    const o = this.files[core];
    o.reserve(96);
    o.dec(time); o.put(this.tags[core]); o.put(P_Q[n]);
    o.hex(w3, 8, true); o.hex(w2, 8, true); o.hex(w1, 8, true); o.hex(w0, 8, true); o.byte(10);
  }

  mem(core: number, _seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void {
    const o = this.files[core];
    o.reserve(96);
    o.dec(time); o.put(this.tags[core]); o.put(write ? P_MW : P_MR); o.dec(size); o.byte(32);
    if (vaHi !== 0) o.hex(vaHi, 8);
    o.hex(vaLo, 8); o.byte(58);
    const paHi = Math.floor(pa / 4294967296);
    if (paHi > 0xffff) o.hex(paHi, 8); else o.hex(paHi, 4);
    o.hex(pa | 0, 8); o.put(P_NS);
    if (size === 8) { o.hex(hi, 8); o.byte(95); o.hex(lo, 8); } else o.hex(lo, 2 * size);
    o.byte(10);
  }

  other(e: OtherEvent): void {
    if (e.t !== 'exc') return;
    const kind = ['sync', 'irq', 'fiq', 'serror'].indexOf(e.kind);
    const group = e.from === e.to ? (e.vecLo & 0x200) !== 0 ? 1 : 0 : 2;
    // A synchronous exception names the instruction that took it (Fast Models print its address,
    // which for an SVC or HVC is ELR less 4); an interrupt names where execution resumes (ELR).
    const own = e.kind === 'sync' && e.seq !== undefined && e.seq === this.lastSeq[e.core];
    const pcLo = own ? this.lastPcLo[e.core] : e.elrLo, pcHi = own ? this.lastPcHi[e.core] : e.elrHi;
    const o = this.files[e.core];
    o.reserve(32);
    o.dec(e.time); o.put(this.tags[e.core]);
    o.write(`E ${addr(pcLo, pcHi)} ${hex32(0x80 + group * 4 + kind)} CoreEvent_${VECTOR_NAMES[group]}_${KIND_NAMES[kind]}\n`);
  }

  close(): void {
    // Close every file even when one fails (a full disk); the first error is the one reported.
    let err: unknown;
    for (const f of new Set(this.files)) { try { f.close(); } catch (e) { err ??= e; } }
    if (err !== undefined) throw err;
  }
}
