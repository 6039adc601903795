// Exit statuses of `a64emu run`, documented in the README. Guest statuses (semihosting SYS_EXIT,
// PSCI SYSTEM_OFF = 0) pass through unchanged.
export const EXIT_USAGE = 2;          // unknown option, unreadable or malformed image
export const EXIT_GUEST_FAULT = 123;   // the guest did something the run cannot continue past
export const EXIT_MAX_INSNS = 124;    // --max-insns reached
export const EXIT_DEADLOCK = 125;     // every core asleep with nothing that could wake one
