// The device options of `a64emu run`: --drive (errors exit 2 with one line; the image is changed
// only with snapshot=off), --device, --rtc and --rtc-base. The virtio machine guest drives the disks.

import { describe, it, expect } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliIn } from './run-cli.js';
// @ts-expect-error -- a plain ES module, shared with tools/build-machine-guests.sh
import { diskImages, writeDiskImages } from '../machine-guests/disks.mjs';

const GUEST = resolve('test/machine-guests/bin/virtio.elf');
const tmp = mkdtempSync(join(tmpdir(), 'a64emu-devcli-'));
const cli = cliIn(tmp);

function expectUsage(r: { status: number; out: string; err: string }, re: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.err).toMatch(/^a64emu: [^\n]*\n$/);
  expect(r.err).toMatch(re);
}

describe('run: device options', () => {
  it('a missing, unreadable, directory or odd-sized image exits 2 with one line', async () => {
    writeFileSync(join(tmp, 'odd.img'), new Uint8Array(1000));
    writeFileSync(join(tmp, 'locked.img'), new Uint8Array(512));
    chmodSync(join(tmp, 'locked.img'), 0);
    mkdirSync(join(tmp, 'dir.img'), { recursive: true });
    expectUsage(await cli('run', '--drive', 'file=nope.img', GUEST), /cannot open disk image nope\.img: no such file/);
    expectUsage(await cli('run', '--drive', 'file=odd.img', GUEST), /cannot use disk image odd\.img: size 1000 is not a multiple of 512/);
    expectUsage(await cli('run', '--drive', 'file=dir.img', GUEST), /cannot open disk image dir\.img: is a directory/);
    if (process.getuid?.() !== 0) expectUsage(await cli('run', '--drive', 'file=locked.img', GUEST), /permission denied/);
    expectUsage(await cli('run', '--drive', 'file=odd.img,format=qcow2', GUEST), /bad --drive .*format 'qcow2' is not supported/);
    expectUsage(await cli('run', '--drive', 'readonly=on', GUEST), /bad --drive .*no file= given/);
  });

  it('bad --device, --rtc and --rtc-base exit 2 with one line', async () => {
    expectUsage(await cli('run', '--device', 'virtio-gpu-device', GUEST), /unknown --device 'virtio-gpu-device'/);
    expectUsage(await cli('run', '--rtc', 'utc', GUEST), /--rtc must be vm or host/);
    expectUsage(await cli('run', '--rtc-base', '2024-02-30', GUEST), /bad --rtc-base '2024-02-30'/);
    expectUsage(await cli('run', '--rtc', 'host', '--rtc-base', '0', GUEST), /--rtc-base is for the virtual clock/);
  });

  it('the virtio guest passes; its writes stay in memory unless snapshot=off', async () => {
    const dir = mkdtempSync(join(tmp, 'disks-'));
    const { disk0, disk1 } = writeDiskImages(dir) as { disk0: string; disk1: string };
    const orig = diskImages() as { disk0: Uint8Array; disk1: Uint8Array };
    const args = ['--drive', `file=${disk0},serial=a64emu-disk0`, '--drive', `file=${disk1},readonly=on`, '--device', 'virtio-rng-device', '--rtc-base', '2030-06-01'];
    const r = await cli('run', ...args, GUEST);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/virtio: pass\n$/);
    expect(r.status).toBe(0);
    expect(readFileSync(disk0).equals(orig.disk0)).toBe(true);
    args[1] += ',snapshot=off';
    const w = await cli('run', ...args, GUEST);
    expect(w.status).toBe(0);
    const after = readFileSync(disk0);
    expect(after.subarray(5 * 512, 6 * 512)).toEqual(Buffer.from(Uint8Array.from({ length: 512 }, (_, k) => k ^ 0xa5)));
    expect(after.subarray(0, 5 * 512).equals(orig.disk0.subarray(0, 5 * 512))).toBe(true);
    // the second run found its own write: sector 5 was no longer the pattern
    const again = await cli('run', ...args, GUEST);
    expect(again.out).toContain('blk: sector 5 was the pattern 0');
    expect(again.status).toBe(1);
  });
});

describe('dtb --seed', () => {
  it('gives the /chosen seeds of a run with that --seed', async () => {
    const a = await cli('dtb', '--seed', '3'), b = await cli('dtb', '--seed', '3'), c = await cli('dtb', '--seed', '4');
    expect(a.status).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
  });
});
