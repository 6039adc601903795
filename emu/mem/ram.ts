// Guest RAM: one ArrayBuffer, little-endian like the guest. A byte per page (pageFlags, also known as
// codePages) says what a write to the page must do first: PAGE_CODE, drop the decoded instructions
// there (self-modifying code, loaders); PAGE_SAVE, hand the page's old contents to the snapshot store
// (copy-on-write, emu/snapshot/). Every writer of RAM calls touch() BEFORE it changes the bytes.

export const PAGE_SHIFT = 12;
/** pageFlags bit: the code cache holds decoded instructions for the page. */
export const PAGE_CODE = 1;
/** pageFlags bit: the newest snapshot has not saved this page yet; the first write must save it. */
export const PAGE_SAVE = 2;

/** Bytes of each core's area after RAM in a WebAssembly memory (Cpu.x, dtlbR/dtlbW, the jump
 * cache and the translator's exchange slots: cpu.ts AREA_*). */
export const CORE_AREA = 16 * 1024;
const WASM_PAGE = 65536;

/** A WebAssembly.Memory, as far as the package's type declarations show it (its users' TypeScript need
 * not know the WebAssembly namespace). */
export interface WasmMemory { readonly buffer: ArrayBuffer }

export class Ram {
  readonly buf: ArrayBuffer;
  /** When RAM lives in a WebAssembly memory (so that translated WebAssembly code reaches it): the
   * memory, laid out as RAM at 0, the page flags (codePages) at cpOff, and per core an area of
   * CORE_AREA bytes at coreOff(id). null when RAM is an ordinary ArrayBuffer (no room in a 32-bit
   * memory, or the host refused one): the translator then emits JavaScript only. */
  readonly wasm: WasmMemory | null = null;
  readonly cpOff: number = 0;
  readonly dv: DataView;
  readonly u8: Uint8Array;
  /** Per page: PAGE_CODE | PAGE_SAVE bits (0: a write needs no bookkeeping). */
  readonly codePages: Uint8Array;
  /** Called with the RAM offset and length of a write that touches a page marked PAGE_CODE. */
  onCodeWrite: (off: number, len: number) => void = () => {};
  /** Called with the page index, before the write, for a page marked PAGE_SAVE (the bit is cleared
   * first). Set by the snapshot store. */
  onSave: ((pfn: number) => void) | null = null;

  /** cores: how many core areas to reserve (0: none, no WebAssembly memory). */
  constructor(readonly base: number, readonly size: number, readonly cores = 0) {
    const pages = Math.ceil(size / (1 << PAGE_SHIFT));
    const cpOff = size;
    const total = Math.ceil((cpOff + pages + cores * CORE_AREA) / WASM_PAGE + 1);
    let mem: WasmMemory | null = null;
    if (cores > 0 && total <= 65536) {
      try { mem = new WebAssembly.Memory({ initial: total, maximum: total }); } catch { mem = null; }
    }
    if (mem !== null) {
      this.wasm = mem;
      this.cpOff = cpOff;
      // The memory never grows, so these views stay attached.
      this.buf = mem.buffer;
      this.dv = new DataView(this.buf, 0, size);
      this.u8 = new Uint8Array(this.buf, 0, size);
      this.codePages = new Uint8Array(this.buf, cpOff, pages);
    } else {
      this.buf = new ArrayBuffer(size);
      this.dv = new DataView(this.buf);
      this.u8 = new Uint8Array(this.buf);
      this.codePages = new Uint8Array(pages);
    }
  }

  /** The byte offset of core id's area in the WebAssembly memory. */
  coreOff(id: number): number {
    return (Math.ceil((this.cpOff + this.codePages.length) / 4096) * 4096) + id * CORE_AREA;
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
