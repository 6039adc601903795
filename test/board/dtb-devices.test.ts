// The device-tree nodes of the PL031 RTC, the 32 virtio-mmio transports and /chosen's seeds, compared
// with QEMU 7.2's own (qemu-system-aarch64 -M virt,gic-version=3,dumpdtb=...) as dtc prints them: the
// same nodes with the same properties in the same order, and the transports in QEMU's order.

import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../emu/board/machine.js';
import { describeWithTools } from '../oracle-env.js';

const dir = mkdtempSync(join(tmpdir(), 'a64emu-dtb-dev-'));
const dts = (blob: Uint8Array, name: string): string => {
  const f = join(dir, name);
  writeFileSync(f, blob);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};
/** The top-level nodes whose names match, each as its dtc text, in the order they appear. */
const nodes = (text: string, re: RegExp): string[] =>
  [...text.matchAll(/^\t([^\t\n]+) \{\n(?:\t\t[^\n]*\n|\n)*?\t\};\n/gm)].filter((m) => re.test(m[1])).map((m) => m[0]);
/** A node's property names, in order. */
const propNames = (node: string): string[] => [...node.matchAll(/^\t\t([^\s=;]+)[ ;]/gm)].map((m) => m[1]);

describeWithTools('device tree: RTC, virtio-mmio and /chosen as QEMU writes them', ['dtc', 'qemu-system-aarch64'], () => {
  // -nic none: without -kernel QEMU would look for its default NIC's boot ROM, which Debian lacks.
  const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=3,dumpdtb=${join(dir, 'qemu.dtb')}`, '-cpu', 'cortex-a57',
    '-m', '256', '-nographic', '-nic', 'none'], { stdio: 'ignore', timeout: 30_000 });
  const ours = dts(new Machine({ ramMiB: 256, stdout: () => {} }).dtb, 'ours.dtb');
  const theirs = q.status === 0 ? dts(readFileSync(join(dir, 'qemu.dtb')), 'qemu2.dtb') : '';

  it('QEMU dumped its device tree', () => expect(q.status).toBe(0));
  it('pl031@9010000 is identical', () => {
    const a = nodes(ours, /^pl031@/), b = nodes(theirs, /^pl031@/);
    expect(b).toHaveLength(1);
    expect(b[0]).toContain('compatible = "arm,pl031\\0arm,primecell";');
    expect(a).toEqual(b);
  });
  it('the 32 virtio_mmio nodes are identical and in the same order', () => {
    const a = nodes(ours, /^virtio_mmio@/), b = nodes(theirs, /^virtio_mmio@/);
    expect(b).toHaveLength(32);
    expect(a).toEqual(b);
  });
  it('the virtio_mmio nodes come before the RTC, and the RTC before the UART', () => {
    for (const t of [ours, theirs]) {
      const names = [...t.matchAll(/^\t([^\t\n]+) \{$/gm)].map((m) => m[1]).filter((n) => /^(virtio_mmio|pl031|pl011)@/.test(n));
      expect(names.indexOf('virtio_mmio@a003e00')).toBe(31);
      expect(names.slice(32)).toEqual(['pl031@9010000', 'pl011@9000000']);
    }
  });
  it('/chosen has rng-seed (32 bytes) and kaslr-seed (8 bytes) after stdout-path, as QEMU', () => {
    const a = nodes(ours, /^chosen$/)[0], b = nodes(theirs, /^chosen$/)[0];
    expect(propNames(b)).toEqual(['stdout-path', 'rng-seed', 'kaslr-seed']);
    expect(propNames(a).filter((p) => p !== 'bootargs')).toEqual(propNames(b));
    const cells = (n: string, p: string) => /<([^>]*)>/.exec(n.split('\n').find((l) => l.includes(`${p} =`))!)![1].split(' ').length;
    expect(cells(a, 'rng-seed')).toBe(8);
    expect(cells(a, 'kaslr-seed')).toBe(2);
    expect(cells(b, 'rng-seed')).toBe(8);
    expect(cells(b, 'kaslr-seed')).toBe(2);
  });
});

describe('/chosen seeds', () => {
  // Nothing else in the blob depends on the seed, so comparing whole blobs compares the seeds.
  const seeds = (seed: number) => Buffer.from(new Machine({ seed, stdout: () => {} }).dtb).toString('hex');
  it('depend on --seed only: the same seed gives the same blob, another seed another', () => {
    expect(seeds(5)).toBe(seeds(5));
    expect(seeds(5)).not.toBe(seeds(6));
    expect(seeds(0)).toBe(seeds(0));
  });
});

describeWithTools('device tree with --el2: the GIC maintenance interrupt as QEMU virtualization=on writes it', ['dtc', 'qemu-system-aarch64'], () => {
  const f = join(dir, 'qemu-el2.dtb');
  const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=3,virtualization=on,dumpdtb=${f}`, '-cpu', 'cortex-a57',
    '-m', '256', '-nographic', '-nic', 'none'], { stdio: 'ignore', timeout: 30_000 });
  /** The interrupts property lines of the GIC node itself (its ITS child has none). */
  const gicIrqs = (t: string): string[] => (/^\tintc@8000000 \{\n((?:\t\t[^\n]*\n|\n)*?)\t\};/m.exec(t)?.[1] ?? '')
    .split('\n').filter((l) => /^\t\tinterrupts = /.test(l));
  it('QEMU dumped its device tree', () => expect(q.status).toBe(0));
  it('the GIC node has the maintenance interrupt (PPI 9, level) with --el2 only', () => {
    const theirs = gicIrqs(dts(readFileSync(f), 'qemu-el2b.dtb'));
    expect(theirs).toEqual(['\t\tinterrupts = <0x01 0x09 0x04>;']);
    expect(gicIrqs(dts(new Machine({ ramMiB: 256, startEl: 2, stdout: () => {} }).dtb, 'ours-el2.dtb'))).toEqual(theirs);
    expect(gicIrqs(dts(new Machine({ ramMiB: 256, stdout: () => {} }).dtb, 'ours-el1.dtb'))).toEqual([]);
  });
});

describeWithTools('device tree: the GICv3 node and its ITS as QEMU writes them', ['dtc', 'qemu-system-aarch64'], () => {
  const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=3,dumpdtb=${join(dir, 'qemu-its.dtb')}`, '-cpu', 'cortex-a57',
    '-m', '256', '-nographic', '-nic', 'none'], { stdio: 'ignore', timeout: 30_000 });
  const ours = dts(new Machine({ ramMiB: 256, stdout: () => {} }).dtb, 'ours-its.dtb');
  const theirs = q.status === 0 ? dts(readFileSync(join(dir, 'qemu-its.dtb')), 'qemu-its2.dtb') : '';
  /** The intc node with phandle values and the redistributor region's size (QEMU sizes it for 123 cores) blanked. */
  const intc = (t: string): string => nodes(t, /^intc@/)[0]
    .replace(/phandle = <0x[0-9a-f]+>/g, 'phandle = <P>')
    .replace(/(reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00) 0x[0-9a-f]+>/, '$1 N>');

  it('QEMU dumped its device tree', () => expect(q.status).toBe(0));
  it('intc@8000000 with its@8080000 (msi-controller, #msi-cells) is identical but for phandles and the GICR size', () => {
    expect(theirs).toContain('its@8080000 {');
    expect(intc(ours)).toBe(intc(theirs));
  });
  it('no ITS with a GICv2', () => {
    expect(dts(new Machine({ ramMiB: 256, gicVersion: 2, stdout: () => {} }).dtb, 'ours-v2.dtb')).not.toContain('its@');
  });
});
