// The gdbstub's protocol handling with a raw TCP client (no gdb needed): acknowledgements, bad and
// malformed packets, a second connection, a port in use, detach and kill.

import { describe, it, expect } from 'vitest';
import { connect, createServer, Socket } from 'node:net';
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, startEmu } from './session.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameReader, framePacket } from '../../emu/gdbstub/packets.js';

/** A client: send raw bytes, read frames. */
class Client {
  private reader = new FrameReader();
  private frames: { kind: string; data?: string }[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly sock: Socket) {
    sock.on('data', (b) => { for (const f of this.reader.feed(b)) this.frames.push(f); this.waiters.splice(0).forEach((w) => w()); });
    sock.on('close', () => { this.closed = true; this.waiters.splice(0).forEach((w) => w()); });
  }
  static async open(port: number): Promise<Client> {
    const s = connect(port, '127.0.0.1');
    await new Promise((r, j) => { s.once('connect', r); s.once('error', j); });
    return new Client(s);
  }
  async next(): Promise<{ kind: string; data?: string }> {
    for (;;) {
      const f = this.frames.shift();
      if (f !== undefined) return f;
      if (this.closed) return { kind: 'closed' };
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  /** A monitor command: its output (O packets) up to the final OK. */
  async monitor(cmd: string): Promise<string> {
    this.sock.write(framePacket('qRcmd,' + Buffer.from(cmd).toString('hex')));
    expect((await this.next()).kind).toBe('ack');
    let text = '';
    for (;;) {
      const r = await this.next();
      expect(r.kind).toBe('packet');
      this.sock.write('+');
      if (r.data === 'OK') return text;
      expect(r.data![0]).toBe('O');
      text += Buffer.from(r.data!.slice(1), 'hex').toString();
    }
  }

  /** Send a packet; expect '+', return the reply packet's payload. */
  async ask(payload: string): Promise<string> {
    this.sock.write(framePacket(payload));
    const ack = await this.next();
    expect(ack.kind).toBe('ack');
    const r = await this.next();
    expect(r.kind).toBe('packet');
    this.sock.write('+');
    return r.data!;
  }
}

describe('gdbstub protocol', () => {
  it('frames, escapes and checksums packets', () => {
    const r = new FrameReader();
    const f = framePacket('X1,2:}#$*');
    expect(f.toString('latin1')).toMatch(/^\$X1,2:\}\]\}\x03\}\x04\}\n#[0-9a-f]{2}$/);
    expect(r.feed(f)).toEqual([{ kind: 'packet', data: 'X1,2:}#$*' }]);
    expect(r.feed(Buffer.from('$g#00'))).toEqual([{ kind: 'bad' }]);
    expect(r.feed(Buffer.from('+-\x03$g#zz'))).toEqual([{ kind: 'ack' }, { kind: 'nak' }, { kind: 'interrupt' }, { kind: 'bad' }]);
    expect(r.feed(Buffer.from('$' + 'a'.repeat(0x5000) + '#00'))).toEqual([{ kind: 'bad' }]);
  });

  it('answers bad and malformed packets as the protocol says, refuses a second connection, and keeps working', async () => {
    const emu = await startEmu(['--smp', '2', '-S']);
    try {
      const c = await Client.open(emu.port);
      c.sock.write('$g#00'); // wrong checksum: NAK
      expect((await c.next()).kind).toBe('nak');
      c.sock.write('garbage\x01\x02');
      expect(await c.ask('qSupported:swbreak+')).toMatch(/PacketSize=[0-9a-f]+;qXfer:features:read\+;.*ReverseStep\+/);
      expect(await c.ask('?')).toBe('T05thread:1;core:0;');
      expect(await c.ask('vMustReplyEmpty')).toBe('');
      expect(await c.ask('Qfoo')).toBe('');
      expect(await c.ask('mzz,4')).toBe('E01');
      expect(await c.ask('m40000000')).toBe('E01');
      expect(await c.ask('m10,4')).toBe('E14'); // not RAM
      expect(await c.ask('p1000')).toBe('E00');
      expect(await c.ask('pqq')).toBe('E01');
      expect(await c.ask('P20=12')).toBe('E00');
      expect(await c.ask('Z9,0,4')).toBe('E01');
      expect(await c.ask('Hg99')).toBe('E01');
      expect(await c.ask('T3')).toBe('E01');
      expect(await c.ask('T2')).toBe('OK');
      expect(await c.ask('vCont;x')).toBe('E01');
      expect(await c.ask('qRcmd,zz')).toBe('E01');
      expect(await c.ask('G00')).toBe('E01');
      expect(await c.ask('M40000000,2:00')).toBe('E01');
      expect(await c.ask('qfThreadInfo')).toBe('m1,2');
      expect(await c.ask('qsThreadInfo')).toBe('l');
      expect(Buffer.from(await c.ask('qThreadExtraInfo,2'), 'hex').toString()).toBe('core 1, powered off');
      // Memory through the MMU (off: flat) and back.
      expect(await c.ask('M40100000,4:deadbeef')).toBe('OK');
      expect(await c.ask('m40100000,4')).toBe('deadbeef');
      // A second debugger: refused with a message, the first goes on.
      const d = await Client.open(emu.port);
      const refusal = await d.next();
      expect(refusal).toEqual({ kind: 'packet', data: 'E.a64emu: a debugger is already attached' });
      expect((await d.next()).kind).toBe('closed');
      expect(emu.err()).toMatch(/refused a second connection/);
      expect(await c.ask('p20')).toBe('0000204000000000'); // pc = _start of the default image
      // Kill: the run ends.
      c.sock.write(framePacket('k'));
      expect(await emu.exit).toBe(0);
    } finally {
      if (emu.proc.exitCode === null) emu.proc.kill('SIGKILL');
    }
  });

  it('detach lets the run go on to its end', async () => {
    const emu = await startEmu(['--smp', '2', '-S']);
    try {
      const c = await Client.open(emu.port);
      expect(await c.ask('Z0,40200044,4')).toBe('OK');
      c.sock.write(framePacket('vCont;c'));
      expect((await c.next()).kind).toBe('ack');
      const stop = await c.next();
      expect(stop.data).toMatch(/^T05thread:2;core:1;swbreak:;$/);
      c.sock.write('+');
      expect(await c.ask('D')).toBe('OK');
      expect(await emu.exit).toBe(0);
      expect(emu.out()).toMatch(/SUMMARY: \d+ passed, 0 failed/);
    } finally {
      if (emu.proc.exitCode === null) emu.proc.kill('SIGKILL');
    }
  });

  it('Ctrl-C stops a running machine (T02), and continuing goes on', async () => {
    // A guest that runs for minutes (the bench's intmark, 10^6 iterations), so that it is still
    // running when Ctrl-C comes, however fast the host or the translator.
    const param = join(mkdtempSync(join(tmpdir(), 'a64emu-gdb-')), 'iterations');
    writeFileSync(param, Buffer.from(new Uint32Array([1_000_000]).buffer));
    const emu = await startEmu(['--smp', '4', '-S', '--load', `${param}@0x4ff00000`, join(ROOT, 'tools/bench/bin/intmark.elf')]);
    try {
      const c = await Client.open(emu.port);
      c.sock.write(framePacket('vCont;c'));
      expect((await c.next()).kind).toBe('ack');
      await new Promise((r) => setTimeout(r, 300));
      c.sock.write('\x03');
      const stop = await c.next();
      expect(stop.data).toMatch(/^T02thread:[1-4];core:[0-3];$/);
      c.sock.write('+');
      const count = async () => Number(/(\d+) in total/.exec(await c.monitor('time'))![1]);
      const n1 = await count();
      expect(n1).toBeGreaterThan(0);
      c.sock.write(framePacket('vCont;c'));
      expect((await c.next()).kind).toBe('ack');
      await new Promise((r) => setTimeout(r, 300));
      c.sock.write('\x03');
      expect((await c.next()).data).toMatch(/^T02thread:[1-4];core:[0-3];$/);
      c.sock.write('+');
      expect(await count()).toBeGreaterThan(n1);
    } finally {
      if (emu.proc.exitCode === null) emu.proc.kill('SIGKILL');
    }
  });

  it('a port in use, a bad --gdb, and -S alone exit with status 2 and one line', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [BIN, 'run', '--gdb', `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^a64emu: cannot listen for gdb on 127.0.0.1:${port}: the port is in use\\n$`));
    } finally {
      busy.close();
    }
    const bad = spawnSync(process.execPath, [BIN, 'run', '--gdb', 'nonsense'], { encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^a64emu: bad --gdb nonsense[^\n]*\n$/);
    const h = spawnSync(process.execPath, [BIN, 'run', '--gdb-history', '64'], { encoding: 'utf8', timeout: 30_000 });
    expect(h.status).toBe(2);
    expect(h.stderr).toMatch(/^a64emu: --gdb-history is for --gdb or -s\n$/);
    const s = spawnSync(process.execPath, [BIN, 'run', '-S'], { encoding: 'utf8', timeout: 30_000 });
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/^a64emu: -S waits for a debugger[^\n]*\n$/);
  });
});
