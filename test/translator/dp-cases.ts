// What the data-processing emitter tests (emit-dp.test.ts, wasm-emit-dp.test.ts) share: a seeded
// generator, instruction words of an encoding with fields at their edges, and register values that
// favour the edges (0, -1, INT_MIN, INT_MAX, shift counts 31/32/33/63/64).

/** xorshift32: the same cases every run. */
export function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s; };
}

export const EDGES = [0, 1, -1, 0x80000000 | 0, 0x7fffffff, 31, 32, 33, 63, 64, 0xff, 0xffff, 0x8000, 0x80];

/** A register value: random, or one of EDGES. */
export function edgeValue(rnd: () => number): number {
  const r = rnd();
  return (r & 3) === 0 ? rnd() : EDGES[(r >>> 2) % EDGES.length];
}

/** A word of the encoding pattern pat (spaces removed): each field all zeros, all ones or random (the
 * edges: XZR/SP, shift 0, imms = 31 or 63...). */
export function randomWord(pat: string, rnd: () => number): number {
  let w = 0;
  let fill = 0;
  for (let b = 0; b < 32; b++) {
    const ch = pat[b];
    if (ch !== '0' && ch !== '1' && ch !== pat[b - 1]) fill = rnd() & 3;
    const bit = ch === '0' ? 0 : ch === '1' ? 1 : fill === 0 ? 0 : fill === 1 ? 1 : rnd() & 1;
    w = (w << 1) | bit;
  }
  return w;
}

/** The low and high halves of X0..SP in an array laid out as Cpu.x (X[n] at 2n and 2n + 1). */
export function halves(x: Int32Array): [Int32Array, Int32Array] {
  const lo = new Int32Array(33), hi = new Int32Array(33);
  for (let r = 0; r < 33; r++) { lo[r] = x[2 * r]; hi[r] = x[2 * r + 1]; }
  return [lo, hi];
}

/** Set X0..SP in an array laid out as Cpu.x from their low and high halves. */
export function setHalves(x: Int32Array, lo: Int32Array, hi: Int32Array): void {
  for (let r = 0; r < 33; r++) { x[2 * r] = lo[r]; x[2 * r + 1] = hi[r]; }
}
