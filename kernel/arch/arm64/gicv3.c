/* GICv3: distributor set-up, redistributor wake-up, CPU interface through
 * the ICC_* system registers, SGIs through ICC_SGI1R_EL1. */
#include "arch.h"
#include "cpu.h"
#include "barrier.h"

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_ARE_NS	(1u << 4)
#define GICD_CTLR_ENABLE_G1NS	(1u << 1)
#define GICD_CTLR_ENABLE_G1	(1u << 0)	/* Grp0 in the secure view; harmless */

#define GICR_FRAME_SIZE		0x20000		/* RD_base + SGI_base */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1u << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_PROCESSOR_SLEEP	(1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP	(1u << 2)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_IPRIORITYR		0x0400
#define GICR_CTLR_RWP		(1u << 3)

static addr_t sGICDBase;
static addr_t sGICRBase;
static addr_t sGICRSize;
static addr_t sCPURedist[SMP_MAX_CPUS];	/* RD_base of each CPU */

static inline volatile uint32 *reg32(addr_t a) { return (volatile uint32 *)a; }
static inline volatile uint64 *reg64(addr_t a) { return (volatile uint64 *)a; }

static void gicd_wait_rwp(void)
{
	while (*reg32(sGICDBase + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_pause();
}

void gicv3_init_distributor(addr_t gicdBase, addr_t gicrBase, addr_t gicrSize)
{
	sGICDBase = gicdBase;
	sGICRBase = gicrBase;
	sGICRSize = gicrSize;

	*reg32(sGICDBase + GICD_CTLR) = 0;
	gicd_wait_rwp();
	/* affinity routing on: required for ICC_SGI1R_EL1 addressing by MPIDR */
	*reg32(sGICDBase + GICD_CTLR) = GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1NS;
	gicd_wait_rwp();
}

/* Find this CPU's redistributor by matching GICR_TYPER's affinity (bits
 * [63:32] = Aff3.Aff2.Aff1.Aff0) against MPIDR, rather than assuming that
 * frame n belongs to CPU n. */
static addr_t find_redistributor(uint64 mpidr)
{
	uint32 aff = (uint32)(((mpidr >> 32) & 0xff) << 24) | (uint32)(mpidr & 0xffffff);
	for (addr_t frame = sGICRBase; sGICRSize == 0 || frame < sGICRBase + sGICRSize;
			frame += GICR_FRAME_SIZE) {
		uint64 typer = *reg64(frame + GICR_TYPER);
		if ((uint32)(typer >> 32) == aff)
			return frame;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

status_t gicv3_init_cpu(int32 cpu, uint64 mpidr)
{
	addr_t rd = find_redistributor(mpidr);
	if (rd == 0)
		return B_ENTRY_NOT_FOUND;
	sCPURedist[cpu] = rd;

	/* wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep to clear */
	uint32 waker = *reg32(rd + GICR_WAKER);
	*reg32(rd + GICR_WAKER) = waker & ~GICR_WAKER_PROCESSOR_SLEEP;
	while (*reg32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		cpu_pause();

	addr_t sgi = rd + GICR_SGI_BASE;
	*reg32(sgi + GICR_ICENABLER0) = 0xffffffff;
	while (*reg32(rd + GICR_CTLR) & GICR_CTLR_RWP)
		cpu_pause();
	*reg32(sgi + GICR_IGROUPR0) = 0xffffffff;	/* all SGIs/PPIs group 1 */
	for (int i = 0; i < 32; i += 4)
		*reg32(sgi + GICR_IPRIORITYR + i) = 0xa0a0a0a0;

	/* CPU interface: system-register access, unmask all priorities,
	 * no preemption grouping, enable group 1 */
	WRITE_SPECIALREG(ICC_SRE_EL1, READ_SPECIALREG(ICC_SRE_EL1) | 1);
	isb();
	WRITE_SPECIALREG(ICC_PMR_EL1, 0xff);
	WRITE_SPECIALREG(ICC_BPR1_EL1, 0);
	WRITE_SPECIALREG(ICC_CTLR_EL1, 0);	/* EOImode 0: EOIR also deactivates */
	WRITE_SPECIALREG(ICC_IGRPEN1_EL1, 1);
	isb();
	return B_OK;
}

void gicv3_enable_ppi_sgi(int32 cpu, uint32 intid, uint8 priority)
{
	addr_t sgi = sCPURedist[cpu] + GICR_SGI_BASE;
	volatile uint8 *prio = (volatile uint8 *)(sgi + GICR_IPRIORITYR);
	prio[intid] = priority;
	*reg32(sgi + GICR_ISENABLER0) = 1u << intid;
	dsb_sy();
}

uint32 gicv3_acknowledge(void)
{
	uint32 intid = (uint32)READ_SPECIALREG(ICC_IAR1_EL1) & 0xffffff;
	dsb_sy();	/* no handler access runs ahead of the acknowledge */
	return intid;
}

void gicv3_end_of_interrupt(uint32 intid)
{
	WRITE_SPECIALREG(ICC_EOIR1_EL1, intid);
	isb();
}

void gicv3_send_sgi(uint64 sgi1r)
{
	/* DSB, not DMB: the mailbox stores must be complete before the SGI is
	 * generated, and a DMB does not order a system-register write. */
	dsb_ishst();
	WRITE_SPECIALREG(ICC_SGI1R_EL1, sgi1r);
	isb();
}
