// The memory layout shared by the QEMU driver (driver.c, which must agree) and the replay on our CPU.
// Both live inside our RAM (base 0x4000_0000), so the same addresses work in QEMU's user-mode process
// (mapped there with MAP_FIXED) and on our machine.

/** Data area that memory operands point into; its contents are regenerated from the case seed. */
export const SCRATCH = 0x4010_0000;
export const SCRATCH_SIZE = 0x1000;

/** Code window: every word is UDF #0 (0x00000000) except the instruction(s) under test at TEST_PC.
 * Any branch lands on a UDF, whose SIGILL (Unknown exception on our side) records where it landed. */
export const WINDOW = 0x4011_0000;
export const WINDOW_SIZE = 0x2000;
export const TEST_PC = WINDOW + 0x1000;
/** Most words in one case (a 2-instruction exclusive pair uses 2). */
export const MAX_WORDS = 4;

/** An address that is mapped neither in QEMU's process nor in our RAM/bus, for deliberate faults. */
export const UNMAPPED = 0x0020_0000;

/** Registers of the recorded state, by slot: X0..X30 = 0..30, then these. */
export const SLOT_SP = 31;
export const SLOT_NZCV = 32;
export const SLOT_TPIDR = 33;
/** The general-purpose part of the state (slots 0..33): what the integer-only seed derivation gives. */
export const NSLOTS_INT = 34;
/** SIMD&FP state: Vn bits [63:0] in slot SLOT_V + 2n, bits [127:64] in SLOT_V + 2n + 1. */
export const SLOT_V = 34;
export const SLOT_FPCR = 98;
export const SLOT_FPSR = 99;
export const NSLOTS = 100;

/** Bumped whenever the fixture format or the seed-to-state derivation changes. */
export const FIXTURE_VERSION = 1;

/** How a case ended. QEMU reports a signal; our CPU takes an exception to EL1. */
export const enum Outcome {
  /** SIGILL / Unknown-reason or trapped-system-access exception (UNDEFINED, or landing on a UDF pad). */
  Ill = 0,
  /** SIGTRAP / BRK exception. */
  Brk = 1,
  /** SIGSEGV / instruction or data abort other than alignment. */
  Segv = 2,
  /** SIGBUS BUS_ADRALN / alignment fault, PC or SP alignment fault. */
  Align = 3,
  /** Another SIGBUS. */
  Bus = 4,
  /** Nothing stopped the case (QEMU: 1 s CPU-time limit; ours: step limit). */
  Timeout = 5,
  Other = 6,
}

export const OUTCOME_NAMES = ['SIGILL', 'SIGTRAP', 'SIGSEGV', 'SIGBUS(align)', 'SIGBUS', 'timeout', 'other'];
