// Snapshots of the machine guests (test/machine-guests): a run that takes snapshots at many points and
// goes back to earlier ones must end exactly as the uninterrupted run, and still print what QEMU printed.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { VirtioSpec } from '../../emu/board/machine.js';
import { Disk, memoryStore } from '../../emu/devices/virtio/disk.js';
import { bootImage, replay } from './replay.js';
// @ts-expect-error -- a plain ES module, shared with tools/build-machine-guests.sh
import { diskImages } from '../machine-guests/disks.mjs';

describe('snapshots of the machine guests', () => {
  // The machine guests (test/machine-guests): timers, SGIs, GICv2, PSCI, page tables, EL0, aborts,
  // and the RTC with a guest's own virtio-blk and virtio-rng driver; each to its end, with its output
  // compared with what QEMU printed.
  for (const [name, smp, seed] of [['timer', 4, 11], ['sgi', 4, 3], ['gicv2', 4, 19], ['psci', 4, 17], ['mmu', 4, 0], ['el0', 1, 0], ['abort', 1, 0], ['virtio', 1, 19]] as const) {
    it(`the ${name} machine guest on ${smp} core(s)`, () => {
      const make = () => {
        const virtio: VirtioSpec[] = [];
        if (name === 'virtio') {
          const d = diskImages() as { disk0: Uint8Array; disk1: Uint8Array };
          virtio.push({ type: 'blk', disk: new Disk(memoryStore(d.disk0), false, true, 'a64emu-disk0') },
            { type: 'blk', disk: new Disk(memoryStore(d.disk1), true, true) }, { type: 'rng' });
        }
        return bootImage(`test/machine-guests/bin/${name}.elf`, { smp, seed, quantum: 300, gicVersion: name === 'gicv2' ? 2 : 3, virtio });
      };
      const res = replay(make, { every: 40, backEvery: 150, maxRestores: 4 });
      expect(res.restores).toBeGreaterThan(2);
      expect(res.replayed).toEqual(res.reference);
      expect(res.output.replace(/\r/g, '')).toBe(readFileSync(`test/machine-guests/expected/${name}-smp${smp}.txt`, 'latin1').replace(/\r/g, ''));
    });
  }

});
