// JSON Lines trace writer: the schema is documented at the top of ./events.ts.

import { BufferedFile, ascii } from './output.js';
import { CodeLocation, OtherEvent, TraceWriter, hex32, hexTrim, REG_NAMES, V_NAMES, otherJson } from './events.js';

const P_INSN = ascii('{"t":"insn","core":'), P_REG = ascii('{"t":"reg","core":'), P_MEM = ascii('{"t":"mem","core":');
const P_SEQ = ascii(',"seq":'), P_TIME = ascii(',"time":'), P_TRUE = ascii('true'), P_FALSE = ascii('false');
const P_REGNAME = ascii(',"reg":"'), P_VAL = ascii('","val":"0x'), P_END = ascii('"}\n');
const P_DIR_R = ascii(',"dir":"r","va":"0x'), P_DIR_W = ascii(',"dir":"w","va":"0x'), P_PA = ascii('","pa":"0x');
const P_NAMES = REG_NAMES.map(ascii);
const P_VNAMES = V_NAMES.map(ascii);
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

  constructor(path: string) {
    this.out = new BufferedFile(path);
  }

  insn(core: number, seq: number, time: number, code: CodeLocation, el: number, spsel: number, cf: boolean): void {
    const key = el * 2 + spsel, cache = code.cache;
    if (cache.key !== key) {
      cache.key = key;
      cache.a = ascii(`,"pc":"0x${hexTrim(code.pcLo, code.pcHi)}","op":"${hex32(code.word)}","el":${el},"sp":"${spsel !== 0 ? 'h' : 't'}","cf":`);
      cache.b = ascii(`,"dis":${JSON.stringify(code.dis)}` + (code.sym !== undefined ? `,"sym":${JSON.stringify(code.sym)}` : '') + '}\n');
    }
    const o = this.out;
    o.reserve(96 + cache.a.length + cache.b.length);
    o.put(P_INSN); o.dec(core); o.put(P_SEQ); o.dec(seq); o.put(P_TIME); o.dec(time);
    o.put(cache.a); o.put(cf ? P_TRUE : P_FALSE); o.put(cache.b);
  }

  reg(core: number, seq: number, time: number, r: number, lo: number, hi: number): void {
    const o = this.out;
    o.reserve(128);
    o.put(P_REG); o.dec(core);
    if (seq >= 0) { o.put(P_SEQ); o.dec(seq); } // -1: registers before the core's first instruction
    o.put(P_TIME); o.dec(time);
    o.put(P_REGNAME); o.put(P_NAMES[r]); o.put(P_VAL); o.hex(hi, 8); o.hex(lo, 8); o.put(P_END);
  }

  vreg(core: number, seq: number, time: number, n: number, w0: number, w1: number, w2: number, w3: number): void {
    const o = this.out;
    o.reserve(144);
    o.put(P_REG); o.dec(core); o.put(P_SEQ); o.dec(seq); o.put(P_TIME); o.dec(time);
    o.put(P_REGNAME); o.put(P_VNAMES[n]); o.put(P_VAL); o.hex(w3, 8); o.hex(w2, 8); o.hex(w1, 8); o.hex(w0, 8); o.put(P_END);
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
    this.out.write(otherJson(e) + '\n');
  }

  close(): void {
    this.out.close();
  }
}
