/* Memory barriers. Arm is weakly ordered, so these are real DMBs, not
 * compiler-only barriers; the inner-shareable domain covers every core. */
#ifndef ARCH_ARM64_BARRIER_H
#define ARCH_ARM64_BARRIER_H

#ifdef X86_BARRIERS
/* The build variant smp-selftest-x86barriers.elf: barriers as code written
 * for x86 (TSO) has them -- compiler-only. Correct on x86, wrong on Arm:
 * a64emu's --memory-model arm shows what breaks. */
static inline void memory_read_barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline void memory_write_barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline void memory_full_barrier(void) { __asm__ volatile("" ::: "memory"); }
#else

/* loads before it are ordered before loads and stores after it */
static inline void memory_read_barrier(void) { __asm__ volatile("dmb ishld" ::: "memory"); }
/* stores before it are ordered before stores after it */
static inline void memory_write_barrier(void) { __asm__ volatile("dmb ishst" ::: "memory"); }
static inline void memory_full_barrier(void) { __asm__ volatile("dmb ish" ::: "memory"); }
#endif

/* DSB/ISB: needed where memory must be complete before a system-register
 * effect (an SGI, a TLBI) rather than merely ordered against other memory. */
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

#endif
