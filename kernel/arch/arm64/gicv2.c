/* GICv2: distributor and memory-mapped CPU interface (GICC_*), SGIs
 * through GICD_SGIR with a CPU target list, as Haiku's arm64 port sends its
 * ICIs.  A GICv2 addresses at most 8 CPU interfaces, by interface number,
 * not by MPIDR: each CPU learns its own number from GICD_ITARGETSR0, which
 * reads back the reading CPU's bit (banked). */
#include "arch.h"
#include "cpu.h"
#include "barrier.h"

#define GICD_CTLR		0x000
#define GICD_ISENABLER0		0x100
#define GICD_ICENABLER0		0x180
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define GICD_SGIR_TARGET_LIST(m)	((uint32)(m) << 16)
#define GICD_SGIR_OTHERS	(1u << 24)	/* TargetListFilter 1: all but self */

#define GICC_CTLR		0x000
#define GICC_PMR		0x004
#define GICC_BPR		0x008
#define GICC_IAR		0x00c
#define GICC_EOIR		0x010

static addr_t sGICDBase;
static addr_t sGICCBase;
static uint8 sCPUInterface[SMP_MAX_CPUS];	/* CPU index -> target-list bit */

static inline volatile uint32 *reg32(addr_t a) { return (volatile uint32 *)a; }

void gicv2_init_distributor(addr_t gicdBase, addr_t giccBase)
{
	sGICDBase = gicdBase;
	sGICCBase = giccBase;
	*reg32(sGICDBase + GICD_CTLR) = 0;
	*reg32(sGICDBase + GICD_CTLR) = 1;	/* forward interrupts */
	dsb_sy();
}

status_t gicv2_init_cpu(int32 cpu)
{
	/* with one CPU interface ITARGETSR reads as zero: the only target is 1 */
	uint32 self = *reg32(sGICDBase + GICD_ITARGETSR) & 0xff;
	if (self == 0)
		self = 1;
	if (self & (self - 1))
		return B_ERROR;
	sCPUInterface[cpu] = (uint8)self;

	*reg32(sGICDBase + GICD_ICENABLER0) = 0xffffffff;	/* banked: SGIs and PPIs */
	for (int i = 0; i < 32; i += 4)
		*reg32(sGICDBase + GICD_IPRIORITYR + i) = 0xa0a0a0a0;
	/* all priorities unmasked, no preemption grouping, interface on
	 * (the interrupts are group 0, signalled as IRQ while FIQEn = 0) */
	*reg32(sGICCBase + GICC_PMR) = 0xff;
	*reg32(sGICCBase + GICC_BPR) = 0;
	*reg32(sGICCBase + GICC_CTLR) = 1;
	dsb_sy();
	return B_OK;
}

void gicv2_enable_ppi_sgi(int32 cpu, uint32 intid, uint8 priority)
{
	(void)cpu;	/* the banked registers are this CPU's */
	volatile uint8 *prio = (volatile uint8 *)(sGICDBase + GICD_IPRIORITYR);
	prio[intid] = priority;
	*reg32(sGICDBase + GICD_ISENABLER0) = 1u << intid;
	dsb_sy();
}

uint32 gicv2_target_mask(int32 cpu)
{
	return sCPUInterface[cpu];
}

/* The raw GICC_IAR value: INTID [9:0], source CPU of an SGI [12:10]; the
 * EOI must write it back whole. */
uint32 gicv2_acknowledge(void)
{
	uint32 iar = *reg32(sGICCBase + GICC_IAR);
	dsb_sy();	/* no handler access runs ahead of the acknowledge */
	return iar;
}

void gicv2_end_of_interrupt(uint32 iar)
{
	dsb_sy();
	*reg32(sGICCBase + GICC_EOIR) = iar;
}

/* targets: a mask of CPU interface numbers, or 0 for every CPU but this one */
void gicv2_send_sgi(uint32 targets, uint32 intid)
{
	/* DSB: the mailbox stores must be visible before the SGI is generated */
	dsb_ishst();
	*reg32(sGICDBase + GICD_SGIR) = (targets ? GICD_SGIR_TARGET_LIST(targets) : GICD_SGIR_OTHERS)
		| (intid & 0xf);
	dsb_sy();
}
