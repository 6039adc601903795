// The command line, run in process through main() with captured I/O, plus one test that spawns the
// compiled binary (shebang, exit statuses of the real process).

import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../emu/cli/main.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { buildElf, words } from '../loader/elfwriter.js';
import { cliIn } from './run-cli.js';
import { ECHO_UNTIL_Q } from './echo-guest.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TEXT = 0x4008_0000;
const DATA = 0x4008_1000;
const tmp = mkdtempSync(join(tmpdir(), 'a64emu-cli-'));

const cli = cliIn(tmp);

/** Assemble `source` at TEXT into an ELF (optional data segment at DATA) and write it to a temp file. */
async function elfFile(name: string, source: string, data?: Uint8Array): Promise<string> {
  const code = words(await assembleWords(source, TEXT));
  const segments = [{ paddr: TEXT, data: code, flags: 5 }];
  if (data) segments.push({ paddr: DATA, data, flags: 6 });
  const { bytes } = buildElf({
    entry: TEXT, segments,
    symbols: [{ name: '_start', value: TEXT, size: code.length, type: 'func' }],
  });
  const f = join(tmp, name);
  writeFileSync(f, bytes);
  return f;
}

/** A one-line stderr message starting "a64emu: ". */
function expectOneLine(err: string, re: RegExp): void {
  expect(err).toMatch(/^a64emu: [^\n]*\n$/);
  expect(err).toMatch(re);
}

describe('a64emu CLI (in process)', () => {
  it('--help and --version exit 0', async () => {
    const h = await cli('--help');
    expect(h.status).toBe(0);
    expect(h.out).toMatch(/Usage: a64emu/);
    expect(h.out).toMatch(/run \[options\] \[image\]/);
    const v = await cli('--version');
    expect(v.status).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const rh = await cli('run', '--help');
    expect(rh.status).toBe(0);
    expect(rh.out).toMatch(/--max-insns/);
  });

  it('unknown options and commands exit 2 with one line', async () => {
    let r = await cli('--bogus');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /unknown option '--bogus'/);
    r = await cli('run', '--smpp', '2', 'x');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /unknown option '--smpp'.*--smp/);
    r = await cli('frobnicate');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /unknown command 'frobnicate'/);
    r = await cli('run', '--smp', '65', 'x');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /--smp.*65.*between 1 and 64/);
    r = await cli('run', '-m', '4096', 'x');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /between 1 and 3072/);
    r = await cli('run', 'a', 'b');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /too many arguments/);
    expect((await cli()).status).toBe(2); // no command: usage on stderr
  });

  it('asm prints the encoding with capstone\'s disassembly', async () => {
    const r = await cli('asm', 'ldaxr w1, [x0]');
    expect(r).toEqual({ status: 0, out: '0x885ffc01  ldaxr w1, [x0]\n', err: '' });
    const two = await cli('asm', 'nop;', 'b', '#0x1000', '--address', '0x1000');
    expect(two.out).toBe('0xd503201f  nop\n0x17ffffff  b #0x1000\n');
  });

  it('asm failures (keystone has no LSE) exit 2 with one line', async () => {
    const r = await cli('asm', 'ldadd w1, w2, [x0]');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /cannot assemble "ldadd w1, w2, \[x0\]"/);
    expect((await cli('asm', '   ')).status).toBe(2);
    // A path given for the source (keystone would never return); every command's help (commander
    // cannot print a bigint default).
    expectOneLine((await cli('asm', '/tmp/prog.s')).err, /begins with "\/"/);
    for (const c of ['run', 'asm', 'disasm', 'dtb', 'trace', 'litmus']) {
      const help = await cli(c, '--help');
      expect(help.status, c).toBe(0);
      expect(help.err, c).toBe('');
    }
    expect((await cli('asm', '--help')).out).toMatch(/--address <addr>.*\(default: 0\)/s);
  });

  it('disasm of hex words', async () => {
    const r = await cli('disasm', '0x885ffc01', 'd503201f');
    expect(r.status).toBe(0);
    expect(r.out).toBe('       0:  885ffc01  ldaxr w1, [x0]\n       4:  d503201f  nop\n');
    const a = await cli('disasm', '--address', '0x40080000', '14000000');
    expect(a.out).toBe('40080000:  14000000  b #0x40080000\n');
    const bad = await cli('disasm', 'not-a-file-or-hex');
    expect(bad.status).toBe(2);
    expectOneLine(bad.err, /cannot disassemble not-a-file-or-hex/);
  });

  it('disasm of an ELF: sections, symbol labels and branch targets', async () => {
    const code = words(await assembleWords('bl #0x40080010\nnop\nnop\nb #0x40080000\nret', TEXT));
    const { bytes } = buildElf({
      entry: TEXT, segments: [{ paddr: TEXT, data: code }],
      symbols: [
        { name: '_start', value: TEXT, size: 16, type: 'func' },
        { name: 'helper', value: TEXT + 16, size: 4, type: 'func' },
      ],
    });
    const f = join(tmp, 'dis.elf');
    writeFileSync(f, bytes);
    const r = await cli('disasm', f);
    expect(r.status).toBe(0);
    expect(r.out).toBe([
      'Disassembly of section .seg0:',
      '',
      '0000000040080000 <_start>:',
      '40080000:  94000004  bl #0x40080010 <helper>',
      '40080004:  d503201f  nop',
      '40080008:  d503201f  nop',
      '4008000c:  17fffffd  b #0x40080000 <_start>',
      '',
      '0000000040080010 <helper>:',
      '40080010:  d65f03c0  ret',
      '',
    ].join('\n'));
    const one = await cli('disasm', f, '--start', 'helper');
    expect(one.out).toMatch(/<helper>:\n40080010:  d65f03c0  ret\n$/);
    const cnt = await cli('disasm', f, '--start', '0x40080004', '--count', '2');
    expect(cnt.out.trim().split('\n').filter((l) => /^4008/.test(l))).toHaveLength(2);
  });

  it('run: guest writes "hi\\n" to the PL011 and exits 7 through semihosting', async () => {
    const block = new Uint8Array(16);
    new DataView(block.buffer).setUint32(0, 0x20026, true);
    new DataView(block.buffer).setUint32(8, 7, true);
    const f = await elfFile('hello.elf', `
      movz x1, #0x0900, lsl #16
      movz w2, #0x68
      strb w2, [x1]
      movz w2, #0x69
      strb w2, [x1]
      movz w2, #0x0a
      strb w2, [x1]
      movz w0, #0x18
      movz x1, #0x4008, lsl #16
      movk x1, #0x1000
      hlt #0xf000
      b .`, block);
    const r = await cli('run', f);
    expect(r).toEqual({ status: 7, out: 'hi\n', err: '' });
  });

  it('run --max-insns on an infinite loop exits 124 and names each core\'s PC', async () => {
    const f = await elfFile('loop.elf', 'nop\nb .');
    const r = await cli('run', '--max-insns', '1000', f);
    expect(r.status).toBe(124);
    expectOneLine(r.err, /instruction limit of 1000 reached.*core 0 pc=0x40080004 <_start\+0x4>/);
    const smp = await cli('run', '--smp', '4', '--max-insns', '1k', '--quantum', '10', '--seed', '42', f);
    expect(smp.status).toBe(124);
    expectOneLine(smp.err, /core 0 pc=0x40080004.*core 3 pc=0x0 powered off/);
  });

  it('run: a jump to unmapped memory takes an instruction abort; exits 123 only when its vector is not RAM', async () => {
    const f = await elfFile('wild.elf', 'b #0x3c000000');
    const r = await cli('run', f);
    expect(r.status).toBe(123);
    expectOneLine(r.err, /fetch from 0x200, which is not RAM.*ESR_EL1=0x86000010.*from 0x3c000000.*VBAR_EL1=0x0/);
    // with a vector table the abort is delivered and the program carries on in its handler
    const g = await elfFile('wild2.elf', [
      'adr x0, vec', 'msr vbar_el1, x0', 'isb', 'mov x2, #0xf0000000', 'ldr x1, [x2]', 'b .',
      '.balign 2048', 'vec: .space 0x200', 'mrs x3, esr_el1', 'b .',
    ].join('\n'));
    const h = await cli('run', '--max-insns', '1000', g);
    expect(h.status).toBe(124);
    expectOneLine(h.err, /core 0 pc=0x40080a04 </);
  });

  it('run/dtb --gic-version: 2 or 3; a GICv2 board has at most 8 cores', async () => {
    const f = await elfFile('g2.elf', 'b .');
    for (const cmd of [['run', '--max-insns', '10', f], ['dtb', '-o', join(tmp, 'g2.dtb')]]) {
      const r = await cli(cmd[0], '--gic-version', '2', '--smp', '9', ...cmd.slice(1));
      expect(r.status).toBe(2);
      expectOneLine(r.err, /--smp 9: a GICv2 .*at most 8 cores/);
      expect((await cli(cmd[0], '--gic-version', '4', ...cmd.slice(1))).status).toBe(2);
      expect((await cli(cmd[0], '--gic-version', '2', '--smp', '8', ...cmd.slice(1))).status).toBe(cmd[0] === 'run' ? 124 : 0);
    }
  });

  it('run: WFI with nothing to wake the core exits 125 (deadlock)', async () => {
    const f = await elfFile('wfi.elf', 'wfi\nb .');
    const r = await cli('run', f);
    expect(r.status).toBe(125);
    expectOneLine(r.err, /deadlock.*core 0 pc=0x40080004.*WFI/);
  });

  it('run --no-semihosting makes HLT #0xF000 undefined', async () => {
    const f = await elfFile('hlt.elf', 'hlt #0xf000\nb .');
    // with semihosting: operation 0 is not offered (x0 = -1), the loop runs into the limit
    expect((await cli('run', '--max-insns', '100', f)).status).toBe(124);
    // without: UNDEFINED, to a vector table that is not there
    const r = await cli('run', '--no-semihosting', '--max-insns', '100', f);
    expect(r.status).toBe(123);
  });

  it('run --load FILE@ADDR loads raw code; without an image the first one is the program', async () => {
    const raw = join(tmp, 'loop.bin');
    writeFileSync(raw, words(await assembleWords('nop\nnop\nb .', 0x4010_0000)));
    const r = await cli('run', '--max-insns', '50', '--load', `${raw}@0x40100000`);
    expect(r.status).toBe(124);
    expectOneLine(r.err, /core 0 pc=0x40100008/);
    // two raw files that overlap are refused
    const o = await cli('run', '--load', `${raw}@0x40100000`, '--load', `${raw}@0x40100004`);
    expect(o.status).toBe(2);
    expectOneLine(o.err, /overlaps/);
    const bad = await cli('run', '--load', `${raw}@zz`);
    expect(bad.status).toBe(2);
    expectOneLine(bad.err, /bad --load/);
  });

  it('run --stats prints instructions, time and MIPS on stderr', async () => {
    const f = await elfFile('stats.elf', 'b .');
    const r = await cli('run', '--stats', '--max-insns', '10000', f);
    expect(r.status).toBe(124);
    expect(r.err).toMatch(/a64emu: stats: 10000 instructions in [0-9.]+ s, [0-9.]+ MIPS, [0-9]+ counter ticks of virtual time\n/);
    // One row per core: core 0 ran all 10000; the others are powered off.
    expect(r.err).toMatch(/a64emu: stats: +0 +10000 +0 +0 +0 +0 +0\n/);
  });

  it('unreadable or malformed images exit 2 with one line', async () => {
    let r = await cli('run', join(tmp, 'missing.elf'));
    expect(r.status).toBe(2);
    expectOneLine(r.err, /cannot load .*missing\.elf: no such file/);
    r = await cli('run', tmp);
    expectOneLine(r.err, /is a directory/);
    const trunc = join(tmp, 'trunc.elf');
    writeFileSync(trunc, Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0));
    r = await cli('run', trunc);
    expect(r.status).toBe(2);
    expectOneLine(r.err, /cannot load .*trunc\.elf: truncated ELF header/);
    const far = join(tmp, 'far.elf');
    writeFileSync(far, buildElf({ entry: 0x8000_0000, segments: [{ paddr: 0x8000_0000, data: words([0x14000000]) }] }).bytes);
    r = await cli('run', '-m', '16', far);
    expect(r.status).toBe(2);
    expectOneLine(r.err, /segment 0 at physical 0x80000000.*outside RAM \(0x40000000\.\.0x41000000\)/);
    const empty = join(tmp, 'empty.bin');
    writeFileSync(empty, new Uint8Array(0));
    r = await cli('run', empty);
    expectOneLine(r.err, /empty file/);
  });

  it('run without an image: the default image when there is one, else exit 2', async () => {
    const r = await cli('run');
    expect(r.status).toBe(2);
    expectOneLine(r.err, /no image given/);
    const f = await elfFile('default.elf', 'wfi');
    let err = '';
    const status = await main(['run'], { stdout: () => {}, stderr: (d) => { err += String(d); }, cwd: tmp, defaultImage: f });
    expect(status).toBe(125);
    expect(err).toMatch(/deadlock/);
  });

  it('an internal error exits 70 with one line and no stack trace', async () => {
    let err = '';
    const status = await main(['asm', 'nop'], { stdout: () => { throw new TypeError('boom'); }, stderr: (d) => { err += String(d); }, cwd: tmp });
    expect(status).toBe(70);
    expect(err).toBe('a64emu: internal error: boom\n');
  });
});

// ---------------------------------------------------------------------------- the real binary

const BIN = join(ROOT, 'dist/emu/cli/main.js');

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

describe('a64emu binary (spawned)', () => {
  beforeAll(() => {
    if (!existsSync(BIN) || statSync(BIN).mtimeMs < newestSource(join(ROOT, 'emu'))) {
      // tsc emits even when another part of the tree does not type-check yet; the check is below.
      try { execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', ROOT], { stdio: 'ignore' }); } catch { /* see below */ }
    }
  });

  it('has a shebang, exits 0 for --version, 2 with one line for a bad option, and 124 from a run', async () => {
    expect(existsSync(BIN)).toBe(true);
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // Executed directly when the build made it executable (package.json postbuild), else through node.
    const exe = (statSync(BIN).mode & 0o111) !== 0;
    const run = (...args: string[]) => (exe ? spawnSync(BIN, args, { encoding: 'utf8' }) : spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' }));
    const v = run('--version');
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = run('run', '--bogus');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("a64emu: unknown option '--bogus'\n");
    const f = await elfFile('spawn-loop.elf', 'b .');
    const loop = run('run', '--max-insns', '100', f);
    expect(loop.status).toBe(124);
    expect(loop.stderr).toMatch(/^a64emu: instruction limit of 100 reached[^\n]*\n$/);
  });

  it('feeds standard input to the PL011 receive line without blocking the run', async () => {
    const f = await elfFile('echo.elf', ECHO_UNTIL_Q); // echo-guest.ts
    const r = spawnSync(process.execPath, [BIN, 'run', '--smp', '1', '--max-insns', '2G', f], { encoding: 'utf8', input: 'hello q', timeout: 60_000 });
    expect(r.stdout).toBe('hello q');
    expect(r.status).toBe(5);
  });
});
