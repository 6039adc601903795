// Issue 15, items 3-5: the CLI and the trace tools on bad input and failing output. Exact 64-bit
// addresses in messages and traces; convert that refuses to overwrite its input and checks the whole
// input before it creates a file; write errors (a full disk: /dev/full) as one line and status 2;
// damaged binary, JSON Lines and Tarmac traces; filters that can select nothing; --seed over 64 bits;
// ELF images with damaged symbol tables; entry points outside RAM; empty --load files.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, existsSync, linkSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliIn, CliResult } from './run-cli.js';
import { Machine } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { BinaryWriter } from '../../emu/trace/binary.js';
import type { CodeLocation } from '../../emu/trace/events.js';
import { buildElf, BuiltElf } from '../loader/elfwriter.js';

const ROOT = join(__dirname, '..', '..');
const SELFTEST = join(ROOT, 'firmware/images/smp-selftest.elf');
const FULL = '/dev/full';
const haveFull = existsSync(FULL);
let dir: string;
let cli: (...args: string[]) => Promise<CliResult>;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-robust-')); cli = cliIn(dir); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A one-line error with this status, and nothing that looks like a host stack trace. */
function failsWith(r: CliResult, status: number, re: RegExp): void {
  expect(r.status, r.err).toBe(status);
  expect(r.err).toMatch(re);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
}

// ------------------------------------------------------------------ hand-made binary traces

/** A binary trace: the 16-byte header (ncores cores) and then the given records. */
function binTrace(ncores: number, ...records: Buffer[]): Buffer {
  const h = Buffer.alloc(16);
  h.write('A64TRACE', 0, 'latin1');
  h.writeUInt16LE(1, 8);
  h.writeUInt16LE(ncores, 10);
  return Buffer.concat([h, ...records]);
}
const ctx = (core: number, seq: number, time: number): Buffer => {
  const b = Buffer.alloc(18);
  b[0] = 0x01; b[1] = core; b.writeDoubleLE(seq, 2); b.writeDoubleLE(time, 10);
  return b;
};
const code = (pc: bigint, word: number): Buffer => {
  const b = Buffer.alloc(15);
  b[0] = 0x03; b.writeUInt32LE(Number(pc & 0xffff_ffffn), 1); b.writeUInt32LE(Number(pc >> 32n), 5); b.writeUInt32LE(word, 9);
  b.writeUInt16LE(0xffff, 13);
  return b;
};
const INSN_NEXT = Buffer.from([0x10]);
const uart = (core: number, time: number): Buffer => {
  const b = Buffer.alloc(11);
  b[0] = 0x41; b[1] = core; b.writeDoubleLE(time, 2); b[10] = 0x41;
  return b;
};
const excl = (core: number, time: number, pa?: number): Buffer => {
  const b = Buffer.alloc(pa === undefined ? 11 : 19);
  b[0] = 0x42; b[1] = core; b.writeDoubleLE(time, 2); b[10] = pa === undefined ? 2 : 4;
  if (pa !== undefined) b.writeDoubleLE(pa, 11);
  return b;
};
/** A 4-byte read whose PA differs from its VA. */
const memPa = (va: number, pa: number): Buffer => {
  const b = Buffer.alloc(1 + 4 + 8 + 4);
  b[0] = 0xc0 | (2 << 1) | 16; b.writeUInt32LE(va, 1); b.writeDoubleLE(pa, 5); b.writeUInt32LE(7, 13);
  return b;
};
const other = (json: string): Buffer => {
  const b = Buffer.alloc(5);
  b[0] = 0x40; b.writeUInt32LE(json.length, 1);
  return Buffer.concat([b, Buffer.from(json, 'latin1')]);
};
const reg32 = (r: number, v: number): Buffer => { const b = Buffer.alloc(5); b[0] = 0x60 + r; b.writeUInt32LE(v, 1); return b; };

/** One good instruction of core 0 (at time 0), for records that need one before them. */
const GOOD = [code(0x4008_0000n, 0xd503201f), ctx(0, -1, -1), INSN_NEXT];

// ------------------------------------------------------------------ 3. exact addresses

describe('exact 64-bit addresses', () => {
  const HIGH = 0xffff_8000_0966_3eb0n; // as a double: 0xffff800009664000

  it('trace show prints a high PC and its branch target exactly (binary trace, disassembled on reading)', async () => {
    const f = join(dir, 'high.a64t');
    const w = new BinaryWriter(f, 1);
    const loc: CodeLocation = {
      id: 0, pcLo: Number(HIGH & 0xffff_ffffn) | 0, pcHi: Number(HIGH >> 32n) | 0, word: 0x94000002, // bl .+8
      dis: '', sym: undefined, cache: { key: -1, a: new Uint8Array(0), b: new Uint8Array(0) },
    };
    w.code(loc);
    w.insn(0, 0, 0, loc, 1, 1, false);
    w.reg(0, 0, 0, 30, Number((HIGH + 4n) & 0xffff_ffffn) | 0, Number((HIGH + 4n) >> 32n) | 0, 1, 1, 0);
    w.close();
    const r = await cli('trace', 'show', 'high.a64t');
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('0xffff800009663eb0 94000002');
    expect(r.out).toContain('bl #0xffff800009663eb8');
    expect(r.out).toContain('x30 = 0xffff800009663eb4');
    expect(r.out).not.toContain('0xffff800009664');
    // And through convert: JSON Lines and Tarmac carry the same exact values.
    expect((await cli('trace', 'convert', 'high.a64t', '--to', 'jsonl', '-o', 'high.jsonl')).status).toBe(0);
    const j = readFileSync(join(dir, 'high.jsonl'), 'utf8');
    expect(j).toContain('"pc":"0xffff800009663eb0"');
    expect(j).toContain('"dis":"bl #0xffff800009663eb8"');
    const show = await cli('trace', 'show', 'high.jsonl');
    expect(show.out).toContain('0xffff800009663eb0');
  });

  it('a run message names a high faulting address exactly', async () => {
    // x0 = 0xffff800009663eb0; br x0 (MMU off: an address size fault, then the unset vector table).
    const words = [0xd287d600, 0xf2a12cc0, 0xf2d00000, 0xf2ffffe0, 0xd61f0000];
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, k) => b.writeUInt32LE(w, 4 * k));
    writeFileSync(join(dir, 'high.bin'), b);
    const r = await cli('run', '--smp', '1', '--load', 'high.bin@0x40000000');
    expect(r.status).toBe(123);
    expect(r.err).toContain('from 0xffff800009663eb0 went to the vector table');
    expect(r.err).toContain('instruction fetch from 0x200, which is not RAM'); // the PC's PA, not its page's
  });

  it('Machine.where prints a high PC exactly', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const c = m.cores[0];
    c.pcLo = 0x0966_3eb0 | 0; c.pcHi = 0xffff_8000 | 0;
    let asked: bigint | undefined;
    m.symbolize = (a) => { asked = a; return 'start_kernel+0x10'; };
    expect(m.where(c)).toBe('pc=0xffff800009663eb0 <start_kernel+0x10>');
    expect(asked).toBe(HIGH);
  });
});

// ------------------------------------------------------------------ 4. trace tools

describe('trace convert never destroys its input', () => {
  let trace: string;
  beforeAll(async () => {
    trace = join(dir, 'in.a64t');
    const r = await cli('run', SELFTEST, '--smp', '2', '--max-insns', '20000', '--trace', 'in.a64t');
    expect(r.status).toBe(124);
  });

  it('refuses an output that is the input, by any path, before opening anything', async () => {
    const before = sha(trace);
    symlinkSync('in.a64t', join(dir, 'in-link.a64t'));
    linkSync(trace, join(dir, 'in-hard.a64t'));
    for (const out of ['in.a64t', './in.a64t', join(dir, 'in.a64t'), 'in-link.a64t', 'in-hard.a64t']) {
      for (const to of ['jsonl', 'tarmac']) {
        const extra = to === 'tarmac' ? ['--cores-inline'] : [];
        failsWith(await cli('trace', 'convert', 'in.a64t', '--to', to, '-o', out, ...extra), 2, /refusing to overwrite/);
        expect(sha(trace)).toBe(before);
      }
    }
    // Per-core Tarmac output: FILE.core0 may be the input.
    symlinkSync('in.a64t', join(dir, 'percore.core1'));
    failsWith(await cli('trace', 'convert', 'in.a64t', '--to', 'tarmac', '-o', 'percore'), 2, /percore\.core1 is the same file as the input/);
    expect(existsSync(join(dir, 'percore.core0'))).toBe(false);
    // timeline -o too
    failsWith(await cli('trace', 'timeline', 'in.a64t', '-o', 'in-hard.a64t'), 2, /refusing to overwrite/);
    expect(sha(trace)).toBe(before);
    // A different file is fine.
    expect((await cli('trace', 'convert', 'in.a64t', '--to', 'jsonl', '-o', 'out.jsonl')).status).toBe(0);
  });

  it.runIf(haveFull)('write errors are one line and status 2: convert, timeline, run --trace in every format', async () => {
    failsWith(await cli('trace', 'convert', 'in.a64t', '--to', 'jsonl', '-o', FULL), 2, /cannot write \/dev\/full: no space left on device/);
    failsWith(await cli('trace', 'convert', 'in.a64t', '--to', 'tarmac', '--cores-inline', '-o', FULL), 2, /cannot write \/dev\/full: no space left/);
    failsWith(await cli('trace', 'timeline', 'in.a64t', '-o', FULL), 2, /cannot write \/dev\/full: no space left/);
    for (const fmt of [['--trace-format', 'jsonl'], ['--trace-format', 'binary'], ['--trace-format', 'tarmac', '--trace-cores-inline']]) {
      const r = await cli('run', SELFTEST, '--smp', '2', '--max-insns', '200000', '--trace', FULL, ...fmt);
      failsWith(r, 2, /cannot write the trace \/dev\/full: no space left on device \(the run stopped there; core 0 pc=0x/);
    }
  });

  it('an unwritable output directory is a usage error too', async () => {
    failsWith(await cli('trace', 'convert', 'in.a64t', '--to', 'jsonl', '-o', 'no/such/dir/x.jsonl'), 2, /cannot write .*x\.jsonl: no such file/);
    failsWith(await cli('run', SELFTEST, '--max-insns', '1000', '--trace', 'no/such/dir/t.a64t'), 2, /cannot write the trace .*t\.a64t: no such file/);
  });
});

describe.runIf(haveFull)('standard output that cannot be written (the spawned binary)', () => {
  const BIN = join(ROOT, 'dist/emu/cli/main.js');
  const newest = (d: string): number => readdirSync(d, { withFileTypes: true })
    .reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(d, e.name)) : e.name.endsWith('.ts') ? statSync(join(d, e.name)).mtimeMs : 0), 0);
  beforeAll(async () => {
    // Async throughout: a test worker blocked for long misses its RPC deadline (vitest reports an error).
    if (!existsSync(BIN) || statSync(BIN).mtimeMs < newest(join(ROOT, 'emu'))) {
      try { await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', ROOT]); } catch { /* checked below */ }
    }
  }, 300_000);

  it('> /dev/full is one line and status 2, not a silent 0 or an internal error', async () => {
    expect((await cli('run', SELFTEST, '--smp', '2', '--max-insns', '20000', '--trace', 'so.a64t')).status).toBe(124);
    for (const args of [['trace', 'show', join(dir, 'so.a64t')], ['trace', 'show', join(dir, 'so.a64t'), '--count', '2'], ['disasm', SELFTEST]]) {
      const fd = openSync(FULL, 'w');
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', fd, 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const status = await new Promise<number | null>((res) => child.on('close', res));
      closeSync(fd);
      expect(status, `${args.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr).toBe('a64emu: cannot write standard output: no space left on device\n');
    }
  }, 120_000);
});

describe('damaged binary traces: exit 2 with the byte offset, and convert creates nothing', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['UART record with a NaN time', binTrace(1, ...GOOD, uart(0, NaN)), /byte 50: malformed binary trace: time NaN/],
    ['UART record with an infinite time', binTrace(1, ...GOOD, uart(0, Infinity)), /time Infinity/],
    ['exclusive-monitor record with a NaN time', binTrace(1, ...GOOD, excl(0, NaN)), /time NaN/],
    ['exclusive-monitor record with a negative time', binTrace(1, ...GOOD, excl(0, -5)), /time -5/],
    ['exclusive-monitor record with an infinite PA', binTrace(1, ...GOOD, excl(0, 3, Infinity)), /physical address Infinity/],
    ['exclusive-monitor record with a huge PA', binTrace(1, ...GOOD, excl(0, 3, 2 ** 60)), /physical address 1152921504606847000/],
    ['memory record with a fractional PA', binTrace(1, ...GOOD, memPa(0x1000, 0.5)), /physical address 0\.5/],
    ['memory record with a negative PA', binTrace(1, ...GOOD, memPa(0x1000, -4096)), /physical address -4096/],
    ['CTX with an infinite time', binTrace(1, ctx(0, 0, Infinity)), /byte 16: .*time Infinity/],
    ['CTX with a NaN sequence number', binTrace(1, ctx(0, NaN, 0)), /sequence number NaN/],
    ['CTX with a time of -2', binTrace(1, ctx(0, 0, -2)), /time -2/],
    ['a register record before any instruction', binTrace(1, reg32(0, 1)), /byte 16: .*before its first instruction/],
    ['an instruction past 2^53', binTrace(1, code(0x40000000n, 0xd503201f), ctx(0, 2 ** 53 - 1, 0), INSN_NEXT), /beyond 2\^53/],
    ['an event of a core beyond the header', binTrace(2, other('{"t":"sleep","core":5,"time":1,"why":"wfe"}')), /core 5 of a 2-core trace/],
    ['an SGI to a core beyond the header', binTrace(2, other('{"t":"sgi","core":0,"time":1,"targets":[1,7],"intid":0,"val":"0x0"}')), /SGI target core 7 of a 2-core trace/],
    ['a wake by a core beyond the header', binTrace(2, other('{"t":"wake","core":0,"time":1,"cause":"sev","by":9}')), /core 9 of a 2-core trace/],
    ['an exclusive clear by a core beyond the header', binTrace(2, Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 | 8, 9])), /core 9 of a 2-core trace/],
    ['an event with a negative time', binTrace(1, other('{"t":"psci","core":0,"time":-1,"fn":"0x84000000","ret":0}')), /time -1/],
    ['an exception to EL 7', binTrace(1, other('{"t":"exc","core":0,"time":1,"kind":"irq","from":1,"to":7,"esr":"0x0","elr":"0x0","vec":"0x0"}')), /"to" is not an EL/],
    ['an excl event with a PA beyond 2^52', binTrace(1, other('{"t":"excl","core":0,"time":1,"op":"set","pa":"0xffffffffffffffff"}')), /physical address/],
    ['a UART record of core 3 in a 1-core trace', binTrace(1, uart(3, 1)), /core 3 of a 1-core trace/],
    ['a header claiming 65,535 cores', binTrace(65535), /byte 8: .*65535 cores \(a trace has 1 to 64\)/],
    ['a header claiming 0 cores', binTrace(0), /0 cores/],
    ['a header claiming version 3', (() => { const b = binTrace(1); b.writeUInt16LE(3, 8); return b; })(), /version 3/],
  ];
  for (const [what, bytes, re] of cases) {
    it(what, async () => {
      const name = `bad-${what.replace(/\W+/g, '-')}`;
      writeFileSync(join(dir, `${name}.a64t`), bytes);
      for (const cmd of [['show'], ['stats'], ['timeline', '-o', `${name}.html`]]) {
        failsWith(await cli('trace', ...cmd, `${name}.a64t`), 2, re);
      }
      for (const [to, extra] of [['jsonl', []], ['tarmac', []], ['tarmac', ['--cores-inline']]] as [string, string[]][]) {
        failsWith(await cli('trace', 'convert', `${name}.a64t`, '--to', to, '-o', `${name}.out`, ...extra), 2, re);
        expect(readdirSync(dir).filter((f) => f.startsWith(`${name}.out`)), 'convert created files for a bad input').toEqual([]);
      }
    });
  }

  it('the good prefix of those traces converts, and what convert writes its readers accept', async () => {
    writeFileSync(join(dir, 'good.a64t'), binTrace(2, ...GOOD, uart(0, 1), excl(0, 2, 0x4000_1000), memPa(0x1000, 0x4000_1000),
      other('{"t":"wake","core":1,"time":3,"cause":"sev","by":0}')));
    for (const to of ['jsonl', 'tarmac']) {
      expect((await cli('trace', 'convert', 'good.a64t', '--to', to, '-o', `good.${to}`)).status).toBe(0);
    }
    const r = await cli('trace', 'show', 'good.jsonl');
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('exclusive monitor set 0x40001000');
    expect((await cli('trace', 'show', 'good.tarmac')).status).toBe(0);
  });
});

describe('damaged JSON Lines and Tarmac traces', () => {
  const cases: [string, string, string, RegExp][] = [
    ['JSON Lines: core 64', 'c64.jsonl', '{"t":"uart","core":64,"time":1,"byte":65}\n', /c64\.jsonl:1: malformed trace line: core 64 \(a trace has at most 64 cores\)/],
    ['JSON Lines: an SGI to core 99', 'sgi99.jsonl', '{"t":"insn","core":0,"seq":0,"time":0,"pc":"0x0"}\n{"t":"sgi","core":0,"time":1,"targets":[99],"intid":1}\n', /sgi99\.jsonl:2: .*"targets" is not an array of core numbers/],
    ['JSON Lines: a wake by core 70', 'wake70.jsonl', '{"t":"wake","core":0,"time":1,"cause":"sev","by":70}\n', /"by" is not a core number/],
    ['JSON Lines: a NaN time (not JSON)', 'nan.jsonl', '{"t":"uart","core":0,"time":NaN,"byte":65}\n', /nan\.jsonl:1: malformed trace line: not JSON/],
    ['JSON Lines: a negative sequence number', 'seq.jsonl', '{"t":"insn","core":0,"seq":-1,"time":0,"pc":"0x0"}\n', /"seq" is not a non-negative integer/],
    ['JSON Lines: a time beyond 2^53', 'big.jsonl', '{"t":"uart","core":0,"time":1e300,"byte":65}\n', /"time" is not a non-negative integer/],
    ['Tarmac: cpu64', 'c64.tarmac', '0 clk cpu64 IT (0) 40000000 d503201f O EL1h_n : NOP\n', /c64\.tarmac:1: malformed trace line: core 64/],
    ['Tarmac: a time beyond 2^53', 'big.tarmac', '99999999999999999999 clk IT (0) 40000000 d503201f O EL1h_n : NOP\n', /time out of range/],
    ['Tarmac: a line that is not Tarmac', 'junk.tarmac', 'hello\n', /not a Tarmac line/],
  ];
  for (const [what, file, text, re] of cases) {
    it(what, async () => {
      writeFileSync(join(dir, file), text);
      for (const cmd of [['show'], ['stats']]) failsWith(await cli('trace', ...cmd, file), 2, re);
    });
  }

  it('per-core Tarmac files: a .core64 file is refused', async () => {
    writeFileSync(join(dir, 'pc.core0'), '0 clk IT (0) 40000000 d503201f O EL1h_n : NOP\n');
    writeFileSync(join(dir, 'pc.core64'), '1 clk IT (0) 40000000 d503201f O EL1h_n : NOP\n');
    failsWith(await cli('trace', 'show', 'pc'), 2, /pc\.core64:1: malformed trace line: core 64/);
  });
});

describe('filters that select nothing that can exist are usage errors', () => {
  it('run --trace-filter', async () => {
    failsWith(await cli('run', SELFTEST, '--smp', '4', '--max-insns', '1000', '--trace', 'f.jsonl', '--trace-filter', 'core=99'), 2, /no core 99 on a 4-core machine/);
    failsWith(await cli('run', SELFTEST, '--smp', '4', '--max-insns', '1000', '--trace', 'f.jsonl', '--trace-filter', 'core=0', '--trace-filter', 'core=1'), 2, /no core in common/);
    failsWith(await cli('run', SELFTEST, '--max-insns', '1000', '--trace', 'f.jsonl', '--trace-filter', 'kind=insn', '--trace-filter', 'kind=sgi'), 2, /no kind in common/);
    failsWith(await cli('run', SELFTEST, '--max-insns', '1000', '--trace', 'f.jsonl', '--trace-filter', 'addr=0x1000-0x2000', '--trace-filter', 'addr=0x3000-0x4000'), 2, /do not overlap/);
    expect(existsSync(join(dir, 'f.jsonl'))).toBe(false);
    // One core that exists among others that do not is fine.
    expect((await cli('run', SELFTEST, '--smp', '4', '--max-insns', '1000', '--trace', 'f.jsonl', '--trace-filter', 'core=3,99')).status).toBe(124);
  });

  it('an addr filter above 2^53 is exact', async () => {
    // Rounded to a double, the range would hold 0xffff800009664000 and the next line would pass.
    expect((await cli('run', SELFTEST, '--max-insns', '1000', '--trace', 'hi.jsonl', '--trace-filter', 'addr=0xffff800009663eb0-0xffff800009663eb8')).status).toBe(124);
    failsWith(await cli('run', SELFTEST, '--max-insns', '1000', '--trace', 'hi.jsonl', '--trace-filter', 'addr=0x10000000000000000'), 2, /bad address/);
  });

  it('trace show --core beyond the header of a binary trace, or beyond 64', async () => {
    expect((await cli('run', SELFTEST, '--smp', '4', '--max-insns', '20000', '--trace', 'four.a64t')).status).toBe(124);
    failsWith(await cli('trace', 'show', 'four.a64t', '--core', '99'), 2, /--core 99: the trace has cores 0-3/);
    expect((await cli('trace', 'show', 'four.a64t', '--core', '3,99', '--count', '1')).status).toBe(0);
    expect((await cli('trace', 'convert', 'four.a64t', '--to', 'jsonl', '-o', 'four.jsonl')).status).toBe(0);
    failsWith(await cli('trace', 'show', 'four.jsonl', '--core', '64'), 2, /the trace has cores 0-63/);
  });
});

// ------------------------------------------------------------------ 5. CLI edges

describe('--seed over 64 bits', () => {
  /** Per-core instruction counts after a fixed budget: the scheduler's interleaving, in numbers. */
  function schedule(seed: number | bigint): number[] {
    // Long enough for the secondaries to be running (the self-test parses the device tree first).
    const m = new Machine({ smp: 4, ramMiB: 64, seed, maxInsns: 300_000, stdout: () => {}, stderr: () => {} });
    const img = loadImage(m, readFileSync(SELFTEST), { path: SELFTEST });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    m.run();
    return m.cores.map((c) => c.icount);
  }

  it('the high half matters, and no two of these seeds alias', () => {
    const seeds = [1n, (1n << 32n) + 1n, 1n << 32n, (1n << 33n) + 1n, (1n << 63n) + 1n, (1n << 64n) - 1n, 0xffff_ffffn];
    const runs = seeds.map((s) => schedule(s).join(','));
    expect(new Set(runs).size, runs.join(' | ')).toBe(seeds.length);
    // Deterministic: the same seed, the same run (a bigint or the same number).
    expect(schedule((1n << 63n) + 1n).join(',')).toBe(runs[4]);
    expect(schedule(1).join(',')).toBe(runs[0]);
  });

  it('the CLI takes 0 to 2^64-1 and refuses the rest with status 2', async () => {
    expect((await cli('run', SELFTEST, '--max-insns', '1000', '--seed', '18446744073709551615')).status).toBe(124);
    expect((await cli('run', SELFTEST, '--max-insns', '1000', '--seed', '0xffffffffffffffff')).status).toBe(124);
    for (const bad of ['18446744073709551616', '1.5', 'x', '-1', '1e3']) {
      const r = await cli('run', SELFTEST, '--max-insns', '1000', `--seed=${bad}`);
      expect(r.status, `--seed ${bad}`).toBe(2);
      expect(r.err).toMatch(/--seed/);
    }
    expect(() => new Machine({ seed: 2 ** 64 })).toThrow(RangeError);
    expect(() => new Machine({ seed: -1n })).toThrow(RangeError);
  });
});

describe('images: damaged symbol tables, entry points, empty files', () => {
  const TEXT = 0x4008_0000;
  /** An ELF whose program exits through semihosting (SYS_EXIT_EXTENDED) with status 7. */
  function exiter(): BuiltElf {
    const text = new Uint8Array(40);
    const dv = new DataView(text.buffer);
    dv.setUint32(0, 0x58000081, true); // ldr x1, .+16 (the block's address, below)
    dv.setUint32(4, 0xd2800400, true); // mov x0, #0x20 (SYS_EXIT_EXTENDED)
    dv.setUint32(8, 0xd45e0000, true); // hlt #0xf000
    dv.setUint32(12, 0x14000000, true); // b .
    dv.setBigUint64(16, BigInt(TEXT + 24), true);
    dv.setBigUint64(24, 0x20026n, true); // ADP_Stopped_ApplicationExit
    dv.setBigUint64(32, 7n, true);
    return buildElf({ entry: TEXT, segments: [{ paddr: TEXT, data: text, flags: 5 }], symbols: [{ name: '_start', value: TEXT, size: 16, type: 'func' }] });
  }

  it('an ELF with a damaged symbol table runs, with a warning on stderr (as QEMU)', async () => {
    const e = exiter();
    writeFileSync(join(dir, 'ok.elf'), e.bytes);
    const ok = await cli('run', 'ok.elf', '--smp', '1');
    expect(ok.status, ok.err).toBe(7);
    expect(ok.err).toBe('');
    const bad = Buffer.from(e.bytes);
    const dv = new DataView(bad.buffer, bad.byteOffset, bad.byteLength);
    dv.setUint32(e.shoff + 64 * e.symtabIndex + 40, 77, true); // the symbol table's string table: out of range
    writeFileSync(join(dir, 'badsym.elf'), bad);
    const r = await cli('run', 'badsym.elf', '--smp', '1');
    expect(r.status, r.err).toBe(7);
    expect(r.err).toMatch(/^a64emu: warning: badsym\.elf: symbols ignored: .*string table index 77 is out of range\n$/);
    const shdr = Buffer.from(e.bytes);
    shdr.writeBigUInt64LE(0xffff_ffff_ffffn, 40); // e_shoff past the end
    writeFileSync(join(dir, 'badshdr.elf'), shdr);
    const r2 = await cli('run', 'badshdr.elf', '--smp', '1');
    expect(r2.status, r2.err).toBe(7);
    expect(r2.err).toMatch(/warning: badshdr\.elf: section headers ignored: section header table/);
  });

  it('an entry point outside RAM is refused at load time', async () => {
    const e = exiter();
    const b = Buffer.from(e.bytes);
    b.writeBigUInt64LE(0x1000n, 24); // e_entry
    writeFileSync(join(dir, 'entry.elf'), b);
    failsWith(await cli('run', 'entry.elf', '--smp', '1'), 2, /cannot load entry\.elf: entry point 0x1000 is outside RAM \(0x40000000\.\.0x50000000\)/);
    b.writeBigUInt64LE(0xffff_8000_0966_3eb0n, 24);
    writeFileSync(join(dir, 'entry.elf'), b);
    failsWith(await cli('run', 'entry.elf', '--smp', '1'), 2, /entry point 0xffff800009663eb0 is outside RAM/);
  });

  it('a 0-byte --load file is refused like a 0-byte image', async () => {
    writeFileSync(join(dir, 'empty.bin'), '');
    failsWith(await cli('run', 'empty.bin'), 2, /cannot load empty\.bin: empty file/);
    failsWith(await cli('run', '--load', 'empty.bin@0x40000000'), 2, /cannot load empty\.bin: empty file/);
    failsWith(await cli('run', SELFTEST, '--load', 'empty.bin@0x48000000'), 2, /cannot load empty\.bin: empty file/);
  });
});
