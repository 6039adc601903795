// `trace timeline`: a self-contained HTML page (inline CSS and JavaScript, no network) drawing one lane
// per core over virtual time, showing when the core ran, slept (WFE/WFI) and ran an exception handler
// (exception taken until ERET), with SGIs as arrows from the sender's lane at the send to the target's
// lane at its acknowledgement (or straight down/up at the send time when never acknowledged, or
// acknowledged at a time behind the send: cores' clocks drift apart within a scheduling quantum).
//
// The intervals are computed here, in Node, while the trace streams past: only state changes are kept
// (per core, a time array and a state array), so a trace of millions of instructions becomes a few
// compact arrays. The page draws them on a canvas, culling to the visible range; mouse wheel zooms
// around the pointer, dragging pans, double click (or 0) resets; the view is kept in the URL
// (#from=TIME&to=TIME), so a link can open the page zoomed in.

import type { TraceEvent } from './reader.js';

export const LaneState = { Off: 0, Running: 1, Asleep: 2, Exception: 3 } as const;

/** Colours of the lane states and of SGI arrows (also used by the screenshot test). */
export const COLOURS = {
  running: '#2e9e44',
  asleep: '#5b8def',
  exception: '#f0932b',
  sgi: '#d00000',
  track: '#eeeeee',
  background: '#ffffff',
} as const;

/** Page layout in CSS pixels (shared by the page's script and the screenshot test). */
export const LAYOUT = {
  /** Height of the header (title, legend, status) above the canvas. */
  header: 48,
  /** Left gutter with the lane names. */
  gutter: 72,
  right: 12,
  /** Time axis below the lanes. */
  axis: 30,
  /** Fraction of a lane's height the bar fills (centred). */
  bar: 0.5,
  /** Fraction of the span added on each side in the initial view. */
  pad: 0.02,
} as const;

/** Geometry of lane k of n in a page whose viewport is width x height CSS pixels, showing [v0, v1]. */
export function laneGeometry(k: number, n: number, width: number, height: number): { top: number; bottom: number; mid: number; barTop: number; barBottom: number } {
  const h = height - LAYOUT.header - LAYOUT.axis;
  const laneH = h / n;
  const top = LAYOUT.header + k * laneH;
  const mid = top + laneH / 2;
  return { top, bottom: top + laneH, mid, barTop: mid - (laneH * LAYOUT.bar) / 2, barBottom: mid + (laneH * LAYOUT.bar) / 2 };
}

/** x of time t (relative to the trace's t0) in the initial view of a trace spanning [0, span]. */
export function initialX(t: number, span: number, width: number): number {
  const s = span > 0 ? span : 1;
  const v0 = -s * LAYOUT.pad, v1 = s * (1 + LAYOUT.pad);
  return LAYOUT.gutter + ((t - v0) / (v1 - v0)) * (width - LAYOUT.gutter - LAYOUT.right);
}

export interface TimelineData {
  title: string;
  /** Absolute time of the first event; every time below is relative to it. */
  t0: number;
  span: number;
  cores: { core: number; insns: number; ts: number[]; st: number[] }[];
  /** SGIs, one entry per target: send time, sender, target, receive (ack) time or -1. */
  sgi: { t: number[]; from: number[]; to: number[]; rt: number[] };
}

interface CoreState { core: number; insns: number; started: boolean; asleep: boolean; depth: number; off: boolean; last: number; ts: number[]; st: number[] }

const PSCI_CPU_OFF = 0x84000002;

export class TimelineBuilder {
  private cores = new Map<number, CoreState>();
  private t0 = -1;
  private tEnd = 0;
  private sgi = { t: [] as number[], from: [] as number[], to: [] as number[], rt: [] as number[] };
  /** Unacknowledged SGIs per "target:intid", oldest first (indices into sgi). */
  private pending = new Map<string, number[]>();

  add(ev: TraceEvent): void {
    const t = ev.time;
    if (this.t0 < 0 || t < this.t0) this.t0 = t;
    if (t > this.tEnd) this.tEnd = t;
    let c = this.cores.get(ev.core);
    if (c === undefined) {
      c = { core: ev.core, insns: 0, started: false, asleep: false, depth: 0, off: false, last: t, ts: [], st: [] };
      this.cores.set(ev.core, c);
    }
    // A core's own events are in order; an event another core caused (a wake) carries that core's
    // time, which the emulator keeps at or after this core's clock (and if a trace had it behind, the
    // core's time would still not go backwards here).
    const time = Math.max(t, c.last);
    c.last = time;
    switch (ev.t) {
      case 'insn': c.insns++; c.asleep = false; c.off = false; break;
      case 'exc': c.depth++; c.asleep = false; c.off = false; break;
      case 'eret': c.depth = Math.max(0, c.depth - 1); break;
      case 'sleep': c.asleep = true; break;
      case 'wake': c.asleep = false; c.off = false; break;
      case 'psci':
        if (Number(ev.fn) === PSCI_CPU_OFF || ev.fn === '0x84000002') c.off = true;
        break;
      case 'sgi': {
        for (const target of ev.targets as number[]) {
          const i = this.sgi.t.length;
          this.sgi.t.push(time); this.sgi.from.push(ev.core); this.sgi.to.push(target); this.sgi.rt.push(-1);
          const key = `${target}:${String(ev.intid)}`;
          let q = this.pending.get(key);
          if (q === undefined) { q = []; this.pending.set(key, q); }
          q.push(i);
          if (q.length > 4096) q.shift(); // never acknowledged: stop tracking the oldest
        }
        break;
      }
      case 'ack': {
        // Every SGI pending for this target and INTID is delivered by this acknowledgement (an SGI
        // sent while the same one is pending is not delivered twice).
        const key = `${ev.core}:${String(ev.intid)}`;
        const q = this.pending.get(key);
        if (q !== undefined) {
          for (const i of q) this.sgi.rt[i] = Math.max(time, this.sgi.t[i]);
          this.pending.delete(key);
        }
        break;
      }
      default: break;
    }
    const state = c.off ? LaneState.Off : c.asleep ? LaneState.Asleep : c.depth > 0 ? LaneState.Exception : LaneState.Running;
    if (!c.started) {
      c.started = true;
      c.ts.push(time); c.st.push(state);
    } else if (c.st[c.st.length - 1] !== state) {
      if (c.ts[c.ts.length - 1] === time) {
        // Two changes at one time: the later one wins (merge with the previous segment if equal).
        c.st[c.st.length - 1] = state;
        if (c.st.length >= 2 && c.st[c.st.length - 2] === state) { c.st.pop(); c.ts.pop(); }
      } else {
        c.ts.push(time); c.st.push(state);
      }
    }
  }

  result(title: string): TimelineData {
    const t0 = Math.max(0, this.t0);
    const cores = [...this.cores.values()].sort((a, b) => a.core - b.core).map((c) => {
      const ts = c.ts.map((x) => x - t0), st = c.st.slice();
      // Close the last segment: a sleeping core sleeps to the end of the trace; a running one stops
      // at its own last event.
      const lastState = st[st.length - 1];
      const end = lastState === LaneState.Asleep ? this.tEnd - t0 : Math.max(c.last - t0, ts[ts.length - 1]);
      ts.push(end); st.push(LaneState.Off);
      return { core: c.core, insns: c.insns, ts, st };
    });
    // SGIs sorted by send time (the page searches them by time); times relative to t0.
    const order = this.sgi.t.map((_, i) => i).sort((a, b) => this.sgi.t[a] - this.sgi.t[b] || a - b);
    const sgi = {
      t: order.map((i) => this.sgi.t[i] - t0), from: order.map((i) => this.sgi.from[i]), to: order.map((i) => this.sgi.to[i]),
      rt: order.map((i) => (this.sgi.rt[i] < 0 ? -1 : this.sgi.rt[i] - t0)),
    };
    return { title, t0, span: Math.max(0, this.tEnd - t0), cores, sgi };
  }
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch] ?? ch));

/** The HTML page for `data`. */
export function timelineHtml(data: TimelineData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const L = LAYOUT, C = COLOURS;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(data.title)} - a64emu timeline</title>
<style>
  html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; background: ${C.background}; font: 12px system-ui, sans-serif; color: #222; }
  #head { position: absolute; left: 0; right: 0; top: 0; height: ${L.header}px; box-sizing: border-box; padding: 4px 8px; border-bottom: 1px solid #ddd; white-space: nowrap; overflow: hidden; }
  #head b { font-size: 13px; }
  .key { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 10px; vertical-align: -1px; }
  #status { color: #555; margin-top: 4px; }
  #cv { position: absolute; left: 0; top: 0; display: block; cursor: grab; }
  #cv.drag { cursor: grabbing; }
</style>
</head>
<body>
<canvas id="cv"></canvas>
<div id="head">
  <b>${esc(data.title)}</b>
  <span class="key" style="background:${C.running}"></span>running
  <span class="key" style="background:${C.asleep}"></span>asleep (WFE/WFI)
  <span class="key" style="background:${C.exception}"></span>in exception
  <span class="key" style="background:${C.sgi}"></span>SGI
  <span style="margin-left:14px;color:#777">wheel: zoom &middot; drag: pan &middot; double click or 0: reset</span>
  <div id="status"></div>
</div>
<script id="data" type="application/json">${json}</script>
<script>
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var HEADER = ${L.header}, GUTTER = ${L.gutter}, RIGHT = ${L.right}, AXIS = ${L.axis}, BAR = ${L.bar}, PAD = ${L.pad};
  var FILL = [null, "${C.running}", "${C.asleep}", "${C.exception}"];
  var NAMES = ["off", "running", "asleep", "in exception"];
  var SGI = "${C.sgi}", TRACK = "${C.track}";
  var cv = document.getElementById("cv"), ctx = cv.getContext("2d"), status = document.getElementById("status");
  var n = Math.max(1, D.cores.length), span = D.span > 0 ? D.span : 1;
  var v0, v1, W = 0, H = 0;
  function reset() { v0 = -span * PAD; v1 = span * (1 + PAD); }
  // The view is kept in the URL (#from=T&to=T, absolute ticks) so that it survives a reload and can be shared.
  function fromHash() {
    var m = /from=(-?[0-9.]+)&to=(-?[0-9.]+)/.exec(location.hash);
    if (m && +m[2] > +m[1]) { v0 = +m[1] - D.t0; v1 = +m[2] - D.t0; return true; }
    return false;
  }
  var hashTimer = 0;
  function toHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () {
      try { history.replaceState(null, "", "#from=" + Math.round(v0 + D.t0) + "&to=" + Math.round(v1 + D.t0)); } catch (e) { /* file: URLs may refuse */ }
    }, 200);
  }
  if (!fromHash()) reset();
  function plotW() { return Math.max(1, W - GUTTER - RIGHT); }
  function xOf(t) { return GUTTER + (t - v0) / (v1 - v0) * plotW(); }
  function tOf(x) { return v0 + (x - GUTTER) / plotW() * (v1 - v0); }
  function lane(k) {
    var h = (H - HEADER - AXIS) / n, top = HEADER + k * h, mid = top + h / 2;
    return { top: top, h: h, mid: mid, barTop: mid - h * BAR / 2, barH: h * BAR };
  }
  function firstAtOrAfter(a, t) { var lo = 0, hi = a.length; while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < t) lo = m + 1; else hi = m; } return lo; }
  function niceStep(range, px) {
    var raw = range / Math.max(1, px / 110), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  }
  function fmt(t) { return Math.round(t + D.t0).toLocaleString("en-US"); }
  function resize() {
    var dpr = window.devicePixelRatio || 1;
    W = window.innerWidth; H = window.innerHeight;
    cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    cv.style.width = W + "px"; cv.style.height = H + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }
  function draw() {
    ctx.fillStyle = "${C.background}"; ctx.fillRect(0, 0, W, H);
    var x0 = GUTTER, x1 = W - RIGHT;
    ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle";
    for (var k = 0; k < D.cores.length; k++) {
      var c = D.cores[k], g = lane(k);
      ctx.fillStyle = "#222"; ctx.textAlign = "left";
      ctx.fillText("core " + c.core, 6, g.mid);
      ctx.fillStyle = TRACK; ctx.fillRect(x0, g.barTop, x1 - x0, g.barH);
      var ts = c.ts, st = c.st;
      var i = Math.max(0, firstAtOrAfter(ts, v0) - 1);
      var lastPx = -1, lastState = -1;
      for (; i < ts.length - 1 && ts[i] <= v1; i++) {
        var s = st[i]; if (!s) continue;
        var a = Math.max(x0, xOf(ts[i])), b = Math.min(x1, xOf(ts[i + 1]));
        if (b < x0 || a > x1) continue;
        if (b - a < 1) { // sub-pixel segment: at most one per pixel column and state
          var px = Math.floor(a);
          if (px === lastPx && s === lastState) continue;
          lastPx = px; lastState = s; a = px; b = px + 1;
        }
        ctx.fillStyle = FILL[s]; ctx.fillRect(a, g.barTop, b - a, g.barH);
      }
    }
    // SGI arrows.
    ctx.strokeStyle = SGI; ctx.fillStyle = SGI; ctx.lineWidth = 2;
    var S = D.sgi, lastKey = "";
    var j = firstAtOrAfter(S.t, v0 - (v1 - v0));
    for (; j < S.t.length && S.t[j] <= v1; j++) {
      var fromK = idx[S.from[j]], toK = idx[S.to[j]];
      if (fromK === undefined || toK === undefined) continue;
      var rt = S.rt[j] >= 0 ? S.rt[j] : S.t[j];
      if (rt < v0) continue;
      var ax = xOf(S.t[j]), bx = xOf(rt), gf = lane(fromK), gt = lane(toK);
      var key = Math.round(ax) + ":" + Math.round(bx) + ":" + fromK + ":" + toK;
      if (key === lastKey) continue; lastKey = key;
      arrow(ax, gf.mid, bx, gt.mid, fromK === toK ? 0 : gt.barH / 2);
    }
    // Time axis.
    var y = H - AXIS;
    ctx.strokeStyle = "#888"; ctx.lineWidth = 1; ctx.fillStyle = "#333";
    ctx.beginPath(); ctx.moveTo(x0, y + 0.5); ctx.lineTo(x1, y + 0.5); ctx.stroke();
    var step = niceStep(v1 - v0, x1 - x0), t = Math.ceil(v0 / step) * step;
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (; t <= v1; t += step) {
      var x = Math.round(xOf(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x, y + 5); ctx.stroke();
      var label = fmt(t), half = ctx.measureText(label).width / 2;
      if (x + half <= W - 2 && x - half >= 40) ctx.fillText(label, x, y + 8);
    }
    ctx.textAlign = "left"; ctx.fillText("ticks", 6, y + 8);
    if (interacted) toHash();
  }
  var interacted = false;
  window.addEventListener("wheel", function () { interacted = true; }, { capture: true, passive: true });
  window.addEventListener("mousedown", function () { interacted = true; }, true);
  window.addEventListener("keydown", function () { interacted = true; }, true);
  window.addEventListener("hashchange", function () { if (fromHash()) draw(); });
  function arrow(ax, ay, bx, by, stop) {
    var dx = bx - ax, dy = by - ay, len = Math.sqrt(dx * dx + dy * dy);
    if (len < 1) { ctx.beginPath(); ctx.arc(ax, ay, 3, 0, 2 * Math.PI); ctx.fill(); return; }
    var ux = dx / len, uy = dy / len, ex = bx - ux * stop, ey = by - uy * stop;
    ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(ex, ey); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(ex, ey);
    ctx.lineTo(ex - ux * 9 - uy * 4.5, ey - uy * 9 + ux * 4.5);
    ctx.lineTo(ex - ux * 9 + uy * 4.5, ey - uy * 9 - ux * 4.5);
    ctx.closePath(); ctx.fill();
  }
  var idx = {};
  D.cores.forEach(function (c, k) { idx[c.core] = k; });
  function stateAt(c, t) {
    var i = firstAtOrAfter(c.ts, t + 1e-9) - 1;
    return i < 0 || i >= c.ts.length - 1 ? 0 : c.st[i];
  }
  function describe(x, y) {
    var t = tOf(x), s = "time " + fmt(t) + "  (view " + fmt(v0) + " .. " + fmt(v1) + ")";
    for (var k = 0; k < D.cores.length; k++) {
      var g = lane(k);
      if (y >= g.top && y < g.top + g.h) s += "  core " + D.cores[k].core + ": " + NAMES[stateAt(D.cores[k], t)];
    }
    status.textContent = s;
  }
  function zoom(factor, x) {
    var t = tOf(x), w = (v1 - v0) * factor;
    w = Math.max(w, 1e-3); w = Math.min(w, span * 1000);
    v0 = t - (x - GUTTER) / plotW() * w; v1 = v0 + w; draw();
  }
  cv.addEventListener("wheel", function (e) {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) { var d = (e.deltaX || e.deltaY) / plotW() * (v1 - v0); v0 += d; v1 += d; draw(); }
    else zoom(Math.exp(e.deltaY * 0.0015), e.offsetX);
  }, { passive: false });
  var dragX = null, dragV0 = 0;
  cv.addEventListener("mousedown", function (e) { dragX = e.clientX; dragV0 = v0; cv.classList.add("drag"); });
  window.addEventListener("mouseup", function () { dragX = null; cv.classList.remove("drag"); });
  window.addEventListener("mousemove", function (e) {
    if (dragX !== null) { var w = v1 - v0; v0 = dragV0 - (e.clientX - dragX) / plotW() * w; v1 = v0 + w; draw(); }
    describe(e.clientX, e.clientY);
  });
  cv.addEventListener("dblclick", function () { reset(); draw(); });
  window.addEventListener("keydown", function (e) {
    if (e.key === "0") { reset(); draw(); }
    else if (e.key === "+" || e.key === "=") zoom(0.5, GUTTER + plotW() / 2);
    else if (e.key === "-") zoom(2, GUTTER + plotW() / 2);
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") { var d = (e.key === "ArrowLeft" ? -0.1 : 0.1) * (v1 - v0); v0 += d; v1 += d; draw(); }
  });
  window.addEventListener("resize", resize);
  var insns = D.cores.reduce(function (a, c) { return a + c.insns; }, 0);
  status.textContent = D.cores.length + " cores, " + insns.toLocaleString("en-US") + " instructions, " + D.sgi.t.length + " SGI deliveries, time " + fmt(0) + " .. " + fmt(span);
  resize();
})();
</script>
</body>
</html>
`;
}
