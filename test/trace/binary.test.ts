// The binary trace format: a run traced in binary and converted afterwards gives, byte for byte, the
// Tarmac and JSON Lines files the same run traced in those formats gives (the emulator is
// deterministic, so the same image run twice is the same run); reading it gives the events the JSON
// Lines reader gives. Also: filters (which make the writer state its context explicitly), and damaged
// files.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { openTrace, TraceOptions } from '../../emu/trace/tracer.js';
import { readTrace, TraceEvent } from '../../emu/trace/reader.js';
import { BinaryTraceError, replayBinary } from '../../emu/trace/binary.js';
import { TarmacWriter } from '../../emu/trace/tarmac.js';
import { JsonlWriter } from '../../emu/trace/jsonl.js';
import { main } from '../../emu/cli/main.js';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import type { DisasmFn } from '../../emu/trace/events.js';

const ROOT = join(__dirname, '..', '..');
let dir: string;
let dis: DisasmFn;
beforeAll(async () => { dir = mkdtempSync(join(tmpdir(), 'a64emu-binary-test-')); dis = await loadDisassembler(); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

interface Case { name: string; image: string; smp: number; filters?: string[]; maxInsns?: number }

async function traceRun(c: Case, o: Omit<TraceOptions, 'filters'>): Promise<number> {
  const path = join(ROOT, c.image);
  const m = new Machine({ smp: c.smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: c.maxInsns ?? 50_000_000 });
  const img = loadImage(m, readFileSync(path), { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const syms = img.symbols;
  if (syms !== undefined) m.symbolize = (pc) => syms.symbolize(pc);
  const t = await openTrace(m, { ...o, filters: c.filters ?? [] });
  const r = m.run();
  t.close();
  return r.instructions;
}

async function events(path: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  await readTrace(path, (ev) => { out.push(ev); });
  return out;
}

const CASES: Case[] = [
  // Four cores: SGIs, WFE, exclusives, PSCI; the lock tests' LSE build too.
  { name: 'selftest', image: 'firmware/images/smp-selftest.elf', smp: 4, maxInsns: 400_000 },
  { name: 'selftest-lse', image: 'firmware/images/smp-selftest-lse.elf', smp: 2, maxInsns: 200_000 },
  // EL0 and back (SP banks, ERET), and the MMU (virtual and physical addresses differ).
  { name: 'el0', image: 'test/machine-guests/bin/el0.elf', smp: 1 },
  { name: 'mmu', image: 'test/machine-guests/bin/mmu.elf', smp: 4 },
  // Filtered: gaps in the instruction stream of a core, register and memory events without their
  // instruction, events of other cores only.
  { name: 'filtered-core', image: 'firmware/images/smp-selftest.elf', smp: 4, filters: ['core=1,3'], maxInsns: 400_000 },
  { name: 'filtered-kinds', image: 'firmware/images/smp-selftest.elf', smp: 4, filters: ['kind=reg,mem,sgi,wake'], maxInsns: 400_000 },
  { name: 'filtered-el', image: 'test/machine-guests/bin/el0.elf', smp: 1, filters: ['el=0'] },
];

describe('binary traces', () => {
  for (const c of CASES) {
    it(`${c.name}: convert gives what the Tarmac and JSON Lines writers write, and reading gives the same events`, async () => {
      const bin = join(dir, `${c.name}.a64t`), jsonl = join(dir, `${c.name}.jsonl`), tarmac = join(dir, `${c.name}.tarmac`);
      const n = await traceRun(c, { path: bin, format: 'binary' });
      await traceRun(c, { path: jsonl, format: 'jsonl' });
      await traceRun(c, { path: tarmac, format: 'tarmac' });
      await traceRun(c, { path: `${tarmac}-inline`, format: 'tarmac', inline: true });

      const cj = join(dir, `${c.name}.conv.jsonl`);
      const w = new JsonlWriter(cj);
      replayBinary(bin, w, dis);
      w.close();
      expect(readFileSync(cj).equals(readFileSync(jsonl))).toBe(true);

      const ct = join(dir, `${c.name}.conv.tarmac`);
      const tw = new TarmacWriter(ct, c.smp, false);
      replayBinary(bin, tw, dis);
      tw.close();
      for (const p of TarmacWriter.paths(tarmac, c.smp, false)) {
        expect(readFileSync(p.replace(tarmac, ct)).equals(readFileSync(p))).toBe(true);
      }
      const ti = new TarmacWriter(`${ct}-inline`, c.smp, true);
      replayBinary(bin, ti, dis);
      ti.close();
      expect(readFileSync(`${ct}-inline`).equals(readFileSync(`${tarmac}-inline`))).toBe(true);

      const fromBin = await events(bin), fromJsonl = await events(jsonl);
      if (c.name === 'selftest') {
        const kinds = new Set(fromBin.map((e) => e.t));
        for (const k of ['insn', 'reg', 'mem', 'exc', 'eret', 'ack', 'sgi', 'sleep', 'wake', 'excl', 'psci', 'uart']) expect(kinds).toContain(k);
      }
      expect(fromBin.length).toBe(fromJsonl.length);
      expect(fromBin).toEqual(fromJsonl);
      if (c.filters === undefined) {
        // Every instruction is there (an instruction fetch that faults counts as retired, with a
        // synchronous exception event outside any instruction), and the format is compact (JSON Lines
        // is the yardstick).
        const fetchFaults = fromBin.filter((e) => e.t === 'exc' && e.kind === 'sync' && e.seq === undefined).length;
        expect(fromBin.filter((e) => e.t === 'insn').length).toBe(n - fetchFaults);
        expect(statSync(bin).size * 8).toBeLessThan(statSync(jsonl).size);
      }
    }, 120_000);
  }

  it('a damaged file is reported with the byte offset, not thrown as a host error', async () => {
    const good = join(dir, 'el0.a64t');
    if (!existsSync(good)) await traceRun(CASES[2], { path: good, format: 'binary' });
    const bytes = readFileSync(good);
    const sink = { insn() {}, reg() {}, mem() {}, other() {}, close() {} };

    const truncated = join(dir, 'truncated.a64t');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 3));
    expect(() => replayBinary(truncated, sink, null)).toThrow(BinaryTraceError);

    const badTag = join(dir, 'bad-tag.a64t');
    const b = Buffer.from(bytes);
    b[16] = 0xee; // the first record
    writeFileSync(badTag, b);
    expect(() => replayBinary(badTag, sink, null)).toThrow(/byte 16: malformed binary trace: unknown record tag 0xee/);

    const notBinary = join(dir, 'not-binary.a64t');
    writeFileSync(notBinary, 'A64TRACX');
    expect(() => replayBinary(notBinary, sink, null)).toThrow(/not a binary trace/);

    // Records a writer never makes: each is reported, none reaches a writer as a host error.
    const header = Buffer.alloc(16);
    header.write('A64TRACE', 0, 'latin1');
    header.writeUInt16LE(1, 8);
    header.writeUInt16LE(1, 10);
    const ctx = Buffer.alloc(18);
    ctx[0] = 0x01;
    const crafted: [number[], RegExp][] = [
      [[0x02, 9, 1], /EL 9, SP selection 1/],
      [[0x22, 200, 0, 0, 0, 0, 0, 0, 0, 0], /SP bank 200/],
      [[0x40, 0, 0, 0, 0x80], /an event of 2147483648 bytes/],
      [[0x01, 5, ...new Array(16).fill(0)], /core 5 of a 1-core trace/],
      [[0x60 + 40, 0, 0, 0, 0], /unknown record tag 0x88/], // a register past NZCV
      [[0x12, 7, 0, 0, 0], /unknown code location 7/],
      [[0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], /exclusive monitor record flags 0x3/],
      [[0x40, 5, 0, 0, 0, ...Buffer.from('{"t":')], /malformed binary trace: event/],
    ];
    for (const [rec, msg] of crafted) {
      const f = join(dir, 'crafted.a64t');
      writeFileSync(f, Buffer.concat([header, ctx, Buffer.from(rec)]));
      expect(() => replayBinary(f, new TarmacWriter(join(dir, 'crafted.tarmac'), 1, true), null)).toThrow(msg);
    }

    // The CLI: exit status 2 and one line.
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => { err.push(s); }, cwd: dir };
    const status = await main(['trace', 'stats', 'bad-tag.a64t'], io);
    expect(status).toBe(2);
    expect(err.join('')).toMatch(/^a64emu: bad-tag\.a64t: byte 16: malformed binary trace: unknown record tag 0xee\n$/);
    const st2 = await main(['trace', 'convert', join(dir, 'selftest.jsonl'), '--to', 'tarmac', '-o', join(dir, 'x')], io);
    expect(st2).toBe(2);
  });
});

describe('damaged binary traces, at random', () => {
  it('a file with bytes changed or cut short is read to its end or reported as malformed, never a host error', async () => {
    const good = join(dir, 'fuzz-base.a64t');
    await traceRun({ name: 'fuzz', image: 'test/machine-guests/bin/el0.elf', smp: 1, maxInsns: 3000 }, { path: good, format: 'binary' });
    const bytes = readFileSync(good);
    let seed = 0x9e3779b9;
    const rand = (n: number): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
    const damaged = join(dir, 'fuzz.a64t');
    let malformed = 0, whole = 0;
    for (let k = 0; k < 300; k++) {
      const b = Buffer.from(bytes.subarray(0, k % 3 === 0 ? 16 + rand(bytes.length - 16) : bytes.length));
      for (let j = 0; j < 1 + rand(4); j++) b[16 + rand(b.length - 16)] = rand(256);
      writeFileSync(damaged, b);
      for (const w of [new TarmacWriter(join(dir, 'fuzz.tarmac'), 1, true), new JsonlWriter(join(dir, 'fuzz.jsonl'))]) {
        try {
          replayBinary(damaged, w, dis);
          whole++;
        } catch (e) {
          if (!(e instanceof BinaryTraceError)) throw new Error(`case ${k}: ${(e as Error).stack}`);
          malformed++;
        } finally {
          w.close();
        }
      }
      await readTrace(damaged, () => {}).catch((e) => { if (!(e instanceof BinaryTraceError)) throw e; });
    }
    expect(malformed).toBeGreaterThan(50);
    expect(whole).toBeGreaterThan(0);
  }, 120_000);
});

describe('one machine, two tracers in turn', () => {
  it('the second trace describes its own code locations (decoded instructions outlive a tracer)', async () => {
    const path = join(ROOT, 'test/guests/bin/hash-clang-O2.elf');
    const m = new Machine({ smp: 1, ramMiB: 256, stdout: () => {}, stderr: () => {} });
    const img = loadImage(m, readFileSync(path), { path });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    const counts: number[] = [];
    for (const name of ['first', 'second']) {
      const file = join(dir, `${name}.a64t`);
      const t = await openTrace(m, { path: file, format: 'binary', filters: name === 'second' ? ['kind=insn'] : [] });
      for (let k = 0; k < 20; k++) m.step();
      t.close();
      m.setTracer(null);
      const evs = await events(file);
      counts.push(evs.filter((e) => e.t === 'insn').length);
      if (name === 'second') expect(evs.every((e) => e.t === 'insn')).toBe(true);
    }
    expect(counts[0]).toBeGreaterThan(10_000);
    expect(counts[1]).toBeGreaterThan(10_000);
  });
});
