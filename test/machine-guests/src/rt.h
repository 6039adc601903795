/*
 * rt.h - run-time support for the machine guests (test/machine-guests).
 *
 * Builds on firmware/baremetal/libmini (UART output, kprintf); adds the
 * exception frame and handler hooks, system-register access, PSCI calls,
 * starting secondary cores, a device-tree reader for the cores' MPIDRs,
 * cross-core synchronisation with LDAXR/STLXR and WFE, GICv3 set-up and a
 * simple identity-mapping MMU.
 *
 * Only core 0 prints, and only order-independent facts gathered at the end:
 * QEMU runs cores in parallel threads, so anything that depends on the
 * interleaving would make the expected output nondeterministic.
 */
#ifndef RT_H
#define RT_H

#include "libmini.h"

#define MAX_CORES 64
#define STACK_SIZE 0x2000 /* per secondary core; must match start.S */

/* ------------------------------------------------------------ exceptions */

/* Saved by start.S; layout known to start.S (288 bytes). */
struct frame {
    uint64_t x[31];
    uint64_t elr, spsr, esr, far;
    uint64_t vector; /* 0-15: (source group * 4) + kind */
};

/* vector groups (frame->vector >> 2) and kinds (frame->vector & 3) */
#define VEC_CUR_SP0 0
#define VEC_CUR_SPX 1
#define VEC_LOWER64 2
#define VEC_LOWER32 3
#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_FIQ 2
#define VEC_SERROR 3

/* Handlers a program installs; an exception without one reports and exits 0x7F. */
extern void (*volatile rt_sync_handler)(struct frame *f);
extern void (*volatile rt_irq_handler)(struct frame *f);

/* Make a handler return to EL1h at rt_el0_return: run_el0() returns value. */
void rt_el0_exit(struct frame *f, uint64_t value);
uint64_t run_el0(void (*entry)(uint64_t), uint64_t sp_el0, uint64_t arg, uint64_t spsr);

#define ESR_EC(e) (((e) >> 26) & 0x3f)
#define ESR_IL(e) (((e) >> 25) & 1)
#define ESR_ISS(e) ((e) & 0x1ffffff)

/* ------------------------------------------------------- system registers */

#define STR_(x) #x
#define STR(x) STR_(x)
#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " STR(r) : "=r"(v_) :: "memory"); v_; })
#define write_sysreg(r, v) __asm__ volatile("msr " STR(r) ", %0" :: "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define sevl() __asm__ volatile("sevl" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define irq_enable() __asm__ volatile("msr daifclr, #2" ::: "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" ::: "memory")

/* GICv3 CPU interface registers, by encoding (assembler-independent) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

static inline int this_core(void)
{
    return (int)read_sysreg(tpidr_el1);
}

/* --------------------------------------------------------------- memory */

static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t mmio_read64(uint64_t a) { return *(volatile uint64_t *)a; }

/* LDAXR/STLXR read-modify-write; returns the old value. */
uint32_t atomic_add32(volatile uint32_t *p, uint32_t v);
/* Wait (SEVL, then WFE between LDAXR polls) until *p >= v. */
void wait_ge32(volatile uint32_t *p, uint32_t v);
/* A barrier for `n` cores: every core calls it with the same n. */
void rt_barrier(int n);

/* ------------------------------------------------------- cores and PSCI */

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xC4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xC4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_MIGRATE_32 0x84000005u
#define PSCI_MIGRATE_64 0xC4000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_MIGRATE_INFO_UP_CPU_32 0x84000007u
#define PSCI_MIGRATE_INFO_UP_CPU_64 0xC4000007u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* Filled by rt_init(): the cores of the board (from the device tree), sorted
 * by MPIDR affinity; core k's affinity (Aff3 [39:32], Aff2..Aff0 [23:0]). */
extern int ncores;
extern uint64_t core_aff[MAX_CORES];

/* Read the device tree (at the start of RAM, as QEMU places it for ELF
 * images); returns 0 on success.  Checks that core 0 is the boot core. */
int rt_init(void);

/* Start core k (1 <= k < ncores) running fn(k) on its own stack; returns the
 * PSCI CPU_ON result.  fn must not return unless it is fine for the core to
 * sit in WFE forever. */
extern void secondary_entry(void);
int64_t start_core(int k, void (*fn)(int));
/* Start every secondary core with fn. Returns 0 when all CPU_ON calls succeed. */
int start_all(void (*fn)(int));

/* ------------------------------------------------------------------ GIC */

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080A0000UL
#define GICR_SGI 0x10000UL /* SGI_base frame offset */

/* Distributor: ARE and group 1 enabled (core 0, once). */
void gic_dist_init(void);
/* This core's redistributor (found by GICR_TYPER affinity), or 0. */
uint64_t gic_redist(void);
/* Wake this core's redistributor, make all SGIs/PPIs group 1 at priority
 * 0x80, enable the system-register interface, PMR 0xff, group 1 on. Returns
 * the redistributor base, or 0 if none matches this core. */
uint64_t gic_cpu_init(void);
void gic_enable_ppi_sgi(uint64_t rd, uint32_t mask); /* GICR_ISENABLER0 */

/* ------------------------------------------------------------------ MMU */

/* MAIR attribute indexes used everywhere */
#define MAIR_VALUE 0x000000000044ff00ULL /* 0: Device-nGnRnE, 1: Normal WB, 2: Normal NC */
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1
#define ATTR_NC 2

/* descriptor bits */
#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (1ULL << 1)  /* level 0-2: table; level 3: page */
#define PTE_PAGE (1ULL << 1)
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_EL0 (1ULL << 6)  /* AP[1]: EL0 access */
#define PTE_AP_RO (1ULL << 7)   /* AP[2]: read-only */
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_NG (1ULL << 11)
#define PTE_PXN (1ULL << 53)
#define PTE_UXN (1ULL << 54)

/* T0SZ = T1SZ = 25 (39-bit VA), TG0 = TG1 = 4 KiB, walks WBWA inner shareable,
 * IPS 40 bits, 8-bit ASIDs; TCR_EPD1 disables TTBR1 walks. */
#define TCR_39BIT_4K 0x00000002B5193519ULL
#define TCR_EPD1 (1ULL << 23)

/* Identity map: 0-1 GiB Device, 1-2 GiB Normal WB (core 0 builds it once),
 * TTBR1 walks disabled.  mmu_on() enables it on the calling core (M, C, I). */
void mmu_build_identity(void);
void mmu_on(void);
void mmu_off(void);

#endif /* RT_H */
