// Stage-1 address translation for the EL1&0 regime (VMSAv8-64, Arm ARM D8 / D4 in older issues) with a
// per-core software TLB; a second instance per core serves the EL2 regime (no VHE: TTBR0_EL2 only,
// TCR_EL2's one VA range and PS, one privilege level, no ASIDs), which flushEl2() loads in TCR_EL1's
// layout so that the walk and the TLB are shared code. Stage 2 is not modelled.
//
// Translation: 4 KiB granule (a 16 or 64 KiB TG0/TG1 setting, which ID_AA64MMFR0_EL1 says we do not
// implement, is treated as 4 KiB: the Arm ARM makes the choice of implemented granule IMPLEMENTATION
// DEFINED), TxSZ 16..39 (input sizes 48..25 bits, start level from TxSZ), TTBR0/TTBR1 selected by VA bit
// 63 (bit 55 when TCR.TBIx ignores the top byte), table/block/page descriptors, APTable/UXNTable/
// PXNTable, AP[2:1], UXN, PXN, SCTLR_EL1.WXN, the access flag (no hardware update: ARMv8.0), ASIDs
// (TCR.A1, TCR.AS), MAIR memory types, a 44-bit PA with the TCR.IPS output size check.
//
// The TLB caches one 4 KiB page per entry (a block is cached as the 4 KiB pieces that were touched). It is
// 2-way set-associative (so that one VA under two ASIDs, two processes, can stay cached together), the set
// chosen by a hash of VA[55:12], each entry tagged with the whole VA page and the ASID (-1 for a global
// entry). An entry holds the PA of the page and a permission word with one bit per (EL, access) pair plus
// "Normal memory" (unaligned accesses allowed). Way 0 of a set holds the most recently used entry and is
// the only one the hit path looks at: hash, two tag compares, one ASID compare, one mask test, return.
// A hit in way 1 is found by the slow path, which swaps the two ways. translate() is kept small enough
// for V8 to inline it into the memory accessors (it returns a PA above 2^30, which would otherwise be
// boxed as a heap number on every call). Everything else (misses, permission or alignment failures,
// accesses that cross a page) walks the tables again and reports the fault exactly as the walk finds it.
// The TLB holds only last-level (leaf) entries: there is no walk cache, so TLBI VALE1 and VAE1 behave the
// same here.

import type { Cpu } from './cpu.js';
import { Access } from './cpu.js';
import { SYSREG_BY_NAME } from './sysregs.js';

// Permission bits of a TLB entry (and of a walk result).
const P_R1 = 1;     // EL1 read
const P_W1 = 2;     // EL1 write
const P_X1 = 4;     // EL1 execute
const P_R0 = 8;     // EL0 read (also LDTR at EL1)
const P_W0 = 16;    // EL0 write (also STTR at EL1)
const P_X0 = 32;    // EL0 execute
const P_NORMAL = 64; // Normal memory: an unaligned access does not fault
/** Never set in an entry: an access that crosses a page always takes the slow path. */
const P_SLOW = 128;
/** Bits 8..12 of an entry's permission word: log2 of the size of the block or page it came from. */
const SHIFT_POS = 8;

/** Permission bits an access needs, indexed by (EL << 3) | Access. Literal numbers because this runs at
 * module load, before cpu.ts (which imports this module indirectly) has defined Access:
 * Read 0, Write 1, Exec 2, ReadUnpriv 3, WriteUnpriv 4. */
const NEED = new Int32Array(32);
NEED[0] = P_R0; NEED[1] = P_W0; NEED[2] = P_X0; NEED[3] = P_R0; NEED[4] = P_W0; // at EL0
NEED[8] = P_R1; NEED[9] = P_W1; NEED[10] = P_X1; NEED[11] = P_R0; NEED[12] = P_W0; // at EL1
// At EL2 (the EL2 regime's Mmu, whose entries carry the privileged bits only): LDTR/STTR at EL2 are
// ordinary accesses.
NEED[16] = P_R1; NEED[17] = P_W1; NEED[18] = P_X1; NEED[19] = P_R1; NEED[20] = P_W1;

// Fault status codes (ESR_ELx.DFSC/IFSC, PAR_EL1.FST); the level goes in the low two bits.
const FSC_ADDRESS_SIZE = 0b000000;
const FSC_TRANSLATION = 0b000100;
const FSC_ACCESS_FLAG = 0b001000;
const FSC_PERMISSION = 0b001100;
const FSC_EXT_ABORT_WALK = 0b010100;
const FSC_ALIGNMENT = 0b100001;

const SET_BITS = 9;
const SETS = 1 << SET_BITS;
const SET_MASK = SETS - 1;
/** Entries: 2 ways per set; entry i of set s is s * 2 + i. */
const TLB_SIZE = SETS * 2;
/** A tag that never matches a page address (page addresses have bits [11:0] clear). */
const INVALID = 1;

const TWO32 = 4294967296;

// SCTLR_EL1 and TCR_EL1 fields.
const SCTLR_M = 1 << 0;
const SCTLR_WXN = 1 << 19;
const SCTLR_EE = 1 << 25;
const TCR_EPD0 = 1 << 7;
const TCR_A1 = 1 << 22;
const TCR_EPD1 = 1 << 23;
const TCRH_AS = 1 << 4;   // TCR_EL1 bit 36
const TCRH_TBI0 = 1 << 5; // bit 37
const TCRH_TBI1 = 1 << 6; // bit 38
const HCR_FB = 1 << 9;
// TCR_EL2 (the EL2 regime without VHE: one VA range, TTBR0_EL2): T0SZ [5:0], PS [18:16], TBI [20].
const TCR2_PS_SHIFT = 16;
const TCR2_TBI = 1 << 20;

/** TCR.IPS to output address size, capped at our PARange (44 bits, as the Cortex-A57 and QEMU's model). */
const IPS_BITS = [32, 36, 40, 42, 44, 44, 44, 44];

/** Marker returned by translate() when an access crosses into a page that is not the physically next
 * one: the PAs of the two parts are in Mmu.splitPa0 / splitPa1 and the caller must split the access. */
export const SPLIT = -1;

/** First entry (way 0) of the set for a VA; way 1 is the next entry. */
function setOf(vlo: number, vhi: number): number {
  // VA[55:12] folded in 9-bit pieces: the 512 pages of an aligned 2 MiB region use 512 different sets.
  // The top byte may be a TBI tag and does not take part.
  const v = vlo >>> 12, h = vhi & 0xffffff;
  return ((v ^ (v >>> 9) ^ h ^ (h >>> 9)) & SET_MASK) << 1;
}

/** Filter slot for VA[55:21] (2 MiB blocks) and VA[55:30] (1 GiB blocks). */
function blockSlot21(vlo: number, vhi: number): number {
  const h = vhi & 0xffffff;
  return ((vlo >>> 21) ^ h ^ (h >>> 8)) & 255;
}
function blockSlot30(vlo: number, vhi: number): number {
  const h = vhi & 0xffffff;
  return ((vlo >>> 30) ^ (h << 2) ^ (h >>> 6)) & 255;
}

/** VA bits [bottom+width-1 : bottom], width <= 9, bottom >= 12. */
function vaBits(vlo: number, vhi: number, bottom: number, width: number): number {
  const m = (1 << width) - 1;
  if (bottom >= 32) return (vhi >>> (bottom - 32)) & m;
  return ((vlo >>> bottom) | (vhi << (32 - bottom))) & m;
}

/** Are VA bits [top:from] all equal to `ones` (0 or 1)? from is 25..48, top is 55 or 63. */
function topBitsAre(vlo: number, vhi: number, from: number, top: number, ones: number): boolean {
  // High word: bits [top:max(from,32)].
  const hiFrom = from > 32 ? from - 32 : 0;
  const hiWidth = top - 32 - hiFrom + 1;
  const hiMask = hiWidth >= 32 ? 0xffffffff : (2 ** hiWidth - 1);
  const hiVal = ((vhi >>> hiFrom) >>> 0) % (hiMask + 1);
  if (hiVal !== (ones !== 0 ? hiMask : 0)) return false;
  if (from >= 32) return true;
  const loVal = vlo >>> from;
  return loVal === (ones !== 0 ? (0xffffffff >>> from) : 0);
}

export class Mmu {
  /** The translation regime this Mmu serves: 1 for EL1&0 (TTBR0/1_EL1), 2 for EL2 (TTBR0_EL2). Each
   * core has one of each (SysRegs.mmu1/mmu2), so the two regimes never share TLB entries. */
  constructor(readonly regime: 1 | 2 = 1) {}

  // --- the TLB: per entry [tag VA[31:12] (INVALID when empty), VA[63:32], ASID or -1 if global, perms] ---
  private readonly tags = new Int32Array(TLB_SIZE * 4).fill(INVALID);
  /** Physical address of each entry's page. */
  private readonly pas = new Float64Array(TLB_SIZE);
  /** Marked (by a hash of the block's VA) where an entry cut from a 2 MiB / 1 GiB block may exist, so that
   * TLBI by VA knows when it must search the whole TLB rather than the page's one set. Rebuilt by every
   * full search. */
  private readonly blocks21 = new Uint8Array(256);
  private readonly blocks30 = new Uint8Array(256);
  private blockEntries = 0;

  /** Permission word of the last translation (see lastDevice). */
  private lastPerm = P_NORMAL;
  /** When translate() returned SPLIT: the PA of the first byte, and of the first byte on the next page. */
  splitPa0 = 0;
  splitPa1 = 0;

  // --- the translation registers, as last loaded by flush() ---
  private ready = false;
  private sctlr = 0;
  private tcrLo = 0;
  private tcrHi = 0;
  private ttbr0Lo = 0; private ttbr0Hi = 0;
  private ttbr1Lo = 0; private ttbr1Hi = 0;
  private mairLo = 0; private mairHi = 0;
  /** Current ASID (masked to 8 or 16 bits by TCR.AS). */
  private asid = 0;
  private asidMask = 0xff;

  // --- result of the last walk() ---
  private wPa = 0;      // PA of the 4 KiB page holding the VA
  private wPerm = 0;    // permission word, shift included
  private wAttr = 0;    // MAIR attribute byte
  private wSh = 0;      // SH[1:0] of the descriptor
  private wLevel = 0;
  private wGlobal = true;

  /** The memory type of the last access that went through translate(): true for Device memory. */
  get lastDevice(): boolean { return (this.lastPerm & P_NORMAL) === 0; }

  /** Virtual to physical for an access of `size` bytes at (vlo, vhi) with the MMU on, at EL0 or EL1.
   * Takes the abort (which throws) on a fault. Returns SPLIT when the access crosses into a page that
   * is not physically adjacent (see splitPa0/splitPa1). */
  translate(c: Cpu, vlo: number, vhi: number, acc: Access, size: number): number {
    const v = vlo >>> 12, h = vhi & 0xffffff; // as setOf()
    const i = ((v ^ (v >>> 9) ^ h ^ (h >>> 9)) & SET_MASK) << 1;
    const e = i << 2, t = this.tags;
    let need = NEED[(c.el << 3) | acc];
    if ((vlo & (size - 1)) !== 0) need |= (vlo & 0xfff) + size > 0x1000 ? P_SLOW : P_NORMAL;
    const a = t[e + 2], p = t[e + 3];
    if (t[e] === (vlo & ~0xfff) && t[e + 1] === (vhi | 0) && (a === this.asid || a < 0) && (p & need) === need) {
      this.lastPerm = p;
      return this.pas[i] + (vlo & 0xfff);
    }
    return this.miss(c, vlo | 0, vhi | 0, acc, size);
  }

  private miss(c: Cpu, vlo: number, vhi: number, acc: Access, size: number): number {
    if (!this.ready) this.flush(c);
    const off = vlo & 0xfff;
    const unaligned = (vlo & (size - 1)) !== 0;
    const pa = this.resolve(c, vlo, vhi, acc, unaligned);
    if (off + size <= 0x1000) return pa;
    const perm0 = this.lastPerm;
    // The access continues on the next page: translate that too (a fault there reports the first byte
    // of that page, as the Arm ARM's byte-by-byte unaligned access does).
    const v2lo = ((vlo | 0xfff) + 1) | 0;
    const v2hi = v2lo === 0 ? (vhi + 1) | 0 : vhi;
    const pa2 = this.resolve(c, v2lo, v2hi, acc, true);
    this.lastPerm &= perm0; // Device if either page is
    if (pa2 === pa - off + 0x1000) return pa;
    this.splitPa0 = pa;
    this.splitPa1 = pa2;
    return SPLIT;
  }

  /** One page: TLB, else walk, fill and check. Returns the PA of (vlo, vhi) or takes the abort. */
  private resolve(c: Cpu, vlo: number, vhi: number, acc: Access, unaligned: boolean): number {
    const el = c.el;
    const perm = NEED[(el << 3) | acc];
    const need = unaligned && acc !== Access.Exec ? perm | P_NORMAL : perm;
    const i = this.find(vlo, vhi);
    if (i >= 0 && (this.tags[(i << 2) + 3] & need) === need) {
      this.lastPerm = this.tags[(i << 2) + 3];
      return this.pas[i] + (vlo & 0xfff);
    }
    const f = this.walk(c, vlo, vhi);
    if (f >= 0) this.abort(c, vlo, vhi, acc, f);
    this.fill(c, vlo, vhi);
    const p = this.wPerm;
    // Arm ARM order after the walk: alignment (Device memory), then permission.
    if (unaligned && acc !== Access.Exec && (p & P_NORMAL) === 0) this.abort(c, vlo, vhi, acc, FSC_ALIGNMENT);
    if ((p & perm) !== perm) this.abort(c, vlo, vhi, acc, FSC_PERMISSION | this.wLevel);
    this.lastPerm = p;
    return this.wPa + (vlo & 0xfff);
  }

  private abort(c: Cpu, vlo: number, vhi: number, acc: Access, fsc: number): never {
    // memAbort sets ISS.WnR for Access.Write only; an STTR is a write too.
    c.memAbort(vlo, vhi, acc === Access.WriteUnpriv ? Access.Write : acc === Access.ReadUnpriv ? Access.Read : acc, fsc);
  }

  /** The entry translating this VA page for the current ASID, moved to way 0 of its set; or -1. */
  private find(vlo: number, vhi: number): number {
    const s = setOf(vlo, vhi), t = this.tags, vp = vlo & ~0xfff;
    for (let i = s; i < s + 2; i++) {
      const e = i << 2;
      if (t[e] === vp && t[e + 1] === vhi && (t[e + 2] === this.asid || t[e + 2] < 0)) {
        if (i !== s) this.swap(s);
        return s;
      }
    }
    return -1;
  }

  private swap(s: number): void {
    const t = this.tags, e0 = s << 2, e1 = e0 + 4;
    for (let k = 0; k < 4; k++) { const x = t[e0 + k]; t[e0 + k] = t[e1 + k]; t[e1 + k] = x; }
    const pa = this.pas[s]; this.pas[s] = this.pas[s + 1]; this.pas[s + 1] = pa;
  }

  /** Does entry e translate VA page vp for `asid` too (same page, and same ASID or either global)? */
  private sameSlot(e: number, vp: number, vhi: number, asid: number): boolean {
    const t = this.tags;
    return t[e] === vp && t[e + 1] === vhi && (t[e + 2] === asid || t[e + 2] < 0 || asid < 0);
  }

  /** Enter the last walk's result for this VA page in way 0 of its set; what way 0 held moves to way 1
   * unless it was the same translation. Never leaves two entries for one page and ASID. */
  private fill(c: Cpu, vlo: number, vhi: number): void {
    const s = setOf(vlo, vhi), t = this.tags, vp = vlo & ~0xfff;
    const asid = this.wGlobal ? -1 : this.asid;
    const e0 = s << 2, e1 = e0 + 4;
    // The core's data-access cache (Cpu.dtlbDrop) holds a subset of this TLB: drop from it the page
    // refilled here and the entry this fill evicts, so translated code sees what the TLB sees.
    c.dtlbDrop(vp, vhi);
    if (t[e1] !== INVALID) c.dtlbDrop(t[e1], t[e1 + 1]);
    if (!this.sameSlot(e0, vp, vhi, asid)) {
      if (t[e0] !== INVALID) {
        t[e1] = t[e0]; t[e1 + 1] = t[e0 + 1]; t[e1 + 2] = t[e0 + 2]; t[e1 + 3] = t[e0 + 3];
        this.pas[s + 1] = this.pas[s];
      } else if (this.sameSlot(e1, vp, vhi, asid)) {
        t[e1] = INVALID;
      }
    } else if (this.sameSlot(e1, vp, vhi, asid)) {
      t[e1] = INVALID;
    }
    const i = s, e = e0;
    t[e] = vp;
    t[e + 1] = vhi;
    t[e + 2] = asid;
    t[e + 3] = this.wPerm;
    this.pas[i] = this.wPa;
    const shift = this.wPerm >>> SHIFT_POS;
    if (shift === 21) { this.blocks21[blockSlot21(vlo, vhi)] = 1; this.blockEntries++; }
    else if (shift === 30) { this.blocks30[blockSlot30(vlo, vhi)] = 1; this.blockEntries++; }
  }

  // ------------------------------------------------------------------ the table walk

  /**
   * AArch64.TranslationTableWalk for stage 1 of the EL1&0 regime. Returns -1 on success, with the result
   * in the w* fields, or the fault status code (level included). The access flag is checked here, as in
   * the Arm ARM's walk; permissions and alignment are the caller's.
   */
  private walk(c: Cpu, vlo: number, vhi: number): number {
    const tcrLo = this.tcrLo, tcrHi = this.tcrHi;
    // AddrTop: bit 55 chooses the TBI control; the range is then chosen by bit 63 or, with TBI, bit 55.
    const b55 = (vhi >>> 23) & 1;
    const tbi = (tcrHi & (b55 !== 0 ? TCRH_TBI1 : TCRH_TBI0)) !== 0;
    const top = tbi ? 55 : 63;
    const upper = tbi ? b55 : vhi >>> 31;
    const txsz = upper !== 0 ? (tcrLo >>> 16) & 63 : tcrLo & 63;
    const inputsize = 64 - txsz;
    const disabled = (tcrLo & (upper !== 0 ? TCR_EPD1 : TCR_EPD0)) !== 0;
    // TxSZ outside 16..39 is CONSTRAINED UNPREDICTABLE (FORCE or FAULT); we fault, as QEMU does.
    if (disabled || inputsize > 48 || inputsize < 25 || !topBitsAre(vlo, vhi, inputsize, top, upper)) {
      return FSC_TRANSLATION | 0;
    }
    const outputsize = IPS_BITS[tcrHi & 7];
    const bLo = upper !== 0 ? this.ttbr1Lo : this.ttbr0Lo;
    const bHi = upper !== 0 ? this.ttbr1Hi : this.ttbr0Hi;
    if (outputsize !== 48 && ((bHi & 0xffff) >>> (outputsize - 32)) !== 0) return FSC_ADDRESS_SIZE | 0;
    let level = 4 - Math.ceil((inputsize - 12) / 9);
    const baseLower = 3 + inputsize - ((3 - level) * 9 + 12);
    let base = (bHi & 0xffff) * TWO32 + (((bLo >>> baseLower) << baseLower) >>> 0);

    const dv = c.dv, ramBase = c.ramBase, ramLast = c.ramSize - 8;
    let apTable = 0, xnTable = 0, pxnTable = 0;
    let selTop = inputsize - 1;
    let bottom: number, dlo: number, dhi: number;
    for (;;) {
      bottom = (3 - level) * 9 + 12;
      const index = vaBits(vlo, vhi, bottom, selTop - bottom + 1);
      const off = base + index * 8 - ramBase;
      if (off < 0 || off > ramLast) return FSC_EXT_ABORT_WALK | level;
      dlo = dv.getInt32(off, true);
      dhi = dv.getInt32(off + 4, true);
      if ((dlo & 1) === 0 || ((dlo & 3) === 1 && level === 3)) return FSC_TRANSLATION | level;
      if ((dlo & 3) === 1 || level === 3) break; // block or page
      // Table descriptor.
      if (outputsize !== 48 && ((dhi & 0xffff) >>> (outputsize - 32)) !== 0) return FSC_ADDRESS_SIZE | level;
      base = (dhi & 0xffff) * TWO32 + ((dlo & ~0xfff) >>> 0);
      apTable |= (dhi >>> 29) & 3; // APTable[0] = bit 61 (no EL0 access), APTable[1] = bit 62 (read-only)
      xnTable |= (dhi >>> 28) & 1; // UXNTable, bit 60
      pxnTable |= (dhi >>> 27) & 1; // PXNTable, bit 59
      level++;
      selTop = bottom - 1;
    }
    if (level < 1) return FSC_TRANSLATION | level; // no level 0 blocks with the 4 KiB granule
    if (outputsize !== 48 && ((dhi & 0xffff) >>> (outputsize - 32)) !== 0) return FSC_ADDRESS_SIZE | level;
    if ((dlo & (1 << 10)) === 0) return FSC_ACCESS_FLAG | level;

    // Output address: desc[47:bottom] : VA[bottom-1:12], page-aligned.
    const blockMask = bottom === 12 ? 0 : ((1 << bottom) - 1) & ~0xfff;
    this.wPa = (dhi & 0xffff) * TWO32 + ((dlo & ~((1 << bottom) - 1)) >>> 0) + (vlo & blockMask);
    this.wLevel = level;
    this.wGlobal = (dlo & (1 << 11)) === 0;
    this.wSh = (dlo >>> 8) & 3;
    const ai = (dlo >>> 2) & 7;
    const attr = ai < 4 ? (this.mairLo >>> (ai * 8)) & 0xff : (this.mairHi >>> ((ai - 4) * 8)) & 0xff;
    this.wAttr = attr;

    if (this.regime === 2) {
      // EL2 regime (AArch64.S1DecodePermissions with one privilege level): AP[2] read-only, AP[1] and
      // APTable[0] ignored, XN at bit 54 (with XNTable), PXN ignored, nG ignored (no ASIDs).
      const ro = ((dlo >>> 7) & 1) | (apTable >>> 1);
      const xn = ((dhi >>> 22) & 1) | xnTable;
      let p2 = P_R1;
      if (ro === 0) p2 |= P_W1;
      if (xn === 0 && !(ro === 0 && (this.sctlr & SCTLR_WXN) !== 0)) p2 |= P_X1;
      if ((attr & 0xf0) !== 0) p2 |= P_NORMAL;
      this.wGlobal = true;
      this.wPerm = p2 | (bottom << SHIFT_POS);
      return -1;
    }
    // Permissions (AArch64.CheckPermission, EL1&0 regime).
    const ap2 = ((dlo >>> 7) & 1) | (apTable >>> 1);
    const ap1 = (dlo >>> 6) & 1 & ~apTable;
    const uxn = ((dhi >>> 22) & 1) | xnTable;
    const pxn = ((dhi >>> 21) & 1) | pxnTable;
    const wxn = (this.sctlr & SCTLR_WXN) !== 0;
    const w1 = ap2 === 0, r0 = ap1 !== 0, w0 = r0 && w1;
    let perm = P_R1;
    if (w1) perm |= P_W1;
    if (r0) perm |= P_R0;
    if (w0) perm |= P_W0;
    if (uxn === 0 && !(w0 && wxn)) perm |= P_X0;
    // EL1 may not execute what EL0 can write, whatever WXN says.
    if (pxn === 0 && !(w1 && wxn) && !w0) perm |= P_X1;
    // Device memory: attr[7:4] = 0. An instruction fetch from Device memory that is not execute-never is
    // CONSTRAINED UNPREDICTABLE (AArch64.InstructionDevice): a Permission fault, or treated as Normal
    // Non-cacheable. We take the second choice, as QEMU does.
    if ((attr & 0xf0) !== 0) perm |= P_NORMAL;
    this.wPerm = perm | (bottom << SHIFT_POS);
    return -1;
  }

  // ------------------------------------------------------------------ TLB maintenance

  /** TLBI: returns false for an encoding that is not a TLB maintenance operation we know (UNDEFINED). */
  tlbi(c: Cpu, op1: number, crm: number, op2: number, rt: number): boolean {
    if (op1 === 4) return this.tlbiEl2(c, crm, op2, rt);
    if (op1 !== 0 || (crm !== 3 && crm !== 7) || op2 === 4 || op2 === 6) return false;
    // HCR_EL2.FB upgrades EL1's local TLBIs to Inner Shareable.
    const broadcast = crm === 3 || (c.el === 1 && c.hasEl2 && (c.sys.hcrEl2Lo & HCR_FB) !== 0);
    // Xt: ASID in [63:48], VA[55:12] in [43:0].
    const xlo = c.x[2 * rt], xhi = c.x[2 * rt + 1];
    const asid = xhi >>> 16;
    const vaLo = xlo << 12;
    const vaHi = ((xlo >>> 20) | (xhi << 12)) & 0xffffff;
    const peers = broadcast && c.peers.length > 0 ? c.peers : null;
    const n = peers === null ? 1 : peers.length;
    for (let k = 0; k < n; k++) {
      const core = peers === null ? c : peers[k];
      const m = core.sys.mmu1; // the EL1&0 regime, whichever EL issues it
      let onePage = false;
      switch (op2) {
        case 0: m.invalidateAll(); break;                        // VMALLE1(IS)
        case 1: case 5: onePage = m.invalidateVa(vaLo, vaHi, asid, false); break; // VAE1(IS), VALE1(IS)
        case 2: m.invalidateAsid(asid); break;                   // ASIDE1(IS)
        case 3: case 7: onePage = m.invalidateVa(vaLo, vaHi, 0, true); break;     // VAAE1(IS), VAALE1(IS)
      }
      // The core's fetch and data-access caches hold a subset of the TLB: when one page went, drop
      // just that page from them (kernels invalidate page by page, often); else everything.
      if (onePage) core.dropPage(vaLo & ~0xfff, vaHi);
      else core.resetFetch();
    }
    return true;
  }

  /** The EL2 TLBIs (op1 = 4), legal at EL2 only. ALLE2 and VAE2/VALE2 drop EL2 regime entries (VA in
   * Xt[43:0], no ASID); ALLE1 and VMALLS12E1 drop the EL1&0 entries (there is no stage 2: VTTBR_EL2 is
   * storage); the IPA ones have nothing to drop. */
  private tlbiEl2(c: Cpu, crm: number, op2: number, rt: number): boolean {
    if (c.el < 2) return false;
    if (crm === 0 || crm === 4) { // IPAS2E1IS, IPAS2LE1IS / IPAS2E1, IPAS2LE1
      return op2 === 1 || op2 === 5;
    }
    if (crm !== 3 && crm !== 7) return false;
    const broadcast = crm === 3;
    // 0: ALLE2, 1: VAE2 / VALE2, 2: ALLE1 / VMALLS12E1
    let what: number;
    switch (op2) {
      case 0: what = 0; break;
      case 1: case 5: what = 1; break;
      case 4: case 6: what = 2; break;
      default: return false;
    }
    const xlo = c.x[2 * rt], xhi = c.x[2 * rt + 1];
    const vaLo = xlo << 12;
    const vaHi = ((xlo >>> 20) | (xhi << 12)) & 0xffffff;
    const peers = broadcast && c.peers.length > 0 ? c.peers : null;
    const n = peers === null ? 1 : peers.length;
    for (let k = 0; k < n; k++) {
      const core = peers === null ? c : peers[k];
      let onePage = false;
      if (what === 2) core.sys.mmu1.invalidateAll();
      else if (what === 0) core.sys.mmu2.invalidateAll();
      else onePage = core.sys.mmu2.invalidateVa(vaLo, vaHi, 0, true);
      if (onePage) core.dropPage(vaLo & ~0xfff, vaHi); // as for the EL1 TLBIs
      else core.resetFetch();
    }
    return true;
  }

  /** Drop every entry. */
  invalidateAll(): void {
    this.tags.fill(INVALID);
    this.blocks21.fill(0);
    this.blocks30.fill(0);
    this.blockEntries = 0;
  }

  /** Drop the entries translating VA[55:12] = (vaLo[31:12], vaHi[23:0]) for `asid` (or any ASID), global
   * ones included. An entry cut from a block goes when the VA is anywhere in that block. Returns true
   * when only entries for that one page can have gone (false: a sweep for block entries). */
  private invalidateVa(vaLo: number, vaHi: number, asid: number, anyAsid: boolean): boolean {
    asid &= this.asidMask;
    if (this.blockEntries !== 0 &&
        (this.blocks21[blockSlot21(vaLo, vaHi)] !== 0 || this.blocks30[blockSlot30(vaLo, vaHi)] !== 0)) {
      this.sweep(vaLo, vaHi, asid, anyAsid, false);
      return false;
    }
    const s = setOf(vaLo, vaHi), t = this.tags;
    for (let e = s << 2; e < (s + 2) << 2; e += 4) {
      if (t[e] === (vaLo & ~0xfff) && ((t[e + 1] ^ vaHi) & 0xffffff) === 0 &&
          (anyAsid || t[e + 2] < 0 || t[e + 2] === asid)) t[e] = INVALID;
    }
    return true;
  }

  /** Drop the non-global entries of one ASID. */
  private invalidateAsid(asid: number): void {
    this.sweep(0, 0, asid & this.asidMask, false, true);
  }

  /** Search the whole TLB: by VA (and ASID unless anyAsid), or by ASID alone (byAsid); rebuild the block
   * filters from what stays. */
  private sweep(vaLo: number, vaHi: number, asid: number, anyAsid: boolean, byAsid: boolean): void {
    const t = this.tags;
    this.blocks21.fill(0);
    this.blocks30.fill(0);
    let blocks = 0;
    for (let i = 0; i < TLB_SIZE; i++) {
      const e = i << 2;
      const tlo = t[e];
      if (tlo === INVALID) continue;
      const a = t[e + 2];
      const shift = t[e + 3] >>> SHIFT_POS;
      let drop: boolean;
      if (byAsid) drop = a === asid;
      else {
        drop = (anyAsid || a < 0 || a === asid) &&
          ((tlo ^ vaLo) >>> shift) === 0 && ((t[e + 1] ^ vaHi) & 0xffffff) === 0;
      }
      if (drop) { t[e] = INVALID; continue; }
      if (shift === 21) { this.blocks21[blockSlot21(tlo, t[e + 1])] = 1; blocks++; }
      else if (shift === 30) { this.blocks30[blockSlot30(tlo, t[e + 1])] = 1; blocks++; }
    }
    this.blockEntries = blocks;
  }

  /**
   * SCTLR_EL1, TTBR0/1_EL1, TCR_EL1 or MAIR_EL1 was written (or the Mmu is used for the first time):
   * reload them. Entries stay valid across a TTBR write (they are tagged with their ASID, and the
   * architecture keeps them until a TLBI: that is what ASIDs are for); a change of SCTLR_EL1.{M,WXN,EE},
   * TCR_EL1 or MAIR_EL1 drops everything, since entries were built from them.
   */
  flush(c: Cpu): void {
    const s = c.sys;
    if (this.regime === 2) { this.flushEl2(c); return; }
    const sctlr = s.sctlrEl1, tcrLo = s.tcrEl1Lo, tcrHi = s.tcrEl1Hi, mairLo = s.mairLo, mairHi = s.mairHi;
    if (!this.ready || ((sctlr ^ this.sctlr) & (SCTLR_M | SCTLR_WXN | SCTLR_EE)) !== 0 ||
        tcrLo !== this.tcrLo || tcrHi !== this.tcrHi || mairLo !== this.mairLo || mairHi !== this.mairHi) {
      this.invalidateAll();
    }
    this.sctlr = sctlr; this.tcrLo = tcrLo; this.tcrHi = tcrHi; this.mairLo = mairLo; this.mairHi = mairHi;
    const t0 = s.ttbr(0), t1 = s.ttbr(1);
    this.ttbr0Lo = t0.lo; this.ttbr0Hi = t0.hi;
    this.ttbr1Lo = t1.lo; this.ttbr1Hi = t1.hi;
    this.asidMask = (tcrHi & TCRH_AS) !== 0 ? 0xffff : 0xff;
    this.asid = (((tcrLo & TCR_A1) !== 0 ? t1.hi : t0.hi) >>> 16) & this.asidMask;
    this.ready = true;
  }

  /** flush() for the EL2 regime: TCR_EL2 is loaded in TCR_EL1's layout (T0SZ, TTBR1's range disabled by
   * EPD1, PS as IPS, TBI as TBI0), so that walk() serves both regimes. */
  private flushEl2(c: Cpu): void {
    const s = c.sys;
    const sctlr = s.sctlrEl2, tcr = s.tcrEl2, mairLo = s.mairEl2Lo, mairHi = s.mairEl2Hi;
    const tcrLo = (tcr & 63) | TCR_EPD1;
    const tcrHi = ((tcr >>> TCR2_PS_SHIFT) & 7) | ((tcr & TCR2_TBI) !== 0 ? TCRH_TBI0 : 0);
    if (!this.ready || ((sctlr ^ this.sctlr) & (SCTLR_M | SCTLR_WXN | SCTLR_EE)) !== 0 ||
        tcrLo !== this.tcrLo || tcrHi !== this.tcrHi || mairLo !== this.mairLo || mairHi !== this.mairHi) {
      this.invalidateAll();
    }
    this.sctlr = sctlr; this.tcrLo = tcrLo; this.tcrHi = tcrHi; this.mairLo = mairLo; this.mairHi = mairHi;
    const t0 = s.ttbr0El2();
    // A TTBR0_EL2 write needs no invalidation: the architecture requires a TLBI after changing it.
    this.ttbr0Lo = t0.lo; this.ttbr0Hi = t0.hi;
    this.ttbr1Lo = 0; this.ttbr1Hi = 0;
    this.asidMask = 0xff;
    this.asid = 0;
    this.ready = true;
  }

  /** Forget everything, registers included (core reset): the next miss reloads them. */
  reset(): void {
    this.invalidateAll();
    this.ready = false;
  }

  /** A debugger's (gdb's) stage-1 translation: the PA of (vlo, vhi), or -1 when it does not
   * translate. No permission check, no fault taken, no TLB entry made. */
  peek(c: Cpu, vlo: number, vhi: number): number {
    if (!this.ready) this.flush(c);
    if (this.walk(c, vlo | 0, vhi | 0) >= 0) return -1;
    return this.wPa + (vlo & 0xfff);
  }

  // ------------------------------------------------------------------ AT

  /** AT S1E1R, S1E1W, S1E0R, S1E0W (op1 = 0, CRm = 8, op2 = 0..3): translate Xt and write PAR_EL1,
   * without taking an exception. Returns false (UNDEFINED) for other AT operations or at EL0. */
  at(c: Cpu, op1: number, op2: number, rt: number): boolean {
    if (op1 !== 0 || op2 > 3 || c.el === 0) return false;
    if (!this.ready) this.flush(c);
    const vlo = c.x[2 * rt], vhi = c.x[2 * rt + 1];
    const write = (op2 & 1) !== 0, el0 = op2 >= 2;
    let lo: number, hi: number;
    let fsc = -1;
    if ((this.sctlr & SCTLR_M) === 0) {
      // Stage 1 off: flat, 48-bit PA, data accesses Device-nGnRnE (AArch64.TranslateAddressS1Off).
      const b55 = (vhi >>> 23) & 1;
      const top = (this.tcrHi & (b55 !== 0 ? TCRH_TBI1 : TCRH_TBI0)) !== 0 ? 55 : 63;
      if (!topBitsAre(vlo, vhi, 48, top, 0)) fsc = FSC_ADDRESS_SIZE | 0;
      else { this.wPa = (vhi & 0xffff) * TWO32 + ((vlo & ~0xfff) >>> 0); this.wAttr = 0x00; this.wSh = 0b10; }
    } else {
      fsc = this.walk(c, vlo, vhi);
      if (fsc < 0) {
        const need = el0 ? (write ? P_W0 : P_R0) : (write ? P_W1 : P_R1);
        if ((this.wPerm & need) !== need) fsc = FSC_PERMISSION | this.wLevel;
      }
    }
    if (fsc >= 0) {
      // F = 1, FST, PTW = 0, S = 0 (stage 1), bit 11 RES1.
      lo = 1 | (fsc << 1) | (1 << 11);
      hi = 0;
    } else {
      const attr = this.wAttr;
      // Device memory, and Normal memory Inner and Outer Non-cacheable, are reported Outer Shareable.
      const sh = (attr & 0xf0) === 0 || attr === 0x44 ? 0b10 : this.wSh;
      // NS = 1: the guest runs in Non-secure state (there is no EL3), as QEMU reports it.
      lo = ((this.wPa % TWO32) & ~0xfff) | (sh << 7) | (1 << 9) | (1 << 11);
      hi = (Math.floor(this.wPa / TWO32) & 0xffff) | (attr << 24);
    }
    c.sys.write(c, PAR_EL1_KEY(), lo | 0, hi | 0);
    return true;
  }
}

let parKey = -1;
function PAR_EL1_KEY(): number {
  if (parKey < 0) parKey = SYSREG_BY_NAME.get('PAR_EL1')!.key;
  return parKey;
}
