/*
 * timer.c - the EL1 virtual and physical timers and their PPIs (27, 30).
 *
 * Every core runs the same tests on its own timers and redistributor; core 0
 * prints each core's results at the end.  Only deterministic facts are
 * printed: tick counts, ISTATUS and pending bits, and comparisons between
 * counter values, never times.
 *
 *   1. virtual timer, re-armed through CNTV_TVAL_EL0: TICKS interrupts, each
 *      waited for with WFI; the handler sees ISTATUS = 1 and the counter at
 *      or past CNTV_CVAL_EL0
 *   2. physical timer, re-armed through CNTP_CVAL_EL0 (+= period)
 *   3. both at once, with different periods: exact counts of each
 *   4. IMASK: the condition is met (ISTATUS = 1) but the PPI is not pending;
 *      clearing IMASK makes it pending, and it is taken once IRQs unmask
 *   5. WFI with IRQs masked (PSTATE.I = 1) still wakes for the timer;
 *      ISR_EL1.I shows it pending
 *   6. TVAL: writing it sets CVAL = counter + TVAL; after expiry it reads
 *      negative; a CVAL in the past sets ISTATUS at once
 */
#include "rt.h"

#define TICKS 5
#define PPI_VTIMER 27
#define PPI_PTIMER 30

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

struct tstate {
    volatile uint32_t vcount, pcount, vlimit, plimit;
    volatile uint32_t v_istatus_bad, p_istatus_bad, v_early, p_early, other_irq;
    uint64_t vperiod, pperiod;
    /* results */
    uint32_t t1, t2, t3v, t3p;
    uint32_t t4_istatus, t4_pending_masked, t4_isr_masked, t4_pending_unmasked, t4_taken;
    uint32_t t5_isr, t5_taken;
    uint32_t t6_tval_sets_cval, t6_negative, t6_past_istatus, t6_counter_monotonic;
    uint32_t fails;
};

static struct tstate ts[MAX_CORES];
static volatile uint32_t done_count, go;
static uint64_t frq;

static void irq(struct frame *f)
{
    (void)f;
    struct tstate *t = &ts[this_core()];
    for (;;) {
        uint64_t iar = read_sysreg(ICC_IAR1_EL1);
        uint32_t id = (uint32_t)iar & 0xffffff;
        if (id >= 1020)
            break;
        if (id == PPI_VTIMER) {
            uint64_t ctl = read_sysreg(cntv_ctl_el0);
            if (!(ctl & CTL_ISTATUS))
                t->v_istatus_bad++;
            if (read_sysreg(cntvct_el0) < read_sysreg(cntv_cval_el0))
                t->v_early++;
            t->vcount++;
            if (t->vcount < t->vlimit)
                write_sysreg(cntv_tval_el0, t->vperiod); /* re-arm */
            else
                write_sysreg(cntv_ctl_el0, 0);
        } else if (id == PPI_PTIMER) {
            uint64_t ctl = read_sysreg(cntp_ctl_el0);
            if (!(ctl & CTL_ISTATUS))
                t->p_istatus_bad++;
            if (read_sysreg(cntpct_el0) < read_sysreg(cntp_cval_el0))
                t->p_early++;
            t->pcount++;
            if (t->pcount < t->plimit)
                write_sysreg(cntp_cval_el0, read_sysreg(cntp_cval_el0) + t->pperiod);
            else
                write_sysreg(cntp_ctl_el0, 0);
        } else {
            t->other_irq++;
        }
        isb();
        write_sysreg(ICC_EOIR1_EL1, iar);
        isb();
    }
}

static uint32_t pending(uint64_t rd, int id)
{
    return (mmio_read32(rd + GICR_SGI + 0x200) >> id) & 1; /* GICR_ISPENDR0 */
}

static void run_tests(int me)
{
    struct tstate *t = &ts[me];
    uint64_t rd = gic_cpu_init();
    if (rd == 0) {
        t->fails++;
        return;
    }
    gic_enable_ppi_sgi(rd, (1u << PPI_VTIMER) | (1u << PPI_PTIMER));
    uint64_t ms = frq / 1000;

    /* 1: virtual timer via TVAL */
    t->vperiod = ms;
    t->vlimit = TICKS;
    write_sysreg(cntv_tval_el0, ms);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE);
    isb();
    irq_enable();
    while (t->vcount < TICKS)
        wfi();
    irq_disable();
    t->t1 = t->vcount;

    /* 2: physical timer via CVAL */
    t->pperiod = ms;
    t->plimit = TICKS;
    write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + ms);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE);
    isb();
    irq_enable();
    while (t->pcount < TICKS)
        wfi();
    irq_disable();
    t->t2 = t->pcount;

    /* 3: both, virtual every 1 ms (6 ticks), physical every 1.5 ms (4 ticks) */
    t->vcount = t->pcount = 0;
    t->vlimit = 6;
    t->plimit = 4;
    t->pperiod = ms + ms / 2;
    write_sysreg(cntv_tval_el0, t->vperiod);
    write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + t->pperiod);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE);
    isb();
    irq_enable();
    while (t->vcount < 6 || t->pcount < 4)
        wfi();
    irq_disable();
    t->t3v = t->vcount;
    t->t3p = t->pcount;

    /* 4: IMASK */
    t->vcount = 0;
    t->vlimit = 1;
    write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + ms / 4);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    isb();
    while (!(read_sysreg(cntv_ctl_el0) & CTL_ISTATUS))
        ;
    t->t4_istatus = 1;
    t->t4_pending_masked = pending(rd, PPI_VTIMER);
    t->t4_isr_masked = (uint32_t)(read_sysreg(isr_el1) >> 7) & 1;
    write_sysreg(cntv_ctl_el0, CTL_ENABLE);
    isb();
    for (int i = 0; i < 100000 && !pending(rd, PPI_VTIMER); i++)
        ;
    t->t4_pending_unmasked = pending(rd, PPI_VTIMER);
    irq_enable();
    for (int i = 0; i < 100000 && t->vcount == 0; i++)
        ;
    irq_disable();
    t->t4_taken = t->vcount;

    /* 5: WFI with PSTATE.I set */
    t->vcount = 0;
    t->vlimit = 1;
    write_sysreg(cntv_tval_el0, ms);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE);
    isb();
    while (!(read_sysreg(isr_el1) & 0x80))
        wfi();
    t->t5_isr = 1;
    irq_enable();
    for (int i = 0; i < 100000 && t->vcount == 0; i++)
        ;
    irq_disable();
    t->t5_taken = t->vcount;

    /* 6: TVAL and CVAL arithmetic (timer masked: no interrupts) */
    uint64_t before = read_sysreg(cntvct_el0);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    write_sysreg(cntv_tval_el0, 10 * ms);
    isb();
    uint64_t after = read_sysreg(cntvct_el0);
    uint64_t cval = read_sysreg(cntv_cval_el0);
    t->t6_tval_sets_cval = cval >= before + 10 * ms && cval <= after + 10 * ms;
    t->t6_counter_monotonic = after >= before;
    write_sysreg(cntv_tval_el0, ms / 10);
    isb();
    while (!(read_sysreg(cntv_ctl_el0) & CTL_ISTATUS))
        ;
    for (uint64_t end = read_sysreg(cntvct_el0) + 16; read_sysreg(cntvct_el0) < end;)
        ;
    t->t6_negative = (int32_t)read_sysreg(cntv_tval_el0) < 0;
    write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
    write_sysreg(cntp_cval_el0, 0);
    isb();
    t->t6_past_istatus = (read_sysreg(cntp_ctl_el0) & CTL_ISTATUS) != 0;
    write_sysreg(cntv_ctl_el0, 0);
    write_sysreg(cntp_ctl_el0, 0);
    isb();
}

static void secondary(int me)
{
    wait_ge32(&go, 1);
    run_tests(me);
    atomic_add32(&done_count, 1);
    sev();
    for (;;)
        wfe();
}

static int report(int k)
{
    struct tstate *t = &ts[k];
    int ok = t->fails == 0 && t->t1 == TICKS && t->t2 == TICKS && t->t3v == 6 && t->t3p == 4 &&
             t->v_istatus_bad == 0 && t->p_istatus_bad == 0 && t->v_early == 0 && t->p_early == 0 &&
             t->other_irq == 0 && t->t4_istatus == 1 && t->t4_pending_masked == 0 &&
             t->t4_isr_masked == 0 && t->t4_pending_unmasked == 1 && t->t4_taken == 1 &&
             t->t5_isr == 1 && t->t5_taken == 1 && t->t6_tval_sets_cval && t->t6_negative &&
             t->t6_past_istatus && t->t6_counter_monotonic;
    kprintf("core %d: virt ticks %u, phys ticks %u, both %u+%u; handler saw ISTATUS=0 %u/%u times, "
            "early %u/%u, other IRQs %u\n",
            k, t->t1, t->t2, t->t3v, t->t3p, t->v_istatus_bad, t->p_istatus_bad, t->v_early,
            t->p_early, t->other_irq);
    kprintf("core %d: IMASK: ISTATUS %u pending %u ISR.I %u; unmasked: pending %u taken %u; "
            "WFI with I masked: ISR.I %u taken %u\n",
            k, t->t4_istatus, t->t4_pending_masked, t->t4_isr_masked, t->t4_pending_unmasked,
            t->t4_taken, t->t5_isr, t->t5_taken);
    kprintf("core %d: TVAL sets CVAL %u, TVAL negative after expiry %u, CVAL 0 ISTATUS %u, "
            "counter monotonic %u: %s\n",
            k, t->t6_tval_sets_cval, t->t6_negative, t->t6_past_istatus, t->t6_counter_monotonic,
            ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int main(void)
{
    int fail = 0;
    if (rt_init() != 0)
        return 1;
    frq = read_sysreg(cntfrq_el0);
    kprintf("timer: %d cores, CNTFRQ_EL0 %lu\n", ncores, frq);
    rt_irq_handler = irq;
    gic_dist_init();
    if (start_all(secondary) != 0)
        return 1;
    atomic_add32(&go, 1);
    sev();
    run_tests(0);
    wait_ge32(&done_count, (uint32_t)ncores - 1);
    for (int k = 0; k < ncores; k++)
        fail |= report(k);
    kprintf("timer: %s\n", fail ? "FAIL" : "pass");
    return fail;
}
