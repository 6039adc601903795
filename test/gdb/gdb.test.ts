// The gdbstub against gdb-multiarch in batch mode, on the SMP self-test image (4 cores). The guest is
// the oracle where it can be: register values it computed itself, bytes of the ELF file it was loaded
// from, and the machine state recorded earlier in the same session for reverse execution.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeWithTools } from '../oracle-env.js';
import { SELFTEST, mark, section, session } from './session.js';
import { parseElf } from '../../emu/loader/elf.js';

/** A symbol's address in the self-test image (the image is rebuilt as the kernel changes: no fixed
 * addresses in these tests). */
function sym(name: string): number {
  const s = parseElf(readFileSync(SELFTEST)).symbols.lookup(name);
  if (s === undefined) throw new Error(`no symbol ${name} in ${SELFTEST}`);
  return Number(s.addr);
}

/** The address just after fw_secondary_main's `msr tpidr_el1, xN` (only secondary cores run it). */
function afterTpidrWrite(): { at: number; rt: number } {
  const f = sym('fw_secondary_main');
  for (let a = f; a < f + 0x200; a += 4) {
    const w = elfBytes(SELFTEST, a, 4).readUInt32LE(0);
    if ((w & ~31) === (0xd518d080 | 0)) return { at: a + 4, rt: w & 31 };
  }
  throw new Error('no MSR TPIDR_EL1 in fw_secondary_main');
}

/** Bytes at virtual address va in an ELF64 file (from its program headers). */
function elfBytes(file: string, va: number, n: number): Buffer {
  const b = readFileSync(file);
  const phoff = Number(b.readBigUInt64LE(0x20)), phentsize = b.readUInt16LE(0x36), phnum = b.readUInt16LE(0x38);
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * phentsize;
    const off = Number(b.readBigUInt64LE(p + 8)), vaddr = Number(b.readBigUInt64LE(p + 16)), filesz = Number(b.readBigUInt64LE(p + 32));
    if (va >= vaddr && va + n <= vaddr + filesz) return b.subarray(off + va - vaddr, off + va - vaddr + n);
  }
  throw new Error(`0x${va.toString(16)} is not in ${file}`);
}

/** What gdb shows of the whole machine: every core's registers and PC, virtual time and counts, the
 * stack of the current core and the self-test's shared data. */
const DUMP = ['info threads', 'info registers', 'p/x $v0', 'p/x $v1', 'p/x $fpsr', 'p/x $elr_el1', 'p/x $spsr_el1', 'x/32gx $sp', 'x/16wx &g_test_lock', 'x/8gx &g_test_counter', 'monitor time', 'monitor cores', 'monitor exclusive'];

describeWithTools('gdbstub with gdb-multiarch (batch mode)', ['gdb-multiarch'], () => {
  it('lists every core as a thread, hits a breakpoint on a secondary core, reads system registers and memory', async () => {
    const tp = afterTpidrWrite();
    const { gdb } = await session(['--smp', '4', '-S'], [
      ...mark('start', ['info threads']),
      // In fw_secondary_main, after `msr tpidr_el1, xN`: only secondary cores run it.
      `break *0x${tp.at.toString(16)}`, 'continue',
      ...mark('hit', ['info threads', `p/x $x${tp.rt}`, 'p/x $tpidr_el1', 'p/x $vbar_el1', 'p/x &exception_vectors', 'p/x $pc', 'info registers sctlr_el1', 'x/4xw 0x40200000', 'thread', 'monitor cores']),
      'delete', 'kill',
    ]);
    const start = section(gdb, 'start');
    for (let t = 1; t <= 4; t++) expect(start).toMatch(new RegExp(`Thread ${t} \\(core ${t - 1}, ${t === 1 ? 'running' : 'powered off'}\\)`));
    const hit = section(gdb, 'hit');
    const cur = /Current thread is (\d+)/.exec(hit);
    expect(cur).not.toBeNull();
    expect(Number(cur![1])).toBeGreaterThan(1); // a secondary core
    const vals = [...hit.matchAll(/^\$\d+ = (.*)$/gm)].map((m) => m[1]);
    expect(vals[1]).toBe(vals[0]); // TPIDR_EL1 = what the guest just wrote from xN
    expect(vals[1]).toBe(`0x${(Number(cur![1]) - 1).toString(16)}`); // the guest writes its cpu number
    const vectors = `0x${sym('exception_vectors').toString(16)}`;
    expect(vals[2]).toBe(vectors); // VBAR_EL1 = the guest's exception_vectors
    expect(vals[3]).toContain(vectors);
    expect(vals[4]).toContain(`0x${tp.at.toString(16)}`);
    expect(hit).toMatch(/sctlr_el1\s+0x[0-9a-f]+/);
    const words = [...elfBytes(SELFTEST, 0x40200000, 16).values()];
    const bytes = elfBytes(SELFTEST, 0x40200000, 16);
    const want = [0, 4, 8, 12].map((k) => bytes.readUInt32LE(k));
    const shown = /0x40200000 <_start>:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(hit);
    expect(shown).not.toBeNull();
    expect(shown!.slice(1).map((x) => parseInt(x, 16))).toEqual(want);
  });

  it('stops on a watchpoint on a lock word at whichever core stores to it', async () => {
    const { gdb } = await session(['--smp', '4', '-S'], [
      'watch *(unsigned int *)&g_test_lock', ...new Array<string>(24).fill('continue'), 'delete', 'kill',
    ]);
    const hits = [...gdb.matchAll(/Thread (\d+) hit Hardware watchpoint 1/g)].map((m) => Number(m[1]));
    expect(hits.length).toBe(24);
    expect(new Set(hits).size).toBeGreaterThan(1); // several cores take the lock
    // Each stop shows the store: the value changed.
    const changes = [...gdb.matchAll(/Old value = (\d+)\s+New value = (\d+)/g)];
    expect(changes.length).toBe(24);
    for (const c of changes) expect(c[1]).not.toBe(c[2]);
  });

  it('steps one core while the others stay where they are', async () => {
    const { gdb } = await session(['--smp', '4', '-S'], [
      'break workload_secondary', 'continue', 'continue', 'continue', 'delete', 'set scheduler-locking on',
      ...mark('before', ['info threads', 'monitor time']),
      'stepi', 'stepi', 'stepi',
      ...mark('after', ['info threads', 'monitor time']),
      'kill',
    ]);
    const before = section(gdb, 'before'), after = section(gdb, 'after');
    const pcs = (s: string) => new Map([...s.matchAll(/^\*?\s+(\d+)\s+Thread \d+ \([^)]*\)\s+(0x[0-9a-f]+)/gm)].map((m) => [Number(m[1]), m[2]]));
    const counts = (s: string) => new Map([...s.matchAll(/core (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    const cur = Number(/^\*\s+(\d+)/m.exec(before)![1]);
    const p0 = pcs(before), p1 = pcs(after), c0 = counts(before), c1 = counts(after);
    expect(p0.size).toBe(4);
    for (let t = 1; t <= 4; t++) {
      if (t === cur) { expect(p1.get(t)).not.toBe(p0.get(t)); expect(c1.get(t - 1)).toBe(c0.get(t - 1)! + 3); }
      else { expect(p1.get(t)).toBe(p0.get(t)); expect(c1.get(t - 1)).toBe(c0.get(t - 1)); }
    }
    expect(/virtual time (\d+)/.exec(after)![1]).toBe(/virtual time (\d+)/.exec(before)![1]);
  });

  it('reverse-continue and reverse-stepi return to exactly the earlier state; before the history: its start', async () => {
    const { gdb } = await session(['--smp', '4', '-S', '--seed', '5'], [
      'break acquire_spinlock', 'continue', 'continue', 'continue',
      ...mark('A', DUMP),
      'continue', 'continue', 'stepi', 'stepi',
      ...mark('D', DUMP),
      'reverse-continue', 'reverse-continue', 'reverse-continue',
      ...mark('B', DUMP),
      'stepi', 'stepi', 'stepi', 'stepi', 'stepi', 'stepi',
      'reverse-stepi', 'reverse-stepi', 'reverse-stepi', 'reverse-stepi', 'reverse-stepi', 'reverse-stepi',
      ...mark('C', DUMP),
      'delete', 'reverse-continue',
      ...mark('S', ['p/x $pc', 'info threads']),
      'kill',
    ]);
    // gdb numbers printed values ($1, $2...): not part of the state.
    const norm = (t: string) => t.replace(/^\$\d+ = /gm, '= ');
    const a = norm(section(gdb, 'A')), b = norm(section(gdb, 'B')), c = norm(section(gdb, 'C')), d = norm(section(gdb, 'D'));
    expect(a).toMatch(/instructions: \d+ in total/);
    expect(d).not.toBe(a);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(gdb).toMatch(/No more reverse-execution history/);
    const s = section(gdb, 'S');
    expect(s).toMatch(/\$\d+ = 0x40200000/);
    expect(s).toMatch(/Thread 2 \(core 1, powered off\)/);
  });

  it('reverse-finish and reverse-step, which gdb builds on reverse-stepi and reverse-continue', async () => {
    const { gdb } = await session(['--smp', '4', '-S'], [
      'break acquire_spinlock_common', 'continue', 'continue', 'delete', 'stepi 6',
      ...mark('F', ['reverse-finish', 'p $pc', 'reverse-step', 'p $pc']),
      'kill',
    ]);
    const f = section(gdb, 'F');
    // acquire_spinlock's `b acquire_spinlock_common` (a tail call) is where the function was entered
    // from; one reverse-step further is the `bl acquire_spinlock` in kmalloc (the ELF's code says so).
    const pcs = [...f.matchAll(/= \(void \(\*\)\(\)\) (0x[0-9a-f]+)/g)].map((m) => Number(m[1]));
    expect(pcs).toHaveLength(2);
    const b = elfBytes(SELFTEST, pcs[0], 4).readUInt32LE(0), bl = elfBytes(SELFTEST, pcs[1], 4).readUInt32LE(0);
    expect(b >>> 26).toBe(0b000101); // B
    expect(pcs[0] + ((b << 6) >> 4)).toBe(sym('acquire_spinlock_common'));
    expect(bl >>> 26).toBe(0b100101); // BL
    expect(pcs[1] + ((bl << 6) >> 4)).toBe(sym('acquire_spinlock'));
    expect(pcs[1]).toBeGreaterThanOrEqual(sym('kmalloc')); // in kmalloc
  });

  it('reverse execution re-runs what gdb did (steps of one core alone, register and memory writes) across many snapshots', async () => {
    const { gdb } = await session(['--smp', '4', '-S', '--seed', '3'], [
      // At the fifth hit the secondaries are awake: core 1 runs alone when stepped (into its IRQ).
      'monitor history interval 5000', 'break acquire_spinlock', 'continue', 'continue', 'continue', 'continue', 'continue',
      'set scheduler-locking on', 'stepi', 'thread 2', 'stepi', 'stepi', 'set var $x5 = 0x1234', 'thread 1',
      'set var *(unsigned int *)&g_test_counter = 77', 'stepi', 'set scheduler-locking off',
      // Back over gdb's own actions: the snapshot before them, then the log re-applied.
      ...mark('R', DUMP), 'stepi', 'stepi', 'stepi', 'reverse-stepi', 'reverse-stepi', 'reverse-stepi', ...mark('R2', DUMP),
      'continue',
      ...mark('A', DUMP),
      'continue', 'continue',
      ...mark('D', [...DUMP, 'monitor history']),
      'reverse-continue', 'reverse-continue',
      ...mark('B', DUMP),
      'kill',
    ]);
    const norm = (t: string) => t.replace(/^\$\d+ = /gm, '= ');
    const a = norm(section(gdb, 'A')), b = norm(section(gdb, 'B')), d = section(gdb, 'D');
    expect(a).toMatch(/<g_test_counter>:\s+0x000000000000004d/); // the write is there
    expect(Number(/(\d+) snapshots/.exec(d)![1])).toBeGreaterThan(5);
    expect(Number(/(\d+) recorded gdb actions/.exec(d)![1])).toBeGreaterThanOrEqual(3); // core 1 alone, 2 writes
    expect(b).toBe(a);
    const r = norm(section(gdb, 'R')), r2 = norm(section(gdb, 'R2'));
    expect(r).toMatch(/<g_test_counter>:\s+0x000000000000004d/);
    expect(r).toMatch(/\s2\s+Thread 2 \(core 1, running\)\s+0x[0-9a-f]+ in irq_entry/); // core 1 stepped alone
    expect(r2).toBe(r);
  });

  it('reverse-continue goes back to the store a watchpoint saw, on the core that made it', async () => {
    const { gdb } = await session(['--smp', '4', '-S'], [
      'watch *(unsigned int *)&g_test_lock', ...new Array<string>(14).fill('continue'),
      ...mark('W', ['info threads', 'x/wx &g_test_lock']),
      'reverse-continue',
      ...mark('V', ['info threads', 'x/wx &g_test_lock', 'x/i $pc']),
      'kill',
    ]);
    const w = section(gdb, 'W'), v = section(gdb, 'V');
    const cur = (t: string) => Number(/^\*\s+(\d+)/m.exec(t)![1]);
    const val = (t: string) => Number(/<g_test_lock>:\s+(0x[0-9a-f]+)/.exec(t)![1]);
    expect(cur(w)).toBeGreaterThan(1);
    // Stopped before the store: the lock word still holds the value before it, and the instruction
    // at the PC of the thread reported is a store.
    expect(val(v)).not.toBe(val(w));
    expect(v).toMatch(/=> 0x[0-9a-f]+ <[^>]+>:\s+(str|stlr|stxr|stlxr|swp|cas|ldadd|stp)/);
  });
});

describe('gdb test helpers', () => {
  it('reads ELF bytes', () => {
    expect(elfBytes(SELFTEST, 0x40200000, 4).length).toBe(4);
  });
});
