// Arm ARM C4.1.4, load/store exclusive class (ARMv8.0): LDXR/LDAXR, STXR/STLXR, LDXP/LDAXP,
// STXP/STLXP, LDAR, STLR. The CAS and CASP rows of the same class are ARMv8.1 LSE and live in atomics.ts.
//
// This file also holds the addressing helpers shared by the three load/store files (ldst.ts,
// ldst_exclusive.ts, atomics.ts); ldst.ts imports the other two, so the helpers sit here to keep the
// module graph free of cycles.
//
// Memory ordering (acquire/release) needs no work here: cores run one at a time, each in program order,
// so every access is observed in order. The rows stay distinct so that trace and disassembly tell them apart.
//
// Exclusive monitors (Arm ARM B2.9): a load-exclusive marks the local monitor (c.exclPa/c.exclSize,
// the physical address and size) and this core's entry in the global monitor. A store-exclusive
// succeeds when the local monitor holds exactly that address and size (a different address or size is
// CONSTRAINED UNPREDICTABLE; we fail it) and the global monitor still has this core's mark; either way
// both are then cleared. Stores by other cores (c.writeNN -> Cpu.stored) clear this core's global mark.

import { Access, Cpu, EC, INSN_ABORTED, SP, XZR } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import { SYSREG_BY_NAME } from '../sysregs.js';

// ---------------------------------------------------------------- shared helpers

/** Data fault status code of an alignment fault (ESR_ELx.ISS.DFSC). */
export const FSC_ALIGNMENT = 0b100001;

/** Effective address: base (lo, hi) plus a signed offset with |off| < 2^31, into R, with 64-bit carry. */
export function ea(lo: number, hi: number, off: number): void {
  const l = (lo >>> 0) + off; // exact: in (-2^31, 2^33)
  R[LO] = l | 0;
  R[HI] = (l < 0 ? hi - 1 : l > 0xffffffff ? hi + 1 : hi) | 0;
}

/** Prepare step for every form with a base register: Rn = 31 names SP, not XZR. */
export function prepBase(i: Insn): boolean {
  if (i.rn === 31) i.rn = SP;
  return true;
}

/** Read a system register that has no read hook, whatever the current EL (off the hot path only). */
export function peekSysReg(c: Cpu, key: number): number {
  const el = c.el;
  c.el = 2; // SysRegs.read checks the EL an MRS would need; this is the core itself looking
  const ok = c.sys.read(c, key);
  c.el = el;
  return ok ? R[LO] : 0;
}

const SCTLR_EL2_KEY = SYSREG_BY_NAME.get('SCTLR_EL2')!.key;

/** CheckSPAlignment(): call when the base register is SP (not for PRFM). SCTLR_ELx.SA, or SCTLR_EL1.SA0 at
 * EL0, enables the check; a misaligned SP then takes an SP alignment fault (EC 0x26, no FAR) and throws. */
export function checkSp(c: Cpu): void {
  if ((c.x[2 * SP] & 15) === 0) return;
  let on: boolean;
  const el = c.el;
  if (el === 0) on = (c.sys.sctlrEl1 & (1 << 4)) !== 0; // SA0
  else if (el === 1) on = (c.sys.sctlrEl1 & (1 << 3)) !== 0; // SA
  else on = (peekSysReg(c, SCTLR_EL2_KEY) & (1 << 3)) !== 0;
  if (!on) return;
  // HCR_EL2.TGE routing of EL0 faults to EL2 is not modelled (the board runs EL0 under EL1).
  c.takeSync(el === 0 ? 1 : el, EC.SPAlign, 0, false);
  throw INSN_ABORTED;
}

/** Zero-extending load of 1, 2, 4 or 8 bytes into Xt (XZR discards; the access still happens). */
export function loadSized(c: Cpu, t: number, lo: number, hi: number, bytes: number): void {
  let vlo: number, vhi = 0;
  if (bytes === 8) { c.read64(lo, hi); vlo = R[LO]; vhi = R[HI]; }
  else if (bytes === 4) vlo = c.read32(lo, hi);
  else if (bytes === 2) vlo = c.read16(lo, hi);
  else vlo = c.read8(lo, hi);
  if (t !== XZR) { c.x[2 * t] = vlo; c.x[2 * t + 1] = vhi; }
}

/** Store the low `bytes` (1, 2, 4, 8) of (vlo, vhi). */
export function storeSized(c: Cpu, lo: number, hi: number, bytes: number, vlo: number, vhi: number): void {
  if (bytes === 8) c.write64(lo, hi, vlo, vhi);
  else if (bytes === 4) c.write32(lo, hi, vlo);
  else if (bytes === 2) c.write16(lo, hi, vlo);
  else c.write8(lo, hi, vlo);
}

// ---------------------------------------------------------------- decode-time preparation

/** Single register: aux0 = access size in bytes (1 << size). */
function prepSized(i: Insn): boolean {
  prepBase(i);
  i.aux0 = 1 << i.size;
  return true;
}

/** Pair: aux0 = element size in bytes (4 << sz), aux1 = total size. */
function prepPair(i: Insn): boolean {
  prepBase(i);
  i.aux0 = 4 << i.sf;
  i.aux1 = 8 << i.sf;
  return true;
}

// ---------------------------------------------------------------- semantics

function LDXR(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], bytes = i.aux0;
  if ((lo & (bytes - 1)) !== 0) c.memAbort(lo, hi, Access.Read, FSC_ALIGNMENT);
  const pa = c.translate(lo, hi, Access.Read, bytes);
  loadSized(c, i.rt, lo, hi, bytes);
  c.exclPa = pa; c.exclSize = bytes;
  c.monitor.mark(c.id, pa);
}

function LDXP(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], total = i.aux1;
  if ((lo & (total - 1)) !== 0) c.memAbort(lo, hi, Access.Read, FSC_ALIGNMENT);
  const pa = c.translate(lo, hi, Access.Read, 8);
  let alo: number, ahi: number, blo: number, bhi: number;
  if (total === 8) { // two words, one 64-bit single-copy-atomic access; Rt from the lower address
    c.read64(lo, hi); alo = R[LO]; ahi = 0; blo = R[HI]; bhi = 0;
  } else { // 16-byte aligned, so lo + 8 cannot carry
    c.read64(lo, hi); alo = R[LO]; ahi = R[HI];
    c.read64((lo + 8) | 0, hi); blo = R[LO]; bhi = R[HI];
  }
  // Rt == Rt2 is CONSTRAINED UNPREDICTABLE; as QEMU 7.2 (and our LDP), Rt is written last and keeps
  // the value from the lower address.
  const t = i.rt, t2 = i.rt2;
  if (t2 !== XZR) { c.x[2 * t2] = blo; c.x[2 * t2 + 1] = bhi; }
  if (t !== XZR) { c.x[2 * t] = alo; c.x[2 * t + 1] = ahi; }
  c.exclPa = pa; c.exclSize = total;
  c.monitor.mark(c.id, pa);
}

/** The common tail of STXR/STXP: whether the store may go ahead (AArch64.ExclusiveMonitorsPass after the
 * alignment check). With the local monitor open we fail without translating, so no translation fault
 * (the Arm ARM leaves that IMPLEMENTATION DEFINED). */
function exclusivePass(c: Cpu, lo: number, hi: number, bytes: number): boolean {
  if (c.exclPa < 0) return false;
  const pa = c.translate(lo, hi, Access.Write, bytes > 8 ? 8 : bytes);
  return pa === c.exclPa && bytes === c.exclSize && c.monitor.isMarked(c.id, pa);
}

function exclusiveDone(c: Cpu, s: number, status: number): void {
  c.exclFailures += status;
  c.exclPa = -1;
  c.monitor.clear(c.id);
  if (s !== XZR) { c.x[2 * s] = status; c.x[2 * s + 1] = 0; }
}

// Ws == Rt (or Rt2) and Ws == Rn (Rn != SP) are CONSTRAINED UNPREDICTABLE. We do what QEMU does: the
// data and the address are read before the status is written, so the original register values are
// stored at the original address, and Ws then receives the status.

function STXR(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], bytes = i.aux0;
  if ((lo & (bytes - 1)) !== 0) c.memAbort(lo, hi, Access.Write, FSC_ALIGNMENT);
  const t = i.rt;
  const dlo = c.x[2 * t], dhi = c.x[2 * t + 1];
  let status = 1;
  if (exclusivePass(c, lo, hi, bytes)) {
    storeSized(c, lo, hi, bytes, dlo, dhi);
    status = 0;
  }
  exclusiveDone(c, i.rs, status);
}

function STXP(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], total = i.aux1;
  if ((lo & (total - 1)) !== 0) c.memAbort(lo, hi, Access.Write, FSC_ALIGNMENT);
  const t = i.rt, t2 = i.rt2;
  const alo = c.x[2 * t], ahi = c.x[2 * t + 1], blo = c.x[2 * t2], bhi = c.x[2 * t2 + 1];
  let status = 1;
  if (exclusivePass(c, lo, hi, total)) {
    if (total === 8) c.write64(lo, hi, alo, blo); // Wt at the lower address
    else { c.write64(lo, hi, alo, ahi); c.write64((lo + 8) | 0, hi, blo, bhi); }
    status = 0;
  }
  exclusiveDone(c, i.rs, status);
}

/** LDAR: an ordinary load that must be naturally aligned. */
function LDAR(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], bytes = i.aux0;
  if ((lo & (bytes - 1)) !== 0) c.memAbort(lo, hi, Access.Read, FSC_ALIGNMENT);
  loadSized(c, i.rt, lo, hi, bytes);
}

/** STLR: an ordinary store that must be naturally aligned. */
function STLR(c: Cpu, i: Insn): void {
  const n = i.rn;
  if (n === SP) checkSp(c);
  const lo = c.x[2 * n], hi = c.x[2 * n + 1], bytes = i.aux0;
  if ((lo & (bytes - 1)) !== 0) c.memAbort(lo, hi, Access.Write, FSC_ALIGNMENT);
  const t = i.rt;
  storeSized(c, lo, hi, bytes, c.x[2 * t], c.x[2 * t + 1]);
}

// ---------------------------------------------------------------- decode table

// Bits 31:30 size, 23 o2, 22 L, 21 o1, 20:16 Rs, 15 o0, 14:10 Rt2. Rs of the loads and of LDAR/STLR,
// and Rt2 of the non-pair forms, are "should be 11111" fields in ARMv8.0 (other values CONSTRAINED
// UNPREDICTABLE: UNDEFINED, or as if all ones): like qemu-aarch64 7.2 we ignore them (the oracle's
// *_anyRsRt2 cases check it). o0 = 0 in the LDAR/STLR rows is LDLAR/STLLR (ARMv8.1 LORegions: not
// implemented, ID_AA64MMFR1_EL1.LO = 0) and stays unallocated.
export const LDST_EXCLUSIVE: Encoding[] = [
  enc('qq 001000 000 sssss 0 uuuuu nnnnn ttttt', 'STXR', STXR, prepSized),
  enc('qq 001000 000 sssss 1 uuuuu nnnnn ttttt', 'STLXR', STXR, prepSized),
  enc('qq 001000 010 sssss 0 uuuuu nnnnn ttttt', 'LDXR', LDXR, prepSized),
  enc('qq 001000 010 sssss 1 uuuuu nnnnn ttttt', 'LDAXR', LDXR, prepSized),
  enc('1z 001000 001 sssss 0 uuuuu nnnnn ttttt', 'STXP', STXP, prepPair),
  enc('1z 001000 001 sssss 1 uuuuu nnnnn ttttt', 'STLXP', STXP, prepPair),
  enc('1z 001000 011 sssss 0 uuuuu nnnnn ttttt', 'LDXP', LDXP, prepPair),
  enc('1z 001000 011 sssss 1 uuuuu nnnnn ttttt', 'LDAXP', LDXP, prepPair),
  enc('qq 001000 100 sssss 1 uuuuu nnnnn ttttt', 'STLR', STLR, prepSized),
  enc('qq 001000 110 sssss 1 uuuuu nnnnn ttttt', 'LDAR', LDAR, prepSized),
  // LDAPR (ARMv8.3 RCpc): a load-acquire with weaker ordering against earlier STLRs. Cores run one at a
  // time here, so it behaves as LDAR. Sits in the atomic memory operations space (o3=1, opc=100).
  enc('qq 111000 101 11111 1100 00 nnnnn ttttt', 'LDAPR', LDAR, prepSized),
];
