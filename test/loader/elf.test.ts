import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageError, loadElf, parseElf } from '../../emu/loader/elf.js';
import { Ram } from '../../emu/mem/ram.js';
import { buildElf, words, type ElfSpec } from './elfwriter.js';

const BASE = 0x4000_0000;
const TEXT = 0x4008_0000;
const ram = (): Ram => new Ram(BASE, 16 << 20);

const code = words([0xd503201f, 0xd503201f, 0x14000000, 0xd65f03c0]);

function sample(): ElfSpec {
  return {
    entry: TEXT,
    segments: [
      { paddr: TEXT, data: code, flags: 5 },
      { paddr: TEXT + 0x1000, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), memsz: 0x20, flags: 6 },
    ],
    symbols: [
      { name: 'main', value: TEXT, size: 0x10, type: 'func' },
      { name: 'loop', value: TEXT + 8, type: 'notype', bind: 'local' },
      { name: '$x', value: TEXT, type: 'notype', bind: 'local' },
      { name: 'table', value: TEXT + 0x1000, size: 8, type: 'object' },
      { name: 'file.c', value: 0, type: 'file', bind: 'local', shndx: 0xfff1 },
      { name: 'undefined_sym', value: 0, type: 'func', shndx: 0 },
      { name: 'abs_marker', value: 0x1234, type: 'notype', shndx: 0xfff1 },
    ],
  };
}

/** Expect parse (and load) to fail with an ImageError matching re. */
function expectImageError(bytes: Uint8Array, re: RegExp): void {
  let err: unknown;
  try {
    const elf = parseElf(bytes);
    loadElf(ram(), elf, bytes);
  } catch (e) { err = e; }
  expect(err, `expected ImageError ${re}`).toBeInstanceOf(ImageError);
  expect((err as Error).message).toMatch(re);
  expect((err as Error).message).not.toContain('\n');
}

/** Expect parse and load to succeed (the segments are fine) with a warning matching re, and no
 * symbols or sections trusted from the damaged tables. */
function expectWarning(bytes: Uint8Array, re: RegExp): void {
  const elf = parseElf(bytes);
  const r = ram();
  loadElf(r, elf, bytes);
  expect(elf.warnings.join(' | '), `expected a warning ${re}`).toMatch(re);
  for (const w of elf.warnings) expect(w).not.toContain('\n');
  expect(elf.loads.length).toBe(2);
  expect(r.u8[TEXT - r.base]).toBe(bytes[Number(elf.loads[0].offset)]);
}

describe('ELF parser and loader', () => {
  it('loads PT_LOAD segments at their physical addresses and zeroes bss', () => {
    const { bytes } = buildElf(sample());
    const elf = parseElf(bytes);
    expect(elf.type).toBe('EXEC');
    expect(elf.entry).toBe(BigInt(TEXT));
    expect(elf.loads.map((s) => s.index)).toEqual([0, 1]);
    const r = ram();
    r.u8.fill(0xff);
    const regions = loadElf(r, elf, bytes);
    expect(regions).toEqual([
      { start: TEXT, end: TEXT + 16, what: 'segment 0' },
      { start: TEXT + 0x1000, end: TEXT + 0x1020, what: 'segment 1' },
    ]);
    expect(r.dv.getUint32(TEXT - BASE, true)).toBe(0xd503201f);
    expect(r.dv.getUint32(TEXT - BASE + 12, true)).toBe(0xd65f03c0);
    const d = TEXT + 0x1000 - BASE;
    expect(Array.from(r.u8.subarray(d, d + 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.u8.subarray(d + 8, d + 0x20).every((b) => b === 0)).toBe(true);
    expect(r.u8[d + 0x20]).toBe(0xff); // nothing past memsz
  });

  it('agrees with readelf on the test writer output (when binutils is installed)', () => {
    const { bytes } = buildElf(sample());
    const dir = mkdtempSync(join(tmpdir(), 'a64emu-elf-'));
    const f = join(dir, 'sample.elf');
    writeFileSync(f, bytes);
    let text: string;
    try { text = execFileSync('readelf', ['-hlsW', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); }
    catch { console.log('readelf not found: skipping the cross-check'); return; }
    expect(text).toMatch(/Machine:\s+AArch64/);
    expect(text).toMatch(/Entry point address:\s+0x40080000/);
    expect(text).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+1 main/);
    expect(text).not.toMatch(/Warning|Error/i);
  });

  it('moves the entry to the physical address when the code segment is loaded elsewhere (as QEMU)', () => {
    const { bytes } = buildElf({ entry: 0xffff_0000_0000_1004n, segments: [{ paddr: TEXT, vaddr: 0xffff_0000_0000_1000n, data: code }] });
    const elf = parseElf(bytes);
    expect(elf.headerEntry).toBe(0xffff_0000_0000_1004n);
    expect(elf.entry).toBe(BigInt(TEXT + 4));
  });

  it('parses symbols into a sorted table: lookup by name and symbolize', () => {
    const elf = parseElf(buildElf(sample()).bytes);
    const t = elf.symbols;
    expect(t.symbols.map((s) => s.name)).toEqual(['abs_marker', 'main', 'loop', 'table']);
    expect(t.lookup('main')?.addr).toBe(BigInt(TEXT));
    expect(t.lookup('$x')).toBeUndefined();
    expect(t.lookup('file.c')).toBeUndefined();
    expect(t.lookup('undefined_sym')).toBeUndefined();
    expect(elf.mapping).toEqual([{ addr: BigInt(TEXT), kind: 'x' }]);
    expect(t.symbolize(TEXT)).toBe('main');
    expect(t.symbolize(TEXT + 4)).toBe('main+0x4');
    expect(t.symbolize(BigInt(TEXT + 8))).toBe('loop');
    expect(t.symbolize(TEXT + 0xc)).toBe('loop+0x4');
    // the label ends at the end of its section (16 bytes of code)
    expect(t.symbolize(TEXT + 0x10)).toBeUndefined();
    expect(t.symbolize(TEXT + 0x1004)).toBe('table+0x4');
    expect(t.symbolize(TEXT + 0x1008)).toBeUndefined();
    expect(t.symbolize(BASE)).toBeUndefined();
    expect(t.symbolize(0x1234)).toBe('abs_marker');
    expect(t.symbolize(0x1238)).toBeUndefined();
    expect(t.symbolize(-1)).toBeUndefined();
  });

  it('symbolizes 64-bit addresses exactly and prefers global functions at one address', () => {
    const k = 0xffff_8000_1000_0000n;
    const { bytes } = buildElf({
      entry: TEXT,
      segments: [{ paddr: TEXT, vaddr: k, data: new Uint8Array(0x100) }],
      symbols: [
        { name: 'local_alias', value: k, type: 'notype', bind: 'local' },
        { name: 'kstart', value: k, size: 0x80, type: 'func' },
        { name: 'kdata', value: k + 0x80n, size: 0x80, type: 'object', bind: 'local' },
        { name: 'kdata', value: k + 0x90n, size: 4, type: 'object', bind: 'global' },
      ],
    });
    const t = parseElf(bytes).symbols;
    expect(t.symbolize(k + 8n)).toBe('kstart+0x8');
    expect(t.symbolize(k + 0x7fn)).toBe('kstart+0x7f');
    expect(t.symbolize(k + 0x84n)).toBe('kdata+0x4');
    expect(t.lookup('kdata')?.addr).toBe(k + 0x90n);
  });

  it('handles a symbol-less ELF (no section headers)', () => {
    const spec = sample();
    spec.noSections = true;
    const elf = parseElf(buildElf(spec).bytes);
    expect(elf.sections).toEqual([]);
    expect(elf.symbols.size).toBe(0);
    expect(elf.symbols.symbolize(TEXT)).toBeUndefined();
  });

  describe('rejects malformed input with a one-line ImageError', () => {
    const good = (): ReturnType<typeof buildElf> => buildElf(sample());
    const patch = (f: (dv: DataView, b: ReturnType<typeof buildElf>) => void): Uint8Array => {
      const b = good();
      f(new DataView(b.bytes.buffer), b);
      return b.bytes;
    };

    it('truncated header and file', () => {
      expectImageError(good().bytes.subarray(0, 40), /truncated ELF header \(40 of 64 bytes\)/);
      expectImageError(good().bytes.subarray(0, 3), /not an ELF file/);
      const b = good();
      expectImageError(b.bytes.subarray(0, b.segOffsets[1] + 2), /runs past the end of the file/);
    });
    it('bad magic, class, data, version', () => {
      expectImageError(patch((dv) => dv.setUint8(1, 0x46)), /not an ELF file/);
      expectImageError(patch((dv) => dv.setUint8(4, 1)), /32-bit ELF/);
      expectImageError(patch((dv) => dv.setUint8(4, 9)), /bad ELF class 9/);
      expectImageError(patch((dv) => dv.setUint8(5, 2)), /big-endian/);
      expectImageError(patch((dv) => dv.setUint8(6, 0)), /bad ELF version/);
    });
    it('wrong machine or type', () => {
      expectImageError(patch((dv) => dv.setUint16(18, 62, true)), /machine 62 \(x86-64\), not AArch64 \(183\)/);
      expectImageError(patch((dv) => dv.setUint16(18, 40, true)), /ARM \(32-bit\)/);
      expectImageError(patch((dv) => dv.setUint16(16, 1, true)), /relocatable/);
      expectImageError(patch((dv) => dv.setUint16(16, 4, true)), /core dump/);
      expectImageError(patch((dv) => dv.setUint16(16, 7, true)), /neither EXEC nor DYN/);
      expect(parseElf(patch((dv) => dv.setUint16(16, 3, true))).type).toBe('DYN');
    });
    it('bad program header table', () => {
      expectImageError(patch((dv) => dv.setBigUint64(32, 0xffff_ffff_ffff_0000n, true)), /program header table .* runs past the end/);
      expectImageError(patch((dv, b) => dv.setBigUint64(32, BigInt(b.bytes.length - 10), true)), /program header table/);
      expectImageError(patch((dv) => dv.setBigUint64(32, 0n, true)), /e_phoff is 0/);
      expectImageError(patch((dv) => dv.setUint16(54, 20, true)), /bad program header size 20/);
      expectImageError(patch((dv) => dv.setUint16(56, 0, true)), /no program headers/);
      expectImageError(patch((dv) => dv.setUint16(56, 5000, true)), /5000 x 56 bytes/);
    });
    it('huge counts through PN_XNUM and section 0', () => {
      // phnum = PN_XNUM: the real count is section 0's sh_info
      expectImageError(patch((dv, b) => { dv.setUint16(56, 0xffff, true); dv.setUint32(b.shoff + 44, 0xffff_ffff, true); }), /program header table \(4294967295 x 56/);
      expectImageError(patch((dv) => { dv.setUint16(56, 0xffff, true); dv.setBigUint64(40, 0n, true); }), /no section header table/);
      // shnum = 0: the real count is section 0's sh_size (only sections: a warning)
      expectWarning(patch((dv, b) => { dv.setUint16(60, 0, true); dv.setBigUint64(b.shoff + 32, 0xffff_ffff_ffffn, true); }), /section header table/);
      expectWarning(patch((dv, b) => { dv.setUint16(60, 0, true); dv.setBigUint64(b.shoff + 32, 0xffff_ffff_ffff_ffffn, true); }), /section header table \(huge/);
    });
    it('bad segments', () => {
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 32, 0x100n, true)), /segment 0: p_filesz 0x100 exceeds p_memsz 0x10/);
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 56 + 8, 0xffff_ffff_ffff_fff0n, true)), /segment 1: file data huge offset/);
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 24, 0xffff_ffff_ffff_fffcn, true)), /segment 0: .* wraps around/);
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 56 + 24, BigInt(TEXT + 8), true)), /segments 0 and 1 overlap at physical address 0x40080008/);
      expectImageError(patch((dv, b) => { dv.setUint32(b.phoff, 4, true); dv.setUint32(b.phoff + 56, 0x6474e551, true); }), /no PT_LOAD segment/);
    });
    it('segments outside RAM, naming the segment and address', () => {
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 56 + 24, 0x8000_0000n, true)), /^segment 1 at physical 0x80000000\.\.0x80000020 is outside RAM \(0x40000000\.\.0x41000000\)$/);
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 24, 0x0n, true)), /segment 0 at physical 0x0\.\.0x10 is outside RAM/);
      // memsz that runs past the end of RAM
      expectImageError(patch((dv, b) => dv.setBigUint64(b.phoff + 56 + 40, 0x1_0000_0000n, true)), /segment 1 .* is outside RAM/);
    });
    it('damaged section and symbol tables: loads with a warning, as QEMU', () => {
      expectWarning(patch((dv) => dv.setBigUint64(40, 0xffff_ffff_ffffn, true)), /section header table/);
      expectWarning(patch((dv) => dv.setUint16(58, 10, true)), /bad section header size 10/);
      expectWarning(patch((dv) => dv.setUint16(62, 99, true)), /section name table index 99 is out of range/);
      expectWarning(patch((dv, b) => dv.setBigUint64(b.shoff + 64 * 1 + 24, 0xffff_ffffn, true)), /section 1: contents/);
      expectWarning(patch((dv, b) => dv.setUint32(b.shoff + 64 * b.symtabIndex + 40, 77, true)), /string table index 77 is out of range/);
      expectWarning(patch((dv, b) => dv.setUint32(b.shoff + 64 * b.symtabIndex + 40, 1, true)), /is not a string table/);
      expectWarning(patch((dv, b) => dv.setBigUint64(b.shoff + 64 * b.symtabIndex + 56, 4n, true)), /bad entry size 4/);
      // symbol 1's name offset past the string table
      expectWarning(patch((dv, b) => {
        const symOff = Number(dv.getBigUint64(b.shoff + 64 * b.symtabIndex + 24, true));
        dv.setUint32(symOff + 24, 0x7fff_0000, true);
      }), /symbol 1: string offset 0x7fff0000 is outside its string table/);
      // unterminated string table
      expectWarning(patch((dv, b) => {
        const off = Number(dv.getBigUint64(b.shoff + 64 * b.strtabIndex + 24, true));
        const size = Number(dv.getBigUint64(b.shoff + 64 * b.strtabIndex + 32, true));
        for (let k = 1; k < size; k++) dv.setUint8(off + k, 0x41);
      }), /unterminated string/);
      // a symbol with a section index past the table
      expectWarning(patch((dv, b) => {
        const symOff = Number(dv.getBigUint64(b.shoff + 64 * b.symtabIndex + 24, true));
        dv.setUint16(symOff + 24 + 6, 500, true);
      }), /symbol 1: section index 500 is out of range/);
      // a huge symbol table size
      expectWarning(patch((dv, b) => dv.setBigUint64(b.shoff + 64 * b.symtabIndex + 32, 0xffff_ffff_ffffn, true)), /section 3: contents 0x[0-9a-f]+\+0xffffffffffff run past the end/);
    });
  });

  it('never throws anything but ImageError on mutated or truncated files (fuzz, seeded)', () => {
    let seed = 0x2545f491;
    const rnd = (n: number): number => {
      seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const base = buildElf(sample()).bytes;
    let ok = 0, rejected = 0;
    const r = ram(); // one RAM for all iterations: allocating 16 MiB each time would dominate
    for (let iter = 0; iter < 3000; iter++) {
      let b = base.slice();
      const kind = rnd(4);
      if (kind === 0) b = b.subarray(0, rnd(b.length));
      else {
        const flips = 1 + rnd(8);
        for (let k = 0; k < flips; k++) {
          // mostly the headers, where the offsets and counts are
          const at = rnd(3) === 0 ? rnd(b.length) : rnd(Math.min(b.length, 64 + 56 * 2));
          b[at] = kind === 1 ? rnd(256) : kind === 2 ? 0xff : b[at] ^ (1 << rnd(8));
        }
        if (rnd(2) === 0) { // and somewhere in the section headers and symbol table
          const sh = Number(new DataView(base.buffer).getBigUint64(40, true));
          const at = sh + rnd(base.length - sh);
          b[at] = rnd(256);
        }
      }
      try {
        const elf = parseElf(b);
        loadElf(r, elf, b);
        for (let a = TEXT - 8; a < TEXT + 0x1010; a += 4) elf.symbols.symbolize(a);
        ok++;
      } catch (e) {
        if (!(e instanceof ImageError)) throw new Error(`iteration ${iter}: ${String(e)}`);
        expect(e.message).not.toContain('\n');
        rejected++;
      }
    }
    expect(ok).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
