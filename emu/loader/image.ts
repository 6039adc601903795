// Loading a guest image into the machine, the way qemu-system-aarch64 -kernel does (shared/platform.md):
//
//   - an ELF file: PT_LOAD segments at their physical addresses, entry from the header;
//   - a Linux arm64 Image (magic "ARM\x64" at 0x38): at RAM base + load offset, booted as Linux;
//   - a raw binary at a given address (--load FILE@ADDR, or opts.loadAddr), entry at that address;
//   - any other file: like QEMU, a raw kernel at RAM base + 0x80000, booted as Linux.
//
// The board does the boot register set-up (x0 = DTB for Linux, PSCI state, EL) from the returned
// information; here only core 0's PC is set to the entry.

import { gunzipSync } from 'node:zlib';
import { ElfFile, ImageError, LoadedRegion, RamTarget, SymbolTable, isElf, loadElf, parseElf } from './elf.js';

export { ImageError } from './elf.js';
export type { LoadedRegion } from './elf.js';

export type ImageKind = 'elf' | 'linux' | 'raw';

/** QEMU's default load offset of an AArch64 kernel (KERNEL64_LOAD_ADDR). */
export const KERNEL64_LOAD_OFFSET = 0x80000;
/** QEMU keeps the first 4 KiB of RAM for its boot stub, and moves an Image that asks for an offset
 * inside it 2 MiB up (BOOTLOADER_MAX_SIZE in hw/arm/boot.c). */
const BOOTLOADER_MAX_SIZE = 0x1000;
const ARM64_MAGIC_OFFSET = 0x38;
const ARM64_MAGIC = 0x644d5241; // "ARM\x64", little-endian

export interface LoadOptions {
  /** The file's name, for messages and region names. */
  path: string;
  /** Load the bytes raw at this physical address (and start there), whatever they contain. */
  loadAddr?: number | bigint;
}

export interface LoadedImage {
  kind: ImageKind;
  /** Physical address where core 0 starts. */
  entry: bigint;
  /** Boot as a Linux kernel (QEMU's is_linux): x0 = physical address of the DTB, x1..x3 = 0. */
  linuxBoot: boolean;
  /** Symbols, for ELF images (possibly empty). */
  symbols?: SymbolTable;
  elf?: ElfFile;
  /** RAM ranges the image occupies (segments including bss), for overlap checks and DTB placement. */
  regions: LoadedRegion[];
  /** For a Linux boot, the end of what the kernel claims (QEMU's image_high_addr): load address +
   * the header's image_size (which covers the BSS and early page tables beyond the file), or + the
   * file's size for a raw kernel. The initrd and the DTB go above it. */
  imageEnd?: bigint;
  /** Problems the image loads despite (an ELF's damaged section or symbol tables), one line each. */
  warnings: string[];
}

/** What loadImage needs of the machine (emu/board/machine.ts). */
export interface LoadTarget {
  readonly ram: RamTarget;
  readonly cores: readonly { pcLo: number; pcHi: number }[];
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** The Linux arm64 Image header's load offset from RAM base, or undefined when `bytes` has no header.
 * As QEMU: text_offset only counts when image_size is non-zero (kernels since 3.17); otherwise 0x80000.
 * (platform.md's "0x80000 when the header says 0" is the image_size == 0 case; a modern kernel with
 * text_offset 0 lands at 2 MiB.) */
export function linuxImageOffset(bytes: Uint8Array): bigint | undefined {
  if (!(bytes.length > ARM64_MAGIC_OFFSET + 4)) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(ARM64_MAGIC_OFFSET, true) !== ARM64_MAGIC) return undefined;
  const textOffset = dv.getBigUint64(8, true), imageSize = dv.getBigUint64(16, true);
  if (imageSize === 0n) return BigInt(KERNEL64_LOAD_OFFSET);
  return textOffset < BigInt(BOOTLOADER_MAX_SIZE) ? textOffset + 0x20_0000n : textOffset;
}

/** The Image header's image_size (bytes from the load address the kernel uses, BSS included); 0 for
 * kernels before 3.17, which did not say. */
export function linuxImageSize(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(16, true);
}

/** QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES: an uncompressed kernel larger than this is refused. */
const MAX_GUNZIP_BYTES = 256 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8;
}

/** Uncompress a gzip kernel; a damaged or oversized one is an ImageError. */
export function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    const b = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ImageError(`uncompresses to more than ${MAX_GUNZIP_BYTES / 1048576} MiB`);
    throw new ImageError(`not a valid gzip file (${(e as Error).message})`);
  }
}

/** Copy `bytes` to RAM at physical `addr`. */
export function loadRaw(ram: RamTarget, bytes: Uint8Array, addr: bigint, what: string): LoadedRegion {
  const base = BigInt(ram.base), end = base + BigInt(ram.size);
  const last = addr + BigInt(bytes.length);
  if (addr < base || last > end) {
    throw new ImageError(`${bytes.length} bytes at ${hex(addr)}..${hex(last)} do not fit in RAM (${hex(base)}..${hex(end)})`);
  }
  if (bytes.length === 0) throw new ImageError('empty file');
  ram.load(Number(addr), bytes);
  return { start: Number(addr), end: Number(last), what };
}

/** Detect the image kind, load it, and point core 0 at its entry. Throws ImageError. */
export function loadImage(machine: LoadTarget, bytes: Uint8Array, opts: LoadOptions): LoadedImage {
  // (bytes is replaced by its uncompressed form for a gzip kernel.)
  if (bytes.length === 0) throw new ImageError('empty file');
  let img: LoadedImage;
  if (opts.loadAddr !== undefined) {
    const addr = BigInt(opts.loadAddr);
    img = { kind: 'raw', entry: addr, linuxBoot: false, regions: [loadRaw(machine.ram, bytes, addr, opts.path)], warnings: [] };
  } else if (isElf(bytes)) {
    const elf = parseElf(bytes);
    const regions = loadElf(machine.ram, elf, bytes).map((r) => ({ ...r, what: `${opts.path} ${r.what}` }));
    img = { kind: 'elf', entry: elf.entry, linuxBoot: false, symbols: elf.symbols, elf, regions, warnings: elf.warnings };
  } else {
    // As QEMU's load_aarch64_image: a gzip file is uncompressed first (it is the boot loader's job on
    // arm64), then loaded as an Image if it has the header, else raw.
    if (isGzip(bytes)) bytes = gunzip(bytes);
    const off = linuxImageOffset(bytes);
    const kind: ImageKind = off === undefined ? 'raw' : 'linux';
    const addr = BigInt(machine.ram.base) + (off ?? BigInt(KERNEL64_LOAD_OFFSET));
    const size = off === undefined ? BigInt(bytes.length) : linuxImageSize(bytes);
    const ramEnd = BigInt(machine.ram.base) + BigInt(machine.ram.size);
    if (addr + size > ramEnd) {
      throw new ImageError(`the kernel's ${hex(size)} bytes at ${hex(addr)} (${off === undefined ? 'the file' : 'its header\'s image_size'}) do not fit in RAM (${hex(machine.ram.base)}..${hex(ramEnd)})`);
    }
    img = { kind, entry: addr, linuxBoot: true, regions: [loadRaw(machine.ram, bytes, addr, opts.path)], imageEnd: addr + size, warnings: [] };
  }
  // Core 0 starts with the MMU off, so its first fetch is from this physical address: outside RAM
  // (the only memory that holds code here) the run could only fault.
  checkEntry(machine.ram, img.entry);
  const c = machine.cores[0];
  if (c !== undefined) setPc(c, img.entry);
  return img;
}

/** Refuse an entry point outside RAM. (A misaligned one is the guest's to fault on, as on hardware.) */
export function checkEntry(ram: RamTarget, entry: bigint): void {
  const base = BigInt(ram.base), end = base + BigInt(ram.size);
  if (entry < base || entry + 4n > end) throw new ImageError(`entry point ${hex(entry)} is outside RAM (${hex(base)}..${hex(end)})`);
}

export function setPc(c: { pcLo: number; pcHi: number }, pc: bigint): void {
  c.pcLo = Number(pc & 0xffff_ffffn) | 0;
  c.pcHi = Number((pc >> 32n) & 0xffff_ffffn) | 0;
}

/** Split "FILE@ADDR" (at the last '@'; ADDR decimal or 0x hex, '_' allowed). Throws ImageError. */
export function parseLoadSpec(spec: string): { file: string; addr: bigint } {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) throw new ImageError(`"${spec}" is not FILE@ADDR`);
  const file = spec.slice(0, at), a = spec.slice(at + 1).replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(a)) throw new ImageError(`bad address "${spec.slice(at + 1)}" in "${spec}"`);
  return { file, addr: BigInt(a) };
}

/** Throw if two loaded regions overlap (QEMU refuses overlapping images as well). */
export function checkOverlaps(regions: readonly LoadedRegion[]): void {
  const sorted = [...regions].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k].start < sorted[k - 1].end) {
      throw new ImageError(`${sorted[k].what} overlaps ${sorted[k - 1].what} at ${hex(sorted[k].start)}`);
    }
  }
}
