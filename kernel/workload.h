/* What an image runs once the SMP layer is up. Each image links exactly one
 * implementation: selftest.c (the default) or deadlock_demo.c. */
#ifndef KERNEL_WORKLOAD_H
#define KERNEL_WORKLOAD_H

#include "types.h"

/* boot CPU, all CPUs trapped in smp_trap_non_boot_cpus, ICIs still off */
void workload_before_wakeup(kernel_args *args);
/* boot CPU after the wake-up, interrupts on; ends the run */
void workload_boot_cpu(kernel_args *args) __attribute__((noreturn));
/* every other CPU after the wake-up, interrupts on; never returns */
void workload_secondary(int32 cpu) __attribute__((noreturn));

#endif
