/* CPUSet: a bitmap of CPU indices, SMP_MAX_CPUS wide. The *_atomic variants
 * may race with other cores; the others are for sets one core owns. */
#ifndef KERNEL_CPUSET_H
#define KERNEL_CPUSET_H

#include "types.h"
#include "arch/arm64/atomic.h"

#define CPUSET_ARRAY_BITS 32
#define CPUSET_ARRAY_SIZE (ROUNDUP(SMP_MAX_CPUS, CPUSET_ARRAY_BITS) / CPUSET_ARRAY_BITS)

typedef struct CPUSet {
	uint32 bitmap[CPUSET_ARRAY_SIZE];
} CPUSet;

static inline void cpuset_clear_all(CPUSet *set)
{
	for (int i = 0; i < CPUSET_ARRAY_SIZE; i++)
		set->bitmap[i] = 0;
}

static inline void cpuset_set_all(CPUSet *set)
{
	for (int i = 0; i < CPUSET_ARRAY_SIZE; i++)
		set->bitmap[i] = ~0u;
}

/* CPUs 0 .. count-1 */
static inline void cpuset_set_first(CPUSet *set, int32 count)
{
	cpuset_clear_all(set);
	for (int32 cpu = 0; cpu < count; cpu++)
		set->bitmap[cpu / CPUSET_ARRAY_BITS] |= 1u << (cpu % CPUSET_ARRAY_BITS);
}

static inline void cpuset_set_bit(CPUSet *set, int32 cpu)
{
	set->bitmap[cpu / CPUSET_ARRAY_BITS] |= 1u << (cpu % CPUSET_ARRAY_BITS);
}

static inline void cpuset_clear_bit(CPUSet *set, int32 cpu)
{
	set->bitmap[cpu / CPUSET_ARRAY_BITS] &= ~(1u << (cpu % CPUSET_ARRAY_BITS));
}

static inline void cpuset_set_bit_atomic(CPUSet *set, int32 cpu)
{
	atomic_or((vint32 *)&set->bitmap[cpu / CPUSET_ARRAY_BITS],
		(int32)(1u << (cpu % CPUSET_ARRAY_BITS)));
}

static inline void cpuset_clear_bit_atomic(CPUSet *set, int32 cpu)
{
	atomic_and((vint32 *)&set->bitmap[cpu / CPUSET_ARRAY_BITS],
		(int32)~(1u << (cpu % CPUSET_ARRAY_BITS)));
}

/* Test and clear in one step; true if this caller cleared the bit. */
static inline bool cpuset_test_and_clear_bit_atomic(CPUSet *set, int32 cpu)
{
	uint32 mask = 1u << (cpu % CPUSET_ARRAY_BITS);
	return ((uint32)atomic_and((vint32 *)&set->bitmap[cpu / CPUSET_ARRAY_BITS],
		(int32)~mask) & mask) != 0;
}

static inline bool cpuset_get_bit(const CPUSet *set, int32 cpu)
{
	uint32 word = (uint32)atomic_get((vint32 *)&set->bitmap[cpu / CPUSET_ARRAY_BITS]);
	return (word & (1u << (cpu % CPUSET_ARRAY_BITS))) != 0;
}

static inline bool cpuset_is_empty(const CPUSet *set)
{
	for (int i = 0; i < CPUSET_ARRAY_SIZE; i++) {
		if (((volatile const uint32 *)set->bitmap)[i] != 0)
			return false;
	}
	return true;
}

static inline int32 cpuset_count(const CPUSet *set, int32 limit)
{
	int32 n = 0;
	for (int32 cpu = 0; cpu < limit; cpu++)
		n += (set->bitmap[cpu / CPUSET_ARRAY_BITS] >> (cpu % CPUSET_ARRAY_BITS)) & 1;
	return n;
}

#endif
