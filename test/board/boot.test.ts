// The Linux boot protocol as QEMU 7.2's hw/arm/boot.c implements it: where the kernel, the initrd and
// the DTB go, gzip kernels, and a user's DTB (-dtb) patched as QEMU patches it. QEMU's dumpdtb is
// the oracle for what ends up in the device tree.

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Machine, BootFiles } from '../../emu/board/machine.js';
import { parseDtb, DtNode } from '../../emu/board/dtb.js';
import { loadImage } from '../../emu/loader/image.js';
import { describeWithTools } from '../oracle-env.js';
import { cliIn } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'a64emu-boot-'));
const MiB = 1024 * 1024;

/** An arm64 Image header (booting.rst) with text_offset 0 and the given image_size, then wfi; b . */
function tinyImage(imageSize: bigint, length = 4096): Uint8Array {
  const b = new Uint8Array(length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x14000010, true); // b +0x40
  dv.setBigUint64(16, imageSize, true);
  dv.setBigUint64(24, 0xan, true); // little-endian, 4K pages, anywhere
  dv.setUint32(0x38, 0x644d5241, true); // "ARM\x64"
  dv.setUint32(0x40, 0xd503207f, true); // wfi
  dv.setUint32(0x44, 0x17ffffff, true); // b .-4
  return b;
}

const initrd = Uint8Array.from({ length: 102400 }, (_, k) => k & 0xff);

function boot(image: Uint8Array, ramMiB: number, files: BootFiles = {}, bootargs = '') {
  const m = new Machine({ smp: 1, ramMiB, bootargs, stdout: () => {} });
  const img = loadImage(m, image, { path: 'Image' });
  const dtbAt = m.boot(Number(img.entry), img.linuxBoot, img.regions, { ...files, imageEnd: Number(img.imageEnd) });
  return { m, img, dtbAt };
}

function child(n: DtNode, name: string): DtNode | undefined { return n.children.find((c) => c.name === name); }
function u32s(v: unknown): number[] {
  const b = v as Uint8Array;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: b.length / 4 }, (_, k) => dv.getUint32(4 * k));
}
function chosenInitrd(dtb: Uint8Array): [number[], number[]] {
  const chosen = child(parseDtb(dtb).root, 'chosen')!;
  const p = (k: string) => u32s(chosen.props.find(([n]) => n === k)?.[1]);
  return [p('linux,initrd-start'), p('linux,initrd-end')];
}

describe('Linux boot protocol', () => {
  it('loads at RAM base + 2 MiB + text_offset, the initrd at 128 MiB (or above image_size), the DTB after it 2 MiB aligned', () => {
    // 512 MiB: the initrd at RAM base + 128 MiB, the kernel's image_size (0x2010000) well below.
    const a = boot(tinyImage(0x2010000n), 512, { initrd });
    expect(a.img.entry).toBe(0x4020_0000n);
    expect(a.img.imageEnd).toBe(0x4221_0000n);
    expect(chosenInitrd(a.m.dtb)).toEqual([[0x4800_0000], [0x4800_0000 + initrd.length]]);
    expect(a.dtbAt).toBe(0x4820_0000);
    expect(a.m.cores[0].x[2 * 0]).toBe(0x4820_0000); // x0 = DTB
    expect(a.m.ram.u8[0x800_0000 + 1234]).toBe(1234 & 0xff);
    // 64 MiB: half of RAM (32 MiB) is inside image_size, so the initrd goes just above it.
    const b = boot(tinyImage(0x2010000n), 64, { initrd });
    expect(chosenInitrd(b.m.dtb)).toEqual([[0x4221_0000], [0x4221_0000 + initrd.length]]);
    expect(b.dtbAt).toBe(0x4240_0000);
    // No initrd: the DTB at the 2 MiB boundary at or above where the initrd would go, outside image_size.
    expect(boot(tinyImage(0x2010000n), 512).dtbAt).toBe(0x4800_0000);
    expect(boot(tinyImage(0x2010000n), 64).dtbAt).toBe(0x4240_0000);
  });

  it('boots a gzip-compressed Image as the Image itself', () => {
    const raw = tinyImage(0x2010000n);
    const z = boot(gzipSync(raw), 512, { initrd });
    expect(z.img.kind).toBe('linux');
    expect(z.img.entry).toBe(0x4020_0000n);
    expect(z.m.ram.u8.subarray(0x20_0000, 0x20_0000 + raw.length)).toEqual(raw);
    expect(z.dtbAt).toBe(0x4820_0000);
  });

  it('refuses what does not fit, with a clear message and status 2', async () => {
    const cli = cliIn(tmp);
    writeFileSync(join(tmp, 'big.Image'), tinyImage(0x2010000n));
    writeFileSync(join(tmp, 'rd'), initrd);
    writeFileSync(join(tmp, 'bad.gz'), Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    writeFileSync(join(tmp, 'bad.dtb'), new TextEncoder().encode('not a device tree at all, really not: '.repeat(4)));
    const small = await cli('run', '-m', '16', 'big.Image');
    expect(small.status).toBe(2);
    expect(small.err).toMatch(/^a64emu: cannot load big.Image: the kernel's 0x2010000 bytes at 0x40200000 \(its header's image_size\) do not fit in RAM/);
    const gz = await cli('run', 'bad.gz');
    expect(gz.status).toBe(2);
    expect(gz.err).toMatch(/^a64emu: cannot load bad.gz: not a valid gzip file/);
    const dtb = await cli('run', '--dtb', 'bad.dtb', 'big.Image');
    expect(dtb.status).toBe(2);
    expect(dtb.err).toBe('a64emu: cannot use bad.dtb: not a valid device tree blob: bad magic\n');
    const missing = await cli('run', '--initrd', 'nope', 'big.Image');
    expect(missing.status).toBe(2);
    expect(missing.err).toBe('a64emu: cannot load nope: no such file\n');
    // 35 MiB: RAM ends at 0x42300000, above the kernel's image_size (0x42210000) but not by enough.
    writeFileSync(join(tmp, 'rd2'), new Uint8Array(2 * MiB));
    const tooBig = await cli('run', '-m', '35', '--initrd', 'rd2', 'big.Image');
    expect(tooBig.status).toBe(2);
    expect(tooBig.err).toBe('a64emu: cannot load: the initrd (2097152 bytes) does not fit in RAM after the kernel: it would go at 0x42210000, RAM ends at 0x42300000\n');
    const noDtb = await cli('run', '-m', '35', '--initrd', 'rd', 'big.Image');
    expect(noDtb.status).toBe(2);
    expect(noDtb.err).toMatch(/^a64emu: cannot load: no room in RAM for the device tree \(\d+ bytes at 0x42400000; RAM ends at 0x42300000\)\n$/);
  });
});

describeWithTools('Linux boot protocol against QEMU (dumpdtb)', ['qemu-system-aarch64', 'dtc'], () => {
  const qemuDtb = (args: string[]): Uint8Array => {
    const out = join(tmp, `q${Math.random().toString(36).slice(2)}.dtb`);
    execFileSync('qemu-system-aarch64', ['-M', `virt,dumpdtb=${out}`, '-cpu', 'cortex-a57', '-nographic', ...args], { stdio: 'ignore' });
    return new Uint8Array(readFileSync(out));
  };
  const dts = (b: Uint8Array): string => {
    const f = join(tmp, `d${Math.random().toString(36).slice(2)}.dtb`);
    writeFileSync(f, b);
    return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  };

  it('puts the initrd where QEMU does, and announces it as QEMU does', () => {
    const image = join(tmp, 'tiny.Image'), rd = join(tmp, 'initrd');
    writeFileSync(image, tinyImage(0x2010000n));
    writeFileSync(rd, initrd);
    for (const ram of [512, 64, 200]) {
      const q = qemuDtb(['-m', String(ram), '-kernel', image, '-initrd', rd]);
      expect(chosenInitrd(boot(tinyImage(0x2010000n), ram, { initrd }).m.dtb)).toEqual(chosenInitrd(q));
    }
  });

  it('patches a user DTB (-dtb) as QEMU does: its memory node replaced, /chosen made, bootargs and initrd set', () => {
    const src = join(tmp, 'user.dts'), blob = join(tmp, 'user.dtb'), image = join(tmp, 'tiny.Image'), rd = join(tmp, 'initrd');
    writeFileSync(src, `/dts-v1/;
/memreserve/ 0x48000000 0x1000;
/ {
  #address-cells = <2>;
  #size-cells = <2>;
  compatible = "linux,dummy-virt";
  memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x1000000>; };
  memory { device_type = "memory"; reg = <0 0x90000000 0 0x1000000>; };
  uart@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; };
};
`);
    execFileSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', blob, src], { stdio: 'ignore' });
    writeFileSync(image, tinyImage(0x2010000n));
    writeFileSync(rd, initrd);
    const user = new Uint8Array(readFileSync(blob));
    const q = qemuDtb(['-m', '256', '-kernel', image, '-initrd', rd, '-dtb', blob, '-append', 'console=ttyAMA0 quiet']);
    const ours = boot(tinyImage(0x2010000n), 256, { initrd, dtb: user }, 'console=ttyAMA0 quiet').m.dtb;
    expect(dts(ours)).toBe(dts(q));
  });
});
