// PSCI 1.1 firmware (Arm DEN0022), reached by HVC from EL1, or by SMC when the machine starts at EL2
// (QEMU's virtualization=on). The board supplies the power operations; this file is the function-id
// dispatch, argument checks and return codes. Function ids and codes: shared/platform.md.

import type { Cpu } from '../cpu/cpu.js';

export const PSCI = {
  VERSION: 0x8400_0000,
  CPU_SUSPEND_32: 0x8400_0001, CPU_SUSPEND_64: 0xc400_0001,
  CPU_OFF: 0x8400_0002,
  CPU_ON_32: 0x8400_0003, CPU_ON_64: 0xc400_0003,
  AFFINITY_INFO_32: 0x8400_0004, AFFINITY_INFO_64: 0xc400_0004,
  MIGRATE_INFO_TYPE: 0x8400_0006,
  SYSTEM_OFF: 0x8400_0008,
  SYSTEM_RESET: 0x8400_0009,
  FEATURES: 0x8400_000a,
} as const;

export const PSCI_RET = {
  SUCCESS: 0, NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, DENIED: -3, ALREADY_ON: -4,
  ON_PENDING: -5, INTERNAL_FAILURE: -6, NOT_PRESENT: -7, DISABLED: -8, INVALID_ADDRESS: -9,
} as const;

/** PSCI 1.1: major 1, minor 1. */
const VERSION_1_1 = 0x0001_0001;

export interface PowerControl {
  /** The core whose MPIDR affinity (Aff3..Aff0, no bit 31) matches, or undefined. */
  coreByAffinity(aff: number): Cpu | undefined;
  isOn(c: Cpu): boolean;
  /** Power a core on at entry (physical address) with x0 = context id, at the boot EL. */
  powerOn(c: Cpu, entryLo: number, entryHi: number, contextLo: number, contextHi: number): void;
  powerOff(c: Cpu): void;
  /** Low-power standby until an interrupt (CPU_SUSPEND, standby state). */
  standby(c: Cpu): void;
  systemOff(c: Cpu): void;
  systemReset(c: Cpu): void;
  /** Whether an address is somewhere a core could start executing (RAM). */
  validEntry(lo: number, hi: number): boolean;
  onCall?(c: Cpu, fn: number, result: number): void;
}

const IMPLEMENTED: ReadonlySet<number> = new Set(Object.values(PSCI));

/** Handle an SMCCC call from core c (results in x0). Always handled: an id we do not know returns
 * NOT_SUPPORTED, as SMCCC requires and QEMU does. */
export function psciCall(c: Cpu, power: PowerControl): boolean {
  const fn = c.x[2 * 0] >>> 0;
  const is64 = (fn & 0x4000_0000) !== 0;
  // Arguments: SMC32 calls use the low 32 bits of X1-X3.
  const a1lo = c.x[2 * 1], a1hi = is64 ? c.x[2 * 1 + 1] : 0;
  const a2lo = c.x[2 * 2], a2hi = is64 ? c.x[2 * 2 + 1] : 0;
  const a3lo = c.x[2 * 3], a3hi = is64 ? c.x[2 * 3 + 1] : 0;
  let r: number;
  switch (fn) {
    case PSCI.VERSION:
      r = VERSION_1_1;
      break;
    case PSCI.FEATURES:
      r = IMPLEMENTED.has(c.x[2 * 1] >>> 0) ? PSCI_RET.SUCCESS : PSCI_RET.NOT_SUPPORTED;
      break;
    case PSCI.CPU_ON_32:
    case PSCI.CPU_ON_64: {
      const target = validMpidr(a1lo, a1hi) ? power.coreByAffinity(affinity(a1lo, a1hi)) : undefined;
      if (target === undefined) r = PSCI_RET.INVALID_PARAMETERS;
      else if (power.isOn(target)) r = PSCI_RET.ALREADY_ON;
      else if (!power.validEntry(a2lo, a2hi)) r = PSCI_RET.INVALID_ADDRESS;
      else { power.powerOn(target, a2lo, a2hi, a3lo, a3hi); r = PSCI_RET.SUCCESS; }
      break;
    }
    case PSCI.CPU_OFF:
      power.powerOff(c);
      r = PSCI_RET.SUCCESS; // not seen by the caller: the core is off
      break;
    case PSCI.AFFINITY_INFO_32:
    case PSCI.AFFINITY_INFO_64: {
      // Level L asks about every core whose affinity fields above L match: ON if any of them is on.
      const level = a2hi === 0 && (a2lo >>> 0) <= 3 ? a2lo : -1;
      const cores = level < 0 || !validMpidr(a1lo, a1hi) ? [] : coresInAffinity(c.peers, affinity(a1lo, a1hi), level);
      if (cores.length === 0) r = PSCI_RET.INVALID_PARAMETERS;
      else r = cores.some((k) => power.isOn(k)) ? 0 : 1;
      break;
    }
    case PSCI.CPU_SUSPEND_32:
    case PSCI.CPU_SUSPEND_64:
      // As QEMU: any power_state with only StateID [15:0] and StateType [16] is entered as standby
      // (a power-down request too, which then returns like a standby); other bits are invalid.
      if ((a1lo & 0xfffe_0000) !== 0 || a1hi !== 0) r = PSCI_RET.INVALID_PARAMETERS;
      else { power.standby(c); r = PSCI_RET.SUCCESS; }
      break;
    case PSCI.MIGRATE_INFO_TYPE:
      r = 2; // no Trusted OS: migration not required
      break;
    case PSCI.SYSTEM_OFF:
      power.systemOff(c);
      r = PSCI_RET.SUCCESS;
      break;
    case PSCI.SYSTEM_RESET:
      power.systemReset(c);
      r = PSCI_RET.SUCCESS;
      break;
    default:
      r = PSCI_RET.NOT_SUPPORTED; // SMCCC: an unknown function id returns NOT_SUPPORTED (-1)
  }
  c.setX(0, r | 0, r < 0 ? -1 : 0);
  power.onCall?.(c, fn, r);
  return true;
}

/** Cores whose affinity matches `aff` in every field above `level` (0..3). */
function coresInAffinity(cores: readonly Cpu[], aff: number, level: number): Cpu[] {
  const unit = 2 ** (8 * level);
  return cores.filter((k) => Math.floor(affinity(k.mpidr, 0) / unit) === Math.floor(aff / unit));
}

/** A target_cpu argument: MPIDR Aff3 [39:32] and Aff2..Aff0 [23:0]; bits [31:24] and [63:40] must be 0. */
function validMpidr(lo: number, hi: number): boolean {
  return (lo >>> 24) === 0 && (hi >>> 8) === 0;
}

/** MPIDR affinity fields Aff3 [39:32] and Aff2..Aff0 [23:0] as one number (Aff3 << 24 | Aff2.Aff1.Aff0). */
export function affinity(lo: number, hi: number): number {
  return ((hi & 0xff) * 0x100_0000) + (lo & 0xff_ffff);
}
