// The default job: the Haiku-style SMP layer's self-test image (firmware/images) on our emulator and,
// where installed, on qemu-system-aarch64 with the reference command; on both GIC versions.

import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runImageFile } from './run-image.js';
import { describeWithTools } from './oracle-env.js';
import { MachineOptions } from '../emu/board/machine.js';
import { main } from '../emu/cli/main.js';

const IMG = 'firmware/images';

function selftest(opts: MachineOptions, image = 'smp-selftest') {
  const r = runImageFile(`${IMG}/${image}.elf`, { maxInsns: 500_000_000, ...opts });
  const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
  expect(fails).toEqual([]);
  const summary = /^SUMMARY: (\d+) passed, (\d+) failed$/m.exec(r.stdout);
  expect(summary, r.stdout.slice(-2000)).not.toBeNull();
  expect(Number(summary![1])).toBeGreaterThanOrEqual(39);
  expect(summary![2]).toBe('0');
  expect(r.status).toBe(0);
  return r;
}

describe('SMP self-test image on a64emu', () => {
  for (const smp of [1, 2, 3, 4, 5, 6, 7, 8]) it(`--smp ${smp}`, () => { selftest({ smp }); });
  it('--smp 4 --clusters 2 (multicast across Aff1 groups)', () => {
    const r = selftest({ smp: 4, clusters: 2 });
    expect(r.stdout).toMatch(/^PASS: ici_multicast/m);
  });
  it('--smp 8 --clusters 2', () => { selftest({ smp: 8, clusters: 2 }); });
  for (let seed = 1; seed <= 20; seed++) it(`--smp 4 --seed ${seed}`, () => { selftest({ smp: 4, seed }); });
  it('entered at EL2 (PSCI over SMC)', () => { selftest({ smp: 4, startEl: 2 }); });
  it('LSE build', () => { selftest({ smp: 4 }, 'smp-selftest-lse'); });
  it('debug build prints contention statistics', () => {
    const r = selftest({ smp: 4 }, 'smp-selftest-debug');
    expect(r.stdout).toMatch(/spinlock/);
  });
  it('the TLB shootdown shows a stale mapping without the shootdown, and the new one with it', () => {
    const r = selftest({ smp: 4 });
    expect(r.stdout).toMatch(/^PASS: tlb_stale_observed/m);
    expect(r.stdout).toMatch(/^PASS: tlb_shootdown/m);
  });
  it('the same seed gives the same execution, instruction for instruction', () => {
    const a = selftest({ smp: 4, seed: 7 });
    const b = selftest({ smp: 4, seed: 7 });
    const c = selftest({ smp: 4, seed: 8 });
    const counts = (r: typeof a) => r.machine.cores.map((k) => k.icount);
    expect(counts(b)).toEqual(counts(a));
    expect(b.stdout).toBe(a.stdout);
    expect(b.machine.time).toBe(a.machine.time);
    expect(counts(c)).not.toEqual(counts(a)); // another seed, another interleaving
  });
  it('the deadlock image detects the deadlock, dumps lock and ICI state, and exits 3', () => {
    const r = runImageFile(`${IMG}/deadlock.elf`, { smp: 4, maxInsns: 500_000_000 });
    expect(r.stdout).toMatch(/deadlock/i);
    expect(r.stdout).toMatch(/"lock_a": locked by cpu \d/);
    expect(r.stdout).toMatch(/debugger command: ici/);
    expect(r.status).toBe(3);
  });
});

// The GICv2 path (chosen from the device tree's arm,cortex-a15-gic node): ICIs through GICD_SGIR with a
// CPU target list, at most 8 CPUs; the multicast is one write whatever the clusters.
describe('SMP self-test image on a64emu with a GICv2 (--gic-version 2)', () => {
  for (const smp of [1, 2, 3, 4, 8]) {
    it(`--smp ${smp}`, () => {
      const r = selftest({ smp, gicVersion: 2 });
      expect(r.stdout).toMatch(/^INFO: GICv2: ICIs through GICD_SGIR$/m);
    });
  }
  it('--smp 8 --clusters 2 (the target list knows no clusters: one write per multicast)', () => {
    const r = selftest({ smp: 8, clusters: 2, gicVersion: 2 });
    expect(r.stdout).toMatch(/^PASS: ici_multicast_all_clusters$/m);
  });
  for (const seed of [1, 2, 3]) it(`--smp 4 --seed ${seed}`, () => { selftest({ smp: 4, seed, gicVersion: 2 }); });
  it('entered at EL2 (PSCI over SMC)', () => { selftest({ smp: 4, startEl: 2, gicVersion: 2 }); });
  it('the GICv3 path says so', () => {
    expect(selftest({ smp: 2 }).stdout).toMatch(/^INFO: GICv3: ICIs through ICC_SGI1R_EL1$/m);
  });
});

describe('a64emu run with no image', () => {
  it('boots the default image on 4 cores and prints the self-test results', async () => {
    const out: Uint8Array[] = [], err: Uint8Array[] = [];
    const buf = (b: string | Uint8Array) => (typeof b === 'string' ? Buffer.from(b) : Buffer.from(b));
    const status = await main(['run', '--stats'], { stdout: (b) => out.push(buf(b)), stderr: (b) => err.push(buf(b)), cwd: process.cwd() });
    const text = Buffer.concat(out).toString();
    expect(text).toMatch(/^SUMMARY: \d+ passed, 0 failed$/m);
    expect(Buffer.concat(err).toString()).toMatch(/stats: +3 +[1-9]/); // core 3 ran
    expect(status).toBe(0);
  });
});

describeWithTools('SMP self-test image on qemu-system-aarch64 (reference command)', ['qemu-system-aarch64'], () => {
  for (const [gic, smp] of [3, 2].flatMap((g) => [1, 2, 4, 8].map((n) => [g, n] as const))) {
    it(`-M virt,gic-version=${gic} -smp ${smp}`, () => {
      const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=${gic}`, '-cpu', 'cortex-a57', '-smp', String(smp), '-m', '256',
        '-nographic', '-semihosting', '-kernel', `${IMG}/smp-selftest.elf`], { encoding: 'latin1', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(q.stdout).toMatch(/^SUMMARY: \d+ passed, 0 failed$/m);
      expect(q.stdout).toContain(`INFO: GICv${gic}: ICIs through`);
      expect(q.status).toBe(0);
    });
  }
});
