// `a64emu trace timeline`: the intervals computed from a trace, the self-contained page, and the page
// rendered by headless Chromium (Debian's chromium package; CI installs it) with pixels of the
// screenshot checked: lane colours at known times, SGI arrows between lanes, nothing where nothing is.

import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { COLOURS, LAYOUT, LaneState, TimelineBuilder, initialX, laneGeometry } from '../../emu/trace/timeline.js';
import { describeWithTools } from '../oracle-env.js';
import { Ev, toJsonl } from './fixtures/synth.js';
import { cliIn } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'a64emu-timeline-'));

const cli = cliIn(tmp);

/** A 4-core trace over ticks 0..10000 with known intervals:
 *  core 0 runs throughout and sends SGI 0 to core 3 at 4000 (acknowledged at 4600) and to core 1 at
 *  8000 (acknowledged at 8000); core 1 sleeps in WFE from 2000 to 8000; core 2 is in an IRQ handler
 *  from 3000 to 7000; core 3 runs throughout. */
function laneTrace(): Ev[] {
  const evs: Ev[] = [];
  const seq = [0, 0, 0, 0];
  const insn = (core: number, time: number, sym = 'main'): void => {
    evs.push({ t: 'insn', core, seq: ++seq[core], time, pc: '0x40080000', op: 'd503201f', el: 1, sp: 'h', cf: false, dis: 'nop', sym });
  };
  for (let t = 0; t <= 10000; t += 50) {
    insn(0, t);
    if (t < 2000 || t >= 8000) insn(1, t);
    if (t === 2000) evs.push({ t: 'sleep', core: 1, time: 2000, why: 'wfe' });
    if (t === 3000) evs.push({ t: 'exc', core: 2, time: 3000, kind: 'irq', from: 1, to: 1, esr: '0x0', elr: '0x40080000', vec: '0x40000280' });
    insn(2, t, t >= 3000 && t < 7000 ? 'irq_handler' : 'main');
    if (t === 6950) evs.push({ t: 'eret', core: 2, seq: seq[2], time: 7000, from: 1, to: 1, pc: '0x40080000' });
    insn(3, t);
    if (t === 4000) evs.push({ t: 'sgi', core: 0, seq: seq[0], time: 4000, targets: [3], intid: 0, val: '0x8' });
    if (t === 4600) evs.push({ t: 'ack', core: 3, time: 4600, intid: 0 });
    if (t === 8000) {
      evs.push({ t: 'sgi', core: 0, seq: seq[0], time: 8000, targets: [1], intid: 1, val: '0x1000002' });
      evs.push({ t: 'wake', core: 1, time: 8000, cause: 'irq' });
      evs.push({ t: 'ack', core: 1, time: 8000, intid: 1 });
    }
  }
  return evs.sort((a, b) => a.time - b.time);
}

describe('timeline intervals', () => {
  it('computes running, asleep and in-exception intervals per core, and SGI deliveries', () => {
    const b = new TimelineBuilder();
    for (const e of laneTrace()) b.add(e);
    const d = b.result('t');
    expect(d.t0).toBe(0);
    expect(d.span).toBe(10000);
    const seg = (k: number): [number, number][] => d.cores[k].ts.map((t, i) => [t, d.cores[k].st[i]]);
    expect(seg(0)).toEqual([[0, LaneState.Running], [10000, LaneState.Off]]);
    expect(seg(1)).toEqual([[0, LaneState.Running], [2000, LaneState.Asleep], [8000, LaneState.Running], [10000, LaneState.Off]]);
    expect(seg(2)).toEqual([[0, LaneState.Running], [3000, LaneState.Exception], [7000, LaneState.Running], [10000, LaneState.Off]]);
    expect(d.sgi).toEqual({ t: [4000, 8000], from: [0, 0], to: [3, 1], rt: [4600, 8000] });
    expect(d.cores.map((c) => c.insns)).toEqual([201, 81, 201, 201]);
  });

  it('keeps a core\'s time from going backwards, and counts a wake behind the sleeper\'s clock as no sleep', () => {
    const b = new TimelineBuilder();
    const evs: Ev[] = [
      { t: 'insn', core: 0, seq: 1, time: 100, pc: '0x0' },
      { t: 'sleep', core: 0, time: 101, why: 'wfe' },
      { t: 'wake', core: 0, time: 90, cause: 'monitor', by: 1 }, // the waker's clock was behind
      { t: 'insn', core: 0, seq: 2, time: 101, pc: '0x4' },
      { t: 'insn', core: 0, seq: 3, time: 200, pc: '0x8' },
    ];
    for (const e of evs) b.add(e);
    const d = b.result('t');
    expect(d.t0).toBe(90);
    expect(d.cores[0].ts.map((t, i) => [t, d.cores[0].st[i]])).toEqual([[10, LaneState.Running], [110, LaneState.Off]]);
  });
});

describe('trace timeline command', () => {
  it('writes a self-contained HTML page', async () => {
    writeFileSync(join(tmp, 'lanes.jsonl'), toJsonl(laneTrace()));
    const r = await cli('trace', 'timeline', 'lanes.jsonl', '-o', 'lanes.html', '--title', 'Lanes <test>');
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(join(tmp, 'lanes.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>Lanes &lt;test&gt; - a64emu timeline</title>');
    expect(html).toContain('<canvas');
    // No network: no external scripts, styles, images or fonts.
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    const data = JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);
    expect(data.cores.length).toBe(4);
    const missing = await cli('trace', 'timeline', 'lanes.jsonl');
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/^a64emu: .*-o, --output/);
  });
});

// ------------------------------------------------------------------ PNG decoding (8-bit RGB/RGBA)

interface Image { width: number; height: number; px(x: number, y: number): [number, number, number] }

function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString('latin1', off + 4, off + 8), body = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { width = body.readUInt32BE(0); height = body.readUInt32BE(4); depth = body[8]; colour = body[9]; interlace = body[12]; }
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth} colour ${colour} interlace ${interlace}`);
  const bpp = colour === 6 ? 4 : 3, stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1, dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i];
      const a = i >= bpp ? out[dst + i - bpp] : 0, b = y > 0 ? out[dst - stride + i] : 0, c = i >= bpp && y > 0 ? out[dst - stride + i - bpp] : 0;
      let v: number;
      switch (f) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c); break; }
        default: throw new Error(`bad PNG filter ${f}`);
      }
      out[dst + i] = v & 0xff;
    }
  }
  return { width, height, px: (x, y) => { const o = Math.round(y) * stride + Math.round(x) * bpp; return [out[o], out[o + 1], out[o + 2]]; } };
}

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const near = (p: [number, number, number], q: [number, number, number], tol = 24): boolean => p.every((v, i) => Math.abs(v - q[i]) <= tol);
const show = (p: [number, number, number]): string => `rgb(${p.join(',')})`;

function screenshot(html: string, png: string): Image {
  const r = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'a64emu-chromium-'))}`, `--screenshot=${png}`, '--window-size=1200,600',
    `file://${html}`], { encoding: 'utf8', timeout: 90_000 });
  if (r.status !== 0) throw new Error(`chromium failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return decodePng(readFileSync(png));
}

describeWithTools('trace timeline in headless Chromium', ['chromium'], () => {
  it('draws each core\'s lane in the colour of its state, and SGI arrows between lanes', async () => {
    writeFileSync(join(tmp, 'lanes.jsonl'), toJsonl(laneTrace()));
    expect((await cli('trace', 'timeline', 'lanes.jsonl', '-o', 'lanes.html')).status).toBe(0);
    const img = screenshot(join(tmp, 'lanes.html'), join(tmp, 'lanes.png'));
    expect(img.width).toBeGreaterThan(600);
    const W = img.width, H = img.height, span = 10000;
    const x = (t: number): number => initialX(t, span, W);
    const lane = (k: number): ReturnType<typeof laneGeometry> => laneGeometry(k, 4, W, H);
    const at = (t: number, k: number): [number, number, number] => img.px(x(t), lane(k).mid);
    const RUN = rgb(COLOURS.running), SLEEP = rgb(COLOURS.asleep), EXC = rgb(COLOURS.exception), SGI = rgb(COLOURS.sgi);
    const TRACK = rgb(COLOURS.track), BG = rgb(COLOURS.background);
    const expectColour = (t: number, k: number, c: [number, number, number], what: string): void => {
      const p = at(t, k);
      expect(near(p, c), `core ${k} at ${t} should be ${what} (${show(c)}), is ${show(p)}`).toBe(true);
    };
    for (const k of [0, 1, 2, 3]) expectColour(1000, k, RUN, 'running');
    expectColour(5000, 0, RUN, 'running');
    expectColour(5000, 1, SLEEP, 'asleep');
    expectColour(3500, 1, SLEEP, 'asleep');
    expectColour(5000, 2, EXC, 'in exception');
    expectColour(5000, 3, RUN, 'running');
    expectColour(9000, 1, RUN, 'running');
    expectColour(9000, 2, RUN, 'running');
    // Before the first event: the empty track.
    expectColour(-150, 0, TRACK, 'the empty track');

    // An arrow crosses the gap between two lanes' bars at the expected place.
    const redNear = (cx: number, y: number): boolean => {
      for (let dx = -4; dx <= 4; dx++) if (near(img.px(cx + dx, y), SGI, 60)) return true;
      return false;
    };
    const gap = (k: number): number => (lane(k).barBottom + lane(k + 1).barTop) / 2; // between lane k and k+1
    // core 0 at 4000 -> core 3 at 4600 (slanted): where it crosses each gap.
    for (const k of [0, 1, 2]) {
      const y = gap(k), f = (y - lane(0).mid) / (lane(3).mid - lane(0).mid);
      expect(redNear(x(4000) + f * (x(4600) - x(4000)), y), `SGI 0->3 arrow in the gap below lane ${k}`).toBe(true);
    }
    // core 0 -> core 1 at 8000 (vertical), not below lane 1.
    expect(redNear(x(8000), gap(0)), 'SGI 0->1 arrow').toBe(true);
    expect(redNear(x(8000), gap(2)), 'no arrow below lane 2 at 8000').toBe(false);
    // No arrows elsewhere: the gaps are background.
    for (const t of [1000, 2500, 6000, 9500]) for (const k of [0, 1, 2]) {
      const p = img.px(x(t), gap(k));
      expect(near(p, BG, 8), `background at ${t} below lane ${k}: ${show(p)}`).toBe(true);
    }
  });

  it('is usable on a trace of a million instructions (compact page, drawn in time)', async () => {
    const path = join(tmp, 'million.jsonl');
    const n = 1_248_000; // 4 cores x 312000 ticks: 1,000,000 instructions (a fifth of each period asleep)
    // 4 cores; every 10000 ticks each core sleeps for 2000 ticks (5000..7000), takes an IRQ for 2000
    // (8000..9998), and core 0 sends an SGI to the others.
    await new Promise<void>((res, rej) => {
      const w = createWriteStream(path);
      w.on('error', rej);
      let buf = '';
      const seq = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        const core = i & 3, t = i >> 2, phase = t % 10000;
        if (phase === 5000) buf += `{"t":"sleep","core":${core},"time":${t},"why":"wfe"}\n`;
        if (phase >= 5000 && phase < 7000) { if (phase === 6999) buf += `{"t":"wake","core":${core},"time":${t + 1},"cause":"sev","by":0}\n`; continue; }
        if (phase === 8000) buf += `{"t":"exc","core":${core},"time":${t},"kind":"irq","from":1,"to":1}\n`;
        if (phase === 8000 && core === 0) buf += `{"t":"sgi","core":0,"time":${t},"targets":[1,2,3],"intid":0}\n`;
        if (phase === 8001 && core !== 0) buf += `{"t":"ack","core":${core},"time":${t},"intid":0}\n`;
        buf += `{"t":"insn","core":${core},"seq":${++seq[core]},"time":${t},"pc":"0x40080000","dis":"nop","sym":"main"}\n`;
        if (phase === 9998) buf += `{"t":"eret","core":${core},"time":${t},"from":1,"to":1,"pc":"0x40080000"}\n`;
        if (buf.length > 1 << 20) { w.write(buf); buf = ''; }
      }
      w.end(buf, () => res());
    });
    const t0 = Date.now();
    const r = await cli('trace', 'timeline', 'million.jsonl', '-o', 'million.html');
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(statSync(join(tmp, 'million.html')).size).toBeLessThan(200_000);
    const data = JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(readFileSync(join(tmp, 'million.html'), 'utf8'))![1]);
    expect(data.cores.reduce((a: number, c: { insns: number }) => a + c.insns, 0)).toBe(1_000_000);
    const t1 = Date.now();
    const img = screenshot(join(tmp, 'million.html'), join(tmp, 'million.png'));
    expect(Date.now() - t1).toBeLessThan(60_000);
    {
      // Zoomed in through the URL (#from=&to=, as the page keeps it while zooming and panning):
      // 120000..140000 fills the plot, so 125000..127000 (asleep) is about 110 px wide.
      const zoomed = screenshot(`${join(tmp, 'million.html')}#from=120000&to=140000`, join(tmp, 'zoomed.png'));
      const zx = (t: number): number => LAYOUT.gutter + ((t - 120000) / 20000) * (zoomed.width - LAYOUT.gutter - LAYOUT.right);
      const zm = (k: number): number => laneGeometry(k, 4, zoomed.width, zoomed.height).mid;
      for (const [t, c] of [[121000, COLOURS.running], [125200, COLOURS.asleep], [126800, COLOURS.asleep], [127200, COLOURS.running],
        [128200, COLOURS.exception], [129800, COLOURS.exception], [131000, COLOURS.running], [135500, COLOURS.asleep], [138500, COLOURS.exception]] as const) {
        for (const k of [0, 3]) expect(near(zoomed.px(zx(t), zm(k)), rgb(c)), `zoomed: core ${k} at ${t} ${show(zoomed.px(zx(t), zm(k)))} vs ${c}`).toBe(true);
      }
    }
    const span = n / 4 - 1;
    const x = (t: number): number => initialX(t, span, img.width);
    const mid = (k: number): number => laneGeometry(k, 4, img.width, img.height).mid;
    // Each 10000-tick period is about 44 px wide in the initial view: sleep and IRQ about 9 px each.
    for (const k of [0, 1, 2, 3]) {
      expect(near(img.px(x(122_000), mid(k)), rgb(COLOURS.running)), `core ${k} running`).toBe(true);
      expect(near(img.px(x(126_000), mid(k)), rgb(COLOURS.asleep)), `core ${k} asleep`).toBe(true);
      expect(near(img.px(x(129_000), mid(k)), rgb(COLOURS.exception)), `core ${k} in exception`).toBe(true);
    }
  }, 240_000);
});
