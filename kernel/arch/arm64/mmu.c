/* Identity map with a 4 KiB granule and 39-bit VAs (T0SZ = 25, so the walk
 * starts at level 1): the low 1 GiB as Device-nGnRE blocks, RAM as Normal
 * write-back blocks, and one level-3 table holding the single page at
 * MMU_TEST_WINDOW_VA that the TLB shootdown test remaps. */
#include "arch.h"
#include "cpu.h"
#include "barrier.h"

#define MAIR_DEVICE_nGnRE	0x04
#define MAIR_NORMAL_WB		0xff
#define ATTR_DEVICE		0
#define ATTR_NORMAL		1

#define DESC_BLOCK		0x1ULL
#define DESC_TABLE		0x3ULL
#define DESC_PAGE		0x3ULL
#define DESC_ATTRINDX(i)	((uint64)(i) << 2)
#define DESC_SH_INNER		(3ULL << 8)
#define DESC_AF			(1ULL << 10)
#define DESC_PXN		(1ULL << 53)
#define DESC_UXN		(1ULL << 54)

#define TCR_T0SZ(n)		((uint64)(n) << 0)
#define TCR_IRGN0_WBWA		(1ULL << 8)
#define TCR_ORGN0_WBWA		(1ULL << 10)
#define TCR_SH0_INNER		(3ULL << 12)
#define TCR_TG0_4K		(0ULL << 14)
#define TCR_EPD1		(1ULL << 23)
#define TCR_IPS_40BIT		(2ULL << 32)

#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)

#define GIB			(1ULL << 30)
#define MIB2			(1ULL << 21)

static uint64 sL1[512] __attribute__((aligned(4096)));
static uint64 sL2Ram[512] __attribute__((aligned(4096)));	/* 1..2 GiB */
static uint64 sL3Window[512] __attribute__((aligned(4096)));

#define WINDOW_L2_INDEX ((MMU_TEST_WINDOW_VA - GIB) / MIB2)

static uint64 normal_attrs(void)
{
	return DESC_AF | DESC_SH_INNER | DESC_ATTRINDX(ATTR_NORMAL);
}

void mmu_build_tables(void)
{
	for (int i = 0; i < 512; i++) {
		sL1[i] = 0;
		sL2Ram[i] = 0;
		sL3Window[i] = 0;
	}
	/* 0..1 GiB: GIC, UART and the other devices */
	sL1[0] = 0 | DESC_AF | DESC_ATTRINDX(ATTR_DEVICE) | DESC_PXN | DESC_UXN | DESC_BLOCK;
	/* 1..2 GiB: RAM in 2 MiB blocks, the last block through the level-3 table */
	for (uint64 i = 0; i < 512; i++)
		sL2Ram[i] = (GIB + i * MIB2) | normal_attrs() | DESC_BLOCK;
	sL2Ram[WINDOW_L2_INDEX] = (uint64)(addr_t)sL3Window | DESC_TABLE;
	sL1[1] = (uint64)(addr_t)sL2Ram | DESC_TABLE;
	/* 2..4 GiB: more RAM when -m is above 1 GiB */
	sL1[2] = (2 * GIB) | normal_attrs() | DESC_BLOCK;
	sL1[3] = (3 * GIB) | normal_attrs() | DESC_BLOCK;
	dsb_sy();
}

void mmu_enable(void)
{
	WRITE_SPECIALREG(mair_el1,
		((uint64)MAIR_DEVICE_nGnRE << (8 * ATTR_DEVICE)) |
		((uint64)MAIR_NORMAL_WB << (8 * ATTR_NORMAL)));
	WRITE_SPECIALREG(tcr_el1, TCR_T0SZ(25) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 | TCR_IPS_40BIT);
	WRITE_SPECIALREG(ttbr0_el1, (uint64)(addr_t)sL1);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	uint64 sctlr = READ_SPECIALREG(sctlr_el1);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	sctlr &= ~(1ULL << 1);	/* A: no alignment faults */
	WRITE_SPECIALREG(sctlr_el1, sctlr);
	isb();
}

void mmu_set_window(addr_t physPage)
{
	volatile uint64 *pte = &sL3Window[0];
	*pte = physPage ? ((uint64)physPage | normal_attrs() | DESC_PAGE) : 0;
	/* the walkers of every core must see the new descriptor before any TLBI */
	dsb_ishst();
}

addr_t mmu_get_window(void)
{
	return (addr_t)(sL3Window[0] & 0x0000fffffffff000ULL);
}

static inline uint64 tlbi_va(addr_t va)
{
	return (uint64)va >> 12;	/* VA[55:12]; ASID 0, the entries are global anyway */
}

void arch_cpu_invalidate_TLB_range(addr_t start, addr_t end)
{
	dsb_ishst();
	for (addr_t va = start & ~(addr_t)0xfff; va < end; va += 4096)
		__asm__ volatile("tlbi vae1, %0" :: "r"(tlbi_va(va)) : "memory");
	__asm__ volatile("dsb nsh\n\tisb" ::: "memory");
}

void arch_cpu_invalidate_TLB_list(addr_t *pages, int32 count)
{
	dsb_ishst();
	for (int32 i = 0; i < count; i++)
		__asm__ volatile("tlbi vae1, %0" :: "r"(tlbi_va(pages[i])) : "memory");
	__asm__ volatile("dsb nsh\n\tisb" ::: "memory");
}

void arch_cpu_user_TLB_invalidate(void)
{
	/* no ASIDs or user space here: the whole EL1&0 regime */
	arch_cpu_global_TLB_invalidate();
}

void arch_cpu_global_TLB_invalidate(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
}

void arch_tlb_invalidate_page_all_cpus(addr_t va)
{
	dsb_ishst();
	__asm__ volatile("tlbi vae1is, %0" :: "r"(tlbi_va(va)) : "memory");
	/* DSB ISH waits for the broadcast invalidation to finish on every core */
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

void arch_tlb_invalidate_all_cpus(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}
