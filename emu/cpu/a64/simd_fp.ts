// Arm ARM C4.1.6 (Data Processing -- Scalar Floating-Point and Advanced SIMD) and the SIMD&FP
// loads and stores: what every class file of the space shares.
//
// - fpEnabled(): CheckFPAdvSIMDEnabled64(). Every SIMD&FP instruction calls it first; it takes the FP
//   access trap (EC 0x07) when CPACR_EL1.FPEN (EL0/EL1) or CPTR_EL2.TFP (EL2 present) disables the
//   unit, as a kernel doing lazy FP switching expects.
// - Register writes: a scalar or 64-bit vector result zeroes the rest of the 128-bit register.
// - The catch-all rows: an encoding of the space that no class file decodes is unallocated (or not
//   implemented): it still takes the access trap when the unit is off, and is UNDEFINED otherwise.
//
// The register file is Cpu.vb/vh/vw/vs/vd (lane k of size S of Vn: index n * (16 / S) + k).
// The class files, in Arm ARM order, are listed in SIMD_FP below.

import { Cpu, EC } from '../cpu.js';
import { enc, Encoding } from '../insn.js';
import { SYSREG_BY_NAME, slotOfKey } from '../sysregs.js';
import { SIMD_FP_SAME } from './simd_fp_same.js';
import { SIMD_FP_MISC } from './simd_fp_misc.js';
import { SIMD_FP_ACROSS } from './simd_fp_across.js';
import { SIMD_FP_PAIRWISE } from './simd_fp_pairwise.js';
import { SIMD_FP_ELEM } from './simd_fp_elem.js';
import { SIMD_FP_SHIFT } from './simd_fp_shift.js';
import { FP_DP } from './fp_dp.js';
import { FP_CVT } from './fp_cvt.js';
import { FP_LDST } from './fp_ldst.js';
import { FP_MOV } from './fp_mov.js';
import { CRYPTO } from './crypto.js';
import { SIMD_SAME } from './simd_same.js';
import { SIMD_DIFF } from './simd_diff.js';
import { SIMD_MISC } from './simd_misc.js';
import { SIMD_ACROSS } from './simd_across.js';
import { SIMD_PAIRWISE } from './simd_pairwise.js';
import { SIMD_SHIFT } from './simd_shift.js';
import { SIMD_ELEM } from './simd_elem.js';
import { SIMD_IMM } from './simd_imm.js';
import { SIMD_COPY } from './simd_copy.js';
import { SIMD_PERM } from './simd_perm.js';
import { SIMD_EXT } from './simd_ext.js';
import { SIMD_TBL } from './simd_tbl.js';

const CPACR_EL1 = slotOfKey(SYSREG_BY_NAME.get('CPACR_EL1')!.key);
const CPTR_EL2 = slotOfKey(SYSREG_BY_NAME.get('CPTR_EL2')!.key);
/** ISS of an FP/SIMD access trap from AArch64: CV = 1, COND = 0b1110. */
const ISS_FP_TRAP = 0x1e00000;

/** CPACR_EL1.FPEN traps SIMD&FP at the current EL ('x0' traps EL0 and EL1; '01' traps EL0). */
function cpacrTraps(c: Cpu): boolean {
  if (c.el > 1) return false;
  const fpen = (c.sys.get(CPACR_EL1) >>> 20) & 3;
  return (fpen & 1) === 0 || (fpen === 1 && c.el === 0);
}

/** May SIMD&FP instructions run now (fpEnabled() without taking the trap)? Translated code asks, and
 * leaves an instruction that would trap to the interpreter. */
export function fpOn(c: Cpu): boolean {
  return !cpacrTraps(c) && !(c.hasEl2 && c.el <= 2 && (c.sys.get(CPTR_EL2) & (1 << 10)) !== 0); // CPTR_EL2.TFP
}

/** CheckFPAdvSIMDEnabled64(): true when the instruction may go on; otherwise the access trap has been
 * taken (the handler must return at once). */
export function fpEnabled(c: Cpu): boolean {
  if (fpOn(c)) return true;
  c.takeSync(cpacrTraps(c) ? 1 : 2, EC.FPAccess, ISS_FP_TRAP, false);
  return false;
}

/** An unallocated (or not implemented) encoding of the SIMD&FP space: the access trap when the unit
 * is off, else UNDEFINED. */
export function FP_UNALLOCATED(c: Cpu): void {
  if (fpEnabled(c)) c.undefinedInstruction();
}

// ---------------------------------------------------------------- register writes

/** Zero bits [127:64] of Vd (after a 64-bit vector or D result). */
export function clearHigh64(c: Cpu, d: number): void {
  c.vw[d * 4 + 2] = 0; c.vw[d * 4 + 3] = 0;
}

/** Vd = the 64-bit value (lo, hi), upper half zeroed (D result, or a 64-bit vector). */
export function setVD(c: Cpu, d: number, lo: number, hi: number): void {
  const b = d * 4;
  c.vw[b] = lo; c.vw[b + 1] = hi; c.vw[b + 2] = 0; c.vw[b + 3] = 0;
}

/** Vd = the 32-bit value v, the rest zeroed (S result). */
export function setVS(c: Cpu, d: number, v: number): void {
  const b = d * 4;
  c.vw[b] = v; c.vw[b + 1] = 0; c.vw[b + 2] = 0; c.vw[b + 3] = 0;
}

/** Vd = the 16-bit value v, the rest zeroed (H result). */
export function setVH(c: Cpu, d: number, v: number): void {
  const b = d * 4;
  c.vw[b] = v & 0xffff; c.vw[b + 1] = 0; c.vw[b + 2] = 0; c.vw[b + 3] = 0;
}

/** Vd = the 8-bit value v, the rest zeroed (B result). */
export function setVB(c: Cpu, d: number, v: number): void {
  const b = d * 4;
  c.vw[b] = v & 0xff; c.vw[b + 1] = 0; c.vw[b + 2] = 0; c.vw[b + 3] = 0;
}

// ---------------------------------------------------------------- the decode rows

/** The whole space (op0 = x111 and x111 with bit 28 set), below every class file's rows (priority -1):
 * what they do not decode is unallocated. */
const CATCH_ALL: Encoding[] = [
  enc('iii 0111 jjjjjjjjjjjjjjjjjjjjjjjjj', 'SIMD_FP_unallocated', FP_UNALLOCATED, undefined, -1),
  enc('iii 1111 jjjjjjjjjjjjjjjjjjjjjjjjj', 'SIMD_FP_unallocated', FP_UNALLOCATED, undefined, -1),
];

export const SIMD_FP: Encoding[] = [
  ...SIMD_FP_SAME,
  ...SIMD_FP_MISC,
  ...SIMD_FP_ACROSS,
  ...SIMD_FP_PAIRWISE,
  ...SIMD_FP_ELEM,
  ...SIMD_FP_SHIFT,
  ...CATCH_ALL,
  ...FP_DP,
  ...FP_CVT,
  ...FP_LDST,
  ...FP_MOV,
  ...CRYPTO,
  ...SIMD_SAME,
  ...SIMD_DIFF,
  ...SIMD_MISC,
  ...SIMD_ACROSS,
  ...SIMD_PAIRWISE,
  ...SIMD_SHIFT,
  ...SIMD_ELEM,
  ...SIMD_IMM,
  ...SIMD_COPY,
  ...SIMD_PERM,
  ...SIMD_EXT,
  ...SIMD_TBL,
];
