// `a64emu run --jit` and `--no-jit`: the same output and exit status.

import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { cliIn } from '../cli/run-cli.js';

const cli = cliIn(process.cwd());

describe('run --jit / --no-jit', () => {
  it('give the same output and status', async () => {
    const img = resolve('test/guests/bin/hash-clang-O2.elf');
    const a = await cli('run', '--smp', '1', '--no-jit', img);
    const b = await cli('run', '--smp', '1', '--jit', img);
    expect(a.status).toBe(0);
    expect(b).toEqual(a);
    expect(a.out.length).toBeGreaterThan(100);
  });
});
