// Guest RAM: one ArrayBuffer, little-endian like the guest. Pages that hold decoded code are marked so
// that a store to them drops the stale decoded instructions (self-modifying code, loaders).

export const PAGE_SHIFT = 12;

export class Ram {
  readonly buf: ArrayBuffer;
  readonly dv: DataView;
  readonly u8: Uint8Array;
  /** 1 where the code cache holds decoded instructions for that page. */
  readonly codePages: Uint8Array;
  /** Called with the RAM offset and length of a write that touches a page marked in codePages. */
  onCodeWrite: (off: number, len: number) => void = () => {};

  constructor(readonly base: number, readonly size: number) {
    this.buf = new ArrayBuffer(size);
    this.dv = new DataView(this.buf);
    this.u8 = new Uint8Array(this.buf);
    this.codePages = new Uint8Array(Math.ceil(size / (1 << PAGE_SHIFT)));
  }

  contains(pa: number, len: number): boolean {
    return pa >= this.base && pa + len <= this.base + this.size;
  }

  /** Copy host bytes into RAM (loaders); invalidates any decoded code there. */
  load(pa: number, data: Uint8Array): void {
    if (!this.contains(pa, data.length)) {
      throw new RangeError(`0x${pa.toString(16)}..+0x${data.length.toString(16)} is outside RAM`);
    }
    const off = pa - this.base;
    this.u8.set(data, off);
    this.touch(off, data.length);
  }

  /** Note a write of len bytes at RAM offset off for the code cache. */
  touch(off: number, len: number): void {
    const first = off >>> PAGE_SHIFT, last = (off + len - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) if (this.codePages[p] !== 0) { this.onCodeWrite(off, len); return; }
  }
}
