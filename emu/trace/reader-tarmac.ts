// Tarmac reader (instruction-level only): the line kinds Arm Fast Models write and platform.md shows,
//   4 clk IT (4) 002109bc a9be7bfd O EL3h_s : STP      x29,x30,[sp,#-0x20]!
//   4 clk R SP_EL3 00000000000FFFE0
//   4 clk MW8 000fffe0:0000000fffe0 00000000_00000000
// in one file per core (FILE.core0, FILE.core1, ..., merged here by time) or with the core named after
// the time unit as gem5 does (`4 clk cpu0 IT ...`). Other Tarmac line kinds (exception lines, branch
// records, ...) are skipped; a line that does not begin with a time and a unit is malformed.

import { existsSync, readdirSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { TraceEvent, TraceFormatError, EventSink } from './reader.js';
import { MAX_TRACE_CORES } from './events.js';

const LINE = /^\s*(\d+)\s+([a-z]+)\s+(?:cpu(\d+)\s+)?(\S+)\s*(.*)$/i;
const INSN = /^(?:\((\d+)\)\s+)?([0-9a-f_]+)(?::[0-9a-f_]+)?\s+([0-9a-f]+)\s+([OATX])\s+(EL(\d)([th]?)(?:_[sn])?)\s*:\s*(.*)$/i;
const MEM = /^M([RW])(\d+)[A-Z]*$/i;

/** Per-core files of a Tarmac trace PATH: PATH.core0, PATH.core1, ... in core order. */
export function tarmacCoreFiles(path: string): { core: number; file: string }[] {
  const dir = dirname(path), base = basename(path);
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const out: { core: number; file: string }[] = [];
  for (const n of names) {
    if (!n.startsWith(`${base}.core`)) continue;
    const m = /^core(\d+)$/.exec(n.slice(base.length + 1));
    if (m !== null) out.push({ core: Number(m[1]), file: join(dir, n) });
  }
  return out.sort((a, b) => a.core - b.core);
}

class TarmacParser {
  private lastSeq = new Map<number, number>();
  private autoSeq = new Map<number, number>();
  constructor(private readonly file: string, private readonly defaultCore: number) {}

  parse(text: string, lineNo: number): TraceEvent | undefined {
    if (text.trim() === '') return undefined;
    const m = LINE.exec(text);
    if (m === null) throw new TraceFormatError(this.file, lineNo, 'not a Tarmac line (TIME UNIT KIND ...)');
    const time = Number(m[1]);
    if (!Number.isSafeInteger(time)) throw new TraceFormatError(this.file, lineNo, 'time out of range');
    const core = m[3] !== undefined ? Number(m[3]) : this.defaultCore;
    if (core >= MAX_TRACE_CORES) throw new TraceFormatError(this.file, lineNo, `core ${core} (a trace has at most ${MAX_TRACE_CORES} cores)`);
    const kind = m[4], rest = m[5];
    if (kind === 'IT' || kind === 'IS') {
      const im = INSN.exec(rest);
      if (im === null) throw new TraceFormatError(this.file, lineNo, `${kind} line: expected (SEQ) ADDR ENCODING STATE EL : DISASM`);
      let seq: number;
      if (im[1] !== undefined) seq = Number(im[1]);
      else seq = (this.autoSeq.get(core) ?? 0) + 1;
      this.autoSeq.set(core, seq);
      this.lastSeq.set(core, seq);
      return {
        t: 'insn', core, seq, time,
        pc: `0x${im[2].replace(/_/g, '').toLowerCase()}`, op: im[3].toLowerCase(),
        el: Number(im[6]), sp: im[7] === '' ? undefined : im[7].toLowerCase(), cf: kind === 'IS',
        dis: im[8].replace(/\s+/g, ' ').trim().toLowerCase(),
      };
    }
    if (kind === 'R') {
      const rm = /^(\S+)\s+(\S+)/.exec(rest);
      if (rm === null) throw new TraceFormatError(this.file, lineNo, 'R line: expected NAME VALUE');
      // Q0..Q31 (a whole V register, as Fast Models name it) are v0..v31, as in the other formats.
      const name = rm[1].toLowerCase().replace(/^q(\d+)$/, 'v$1');
      return { t: 'reg', core, seq: this.lastSeq.get(core), time, reg: name, val: `0x${rm[2].replace(/_/g, '').toLowerCase()}` };
    }
    const mm = MEM.exec(kind);
    if (mm !== null) {
      const am = /^([0-9a-f_]+)(?::([0-9a-f_]+?)(?:_N?S)?)?\s+(\S+)/i.exec(rest);
      if (am === null) throw new TraceFormatError(this.file, lineNo, `${kind} line: expected VA:PA VALUE`);
      const va = `0x${am[1].replace(/_/g, '').toLowerCase()}`;
      return {
        t: 'mem', core, seq: this.lastSeq.get(core), time, dir: mm[1].toLowerCase(), size: Number(mm[2]),
        va, pa: am[2] === undefined ? va : `0x${am[2].replace(/_/g, '').toLowerCase()}`,
        val: `0x${am[3].replace(/_/g, '').toLowerCase()}`,
      };
    }
    return undefined; // another Tarmac line kind: not used here
  }
}

async function* fileEvents(file: string, core: number): AsyncGenerator<TraceEvent> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  let openError: unknown;
  stream.on('error', (e) => { openError = e; });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  const p = new TarmacParser(file, core);
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      const ev = p.parse(line, lineNo);
      if (ev !== undefined) yield ev;
    }
  } finally {
    rl.close();
    stream.destroy();
  }
  if (openError !== undefined) throw openError;
}

/** Read a Tarmac trace: one file (core from gem5's cpuN, or from a .coreN suffix, else 0), or per-core
 * files PATH.coreN merged in time order (ties to the lower core). */
export async function readTarmac(path: string, sink: EventSink): Promise<void> {
  if (existsSync(path)) {
    const m = /\.core(\d+)$/.exec(path);
    let n = 0;
    for await (const ev of fileEvents(path, m === null ? 0 : Number(m[1]))) {
      if (sink(ev, ++n) === false) return;
    }
    return;
  }
  const files = tarmacCoreFiles(path);
  if (files.length === 0) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  const its = files.map((f) => fileEvents(f.file, f.core));
  const heads: (TraceEvent | undefined)[] = await Promise.all(its.map(async (it) => (await it.next()).value as TraceEvent | undefined));
  let n = 0;
  try {
    for (;;) {
      let best = -1;
      for (let k = 0; k < heads.length; k++) {
        const h = heads[k];
        if (h !== undefined && (best < 0 || h.time < heads[best]!.time)) best = k;
      }
      if (best < 0) return;
      if (sink(heads[best]!, ++n) === false) return;
      heads[best] = (await its[best].next()).value as TraceEvent | undefined;
    }
  } finally {
    await Promise.all(its.map((it) => it.return(undefined)));
  }
}
