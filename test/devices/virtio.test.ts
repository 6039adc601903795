// virtio-mmio transports (version 2) and the devices behind them, driven through their registers with
// the queues built by hand in guest RAM: identity registers, feature negotiation, split virtqueues
// (chains, indirect tables, used lengths, interrupt suppression with and without EVENT_IDX, driver
// errors), virtio-blk requests and its copy-on-write overlay, virtio-rng, virtio-console; --drive
// parsing; the transports' slots and interrupts on the board.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ram } from '../../emu/mem/ram.js';
import { REG, VirtioMmio, VirtioDevice, MAGIC, VENDOR_QEMU, QUEUE_MAX, STATUS_DEVICE_NEEDS_RESET, STATUS_FEATURES_OK } from '../../emu/devices/virtio/mmio.js';
import { VirtioBlk, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID } from '../../emu/devices/virtio/blk.js';
import { VirtioRng } from '../../emu/devices/virtio/rng.js';
import { VirtioConsole } from '../../emu/devices/virtio/console.js';
import { Disk, DiskError, fileStore, memoryStore, parseDrive } from '../../emu/devices/virtio/disk.js';
import { Prng } from '../../emu/devices/prng.js';
import { Machine } from '../../emu/board/machine.js';

const BASE = 0x4000_0000;
const DESC = BASE + 0x1000, AVAIL = BASE + 0x2000, USED = BASE + 0x3000, BUF = BASE + 0x10000;
const NUM = 8;
const F_INDIRECT = 1 << 28, F_EVENT_IDX = 1 << 29;

/** A transport over a device, with a driver-side view of queue 0 in a small RAM. */
function rig(dev: VirtioDevice | null, features: [number, number] = [0, 1]) {
  const ram = new Ram(BASE, 1 << 20);
  const t = new VirtioMmio(ram, dev, 31);
  const lines: boolean[] = [];
  t.onIrq = (l) => lines.push(l);
  const dv = ram.dv;
  const off = (pa: number) => pa - BASE;
  const w = (o: number, v: number) => t.write(o, 4, v);
  const r = (o: number) => t.read(o, 4);
  let availIdx = 0, usedSeen = 0;
  const setup = (queue = 0) => {
    w(REG.Status, 0); w(REG.Status, 1); w(REG.Status, 3);
    w(REG.DriverFeaturesSel, 0); w(REG.DriverFeatures, features[0]);
    w(REG.DriverFeaturesSel, 1); w(REG.DriverFeatures, features[1]);
    w(REG.Status, 11);
    w(REG.QueueSel, queue); w(REG.QueueNum, NUM);
    w(REG.QueueDescLow, DESC); w(REG.QueueDescHigh, 0);
    w(REG.QueueDriverLow, AVAIL); w(REG.QueueDriverHigh, 0);
    w(REG.QueueDeviceLow, USED); w(REG.QueueDeviceHigh, 0);
    w(REG.QueueReady, 1);
    w(REG.Status, 15);
    availIdx = usedSeen = 0;
  };
  const desc = (i: number, addr: number, len: number, flags: number, next = 0, table = DESC) => {
    const d = off(table) + 16 * i;
    dv.setUint32(d, addr >>> 0, true); dv.setUint32(d + 4, Math.floor(addr / 2 ** 32), true);
    dv.setUint32(d + 8, len, true); dv.setUint16(d + 12, flags, true); dv.setUint16(d + 14, next, true);
  };
  /** Make head available and notify queue q; returns the used elements added. */
  const submit = (head: number, q = 0) => {
    dv.setUint16(off(AVAIL) + 4 + 2 * (availIdx % NUM), head, true);
    availIdx = (availIdx + 1) & 0xffff;
    dv.setUint16(off(AVAIL) + 2, availIdx, true);
    w(REG.QueueNotify, q);
    const out: { id: number; len: number }[] = [];
    const idx = dv.getUint16(off(USED) + 2, true);
    for (; usedSeen !== idx; usedSeen = (usedSeen + 1) & 0xffff) {
      const e = off(USED) + 4 + 8 * (usedSeen % NUM);
      out.push({ id: dv.getUint32(e, true), len: dv.getUint32(e + 4, true) });
    }
    return out;
  };
  const bytes = (pa: number, n: number) => ram.u8.slice(off(pa), off(pa) + n);
  const put = (pa: number, data: Uint8Array) => ram.u8.set(data, off(pa));
  return { ram, t, w, r, setup, desc, submit, bytes, put, lines, dv, off };
}

/** A virtio-blk request header at pa. */
function header(x: ReturnType<typeof rig>, pa: number, type: number, sector: number) {
  x.dv.setUint32(x.off(pa), type, true);
  x.dv.setUint32(x.off(pa) + 4, 0, true);
  x.dv.setUint32(x.off(pa) + 8, sector, true);
  x.dv.setUint32(x.off(pa) + 12, 0, true);
}

const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

function blkRig(opts: { readonly?: boolean; snapshot?: boolean; sectors?: number; serial?: string; features?: [number, number] } = {}) {
  const image = pattern((opts.sectors ?? 16) * 512);
  const original = image.slice();
  const disk = new Disk(memoryStore(image), opts.readonly ?? false, opts.snapshot ?? true, opts.serial ?? '');
  const x = rig(new VirtioBlk(disk), opts.features);
  x.setup();
  /** header at BUF, data at BUF+0x100, status at BUF+0x80. */
  const req = (type: number, sector: number, len: number, deviceWrites: boolean) => {
    header(x, BUF, type, sector);
    x.put(BUF + 0x80, Uint8Array.of(0xff));
    x.desc(0, BUF, 16, 1, 1);
    if (len > 0) { x.desc(1, BUF + 0x100, len, 1 | (deviceWrites ? 2 : 0), 2); x.desc(2, BUF + 0x80, 1, 2); } else x.desc(1, BUF + 0x80, 1, 2);
    const u = x.submit(0);
    return { used: u, status: x.bytes(BUF + 0x80, 1)[0], data: x.bytes(BUF + 0x100, len) };
  };
  return { ...x, disk, image, original, req };
}

describe('virtio-mmio transport', () => {
  it('an empty transport reads the magic, version 2, DeviceID 0 and QEMU\'s vendor; nothing else', () => {
    const x = rig(null);
    expect([x.r(REG.MagicValue), x.r(REG.Version), x.r(REG.DeviceID), x.r(REG.VendorID)]).toEqual([MAGIC, 2, 0, VENDOR_QEMU]);
    x.w(REG.Status, 1);
    for (const o of [REG.DeviceFeatures, REG.QueueNumMax, REG.Status, REG.InterruptStatus, REG.Config]) expect(x.r(o)).toBe(0);
  });

  it('offers VERSION_1, INDIRECT_DESC and EVENT_IDX with the device\'s bits; FEATURES_OK only for offered bits', () => {
    const x = rig(new VirtioRng(new Prng(1, 2)));
    x.w(REG.DeviceFeaturesSel, 0);
    expect(x.r(REG.DeviceFeatures)).toBe((F_INDIRECT | F_EVENT_IDX) >>> 0);
    x.w(REG.DeviceFeaturesSel, 1);
    expect(x.r(REG.DeviceFeatures)).toBe(1);
    x.w(REG.DeviceFeaturesSel, 2);
    expect(x.r(REG.DeviceFeatures)).toBe(0);
    x.w(REG.Status, 3);
    x.w(REG.DriverFeaturesSel, 1); x.w(REG.DriverFeatures, 3); // bit 33 is not offered
    x.w(REG.Status, 11);
    expect(x.r(REG.Status) & STATUS_FEATURES_OK).toBe(0);
    x.w(REG.Status, 0);
    x.w(REG.Status, 3);
    x.w(REG.DriverFeaturesSel, 1); x.w(REG.DriverFeatures, 1);
    x.w(REG.Status, 11);
    expect(x.r(REG.Status)).toBe(11);
    expect(x.t.has(32)).toBe(true);
  });

  it('QueueNumMax is 1024 for a queue the device has, 0 beyond; QueueReady reads back; Status 0 resets', () => {
    const x = rig(new VirtioConsole(() => {}));
    x.w(REG.QueueSel, 1);
    expect(x.r(REG.QueueNumMax)).toBe(QUEUE_MAX);
    x.w(REG.QueueSel, 2);
    expect(x.r(REG.QueueNumMax)).toBe(0);
    x.setup(1);
    expect(x.r(REG.QueueReady)).toBe(1);
    expect(x.r(REG.Status)).toBe(15);
    x.w(REG.Status, 0);
    expect(x.r(REG.Status)).toBe(0);
    x.w(REG.QueueSel, 1);
    expect(x.r(REG.QueueReady)).toBe(0);
  });

  it('a used buffer sets InterruptStatus bit 0 and raises the line; InterruptACK lowers it', () => {
    const x = rig(new VirtioRng(new Prng(1, 2)));
    x.setup();
    x.desc(0, BUF, 8, 2);
    expect(x.submit(0)).toEqual([{ id: 0, len: 8 }]);
    expect(x.r(REG.InterruptStatus)).toBe(1);
    expect(x.lines.at(-1)).toBe(true);
    x.w(REG.InterruptACK, 1);
    expect(x.r(REG.InterruptStatus)).toBe(0);
    expect(x.lines.at(-1)).toBe(false);
  });

  it('VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the interrupt (without EVENT_IDX)', () => {
    const x = rig(new VirtioRng(new Prng(1, 2)));
    x.setup();
    x.dv.setUint16(x.off(AVAIL), 1, true);
    x.desc(0, BUF, 8, 2);
    expect(x.submit(0)).toHaveLength(1);
    expect(x.r(REG.InterruptStatus)).toBe(0);
  });

  it('EVENT_IDX: used_event picks the interrupting buffer (the first after reset always does, as QEMU); avail_event follows', () => {
    const x = rig(new VirtioRng(new Prng(1, 2)), [F_EVENT_IDX, 1]);
    x.setup();
    x.dv.setUint16(x.off(AVAIL) + 4 + 2 * NUM, 2, true); // used_event
    x.dv.setUint16(x.off(AVAIL), 1, true); // NO_INTERRUPT is ignored with EVENT_IDX
    const irqs: number[] = [];
    for (let k = 0; k < 4; k++) {
      x.desc(k, BUF + 64 * k, 8, 2);
      x.submit(k);
      irqs.push(x.r(REG.InterruptStatus));
      x.w(REG.InterruptACK, 1);
      expect(x.dv.getUint16(x.off(USED) + 4 + 8 * NUM, true)).toBe(k + 1); // avail_event
    }
    expect(irqs).toEqual([1, 0, 1, 0]);
  });

  it('a bad chain (outside RAM, a loop) sets DEVICE_NEEDS_RESET and a config-change interrupt; reset clears it', () => {
    const x = rig(new VirtioRng(new Prng(1, 2)));
    x.setup();
    x.desc(0, 0x1000, 8, 2);
    expect(x.submit(0)).toEqual([]);
    expect(x.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(x.r(REG.InterruptStatus)).toBe(2);
    x.setup();
    expect(x.r(REG.Status)).toBe(15);
    x.desc(0, BUF, 8, 3, 1); x.desc(1, BUF, 8, 3, 0);
    x.submit(0);
    expect(x.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
  });
});

describe('virtio-blk', () => {
  it('config: capacity in sectors, seg_max 254, blk_size 512, by any access size; RO only when read-only', () => {
    const b = blkRig({ sectors: 16 });
    expect(b.t.read(REG.Config, 4)).toBe(16);
    expect(b.t.read(REG.Config + 4, 4)).toBe(0);
    expect(b.t.read(REG.Config, 1)).toBe(16);
    expect(b.t.read(REG.Config + 12, 4)).toBe(254);
    expect(b.t.read(REG.Config + 20, 2)).toBe(512);
    b.w(REG.DeviceFeaturesSel, 0);
    const f = b.r(REG.DeviceFeatures);
    expect([(f >> 2) & 1, (f >> 5) & 1, (f >> 6) & 1, (f >> 9) & 1]).toEqual([1, 0, 1, 1]);
    const ro = blkRig({ readonly: true });
    ro.w(REG.DeviceFeaturesSel, 0);
    expect((ro.r(REG.DeviceFeatures) >> 5) & 1).toBe(1);
  });

  it('IN reads sectors; the used length counts every device-writable byte, status included', () => {
    const b = blkRig();
    const r = b.req(VIRTIO_BLK_T_IN, 3, 1024, true);
    expect(r.used).toEqual([{ id: 0, len: 1025 }]);
    expect(r.status).toBe(0);
    expect(r.data).toEqual(b.original.subarray(3 * 512, 5 * 512));
  });

  it('OUT goes to the overlay by default: read back from it, the image untouched', () => {
    const b = blkRig();
    b.put(BUF + 0x100, new Uint8Array(512).fill(0xab));
    const w = b.req(VIRTIO_BLK_T_OUT, 4, 512, false);
    expect(w.used[0].len).toBe(1);
    expect(w.status).toBe(0);
    b.put(BUF + 0x100, new Uint8Array(1536));
    const r = b.req(VIRTIO_BLK_T_IN, 3, 1536, true);
    expect(r.data.subarray(0, 512)).toEqual(b.original.subarray(1536, 2048));
    expect(r.data.subarray(512, 1024)).toEqual(new Uint8Array(512).fill(0xab));
    expect(r.data.subarray(1024)).toEqual(b.original.subarray(2560, 3072));
    expect(b.image).toEqual(b.original);
  });

  it('snapshot=off writes through to the image; FLUSH answers OK', () => {
    const b = blkRig({ snapshot: false });
    b.put(BUF + 0x100, new Uint8Array(512).fill(0xcd));
    expect(b.req(VIRTIO_BLK_T_OUT, 1, 512, false).status).toBe(0);
    expect(b.image.subarray(512, 1024)).toEqual(new Uint8Array(512).fill(0xcd));
    const f = b.req(VIRTIO_BLK_T_FLUSH, 0, 0, false);
    expect([f.used[0].len, f.status]).toEqual([1, 0]);
  });

  it('errors: past the end and partial sectors IOERR, writes to a read-only drive IOERR, unknown types UNSUPP', () => {
    const b = blkRig({ sectors: 16 });
    expect(b.req(VIRTIO_BLK_T_IN, 15, 1024, true).status).toBe(1);
    expect(b.req(VIRTIO_BLK_T_IN, 16, 512, true).status).toBe(1);
    expect(b.req(VIRTIO_BLK_T_IN, 0, 100, true)).toMatchObject({ status: 1, used: [{ len: 101 }] });
    expect(b.req(VIRTIO_BLK_T_OUT, 0, 100, false).status).toBe(1);
    expect(b.req(99, 0, 512, true)).toMatchObject({ status: 2, used: [{ len: 513 }] });
    const ro = blkRig({ readonly: true });
    expect(ro.req(VIRTIO_BLK_T_OUT, 0, 512, false).status).toBe(1);
    expect(ro.image).toEqual(ro.original);
  });

  it('GET_ID writes the serial, NUL-padded to 20 bytes', () => {
    const b = blkRig({ serial: 'disk-7' });
    b.put(BUF + 0x100, new Uint8Array(20).fill(0x55));
    const r = b.req(VIRTIO_BLK_T_GET_ID, 0, 20, true);
    expect(r.status).toBe(0);
    expect(r.used[0].len).toBe(21);
    expect(Buffer.from(r.data).toString('latin1')).toBe('disk-7'.padEnd(20, '\0'));
  });

  it('a request spread over descriptors any way, and through an indirect table', () => {
    const b = blkRig();
    // header split 10 + 6, data 300 + 212, status sharing the last buffer
    header(b, BUF, VIRTIO_BLK_T_IN, 2);
    b.put(BUF + 0x400, b.bytes(BUF + 10, 6));
    b.desc(0, BUF, 10, 1, 5);
    b.desc(5, BUF + 0x400, 6, 1, 3);
    b.desc(3, BUF + 0x1000, 300, 3, 7);
    b.desc(7, BUF + 0x2000, 213, 2);
    expect(b.submit(0)).toEqual([{ id: 0, len: 513 }]);
    const data = new Uint8Array([...b.bytes(BUF + 0x1000, 300), ...b.bytes(BUF + 0x2000, 212)]);
    expect(data).toEqual(b.original.subarray(1024, 1536));
    expect(b.bytes(BUF + 0x2000 + 212, 1)[0]).toBe(0);
    // indirect: the table at BUF + 0x3000, three entries
    const T = BUF + 0x3000;
    header(b, BUF, VIRTIO_BLK_T_IN, 6);
    b.desc(0, BUF, 16, 1, 1, T);
    b.desc(1, BUF + 0x1000, 512, 3, 2, T);
    b.desc(2, BUF + 0x80, 1, 2, 0, T);
    b.desc(4, T, 48, 4);
    expect(b.submit(4)).toEqual([{ id: 4, len: 513 }]);
    expect(b.bytes(BUF + 0x1000, 512)).toEqual(b.original.subarray(3072, 3584));
  });

  it('a readable descriptor after a writable one is a driver error', () => {
    const b = blkRig();
    header(b, BUF, VIRTIO_BLK_T_IN, 0);
    b.desc(0, BUF + 0x80, 1, 3, 1);
    b.desc(1, BUF, 16, 0);
    b.submit(0);
    expect(b.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
  });
});

describe('virtio-rng and virtio-console', () => {
  it('rng fills every writable byte from the seeded generator: same seed, same bytes', () => {
    const run = (seed: number) => {
      const x = rig(new VirtioRng(new Prng(seed, 2)));
      x.setup();
      x.desc(0, BUF, 40, 3, 1); x.desc(1, BUF + 0x100, 24, 2);
      expect(x.submit(0)).toEqual([{ id: 0, len: 64 }]);
      return [...x.bytes(BUF, 40), ...x.bytes(BUF + 0x100, 24)];
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
    expect(run(9).filter((v) => v !== 0).length).toBeGreaterThan(50);
  });

  it('console: transmitq bytes go to the sink, used length 0; config is 12 zero bytes', () => {
    const out: number[] = [];
    const x = rig(new VirtioConsole((b) => out.push(...b)));
    expect(x.r(REG.DeviceID)).toBe(3);
    x.setup(1);
    x.put(BUF, new TextEncoder().encode('hello'));
    x.desc(0, BUF, 3, 1, 1); x.desc(1, BUF + 3, 2, 0);
    expect(x.submit(0, 1)).toEqual([{ id: 0, len: 0 }]);
    expect(Buffer.from(out).toString()).toBe('hello');
    expect(x.t.read(REG.Config + 8, 4)).toBe(0);
  });
});

describe('--drive and disk images', () => {
  it('parses QEMU-style keys; a bare path is file=; ,, escapes a comma', () => {
    expect(parseDrive('file=a.img')).toEqual({ file: 'a.img', readonly: false, snapshot: true, serial: '' });
    expect(parseDrive('a.img,readonly=on')).toMatchObject({ file: 'a.img', readonly: true });
    expect(parseDrive('file=x,,y.img,format=raw,snapshot=off,serial=S1,if=virtio,id=d0')).toEqual({ file: 'x,y.img', readonly: false, snapshot: false, serial: 'S1' });
    for (const bad of ['', 'format=raw', 'file=a,format=qcow2', 'file=a,readonly=maybe', 'file=a,cache=none', 'file=a,if=ide', 'file=a,junk']) {
      expect(() => parseDrive(bad), bad).toThrow(DiskError);
    }
  });

  it('an image whose size is not a multiple of 512 is refused', () => {
    expect(() => new Disk(memoryStore(new Uint8Array(1000)), false, true)).toThrow(/not a multiple of 512/);
  });

  it('a file: the overlay leaves it unchanged; snapshot=off changes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a64emu-disk-'));
    const f = join(dir, 'd.img');
    writeFileSync(f, pattern(4096));
    const cow = new Disk(fileStore(f, false), false, true);
    cow.write(1, new Uint8Array(512).fill(1));
    const back = new Uint8Array(1024);
    cow.read(0, back);
    expect(back.subarray(512)).toEqual(new Uint8Array(512).fill(1));
    cow.close();
    expect(readFileSync(f)).toEqual(Buffer.from(pattern(4096)));
    const through = new Disk(fileStore(f, true), false, false);
    through.write(2, new Uint8Array(512).fill(2));
    through.flush();
    through.close();
    expect(readFileSync(f).subarray(1024, 1536)).toEqual(Buffer.alloc(512, 2));
  });
});

describe('virtio-mmio on the board', () => {
  it('32 transports from 0x0a000000; the first device on the highest one (QEMU\'s order), its interrupt SPI 16 + slot', () => {
    const m = new Machine({ stdout: () => {}, virtio: [
      { type: 'blk', disk: new Disk(memoryStore(new Uint8Array(512)), false, true) }, { type: 'rng' }, { type: 'console' },
    ] });
    expect(m.virtio).toHaveLength(32);
    const ids = m.virtio.map((t) => t.read(REG.DeviceID, 4));
    expect(ids.slice(29)).toEqual([3, 4, 2]);
    expect(ids.slice(0, 29).every((v) => v === 0)).toBe(true);
    expect(m.bus.find(0x0a00_3e00)!.dev).toBe(m.virtio[31]);
    expect(m.bus.find(0x0a00_01ff)!.dev).toBe(m.virtio[0]);
    m.virtio[31].interrupt(1);
    const gicd = m.bus.find(0x0800_0000)!.dev;
    expect((gicd.read(0x208, 4, 0) >>> (79 - 64)) & 1).toBe(1); // GICD_ISPENDR2: INTID 79 pending (level)
  });
});

describe('virtio-blk host I/O errors', () => {
  it('a read or write the host fails answers IOERR instead of ending the run', () => {
    const fail = () => { throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }); };
    const disk = new Disk({ size: 4096, read: fail, write: fail, flush: fail }, false, false);
    const x = rig(new VirtioBlk(disk));
    x.setup();
    for (const type of [VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VIRTIO_BLK_T_FLUSH]) {
      header(x, BUF, type, 0);
      x.desc(0, BUF, 16, 1, 1);
      if (type === VIRTIO_BLK_T_FLUSH) x.desc(1, BUF + 0x80, 1, 2);
      else { x.desc(1, BUF + 0x100, 512, 1 | (type === VIRTIO_BLK_T_IN ? 2 : 0), 2); x.desc(2, BUF + 0x80, 1, 2); }
      expect(x.submit(0)).toHaveLength(1);
      expect(x.bytes(BUF + 0x80, 1)[0], `type ${type}`).toBe(1);
    }
  });
});
