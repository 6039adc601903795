// A trace file written through a fixed buffer (256 KiB unless told) with fs.writeSync: memory stays bounded however
// long the run, and nothing is lost if the process exits right after close(). The per-instruction
// lines are encoded straight into the buffer (decimal and hex digits, pre-encoded constant pieces),
// so the hot path builds no strings. Trace text is ASCII; strings are stored as Latin-1.

import { openSync, writeSync, closeSync } from 'node:fs';

export const TRACE_BUFFER_BYTES = 256 * 1024;

/** A trace file could not be opened, written or closed (a full disk, /dev/full, a closed pipe...):
 * `cause` is the file system's error. The CLI prints it as one line and exits with status 2. */
export class TraceWriteError extends Error {
  constructor(readonly path: string, override readonly cause: unknown) {
    super(`cannot write ${path}: ${(cause as { message?: string }).message ?? String(cause)}`);
  }
}

/** Node's Buffer#latin1Write (present at run time, missing from @types/node). */
type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number, length: number): number };

const HEX_LC = Uint8Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const HEX_UC = Uint8Array.from('0123456789ABCDEF', (ch) => ch.charCodeAt(0));

/** Encode an ASCII string once, for put(). */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
}

export class BufferedFile {
  protected readonly buf: Latin1Buffer;
  protected pos = 0;
  private fd: number;
  /** Room that every put* call may use without checking (callers call reserve() first). */
  private readonly limit: number;
  /** A write failed: the error was thrown once; from then on output is dropped and close() is quiet,
   * so the run can be wound down and the one error reported. */
  private failed = false;

  constructor(readonly path: string, size = TRACE_BUFFER_BYTES) {
    this.buf = Buffer.allocUnsafe(size) as Latin1Buffer;
    this.limit = size;
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new TraceWriteError(path, e);
    }
  }

  /** Make sure n more bytes fit (n at most the buffer size). */
  reserve(n: number): void {
    if (this.pos + n > this.limit) this.flush();
  }

  /** Append a string (any length). */
  write(s: string): void {
    const n = s.length;
    if (this.pos + n > this.limit) {
      this.flush();
      if (n > this.limit) { this.writeOut(() => writeSync(this.fd, s, null, 'latin1')); return; }
    }
    this.pos += this.buf.latin1Write(s, this.pos, n);
  }

  // The put* methods do not check for room: reserve() first.

  put(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    if (b.length > 48) { buf.set(b, p); this.pos = p + b.length; return; }
    for (let k = 0; k < b.length; k++) buf[p++] = b[k];
    this.pos = p;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer in decimal (below 2^53). */
  dec(n: number): void {
    const buf = this.buf;
    if (n < 10) { buf[this.pos++] = 48 + n; return; }
    if (n > 0x7fffffff) { this.pos += buf.latin1Write(String(n), this.pos, 16); return; }
    let digits = 2;
    for (let t = (n / 100) | 0; t !== 0; t = (t / 10) | 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 10) { const q = (n / 10) | 0; buf[--p] = 48 + n - q * 10; n = q; }
    buf[--p] = 48 + n;
  }

  /** The low `digits` hex digits of a 32-bit value (digits 1..8), lower or upper case. */
  hex(v: number, digits: number, upper = false): void {
    const buf = this.buf, h = upper ? HEX_UC : HEX_LC;
    let p = this.pos;
    for (let s = (digits - 1) * 4; s >= 0; s -= 4) buf[p++] = h[(v >>> s) & 15];
    this.pos = p;
  }

  flush(): void {
    const n = this.pos;
    this.pos = 0;
    this.writeOut(() => { let off = 0; while (off < n) off += writeSync(this.fd, this.buf, off, n - off); });
  }

  private writeOut(write: () => void): void {
    if (this.failed || this.fd < 0) return;
    try {
      write();
    } catch (e) {
      this.failed = true;
      throw new TraceWriteError(this.path, e);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      const fd = this.fd;
      this.fd = -1;
      try {
        closeSync(fd);
      } catch (e) {
        if (!this.failed) { this.failed = true; throw new TraceWriteError(this.path, e); } // eslint-disable-line no-unsafe-finally
      }
    }
  }
}
