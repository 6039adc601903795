// Shared pieces of the command-line interface: I/O that tests can replace, errors that carry an exit
// status, argument parsers, and where the package lives.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { EXIT_USAGE } from '../board/exit.js';

export { EXIT_USAGE } from '../board/exit.js';
/** An unexpected internal error (a bug in the emulator): EX_SOFTWARE from sysexits.h. */
export const EXIT_INTERNAL = 70;

export interface CliIo {
  stdout(data: string | Uint8Array): void;
  stderr(data: string | Uint8Array): void;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Host input for the guest's UART (standard input for the real CLI; absent in tests). */
  stdin?: NodeJS.ReadableStream;
  /** The image `run` boots when none is given; null for none. Defaults to the package's
   * firmware/images/smp-selftest.elf. (For tests.) */
  defaultImage?: string | null;
}

export function processIo(): CliIo {
  return {
    stdout: (d) => { process.stdout.write(d); },
    stderr: (d) => { process.stderr.write(d); },
    cwd: process.cwd(),
    stdin: process.stdin,
  };
}

/** A failure the user can act on: printed as one line `a64emu: MESSAGE`, then exit with `status`. */
export class CliError extends Error {
  constructor(readonly status: number, message: string) {
    super(oneLine(message));
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return oneLine(e.message || e.name);
  return oneLine(String(e));
}

/** Human wording of a file system error. */
export function fsErrorMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    case 'ERR_FS_FILE_TOO_LARGE': return 'file too large';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EFBIG': return 'file too large';
    case 'EROFS': return 'read-only file system';
    case 'EIO': return 'input/output error';
    case 'EPIPE': return 'broken pipe';
    default: return errorMessage(e);
  }
}

/** Read a whole file, or fail with status 2 and `cannot load PATH: reason`. */
export function readInput(io: CliIo, path: string, verb = 'load'): Uint8Array {
  try {
    const full = resolve(io.cwd, path);
    if (statSync(full).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const b = readFileSync(full);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new CliError(EXIT_USAGE, `cannot ${verb} ${path}: ${fsErrorMessage(e)}`);
  }
}

/** Refuse to write `output` when it is one of the `inputs`: the same file by any path (a symlink,
 * ./x, a hard link: same device and inode). Checked before anything is opened for writing, since
 * opening truncates. A file that does not exist yet cannot be an input. */
export function refuseOverwrite(io: CliIo, output: string, inputs: readonly string[], what = output): void {
  let out;
  try { out = statSync(resolve(io.cwd, output)); } catch { return; }
  for (const input of inputs) {
    let st;
    try { st = statSync(resolve(io.cwd, input)); } catch { continue; }
    if (st.isFile() && st.dev === out.dev && st.ino === out.ino) {
      throw new CliError(EXIT_USAGE, `${what} is ${input === output ? 'the input file' : `the same file as the input ${input}`}: refusing to overwrite it`);
    }
  }
}

let rootCache: string | null | undefined;
/** The a64emu package's root directory (holding package.json), found from this module's location so
 * it works from emu/cli (sources) and dist/emu/cli (compiled) alike, whatever the cwd. */
export function packageRoot(): string | undefined {
  if (rootCache !== undefined) return rootCache ?? undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 8; k++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'a64emu') { rootCache = dir; return dir; }
      } catch { /* not ours */ }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  rootCache = null;
  return undefined;
}

export function packageVersion(): string {
  const root = packageRoot();
  if (root === undefined) return '0.0.0';
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// ------------------------------------------------------------------ argument parsers

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/** Parse an integer: decimal or 0x hex, '_' separators allowed; returns undefined if malformed. */
export function parseInteger(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t) || /^[0-9]+$/.test(t)) return BigInt(t);
  return undefined;
}

/** A commander argument parser for an integer in [min, max]; with `suffixes`, k/M/G multiply by
 * 10^3/10^6/10^9 and the form 3e9 is accepted. */
export function intOption(min: number, max: number, suffixes = false): (value: string) => number {
  return (value: string) => {
    let text = value.trim(), mul = 1;
    const last = text.slice(-1);
    if (suffixes && /[kKmMgG]/.test(last) && text.length > 1) { mul = SUFFIX[last]; text = text.slice(0, -1); }
    // With suffixes, also a power-of-ten form such as 3e9 or 2.5e6 (an integer in the end).
    const sci = suffixes ? /^\s*([0-9]+(?:\.[0-9]+)?)e([0-9]{1,2})\s*$/i.exec(text) : null;
    const v = sci !== null ? Number(sci[0].trim()) : parseInteger(text);
    if (v === undefined || (typeof v === 'number' && !Number.isInteger(v))) throw new InvalidArgumentError('not an integer.');
    const n = Number(v) * mul;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`must be between ${min} and ${max}.`);
    return n;
  };
}

/** --memory-model: sc or arm (emu/memory-model/). Shared by run and litmus. */
export function memoryModelOption(value: string): 'sc' | 'arm' {
  if (value !== 'sc' && value !== 'arm') throw new InvalidArgumentError('must be sc or arm.');
  return value;
}

/** --jit-backend: wasm or js (emu/cpu/translator/). */
export function jitBackendOption(value: string): 'wasm' | 'js' {
  if (value !== 'wasm' && value !== 'js') throw new InvalidArgumentError('must be wasm or js.');
  return value;
}

/** A scheduler seed: any integer in [0, 2^64), decimal or 0x hex, kept exact (a bigint). */
export function seedOption(value: string): bigint {
  const v = parseInteger(value);
  if (v === undefined) throw new InvalidArgumentError('not a non-negative integer.');
  if (v >= 1n << 64n) throw new InvalidArgumentError('must be below 2^64.');
  return v;
}

/** RAM size in MiB, as QEMU's -m: a number of MiB, or with an M or G suffix. */
export function memoryOption(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const m = /^\s*([0-9_]+|0x[0-9a-f_]+)\s*([mMgG]i?[bB]?)?\s*$/i.exec(value);
    const v = m ? parseInteger(m[1]) : undefined;
    if (m === null || v === undefined) throw new InvalidArgumentError('not a size in MiB (e.g. 256, 512M or 1G).');
    const mib = Number(v) * (m[2] !== undefined && /^g/i.test(m[2]) ? 1024 : 1);
    if (!(mib >= min && mib <= max)) throw new InvalidArgumentError(`must be between ${min} and ${max} MiB.`);
    return mib;
  };
}

/** An address (decimal or 0x hex) for commander. */
export function addressOption(value: string): bigint {
  const v = parseInteger(value);
  if (v === undefined || v >= 1n << 64n) throw new InvalidArgumentError('not an address (decimal or 0x hex).');
  return v;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Buffers the guest's console output, so that a byte-at-a-time UART does not cost one host write per
 * byte: flushed when large, at the end and by the caller (a timer); `lines`: also at each newline,
 * where no timer runs. (A host write per line cost a guest printing thousands of lines a second a few
 * percent of its run time.) */
export class ConsoleSink {
  private buf = new Uint8Array(8192);
  private len = 0;
  constructor(private readonly sink: (d: Uint8Array) => void, private readonly lines: boolean) {}

  write(bytes: Uint8Array): void {
    if (bytes.length > this.buf.length - this.len) {
      this.flush();
      if (bytes.length >= this.buf.length) { this.sink(bytes.slice()); return; }
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    if (this.lines && bytes.includes(10)) this.flush();
  }

  writeByte(b: number): void {
    if (this.len === this.buf.length) this.flush();
    this.buf[this.len++] = b;
    if (b === 10 && this.lines) this.flush();
  }

  flush(): void {
    if (this.len === 0) return;
    this.sink(this.buf.slice(0, this.len));
    this.len = 0;
  }
}

export const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
