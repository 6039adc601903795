// wasm/emit-dp.ts against the handlers it replaces, as emit-dp.test.ts checks the JavaScript emitter:
// for every integer data-processing row, random words (each field all zeros, all ones or random: every
// shift amount, condition, SP/XZR form) on register values that favour the edges (0, -1, INT_MIN,
// INT_MAX, shift counts 31/32/33/63/64), run once by the handler and once by a WebAssembly function
// built from the emitter; X0..X30, SP and NZCV must agree exactly. Then the edges that random words
// rarely reach: divisions by 0 and of INT_MIN by -1 (which trap in WebAssembly), multiply-high, the
// carries and overflows of every add/subtract with carry, and every condition on every NZCV; and that
// the emitter takes exactly the instructions emitDp takes, emitting nothing for the others.

import { describe, expect, it } from 'vitest';
import { Machine, a64Decoder } from '../../emu/board/machine.js';
import { Insn } from '../../emu/cpu/insn.js';
import { A64_TABLE } from '../../emu/cpu/a64/index.js';
import { DP_IMM } from '../../emu/cpu/a64/dp_imm.js';
import { DP_REG } from '../../emu/cpu/a64/dp_reg.js';
import { DP_HELPERS, emitDp, Names } from '../../emu/cpu/translator/emit-dp.js';
import { FnBuilder, I32, I64, moduleBytes, Op } from '../../emu/cpu/translator/wasm/encoder.js';
import type { WRegs } from '../../emu/cpu/translator/wasm/regs.js';
import { condWasm, emitDpWasm } from '../../emu/cpu/translator/wasm/emit-dp.js';
import { rng, edgeValue, randomWord, halves, setHalves } from './dp-cases.js';

// The function's view of the guest: X[n] (n = 0..32, 32 = SP) as an i64 at 8n, then N, Z, C, V as i32s.
const mem = new WebAssembly.Memory({ initial: 1 });
const M32 = new Int32Array(mem.buffer);
const FLAGS = 33 * 8;
const F = FLAGS / 4;

/** A function of k that loads the registers and flags into locals, runs the k-th of emits on them and
 * stores them back (the flags only if that emitter asked to write them, as the region writer would).
 * One module serves many instructions: compiling one per instruction would dominate the run time. */
function build(emits: ((f: FnBuilder, r: WRegs) => void)[]): (k: number) => void {
  const f = new FnBuilder([I32]);
  const x = Array.from({ length: 33 }, () => f.local(I64));
  const fl = { n: f.local(I32), z: f.local(I32), c: f.local(I32), v: f.local(I32) };
  const order = [fl.n, fl.z, fl.c, fl.v];
  let wrote = false;
  const r: WRegs = {
    get: (g, n) => { if (n === 31) g.i64(0); else g.get(x[n]); },
    set: (g, n) => { if (n === 31) g.op(Op.drop); else g.set(x[n]); },
    flags: (write) => { wrote ||= write; return fl; },
  };
  for (let n = 0; n < 33; n++) if (n !== 31) f.i32(0).mem(Op.i64Load, 8 * n).set(x[n]);
  order.forEach((l, k) => f.i32(0).mem(Op.i32Load, FLAGS + 4 * k).set(l));
  emits.forEach((emit, k) => {
    f.get(0).i32(k).op(Op.i32Eq).open(Op.if);
    wrote = false;
    emit(f, r);
    for (let n = 0; n < 33; n++) if (n !== 31) f.i32(0).get(x[n]).mem(Op.i64Store, 8 * n);
    if (wrote) order.forEach((l, j) => f.i32(0).get(l).mem(Op.i32Store, FLAGS + 4 * j));
    f.end();
  });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(f, 1)), { env: { mem, call: () => 0, crc: DP_HELPERS.dpCrc, jump: () => {}, pure: () => {} } });
  return inst.exports.f as (k: number) => void;
}

/** One function running each of insns by its index. */
function emitted(insns: Insn[]): (k: number) => void {
  return build(insns.map((insn) => (f, r) => { if (!emitDpWasm(insn, f, r)) throw new Error(`${insn.name} not emitted`); }));
}

describe('wasm emit-dp: emitted WebAssembly equals the handler on every data-processing row', () => {
  const m = new Machine({ smp: 1, ramMiB: 16, jit: false, stdout: () => {}, stderr: () => {} });
  const c = m.cores[0];
  const dec = a64Decoder();
  const rnd = rng(0x5eed);
  const val = (): number => edgeValue(rnd);

  /** Registers and flags, as "lo,.../hi,... nzcv=n,z,c,v". */
  const core = (): string => `${halves(c.x).join('/')} nzcv=${c.nf},${c.zf},${c.cf},${c.vf}`;
  const wasm = (): string => `${halves(M32).join('/')} nzcv=${Array.from(M32.subarray(F, F + 4))}`;

  /** The handler's and the emitted code's state after running insn on lo/hi and nzcv. */
  function both(insn: Insn, fn: () => void, lo: Int32Array, hi: Int32Array, nzcv: number): [string, string] {
    setHalves(c.x, lo, hi); c.nzcv = nzcv;
    setHalves(M32, lo, hi);
    M32.set([c.nf, c.zf, c.cf, c.vf], F);
    insn.exec(c, insn);
    fn();
    return [core(), wasm()];
  }

  for (const e of [...DP_IMM, ...DP_REG]) {
    if (e.name === 'ADR' || e.name === 'ADRP') continue;
    it(e.name, () => {
      const pat = e.pattern.replace(/ /g, '');
      // Words for this row: each field all zeros, all ones or random (the edges: XZR/SP, shift 0,
      // imms = 31 or 63...).
      const words: number[] = [], insns: Insn[] = [];
      for (let k = 0; k < 1200 && insns.length < 150; k++) {
        const w = randomWord(pat, rnd);
        const insn = dec.decode(w | 0);
        if (insn.name === e.name) { words.push(w); insns.push(insn); }
      }
      const fn = emitted(insns);
      let tried = 0, bad = 0;
      const fails: string[] = [];
      insns.forEach((insn, k) => {
        for (let t = 0; t < 4; t++) {
          tried++;
          const lo = new Int32Array(33), hi = new Int32Array(33);
          for (let r = 0; r < 33; r++) { lo[r] = val(); hi[r] = (rnd() & 1) === 0 ? val() : lo[r] >> 31; }
          lo[31] = 0; hi[31] = 0;
          const [want, got] = both(insn, () => fn(k), lo, hi, rnd() & 15);
          if (got !== want) {
            bad++;
            if (fails.length < 3) fails.push(`${(words[k] >>> 0).toString(16)}:\n  want ${want}\n  got  ${got}`);
          }
        }
      });
      expect(fails, `${bad} of ${tried} differ`).toEqual([]);
      expect(tried).toBeGreaterThan(0);
    });
  }

  /** Every pair of 64-bit values from vals as X0 and X1 (all else 0) through the instruction words;
   * returns how many ran. */
  function pairs(words: number[], names: RegExp, vals: [number, number][]): number {
    let n = 0;
    const insns = words.map((w) => dec.decode(w | 0));
    const fn = emitted(insns);
    insns.forEach((insn, k) => {
      expect(insn.name).toMatch(names);
      for (const [al, ah] of vals) {
        for (const [bl, bh] of vals) {
          for (const nzcv of [0, 2, 13, 15]) {
            const lo = new Int32Array(33), hi = new Int32Array(33);
            lo[0] = al; hi[0] = ah; lo[1] = bl; hi[1] = bh;
            const [want, got] = both(insn, () => fn(k), lo, hi, nzcv);
            expect(got, `${insn.name} ${al}/${ah}, ${bl}/${bh}, nzcv ${nzcv}`).toBe(want);
            n++;
          }
        }
      }
    });
    return n;
  }

  const VALS: [number, number][] = [
    [0, 0], [1, 0], [-1, -1], [0, 0x80000000 | 0], [0x80000000 | 0, -1], [0x80000000 | 0, 0], [-1, 0], [0, 1],
    [-1, 0x1fffff], [0, 0x200000], [7, 0], [-7, -1], [0x7fffffff, 0], [-1, 0x7fffffff], [3, 0x100000],
  ];

  it('divisions at the edges: by zero, INT_MIN / -1, operands around 2^32 and 2^53', () => {
    // SDIV/UDIV X2, X0, X1 and W2, W0, W1.
    expect(pairs([0x9ac10c02, 0x9ac10802, 0x1ac10c02, 0x1ac10802], /^[SU]DIV_(32|64)$/, VALS)).toBe(4 * 4 * VALS.length ** 2);
  });

  it('multiply-high and the long multiplies at the edges', () => {
    // SMULH/UMULH X2, X0, X1; SMADDL/UMSUBL X2, W0, W1, X0.
    expect(pairs([0x9b417c02, 0x9bc17c02, 0x9b210002, 0x9ba18002], /^(SMULH|UMULH|SMADDL|UMSUBL)$/, VALS)).toBeGreaterThan(0);
  });

  it('carries and overflows of every add/subtract with carry in, both carry values', () => {
    // ADCS/SBCS/ADC X2, X0, X1 and W2, W0, W1; SUBS X2, X0, X1 and W2, W0, W1.
    const words = [0xba010002, 0xfa010002, 0x9a010002, 0x3a010002, 0x7a010002, 0xeb010002, 0x6b010002];
    expect(pairs(words, /^(ADCS|SBCS|ADC|SUBS)_(32|64)(_sreg)?$/, VALS)).toBeGreaterThan(0);
  });

  it('emits exactly what emitDp emits, and nothing for the rest of the table', () => {
    const names: Names = { lo: (n) => `l${n}`, hi: (n) => `h${n}`, set: () => '', flag: (x) => x };
    const untouched: WRegs = {
      get: () => { throw new Error('read a register'); },
      set: () => { throw new Error('wrote a register'); },
      flags: () => { throw new Error('used the flags'); },
    };
    let n = 0;
    for (const e of A64_TABLE) {
      const insn = new Insn(e.exec, e.name);
      if (emitDp(insn, names) !== null) { emitted([insn]); n++; continue; }
      const f = new FnBuilder([]);
      expect(emitDpWasm(insn, f, untouched), e.name).toBe(false);
      expect(f.code, e.name).toEqual([]);
    }
    expect(n).toBe(DP_IMM.length + DP_REG.length - 2);
    // And nothing for decoded instructions of every other encoding (decoding may name an instruction
    // other than its encoding: a SIMD&FP RBIT or REV32 must not pass for the integer one).
    const dp = new Set([...DP_IMM, ...DP_REG]);
    let others = 0;
    for (const e of A64_TABLE) {
      if (dp.has(e)) continue;
      for (let k = 0; k < 8; k++) {
        const insn = dec.decode(randomWord(e.pattern.replace(/ /g, ''), rnd) | 0);
        if (emitDp(insn, names) !== null) continue;
        const f = new FnBuilder([]);
        expect(emitDpWasm(insn, f, untouched), `${insn.name} (${e.name})`).toBe(false);
        others++;
      }
    }
    expect(others).toBeGreaterThan(1000);
  });

  it('condWasm() agrees with Cpu.condHolds for every condition and flag combination', () => {
    for (let cc = 0; cc < 16; cc++) {
      // The condition as 0 or 1 into X0.
      const fn = build([(f, r) => { condWasm(cc, f, r); f.op(Op.i64ExtendI32U); r.set(f, 0); }]);
      for (let v = 0; v < 16; v++) {
        c.nzcv = v;
        M32.fill(0, 0, 2 * 33);
        M32.set([c.nf, c.zf, c.cf, c.vf], F);
        fn(0);
        expect([M32[0], M32[1]], `cond ${cc} nzcv ${v}`).toEqual([c.condHolds(cc) ? 1 : 0, 0]);
      }
    }
  });
});
