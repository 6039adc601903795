/* Declarations of the arm64 platform pieces: UART, semihosting, generic
 * timer, PSCI, GICv3 and GICv2, MMU/TLB. */
#ifndef ARCH_ARM64_ARCH_H
#define ARCH_ARM64_ARCH_H

#include "../../types.h"

/* uart.c: PL011 */
#define PL011_BASE 0x09000000UL
void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);

/* semihost.c */
void semihost_exit(int32 status) __attribute__((noreturn));

/* timer.c: generic timer */
#define TIMER_PPI_EL1_PHYS 30
void timer_init(void);			/* per CPU: event stream, timer off */
uint64 timer_frequency(void);		/* CNTFRQ_EL0 */
uint64 timer_now(void);			/* CNTPCT_EL0 */
uint64 timer_us_to_ticks(uint64 us);
void timer_delay_us(uint64 us);
void timer_arm_oneshot(uint64 ticksFromNow);	/* EL1 physical timer */
void timer_disarm(void);

/* psci.c */
#define PSCI_CPU_ON_64 0xC4000003u
#define PSCI_VERSION 0x84000000u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
void psci_init(bool useSMC);
int64 psci_call(uint32 function, uint64 a1, uint64 a2, uint64 a3);
int64 psci_cpu_on(uint64 targetMPIDR, addr_t entry, uint64 contextID);

/* gicv3.c */
#define GIC_SPURIOUS_INTID 1023
void gicv3_init_distributor(addr_t gicdBase, addr_t gicrBase, addr_t gicrSize);
status_t gicv3_init_cpu(int32 cpu, uint64 mpidr);
void gicv3_enable_ppi_sgi(int32 cpu, uint32 intid, uint8 priority);
uint32 gicv3_acknowledge(void);
void gicv3_end_of_interrupt(uint32 intid);
void gicv3_send_sgi(uint64 sgi1r);

/* gicv2.c */
void gicv2_init_distributor(addr_t gicdBase, addr_t giccBase);
status_t gicv2_init_cpu(int32 cpu);
void gicv2_enable_ppi_sgi(int32 cpu, uint32 intid, uint8 priority);
uint32 gicv2_target_mask(int32 cpu);	/* the CPU's bit in a GICD_SGIR target list */
uint32 gicv2_acknowledge(void);		/* raw GICC_IAR */
void gicv2_end_of_interrupt(uint32 iar);
void gicv2_send_sgi(uint32 targets, uint32 intid);	/* targets 0: all but self */

/* mmu.c: identity map, 4 KiB granule, 39-bit VA */
#define MMU_TEST_WINDOW_VA 0x7fe00000UL	/* the one page mapped through the level-3 table */
void mmu_build_tables(void);		/* boot CPU, once, before mmu_enable */
void mmu_enable(void);			/* every CPU */
void mmu_set_window(addr_t physPage);	/* rewrite the window PTE (no TLB maintenance) */
addr_t mmu_get_window(void);
void arch_cpu_invalidate_TLB_range(addr_t start, addr_t end);	/* this CPU only */
void arch_cpu_invalidate_TLB_list(addr_t *pages, int32 count);	/* this CPU only */
void arch_cpu_user_TLB_invalidate(void);			/* this CPU only */
void arch_cpu_global_TLB_invalidate(void);			/* this CPU only */
void arch_tlb_invalidate_page_all_cpus(addr_t va);		/* TLBI VAE1IS */
void arch_tlb_invalidate_all_cpus(void);			/* TLBI VMALLE1IS */

/* firmware entry point for secondaries (boot.S) */
extern char _secondary_start[];

#endif
