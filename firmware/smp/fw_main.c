/* Firmware C entry: MMU on, device tree read, kernel_args filled in, then
 * into the kernel. The boot CPU becomes CPU 0; the others are numbered in
 * /cpus order. */
#include "fdt.h"
#include "../../kernel/debug.h"
#include "../../kernel/arch/arm64/arch.h"
#include "../../kernel/arch/arm64/cpu.h"

#define QEMU_ELF_DTB_ADDRESS	0x40000000UL
#define DEFAULT_GICD_BASE	0x08000000UL
#define DEFAULT_GICR_BASE	0x080a0000UL

kernel_args g_kernel_args;
static fdt_info sFDTInfo;

void kernel_main(kernel_args *args) __attribute__((noreturn));
void kernel_secondary_main(kernel_args *args, int32 cpu) __attribute__((noreturn));

void fw_main(addr_t dtbArgument, uint64 bootEL)
{
	arch_set_cpu_index(0);
	/* the MMU goes on before anything else: exclusives and unaligned
	 * accesses need Normal memory, and with the MMU off all is Device */
	mmu_build_tables();
	mmu_enable();
	uart_init();

	kernel_args *args = &g_kernel_args;
	args->boot_el = (int32)bootEL;
	args->gicd_base = DEFAULT_GICD_BASE;
	args->gicr_base = DEFAULT_GICR_BASE;
	args->gicr_size = 0;
	args->gic_version = 3;

	/* x0 holds the DTB for Linux-style images; for ELF images QEMU leaves
	 * x0 alone and puts the DTB at the start of RAM */
	addr_t dtb = fdt_valid(dtbArgument) ? dtbArgument
		: fdt_valid(QEMU_ELF_DTB_ADDRESS) ? QEMU_ELF_DTB_ADDRESS : 0;
	fdt_info *info = &sFDTInfo;
	int parsed = dtb ? fdt_parse(dtb, info) : -1;
	if (parsed != 0 || info->num_cpus == 0) {
		kprintf("firmware: no usable device tree (%d); assuming 1 CPU\n", parsed);
		info->num_cpus = 1;
		info->cpu_mpidr[0] = arch_cpu_mpidr();
	}
	args->dtb = dtb;
	if (info->gicd_base) {
		args->gicd_base = info->gicd_base;
		args->gicr_base = info->gicr_base;
		args->gicr_size = info->gicr_size;
		args->gic_version = info->gic_version;
	}
	args->ram_base = info->ram_base;
	args->ram_size = info->ram_size;
	args->psci_use_smc = info->psci_method == FDT_PSCI_SMC
		|| (info->psci_method == FDT_PSCI_UNKNOWN && bootEL == 2);

	/* CPU 0 is this core, whatever its MPIDR; MPIDR is read, not assumed */
	uint64 self = arch_cpu_mpidr();
	int32 n = 0;
	args->cpu_mpidr[n++] = self;
	for (int32 i = 0; i < info->num_cpus && n < SMP_MAX_CPUS; i++) {
		if ((info->cpu_mpidr[i] & MPIDR_AFF_MASK) != self)
			args->cpu_mpidr[n++] = info->cpu_mpidr[i] & MPIDR_AFF_MASK;
	}
	args->num_cpus = n;

	psci_init(args->psci_use_smc);
	kernel_main(args);
}

void fw_secondary_main(int32 cpu)
{
	arch_set_cpu_index(cpu);
	mmu_enable();
	kernel_secondary_main(&g_kernel_args, cpu);
}

void fw_unexpected_exception(uint64 kind, uint64 *frame)
{
	static const char *kinds[] = { "sync", "irq", "fiq", "serror" };
	panic("unexpected %s exception (vector %lu) at ELR 0x%lx: ESR_EL1 0x%lx FAR_EL1 0x%lx",
		kinds[kind & 3], kind, frame[21], READ_SPECIALREG(esr_el1), READ_SPECIALREG(far_el1));
}
