// Debian bookworm's arm64 kernel with busybox as user space (tools/fetch-linux.sh), on 1, 2, 4 and 8
// cores: busybox's sh runs busybox-init.sh as /init, which runs a process pinned to each CPU, takes
// CPU 1 offline and back through sysfs, lists the interrupt lines of /proc/interrupts, checks the
// RTC, mounts an ext2 virtio-blk disk the test makes (mke2fs -d), reads and writes files on it and
// powers off. Everything the script prints from its marker line on must equal qemu-system-aarch64's
// output for the same kernel, initramfs, disk and --append (the kernel is kept quiet with loglevel=1,
// so kernel log timing does not matter).
//
// Gated like the oracle tests: skipped (with a notice) when the kernel has not been fetched or QEMU
// or mke2fs is missing; with REQUIRE_ORACLES=1 (CI, which runs tools/fetch-linux.sh) a failure.
// LINUX_SMP=1,4 runs only those core counts (default: 1,2,4,8). The same script also runs booted at
// EL2 (a64emu --el2, QEMU virtualization=on: KVM initialises its nVHE hypervisor) on LINUX_EL2_SMP
// cores (default: 1,4; empty for none).

import { describe, it, expect } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeWithTools, oraclesRequired } from '../oracle-env.js';
import { busyboxInitramfs } from '../../tools/initramfs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const BIN = join(ROOT, 'dist/emu/cli/main.js');
const CACHE = join(ROOT, '.cache/linux');
const KERNEL = join(CACHE, 'vmlinuz');
const APPEND = 'console=ttyAMA0 loglevel=1';
/** In load order: each after the ones it depends on (tools/fetch-linux.sh unpacks them). */
const MODULES = ['crc16', 'crc32c_generic', 'mbcache', 'jbd2', 'ext4', 'virtio_mmio', 'virtio_blk'];
const MARKER = '=== a64emu busybox test ===';
const cores = (v: string) => v.split(',').filter((x) => x !== '').map(Number);
const SMP = cores(process.env.LINUX_SMP ?? '1,2,4,8');
const EL2_SMP = cores(process.env.LINUX_EL2_SMP ?? '1,4');
const RUNS = [...SMP.map((n) => ({ n, el2: false })), ...EL2_SMP.map((n) => ({ n, el2: true }))];

const haveKernel = existsSync(KERNEL) && existsSync(join(CACHE, 'busybox')) && MODULES.every((m) => existsSync(join(CACHE, 'modules', `${m}.ko`)));
if (!haveKernel && !oraclesRequired()) console.warn('[oracle] skipping the busybox boot test: no kernel, busybox or modules in .cache/linux (run tools/fetch-linux.sh as root)');
// mke2fs has no --version (describeWithTools' probe): -V instead.
const haveMke2fs = (() => { const r = spawnSync('mke2fs', ['-V'], { stdio: 'ignore' }); return r.error === undefined && r.status === 0; })();
if (!haveMke2fs && !oraclesRequired()) console.warn('[oracle] skipping the busybox boot test: no mke2fs (Debian: e2fsprogs)');

const suite = (body: () => void) => ((haveKernel && haveMke2fs) || oraclesRequired()
  ? describeWithTools('Debian arm64 Linux with busybox, as on QEMU', ['qemu-system-aarch64'], body)
  : describe.skip('Debian arm64 Linux with busybox [skipped: no kernel in .cache/linux, or no mke2fs]', body));

suite(() => {
  /** Run a command without blocking the test worker (a spawnSync of minutes starves vitest's RPC). */
  const run = (cmd: string, args: string[], timeoutMs: number) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    p.on('close', (status) => done({ status, stdout: stdout.replace(/\r/g, ''), stderr }));
  });

  /** The script's output: from the marker line to the power-off, without kernel log lines. */
  const tail = (s: string) => {
    const at = s.indexOf(MARKER);
    return at < 0 ? [] : s.slice(at).split('\n').filter((l) => !/^\[ *[0-9.]+\] /.test(l) && l !== '');
  };

  let images: { initrd: string; disk: string } | undefined;
  const makeImages = () => {
    if (images) return images;
    expect(haveKernel, 'the kernel, busybox and modules: run tools/fetch-linux.sh').toBe(true);
    expect(haveMke2fs, 'mke2fs: install e2fsprogs').toBe(true);
    const tmp = mkdtempSync(join(tmpdir(), 'a64emu-busybox-'));
    const initrd = join(tmp, 'initramfs.cpio.gz');
    writeFileSync(initrd, busyboxInitramfs(new Uint8Array(readFileSync(join(CACHE, 'busybox'))), readFileSync(join(HERE, 'busybox-init.sh'), 'utf8'),
      MODULES.map((m) => ({ name: `${m}.ko`, data: new Uint8Array(readFileSync(join(CACHE, 'modules', `${m}.ko`))) }))));
    // The disk: ext2 with a text file and 300 KB of data (the kernel's first bytes: not all zero).
    const dir = join(tmp, 'disk');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hello.txt'), 'hello from the host\n');
    writeFileSync(join(dir, 'data.bin'), readFileSync(KERNEL).subarray(0, 300_000));
    const disk = join(tmp, 'disk.img');
    execFileSync('mke2fs', ['-q', '-t', 'ext2', '-F', '-d', dir, disk, '8M'], { stdio: 'ignore' });
    images = { initrd, disk };
    return images;
  };

  for (const { n, el2 } of RUNS) {
    it(`on ${n} core${n > 1 ? 's' : ''}${el2 ? ' at EL2' : ''}: the /init script prints what it prints on QEMU`, async () => {
      const { initrd, disk } = makeImages();
      // QEMU first: snapshot=on keeps its writes off the image, as a64emu's overlay does.
      const qemu = await run('qemu-system-aarch64', ['-M', `virt,gic-version=3${el2 ? ',virtualization=on' : ''}`, '-cpu', 'cortex-a57', '-smp', String(n), '-m', '512', '-nographic',
        '-no-reboot', '-nic', 'none', '-global', 'virtio-mmio.force-legacy=false',
        '-drive', `file=${disk},format=raw,if=none,id=d0,snapshot=on`, '-device', 'virtio-blk-device,drive=d0',
        '-kernel', KERNEL, '-initrd', initrd, '-append', APPEND], 300_000);
      expect(qemu.status, qemu.stderr).toBe(0);
      const want = tail(qemu.stdout);
      expect(want, qemu.stdout).toContain('=== done ===');
      expect(want).toContain('copy: same');

      const t0 = Date.now();
      const ours = await run(process.execPath, [BIN, 'run', ...(el2 ? ['--el2'] : []), '--smp', String(n), '-m', '512', '--append', APPEND, '--initrd', initrd,
        '--drive', `file=${disk},format=raw`, '--max-insns', '2e10', '--stats', KERNEL], 3_000_000);
      const insns = /stats: (\d+) instructions/.exec(ours.stderr)?.[1];
      console.log(`[linux] busybox on ${n} cores${el2 ? ' at EL2' : ''}: a64emu ${insns} instructions, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(tail(ours.stdout), ours.stdout.slice(-3000) + ours.stderr).toEqual(want);
      expect(ours.status, ours.stderr).toBe(0);
    }, 3_600_000);
  }
});
