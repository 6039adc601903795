/* The SMP core layer: CPU bookkeeping, ICI messages, function-call
 * distribution and boot coordination, with Haiku's names. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "types.h"
#include "cpuset.h"
#include "lock.h"

enum {
	SMP_MSG_INVALIDATE_PAGE_RANGE = 0,	/* data = start, data2 = end */
	SMP_MSG_INVALIDATE_PAGE_LIST,		/* data = addr_t[], data2 = count */
	SMP_MSG_USER_INVALIDATE_PAGES,
	SMP_MSG_GLOBAL_INVALIDATE_PAGES,
	SMP_MSG_CPU_HALT,
	SMP_MSG_CALL_FUNCTION,			/* data_ptr = smp_call_func */
	SMP_MSG_RESCHEDULE,
	SMP_MSG_COUNT
};

enum {
	SMP_MSG_FLAG_ASYNC = 0x0,
	SMP_MSG_FLAG_SYNC = 0x1,	/* sender waits until every target is done */
	SMP_MSG_FLAG_FREE_ARG = 0x2	/* the last target kfree()s data_ptr */
};

#define MSG_POOL_SIZE (SMP_MAX_CPUS * 4)
#define ARM64_SGI_ICI 0			/* the SGI INTID carrying ICIs */
#define ARM64_SGI_KICK 1		/* a bare wake-up from WFI; carries nothing */

typedef void (*smp_call_func)(addr_t data1, int32 currentCPU, addr_t data2, addr_t data3);

struct smp_msg {
	struct smp_msg *next;
	int32 message;
	addr_t data;
	addr_t data2;
	addr_t data3;
	void *data_ptr;
	uint32 flags;
	vint32 ref_count;	/* targets still to process it */
	vint32 done;		/* SYNC: set by the last target */
	CPUSet proc_bitmap;	/* broadcast/multicast: targets yet to take it */
};

/* Per-CPU state (Haiku's gCPU). */
typedef struct cpu_ent {
	int32 cpu_num;
	uint64 mpidr;			/* affinity fields */
	vint32 ici_sent;		/* ICIs this CPU sent */
	vint32 broadcast_seen;		/* sBroadcastMessageCounter at its last fruitless scan */
	vint32 ici_received[SMP_MSG_COUNT];	/* messages it processed, by type */
	vint32 interrupts;		/* IRQs taken */
	vint32 halted;			/* parked by SMP_MSG_CPU_HALT */
} __attribute__((aligned(64))) cpu_ent;

extern cpu_ent gCPU[SMP_MAX_CPUS];

/* layer state, global so a debugger can find it by symbol */
extern int32 sNumCPUs;
extern volatile bool sICIEnabled;
extern struct smp_msg *volatile sFreeMessages;
extern vint32 sFreeMessageCount;
extern vint32 sFreeMessageLowWater;
extern spinlock sFreeMessageSpinlock;
extern struct smp_msg *volatile sCPUMessages[SMP_MAX_CPUS];
extern struct smp_msg *volatile sBroadcastMessages;
extern spinlock sBroadcastMessageSpinlock;
extern vint32 sBroadcastMessageCounter;
extern vint32 sBootCPUSpin;
extern vint32 sEarlyCPUCallCount;
extern CPUSet sEarlyCPUCallSet;
extern struct smp_msg sMessagePool[MSG_POOL_SIZE];

status_t smp_init(kernel_args *args);
status_t smp_per_cpu_init(kernel_args *args, int32 cpu);
bool smp_trap_non_boot_cpus(int32 cpu, uint32 *rendezVous);
void smp_wake_up_non_boot_cpus(void);
void smp_cpu_rendezvous(uint32 *var);

int32 smp_get_num_cpus(void);
void smp_set_num_cpus(int32 numCPUs);
int32 smp_get_current_cpu(void);

void smp_send_ici(int32 targetCPU, int32 message, addr_t data, addr_t data2,
	addr_t data3, void *dataPointer, uint32 flags);
void smp_send_multicast_ici(const CPUSet *cpuMask, int32 message, addr_t data,
	addr_t data2, addr_t data3, void *dataPointer, uint32 flags);
void smp_send_broadcast_ici(int32 message, addr_t data, addr_t data2,
	addr_t data3, void *dataPointer, uint32 flags);
int smp_intercpu_interrupt_handler(int32 cpu);
void process_all_pending_ici(int32 currentCPU);

void call_single_cpu(uint32 targetCPU, void (*func)(void *, int), void *cookie);
void call_single_cpu_sync(uint32 targetCPU, void (*func)(void *, int), void *cookie);
void call_all_cpus(void (*func)(void *, int), void *cookie);
void call_all_cpus_sync(void (*func)(void *, int), void *cookie);
void call_all_cpus_early(void (*func)(void *, int), void *cookie);

/* the parking place of SMP_MSG_CPU_HALT (Haiku: debug_trap_cpu_in_kdl) */
void smp_park_cpu(int32 cpu);
void smp_release_halted_cpus(void);
void scheduler_reschedule_ici(void);

/* arch interface (kernel/arch/arm64/arch_smp.c) */
status_t arch_smp_init(kernel_args *args);
status_t arch_smp_per_cpu_init(kernel_args *args, int32 cpu);
void arch_smp_send_ici(int32 target_cpu);
void arch_smp_send_broadcast_ici(void);
void arch_smp_send_multicast_ici(const CPUSet *cpuSet);
void arch_smp_kick_other_cpus(void);	/* ARM64_SGI_KICK to every other CPU */
status_t arch_smp_start_cpus(kernel_args *args);
void arch_irq_handler(void);
extern vint32 g_multicast_sgi_writes;
extern void (*g_timer_interrupt_hook)(int32 cpu);

#endif
