// FP/SIMD whole programs: ordinary compiler output (clang -O2/-O3, gcc -O3, no -mgeneral-regs-only)
// must print exactly what QEMU printed for the same image (test/fp-guests/expected/IMAGE.txt, captured
// with the reference command by tools/build-fp-guests.sh --capture) and exit 0; where QEMU is installed,
// a fresh QEMU run of every image is compared too.

import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runImageFile } from './run-image.js';
import { describeWithTools } from './oracle-env.js';

const BIN = 'test/fp-guests/bin';
const images = readdirSync(BIN).filter((f) => f.endsWith('.elf')).sort();
const expected = (f: string) => readFileSync(`test/fp-guests/expected/${f.replace(/\.elf$/, '.txt')}`, 'latin1');

describe('FP/SIMD programs under a64emu', () => {
  it('there are numerics, vectorised, intrinsics, crypto and FPCR programs from clang and gcc', () => {
    for (const p of ['fpnum', 'vecint', 'neon', 'crypto', 'fpcr']) {
      for (const v of ['clang-O2', 'clang-O3', 'gcc-O3']) expect(images).toContain(`${p}-${v}.elf`);
    }
  });
  for (const f of images) {
    it(f, () => {
      const r = runImageFile(`${BIN}/${f}`, { maxInsns: 200_000_000 });
      expect(r.stdout).toBe(expected(f));
      expect(r.status).toBe(0);
      expect(r.cause).toBe('guest');
    });
  }
});

describeWithTools('FP/SIMD programs under qemu-system-aarch64 (reference command)', ['qemu-system-aarch64'], () => {
  for (const f of images) {
    it(f, () => {
      const q = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', '1', '-m', '256',
        '-nographic', '-semihosting', '-kernel', `${BIN}/${f}`], { encoding: 'latin1', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(q.status, q.stderr).toBe(0);
      expect(q.stdout).toBe(expected(f));
    });
  }
});
