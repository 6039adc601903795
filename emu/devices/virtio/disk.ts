// Disk images behind virtio-blk, and the --drive option that names them.
//
// A run never changes the user's image unless asked: by default (snapshot=on) writes go to an
// in-memory overlay, copy-on-write by 512-byte sector, and are lost at exit; snapshot=off writes
// through to the file (and FLUSH syncs it). readonly=on refuses writes altogether. The name follows
// QEMU's -drive snapshot=on|off, whose default is the other way round.

import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

export const SECTOR = 512;

/** Where sectors come from: a file, or bytes in memory (tests). */
export interface DiskStore {
  readonly size: number;
  read(pos: number, out: Uint8Array): void;
  write?(pos: number, data: Uint8Array): void;
  flush?(): void;
  close?(): void;
}

export class Disk {
  /** Copy-on-write overlay: sector number -> its current contents. Null when writing through. */
  private readonly overlay: Map<number, Uint8Array> | null;

  constructor(readonly store: DiskStore, readonly readonly: boolean, snapshot: boolean, readonly serial = '') {
    if (store.size % SECTOR !== 0) throw new DiskError(`size ${store.size} is not a multiple of ${SECTOR} bytes`);
    this.overlay = snapshot || store.write === undefined ? new Map() : null;
  }

  get sectors(): number { return this.store.size / SECTOR; }

  /** Read whole sectors from `sector` into out (a multiple of 512 bytes long). */
  read(sector: number, out: Uint8Array): void {
    const n = out.length / SECTOR;
    if (this.overlay === null || this.overlay.size === 0) { this.store.read(sector * SECTOR, out); return; }
    let k = 0;
    while (k < n) { // runs of sectors not in the overlay come from the store in one read
      const s = this.overlay.get(sector + k);
      if (s !== undefined) { out.set(s, k * SECTOR); k++; continue; }
      let j = k + 1;
      while (j < n && !this.overlay.has(sector + j)) j++;
      this.store.read((sector + k) * SECTOR, out.subarray(k * SECTOR, j * SECTOR));
      k = j;
    }
  }

  write(sector: number, data: Uint8Array): void {
    if (this.overlay === null) { this.store.write!(sector * SECTOR, data); return; }
    for (let k = 0; k < data.length / SECTOR; k++) this.overlay.set(sector + k, data.slice(k * SECTOR, (k + 1) * SECTOR));
  }

  flush(): void { if (this.overlay === null) this.store.flush?.(); }
  private closed = false;
  close(): void { if (!this.closed) { this.closed = true; this.store.close?.(); } }
}

export class DiskError extends Error {}

/** A raw image file, read and (with snapshot=off) written in place. */
export function fileStore(path: string, writable: boolean): DiskStore {
  const fd = openSync(path, writable ? 'r+' : 'r');
  const st = fstatSync(fd);
  if (st.isDirectory()) { closeSync(fd); throw Object.assign(new Error('is a directory'), { code: 'EISDIR' }); }
  return {
    size: st.size,
    read: (pos, out) => {
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, pos + done);
        if (n === 0) { out.fill(0, done); break; }
        done += n;
      }
    },
    write: writable ? (pos, data) => { let done = 0; while (done < data.length) done += writeSync(fd, data, done, data.length - done, pos + done); } : undefined,
    flush: () => fsyncSync(fd),
    close: () => closeSync(fd),
  };
}

/** Bytes in memory as a disk (tests, the API). Writes change the array. */
export function memoryStore(bytes: Uint8Array): DiskStore {
  return {
    size: bytes.length,
    read: (pos, out) => out.set(bytes.subarray(pos, pos + out.length)),
    write: (pos, data) => bytes.set(data, pos),
  };
}

export interface DriveSpec { file: string; readonly: boolean; snapshot: boolean; serial: string }

/** Parse a --drive value: file=PATH[,format=raw][,readonly=on|off][,snapshot=on|off][,serial=S]
 * [,if=virtio|none][,id=NAME] (QEMU's -drive keys; if and id are accepted and ignored, a drive is
 * always a virtio-blk device on the next free virtio-mmio transport). A bare PATH means file=PATH.
 * Throws DiskError with the reason. */
export function parseDrive(text: string): DriveSpec {
  const spec: DriveSpec = { file: '', readonly: false, snapshot: true, serial: '' };
  // QEMU's -drive escapes a comma in a value by doubling it.
  const parts: string[] = [''];
  for (let k = 0; k < text.length; k++) {
    if (text[k] !== ',') parts[parts.length - 1] += text[k];
    else if (text[k + 1] === ',') { parts[parts.length - 1] += ','; k++; } else parts.push('');
  }
  const onOff = (k: string, v: string) => {
    if (v === 'on' || v === 'true' || v === 'yes') return true;
    if (v === 'off' || v === 'false' || v === 'no') return false;
    throw new DiskError(`${k}= must be on or off, not '${v}'`);
  };
  parts.forEach((p, k) => {
    const eq = p.indexOf('=');
    if (eq < 0) {
      if (k === 0 && p !== '') { spec.file = p; return; }
      throw new DiskError(`'${p}' is not KEY=VALUE`);
    }
    const key = p.slice(0, eq), v = p.slice(eq + 1);
    switch (key) {
      case 'file': spec.file = v; break;
      case 'format': if (v !== 'raw') throw new DiskError(`format '${v}' is not supported (only raw)`); break;
      case 'readonly': spec.readonly = onOff(key, v); break;
      case 'snapshot': spec.snapshot = onOff(key, v); break;
      case 'serial': spec.serial = v; break;
      case 'if': if (v !== 'virtio' && v !== 'none') throw new DiskError(`if=${v} is not supported (drives are virtio-blk)`); break;
      case 'id': break;
      default: throw new DiskError(`unknown key '${key}' (known: file, format, readonly, snapshot, serial, if, id)`);
    }
  });
  if (spec.file === '') throw new DiskError('no file= given');
  return spec;
}
