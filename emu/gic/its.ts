// GICv3 Interrupt Translation Service (Arm IHI 0069, chapter 5), as QEMU 7.2's virt has it with
// gic-version=3 (its=on): one ITS at 0x08080000, physical LPIs only (no GICv4 virtual LPIs).
//
//   const its = new GicV3Its(gic, ram);      // also gives the GIC its LPIs (GicV3.attachLpiMemory)
//   bus.map(0x0808_0000, ITS_SIZE, its.mmio); // control frame + translation frame (GITS_TRANSLATER)
//   its.translate(deviceId, eventId)         // an MSI write (a device's message) -> an LPI
//
// Registers (64 KiB control frame): GITS_CTLR (Enabled; Quiescent reads 1), GITS_IIDR, GITS_TYPER,
// GITS_CBASER, GITS_CWRITER, GITS_CREADR, GITS_BASER0 (device table) and GITS_BASER1 (collection
// table), GITS_BASER2-7 RAZ/WI (no table), the ID registers; translation frame at +0x10000:
// GITS_TRANSLATER (+0x40, 16- or 32-bit writes).
//
// Choices (QEMU 7.2's wherever the architecture leaves one):
// - GITS_TYPER: Physical, ITT_entry_size 12 bytes, IDbits 16, Devbits 16, CIL with CIDbits 16,
//   PTA = 0 (a collection's target is a redistributor's GICR_TYPER.Processor_Number), HCC = 0 (every
//   collection lives in memory), SEIS = 0.
// - Table entry formats (IMPLEMENTATION DEFINED; QEMU's, little-endian): a device table entry is 8
//   bytes: Valid [0], Size (EventID bits - 1) [5:1], ITT_addr >> 8 [49:6]; a collection table entry 8
//   bytes: Valid [0], RDbase (processor number) [16:1]; an ITT entry 12 bytes: a doubleword with Valid
//   [0], IntType [1] (1 = physical), pINTID [25:2], Doorbell [49:26] (1023), then a word with ICID
//   [15:0]. Two-level tables (GITS_BASER.Indirect) use the architecture's level-1 entries: Valid [63],
//   level-2 page address [51:12]. BASER<n>.Type and Entry_Size are read-only (Device, 8; Collection,
//   8); both reset to 64 KiB pages.
// - GITS_CBASER and GITS_BASER<n> are read-only while the ITS is enabled. Writing GITS_CBASER sets
//   GITS_CREADR and GITS_CWRITER to 0. The table and queue registers are sampled when Enabled is set.
// - Commands are processed synchronously, in order, when GITS_CWRITER is written or the ITS is enabled
//   (so SYNC has nothing to wait for, and the queue never holds unprocessed commands for long). A
//   command with an out-of-range or unmapped operand is ignored and the queue moves on; a command or
//   table outside RAM stalls the queue (GITS_CREADR.Stalled = 1) until the queue is reprogrammed.
// - A write to GITS_TRANSLATER by a core has DeviceID 0: a core's store carries no requester ID (the
//   board has no PCI bus; QEMU uses the requester ID of the memory transaction, which is 0 for a CPU).

import type { MmioDevice } from '../mem/bus.js';
import type { Ram } from '../mem/ram.js';
import { GicV3, LPI_INTID_BASE, GIC_ID_BITS, INTID_SPURIOUS } from './gicv3.js';

export const ITS_SIZE = 0x2_0000;
const TRANSLATER = 0x1_0040;

const IIDR = 0x43b;
/** PIDR4-7, PIDR0-3, CIDR0-3 (PIDR0 = 0x94 for an ITS, PIDR2.ArchRev = 3), as QEMU. */
const ID_REGS = [0x44, 0, 0, 0, 0x94, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1];

const ITT_ENTRY_SIZE = 12;
const DTE_SIZE = 8, CTE_SIZE = 8;
const ID_BITS = 16, DEV_BITS = 16, CID_BITS = 16;
/** GITS_TYPER low and high words. */
const TYPER_LO = (1 /* Physical */ | ((ITT_ENTRY_SIZE - 1) << 4) | ((ID_BITS - 1) << 8) | ((DEV_BITS - 1) << 13)) >>> 0;
const TYPER_HI = ((CID_BITS - 1) /* CIDbits */ | (1 << 4) /* CIL */) >>> 0;

const TYPE_DEVICE = 1, TYPE_COLLECTION = 4;
/** GITS_BASER high-word bits that are read-only: Type [58:56] and Entry_Size [52:48]. */
const BASER_RO_HI = 0x071f_0000;

const CMD = {
  MOVI: 0x01, INT: 0x03, CLEAR: 0x04, SYNC: 0x05, MAPD: 0x08, MAPC: 0x09, MAPTI: 0x0a, MAPI: 0x0b,
  INV: 0x0c, INVALL: 0x0d, MOVALL: 0x0e, DISCARD: 0x0f,
} as const;

const TWO32 = 4294967296;

/** A table described by a GITS_BASER<n>, sampled when the ITS is enabled. */
interface Table { valid: boolean; indirect: boolean; base: number; pageSize: number; entrySize: number; bytes: number }

const noTable = (): Table => ({ valid: false, indirect: false, base: 0, pageSize: 0, entrySize: 8, bytes: 0 });

/** A failed memory access (outside RAM): the command queue stalls. */
class MemFault extends Error {}

export class GicV3Its {
  readonly mmio: MmioDevice;
  enabled = false;
  cbaserLo = 0; cbaserHi = 0;
  cwriterLo = 0; cwriterHi = 0;
  /** GITS_CREADR.Offset (byte offset in the queue) and Stalled. */
  creadr = 0;
  stalled = false;
  readonly baserLo = new Int32Array(8);
  readonly baserHi = new Int32Array(8);
  private dt: Table = noTable();
  private ct: Table = noTable();
  private cqBase = 0;
  private cqBytes = 0;
  /** Commands processed, per command number (for tests). */
  readonly commands = new Array<number>(16).fill(0);

  constructor(readonly gic: GicV3, readonly ram: Ram) {
    gic.attachLpiMemory(ram);
    this.reset();
    this.mmio = {
      name: 'gicv3-its',
      read: (off, size) => this.read(off, size),
      write: (off, size, v) => this.write(off, size, v),
      peek: (off, size) => this.read(off, size),
    };
  }

  /** Reset state (system reset): disabled, empty queue, BASER0/1 typed with 64 KiB pages. */
  reset(): void {
    this.enabled = false;
    this.cbaserLo = 0; this.cbaserHi = 0; this.cwriterLo = 0; this.cwriterHi = 0;
    this.creadr = 0; this.stalled = false;
    this.baserLo.fill(0); this.baserHi.fill(0);
    this.baserLo[0] = 2 << 8; this.baserHi[0] = (TYPE_DEVICE << 24) | ((DTE_SIZE - 1) << 16);
    this.baserLo[1] = 2 << 8; this.baserHi[1] = (TYPE_COLLECTION << 24) | ((CTE_SIZE - 1) << 16);
    this.dt = noTable(); this.ct = noTable();
    this.cqBase = 0; this.cqBytes = 0;
  }

  // ---------------------------------------------------------------- registers

  read(off: number, size: number): number {
    if (size !== 4 || (off & 3) !== 0 || off >= 0x1_0000) return 0;
    if (off >= 0x100 && off < 0x140) {
      const n = (off - 0x100) >>> 3;
      return ((off & 4) === 0 ? this.baserLo[n] : this.baserHi[n]) >>> 0;
    }
    switch (off) {
      case 0x00: return ((1 << 31) /* Quiescent */ | (this.enabled ? 1 : 0)) >>> 0;
      case 0x04: return IIDR;
      case 0x08: return TYPER_LO;
      case 0x0c: return TYPER_HI;
      case 0x80: return this.cbaserLo >>> 0;
      case 0x84: return this.cbaserHi >>> 0;
      case 0x88: return this.cwriterLo >>> 0;
      case 0x8c: return this.cwriterHi >>> 0;
      case 0x90: return (this.creadr | (this.stalled ? 1 : 0)) >>> 0;
      case 0x94: return 0;
      default: return off >= 0xffd0 ? ID_REGS[(off - 0xffd0) >>> 2] : 0;
    }
  }

  write(off: number, size: number, v: number): void {
    if (off === TRANSLATER) {
      // a 16- or 32-bit write of the EventID; a core's write has DeviceID 0 (no requester ID)
      if (size === 2 || size === 4) this.translate(0, v >>> 0);
      return;
    }
    if (size !== 4 || (off & 3) !== 0 || off >= 0x1_0000) return;
    if (off >= 0x100 && off < 0x140) {
      const n = (off - 0x100) >>> 3;
      if (this.enabled || ((this.baserHi[n] >>> 24) & 7) === 0) return; // read-only when enabled; unimplemented RAZ/WI
      if ((off & 4) === 0) this.baserLo[n] = v;
      else this.baserHi[n] = (this.baserHi[n] & BASER_RO_HI) | (v & ~BASER_RO_HI);
      return;
    }
    switch (off) {
      case 0x00:
        if ((v & 1) !== 0) {
          this.enabled = true;
          this.sampleTables();
          this.processQueue();
        } else {
          this.enabled = false;
        }
        return;
      case 0x80: case 0x84:
        if (this.enabled) return;
        if (off === 0x80) this.cbaserLo = v; else this.cbaserHi = v;
        this.creadr = 0; this.stalled = false;
        this.cwriterLo = 0; this.cwriterHi = 0;
        return;
      case 0x88:
        this.cwriterLo = v & ~1; // Retry (bit 0) is not supported: the queue never waits to retry
        if (this.enabled && this.offsetOf(this.cwriterLo) !== this.creadr) this.processQueue();
        return;
      case 0x8c: this.cwriterHi = v; return;
      case 0x90: this.creadr = v & 0xf_ffe0; this.stalled = false; return; // writable: GICD_CTLR.DS = 1
      default: return;
    }
  }

  private offsetOf(v: number): number { return v & 0xf_ffe0; }

  /** Read GITS_BASER0/1 and GITS_CBASER into table descriptions (on enable, as QEMU). */
  private sampleTables(): void {
    this.dt = noTable(); this.ct = noTable();
    for (let n = 0; n < 8; n++) {
      const lo = this.baserLo[n] >>> 0, hi = this.baserHi[n] >>> 0;
      const type = (hi >>> 24) & 7;
      if (type !== TYPE_DEVICE && type !== TYPE_COLLECTION) continue;
      if ((hi >>> 31) === 0) continue; // Valid
      const ps = (lo >>> 8) & 3;
      const pageSize = ps === 0 ? 0x1000 : ps === 1 ? 0x4000 : 0x1_0000;
      // Physical_Address [47:12]; with 64 KiB pages bits [51:48] of the address are in [15:12]
      let base = (hi & 0xffff) * TWO32 + ((lo & 0xffff_f000) >>> 0);
      if (pageSize === 0x1_0000) base = (hi & 0xffff) * TWO32 + ((lo & 0xffff_0000) >>> 0) + ((lo >>> 12) & 0xf) * 2 ** 48;
      const t: Table = {
        valid: true, indirect: ((hi >>> 30) & 1) !== 0, base, pageSize,
        entrySize: ((hi >>> 16) & 0x1f) + 1, bytes: ((lo & 0xff) + 1) * pageSize,
      };
      if (type === TYPE_DEVICE) this.dt = t; else this.ct = t;
    }
    const valid = (this.cbaserHi >>> 31) !== 0;
    this.cqBase = valid ? (this.cbaserHi & 0xfffff) * TWO32 + ((this.cbaserLo & 0xffff_f000) >>> 0) : 0;
    this.cqBytes = valid ? ((this.cbaserLo & 0xff) + 1) * 0x1000 : 0;
  }

  // ---------------------------------------------------------------- guest memory

  private inRam(pa: number, len: number): boolean {
    return pa >= this.ram.base && pa + len <= this.ram.base + this.ram.size;
  }
  private ld32(pa: number): number {
    if (!this.inRam(pa, 4)) throw new MemFault();
    return this.ram.dv.getUint32(pa - this.ram.base, true);
  }
  /** A doubleword as a number: callers only use fields below bit 53. */
  private ld64(pa: number): number { return this.ld32(pa + 4) * TWO32 + this.ld32(pa); }
  private st32(pa: number, v: number): void {
    if (!this.inRam(pa, 4)) throw new MemFault();
    this.ram.touch(pa - this.ram.base, 4); // first: a snapshot saves the page before it changes
    this.ram.dv.setUint32(pa - this.ram.base, v >>> 0, true);
  }
  private st64(pa: number, v: number): void { this.st32(pa, v % TWO32); this.st32(pa + 4, Math.floor(v / TWO32)); }

  /** Address of entry id in table t, or -1 when id is beyond it or its level-2 page is not valid. */
  private entryAddr(t: Table, id: number): number {
    if (!t.valid) return -1;
    if (!t.indirect) return id * t.entrySize < t.bytes ? t.base + id * t.entrySize : -1;
    const perPage = Math.floor(t.pageSize / t.entrySize);
    const l1 = Math.floor(id / perPage);
    if (l1 * 8 >= t.bytes) return -1;
    const hi = this.ld32(t.base + l1 * 8 + 4), lo = this.ld32(t.base + l1 * 8);
    if ((hi >>> 31) === 0) return -1;
    const l2 = (hi & 0xfffff) * TWO32 + ((lo & 0xffff_f000) >>> 0);
    return l2 + (id % perPage) * t.entrySize;
  }

  /** Device table entry: { size: EventID bits, itt: address } or null when not mapped. */
  private dte(devId: number): { events: number; itt: number } | null {
    if (devId >= 2 ** DEV_BITS) return null;
    const a = this.entryAddr(this.dt, devId);
    if (a < 0) return null;
    const e = this.ld64(a);
    if (e % 2 === 0) return null;
    return { events: 2 ** ((Math.floor(e / 2) & 0x1f) + 1), itt: Math.floor(e / 64) * 256 };
  }

  /** Collection table entry: the target core, or -1 when not mapped. */
  private cte(icid: number): number {
    if (icid >= 2 ** CID_BITS) return -1;
    const a = this.entryAddr(this.ct, icid);
    if (a < 0) return -1;
    const e = this.ld32(a);
    return (e & 1) !== 0 ? (e >>> 1) & 0xffff : -1;
  }

  /** ITT entry of an event: { intid, icid } or null. */
  private ite(d: { events: number; itt: number }, eventId: number): { intid: number; icid: number } | null {
    if (eventId >= d.events) return null;
    const a = d.itt + eventId * ITT_ENTRY_SIZE;
    const lo = this.ld32(a);
    if ((lo & 3) !== 3) return null; // Valid, physical
    return { intid: (lo >>> 2) & 0xffffff, icid: this.ld32(a + 8) & 0xffff };
  }

  private writeIte(d: { itt: number }, eventId: number, intid: number, icid: number, valid: boolean): void {
    const a = d.itt + eventId * ITT_ENTRY_SIZE;
    const itel = valid ? 3 + intid * 4 + INTID_SPURIOUS * 2 ** 26 : 0;
    this.st64(a, itel);
    this.st32(a + 8, valid ? icid : 0);
  }

  // ---------------------------------------------------------------- translation and commands

  /** An MSI: DeviceID devId signals EventID eventId. Returns true when it became a pending LPI. */
  translate(devId: number, eventId: number): boolean {
    if (!this.enabled) return false;
    try {
      return this.deliver(devId, eventId, 'set');
    } catch (e) {
      if (e instanceof MemFault) return false;
      throw e;
    }
  }

  /** Look up (devId, eventId) and set or clear its LPI's pending state at its collection's target. */
  private deliver(devId: number, eventId: number, op: 'set' | 'clear'): boolean {
    const d = this.dte(devId);
    if (d === null) return false;
    const e = this.ite(d, eventId);
    if (e === null) return false;
    const core = this.cte(e.icid);
    if (core < 0 || core >= this.gic.cpus.length) return false;
    this.gic.setLpiPending(core, e.intid, op === 'set');
    return true;
  }

  /** Process commands from GITS_CREADR up to GITS_CWRITER. */
  private processQueue(): void {
    if (!this.enabled || this.stalled || this.cqBytes === 0) return;
    const wr = this.offsetOf(this.cwriterLo);
    if (wr >= this.cqBytes || this.creadr >= this.cqBytes) return; // out of the queue: nothing to do
    while (this.creadr !== wr) {
      try {
        this.command(this.cqBase + this.creadr);
      } catch (e) {
        if (!(e instanceof MemFault)) throw e;
        this.stalled = true;
        return;
      }
      this.creadr = (this.creadr + 32) % this.cqBytes;
    }
  }

  /** One 32-byte command at pa. Ill-formed commands are ignored (QEMU: the queue continues). */
  private command(pa: number): void {
    const d0lo = this.ld32(pa), d0hi = this.ld32(pa + 4);
    const d1lo = this.ld32(pa + 8), d1hi = this.ld32(pa + 12);
    const d2lo = this.ld32(pa + 16), d2hi = this.ld32(pa + 20);
    const cmd = d0lo & 0xff;
    const devId = d0hi >>> 0, eventId = d1lo >>> 0;
    if (cmd < 16) this.commands[cmd]++;
    const cores = this.gic.cpus.length;
    /** RDbase [50:16] of a doubleword: a processor number (GITS_TYPER.PTA = 0). */
    const rdbase = (lo: number) => lo >>> 16; // bits [31:16]: QEMU keeps 16 bits of the processor number
    switch (cmd) {
      case CMD.MAPD: {
        const size = d1lo & 0x1f;
        if (devId >= 2 ** DEV_BITS || size > ID_BITS - 1) return;
        const a = this.entryAddr(this.dt, devId);
        if (a < 0) return;
        const itt = (d2hi & 0xfffff) * TWO32 + ((d2lo & 0xffff_ff00) >>> 0);
        this.st64(a, (d2hi >>> 31) !== 0 ? 1 + size * 2 + (itt / 256) * 64 : 0);
        return;
      }
      case CMD.MAPC: {
        const icid = d2lo & 0xffff, rd = rdbase(d2lo);
        if (rd >= cores) return;
        const a = this.entryAddr(this.ct, icid);
        if (a < 0) return;
        this.st64(a, (d2hi >>> 31) !== 0 ? 1 + rd * 2 : 0);
        return;
      }
      case CMD.MAPTI: case CMD.MAPI: {
        const intid = cmd === CMD.MAPI ? eventId : d1hi >>> 0;
        const icid = d2lo & 0xffff;
        const d = this.dte(devId);
        if (d === null || eventId >= d.events || this.entryAddr(this.ct, icid) < 0) return;
        if ((intid < LPI_INTID_BASE || intid >= 2 ** GIC_ID_BITS) && intid !== INTID_SPURIOUS) return;
        this.writeIte(d, eventId, intid, icid, true);
        return;
      }
      case CMD.INT: this.deliver(devId, eventId, 'set'); return;
      case CMD.CLEAR: this.deliver(devId, eventId, 'clear'); return;
      case CMD.DISCARD: {
        const d = this.dte(devId);
        if (d === null || this.ite(d, eventId) === null) return;
        if (!this.deliver(devId, eventId, 'clear')) return; // an unmapped collection: nothing to discard
        this.writeIte(d, eventId, 0, 0, false);
        return;
      }
      case CMD.MOVI: {
        const d = this.dte(devId);
        if (d === null) return;
        const e = this.ite(d, eventId);
        if (e === null) return;
        const icid = d2lo & 0xffff;
        const from = this.cte(e.icid), to = this.cte(icid);
        if (from < 0 || to < 0 || from >= cores || to >= cores) return;
        this.gic.moveLpi(from, to, e.intid);
        this.writeIte(d, eventId, e.intid, icid, true);
        return;
      }
      case CMD.MOVALL: {
        const d3lo = this.ld32(pa + 24);
        const from = rdbase(d2lo), to = rdbase(d3lo);
        if (from >= cores || to >= cores) return;
        this.gic.moveAllLpis(from, to);
        return;
      }
      case CMD.INV: case CMD.INVALL:
        // Nothing is cached but the pending LPIs: re-read the tables everywhere (as QEMU).
        for (let k = 0; k < cores; k++) this.gic.loadLpiPending(k);
        return;
      case CMD.SYNC: return; // every earlier command has completed
      default: return;       // GICv4 and unknown commands: ignored
    }
  }
}
