/* The SMP core layer.
 *
 * An ICI is a message in a mailbox plus an SGI to wake the target:
 *  - unicast: pushed onto the target's sCPUMessages[] stack with a
 *    compare-and-swap (any core pushes; only the owner pops);
 *  - broadcast and multicast: one message on sBroadcastMessages, with a
 *    proc_bitmap of the targets that still have to take it and a
 *    ref_count of the targets that still have to finish it.
 * The target runs process_all_pending_ici from its SGI handler or from any
 * spin loop. The last target to finish a message frees its argument
 * (FREE_ARG) and either hands it back to the SYNC sender (done = 1) or
 * returns it to the pool. */
#include "smp.h"
#include "heap.h"
#include "debug.h"
#include "arch/arm64/atomic.h"
#include "arch/arm64/barrier.h"
#include "arch/arm64/cpu.h"
#include "arch/arm64/arch.h"

enum mailbox_source { MAILBOX_LOCAL, MAILBOX_BCAST };

cpu_ent gCPU[SMP_MAX_CPUS];

int32 sNumCPUs = 1;
volatile bool sICIEnabled = false;
struct smp_msg sMessagePool[MSG_POOL_SIZE];
struct smp_msg *volatile sFreeMessages = NULL;
vint32 sFreeMessageCount = 0;
vint32 sFreeMessageLowWater = 0;	/* lowest free count seen, to prove exhaustion */
spinlock sFreeMessageSpinlock = B_SPINLOCK_INITIALIZER;
struct smp_msg *volatile sCPUMessages[SMP_MAX_CPUS];
struct smp_msg *volatile sBroadcastMessages = NULL;
spinlock sBroadcastMessageSpinlock = B_SPINLOCK_INITIALIZER;
vint32 sBroadcastMessageCounter;

vint32 sBootCPUSpin = 0;
vint32 sEarlyCPUCallCount;
CPUSet sEarlyCPUCallSet;
static void (*volatile sEarlyCPUCallFunction)(void *, int);
static void *volatile sEarlyCPUCallCookie;

static vint32 sHaltReleaseGeneration;

/* ---- message pool ---- */

/* Take a message from the pool, waiting if it is empty. Interrupts are
 * masked by the caller. While waiting, this CPU handles its own pending
 * ICIs: when every core sends at once with interrupts masked, the pool can
 * only refill if the waiters themselves finish the messages queued for them. */
static struct smp_msg *find_free_message(int32 currentCPU)
{
	for (;;) {
		while (atomic_get(&sFreeMessageCount) <= 0) {
			process_all_pending_ici(currentCPU);
			cpu_wait(&sFreeMessageCount, 1);
		}
		acquire_spinlock(&sFreeMessageSpinlock);
		if (sFreeMessageCount > 0) {
			struct smp_msg *msg = sFreeMessages;
			sFreeMessages = msg->next;
			int32 count = atomic_add(&sFreeMessageCount, -1) - 1;
			if (count < sFreeMessageLowWater)
				sFreeMessageLowWater = count;
			release_spinlock(&sFreeMessageSpinlock);
			return msg;
		}
		release_spinlock(&sFreeMessageSpinlock);
	}
}

static void return_free_message(struct smp_msg *msg)
{
	cpu_status state = disable_interrupts();
	acquire_spinlock_nocheck(&sFreeMessageSpinlock);
	msg->next = sFreeMessages;
	sFreeMessages = msg;
	atomic_add(&sFreeMessageCount, 1);
	release_spinlock(&sFreeMessageSpinlock);
	restore_interrupts(state);
}

/* ---- receiving ---- */

static struct smp_msg *check_for_message(int32 currentCPU, enum mailbox_source *source)
{
	/* own mailbox first: pop one message; only this CPU pops, so the head
	 * cannot be freed and reused under us (no ABA) */
	struct smp_msg *msg = atomic_pointer_get((void *volatile *)&sCPUMessages[currentCPU]);
	while (msg != NULL) {
		struct smp_msg *seen = atomic_pointer_test_and_set(
			(void *volatile *)&sCPUMessages[currentCPU], msg->next, msg);
		if (seen == msg) {
			*source = MAILBOX_LOCAL;
			return msg;
		}
		msg = seen;
	}

	/* The broadcast list only needs a scan if something was posted since
	 * this CPU's last scan that found nothing for it; without this, every
	 * spinning CPU would hammer the list lock while a message for others
	 * sits in it. Posters link first and count after, so a counter value
	 * read before the scan covers every message the scan can miss. */
	int32 counter = atomic_get(&sBroadcastMessageCounter);
	if (counter == gCPU[currentCPU].broadcast_seen
			|| atomic_pointer_get((void *volatile *)&sBroadcastMessages) == NULL) {
		gCPU[currentCPU].broadcast_seen = counter;
		return NULL;
	}

	acquire_spinlock_nocheck(&sBroadcastMessageSpinlock);
	for (msg = sBroadcastMessages; msg != NULL; msg = msg->next) {
		if (cpuset_get_bit(&msg->proc_bitmap, currentCPU)) {
			cpuset_clear_bit_atomic(&msg->proc_bitmap, currentCPU);
			break;
		}
	}
	release_spinlock(&sBroadcastMessageSpinlock);
	if (msg == NULL)
		gCPU[currentCPU].broadcast_seen = counter;
	*source = MAILBOX_BCAST;
	return msg;
}

static void finish_message_processing(int32 currentCPU, struct smp_msg *msg,
	enum mailbox_source source)
{
	(void)currentCPU;
	if (atomic_add(&msg->ref_count, -1) != 1)
		return;	/* other targets still have it */

	if (source == MAILBOX_BCAST) {
		acquire_spinlock_nocheck(&sBroadcastMessageSpinlock);
		struct smp_msg *volatile *link = &sBroadcastMessages;
		while (*link != NULL && *link != msg)
			link = &(*link)->next;
		if (*link == msg)
			*link = msg->next;
		release_spinlock(&sBroadcastMessageSpinlock);
	}

	if ((msg->flags & SMP_MSG_FLAG_FREE_ARG) != 0 && msg->data_ptr != NULL)
		kfree(msg->data_ptr);

	if ((msg->flags & SMP_MSG_FLAG_SYNC) != 0) {
		/* the sender returns it to the pool; we must not touch it again */
		atomic_set(&msg->done, 1);
	} else {
		return_free_message(msg);
	}
}

static status_t process_pending_ici(int32 currentCPU)
{
	enum mailbox_source source;
	struct smp_msg *msg = check_for_message(currentCPU, &source);
	if (msg == NULL)
		return B_ENTRY_NOT_FOUND;

	bool haltCPU = false;
	if (msg->message >= 0 && msg->message < SMP_MSG_COUNT)
		atomic_add(&gCPU[currentCPU].ici_received[msg->message], 1);

	switch (msg->message) {
		case SMP_MSG_INVALIDATE_PAGE_RANGE:
			arch_cpu_invalidate_TLB_range(msg->data, msg->data2);
			break;
		case SMP_MSG_INVALIDATE_PAGE_LIST:
			arch_cpu_invalidate_TLB_list((addr_t *)msg->data, (int32)msg->data2);
			break;
		case SMP_MSG_USER_INVALIDATE_PAGES:
			arch_cpu_user_TLB_invalidate();
			break;
		case SMP_MSG_GLOBAL_INVALIDATE_PAGES:
			arch_cpu_global_TLB_invalidate();
			break;
		case SMP_MSG_CPU_HALT:
			haltCPU = true;
			break;
		case SMP_MSG_CALL_FUNCTION: {
			smp_call_func func = (smp_call_func)msg->data_ptr;
			func(msg->data, currentCPU, msg->data2, msg->data3);
			break;
		}
		case SMP_MSG_RESCHEDULE:
			scheduler_reschedule_ici();
			break;
		default:
			panic("smp: unknown message %d", msg->message);
	}

	finish_message_processing(currentCPU, msg, source);

	if (haltCPU)
		smp_park_cpu(currentCPU);
	return B_OK;
}

void process_all_pending_ici(int32 currentCPU)
{
	/* masked, so the SGI handler cannot re-enter us while we hold the
	 * broadcast or pool lock */
	cpu_status state = disable_interrupts();
	while (process_pending_ici(currentCPU) == B_OK)
		;
	restore_interrupts(state);
}

int smp_intercpu_interrupt_handler(int32 cpu)
{
	process_all_pending_ici(cpu);
	return B_HANDLED_INTERRUPT;
}

void scheduler_reschedule_ici(void)
{
	/* no scheduler in this guest; the ici_received count records it */
}

void smp_park_cpu(int32 cpu)
{
	cpu_status state = disable_interrupts();
	int32 generation = atomic_get(&sHaltReleaseGeneration);
	atomic_set(&gCPU[cpu].halted, 1);
	while (atomic_get(&sHaltReleaseGeneration) == generation)
		cpu_wait_change(&sHaltReleaseGeneration, generation);
	atomic_set(&gCPU[cpu].halted, 0);
	restore_interrupts(state);
}

void smp_release_halted_cpus(void)
{
	atomic_add(&sHaltReleaseGeneration, 1);
	cpu_send_event();
}

/* ---- sending ---- */

/* FREE_ARG hands data_ptr to the ICI layer, so it is freed even when no
 * message goes out. */
static void drop_message_arg(void *dataPointer, uint32 flags)
{
	if ((flags & SMP_MSG_FLAG_FREE_ARG) != 0 && dataPointer != NULL)
		kfree(dataPointer);
}

static void wait_for_sync_message(int32 currentCPU, struct smp_msg *msg)
{
	while (atomic_get(&msg->done) == 0) {
		process_all_pending_ici(currentCPU);
		cpu_wait(&msg->done, 1);
	}
	return_free_message(msg);
}

static void fill_message(struct smp_msg *msg, int32 message, addr_t data, addr_t data2,
	addr_t data3, void *dataPointer, uint32 flags, int32 refCount)
{
	msg->message = message;
	msg->data = data;
	msg->data2 = data2;
	msg->data3 = data3;
	msg->data_ptr = dataPointer;
	msg->flags = flags;
	msg->ref_count = refCount;
	msg->done = 0;
}

void smp_send_ici(int32 targetCPU, int32 message, addr_t data, addr_t data2,
	addr_t data3, void *dataPointer, uint32 flags)
{
	if (!sICIEnabled || targetCPU < 0 || targetCPU >= sNumCPUs) {
		drop_message_arg(dataPointer, flags);
		return;
	}

	cpu_status state = disable_interrupts();
	int32 currentCPU = smp_get_current_cpu();
	if (targetCPU == currentCPU) {
		drop_message_arg(dataPointer, flags);
		restore_interrupts(state);
		return;
	}

	struct smp_msg *msg = find_free_message(currentCPU);
	fill_message(msg, message, data, data2, data3, dataPointer, flags, 1);

	/* lock-free push; the store-release of the CAS publishes the fields */
	struct smp_msg *next = atomic_pointer_get((void *volatile *)&sCPUMessages[targetCPU]);
	for (;;) {
		msg->next = next;
		struct smp_msg *seen = atomic_pointer_test_and_set(
			(void *volatile *)&sCPUMessages[targetCPU], msg, next);
		if (seen == next)
			break;
		next = seen;
	}
	atomic_add(&gCPU[currentCPU].ici_sent, 1);

	arch_smp_send_ici(targetCPU);

	if ((flags & SMP_MSG_FLAG_SYNC) != 0)
		wait_for_sync_message(currentCPU, msg);

	restore_interrupts(state);
}

/* Queue msg on the broadcast list for the CPUs in targets. */
static void post_broadcast_message(struct smp_msg *msg, const CPUSet *targets)
{
	msg->proc_bitmap = *targets;
	acquire_spinlock_nocheck(&sBroadcastMessageSpinlock);
	msg->next = sBroadcastMessages;
	atomic_pointer_set((void *volatile *)&sBroadcastMessages, msg);
	release_spinlock(&sBroadcastMessageSpinlock);
	atomic_add(&sBroadcastMessageCounter, 1);
}

void smp_send_multicast_ici(const CPUSet *cpuMask, int32 message, addr_t data,
	addr_t data2, addr_t data3, void *dataPointer, uint32 flags)
{
	if (!sICIEnabled) {
		drop_message_arg(dataPointer, flags);
		return;
	}

	cpu_status state = disable_interrupts();
	int32 currentCPU = smp_get_current_cpu();

	CPUSet targets;
	cpuset_clear_all(&targets);
	for (int32 cpu = 0; cpu < sNumCPUs; cpu++) {
		if (cpu != currentCPU && (cpuMask->bitmap[cpu / CPUSET_ARRAY_BITS]
				>> (cpu % CPUSET_ARRAY_BITS)) & 1)
			cpuset_set_bit(&targets, cpu);
	}
	int32 count = cpuset_count(&targets, sNumCPUs);
	if (count == 0) {
		drop_message_arg(dataPointer, flags);
		restore_interrupts(state);
		return;
	}

	struct smp_msg *msg = find_free_message(currentCPU);
	fill_message(msg, message, data, data2, data3, dataPointer, flags, count);
	post_broadcast_message(msg, &targets);
	atomic_add(&gCPU[currentCPU].ici_sent, 1);

	arch_smp_send_multicast_ici(&targets);

	if ((flags & SMP_MSG_FLAG_SYNC) != 0)
		wait_for_sync_message(currentCPU, msg);

	restore_interrupts(state);
}

void smp_send_broadcast_ici(int32 message, addr_t data, addr_t data2,
	addr_t data3, void *dataPointer, uint32 flags)
{
	if (!sICIEnabled) {
		drop_message_arg(dataPointer, flags);
		return;
	}

	cpu_status state = disable_interrupts();
	int32 currentCPU = smp_get_current_cpu();

	struct smp_msg *msg = find_free_message(currentCPU);
	fill_message(msg, message, data, data2, data3, dataPointer, flags, sNumCPUs - 1);
	CPUSet targets;
	cpuset_set_first(&targets, sNumCPUs);
	cpuset_clear_bit(&targets, currentCPU);
	post_broadcast_message(msg, &targets);
	atomic_add(&gCPU[currentCPU].ici_sent, 1);

	arch_smp_send_broadcast_ici();

	if ((flags & SMP_MSG_FLAG_SYNC) != 0)
		wait_for_sync_message(currentCPU, msg);

	restore_interrupts(state);
}

/* ---- CPU bookkeeping ---- */

int32 smp_get_num_cpus(void)
{
	return sNumCPUs;
}

void smp_set_num_cpus(int32 numCPUs)
{
	sNumCPUs = numCPUs;
}

int32 smp_get_current_cpu(void)
{
	return arch_cpu_index();
}

/* ---- boot coordination ---- */

void smp_cpu_rendezvous(uint32 *var)
{
	vint32 *v = (vint32 *)var;
	atomic_add(v, 1);
	while (atomic_get(v) < sNumCPUs)
		cpu_wait(v, sNumCPUs);
}

static void process_early_cpu_call(int32 cpu)
{
	sEarlyCPUCallFunction(sEarlyCPUCallCookie, cpu);
	cpuset_clear_bit_atomic(&sEarlyCPUCallSet, cpu);
	atomic_add(&sEarlyCPUCallCount, 1);
}

bool smp_trap_non_boot_cpus(int32 cpu, uint32 *rendezVous)
{
	if (cpu == 0) {
		smp_cpu_rendezvous(rendezVous);
		return true;
	}

	smp_cpu_rendezvous(rendezVous);

	/* parked until the boot CPU is done, answering early calls meanwhile;
	 * WFE instead of a busy spin, woken by the store to sBootCPUSpin or by
	 * the SEV of call_all_cpus_early */
	while (atomic_get(&sBootCPUSpin) == 0) {
		if (cpuset_get_bit(&sEarlyCPUCallSet, cpu))
			process_early_cpu_call(cpu);
		cpu_wait(&sBootCPUSpin, 1);
	}
	return false;
}

void smp_wake_up_non_boot_cpus(void)
{
	if (sNumCPUs > 1)
		sICIEnabled = true;
	atomic_set(&sBootCPUSpin, 1);
	cpu_send_event();
}

void call_all_cpus_early(void (*func)(void *, int), void *cookie)
{
	int32 currentCPU = smp_get_current_cpu();
	if (sNumCPUs > 1) {
		sEarlyCPUCallFunction = func;
		sEarlyCPUCallCookie = cookie;
		atomic_set(&sEarlyCPUCallCount, 1);
		CPUSet set;
		cpuset_set_first(&set, sNumCPUs);
		cpuset_clear_bit(&set, currentCPU);
		/* store-release per word: function and cookie are visible first */
		for (int i = 0; i < CPUSET_ARRAY_SIZE; i++)
			atomic_set((vint32 *)&sEarlyCPUCallSet.bitmap[i], (int32)set.bitmap[i]);
		cpu_send_event();
	}

	func(cookie, currentCPU);

	if (sNumCPUs > 1) {
		while (atomic_get(&sEarlyCPUCallCount) < sNumCPUs)
			cpu_wait(&sEarlyCPUCallCount, sNumCPUs);
	}
}

/* ---- function-call distribution ---- */

/* SMP_MSG_CALL_FUNCTION calls an smp_call_func; the call_* API takes a
 * (void *, int) function, so it travels in data2 through this trampoline
 * rather than being called through a mismatched pointer type. */
static void call_function_trampoline(addr_t cookie, int32 currentCPU, addr_t func, addr_t unused)
{
	(void)unused;
	((void (*)(void *, int))func)((void *)cookie, currentCPU);
}

static void call_single_cpu_common(uint32 targetCPU, void (*func)(void *, int),
	void *cookie, uint32 flags)
{
	cpu_status state = disable_interrupts();
	int32 currentCPU = smp_get_current_cpu();

	if (targetCPU == (uint32)currentCPU) {
		func(cookie, currentCPU);
		restore_interrupts(state);
		return;
	}
	if (!sICIEnabled) {
		panic("call_single_cpu is not yet available");
		restore_interrupts(state);
		return;
	}

	smp_send_ici((int32)targetCPU, SMP_MSG_CALL_FUNCTION, (addr_t)cookie,
		(addr_t)func, 0, (void *)call_function_trampoline, flags);
	restore_interrupts(state);
}

void call_single_cpu(uint32 targetCPU, void (*func)(void *, int), void *cookie)
{
	call_single_cpu_common(targetCPU, func, cookie, SMP_MSG_FLAG_ASYNC);
}

void call_single_cpu_sync(uint32 targetCPU, void (*func)(void *, int), void *cookie)
{
	call_single_cpu_common(targetCPU, func, cookie, SMP_MSG_FLAG_SYNC);
}

static void call_all_cpus_common(void (*func)(void *, int), void *cookie, uint32 flags)
{
	cpu_status state = disable_interrupts();

	if (!sICIEnabled) {
		call_all_cpus_early(func, cookie);
		restore_interrupts(state);
		return;
	}

	if (smp_get_num_cpus() > 1) {
		smp_send_broadcast_ici(SMP_MSG_CALL_FUNCTION, (addr_t)cookie,
			(addr_t)func, 0, (void *)call_function_trampoline, flags);
	}

	func(cookie, smp_get_current_cpu());
	restore_interrupts(state);
}

void call_all_cpus(void (*func)(void *, int), void *cookie)
{
	call_all_cpus_common(func, cookie, SMP_MSG_FLAG_ASYNC);
}

void call_all_cpus_sync(void (*func)(void *, int), void *cookie)
{
	call_all_cpus_common(func, cookie, SMP_MSG_FLAG_SYNC);
}

/* ---- initialisation ---- */

status_t smp_init(kernel_args *args)
{
	debug_init();	/* the `spinlock` and `ici` commands */
	spinlock_register(&sFreeMessageSpinlock, "smp free messages", 0);
	spinlock_register(&sBroadcastMessageSpinlock, "smp broadcast messages", 0);

	for (int32 cpu = 0; cpu < SMP_MAX_CPUS; cpu++) {
		gCPU[cpu].cpu_num = cpu;
		gCPU[cpu].mpidr = cpu < args->num_cpus ? args->cpu_mpidr[cpu] : 0;
	}

	if (args->num_cpus > 1) {
		for (int i = 0; i < MSG_POOL_SIZE; i++) {
			struct smp_msg *msg = &sMessagePool[i];
			msg->next = sFreeMessages;
			sFreeMessages = msg;
			sFreeMessageCount++;
		}
		sFreeMessageLowWater = sFreeMessageCount;
		sNumCPUs = args->num_cpus;
	}

	return arch_smp_init(args);
}

status_t smp_per_cpu_init(kernel_args *args, int32 cpu)
{
	return arch_smp_per_cpu_init(args, cpu);
}
