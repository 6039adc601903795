// virtio-rng (virtio 1.1/1.2 section 5.4), device ID 4, one request queue: the device fills every
// device-writable buffer of a chain with random bytes. The bytes come from the run's seeded generator
// (not the host's entropy), so a run with the same --seed reads the same bytes.

import { Prng } from '../prng.js';
import type { VirtioDevice, VirtioMmio } from './mmio.js';
import { Virtqueue, scatter, totalLength } from './queue.js';

export const VIRTIO_ID_ENTROPY = 4;

export class VirtioRng implements VirtioDevice {
  readonly name = 'virtio-rng';
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly queues = 1;
  readonly deviceFeatures = 0;

  constructor(private readonly prng: Prng) {}

  configRead(): number { return 0; }

  notify(q: Virtqueue, _index: number, t: VirtioMmio): void {
    for (let c = q.pop(t.eventIdx); c !== null; c = q.pop(t.eventIdx)) {
      const n = totalLength(c.writable);
      scatter(t.mem, c.writable, 0, this.prng.fill(new Uint8Array(n)));
      q.push(c.head, n);
    }
  }
}
