// Debian bookworm's arm64 kernel (tools/fetch-linux.sh) booted to its /init on 4 cores, and the same
// on qemu-system-aarch64: both must reach "Run /init as init process", take CPU 1 offline and online
// again through sysfs (PSCI CPU_OFF and CPU_ON), and power off (exit status 0), printing the same
// lines from /init on. The init is a tiny static program without FP/SIMD (init-poweroff.S),
// so this does not depend on FP/SIMD support. About a billion guest instructions: tens of seconds.
//
// Gated like the oracle tests: skipped (with a notice) when the kernel has not been fetched or QEMU
// or clang is missing; with REQUIRE_ORACLES=1 (CI, which runs tools/fetch-linux.sh) a failure.

import { describe, it, expect } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describeWithTools, oraclesRequired } from '../oracle-env.js';
import { cpioNewc } from '../../tools/initramfs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const BIN = join(ROOT, 'dist/emu/cli/main.js');
const KERNEL = join(ROOT, '.cache/linux/vmlinuz');
const APPEND = 'console=ttyAMA0 earlycon=pl011,0x9000000';

const haveKernel = existsSync(KERNEL);
if (!haveKernel && !oraclesRequired()) console.warn('[oracle] skipping the Linux boot test: no .cache/linux/vmlinuz (run tools/fetch-linux.sh as root)');

const suite = (body: () => void) => (haveKernel || oraclesRequired()
  ? describeWithTools('Debian arm64 Linux boots to /init', ['qemu-system-aarch64', 'clang', 'ld.lld'], body)
  : describe.skip('Debian arm64 Linux boots to /init [skipped: no kernel in .cache/linux]', body));

suite(() => {
  /** Run a command without blocking the test worker (a spawnSync of minutes starves vitest's RPC). */
  const run = (cmd: string, args: string[], timeoutMs: number) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    p.on('close', (status) => done({ status, stdout: stdout.replace(/\r/g, ''), stderr }));
  });

  it('on 4 cores, as on QEMU: /init runs, hotplugs CPU 1, powers off', async () => {
    expect(haveKernel, 'the kernel: run tools/fetch-linux.sh').toBe(true);
    const tmp = mkdtempSync(join(tmpdir(), 'a64emu-linux-'));
    const init = join(tmp, 'init');
    execFileSync('clang', ['--target=aarch64-linux-gnu', '-nostdlib', '-static', '-fuse-ld=lld', '-o', init, join(HERE, 'init-poweroff.S')]);
    const initrd = join(tmp, 'initramfs.cpio.gz');
    writeFileSync(initrd, gzipSync(cpioNewc([
      { name: 'dev', mode: 0o040755 },
      { name: 'dev/console', mode: 0o020600, rdev: [5, 1] },
      { name: 'sys', mode: 0o040755 },
      { name: 'init', mode: 0o100755, data: new Uint8Array(readFileSync(init)) },
    ])));
    const args = ['run', '--smp', '4', '-m', '512', '--append', APPEND, '--initrd', initrd, '--max-insns', '3e9', '--stats', KERNEL];
    const t0 = Date.now();
    const ours = await run(process.execPath, [BIN, ...args], 800_000);
    const seconds = (Date.now() - t0) / 1000;
    const insns = /stats: (\d+) instructions/.exec(ours.stderr)?.[1];
    console.log(`[linux] a64emu: ${insns} instructions, ${seconds.toFixed(1)} s`);
    expect(ours.stdout).toContain('Run /init as init process');
    expect(ours.stdout).toContain('a64emu-init: cpu1 offline: ok\n');
    expect(ours.stdout).toContain('a64emu-init: cpu1 online again: ok\n');
    expect(ours.stdout).toMatch(/reboot: Power down/);
    expect(ours.status, ours.stderr).toBe(0);

    const qemu = await run('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', '4', '-m', '512', '-nographic', '-no-reboot',
      '-kernel', KERNEL, '-initrd', initrd, '-append', APPEND], 300_000);
    expect(qemu.status).toBe(0);
    // From /init on: the init's lines, CPU 1 going (PSCI CPU_OFF) and coming back (CPU_ON), power off.
    const tail = (s: string) => s.slice(s.indexOf('Run /init')).split('\n')
      .filter((l) => /Run \/init|a64emu-init|CPU1|reboot: Power down/.test(l))
      .map((l) => l.replace(/^\[ *[0-9.]+\] /, '').replace(/\(polled \d+ ms\)/, '(polled)'));
    expect(tail(ours.stdout)).toEqual(tail(qemu.stdout));
  }, 900_000);
});
