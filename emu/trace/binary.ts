// The binary trace format (`--trace-format binary`, files ending .a64t): every event of a full trace
// at about ten bytes an instruction, so that tracing everything stays cheap. `a64emu trace convert` turns
// it into Tarmac or JSON Lines, byte for byte what those writers would have written during the run,
// and `trace show`, `trace stats` and `trace timeline` read it directly.
//
// Layout, little-endian. A 16-byte header: the magic "A64TRACE", u16 version (2; 1 is read too), u16
// number of cores, u32 zero. Then records, each a tag byte and its fields:
//
//   0x01 CTX    u8 core, f64 seq, f64 time    the core now writing, and its last instruction's
//                                             sequence number and time
//   0x02 MODE   u8 el, u8 spsel               the current core's EL and SP selection, from now on
//   0x03 CODE   u32 pcLo, u32 pcHi, u32 word, u16 m (0xffff: none), m bytes symbol
//                                             a code location; the k-th CODE record is location k
//                                             (readers disassemble the word, with capstone as the
//                                             tracer would have)
//   0x10 INSN   (tag | 1 when the condition failed) location = the current core's previous + 1
//   0x12 INSN   u32 location (tag | 1 likewise)
//               An instruction of the current core: sequence number and time are its previous
//               instruction's plus one (a CTX record comes first when that is not so).
//   0x22 REGSP  u8 el << 1 | spsel, u32 lo, u32 hi   SP written after a change of EL or SP selection
//   0x60 + r    REG32: u32 lo                 a register write with hi = 0; r is 0..30 for X0..X30,
//                                             31 for SP (the current MODE's bank), 32 for CPSR (PSTATE),
//                                             33 FPCR, 34 FPSR
//   0x23 VREG   u8 n, 4 x u32 (bits 31:0 first)   a write of V0..V31
//   0x90 + r    REG: u32 lo, u32 hi           the same, any hi
//   0xc0 | f    MEM: u32 vaLo, [u32 vaHi], [f64 pa], u32 lo, [u32 hi when 8 bytes]   a data access;
//               f: bit 0 write, bits 2:1 log2 size, bit 3 VA above 4 GiB, bit 4 PA differs from VA
//   0x40 OTHER  u32 n (at most 64 KiB), n bytes: the event as its JSON Lines line (no newline)
//   0x41 UART   u8 core, f64 time, u8 byte    a uart event
//   0x42 EXCL   u8 core, f64 time, u8 flags (bits 1:0 op: 0 set, 1 clear, 2 fail; bit 2 pa follows;
//               bit 3 by follows), [f64 pa], [u8 by]   an excl event
//
// Register and memory records belong to the current core's last instruction. Memory stays bounded
// on both sides: the writer streams through a fixed buffer, the reader reads in fixed chunks (the
// table of code locations grows with the code, not with the run).

import { openSync, closeSync, readSync } from 'node:fs';
import { BufferedFile } from './output.js';
import { CodeLocation, DisasmFn, disassemble, OtherEvent, TraceWriter, otherJson, otherFromJson, REG_SP, REG_CPSR, REG_FPSR, MAX_TRACE_CORES } from './events.js';

export const MAGIC = 'A64TRACE';
// Version 2: every register written (not only changed ones); register 32 is CPSR, lo = PSTATE. Version
// 1 had it as NZCV, lo = NZCV << 28 and hi = PSTATE (read as CPSR).
const VERSION = 2;
const HEADER_BYTES = 16;
const BUF_BYTES = 1 << 20;
/** The longest event text a reader accepts (the writer's are well under 1 KiB). */
const MAX_EVENT_TEXT = 1 << 16;
/** Room for the largest fixed-size record. */
const MAX_RECORD = 32;

const enum Tag { Ctx = 0x01, Mode = 0x02, Code = 0x03, InsnNext = 0x10, InsnId = 0x12, RegSp = 0x22, VReg = 0x23, Other = 0x40, Uart = 0x41, Excl = 0x42, Reg32 = 0x60, Reg = 0x90, Mem = 0xc0 }

export class BinaryWriter extends BufferedFile implements TraceWriter {
  private readonly dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** The current core (the last CTX record's), and what a reader knows of it: its last sequence
   * number and time, last code location, EL and SP selection. Other cores' locations, ELs and SP
   * selections are in the arrays (a switch of core writes the sequence number and time anew). */
  private core = -1;
  private cSeq = NaN;
  private cTime = NaN;
  private cLoc = -2;
  private cEl = -1;
  private cSpsel = -1;
  private readonly loc: number[] = [];
  private readonly el: number[] = [];
  private readonly spsel: number[] = [];

  constructor(path: string, ncores: number) {
    super(path, BUF_BYTES);
    for (let k = 0; k < ncores; k++) { this.loc.push(-2); this.el.push(-1); this.spsel.push(-1); }
    for (let k = 0; k < 8; k++) this.buf[k] = MAGIC.charCodeAt(k);
    this.dv.setUint16(8, VERSION, true);
    this.dv.setUint16(10, ncores, true);
    this.dv.setUint32(12, 0, true);
    this.pos = HEADER_BYTES;
  }

  /** Write a CTX record: `core` is current, its last instruction at (seq, time). */
  private ctx(core: number, seq: number, time: number): void {
    if (core !== this.core) {
      const o = this.core;
      if (o >= 0) { this.loc[o] = this.cLoc; this.el[o] = this.cEl; this.spsel[o] = this.cSpsel; }
      this.cLoc = this.loc[core]; this.cEl = this.el[core]; this.cSpsel = this.spsel[core];
      this.core = core;
    }
    const p = this.pos;
    this.buf[p] = Tag.Ctx; this.buf[p + 1] = core;
    this.dv.setFloat64(p + 2, seq, true); this.dv.setFloat64(p + 10, time, true);
    this.pos = p + 18;
    this.cSeq = seq; this.cTime = time;
  }

  private bytes(s: string, max: number): void {
    const n = Math.min(s.length, max);
    this.dv.setUint16(this.pos, n, true);
    this.pos += 2;
    for (let k = 0; k < n; k++) this.buf[this.pos++] = s.charCodeAt(k) & 0xff;
  }

  code(info: CodeLocation): void {
    this.reserve(32 + 0xfffe);
    const p = this.pos;
    this.buf[p] = Tag.Code;
    this.dv.setInt32(p + 1, info.pcLo, true); this.dv.setInt32(p + 5, info.pcHi, true); this.dv.setInt32(p + 9, info.word, true);
    this.pos = p + 13;
    if (info.sym === undefined) { this.dv.setUint16(this.pos, 0xffff, true); this.pos += 2; } else this.bytes(info.sym, 0xfffe);
  }

  insn(core: number, seq: number, time: number, code: CodeLocation, el: number, spsel: number, cf: boolean): void {
    if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
    if (core !== this.core || seq !== this.cSeq + 1 || time !== this.cTime + 1) this.ctx(core, seq - 1, time - 1);
    this.cSeq = seq; this.cTime = time;
    const buf = this.buf, id = code.id;
    if (el !== this.cEl || spsel !== this.cSpsel) {
      buf[this.pos] = Tag.Mode; buf[this.pos + 1] = el; buf[this.pos + 2] = spsel; this.pos += 3;
      this.cEl = el; this.cSpsel = spsel;
    }
    if (id === this.cLoc + 1) buf[this.pos++] = cf ? Tag.InsnNext | 1 : Tag.InsnNext;
    else {
      const p = this.pos;
      buf[p] = cf ? Tag.InsnId | 1 : Tag.InsnId; this.dv.setUint32(p + 1, id, true);
      this.pos = p + 5;
    }
    this.cLoc = id;
  }

  reg(core: number, seq: number, time: number, r: number, lo: number, hi: number, el: number, spsel: number): void {
    if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
    if (core !== this.core || seq !== this.cSeq || time !== this.cTime) this.ctx(core, seq, time);
    const p = this.pos, buf = this.buf, dv = this.dv;
    if (r === REG_SP && (el !== this.cEl || spsel !== this.cSpsel)) {
      buf[p] = Tag.RegSp; buf[p + 1] = (el << 1) | spsel; dv.setInt32(p + 2, lo, true); dv.setInt32(p + 6, hi, true);
      this.pos = p + 10;
      return;
    }
    if (hi === 0) { buf[p] = Tag.Reg32 + r; dv.setInt32(p + 1, lo, true); this.pos = p + 5; return; }
    buf[p] = Tag.Reg + r; dv.setInt32(p + 1, lo, true); dv.setInt32(p + 5, hi, true);
    this.pos = p + 9;
  }

  vreg(core: number, seq: number, time: number, n: number, w0: number, w1: number, w2: number, w3: number): void {
    if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
    if (core !== this.core || seq !== this.cSeq || time !== this.cTime) this.ctx(core, seq, time);
    const p = this.pos, dv = this.dv;
    this.buf[p] = Tag.VReg; this.buf[p + 1] = n;
    dv.setInt32(p + 2, w0, true); dv.setInt32(p + 6, w1, true); dv.setInt32(p + 10, w2, true); dv.setInt32(p + 14, w3, true);
    this.pos = p + 18;
  }

  mem(core: number, seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void {
    if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
    if (core !== this.core || seq !== this.cSeq || time !== this.cTime) this.ctx(core, seq, time);
    const buf = this.buf, dv = this.dv;
    const paSame = vaHi === 0 && pa === (vaLo >>> 0);
    let p = this.pos;
    buf[p] = Tag.Mem | (write ? 1 : 0) | ((size === 1 ? 0 : size === 2 ? 1 : size === 4 ? 2 : 3) << 1) | (vaHi !== 0 ? 8 : 0) | (paSame ? 0 : 16);
    dv.setInt32(p + 1, vaLo, true);
    p += 5;
    if (vaHi !== 0) { dv.setInt32(p, vaHi, true); p += 4; }
    if (!paSame) { dv.setFloat64(p, pa, true); p += 8; }
    dv.setInt32(p, lo, true); p += 4;
    if (size === 8) { dv.setInt32(p, hi, true); p += 4; }
    this.pos = p;
  }

  // A one-line other() on purpose: with the encoders inlined here, V8 inlined them into the tracer's
  // per-instruction code and the whole traced loop ran about half again slower.
  other(e: OtherEvent): void {
    this.otherRecord(e);
  }

  private otherRecord(e: OtherEvent): void {
    // The frequent ones (console output, the exclusive monitor) get records of their own.
    if (e.t === 'uart') {
      if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
      const p = this.pos;
      this.buf[p] = Tag.Uart; this.buf[p + 1] = e.core; this.dv.setFloat64(p + 2, e.time, true); this.buf[p + 10] = e.byte;
      this.pos = p + 11;
      return;
    }
    if (e.t === 'excl') {
      if (this.pos > BUF_BYTES - 2 * MAX_RECORD) this.flush();
      let p = this.pos;
      this.buf[p] = Tag.Excl; this.buf[p + 1] = e.core; this.dv.setFloat64(p + 2, e.time, true);
      this.buf[p + 10] = (e.op === 'set' ? 0 : e.op === 'clear' ? 1 : 2) | (e.pa !== undefined ? 4 : 0) | (e.by !== undefined ? 8 : 0);
      p += 11;
      if (e.pa !== undefined) { this.dv.setFloat64(p, e.pa, true); p += 8; }
      if (e.by !== undefined) this.buf[p++] = e.by;
      this.pos = p;
      return;
    }
    const text = otherJson(e);
    this.reserve(5 + text.length);
    const p = this.pos;
    this.buf[p] = Tag.Other; this.dv.setUint32(p + 1, text.length, true);
    this.pos = p + 5;
    for (let k = 0; k < text.length; k++) this.buf[this.pos++] = text.charCodeAt(k) & 0xff;
  }
}

// ---------------------------------------------------------------- reading

export class BinaryTraceError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly reason: string) {
    super(`${file}: byte ${offset}: malformed binary trace: ${reason}`);
  }
}

/** Does this file start with the binary trace magic? */
export function isBinaryTrace(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  for (let k = 0; k < 8; k++) if (head[k] !== MAGIC.charCodeAt(k)) return false;
  return true;
}

const EMPTY = new Uint8Array(0);

/** A code location read back; disassembled when first asked. */
class ReadCode implements CodeLocation {
  readonly cache = { key: -1, a: EMPTY, b: EMPTY };
  private text: string | undefined;
  constructor(readonly id: number, readonly pcLo: number, readonly pcHi: number, readonly word: number,
    readonly sym: string | undefined, private readonly disasm: DisasmFn | null) {}
  get dis(): string {
    if (this.text === undefined) this.text = disassemble(this.disasm, this.word, this.pcLo, this.pcHi);
    return this.text;
  }
}

/** Physical addresses are below 2^52 (the architecture's largest PA size; this board's is 44 bits). */
const PA_LIMIT = 2 ** 52;

/** The header's fields, checked: a reason when they are wrong. */
function headerProblem(dv: DataView): string | undefined {
  const version = dv.getUint16(8, true), ncores = dv.getUint16(10, true);
  if (version !== VERSION && version !== 1) return `version ${version}, this a64emu reads versions 1 to ${VERSION}`;
  if (ncores < 1 || ncores > MAX_TRACE_CORES) return `${ncores} cores (a trace has 1 to ${MAX_TRACE_CORES})`;
  return undefined;
}

/** The number of cores a binary trace's header gives (the header checked as the reader does). */
export function binaryTraceCores(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(HEADER_BYTES);
    const n = readSync(fd, head, 0, HEADER_BYTES, 0);
    if (n < HEADER_BYTES || !isBinaryTrace(head)) throw new BinaryTraceError(path, 0, 'not a binary trace (no A64TRACE header)');
    const dv = new DataView(head.buffer);
    const bad = headerProblem(dv);
    if (bad !== undefined) throw new BinaryTraceError(path, 8, bad);
    return dv.getUint16(10, true);
  } finally {
    closeSync(fd);
  }
}

/** A TraceWriter that drops everything: replayBinary into it checks a whole trace before a
 * conversion creates any file. */
export const NULL_WRITER: TraceWriter = { insn() {}, reg() {}, mem() {}, other() {}, close() {} };

const isTime = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

/**
 * Read a binary trace and replay it into a TraceWriter: the same calls, with the same arguments, that
 * the tracer made to the binary writer (so a Tarmac or JSON Lines writer produces what it would have
 * written during the run). Returns the number of cores. `stop()` may be called from the writer to end
 * the reading early.
 */
export function replayBinary(path: string, w: TraceWriter, disasm: DisasmFn | null, control: { stopped: boolean } = { stopped: false }): number {
  const fd = openSync(path, 'r');
  try {
    const CHUNK = 1 << 20;
    let buf = new Uint8Array(CHUNK);
    let dv = new DataView(buf.buffer);
    let len = 0, pos = 0, fileOff = 0, eof = false;
    /** Make n bytes available at pos; false at the end of the file. */
    const need = (n: number): boolean => {
      if (len - pos >= n) return true;
      if (n > buf.length) { const nb = new Uint8Array(Math.max(n, 2 * buf.length)); nb.set(buf.subarray(pos, len)); buf = nb; dv = new DataView(buf.buffer); }
      else buf.copyWithin(0, pos, len);
      fileOff += pos; len -= pos; pos = 0;
      while (!eof && len < n) {
        const r = readSync(fd, buf, len, buf.length - len, null);
        if (r === 0) eof = true; else len += r;
      }
      return len >= n;
    };
    /** Where the record being read starts: the offset every error names. */
    let recOff = 0;
    const bad = (why: string): never => { throw new BinaryTraceError(path, recOff, why); };
    if (!need(HEADER_BYTES) || !isBinaryTrace(buf)) bad('not a binary trace (no A64TRACE header)');
    const version = dv.getUint16(8, true), ncores = dv.getUint16(10, true);
    recOff = 8;
    const hp = headerProblem(dv);
    if (hp !== undefined) bad(hp);
    const v1 = version === 1;
    pos = HEADER_BYTES;
    /** The current core's last instruction, for its register and memory records: there must be one. */
    const owner = (): void => {
      // seq -1: the register dump before the core's first instruction (a CTX record said so)
      if (!(isTime(seq[core]) || seq[core] === -1) || !isTime(time[core])) bad(`a register or memory record of core ${core} before its first instruction (or its register dump)`);
    };
    const checkCore = (c: number, what = 'core'): void => { if (!(Number.isSafeInteger(c) && c >= 0 && c < ncores)) bad(`${what} ${c} of a ${ncores}-core trace`); };
    const checkTime = (t: number): void => { if (!isTime(t)) bad(`time ${t} (not a non-negative integer below 2^53)`); };
    const checkPa = (pa: number): void => { if (!(Number.isInteger(pa) && pa >= 0 && pa < PA_LIMIT)) bad(`physical address ${pa} (not an integer below 2^52)`); };
    const codes: ReadCode[] = [];
    const seq: number[] = [], time: number[] = [], loc: number[] = [], el: number[] = [], spsel: number[] = [];
    for (let k = 0; k < ncores; k++) { seq.push(-1); time.push(-1); loc.push(-1); el.push(1); spsel.push(1); }
    let core = 0;
    const text = (n: number): string => {
      if (!need(n)) bad('truncated string');
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(buf[pos + k]);
      pos += n;
      return s;
    };
    while (!control.stopped && need(1)) {
      recOff = fileOff + pos;
      const tag = buf[pos];
      switch (tag) {
        case Tag.Ctx:
          if (!need(18)) bad('truncated record');
          checkCore(buf[pos + 1]);
          core = buf[pos + 1];
          {
            // -1: no instruction yet (the writer's CTX before a core's first instruction).
            const q = dv.getFloat64(pos + 2, true), t = dv.getFloat64(pos + 10, true);
            if (!(Number.isSafeInteger(q) && q >= -1) || !(Number.isSafeInteger(t) && t >= -1)) bad(`sequence number ${q}, time ${t} (not integers from -1 below 2^53)`);
            seq[core] = q; time[core] = t;
          }
          pos += 18;
          break;
        case Tag.Mode:
          if (!need(3)) bad('truncated record');
          if (buf[pos + 1] > 3 || buf[pos + 2] > 1) bad(`EL ${buf[pos + 1]}, SP selection ${buf[pos + 2]}`);
          el[core] = buf[pos + 1]; spsel[core] = buf[pos + 2];
          pos += 3;
          break;
        case Tag.Code: {
          if (!need(15)) bad('truncated record');
          const pcLo = dv.getInt32(pos + 1, true), pcHi = dv.getInt32(pos + 5, true), word = dv.getInt32(pos + 9, true);
          const m = dv.getUint16(pos + 13, true);
          pos += 15;
          const sym = m === 0xffff ? undefined : text(m);
          codes.push(new ReadCode(codes.length, pcLo, pcHi, word, sym, disasm));
          break;
        }
        case Tag.InsnNext: case Tag.InsnNext | 1: case Tag.InsnId: case Tag.InsnId | 1: {
          let id: number;
          if (tag < Tag.InsnId) { id = loc[core] + 1; pos += 1; }
          else { if (!need(5)) bad('truncated record'); id = dv.getUint32(pos + 1, true); pos += 5; }
          const c = codes[id];
          if (c === undefined) bad(`instruction at unknown code location ${id}`);
          loc[core] = id;
          if (seq[core] >= Number.MAX_SAFE_INTEGER || time[core] >= Number.MAX_SAFE_INTEGER) bad('sequence number or time beyond 2^53');
          w.insn(core, ++seq[core], ++time[core], c, el[core], spsel[core], (tag & 1) !== 0);
          break;
        }
        case Tag.RegSp: {
          if (!need(10)) bad('truncated record');
          const m = buf[pos + 1];
          if (m > 7) bad(`SP bank ${m}`);
          owner();
          w.reg(core, seq[core], time[core], REG_SP, dv.getInt32(pos + 2, true), dv.getInt32(pos + 6, true), m >>> 1, m & 1);
          pos += 10;
          break;
        }
        case Tag.VReg: {
          if (!need(18)) bad('truncated record');
          const n = buf[pos + 1];
          if (n > 31) bad(`V register ${n}`);
          w.vreg?.(core, seq[core], time[core], n, dv.getInt32(pos + 2, true), dv.getInt32(pos + 6, true), dv.getInt32(pos + 10, true), dv.getInt32(pos + 14, true));
          pos += 18;
          break;
        }
        case Tag.Other: {
          if (!need(5)) bad('truncated record');
          const n = dv.getUint32(pos + 1, true);
          if (n > MAX_EVENT_TEXT) bad(`an event of ${n} bytes`);
          pos += 5;
          const s = text(n);
          let e: OtherEvent;
          try { e = otherFromJson(s); } catch (x) { return bad(`event ${JSON.stringify(s.slice(0, 80))}: ${x instanceof Error ? x.message : String(x)}`); }
          checkCore(e.core);
          checkTime(e.time);
          if ('seq' in e && e.seq !== undefined && !isTime(e.seq)) bad(`sequence number ${e.seq}`);
          if (e.t === 'sgi') for (const c of e.targets) checkCore(c, 'SGI target core');
          if ((e.t === 'wake' || e.t === 'excl') && e.by !== undefined) checkCore(e.by, 'core');
          if (e.t === 'excl' && e.pa !== undefined) checkPa(e.pa);
          w.other(e);
          break;
        }
        case Tag.Uart: {
          if (!need(11)) bad('truncated record');
          const c = buf[pos + 1], t = dv.getFloat64(pos + 2, true);
          checkCore(c);
          checkTime(t);
          w.other({ t: 'uart', core: c, time: t, byte: buf[pos + 10] });
          pos += 11;
          break;
        }
        case Tag.Excl: {
          if (!need(11)) bad('truncated record');
          const c = buf[pos + 1], time = dv.getFloat64(pos + 2, true), f = buf[pos + 10];
          checkCore(c);
          checkTime(time);
          if ((f & 3) === 3 || f > 15) bad(`exclusive monitor record flags 0x${f.toString(16)}`);
          const n = 11 + ((f & 4) !== 0 ? 8 : 0) + ((f & 8) !== 0 ? 1 : 0);
          if (!need(n)) bad('truncated record');
          const op = (['set', 'clear', 'fail'] as const)[f & 3];
          let p = pos + 11;
          const e: OtherEvent = { t: 'excl', core: c, time, op };
          if ((f & 4) !== 0) { e.pa = dv.getFloat64(p, true); checkPa(e.pa); p += 8; }
          if ((f & 8) !== 0) { e.by = buf[p]; checkCore(e.by); }
          pos += n;
          w.other(e);
          break;
        }
        default:
          if (tag >= Tag.Reg32 && tag <= Tag.Reg32 + REG_FPSR || tag >= Tag.Reg && tag <= Tag.Reg + REG_FPSR) {
            const wide = tag >= Tag.Reg, r = tag - (wide ? Tag.Reg : Tag.Reg32);
            if (!need(wide ? 9 : 5)) bad('truncated record');
            const lo = dv.getInt32(pos + 1, true), hi = wide ? dv.getInt32(pos + 5, true) : 0;
            owner();
            pos += wide ? 9 : 5;
            if (r === REG_CPSR && v1) w.reg(core, seq[core], time[core], r, hi, 0, el[core], spsel[core]);
            else w.reg(core, seq[core], time[core], r, lo, hi, el[core], spsel[core]);
          } else if ((tag & 0xe0) === Tag.Mem) {
            const f = tag & 0x1f;
            const size = 1 << ((f >>> 1) & 3);
            const n = 1 + 4 + ((f & 8) !== 0 ? 4 : 0) + ((f & 16) !== 0 ? 8 : 0) + 4 + (size === 8 ? 4 : 0);
            if (!need(n)) bad('truncated record');
            let p = pos + 1;
            const vaLo = dv.getInt32(p, true); p += 4;
            let vaHi = 0;
            if ((f & 8) !== 0) { vaHi = dv.getInt32(p, true); p += 4; }
            let pa = vaLo >>> 0;
            if ((f & 16) !== 0) { pa = dv.getFloat64(p, true); checkPa(pa); p += 8; }
            const lo = dv.getInt32(p, true); p += 4;
            let hi = 0;
            if (size === 8) { hi = dv.getInt32(p, true); p += 4; }
            owner();
            pos = p;
            w.mem(core, seq[core], time[core], (f & 1) !== 0, vaLo, vaHi, pa, size, lo, hi);
          } else bad(`unknown record tag 0x${tag.toString(16)}`);
      }
    }
    return ncores;
  } finally {
    closeSync(fd);
  }
}
