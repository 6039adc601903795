// --max-insns takes 3000000000, 3G and 3e9 alike; anything else is a usage error (status 2).

import { describe, it, expect } from 'vitest';
import { intOption } from '../../emu/cli/common.js';
import { cliIn } from './run-cli.js';

describe('--max-insns', () => {
  it('accepts plain, suffixed and power-of-ten forms', () => {
    const p = intOption(1, Number.MAX_SAFE_INTEGER, true);
    expect([p('3000000000'), p('3G'), p('3e9'), p('3E9'), p('2.5e6'), p('1_000')]).toEqual([3e9, 3e9, 3e9, 3e9, 2.5e6, 1000]);
  });

  it('rejects garbage with one line and status 2', async () => {
    const cli = cliIn(process.cwd());
    for (const bad of ['abc', '1.5', '-5', '3e', 'e9', '1e400', '2.5e0', '0']) {
      const r = await cli('run', '--max-insns', bad);
      expect(r.status, bad).toBe(2);
      expect(r.err).toMatch(new RegExp(`^a64emu: option '--max-insns <n>' argument '${bad.replace('.', '\\.')}' is invalid\\. [^\\n]*\\n$`));
    }
  });
});
