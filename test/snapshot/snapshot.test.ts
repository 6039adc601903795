import { describe, it, expect } from 'vitest';
import { bootImage, replay } from './replay.js';

describe('snapshots: restore and re-run gives the uninterrupted run', () => {
  it('a program (vm, gcc -O2)', () => {
    const res = replay(() => bootImage('test/guests/bin/vm-gcc-O2.elf', { smp: 1 }), { every: 300, backEvery: 1100 });
    expect(res.takes).toBeGreaterThan(5);
    expect(res.restores).toBeGreaterThan(2);
    expect(res.replayed).toBe(res.reference);
  });
});
