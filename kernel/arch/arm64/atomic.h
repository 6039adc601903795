/* 32-bit and pointer atomics with Haiku's names. All return the previous
 * value and are acquire+release ordered.
 *
 * Default: LDAXR/STLXR retry loops (ARMv8.0). With -DUSE_LSE: the ARMv8.1
 * single-instruction forms CAS/LDADD/SWP/LDSET/LDCLR, "AL" (acquire+release)
 * variants. */
#ifndef ARCH_ARM64_ATOMIC_H
#define ARCH_ARM64_ATOMIC_H

#include "../../types.h"

/* X86_BARRIERS (the smp-selftest-x86barriers.elf variant): the ordering an
 * x86 port would assume -- plain loads and stores instead of LDAR/STLR, and
 * exclusives without acquire/release (x86's locked RMWs need no barriers). */
#ifdef X86_BARRIERS
#define ATOMIC_LOAD_ACQ "ldr"
#define ATOMIC_STORE_REL "str"
#define ATOMIC_LDX "ldxr"
#define ATOMIC_STX "stxr"
#else
#define ATOMIC_LOAD_ACQ "ldar"
#define ATOMIC_STORE_REL "stlr"
#define ATOMIC_LDX "ldaxr"
#define ATOMIC_STX "stlxr"
#endif

static inline int32 atomic_get(vint32 *value)
{
	int32 v;
	__asm__ volatile(ATOMIC_LOAD_ACQ " %w0, %1" : "=r"(v) : "Q"(*value) : "memory");
	return v;
}

static inline void atomic_set(vint32 *value, int32 newValue)
{
	__asm__ volatile(ATOMIC_STORE_REL " %w1, %0" : "=Q"(*value) : "r"(newValue) : "memory");
}

static inline void *atomic_pointer_get(void *volatile *value)
{
	void *v;
	__asm__ volatile(ATOMIC_LOAD_ACQ " %0, %1" : "=r"(v) : "Q"(*value) : "memory");
	return v;
}

static inline void atomic_pointer_set(void *volatile *value, void *newValue)
{
	__asm__ volatile(ATOMIC_STORE_REL " %1, %0" : "=Q"(*value) : "r"(newValue) : "memory");
}

#ifdef USE_LSE

static inline int32 atomic_get_and_set(vint32 *value, int32 newValue)
{
	int32 old;
	__asm__ volatile("swpal %w2, %w0, %1" : "=&r"(old), "+Q"(*value) : "r"(newValue) : "memory");
	return old;
}

static inline int32 atomic_add(vint32 *value, int32 addValue)
{
	int32 old;
	__asm__ volatile("ldaddal %w2, %w0, %1" : "=&r"(old), "+Q"(*value) : "r"(addValue) : "memory");
	return old;
}

static inline int32 atomic_or(vint32 *value, int32 orValue)
{
	int32 old;
	__asm__ volatile("ldsetal %w2, %w0, %1" : "=&r"(old), "+Q"(*value) : "r"(orValue) : "memory");
	return old;
}

static inline int32 atomic_and(vint32 *value, int32 andValue)
{
	/* LDCLR clears the bits that are set in its operand */
	int32 old;
	__asm__ volatile("ldclral %w2, %w0, %1" : "=&r"(old), "+Q"(*value) : "r"(~andValue) : "memory");
	return old;
}

/* Haiku's order: set newValue if *value == testValue; returns the old value. */
static inline int32 atomic_test_and_set(vint32 *value, int32 newValue, int32 testValue)
{
	int32 old = testValue;
	__asm__ volatile("casal %w0, %w2, %1" : "+r"(old), "+Q"(*value) : "r"(newValue) : "memory");
	return old;
}

static inline void *atomic_pointer_test_and_set(void *volatile *value, void *newValue, void *testValue)
{
	void *old = testValue;
	__asm__ volatile("casal %0, %2, %1" : "+r"(old), "+Q"(*value) : "r"(newValue) : "memory");
	return old;
}

#else /* LDAXR/STLXR */

static inline int32 atomic_get_and_set(vint32 *value, int32 newValue)
{
	int32 old;
	uint32 fail;
	__asm__ volatile(
		"1:	" ATOMIC_LDX "	%w0, %2\n"
		"	" ATOMIC_STX "	%w1, %w3, %2\n"
		"	cbnz	%w1, 1b\n"
		: "=&r"(old), "=&r"(fail), "+Q"(*value)
		: "r"(newValue)
		: "memory");
	return old;
}

#define ARM64_ATOMIC_RMW(name, insn)                                         \
	static inline int32 name(vint32 *value, int32 operand)               \
	{                                                                    \
		int32 old, result;                                           \
		uint32 fail;                                                 \
		__asm__ volatile(                                            \
			"1:	" ATOMIC_LDX "	%w0, %3\n"                                   \
			"	" insn "	%w1, %w0, %w4\n"                            \
			"	" ATOMIC_STX "	%w2, %w1, %3\n"                              \
			"	cbnz	%w2, 1b\n"                                   \
			: "=&r"(old), "=&r"(result), "=&r"(fail), "+Q"(*value) \
			: "r"(operand)                                       \
			: "memory");                                         \
		return old;                                                  \
	}

ARM64_ATOMIC_RMW(atomic_add, "add")
ARM64_ATOMIC_RMW(atomic_and, "and")
ARM64_ATOMIC_RMW(atomic_or, "orr")

static inline int32 atomic_test_and_set(vint32 *value, int32 newValue, int32 testValue)
{
	int32 old;
	uint32 fail;
	__asm__ volatile(
		"1:	" ATOMIC_LDX "	%w0, %2\n"
		"	cmp	%w0, %w4\n"
		"	b.ne	2f\n"
		"	" ATOMIC_STX "	%w1, %w3, %2\n"
		"	cbnz	%w1, 1b\n"
		"	b	3f\n"
		"2:	clrex\n"
		"3:\n"
		: "=&r"(old), "=&r"(fail), "+Q"(*value)
		: "r"(newValue), "r"(testValue)
		: "memory", "cc");
	return old;
}

static inline void *atomic_pointer_test_and_set(void *volatile *value, void *newValue, void *testValue)
{
	void *old;
	uint32 fail;
	__asm__ volatile(
		"1:	" ATOMIC_LDX "	%0, %2\n"
		"	cmp	%0, %4\n"
		"	b.ne	2f\n"
		"	" ATOMIC_STX "	%w1, %3, %2\n"
		"	cbnz	%w1, 1b\n"
		"	b	3f\n"
		"2:	clrex\n"
		"3:\n"
		: "=&r"(old), "=&r"(fail), "+Q"(*value)
		: "r"(newValue), "r"(testValue)
		: "memory", "cc");
	return old;
}

#endif /* USE_LSE */

#endif
