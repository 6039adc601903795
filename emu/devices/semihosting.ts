// Arm semihosting 2.0 as QEMU's -semihosting offers it (see shared/platform.md): HLT #0xF000, operation
// in W0, parameter in X1, result in X0. Only console and exit operations; file operations stay off so a
// guest cannot touch host files.

import type { Cpu } from '../cpu/cpu.js';

export const SEMIHOSTING_HLT_IMM = 0xf000;
const ADP_STOPPED_APPLICATION_EXIT = 0x20026;

export interface SemihostingHost {
  write(bytes: Uint8Array, stream: 1 | 2): void;
  readChar(): number; // -1 when none
  exit(status: number, reason: string): void;
  /** Centiseconds of virtual time since start. */
  clock(): number;
}

const SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05, SYS_READC = 0x07, SYS_CLOCK = 0x10;
const SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ERRNO = 0x13;

export class Semihosting {
  constructor(private readonly host: SemihostingHost) {}

  /** Handles the call; returns false for an operation we do not offer (the guest then gets -1). */
  call(c: Cpu): void {
    const op = c.x[2 * 0] >>> 0;
    const pLo = c.x[2 * 1], pHi = c.x[2 * 1 + 1];
    let result = 0;
    switch (op) {
      case SYS_WRITEC:
        this.host.write(Uint8Array.of(c.read8(pLo, pHi)), 1);
        break;
      case SYS_WRITE0: {
        const bytes: number[] = [];
        for (let a = pLo >>> 0; ; a++) {
          const b = c.read8(a | 0, pHi + (a > 0xffffffff ? 1 : 0));
          if (b === 0 || bytes.length > 1 << 20) break;
          bytes.push(b);
        }
        this.host.write(Uint8Array.from(bytes), 1);
        break;
      }
      case SYS_WRITE: {
        const handle = this.word(c, pLo, pHi, 0);
        const bufLo = c.read32(pLo + 8, pHi), bufHi = c.read32(pLo + 12, pHi);
        const len = this.word(c, pLo, pHi, 2);
        const out = new Uint8Array(Math.min(len, 1 << 24));
        for (let k = 0; k < out.length; k++) out[k] = c.read8((bufLo + k) | 0, bufHi);
        if (handle === 1 || handle === 2) { this.host.write(out, handle); result = 0; }
        else result = len; // unknown handle: nothing written
        break;
      }
      case SYS_READC:
        result = this.host.readChar();
        break;
      case SYS_CLOCK:
        result = this.host.clock();
        break;
      case SYS_ERRNO:
        result = 0;
        break;
      case SYS_EXIT:
      case SYS_EXIT_EXTENDED: {
        // AArch64: X1 points to {reason, subcode}.
        const reason = this.word(c, pLo, pHi, 0);
        const sub = this.word(c, pLo, pHi, 1);
        if (reason === ADP_STOPPED_APPLICATION_EXIT) this.host.exit(sub & 0xff, 'semihosting SYS_EXIT');
        else this.host.exit(1, `semihosting SYS_EXIT with reason 0x${reason.toString(16)}`);
        break;
      }
      default:
        result = -1;
    }
    c.setX(0, result | 0, result < 0 ? -1 : 0);
  }

  /** The k-th 64-bit field of a parameter block, as a number (low 32 bits are enough for our uses). */
  private word(c: Cpu, lo: number, hi: number, k: number): number {
    return c.read32((lo + 8 * k) | 0, hi) >>> 0;
  }
}
