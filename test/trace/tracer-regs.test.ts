// The tracer compares only the registers an instruction can write (its register fields, by encoding
// class) to find register writes. This runs real programs with Tracer.verifyRegs, which also compares
// every register after every instruction and throws if an instruction changed one it was not
// expected to; and it checks that the check itself can fail.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';
import { Tracer } from '../../emu/trace/tracer.js';
import type { TraceWriter } from '../../emu/trace/events.js';
import { RECORDED_CLASSES } from '../oracle/classes.js';
import { decodeFixture } from '../../tools/oracle/fixture.js';
import { checkAll, formatSummary, OracleCpu } from '../../tools/oracle/replay.js';

const ROOT = join(__dirname, '..', '..');
const PROGRAMS = ['vm', 'hash', 'sort', 'recursion', 'bignum', 'arith', 'bitops', 'strings'];

/** Counts register events; writes nothing. */
function counter(): TraceWriter & { regs: number; insns: number } {
  return { regs: 0, insns: 0, insn() { this.insns++; }, reg() { this.regs++; }, mem() {}, other() {}, close() {} };
}

function runVerified(image: string, smp: number): { status: number; regs: number; insns: number } {
  const path = join(ROOT, image);
  const m = new Machine({ smp, ramMiB: 256, stdout: () => {}, stderr: () => {}, maxInsns: 20_000_000 });
  const img = loadImage(m, readFileSync(path), { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const w = counter();
  const t = new Tracer(w, undefined, null, () => undefined, () => m.time);
  t.verifyRegs = true;
  m.setTracer(t);
  const r = m.run();
  return { status: r.status, regs: w.regs, insns: w.insns };
}

describe('register writes in traces', () => {
  const images = [
    ...PROGRAMS.flatMap((p) => [`test/guests/bin/${p}-clang-O2.elf`, `test/guests/bin/${p}-gcc-O0.elf`]),
    ...['el0', 'mmu', 'psci', 'sgi', 'spinlock', 'timer'].map((g) => `test/machine-guests/bin/${g}.elf`),
  ];
  for (const image of images) {
    it(`${image}: every register an instruction changed is one the tracer compares`, () => {
      const r = runVerified(image, 2);
      expect(r.insns).toBeGreaterThan(1000);
      expect(r.regs).toBeGreaterThan(r.insns / 10);
    }, 60_000);
  }

  it('the SMP self-test (4 cores, and the LSE build): likewise', () => {
    expect(runVerified('firmware/images/smp-selftest.elf', 4).status).toBe(0);
    expect(runVerified('firmware/images/smp-selftest-lse.elf', 4).status).toBe(0);
  }, 120_000);

  // One test per fixture class: a single synchronous test longer than a minute would starve vitest's
  // worker RPC (its fixed 60 s timeout), failing the run although every test passed.
  describe('every oracle fixture case (every instruction form, from EL0), traced and verified, still matches qemu-aarch64', () => {
    let cpu: OracleCpu | undefined;
    const w = counter();
    let total = 0;
    const traced = (): OracleCpu => {
      if (cpu === undefined) {
        cpu = new OracleCpu();
        const m = cpu.m;
        const t = new Tracer(w, undefined, null, () => undefined, () => m.time);
        t.verifyRegs = true;
        m.setTracer(t);
      }
      return cpu;
    };
    for (const cls of RECORDED_CLASSES) {
      it(cls, () => {
        const cases = decodeFixture(readFileSync(join(ROOT, 'test', 'fixtures', 'oracle', `${cls}.bin.gz`)));
        // A register the tracer did not expect to change throws inside the run: a host exception,
        // which checkAll reports as a failed case.
        const s = checkAll(traced(), cases, (word) => `.inst 0x${(word >>> 0).toString(16)}`);
        if (s.failed > 0) throw new Error(formatSummary(`traced oracle fixtures ${cls}`, { ...s, reports: s.reports.slice(0, 10) }));
        total += s.total;
      }, 120_000);
    }
    it('all of them', () => {
      expect(total).toBeGreaterThan(50_000);
      expect(w.regs).toBeGreaterThan(total / 2);
    });
  });

  it('the check can fail: a register changed behind the tracer\'s back is caught', () => {
    const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    m.boot(RAM_BASE, false);
    // b . : a branch writes no register.
    m.ram.load(RAM_BASE, Uint8Array.of(0x00, 0x00, 0x00, 0x14));
    const t = new Tracer(counter(), undefined, null, () => undefined, () => m.time);
    t.verifyRegs = true;
    m.setTracer(t);
    const c = m.cores[0];
    const exec = c.decoder.decode(0x14000000).exec;
    // Decode once, then wrap the handler so that the branch also (wrongly) changes X5.
    const orig = c.decoder.decode.bind(c.decoder);
    c.decoder.decode = (word: number) => {
      const insn = orig(word);
      if (insn.exec === exec) insn.exec = (cpu, i) => { cpu.x[2 * 5] = 1234; exec(cpu, i); };
      return insn;
    };
    expect(() => m.run()).toThrow(/wrote X5, which its register fields do not name/);
  });
});
