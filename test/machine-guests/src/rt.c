/*
 * rt.c - run-time support for the machine guests.  See rt.h.
 */
#include "rt.h"

/* ------------------------------------------------------------ exceptions */

void (*volatile rt_sync_handler)(struct frame *f);
void (*volatile rt_irq_handler)(struct frame *f);

void exc_dispatch(struct frame *f, uint64_t vector);
void crt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);
extern char rt_el0_return[];

void exc_dispatch(struct frame *f, uint64_t vector)
{
    void (*h)(struct frame *) = NULL;
    if ((vector & 3) == VEC_SYNC)
        h = rt_sync_handler;
    else if ((vector & 3) == VEC_IRQ)
        h = rt_irq_handler;
    if (h == NULL) {
        kprintf("\n*** core %d: unexpected exception: vector %lu esr=%lx elr=%lx far=%lx spsr=%lx\n",
                this_core(), f->vector, f->esr, f->elr, f->far, f->spsr);
        crt_exit(0x7F);
    }
    h(f);
}

void rt_el0_exit(struct frame *f, uint64_t value)
{
    f->elr = (uint64_t)(uintptr_t)rt_el0_return;
    f->spsr = 0x3c5; /* EL1h, DAIF masked */
    f->x[0] = value;
}

/* ------------------------------------------------------------------ sync */

uint32_t atomic_add32(volatile uint32_t *p, uint32_t v)
{
    uint32_t old, nv, fail;
    do {
        __asm__ volatile("ldaxr %w0, [%3]\n\t"
                         "add %w1, %w0, %w4\n\t"
                         "stlxr %w2, %w1, [%3]"
                         : "=&r"(old), "=&r"(nv), "=&r"(fail)
                         : "r"(p), "r"(v)
                         : "memory");
    } while (fail);
    return old;
}

void wait_ge32(volatile uint32_t *p, uint32_t v)
{
    uint32_t cur;
    sevl();
    for (;;) {
        wfe();
        __asm__ volatile("ldaxr %w0, [%1]" : "=r"(cur) : "r"(p) : "memory");
        if (cur >= v)
            break;
    }
    __asm__ volatile("clrex" ::: "memory");
}

static volatile uint32_t barrier_count;

void rt_barrier(int n)
{
    /* generation-free: the count only grows; every barrier waits for the
     * next multiple of n.  All cores pass the same barriers in order. */
    uint32_t mine = atomic_add32(&barrier_count, 1);
    uint32_t target = (mine / (uint32_t)n + 1) * (uint32_t)n;
    sev();
    wait_ge32(&barrier_count, target);
}

/* ------------------------------------------------------------------ PSCI */

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                       "x13", "x14", "x15", "x16", "x17", "memory");
    return (int64_t)x0;
}

/* ------------------------------------------------------------ device tree */

int ncores;
uint64_t core_aff[MAX_CORES];

#define FDT_ADDR 0x40000000UL
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const void *p)
{
    const unsigned char *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int str_prefix(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++)
            return 0;
    }
    return 1;
}

/* Collect reg of every /cpus/cpu@* node (1 or 2 cells). */
static int fdt_cpus(void)
{
    const unsigned char *fdt = (const unsigned char *)FDT_ADDR;
    if (be32(fdt) != 0xd00dfeed)
        return -1;
    const unsigned char *st = fdt + be32(fdt + 8);
    const char *strs = (const char *)fdt + be32(fdt + 12);
    int depth = 0, in_cpus = 0, in_cpu = 0, n = 0;
    uint32_t off = 0;
    for (;;) {
        uint32_t tok = be32(st + off);
        off += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)st + off;
            off += ((uint32_t)strlen(name) + 1 + 3) & ~3u;
            depth++;
            if (depth == 2 && str_eq(name, "cpus"))
                in_cpus = 1;
            else if (depth == 3 && in_cpus && str_prefix(name, "cpu@"))
                in_cpu = 1;
        } else if (tok == FDT_END_NODE) {
            if (depth == 3)
                in_cpu = 0;
            if (depth == 2)
                in_cpus = 0;
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(st + off);
            const char *pname = strs + be32(st + off + 4);
            const unsigned char *val = st + off + 8;
            off += 8 + ((len + 3) & ~3u);
            if (in_cpu && depth == 3 && str_eq(pname, "reg") && n < MAX_CORES) {
                uint64_t v = be32(val);
                if (len == 8)
                    v = (v << 32) | be32(val + 4);
                core_aff[n++] = v;
            }
        } else if (tok == FDT_NOP) {
            continue;
        } else if (tok == FDT_END) {
            break;
        } else {
            return -1;
        }
    }
    /* insertion sort by affinity */
    for (int i = 1; i < n; i++) {
        uint64_t v = core_aff[i];
        int j = i - 1;
        while (j >= 0 && core_aff[j] > v) {
            core_aff[j + 1] = core_aff[j];
            j--;
        }
        core_aff[j + 1] = v;
    }
    return n;
}

int rt_init(void)
{
    int n = fdt_cpus();
    if (n <= 0) {
        kprintf("rt: no device tree at %lx\n", FDT_ADDR);
        return -1;
    }
    ncores = n;
    uint64_t me = read_sysreg(mpidr_el1) & 0xff00ffffffULL;
    if (core_aff[0] != me) {
        kprintf("rt: boot core mpidr %lx is not the lowest (%lx)\n", me, core_aff[0]);
        return -1;
    }
    return 0;
}

/* --------------------------------------------------------------- cores */

char rt_stacks[MAX_CORES * STACK_SIZE] __attribute__((aligned(16)));
static void (*volatile secondary_fn[MAX_CORES])(int);

void rt_secondary_main(uint64_t idx);

void rt_secondary_main(uint64_t idx)
{
    void (*fn)(int) = secondary_fn[idx];
    if (fn)
        fn((int)idx);
    for (;;)
        wfe();
}

int64_t start_core(int k, void (*fn)(int))
{
    secondary_fn[k] = fn;
    dsb(sy);
    return psci_call(PSCI_CPU_ON_64, core_aff[k], (uint64_t)(uintptr_t)secondary_entry, (uint64_t)k);
}

int start_all(void (*fn)(int))
{
    int bad = 0;
    for (int k = 1; k < ncores; k++) {
        int64_t r = start_core(k, fn);
        if (r != 0) {
            kprintf("CPU_ON core %d (aff %lx) failed: %ld\n", k, core_aff[k], r);
            bad = 1;
        }
    }
    return bad;
}

/* ------------------------------------------------------------------ GIC */

void gic_dist_init(void)
{
    /* ARE (bit 4) and EnableGrp1 (bit 1; EnableGrp1NS in the two-security-state view) */
    mmio_write32(GICD_BASE + 0x0, 0x12);
    while (mmio_read32(GICD_BASE + 0x0) & (1u << 31)) /* RWP */
        ;
}

uint64_t gic_redist(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
    for (uint64_t rd = GICR_BASE;; rd += 0x20000) {
        uint64_t typer = mmio_read64(rd + 0x8);
        if ((uint32_t)(typer >> 32) == aff)
            return rd;
        if (typer & (1u << 4)) /* Last */
            return 0;
    }
}

uint64_t gic_cpu_init(void)
{
    uint64_t rd = gic_redist();
    if (rd == 0)
        return 0;
    /* wake: clear ProcessorSleep, wait for ChildrenAsleep to clear */
    mmio_write32(rd + 0x14, mmio_read32(rd + 0x14) & ~2u);
    while (mmio_read32(rd + 0x14) & 4u)
        ;
    uint64_t sgi = rd + GICR_SGI;
    mmio_write32(sgi + 0x180, 0xffffffffu); /* ICENABLER0: all off */
    mmio_write32(sgi + 0x80, 0xffffffffu);  /* IGROUPR0: group 1 */
    for (int i = 0; i < 8; i++)
        mmio_write32(sgi + 0x400 + 4 * (uint64_t)i, 0x80808080u); /* IPRIORITYR */
    while (mmio_read32(rd + 0x0) & (1u << 3)) /* GICR_CTLR.RWP */
        ;
    write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
    isb();
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_BPR1_EL1, 0);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    return rd;
}

void gic_enable_ppi_sgi(uint64_t rd, uint32_t mask)
{
    mmio_write32(rd + GICR_SGI + 0x100, mask);
}

/* ------------------------------------------------------------------ MMU */

static uint64_t id_l1[512] __attribute__((aligned(4096)));

void mmu_build_identity(void)
{
    id_l1[0] = 0x00000000ULL | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
    id_l1[1] = 0x40000000ULL | PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF;
    dsb(ishst);
}

void mmu_on(void)
{
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_39BIT_4K | TCR_EPD1);
    write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)id_l1);
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh" ::: "memory");
    isb();
    uint64_t sctlr = read_sysreg(sctlr_el1);
    sctlr |= (1u << 0) | (1u << 2) | (1u << 12); /* M, C, I */
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

void mmu_off(void)
{
    uint64_t sctlr = read_sysreg(sctlr_el1);
    sctlr &= ~(uint64_t)((1u << 0) | (1u << 2) | (1u << 12));
    write_sysreg(sctlr_el1, sctlr);
    isb();
}
