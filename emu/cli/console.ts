// The terminal side of the guest's UART, as QEMU's -nographic multiplexer: bytes typed go to the
// PL011, except the escape character Ctrl-A, which starts a two-key command:
//   Ctrl-A x       quit (QEMU prints "QEMU: Terminated" and exits with status 0)
//   Ctrl-A Ctrl-A  send one Ctrl-A to the guest
//   Ctrl-A h or ?  print the list of commands
// Any other key after Ctrl-A is dropped, as QEMU does. When standard input is a terminal it is put in
// raw mode for the run (so Ctrl-C, Ctrl-Z and line editing reach the guest), and restored on every
// way out.

export const ESCAPE_CHAR = 0x01; // Ctrl-A

export const CONSOLE_HELP =
  'C-a h    print this help\r\n' +
  'C-a x    exit emulator\r\n' +
  'C-a C-a  sends C-a\r\n';

export interface EscapeResult {
  /** Bytes for the guest. */
  data: Uint8Array;
  quit: boolean;
  help: boolean;
}

/** Splits host input into bytes for the guest and Ctrl-A commands; an escape may span two chunks. */
export class ConsoleEscape {
  private pendingEscape = false;

  feed(bytes: Uint8Array): EscapeResult {
    const out: number[] = [];
    let quit = false, help = false;
    for (const b of bytes) {
      if (quit) break; // nothing after Ctrl-A x reaches the guest
      if (this.pendingEscape) {
        this.pendingEscape = false;
        if (b === ESCAPE_CHAR) out.push(b);
        else if (b === 0x78 /* x */) quit = true;
        else if (b === 0x68 /* h */ || b === 0x3f /* ? */) help = true;
      } else if (b === ESCAPE_CHAR) {
        this.pendingEscape = true;
      } else {
        out.push(b);
      }
    }
    return { data: Uint8Array.from(out), quit, help };
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];

/** Raw mode on a terminal input for the run; returns the function that restores it (idempotent, also
 * run at process exit and on SIGTERM, SIGHUP, SIGINT and SIGQUIT so the terminal is never left raw). */
export function rawTerminal(input: NodeJS.ReadableStream): () => void {
  const tty = input as NodeJS.ReadStream;
  if (tty.isTTY !== true || typeof tty.setRawMode !== 'function') return () => {};
  tty.setRawMode(true);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try { tty.setRawMode(false); } catch { /* the terminal went away */ }
    process.off('exit', restore);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  };
  // A signal from outside (kill): restore the terminal, then die of the same signal as before.
  const onSignal = (sig: NodeJS.Signals) => { restore(); process.kill(process.pid, sig); };
  process.on('exit', restore);
  for (const sig of SIGNALS) process.once(sig, onSignal);
  return restore;
}
