// A cpio "newc" archive writer (the format the Linux kernel unpacks as an initramfs), and the
// make-initramfs tool built on it: Debian's static busybox plus an /init script, gzip-compressed.
// Written here rather than with cpio(1) so that the archive is the same byte for byte on every host
// and needs neither root nor the cpio package: every file is owned by root, with mtime 0.
//
//   node dist/tools/initramfs.js [-b BUSYBOX] [-i INIT_SCRIPT] [-o OUTPUT] [-m MODULE.ko]...
//   (tools/make-initramfs.sh; each -m file goes in as /lib/modules/MODULE.ko)

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface CpioEntry {
  /** Path inside the archive, without a leading '/'. */
  name: string;
  /** File type and permission bits (S_IFREG 0o100000, S_IFDIR 0o040000, S_IFLNK 0o120000, S_IFCHR 0o020000). */
  mode: number;
  /** File contents, or a symbolic link's target. */
  data?: Uint8Array | string;
  /** Device major/minor for a character device. */
  rdev?: [number, number];
}

/** The newc archive of `entries` (in the given order), with the TRAILER!!! entry. */
export function cpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let len = 0;
  const push = (b: Uint8Array) => { parts.push(b); len += b.length; };
  const pad = () => { const n = (4 - (len % 4)) % 4; if (n) push(new Uint8Array(n)); };
  const enc = new TextEncoder();
  const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  const one = (e: CpioEntry, ino: number) => {
    const data = typeof e.data === 'string' ? enc.encode(e.data) : e.data ?? new Uint8Array(0);
    const name = enc.encode(e.name + '\0');
    const isDir = (e.mode & 0o170000) === 0o040000;
    const fields = [ino, e.mode, 0, 0, isDir ? 2 : 1, 0, data.length, 0, 0, e.rdev?.[0] ?? 0, e.rdev?.[1] ?? 0, name.length, 0];
    push(enc.encode('070701' + fields.map(hex8).join('')));
    push(name); pad();
    push(data); pad();
  };
  entries.forEach((e, k) => one(e, k + 1));
  one({ name: 'TRAILER!!!', mode: 0 }, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** The default /init: mount the kernel file systems, say hello, and run a shell on the console. */
export const DEFAULT_INIT = `mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "a64emu initramfs: $(nproc) CPUs"
exec setsid cttyhack sh
`;

/** An initramfs (gzip-compressed newc) with busybox as /bin/busybox and /init running `init` under
 * busybox's sh after installing the applet links. */
export function busyboxInitramfs(busybox: Uint8Array, init: string = DEFAULT_INIT, modules: readonly { name: string; data: Uint8Array }[] = []): Uint8Array {
  const dir = (name: string): CpioEntry => ({ name, mode: 0o040755 });
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'etc', 'lib', 'lib/modules', 'mnt', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/sbin'].map(dir),
    // Kernel modules as /lib/modules/NAME.ko, for the /init script to insmod.
    ...modules.map((m): CpioEntry => ({ name: `lib/modules/${m.name}`, mode: 0o100644, data: m.data })),
    { name: 'dev/console', mode: 0o020600, rdev: [5, 1] },
    { name: 'bin/busybox', mode: 0o100755, data: busybox },
    { name: 'bin/sh', mode: 0o120777, data: 'busybox' },
    { name: 'init', mode: 0o100755, data: `#!/bin/sh\n/bin/busybox --install -s\n${init}` },
  ];
  return gzipSync(cpioNewc(entries), { level: 9 });
}

function main(argv: string[]): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  let busybox = join(root, '.cache', 'linux', 'busybox'), init: string | undefined, out = join(root, '.cache', 'linux', 'initramfs.cpio.gz');
  const modulePaths: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k], v = argv[k + 1];
    if ((a === '-b' || a === '-i' || a === '-o' || a === '-m') && v !== undefined) {
      if (a === '-b') busybox = v; else if (a === '-i') init = v; else if (a === '-m') modulePaths.push(v); else out = v;
      k++;
    } else {
      process.stderr.write('usage: make-initramfs [-b BUSYBOX] [-i INIT_SCRIPT] [-o OUTPUT] [-m MODULE.ko]...\n');
      return 2;
    }
  }
  let bb: Uint8Array, script: string | undefined;
  try { bb = readFileSync(busybox); } catch { process.stderr.write(`make-initramfs: cannot read busybox at ${busybox} (run tools/fetch-linux.sh)\n`); return 2; }
  try { script = init === undefined ? undefined : readFileSync(init, 'utf8'); } catch { process.stderr.write(`make-initramfs: cannot read ${init}\n`); return 2; }
  const modules: { name: string; data: Uint8Array }[] = [];
  for (const m of modulePaths) {
    try { modules.push({ name: basename(m), data: readFileSync(m) }); } catch { process.stderr.write(`make-initramfs: cannot read ${m}\n`); return 2; }
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, busyboxInitramfs(bb, script, modules));
  process.stdout.write(`make-initramfs: ${out}\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
