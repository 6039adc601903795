// Load/store exclusive, load-acquire/store-release: values, the local and global monitors, alignment
// faults, and a reservation lost to another core's store.

import { describe, it, expect, beforeAll } from 'vitest';
import { machineWith, setX, getX, CODE, SCRATCH, poke, peek, sysr, execMem } from '../harness.js';
import { Machine } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { SYSREG_BY_NAME } from '../../emu/cpu/sysregs.js';
import { assembleWords } from '../../emu/asm/assembler.js';

// ---------------------------------------------------------------- helpers

const S = SCRATCH;
const run = execMem;

/** ESR_EL1 of the last exception, split into the fields a data abort has. */
function abort(c: Cpu): { ec: number; wnr: number; dfsc: number; far: bigint } {
  const v = Number(sysr(c, 'ESR_EL1'));
  return { ec: v >>> 26, wnr: (v >>> 6) & 1, dfsc: v & 0x3f, far: sysr(c, 'FAR_EL1') };
}

let A: (src: string) => Promise<number>;
let As: (...src: string[]) => Promise<number[]>;
beforeAll(() => {
  A = async (src) => (await assembleWords(src, CODE))[0];
  As = async (...src) => Promise.all(src.map((s) => A(s)));
});

const OLD = 0xfedc_ba98_7654_3210n;
const NEW = 0x0123_4567_89ab_cdefn;
const GARBAGE = 0xaaaa_aaaa_aaaa_aaaan;
const SIZES: [string, string, number][] = [['b', 'w', 1], ['h', 'w', 2], ['', 'w', 4], ['', 'x', 8]];

// ---------------------------------------------------------------- single-register exclusives

describe('LDXR/STXR', () => {
  for (const [sfx, r, bytes] of SIZES) {
    for (const [ld, st] of [['ldxr', 'stxr'], ['ldaxr', 'stlxr']]) {
      it(`${ld}${sfx}/${st}${sfx} ${r}: load zero-extends, the store succeeds (status 0)`, async () => {
        const mask = (1n << BigInt(8 * bytes)) - 1n;
        run(await As(`${ld}${sfx} ${r}1, [x2]`, `${st}${sfx} w3, ${r}4, [x2]`),
          { x: { 1: GARBAGE, 2: BigInt(S), 3: GARBAGE, 4: NEW }, mem: [[S, 8, OLD]] },
          { x: { 1: OLD & mask, 3: 0n }, mem: [[S, 8, (OLD & ~mask) | (NEW & mask)]] });
      });
    }
  }

  it('STXR without a preceding LDXR fails (status 1) and stores nothing', async () => {
    run([await A('stxr w3, x4, [x2]')], { x: { 2: BigInt(S), 4: NEW }, mem: [[S, 8, OLD]] }, { x: { 3: 1n }, mem: [[S, 8, OLD]] });
  });

  it('a successful STXR clears the monitor: the next STXR fails', async () => {
    run(await As('ldxr x1, [x2]', 'stxr w3, x4, [x2]', 'stxr w5, x6, [x2]'),
      { x: { 2: BigInt(S), 3: 7n, 4: NEW, 5: 7n, 6: GARBAGE }, mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 3: 0n, 5: 1n }, mem: [[S, 8, NEW]] });
  });

  it('a failed STXR also clears the monitor', async () => {
    run(await As('ldxr x1, [x2]', 'stxr w3, x4, [x5]', 'stxr w3, x4, [x2]'),
      { x: { 2: BigInt(S), 4: NEW, 5: BigInt(S + 8) }, mem: [[S, 8, OLD], [S + 8, 8, OLD]] },
      { x: { 1: OLD, 3: 1n }, mem: [[S, 8, OLD], [S + 8, 8, OLD]] });
  });

  it('STXR to another address or with another size than the LDXR fails', async () => {
    run(await As('ldxr x1, [x2]', 'stxr w3, x4, [x5]'), { x: { 2: BigInt(S), 4: NEW, 5: BigInt(S + 8) }, mem: [[S, 8, OLD], [S + 8, 8, OLD]] },
      { x: { 1: OLD, 3: 1n }, mem: [[S + 8, 8, OLD]] });
    run(await As('ldxr x1, [x2]', 'stxr w3, w4, [x2]'), { x: { 2: BigInt(S), 4: NEW }, mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 3: 1n }, mem: [[S, 8, OLD]] });
  });

  it('CLREX clears the reservation', async () => {
    run(await As('ldxr x1, [x2]', 'clrex', 'stxr w3, x4, [x2]'), { x: { 2: BigInt(S), 4: NEW }, mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 3: 1n }, mem: [[S, 8, OLD]] });
  });

  it('exception entry clears the local monitor', async () => {
    // VBAR_EL1 = CODE + 0x800; the SVC goes to VBAR + 0x200 (current EL, SP_ELx), where the STXR is.
    const words = new Array(0x800 / 4 + 0x200 / 4 + 1).fill(0xd503201f);
    words[0] = await A('ldxr x1, [x2]');
    words[1] = await A('svc #0');
    words[(0x800 + 0x200) / 4] = await A('stxr w3, x4, [x2]');
    const { c } = machineWith(words);
    c.sys.write(c, SYSREG_BY_NAME.get('VBAR_EL1')!.key, CODE + 0x800, 0);
    setX(c, 2, BigInt(S)); setX(c, 3, 7n); setX(c, 4, NEW);
    poke(c, S, 8, OLD);
    c.run(3);
    expect(getX(c, 3)).toBe(1n);
    expect(peek(c, S, 8)).toBe(OLD);
  });

  it('Ws == Rt (CONSTRAINED UNPREDICTABLE): the original value is stored, then Ws gets the status', () => {
    // stxr w1, x1, [x2]: size 11, 001000 000, Rs 1, o0 0, Rt2 11111, Rn 2, Rt 1.
    const w = (0b11 << 30) | (0b001000000 << 21) | (1 << 16) | (0b11111 << 10) | (2 << 5) | 1;
    run([0xc85f7c45 /* ldxr x5, [x2] */, w], { x: { 1: NEW, 2: BigInt(S) }, mem: [[S, 8, OLD]] },
      { x: { 1: 0n, 5: OLD }, mem: [[S, 8, NEW]] });
  });

  it('SP as the base', async () => {
    run(await As('ldaxr x1, [sp]', 'stlxr w3, x4, [sp]'), { x: { 4: NEW }, sp: BigInt(S), mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 3: 0n }, mem: [[S, 8, NEW]] });
  });
});

// ---------------------------------------------------------------- pairs

describe('LDXP/STXP', () => {
  it('X pair: 16 bytes, Xt from the lower address', async () => {
    run(await As('ldxp x1, x2, [x3]', 'stxp w4, x5, x6, [x3]'),
      { x: { 3: BigInt(S), 4: 9n, 5: NEW, 6: ~NEW & ((1n << 64n) - 1n) }, mem: [[S, 8, OLD], [S + 8, 8, GARBAGE]] },
      { x: { 1: OLD, 2: GARBAGE, 4: 0n }, mem: [[S, 8, NEW], [S + 8, 8, ~NEW & ((1n << 64n) - 1n)]] });
  });
  it('W pair: 8 bytes, both registers zero-extended', async () => {
    run(await As('ldaxp w1, w2, [x3]', 'stlxp w4, w5, w6, [x3]'),
      { x: { 1: GARBAGE, 2: GARBAGE, 3: BigInt(S + 8), 4: 9n, 5: NEW, 6: OLD }, mem: [[S + 8, 8, OLD]] },
      { x: { 1: OLD & 0xffffffffn, 2: OLD >> 32n, 4: 0n }, mem: [[S + 8, 4, NEW & 0xffffffffn], [S + 12, 4, OLD & 0xffffffffn]] });
  });
  it('STXP without a reservation fails', async () => {
    run([await A('stxp w4, x5, x6, [x3]')], { x: { 3: BigInt(S), 5: NEW, 6: NEW }, mem: [[S, 8, OLD], [S + 8, 8, OLD]] },
      { x: { 4: 1n }, mem: [[S, 8, OLD], [S + 8, 8, OLD]] });
  });
  it('an LDXR reservation does not let an STXP of another size succeed', async () => {
    run(await As('ldxr x1, [x3]', 'stxp w4, x5, x6, [x3]'), { x: { 3: BigInt(S), 5: NEW, 6: NEW }, mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 4: 1n }, mem: [[S, 8, OLD]] });
  });
});

// ---------------------------------------------------------------- acquire/release

describe('LDAR/STLR', () => {
  for (const [sfx, r, bytes] of SIZES) {
    it(`ldar${sfx}/stlr${sfx} ${r}`, async () => {
      const mask = (1n << BigInt(8 * bytes)) - 1n;
      run([await A(`ldar${sfx} ${r}1, [x2]`)], { x: { 1: GARBAGE, 2: BigInt(S) }, mem: [[S, 8, OLD]] }, { x: { 1: OLD & mask } });
      run([await A(`stlr${sfx} ${r}1, [x2]`)], { x: { 1: NEW, 2: BigInt(S) }, mem: [[S, 8, OLD]] }, { mem: [[S, 8, (OLD & ~mask) | (NEW & mask)]] });
    });
  }
  it('do not touch the monitor', async () => {
    run(await As('ldxr x1, [x2]', 'stlr x4, [x5]', 'ldar x6, [x5]', 'stxr w3, x4, [x2]'),
      { x: { 2: BigInt(S), 3: 7n, 4: NEW, 5: BigInt(S + 0x100) }, mem: [[S, 8, OLD]] },
      { x: { 1: OLD, 3: 0n, 6: NEW }, mem: [[S, 8, NEW]] });
  });
});

// ---------------------------------------------------------------- alignment

describe('alignment faults (EC 0x25, DFSC 0x21, FAR = the address)', () => {
  const cases: [string, number, number][] = [
    // source, address offset from S, WnR
    ['ldxr x1, [x2]', 4, 0],
    ['ldxr w1, [x2]', 2, 0],
    ['ldaxrh w1, [x2]', 1, 0],
    ['stxr w3, x1, [x2]', 8 + 4, 1], // alignment is checked even with no reservation
    ['stlxrh w3, w1, [x2]', 3, 1],
    ['ldxp x1, x4, [x2]', 8, 0], // pairs must be aligned to the pair's size
    ['ldxp w1, w4, [x2]', 4, 0],
    ['stxp w3, x1, x4, [x2]', 8, 1],
    ['ldar w1, [x2]', 1, 0],
    ['ldarh w1, [x2]', 1, 0],
    ['stlr x1, [x2]', 4, 1],
    ['stlrh w1, [x2]', 1, 1],
  ];
  for (const [src, off, wnr] of cases) {
    it(src, async () => {
      const c = run([await A(src)], { x: { 1: NEW, 2: BigInt(S + off), 3: 7n }, mem: [[S, 16, 0n]] }, { pc: 0x200n, mem: [[S, 8, 0n], [S + 8, 8, 0n]] });
      expect(abort(c)).toEqual({ ec: 0x25, wnr, dfsc: 0x21, far: BigInt(S + off) });
      expect(sysr(c, 'ELR_EL1')).toBe(BigInt(CODE));
    });
  }
  it('byte accesses and aligned pairs do not fault', async () => {
    run([await A('ldxrb w1, [x2]')], { x: { 2: BigInt(S + 3) }, mem: [[S + 3, 1, 0x77n]] }, { x: { 1: 0x77n } });
    run([await A('ldxp w1, w4, [x2]')], { x: { 2: BigInt(S + 8) }, mem: [[S + 8, 8, OLD]] }, { x: { 1: OLD & 0xffffffffn, 4: OLD >> 32n } });
  });
});

// ---------------------------------------------------------------- two cores

describe('global monitor across cores', () => {
  const CODE1 = CODE + 0x1000;
  async function twoCores(core1: string[]): Promise<{ m: Machine; c0: Cpu; c1: Cpu }> {
    const m = new Machine({ smp: 2, ramMiB: 16, stdout: () => {}, stderr: () => {} });
    const [c0, c1] = m.cores;
    const code0 = await As('ldxr x1, [x2]', 'stxr w3, x4, [x2]');
    const code1 = await Promise.all(core1.map((s) => assembleWords(s, CODE1).then((w) => w[0])));
    const bytes = (ws: number[]) => new Uint8Array(new Uint32Array(ws.map((w) => w >>> 0)).buffer);
    m.ram.load(CODE, bytes(code0));
    m.ram.load(CODE1, bytes(code1));
    c0.pcLo = CODE; c0.pcHi = 0;
    c1.pcLo = CODE1; c1.pcHi = 0;
    c1.sleep = 0; // as if PSCI CPU_ON had started it
    poke(c0, S, 8, OLD);
    setX(c0, 2, BigInt(S)); setX(c0, 3, 7n); setX(c0, 4, NEW);
    setX(c1, 2, BigInt(S)); setX(c1, 5, GARBAGE); setX(c1, 6, 1n);
    return { m, c0, c1 };
  }

  it("another core's store to the reserved address makes STXR fail", async () => {
    const { c0, c1 } = await twoCores(['str x5, [x2]']);
    c0.run(1); c1.run(1); c0.run(1);
    expect(getX(c0, 3)).toBe(1n);
    expect(peek(c0, S, 8)).toBe(GARBAGE);
  });

  it('a store by another core elsewhere in the same 64-byte granule also clears it', async () => {
    const { c0, c1 } = await twoCores(['strb w6, [x2, #63]']);
    c0.run(1); c1.run(1); c0.run(1);
    expect(getX(c0, 3)).toBe(1n);
    expect(peek(c0, S, 8)).toBe(OLD);
  });

  it('a store to another granule, or a load of the same address, leaves it', async () => {
    for (const other of ['str x5, [x2, #64]', 'ldr x7, [x2]']) {
      const { c0, c1 } = await twoCores([other]);
      c0.run(1); c1.run(1); c0.run(1);
      expect(getX(c0, 3)).toBe(0n);
      expect(peek(c0, S, 8)).toBe(NEW);
    }
  });

  it("both cores reserve; the first STXR wins and the other core's then fails", async () => {
    const { c0, c1 } = await twoCores(['ldxr x1, [x2]', 'stxr w3, x5, [x2]']);
    setX(c1, 3, 7n);
    c0.run(1); c1.run(1); c0.run(1); c1.run(1);
    expect(getX(c0, 3)).toBe(0n);
    expect(getX(c1, 3)).toBe(1n);
    expect(peek(c0, S, 8)).toBe(NEW);
  });
});
