// System registers reached by MRS/MSR, and the system instructions (SYS: DC, IC, TLBI, AT).
//
// Registers are identified by their encoding op0:op1:CRn:CRm:op2, which is bits [20:5] of MRS/MSR.
// Plain registers are stored per core in `vals`; the ones with behaviour (PSTATE views, counters, ID
// registers computed from the core) have read/write hooks. An encoding not in the table is UNDEFINED.

import type { Cpu } from './cpu.js';
import { R, LO, HI } from './int64.js';
import { Mmu } from './mmu.js';
import { definePmuRegs } from './pmu/pmu.js';

/** ISS of a trapped MSR, MRS or system instruction (EC 0x18): op0, op2, op1, CRn, Rt, CRm, direction. */
export function sysRegIss(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | ((rt & 31) << 5) | (crm << 1) | (read ? 1 : 0);
}

/** Refusals: UNDEFINED; trapped to EL1 (EC 0x18); the FP access trap (EC 0x07, to SysRegs.fpTrapEl). */
export const SYSREG_UNDEFINED = 1, SYSREG_TRAP = 2, SYSREG_FP_TRAP = 3;

export function sysKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export interface SysRegDef {
  name: string;
  key: number;
  /** Lowest EL that may access it (EL0 accesses to EL1 registers are UNDEFINED here). */
  minEl: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  /** Value at reset (low, high halves). */
  reset?: [number, number];
  /** Custom read: leave the value in R. */
  read?: (c: Cpu) => void;
  /** Lowest EL that may write it, when higher than minEl (e.g. TPIDRRO_EL0: read at EL0, write at EL1). */
  writeMinEl?: number;
  /** For registers EL0 may reach only when an EL1 control allows it: true when an EL0 access traps
   * to EL1 (EC 0x18), e.g. DAIF without SCTLR_EL1.UMA. */
  el0Traps?: (c: Cpu) => boolean;
  /** Custom write; when absent the value is stored. */
  write?: (c: Cpu, lo: number, hi: number) => void;
  /** A SIMD&FP register (FPCR, FPSR): access is checked as CheckFPAdvSIMDEnabled64() does. */
  fp?: boolean;
}

const defs = new Map<number, SysRegDef>();
const slotOf = new Map<number, number>();
export const SYSREG_BY_NAME = new Map<string, SysRegDef>();

export function defineSysReg(name: string, enc: [number, number, number, number, number], minEl: number,
  opts: Partial<SysRegDef> = {}): number {
  const key = sysKey(...enc);
  if (defs.has(key)) throw new Error(`system register ${name} defined twice`);
  const d: SysRegDef = { name, key, minEl, ...opts };
  defs.set(key, d);
  SYSREG_BY_NAME.set(name, d);
  const slot = slotOf.size;
  slotOf.set(key, slot);
  return slot;
}

/** The storage slot of a defined register (for hot paths that read SysRegs.get directly). */
export function slotOfKey(key: number): number {
  const s = slotOf.get(key);
  if (s === undefined) throw new Error(`no system register with key ${key}`);
  return s;
}

export function sysRegName(key: number): string {
  const d = defs.get(key);
  if (d) return d.name;
  return `S${key >>> 14}_${(key >>> 11) & 7}_C${(key >>> 7) & 15}_C${(key >>> 3) & 15}_${key & 7}`;
}

// ------------------------------------------------------------------ the register table

// PSTATE views.
defineSysReg('NZCV', [3, 3, 4, 2, 0], 0, {
  read: (c) => { R[LO] = (c.nzcv << 28) | 0; R[HI] = 0; },
  write: (c, lo) => { c.nzcv = lo >>> 28; },
});
defineSysReg('DAIF', [3, 3, 4, 2, 1], 0, {
  el0Traps: (c) => (c.sys.sctlrEl1 & (1 << 9)) === 0, // SCTLR_EL1.UMA
  read: (c) => { R[LO] = c.daif << 6; R[HI] = 0; },
  write: (c, lo) => { c.daif = (lo >>> 6) & 0xf; c.sys.onDaifChange(c); },
});
defineSysReg('CurrentEL', [3, 0, 4, 2, 2], 1, { readOnly: true, read: (c) => { R[LO] = c.el << 2; R[HI] = 0; } });
defineSysReg('SPSel', [3, 0, 4, 2, 0], 1, {
  read: (c) => { R[LO] = c.spsel; R[HI] = 0; },
  write: (c, lo) => { c.selectSp(c.el, lo & 1); },
});
defineSysReg('SP_EL0', [3, 0, 4, 1, 0], 1, {
  read: (c) => c.getSpEl(0),
  write: (c, lo, hi) => c.setSpEl(0, lo, hi),
});
defineSysReg('SP_EL1', [3, 4, 4, 1, 0], 2, {
  read: (c) => c.getSpEl(1),
  write: (c, lo, hi) => c.setSpEl(1, lo, hi),
});
// FPCR: AHP, DN, FZ and RMode, and Stride and Len (no function in AArch64, kept for the AArch32
// FPSCR, as the A57 and QEMU do); the trap enables are RAZ/WI (no trapped FP exceptions); the rest
// is RES0 (FZ16 is ARMv8.2). FPSR: the cumulative flags, QC, and bits [31:28] (the AArch32 FPSCR's
// NZCV). Both masks are checked against QEMU's cortex-a57 (oracle family fp_sysreg).
// MRS/MSR of either take the FP access trap (EC 0x07) as SIMD&FP instructions do (`fp` below).
export const FPCR_MASK = 0x07f70000;
export const FPSR_MASK = 0xf800009f | 0;
defineSysReg('FPCR', [3, 3, 4, 4, 0], 0, {
  fp: true,
  read: (c) => { R[LO] = c.fpcr; R[HI] = 0; },
  write: (c, lo) => { c.fpcr = lo & FPCR_MASK; },
});
defineSysReg('FPSR', [3, 3, 4, 4, 1], 0, {
  fp: true,
  read: (c) => { R[LO] = c.fpsr; R[HI] = 0; },
  write: (c, lo) => { c.fpsr = lo & FPSR_MASK; },
});

// Thread ID registers.
defineSysReg('TPIDR_EL0', [3, 3, 13, 0, 2], 0);
defineSysReg('TPIDRRO_EL0', [3, 3, 13, 0, 3], 0, { writeMinEl: 1 });
defineSysReg('TPIDR_EL1', [3, 0, 13, 0, 4], 1);
defineSysReg('TPIDR_EL2', [3, 4, 13, 0, 2], 2);
defineSysReg('CONTEXTIDR_EL1', [3, 0, 13, 0, 1], 1);

// Identification: a Cortex-A57-like ARMv8.0 core plus LSE atomics (values as QEMU 7.2's cortex-a57,
// with ID_AA64ISAR0_EL1.Atomic = 2 because we implement LSE, and LRCPC in ID_AA64ISAR1_EL1).
const ro = (lo: number, hi = 0): Partial<SysRegDef> => ({ readOnly: true, reset: [lo | 0, hi | 0] });
// With EL2, EL1 reads VPIDR_EL2 and VMPIDR_EL2 instead (as the Arm ARM: the hypervisor's view).
export const MIDR_VALUE = 0x411fd070;
defineSysReg('MIDR_EL1', [3, 0, 0, 0, 0], 1, {
  readOnly: true,
  read: (c) => {
    if (c.el === 1 && c.hasEl2) { const s = SLOT('VPIDR_EL2'); R[LO] = c.sys.get(s); R[HI] = 0; } else { R[LO] = MIDR_VALUE; R[HI] = 0; }
  },
});
defineSysReg('MPIDR_EL1', [3, 0, 0, 0, 5], 1, {
  readOnly: true,
  read: (c) => {
    if (c.el === 1 && c.hasEl2) { const s = SLOT('VMPIDR_EL2'); R[LO] = c.sys.get(s); R[HI] = c.sys.getHi(s); } else { R[LO] = c.mpidr | 0; R[HI] = 0; }
  },
});
defineSysReg('REVIDR_EL1', [3, 0, 0, 0, 6], 1, ro(0));
// EL0 and EL1 AArch64 only (1), EL2 when the board implements it, no EL3; FP and AdvSIMD implemented
// (0, no half-precision arithmetic); GIC system registers (1) with a GICv3, none (0) with a GICv2
// (as QEMU).
defineSysReg('ID_AA64PFR0_EL1', [3, 0, 0, 4, 0], 1, {
  readOnly: true,
  read: (c) => { R[LO] = 0x00000011 | (c.gicc !== null && c.gicc.sysRegs ? 0x01000000 : 0) | (c.hasEl2 ? 0x100 : 0); R[HI] = 0; },
});
defineSysReg('ID_AA64PFR1_EL1', [3, 0, 0, 4, 1], 1, ro(0));
// As QEMU 7.2's cortex-a57: ARMv8.0 debug (DebugVer 6), 6 breakpoints (BRPs 5) of which 2
// context-aware (CTX_CMPs 1), 4 watchpoints (WRPs 3), PMUv3 (PMUVer 1, pmu/pmu.ts), no trace. The
// debug registers for that many exist below; breakpoints, watchpoints and step are debug/debug.ts.
defineSysReg('ID_AA64DFR0_EL1', [3, 0, 0, 5, 0], 1, ro(0x10305106));
defineSysReg('ID_AA64DFR1_EL1', [3, 0, 0, 5, 1], 1, ro(0));
defineSysReg('ID_AA64AFR0_EL1', [3, 0, 0, 5, 4], 1, ro(0));
defineSysReg('ID_AA64AFR1_EL1', [3, 0, 0, 5, 5], 1, ro(0));
// AES = 2 (AESE/AESD/AESMC/AESIMC and PMULL/PMULL2 of 64-bit elements), SHA1 = 1, SHA2 = 1 (SHA256),
// CRC32 = 1 (QEMU's cortex-a57: 0x00011120), and Atomic = 2 (LSE).
defineSysReg('ID_AA64ISAR0_EL1', [3, 0, 0, 6, 0], 1, ro(0x00211120));
// LRCPC (bits [23:20]) = 1: LDAPR is implemented.
defineSysReg('ID_AA64ISAR1_EL1', [3, 0, 0, 6, 1], 1, ro(0x0010_0000));
// 44-bit PA (PARange 4, as the Cortex-A57), 16-bit ASID, 4 KiB granule only (TGran16 = 0, TGran64 = 0xf).
defineSysReg('ID_AA64MMFR0_EL1', [3, 0, 0, 7, 0], 1, ro(0x0f000024 | 0, 0));
defineSysReg('ID_AA64MMFR1_EL1', [3, 0, 0, 7, 1], 1, ro(0));
defineSysReg('ID_AA64MMFR2_EL1', [3, 0, 0, 7, 2], 1, ro(0));
// The AArch32 media and VFP feature registers, as QEMU's cortex-a57 (they describe the same SIMD&FP
// unit: FP rounding modes, square root, divide, double and single precision, short vectors; AdvSIMD
// integer, single precision, half-precision conversion; FP fused MAC; directed rounding and VRINT).
defineSysReg('MVFR0_EL1', [3, 0, 0, 3, 0], 1, ro(0x10110222));
defineSysReg('MVFR1_EL1', [3, 0, 0, 3, 1], 1, ro(0x12111111));
defineSysReg('MVFR2_EL1', [3, 0, 0, 3, 2], 1, ro(0x00000043));
defineSysReg('CTR_EL0', [3, 3, 0, 0, 1], 0, { ...ro(0x8444c004), el0Traps: (c) => (c.sys.sctlrEl1 & (1 << 15)) === 0 }); // SCTLR_EL1.UCT
defineSysReg('DCZID_EL0', [3, 3, 0, 0, 7], 0, ro(4)); // DC ZVA block = 2^4 words = 64 bytes
defineSysReg('CLIDR_EL1', [3, 1, 0, 0, 1], 1, ro(0x0a200023));
defineSysReg('CSSELR_EL1', [3, 2, 0, 0, 0], 1);
defineSysReg('CCSIDR_EL1', [3, 1, 0, 0, 0], 1, ro(0x701fe00a));
defineSysReg('AIDR_EL1', [3, 1, 0, 0, 7], 1, ro(0));

// EL1 control and exception registers.
// As QEMU's cortex-a57 resets it (the Arm ARM leaves most bits UNKNOWN): MMU and caches off, SA/SA0
// on, nTWI/nTWE set (EL0 WFI/WFE not trapped), RES1 bits.
export const SCTLR_EL1_RESET = 0x00c50838;
defineSysReg('SCTLR_EL1', [3, 0, 1, 0, 0], 1, {
  reset: [SCTLR_EL1_RESET, 0],
  write: (c, lo, hi) => { c.sys.store(SCTLR_EL1, lo, hi); c.sys.onTranslationChange(c); },
});
defineSysReg('ACTLR_EL1', [3, 0, 1, 0, 1], 1);
const CPACR_SLOT = defineSysReg('CPACR_EL1', [3, 0, 1, 0, 2], 1);
defineSysReg('TTBR0_EL1', [3, 0, 2, 0, 0], 1, { write: (c, lo, hi) => { c.sys.store(TTBR0_EL1, lo, hi); c.sys.onTranslationChange(c); } });
defineSysReg('TTBR1_EL1', [3, 0, 2, 0, 1], 1, { write: (c, lo, hi) => { c.sys.store(TTBR1_EL1, lo, hi); c.sys.onTranslationChange(c); } });
defineSysReg('TCR_EL1', [3, 0, 2, 0, 2], 1, { write: (c, lo, hi) => { c.sys.store(TCR_EL1, lo, hi); c.sys.onTranslationChange(c); } });
defineSysReg('SPSR_EL1', [3, 0, 4, 0, 0], 1);
defineSysReg('ELR_EL1', [3, 0, 4, 0, 1], 1);
defineSysReg('AFSR0_EL1', [3, 0, 5, 1, 0], 1);
defineSysReg('AFSR1_EL1', [3, 0, 5, 1, 1], 1);
defineSysReg('ESR_EL1', [3, 0, 5, 2, 0], 1);
defineSysReg('FAR_EL1', [3, 0, 6, 0, 0], 1);
defineSysReg('PAR_EL1', [3, 0, 7, 4, 0], 1);
defineSysReg('MAIR_EL1', [3, 0, 10, 2, 0], 1, { write: (c, lo, hi) => { c.sys.store(MAIR_EL1, lo, hi); c.sys.onTranslationChange(c); } });
defineSysReg('AMAIR_EL1', [3, 0, 10, 3, 0], 1);
defineSysReg('VBAR_EL1', [3, 0, 12, 0, 0], 1);
defineSysReg('ISR_EL1', [3, 0, 12, 1, 0], 1, { readOnly: true, read: (c) => { R[LO] = c.sys.isr(c); R[HI] = 0; } });

// Self-hosted debug registers (the ones ID_AA64DFR0_EL1 advertises, and the ones Linux's
// debug-monitors and hw_breakpoint code write); breakpoints, watchpoints and software step are in
// debug/debug.ts. QEMU 7.2's cortex-a57 has the same set, except DBGCLAIM*, DBGPRCR and
// DBGAUTHSTATUS (UNDEFINED there, required by the Arm ARM), and MDCCINT_EL1 (a NOP there, which
// leaves Xt unchanged on a read).
export const DEBUG_BRPS = 6, DEBUG_WRPS = 4;
/** A debug control register: stored, then the debug unit re-evaluates what is armed (so that its
 * checks cost nothing while nothing is). */
function defineDebugCtl(name: string, enc: [number, number, number, number, number], minEl: number): number {
  const key = sysKey(...enc);
  return defineSysReg(name, enc, minEl, { write: (c, lo, hi) => { c.sys.store(slotOf.get(key)!, lo, hi); c.debug.configChanged(c); } });
}
for (let n = 0; n < DEBUG_BRPS; n++) {
  defineSysReg(`DBGBVR${n}_EL1`, [2, 0, 0, n, 4], 1);
  defineDebugCtl(`DBGBCR${n}_EL1`, [2, 0, 0, n, 5], 1);
}
for (let n = 0; n < DEBUG_WRPS; n++) {
  defineSysReg(`DBGWVR${n}_EL1`, [2, 0, 0, n, 6], 1);
  defineDebugCtl(`DBGWCR${n}_EL1`, [2, 0, 0, n, 7], 1);
}
defineSysReg('MDCCINT_EL1', [2, 0, 0, 2, 0], 1);
defineDebugCtl('MDSCR_EL1', [2, 0, 0, 2, 2], 1);
defineSysReg('MDRAR_EL1', [2, 0, 1, 0, 0], 1, ro(0)); // no memory-mapped debug
// The OS lock: locked at reset (OSLSR_EL1 = 0xa: OSLM = 0b10, OSLK = 1, as QEMU); OSLAR_EL1.OSLK sets it.
const OSLSR_RESET = 0xa;
defineSysReg('OSLAR_EL1', [2, 0, 1, 0, 4], 1, {
  writeOnly: true,
  write: (c, lo) => { c.sys.store(OSLSR_EL1, (OSLSR_RESET & ~2) | ((lo & 1) << 1), 0); c.debug.configChanged(c); },
});
defineSysReg('OSLSR_EL1', [2, 0, 1, 1, 4], 1, ro(OSLSR_RESET));
defineDebugCtl('OSDLR_EL1', [2, 0, 1, 3, 4], 1);
defineDebugCtl('DBGPRCR_EL1', [2, 0, 1, 4, 4], 1);
// Eight claim tags: CLAIMSET reads which are implemented (0xff), CLAIMCLR the ones set.
defineSysReg('DBGCLAIMSET_EL1', [2, 0, 7, 8, 6], 1, {
  read: () => { R[LO] = 0xff; R[HI] = 0; },
  write: (c, lo) => { c.sys.store(DBGCLAIM, c.sys.get(DBGCLAIM) | (lo & 0xff), 0); },
});
defineSysReg('DBGCLAIMCLR_EL1', [2, 0, 7, 9, 6], 1, {
  read: (c) => { R[LO] = c.sys.get(DBGCLAIM); R[HI] = 0; },
  write: (c, lo) => { c.sys.store(DBGCLAIM, c.sys.get(DBGCLAIM) & ~(lo & 0xff), 0); },
});
defineSysReg('DBGAUTHSTATUS_EL1', [2, 0, 7, 14, 6], 1, ro(0)); // no debug authentication interface
defineSysReg('MDCCSR_EL0', [2, 3, 0, 1, 0], 0, ro(0));

// EL2 registers that entry, HVC/SMC routing and ERET need.
// The EL2 translation regime (without VHE): SCTLR_EL2.M/A/WXN/EE, TTBR0_EL2, TCR_EL2, MAIR_EL2.
// Writes reload the regime's Mmu (SysRegs.mmu2), as the EL1 registers do theirs.
const el2Translation = (name: string): Partial<SysRegDef> => ({
  write: (c, lo, hi) => { c.sys.store(SLOT(name), lo, hi); c.sys.onTranslationChange(c); },
});
defineSysReg('SCTLR_EL2', [3, 4, 1, 0, 0], 2, { reset: [0x30c50830, 0], ...el2Translation('SCTLR_EL2') });
defineSysReg('ACTLR_EL2', [3, 4, 1, 0, 1], 2);
// HCR_EL2: RW, FMO/IMO (interrupt routing), TGE (EL0 interrupts and timer traps; debug exceptions
// to EL2), TSC, TWI/TWE, FB act; the rest is stored. Stage 2 (VM) is not modelled: a run that turns
// it on (a KVM guest) stops with a message rather than run the guest untranslated.
defineSysReg('HCR_EL2', [3, 4, 1, 1, 0], 2, {
  write: (c, lo, hi) => {
    c.sys.store(HCR_EL2, lo, hi);
    c.debug.configChanged(c);
    if ((lo & 1) !== 0) c.env.fatal(c, 'HCR_EL2.VM = 1: stage 2 translation (running a virtual machine) is not modelled');
  },
});
defineDebugCtl('MDCR_EL2', [3, 4, 1, 1, 1], 2); // TDE routes debug exceptions to EL2
const CPTR_EL2_SLOT = defineSysReg('CPTR_EL2', [3, 4, 1, 1, 2], 2, { reset: [0x33ff, 0] });
defineSysReg('HSTR_EL2', [3, 4, 1, 1, 3], 2);
defineSysReg('HACR_EL2', [3, 4, 1, 1, 7], 2);
defineSysReg('TTBR0_EL2', [3, 4, 2, 0, 0], 2, el2Translation('TTBR0_EL2'));
// TCR_EL2 bits 31 and 23 are RES1 (QEMU 7.2 stores them as written).
defineSysReg('TCR_EL2', [3, 4, 2, 0, 2], 2, el2Translation('TCR_EL2'));
defineSysReg('VTTBR_EL2', [3, 4, 2, 1, 0], 2);
defineSysReg('VTCR_EL2', [3, 4, 2, 1, 2], 2);
defineSysReg('SPSR_EL2', [3, 4, 4, 0, 0], 2);
defineSysReg('ELR_EL2', [3, 4, 4, 0, 1], 2);
defineSysReg('ESR_EL2', [3, 4, 5, 2, 0], 2);
defineSysReg('FAR_EL2', [3, 4, 6, 0, 0], 2);
defineSysReg('HPFAR_EL2', [3, 4, 6, 0, 4], 2);
defineSysReg('MAIR_EL2', [3, 4, 10, 2, 0], 2, el2Translation('MAIR_EL2'));
defineSysReg('VBAR_EL2', [3, 4, 12, 0, 0], 2);
// Reset to MIDR_EL1 and MPIDR_EL1 (UNKNOWN in the Arm ARM; QEMU's values): see SysRegs.reset.
defineSysReg('VPIDR_EL2', [3, 4, 0, 0, 0], 2, { reset: [MIDR_VALUE, 0] });
defineSysReg('VMPIDR_EL2', [3, 4, 0, 0, 5], 2);

// PMUv3: PMCR_EL0, the counters and their controls (pmu/pmu.ts).
definePmuRegs();

const SCTLR_EL1 = slotOf.get(sysKey(3, 0, 1, 0, 0))!;
const TTBR0_EL1 = slotOf.get(sysKey(3, 0, 2, 0, 0))!;
const TTBR1_EL1 = slotOf.get(sysKey(3, 0, 2, 0, 1))!;
const TCR_EL1 = slotOf.get(sysKey(3, 0, 2, 0, 2))!;
const MAIR_EL1 = slotOf.get(sysKey(3, 0, 10, 2, 0))!;
const SLOT = (name: string): number => slotOf.get(SYSREG_BY_NAME.get(name)!.key)!;
const OSLSR_EL1 = SLOT('OSLSR_EL1');
// The claim tags' storage: a slot of its own, defined under an encoding MRS/MSR cannot reach (op0 = 0).
const DBGCLAIM = defineSysReg('(DBGCLAIM tags)', [0, 7, 15, 15, 7], 4);
const ESR = [-1, SLOT('ESR_EL1'), SLOT('ESR_EL2')];
const FAR = [-1, SLOT('FAR_EL1'), SLOT('FAR_EL2')];
const ELR = [-1, SLOT('ELR_EL1'), SLOT('ELR_EL2')];
const SPSR = [-1, SLOT('SPSR_EL1'), SLOT('SPSR_EL2')];
const VBAR = [-1, SLOT('VBAR_EL1'), SLOT('VBAR_EL2')];
const HCR_EL2 = SLOT('HCR_EL2');
const SCTLR_EL2 = SLOT('SCTLR_EL2');
const TTBR0_EL2 = SLOT('TTBR0_EL2');
const TCR_EL2 = SLOT('TCR_EL2');
const MAIR_EL2 = SLOT('MAIR_EL2');

/** Board extensions (GIC CPU interface, timers) add registers through this before cores are made. */
export { defs as SYSREG_DEFS };

export class SysRegs {
  /** Two int32 halves per register, indexed by slot. */
  readonly vals: Int32Array;
  /** The Mmu of the current translation regime (mmu1 at EL0/EL1, mmu2 at EL2), switched on EL change. */
  mmu: Mmu;
  /** Stage 1 of the EL1&0 regime, and of the EL2 regime. */
  readonly mmu1: Mmu;
  readonly mmu2: Mmu;
  private readonly vbarOut = { lo: 0, hi: 0 };
  private readonly elrOut = { lo: 0, hi: 0 };
  /** Board hooks (set by the board): interrupt state changes and EL transitions. */
  hooks: SysHooks = NO_HOOKS;

  constructor(c: Cpu) {
    this.vals = new Int32Array(2 * Math.max(64, slotOf.size + 64));
    this.mmu1 = new Mmu(1);
    this.mmu2 = new Mmu(2);
    this.mmu = this.mmu1;
    this.reset(c);
  }

  reset(c: Cpu): void {
    this.vals.fill(0);
    for (const [key, d] of defs) {
      if (d.reset) { const s = slotOf.get(key)!; this.vals[2 * s] = d.reset[0]; this.vals[2 * s + 1] = d.reset[1]; }
    }
    this.store(SLOT('VMPIDR_EL2'), c.mpidr | 0, 0);
    this.mmu1?.reset(); // undefined only while the constructor runs
    this.mmu2?.reset();
    c.debug.reset(c);
    c.pmu.reset(c);
  }

  store(slot: number, lo: number, hi: number): void {
    this.vals[2 * slot] = lo; this.vals[2 * slot + 1] = hi;
  }

  get(slot: number): number { return this.vals[2 * slot]; }
  getHi(slot: number): number { return this.vals[2 * slot + 1]; }

  /** The definition for an MRS/MSR encoding, or undefined (UNDEFINED instruction). */
  def(key: number): SysRegDef | undefined { return defs.get(key); }

  /** Why the last refused read or write was refused: SYSREG_UNDEFINED, or SYSREG_TRAP (EC 0x18 to EL1). */
  refusal = SYSREG_UNDEFINED;

  /** The EL an FP access trap goes to (SYSREG_FP_TRAP). */
  fpTrapEl = 1;

  /** CheckFPAdvSIMDEnabled64() without taking the exception: 0 when SIMD&FP is enabled, else the EL
   * its trap goes to (CPACR_EL1.FPEN at EL0/EL1, then CPTR_EL2.TFP when EL2 exists). */
  fpTrap(c: Cpu): number {
    const el = c.el;
    if (el <= 1) {
      const fpen = (this.vals[2 * CPACR_SLOT] >>> 20) & 3;
      if ((fpen & 1) === 0 || (fpen === 1 && el === 0)) return 1;
    }
    if (c.hasEl2 && el <= 2 && (this.vals[2 * CPTR_EL2_SLOT] & (1 << 10)) !== 0) return 2;
    return 0;
  }

  private fpRefused(c: Cpu, d: SysRegDef): boolean {
    if (d.fp !== true) return false;
    const el = this.fpTrap(c);
    if (el === 0) return false;
    this.fpTrapEl = el;
    this.refusal = SYSREG_FP_TRAP;
    return true;
  }

  /** MRS: value into R. Returns false when refused (see `refusal`). */
  read(c: Cpu, key: number): boolean {
    const d = defs.get(key);
    if (d === undefined && c.el >= 1 && isIdSpaceRaz(key)) { R[LO] = 0; R[HI] = 0; return true; }
    if (d === undefined || c.el < d.minEl || d.writeOnly) return this.refuse(SYSREG_UNDEFINED);
    if (c.el === 0 && d.el0Traps?.(c)) return this.refuse(SYSREG_TRAP);
    if (this.fpRefused(c, d)) return false;
    if (d.read) { d.read(c); return true; }
    const s = slotOf.get(key)!;
    R[LO] = this.vals[2 * s]; R[HI] = this.vals[2 * s + 1];
    return true;
  }

  /** MSR: returns false when refused (see `refusal`). */
  write(c: Cpu, key: number, lo: number, hi: number): boolean {
    const d = defs.get(key);
    if (d === undefined || c.el < d.minEl || d.readOnly || c.el < (d.writeMinEl ?? 0)) return this.refuse(SYSREG_UNDEFINED);
    if (c.el === 0 && d.el0Traps?.(c)) return this.refuse(SYSREG_TRAP);
    if (this.fpRefused(c, d)) return false;
    if (d.write) { d.write(c, lo, hi); return true; }
    const s = slotOf.get(key)!;
    this.vals[2 * s] = lo; this.vals[2 * s + 1] = hi;
    return true;
  }

  refuse(why: number): false {
    this.refusal = why;
    return false;
  }

  /** SYS instruction (DC, IC, TLBI, AT) with encoding key op0=1; returns false when UNDEFINED. */
  sysInstr(c: Cpu, key: number, rt: number): boolean {
    const op1 = (key >>> 11) & 7, crn = (key >>> 7) & 15, crm = (key >>> 3) & 15, op2 = key & 7;
    this.refusal = SYSREG_UNDEFINED;
    if (c.el === 0 && crn === 7 && op1 === 3) {
      // EL0 cache maintenance: DC ZVA needs SCTLR_EL1.DZE (bit 14); DC CVAU/CVAC/CIVAC and IC IVAU
      // need UCI (bit 26); otherwise they trap to EL1 (EC 0x18).
      const sctlr = this.sctlrEl1;
      const allowed = crm === 4 && op2 === 1 ? (sctlr & (1 << 14)) !== 0 : (sctlr & (1 << 26)) !== 0;
      if (!allowed && (crm === 4 || crm === 5 || crm === 10 || crm === 11 || crm === 14)) return this.refuse(SYSREG_TRAP);
    }
    if (crn === 7) {
      if (op1 === 3 && crm === 4 && op2 === 1) { // DC ZVA: zero the 64-byte block holding Xt
        const lo = c.x[2 * rt] & ~63, hi = c.x[2 * rt + 1];
        for (let k = 0; k < 64; k += 8) c.write64((lo + k) | 0, hi, 0, 0);
        return true;
      }
      if (crm === 5 || crm === 1) return c.el >= 1 || op1 === 3; // IC IALLU(IS), IC IVAU: code cache is coherent
      if (crm === 8) { // AT S1E1R/W, S1E0R/W (EL1&0 regime, from EL1 or EL2); AT S1E2R/W at EL2
        if (op1 === 4 && op2 <= 1) return c.el >= 2 && this.mmu2.at(c, 0, op2, rt);
        return this.mmu1.at(c, op1, op2, rt);
      }
      if (crm === 6 || crm === 10 || crm === 11 || crm === 14 || crm === 2) return c.el >= 1 || op1 === 3; // DC maintenance: caches are not modelled
      return false;
    }
    if (crn === 8 && c.el >= 1) return this.mmu1.tlbi(c, op1, crm, op2, rt);
    return false;
  }

  setEsr(el: number, v: number): void { this.store(ESR[el], v | 0, 0); }
  getEsr(el: number): number { return this.get(ESR[el]); }
  setFar(el: number, lo: number, hi: number): void { this.store(FAR[el], lo, hi); }
  setSpsr(el: number, v: number): void { this.store(SPSR[el], v | 0, 0); }
  getSpsr(el: number): number { return this.get(SPSR[el]); }
  setElr(el: number, lo: number, hi: number): void { this.store(ELR[el], lo, hi); }
  getElr(el: number): { lo: number; hi: number } {
    this.elrOut.lo = this.get(ELR[el]); this.elrOut.hi = this.getHi(ELR[el]);
    return this.elrOut;
  }
  vbar(el: number): { lo: number; hi: number } {
    // VBAR bits [10:0] are RES0.
    this.vbarOut.lo = this.get(VBAR[el]) & ~0x7ff; this.vbarOut.hi = this.getHi(VBAR[el]);
    return this.vbarOut;
  }
  get hcrEl2Lo(): number { return this.get(HCR_EL2); }
  get hcrEl2Hi(): number { return this.getHi(HCR_EL2); }
  get sctlrEl1(): number { return this.get(SCTLR_EL1); }
  get tcrEl1Lo(): number { return this.get(TCR_EL1); }
  get tcrEl1Hi(): number { return this.getHi(TCR_EL1); }
  ttbr(n: 0 | 1): { lo: number; hi: number } {
    const s = n === 0 ? TTBR0_EL1 : TTBR1_EL1;
    return { lo: this.get(s), hi: this.getHi(s) };
  }
  get sctlrEl2(): number { return this.get(SCTLR_EL2); }
  get tcrEl2(): number { return this.get(TCR_EL2); }
  ttbr0El2(): { lo: number; hi: number } { return { lo: this.get(TTBR0_EL2), hi: this.getHi(TTBR0_EL2) }; }
  get mairEl2Lo(): number { return this.get(MAIR_EL2); }
  get mairEl2Hi(): number { return this.getHi(MAIR_EL2); }
  get mairLo(): number { return this.get(MAIR_EL1); }
  get mairHi(): number { return this.getHi(MAIR_EL1); }

  /** SCTLR, TCR, TTBR or MAIR changed, or the EL did: recompute whether translation is on. */
  onTranslationChange(c: Cpu): void {
    const sctlr = this.get(c.el === 2 ? SCTLR_EL2 : SCTLR_EL1);
    this.mmu = c.el === 2 ? this.mmu2 : this.mmu1;
    c.mmuOn = (sctlr & 1) !== 0;
    c.alignCheck = (sctlr & 2) !== 0;
    c.resetFetch();
    // Either regime's registers may have changed (EL2 writes EL1's too): reload both (cheap when
    // nothing changed; the TLB is dropped only when a register it was built from changed).
    this.mmu1.flush(c);
    if (c.hasEl2) this.mmu2.flush(c);
  }

  onDaifChange(c: Cpu): void { c.debug.update(c); this.hooks.daifChanged(c); }
  isr(c: Cpu): number { return this.hooks.isr(c); }
  onExceptionEntry(c: Cpu, target: number, kind: number, fromEl: number): void {
    if (target !== fromEl) this.onElChange(c);
    c.debug.exceptionBoundary(c);
    c.pmu.exceptionTaken(c, kind);
    this.hooks.exceptionEntry(c, target, kind, fromEl);
  }
  onExceptionReturn(c: Cpu, fromEl: number, toEl: number): void {
    if (toEl !== fromEl) this.onElChange(c);
    c.debug.exceptionBoundary(c);
    c.pmu.exceptionReturn(c);
    this.hooks.exceptionReturn(c, fromEl, toEl);
  }
  private onElChange(c: Cpu): void {
    const el2 = c.el === 2;
    const sctlr = this.get(el2 ? SCTLR_EL2 : SCTLR_EL1);
    c.alignCheck = (sctlr & 2) !== 0;
    const on = (sctlr & 1) !== 0;
    const m = el2 ? this.mmu2 : this.mmu1;
    if (m !== this.mmu) { this.mmu = m; c.mmuOn = on; c.resetFetch(); } // another regime
    else if (on !== c.mmuOn) { c.mmuOn = on; c.resetFetch(); }
    else c.resetFetch(); // privilege (or SCTLR.A) changed: recheck permissions on the next access
  }
}

/** The ID register space op0=3, op1=0, CRn=0, CRm=1..7: the Arm ARM makes its unallocated encodings
 * RAZ at EL1 and above (ID_AA64ISAR2_EL1, ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1, ... read as 0, so a
 * kernel that knows newer features sees them absent). MSR to them stays UNDEFINED (read-only). CRm=0
 * holds only MIDR, MPIDR and REVIDR; its other encodings are UNDEFINED, as QEMU 7.2 has them. */
export function isIdSpaceRaz(key: number): boolean {
  return (key >>> 7) === ((3 << 7) | (0 << 4) | 0) && ((key >>> 3) & 15) >= 1 && ((key >>> 3) & 15) <= 7;
}

export interface SysHooks {
  daifChanged(c: Cpu): void;
  isr(c: Cpu): number;
  exceptionEntry(c: Cpu, target: number, kind: number, fromEl: number): void;
  exceptionReturn(c: Cpu, fromEl: number, toEl: number): void;
}

const NO_HOOKS: SysHooks = {
  daifChanged: () => {},
  isr: () => 0,
  exceptionEntry: () => {},
  exceptionReturn: () => {},
};
