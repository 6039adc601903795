// A split virtqueue (virtio 1.1/1.2 section 2.7): the descriptor table, the driver area (available
// ring) and the device area (used ring), all in guest RAM. The device side only: take the next
// available descriptor chain, give it back through the used ring, and decide whether the driver wants
// an interrupt for it (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX).
//
//   descriptor (16 bytes): addr u64, len u32, flags u16 (NEXT 1, WRITE 2, INDIRECT 4), next u16
//   available ring: flags u16, idx u16, ring[num] u16, used_event u16 (EVENT_IDX)
//   used ring:      flags u16, idx u16, ring[num] {id u32, len u32}, avail_event u16 (EVENT_IDX)

import type { Ram } from '../../mem/ram.js';

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** The driver broke the protocol (a bad address, a loop, a malformed chain): the device needs reset. */
export class VirtqError extends Error {}

/** A guest-physical buffer. */
export interface Segment { addr: number; len: number }

/** One descriptor chain taken from the available ring: its head index and its buffers, the
 * device-readable ones first (virtio requires them to precede the device-writable ones). */
export interface Chain { head: number; readable: Segment[]; writable: Segment[] }

/** Guest RAM as the devices see it (DMA): bounds-checked, and writes tell the code cache. */
export class GuestMemory {
  constructor(private readonly ram: Ram) {}

  private offset(pa: number, len: number): number {
    if (!this.ram.contains(pa, len)) throw new VirtqError(`DMA to 0x${pa.toString(16)}..+0x${len.toString(16)} outside RAM`);
    return pa - this.ram.base;
  }

  u16(pa: number): number { return this.ram.dv.getUint16(this.offset(pa, 2), true); }
  u32(pa: number): number { return this.ram.dv.getUint32(this.offset(pa, 4), true); }
  u64(pa: number): number {
    const off = this.offset(pa, 8);
    return this.ram.dv.getUint32(off + 4, true) * 4294967296 + this.ram.dv.getUint32(off, true);
  }
  setU16(pa: number, v: number): void { const off = this.offset(pa, 2); this.ram.touch(off, 2); this.ram.dv.setUint16(off, v, true); }
  setU32(pa: number, v: number): void { const off = this.offset(pa, 4); this.ram.touch(off, 4); this.ram.dv.setUint32(off, v >>> 0, true); }
  /** A view of guest bytes (not a copy). */
  view(pa: number, len: number): Uint8Array { const off = this.offset(pa, len); return this.ram.u8.subarray(off, off + len); }
  write(pa: number, data: Uint8Array): void { const off = this.offset(pa, data.length); this.ram.touch(off, data.length); this.ram.u8.set(data, off); }
}

/** Copy up to out.length bytes out of a list of guest buffers, starting `skip` bytes in. */
export function gather(mem: GuestMemory, segs: Segment[], skip: number, out: Uint8Array): number {
  let done = 0;
  for (const s of segs) {
    if (done === out.length) break;
    if (skip >= s.len) { skip -= s.len; continue; }
    const n = Math.min(s.len - skip, out.length - done);
    out.set(mem.view(s.addr + skip, n), done);
    done += n; skip = 0;
  }
  return done;
}

/** Copy data into a list of guest buffers, starting `skip` bytes in. Returns the bytes written. */
export function scatter(mem: GuestMemory, segs: Segment[], skip: number, data: Uint8Array): number {
  let done = 0;
  for (const s of segs) {
    if (done === data.length) break;
    if (skip >= s.len) { skip -= s.len; continue; }
    const n = Math.min(s.len - skip, data.length - done);
    mem.write(s.addr + skip, data.subarray(done, done + n));
    done += n; skip = 0;
  }
  return done;
}

export const totalLength = (segs: Segment[]): number => segs.reduce((a, s) => a + s.len, 0);

export class Virtqueue {
  /** Queue size the driver chose (QueueNum). */
  num = 0;
  ready = false;
  descAddr = 0;
  driverAddr = 0;
  deviceAddr = 0;
  /** Next available-ring index to take (free-running, mod 2^16). */
  lastAvail = 0;
  /** Used-ring index to write next (free-running, mod 2^16). */
  usedIdx = 0;
  /** Used index when the driver was last notified (EVENT_IDX), and whether there was such a time since
   * reset: the first used buffer after a reset always interrupts, as in QEMU. */
  private signalledUsed = 0;
  private signalledValid = false;

  constructor(readonly mem: GuestMemory, readonly maxSize: number) {}

  reset(): void {
    this.num = 0; this.ready = false;
    this.descAddr = this.driverAddr = this.deviceAddr = 0;
    this.lastAvail = this.usedIdx = this.signalledUsed = 0;
    this.signalledValid = false;
  }

  /** The next available chain, or null when the driver has made none available. */
  pop(eventIdx: boolean): Chain | null {
    if (!this.ready || this.num === 0) return null;
    const availIdx = this.mem.u16(this.driverAddr + 2);
    if (((availIdx - this.lastAvail) & 0xffff) > this.num) throw new VirtqError('available index moved by more than the queue size');
    if (availIdx === this.lastAvail) return null;
    const head = this.mem.u16(this.driverAddr + 4 + 2 * (this.lastAvail % this.num));
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    // With EVENT_IDX, ask to be notified of the next buffer the driver adds (avail_event).
    if (eventIdx) this.mem.setU16(this.deviceAddr + 4 + 8 * this.num, this.lastAvail);
    return this.chain(head);
  }

  private chain(head: number): Chain {
    const c: Chain = { head, readable: [], writable: [] };
    let table = this.descAddr, size = this.num, i = head, indirect = false;
    for (let seen = 0; ; seen++) {
      if (i >= size) throw new VirtqError(`descriptor index ${i} out of range`);
      if (seen >= size) throw new VirtqError('descriptor chain loops');
      const d = table + 16 * i;
      const addr = this.mem.u64(d), len = this.mem.u32(d + 8), flags = this.mem.u16(d + 12), next = this.mem.u16(d + 14);
      if ((flags & VIRTQ_DESC_F_INDIRECT) !== 0) {
        if (indirect) throw new VirtqError('nested indirect descriptor table');
        if ((flags & VIRTQ_DESC_F_NEXT) !== 0) throw new VirtqError('indirect descriptor with NEXT');
        if (len === 0 || len % 16 !== 0) throw new VirtqError('indirect table length is not a multiple of 16');
        table = addr; size = len / 16; i = 0; indirect = true; seen = -1;
        continue;
      }
      const seg = { addr, len };
      if ((flags & VIRTQ_DESC_F_WRITE) !== 0) c.writable.push(seg);
      else if (c.writable.length > 0) throw new VirtqError('device-readable buffer after a device-writable one');
      else c.readable.push(seg);
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) return c;
      i = next;
    }
  }

  /** Return a chain to the driver with the number of bytes the device wrote into it. */
  push(head: number, written: number): void {
    const e = this.deviceAddr + 4 + 8 * (this.usedIdx % this.num);
    this.mem.setU32(e, head);
    this.mem.setU32(e + 4, written);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.mem.setU16(this.deviceAddr + 2, this.usedIdx); // after the element: the driver reads idx first
  }

  /** After pushing one or more used buffers: whether the driver wants a used-buffer notification now
   * (2.7.7, 2.7.10). */
  shouldNotify(eventIdx: boolean): boolean {
    const old = this.signalledUsed, now = this.usedIdx;
    if (!eventIdx) { this.signalledUsed = now; return (this.mem.u16(this.driverAddr) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0; }
    const valid = this.signalledValid;
    this.signalledUsed = now; this.signalledValid = true;
    const usedEvent = this.mem.u16(this.driverAddr + 4 + 2 * this.num);
    // vring_need_event: notify when used_event lies in [old, now).
    return !valid || ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
  }
}
