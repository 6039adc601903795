// The interactive console: Ctrl-A escapes as QEMU's -nographic, piped input, and a real terminal
// (tmux) in raw mode that is restored when the run ends.

import { afterAll, describe, it, expect } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleEscape, ESCAPE_CHAR } from '../../emu/cli/console.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { buildElf, words } from '../loader/elfwriter.js';
import { oraclesRequired } from '../oracle-env.js';
import { ECHO_UNTIL_Q, semihostingExit } from './echo-guest.js';
import { PassThrough } from 'node:stream';
import { main } from '../../emu/cli/main.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'dist/emu/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'a64emu-console-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const TEXT = 0x4008_0000;

/** The echo guest (echo-guest.ts) as an ELF file. */
async function echoElf(): Promise<string> {
  const code = words(await assembleWords(ECHO_UNTIL_Q, TEXT));
  const { bytes } = buildElf({ entry: TEXT, segments: [{ paddr: TEXT, data: code, flags: 5 }], symbols: [] });
  const f = join(tmp, 'echo.elf');
  writeFileSync(f, bytes);
  return f;
}

const enc = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ConsoleEscape', () => {
  it('passes ordinary bytes, quits on Ctrl-A x, sends Ctrl-A for Ctrl-A Ctrl-A, drops unknown commands', () => {
    const e = new ConsoleEscape();
    expect(str(e.feed(enc('ls -l\r')).data)).toBe('ls -l\r');
    const a = e.feed(Uint8Array.of(0x61, ESCAPE_CHAR, ESCAPE_CHAR, 0x62));
    expect([...a.data]).toEqual([0x61, 1, 0x62]);
    expect(a.quit).toBe(false);
    const z = e.feed(Uint8Array.of(ESCAPE_CHAR, 0x7a, 0x63)); // Ctrl-A z: not a command, dropped
    expect(str(z.data)).toBe('c');
    const q = e.feed(Uint8Array.of(0x64, ESCAPE_CHAR, 0x78, 0x65));
    expect(q.quit).toBe(true);
    expect(str(q.data)).toBe('d'); // nothing after the quit reaches the guest
    expect(e.feed(Uint8Array.of(ESCAPE_CHAR, 0x68)).help).toBe(true);
  });

  it('keeps an escape that spans two reads', () => {
    const e = new ConsoleEscape();
    expect(e.feed(Uint8Array.of(0x61, ESCAPE_CHAR)).data).toEqual(Uint8Array.of(0x61));
    expect(e.feed(Uint8Array.of(0x78)).quit).toBe(true);
  });
});

describe('console over a pipe', () => {
  it('output is written in blocks, not a host write per line, and all of it arrives', async () => {
    // 3,000 lines of "ab": one host write per line would be 3,000 writes.
    const code = words(await assembleWords(`
      movz x0, #0x0900, lsl #16
      mov x3, #3000
    loop:
      mov w2, #0x61
      str w2, [x0]
      mov w2, #0x62
      str w2, [x0]
      mov w2, #0x0a
      str w2, [x0]
      subs x3, x3, #1
      b.ne loop
${semihostingExit(0)}`, TEXT));
    const f = join(tmp, 'lines.elf');
    writeFileSync(f, buildElf({ entry: TEXT, segments: [{ paddr: TEXT, data: code, flags: 5 }], symbols: [] }).bytes);
    const chunks: string[] = [];
    const dec = new TextDecoder();
    const stdin = new PassThrough();
    const status = await main(['run', '--smp', '1', f], {
      stdout: (d) => { chunks.push(typeof d === 'string' ? d : dec.decode(d)); }, stderr: () => {}, cwd: tmp, defaultImage: null, stdin,
    });
    stdin.destroy();
    expect(status).toBe(0);
    expect(chunks.join('')).toBe('ab\n'.repeat(3000));
    expect(chunks.length).toBeLessThan(100);
  });

  it('piped input reaches the guest beyond the UART FIFO, and Ctrl-A x ends the run with status 0', async () => {
    const f = await echoElf();
    const long = 'x'.repeat(100) + 'yz'; // more than the 32-byte FIFO: held back until the guest reads
    const r = spawnSync(process.execPath, [BIN, 'run', '--smp', '1', '--max-insns', '2G', f], { encoding: 'utf8', input: `${long}\x01\x01q`, timeout: 60_000 });
    expect(r.stdout).toBe(`${long}\x01q`);
    expect(r.status).toBe(5);
    const quit = spawnSync(process.execPath, [BIN, 'run', '--smp', '1', '--max-insns', '2G', f], { encoding: 'utf8', input: 'ab\x01xq', timeout: 60_000 });
    // The bytes before the escape went to the UART; the guest may not have echoed them before the quit.
    expect(quit.stdout).toMatch(/^(ab|a)?a64emu: Terminated\r\n$/);
    expect(quit.stderr).toBe('');
    expect(quit.status).toBe(0);
  });
});

// tmux answers -V, not --version, so it is checked here rather than with describeWithTools.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux && !oraclesRequired()) console.warn('[oracle] skipping the terminal test: missing tmux (set REQUIRE_ORACLES=1 to make this a failure)');
(hasTmux || oraclesRequired() ? describe : describe.skip)('console on a terminal (tmux)', () => {
  it('is raw during the run (Ctrl-C reaches the guest), Ctrl-A x quits, and the terminal is restored', async () => {
    const f = await echoElf();
    const sock = join(tmp, 'tmux.sock'), marker = join(tmp, 'status');
    const tmux = (...a: string[]) => execFileSync('tmux', ['-S', sock, ...a], { encoding: 'utf8' });
    tmux('new-session', '-d', '-x', '120', '-y', '20', 'sh');
    try {
      const pane = () => tmux('capture-pane', '-p');
      // Polls until `ok` or a deadline (time, not a count of polls: under load each capture is slow).
      const until = async <T>(get: () => T, ok: (v: T) => boolean, seconds = 20): Promise<T> => {
        const end = Date.now() + seconds * 1000;
        let v = get();
        while (!ok(v) && Date.now() < end) { await new Promise((r) => setTimeout(r, 100)); v = get(); }
        return v;
      };
      const waitFor = (re: RegExp) => until(pane, (s) => re.test(s));
      const tty = tmux('display-message', '-p', '#{pane_tty}').trim();
      // The shell (dash) reads lines in canonical mode, so -icanon while node is in front is the run's.
      const rawNow = () => tmux('display-message', '-p', '#{pane_current_command}').trim() === 'node'
        && /(^|\s)-icanon(\s|$)/.test(execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' }));
      tmux('send-keys', `${process.execPath} ${BIN} run --smp 1 --max-insns 20G ${f}; echo "status=$?" > ${marker}; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'`, 'Enter');
      // In raw mode the terminal does not echo (the guest does) and C-c is a byte for the guest, not
      // SIGINT: the run goes on to the Ctrl-A x below and ends with status 0.
      // Typing waits until the run has made the terminal raw: before, C-c would be SIGINT. (A fixed
      // wait for node's start was too short on a loaded machine.)
      expect(await until(rawNow, (r) => r, 40)).toBe(true);
      tmux('send-keys', 'h', 'i');
      await waitFor(/^hi/m);
      tmux('send-keys', 'C-c');
      tmux('send-keys', 'o', 'k');
      expect(await waitFor(/^hi.*ok/m)).toMatch(/^hi.*ok/m);
      tmux('send-keys', 'C-a', 'x');
      const screen = await waitFor(/^-?icanon$/m);
      expect(screen).toMatch(/a64emu: Terminated/);
      expect(screen).toMatch(/^icanon$/m); // canonical mode again: restored
      expect(existsSync(marker)).toBe(true);
      expect(execFileSync('cat', [marker], { encoding: 'utf8' })).toBe('status=0\n');
    } finally {
      try { tmux('kill-server'); } catch { /* gone */ }
    }
  }, 120_000);
});
