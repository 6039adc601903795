// The point of --memory-model arm, on the SMP layer's self-test (kernel/): the normal build, with
// real DMBs and acquire/release atomics, passes under both models; the build variant with x86-style
// barriers (smp-selftest-x86barriers.elf: compiler-only barriers, plain LDR/STR for atomic_get/set,
// exclusives without acquire/release) passes under sc and fails under arm.

import { describe, it, expect } from 'vitest';
import { runImageFile } from '../run-image.js';
import { MachineOptions } from '../../emu/board/machine.js';

const IMG = 'firmware/images';

function run(image: string, opts: MachineOptions) {
  return runImageFile(`${IMG}/${image}.elf`, { smp: 4, maxInsns: 300_000_000, ...opts });
}

function passes(image: string, opts: MachineOptions): void {
  const r = run(image, opts);
  expect(r.stdout.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('PANIC'))).toEqual([]);
  expect(r.stdout).toMatch(/^SUMMARY: 39 passed, 0 failed$/m);
  expect(r.status).toBe(0);
}

describe('SMP self-test under --memory-model arm', () => {
  for (const seed of [1, 2, 3]) it(`normal build, seed ${seed}`, () => { passes('smp-selftest', { memoryModel: 'arm', seed }); });
  it('LSE build, seed 1', () => { passes('smp-selftest-lse', { memoryModel: 'arm', seed: 1 }); });
  it('x86-barriers build passes under sc', () => {
    passes('smp-selftest-x86barriers', { memoryModel: 'sc' });
    passes('smp-selftest-x86barriers', { memoryModel: 'sc', seed: 4 });
  });
  it('x86-barriers build, seed 1: the seqlock and the rendezvous fail', () => {
    const r = run('smp-selftest-x86barriers', { memoryModel: 'arm', seed: 1 });
    // seqlock: the reader's loads of the data and of the sequence number are reordered (no DMB LD),
    // and so are the writer's stores (no DMB ST): a torn read passes the sequence check.
    expect(r.stdout).toMatch(/^FAIL: seqlock_no_torn_reads: \d+ torn reads accepted/m);
    // rendezvous: the load of the arrival count after the rendezvous is not ordered after the load
    // that saw every CPU arrive (atomic_get is a plain LDR, not LDAR): it reads an older count.
    expect(r.stdout).toMatch(/^FAIL: smp_cpu_rendezvous: \d+ CPU\(s\) left before all arrived/m);
    expect(r.status).toBe(1);
  });
  it('x86-barriers build, seed 4: a secondary CPU calls the early function with a NULL cookie', () => {
    // call_all_cpus_early publishes function and cookie with plain stores, then the CPU set with a
    // plain store (not STLR): a secondary sees its bit but the old cookie (NULL) and faults on it.
    const r = run('smp-selftest-x86barriers', { memoryModel: 'arm', seed: 4 });
    expect(r.stdout).toMatch(/^PANIC: cpu \d: unexpected sync exception .* FAR_EL1 0x[0-9a-f]$/m);
    expect(r.status).toBe(3);
  });
});

describe('determinism under --memory-model arm', () => {
  it('the same seed gives the same run, instruction for instruction', () => {
    const a = run('smp-selftest-x86barriers', { memoryModel: 'arm', seed: 5 });
    const b = run('smp-selftest-x86barriers', { memoryModel: 'arm', seed: 5 });
    expect(b.stdout).toBe(a.stdout);
    expect(b.machine.cores.map((c) => c.icount)).toEqual(a.machine.cores.map((c) => c.icount));
    expect(b.machine.memModel!.now).toBe(a.machine.memModel!.now);
    expect(b.machine.memModel!.staleReads).toBe(a.machine.memModel!.staleReads);
  });
});

describe('single-core programs are unaffected by --memory-model arm', () => {
  // One core sees its own accesses in program order under any memory model: same output as sc.
  for (const image of ['hash-clang-O2', 'bignum-gcc-O2', 'bitops-gcc-O2', 'arith-clang-O2', 'sort-clang-O2']) {
    it(image, () => {
      const path = `test/guests/bin/${image}.elf`;
      const sc = runImageFile(path, { smp: 1 });
      const arm = runImageFile(path, { smp: 1, memoryModel: 'arm', seed: 5 });
      expect(arm.stdout).toBe(sc.stdout);
      expect(arm.status).toBe(sc.status);
      expect(arm.machine.memModel!.now).toBeGreaterThan(1000); // the stores went through the model
    });
  }
});
