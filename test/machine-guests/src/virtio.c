/*
 * virtio.c - the devices Linux uses on the virt board: the PL031 RTC and the
 * virtio-mmio transports with virtio-blk and virtio-rng (one core).
 *
 * Run with two drives and an entropy device, in this order (so QEMU gives them
 * the transports from the top: blk at 31, read-only blk at 30, rng at 29):
 *   QEMU:   -global virtio-mmio.force-legacy=false
 *           -drive file=disk0.img,format=raw,if=none,id=d0
 *           -device virtio-blk-device,drive=d0,serial=a64emu-disk0
 *           -drive file=disk1.img,format=raw,if=none,id=d1,readonly=on
 *           -device virtio-blk-device,drive=d1
 *           -device virtio-rng-device
 *   a64emu: --drive file=disk0.img,serial=a64emu-disk0
 *           --drive file=disk1.img,readonly=on --device virtio-rng-device
 * disk0.img is 128 sectors, byte i of it PATTERN(i); disk1.img 8 sectors of
 * PATTERN1(i) (test/machine-guests.test.ts and tools/build-machine-guests.sh
 * make them).
 *
 *   1. device tree: the 32 virtio,mmio nodes (address order, SPIs 16-47,
 *      edge), the pl031 node, /chosen's rng-seed and kaslr-seed sizes
 *   2. PL031: ID registers, RTCCR, a plausible date that ticks, RTCLR, the
 *      match interrupt (SPI 2) raised when the count reaches RTCMR, and at
 *      once when RTCMR equals the count; RTCIMSC masking, RTCICR
 *   3. every transport's MagicValue/Version/DeviceID/VendorID
 *   4. virtio-blk: feature negotiation, config space, reads (one buffer, split
 *      buffers, indirect descriptors), a write read back, FLUSH, GET_ID, errors
 *      (past the end, partial sector, unknown type, write to the read-only
 *      drive), interrupt suppression by VIRTQ_AVAIL_F_NO_INTERRUPT, and with
 *      EVENT_IDX by used_event (avail_event written back)
 *   5. virtio-rng: buffers filled to the byte
 * Only what QEMU and a64emu must agree on is printed: no times, no random
 * bytes, and no feature bits beyond those named.
 */
#include "rt.h"

#define RTC_BASE 0x09010000UL
#define RTC_INTID 34
#define VIRTIO_BASE 0x0a000000UL
#define VIRTIO_SIZE 0x200UL
#define VIRTIO_SPI0 48
#define PPI_VTIMER 27

#define PATTERN(i) ((uint8_t)(((i) * 7u + ((i) >> 9) * 13u + 1u) & 0xffu))
#define PATTERN1(i) ((uint8_t)(((i) * 5u + 0x5au) & 0xffu))
#define DISK0_SECTORS 128
#define DISK1_SECTORS 8

/* ------------------------------------------------------------ device tree */

#define FDT_ADDR 0x40000000UL

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
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

struct dtinfo {
    int nvirtio, virtio_in_order, virtio_spi_ok, virtio_edge, virtio_dma_coherent;
    uint64_t virtio_first, virtio_last, virtio_size;
    int rtc_found;
    uint64_t rtc_addr, rtc_size;
    uint32_t rtc_irq[3];
    int rtc_primecell, rtc_clock_names;
    uint32_t rng_seed_len, kaslr_seed_len;
};

/* Walk the top-level nodes of the device tree. */
static int dt_scan(struct dtinfo *d)
{
    const uint8_t *fdt = (const uint8_t *)FDT_ADDR;
    if (be32(fdt) != 0xd00dfeed)
        return -1;
    const uint8_t *st = fdt + be32(fdt + 8);
    const char *strs = (const char *)fdt + be32(fdt + 12);
    int depth = 0;
    uint32_t off = 0;
    /* the node being read (depth 2) */
    const char *compat = "";
    const char *name = "";
    uint64_t reg_addr = 0, reg_size = 0;
    uint32_t irq[3] = {0, 0, 0};
    int dma = 0, compat2 = 0, clkn = 0;
    memset(d, 0, sizeof(*d));
    d->virtio_in_order = d->virtio_spi_ok = d->virtio_edge = d->virtio_dma_coherent = 1;
    for (;;) {
        uint32_t tok = be32(st + off);
        off += 4;
        if (tok == 1) { /* BEGIN_NODE */
            const char *n = (const char *)st + off;
            off += ((uint32_t)strlen(n) + 1 + 3) & ~3u;
            depth++;
            if (depth == 2) {
                name = n;
                compat = "";
                reg_addr = reg_size = 0;
                irq[0] = irq[1] = irq[2] = 0;
                dma = compat2 = clkn = 0;
            }
        } else if (tok == 2) { /* END_NODE */
            if (depth == 2 && str_eq(compat, "virtio,mmio")) {
                if (d->nvirtio == 0)
                    d->virtio_first = reg_addr;
                else if (reg_addr != d->virtio_last + d->virtio_size)
                    d->virtio_in_order = 0;
                if (irq[0] != 0 || irq[1] != 16u + (uint32_t)d->nvirtio)
                    d->virtio_spi_ok = 0;
                if (irq[2] != 1)
                    d->virtio_edge = 0;
                if (!dma)
                    d->virtio_dma_coherent = 0;
                d->virtio_last = reg_addr;
                d->virtio_size = reg_size;
                d->nvirtio++;
            } else if (depth == 2 && str_eq(compat, "arm,pl031")) {
                d->rtc_found++;
                d->rtc_addr = reg_addr;
                d->rtc_size = reg_size;
                d->rtc_irq[0] = irq[0];
                d->rtc_irq[1] = irq[1];
                d->rtc_irq[2] = irq[2];
                d->rtc_primecell = compat2;
                d->rtc_clock_names = clkn;
            }
            depth--;
            if (depth == 0)
                break;
        } else if (tok == 3) { /* PROP */
            uint32_t len = be32(st + off);
            const char *p = strs + be32(st + off + 4);
            const uint8_t *v = st + off + 8;
            off += 8 + ((len + 3) & ~3u);
            if (depth == 2) {
                if (str_eq(p, "compatible")) {
                    compat = (const char *)v;
                    uint32_t l1 = (uint32_t)strlen(compat) + 1;
                    compat2 = l1 < len && str_eq((const char *)v + l1, "arm,primecell");
                } else if (str_eq(p, "reg") && len >= 16) {
                    reg_addr = ((uint64_t)be32(v) << 32) | be32(v + 4);
                    reg_size = ((uint64_t)be32(v + 8) << 32) | be32(v + 12);
                } else if (str_eq(p, "interrupts") && len >= 12) {
                    irq[0] = be32(v);
                    irq[1] = be32(v + 4);
                    irq[2] = be32(v + 8);
                } else if (str_eq(p, "dma-coherent")) {
                    dma = 1;
                } else if (str_eq(p, "clock-names")) {
                    clkn = str_eq((const char *)v, "apb_pclk");
                }
                if (str_eq(name, "chosen")) {
                    if (str_eq(p, "rng-seed"))
                        d->rng_seed_len = len;
                    else if (str_eq(p, "kaslr-seed"))
                        d->kaslr_seed_len = len;
                }
            }
        } else if (tok == 4) { /* NOP */
        } else {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------ interrupts, time */

static uint64_t frq;
static volatile uint32_t timed_out;
static volatile uint32_t rtc_irqs, rtc_ris_seen, rtc_mis_seen;
static volatile uint32_t virtio_irqs[32], virtio_isr_seen[32], other_irqs;

static void irq(struct frame *f)
{
    (void)f;
    for (;;) {
        uint64_t iar = read_sysreg(ICC_IAR1_EL1);
        uint32_t id = (uint32_t)iar & 0xffffff;
        if (id >= 1020)
            break;
        if (id == PPI_VTIMER) {
            write_sysreg(cntv_ctl_el0, 0);
            timed_out = 1;
        } else if (id == RTC_INTID) {
            rtc_irqs++;
            rtc_ris_seen = mmio_read32(RTC_BASE + 0x14);
            rtc_mis_seen = mmio_read32(RTC_BASE + 0x18);
            mmio_write32(RTC_BASE + 0x1c, 1); /* RTCICR */
        } else if (id >= VIRTIO_SPI0 && id < VIRTIO_SPI0 + 32) {
            uint64_t t = VIRTIO_BASE + (id - VIRTIO_SPI0) * VIRTIO_SIZE;
            uint32_t isr = mmio_read32(t + 0x60);
            virtio_irqs[id - VIRTIO_SPI0]++;
            virtio_isr_seen[id - VIRTIO_SPI0] |= isr;
            mmio_write32(t + 0x64, isr); /* InterruptACK */
        } else {
            other_irqs++;
        }
        isb();
        write_sysreg(ICC_EOIR1_EL1, iar);
        isb();
    }
}

/* Arm the virtual timer to fire (and set timed_out) after ms milliseconds. */
static void timeout_start(uint64_t ms)
{
    timed_out = 0;
    write_sysreg(cntv_tval_el0, ms * frq / 1000);
    write_sysreg(cntv_ctl_el0, 1);
    isb();
}

static void timeout_stop(void)
{
    write_sysreg(cntv_ctl_el0, 0);
    isb();
}

/* Sleep until *flag changes from old or ms pass; WFI with IRQs masked and then
 * unmasked so that an interrupt between the test and the WFI is not missed.
 * Returns 1 if the flag changed. */
static int wait_change(volatile uint32_t *flag, uint32_t old, uint64_t ms)
{
    timeout_start(ms);
    for (;;) {
        irq_disable();
        if (*flag != old || timed_out)
            break;
        wfi();
        irq_enable();
    }
    irq_enable();
    timeout_stop();
    return *flag != old;
}

static void sleep_ms(uint64_t ms)
{
    static volatile uint32_t never;
    wait_change(&never, 0, ms);
}

static void gic_spi_enable(uint32_t id)
{
    mmio_write32(GICD_BASE + 0x80 + 4 * (id / 32), mmio_read32(GICD_BASE + 0x80 + 4 * (id / 32)) | (1u << (id % 32)));
    *(volatile uint8_t *)(GICD_BASE + 0x400 + id) = 0x80; /* IPRIORITYR */
    *(volatile uint64_t *)(GICD_BASE + 0x6000 + 8 * (uint64_t)id) = 0; /* IROUTER: core 0 */
    mmio_write32(GICD_BASE + 0x100 + 4 * (id / 32), 1u << (id % 32)); /* ISENABLER */
}

/* ------------------------------------------------------------------ RTC */

static int rtc_test(void)
{
    int ok = 1;
    uint32_t id[8];
    for (int k = 0; k < 8; k++)
        id[k] = mmio_read32(RTC_BASE + 0xfe0 + 4 * (uint64_t)k);
    kprintf("rtc: PeriphID %02x %02x %02x %02x PCellID %02x %02x %02x %02x, RTCCR %u\n", id[0], id[1], id[2],
            id[3], id[4], id[5], id[6], id[7], mmio_read32(RTC_BASE + 0xc));

    /* a date between 2020 and 2100 that ticks within 1.5 s */
    uint32_t t0 = mmio_read32(RTC_BASE + 0x0);
    int plausible = t0 >= 1577836800u && t0 < 4102444800u;
    sleep_ms(1500);
    uint32_t d = mmio_read32(RTC_BASE + 0x0) - t0;
    int ticks = d >= 1 && d <= 2;
    kprintf("rtc: date plausible %d, ticking %d\n", plausible, ticks);
    ok &= plausible & ticks;

    /* RTCLR moves the count and reads back */
    mmio_write32(RTC_BASE + 0x8, 1000000000u);
    uint32_t c = mmio_read32(RTC_BASE + 0x0);
    int loaded = c - 1000000000u <= 1;
    kprintf("rtc: load: RTCLR reads %u, count follows %d\n", mmio_read32(RTC_BASE + 0x8), loaded);
    ok &= loaded;

    /* the match interrupt */
    rtc_irqs = 0;
    gic_spi_enable(RTC_INTID);
    mmio_write32(RTC_BASE + 0x1c, 1);
    mmio_write32(RTC_BASE + 0x10, 1); /* RTCIMSC */
    mmio_write32(RTC_BASE + 0x4, mmio_read32(RTC_BASE + 0x0) + 2);
    uint32_t ris_before = mmio_read32(RTC_BASE + 0x14);
    int got = wait_change(&rtc_irqs, 0, 4000);
    kprintf("rtc: match in 2 s: RIS before %u, interrupt %d (RIS %u MIS %u), RIS after RTCICR %u\n", ris_before,
            got, rtc_ris_seen, rtc_mis_seen, mmio_read32(RTC_BASE + 0x14));
    ok &= got && ris_before == 0;

    /* masked: RTCMR = count raises RIS at once, MIS stays 0, no interrupt */
    mmio_write32(RTC_BASE + 0x10, 0);
    uint32_t n = rtc_irqs;
    mmio_write32(RTC_BASE + 0x4, mmio_read32(RTC_BASE + 0x0));
    uint32_t ris = mmio_read32(RTC_BASE + 0x14), mis = mmio_read32(RTC_BASE + 0x18);
    sleep_ms(10);
    kprintf("rtc: RTCMR = count, masked: RIS %u MIS %u, interrupts %u, RTCIMSC %u\n", ris, mis, rtc_irqs - n,
            mmio_read32(RTC_BASE + 0x10));
    ok &= ris == 1 && mis == 0 && rtc_irqs == n;
    /* unmasking it delivers it */
    mmio_write32(RTC_BASE + 0x10, 1);
    got = wait_change(&rtc_irqs, n, 1000);
    kprintf("rtc: unmasked: interrupt %d, RIS %u\n", got, mmio_read32(RTC_BASE + 0x14));
    ok &= got;
    mmio_write32(RTC_BASE + 0x10, 0);
    return ok;
}

/* --------------------------------------------------------------- virtio */

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_VENDOR_ID 0x00c
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080
#define R_QUEUE_DRIVER 0x090
#define R_QUEUE_DEVICE 0x0a0
#define R_CONFIG 0x100

#define S_ACK 1u
#define S_DRIVER 2u
#define S_DRIVER_OK 4u
#define S_FEATURES_OK 8u

#define F_INDIRECT 28
#define F_EVENT_IDX 29
#define F_VERSION_1 32
#define BLK_F_SEG_MAX 2
#define BLK_F_RO 5
#define BLK_F_BLK_SIZE 6
#define BLK_F_FLUSH 9

#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

#define QSZ 8

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct vq {
    struct desc d[QSZ] __attribute__((aligned(16)));
    struct {
        volatile uint16_t flags, idx, ring[QSZ], used_event;
    } avail __attribute__((aligned(4)));
    struct {
        volatile uint16_t flags, idx;
        struct {
            volatile uint32_t id, len;
        } ring[QSZ];
        volatile uint16_t avail_event;
    } used __attribute__((aligned(4096)));
    uint64_t base;
    int slot;
    uint16_t last_used;
};

static struct vq vqs[3] __attribute__((aligned(4096)));
static struct desc indirect_table[4] __attribute__((aligned(16)));

static uint64_t transport(int slot) { return VIRTIO_BASE + (uint64_t)slot * VIRTIO_SIZE; }

static uint64_t features(uint64_t t)
{
    mmio_write32(t + R_DEV_FEATURES_SEL, 1);
    uint64_t hi = mmio_read32(t + R_DEV_FEATURES);
    mmio_write32(t + R_DEV_FEATURES_SEL, 0);
    return (hi << 32) | mmio_read32(t + R_DEV_FEATURES);
}

#define BIT(n) (1ULL << (n))
#define HAS(f, n) ((unsigned)(((f) >> (n)) & 1))

/* Reset, negotiate `want` (of what is offered), set up queue 0. Returns the
 * status read back after FEATURES_OK. */
static uint32_t vq_init(struct vq *q, int slot, uint64_t want)
{
    uint64_t t = transport(slot);
    q->base = t;
    q->slot = slot;
    memset(q->d, 0, sizeof(q->d));
    q->avail.flags = q->avail.idx = q->avail.used_event = 0;
    q->used.flags = q->used.idx = q->used.avail_event = 0;
    q->last_used = 0;
    mmio_write32(t + R_STATUS, 0);
    mmio_write32(t + R_STATUS, S_ACK);
    mmio_write32(t + R_STATUS, S_ACK | S_DRIVER);
    uint64_t f = features(t) & want;
    mmio_write32(t + R_DRV_FEATURES_SEL, 0);
    mmio_write32(t + R_DRV_FEATURES, (uint32_t)f);
    mmio_write32(t + R_DRV_FEATURES_SEL, 1);
    mmio_write32(t + R_DRV_FEATURES, (uint32_t)(f >> 32));
    mmio_write32(t + R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    uint32_t st = mmio_read32(t + R_STATUS);
    mmio_write32(t + R_QUEUE_SEL, 0);
    mmio_write32(t + R_QUEUE_NUM, QSZ);
    uint64_t a = (uint64_t)(uintptr_t)q->d, b = (uint64_t)(uintptr_t)&q->avail, c = (uint64_t)(uintptr_t)&q->used;
    mmio_write32(t + R_QUEUE_DESC, (uint32_t)a);
    mmio_write32(t + R_QUEUE_DESC + 4, (uint32_t)(a >> 32));
    mmio_write32(t + R_QUEUE_DRIVER, (uint32_t)b);
    mmio_write32(t + R_QUEUE_DRIVER + 4, (uint32_t)(b >> 32));
    mmio_write32(t + R_QUEUE_DEVICE, (uint32_t)c);
    mmio_write32(t + R_QUEUE_DEVICE + 4, (uint32_t)(c >> 32));
    mmio_write32(t + R_QUEUE_READY, 1);
    mmio_write32(t + R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    gic_spi_enable(VIRTIO_SPI0 + (uint32_t)slot);
    return st;
}

static uint32_t used_idx_word;

/* Make chain `head` available and notify; wait for the device to use it (by
 * interrupt, or by polling if `poll`). Returns the used length, or -1 if the
 * device did not answer within 2 s. */
static int64_t vq_submit(struct vq *q, uint16_t head, int poll)
{
    q->avail.ring[q->avail.idx % QSZ] = head;
    dsb(sy);
    q->avail.idx = (uint16_t)(q->avail.idx + 1);
    dsb(sy);
    mmio_write32(q->base + R_QUEUE_NOTIFY, 0);
    if (poll) {
        for (int k = 0; k < 200 && q->used.idx == q->last_used; k++)
            sleep_ms(10);
    } else {
        timeout_start(2000);
        for (;;) {
            irq_disable();
            if (q->used.idx != q->last_used || timed_out)
                break;
            wfi();
            irq_enable();
        }
        irq_enable();
        timeout_stop();
    }
    if (q->used.idx == q->last_used)
        return -1;
    dsb(sy);
    uint32_t len = q->used.ring[q->last_used % QSZ].len;
    q->last_used = (uint16_t)(q->last_used + 1);
    used_idx_word = q->used.ring[(q->last_used - 1) % QSZ].id;
    return len;
}

static void setd(struct desc *d, int i, const void *p, uint32_t len, uint16_t flags, uint16_t next)
{
    d[i].addr = (uint64_t)(uintptr_t)p;
    d[i].len = len;
    d[i].flags = flags;
    d[i].next = next;
}

struct blk_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};

static struct blk_hdr hdr;
static volatile uint8_t status;
static uint8_t buf[4096] __attribute__((aligned(16)));
static uint8_t buf2[4096] __attribute__((aligned(16)));

/* A request in three descriptors: header, data (written by the device if
 * `in`), status. Returns the used length; *st = the status byte. */
static int64_t blk_req(struct vq *q, uint32_t type, uint64_t sector, void *data, uint32_t len, int in, int poll)
{
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xff;
    setd(q->d, 0, &hdr, sizeof(hdr), D_NEXT, 1);
    if (len) {
        setd(q->d, 1, data, len, (uint16_t)(D_NEXT | (in ? D_WRITE : 0)), 2);
        setd(q->d, 2, (const void *)&status, 1, D_WRITE, 0);
    } else {
        setd(q->d, 1, (const void *)&status, 1, D_WRITE, 0);
    }
    return vq_submit(q, 0, poll);
}

static int check_pattern(const uint8_t *p, uint32_t first_byte, uint32_t len)
{
    for (uint32_t k = 0; k < len; k++)
        if (p[k] != PATTERN(first_byte + k))
            return 0;
    return 1;
}

static int blk_test(int slot)
{
    int ok = 1;
    struct vq *q = &vqs[0];
    uint64_t t = transport(slot);
    uint64_t f = features(t);
    kprintf("blk: slot %d: VERSION_1 %u INDIRECT_DESC %u EVENT_IDX %u SEG_MAX %u BLK_SIZE %u FLUSH %u RO %u\n", slot,
            HAS(f, F_VERSION_1), HAS(f, F_INDIRECT), HAS(f, F_EVENT_IDX), HAS(f, BLK_F_SEG_MAX), HAS(f, BLK_F_BLK_SIZE),
            HAS(f, BLK_F_FLUSH), HAS(f, BLK_F_RO));
    uint32_t st = vq_init(q, slot, BIT(F_VERSION_1) | BIT(F_INDIRECT) | BIT(BLK_F_SEG_MAX) | BIT(BLK_F_BLK_SIZE) |
                                       BIT(BLK_F_FLUSH));
    uint64_t cap = mmio_read32(t + R_CONFIG) | ((uint64_t)mmio_read32(t + R_CONFIG + 4) << 32);
    kprintf("blk: status after FEATURES_OK %x, capacity %lu sectors, seg_max %u, blk_size %u, config byte 0 %u\n", st,
            cap, mmio_read32(t + R_CONFIG + 12), mmio_read32(t + R_CONFIG + 20),
            *(volatile uint8_t *)(t + R_CONFIG));
    mmio_write32(t + R_QUEUE_SEL, 1);
    uint32_t max1 = mmio_read32(t + R_QUEUE_NUM_MAX);
    mmio_write32(t + R_QUEUE_SEL, 0);
    kprintf("blk: queue 0 ready %u, queue 1 max %u\n", mmio_read32(t + R_QUEUE_READY), max1);

    /* read 4 sectors from sector 2 */
    memset(buf, 0, sizeof(buf));
    int64_t len = blk_req(q, 0, 2, buf, 2048, 1, 0);
    int pat = check_pattern(buf, 2 * 512, 2048);
    kprintf("blk: read 4 sectors at 2: used len %ld, status %u, data matches %d, interrupts %u isr %u\n", len, status,
            pat, virtio_irqs[slot], virtio_isr_seen[slot]);
    ok &= len == 2049 && status == 0 && pat;

    /* the original sector 5, then a write and a read back */
    len = blk_req(q, 0, 5, buf, 512, 1, 0);
    pat = check_pattern(buf, 5 * 512, 512);
    for (int k = 0; k < 512; k++)
        buf2[k] = (uint8_t)(k ^ 0xa5);
    int64_t wlen = blk_req(q, 1, 5, buf2, 512, 0, 0);
    uint8_t wst = status;
    memset(buf, 0, 512);
    int64_t rlen = blk_req(q, 0, 5, buf, 512, 1, 0);
    int same = memcmp(buf, buf2, 512) == 0;
    kprintf("blk: sector 5 was the pattern %d (len %ld); write: used len %ld status %u; read back: len %ld same %d\n",
            pat, len, wlen, wst, rlen, same);
    ok &= pat && wlen == 1 && wst == 0 && rlen == 513 && same;

    /* a read split over three data descriptors of 100, 412 and 512 bytes,
     * with the status byte in the same buffer as the last part */
    hdr.type = 0;
    hdr.sector = 8;
    static uint8_t tail[513];
    setd(q->d, 0, &hdr, sizeof(hdr), D_NEXT, 3);
    setd(q->d, 3, buf, 100, D_NEXT | D_WRITE, 5);
    setd(q->d, 5, buf + 100, 412, D_NEXT | D_WRITE, 7);
    setd(q->d, 7, tail, 513, D_WRITE, 0);
    tail[512] = 0xff;
    len = vq_submit(q, 0, 0);
    memcpy(buf + 512, tail, 512);
    pat = check_pattern(buf, 8 * 512, 1024);
    kprintf("blk: split read: used len %ld status %u data matches %d\n", len, tail[512], pat);
    ok &= len == 1025 && tail[512] == 0 && pat;

    /* indirect: header, 2 sectors, status in a table of 3 */
    hdr.type = 0;
    hdr.sector = 126;
    status = 0xff;
    setd(indirect_table, 0, &hdr, sizeof(hdr), D_NEXT, 1);
    setd(indirect_table, 1, buf, 1024, D_NEXT | D_WRITE, 2);
    setd(indirect_table, 2, (const void *)&status, 1, D_WRITE, 0);
    setd(q->d, 4, indirect_table, 3 * sizeof(struct desc), D_INDIRECT, 0);
    len = vq_submit(q, 4, 0);
    pat = check_pattern(buf, 126 * 512, 1024);
    kprintf("blk: indirect read of the last 2 sectors: used len %ld id %u status %u data matches %d\n", len,
            used_idx_word, status, pat);
    ok &= len == 1025 && used_idx_word == 4 && status == 0 && pat;

    /* flush, get id, errors */
    len = blk_req(q, 4, 0, 0, 0, 0, 0);
    kprintf("blk: flush: used len %ld status %u\n", len, status);
    ok &= len == 1 && status == 0;
    memset(buf, 0x77, 64);
    len = blk_req(q, 8, 0, buf, 20, 1, 0);
    kprintf("blk: get id: used len %ld status %u id '%s'\n", len, status, (const char *)buf);
    ok &= len == 21 && status == 0;
    len = blk_req(q, 0, 127, buf, 1024, 1, 0);
    kprintf("blk: read past the end: used len %ld status %u\n", len, status);
    ok &= status == 1;
    len = blk_req(q, 0, 0, buf, 100, 1, 0);
    kprintf("blk: read of 100 bytes: used len %ld status %u\n", len, status);
    ok &= status == 1;
    len = blk_req(q, 99, 0, buf, 512, 1, 0);
    kprintf("blk: type 99: used len %ld status %u\n", len, status);
    ok &= status == 2;

    /* no interrupt when the driver asks for none */
    uint32_t before = virtio_irqs[slot];
    q->avail.flags = 1;
    len = blk_req(q, 0, 1, buf, 512, 1, 1);
    sleep_ms(20);
    kprintf("blk: NO_INTERRUPT: used len %ld status %u, interrupts %u, InterruptStatus %u\n", len, status,
            virtio_irqs[slot] - before, mmio_read32(t + R_INT_STATUS));
    ok &= len == 513 && virtio_irqs[slot] == before;
    q->avail.flags = 0;
    return ok;
}

/* EVENT_IDX: used_event decides which used buffer interrupts. */
static int blk_event_idx_test(int slot)
{
    struct vq *q = &vqs[0];
    uint64_t t = transport(slot);
    uint32_t st = vq_init(q, slot, BIT(F_VERSION_1) | BIT(F_EVENT_IDX) | BIT(BLK_F_BLK_SIZE));
    uint32_t before = virtio_irqs[slot];
    /* used_event = 2: of the first two requests only the first interrupts
     * (QEMU always notifies the first used buffer after a reset), the third
     * does, as the used index passes 2 */
    q->avail.used_event = 2;
    int64_t l1 = blk_req(q, 0, 0, buf, 512, 1, 1);
    uint16_t ae1 = q->used.avail_event;
    int64_t l2 = blk_req(q, 0, 1, buf, 512, 1, 1);
    sleep_ms(20);
    uint32_t quiet = virtio_irqs[slot] - before;
    int64_t l3 = blk_req(q, 0, 2, buf, 512, 1, 0);
    kprintf("blk: EVENT_IDX: status %x, used len %ld %ld %ld, interrupts after 2: %u, after 3: %u, avail_event %u "
            "then %u\n",
            st, l1, l2, l3, quiet, virtio_irqs[slot] - before, ae1, q->used.avail_event);
    (void)t;
    return quiet == 1 && virtio_irqs[slot] - before == 2 && ae1 == 1 && q->used.avail_event == 3;
}

static int blk_ro_test(int slot)
{
    int ok = 1;
    struct vq *q = &vqs[1];
    uint64_t t = transport(slot);
    uint64_t f = features(t);
    vq_init(q, slot, BIT(F_VERSION_1) | BIT(BLK_F_RO) | BIT(BLK_F_BLK_SIZE));
    uint64_t cap = mmio_read32(t + R_CONFIG) | ((uint64_t)mmio_read32(t + R_CONFIG + 4) << 32);
    kprintf("blk ro: slot %d: RO %u, capacity %lu\n", slot, HAS(f, BLK_F_RO), cap);
    int64_t len = blk_req(q, 0, 7, buf, 512, 1, 0);
    int pat = 1;
    for (int k = 0; k < 512; k++)
        if (buf[k] != PATTERN1(7 * 512 + k))
            pat = 0;
    kprintf("blk ro: read sector 7: used len %ld status %u data matches %d\n", len, status, pat);
    ok &= len == 513 && status == 0 && pat && HAS(f, BLK_F_RO);
    len = blk_req(q, 1, 7, buf2, 512, 0, 0);
    kprintf("blk ro: write: used len %ld status %u\n", len, status);
    ok &= status == 1;
    return ok;
}

static int rng_test(int slot)
{
    struct vq *q = &vqs[2];
    uint32_t st = vq_init(q, slot, BIT(F_VERSION_1));
    memset(buf, 0, 64);
    setd(q->d, 0, buf, 64, D_WRITE, 0);
    int64_t l1 = vq_submit(q, 0, 0);
    memset(buf2, 0, 32);
    setd(q->d, 1, buf2, 16, D_WRITE | D_NEXT, 2);
    setd(q->d, 2, buf2 + 16, 16, D_WRITE, 0);
    int64_t l2 = vq_submit(q, 1, 0);
    int nz1 = 0, nz2 = 0;
    for (int k = 0; k < 64; k++)
        nz1 += buf[k] != 0;
    for (int k = 0; k < 32; k++)
        nz2 += buf2[k] != 0;
    kprintf("rng: slot %d: status %x, 64-byte buffer: used len %ld, 16+16 chain: used len %ld, mostly non-zero %d\n",
            slot, st, l1, l2, nz1 > 48 && nz2 > 24);
    return l1 == 64 && l2 == 32 && nz1 > 48 && nz2 > 24;
}

int main(void)
{
    int ok = 1;
    frq = read_sysreg(cntfrq_el0);
    rt_irq_handler = irq;
    gic_dist_init();
    uint64_t rd = gic_cpu_init();
    gic_enable_ppi_sgi(rd, 1u << PPI_VTIMER);

    struct dtinfo d;
    if (dt_scan(&d) != 0) {
        kprintf("virtio: no device tree\n");
        return 1;
    }
    kprintf("dt: %d virtio,mmio nodes from %lx to %lx, size %lx, address order %d, SPI 16+n %d, edge %d, "
            "dma-coherent %d\n",
            d.nvirtio, d.virtio_first, d.virtio_last, d.virtio_size, d.virtio_in_order, d.virtio_spi_ok,
            d.virtio_edge, d.virtio_dma_coherent);
    kprintf("dt: pl031 %d at %lx size %lx, interrupts <%u %u %u>, primecell %d, apb_pclk %d\n", d.rtc_found,
            d.rtc_addr, d.rtc_size, d.rtc_irq[0], d.rtc_irq[1], d.rtc_irq[2], d.rtc_primecell, d.rtc_clock_names);
    kprintf("dt: chosen rng-seed %u bytes, kaslr-seed %u bytes\n", d.rng_seed_len, d.kaslr_seed_len);
    ok &= d.nvirtio == 32 && d.virtio_in_order && d.rtc_found == 1;

    ok &= rtc_test();

    int blk = -1, blk_ro = -1, rng = -1, bad = 0;
    for (int s = 31; s >= 0; s--) {
        uint64_t t = transport(s);
        uint32_t id = mmio_read32(t + R_DEVICE_ID);
        if (mmio_read32(t + R_MAGIC) != 0x74726976u || mmio_read32(t + R_VERSION) != 2 ||
            mmio_read32(t + R_VENDOR_ID) != 0x554d4551u)
            bad++;
        if (id == 0)
            continue;
        kprintf("virtio: slot %d at %lx: device %u, queue 0 max %u\n", s, t, id,
                (mmio_write32(t + R_QUEUE_SEL, 0), mmio_read32(t + R_QUEUE_NUM_MAX)));
        if (id == 2 && blk < 0)
            blk = s;
        else if (id == 2)
            blk_ro = s;
        else if (id == 4)
            rng = s;
    }
    kprintf("virtio: transports with magic, version 2 and vendor QEMU: %d of 32\n", 32 - bad);
    ok &= bad == 0 && blk >= 0 && blk_ro >= 0 && rng >= 0;
    if (blk >= 0) {
        ok &= blk_test(blk);
        ok &= blk_event_idx_test(blk);
    }
    if (blk_ro >= 0)
        ok &= blk_ro_test(blk_ro);
    if (rng >= 0)
        ok &= rng_test(rng);
    kprintf("virtio: other interrupts %u\n", other_irqs);
    kprintf("virtio: %s\n", ok ? "pass" : "FAIL");
    return ok ? 0 : 1;
}
