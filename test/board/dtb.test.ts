import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../emu/board/machine.js';
import { describeWithTools } from '../oracle-env.js';

describeWithTools('device tree read back by dtc', ['dtc'], () => {
  it('describes memory, cpus by MPIDR, PSCI, GICv3, timer, PL011 and chosen', () => {
    const m = new Machine({ smp: 4, clusters: 2, ramMiB: 256, bootargs: 'selftest=all', stdout: () => {} });
    const dir = mkdtempSync(join(tmpdir(), 'a64emu-dtb-'));
    const f = join(dir, 'board.dtb');
    writeFileSync(f, m.dtb);
    const dts = execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(dts).toMatch(/memory@40000000 \{[^}]*reg = <0x00 0x40000000 0x00 0x10000000>;/s);
    for (const aff of ['0', '1', '100', '101']) expect(dts).toContain(`cpu@${aff} {`);
    expect(dts).toMatch(/cpu@101 \{[^}]*reg = <0x101>;[^}]*enable-method = "psci";/s);
    expect(dts).toMatch(/compatible = "arm,psci-1.0\\0arm,psci-0.2\\0arm,psci";/);
    expect(dts).toContain('method = "hvc";');
    expect(dts).toMatch(/intc@8000000 \{[^}]*compatible = "arm,gic-v3";/s);
    expect(dts).toMatch(/reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x80000>;/);
    expect(dts).toContain('compatible = "arm,armv8-timer\\0arm,armv7-timer";');
    expect(dts).toMatch(/pl011@9000000 \{[^}]*interrupts = <0x00 0x01 0x04>;/s);
    expect(dts).toContain('bootargs = "selftest=all";');
    expect(dts).toContain('stdout-path = "/pl011@9000000";');
  });
});

describe('device tree blob', () => {
  it('has a valid header', () => {
    const m = new Machine({ smp: 2, stdout: () => {} });
    const dv = new DataView(m.dtb.buffer, m.dtb.byteOffset);
    expect(dv.getUint32(0)).toBe(0xd00dfeed);
    expect(dv.getUint32(4)).toBe(m.dtb.length);
    expect(dv.getUint32(20)).toBe(17);
  });
});
