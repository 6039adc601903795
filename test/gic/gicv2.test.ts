// GICv2 (emu/gic/gicv2.ts) register behaviour, driven through its MMIO interfaces. Whole-guest
// behaviour is compared with QEMU by test/machine-guests (gicv2).

import { describe, it, expect } from 'vitest';
import { GicV2 } from '../../emu/gic/gicv2.js';

const D = (g: GicV2, k: number, off: number) => g.distributor.read(off, 4, k);
const Dw = (g: GicV2, k: number, off: number, v: number) => g.distributor.write(off, 4, v, k);
const C = (g: GicV2, k: number, off: number) => g.cpuInterface.read(off, 4, k);
const Cw = (g: GicV2, k: number, off: number, v: number) => g.cpuInterface.write(off, 4, v, k);

function board(n: number): GicV2 {
  const g = new GicV2(n);
  Dw(g, 0, 0, 1);
  for (let k = 0; k < n; k++) { Cw(g, k, 0x04, 0xf0); Cw(g, k, 0x00, 1); }
  return g;
}

describe('GICv2', () => {
  it('refuses more than 8 cores; TYPER names the CPU count', () => {
    expect(() => new GicV2(9)).toThrow(RangeError);
    expect(D(new GicV2(8), 0, 4)).toBe((7 << 5) | 8);
  });

  it('GICD_SGIR filters: the target list (only existing cores), all others, self; 3 is reserved', () => {
    const g = board(4);
    Dw(g, 2, 0xf00, (0xff << 16) | 1);             // list: every core (bits 4-7: no such cores)
    for (let k = 0; k < 4; k++) expect(C(g, k, 0x18)).toBe(1 | (2 << 10));
    const h = board(4);
    Dw(h, 1, 0xf00, (1 << 24) | 2);
    expect([0, 1, 2, 3].map((k) => h.cpus[k].irq)).toEqual([true, false, true, true]);
    const s = board(4);
    Dw(s, 3, 0xf00, (2 << 24) | 4);
    expect([0, 1, 2, 3].map((k) => s.cpus[k].irq)).toEqual([false, false, false, true]);
    const r = board(4);
    Dw(r, 0, 0xf00, (3 << 24) | (0xf << 16) | 5);
    expect(r.cpus.some((c) => c.irq)).toBe(false);
  });

  it('an SGI pending from several sources is acknowledged once per source, lowest first', () => {
    const g = board(4);
    for (const src of [3, 0, 2]) Dw(g, src, 0xf00, (1 << 16) | 6); // SGI 6 to core 0
    expect(g.distributor.read(0xf16, 1, 0)).toBe(0b1101);          // SPENDSGIR byte of SGI 6
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      const iar = C(g, 0, 0x0c);
      got.push(iar);
      if ((iar & 0x3ff) < 1020) Cw(g, 0, 0x10, iar);
    }
    expect(got).toEqual([6, 6 | (2 << 10), 6 | (3 << 10), 1023]);
    // CPENDSGIR clears one source; ISPENDR0 cannot set an SGI
    g.distributor.write(0xf26, 1, 0b0110, 0);
    g.distributor.write(0xf16, 1, 0b0010, 0);
    expect(g.distributor.read(0xf26, 1, 0)).toBe(0b0100);
    Dw(g, 0, 0x280, 0xffff);
    Dw(g, 0, 0x200, 1 << 9);
    expect(D(g, 0, 0x200)).toBe(1 << 6);
  });

  it('SPIs go to the cores in ITARGETSR; the first to acknowledge takes it', () => {
    const g = board(4);
    Dw(g, 0, 0x104, 1 << 8);                        // enable SPI 40
    g.distributor.write(0x800 + 40, 1, 0b0110, 0); // cores 1 and 2
    expect(g.distributor.read(0x800 + 40, 1, 3)).toBe(0b0110);
    expect(D(g, 2, 0x800)).toBe(0x04040404);        // ITARGETSR0: the reader's own bit
    g.setSpi(40, true);
    expect([0, 1, 2, 3].map((k) => g.cpus[k].irq)).toEqual([false, true, true, false]);
    expect(C(g, 2, 0x0c)).toBe(40);                 // level: active, and still pending from the line
    expect(C(g, 1, 0x0c)).toBe(1023);
    Cw(g, 2, 0x10, 40);
    g.setSpi(40, false);
    expect(g.cpus.some((c) => c.irq)).toBe(false);
  });

  it('with one core ITARGETSR is RAZ/WI and every SPI reaches it', () => {
    const g = board(1);
    Dw(g, 0, 0x104, 1 << 8);
    g.distributor.write(0x800 + 40, 1, 0, 0);
    expect(D(g, 0, 0x800)).toBe(0);
    expect(D(g, 0, 0x828)).toBe(0);
    g.setSpi(40, true);
    expect(C(g, 0, 0x0c)).toBe(40);
  });

  it('PMR masks HPPIR and IAR; RPR and the active priority follow acknowledge and EOI; EOImode splits DIR', () => {
    const g = board(1);
    g.distributor.write(0x400 + 27, 1, 0x80, 0);
    Dw(g, 0, 0x100, 1 << 27);                       // PPIs start disabled
    g.setPpi(0, 27, true);
    Cw(g, 0, 0x04, 0x80);
    expect(C(g, 0, 0x18)).toBe(1023);
    expect(C(g, 0, 0x0c)).toBe(1023);
    Cw(g, 0, 0x04, 0x81);
    expect(C(g, 0, 0x18)).toBe(27);
    Cw(g, 0, 0x00, 1 | 0x200);                      // EOImode: EOIR only drops the priority
    expect(C(g, 0, 0x0c)).toBe(27);
    expect(C(g, 0, 0x14)).toBe(0x80);
    expect(C(g, 0, 0xd0)).toBe(0);
    expect(C(g, 0, 0xd8)).toBe(1);                   // preemption level 0x80 >> 1 = 64: APR2 bit 0
    Cw(g, 0, 0x10, 27);
    expect(C(g, 0, 0x14)).toBe(0xff);
    expect(D(g, 0, 0x300)).toBe(1 << 27);            // still active until DIR
    Cw(g, 0, 0x1000, 27);
    expect(D(g, 0, 0x300)).toBe(0);
  });

  it('group 1 gives 1022 from IAR without AckCtl', () => {
    const g = board(1);
    Dw(g, 0, 0, 3);
    Dw(g, 0, 0x80, 1 << 3);
    Dw(g, 0, 0xf00, (2 << 24) | 3);
    Cw(g, 0, 0, 3);
    expect(C(g, 0, 0x18)).toBe(1022);
    expect(C(g, 0, 0x0c)).toBe(1022);
    Cw(g, 0, 0, 3 | 4);
    expect(C(g, 0, 0x0c)).toBe(3);
  });
});
