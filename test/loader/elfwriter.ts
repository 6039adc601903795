// A tiny ELF64 little-endian writer for tests: program headers for the given segments, one section per
// segment (so symbols have sections), and optionally .symtab/.strtab/.shstrtab. Tests corrupt the
// result with the returned offsets to check the parser's errors.

export interface SegSpec {
  paddr: bigint | number;
  /** Defaults to paddr. */
  vaddr?: bigint | number;
  data: Uint8Array;
  /** Defaults to data.length. */
  memsz?: bigint | number;
  /** PF_X=1, PF_W=2, PF_R=4; default R+X. */
  flags?: number;
  /** p_type; default PT_LOAD (1). */
  type?: number;
}

export interface SymSpec {
  name: string;
  value: bigint | number;
  size?: bigint | number;
  type?: 'notype' | 'object' | 'func' | 'section' | 'file';
  bind?: 'local' | 'global' | 'weak';
  /** Section index; default: the section of the segment holding value, else SHN_ABS. */
  shndx?: number;
}

export interface ElfSpec {
  entry: bigint | number;
  segments: SegSpec[];
  symbols?: SymSpec[];
  machine?: number;
  type?: number;
  /** Leave out the section header table altogether. */
  noSections?: boolean;
}

export interface BuiltElf {
  bytes: Uint8Array;
  phoff: number;
  shoff: number;
  /** File offsets of each segment's data. */
  segOffsets: number[];
  symtabIndex: number;
  strtabIndex: number;
}

const TYPES = { notype: 0, object: 1, func: 2, section: 3, file: 4 } as const;
const BINDS = { local: 0, global: 1, weak: 2 } as const;

class Out {
  bytes: number[] = [];
  get length(): number { return this.bytes.length; }
  align(n: number): void { while (this.bytes.length % n !== 0) this.bytes.push(0); }
  raw(b: ArrayLike<number>): number { const at = this.bytes.length; for (let k = 0; k < b.length; k++) this.bytes.push(b[k]); return at; }
}

function strtab(names: string[]): { bytes: Uint8Array; offsets: number[] } {
  const parts: number[] = [0];
  const offsets = names.map((n) => {
    if (n === '') return 0;
    const at = parts.length;
    for (const ch of new TextEncoder().encode(n)) parts.push(ch);
    parts.push(0);
    return at;
  });
  return { bytes: Uint8Array.from(parts), offsets };
}

export function buildElf(spec: ElfSpec): BuiltElf {
  const o = new Out();
  o.raw(new Uint8Array(64));
  const phoff = o.length;
  const nph = spec.segments.length;
  o.raw(new Uint8Array(56 * nph));
  const segOffsets: number[] = [];
  for (const s of spec.segments) { o.align(16); segOffsets.push(o.raw(s.data)); }

  // Sections: 0 null, 1..n one per segment, then symtab, strtab, shstrtab.
  const secNames = spec.segments.map((_, k) => `.seg${k}`);
  const syms = spec.symbols ?? [];
  const withSyms = !spec.noSections;
  const symtabIndex = nph + 1, strtabIndex = nph + 2, shstrIndex = nph + 3;
  const allNames = ['', ...secNames, '.symtab', '.strtab', '.shstrtab'];
  const shstr = strtab(allNames);
  const str = strtab(syms.map((s) => s.name));
  let symtabOff = 0, strOff = 0, shstrOff = 0, shoff = 0;
  if (withSyms) {
    o.align(8);
    const symBytes = new Uint8Array(24 * (syms.length + 1));
    const sdv = new DataView(symBytes.buffer);
    syms.forEach((s, k) => {
      const e = 24 * (k + 1);
      const v = BigInt(s.value);
      let shndx = s.shndx;
      if (shndx === undefined) {
        const seg = spec.segments.findIndex((g) => v >= BigInt(g.vaddr ?? g.paddr) && v <= BigInt(g.vaddr ?? g.paddr) + BigInt(g.data.length));
        shndx = seg >= 0 ? seg + 1 : 0xfff1;
      }
      sdv.setUint32(e, str.offsets[k], true);
      sdv.setUint8(e + 4, (BINDS[s.bind ?? 'global'] << 4) | TYPES[s.type ?? 'func']);
      sdv.setUint16(e + 6, shndx, true);
      sdv.setBigUint64(e + 8, v, true);
      sdv.setBigUint64(e + 16, BigInt(s.size ?? 0), true);
    });
    symtabOff = o.raw(symBytes);
    strOff = o.raw(str.bytes);
    shstrOff = o.raw(shstr.bytes);
    o.align(8);
    shoff = o.length;
    o.raw(new Uint8Array(64 * (nph + 4)));
  }
  const bytes = Uint8Array.from(o.bytes);
  const dv = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  dv.setUint16(16, spec.type ?? 2, true);
  dv.setUint16(18, spec.machine ?? 183, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt(spec.entry), true);
  dv.setBigUint64(32, BigInt(phoff), true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, nph, true);
  dv.setUint16(58, withSyms ? 64 : 0, true);
  dv.setUint16(60, withSyms ? nph + 4 : 0, true);
  dv.setUint16(62, withSyms ? shstrIndex : 0, true);
  spec.segments.forEach((s, k) => {
    const p = phoff + 56 * k;
    dv.setUint32(p, s.type ?? 1, true);
    dv.setUint32(p + 4, s.flags ?? 5, true);
    dv.setBigUint64(p + 8, BigInt(segOffsets[k]), true);
    dv.setBigUint64(p + 16, BigInt(s.vaddr ?? s.paddr), true);
    dv.setBigUint64(p + 24, BigInt(s.paddr), true);
    dv.setBigUint64(p + 32, BigInt(s.data.length), true);
    dv.setBigUint64(p + 40, BigInt(s.memsz ?? s.data.length), true);
    dv.setBigUint64(p + 48, 16n, true);
  });
  if (withSyms) {
    const sh = (i: number, name: number, type: number, flags: number, addr: bigint, off: number, size: number, link = 0, info = 0, entsize = 0): void => {
      const b = shoff + 64 * i;
      dv.setUint32(b, name, true);
      dv.setUint32(b + 4, type, true);
      dv.setBigUint64(b + 8, BigInt(flags), true);
      dv.setBigUint64(b + 16, addr, true);
      dv.setBigUint64(b + 24, BigInt(off), true);
      dv.setBigUint64(b + 32, BigInt(size), true);
      dv.setUint32(b + 40, link, true);
      dv.setUint32(b + 44, info, true);
      dv.setBigUint64(b + 56, BigInt(entsize), true);
    };
    spec.segments.forEach((s, k) => {
      const flags = 0x2 | ((s.flags ?? 5) & 1 ? 0x4 : 0) | ((s.flags ?? 5) & 2 ? 0x1 : 0);
      sh(k + 1, shstr.offsets[k + 1], 1, flags, BigInt(s.vaddr ?? s.paddr), segOffsets[k], s.data.length);
    });
    sh(symtabIndex, shstr.offsets[nph + 1], 2, 0, 0n, symtabOff, 24 * (syms.length + 1), strtabIndex, 1, 24);
    sh(strtabIndex, shstr.offsets[nph + 2], 3, 0, 0n, strOff, str.bytes.length);
    sh(shstrIndex, shstr.offsets[nph + 3], 3, 0, 0n, shstrOff, shstr.bytes.length);
  }
  return { bytes, phoff, shoff, segOffsets, symtabIndex, strtabIndex };
}

/** Little-endian words to bytes. */
export { wordBytes as words } from '../harness.js';
