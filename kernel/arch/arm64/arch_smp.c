/* arm64 side of the SMP layer: SGIs as ICIs (GICv3: ICC_SGI1R_EL1 by
 * affinity; GICv2: GICD_SGIR by CPU target list, chosen at boot from the
 * device tree's GIC node), the MPIDR <-> CPU index map, PSCI start-up of the
 * secondaries, and IRQ dispatch. */
#include "../../smp.h"
#include "../../debug.h"
#include "arch.h"
#include "atomic.h"
#include "barrier.h"
#include "cpu.h"

static uint64 sCPUMPIDR[SMP_MAX_CPUS];	/* CPU index -> MPIDR affinity */
static int32 sNumArchCPUs;
static bool sGICv2;			/* the board has a GICv2 (arm,cortex-a15-gic) */
vint32 g_multicast_sgi_writes;		/* ICC_SGI1R_EL1 writes made by multicasts */
void (*g_timer_interrupt_hook)(int32 cpu);
vint32 g_unexpected_interrupts;

#define SGI1R_TARGETLIST(aff0)	(1ULL << ((aff0) & 0xf))
#define SGI1R_AFF1(a)		((uint64)(a) << 16)
#define SGI1R_INTID(i)		((uint64)(i) << 24)
#define SGI1R_AFF2(a)		((uint64)(a) << 32)
#define SGI1R_IRM		(1ULL << 40)
#define SGI1R_RS(r)		((uint64)(r) << 44)
#define SGI1R_AFF3(a)		((uint64)(a) << 48)

/* Everything of ICC_SGI1R_EL1 but the TargetList: the cluster (Aff3, Aff2,
 * Aff1) and the range selector (which group of 16 Aff0 values). */
static uint64 sgi1r_group(uint64 mpidr)
{
	uint64 aff0 = mpidr & 0xff;
	return SGI1R_AFF3((mpidr >> 32) & 0xff) | SGI1R_AFF2((mpidr >> 16) & 0xff)
		| SGI1R_AFF1((mpidr >> 8) & 0xff) | SGI1R_RS(aff0 >> 4)
		| SGI1R_INTID(ARM64_SGI_ICI);
}

status_t arch_smp_init(kernel_args *args)
{
	sNumArchCPUs = args->num_cpus;
	for (int32 cpu = 0; cpu < args->num_cpus; cpu++)
		sCPUMPIDR[cpu] = args->cpu_mpidr[cpu];
	/* the GIC is set up even with one CPU: the timer interrupt needs it */
	sGICv2 = args->gic_version == 2;
	if (sGICv2)
		gicv2_init_distributor(args->gicd_base, args->gicr_base);
	else
		gicv3_init_distributor(args->gicd_base, args->gicr_base, args->gicr_size);
	return arch_smp_per_cpu_init(args, 0);
}

status_t arch_smp_per_cpu_init(kernel_args *args, int32 cpu)
{
	(void)args;
	if (sGICv2) {
		status_t status = gicv2_init_cpu(cpu);
		if (status != B_OK)
			return status;
		gicv2_enable_ppi_sgi(cpu, ARM64_SGI_ICI, 0x80);
		gicv2_enable_ppi_sgi(cpu, ARM64_SGI_KICK, 0x80);
		gicv2_enable_ppi_sgi(cpu, TIMER_PPI_EL1_PHYS, 0xa0);
		return B_OK;
	}
	status_t status = gicv3_init_cpu(cpu, sCPUMPIDR[cpu]);
	if (status != B_OK)
		return status;
	gicv3_enable_ppi_sgi(cpu, ARM64_SGI_ICI, 0x80);
	gicv3_enable_ppi_sgi(cpu, ARM64_SGI_KICK, 0x80);
	gicv3_enable_ppi_sgi(cpu, TIMER_PPI_EL1_PHYS, 0xa0);
	return B_OK;
}

status_t arch_smp_start_cpus(kernel_args *args)
{
	for (int32 cpu = 1; cpu < args->num_cpus; cpu++) {
		int64 result = psci_cpu_on(args->cpu_mpidr[cpu], (addr_t)_secondary_start, (uint64)cpu);
		if (result != 0) {
			panic("PSCI CPU_ON of cpu %d (MPIDR 0x%lx) failed: %ld", cpu,
				args->cpu_mpidr[cpu], result);
			return B_ERROR;
		}
	}
	return B_OK;
}

void arch_smp_send_ici(int32 target_cpu)
{
	uint64 mpidr = sCPUMPIDR[target_cpu];
	if (sGICv2)
		gicv2_send_sgi(gicv2_target_mask(target_cpu), ARM64_SGI_ICI);
	else
		gicv3_send_sgi(sgi1r_group(mpidr) | SGI1R_TARGETLIST(mpidr & 0xff));
	/* the target may be spinning with interrupts masked, asleep in WFE on a
	 * lock word: wake it so it notices its mailbox */
	cpu_send_event();
}

void arch_smp_send_broadcast_ici(void)
{
	/* GICv2: TargetListFilter = all but self; GICv3: IRM = 1, every core
	 * but this one (the affinity fields are ignored) */
	if (sGICv2)
		gicv2_send_sgi(0, ARM64_SGI_ICI);
	else
		gicv3_send_sgi(SGI1R_IRM | SGI1R_INTID(ARM64_SGI_ICI));
	cpu_send_event();
}

void arch_smp_kick_other_cpus(void)
{
	if (sGICv2)
		gicv2_send_sgi(0, ARM64_SGI_KICK);
	else
		gicv3_send_sgi(SGI1R_IRM | SGI1R_INTID(ARM64_SGI_KICK));
	cpu_send_event();
}

void arch_smp_send_multicast_ici(const CPUSet *cpuSet)
{
	if (sGICv2) {
		/* one GICD_SGIR write: the target list holds all 8 interfaces, and
		 * there are no clusters to split by */
		uint32 targets = 0;
		for (int32 cpu = 0; cpu < sNumArchCPUs; cpu++)
			if ((cpuSet->bitmap[cpu / CPUSET_ARRAY_BITS] >> (cpu % CPUSET_ARRAY_BITS)) & 1)
				targets |= gicv2_target_mask(cpu);
		if (targets != 0) {
			gicv2_send_sgi(targets, ARM64_SGI_ICI);
			atomic_add(&g_multicast_sgi_writes, 1);
		}
		cpu_send_event();
		return;
	}
	/* GICv3: one write per cluster (and range of 16 Aff0 values), carrying
	 * the TargetList of every target in it */
	CPUSet pending = *cpuSet;
	for (int32 cpu = 0; cpu < sNumArchCPUs; cpu++) {
		if (!((pending.bitmap[cpu / CPUSET_ARRAY_BITS] >> (cpu % CPUSET_ARRAY_BITS)) & 1))
			continue;
		uint64 group = sgi1r_group(sCPUMPIDR[cpu]);
		uint64 targetList = 0;
		for (int32 other = cpu; other < sNumArchCPUs; other++) {
			if (!((pending.bitmap[other / CPUSET_ARRAY_BITS] >> (other % CPUSET_ARRAY_BITS)) & 1))
				continue;
			if (sgi1r_group(sCPUMPIDR[other]) != group)
				continue;
			targetList |= SGI1R_TARGETLIST(sCPUMPIDR[other] & 0xff);
			cpuset_clear_bit(&pending, other);
		}
		gicv3_send_sgi(group | targetList);
		atomic_add(&g_multicast_sgi_writes, 1);
	}
	cpu_send_event();
}

/* Called from the IRQ vector with interrupts masked. */
void arch_irq_handler(void)
{
	int32 cpu = smp_get_current_cpu();
	atomic_add(&gCPU[cpu].interrupts, 1);
	for (;;) {
		/* GICv2's IAR also names an SGI's source CPU ([12:10]): kept for the EOI */
		uint32 iar = sGICv2 ? gicv2_acknowledge() : gicv3_acknowledge();
		uint32 intid = sGICv2 ? iar & 0x3ff : iar;
		if (intid >= GIC_SPURIOUS_INTID)
			break;
		if (intid == ARM64_SGI_ICI) {
			smp_intercpu_interrupt_handler(cpu);
		} else if (intid == ARM64_SGI_KICK) {
			/* nothing to do: it only ends a WFI */
		} else if (intid == TIMER_PPI_EL1_PHYS) {
			timer_disarm();
			if (g_timer_interrupt_hook)
				g_timer_interrupt_hook(cpu);
		} else {
			atomic_add(&g_unexpected_interrupts, 1);
		}
		if (sGICv2)
			gicv2_end_of_interrupt(iar);
		else
			gicv3_end_of_interrupt(intid);
	}
}
