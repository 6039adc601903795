// Guest RAM: one ArrayBuffer, little-endian like the guest. A byte per page (pageFlags, also known as
// codePages) says what a write to the page must do first: PAGE_CODE, drop the decoded instructions
// there (self-modifying code, loaders); PAGE_SAVE, hand the page's old contents to the snapshot store
// (copy-on-write, emu/snapshot/). Every writer of RAM calls touch() BEFORE it changes the bytes.

export const PAGE_SHIFT = 12;
/** pageFlags bit: the code cache holds decoded instructions for the page. */
export const PAGE_CODE = 1;
/** pageFlags bit: the newest snapshot has not saved this page yet; the first write must save it. */
export const PAGE_SAVE = 2;

export class Ram {
  readonly buf: ArrayBuffer;
  readonly dv: DataView;
  readonly u8: Uint8Array;
  /** Per page: PAGE_CODE | PAGE_SAVE bits (0: a write needs no bookkeeping). */
  readonly codePages: Uint8Array;
  /** Called with the RAM offset and length of a write that touches a page marked PAGE_CODE. */
  onCodeWrite: (off: number, len: number) => void = () => {};
  /** Called with the page index, before the write, for a page marked PAGE_SAVE (the bit is cleared
   * first). Set by the snapshot store. */
  onSave: ((pfn: number) => void) | null = null;

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
    this.touch(off, data.length);
    this.u8.set(data, off);
  }

  /** A write of len bytes at RAM offset off is about to happen: save the pages for the snapshot store
   * and drop decoded code there. Must come before the bytes change. */
  touch(off: number, len: number): void {
    if (len <= 0) return;
    const first = off >>> PAGE_SHIFT, last = (off + len - 1) >>> PAGE_SHIFT;
    const f = this.codePages;
    let code = false;
    for (let p = first; p <= last; p++) {
      const v = f[p];
      if (v === 0) continue;
      if ((v & PAGE_SAVE) !== 0) { f[p] = v & ~PAGE_SAVE; this.onSave?.(p); }
      if ((v & PAGE_CODE) !== 0) code = true;
    }
    if (code) this.onCodeWrite(off, len);
  }
}
