/* Basic freestanding types shared by the kernel and the firmware. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int8_t int8;
typedef uint8_t uint8;
typedef int16_t int16;
typedef uint16_t uint16;
typedef int32_t int32;
typedef uint32_t uint32;
typedef int64_t int64;
typedef uint64_t uint64;
typedef volatile int32 vint32;
typedef uintptr_t addr_t;
typedef int32 status_t;
typedef int64 bigtime_t; /* generic-timer ticks here, not microseconds */

#define B_OK 0
#define B_ERROR (-1)
#define B_ENTRY_NOT_FOUND (-2)
#define B_BAD_VALUE (-3)

#define B_HANDLED_INTERRUPT 1
#define B_UNHANDLED_INTERRUPT 0

#define ROUNDUP(a, b) (((a) + ((b) - 1)) / (b) * (b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SMP_MAX_CPUS 64

/* What the firmware learns from the device tree and hands to the kernel. */
typedef struct kernel_args {
	int32 num_cpus;
	uint64 cpu_mpidr[SMP_MAX_CPUS];	/* affinity fields only, index = CPU number */
	int32 psci_use_smc;		/* 1: PSCI through SMC, 0: through HVC */
	int32 boot_el;			/* exception level the boot CPU was entered at */
	addr_t gicd_base;
	addr_t gicr_base;		/* GICv2: the CPU interface (GICC) */
	addr_t gicr_size;
	int32 gic_version;		/* 3 or 2, from the device tree's GIC node */
	addr_t dtb;
	uint64 ram_base;
	uint64 ram_size;
} kernel_args;

#endif
