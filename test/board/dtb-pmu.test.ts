// The `pmu` device-tree node, compared with QEMU 7.2's own (dumpdtb) as dtc prints it, on both GICs
// (with a GICv2 the PPI specifier carries the CPU mask), and where QEMU puts it: after the UART,
// before the interrupt controller.

import { it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../emu/board/machine.js';
import { describeWithTools } from '../oracle-env.js';

const dir = mkdtempSync(join(tmpdir(), 'a64emu-dtb-pmu-'));
const dts = (blob: Uint8Array, name: string): string => {
  const f = join(dir, name);
  writeFileSync(f, blob);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};
const topNames = (t: string) => [...t.matchAll(/^\t([^\t\n]+) \{$/gm)].map((m) => m[1]);
const pmuNode = (t: string) => /^\tpmu \{\n(?:\t\t[^\n]*\n)*\t\};\n/m.exec(t)?.[0];

describeWithTools('device tree: the pmu node as QEMU writes it', ['dtc', 'qemu-system-aarch64'], () => {
  for (const [gic, smp] of [[3, 1], [2, 3]] as const) {
    it(`GICv${gic}, -smp ${smp}`, () => {
      const q = spawnSync('qemu-system-aarch64', ['-M', `virt,gic-version=${gic},dumpdtb=${join(dir, `q${gic}.dtb`)}`, '-cpu', 'cortex-a57',
        '-smp', String(smp), '-m', '256', '-nographic', '-nic', 'none'], { stdio: 'ignore', timeout: 30_000 });
      expect(q.status).toBe(0);
      const theirs = dts(readFileSync(join(dir, `q${gic}.dtb`)), `q${gic}b.dtb`);
      const ours = dts(new Machine({ ramMiB: 256, smp, gicVersion: gic, stdout: () => {} }).dtb, `o${gic}.dtb`);
      expect(pmuNode(theirs)).toBeDefined();
      expect(pmuNode(ours)).toBe(pmuNode(theirs));
      for (const t of [ours, theirs]) {
        const names = topNames(t);
        expect(names.indexOf('pmu')).toBe(names.indexOf('pl011@9000000') + 1);
        expect(names[names.indexOf('pmu') + 1]).toMatch(/^intc@/);
      }
    });
  }
});
