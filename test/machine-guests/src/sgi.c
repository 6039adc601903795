/*
 * sgi.c - software-generated interrupts through ICC_SGI1R_EL1.
 *
 * Every core wakes its GIC redistributor (GICR_WAKER), found by matching
 * GICR_TYPER's affinity with its MPIDR, makes SGIs group 1 at priority 0x80,
 * enables them and takes IRQs; the handler counts each INTID it acknowledges
 * and checks the running priority.  The cores' affinities come from the
 * device tree, so the program adapts to clusters: on QEMU, Aff1 = core / 16,
 * so with -smp 20 cores 16..19 are cluster 1.
 *
 * GICv3 SGIs carry no source: an SGI sent to a core that still has it pending
 * is merged.  Every phase therefore sends each INTID to each core at most
 * once before waiting for it to arrive, so the counts are exact.
 *
 * Cores wait with WFI (IRQs masked, then briefly unmasked to take what woke
 * them), never by spinning: QEMU runs each vCPU in a host thread, and with
 * more vCPUs than host CPUs spinning waiters would starve the others.  The
 * barrier between phases is an SGI too: the last core to arrive wakes the
 * others with INTID 15 (IRM = 1).  Which core arrives last varies, so INTID
 * 15 is neither printed nor counted in the totals.
 *
 *   phase 1, INTID 1: ring by target list, core k -> core k+1 (mod n),
 *            crossing clusters where the ring does
 *   phase 2, INTID 2: core 0 -> every core, one write per cluster (its
 *            TargetList with all of that cluster's cores, itself included)
 *   phase 3, INTID 3: broadcast, IRM = 1: each core in turn -> all but itself
 *   phase 4, INTID 4: the last core -> core 0 (another cluster with -smp 20)
 *            and itself; then INTID 5 to an affinity no core has and to the
 *            TargetList bits of absent cores in cluster 0: nobody gets it
 *
 * Before the other cores start, core 0 alone (IRQs masked, polling ICC_IAR1)
 * checks priorities: the highest-priority pending SGI wins, PMR masks, the
 * running priority (RPR) and active priorities (AP1R0) follow acknowledge and
 * EOI, a higher-priority SGI preempts an active one, and an SGI sent again
 * while active becomes active-and-pending.
 *
 * Core 0 prints the per-core counts in core order at the end.
 */
#include "rt.h"

#define NSGI 16

#define SGI_WAKE 15

static volatile uint32_t counts[MAX_CORES][NSGI];
static volatile uint32_t bad_rpr[MAX_CORES];
static volatile uint32_t setup_fail[MAX_CORES];
static volatile uint64_t sre_read[MAX_CORES];
static volatile uint32_t bar_count;

static void irq(struct frame *f)
{
    (void)f;
    int me = this_core();
    for (;;) {
        uint64_t iar = read_sysreg(ICC_IAR1_EL1);
        uint32_t id = (uint32_t)iar & 0xffffff;
        if (id >= 1020)
            break;
        if (read_sysreg(ICC_RPR_EL1) != 0x80)
            bad_rpr[me]++;
        if (id < NSGI)
            counts[me][id]++;
        write_sysreg(ICC_EOIR1_EL1, iar);
        isb();
    }
}

/* Sleep until *p >= v: WFI with IRQs masked wakes on a pending interrupt,
 * which is then taken in a short unmasked window.  Call with IRQs masked. */
static void sleep_until(volatile uint32_t *p, uint32_t v)
{
    while (*p < v) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
}

/* DSB first: the memory writes an SGI announces must be visible to its
 * receiver (SGI generation is not ordered with memory accesses otherwise) */
static void broadcast(uint32_t id)
{
    dsb(ish);
    write_sysreg(ICC_SGI1R_EL1, (1ULL << 40) | ((uint64_t)id << 24));
    isb();
}

/* all cores: the last to arrive wakes the others with SGI 15 */
static void barrier(void)
{
    uint32_t n = (uint32_t)ncores;
    uint32_t old = atomic_add32(&bar_count, 1);
    uint32_t target = (old / n + 1) * n;
    if (old + 1 == target) {
        if (n > 1)
            broadcast(SGI_WAKE);
    } else {
        sleep_until(&bar_count, target);
    }
}

/* ICC_SGI1R_EL1 value for INTID id to the cores of `targets` (bit k = core
 * k) that share affinity `aff` above Aff0 (aff with Aff0 = 0). */
static uint64_t sgi1r(uint32_t id, uint64_t aff, uint32_t targetlist, uint32_t rs)
{
    uint64_t aff1 = (aff >> 8) & 0xff, aff2 = (aff >> 16) & 0xff, aff3 = (aff >> 32) & 0xff;
    return (uint64_t)targetlist | (aff1 << 16) | ((uint64_t)id << 24) | (aff2 << 32) |
           ((uint64_t)rs << 44) | (aff3 << 48);
}

static void send_to(uint32_t id, int k)
{
    uint64_t a = core_aff[k];
    uint32_t aff0 = (uint32_t)(a & 0xff);
    write_sysreg(ICC_SGI1R_EL1, sgi1r(id, a & ~(uint64_t)0xff, 1u << (aff0 & 15), aff0 >> 4));
    isb();
}

static void setup(int me)
{
    uint64_t rd = gic_cpu_init();
    if (rd == 0) {
        setup_fail[me] = 1;
        return;
    }
    sre_read[me] = read_sysreg(ICC_SRE_EL1);
    gic_enable_ppi_sgi(rd, 0xffff);
    if ((mmio_read32(rd + 0x14) & 6) != 0) /* still asleep? */
        setup_fail[me] = 2;
}

/* the phases every core runs (IRQs masked but for the waits); the sending
 * core of each step is chosen so that no INTID is sent to a core twice before
 * it has arrived */
static void phases(int me)
{
    int n = ncores;
    /* phase 1: ring */
    barrier();
    if (n > 1) {
        send_to(1, (me + 1) % n);
        sleep_until(&counts[me][1], 1);
    }

    /* phase 2: core 0 to everyone, one write per cluster */
    barrier();
    if (me == 0) {
        for (int k = 0; k < n;) {
            uint64_t group = core_aff[k] & ~(uint64_t)0xff;
            uint32_t rs = (uint32_t)(core_aff[k] & 0xff) >> 4;
            uint32_t list = 0;
            int j = k;
            while (j < n && (core_aff[j] & ~(uint64_t)0xff) == group &&
                   ((uint32_t)(core_aff[j] & 0xff) >> 4) == rs) {
                list |= 1u << (core_aff[j] & 15);
                j++;
            }
            write_sysreg(ICC_SGI1R_EL1, sgi1r(2, group, list, rs));
            isb();
            k = j;
        }
    }
    sleep_until(&counts[me][2], 1);

    /* phase 3: broadcast (IRM = 1), one core at a time */
    for (int k = 0; k < n; k++) {
        barrier();
        if (me == k)
            broadcast(3);
        else
            sleep_until(&counts[me][3], (uint32_t)(k < me ? k + 1 : k));
    }

    /* phase 4: last core -> {core 0, itself}; then SGIs nobody should get */
    barrier();
    if (me == n - 1) {
        send_to(4, 0);
        if (n > 1)
            send_to(4, n - 1);
        /* Aff1 = 0x7f: no such cluster */
        write_sysreg(ICC_SGI1R_EL1, sgi1r(5, 0x7f00, 0xffff, 0));
        /* cluster 0, Aff0 values of no core */
        uint32_t absent = 0xffff;
        for (int k = 0; k < n; k++)
            if ((core_aff[k] & ~(uint64_t)0xf) == 0)
                absent &= ~(1u << (core_aff[k] & 15));
        if (absent)
            write_sysreg(ICC_SGI1R_EL1, sgi1r(5, 0, absent, 0));
        isb();
    }
    if (me == 0 || me == n - 1)
        sleep_until(&counts[me][4], 1);
    barrier();
}

static uint32_t pend_bits(uint64_t rd) { return mmio_read32(rd + GICR_SGI + 0x200); }   /* ISPENDR0 */
static uint32_t active_bits(uint64_t rd) { return mmio_read32(rd + GICR_SGI + 0x300); } /* ISACTIVER0 */

static void set_prio(uint64_t rd, int id, uint32_t prio)
{
    uint64_t a = rd + GICR_SGI + 0x400 + (uint64_t)(id & ~3);
    int sh = (id & 3) * 8;
    mmio_write32(a, (mmio_read32(a) & ~(0xffu << sh)) | (prio << sh));
}

static void self_sgi(uint32_t id)
{
    send_to(id, 0);
}

/* wait (bounded) until every bit of mask is pending */
static int wait_pending(uint64_t rd, uint32_t mask)
{
    for (int i = 0; i < 1000000; i++)
        if ((pend_bits(rd) & mask) == mask)
            return 1;
    return 0;
}

static uint32_t iar(void) { return (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff; }
static void eoi(uint32_t id) { write_sysreg(ICC_EOIR1_EL1, id); isb(); }
static uint32_t rpr(void) { return (uint32_t)read_sysreg(ICC_RPR_EL1); }
static uint32_t hppir(void) { return (uint32_t)read_sysreg(ICC_HPPIR1_EL1) & 0xffffff; }

/* core 0, IRQs masked: priorities, masking, preemption, active-and-pending */
static int local_tests(uint64_t rd)
{
    int fail = 0;
#define CHECK(what, got, want)                                              \
    do {                                                                    \
        uint64_t g_ = (got), w_ = (want);                                   \
        kprintf("  %-44s %lx%s\n", what, g_, g_ == w_ ? "" : "  (unexpected)"); \
        if (g_ != w_)                                                       \
            fail = 1;                                                       \
    } while (0)
    kprintf("priorities on core 0 (SGI 7 at 0xa0, SGI 8 at 0x40; IRQs masked):\n");
    set_prio(rd, 7, 0xa0);
    set_prio(rd, 8, 0x40);
    CHECK("IPRIORITYR of SGIs 4-7 reads", mmio_read32(rd + GICR_SGI + 0x404), 0xa0808080);
    self_sgi(7);
    self_sgi(8);
    CHECK("both pending", wait_pending(rd, 0x180), 1);
    CHECK("ISR_EL1 (I bit 7)", read_sysreg(isr_el1), 0x80);
    CHECK("HPPIR1", hppir(), 8);
    write_sysreg(ICC_PMR_EL1, 0x40);
    isb();
    CHECK("PMR 0x40: IAR1", iar(), 1023);
    CHECK("PMR 0x40: HPPIR1 (not masked by PMR)", hppir(), 8);
    write_sysreg(ICC_PMR_EL1, 0x80);
    isb();
    CHECK("PMR 0x80: IAR1", iar(), 8);
    CHECK("RPR with 8 active", rpr(), 0x40);
    CHECK("AP1R0 with 8 active", read_sysreg(S3_0_C12_C9_0), 1u << (0x40 >> 3));
    CHECK("ISACTIVER0 & 0x180", active_bits(rd) & 0x180, 0x100);
    CHECK("HPPIR1 with 8 active", hppir(), 7);
    CHECK("IAR1 (7 masked by PMR)", iar(), 1023);
    eoi(8);
    CHECK("RPR after EOI 8", rpr(), 0xff);
    write_sysreg(ICC_PMR_EL1, 0xff);
    isb();
    CHECK("PMR 0xff: IAR1", iar(), 7);
    CHECK("RPR with 7 active", rpr(), 0xa0);
    self_sgi(8);
    CHECK("8 pending again", wait_pending(rd, 0x100), 1);
    CHECK("IAR1 (8 preempts 7)", iar(), 8);
    CHECK("RPR with 7 and 8 active", rpr(), 0x40);
    CHECK("AP1R0 with 7 and 8 active", read_sysreg(S3_0_C12_C9_0),
          (1u << (0x40 >> 3)) | (1u << (0xa0 >> 3)));
    eoi(8);
    CHECK("RPR after EOI 8", rpr(), 0xa0);
    self_sgi(7);
    CHECK("7 active and pending", wait_pending(rd, 0x80) && (active_bits(rd) & 0x80) != 0, 1);
    CHECK("IAR1 (7 already active)", iar(), 1023);
    eoi(7);
    CHECK("RPR after EOI 7", rpr(), 0xff);
    CHECK("IAR1 (7 again)", iar(), 7);
    eoi(7);
    CHECK("nothing pending or active", (pend_bits(rd) | active_bits(rd)) & 0xffff, 0);
    CHECK("IAR1", iar(), 1023);
    set_prio(rd, 7, 0x80);
    set_prio(rd, 8, 0x80);
#undef CHECK
    return fail;
}

static void secondary(int me)
{
    setup(me);
    phases(me);
    for (;;)
        wfe();
}

int main(void)
{
    int fail = 0;
    if (rt_init() != 0)
        return 1;
    int n = ncores;
    kprintf("sgi: %d cores\n", n);
    for (int k = 0; k < n; k++) {
        if (k == 0 || (core_aff[k] & ~(uint64_t)0xff) != (core_aff[k - 1] & ~(uint64_t)0xff))
            kprintf("cluster aff %lx: cores from %d\n", core_aff[k] & ~(uint64_t)0xff, k);
    }

    rt_irq_handler = irq;
    gic_dist_init();
    kprintf("GICD_CTLR %x\n", mmio_read32(GICD_BASE) & 0x7fffffff);
    /* the spurious INTID with nothing pending (before any SGI is enabled) */
    kprintf("IAR1 with nothing pending: %lu\n", read_sysreg(ICC_IAR1_EL1) & 0xffffff);
    setup(0);
    uint64_t rd0 = gic_redist();
    kprintf("ICC_CTLR_EL1 %lx, ICC_BPR1_EL1 after writing 0: %lx\n",
            read_sysreg(ICC_CTLR_EL1), read_sysreg(ICC_BPR1_EL1));
    int nrd = 0;
    for (uint64_t r = GICR_BASE;; r += 0x20000) {
        uint64_t typer = mmio_read64(r + 8);
        if (((typer >> 8) & 0xffff) != (uint64_t)nrd)
            kprintf("GICR frame %d: GICR_TYPER.Processor_Number %lu\n", nrd, (typer >> 8) & 0xffff);
        nrd++;
        if (typer & 0x10)
            break;
    }
    kprintf("redistributors: %d, GICR_TYPER.Last on the last one\n", nrd);
    if (nrd != n)
        fail = 1;
    if (local_tests(rd0) != 0)
        fail = 1;
    if (start_all(secondary) != 0)
        return 1;
    phases(0);
    /* every core has passed the last barrier: its counts are final */

    /* the expected counts */
    for (int k = 0; k < n; k++) {
        uint32_t want[NSGI] = { 0 };
        want[1] = n > 1 ? 1 : 0;
        want[2] = 1;
        want[3] = (uint32_t)n - 1;
        want[4] = (k == 0 || k == n - 1) ? 1 : 0;
        int ok = setup_fail[k] == 0 && bad_rpr[k] == 0 && (sre_read[k] & 1);
        kprintf("core %2d mpidr aff %06lx:", k, core_aff[k]);
        for (int i = 0; i < 6; i++) {
            kprintf(" sgi%d=%u", i, counts[k][i]);
            if (counts[k][i] != want[i])
                ok = 0;
        }
        for (int i = 6; i < SGI_WAKE; i++)
            if (counts[k][i] != 0)
                ok = 0;
        kprintf(" %s\n", ok ? "ok" : "FAIL");
        if (!ok) {
            kprintf("  setup %u bad-rpr %u sre %lx\n", setup_fail[k], bad_rpr[k], sre_read[k]);
            fail = 1;
        }
    }
    uint32_t total = 0;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < SGI_WAKE; i++)
            total += counts[k][i];
    kprintf("total SGIs received (INTIDs 0-14): %u\n", total);
    kprintf("sgi: %s\n", fail ? "FAIL" : "pass");
    return fail;
}
