/* Kernel start-up on every CPU, in the order Haiku's boot uses:
 * smp_init, start the secondaries, all meet in smp_trap_non_boot_cpus,
 * early work, smp_wake_up_non_boot_cpus, then the workload. */
#include "smp.h"
#include "heap.h"
#include "debug.h"
#include "workload.h"
#include "arch/arm64/arch.h"
#include "arch/arm64/cpu.h"

static uint32 sBootRendezvous;
static uint32 sRunningRendezvous;

void kernel_main(kernel_args *args) __attribute__((noreturn));
void kernel_secondary_main(kernel_args *args, int32 cpu) __attribute__((noreturn));

void kernel_main(kernel_args *args)
{
	timer_init();
	heap_init();
	if (smp_init(args) != B_OK)
		panic("smp_init failed: no redistributor for the boot CPU");

	kprintf("a64emu SMP kernel: %d CPU%s, entered at EL%d, PSCI via %s, timer %lu Hz\n",
		args->num_cpus, args->num_cpus == 1 ? "" : "s", args->boot_el,
		args->psci_use_smc ? "SMC" : "HVC", timer_frequency());

	arch_smp_start_cpus(args);
	smp_trap_non_boot_cpus(0, &sBootRendezvous);

	workload_before_wakeup(args);

	smp_wake_up_non_boot_cpus();
	smp_cpu_rendezvous(&sRunningRendezvous);
	enable_interrupts();
	workload_boot_cpu(args);
}

void kernel_secondary_main(kernel_args *args, int32 cpu)
{
	timer_init();
	if (smp_per_cpu_init(args, cpu) != B_OK)
		panic("cpu %d: no GIC redistributor for MPIDR 0x%lx", cpu, args->cpu_mpidr[cpu]);

	smp_trap_non_boot_cpus(cpu, &sBootRendezvous);
	smp_cpu_rendezvous(&sRunningRendezvous);
	enable_interrupts();
	workload_secondary(cpu);
}
