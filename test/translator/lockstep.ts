// The lock-step harness of the translator's edge tests: the same program on an interpreting core and
// on cores translating it, run in slices of varying budgets and compared after every slice on the PC,
// every general and SIMD&FP register, the flags, the EL, DAIF and the instruction count. The
// translating cores: each back end with every region translated at its first execution ('wasm', 'js'),
// and the WebAssembly back end with regions translated only where code is entered often but every
// stepping variant written at once ('step'), so that the slices that start or end inside a region run
// in stepping variants.

import { expect } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { wordBytes } from '../harness.js';

export interface Core { m: Machine; c: Cpu }

/** The step core's translation threshold: high enough that words a slice starts at after a jump or
 * an exception (a slice that resumes where the last was cut is no entry: Cpu.cutLo) do not get a
 * region of their own at once. */
const STEP_CORE_THRESHOLD = 8;

/** A one-core machine running words at RAM_BASE, interpreted (false) or translated (see the top);
 * setup prepares it further (the same for every core). */
export function core(words: number[], jit: false | 'wasm' | 'js' | 'step', setup?: (m: Machine, c: Cpu) => void): Core {
  const m = new Machine({ smp: 1, ramMiB: 16, jit: jit !== false, jitBackend: jit === false ? undefined : jit === 'step' ? 'wasm' : jit, stdout: () => {}, stderr: () => {} });
  if (m.translator !== null) {
    m.translator.threshold = jit === 'step' ? STEP_CORE_THRESHOLD : 1;
    m.translator.stepThreshold = 1;
  }
  m.ram.load(RAM_BASE, wordBytes(words));
  const c = m.cores[0];
  c.pcLo = RAM_BASE; c.pcHi = 0;
  setup?.(m, c);
  return { m, c };
}

export const state = (c: Cpu): string =>
  `pc=${c.pcHi >>> 0}:${c.pcLo >>> 0} n=${c.icount} nzcv=${c.nzcv} el=${c.el} daif=${c.daif} x=${Array.from(c.x).join(',')} v=${Array.from(c.vw).join(',')}`;

/** Budgets that end slices at every kind of place. */
export const SLICES = [1, 2, 3, 5, 7, 8, 9, 11, 13, 17, 4, 6, 10, 12, 64, 100];

/** Run the interpreter and the translating cores in slices of budgets from `budgets` (cycled) for
 * `total` instructions; compare after each. */
export function lockstep(words: number[], budgets: number[], total: number, setup?: (m: Machine, c: Cpu) => void): { interp: Core; wasm: Core; js: Core; step: Core } {
  const interp = core(words, false, setup), wasm = core(words, 'wasm', setup), js = core(words, 'js', setup), step = core(words, 'step', setup);
  expect(wasm.m.translator?.backend).toBe('wasm');
  expect(js.m.translator?.backend).toBe('js');
  let done = 0;
  for (let k = 0; done < total; k++) {
    const n = budgets[k % budgets.length];
    const ra = interp.c.run(n);
    for (const [name, t] of [['wasm', wasm], ['js', js], ['step', step]] as const) {
      expect(t.c.run(n), `${name}, slice ${k}`).toBe(ra);
      expect(state(t.c), `${name}, slice ${k}`).toBe(state(interp.c));
    }
    done += n;
  }
  for (const t of [wasm, js]) expect(t.m.translationStats().compiled).toBeGreaterThan(0);
  return { interp, wasm, js, step };
}
