#ifndef FIRMWARE_FDT_H
#define FIRMWARE_FDT_H

#include "../../kernel/types.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_MAX_CPUS SMP_MAX_CPUS

enum { FDT_PSCI_UNKNOWN = 0, FDT_PSCI_HVC, FDT_PSCI_SMC };

typedef struct fdt_info {
	int32 num_cpus;
	uint64 cpu_mpidr[FDT_MAX_CPUS];	/* in /cpus order */
	int32 psci_method;
	uint64 gicd_base, gicr_base, gicr_size;
	int32 gic_version;		/* 3: arm,gic-v3; 2: arm,cortex-a15-gic (gicr_base = GICC) */
	uint64 ram_base, ram_size;
} fdt_info;

bool fdt_valid(addr_t fdt);
int fdt_parse(addr_t fdt, fdt_info *info);

#endif
