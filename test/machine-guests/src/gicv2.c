/*
 * gicv2.c - the GICv2 board (QEMU virt, gic-version=2): distributor at
 * 0x0800_0000, memory-mapped CPU interface at 0x0801_0000, no ICC_* system
 * registers.
 *
 * Core 0 prints the identification registers and reset values, checks that
 * ICC_SRE_EL1 is UNDEFINED and ID_AA64PFR0_EL1.GIC is 0, then (IRQs masked)
 * per-source SGI pending state: an SGI pending from several sources is
 * acknowledged once per source, lowest first, with the source in
 * GICC_IAR.CPUID; GICD_SPENDSGIR/CPENDSGIR; ISPENDR0 not touching SGIs;
 * PMR masking, RPR, HPPIR, the aliased group 1 registers; the virtual timer's
 * PPI 27.  Then every core takes SGIs sent through GICD_SGIR by target list,
 * to all others and to itself, and an SPI routed to each core in turn by
 * GICD_ITARGETSR, counting INTIDs and SGI sources.
 */
#include "rt.h"

#define GICC_BASE 0x08010000UL
#define GICD(o) (GICD_BASE + (o))
#define GICC(o) (GICC_BASE + (o))
#define SPI_TEST 40

static volatile uint32_t counts[MAX_CORES][32];
static volatile uint32_t srcs[MAX_CORES];   /* bit s: an SGI 1 from core s */
static volatile uint32_t spi_hits[MAX_CORES];
static volatile uint32_t done_count, go, stage;
static volatile uint64_t last_esr;

static void sync(struct frame *f)
{
    last_esr = f->esr;
    f->elr += 4;
}

static void irq(struct frame *f)
{
    (void)f;
    int me = this_core();
    for (;;) {
        uint32_t iar = mmio_read32(GICC(0x0c));
        uint32_t id = iar & 0x3ff;
        if (id >= 1020)
            break;
        if (id < 32)
            counts[me][id]++;
        if (id == 1)
            srcs[me] |= 1u << ((iar >> 10) & 7);
        if (id == SPI_TEST)
            spi_hits[me]++;
        if (id == 27)
            write_sysreg(cntv_ctl_el0, 2); /* IMASK: the line drops */
        mmio_write32(GICC(0x10), iar);
    }
}

static void cpu_init(void)
{
    mmio_write32(GICD(0x100), 0xffffffffu); /* ISENABLER0: SGIs (fixed) and PPIs */
    for (int i = 0; i < 32; i += 4)
        mmio_write32(GICD(0x400 + i), 0x80808080u);
    mmio_write32(GICC(0x04), 0xf0); /* PMR */
    mmio_write32(GICC(0x00), 1);    /* group 0 on */
}

static void wait_stage(uint32_t s)
{
    while (stage < s) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
}

static void secondary(int me)
{
    (void)me;
    cpu_init();
    atomic_add32(&go, 1);
    wait_stage(2);
    atomic_add32(&done_count, 1);
    for (;;)
        wfe();
}

static void sgir(uint32_t v)
{
    dsb(ish);
    mmio_write32(GICD(0xf00), v);
}

int main(void)
{
    int fail = 0;
    if (rt_init() != 0)
        return 1;
    int n = ncores;
    rt_sync_handler = sync;
    rt_irq_handler = irq;
    kprintf("gicv2: %d cores\n", n);
    kprintf("GICD_TYPER %x IIDR %x GICC_IIDR %x\n", mmio_read32(GICD(4)), mmio_read32(GICD(8)),
            mmio_read32(GICC(0xfc)));
    kprintf("ID_AA64PFR0_EL1.GIC %lu\n", (read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf);
    last_esr = 0;
    uint64_t sre = read_sysreg(ICC_SRE_EL1);
    kprintf("ICC_SRE_EL1 read: ESR %lx (value %lx)\n", last_esr, last_esr ? 0 : sre);
    kprintf("reset: IGROUPR0 %x ICFGR0 %x ICFGR1 %x ISENABLER0 %x GICC_CTLR %x PMR %x BPR %x ABPR %x\n",
            mmio_read32(GICD(0x80)), mmio_read32(GICD(0xc00)), mmio_read32(GICD(0xc04)),
            mmio_read32(GICD(0x100)), mmio_read32(GICC(0)), mmio_read32(GICC(4)),
            mmio_read32(GICC(8)), mmio_read32(GICC(0x1c)));
    kprintf("ITARGETSR0 %x ITARGETSR8 %x\n", mmio_read32(GICD(0x800)), mmio_read32(GICD(0x820)));
    mmio_write32(GICC(4), 0xff);
    kprintf("PMR after 0xff: %x\n", mmio_read32(GICC(4)));
    mmio_write32(GICD(0), 1); /* group 0 */
    kprintf("GICD_CTLR %x\n", mmio_read32(GICD(0)));
    cpu_init();
    kprintf("IAR with nothing pending: %u\n", mmio_read32(GICC(0x0c)));

    /* per-source SGI pending, IRQs masked */
    sgir((2u << 24) | 5); /* SGI 5 to myself */
    /* S/CPENDSGIR by byte: QEMU 7.2 marks every SGI of a word access pending, even with a zero byte */
    *(volatile uint8_t *)GICD(0xf25) = 0x0a; /* SPENDSGIR, SGI 5: sources 1 and 3 */
    kprintf("SPENDSGIR1 %x ISPENDR0 %x HPPIR %x\n", mmio_read32(GICD(0xf24)), mmio_read32(GICD(0x200)),
            mmio_read32(GICC(0x18)));
    for (int i = 0; i < 4; i++) {
        uint32_t a = mmio_read32(GICC(0x0c));
        kprintf("IAR %x RPR %x ISACTIVER0 %x ", a, mmio_read32(GICC(0x14)), mmio_read32(GICD(0x300)));
        if ((a & 0x3ff) < 1020)
            mmio_write32(GICC(0x10), a);
        kprintf("after EOI RPR %x SPENDSGIR1 %x\n", mmio_read32(GICC(0x14)), mmio_read32(GICD(0xf24)));
    }
    *(volatile uint8_t *)GICD(0xf28) = 0x01; /* SGI 8 from 0 */
    *(volatile uint8_t *)GICD(0xf29) = 0x03; /* SGI 9 from 0 and 1 */
    *(volatile uint8_t *)GICD(0xf18) = 0x01; /* CPENDSGIR: SGI 8 source 0 */
    *(volatile uint8_t *)GICD(0xf19) = 0x02; /* SGI 9 source 1 */
    kprintf("after CPENDSGIR: SPENDSGIR2 %x ISPENDR0 %x\n", mmio_read32(GICD(0xf28)), mmio_read32(GICD(0x200)));
    *(volatile uint8_t *)GICD(0xf19) = 0x01;
    mmio_write32(GICD(0x200), 1u << 6); /* ISPENDR0 does not set SGIs */
    kprintf("ISPENDR0 after writing SGI 6: %x\n", mmio_read32(GICD(0x200)));
    /* PMR and priorities: SGI 7 at 0x80 */
    sgir((2u << 24) | 7);
    mmio_write32(GICC(4), 0x80);
    kprintf("PMR 0x80: HPPIR %x IAR %x\n", mmio_read32(GICC(0x18)), mmio_read32(GICC(0x0c)));
    mmio_write32(GICC(4), 0xf0);
    mmio_write32(GICD(0x80), 1u << 7); /* SGI 7 in group 1 */
    kprintf("group 1 with GICC_CTLR.EnableGrp1 0: HPPIR %x\n", mmio_read32(GICC(0x18)));
    mmio_write32(GICC(0), 3);
    kprintf("group 1 enabled: HPPIR %x AHPPIR %x\n", mmio_read32(GICC(0x18)), mmio_read32(GICC(0x28)));
    uint32_t a = mmio_read32(GICC(0x20));
    kprintf("AIAR %x RPR %x APR0 %x\n", a, mmio_read32(GICC(0x14)), mmio_read32(GICC(0xd0)));
    mmio_write32(GICC(0x24), a);
    kprintf("after AEOIR: RPR %x APR0 %x\n", mmio_read32(GICC(0x14)), mmio_read32(GICC(0xd0)));
    mmio_write32(GICD(0x80), 0);
    mmio_write32(GICC(0), 1);

    /* the virtual timer, PPI 27 */
    write_sysreg(cntv_tval_el0, 100);
    write_sysreg(cntv_ctl_el0, 1);
    isb();
    while (counts[0][27] == 0) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    write_sysreg(cntv_ctl_el0, 0);
    kprintf("timer PPI 27 taken %u\n", counts[0][27]);

    if (start_all(secondary) != 0)
        return 1;
    wait_ge32(&go, (uint32_t)n - 1);
    /* every core, then: SGI 1 by list from core 0, SGI 2 to all others, SGI 3 to myself */
    sgir((((1u << n) - 1) << 16) | 1);
    sgir((1u << 24) | 2);
    sgir((2u << 24) | 3);
    /* SPI 40, edge, routed to each core in turn */
    mmio_write32(GICD(0xc00 + 40 / 16 * 4), 2u << ((40 % 16) * 2));
    mmio_write32(GICD(0x100 + 40 / 32 * 4), 1u << (40 % 32));
    for (int k = 0; k < n; k++) {
        *(volatile uint8_t *)GICD(0x800 + SPI_TEST) = (uint8_t)(1u << k);
        mmio_write32(GICD(0x200 + 40 / 32 * 4), 1u << (40 % 32));
        while (mmio_read32(GICD(0x200 + 40 / 32 * 4)) & (1u << (40 % 32))) {
            irq_enable();
            isb();
            irq_disable();
        }
    }
    kprintf("ITARGETSR for SPI %d: %x\n", SPI_TEST, *(volatile uint8_t *)GICD(0x800 + SPI_TEST));
    /* let the others take theirs */
    stage = 1;
    for (int i = 0; i < 1000 && counts[0][3] == 0; i++) {
        irq_enable();
        isb();
        irq_disable();
    }
    stage = 2;
    dsb(ish);
    sgir((1u << 24) | 15); /* wake the others */
    wait_ge32(&done_count, (uint32_t)n - 1);
    for (int k = 0; k < n; k++) {
        kprintf("core %d: SGI1 %u SGI2 %u SGI3 %u sources of SGI1 %x SPI %u\n", k, counts[k][1],
                counts[k][2], counts[k][3], srcs[k], spi_hits[k]);
        if (counts[k][1] != 1 || counts[k][2] != (k ? 1u : 0u) || counts[k][3] != (k ? 0u : 1u) ||
            spi_hits[k] != 1)
            fail = 1;
    }
    kprintf("gicv2: %s\n", fail ? "FAIL" : "pass");
    return fail;
}
