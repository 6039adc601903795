// Whole programs: every committed bare-metal image must print exactly what QEMU printed for it
// (test/guests/expected, captured with the reference command) and exit 0; where QEMU is installed,
// a fresh QEMU run of every image is compared too.

import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runImageFile } from './run-image.js';
import { describeWithTools } from './oracle-env.js';

const BIN = 'test/guests/bin';
const images = readdirSync(BIN).filter((f) => f.endsWith('.elf')).sort();
const program = (f: string) => f.split('-')[0];

describe('bare-metal programs under a64emu', () => {
  it('there are programs from both compilers at -O0 and -O2', () => {
    expect(images.length).toBeGreaterThanOrEqual(24);
    for (const v of ['clang-O0', 'clang-O2', 'gcc-O0', 'gcc-O2']) expect(images.some((f) => f.endsWith(`-${v}.elf`))).toBe(true);
  });
  for (const f of images) {
    it(f, () => {
      const r = runImageFile(`${BIN}/${f}`, { maxInsns: 200_000_000 });
      expect(r.stdout).toBe(readFileSync(`test/guests/expected/${program(f)}.txt`, 'latin1'));
      expect(r.status).toBe(0);
      expect(r.cause).toBe('guest');
    });
  }
});

describeWithTools('bare-metal programs under qemu-system-aarch64 (reference command)', ['qemu-system-aarch64'], () => {
  for (const f of images) {
    it(f, () => {
      const q = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', '1', '-m', '256',
        '-nographic', '-semihosting', '-kernel', `${BIN}/${f}`], { encoding: 'latin1', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const ours = runImageFile(`${BIN}/${f}`, { maxInsns: 200_000_000 });
      expect(ours.stdout).toBe(q.stdout);
      expect(ours.status).toBe(q.status);
    });
  }
});
