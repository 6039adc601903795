// Tarmac as Arm Fast Models write it, which Arm's tarmac-trace-utilities rely on: an R line for every
// register an instruction writes, changed or not (a BL in a loop from one call site writes the same
// X30 each time, and the tools count a call on that line); R cpsr on every PSTATE write (flag-setting
// instructions, MSR DAIFSet/DAIFClr/SPSel/NZCV/DAIF, after an E line, ERET); and every core's
// registers before its first instruction. A binary trace of the same run converts to the same bytes.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { Tracer } from '../../emu/trace/tracer.js';
import type { CodeLocation, TraceWriter } from '../../emu/trace/events.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { openTrace, TraceOptions } from '../../emu/trace/tracer.js';
import { replayBinary } from '../../emu/trace/binary.js';
import { TarmacWriter } from '../../emu/trace/tarmac.js';
import { JsonlWriter } from '../../emu/trace/jsonl.js';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { wordBytes } from '../harness.js';

const MAIN = RAM_BASE + 0x10000, VECTORS = RAM_BASE + 0x10800, CORE1 = RAM_BASE + 0x11000, DATA = RAM_BASE + 0x12000;
const CALLS = 7;

// Core 0: CALLS calls of one function from one call site, compare-and-branch and test-and-branch taken
// and not, PSTATE writes of every kind, an SVC and its
// ERET, then CPU_ON of core 1 (context id 0x77 in its X0), a wait for it to count and turn itself off,
// CPU_ON again (0x78), and SYSTEM_OFF.
const MAIN_SRC = `
  movz x0, #${VECTORS >>> 16}, lsl #16
  movk x0, #${VECTORS & 0xffff}
  msr vbar_el1, x0
  movz x5, #${DATA >>> 16}, lsl #16
  movk x5, #${DATA & 0xffff}
  mov x19, #${CALLS}
loop:
  bl func
  subs x19, x19, #1
  b.ne loop
  mov x1, #4
  cbnz x1, l1
l1:
  cbz x1, l2
l2:
  tbz x1, #2, l3
l3:
  tbnz x1, #2, l4
l4:
  tbnz x1, #33, l5
l5:
  cbz xzr, l6
l6:
  msr daifclr, #2
  msr daifset, #2
  msr spsel, #0
  msr spsel, #1
  mov x1, #0x60000000
  msr nzcv, x1
  mov x1, #0x3c0
  msr daif, x1
  svc #0x15
  movz x0, #0xc400, lsl #16
  movk x0, #3
  mov x1, #1
  movz x2, #${CORE1 >>> 16}, lsl #16
  movk x2, #${CORE1 & 0xffff}
  mov x3, #0x77
  hvc #0
wait:
  ldr x8, [x5]
  cbz x8, wait
off:
  movz x0, #0xc400, lsl #16
  movk x0, #4
  mov x1, #1
  mov x2, #0
  hvc #0
  cmp x0, #1
  b.ne off
  movz x0, #0xc400, lsl #16
  movk x0, #3
  mov x1, #1
  movz x2, #${CORE1 >>> 16}, lsl #16
  movk x2, #${CORE1 & 0xffff}
  mov x3, #0x78
  hvc #0
wait2:
  ldr x8, [x5]
  cmp x8, #2
  b.ne wait2
  movz x0, #0x8400, lsl #16
  movk x0, #8
  hvc #0
func:
  add x20, x20, #1
  ret
`;

const CORE1_SRC = `
  ldr x9, [x5]
  add x9, x9, #1
  str x9, [x5]
  movz x0, #0x8400, lsl #16
  movk x0, #2
  hvc #0
`;

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'a64emu-tarmac-fm-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function trace(o: TraceOptions): Promise<void> {
  const m = new Machine({ smp: 2, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  m.boot(MAIN, false);
  m.ram.load(MAIN, wordBytes(await assembleWords(MAIN_SRC, MAIN)));
  // Synchronous exception at the current EL with SP_ELx (+0x200): return past the SVC.
  m.ram.load(VECTORS + 0x200, wordBytes(await assembleWords('eret', VECTORS + 0x200)));
  // Core 1 finds x5 = DATA: CPU_ON leaves the other registers at reset (0), so set it in its code.
  m.ram.load(CORE1, wordBytes(await assembleWords(`movz x5, #${DATA >>> 16}, lsl #16\nmovk x5, #${DATA & 0xffff}\n${CORE1_SRC}`, CORE1)));
  const t = await openTrace(m, o);
  const r = m.run();
  t.close();
  expect(r.reason).toBe('PSCI SYSTEM_OFF');
}

const lines = (path: string): string[] => readFileSync(path, 'latin1').split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+ clk /, ''));
/** The lines an instruction wrote after its IT/IS line (up to the next instruction). */
function after(ls: string[], k: number): string[] {
  const out: string[] = [];
  for (let j = k + 1; j < ls.length && !/^I[TS] /.test(ls[j]); j++) out.push(ls[j]);
  return out;
}
const cpsr = (l: string | undefined): number => {
  const m = /^R cpsr ([0-9a-f]{8})$/.exec(l ?? '');
  if (m === null) throw new Error(`not an R cpsr line: ${l}`);
  return parseInt(m[1], 16);
};

describe('Tarmac as Fast Models write it', () => {
  let core0: string[], core1: string[];
  beforeAll(async () => {
    await trace({ path: join(dir, 'fm.tarmac'), format: 'tarmac' });
    core0 = lines(join(dir, 'fm.tarmac.core0'));
    core1 = lines(join(dir, 'fm.tarmac.core1'));
  });

  it('every BL writes R X30, though it writes the same value each time', () => {
    const bls = core0.flatMap((l, k) => (/ : BL /.test(l) ? [k] : []));
    expect(bls.length).toBe(CALLS);
    const x30 = new Set<string>();
    for (const k of bls) {
      const fx = after(core0, k);
      expect(fx).toHaveLength(1);
      expect(fx[0]).toMatch(/^R X30 [0-9A-F]{16}$/);
      x30.add(fx[0]);
    }
    expect(x30.size).toBe(1); // one call site
    // And ADD x20 writes X20 each time, RET nothing.
    for (const [k, l] of core0.entries()) if (/ : RET/.test(l)) expect(after(core0, k)).toEqual([]);
  });

  it('R cpsr for flag-setting instructions (before their registers), MSR to PSTATE, and after the E line and ERET', () => {
    const at = (re: RegExp): number => { const k = core0.findIndex((l) => re.test(l)); expect(k).toBeGreaterThanOrEqual(0); return k; };
    // SUBS: cpsr first, then the register, as Fast Models order them; each time.
    for (const [k, l] of core0.entries()) {
      if (/ : SUBS /.test(l)) { const fx = after(core0, k); expect(fx).toHaveLength(2); cpsr(fx[0]); expect(fx[1]).toMatch(/^R X19 /); }
    }
    const I = 1 << 7; // PSTATE.I in the SPSR format
    const clr = cpsr(after(core0, at(/ : MSR +daifclr, #2$/i))[0]);
    expect(clr & I).toBe(0);
    const set = cpsr(after(core0, at(/ : MSR +daifset, #2$/i))[0]);
    expect(set & I).toBe(I);
    expect(set & ~I).toBe(clr & ~I);
    expect(cpsr(after(core0, at(/ : MSR +spsel, #0$/i))[0]) & 1).toBe(0);
    expect(cpsr(after(core0, at(/ : MSR +spsel, #1$/i))[0]) & 1).toBe(1);
    expect(cpsr(after(core0, at(/ : MSR +nzcv, x1$/i))[0]) >>> 28).toBe(6);
    expect((cpsr(after(core0, at(/ : MSR +daif, x1$/i))[0]) >>> 6) & 15).toBe(15);
    // SVC: its E line, then R cpsr (EL1h, everything masked); the ERET: R cpsr.
    const svc = after(core0, at(/ : SVC /));
    expect(svc[0]).toMatch(/^E [0-9a-f]{8} 00000084 CoreEvent_CURRENT_SPx_SYNC$/);
    expect(cpsr(svc[1]) & 0x3cf).toBe(0x3c5);
    expect(cpsr(after(core0, at(/ : ERET/))[0]) & 0xf).toBe(0x5);
    // Instructions that write no PSTATE get no R cpsr line.
    for (const [k, l] of core0.entries()) {
      if (/ : (ADD|MOV|MOVK|LDR|BL|RET|B\.NE|CBZ) /.test(l)) expect(after(core0, k).some((x) => x.startsWith('R cpsr'))).toBe(false);
    }
  });

  it('a conditional branch not taken is IS (condition failed): B.cond, CBZ, CBNZ, TBZ, TBNZ, as Fast Models write them', () => {
    const end = core0.findIndex((l) => / : MSR +daifclr/i.test(l));
    const kinds = core0.filter((l, k) => (k < end && / : (B\.NE|CBN?Z|TBN?Z) /.test(l)) || / : CBZ +x8/.test(l)).map((l) => `${l.slice(0, 2)} ${l.replace(/^.* : /, '').replace(/\s+/g, ' ')}`);
    // The loop's B.NE: taken CALLS - 1 times, then not; then the branches above, each to the next line.
    expect(kinds.slice(0, CALLS).map((k) => k.slice(0, 2))).toEqual([...Array(CALLS - 1).fill('IT'), 'IS']);
    expect(kinds.slice(CALLS, CALLS + 6).map((k) => k.replace(/, #0x[0-9a-f]+$/, ''))).toEqual([
      'IT CBNZ x1', 'IS CBZ x1', 'IS TBZ w1, #2', 'IT TBNZ w1, #2', 'IS TBNZ x1, #0x21', 'IT CBZ xzr',
    ]);
    // The wait loop's CBZ: taken while core 1 has not written the flag, then not.
    expect(kinds.at(-1)).toMatch(/^IS CBZ x8/);
    expect(kinds.slice(CALLS + 6, -1).every((k) => k.startsWith('IT CBZ x8'))).toBe(true);
  });

  it('each core starts with R cpsr, X0 to X30 and SP, at its first instruction\'s time', () => {
    const raw1 = readFileSync(join(dir, 'fm.tarmac.core1'), 'latin1').split('\n');
    for (const [ls, x0] of [[core0, '0000000000000000'], [core1, '0000000000000077']] as const) {
      const first = ls.findIndex((l) => /^I[TS] /.test(l));
      expect(first).toBe(33);
      expect(ls.slice(0, 33).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['R cpsr', ...Array.from({ length: 31 }, (_, k) => `R X${k}`), 'R SP_EL1']);
      expect(cpsr(ls[0])).toBe(0x3c5); // EL1h, DAIF masked: reset
      expect(ls[1]).toBe(`R X0 ${x0}`);  // core 1: CPU_ON's context id
    }
    // Core 1's dump is at its own first instruction's time, not at 0.
    const t1 = raw1.filter((l) => l !== '').map((l) => Number(l.split(' ')[0]));
    expect(t1[0]).toBeGreaterThan(0);
    expect(new Set(t1.slice(0, 34)).size).toBe(1);
    // CPU_ON again: core 1 starts afresh from reset, and its registers are written out again.
    const starts = core1.flatMap((l, k) => (/^IT \(\d+\) 40011000 /.test(l) ? [k] : []));
    expect(starts).toHaveLength(2);
    const again = core1.slice(starts[1] - 33, starts[1]);
    expect(again.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['R cpsr', ...Array.from({ length: 31 }, (_, k) => `R X${k}`), 'R SP_EL1']);
    expect(again[1]).toBe('R X0 0000000000000078');
  });

  it('a binary trace of the run converts to the same Tarmac and JSON Lines bytes', async () => {
    const bin = join(dir, 'fm.a64t');
    await trace({ path: bin, format: 'binary' });
    await trace({ path: join(dir, 'fm.jsonl'), format: 'jsonl' });
    const dis = await loadDisassembler();
    const tw = new TarmacWriter(join(dir, 'conv.tarmac'), 2, false);
    replayBinary(bin, tw, dis);
    tw.close();
    for (const k of [0, 1]) expect(readFileSync(join(dir, `conv.tarmac.core${k}`)).equals(readFileSync(join(dir, `fm.tarmac.core${k}`)))).toBe(true);
    const jw = new JsonlWriter(join(dir, 'conv.jsonl'));
    replayBinary(bin, jw, dis);
    jw.close();
    expect(readFileSync(join(dir, 'conv.jsonl')).equals(readFileSync(join(dir, 'fm.jsonl')))).toBe(true);
    // JSON Lines: the same registers, by name; the dump has no seq (no instruction before it).
    const evs = readFileSync(join(dir, 'fm.jsonl'), 'latin1').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const regs = evs.filter((e) => e.t === 'reg' && e.core === 0);
    expect(regs.slice(0, 33).every((e) => e.seq === undefined)).toBe(true);
    expect(regs.filter((e) => e.reg === 'x30')).toHaveLength(CALLS + 1);
    expect(regs[0]).toMatchObject({ reg: 'cpsr', val: '0x00000000000003c5' });
  });
});

describe('calls in a real program', () => {
  it('every BL and BLR of a traced C program has its X30 write, also when X30 keeps its value', () => {
    const path = join(__dirname, '..', 'guests', 'bin', 'recursion-gcc-O0.elf');
    const m = new Machine({ smp: 1, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 300_000 });
    const img = loadImage(m, readFileSync(path), { path });
    m.boot(Number(img.entry), img.linuxBoot, img.regions);
    let calls = 0, x30Writes = 0, same = 0, lastX30 = '', inCall = false, missing = 0;
    const w: TraceWriter = {
      insn(_core: number, _seq: number, _time: number, code: CodeLocation) {
        if (inCall) missing++;
        const word = code.word >>> 0;
        inCall = (word & 0xfc000000) >>> 0 === 0x94000000 || (word & 0xfffffc1f) >>> 0 === 0xd63f0000; // BL, BLR
        if (inCall) calls++;
      },
      reg(_core: number, _seq: number, _time: number, r: number, lo: number, hi: number) {
        if (r !== 30) return;
        const v = `${hi}:${lo}`;
        if (inCall) { inCall = false; x30Writes++; if (v === lastX30) same++; }
        lastX30 = v;
      },
      mem() {}, other() {}, close() {},
    };
    m.setTracer(new Tracer(w, undefined, null, () => undefined, () => m.time));
    m.run();
    expect(calls).toBeGreaterThan(1000);
    expect(missing).toBe(0);
    expect(x30Writes).toBe(calls);
    // Calls that leave X30 as it was (before: no R X30 line, and a call the tools did not count).
    expect(same).toBeGreaterThan(10);
  }, 60_000);
});
