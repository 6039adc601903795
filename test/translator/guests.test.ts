// Every program of test/guests (general-register code from clang and gcc at -O0 and -O2) and one build
// of each test/fp-guests program: the same with the translator as without. Runs stop after 4 million
// instructions (most programs end before; the rest are compared where the limit stops them).

import { describe, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { expectSame } from './run-both.js';

const elfs = (dir: string, re: RegExp) => readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => `${dir}/${f}`);

describe('guest programs: translated = interpreted', () => {
  const opts = { maxInsns: 4_000_000 };
  for (const f of elfs('test/guests/bin', /-(clang-O2|gcc-O0)\.elf$/)) it(f, () => expectSame(f, opts));
  for (const f of elfs('test/fp-guests/bin', /-clang-O2\.elf$/)) it(f, () => expectSame(f, opts));
});
