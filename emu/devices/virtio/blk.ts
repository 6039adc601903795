// virtio-blk (virtio 1.1/1.2 section 5.2), device ID 2, one request queue. A request is a chain:
// a device-readable header {type u32, reserved u32, sector u64}, the data (device-readable for OUT,
// device-writable for IN and GET_ID), and a device-writable status byte at the very end. The used
// length is every device-writable byte of the chain, status included, as QEMU reports it.
//
// Offered: SEG_MAX (254: QEMU's queue size 256 less 2), BLK_SIZE (512), FLUSH, and RO for a
// read-only drive. Requests past the end of the disk, of a length that is not a whole number of
// sectors, writes to a read-only drive, and reads or writes the host fails get IOERR; other request
// types UNSUPP.

import { Disk, SECTOR } from './disk.js';
import { configBytes, VirtioDevice, VirtioMmio } from './mmio.js';
import { Chain, VirtqError, Virtqueue, gather, scatter, totalLength } from './queue.js';

export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_BLK_F_SEG_MAX = 2, VIRTIO_BLK_F_RO = 5, VIRTIO_BLK_F_BLK_SIZE = 6, VIRTIO_BLK_F_FLUSH = 9;
export const VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4, VIRTIO_BLK_T_GET_ID = 8;
export const VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2;
export const VIRTIO_BLK_ID_BYTES = 20;
export const BLK_SEG_MAX = 254;

export class VirtioBlk implements VirtioDevice {
  readonly name = 'virtio-blk';
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly queues = 1;
  readonly deviceFeatures: number;
  private readonly config = new Uint8Array(24);

  constructor(readonly disk: Disk) {
    this.deviceFeatures = (1 << VIRTIO_BLK_F_SEG_MAX) | (1 << VIRTIO_BLK_F_BLK_SIZE) | (1 << VIRTIO_BLK_F_FLUSH) |
      (disk.readonly ? 1 << VIRTIO_BLK_F_RO : 0);
    // struct virtio_blk_config: capacity u64 @0 (in 512-byte sectors), size_max u32 @8, seg_max u32 @12,
    // geometry @16, blk_size u32 @20.
    const dv = new DataView(this.config.buffer);
    dv.setUint32(0, disk.sectors >>> 0, true);
    dv.setUint32(4, Math.floor(disk.sectors / 4294967296), true);
    dv.setUint32(12, BLK_SEG_MAX, true);
    dv.setUint32(20, SECTOR, true);
  }

  configRead(off: number, size: number): number { return configBytes(this.config, off, size); }

  notify(q: Virtqueue, _index: number, t: VirtioMmio): void {
    for (let c = q.pop(t.eventIdx); c !== null; c = q.pop(t.eventIdx)) q.push(c.head, this.request(c, t));
  }

  /** A host I/O operation on the image; false if the host failed it (the guest then sees IOERR, as
   * with QEMU's default werror/rerror=report). */
  private io(op: () => void): boolean {
    try { op(); return true; } catch (e) {
      if ((e as NodeJS.ErrnoException).code === undefined) throw e; // not a host I/O error: a bug
      return false;
    }
  }

  /** Carry out one request; returns the used length. */
  private request(c: Chain, t: VirtioMmio): number {
    const mem = t.mem;
    const inLen = totalLength(c.writable);
    const hdr = new Uint8Array(16);
    if (gather(mem, c.readable, 0, hdr) < 16 || inLen < 1) throw new VirtqError('virtio-blk request without header or status');
    const dv = new DataView(hdr.buffer);
    const type = dv.getUint32(0, true);
    const sector = dv.getUint32(12, true) * 4294967296 + dv.getUint32(8, true);
    const dataIn = inLen - 1; // device-writable bytes before the status byte
    const status = (s: number) => { scatter(mem, c.writable, inLen - 1, Uint8Array.of(s)); return inLen; };
    const inRange = (bytes: number) => bytes % SECTOR === 0 && sector + bytes / SECTOR <= this.disk.sectors;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        if (!inRange(dataIn)) return status(VIRTIO_BLK_S_IOERR);
        const buf = new Uint8Array(dataIn);
        if (!this.io(() => this.disk.read(sector, buf))) return status(VIRTIO_BLK_S_IOERR);
        scatter(mem, c.writable, 0, buf);
        return status(VIRTIO_BLK_S_OK);
      }
      case VIRTIO_BLK_T_OUT: {
        const len = totalLength(c.readable) - 16;
        if (this.disk.readonly || !inRange(len)) return status(VIRTIO_BLK_S_IOERR);
        const buf = new Uint8Array(len);
        gather(mem, c.readable, 16, buf);
        return status(this.io(() => this.disk.write(sector, buf)) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR);
      }
      case VIRTIO_BLK_T_FLUSH:
        return status(this.io(() => this.disk.flush()) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR);
      case VIRTIO_BLK_T_GET_ID: {
        const id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
        id.set(new TextEncoder().encode(this.disk.serial).subarray(0, VIRTIO_BLK_ID_BYTES));
        scatter(mem, c.writable, 0, id.subarray(0, Math.min(VIRTIO_BLK_ID_BYTES, dataIn)));
        return status(VIRTIO_BLK_S_OK);
      }
      default:
        return status(VIRTIO_BLK_S_UNSUPP);
    }
  }
}
