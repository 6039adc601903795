// Fixture files: gzip of a small binary format. Per case: the state seed, the instruction words, the
// register overrides, and what QEMU reported: the outcome (signal), its PC and fault address, the
// registers that changed and the scratch bytes that changed. The initial state is regenerated from the
// seed (state.ts), so a case costs about 60 bytes.
//
//   header: "A64O" u16 version u16 0 u32 ncases u16 nnames { u8 len, name bytes }*
//   case:   u32 seed u16 name u8 nwords u32* u8 nov { u8 slot u64 }* u8 outcome u8 signo u64 pc
//           [u64 addr when the outcome is a memory fault] u8 nchanged { u8 slot u64 }*
//           u16 nruns { u16 off u16 len bytes }*

import { gunzipSync, gzipSync } from 'node:zlib';
import { FIXTURE_VERSION, Outcome } from './layout.js';
import type { Run } from './qemu.js';

export interface Expected {
  outcome: Outcome;
  signo: number;
  pc: bigint;
  /** Fault address (SIGSEGV/SIGBUS si_addr); 0 for other outcomes. */
  addr: bigint;
  /** Register slots whose final value differs from the initial one. */
  changed: Map<number, bigint>;
  /** Scratch bytes that changed. */
  runs: Run[];
}

export interface FixtureCase {
  name: string;
  seed: number;
  words: number[];
  overrides: Map<number, bigint>;
  expected: Expected;
}

export function hasAddr(o: Outcome): boolean {
  return o === Outcome.Segv || o === Outcome.Align || o === Outcome.Bus;
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  u8(v: number): void { this.room(1); this.dv.setUint8(this.len, v); this.len += 1; }
  u16(v: number): void { this.room(2); this.dv.setUint16(this.len, v, true); this.len += 2; }
  u32(v: number): void { this.room(4); this.dv.setUint32(this.len, v >>> 0, true); this.len += 4; }
  u64(v: bigint): void { this.room(8); this.dv.setBigUint64(this.len, BigInt.asUintN(64, v), true); this.len += 8; }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  done(): Uint8Array { return this.buf.slice(0, this.len); }
}

class Reader {
  private readonly dv: DataView;
  private readonly buf: Uint8Array;
  pos = 0;
  constructor(b: Uint8Array) {
    // A plain Uint8Array view (gunzipSync gives a Buffer, whose slice() would not copy).
    this.buf = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u8(): number { return this.dv.getUint8(this.pos++); }
  u16(): number { const v = this.dv.getUint16(this.pos, true); this.pos += 2; return v; }
  u32(): number { const v = this.dv.getUint32(this.pos, true); this.pos += 4; return v; }
  u64(): bigint { const v = this.dv.getBigUint64(this.pos, true); this.pos += 8; return v; }
  bytes(n: number): Uint8Array { const b = this.buf.slice(this.pos, this.pos + n); this.pos += n; return b; }
  get end(): boolean { return this.pos >= this.buf.length; }
}

export function encodeFixture(cases: readonly FixtureCase[]): Uint8Array {
  const names: string[] = [];
  const index = new Map<string, number>();
  for (const c of cases) if (!index.has(c.name)) { index.set(c.name, names.length); names.push(c.name); }
  const w = new Writer();
  for (const ch of 'A64O') w.u8(ch.charCodeAt(0));
  w.u16(FIXTURE_VERSION); w.u16(0); w.u32(cases.length);
  w.u16(names.length);
  for (const n of names) { w.u8(n.length); for (const ch of n) w.u8(ch.charCodeAt(0)); }
  for (const c of cases) {
    w.u32(c.seed);
    w.u16(index.get(c.name)!);
    w.u8(c.words.length);
    for (const x of c.words) w.u32(x);
    const ov = [...c.overrides].sort((a, b) => a[0] - b[0]);
    w.u8(ov.length);
    for (const [s, v] of ov) { w.u8(s); w.u64(v); }
    const e = c.expected;
    w.u8(e.outcome); w.u8(e.signo); w.u64(e.pc);
    if (hasAddr(e.outcome)) w.u64(e.addr);
    const ch = [...e.changed].sort((a, b) => a[0] - b[0]);
    w.u8(ch.length);
    for (const [s, v] of ch) { w.u8(s); w.u64(v); }
    w.u16(e.runs.length);
    for (const r of e.runs) { w.u16(r.off); w.u16(r.bytes.length); w.bytes(r.bytes); }
  }
  // Fixed gzip settings and no timestamp (Node writes mtime 0): same cases, same bytes.
  return gzipSync(w.done(), { level: 9 });
}

export function decodeFixture(gz: Uint8Array): FixtureCase[] {
  const r = new Reader(gunzipSync(gz));
  const magic = String.fromCharCode(r.u8(), r.u8(), r.u8(), r.u8());
  if (magic !== 'A64O') throw new Error('oracle fixture: bad magic');
  const version = r.u16(); r.u16();
  if (version !== FIXTURE_VERSION) throw new Error(`oracle fixture: version ${version}, expected ${FIXTURE_VERSION}: regenerate the fixtures`);
  const n = r.u32();
  const names: string[] = [];
  for (let k = r.u16(); k > 0; k--) {
    const len = r.u8();
    names.push(String.fromCharCode(...r.bytes(len)));
  }
  const out: FixtureCase[] = [];
  for (let k = 0; k < n; k++) {
    const seed = r.u32();
    const name = names[r.u16()];
    const words: number[] = [];
    for (let j = r.u8(); j > 0; j--) words.push(r.u32());
    const overrides = new Map<number, bigint>();
    for (let j = r.u8(); j > 0; j--) { const s = r.u8(); overrides.set(s, r.u64()); }
    const outcome = r.u8() as Outcome, signo = r.u8(), pc = r.u64();
    const addr = hasAddr(outcome) ? r.u64() : 0n;
    const changed = new Map<number, bigint>();
    for (let j = r.u8(); j > 0; j--) { const s = r.u8(); changed.set(s, r.u64()); }
    const runs: Run[] = [];
    for (let j = r.u16(); j > 0; j--) { const off = r.u16(), len = r.u16(); runs.push({ off, bytes: r.bytes(len) }); }
    out.push({ name, seed, words, overrides, expected: { outcome, signo, pc, addr, changed, runs } });
  }
  if (!r.end) throw new Error('oracle fixture: trailing bytes');
  return out;
}
