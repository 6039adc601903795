// ELF64 little-endian AArch64 images: a careful parser and a loader that puts PT_LOAD segments at their
// physical addresses (p_paddr), as QEMU's -kernel does for ELF files.
//
// Every malformed input ends in an ImageError with a one-line message: the parser checks each offset
// and count against the file before it reads, so a truncated or hostile file can neither throw a host
// exception nor make the parser loop for longer than the file is big.

import { SymbolTable, RawSymbol, SymbolKind } from './symbols.js';

export { SymbolTable } from './symbols.js';
export type { Symbol, SymbolKind } from './symbols.js';

/** A malformed, unsupported or unloadable image. The message is one line, without the file name. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

export const EM_AARCH64 = 183;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const PN_XNUM = 0xffff;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_XINDEX = 0xffff;

export interface ElfSegment {
  /** Index in the program header table. */
  index: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: bigint;
}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

/** AArch64 mapping symbols ($x: code follows, $d: data follows), for the disassembler. */
export interface MappingSymbol { addr: bigint; kind: 'x' | 'd' }

export interface ElfFile {
  type: 'EXEC' | 'DYN';
  /** e_entry as written in the header (a virtual address). */
  headerEntry: bigint;
  /** Where the first core starts: e_entry, moved to the physical address when it lies in an
   * executable segment whose p_paddr differs from p_vaddr (what QEMU does). */
  entry: bigint;
  /** PT_LOAD segments with a non-zero memory size, in program header order. */
  loads: ElfSegment[];
  sections: ElfSection[];
  symbols: SymbolTable;
  mapping: MappingSymbol[];
  /** What was wrong with the section or symbol tables, which the image loads without (as QEMU,
   * which needs only the program headers): one line each, for a warning. */
  warnings: string[];
}

export interface LoadedRegion { start: number; end: number; what: string }

/** What the loader needs of the machine's RAM (emu/mem/ram.ts). */
export interface RamTarget {
  readonly base: number;
  readonly size: number;
  readonly u8: Uint8Array;
  load(pa: number, data: Uint8Array): void;
  touch(off: number, len: number): void;
}

const MACHINE_NAMES: Record<number, string> = {
  3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM (32-bit)', 62: 'x86-64',
  183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** Bounds-checked little-endian reads. Offsets beyond 2^53 saturate to Infinity, so range checks
 * written as `off + len > size` reject them. */
class Reader {
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  private check(off: number, n: number): void {
    if (!(off >= 0 && off + n <= this.bytes.length)) {
      throw new ImageError(`truncated file: read of ${n} bytes at ${hex(off)} past its end (${this.bytes.length} bytes)`);
    }
  }
  u8(off: number): number { this.check(off, 1); return this.dv.getUint8(off); }
  u16(off: number): number { this.check(off, 2); return this.dv.getUint16(off, true); }
  u32(off: number): number { this.check(off, 4); return this.dv.getUint32(off, true); }
  u64(off: number): bigint { this.check(off, 8); return this.dv.getBigUint64(off, true); }
  /** A 64-bit size or offset as a Number; Infinity when it cannot be exact. */
  u64n(off: number): number {
    const v = this.u64(off);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Infinity;
  }
}

/** True if the bytes start with the ELF magic. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parse and validate an ELF64 LE AArch64 executable. Throws ImageError. */
export function parseElf(bytes: Uint8Array): ElfFile {
  const r = new Reader(bytes);
  if (!isElf(bytes)) throw new ImageError('not an ELF file (bad magic)');
  if (bytes.length < EHDR_SIZE) throw new ImageError(`truncated ELF header (${bytes.length} of ${EHDR_SIZE} bytes)`);
  const cls = r.u8(4), data = r.u8(5), identVersion = r.u8(6);
  if (cls === 1) throw new ImageError('32-bit ELF (ELFCLASS32); an AArch64 ELF64 image is needed');
  if (cls !== 2) throw new ImageError(`bad ELF class ${cls}`);
  if (data === 2) throw new ImageError('big-endian ELF; only little-endian AArch64 is supported');
  if (data !== 1) throw new ImageError(`bad ELF data encoding ${data}`);
  if (identVersion !== 1) throw new ImageError(`bad ELF version ${identVersion}`);
  const eType = r.u16(16), eMachine = r.u16(18), eVersion = r.u32(20);
  if (eMachine !== EM_AARCH64) {
    const name = MACHINE_NAMES[eMachine];
    throw new ImageError(`ELF is for machine ${eMachine}${name ? ` (${name})` : ''}, not AArch64 (${EM_AARCH64})`);
  }
  if (eType === 1) throw new ImageError('relocatable ELF object (ET_REL): link it into an executable first');
  if (eType === 4) throw new ImageError('ELF core dump (ET_CORE), not an executable');
  if (eType !== ET_EXEC && eType !== ET_DYN) throw new ImageError(`ELF type ${eType} is neither EXEC nor DYN`);
  if (eVersion !== 1) throw new ImageError(`bad ELF e_version ${eVersion}`);
  const headerEntry = r.u64(24);
  const phoff = r.u64n(32), shoff = r.u64n(40);
  const phentsize = r.u16(54);
  let phnum = r.u16(56);
  const shentsize = r.u16(58);
  let shnum = r.u16(60);
  let shstrndx = r.u16(62);

  // Section 0 holds the real counts when they overflow the header fields. Only an extended program
  // header count is needed to load; a damaged section table is a warning (see below).
  const warnings: string[] = [];
  let sectionsOk = true;
  const needSection0 = phnum === PN_XNUM || (shoff !== 0 && shnum === 0) || shstrndx === SHN_XINDEX;
  if (needSection0) {
    try {
      if (shoff === 0) throw new ImageError('ELF header refers to section 0 for extended counts, but there is no section header table');
      if (shentsize < SHDR_SIZE) throw new ImageError(`bad section header size ${shentsize} (need at least ${SHDR_SIZE})`);
      if (!(shoff + SHDR_SIZE <= bytes.length)) throw new ImageError(`section header table at ${hex(shoff)} is past the end of the file (${bytes.length} bytes)`);
    } catch (e) {
      if (phnum === PN_XNUM) throw e;
      warnings.push(`section headers ignored: ${(e as Error).message}`);
      sectionsOk = false;
    }
    if (phnum === PN_XNUM) phnum = r.u32(shoff + 44); // sh_info
    if (sectionsOk && shnum === 0) { const n = r.u64n(shoff + 32); shnum = n; } // sh_size
    if (sectionsOk && shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + 40); // sh_link
  }

  // ---- program headers
  if (phnum === 0) throw new ImageError('ELF has no program headers (nothing to load)');
  if (phentsize < PHDR_SIZE) throw new ImageError(`bad program header size ${phentsize} (need at least ${PHDR_SIZE})`);
  if (phoff === 0) throw new ImageError('ELF has program headers but e_phoff is 0');
  if (!(phoff + phnum * phentsize <= bytes.length)) {
    throw new ImageError(`program header table (${phnum} x ${phentsize} bytes at ${hex(phoff)}) runs past the end of the file (${bytes.length} bytes)`);
  }
  const loads: ElfSegment[] = [];
  let entry = headerEntry;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const type = r.u32(o);
    if (type !== PT_LOAD) continue;
    const seg: ElfSegment = {
      index: i, type, flags: r.u32(o + 4), offset: r.u64n(o + 8), vaddr: r.u64(o + 16), paddr: r.u64(o + 24),
      filesz: r.u64n(o + 32), memsz: r.u64(o + 40),
    };
    if (!Number.isFinite(seg.filesz) || BigInt(seg.filesz) > seg.memsz) {
      throw new ImageError(`segment ${i}: p_filesz ${Number.isFinite(seg.filesz) ? hex(seg.filesz) : '(huge)'} exceeds p_memsz ${hex(seg.memsz)}`);
    }
    if (seg.filesz > 0 && !(seg.offset + seg.filesz <= bytes.length)) {
      throw new ImageError(`segment ${i}: file data ${Number.isFinite(seg.offset) ? hex(seg.offset) : 'huge offset'}+${hex(seg.filesz)} runs past the end of the file (${bytes.length} bytes)`);
    }
    if (seg.paddr + seg.memsz > 0xffff_ffff_ffff_ffffn + 1n) {
      throw new ImageError(`segment ${i}: ${hex(seg.paddr)}+${hex(seg.memsz)} wraps around the address space`);
    }
    // The entry point in the header is virtual; QEMU moves it to the physical address when it lies in
    // an executable segment loaded somewhere else.
    if ((seg.flags & PF_X) !== 0 && seg.paddr !== seg.vaddr && headerEntry >= seg.vaddr && headerEntry < seg.vaddr + BigInt(seg.filesz)) {
      entry = headerEntry - seg.vaddr + seg.paddr;
    }
    if (seg.memsz === 0n) continue;
    loads.push(seg);
  }
  if (loads.length === 0) throw new ImageError('ELF has no PT_LOAD segment with contents');
  const byAddr = [...loads].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let k = 1; k < byAddr.length; k++) {
    const a = byAddr[k - 1], b = byAddr[k];
    if (b.paddr < a.paddr + a.memsz) {
      throw new ImageError(`segments ${a.index} and ${b.index} overlap at physical address ${hex(b.paddr)}`);
    }
  }

  // ---- sections and symbols: only names and the disassembler's hints, so damage there is a warning
  let sections: ElfSection[] = [];
  let symbols = new SymbolTable([]), mapping: MappingSymbol[] = [];
  if (sectionsOk) {
    try {
      sections = parseSections(r, shoff, shnum, shentsize, shstrndx);
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      warnings.push(`section headers ignored: ${e.message}`);
    }
    try {
      ({ symbols, mapping } = parseSymbols(r, sections));
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      warnings.push(`symbols ignored: ${e.message}`);
    }
  }

  return { type: eType === ET_EXEC ? 'EXEC' : 'DYN', headerEntry, entry, loads, sections, symbols, mapping, warnings };
}

function parseSections(r: Reader, shoff: number, shnum: number, shentsize: number, shstrndx: number): ElfSection[] {
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize < SHDR_SIZE) throw new ImageError(`bad section header size ${shentsize} (need at least ${SHDR_SIZE})`);
  if (!(shoff + shnum * shentsize <= r.length)) {
    throw new ImageError(`section header table (${Number.isFinite(shnum) ? shnum : 'huge'} x ${shentsize} bytes at ${hex(shoff)}) runs past the end of the file (${r.length} bytes)`);
  }
  const sections: ElfSection[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    const s: ElfSection = {
      index: i, name: '', type: r.u32(o + 4), flags: Number(r.u64(o + 8) & 0xffff_ffffn), addr: r.u64(o + 16),
      offset: r.u64n(o + 24), size: r.u64n(o + 32), link: r.u32(o + 40), info: r.u32(o + 44), entsize: r.u64n(o + 56),
    };
    if (s.type !== SHT_NOBITS && s.type !== 0 && s.size > 0 && !(s.offset + s.size <= r.length)) {
      throw new ImageError(`section ${i}: contents ${Number.isFinite(s.offset) ? hex(s.offset) : 'huge offset'}+${Number.isFinite(s.size) ? hex(s.size) : 'huge'} run past the end of the file (${r.length} bytes)`);
    }
    nameOffs.push(r.u32(o));
    sections.push(s);
  }
  if (shstrndx !== SHN_UNDEF) {
    if (shstrndx >= sections.length) throw new ImageError(`section name table index ${shstrndx} is out of range (${sections.length} sections)`);
    const strtab = sections[shstrndx];
    if (strtab.type !== SHT_STRTAB) throw new ImageError(`section name table (section ${shstrndx}) is not a string table`);
    for (const s of sections) s.name = readString(r, strtab, nameOffs[s.index], `section ${s.index} name`);
  }
  return sections;
}

const decoder = new TextDecoder('utf-8');

function readString(r: Reader, strtab: ElfSection, off: number, what: string): string {
  if (off === 0) return '';
  if (off >= strtab.size) throw new ImageError(`${what}: string offset ${hex(off)} is outside its string table (${hex(strtab.size)} bytes)`);
  const start = strtab.offset + off, end = strtab.offset + strtab.size;
  const nul = r.bytes.subarray(start, end).indexOf(0);
  if (nul < 0) throw new ImageError(`${what}: unterminated string in the string table (section ${strtab.index})`);
  return decoder.decode(r.bytes.subarray(start, start + nul));
}

function parseSymbols(r: Reader, sections: ElfSection[]): { symbols: SymbolTable; mapping: MappingSymbol[] } {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  const raw: RawSymbol[] = [];
  const mapping: MappingSymbol[] = [];
  if (symtab !== undefined && symtab.size > 0) {
    const what = `symbol table (section ${symtab.index})`;
    if (symtab.entsize < SYM_SIZE) throw new ImageError(`${what}: bad entry size ${symtab.entsize} (need at least ${SYM_SIZE})`);
    if (symtab.link === 0 || symtab.link >= sections.length) throw new ImageError(`${what}: string table index ${symtab.link} is out of range`);
    const strtab = sections[symtab.link];
    if (strtab.type !== SHT_STRTAB) throw new ImageError(`${what}: linked section ${symtab.link} is not a string table`);
    const count = Math.floor(symtab.size / symtab.entsize);
    for (let i = 1; i < count; i++) { // entry 0 is the null symbol
      const o = symtab.offset + i * symtab.entsize;
      const nameOff = r.u32(o), info = r.u8(o + 4), shndx = r.u16(o + 6);
      const value = r.u64(o + 8), size = r.u64(o + 16);
      const type = info & 0xf, bind = info >> 4;
      let kind: SymbolKind;
      if (type === 0) kind = 'label';
      else if (type === 1) kind = 'object';
      else if (type === 2 || type === 10) kind = 'func'; // FUNC, GNU_IFUNC
      else continue; // SECTION, FILE, COMMON, TLS
      if (shndx === SHN_UNDEF) continue;
      let sectionEnd: bigint | undefined;
      if (shndx < SHN_LORESERVE) {
        if (shndx >= sections.length) throw new ImageError(`symbol ${i}: section index ${shndx} is out of range (${sections.length} sections)`);
        const sec = sections[shndx];
        if ((sec.flags & SHF_ALLOC) !== 0 && Number.isFinite(sec.size)) sectionEnd = sec.addr + BigInt(sec.size);
      } else if (shndx !== SHN_ABS && shndx !== SHN_XINDEX) continue; // COMMON and processor-specific
      const name = readString(r, strtab, nameOff, `symbol ${i}`);
      if (name === '') continue;
      if (name.startsWith('$')) {
        if (name === '$x' || name.startsWith('$x.')) mapping.push({ addr: value, kind: 'x' });
        else if (name === '$d' || name.startsWith('$d.')) mapping.push({ addr: value, kind: 'd' });
        continue;
      }
      raw.push({ name, addr: value, size, kind, global: bind === 1 || bind === 2 || bind === 10, sectionEnd });
    }
  }
  mapping.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  return { symbols: new SymbolTable(raw), mapping };
}

/** Copy the PT_LOAD segments into RAM at their physical addresses and zero their bss parts. Checks
 * every segment before it writes any. Returns the regions written. */
export function loadElf(ram: RamTarget, elf: ElfFile, bytes: Uint8Array): LoadedRegion[] {
  const base = BigInt(ram.base), end = base + BigInt(ram.size);
  for (const s of elf.loads) {
    if (s.paddr < base || s.paddr + s.memsz > end) {
      throw new ImageError(`segment ${s.index} at physical ${hex(s.paddr)}..${hex(s.paddr + s.memsz)} is outside RAM (${hex(base)}..${hex(end)})`);
    }
  }
  const regions: LoadedRegion[] = [];
  for (const s of elf.loads) {
    const pa = Number(s.paddr), memsz = Number(s.memsz);
    if (s.filesz > 0) ram.load(pa, bytes.subarray(s.offset, s.offset + s.filesz));
    const bss = memsz - s.filesz;
    if (bss > 0) {
      const off = pa - ram.base + s.filesz;
      ram.touch(off, bss); // before the bytes change (snapshots save the old page)
      ram.u8.fill(0, off, off + bss);
    }
    regions.push({ start: pa, end: pa + memsz, what: `segment ${s.index}` });
  }
  return regions;
}
