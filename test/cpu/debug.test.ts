// Self-hosted debug (emu/cpu/debug): breakpoints, watchpoints, software step and their enables,
// checked against the Arm ARM's rules (D2: AArch64.GenerateDebugExceptionsFrom, BreakpointMatch,
// WatchpointMatch, the software step state machine). The same behaviour is compared with QEMU by
// the machine guest test/machine-guests/src/debug.c.

import { describe, it, expect } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { Slow } from '../../emu/cpu/cpu.js';
import { machineWith, msr, mrs, pc, setX, CODE, SCRATCH } from '../harness.js';

const VBAR = CODE + 0x8000;
const USER = CODE + 0x2000;
const BCR_ADDR = 1 | (3 << 1) | (0xf << 5); // E, PMC = EL1 and EL0, BAS = 0b1111
const MDE = 1 << 15, KDE = 1 << 13, SS = 1;

async function setup(src: string, opts: { user?: string } = {}): Promise<Cpu> {
  const { m, c } = machineWith(await assembleWords(src, CODE));
  if (opts.user !== undefined) {
    const words = await assembleWords(opts.user, USER);
    const b = new Uint8Array(words.length * 4);
    words.forEach((w, k) => new DataView(b.buffer).setUint32(4 * k, w >>> 0, true));
    m.ram.load(USER, b);
  }
  msr(c, 'VBAR_EL1', VBAR);
  return c;
}

const esr = (c: Cpu) => Number(mrs(c, 'ESR_EL1'));
const ec = (c: Cpu) => esr(c) >>> 26;
const elr = (c: Cpu) => Number(mrs(c, 'ELR_EL1'));
const atSyncVector = (c: Cpu, lower = false) => pc(c) === BigInt(VBAR + (lower ? 0x400 : 0x200));

describe('breakpoints', () => {
  const prog = 'nop; nop; nop; nop; nop; nop';
  async function armed(c: Cpu, bcr = BCR_ADDR): Promise<void> {
    msr(c, 'OSLAR_EL1', 0);
    msr(c, 'DBGBVR0_EL1', CODE + 8);
    msr(c, 'DBGBCR0_EL1', bcr);
    msr(c, 'MDSCR_EL1', MDE | KDE);
    msr(c, 'DAIF', 0);
  }

  it('an address breakpoint at EL1 fires before the instruction: EC 0x31, ELR = its address', async () => {
    const c = await setup(prog);
    await armed(c);
    expect(c.slow & Slow.Debug).not.toBe(0);
    c.run(3);
    expect(atSyncVector(c)).toBe(true);
    expect(ec(c)).toBe(0x31);
    expect(esr(c) & 0x1ffffff).toBe(0x22); // IFSC: debug exception
    expect((esr(c) >>> 25) & 1).toBe(1);
    expect(elr(c)).toBe(CODE + 8);
    expect(Number(mrs(c, 'SPSR_EL1')) & 0x3c0).toBe(0); // D was clear
    // Exception entry masks D: debug exceptions are off at EL1 now, and the hook is gone.
    expect(c.slow & Slow.Debug).toBe(0);
  });

  const disabled: [string, (c: Cpu) => void][] = [
    ['E = 0', (c) => msr(c, 'DBGBCR0_EL1', BCR_ADDR & ~1)],
    ['MDSCR_EL1.MDE = 0', (c) => msr(c, 'MDSCR_EL1', KDE)],
    ['MDSCR_EL1.KDE = 0 (same EL)', (c) => msr(c, 'MDSCR_EL1', MDE)],
    ['PSTATE.D = 1', (c) => msr(c, 'DAIF', 0x200)],
    ['the OS lock', (c) => msr(c, 'OSLAR_EL1', 1)],
    ['the OS double lock', (c) => msr(c, 'OSDLR_EL1', 1)],
    ['PMC not matching EL1', (c) => msr(c, 'DBGBCR0_EL1', BCR_ADDR & ~2)],
    ['SSC = 0b10 (Secure only)', (c) => msr(c, 'DBGBCR0_EL1', BCR_ADDR | (2 << 14))],
    ['another address', (c) => msr(c, 'DBGBVR0_EL1', CODE + 12 + 0x1_0000_0000)],
  ];
  for (const [why, off] of disabled) {
    it(`does not fire with ${why}`, async () => {
      const c = await setup(prog);
      await armed(c);
      off(c);
      c.run(6);
      expect(pc(c)).toBe(BigInt(CODE + 24));
      if (why !== 'another address' && why !== 'PMC not matching EL1' && why !== 'SSC = 0b10 (Secure only)') expect(c.slow & Slow.Debug).toBe(0);
    });
  }

  it('at EL0 fires without KDE and whatever PSTATE.D (a higher EL is the target): EC 0x30', async () => {
    const c = await setup(prog);
    await armed(c);
    msr(c, 'MDSCR_EL1', MDE);
    c.selectSp(0, 0);
    c.daif = 0xf;
    c.debug.update(c);
    c.run(3);
    expect(atSyncVector(c, true)).toBe(true);
    expect(ec(c)).toBe(0x30);
    expect(elr(c)).toBe(CODE + 8);
  });

  it('MDCR_EL2.TDE routes to EL2: from EL1 a lower EL, so no KDE needed and PSTATE.D does not mask (EC 0x30)', async () => {
    const c = await setup(prog);
    c.hasEl2 = true;
    await armed(c);
    msr(c, 'MDSCR_EL1', MDE);
    msr(c, 'DAIF', 0x200);
    c.el = 2;
    msr(c, 'VBAR_EL2', VBAR + 0x1000);
    msr(c, 'MDCR_EL2', 1 << 8);
    c.el = 1;
    c.debug.update(c);
    c.run(3);
    expect(c.el).toBe(2);
    expect(pc(c)).toBe(BigInt(VBAR + 0x1000 + 0x400));
    c.el = 2;
    expect(Number(mrs(c, 'ESR_EL2')) >>> 26).toBe(0x30);
    expect(Number(mrs(c, 'ELR_EL2'))).toBe(CODE + 8);
  });

  it('context ID: unlinked on a context-aware breakpoint (4, 5) only, and linked to an address', async () => {
    const c = await setup(prog);
    await armed(c, 0);
    msr(c, 'CONTEXTIDR_EL1', 0x1234);
    msr(c, 'DBGBVR1_EL1', 0x1234);
    msr(c, 'DBGBCR1_EL1', 1 | (3 << 1) | (0b0010 << 20)); // not context-aware: never matches
    c.run(2);
    expect(pc(c)).toBe(BigInt(CODE + 8));
    msr(c, 'DBGBVR4_EL1', 0x1235);
    msr(c, 'DBGBCR4_EL1', 1 | (3 << 1) | (0b0010 << 20));
    c.run(1);
    expect(pc(c)).toBe(BigInt(CODE + 12)); // another context
    msr(c, 'CONTEXTIDR_EL1', 0x1235);
    c.run(1);
    expect(atSyncVector(c)).toBe(true);
    expect(elr(c)).toBe(CODE + 12);

    // Linked: breakpoint 0 (address, BT = 0b0001, LBN = 5) with breakpoint 5 (linked context, BT = 0b0011).
    const d = await setup(prog);
    await armed(d, BCR_ADDR | (0b0001 << 20) | (5 << 16));
    msr(d, 'CONTEXTIDR_EL1', 7);
    msr(d, 'DBGBVR5_EL1', 8);
    msr(d, 'DBGBCR5_EL1', 1 | (3 << 1) | (0b0011 << 20));
    d.run(4);
    expect(pc(d)).toBe(BigInt(CODE + 16)); // context 7 != 8: no match, and a linked context alone never fires
    d.pcLo = CODE; msr(d, 'CONTEXTIDR_EL1', 8);
    d.run(3);
    expect(atSyncVector(d)).toBe(true);
    expect(elr(d)).toBe(CODE + 8);
  });
});

describe('watchpoints', () => {
  const W = SCRATCH + 0x100; // doubleword aligned
  async function store(off: number, insn: string, wcr: number, wvr = W, el = 1): Promise<{ c: Cpu; hit: boolean }> {
    const c = await setup(`${insn}; nop`);
    setX(c, 1, BigInt(W + off));
    msr(c, 'OSLAR_EL1', 0);
    msr(c, 'DBGWVR0_EL1', wvr);
    msr(c, 'DBGWCR0_EL1', wcr);
    msr(c, 'MDSCR_EL1', MDE | KDE);
    msr(c, 'DAIF', 0);
    if (el === 0) { c.selectSp(0, 0); c.debug.update(c); }
    c.run(1);
    return { c, hit: !(pc(c) === BigInt(CODE + 4)) };
  }
  // E, PAC = EL1 and EL0, LSC = store, BAS = bytes 3 and 4.
  const WCR = 1 | (3 << 1) | (2 << 3) | (0b00011000 << 5);

  it('byte address select: exactly the selected bytes, at each edge', async () => {
    const cases: [number, string, boolean, number?][] = [
      [2, 'strb w0, [x1]', false], [3, 'strb w0, [x1]', true, 3], [4, 'strb w0, [x1]', true, 4], [5, 'strb w0, [x1]', false],
      [0, 'str w0, [x1]', true, 3], [4, 'strh w0, [x1]', true, 4], [5, 'strh w0, [x1]', false],
      [-4, 'str x0, [x1]', true, 3], [-1, 'strb w0, [x1]', false], [1, 'strh w0, [x1]', false], [2, 'strh w0, [x1]', true, 3],
      [-8, 'stp x0, x0, [x1]', true, 3],
    ];
    for (const [off, insn, want, farOff] of cases) {
      const { c, hit } = await store(off, insn, WCR);
      expect(hit, `${insn} at +${off}`).toBe(want);
      if (want) {
        expect(atSyncVector(c)).toBe(true);
        expect(ec(c)).toBe(0x35);
        expect(esr(c) & 0x1ffffff).toBe(0x22 | (1 << 6)); // DFSC debug, WnR
        expect(Number(mrs(c, 'FAR_EL1')) - W, `${insn} at +${off}: FAR`).toBe(farOff);
        expect(elr(c)).toBe(CODE);
      }
    }
  });

  it('loads do not match a store-only watchpoint; LSC = load gives WnR = 0', async () => {
    expect((await store(3, 'ldrb w0, [x1]', WCR)).hit).toBe(false);
    const { c, hit } = await store(3, 'ldrb w0, [x1]', WCR ^ (3 << 3));
    expect(hit).toBe(true);
    expect(esr(c) & 0x1ffffff).toBe(0x22);
  });

  it('a word-aligned DBGWVR uses BAS[3:0] only', async () => {
    const wcr = 1 | (3 << 1) | (3 << 3) | (0b11110001 << 5);
    expect((await store(4, 'strb w0, [x1]', wcr, W + 4)).hit).toBe(true);
    expect((await store(5, 'strb w0, [x1]', wcr, W + 4)).hit).toBe(false);
    expect((await store(3, 'strb w0, [x1]', wcr, W + 4)).hit).toBe(false);
  });

  it('MASK watches an aligned power-of-two range; reserved masks 1 and 2 watch nothing', async () => {
    const mask = (m: number) => 1 | (3 << 1) | (3 << 3) | (0xff << 5) | (m << 24);
    expect((await store(0, 'strb w0, [x1]', mask(4), W)).hit).toBe(true);
    expect((await store(15, 'strb w0, [x1]', mask(4), W)).hit).toBe(true);
    expect((await store(16, 'strb w0, [x1]', mask(4), W)).hit).toBe(false);
    expect((await store(-1, 'strb w0, [x1]', mask(4), W)).hit).toBe(false);
    expect((await store(0, 'strb w0, [x1]', mask(2), W)).hit).toBe(false);
  });

  it('an unprivileged store (STTR) at EL1 matches as EL0: PAC = EL0 only', async () => {
    const wcr = 1 | (2 << 1) | (2 << 3) | (0xff << 5);
    expect((await store(0, 'str w0, [x1]', wcr)).hit).toBe(false);
    expect((await store(0, 'sttr w0, [x1]', wcr)).hit).toBe(true);
  });

  it('at EL0: EC 0x34 to EL1', async () => {
    const { c, hit } = await store(3, 'strb w0, [x1]', WCR, W, 0);
    expect(hit).toBe(true);
    expect(ec(c)).toBe(0x34);
    expect(atSyncVector(c, true)).toBe(true);
  });
});

describe('software step', () => {
  // EL1 code: ERET to USER at EL0 with SPSR.SS as given; the vector is not executed (the test stops there).
  async function stepFromEret(user: string, ss: boolean): Promise<Cpu> {
    const c = await setup('eret', { user });
    msr(c, 'OSLAR_EL1', 0);
    msr(c, 'MDSCR_EL1', SS);
    msr(c, 'ELR_EL1', USER);
    msr(c, 'SPSR_EL1', ss ? 1 << 21 : 0); // EL0t, D = 0
    return c;
  }

  it('ERET with SPSR.SS = 1 steps one instruction, then EC 0x32 with ISV = 1, ELR = the next one', async () => {
    const c = await stepFromEret('nop; nop; nop', true);
    c.run(1); // ERET: the handler's state (D set) does not step; EL0 does
    expect(c.el).toBe(0);
    expect(c.ss).toBe(1);
    c.run(1);
    expect(pc(c)).toBe(BigInt(USER + 4));
    c.run(1);
    expect(atSyncVector(c, true)).toBe(true);
    expect(ec(c)).toBe(0x32);
    expect(esr(c) & 0x1ffffff).toBe((1 << 24) | 0x22); // ISV = 1, EX = 0
    expect(elr(c)).toBe(USER + 4);
    expect(Number(mrs(c, 'SPSR_EL1')) & (1 << 21)).toBe(0);
  });

  it('ERET with SPSR.SS = 0: active-pending, the exception comes before any instruction with ISV = 0', async () => {
    const c = await stepFromEret('nop; nop', false);
    c.run(2);
    expect(atSyncVector(c, true)).toBe(true);
    expect(ec(c)).toBe(0x32);
    expect(esr(c) & 0x1ffffff).toBe(0x22);
    expect(elr(c)).toBe(USER);
  });

  it('a stepped load-exclusive sets EX', async () => {
    const c = await stepFromEret('ldxr x0, [x1]; nop', true);
    setX(c, 1, BigInt(SCRATCH));
    c.run(3);
    expect(ec(c)).toBe(0x32);
    expect(esr(c) & 0x1ffffff).toBe((1 << 24) | (1 << 6) | 0x22);
  });

  it('steps over an SVC: the SVC is taken with SPSR.SS = 0, and after its handler returns the step exception comes at once', async () => {
    const c = await stepFromEret('svc #5; nop; nop', true);
    // The SVC handler at VBAR + 0x400: ERET straight back.
    const [eret] = await assembleWords('eret');
    c.ram.dv.setUint32(VBAR + 0x400 - c.ramBase, eret, true);
    c.run(2); // ERET, SVC
    expect(atSyncVector(c, true)).toBe(true);
    expect(ec(c)).toBe(0x15);
    expect(Number(mrs(c, 'SPSR_EL1')) & (1 << 21)).toBe(0);
    expect(c.slow & Slow.Debug).toBe(0); // EL1 with D set: nothing to observe
    c.run(1); // the handler's ERET (SPSR.SS = 0: active-pending at EL0)
    c.run(1);
    expect(ec(c)).toBe(0x32);
    expect(esr(c) & 0x1ffffff).toBe(0x22); // ISV = 0: nothing stepped since the return
    expect(elr(c)).toBe(USER + 4);
  });

  it('an instruction that takes another exception was not stepped: SPSR.SS stays 1', async () => {
    const c = await stepFromEret('.long 0; nop', true);
    c.run(2);
    expect(ec(c)).toBe(0x00);
    expect(Number(mrs(c, 'SPSR_EL1')) & (1 << 21)).toBe(1 << 21);
    expect(elr(c)).toBe(USER);
  });

  it('PSTATE.SS is kept in SPSR across an interrupt-free EL1 exception and the ERET restores it only with MDSCR_EL1.SS', async () => {
    const c = await stepFromEret('nop; nop', true);
    msr(c, 'MDSCR_EL1', 0);
    c.run(1);
    expect(c.ss).toBe(0);
    expect(c.slow & Slow.Debug).toBe(0);
    c.run(2);
    expect(pc(c)).toBe(BigInt(USER + 8));
  });

  it('at EL1 steps only with KDE and PSTATE.D clear', async () => {
    const c = await setup('nop; nop; nop');
    msr(c, 'OSLAR_EL1', 0);
    msr(c, 'MDSCR_EL1', SS | KDE);
    expect(c.slow & Slow.Debug).toBe(0); // D is set at reset
    msr(c, 'DAIF', 0);
    // Unmasking with PSTATE.SS = 0 is active-pending: the step exception comes at once.
    c.run(1);
    expect(atSyncVector(c)).toBe(true);
    expect(ec(c)).toBe(0x33);
    expect(elr(c)).toBe(CODE);
  });
});
