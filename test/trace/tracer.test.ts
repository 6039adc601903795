// The trace event stream: the events of a small two-core program (LDXR/STXR, SVC, WFE/SEV, an SGI and
// its acknowledge, PSCI), filters, and a trace of the SMP self-test image checked against the GIC's
// own counters.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { loadImage } from '../../emu/loader/image.js';
import { openTrace } from '../../emu/trace/tracer.js';
import { wordBytes } from '../harness.js';
import { parseFilters, FilterError } from '../../emu/trace/filter.js';
import { readTrace } from '../../emu/trace/reader.js';

const MAIN = RAM_BASE + 0x10000, VECTORS = RAM_BASE + 0x10800, CORE1 = RAM_BASE + 0x11000, DATA = RAM_BASE + 0x12000;
const GICR1_SGI = 0x080a_0000 + 0x2_0000 + 0x1_0000;

// x5 = DATA throughout: [DATA] a counter updated with LDXR/STXR, [DATA+8] core 1's progress flag.
const MAIN_SRC = `
  movz x0, #${VECTORS >>> 16}, lsl #16
  movk x0, #${VECTORS & 0xffff}
  msr vbar_el1, x0
  movz x5, #${DATA >>> 16}, lsl #16
  movk x5, #${DATA & 0xffff}
  movz x1, #0x0800, lsl #16
  mov w2, #0x12
  str w2, [x1]
  movz x0, #0xc400, lsl #16
  movk x0, #3
  mov x1, #1
  movz x2, #${CORE1 >>> 16}, lsl #16
  movk x2, #${CORE1 & 0xffff}
  mov x3, #0
  hvc #0
  ldxr x6, [x5]
  add x6, x6, #1
  stxr w7, x6, [x5]
  stxr w7, x6, [x5]
  svc #0x15
  ldxr x6, [x5]
  sevl
  wfe
wait1:
  wfe
  ldr x8, [x5, #8]
  cbz x8, wait1
  mov x9, #2
  msr s3_0_c12_c11_5, x9
wait2:
  wfe
  ldr x8, [x5, #8]
  cmp x8, #2
  b.ne wait2
  movz x0, #0x8400, lsl #16
  movk x0, #8
  hvc #0
`;

const CORE1_SRC = `
  movz x10, #${GICR1_SGI >>> 16}, lsl #16
  movk x10, #${GICR1_SGI & 0xffff}
  movn w11, #0
  str w11, [x10, #0x80]
  str w11, [x10, #0x100]
  mov x11, #0xff
  msr s3_0_c4_c6_0, x11
  mov x11, #1
  msr s3_0_c12_c12_7, x11
  movz x5, #${DATA >>> 16}, lsl #16
  movk x5, #${DATA & 0xffff}
  mov x9, #1
  str x9, [x5, #8]
  sev
poll:
  mrs x12, s3_0_c12_c12_0
  cmp x12, #1023
  b.eq poll
  msr s3_0_c12_c12_1, x12
  mov x9, #2
  str x9, [x5, #8]
  sev
  movz x0, #0x8400, lsl #16
  movk x0, #2
  hvc #0
`;

const bytesOf = wordBytes;

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-trace-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

type Ev = Record<string, unknown> & { t: string; core: number; time: number; seq?: number };

async function traceProgram(filters: string[] = [], name = 'prog.jsonl'): Promise<{ events: Ev[]; m: Machine }> {
  const m = new Machine({ smp: 2, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  m.boot(MAIN, false);
  m.ram.load(MAIN, bytesOf(await assembleWords(MAIN_SRC, MAIN)));
  // Vector table: current EL with SP_ELx, synchronous (+0x200): return past the SVC.
  m.ram.load(VECTORS + 0x200, bytesOf(await assembleWords('eret', VECTORS + 0x200)));
  m.ram.load(CORE1, bytesOf(await assembleWords(CORE1_SRC, CORE1)));
  m.symbolize = (pc) => { const a = Number(pc); return a === MAIN ? 'main' : a > MAIN && a < MAIN + 0x800 ? `main+0x${(a - MAIN).toString(16)}` : undefined; };
  const path = join(dir, name);
  const t = await openTrace(m, {
    path, format: 'jsonl', filters,
    symbolRange: (n) => (n === 'main' ? [MAIN, MAIN + 0x800] : undefined),
  });
  const r = m.run();
  t.close();
  expect(r.reason).toBe('PSCI SYSTEM_OFF');
  const events = readFileSync(path, 'latin1').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Ev);
  return { events, m };
}

describe('trace events of a small two-core program', () => {
  let events: Ev[];
  beforeAll(async () => { ({ events } = await traceProgram()); });

  const of = (t: string, core?: number) => events.filter((e) => e.t === t && (core === undefined || e.core === core));

  it('every event has t, core and an integer time; instruction events have seq', () => {
    const started = new Set<number>();
    for (const e of events) {
      expect(typeof e.t).toBe('string');
      expect(typeof e.core).toBe('number');
      expect(Number.isInteger(e.time)).toBe(true);
      if (e.t === 'insn') started.add(e.core);
      // Only the registers dumped before a core's first instruction have no instruction to name.
      if (['insn', 'mem', 'eret'].includes(e.t) || (e.t === 'reg' && started.has(e.core))) expect(Number.isInteger(e.seq)).toBe(true);
      else if (e.t === 'reg') expect(e.seq).toBeUndefined();
    }
  });

  it('instructions: pc, encoding, EL, SP selection, disassembly, symbol; sequence numbers count up per core', () => {
    const i0 = of('insn', 0);
    expect(i0[0]).toMatchObject({ seq: 0, pc: `0x${MAIN.toString(16)}`, el: 1, sp: 'h', cf: false, sym: 'main' });
    expect(i0[0].dis).toBe("mov x0, #0x40010000");
    expect(i0.map((e) => e.seq)).toEqual(i0.map((_, k) => k));
    const i1 = of('insn', 1);
    expect(i1[0]).toMatchObject({ seq: 0, pc: `0x${CORE1.toString(16)}`, op: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(i1[0]).not.toHaveProperty('sym');
    // b.ne 2b is not taken once the flag is 2: condition failed.
    const bne = i0.filter((e) => String(e.dis).startsWith('b.ne'));
    expect(bne.at(-1)!.cf).toBe(true);
  });

  it('register writes follow their instruction, with the new value', () => {
    const add = of('insn', 0).find((e) => String(e.dis).startsWith('add x6'))!;
    const regs = events.filter((e) => e.t === 'reg' && e.core === 0 && e.seq === add.seq);
    expect(regs).toEqual([{ t: 'reg', core: 0, seq: add.seq, time: add.time, reg: 'x6', val: '0x0000000000000001' }]);
    const cmp = of('insn', 0).find((e) => String(e.dis).startsWith('cmp x8'))!;
    expect(events.find((e) => e.t === 'reg' && e.seq === cmp.seq && e.core === 0)).toMatchObject({ reg: 'cpsr' });
  });

  it('memory accesses carry va, pa, size and value', () => {
    const stxr = of('insn', 0).find((e) => String(e.dis).startsWith('stxr'))!;
    expect(events.find((e) => e.t === 'mem' && e.core === 0 && e.seq === stxr.seq)).toEqual({
      t: 'mem', core: 0, seq: stxr.seq, time: stxr.time, dir: 'w', va: `0x${DATA.toString(16)}`, pa: `0x${DATA.toString(16)}`, size: 8, val: '0x0000000000000001',
    });
    const ldr = of('mem', 0).find((e) => e.dir === 'r' && e.va === `0x${(DATA + 8).toString(16)}`);
    expect(ldr).toMatchObject({ size: 8 });
  });

  it('the exclusive monitor: set by LDXR, STXR failure with the monitor open, cleared by the other core\'s store', () => {
    const stxrs = of('insn', 0).filter((e) => String(e.dis).startsWith('stxr'));
    expect(of('excl', 0).map((e) => [e.op, e.pa, e.by])).toEqual([
      ['set', `0x${DATA.toString(16)}`, undefined],
      ['fail', undefined, undefined],
      ['set', `0x${DATA.toString(16)}`, undefined],
      ['clear', `0x${(DATA + 8).toString(16)}`, 1],
    ]);
    expect(of('excl', 0)[1].time).toBe(stxrs[1].time);
    // The failing STXR wrote 1 to w7 and nothing to memory.
    expect(events.filter((e) => e.t === 'reg' && e.core === 0 && e.seq === stxrs[1].seq)).toMatchObject([{ reg: 'x7', val: '0x0000000000000001' }]);
    expect(events.filter((e) => e.t === 'mem' && e.core === 0 && e.seq === stxrs[1].seq)).toEqual([]);
  });

  it('SVC: the exception taken and its return', () => {
    const svc = of('insn', 0).find((e) => String(e.dis).startsWith('svc'))!;
    const exc = of('exc', 0)[0];
    expect(exc).toMatchObject({ seq: svc.seq, kind: 'sync', from: 1, to: 1, esr: '0x56000015', ec: '0x15', vec: `0x${(VECTORS + 0x200).toString(16)}` });
    expect(BigInt(exc.elr as string)).toBe(BigInt(svc.pc as string) + 4n);
    expect(of('eret', 0)[0]).toMatchObject({ from: 1, to: 1, pc: exc.elr });
  });

  it('WFE sleep and the SEV that wakes it, naming the sender', () => {
    expect(of('sleep', 0).length).toBeGreaterThan(0);
    expect(of('sleep', 0).every((e) => e.why === 'wfe')).toBe(true);
    expect(of('wake', 0).some((e) => e.cause === 'sev' && e.by === 1)).toBe(true);
  });

  it('the SGI from core 0 to core 1 and core 1 acknowledging it', () => {
    expect(of('sgi')).toEqual([expect.objectContaining({ core: 0, targets: [1], intid: 0, val: '0x0000000000000002' })]);
    expect(of('ack')).toEqual([expect.objectContaining({ core: 1, intid: 0 })]);
    expect(of('ack')[0].time).toBeGreaterThanOrEqual(0);
  });

  it('PSCI calls: CPU_ON (with the wake of core 1), CPU_OFF, SYSTEM_OFF', () => {
    expect(of('psci').map((e) => [e.core, e.fn, e.ret])).toEqual([[0, '0xc4000003', 0], [1, '0x84000002', 0], [0, '0x84000008', 0]]);
    expect(of('wake', 1)[0]).toMatchObject({ cause: 'psci', by: 0 });
    expect(of('sleep', 1).at(-1)).toMatchObject({ why: 'off' });
  });
});

describe('trace filters', () => {
  it('core and kind', async () => {
    const { events } = await traceProgram(['core=1', 'kind=insn,ack'], 'f1.jsonl');
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.core))).toEqual(new Set([1]));
    expect(new Set(events.map((e) => e.t))).toEqual(new Set(['insn', 'ack']));
  });

  it('symbol and address ranges select instructions by pc and accesses by va', async () => {
    const a = await traceProgram(['sym=main', 'kind=insn'], 'f2.jsonl');
    expect(a.events.length).toBeGreaterThan(10);
    expect(a.events.every((e) => e.core === 0)).toBe(true);
    const b = await traceProgram([`addr=0x${DATA.toString(16)}-0x${(DATA + 8).toString(16)}`, 'kind=mem'], 'f3.jsonl');
    expect(b.events.map((e) => [e.core, e.dir, e.va])).toEqual([[0, 'r', `0x${DATA.toString(16)}`], [0, 'w', `0x${DATA.toString(16)}`], [0, 'r', `0x${DATA.toString(16)}`]]);
  });

  it('EL', async () => {
    const { events } = await traceProgram(['el=0'], 'f4.jsonl');
    expect(events).toEqual([]);
  });

  it('rejects bad specs', () => {
    expect(() => parseFilters(['kind=bogus'])).toThrow(FilterError);
    expect(() => parseFilters(['colour=red'])).toThrow(FilterError);
    expect(() => parseFilters(['sym=nope'], () => undefined)).toThrow(/no such symbol/);
    expect(parseFilters(['core=0,1', 'core=1,2']).cores).toEqual(new Set([1]));
  });
});

describe('a trace of the SMP self-test image', () => {
  const image = join(__dirname, '..', '..', 'firmware', 'images', 'smp-selftest.elf');
  it.skipIf(!existsSync(image))('contains, for every core, the SGIs sent and received that the GIC counts', async () => {
    const m = new Machine({ smp: 4, ramMiB: 256, stdout: () => {}, stderr: () => {} });
    const img = loadImage(m, readFileSync(image), { path: image });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    const path = join(dir, 'selftest.jsonl');
    const t = await openTrace(m, { path, format: 'jsonl', filters: ['kind=sgi,ack'] });
    const r = m.run();
    t.close();
    expect(r.status).toBe(0);
    const sent = [0, 0, 0, 0], received = [0, 0, 0, 0], writes = [0, 0, 0, 0];
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      if (line === '') continue;
      const e = JSON.parse(line) as { t: string; core: number; targets?: number[]; intid: number };
      if (e.t === 'sgi') { writes[e.core]++; sent[e.core] += e.targets!.length; }
      else if (e.t === 'ack' && e.intid < 16) received[e.core]++;
    }
    const g = m.gic.stats;
    expect(sent).toEqual(g.sgisSent);
    expect(received).toEqual(g.sgisReceived);
    expect(writes).toEqual(g.sgiWrites);
    for (let k = 0; k < 4; k++) expect(received[k]).toBeGreaterThan(0);
  }, 60_000);

  it.skipIf(!existsSync(image))('keeps each core\'s time causal: its own events in time order, and nothing after a wake earlier than the wake', async () => {
    for (const seed of [0, 7]) {
      const m = new Machine({ smp: 4, ramMiB: 256, stdout: () => {}, stderr: () => {}, seed });
      const img = loadImage(m, readFileSync(image), { path: image });
      m.boot(Number(img.entry), img.linuxBoot, img.regions);
      const path = join(dir, `causal-${seed}.a64t`);
      const t = await openTrace(m, { path, format: 'binary', filters: ['kind=insn,sleep,wake'] });
      expect(m.run().status).toBe(0);
      t.close();
      const last = [-1, -1, -1, -1];
      let wakes = 0, sameRound = 0;
      const backwards: string[] = [];
      await readTrace(path, (e) => {
        // Every event (an instruction, a sleep, a wake: which carries its waker's time, not before the
        // woken core's own) is at or after everything before it on its core.
        if (e.time < last[e.core] && backwards.length < 5) backwards.push(`core ${e.core}: ${e.t} at ${e.time} after ${last[e.core]}`);
        if (e.t === 'wake') { wakes++; if (e.time > last[e.core]) sameRound++; }
        last[e.core] = Math.max(last[e.core], e.time);
      });
      expect(backwards).toEqual([]);
      expect(wakes).toBeGreaterThan(10);
      expect(sameRound).toBeGreaterThan(0);
    }
  }, 60_000);
});
