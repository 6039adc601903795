import { describe, it, expect } from 'vitest';
import { ImageError, KERNEL64_LOAD_OFFSET, checkOverlaps, linuxImageOffset, loadImage, parseLoadSpec } from '../../emu/loader/image.js';
import { Machine } from '../../emu/board/machine.js';
import { Ram } from '../../emu/mem/ram.js';
import { buildElf, words } from './elfwriter.js';

const BASE = 0x4000_0000;
const target = () => ({ ram: new Ram(BASE, 16 << 20), cores: [{ pcLo: 0, pcHi: 0 }] });

/** A Linux arm64 Image header followed by some code. */
function linuxImage(textOffset: bigint, imageSize: bigint): Uint8Array {
  const b = new Uint8Array(0x100);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x14000000, true); // code0: b .
  dv.setBigUint64(8, textOffset, true);
  dv.setBigUint64(16, imageSize, true);
  dv.setUint32(0x38, 0x644d5241, true); // "ARM\x64"
  return b;
}

describe('loadImage', () => {
  it('loads an ELF, sets core 0 PC and returns symbols', () => {
    const t = target();
    const { bytes } = buildElf({
      entry: 0x4008_0004, segments: [{ paddr: 0x4008_0000, data: words([0xd503201f, 0x14000000]) }],
      symbols: [{ name: '_start', value: 0x4008_0000, size: 8 }],
    });
    const img = loadImage(t, bytes, { path: 'x.elf' });
    expect(img.kind).toBe('elf');
    expect(img.entry).toBe(0x4008_0004n);
    expect(img.linuxBoot).toBe(false);
    expect(img.symbols?.symbolize(0x4008_0004)).toBe('_start+0x4');
    expect(img.regions).toEqual([{ start: 0x4008_0000, end: 0x4008_0008, what: 'x.elf segment 0' }]);
    expect(t.cores[0]).toEqual({ pcLo: 0x4008_0004, pcHi: 0 });
    expect(t.ram.dv.getUint32(0x8_0004, true)).toBe(0x14000000);
  });

  it('works on a real Machine', () => {
    const m = new Machine({ ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const { bytes } = buildElf({ entry: 0x4008_0000, segments: [{ paddr: 0x4008_0000, data: words([0xd503207f, 0x14000000]) }] });
    loadImage(m, bytes, { path: 'wfi.elf' });
    expect(m.cores[0].pcLo).toBe(0x4008_0000);
    expect(m.run().status).toBe(125); // wfi: nothing can wake the core
  });

  it('loads a Linux arm64 Image where QEMU does', () => {
    // text_offset is honoured when image_size is set; below 4 KiB it moves 2 MiB up (QEMU's boot stub)
    expect(linuxImageOffset(linuxImage(0n, 0x1000n))).toBe(0x20_0000n);
    expect(linuxImageOffset(linuxImage(0x8_0000n, 0x1000n))).toBe(0x8_0000n);
    // image_size 0 (kernels before 3.17): the default 0x80000, whatever text_offset says
    expect(linuxImageOffset(linuxImage(0x12_3000n, 0n))).toBe(BigInt(KERNEL64_LOAD_OFFSET));
    expect(linuxImageOffset(new Uint8Array(0x100))).toBeUndefined();
    const t = target();
    const img = loadImage(t, linuxImage(0x8_0000n, 0x1000n), { path: 'Image' });
    expect(img).toMatchObject({ kind: 'linux', entry: 0x4008_0000n, linuxBoot: true });
    expect(t.cores[0].pcLo).toBe(0x4008_0000);
    expect(t.ram.dv.getUint32(0x8_0000 + 0x38, true)).toBe(0x644d5241);
    expect(() => loadImage(target(), linuxImage(0x4000_0000n, 0x1000n), { path: 'Image' })).toThrow(/do not fit in RAM/);
  });

  it('loads raw bytes at an address, and other files as QEMU does (0x80000, Linux boot)', () => {
    const t = target();
    const raw = words([0x14000000]);
    expect(loadImage(t, raw, { path: 'a.bin', loadAddr: 0x4010_0000 })).toMatchObject({ kind: 'raw', entry: 0x4010_0000n, linuxBoot: false });
    expect(t.cores[0].pcLo).toBe(0x4010_0000);
    // an ELF given with an address is raw bytes too
    const elf = buildElf({ entry: 0x4008_0000, segments: [{ paddr: 0x4008_0000, data: raw }] }).bytes;
    expect(loadImage(t, elf, { path: 'e', loadAddr: 0x4020_0000n }).kind).toBe('raw');
    expect(t.ram.u8[0x20_0000]).toBe(0x7f);
    expect(loadImage(t, raw, { path: 'b.bin' })).toMatchObject({ kind: 'raw', entry: 0x4008_0000n, linuxBoot: true });
    expect(() => loadImage(t, raw, { path: 'c', loadAddr: 0x3fff_fffe })).toThrow(ImageError);
    expect(() => loadImage(t, raw, { path: 'c', loadAddr: 0x40ff_fffe })).toThrow(/4 bytes at 0x40fffffe\.\.0x41000002 do not fit in RAM \(0x40000000\.\.0x41000000\)/);
    expect(() => loadImage(t, new Uint8Array(0), { path: 'd' })).toThrow(/empty file/);
  });

  it('parses FILE@ADDR and checks overlaps', () => {
    expect(parseLoadSpec('a@b.bin@0x4000_1000')).toEqual({ file: 'a@b.bin', addr: 0x4000_1000n });
    expect(parseLoadSpec('x.bin@1073741824')).toEqual({ file: 'x.bin', addr: 0x4000_0000n });
    expect(() => parseLoadSpec('x.bin')).toThrow(/not FILE@ADDR/);
    expect(() => parseLoadSpec('x.bin@')).toThrow(ImageError);
    expect(() => parseLoadSpec('x.bin@0xzz')).toThrow(/bad address/);
    checkOverlaps([{ start: 0, end: 8, what: 'a' }, { start: 8, end: 16, what: 'b' }]);
    expect(() => checkOverlaps([{ start: 0, end: 8, what: 'a' }, { start: 4, end: 16, what: 'b' }])).toThrow(/b overlaps a at 0x4/);
  });
});
