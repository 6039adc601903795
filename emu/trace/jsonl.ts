// JSON Lines trace writer: the schema is documented at the top of ./events.ts.

import { BufferedFile, ascii } from './output.js';
import { InsnEvent, OtherEvent, TraceWriter, hex32, hexTrim } from './events.js';

const P_INSN = ascii('{"t":"insn","core":'), P_REG = ascii('{"t":"reg","core":'), P_MEM = ascii('{"t":"mem","core":');
const P_SEQ = ascii(',"seq":'), P_TIME = ascii(',"time":'), P_TRUE = ascii('true'), P_FALSE = ascii('false');
const P_REGNAME = ascii(',"reg":"'), P_VAL = ascii('","val":"0x'), P_END = ascii('"}\n');
const P_DIR_R = ascii(',"dir":"r","va":"0x'), P_DIR_W = ascii(',"dir":"w","va":"0x'), P_PA = ascii('","pa":"0x');
const P_SIZE = ascii('","size":'), P_MVAL = ascii(',"val":"0x');

/** Hex without leading zeros of (lo, hi). */
function hexTrimTo(o: BufferedFile, lo: number, hi: number): void {
  if (hi !== 0) { o.hex(hi, digits(hi)); o.hex(lo, 8); } else o.hex(lo, digits(lo));
}

function digits(v: number): number {
  v >>>= 0;
  let d = 1;
  while (d < 8 && v >>> (4 * d) !== 0) d++;
  return d;
}

export class JsonlWriter implements TraceWriter {
  private readonly out: BufferedFile;
  private readonly names = new Map<string, Uint8Array>();

  constructor(path: string) {
    this.out = new BufferedFile(path);
  }

  insn(e: InsnEvent): void {
    const key = e.el * 2 + e.spsel, cache = e.cache;
    if (cache.key !== key) {
      cache.key = key;
      cache.a = ascii(`,"pc":"0x${hexTrim(e.pcLo, e.pcHi)}","op":"${hex32(e.op)}","el":${e.el},"sp":"${e.spsel !== 0 ? 'h' : 't'}","cf":`);
      cache.b = ascii(`,"dis":${JSON.stringify(e.dis)}` + (e.sym !== undefined ? `,"sym":${JSON.stringify(e.sym)}` : '') + '}\n');
    }
    const o = this.out;
    o.reserve(96 + cache.a.length + cache.b.length);
    o.put(P_INSN); o.dec(e.core); o.put(P_SEQ); o.dec(e.seq); o.put(P_TIME); o.dec(e.time);
    o.put(cache.a); o.put(e.cf ? P_TRUE : P_FALSE); o.put(cache.b);
  }

  reg(core: number, seq: number, time: number, name: string, lo: number, hi: number): void {
    let n = this.names.get(name);
    if (n === undefined) { n = ascii(name); this.names.set(name, n); }
    const o = this.out;
    o.reserve(128);
    o.put(P_REG); o.dec(core); o.put(P_SEQ); o.dec(seq); o.put(P_TIME); o.dec(time);
    o.put(P_REGNAME); o.put(n); o.put(P_VAL); o.hex(hi, 8); o.hex(lo, 8); o.put(P_END);
  }

  mem(core: number, seq: number, time: number, write: boolean, vaLo: number, vaHi: number, pa: number, size: number, lo: number, hi: number): void {
    const o = this.out;
    o.reserve(192);
    o.put(P_MEM); o.dec(core); o.put(P_SEQ); o.dec(seq); o.put(P_TIME); o.dec(time);
    o.put(write ? P_DIR_W : P_DIR_R);
    hexTrimTo(o, vaLo, vaHi);
    o.put(P_PA);
    hexTrimTo(o, pa | 0, Math.floor(pa / 4294967296));
    o.put(P_SIZE); o.dec(size); o.put(P_MVAL);
    if (size === 8) { o.hex(hi, 8); o.hex(lo, 8); } else o.hex(lo, 2 * size);
    o.put(P_END);
  }

  other(e: OtherEvent): void {
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
    }
    this.out.write(head + seq + time + body + '}\n');
  }

  close(): void {
    this.out.close();
  }
}
