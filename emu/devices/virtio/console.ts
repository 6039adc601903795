// virtio-console (virtio 1.1/1.2 section 5.3), device ID 3, a single port (no MULTIPORT): queue 0
// receiveq (host to guest; nothing is sent), queue 1 transmitq, whose bytes go to the same sink as the
// PL011's (standard output). Config: cols u16, rows u16, max_nr_ports u32, emerg_wr u32 (all 0).

import { configBytes, VirtioDevice, VirtioMmio } from './mmio.js';
import { Virtqueue, gather, totalLength } from './queue.js';

export const VIRTIO_ID_CONSOLE = 3;

export class VirtioConsole implements VirtioDevice {
  readonly name = 'virtio-console';
  readonly deviceId = VIRTIO_ID_CONSOLE;
  readonly queues = 2;
  readonly deviceFeatures = 0;
  private readonly config = new Uint8Array(12);

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  configRead(off: number, size: number): number { return configBytes(this.config, off, size); }

  notify(q: Virtqueue, index: number, t: VirtioMmio): void {
    if (index !== 1) return; // receive buffers wait for input that never comes
    for (let c = q.pop(t.eventIdx); c !== null; c = q.pop(t.eventIdx)) {
      const out = new Uint8Array(totalLength(c.readable));
      gather(t.mem, c.readable, 0, out);
      if (out.length > 0) this.sink(out);
      q.push(c.head, 0);
    }
  }
}
