// The scalar FP instruction handlers (fp_dp.ts, fp_cvt.ts) end to end: each case of the library
// oracle (qemu-fp.ts) is assembled, decoded and executed on the emulator with the case's FPCR and
// compared with qemu-aarch64's result and FPSR; the rest of the destination register must be zero.

import { expect, it } from 'vitest';
import { describeWithTools } from '../oracle-env.js';
import { assembleWords } from '../../emu/asm/assembler.js';
import { machineWith, sysw, CODE } from '../harness.js';
import { OPS, runQemu, Case } from './qemu-fp.js';
import { makeCases } from './gen.js';

/** AdvSIMD forms belong to the vector helpers; here only the scalar FP classes. */
const NOT_SCALAR_FP = /^(fmulx|frecps|frsqrts|fcmeq|fcmge|fcmgt|fcvtxn|frecpe|frsqrte|frecpx|urecpe|ursqrte)/;

describeWithTools('scalar FP instructions vs qemu-aarch64', ['qemu-aarch64', 'aarch64-linux-gnu-gcc'], () => {
  it('every scalar FP form, random FPCR, special and random operands', async () => {
    const ops = OPS.map((op, k) => ({ op, k })).filter(({ op }) => !NOT_SCALAR_FP.test(op.name));
    const words: number[] = [];
    for (const { op } of ops) {
      const text = op.asm.replace(/\{(\d):([wx])\}/g, (_m, n: string, w: string) => `${w}${n}`);
      words.push((await assembleWords(text))[0]);
    }
    const per = Number(process.env.FP_INSN_CASES ?? 300);
    const all = makeCases(OPS, per, 777).filter((k) => ops.some((o) => o.k === k.op));
    const want = runQemu(all);
    const { c } = machineWith(words);
    sysw(c, 'CPACR_EL1', 3n << 20n); // FPEN: FP/SIMD enabled at EL0 and EL1
    const slot = new Map(ops.map(({ k }, j) => [k, j]));
    const bad: string[] = [];
    all.forEach((k: Case, j) => {
      const op = OPS[k.op];
      c.vw.fill(0x5a5a5a5a);
      const args = [k.a, k.b, k.c];
      op.ins.forEach((kind, q) => {
        const v = args[q];
        if (kind === 'w' || kind === 'x') { c.x[2 * (q + 1)] = Number(v & 0xffffffffn) | 0; c.x[2 * (q + 1) + 1] = kind === 'x' ? Number(v >> 32n) | 0 : 0; }
        else {
          const b = (q + 1) * 4;
          c.vw[b] = Number(v & 0xffffffffn) | 0; c.vw[b + 1] = kind === 'd' ? Number(v >> 32n) | 0 : 0; c.vw[b + 2] = 0; c.vw[b + 3] = 0;
          if (kind === 'h') c.vw[b] &= 0xffff;
        }
      });
      c.fpcr = k.fpcr; c.fpsr = 0; c.nzcv = op.nzcvIn ? Number((k.c >> 28n) & 15n) : 0;
      c.pcLo = CODE + 4 * slot.get(k.op)!; c.pcHi = 0;
      c.run(1);
      let r: bigint, rest = 0n;
      const u = (x: number): bigint => BigInt(x >>> 0);
      switch (op.out) {
        case 'nzcv': r = BigInt(c.nzcv) << 28n; break;
        case 'w': r = u(c.x[2 * 0]); rest = u(c.x[2 * 0 + 1]); break;
        case 'x': r = (u(c.x[2 * 0 + 1]) << 32n) | u(c.x[2 * 0]); break;
        case 'd': r = (u(c.vw[1]) << 32n) | u(c.vw[0]); rest = u(c.vw[2]) | u(c.vw[3]); break;
        case 'h': r = u(c.vw[0]); rest = u(c.vw[1]) | u(c.vw[2]) | u(c.vw[3]); break;
        default: r = u(c.vw[0]); rest = u(c.vw[1]) | u(c.vw[2]) | u(c.vw[3]);
      }
      if (r !== want[j].r || c.fpsr !== want[j].fpsr || rest !== 0n) {
        bad.push(`${op.name} fpcr=${k.fpcr.toString(16)} a=${k.a.toString(16)} b=${k.b.toString(16)} c=${k.c.toString(16)}: ` +
          `qemu ${want[j].r.toString(16)} fpsr ${want[j].fpsr.toString(16)}, emu ${r.toString(16)} fpsr ${c.fpsr.toString(16)} rest ${rest.toString(16)}`);
      }
    });
    expect(bad.slice(0, 30), `${bad.length} mismatches of ${all.length}`).toEqual([]);
  });
});
