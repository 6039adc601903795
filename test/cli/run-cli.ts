// Running the a64emu command in-process for tests: its exit status and what it printed.

import { main } from '../../emu/cli/main.js';

export interface CliResult { status: number; out: string; err: string }

/** A runner for `a64emu ARGS...` with relative paths resolved in `cwd` and no default image. */
export function cliIn(cwd: string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    let out = '', err = '';
    const dec = new TextDecoder();
    const text = (d: string | Uint8Array): string => (typeof d === 'string' ? d : dec.decode(d));
    const status = await main(args, { stdout: (d) => { out += text(d); }, stderr: (d) => { err += text(d); }, cwd, defaultImage: null });
    return { status, out, err };
  };
}
