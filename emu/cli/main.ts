#!/usr/bin/env node
// The a64emu command line: `run`, `asm`, `disasm`, `litmus` (one file each in this directory).
//
// main() takes its arguments and I/O as parameters and returns the exit status, so tests run it in
// process. Exit statuses: 0 success (and --help, --version); the guest's own status from `run`;
// 2 bad usage, unreadable or malformed image or trace, output that cannot be written; 123/124/125 from `run` (emu/board/exit.ts);
// 70 an internal error (EX_SOFTWARE). No host stack trace is ever printed (set A64EMU_DEBUG=1 to see one).

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from '../board/exit.js';
import { addAsmCommand } from './asm.js';
import { addDisasmCommand } from './disasm.js';
import { addRunCommand } from './run.js';
import { addDtbCommand } from './dtb.js';
import { addTraceCommand } from './trace.js';
import { addLitmusCommand } from './litmus.js';
import { CliError, CliIo, EXIT_INTERNAL, errorMessage, fsErrorMessage, oneLine, packageVersion, processIo } from './common.js';

export { EXIT_INTERNAL } from './common.js';
export type { CliIo } from './common.js';

/** Run the CLI on `argv` (the user's arguments, without node and the script). Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let status = 0;
  const done = (s: number): void => { status = s; };
  const program = new Command('a64emu');
  program
    .description('An AArch64 (ARMv8.0-A + LSE) emulator of a QEMU-virt-compatible SMP board')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`a64emu: ${oneLine(s).replace(/^error:\s*/, '')}\n`),
    });
  addRunCommand(program, io, done);
  addAsmCommand(program, io, done);
  addDisasmCommand(program, io, done);
  addDtbCommand(program, io, done);
  addTraceCommand(program, io, done);
  addLitmusCommand(program, io, done);
  program.addHelpText('after', `
Exit status: 0 success; the guest's status for run; 2 bad usage, input or unwritable output; 123 guest fault;
124 --max-insns reached; 125 deadlock; 70 internal error.`);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other commander error (unknown option or command, bad or
      // missing argument, no command at all) is a usage error. Commander printed its one line already.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.stderr(`a64emu: ${e.message}\n`);
      return e.status;
    }
    io.stderr(`a64emu: internal error: ${errorMessage(e)}\n`);
    if (process.env.A64EMU_DEBUG) {
      for (let x: unknown = e; x instanceof Error; x = x.cause) io.stderr(`${x.stack ?? x.message}\n`);
    }
    return EXIT_INTERNAL;
  }
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const die = (e: unknown): void => {
    process.stderr.write(`a64emu: internal error: ${errorMessage(e)}\n`);
    process.exit(EXIT_INTERNAL);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // A closed pipe (`a64emu disasm x | head`) is not an error worth a message. Any other write error
  // (a full disk, > /dev/full) loses output: one line and status 2, never a silent 0.
  const stdoutFailed = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`a64emu: cannot write standard output: ${fsErrorMessage(e)}\n`, () => process.exit(EXIT_USAGE));
  };
  process.stdout.on('error', stdoutFailed);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Exit once the streams are flushed, even if something (a stdin reader, a timer) keeps the loop alive.
    process.stdout.write('', (e) => {
      if (e && (e as NodeJS.ErrnoException).code !== 'ERR_STREAM_DESTROYED') { stdoutFailed(e as NodeJS.ErrnoException); return; }
      if (e) return; // the 'error' event reports the write that failed
      process.stderr.write('', () => process.exit(code));
    });
  }, die);
}
