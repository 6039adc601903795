/* The three lock kinds. Waiters sleep in WFE (cpu_wait) and process pending
 * ICIs between sleeps, so a core spinning with interrupts masked still
 * answers a SYNC ICI from the lock holder. */
#include "lock.h"
#include "smp.h"
#include "debug.h"
#include "arch/arm64/atomic.h"
#include "arch/arm64/barrier.h"
#include "arch/arm64/cpu.h"
#include "arch/arm64/arch.h"

uint32 g_spinlock_deadlock_count = SPINLOCK_DEADLOCK_COUNT;
uint64 g_spinlock_deadlock_min_us = SPINLOCK_DEADLOCK_MIN_US;

spinlock_name g_spinlock_registry[SPINLOCK_REGISTRY_SIZE];
vint32 g_spinlock_registry_count;

void spinlock_register(const void *lock, const char *name, int32 kind)
{
	int32 i = atomic_add(&g_spinlock_registry_count, 1);
	if (i >= SPINLOCK_REGISTRY_SIZE) {
		atomic_add(&g_spinlock_registry_count, -1);
		return;
	}
	g_spinlock_registry[i].lock = lock;
	g_spinlock_registry[i].name = name;
	g_spinlock_registry[i].kind = kind;
}

const char *spinlock_name_of(const void *lock)
{
	int32 n = atomic_get(&g_spinlock_registry_count);
	for (int32 i = 0; i < n && i < SPINLOCK_REGISTRY_SIZE; i++) {
		if (g_spinlock_registry[i].lock == lock)
			return g_spinlock_registry[i].name;
	}
	return "?";
}

/* Spin bookkeeping shared by every waiting loop. */
typedef struct spin_state {
	uint32 count;
	uint64 start;
} spin_state;

static inline void spin_begin(spin_state *s)
{
	s->count = 0;
	s->start = 0;
}

static void spin_check(spin_state *s, const void *lock, vint32 *holderField)
{
	if (s->count == 0)
		s->start = timer_now();
	if (++s->count < g_spinlock_deadlock_count)
		return;
	if (timer_now() - s->start < timer_us_to_ticks(g_spinlock_deadlock_min_us))
		return;
	int32 holder = holderField ? atomic_get(holderField) - 1 : -1;
	spinlock_deadlock_detected(lock, holder, s->count);
}

static inline int32 current_cpu(void)
{
	return smp_get_current_cpu();
}

/* ---- spinlock ---- */

static inline void note_acquired(spinlock *lock, uint64 waitStart)
{
	lock->holder = current_cpu() + 1;
#if B_DEBUG_SPINLOCK_CONTENTION
	uint64 now = timer_now();
	atomic_add(&lock->acquisitions, 1);
	if (waitStart)
		lock->total_wait += now - waitStart;
	lock->last_acquired = now;
#else
	(void)waitStart;
#endif
}

bool try_acquire_spinlock(spinlock *lock)
{
	if (atomic_get_and_set(&lock->lock, 1) != 0) {
#if B_DEBUG_SPINLOCK_CONTENTION
		atomic_add(&lock->failed_try_acquire, 1);
#endif
		return false;
	}
	note_acquired(lock, 0);
	return true;
}

static void acquire_spinlock_common(spinlock *lock, bool processICIs)
{
	if (smp_get_num_cpus() <= 1) {
		/* one CPU: a held lock can only be our own, which never frees */
		if (atomic_get_and_set(&lock->lock, 1) != 0)
			spinlock_deadlock_detected(lock, atomic_get(&lock->holder) - 1, 0);
		note_acquired(lock, 0);
		return;
	}

	int32 cpu = current_cpu();
	spin_state spin;
	spin_begin(&spin);
	uint64 waitStart = 0;
	for (;;) {
		while (atomic_get(&lock->lock) != 0) {
			if (waitStart == 0)
				waitStart = timer_now();
			spin_check(&spin, lock, &lock->holder);
			if (processICIs)
				process_all_pending_ici(cpu);
			cpu_wait(&lock->lock, 0);
		}
		if (atomic_get_and_set(&lock->lock, 1) == 0)
			break;
#if B_DEBUG_SPINLOCK_CONTENTION
		atomic_add(&lock->failed_try_acquire, 1);
#endif
	}
	note_acquired(lock, waitStart);
}

void acquire_spinlock(spinlock *lock)
{
	acquire_spinlock_common(lock, true);
}

void acquire_spinlock_nocheck(spinlock *lock)
{
	acquire_spinlock_common(lock, false);
}

void release_spinlock(spinlock *lock)
{
	if (atomic_get(&lock->lock) == 0)
		panic("release_spinlock: lock %p (%s) is not held", lock, spinlock_name_of(lock));
#if B_DEBUG_SPINLOCK_CONTENTION
	lock->total_held += timer_now() - lock->last_acquired;
#endif
	lock->holder = 0;
	/* the store-release both publishes the critical section and, by
	 * clearing the waiters' exclusive monitors, wakes them from WFE */
	atomic_set(&lock->lock, 0);
}

bool spinlock_is_held(const spinlock *lock)
{
	return atomic_get((vint32 *)&lock->lock) != 0;
}

/* ---- rw_spinlock ---- */

/* Sleep while the writer bit is set (LDAXR arms the monitor first). */
static inline void wait_writer_bit(vint32 *word)
{
	int32 v;
	__asm__ volatile(
		"	sevl\n"
		"	wfe\n"
		"	ldaxr	%w0, %1\n"
		"	tbz	%w0, #31, 1f\n"
		"	wfe\n"
		"1:\n"
		: "=&r"(v) : "Q"(*word) : "memory");
}

bool try_acquire_read_spinlock(rw_spinlock *lock)
{
	/* A failing reader's increment stays behind; the writer's release
	 * (store 0) wipes it. */
	int32 previous = atomic_add(&lock->lock, 1);
	return (previous & RW_SPINLOCK_WRITER_BIT) == 0;
}

void acquire_read_spinlock(rw_spinlock *lock)
{
	int32 cpu = current_cpu();
	spin_state spin;
	spin_begin(&spin);
	for (;;) {
		if (try_acquire_read_spinlock(lock))
			return;
		while ((atomic_get(&lock->lock) & RW_SPINLOCK_WRITER_BIT) != 0) {
			spin_check(&spin, lock, &lock->writer);
			process_all_pending_ici(cpu);
			wait_writer_bit(&lock->lock);
		}
	}
}

void release_read_spinlock(rw_spinlock *lock)
{
	atomic_add(&lock->lock, -1);
}

bool try_acquire_write_spinlock(rw_spinlock *lock)
{
	/* only from a completely free word: no readers, no stray counts */
	if (atomic_test_and_set(&lock->lock, RW_SPINLOCK_WRITER_BIT, 0) != 0)
		return false;
	lock->writer = current_cpu() + 1;
	return true;
}

void acquire_write_spinlock(rw_spinlock *lock)
{
	int32 cpu = current_cpu();
	spin_state spin;
	spin_begin(&spin);
	while (!try_acquire_write_spinlock(lock)) {
		while (atomic_get(&lock->lock) != 0) {
			spin_check(&spin, lock, &lock->writer);
			process_all_pending_ici(cpu);
			cpu_wait(&lock->lock, 0);
		}
	}
}

void release_write_spinlock(rw_spinlock *lock)
{
	lock->writer = 0;
	atomic_set(&lock->lock, 0);
}

/* ---- seqlock ---- */

bool try_acquire_write_seqlock(seqlock *lock)
{
	if (!try_acquire_spinlock(&lock->lock))
		return false;
	atomic_add(&lock->count, 1);
	/* the odd count must be visible before any data store */
	memory_write_barrier();
	return true;
}

void acquire_write_seqlock(seqlock *lock)
{
	acquire_spinlock(&lock->lock);
	atomic_add(&lock->count, 1);
	memory_write_barrier();
}

void release_write_seqlock(seqlock *lock)
{
	/* the increment is a store-release: data stores are visible first */
	atomic_add(&lock->count, 1);
	release_spinlock(&lock->lock);
}

uint32 acquire_read_seqlock(seqlock *lock)
{
	/* load-acquire: the data reads that follow cannot move above it */
	return (uint32)atomic_get(&lock->count);
}

bool release_read_seqlock(seqlock *lock, uint32 count)
{
	/* the data reads are complete before the count is read again */
	memory_read_barrier();
	uint32 current = (uint32)*(vint32 *)&lock->count;
	return (count % 2) == 0 && current == count;
}
