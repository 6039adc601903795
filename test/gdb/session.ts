// Running a64emu with --gdb as a separate process (the compiled CLI, as a user would), and gdb-multiarch
// in batch mode against it.

import { spawn, ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'dist/emu/cli/main.js');
export const SELFTEST = join(ROOT, 'firmware/images/smp-selftest.elf');

export interface Emu { proc: ChildProcess; port: number; err: () => string; out: () => string; exit: Promise<number | null> }

/** Start `a64emu run ARGS --gdb 127.0.0.1:0` and wait until it listens. */
export async function startEmu(args: string[]): Promise<Emu> {
  const proc = spawn(process.execPath, [BIN, 'run', ...args, '--gdb', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '', out = '';
  proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on [^\s]*:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    void exit.then((c) => reject(new Error(`a64emu exited (${c}) before listening: ${err}`)));
  });
  return { proc, port, err: () => err, out: () => out, exit };
}

/** gdb-multiarch -batch with the self-test's symbols, connected to port, running the commands. */
export async function gdbBatch(port: number, cmds: string[], timeoutMs = 90_000): Promise<string> {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off', '-ex', `file ${SELFTEST}`,
    '-ex', `target remote 127.0.0.1:${port}`, ...cmds.flatMap((c) => ['-ex', c])];
  // One file for stdout and stderr, so that the transcript keeps gdb's own order (two pipes would not).
  const dir = mkdtempSync(join(tmpdir(), 'a64emu-gdb-')), file = join(dir, 'gdb.txt');
  const fd = openSync(file, 'w');
  const g = spawn('gdb-multiarch', args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const timer = setTimeout(() => g.kill('SIGKILL'), timeoutMs);
  await new Promise((r) => g.on('exit', r));
  clearTimeout(timer);
  const text = readFileSync(file, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return text;
}

/** Run gdb against a fresh emulator; the emulator is killed afterwards if still running. */
export async function session(emuArgs: string[], cmds: string[]): Promise<{ gdb: string; emu: Emu }> {
  const emu = await startEmu(emuArgs);
  try {
    const gdb = await gdbBatch(emu.port, cmds);
    return { gdb, emu };
  } finally {
    if (emu.proc.exitCode === null) { emu.proc.kill('SIGKILL'); await emu.exit; }
  }
}

/** The text between `echo MARK-begin` and `echo MARK-end` lines of a gdb transcript. */
export function section(text: string, mark: string): string {
  const a = text.indexOf(`${mark}-begin`), b = text.indexOf(`${mark}-end`);
  if (a < 0 || b < 0) throw new Error(`no section ${mark} in:\n${text}`);
  return text.slice(a + mark.length + 6, b);
}

/** gdb commands printing a section: echo markers around the commands. */
export function mark(name: string, cmds: string[]): string[] {
  return [`echo ${name}-begin\\n`, ...cmds, `echo ${name}-end\\n`];
}
