/*
 * its.c - the GICv3 ITS and LPIs (run with -smp 2).
 *
 * Core 0 reads the ITS's identification and reset values, sets up the LPI
 * configuration table (IDbits 16) and each core's pending table, a flat
 * device table and collection table (4 KiB pages) and a command queue,
 * enables the ITS, and then checks, with IRQs masked and ICC_IAR1_EL1 polled:
 *
 *   - INT to an unmapped device, and to a mapped device before MAPTI: nothing
 *   - MAPTI then INT: the LPI arrives, at its configured priority (RPR)
 *   - GITS_TRANSLATER writes (DeviceID 0, as a core's write carries no
 *     requester ID), 32- and 16-bit
 *   - MAPI (pINTID = EventID)
 *   - two LPIs and an SPI at different priorities arrive in priority order
 *   - an LPI disabled in the configuration table stays pending until it is
 *     enabled and INV is sent; INVALL does the same for a collection
 *   - CLEAR removes a pending LPI; DISCARD removes the mapping too
 *   - MOVI moves an event (and its pending LPI) to core 1's collection;
 *     MOVALL moves every pending LPI of core 0 to core 1, which acknowledges
 *     (INV goes to the redistributor of the event's collection, which may
 *     cache: QEMU recomputes only that one, so the program never relies on
 *     an INV reaching another core)
 *   - an LPI taken as an IRQ exception
 *
 * Core 1 only wakes its redistributor, enables LPIs and then, each time core
 * 0 asks, drains ICC_IAR1_EL1 and reports what it acknowledged.  Only core 0
 * prints.  No table entry is printed: their formats are IMPLEMENTATION
 * DEFINED.
 */
#include "rt.h"

#define GITS_BASE 0x08080000UL
#define GITS(o) (GITS_BASE + (o))
#define GITS_CTLR 0x0
#define GITS_IIDR 0x4
#define GITS_TYPER 0x8
#define GITS_CBASER 0x80
#define GITS_CWRITER 0x88
#define GITS_CREADR 0x90
#define GITS_BASER(n) (0x100 + 8 * (n))
#define GITS_TRANSLATER 0x10040

#define GICR_CTLR 0x0
#define GICR_TYPER 0x8
#define GICR_PROPBASER 0x70
#define GICR_PENDBASER 0x78

#define LPI(n) (8192u + (n))
#define ID_BITS 16

static volatile uint8_t prop_table[(1u << ID_BITS) - 8192] __attribute__((aligned(4096)));
/* pending tables: 64 KiB aligned (GICR_PENDBASER.Physical_Address is bits [51:16]) */
static volatile uint8_t pend0[1u << (ID_BITS - 3)] __attribute__((aligned(65536)));
static volatile uint8_t pend1[1u << (ID_BITS - 3)] __attribute__((aligned(65536)));
static volatile uint8_t *const pend_table[2] = {pend0, pend1};
static volatile uint64_t dev_table[512] __attribute__((aligned(4096)));
static volatile uint64_t coll_table[512] __attribute__((aligned(4096)));
static volatile uint64_t cmd_queue[128 * 4] __attribute__((aligned(4096)));
/* ITTs: device 0 and 1 with 32 events, device 2 with 2^14 events (for MAPI) */
static volatile uint8_t itt0[32 * 16] __attribute__((aligned(256)));
static volatile uint8_t itt1[32 * 16] __attribute__((aligned(256)));
static volatile uint8_t itt2[16384 * 16] __attribute__((aligned(256)));

static unsigned cq_wr; /* next command slot */
static int fail;

static inline void mmio_write64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

/* ------------------------------------------------------------- commands */

static void cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
    volatile uint64_t *c = &cmd_queue[cq_wr * 4];
    c[0] = d0;
    c[1] = d1;
    c[2] = d2;
    c[3] = d3;
    cq_wr = (cq_wr + 1) % 128;
}

/* hand the queued commands to the ITS and wait until it has read them */
static void submit(void)
{
    dsb(sy);
    mmio_write64(GITS(GITS_CWRITER), (uint64_t)cq_wr * 32);
    for (int i = 0; i < 1000000; i++)
        if ((mmio_read64(GITS(GITS_CREADR)) & ~1ull) == (uint64_t)cq_wr * 32)
            return;
    kprintf("  command queue did not drain: CREADR %lx\n", mmio_read64(GITS(GITS_CREADR)));
    fail = 1;
}

static void c_mapd(uint32_t dev, unsigned size, const volatile void *itt, int valid)
{
    cmd(0x08 | ((uint64_t)dev << 32), size - 1, (uint64_t)itt | ((uint64_t)valid << 63), 0);
}
static void c_mapc(unsigned icid, unsigned rd)
{
    cmd(0x09, 0, icid | ((uint64_t)rd << 16) | (1ull << 63), 0);
}
static void c_mapti(uint32_t dev, uint32_t ev, uint32_t intid, unsigned icid)
{
    cmd(0x0a | ((uint64_t)dev << 32), ev | ((uint64_t)intid << 32), icid, 0);
}
static void c_mapi(uint32_t dev, uint32_t ev, unsigned icid) { cmd(0x0b | ((uint64_t)dev << 32), ev, icid, 0); }
static void c_ev(unsigned op, uint32_t dev, uint32_t ev) { cmd(op | ((uint64_t)dev << 32), ev, 0, 0); }
#define c_int(d, e) c_ev(0x03, d, e)
#define c_clear(d, e) c_ev(0x04, d, e)
#define c_inv(d, e) c_ev(0x0c, d, e)
#define c_discard(d, e) c_ev(0x0f, d, e)
static void c_movi(uint32_t dev, uint32_t ev, unsigned icid) { cmd(0x01 | ((uint64_t)dev << 32), ev, icid, 0); }
static void c_invall(unsigned icid) { cmd(0x0d, 0, icid, 0); }
static void c_sync(unsigned rd) { cmd(0x05, 0, (uint64_t)rd << 16, 0); }
static void c_movall(unsigned from, unsigned to) { cmd(0x0e, 0, (uint64_t)from << 16, (uint64_t)to << 16); }

/* ------------------------------------------------------------ CPU side */

static uint32_t iar(void) { return (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff; }
static void eoi(uint32_t id) { write_sysreg(ICC_EOIR1_EL1, id); isb(); }

/* acknowledge everything pending on this core (IRQs masked), in order */
static int drain(uint32_t *ids, int max)
{
    int n = 0;
    for (;;) {
        uint32_t id = iar();
        if (id >= 1020 && id <= 1023) /* special INTIDs; LPIs are 8192 up */
            return n;
        if (n < max)
            ids[n] = id;
        n++;
        eoi(id);
    }
}

#define CHECK(what, got, want)                                              \
    do {                                                                    \
        uint64_t g_ = (got), w_ = (want);                                   \
        kprintf("  %-48s %lx%s\n", what, g_, g_ == w_ ? "" : "  (unexpected)"); \
        if (g_ != w_)                                                       \
            fail = 1;                                                       \
    } while (0)

static void expect_ids(const char *what, const uint32_t *want, int nwant)
{
    uint32_t got[8];
    int n = drain(got, 8);
    kprintf("  %-48s", what);
    for (int i = 0; i < n && i < 8; i++)
        kprintf(" %u", got[i]);
    if (n == 0)
        kprintf(" none");
    int ok = n == nwant;
    for (int i = 0; ok && i < n; i++)
        ok = got[i] == want[i];
    kprintf("%s\n", ok ? "" : "  (unexpected)");
    if (!ok)
        fail = 1;
}
#define EXPECT(what, ...)                                                   \
    do {                                                                    \
        static const uint32_t w_[] = {__VA_ARGS__};                         \
        expect_ids(what, w_, (int)(sizeof w_ / sizeof w_[0]));              \
    } while (0)
#define EXPECT_NONE(what) expect_ids(what, 0, 0)

/* ------------------------------------------------------------- core 1 */

static volatile uint32_t req, done;
static volatile uint32_t got1[8];
static volatile uint32_t ngot1;
static volatile uint32_t lpi_irqs;
static volatile uint32_t lpi_irq_id;

static void lpi_setup(int me)
{
    uint64_t rd = gic_redist();
    mmio_write64(rd + GICR_PROPBASER, (uint64_t)prop_table | (ID_BITS - 1));
    mmio_write64(rd + GICR_PENDBASER, (uint64_t)pend_table[me]);
    mmio_write32(rd + GICR_CTLR, 1); /* EnableLPIs */
    dsb(sy);
}

static void secondary(int me)
{
    gic_cpu_init();
    lpi_setup(me);
    atomic_add32(&done, 1);
    for (uint32_t seen = 1;; seen++) {
        wait_ge32(&req, seen);
        uint32_t ids[8];
        int n = drain(ids, 8);
        for (int i = 0; i < n && i < 8; i++)
            got1[i] = ids[i];
        ngot1 = (uint32_t)n;
        dmb(sy);
        atomic_add32(&done, 1);
    }
}

/* ask core 1 to acknowledge what is pending there; returns how many */
static void core1_drain(const char *what, uint32_t want)
{
    uint32_t d = done;
    atomic_add32(&req, 1);
    sev();
    wait_ge32(&done, d + 1);
    kprintf("  %-48s", what);
    for (uint32_t i = 0; i < ngot1 && i < 8; i++)
        kprintf(" %u", got1[i]);
    if (ngot1 == 0)
        kprintf(" none");
    int ok = want == 0 ? ngot1 == 0 : ngot1 == 1 && got1[0] == want;
    kprintf("%s\n", ok ? "" : "  (unexpected)");
    if (!ok)
        fail = 1;
}

static void irq(struct frame *f)
{
    (void)f;
    uint32_t id = iar();
    if (id < 1020 || id > 1023) {
        lpi_irq_id = id;
        lpi_irqs++;
        eoi(id);
    }
}

/* ---------------------------------------------------------------- main */

static void set_lpi(unsigned n, uint8_t cfg)
{
    prop_table[n] = cfg;
    dsb(sy);
}

int main(void)
{
    if (rt_init() != 0)
        return 1;
    kprintf("its: %d cores\n", ncores);
    if (ncores < 2) {
        kprintf("its: needs 2 cores\n");
        return 1;
    }
    gic_dist_init();
    uint64_t rd0 = gic_cpu_init();

    kprintf("identification and reset values:\n");
    CHECK("GICD_TYPER.LPIS", (mmio_read32(GICD_BASE + 4) >> 17) & 1, 1);
    CHECK("GICD_TYPER.IDbits", (mmio_read32(GICD_BASE + 4) >> 19) & 0x1f, 15);
    CHECK("GICR_TYPER.PLPIS", mmio_read64(rd0 + GICR_TYPER) & 1, 1);
    CHECK("GICR_CTLR (CES: EnableLPIs can be cleared)", mmio_read32(rd0 + GICR_CTLR), 2);
    kprintf("  GITS_CTLR %x IIDR %x TYPER %lx\n", mmio_read32(GITS(GITS_CTLR)), mmio_read32(GITS(GITS_IIDR)),
            mmio_read64(GITS(GITS_TYPER)));
    kprintf("  GITS_PIDR0 %x PIDR2 %x CIDR0 %x\n", mmio_read32(GITS(0xffe0)), mmio_read32(GITS(0xffe8)),
            mmio_read32(GITS(0xfff0)));
    for (int n = 0; n < 8; n++)
        kprintf("  GITS_BASER%d %lx\n", n, mmio_read64(GITS(GITS_BASER(n))));
    kprintf("  GITS_CBASER %lx CWRITER %lx CREADR %lx\n", mmio_read64(GITS(GITS_CBASER)),
            mmio_read64(GITS(GITS_CWRITER)), mmio_read64(GITS(GITS_CREADR)));

    /* LPI 0-15 at priority 0xa0, enabled (priority in bits [7:2]) */
    for (unsigned n = 0; n < 16; n++)
        prop_table[n] = 0xa0 | 1;
    lpi_setup(0);
    CHECK("GICR_CTLR after EnableLPIs", mmio_read32(rd0 + GICR_CTLR), 3);
    CHECK("GICR_PROPBASER", mmio_read64(rd0 + GICR_PROPBASER), (uint64_t)prop_table | (ID_BITS - 1));

    /* tables: flat, 4 KiB pages, one page each; BASER<n>.Type/Entry_Size are read-only */
    mmio_write64(GITS(GITS_BASER(0)), (1ull << 63) | (7ull << 48) | (1ull << 56) | (uint64_t)dev_table | (0ull << 8));
    mmio_write64(GITS(GITS_BASER(1)), (1ull << 63) | (7ull << 48) | (4ull << 56) | (uint64_t)coll_table | (0ull << 8));
    mmio_write64(GITS(GITS_BASER(2)), (1ull << 63) | 0x12345000ull);
    mmio_write64(GITS(GITS_BASER(0)) + 0, mmio_read64(GITS(GITS_BASER(0))) | (0x1full << 48)); /* try Entry_Size */
    mmio_write64(GITS(GITS_CBASER), (1ull << 63) | (uint64_t)cmd_queue | 0 /* 1 page */);
    for (int n = 0; n < 3; n++)
        kprintf("  GITS_BASER%d after writing %lx\n", n, mmio_read64(GITS(GITS_BASER(n))));
    kprintf("  GITS_CBASER after writing %lx\n", mmio_read64(GITS(GITS_CBASER)));
    mmio_write64(GITS(GITS_CWRITER), 0);
    mmio_write32(GITS(GITS_CTLR), 1);
    CHECK("GITS_CTLR after enabling", mmio_read32(GITS(GITS_CTLR)), 0x80000001);

    start_all(secondary);
    wait_ge32(&done, 1);

    kprintf("mapping and INT:\n");
    c_int(1, 0);
    c_sync(0);
    submit();
    EXPECT_NONE("INT to an unmapped device");
    c_mapc(0, 0);
    c_mapc(1, 1);
    c_mapd(1, 5, itt1, 1);
    c_int(1, 0);
    c_sync(0);
    submit();
    EXPECT_NONE("INT before MAPTI");
    c_mapti(1, 0, LPI(0), 0);
    c_mapti(1, 1, LPI(1), 0);
    c_mapti(1, 40, LPI(2), 0); /* EventID beyond the device's 32: ignored */
    c_mapti(1, 2, 100, 0);     /* not an LPI: ignored */
    c_int(1, 0);
    submit();
    CHECK("HPPIR1", read_sysreg(ICC_HPPIR1_EL1) & 0xffffff, LPI(0));
    uint32_t id = iar();
    CHECK("IAR1", id, LPI(0));
    CHECK("RPR with the LPI acknowledged", read_sysreg(ICC_RPR_EL1), 0xa0);
    CHECK("IAR1 again (LPIs have no active state)", iar(), 1023);
    eoi(id);
    CHECK("RPR after EOI", read_sysreg(ICC_RPR_EL1), 0xff);
    c_int(1, 40);
    c_int(1, 2);
    submit();
    EXPECT_NONE("INT of the ignored MAPTIs");
    kprintf("  CREADR %lx\n", mmio_read64(GITS(GITS_CREADR)));

    kprintf("GITS_TRANSLATER (DeviceID 0):\n");
    c_mapd(0, 5, itt0, 1);
    c_mapti(0, 3, LPI(3), 0);
    c_mapti(0, 4, LPI(4), 0);
    submit();
    mmio_write32(GITS(GITS_TRANSLATER), 3);
    dsb(sy);
    EXPECT("32-bit write of EventID 3", LPI(3));
    *(volatile uint16_t *)GITS(GITS_TRANSLATER) = 4;
    dsb(sy);
    EXPECT("16-bit write of EventID 4", LPI(4));
    mmio_write32(GITS(GITS_TRANSLATER), 5);
    dsb(sy);
    EXPECT_NONE("unmapped EventID 5");

    kprintf("MAPI:\n");
    c_mapd(2, 14, itt2, 1);
    c_mapi(2, LPI(5), 0);
    c_mapi(2, 7, 0); /* pINTID 7: not an LPI, ignored */
    c_int(2, LPI(5));
    c_int(2, 7);
    submit();
    EXPECT("INT of the MAPI event", LPI(5));

    kprintf("priorities:\n");
    set_lpi(6, 0x90 | 1);
    set_lpi(7, 0xc0 | 1);
    c_mapti(1, 6, LPI(6), 0);
    c_mapti(1, 7, LPI(7), 0);
    c_inv(1, 6);
    c_inv(1, 7);
    c_int(1, 7);
    c_int(1, 0);
    c_int(1, 6);
    submit();
    /* SPI 40 at 0xb0 to core 0, pending by ISPENDR */
    *(volatile uint8_t *)(GICD_BASE + 0x400 + 40) = 0xb0;
    mmio_write32(GICD_BASE + 0x80 + 4, 1u << 8);   /* IGROUPR1: group 1 */
    mmio_write64(GICD_BASE + 0x6000 + 8 * 40, 0); /* IROUTER: core 0 */
    mmio_write32(GICD_BASE + 0x100 + 4, 1u << 8);  /* ISENABLER1 */
    mmio_write32(GICD_BASE + 0x200 + 4, 1u << 8);  /* ISPENDR1 */
    dsb(sy);
    EXPECT("LPIs at 0x90, 0xa0, 0xc0 and SPI 40 at 0xb0", LPI(6), LPI(0), 40, LPI(7));
    set_lpi(0, 0xa0 | 1);
    set_lpi(1, 0xa0 | 1);
    c_int(1, 1);
    c_int(1, 0);
    submit();
    EXPECT("equal priorities: lowest INTID first", LPI(0), LPI(1));

    kprintf("configuration and INV/INVALL:\n");
    set_lpi(0, 0xa0); /* disabled */
    c_inv(1, 0);
    c_int(1, 0);
    submit();
    EXPECT_NONE("INT of a disabled LPI");
    CHECK("its pending bit", (pend_table[0][LPI(0) / 8] >> (LPI(0) % 8)) & 1, 1);
    set_lpi(0, 0xa0 | 1);
    c_inv(1, 0);
    submit();
    EXPECT("enabled, then INV", LPI(0));
    CHECK("its pending bit after acknowledge", (pend_table[0][LPI(0) / 8] >> (LPI(0) % 8)) & 1, 0);
    set_lpi(1, 0xa0);
    c_invall(0);
    c_int(1, 1);
    submit();
    EXPECT_NONE("INT of a disabled LPI");
    set_lpi(1, 0xa0 | 1);
    c_invall(0);
    submit();
    EXPECT("enabled, then INVALL", LPI(1));

    kprintf("CLEAR and DISCARD:\n");
    set_lpi(0, 0xa0);
    c_inv(1, 0);
    c_int(1, 0);
    c_clear(1, 0);
    submit();
    set_lpi(0, 0xa0 | 1);
    c_inv(1, 0);
    submit();
    EXPECT_NONE("INT then CLEAR");
    c_int(1, 1);
    submit();
    EXPECT("INT still works after CLEAR of another event", LPI(1));
    c_discard(1, 0);
    c_int(1, 0);
    submit();
    EXPECT_NONE("INT after DISCARD");
    c_mapti(1, 0, LPI(0), 0);
    c_int(1, 0);
    submit();
    EXPECT("mapped again", LPI(0));

    kprintf("MOVI and MOVALL (collection 1 is core 1's):\n");
    set_lpi(3, 0xa0);
    c_inv(0, 3);
    mmio_write32(GITS(GITS_TRANSLATER), 3);
    dsb(sy);
    c_movi(0, 3, 1);
    c_sync(1);
    submit();
    set_lpi(3, 0xa0 | 1);
    c_inv(0, 3);
    submit();
    EXPECT_NONE("core 0 after MOVI");
    core1_drain("core 1 after MOVI", LPI(3));
    mmio_write32(GITS(GITS_TRANSLATER), 3);
    dsb(sy);
    core1_drain("core 1, EventID 3 translated again", LPI(3));
    EXPECT_NONE("core 0");
    /* pending on core 0 (IRQs masked there, so it stays pending), then moved */
    c_int(0, 4);
    c_movall(0, 1);
    c_sync(1);
    submit();
    EXPECT_NONE("core 0 after MOVALL");
    core1_drain("core 1 after MOVALL", LPI(4));
    core1_drain("core 1 again", 0);

    kprintf("as an IRQ exception:\n");
    rt_irq_handler = irq;
    c_int(1, 6);
    submit();
    irq_enable();
    for (int i = 0; i < 100000 && lpi_irqs == 0; i++)
        ;
    irq_disable();
    CHECK("IRQs taken", lpi_irqs, 1);
    CHECK("INTID", lpi_irq_id, LPI(6));
    CHECK("GITS_CREADR.Stalled", mmio_read64(GITS(GITS_CREADR)) & 1, 0);

    kprintf("its: %s\n", fail ? "FAIL" : "pass");
    return fail;
}
