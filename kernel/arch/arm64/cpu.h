/* CPU-level helpers: system registers, interrupt masking, spinning. */
#ifndef ARCH_ARM64_CPU_H
#define ARCH_ARM64_CPU_H

#include "../../types.h"

#define READ_SPECIALREG(reg) ({ uint64 _v; __asm__ volatile("mrs %0, " #reg : "=r"(_v)); _v; })
#define WRITE_SPECIALREG(reg, val) __asm__ volatile("msr " #reg ", %0" :: "r"((uint64)(val)) : "memory")

/* GICv3 CPU interface registers by encoding, so no assembler feature flag
 * is needed (op0=3, op1=0, CRn=12). */
#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_CTLR_EL1	S3_0_C12_C12_4
#define ICC_SRE_EL1	S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1	S3_0_C12_C12_7
#define ICC_SGI1R_EL1	S3_0_C12_C11_5

#define MPIDR_AFF_MASK	0xff00ffffffULL	/* Aff3 [39:32], Aff2..Aff0 [23:0] */

typedef uint64 cpu_status;

/* Mask IRQs (PSTATE.I); returns the previous DAIF for restore_interrupts. */
static inline cpu_status disable_interrupts(void)
{
	cpu_status state = READ_SPECIALREG(daif);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	return state;
}

static inline void restore_interrupts(cpu_status state)
{
	WRITE_SPECIALREG(daif, state);
}

static inline void enable_interrupts(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline bool are_interrupts_enabled(void)
{
	return (READ_SPECIALREG(daif) & (1u << 7)) == 0;
}

/* Spin hint for tight loops that do not watch a single word. */
static inline void cpu_pause(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* Wait for *variable to become `test`: returns at once if it already is,
 * otherwise sleeps in WFE until the word is written (LDAXR armed the
 * exclusive monitor, and another core's store to that granule clears it,
 * which is a WFE wake-up event), or until any other event (SEV, the timer
 * event stream, an unmasked interrupt). One-shot: callers re-check in a loop.
 * SEVL + WFE first empties the event register, so an old event cannot end
 * the real WFE at once; an event after the LDAXR still ends it. */
static inline void cpu_wait(vint32 *variable, int32 test)
{
	int32 v;
	__asm__ volatile(
		"	sevl\n"
		"	wfe\n"
		"	ldaxr	%w0, %1\n"
		"	cmp	%w0, %w2\n"
		"	b.eq	1f\n"
		"	wfe\n"
		"1:\n"
		: "=&r"(v) : "Q"(*variable), "r"(test) : "memory", "cc");
}

/* The same idiom, waiting for *variable to differ from `old`. */
static inline void cpu_wait_change(vint32 *variable, int32 old)
{
	int32 v;
	__asm__ volatile(
		"	sevl\n"
		"	wfe\n"
		"	ldaxr	%w0, %1\n"
		"	cmp	%w0, %w2\n"
		"	b.ne	1f\n"
		"	wfe\n"
		"1:\n"
		: "=&r"(v) : "Q"(*variable), "r"(old) : "memory", "cc");
}

/* Wake every core sleeping in WFE. The DSB makes earlier stores visible
 * first, so a woken core finds what it was woken for. */
static inline void cpu_send_event(void)
{
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

static inline uint64 arch_cpu_mpidr(void)
{
	return READ_SPECIALREG(mpidr_el1) & MPIDR_AFF_MASK;
}

/* The CPU index lives in TPIDR_EL1, set once per core at boot from the
 * MPIDR -> index map. */
static inline int32 arch_cpu_index(void)
{
	return (int32)READ_SPECIALREG(tpidr_el1);
}

static inline void arch_set_cpu_index(int32 cpu)
{
	WRITE_SPECIALREG(tpidr_el1, (uint64)cpu);
}

#endif
