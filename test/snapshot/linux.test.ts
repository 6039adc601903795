// Snapshots of a Linux boot (Debian's arm64 kernel, tools/fetch-linux.sh) on 4 cores: a prefix of the
// boot with snapshots every few rounds and trips back must end as the uninterrupted prefix (console
// output, per-core counts and registers, time, RAM). Skipped with a notice without the kernel; with
// REQUIRE_ORACLES=1 (CI fetches it) a missing kernel fails.

import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oraclesRequired } from '../oracle-env.js';
import { bootImage, replay } from './replay.js';

const KERNEL = join(dirname(fileURLToPath(import.meta.url)), '../../.cache/linux/vmlinuz');
const haveKernel = existsSync(KERNEL);
if (!haveKernel && !oraclesRequired()) console.warn('[oracle] skipping the Linux snapshot test: no .cache/linux/vmlinuz (run tools/fetch-linux.sh as root)');

(haveKernel || oraclesRequired() ? describe : describe.skip)('snapshots of a Linux boot', () => {
  it('the first 3 million instructions on 4 cores, with trips back, end as the uninterrupted boot', () => {
    expect(haveKernel, 'the kernel: run tools/fetch-linux.sh').toBe(true);
    const make = () => bootImage(KERNEL, { smp: 4, ramMiB: 256, seed: 9, bootargs: 'console=ttyAMA0 earlycon=pl011,0x9000000' });
    const res = replay(make, { limit: 3_000_000, every: 100, backEvery: 350, maxRestores: 3, checkEach: false });
    expect(res.restores).toBeGreaterThan(1);
    expect(res.replayed).toEqual(res.reference);
    expect(JSON.parse(res.reference.counts)[0]).toBeGreaterThanOrEqual(3_000_000); // (the console starts later)
  });
});
