// SIMD&FP loads/stores, FMOV (general) and FPCR/FPSR: what the oracle fixtures (recorded at EL0 under
// Linux, FP enabled, no alignment checking) cannot show: the FP access trap of MRS/MSR FPCR/FPSR, the
// writable masks, and alignment checking with SCTLR_EL1.A.

import { beforeAll, describe, expect, it } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { CODE, SCRATCH, machineWith, mrs, msr, pc, poke, setX, sysr, sysw } from '../harness.js';

let A: (src: string) => Promise<number>;
beforeAll(async () => {
  A = async (src) => (await assembleWords(src, CODE))[0];
});

const FPEN = (v: number): bigint => BigInt(v) << 20n;
const ec = (c: Cpu, reg = 'ESR_EL1'): number => Number(sysr(c, reg)) >>> 26;

function runOne(word: number, opts: { el?: number; cpacr?: bigint; x?: Record<number, bigint> } = {}): Cpu {
  const { c } = machineWith([word], { el: opts.el });
  if (opts.cpacr !== undefined) sysw(c, 'CPACR_EL1', opts.cpacr);
  for (const [r, v] of Object.entries(opts.x ?? {})) setX(c, Number(r), v);
  c.run(1);
  return c;
}

describe('MRS/MSR FPCR and FPSR', () => {
  const forms = ['mrs x1, fpcr', 'msr fpcr, x1', 'mrs x2, fpsr', 'msr fpsr, x2'];

  it('take the FP access trap (EC 0x07) as CPACR_EL1.FPEN says', async () => {
    for (const src of forms) {
      const w = await A(src);
      for (const [fpen, el, traps] of [[0, 1, true], [2, 1, true], [0, 0, true], [1, 0, true], [1, 1, false], [3, 0, false], [3, 1, false]] as const) {
        const c = runOne(w, { el, cpacr: FPEN(fpen) });
        if (traps) {
          expect(ec(c), `${src} FPEN=${fpen} EL${el}`).toBe(0x07);
          expect(Number(sysr(c, 'ESR_EL1')) & 0x1ffffff).toBe(0x1e00000);
          expect(sysr(c, 'ELR_EL1')).toBe(BigInt(CODE));
        } else {
          expect(pc(c), `${src} FPEN=${fpen} EL${el}`).toBe(BigInt(CODE + 4));
        }
      }
    }
  });

  it('CPTR_EL2.TFP traps EL1 accesses to EL2', async () => {
    const { c } = machineWith([await A('mrs x1, fpcr')], { el: 1 });
    c.hasEl2 = true;
    sysw(c, 'CPACR_EL1', FPEN(3));
    sysw(c, 'CPTR_EL2', 0x33ffn | (1n << 10n));
    c.run(1);
    expect(c.el).toBe(2);
    expect(ec(c, 'ESR_EL2')).toBe(0x07);
  });

  it('keep only the writable bits (as QEMU cortex-a57: see the fp_sysreg fixtures)', () => {
    const { c } = machineWith([0]);
    sysw(c, 'CPACR_EL1', FPEN(3));
    msr(c, 'FPCR', -1n);
    expect(mrs(c, 'FPCR')).toBe(0x07f70000n); // AHP DN FZ RMode, Stride, Len
    msr(c, 'FPSR', -1n);
    expect(mrs(c, 'FPSR')).toBe(0xf800009fn); // NZCV, QC, IDC, IXC UFC OFC DZC IOC
  });
});

describe('SIMD&FP loads and stores with SCTLR_EL1.A = 1', () => {
  function withAlign(word: number, x: Record<number, bigint>): Cpu {
    const { c } = machineWith([word]);
    sysw(c, 'CPACR_EL1', FPEN(3));
    sysw(c, 'SCTLR_EL1', sysr(c, 'SCTLR_EL1') | 2n);
    c.sys.onTranslationChange(c); // sysw writes as if at EL2: recompute for the core's own EL
    for (const [r, v] of Object.entries(x)) setX(c, Number(r), v);
    c.run(1);
    return c;
  }

  it('LDR/STR Q need 16-byte alignment; LD1 of bytes needs none; LD1 of S lanes needs 4', async () => {
    const S = BigInt(SCRATCH);
    for (const src of ['ldr q0, [x1]', 'str q0, [x1]', 'ldp q0, q1, [x1]']) {
      const c = withAlign(await A(src), { 1: S + 8n });
      expect(ec(c), src).toBe(0x25);
      expect(Number(sysr(c, 'ESR_EL1')) & 0x3f).toBe(0x21);
      expect(pc(withAlign(await A(src), { 1: S + 16n })), src).toBe(BigInt(CODE + 4));
    }
    expect(pc(withAlign(await A('ld1 {v0.16b}, [x1]'), { 1: S + 1n }))).toBe(BigInt(CODE + 4));
    expect(ec(withAlign(await A('ld1 {v0.4s}, [x1]'), { 1: S + 2n }))).toBe(0x25);
    expect(pc(withAlign(await A('ld1 {v0.4s}, [x1]'), { 1: S + 4n }))).toBe(BigInt(CODE + 4));
  });
});

describe('FMOV (general)', () => {
  it('moves bits both ways; FMOV Vd.D[1] keeps the low half; the half-precision forms are UNDEFINED', async () => {
    const { c } = machineWith([
      await A('fmov d3, x1'), await A('fmov v3.d[1], x2'), await A('fmov x4, v3.d[1]'), await A('fmov w5, s3'),
    ]);
    sysw(c, 'CPACR_EL1', FPEN(3));
    setX(c, 1, 0x1122334455667788n); setX(c, 2, 0x99aabbccddeeff00n);
    c.run(4);
    expect(c.vw[12] >>> 0).toBe(0x55667788);
    expect(c.vw[13] >>> 0).toBe(0x11223344);
    expect(c.vw[14] >>> 0).toBe(0xddeeff00);
    expect(c.vw[15] >>> 0).toBe(0x99aabbcc);
    expect(c.x[2 * 4] >>> 0).toBe(0xddeeff00);
    expect(c.x[2 * 5] >>> 0).toBe(0x55667788);
    expect(c.x[2 * 5 + 1]).toBe(0);
    // FMOV Wd, Hn (sf 0, ftype 11, rmode 00, opcode 110): FEAT_FP16.
    const h = runOne(0x1ee60020, { cpacr: FPEN(3) });
    expect(ec(h)).toBe(0);
    expect(sysr(h, 'ELR_EL1')).toBe(BigInt(CODE));
  });

  it('a load writes the register only after both halves of a Q access succeed', async () => {
    // ldr q0, [x1] at the last 8 bytes of RAM... a 16-byte access whose second half is unmapped.
    const { c, m } = machineWith([await A('ldr q2, [x1]')]);
    sysw(c, 'CPACR_EL1', FPEN(3));
    const end = CODE + m.ram.u8.length;
    poke(c, end - 8, 8, 0x0102030405060708n);
    setX(c, 1, BigInt(end - 8));
    c.vw.fill(7);
    c.run(1);
    expect(ec(c)).toBe(0x25);
    expect(sysr(c, 'FAR_EL1')).toBe(BigInt(end));
    expect(c.vw[8]).toBe(7);
  });

  it('a structure load that faults part-way keeps the registers loaded so far (as QEMU: element by element)', async () => {
    const { c, m } = machineWith([await A('ld1 {v4.16b, v5.16b}, [x1], #32')]);
    sysw(c, 'CPACR_EL1', FPEN(3));
    const end = CODE + m.ram.u8.length;
    for (let k = 0; k < 16; k++) poke(c, end - 16 + k, 1, BigInt(k + 1));
    setX(c, 1, BigInt(end - 16));
    c.vw.fill(7);
    c.run(1);
    expect(ec(c)).toBe(0x25);
    expect(sysr(c, 'FAR_EL1')).toBe(BigInt(end));
    expect(Array.from(c.vb.subarray(64, 80))).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
    expect(c.vw[20]).toBe(7); // V5 untouched
    expect(c.x[2 * 1]).toBe((end - 16) | 0); // no writeback
  });
});
