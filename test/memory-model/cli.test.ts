// --memory-model on the command line, and the trace's stale-read events.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../emu/cli/main.js';

async function cli(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const s = (d: string | Uint8Array) => (typeof d === 'string' ? d : Buffer.from(d).toString('latin1'));
  const status = await main(args, { stdout: (d) => out.push(s(d)), stderr: (d) => err.push(s(d)), cwd: process.cwd() });
  return { status, out: out.join(''), err: err.join('') };
}

describe('run --memory-model', () => {
  it('rejects a model it does not know, with status 2 and one line', async () => {
    const r = await cli(['run', '--memory-model', 'tso', 'firmware/images/smp-selftest.elf']);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--memory-model.*must be sc or arm/);
  });

  it('arm: the trace shows loads that read an older write, and which write (JSON Lines and binary)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a64emu-mm-'));
    try {
      for (const file of ['t.jsonl', 't.a64t']) {
        const r = await cli(['run', '--smp', '4', '--memory-model', 'arm', '--seed', '1', '--max-insns', '300000',
          '--trace', join(dir, file), '--trace-filter', 'kind=stale,mem', 'firmware/images/smp-selftest.elf']);
        expect(r.status).toBe(124); // the instruction limit
      }
      expect((await cli(['trace', 'convert', join(dir, 't.a64t'), '--to', 'jsonl', '-o', join(dir, 'c.jsonl')])).status).toBe(0);
      for (const file of ['t.jsonl', 'c.jsonl']) {
        const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        const k = lines.findIndex((e) => e.t === 'stale' && e.by !== undefined);
        expect(k).toBeGreaterThanOrEqual(0);
        const st = lines[k], mem = lines.slice(k + 1).find((e) => e.t === 'mem' && e.core === st.core)!;
        expect(mem.seq).toBe(st.seq); // the access it concerns follows
        expect(BigInt(mem.pa as string) & ~7n).toBe(BigInt(st.pa as string));
        expect(st.w as number).toBeLessThan(st.newest as number);
      }
      // sc: no stale reads
      const r = await cli(['run', '--smp', '4', '--max-insns', '300000', '--trace', join(dir, 's.jsonl'), '--trace-filter', 'kind=stale', 'firmware/images/smp-selftest.elf']);
      expect(r.status).toBe(124);
      expect(readFileSync(join(dir, 's.jsonl'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
