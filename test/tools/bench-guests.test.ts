// The bench's guests (tools/bench/bin, tools/build-bench-guests.sh) compute the same thing on a64emu as
// on qemu-system-aarch64: intmark's checksum on 1 and 4 cores (the same: the work is split by
// iteration, and each iteration's CRC depends only on its index), and a lengthened program repeated
// twice (the iteration count loaded at 0x4ff00000, as the bench does; the program's static state
// carries over from one run to the next, so the repeats need not print the same). So the bench times
// correct runs, and the counts it derives QEMU's instructions from are the same program's.

import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describeWithTools } from '../oracle-env.js';
import { Machine } from '../../emu/board/machine.js';
import { loadImage } from '../../emu/loader/image.js';

const BIN = 'tools/bench/bin';
const PARAM = 0x4ff0_0000;

function ours(image: string, smp: number, scale: number, seed = 0): { out: string; status: number } {
  let out = '';
  const m = new Machine({ smp, seed, stdout: (b) => { out += Buffer.from(b).toString('latin1'); }, stderr: () => {}, maxInsns: 5e8 });
  const img = loadImage(m, readFileSync(image), { path: image });
  if (scale > 0) m.ram.load(PARAM, new Uint8Array(new Uint32Array([scale]).buffer));
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const status = m.run().status;
  return { out, status };
}

function qemu(image: string, smp: number, scale: number): { out: string; status: number | null } {
  const r = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-m', '256', '-nographic', '-semihosting',
    '-smp', String(smp), '-kernel', image, ...(scale > 0 ? ['-device', `loader,data=${scale},data-len=4,addr=0x${PARAM.toString(16)}`] : [])],
  { encoding: 'latin1', timeout: 120_000 });
  return { out: r.stdout, status: r.status };
}

describeWithTools('bench guests, as on QEMU', ['qemu-system-aarch64'], () => {
  it('intmark: the same checksum on 1 and 4 cores (and several interleavings) as QEMU', () => {
    const q = qemu(`${BIN}/intmark.elf`, 1, 0);
    expect(q.status).toBe(0);
    expect(q.out).toMatch(/^intmark: 20 iterations, checksum [0-9a-f]{8}\n$/);
    for (const [smp, seed] of [[1, 0], [4, 0], [4, 9], [3, 5]]) expect(ours(`${BIN}/intmark.elf`, smp, 0, seed)).toEqual({ out: q.out, status: 0 });
    expect(qemu(`${BIN}/intmark.elf`, 4, 0).out).toBe(q.out);
  });

  it('a lengthened program repeats as many times as the bench asks', () => {
    for (const p of ['hash-long']) {
      const q = qemu(`${BIN}/${p}.elf`, 1, 2);
      expect(q.status).toBe(0);
      const first = q.out.split('\n')[0]; // each run starts with the same title line
      expect(q.out.split(`${first}\n`).length - 1).toBe(2);
      expect(ours(`${BIN}/${p}.elf`, 1, 2)).toEqual({ out: q.out, status: 0 });
    }
  });
});

it('the bench refuses a malformed setting with status 2 and names it, before it runs anything', () => {
  for (const [name, value] of [['BENCH_SECONDS', '0'], ['BENCH_REPEAT', '2.5'], ['BENCH_SCALING_REPEAT', 'x']]) {
    const r = spawnSync(process.execPath, ['dist/tools/bench.js', 'scaling'], { encoding: 'utf8', env: { ...process.env, [name]: value }, timeout: 60_000 });
    expect(r.status, name).toBe(2);
    expect(r.stderr).toContain(`${name}=${value} is not`);
    expect(r.stdout).toBe('');
  }
});
