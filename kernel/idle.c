/* The idle image's workload: boot every CPU, bring the SMP layer up, and
 * idle. Nothing runs on its own; a harness outside the guest drives it by
 * calling guest functions (acquire_spinlock(&g_test_lock), smp_send_ici,
 * call_all_cpus_sync, ...) on chosen cores. Idle CPUs sleep in WFI with
 * interrupts on, so ICIs sent to them are handled. */
#include "smp.h"
#include "debug.h"
#include "workload.h"
#include "test_objects.h"
#include "arch/arm64/cpu.h"

vint32 g_idle_ready;	/* CPUs that reached smp_idle_loop */

void smp_idle_loop(int32 cpu) __attribute__((noreturn));
void smp_idle_loop(int32 cpu)
{
	(void)cpu;
	atomic_add(&g_idle_ready, 1);
	enable_interrupts();
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

void workload_before_wakeup(kernel_args *args)
{
	(void)args;
	test_objects_register();
}

void workload_boot_cpu(kernel_args *args)
{
	kprintf("smp-idle: %d CPUs up, idling\n", args->num_cpus);
	smp_idle_loop(0);
}

void workload_secondary(int32 cpu)
{
	smp_idle_loop(cpu);
}
