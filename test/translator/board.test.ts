// Board guests (SGIs, WFE/SEV, timers, EL0, MMU with TLBI and faults, PSCI, GICv2) and the SMP
// layer's self-test on several cores and seeds: the same with the translator as without -- the same
// interleaving, interrupts at the same instructions, the same counts per core.

import { describe, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { expectSame } from './run-both.js';

const images = readdirSync('test/machine-guests/bin').filter((f) => f.endsWith('.elf') && !f.startsWith('virtio')).sort();

describe('board guests: translated = interpreted', () => {
  for (const f of images) {
    const path = `test/machine-guests/bin/${f}`;
    const gic = f.startsWith('gicv2') ? { gicVersion: 2 as const } : {};
    it(`${f} smp 4 seed 9 quantum 37`, () => expectSame(path, { smp: 4, seed: 9, quantum: 37, ...gic }));
  }
  it('smp-selftest smp 4', () => expectSame('firmware/images/smp-selftest.elf', { smp: 4 }));
  it('smp-selftest-lse smp 8 seed 5', () => expectSame('firmware/images/smp-selftest-lse.elf', { smp: 8, seed: 5 }));
  it('deadlock smp 2 seed 11, default threshold', () => expectSame('firmware/images/deadlock.elf', { smp: 2, seed: 11 }, 32));
});
