/* The deadlock image's workload: CPUs 0 and 1 take two spinlocks in
 * opposite order. The spin loop's deadlock detection must catch it, report
 * the lock and its holder, and panic (which runs the `spinlock` and `ici`
 * dumps and exits with status 3). With one CPU, CPU 0 takes a lock it
 * already holds, which is caught at once. */
#include "smp.h"
#include "debug.h"
#include "workload.h"
#include "arch/arm64/arch.h"
#include "arch/arm64/atomic.h"
#include "arch/arm64/cpu.h"

spinlock g_deadlock_lock_a = B_SPINLOCK_INITIALIZER;
spinlock g_deadlock_lock_b = B_SPINLOCK_INITIALIZER;
static vint32 sHeldA, sHeldB;
static vint32 sGo;

void workload_before_wakeup(kernel_args *args)
{
	(void)args;
	spinlock_register(&g_deadlock_lock_a, "lock_a", 0);
	spinlock_register(&g_deadlock_lock_b, "lock_b", 0);
}

void workload_secondary(int32 cpu)
{
	while (atomic_get(&sGo) == 0)
		cpu_wait(&sGo, 1);
	if (cpu == 1) {
		acquire_spinlock(&g_deadlock_lock_b);
		atomic_set(&sHeldB, 1);
		while (atomic_get(&sHeldA) == 0)
			cpu_wait(&sHeldA, 1);
		acquire_spinlock(&g_deadlock_lock_a);	/* never succeeds */
		kprintf("deadlock demo: cpu 1 got lock_a?!\n");
		semihost_exit(1);
	}
	for (;;)
		__asm__ volatile("wfe");
}

void workload_boot_cpu(kernel_args *args)
{
	(void)args;
	int32 n = smp_get_num_cpus();
	kprintf("deadlock demo: %d CPUs, detection after %u spins and %lu us\n", n,
		g_spinlock_deadlock_count, g_spinlock_deadlock_min_us);
	if (n < 2) {
		kprintf("deadlock demo: 1 CPU: cpu 0 takes lock_a twice\n");
		acquire_spinlock(&g_deadlock_lock_a);
		acquire_spinlock(&g_deadlock_lock_a);
	} else {
		kprintf("deadlock demo: cpu 0 takes lock_a then lock_b, cpu 1 lock_b then lock_a\n");
		atomic_set(&sGo, 1);
		acquire_spinlock(&g_deadlock_lock_a);
		atomic_set(&sHeldA, 1);
		while (atomic_get(&sHeldB) == 0)
			cpu_wait(&sHeldB, 1);
		acquire_spinlock(&g_deadlock_lock_b);	/* never succeeds */
	}
	kprintf("deadlock demo: no deadlock detected\n");
	semihost_exit(1);
}
