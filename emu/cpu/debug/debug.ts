// AArch64 self-hosted debug (Arm ARM D2): hardware breakpoints and watchpoints, software step, and
// the controls that enable them (OS lock, OS double lock, MDSCR_EL1.KDE/MDE/SS, PSTATE.D, routing to
// EL2 by MDCR_EL2.TDE / HCR_EL2.TGE).
//
// Cost: nothing is observed while nothing can fire. update() re-evaluates, on every write to a
// debug control register and on every change of EL or PSTATE.D, whether debug exceptions can be
// generated at the current EL with something armed; only then is the instruction hook (breakpoints,
// step, Slow.Debug) or the data-access hook (watchpoints) registered.
//
// Matching follows QEMU 7.2 where the Arm ARM leaves a choice (CONSTRAINED UNPREDICTABLE): a
// watchpoint with a reserved MASK (1 or 2) or BAS = 0 never matches; a non-contiguous BAS watches
// from its lowest to its highest byte; with a MASK the BAS is ignored; the address reported in FAR
// for a watchpoint is the first watched byte the access touches.

import type { Cpu, InsnHook, DataHook } from '../cpu.js';
import { Access, INSN_ABORTED, Slow } from '../cpu.js';
import type { Insn } from '../insn.js';
import { SYSREG_BY_NAME, slotOfKey, DEBUG_BRPS, DEBUG_WRPS } from '../sysregs.js';

/** The breakpoints that can match a context (CONTEXTIDR_EL1): the last two, as the Cortex-A57. */
export const DEBUG_CTX_FIRST = 4;

/** Debug exception classes (ESR_ELx.EC), lower EL and same EL. */
export const EC_BREAKPOINT_LOWER = 0x30, EC_STEP_LOWER = 0x32, EC_WATCHPOINT_LOWER = 0x34;
/** FSC for a debug exception. */
const FSC_DEBUG = 0b100010;

// MDSCR_EL1 bits.
const MDSCR_SS = 1 << 0, MDSCR_KDE = 1 << 13, MDSCR_MDE = 1 << 15;

const slot = (name: string): number => slotOfKey(SYSREG_BY_NAME.get(name)!.key);
let SLOTS: { bvr: number[]; bcr: number[]; wvr: number[]; wcr: number[]; mdscr: number; oslsr: number;
  osdlr: number; dbgprcr: number; mdcr2: number; hcr2: number; contextidr: number } | undefined;
/** Storage slots of the registers read here (looked up once, after sysregs.ts has defined them). */
function slots(): NonNullable<typeof SLOTS> {
  SLOTS ??= {
    bvr: Array.from({ length: DEBUG_BRPS }, (_, n) => slot(`DBGBVR${n}_EL1`)),
    bcr: Array.from({ length: DEBUG_BRPS }, (_, n) => slot(`DBGBCR${n}_EL1`)),
    wvr: Array.from({ length: DEBUG_WRPS }, (_, n) => slot(`DBGWVR${n}_EL1`)),
    wcr: Array.from({ length: DEBUG_WRPS }, (_, n) => slot(`DBGWCR${n}_EL1`)),
    mdscr: slot('MDSCR_EL1'), oslsr: slot('OSLSR_EL1'), osdlr: slot('OSDLR_EL1'),
    dbgprcr: slot('DBGPRCR_EL1'), mdcr2: slot('MDCR_EL2'), hcr2: slot('HCR_EL2'),
    contextidr: slot('CONTEXTIDR_EL1'),
  };
  return SLOTS;
}

/** Is the load-exclusive instruction (for the step syndrome's EX bit). */
function isLoadExclusive(insn: Insn): boolean {
  const n = insn.name;
  return n === 'LDXR' || n === 'LDAXR' || n === 'LDXP' || n === 'LDAXP';
}

export class SelfHostedDebug implements InsnHook, DataHook {
  /** Something is armed at all (MDSCR_EL1.SS, or MDE with an enabled breakpoint or watchpoint, or
   * PSTATE.SS set): when false, update() returns at once. */
  private configured = false;
  private anyBp = false;
  private anyWp = false;
  private hooked = false;
  private dataHooked = false;
  /** The instruction being executed was stepped (step active-not-pending at its start). */
  private stepping = false;
  /** An instruction was stepped since the last exception entry or return: the step exception that
   * follows has ISV = 1 (and EX for a load-exclusive). */
  private stepped = false;
  private steppedEx = 0;

  reset(c: Cpu): void {
    this.configured = this.anyBp = this.anyWp = false;
    this.stepping = this.stepped = false;
    this.steppedEx = 0;
    c.ss = 0;
    this.unhook(c);
  }

  private unhook(c: Cpu): void {
    if (this.hooked) { c.removeHook(this, Slow.Debug); this.hooked = false; }
    if (this.dataHooked) { c.removeDataHook(this); this.dataHooked = false; }
  }

  /** A debug control register was written: recompute what is armed, then update(). */
  configChanged(c: Cpu): void {
    const s = slots(), v = c.sys;
    let bp = false, wp = false;
    for (let n = 0; n < DEBUG_BRPS; n++) if ((v.get(s.bcr[n]) & 1) !== 0) bp = true;
    for (let n = 0; n < DEBUG_WRPS; n++) if ((v.get(s.wcr[n]) & 1) !== 0) wp = true;
    const mdscr = v.get(s.mdscr);
    const mde = (mdscr & MDSCR_MDE) !== 0;
    this.anyBp = mde && bp;
    this.anyWp = mde && wp;
    this.configured = this.anyBp || this.anyWp || (mdscr & MDSCR_SS) !== 0;
    this.update(c);
  }

  /** The EL or PSTATE.D changed (or the configuration did): register the hooks exactly while a
   * debug exception can be generated from the current EL. */
  update(c: Cpu): void {
    if (!this.configured) { if (this.hooked || this.dataHooked) this.unhook(c); return; }
    const en = this.enabledFrom(c, c.el, (c.daif >>> 3) & 1);
    const ss = (c.sys.get(slots().mdscr) & MDSCR_SS) !== 0;
    const wantInsn = en && (this.anyBp || ss);
    const wantData = en && this.anyWp;
    if (wantInsn !== this.hooked) {
      if (wantInsn) c.addHook(this, Slow.Debug); else c.removeHook(this, Slow.Debug);
      this.hooked = wantInsn;
    }
    if (wantData !== this.dataHooked) {
      if (wantData) c.addDataHook(this); else c.removeDataHook(this);
      this.dataHooked = wantData;
    }
  }

  /** An exception was taken or returned from: nothing has been stepped since. */
  exceptionBoundary(c: Cpu): void {
    this.stepping = false;
    this.stepped = false;
    this.update(c);
  }

  /** The EL debug exceptions go to: EL2 when MDCR_EL2.TDE or HCR_EL2.TGE routes them there. */
  targetEl(c: Cpu): number {
    if (!c.hasEl2) return 1;
    const s = slots();
    return (c.sys.get(s.mdcr2) & (1 << 8)) !== 0 || (c.sys.get(s.hcr2) & (1 << 27)) !== 0 ? 2 : 1;
  }

  /** AArch64.GenerateDebugExceptionsFrom(el, Non-secure, mask = PSTATE.D). */
  enabledFrom(c: Cpu, el: number, d: number): boolean {
    const s = slots(), v = c.sys;
    if ((v.get(s.oslsr) & 2) !== 0) return false; // OS lock
    if ((v.get(s.osdlr) & 1) !== 0 && (v.get(s.dbgprcr) & 1) === 0) return false; // OS double lock
    const target = this.targetEl(c);
    if (el === target) return (v.get(s.mdscr) & MDSCR_KDE) !== 0 && d === 0;
    return target > el;
  }

  /** PSTATE.SS after an ERET from the current state with this SPSR (DebugExceptionReturnSS). */
  returnSs(c: Cpu, spsr: number, newEl: number): number {
    if ((spsr & (1 << 21)) === 0 || (c.sys.get(slots().mdscr) & MDSCR_SS) === 0) return 0;
    if (this.enabledFrom(c, c.el, (c.daif >>> 3) & 1)) return 0;
    return this.enabledFrom(c, newEl, (spsr >>> 9) & 1) ? 1 : 0;
  }

  /** Take a debug exception of class ecLower (+1 when taken to the current EL) and abandon the
   * instruction. */
  private take(c: Cpu, ecLower: number, iss: number, far: boolean, farLo = 0, farHi = 0): never {
    const target = this.targetEl(c);
    c.takeSync(target, ecLower + (target === c.el ? 1 : 0), iss, far, farLo, farHi);
    throw INSN_ABORTED;
  }

  // ------------------------------------------------------------------ breakpoints and step

  before(c: Cpu, _insn: Insn): boolean {
    const s = slots(), v = c.sys;
    // Software step (only registered while enabled at this EL): active-pending takes the exception
    // before the next instruction; active-not-pending lets one instruction run.
    if ((v.get(s.mdscr) & MDSCR_SS) !== 0) {
      if (c.ss === 0) {
        const iss = FSC_DEBUG | (this.stepped ? (1 << 24) | (this.steppedEx << 6) : 0);
        this.stepped = false;
        this.take(c, EC_STEP_LOWER, iss, false);
      }
      this.stepping = true;
    }
    if (this.anyBp) {
      for (let n = 0; n < DEBUG_BRPS; n++) {
        const bcr = v.get(s.bcr[n]);
        if ((bcr & 1) === 0) continue;
        if (this.breakpointMatch(c, n, bcr)) this.take(c, EC_BREAKPOINT_LOWER, FSC_DEBUG, false);
      }
    }
    return false;
  }

  after(c: Cpu, insn: Insn): void {
    if (!this.stepping) return;
    // SSAdvance(): the stepped instruction completed; the next one takes the step exception.
    this.stepping = false;
    c.ss = 0;
    this.stepped = true;
    this.steppedEx = isLoadExclusive(insn) ? 1 : 0;
  }

  /** Breakpoint n (enabled, control bcr) matches the instruction at the PC (AArch64.BreakpointMatch). */
  private breakpointMatch(c: Cpu, n: number, bcr: number): boolean {
    const bt = (bcr >>> 20) & 0xf;
    if (!stateMatch(c.el, bcr, true)) return false;
    switch (bt) {
      case 0b0000: return this.addressMatch(c, n);
      case 0b0001: return this.addressMatch(c, n) && this.linkedContextMatch(c, (bcr >>> 16) & 0xf);
      case 0b0010: return n >= DEBUG_CTX_FIRST && this.contextMatch(c, n);
      default: return false; // linked context (fires only through a link), VMID (no EL2 contexts), reserved
    }
  }

  /** DBGBVR<n>[48:2] == PC[48:2] (bits above 48 are the sign extension, RESS). */
  private addressMatch(c: Cpu, n: number): boolean {
    const s = slots(), v = c.sys;
    return ((c.pcLo ^ v.get(s.bvr[n])) & ~3) === 0 && ((c.pcHi ^ v.getHi(s.bvr[n])) & 0x1ffff) === 0;
  }

  /** CONTEXTIDR_EL1 == DBGBVR<n>[31:0] (context-aware breakpoints only). */
  private contextMatch(c: Cpu, n: number): boolean {
    const s = slots();
    return c.sys.get(s.contextidr) === c.sys.get(s.bvr[n]);
  }

  /** The breakpoint that a linked breakpoint or watchpoint names (LBN) is an enabled linked
   * context-ID breakpoint whose context matches (AArch64.BreakpointMatch for the linked one). */
  private linkedContextMatch(c: Cpu, lbn: number): boolean {
    if (lbn < DEBUG_CTX_FIRST || lbn >= DEBUG_BRPS) return false;
    const bcr = c.sys.get(slots().bcr[lbn]);
    if ((bcr & 1) === 0 || ((bcr >>> 20) & 0xf) !== 0b0011) return false;
    return this.contextMatch(c, lbn);
  }

  // ------------------------------------------------------------------ watchpoints

  access(c: Cpu, vlo: number, vhi: number, acc: Access, size: number, _pa: number): void {
    const s = slots(), v = c.sys;
    const write = acc === Access.Write || acc === Access.WriteUnpriv;
    const unpriv = acc === Access.ReadUnpriv || acc === Access.WriteUnpriv;
    const el = unpriv ? 0 : c.el; // LDTR/STTR match as EL0 accesses
    // The access as a 49-bit address (bits above 48 are the sign extension), exact in a double.
    const a = (vhi & 0x1ffff) * 4294967296 + (vlo >>> 0);
    for (let n = 0; n < DEBUG_WRPS; n++) {
      const wcr = v.get(s.wcr[n]);
      if ((wcr & 1) === 0) continue;
      if (((wcr >>> 3) & (write ? 2 : 1)) === 0) continue; // LSC: load / store
      if (!stateMatch(el, wcr, false)) continue;
      if ((wcr & (1 << 20)) !== 0 && !this.linkedContextMatch(c, (wcr >>> 16) & 0xf)) continue; // WT: linked
      const wlo = v.get(s.wvr[n]), whi = v.getHi(s.wvr[n]);
      let start = (whi & 0x1ffff) * 4294967296 + ((wlo & ~3) >>> 0), len: number;
      const mask = (wcr >>> 24) & 0x1f;
      if (mask === 1 || mask === 2) continue; // reserved: as disabled (QEMU's choice)
      if (mask !== 0) {
        len = 2 ** mask;
        start -= start % len;
      } else {
        let bas = (wcr >>> 5) & 0xff;
        if ((wlo & 4) !== 0) bas &= 0xf; // a word-aligned DBGWVR: BAS[7:4] are ignored
        else start -= start % 8;
        if (bas === 0) continue;
        const first = 31 - Math.clz32(bas & -bas), last = 31 - Math.clz32(bas);
        start += first;
        len = last - first + 1;
      }
      if (a < start + len && start < a + size) {
        // FAR: the first watched byte of the access.
        const d = start > a ? start - a : 0;
        const lo = (vlo >>> 0) + d;
        this.take(c, EC_WATCHPOINT_LOWER, FSC_DEBUG | (write ? 1 << 6 : 0), true, lo | 0, (vhi + (lo > 0xffffffff ? 1 : 0)) | 0);
      }
    }
  }
}

/** AArch64.StateMatch for a Non-secure PE without EL3: PMC/PAC (EL1 bit 0, EL0 bit 1), HMC (EL2),
 * SSC (0b10, Secure only, never matches; 0b11 matches EL2 with HMC). */
function stateMatch(el: number, cr: number, _bp: boolean): boolean {
  const pxc = (cr >>> 1) & 3, hmc = (cr >>> 13) & 1, ssc = (cr >>> 14) & 3;
  if (ssc === 0b10) return false;
  if (ssc === 0b11 && hmc === 0) return false;
  switch (el) {
    case 0: return (pxc & 2) !== 0;
    case 1: return (pxc & 1) !== 0;
    case 2: return hmc !== 0 && !(ssc === 0b10 && pxc === 0);
    default: return false;
  }
}
