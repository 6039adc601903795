// The replay checks of snapshot.test.ts must be able to fail: with a piece of state left out of the
// snapshot on purpose, the replayed run must differ from the uninterrupted one (or the machine right
// after a restore from the machine at take()). Its own file: notStateFields() lasts for the process.

import { describe, it, expect } from 'vitest';
import { Machine } from '../../emu/board/machine.js';
import { notStateFields } from '../../emu/snapshot/index.js';
import { bootImage, replay, ReplayOptions } from './replay.js';

const differs = (opts: ReplayOptions, make = () => bootImage('firmware/images/smp-selftest.elf', { smp: 4, seed: 7, quantum: 500 })): string => {
  try {
    const res = replay(make, opts);
    const diff = Object.keys(res.reference).filter((k) => res.reference[k] !== res.replayed[k]);
    return diff.length > 0 ? `end differs: ${diff.join(', ')}` : '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the replay check catches what a snapshot misses', () => {
  it('RAM pages not saved before they change', () => {
    const why = differs({ limit: 300_000, every: 30, backEvery: 110, maxRestores: 3, sabotage: (s) => { s.machine.ram.onSave = null; } });
    expect(why).not.toBe('');
  });

  it('one field of the scheduler (its seeded PRNG) left out', () => {
    expect(differs({ limit: 300_000, every: 30, backEvery: 110, maxRestores: 3, checkEach: false })).toBe(''); // as it is: the same
    notStateFields(Machine, 'rng');
    expect(differs({ limit: 300_000, every: 30, backEvery: 110, maxRestores: 3, checkEach: false })).toMatch(/end differs/);
  });
});
