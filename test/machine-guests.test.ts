// Machine guests (test/machine-guests): multi-core programs for the board -- a spinlock with
// LDAXR/STXR and WFE, SGIs (target list, broadcast, other cluster), the EL1 timers, EL0 system calls and
// traps, page tables with faults and TLBI, PSCI, the GICv3 ITS and LPIs, the PL031 RTC with virtio-blk and virtio-rng,
// breakpoints, watchpoints and software step, and the PMU. Each committed image must print exactly what QEMU
// printed for it at each -smp (expected/NAME-smpN.txt, captured with the reference command) and exit
// with the same status (0); where QEMU is installed, a live QEMU run of every (image, -smp) is compared
// with ours too.

import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImageFile } from './run-image.js';
import { describeWithTools } from './oracle-env.js';
import type { MachineOptions } from '../emu/board/machine.js';
import { Disk, fileStore } from '../emu/devices/virtio/disk.js';
// @ts-expect-error -- a plain ES module, shared with tools/build-machine-guests.sh
import { diskImages, writeDiskImages } from './machine-guests/disks.mjs';

const DIR = 'test/machine-guests';
const BIN = `${DIR}/bin`;
const EXP = `${DIR}/expected`;
const MAX_INSNS = 100_000_000;

const images = readdirSync(BIN).filter((f) => f.endsWith('.elf')).map((f) => f.slice(0, -4)).sort();
/** (program, smp) pairs, from the expected-output files' names. */
const runs = readdirSync(EXP)
  .map((f) => /^([a-z0-9]+)-smp(\d+)\.txt$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ name: m[1], smp: Number(m[2]) }))
  .sort((a, b) => (a.name === b.name ? a.smp - b.smp : a.name < b.name ? -1 : 1));

/** The board a program is made for: `gicv2` runs on QEMU's gic-version=2 (and --gic-version 2). */
const gicVersion = (name: string): 2 | 3 => (name.startsWith('gicv2') ? 2 : 3);
/** `el2` starts at EL2: QEMU's virtualization=on, a64emu's startEl 2 (--el2). */
const startEl = (name: string): 1 | 2 => (name === 'el2' ? 2 : 1);
const image = (name: string) => `${BIN}/${name}.elf`;
const expected = (name: string, smp: number) => readFileSync(`${EXP}/${name}-smp${smp}.txt`, 'latin1');

/** Scheduler variations on our side: the output must not depend on the interleaving. */
const SEEDED: { name: string; smp: number; seed: number; quantum?: number }[] = [
  { name: 'spinlock', smp: 4, seed: 1 },
  { name: 'spinlock', smp: 4, seed: 7, quantum: 37 },
  { name: 'sgi', smp: 4, seed: 3 },
  { name: 'sgi', smp: 20, seed: 5, quantum: 50 },
  { name: 'timer', smp: 4, seed: 11 },
  { name: 'mmu', smp: 4, seed: 13 },
  { name: 'psci', smp: 4, seed: 17, quantum: 10 },
  { name: 'virtio', smp: 1, seed: 19, quantum: 7 },
  { name: 'gicv2', smp: 4, seed: 19, quantum: 23 },
  { name: 'debug', smp: 1, seed: 29, quantum: 5 },
  { name: 'pmu', smp: 1, seed: 31, quantum: 3 },
  { name: 'its', smp: 2, seed: 23, quantum: 13 },
];

/** A program's devices beyond the board's, on fresh disk images (keep in step with
 * tools/build-machine-guests.sh): a64emu's machine options and QEMU's arguments for the same. */
function devices(name: string): { ours: MachineOptions; qemu: string[]; disks: { disk0: string; disk1: string } | null } {
  if (name !== 'virtio') return { ours: {}, qemu: [], disks: null };
  const disks = writeDiskImages(mkdtempSync(join(tmpdir(), 'a64emu-disks-'))) as { disk0: string; disk1: string };
  return {
    disks,
    ours: { virtio: [
      { type: 'blk', disk: new Disk(fileStore(disks.disk0, false), false, true, 'a64emu-disk0') },
      { type: 'blk', disk: new Disk(fileStore(disks.disk1, false), true, true) },
      { type: 'rng' },
    ] },
    qemu: ['-global', 'virtio-mmio.force-legacy=false',
      '-drive', `file=${disks.disk0},format=raw,if=none,id=d0`, '-device', 'virtio-blk-device,drive=d0,serial=a64emu-disk0',
      '-drive', `file=${disks.disk1},format=raw,if=none,id=d1,readonly=on`, '-device', 'virtio-blk-device,drive=d1',
      '-device', 'virtio-rng-device'],
  };
}

/** Run on a64emu with the program's devices; a run must leave the disk images as they were. */
function ours(name: string, opts: MachineOptions) {
  const d = devices(name);
  let r;
  try {
    r = runImageFile(image(name), { ...opts, ...d.ours });
  } finally {
    for (const v of d.ours.virtio ?? []) if (v.type === 'blk') v.disk.close();
  }
  if (d.disks !== null) {
    const { disk0, disk1 } = diskImages() as { disk0: Uint8Array; disk1: Uint8Array };
    expect(readFileSync(d.disks.disk0).equals(disk0), 'a64emu changed disk0.img').toBe(true);
    expect(readFileSync(d.disks.disk1).equals(disk1)).toBe(true);
  }
  return r;
}

function qemu(name: string, smp: number): { stdout: string; status: number | null } {
  const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=${gicVersion(name)}${startEl(name) === 2 ? ',virtualization=on' : ''}`, '-cpu', 'cortex-a57', '-smp', String(smp),
    '-m', '256', '-nographic', '-semihosting', ...devices(name).qemu, '-kernel', image(name)],
  { encoding: 'latin1', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: q.stdout, status: q.status };
}

describe('machine guests under a64emu', () => {
  it('every program has expected output, and every expected output an image', () => {
    expect(images).toEqual(['abort', 'debug', 'el0', 'el2', 'gicv2', 'its', 'mmu', 'pmu', 'psci', 'sgi', 'spinlock', 'timer', 'virtio']);
    for (const n of images) expect(runs.some((r) => r.name === n)).toBe(true);
    for (const r of runs) expect(existsSync(image(r.name))).toBe(true);
    // the SGI program crosses clusters only with more than 16 cores (QEMU: Aff1 = core / 16)
    expect(runs.some((r) => r.name === 'sgi' && r.smp > 16)).toBe(true);
  });
  for (const { name, smp } of runs) {
    it(`${name} -smp ${smp}`, () => {
      const r = ours(name, { smp, gicVersion: gicVersion(name), startEl: startEl(name), maxInsns: MAX_INSNS });
      expect(r.stdout).toBe(expected(name, smp));
      expect(r.status).toBe(0);
      expect(r.cause).toBe('guest');
    });
  }
  // a64emu's own topologies (no QEMU equivalent): the programs read the affinities from the device
  // tree, so they must pass their own checks with any clustering (sgi with 33 cores in 2 clusters of
  // 17 sends to Aff0 = 16, which needs ICC_SGI1R_EL1.RS = 1).
  for (const [name, smp, clusters] of [['sgi', 8, 2], ['sgi', 33, 2], ['spinlock', 6, 3], ['timer', 4, 2]] as const) {
    it(`${name} -smp ${smp} --clusters ${clusters} passes its own checks`, () => {
      const r = runImageFile(image(name), { smp, clusters, maxInsns: MAX_INSNS });
      expect(r.stdout).toContain(`${name}: pass`);
      expect(r.status).toBe(0);
    });
  }
  for (const { name, smp, seed, quantum } of SEEDED) {
    it(`${name} -smp ${smp} --seed ${seed}${quantum ? ` --quantum ${quantum}` : ''}`, () => {
      const r = ours(name, { smp, seed, quantum, gicVersion: gicVersion(name), startEl: startEl(name), maxInsns: MAX_INSNS });
      expect(r.stdout).toBe(expected(name, smp));
      expect(r.status).toBe(0);
    });
  }
});

describeWithTools('machine guests: a64emu against a live qemu-system-aarch64 (reference command)', ['qemu-system-aarch64'], () => {
  for (const { name, smp } of runs) {
    it(`${name} -smp ${smp}`, () => {
      const q = qemu(name, smp);
      const r = ours(name, { smp, gicVersion: gicVersion(name), startEl: startEl(name), maxInsns: MAX_INSNS });
      expect(q.stdout, 'QEMU no longer prints the committed expected output').toBe(expected(name, smp));
      expect(r.stdout).toBe(q.stdout);
      expect(r.status).toBe(q.status);
    });
  }
});
