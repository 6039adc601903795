/* spinlock, rw_spinlock and seqlock with Haiku's names and semantics. */
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H

#include "types.h"

/* Spins (one wake-up from cpu_wait each) before a wait counts as a deadlock.
 * A spinning core sleeps in WFE, so every spin is a real change of the lock
 * word or a timer event-stream tick (about every 131 us), not a busy loop. */
#define SPINLOCK_DEADLOCK_COUNT 10000
/* ... and a deadlock also needs this much generic-timer time, so a host
 * that deschedules a lock holder (QEMU threads on a busy host) is not
 * mistaken for one. */
#define SPINLOCK_DEADLOCK_MIN_US 2000000

typedef struct spinlock {
	vint32 lock;		/* 0 free, 1 held */
	vint32 holder;		/* CPU index + 1 of the holder, 0 when free */
#if B_DEBUG_SPINLOCK_CONTENTION
	vint32 failed_try_acquire;	/* failed attempts, try_ and spinning */
	vint32 acquisitions;
	bigtime_t total_wait;		/* ticks spent spinning for it */
	bigtime_t total_held;		/* ticks it was held */
	bigtime_t last_acquired;
#endif
} spinlock;

#define B_SPINLOCK_INITIALIZER { 0 }

typedef struct rw_spinlock {
	vint32 lock;		/* bit 31: writer; bits 0-30: readers */
	vint32 writer;		/* CPU index + 1 of the writer, for reports */
} rw_spinlock;

#define B_RW_SPINLOCK_INITIALIZER { 0 }
#define RW_SPINLOCK_WRITER_BIT ((int32)(1u << 31))

typedef struct seqlock {
	spinlock lock;		/* serialises writers */
	vint32 count;		/* odd while a writer is inside */
} seqlock;

#define B_SEQLOCK_INITIALIZER { B_SPINLOCK_INITIALIZER, 0 }

/* thresholds, as globals so a debugger or test harness can change them */
extern uint32 g_spinlock_deadlock_count;
extern uint64 g_spinlock_deadlock_min_us;

bool try_acquire_spinlock(spinlock *lock);
void acquire_spinlock(spinlock *lock);
void acquire_spinlock_nocheck(spinlock *lock);	/* does not process ICIs while spinning */
void release_spinlock(spinlock *lock);
bool spinlock_is_held(const spinlock *lock);

bool try_acquire_read_spinlock(rw_spinlock *lock);
void acquire_read_spinlock(rw_spinlock *lock);
void release_read_spinlock(rw_spinlock *lock);
bool try_acquire_write_spinlock(rw_spinlock *lock);
void acquire_write_spinlock(rw_spinlock *lock);
void release_write_spinlock(rw_spinlock *lock);

bool try_acquire_write_seqlock(seqlock *lock);
void acquire_write_seqlock(seqlock *lock);
void release_write_seqlock(seqlock *lock);
uint32 acquire_read_seqlock(seqlock *lock);
bool release_read_seqlock(seqlock *lock, uint32 count);

/* Named locks, for the `spinlock` dump and panic reports. */
#define SPINLOCK_REGISTRY_SIZE 32
typedef struct spinlock_name {
	const void *lock;
	const char *name;
	int32 kind;	/* 0 spinlock, 1 rw_spinlock, 2 seqlock */
} spinlock_name;
void spinlock_register(const void *lock, const char *name, int32 kind);
const char *spinlock_name_of(const void *lock);
extern spinlock_name g_spinlock_registry[SPINLOCK_REGISTRY_SIZE];
extern vint32 g_spinlock_registry_count;

#endif
