// The GICv3 ITS and LPIs (emu/gic/its.ts, the LPI part of emu/gic/gicv3.ts), driven through the ITS's
// and redistributors' MMIO and the cores' ICC_* registers on a 2-core board, with the tables and the
// command queue in guest RAM as the architecture lays them out (Arm IHI 0069 chapter 5; the entry
// formats are QEMU's, see its.ts). The commands' order matters: INT before MAPTI is ignored, DISCARD
// unmaps, MOVI/MOVALL move pending state. The whole-guest comparison with QEMU is the `its` machine
// guest.

import { describe, it, expect, beforeEach } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import type { GicV3 } from '../../emu/gic/gicv3.js';
import type { GicV3Its } from '../../emu/gic/its.js';
import { mrs, msr } from '../harness.js';

const GICR_STRIDE = 0x2_0000;
const PROP = RAM_BASE + 0x10_0000;
const PEND = [RAM_BASE + 0x20_0000, RAM_BASE + 0x21_0000];
const DT = RAM_BASE + 0x30_0000, CT = RAM_BASE + 0x31_0000, CQ = RAM_BASE + 0x32_0000, ITT = RAM_BASE + 0x33_0000;
const LPI = (n: number) => 8192 + n;

let m: Machine, gic: GicV3, its: GicV3Its, wr: number;

const w32 = (pa: number, v: number) => m.ram.dv.setUint32(pa - RAM_BASE, v >>> 0, true);
const r8 = (pa: number) => m.ram.u8[pa - RAM_BASE];
const itsW = (off: number, v: number) => its.mmio.write(off, 4, v >>> 0, 0);
const itsR = (off: number) => its.mmio.read(off, 4, 0);
const rdW = (k: number, off: number, v: number) => gic.redistributors.write(k * GICR_STRIDE + off, 4, v >>> 0, k);
const rdR = (k: number, off: number) => gic.redistributors.read(k * GICR_STRIDE + off, 4, k);
const hi = (pa: number) => Math.floor(pa / 2 ** 32);

/** Queue a command (four doublewords given as [lo, hi] pairs) without telling the ITS. */
function queue(...dw: [number, number][]): void {
  for (let i = 0; i < 4; i++) { w32(CQ + wr + 8 * i, dw[i]?.[0] ?? 0); w32(CQ + wr + 8 * i + 4, dw[i]?.[1] ?? 0); }
  wr = (wr + 32) % 0x1000;
}
const go = () => itsW(0x88, wr); // GITS_CWRITER
const mapd = (dev: number, bits: number, itt: number, v = 1) => queue([0x08, dev], [bits - 1, 0], [itt, v << 31]);
const mapc = (icid: number, rd: number) => queue([0x09, 0], [0, 0], [icid | (rd << 16), 1 << 31]);
const mapti = (dev: number, ev: number, intid: number, icid: number) => queue([0x0a, dev], [ev, intid], [icid, 0]);
const mapi = (dev: number, ev: number, icid: number) => queue([0x0b, dev], [ev, 0], [icid, 0]);
const evCmd = (op: number) => (dev: number, ev: number) => queue([op, dev], [ev, 0]);
const int = evCmd(0x03), clear = evCmd(0x04), discard = evCmd(0x0f), inv = evCmd(0x0c);
const movi = (dev: number, ev: number, icid: number) => queue([0x01, dev], [ev, 0], [icid, 0]);
const movall = (from: number, to: number) => queue([0x0e, 0], [0, 0], [from << 16, 0], [to << 16, 0]);

const pending = (k: number) => [...gic.cpus[k].lpiPend].sort((a, b) => a - b);
const iar = (k: number) => Number(mrs(m.cores[k], 'ICC_IAR1_EL1'));

beforeEach(() => {
  m = new Machine({ smp: 2, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  gic = m.gic as GicV3;
  its = m.its!;
  wr = 0;
  gic.distributor.write(0, 4, 0x12, 0); // ARE, EnableGrp1
  for (let n = 0; n < 64; n++) m.ram.u8[PROP - RAM_BASE + n] = 0xa0 | 1; // priority 0xa0, enabled
  for (let k = 0; k < 2; k++) {
    rdW(k, 0x14, 0); // awake
    rdW(k, 0x70, PROP | 15); rdW(k, 0x74, hi(PROP)); // PROPBASER, IDbits 16
    rdW(k, 0x78, PEND[k]); rdW(k, 0x7c, hi(PEND[k]));
    rdW(k, 0x00, 1); // EnableLPIs
    msr(m.cores[k], 'ICC_PMR_EL1', 0xff);
    msr(m.cores[k], 'ICC_IGRPEN1_EL1', 1);
  }
  // flat tables with 4 KiB pages, one page each; a one-page queue
  itsW(0x100, DT); itsW(0x104, (1 << 31) | hi(DT));
  itsW(0x108, CT); itsW(0x10c, (1 << 31) | hi(CT));
  itsW(0x80, CQ); itsW(0x84, (1 << 31) | hi(CQ));
  itsW(0x00, 1);
  mapc(0, 0); mapc(1, 1);
  mapd(1, 5, ITT);
  go();
});

describe('GICv3 ITS: registers', () => {
  it('identification and reset values (QEMU 7.2: TYPER, BASER0/1 types, Quiescent)', () => {
    const fresh = new Machine({ smp: 1, ramMiB: 16, stdout: () => {} }).its!;
    expect(fresh.read(0x00, 4)).toBe(0x8000_0000);
    expect(fresh.read(0x04, 4)).toBe(0x43b);
    expect([fresh.read(0x08, 4), fresh.read(0x0c, 4)]).toEqual([0x1efb1, 0x1f]);
    expect([fresh.read(0x100, 4), fresh.read(0x104, 4)]).toEqual([0x200, 0x0107_0000]);
    expect([fresh.read(0x108, 4), fresh.read(0x10c, 4)]).toEqual([0x200, 0x0407_0000]);
    expect(fresh.read(0x110, 4)).toBe(0);
    expect(fresh.read(0xffe0, 4)).toBe(0x94); // PIDR0
  });
  it('BASER Type/Entry_Size are read-only, unimplemented BASERs RAZ/WI, BASER/CBASER read-only when enabled', () => {
    itsW(0x104, 0xffff_ffff);
    expect(itsR(0x104)).toBe((0x8107_0000 | hi(DT)) >>> 0); // enabled: unchanged
    itsW(0x00, 0);
    itsW(0x104, 0xffff_ffff);
    expect(itsR(0x104)).toBe((0xf8e0_ffff | 0x0107_0000) >>> 0);
    itsW(0x110, 0x1234_5000);
    expect(itsR(0x110)).toBe(0);
    itsW(0x80, 0x1000); // CBASER write while disabled: CREADR and CWRITER to 0
    expect([itsR(0x88), itsR(0x90)]).toEqual([0, 0]);
  });
  it('GICD_TYPER.LPIS, GICR_TYPER.PLPIS, GICR_CTLR (CES, EnableLPIs), PROPBASER read back', () => {
    expect((gic.distributor.read(4, 4, 0) >>> 17) & 1).toBe(1);
    expect(rdR(0, 0x08) & 1).toBe(1);
    expect(rdR(0, 0x00)).toBe(3);
    expect(rdR(1, 0x70) >>> 0).toBe((PROP | 15) >>> 0);
  });
});

describe('GICv3 ITS: commands in order', () => {
  it('INT before MAPTI is ignored; after MAPTI it makes the LPI pending at the collection\'s core', () => {
    int(1, 0); go();
    expect(pending(0)).toEqual([]);
    mapti(1, 0, LPI(0), 0); int(1, 0); go();
    expect(pending(0)).toEqual([LPI(0)]);
    expect((r8(PEND[0] + LPI(0) / 8) & 1)).toBe(1); // written through to the pending table
    expect(iar(0)).toBe(LPI(0));
    expect(pending(0)).toEqual([]);
    expect(r8(PEND[0] + LPI(0) / 8) & 1).toBe(0);
    expect(Number(mrs(m.cores[0], 'ICC_RPR_EL1'))).toBe(0xa0);
    expect(iar(0)).toBe(1023); // no active state, nothing else pending
    msr(m.cores[0], 'ICC_EOIR1_EL1', LPI(0));
    expect(Number(mrs(m.cores[0], 'ICC_RPR_EL1'))).toBe(0xff);
  });
  it('commands wait for CWRITER, and for GITS_CTLR.Enabled', () => {
    mapti(1, 0, LPI(0), 0); int(1, 0);
    expect(pending(0)).toEqual([]);
    itsW(0x00, 0);
    go();
    expect(pending(0)).toEqual([]);
    expect(itsR(0x90)).toBe(3 * 32); // MAPC, MAPC, MAPD from setup
    itsW(0x00, 1);
    expect(pending(0)).toEqual([LPI(0)]);
    expect(itsR(0x90)).toBe(5 * 32);
  });
  it('bad operands are ignored and the queue goes on: EventID beyond the device, non-LPI INTID, MAPI below 8192', () => {
    mapti(1, 40, LPI(1), 0); mapti(1, 2, 100, 0); mapi(1, 3, 0);
    int(1, 40); int(1, 2); int(1, 3);
    mapti(1, 4, LPI(4), 0); int(1, 4);
    go();
    expect(pending(0)).toEqual([LPI(4)]);
    expect(itsR(0x90) & 1).toBe(0);
  });
  it('CLEAR and DISCARD: DISCARD also unmaps, so a later INT is ignored until mapped again', () => {
    mapti(1, 0, LPI(0), 0); mapti(1, 1, LPI(1), 0);
    int(1, 0); int(1, 1); clear(1, 0); go();
    expect(pending(0)).toEqual([LPI(1)]);
    discard(1, 1); go();
    expect(pending(0)).toEqual([]);
    int(1, 1); go();
    expect(pending(0)).toEqual([]);
    mapti(1, 1, LPI(1), 1); int(1, 1); go();
    expect(pending(1)).toEqual([LPI(1)]);
  });
  it('MOVI moves the pending LPI and later events to the new collection\'s core', () => {
    mapti(1, 0, LPI(0), 0); int(1, 0); movi(1, 0, 1); go();
    expect(pending(0)).toEqual([]);
    expect(pending(1)).toEqual([LPI(0)]);
    expect(iar(1)).toBe(LPI(0));
    int(1, 0); go();
    expect(pending(1)).toEqual([LPI(0)]);
    expect(pending(0)).toEqual([]);
  });
  it('MOVALL moves every pending LPI of one redistributor to another', () => {
    mapti(1, 0, LPI(0), 0); mapti(1, 1, LPI(1), 0); mapti(1, 2, LPI(2), 1);
    int(1, 0); int(1, 1); int(1, 2); movall(0, 1); go();
    expect(pending(0)).toEqual([]);
    expect(pending(1)).toEqual([LPI(0), LPI(1), LPI(2)]);
  });
  it('GITS_TRANSLATER: a core\'s write is DeviceID 0; 16- and 32-bit writes', () => {
    mapd(0, 5, ITT + 0x1000); mapti(0, 3, LPI(3), 0); mapti(1, 3, LPI(9), 0); go();
    its.mmio.write(0x1_0040, 4, 3, 0);
    expect(pending(0)).toEqual([LPI(3)]);
    expect(iar(0)).toBe(LPI(3));
    its.mmio.write(0x1_0040, 2, 3, 0);
    expect(pending(0)).toEqual([LPI(3)]);
    expect(its.translate(1, 3)).toBe(true); // a device's MSI with its own DeviceID
    expect(pending(0)).toEqual([LPI(3), LPI(9)]);
  });
  it('a disabled LPI stays pending and is signalled once enabled; priorities order LPIs and SPIs', () => {
    m.ram.u8[PROP - RAM_BASE + 0] = 0xa0; // LPI 8192 disabled
    m.ram.u8[PROP - RAM_BASE + 1] = 0x90 | 1;
    mapti(1, 0, LPI(0), 0); mapti(1, 1, LPI(1), 0); int(1, 0); go();
    expect(pending(0)).toEqual([LPI(0)]);
    expect(iar(0)).toBe(1023);
    m.ram.u8[PROP - RAM_BASE + 0] = 0xa0 | 1;
    inv(1, 0); int(1, 1); go();
    // SPI 40 at 0x98 between them
    gic.distributor.write(0x400 + 40, 1, 0x98, 0);
    gic.distributor.write(0x84, 4, 1 << 8, 0);
    gic.distributor.write(0x104, 4, 1 << 8, 0);
    gic.distributor.write(0x204, 4, 1 << 8, 0);
    const order: number[] = [];
    for (let id = iar(0); id !== 1023; id = iar(0)) { order.push(id); msr(m.cores[0], 'ICC_EOIR1_EL1', id); }
    expect(order).toEqual([LPI(1), 40, LPI(0)]);
  });
  it('EnableLPIs = 0 ignores translations; setting it loads the pending table', () => {
    mapti(1, 0, LPI(0), 0); go();
    rdW(0, 0x00, 0);
    int(1, 0); go();
    expect(pending(0)).toEqual([]);
    m.ram.u8[PEND[0] - RAM_BASE + (LPI(5) >> 3)] |= 1 << (LPI(5) & 7);
    rdW(0, 0x00, 1);
    expect(pending(0)).toEqual([LPI(5)]);
  });
  it('a command queue outside RAM stalls (GITS_CREADR.Stalled) until it is reprogrammed', () => {
    itsW(0x00, 0);
    itsW(0x80, 0x0c00_0000); itsW(0x84, 1 << 31); // an address with nothing behind it
    itsW(0x00, 1);
    itsW(0x88, 32);
    expect(itsR(0x90)).toBe(1); // offset 0, Stalled
    itsW(0x00, 0);
    itsW(0x80, CQ); itsW(0x84, (1 << 31) | hi(CQ));
    expect(itsR(0x90)).toBe(0);
  });
  it('the queue wraps around its end', () => {
    mapti(1, 0, LPI(0), 0); go();
    for (let n = 0; n < 100; n++) { int(1, 0); clear(1, 0); go(); }
    int(1, 0);
    go();
    expect(itsR(0x90)).toBe(wr);
    expect(pending(0)).toEqual([LPI(0)]);
  });
});
