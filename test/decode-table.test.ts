// The decode table must be unambiguous: two rows that some word matches both must declare different
// priorities (the higher one wins).

import { describe, expect, it } from 'vitest';
import { A64_TABLE } from '../emu/cpu/a64/index.js';
import { compileEncoding, overlaps } from '../emu/cpu/decoder.js';

function example(a: { mask: number; value: number }, b: { mask: number; value: number }): string {
  // The smallest word matching both rows.
  return (((a.value & a.mask) | (b.value & b.mask)) >>> 0).toString(16).padStart(8, '0');
}

describe('A64 decode table', () => {
  const rows = A64_TABLE.map(compileEncoding);

  it('compiles every row', () => {
    expect(rows.length).toBe(A64_TABLE.length);
  });

  it('has no overlapping rows of equal priority', () => {
    const bad: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        const a = rows[i], b = rows[j];
        if (overlaps(a, b) && a.priority === b.priority) {
          bad.push(`${a.enc.name} [${a.enc.pattern}] and ${b.enc.name} [${b.enc.pattern}] (priority ${a.priority}), e.g. word 0x${example(a, b)}`);
        }
      }
    }
    expect(bad, `${bad.length} overlapping pair(s) without a priority to decide:\n${bad.join('\n')}`).toEqual([]);
  });

  it('has no identical patterns', () => {
    const seen = new Map<string, string>();
    const dup: string[] = [];
    for (const r of rows) {
      const k = `${r.mask}:${r.value}`;
      const prev = seen.get(k);
      if (prev !== undefined) dup.push(`${prev} and ${r.enc.name}`);
      else seen.set(k, r.enc.name);
    }
    expect(dup).toEqual([]);
  });
});
