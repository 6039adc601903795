/*
 * pmu.c - PMUv3: the registers, software increments, EL filtering,
 * overflow with its interrupt (PPI 23), and EL0 access by PMUSERENR_EL0.
 *
 *   1. Reset values: PMCR_EL0 (IMP, IDCODE, N), PMCNTENSET, PMINTENSET,
 *      PMOVSSET, PMUSERENR; PMCEID0_EL0's SW_INCR and CPU_CYCLES bits;
 *      which PMCR_EL0 bits a write keeps.
 *   2. SW_INCR on counter 0: nothing while PMCR_EL0.E = 0 or the counter is
 *      disabled, nor at EL1 with PMEVTYPER.P set; exact counts otherwise.
 *      PMSELR_EL0 selecting counter 2 for PMXEVTYPER/PMXEVCNTR.
 *   3. Overflow of counter 1 (from 0xfffffffe, two increments): PMOVSSET,
 *      and with PMINTENSET the interrupt INTID 23, taken once; PMOVSCLR
 *      clears it; with PMINTENCLR no interrupt.
 *   4. The cycle counter counts up while enabled, and not while disabled.
 *   5. EL0 accesses (MRS PMCR_EL0, MSR PMSWINC_EL0, MRS PMEVCNTR0_EL0,
 *      MRS PMCCNTR_EL0, MSR PMSELR_EL0) with PMUSERENR_EL0 = 0, EN, SW, CR,
 *      ER: which trap (EC 0x18).
 * Counts of instructions, branches, memory accesses and cycles are not
 * compared: QEMU 7.2 counts INST_RETIRED only with -icount and cycles from
 * host time, and has no CHAIN or branch/load/store events (see
 * test/cpu/pmu.test.ts for those).
 */
#include "rt.h"

#define PMU_INTID 23
#define PMCR_E 1u

static int fails;
static volatile uint32_t irqs, other_irqs, ovs_seen;
static volatile uint32_t traps;
static uint32_t trap_mask;

#define PMEVTYPER_P (1u << 31)

static void irq(struct frame *f)
{
    (void)f;
    for (;;) {
        uint32_t id = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
        if (id >= 1020)
            break;
        if (id == PMU_INTID) {
            irqs++;
            ovs_seen = (uint32_t)read_sysreg(pmovsset_el0);
            write_sysreg(pmovsclr_el0, ovs_seen);
            isb();
        } else {
            other_irqs++;
        }
        write_sysreg(ICC_EOIR1_EL1, id);
    }
}

/* EL0 program: the five accesses; a trap skips the instruction. */
void el0_pmu(uint64_t);
__asm__(
    "    .text\n"
    "    .balign 16\n"
    "    .global el0_pmu\n"
    "el0_pmu:\n"
    "    mov x2, #1\n"
    "    mrs x1, pmcr_el0\n"
    "    msr pmswinc_el0, x2\n"
    "    mrs x1, pmevcntr0_el0\n"
    "    mrs x1, pmccntr_el0\n"
    "    msr pmselr_el0, x2\n"
    "    svc #0\n");

static void sync_handler(struct frame *f)
{
    uint32_t ec = (uint32_t)ESR_EC(f->esr);
    if ((f->vector >> 2) == VEC_LOWER64 && ec == 0x15) {
        rt_el0_exit(f, 0);
        return;
    }
    if ((f->vector >> 2) == VEC_LOWER64 && ec == 0x18) {
        uint32_t k = (uint32_t)((f->elr - (uint64_t)(uintptr_t)el0_pmu) / 4) - 1; /* access 0..4 */
        trap_mask |= 1u << k;
        traps++;
        f->elr += 4;
        return;
    }
    kprintf("*** unexpected exception: esr %lx elr %lx far %lx\n", f->esr, f->elr, f->far);
    crt_exit(0x7f);
}

static char el0_stack[4096] __attribute__((aligned(16)));

static void expect(const char *what, uint64_t got, uint64_t want)
{
    kprintf("  %s: %lx\n", what, got);
    if (got != want) {
        fails++;
        kprintf("  *** expected %lx\n", want);
    }
}

static void swinc(uint32_t bits, int n)
{
    for (int k = 0; k < n; k++)
        write_sysreg(pmswinc_el0, bits);
    isb();
}

int main(void)
{
    rt_sync_handler = sync_handler;
    rt_irq_handler = irq;
    kprintf("pmu: reset state\n");
    uint64_t pmcr = read_sysreg(pmcr_el0);
    kprintf("  PMCR_EL0 %lx (IMP %lx IDCODE %lx N %lu)\n", pmcr, (pmcr >> 24) & 0xff, (pmcr >> 16) & 0xff, (pmcr >> 11) & 0x1f);
    kprintf("  PMCNTENSET %lx PMINTENSET %lx PMOVSSET %lx PMUSERENR %lx PMSELR %lx\n", read_sysreg(pmcntenset_el0),
            read_sysreg(pmintenset_el1), read_sysreg(pmovsset_el0), read_sysreg(pmuserenr_el0), read_sysreg(pmselr_el0));
    uint64_t ceid0 = read_sysreg(pmceid0_el0);
    kprintf("  PMCEID0_EL0 SW_INCR %lu CPU_CYCLES %lu\n", ceid0 & 1, (ceid0 >> 0x11) & 1);
    /* all of PMUv3's bits but E (P and C are actions); bit 7 (LP, PMUv3p5) is
     * RES0 here, but QEMU 7.2 keeps it */
    write_sysreg(pmcr_el0, 0x7e);
    kprintf("  PMCR_EL0 after writing 0x7e: %lx\n", read_sysreg(pmcr_el0));
    write_sysreg(pmcr_el0, 0);

    kprintf("SW_INCR:\n");
    write_sysreg(pmevtyper0_el0, 0); /* SW_INCR */
    write_sysreg(pmevcntr0_el0, 0);
    write_sysreg(pmcntenset_el0, 1);
    isb();
    swinc(1, 3);
    expect("PMCR_EL0.E = 0", read_sysreg(pmevcntr0_el0), 0);
    write_sysreg(pmcr_el0, PMCR_E);
    isb();
    swinc(1, 5);
    expect("enabled, 5 increments", read_sysreg(pmevcntr0_el0), 5);
    swinc(2, 5);
    expect("increments of counter 1 only", read_sysreg(pmevcntr0_el0), 5);
    write_sysreg(pmcntenclr_el0, 1);
    isb();
    swinc(1, 2);
    expect("counter disabled", read_sysreg(pmevcntr0_el0), 5);
    expect("PMCNTENSET", read_sysreg(pmcntenset_el0), 0);
    write_sysreg(pmcntenset_el0, 1);
    write_sysreg(pmevtyper0_el0, PMEVTYPER_P);
    isb();
    swinc(1, 2);
    expect("PMEVTYPER.P (no EL1)", read_sysreg(pmevcntr0_el0), 5);
    write_sysreg(pmevtyper0_el0, 1u << 30); /* U: EL0 filtered only */
    isb();
    swinc(1, 2);
    expect("PMEVTYPER.U", read_sysreg(pmevcntr0_el0), 7);
    write_sysreg(pmselr_el0, 2);
    write_sysreg(pmxevtyper_el0, 0);
    write_sysreg(pmxevcntr_el0, 0x40);
    write_sysreg(pmcntenset_el0, 4);
    isb();
    swinc(4, 3);
    expect("PMEVCNTR2 through PMSELR = 2", read_sysreg(pmevcntr2_el0), 0x43);
    expect("PMXEVCNTR", read_sysreg(pmxevcntr_el0), 0x43);
    expect("PMEVTYPER2", read_sysreg(pmevtyper2_el0), 0);

    kprintf("overflow:\n");
    gic_dist_init();
    uint64_t rd = gic_cpu_init();
    gic_enable_ppi_sgi(rd, 1u << PMU_INTID);
    write_sysreg(pmevtyper1_el0, 0);
    write_sysreg(pmevcntr1_el0, 0xfffffffeu);
    write_sysreg(pmcntenset_el0, 2);
    write_sysreg(pmintenset_el1, 2);
    isb();
    expect("PMINTENSET", read_sysreg(pmintenset_el1), 2);
    irq_enable();
    swinc(2, 1);
    expect("PMOVSSET before the overflow", read_sysreg(pmovsset_el0), 0);
    swinc(2, 1);
    for (int k = 0; k < 1000 && irqs == 0; k++)
        isb();
    expect("counter 1 after it", read_sysreg(pmevcntr1_el0), 0);
    expect("interrupts taken", irqs, 1);
    expect("PMOVSSET in the handler", ovs_seen, 2);
    expect("PMOVSSET after PMOVSCLR", read_sysreg(pmovsset_el0), 0);
    write_sysreg(pmintenclr_el1, 2);
    write_sysreg(pmevcntr1_el0, 0xffffffffu);
    isb();
    swinc(2, 1);
    for (int k = 0; k < 1000; k++)
        isb();
    expect("PMINTENCLR: interrupts", irqs, 1);
    expect("PMINTENCLR: PMOVSSET", read_sysreg(pmovsset_el0), 2);
    write_sysreg(pmovsclr_el0, 2);
    irq_disable();
    expect("other interrupts", other_irqs, 0);

    kprintf("cycle counter:\n");
    write_sysreg(pmccfiltr_el0, 0);
    write_sysreg(pmcntenset_el0, 1u << 31);
    write_sysreg(pmcr_el0, PMCR_E | 4); /* E, C: reset it */
    isb();
    uint64_t c0 = read_sysreg(pmccntr_el0);
    for (volatile int k = 0; k < 1000; k++)
        ;
    uint64_t c1 = read_sysreg(pmccntr_el0);
    expect("counts while enabled", c1 > c0, 1);
    write_sysreg(pmcntenclr_el0, 1u << 31);
    isb();
    c0 = read_sysreg(pmccntr_el0);
    for (volatile int k = 0; k < 1000; k++)
        ;
    expect("not while disabled", read_sysreg(pmccntr_el0) == c0, 1);

    kprintf("EL0 access (MRS PMCR, MSR PMSWINC, MRS PMEVCNTR0, MRS PMCCNTR, MSR PMSELR):\n");
    static const uint32_t userenr[] = { 0, 1, 2, 4, 8 };
    static const char *const names[] = { "0", "EN", "SW", "CR", "ER" };
    for (unsigned k = 0; k < 5; k++) {
        write_sysreg(pmuserenr_el0, userenr[k]);
        isb();
        trap_mask = 0;
        run_el0(el0_pmu, (uint64_t)(uintptr_t)(el0_stack + sizeof el0_stack), 0, 0x3c0);
        kprintf("  PMUSERENR %s: trapped %lx\n", names[k], (uint64_t)trap_mask);
    }
    write_sysreg(pmuserenr_el0, 0);
    write_sysreg(pmcr_el0, 0);
    kprintf("pmu: %s\n", fails ? "FAIL" : "pass");
    return fails ? 1 : 0;
}
