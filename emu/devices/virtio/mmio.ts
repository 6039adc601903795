// The virtio-mmio transport, version 2 (virtio 1.1/1.2 section 4.2.2), as QEMU's virt board has 32 of
// them: 0x200 bytes each from 0x0a00_0000, interrupt SPI 16 + n. A transport with no device behind it
// reads DeviceID 0, as in QEMU.
//
// Requests are processed synchronously when the driver writes QueueNotify, so a run stays
// deterministic: by the time the store retires, the used ring is updated and the interrupt raised.
// A driver error (bad DMA address, looping chain) sets DEVICE_NEEDS_RESET and raises a configuration
// change interrupt (4.2.2 / 2.1.2), as QEMU's virtio_error does for modern devices.
//
// Facts from QEMU 7.2's virtio-mmio that a driver can observe: VendorID 0x554d4551 ("QEMU");
// QueueNumMax reads VIRTQUEUE_MAX_SIZE (1024) for a queue the device has, 0 for one it has not.

import type { MmioDevice } from '../../mem/bus.js';
import type { Ram } from '../../mem/ram.js';
import { GuestMemory, Virtqueue, VirtqError } from './queue.js';

export const VIRTIO_MMIO_BASE = 0x0a00_0000;
export const VIRTIO_MMIO_SIZE = 0x200;
export const VIRTIO_MMIO_COUNT = 32;
export const VIRTIO_MMIO_SPI = 16; // transport n: SPI 16 + n (INTID 48 + n)

export const MAGIC = 0x74726976; // "virt"
export const VENDOR_QEMU = 0x554d4551;
export const QUEUE_MAX = 1024;

// Register offsets (4.2.2).
export const REG = {
  MagicValue: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c,
  DeviceFeatures: 0x010, DeviceFeaturesSel: 0x014, DriverFeatures: 0x020, DriverFeaturesSel: 0x024,
  QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038, QueueReady: 0x044, QueueNotify: 0x050,
  InterruptStatus: 0x060, InterruptACK: 0x064, Status: 0x070,
  QueueDescLow: 0x080, QueueDescHigh: 0x084, QueueDriverLow: 0x090, QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0, QueueDeviceHigh: 0x0a4, ConfigGeneration: 0x0fc, Config: 0x100,
} as const;

// Device status bits (2.1).
export const STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40, STATUS_FAILED = 0x80;
// InterruptStatus bits.
export const INT_USED_BUFFER = 1, INT_CONFIG_CHANGE = 2;

// Reserved feature bits (6), as bit numbers; those at 32 and above are in the high word.
export const VIRTIO_F_RING_INDIRECT_DESC = 28;
export const VIRTIO_F_RING_EVENT_IDX = 29;
export const VIRTIO_F_VERSION_1 = 32;

/** What a transport needs of the device behind it. */
export interface VirtioDevice {
  readonly name: string;
  /** Device ID (5): 2 block, 3 console, 4 entropy. */
  readonly deviceId: number;
  /** Device-specific feature bits 0..23 the device offers. */
  readonly deviceFeatures: number;
  /** Number of virtqueues. */
  readonly queues: number;
  configRead(off: number, size: number): number;
  configWrite?(off: number, size: number, v: number): void;
  /** Process what the driver made available on queue q (called at its QueueNotify). */
  notify(q: Virtqueue, index: number, t: VirtioMmio): void;
  /** Device reset (Status written 0). */
  reset?(): void;
}

export class VirtioMmio implements MmioDevice {
  readonly name: string;
  readonly mem: GuestMemory;
  readonly vqs: Virtqueue[];
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  /** Driver features as written (low and high words); accepted when FEATURES_OK is set. */
  private driverFeatures = [0, 0];
  /** The features negotiated at FEATURES_OK. */
  negotiated = [0, 0];
  private queueSel = 0;
  private status = 0;
  private isr = 0;
  /** Raised/lowered as InterruptStatus becomes non-zero or zero (the board wires it to its SPI). */
  onIrq: (level: boolean) => void = () => {};

  constructor(ram: Ram, readonly dev: VirtioDevice | null, readonly index = 0) {
    this.name = `virtio-mmio.${index}${dev ? ` (${dev.name})` : ''}`;
    this.mem = new GuestMemory(ram);
    this.vqs = Array.from({ length: dev?.queues ?? 0 }, () => new Virtqueue(this.mem, QUEUE_MAX));
  }

  /** Feature word w (0: bits 0-31, 1: bits 32-63) the device offers: its own bits plus the
   * transport's VERSION_1, RING_INDIRECT_DESC and RING_EVENT_IDX. */
  offered(w: number): number {
    if (this.dev === null) return 0;
    if (w === 0) return (this.dev.deviceFeatures | (1 << VIRTIO_F_RING_INDIRECT_DESC) | (1 << VIRTIO_F_RING_EVENT_IDX)) >>> 0;
    if (w === 1) return 1 << (VIRTIO_F_VERSION_1 - 32);
    return 0;
  }

  has(bit: number): boolean { return ((this.negotiated[bit >> 5] >>> (bit & 31)) & 1) !== 0; }

  get eventIdx(): boolean { return this.has(VIRTIO_F_RING_EVENT_IDX); }

  read(off: number, size: number): number {
    if (off >= REG.Config) return this.dev === null ? 0 : this.dev.configRead(off - REG.Config, size);
    const q = this.vqs[this.queueSel];
    switch (off) {
      case REG.MagicValue: return MAGIC;
      case REG.Version: return 2;
      case REG.DeviceID: return this.dev?.deviceId ?? 0;
      case REG.VendorID: return VENDOR_QEMU;
    }
    if (this.dev === null) return 0;
    switch (off) {
      case REG.DeviceFeatures: return this.offered(this.deviceFeaturesSel);
      case REG.QueueNumMax: return q === undefined ? 0 : q.maxSize;
      case REG.QueueReady: return q?.ready ? 1 : 0;
      case REG.InterruptStatus: return this.isr;
      case REG.Status: return this.status;
      case REG.ConfigGeneration: return 0;
      default: return 0; // write-only and reserved registers
    }
  }

  peek(off: number, size: number): number { return this.read(off, size); }

  write(off: number, size: number, v: number): void {
    if (this.dev === null) return;
    if (off >= REG.Config) { this.dev.configWrite?.(off - REG.Config, size, v); return; }
    const q = this.vqs[this.queueSel];
    switch (off) {
      case REG.DeviceFeaturesSel: this.deviceFeaturesSel = v >>> 0; break;
      case REG.DriverFeaturesSel: this.driverFeaturesSel = v >>> 0; break;
      case REG.DriverFeatures: if (this.driverFeaturesSel < 2) this.driverFeatures[this.driverFeaturesSel] = v >>> 0; break;
      case REG.QueueSel: this.queueSel = v >>> 0; break;
      case REG.QueueNum: if (q !== undefined && v <= q.maxSize) q.num = v; break;
      case REG.QueueReady: if (q !== undefined) q.ready = (v & 1) === 1; break;
      case REG.QueueDescLow: if (q) q.descAddr = setLow(q.descAddr, v); break;
      case REG.QueueDescHigh: if (q) q.descAddr = setHigh(q.descAddr, v); break;
      case REG.QueueDriverLow: if (q) q.driverAddr = setLow(q.driverAddr, v); break;
      case REG.QueueDriverHigh: if (q) q.driverAddr = setHigh(q.driverAddr, v); break;
      case REG.QueueDeviceLow: if (q) q.deviceAddr = setLow(q.deviceAddr, v); break;
      case REG.QueueDeviceHigh: if (q) q.deviceAddr = setHigh(q.deviceAddr, v); break;
      case REG.QueueNotify: this.queueNotify(v >>> 0); break;
      case REG.InterruptACK: this.isr &= ~v; this.drive(); break;
      case REG.Status: this.setStatus(v & 0xff); break;
      default: break;
    }
  }

  private setStatus(v: number): void {
    if (v === 0) { this.reset(); return; }
    if ((v & STATUS_FEATURES_OK) !== 0 && (this.status & STATUS_FEATURES_OK) === 0) {
      // Accept only features the device offered; otherwise FEATURES_OK does not stick (3.1.1).
      const ok = (this.driverFeatures[0] & ~this.offered(0)) === 0 && (this.driverFeatures[1] & ~this.offered(1)) === 0;
      if (ok) this.negotiated = [this.driverFeatures[0] >>> 0, this.driverFeatures[1] >>> 0];
      else v &= ~STATUS_FEATURES_OK;
    }
    this.status = (v | (this.status & STATUS_DEVICE_NEEDS_RESET)) & 0xff;
  }

  reset(): void {
    this.status = 0; this.isr = 0;
    this.deviceFeaturesSel = this.driverFeaturesSel = this.queueSel = 0;
    this.driverFeatures = [0, 0]; this.negotiated = [0, 0];
    for (const q of this.vqs) q.reset();
    this.dev?.reset?.();
    this.drive();
  }

  private queueNotify(index: number): void {
    const q = this.vqs[index];
    if (q === undefined || !q.ready || (this.status & STATUS_DEVICE_NEEDS_RESET) !== 0) return;
    try {
      const before = q.usedIdx;
      this.dev!.notify(q, index, this);
      if (q.usedIdx !== before && q.shouldNotify(this.eventIdx)) this.interrupt(INT_USED_BUFFER);
    } catch (e) {
      if (!(e instanceof VirtqError)) throw e;
      this.status |= STATUS_DEVICE_NEEDS_RESET;
      this.interrupt(INT_CONFIG_CHANGE);
    }
  }

  /** Set InterruptStatus bits and raise the interrupt line. */
  interrupt(bits: number): void {
    this.isr |= bits;
    this.drive();
  }

  private drive(): void { this.onIrq(this.isr !== 0); }
}

const setLow = (v: number, lo: number) => Math.floor(v / 4294967296) * 4294967296 + (lo >>> 0);
const setHigh = (v: number, hi: number) => (hi >>> 0) * 4294967296 + (v % 4294967296);

/** Read size bytes (1, 2, 4) of a little-endian config structure. */
export function configBytes(cfg: Uint8Array, off: number, size: number): number {
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = v * 256 + (off + k < cfg.length ? cfg[off + k] : 0);
  return v >>> 0;
}
