// emit-dp.ts against the handlers it replaces: for every integer data-processing row, random words
// (each field all zeros, all ones or random: every shift amount, condition, SP/XZR form) on register values that favour
// the edges (0, -1, INT_MIN, INT_MAX, shift counts 31/32/33/63/64), run once by the handler and once
// by the emitted source; registers and flags must agree exactly. The QEMU fixtures
// (oracle.test.ts) check the same code against the architecture; this reaches the edge values that
// random fixtures rarely draw (a RORV by exactly 32, a divide of INT64_MIN by -1).

import { describe, expect, it } from 'vitest';
import { Machine, a64Decoder } from '../../emu/board/machine.js';
import { R } from '../../emu/cpu/int64.js';
import { DP_IMM } from '../../emu/cpu/a64/dp_imm.js';
import { DP_REG } from '../../emu/cpu/a64/dp_reg.js';
import { DP_HELPERS, cond, emitDp, Names } from '../../emu/cpu/translator/emit-dp.js';
import { rng, edgeValue, randomWord, halves, setHalves } from './dp-cases.js';

const NAMES: Names = {
  lo: (n) => (n === 31 ? '0' : `X[${n}]`),
  hi: (n) => (n === 31 ? '0' : `Y[${n}]`),
  set: (n, lo, hi) => (n === 31 ? '' : `{ const s_l = ${lo}, s_h = ${hi}; X[${n}] = s_l; Y[${n}] = s_h; }`),
  flag: (f) => `c.${f}f`,
};

/** Registers and flags in locals, as the block writer that keeps them there names them (l<n>/h<n>,
 * nf/zf/cf/vf, the flags in their raw forms): the emitted code must work on plain numbers too,
 * leaving int32 halves and flags (C 0 or 1). */
const LOCALS: Names = {
  lo: (n) => (n === 31 ? '0' : `l${n}`),
  hi: (n) => (n === 31 ? '0' : `h${n}`),
  set: (n, lo, hi) => (n === 31 ? '' : `{ const s_l = ${lo}, s_h = ${hi}; l${n} = s_l; h${n} = s_h; }`),
  flag: (f) => `${f}f`,
  raw: true,
};

/** The flags in raw form from the core's (N and V as signs, Z as zero), and back (codegen.ts's). */
const RAW_LOAD = 'let nf = -c.nf, zf = c.zf ^ 1, cf = c.cf, vf = -c.vf;';
const RAW_STORE = 'c.nf = nf >>> 31; c.zf = zf === 0 ? 1 : 0; c.cf = cf; c.vf = vf >>> 31;';

const REGS = Array.from({ length: 33 }, (_, r) => r).filter((r) => r !== 31);

/** A function running src on locals loaded from the core, then checking and storing them back;
 * returns a description of any local that is not an int32 (C not 0 or 1), or ''. */
function onLocals(src: string): (c: unknown, x: Int32Array, y: Int32Array, h: unknown, r: Int32Array) => string {
  const load = REGS.map((r) => `let l${r} = X[${r}], h${r} = Y[${r}];`).join(' ') + ` ${RAW_LOAD}`;
  const check = REGS.map((r) => `if ((l${r} | 0) !== l${r} || (h${r} | 0) !== h${r}) bad += ' x${r}=' + l${r} + '/' + h${r};`).join(' ') +
    " for (const [k, f] of [['n', nf], ['z', zf], ['v', vf]]) if ((f | 0) !== f) bad += ' ' + k + 'f=' + f;" +
    " if (cf !== 0 && cf !== 1) bad += ' cf=' + cf;";
  const store = REGS.map((r) => `X[${r}] = l${r}; Y[${r}] = h${r};`).join(' ') + ` ${RAW_STORE}`;
  return new Function('c', 'X', 'Y', 'H', 'R', `${load}\n${src}\nlet bad = ''; ${check}\n${store}\nreturn bad;`) as never;
}

describe('emit-dp: emitted source equals the handler on every data-processing row', () => {
  const m = new Machine({ smp: 1, ramMiB: 16, jit: false, stdout: () => {}, stderr: () => {} });
  const c = m.cores[0];
  const dec = a64Decoder();
  const rnd = rng(0x5eed);
  const val = (): number => edgeValue(rnd);

  for (const e of [...DP_IMM, ...DP_REG]) {
    if (e.name === 'ADR' || e.name === 'ADRP') continue;
    it(e.name, () => {
      const pat = e.pattern.replace(/ /g, '');
      let tried = 0, bad = 0;
      const fails: string[] = [];
      for (let k = 0; k < 1200 && tried < 600; k++) {
        const w = randomWord(pat, rnd);
        const insn = dec.decode(w | 0);
        if (insn.name !== e.name) continue;
        const src = emitDp(insn, NAMES);
        expect(src, `no inline source for ${e.name}`).not.toBeNull();
        const fn = new Function('c', 'X', 'Y', 'H', 'R', src!) as (c: unknown, x: Int32Array, y: Int32Array, h: unknown, r: Int32Array) => void;
        const fnLocals = onLocals(emitDp(insn, LOCALS)!);
        for (let t = 0; t < 4; t++) {
          tried++;
          const lo = new Int32Array(33), hi = new Int32Array(33);
          for (let r = 0; r < 33; r++) { lo[r] = val(); hi[r] = (rnd() & 1) === 0 ? val() : lo[r] >> 31; }
          lo[31] = 0; hi[31] = 0;
          const nzcv = rnd() & 15;
          // The handler.
          setHalves(c.x, lo, hi); c.nzcv = nzcv;
          insn.exec(c, insn);
          const want = `${halves(c.x).join('/')} nzcv=${c.nzcv}`;
          // The emitted source, on arrays of halves.
          let X = lo.slice(), Y = hi.slice();
          c.nzcv = nzcv;
          fn(c, X, Y, DP_HELPERS, R);
          const got = `${X}/${Y} nzcv=${c.nzcv}`;
          // The emitted source on locals.
          X = lo.slice(); Y = hi.slice();
          c.nzcv = nzcv;
          const notInt = fnLocals(c, X, Y, DP_HELPERS, R);
          const gotL = `${X}/${Y} nzcv=${c.nzcv}${notInt}`;
          if (got !== want || gotL !== want) {
            bad++;
            if (fails.length < 3) fails.push(`${(w >>> 0).toString(16)}: ${src}\n  want ${want}\n  got  ${got}\n  on locals ${gotL}`);
          }
        }
      }
      expect(fails, `${bad} of ${tried} differ`).toEqual([]);
      expect(tried).toBeGreaterThan(0);
    });
  }

  it('divisions at the edges: by zero, INT_MIN / -1, operands around 2^32 and 2^53', () => {
    // SDIV/UDIV X2, X0, X1 and W2, W0, W1.
    const words = [0x9ac10c02, 0x9ac10802, 0x1ac10c02, 0x1ac10802];
    const vals: [number, number][] = [
      [0, 0], [1, 0], [-1, -1], [0, 0x80000000 | 0], [0x80000000 | 0, -1], [0x80000000 | 0, 0], [-1, 0], [0, 1],
      [-1, 0x1fffff], [0, 0x200000], [7, 0], [-7, -1], [0x7fffffff, 0], [-1, 0x7fffffff], [3, 0x100000],
    ];
    let n = 0;
    for (const w of words) {
      const insn = dec.decode(w | 0);
      expect(insn.name).toMatch(/^[SU]DIV_(32|64)$/);
      const fn = new Function('c', 'X', 'Y', 'H', 'R', emitDp(insn, NAMES)!) as (c: unknown, x: Int32Array, y: Int32Array, h: unknown, r: Int32Array) => void;
      const fnLocals = onLocals(emitDp(insn, LOCALS)!);
      for (const [al, ah] of vals) {
        for (const [bl, bh] of vals) {
          c.x.fill(0);
          c.x[2 * 0] = al; c.x[2 * 0 + 1] = ah; c.x[2 * 1] = bl; c.x[2 * 1 + 1] = bh;
          insn.exec(c, insn);
          const want = `${c.x[2 * 2]}/${c.x[2 * 2 + 1]}`;
          const run = (g: typeof fn): string => {
            const X = new Int32Array(33), Y = new Int32Array(33);
            X[0] = al; Y[0] = ah; X[1] = bl; Y[1] = bh;
            const extra = g(c, X, Y, DP_HELPERS, R);
            return `${X[2]}/${Y[2]}${typeof extra === 'string' ? extra : ''}`;
          };
          expect(run(fn), `${insn.name} ${al}/${ah} by ${bl}/${bh}`).toBe(want);
          expect(run(fnLocals as typeof fn), `${insn.name} ${al}/${ah} by ${bl}/${bh} on locals`).toBe(want);
          n++;
        }
      }
    }
    expect(n).toBe(4 * vals.length * vals.length);
  });

  it('cond() agrees with Cpu.condHolds for every condition and flag combination', () => {
    for (let cc = 0; cc < 16; cc++) {
      const f = new Function('c', `return ${cond(cc, NAMES)};`) as (c: unknown) => boolean;
      // The raw forms: from the core's flags, and from other values with the same signs and zeroness.
      const raw = new Function('c', 'k', `${RAW_LOAD} nf *= k; vf *= k; zf *= k; return ${cond(cc, LOCALS)};`) as (c: unknown, k: number) => boolean;
      for (let v = 0; v < 16; v++) {
        c.nzcv = v;
        expect(f(c), `cond ${cc} nzcv ${v}`).toBe(c.condHolds(cc));
        for (const k of [1, 12345, 0x7fffffff]) expect(raw(c, k), `cond ${cc} nzcv ${v} raw x${k}`).toBe(c.condHolds(cc));
      }
    }
  });
});
