/*
 * mmu.c - stage 1 translation for EL1&0: 4 KiB granule, 39-bit VAs
 * (T0SZ = T1SZ = 25, walks start at level 1), faults and TLB maintenance.
 *
 * TTBR0 maps the board identity (physical = virtual):
 *   L1[0]  0x0000_0000  1 GiB Device-nGnRnE block (GIC, UART)
 *   L1[1]  0x4000_0000  table -> L2 over RAM:
 *     L2[0]  DTB 2 MiB block; L2[1] the image, through an L3 table (text
 *            read-only at EL1 and EL0 and executable, data EL0/EL1 RW XN);
 *     L2[2]  scratch physical pages (EL1 RW, XN);
 *     L2[3]  0x4060_0000: the test pages, an L3 table (below);
 *     L2[4]  invalid; L2[5] block with AF = 0; L2[6] read-only block;
 *     L2[7..] the rest of RAM
 *   L1[2]  invalid
 *   L1[4]  0x1_0000_0000: a 1 GiB block aliasing RAM at 0x4000_0000
 * TTBR1 (0xffff_ff80_0000_0000 up): L1[0] invalid, L1[1] a 1 GiB block
 * aliasing RAM, L1[511] -> L2[511] -> L3[511]: the top page of the address
 * space, on a scratch page.
 *
 * It prints the syndromes (ESR, FAR, fault status) of translation faults at
 * levels 0-3, access flag faults (one repaired by setting AF and retrying),
 * permission faults (read-only, EL1-only through LDTR and from EL0,
 * execute-never, the implicit PXN of EL0-writable pages, WXN), alignment
 * faults, EL0 execute-only memory, and the values read through remapped
 * pages after each kind of TLBI -- only after the TLBI: whether a stale
 * translation is still seen before it is not architecturally defined (a TLB
 * may drop entries at any time).  Not tested: an unaligned access to Device
 * memory, which must take an alignment fault but does not on QEMU 7.2.  With more than one core, each other core
 * also reads a page core 0 remaps and invalidates with TLBI VAE1IS.
 */
#include "rt.h"

/* probes (mmu.S) */
uint64_t probe_ldr(uint64_t va);
uint64_t probe_ldtr(uint64_t va);
uint64_t probe_ldxr(uint64_t va);
void probe_str(uint64_t va, uint64_t v);
void probe_sttr(uint64_t va, uint64_t v);
void probe_exec(uint64_t va);

extern char __image_start[], __data_start[], __image_end[];

#define PG 4096ULL
#define TEST_BASE 0x40600000ULL /* L2[3]: the test pages */
#define SCRATCH 0x40400000ULL   /* L2[2]: scratch physical pages */
#define TEST(i) (TEST_BASE + (uint64_t)(i) * PG)
#define SCR(i) (SCRATCH + (uint64_t)(i) * PG)
#define ASID 5ULL

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l3_img[512] __attribute__((aligned(4096)));
static uint64_t l3_test[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));

#define NORMAL (PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
#define XN (PTE_UXN | PTE_PXN)
#define AP_EL1_RW 0ULL
#define AP_RW (PTE_AP_EL0)
#define AP_EL1_RO (PTE_AP_RO)
#define AP_RO (PTE_AP_RO | PTE_AP_EL0)

static const uint32_t RET = 0xd65f03c0u;

/* ------------------------------------------------------------ faults */

struct fault {
    uint64_t esr, far, elr, vector;
    int n; /* faults since the last clear */
};
static volatile struct fault last;
static volatile int probing, fix_af;
static int fails;

static void clear_fault(void)
{
    last.n = 0;
    last.esr = last.far = last.elr = last.vector = 0;
}

static void tlbi_va(uint64_t va)
{
    dsb(ishst);
    __asm__ volatile("tlbi vae1is, %0" :: "r"((va >> 12) | (ASID << 48)) : "memory");
    dsb(ish);
    isb();
}

static void sync_handler(struct frame *f)
{
    uint32_t ec = (uint32_t)ESR_EC(f->esr);
    if (ec == 0x15 && (f->vector >> 2) == VEC_LOWER64) { /* EL0 exit */
        rt_el0_exit(f, f->x[0]);
        return;
    }
    if (!probing) {
        kprintf("*** unexpected exception: esr %lx far %lx elr %lx vector %lu\n", f->esr, f->far,
                f->elr, f->vector);
        crt_exit(0x7f);
    }
    last.esr = f->esr;
    last.far = f->far;
    last.elr = f->elr;
    last.vector = f->vector;
    last.n++;
    uint32_t fsc = (uint32_t)f->esr & 0x3f;
    if ((ec == 0x25 || ec == 0x24) && fix_af && (fsc & 0x3c) == 0x08) {
        /* access flag fault on a test page: set AF and retry */
        uint64_t va = f->far & ~(PG - 1);
        if (va >= TEST_BASE && va < TEST_BASE + 512 * PG) {
            l3_test[(va - TEST_BASE) / PG] |= PTE_AF;
            tlbi_va(va);
            return;
        }
    }
    if (ec == 0x20 || ec == 0x21) /* instruction abort: back to the caller */
        f->elr = f->x[30];
    else
        f->elr += 4;
}

static const char *fsc_name(uint32_t fsc)
{
    switch (fsc & 0x3c) {
    case 0x00: return "address size";
    case 0x04: return "translation";
    case 0x08: return "access flag";
    case 0x0c: return "permission";
    }
    if (fsc == 0x21)
        return "alignment";
    return "other";
}

/* print the last fault, or that there was none; check EC and FSC */
static void report(const char *what, uint64_t va, int want_ec, int want_fsc)
{
    kprintf("%-46s", what);
    if (last.n == 0) {
        kprintf(" no fault");
        if (want_ec >= 0) {
            kprintf(" FAIL");
            fails++;
        }
        kprintf("\n");
        return;
    }
    uint32_t ec = (uint32_t)ESR_EC(last.esr), fsc = (uint32_t)last.esr & 0x3f;
    kprintf(" ESR %08lx: %s fault", last.esr, fsc_name(fsc));
    if ((fsc & 0x30) == 0)
        kprintf(" level %u", fsc & 3);
    if (ec == 0x24 || ec == 0x25)
        kprintf(", %s", (last.esr >> 6) & 1 ? "write" : "read");
    kprintf(", FAR %s", last.far == va ? "= address" : "WRONG");
    int ok = (int)ec == want_ec && (int)fsc == want_fsc && last.far == va && last.n == 1;
    if (last.n != 1)
        kprintf(", %d faults", last.n);
    kprintf("%s\n", ok ? "" : " FAIL");
    if (!ok)
        fails++;
}

#define EC_DABT_EL1 0x25
#define EC_DABT_EL0 0x24
#define EC_IABT_EL1 0x21
#define EC_IABT_EL0 0x20

static void check_val(const char *what, uint64_t got, uint64_t want)
{
    kprintf("%-46s %lx%s\n", what, got, got == want ? "" : " FAIL");
    if (got != want)
        fails++;
}

/* ------------------------------------------------------------ tables */

static void build_tables(void)
{
    /* TTBR0 */
    l1_lo[0] = 0x00000000ULL | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | XN;
    l1_lo[1] = (uint64_t)(uintptr_t)l2_ram | PTE_VALID | PTE_TABLE;
    l1_lo[4] = 0x40000000ULL | NORMAL | XN;
    l2_ram[0] = 0x40000000ULL | NORMAL | XN;
    l2_ram[1] = (uint64_t)(uintptr_t)l3_img | PTE_VALID | PTE_TABLE;
    l2_ram[2] = SCRATCH | NORMAL | XN;
    l2_ram[3] = (uint64_t)(uintptr_t)l3_test | PTE_VALID | PTE_TABLE;
    l2_ram[5] = 0x40a00000ULL | (NORMAL & ~PTE_AF) | XN;
    l2_ram[6] = 0x40c00000ULL | NORMAL | AP_EL1_RO | XN;
    for (uint64_t i = 7; i < 128; i++)
        l2_ram[i] = (0x40000000ULL + i * 0x200000ULL) | NORMAL | XN;
    uint64_t data = (uint64_t)(uintptr_t)__data_start;
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t pa = 0x40200000ULL + i * PG;
        if (pa < data)
            l3_img[i] = pa | NORMAL | PTE_PAGE | AP_RO;
        else
            l3_img[i] = pa | NORMAL | PTE_PAGE | AP_RW | XN;
    }
    /* test pages, on scratch physical pages 0-15 */
    l3_test[0] = SCR(0) | NORMAL | PTE_PAGE | AP_EL1_RW | XN;
    l3_test[1] = SCR(1) | NORMAL | PTE_PAGE | AP_EL1_RO | XN;
    l3_test[2] = 0;
    l3_test[3] = SCR(3) | (NORMAL & ~PTE_AF) | PTE_PAGE | AP_EL1_RW | XN;
    l3_test[4] = SCR(4) | NORMAL | PTE_PAGE | AP_EL1_RW | XN;
    l3_test[5] = SCR(5) | NORMAL | PTE_PAGE | AP_RW | XN;
    l3_test[6] = SCR(6) | NORMAL | PTE_PAGE | AP_EL1_RW | XN | PTE_NG; /* remapped */
    l3_test[7] = SCR(7) | NORMAL | PTE_PAGE | AP_RO | XN;
    l3_test[8] = SCR(8) | NORMAL | PTE_PAGE | AP_RW | PTE_UXN;   /* EL0-writable, PXN clear */
    l3_test[9] = SCR(9) | NORMAL | PTE_PAGE | AP_EL1_RO;         /* executable, EL0 execute-only */
    l3_test[10] = SCR(9) | NORMAL | PTE_PAGE | AP_EL1_RO | PTE_PXN;
    l3_test[11] = 0;
    l3_test[13] = SCR(13) | NORMAL | PTE_PAGE | AP_EL1_RW | PTE_UXN; /* EL1 RW and executable */
    l3_test[14] = SCR(14) | NORMAL | PTE_PAGE | AP_RO;               /* EL0 executable */
    /* TTBR1 */
    l1_hi[1] = 0x40000000ULL | NORMAL | XN;
    l1_hi[511] = (uint64_t)(uintptr_t)l2_hi | PTE_VALID | PTE_TABLE;
    l2_hi[511] = (uint64_t)(uintptr_t)l3_hi | PTE_VALID | PTE_TABLE;
    l3_hi[511] = SCR(15) | NORMAL | PTE_PAGE | AP_EL1_RW | XN;
    dsb(ishst);
}

static void fill_scratch(void)
{
    for (int i = 0; i < 16; i++) {
        volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)SCR(i);
        for (int j = 0; j < 8; j++)
            p[j] = 0x1111111111111111ULL * (uint64_t)(i + 1) + (uint64_t)j;
    }
    /* code: a RET at the start of pages 8, 9, 13 and 14 */
    *(volatile uint32_t *)(uintptr_t)SCR(8) = RET;
    *(volatile uint32_t *)(uintptr_t)SCR(9) = RET;
    *(volatile uint32_t *)(uintptr_t)SCR(13) = RET;
    *(volatile uint32_t *)(uintptr_t)SCR(14) = RET;
}

static uint64_t scr_val(int i) { return 0x1111111111111111ULL * (uint64_t)(i + 1); }

static void mmu_enable(void)
{
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_39BIT_4K);
    write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)l1_lo | (ASID << 48));
    write_sysreg(ttbr1_el1, (uint64_t)(uintptr_t)l1_hi);
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh" ::: "memory");
    isb();
    uint64_t sctlr = read_sysreg(sctlr_el1);
    sctlr |= (1u << 0) | (1u << 2) | (1u << 12); /* M, C, I */
    sctlr &= ~((1ULL << 1) | (1ULL << 19));      /* A, WXN */
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

static void sync_code(uint64_t va)
{
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" :: "r"(va) : "memory");
}

/* ------------------------------------------------------------ EL0 part */

/* runs at EL0: one access per run, then exit; the EL1 handler records any
 * fault in `last`, which the kernel reports after run_el0() returns */
static void el0_step(uint64_t step)
{
    switch (step) {
    case 0: probe_ldr(TEST(4)); break;         /* EL1-only page */
    case 1: probe_ldr(TEST(7)); break;         /* EL0 read-only page: reads */
    case 2: probe_str(TEST(7), 1); break;      /* ... but no writes */
    case 3: probe_str(TEST(5), 0x77); break;   /* EL0 RW page */
    case 4: probe_exec(TEST(7)); break;        /* UXN */
    case 5: probe_ldr(TEST(9)); break;         /* execute-only at EL0: no reads */
    case 6: probe_exec(TEST(9)); break;        /* ... but it executes */
    case 7: probe_exec(TEST(14)); break;       /* EL0 read-only, executable */
    }
    __asm__ volatile("mov x0, #0\n\tsvc #0" ::: "x0", "memory");
    for (;;)
        ;
}

static char el0_stack[4096] __attribute__((aligned(16)));

static void el0(const char *what, uint64_t step, uint64_t va, int want_ec, int want_fsc)
{
    clear_fault();
    probing = 1;
    run_el0(el0_step, (uint64_t)(uintptr_t)(el0_stack + sizeof el0_stack), step, 0x3c0);
    probing = 0;
    report(what, va, want_ec, want_fsc);
}

/* ------------------------------------------------------------ secondaries */

static volatile uint32_t sec_ready, sec_go, sec_done;
static volatile uint64_t sec_before[MAX_CORES], sec_after[MAX_CORES];

static void secondary(int me)
{
    mmu_enable();
    sec_before[me] = *(volatile uint64_t *)(uintptr_t)TEST(6);
    atomic_add32(&sec_ready, 1);
    sev();
    wait_ge32(&sec_go, 1);
    isb();
    sec_after[me] = *(volatile uint64_t *)(uintptr_t)TEST(6);
    atomic_add32(&sec_done, 1);
    sev();
    for (;;)
        wfe();
}

static void remap(uint64_t pa)
{
    l3_test[6] = (l3_test[6] & ~0xfffffffff000ULL) | pa;
    dsb(ishst);
}

static uint64_t rd6(void) { return *(volatile uint64_t *)(uintptr_t)TEST(6); }

int main(void)
{
    if (rt_init() != 0)
        return 1;
    rt_sync_handler = sync_handler;
    kprintf("mmu: %d cores\n", ncores);
    if ((uint64_t)(uintptr_t)__image_end > 0x40400000ULL) {
        kprintf("image too large for its 2 MiB\n");
        return 1;
    }
    build_tables();
    fill_scratch();
    kprintf("ID_AA64MMFR0_EL1 TGran4 %lx PARange %lx\n", (read_sysreg(id_aa64mmfr0_el1) >> 28) & 0xf,
            read_sysreg(id_aa64mmfr0_el1) & 0xf);
    mmu_enable();
    kprintf("MMU on: SCTLR_EL1.M %lu, TCR_EL1 %lx\n", read_sysreg(sctlr_el1) & 1, read_sysreg(tcr_el1));

    /* simple reads */
    check_val("read through TTBR0 L3 page", probe_ldr(TEST(0)), scr_val(0));
    static volatile uint64_t marker = 0x6d61726b6572ULL;
    uint64_t off = (uint64_t)(uintptr_t)&marker - 0x40000000ULL;
    check_val("read through the 1 GiB block alias", probe_ldr(0x100000000ULL + off), marker);
    check_val("read through TTBR1 1 GiB block", probe_ldr(0xffffff8040000000ULL + off), marker);
    probe_str(0xffffff8040000000ULL + off, 0x1234);
    check_val("write via TTBR1, read via TTBR0", marker, 0x1234);
    check_val("read through TTBR1 L3 page (top of VA)", probe_ldr(0xfffffffffffff000ULL), scr_val(15));

    /* translation faults at each level */
    clear_fault(); probing = 1;
    probe_ldr(0x0000008000000000ULL);
    probing = 0;
    report("translation: VA above TTBR0's 39 bits", 0x0000008000000000ULL, EC_DABT_EL1, 0x04);
    clear_fault(); probing = 1;
    probe_ldr(0xffff000000000000ULL);
    probing = 0;
    report("translation: VA below TTBR1's 39 bits", 0xffff000000000000ULL, EC_DABT_EL1, 0x04);
    clear_fault(); probing = 1;
    probe_ldr(0x80000000ULL);
    probing = 0;
    report("translation: TTBR0 L1 entry invalid", 0x80000000ULL, EC_DABT_EL1, 0x05);
    clear_fault(); probing = 1;
    probe_ldr(0xffffff8000001008ULL);
    probing = 0;
    report("translation: TTBR1 L1 entry invalid", 0xffffff8000001008ULL, EC_DABT_EL1, 0x05);
    clear_fault(); probing = 1;
    probe_ldr(0x40800010ULL);
    probing = 0;
    report("translation: L2 entry invalid", 0x40800010ULL, EC_DABT_EL1, 0x06);
    clear_fault(); probing = 1;
    probe_str(TEST(2) + 0x18, 5);
    probing = 0;
    report("translation: L3 entry invalid (write)", TEST(2) + 0x18, EC_DABT_EL1, 0x07);

    /* TBI */
    clear_fault(); probing = 1;
    uint64_t v = probe_ldr(TEST(0) | (0x5aULL << 56));
    probing = 0;
    report("TBI0 = 0: tagged address", TEST(0) | (0x5aULL << 56), EC_DABT_EL1, 0x04);
    write_sysreg(tcr_el1, TCR_39BIT_4K | (1ULL << 37));
    isb();
    clear_fault(); probing = 1;
    v = probe_ldr(TEST(0) | (0x5aULL << 56));
    probing = 0;
    report("TBI0 = 1: tagged address", 0, -1, 0);
    check_val("TBI0 = 1: value", v, scr_val(0));
    write_sysreg(tcr_el1, TCR_39BIT_4K);
    isb();

    /* access flag */
    clear_fault(); probing = 1;
    probe_ldr(0x40a00020ULL);
    probing = 0;
    report("access flag: L2 block, AF = 0", 0x40a00020ULL, EC_DABT_EL1, 0x0a);
    clear_fault(); probing = 1; fix_af = 1;
    v = probe_ldr(TEST(3) + 8);
    probing = 0; fix_af = 0;
    report("access flag: L3 page, AF = 0 (then set)", TEST(3) + 8, EC_DABT_EL1, 0x0b);
    check_val("access flag: value read on the retry", v, scr_val(3) + 1);

    /* permissions at EL1 */
    clear_fault(); probing = 1;
    v = probe_ldr(TEST(1));
    probing = 0;
    report("permission: read EL1 read-only page", 0, -1, 0);
    clear_fault(); probing = 1;
    probe_str(TEST(1) + 0x10, 1);
    probing = 0;
    report("permission: write EL1 read-only page", TEST(1) + 0x10, EC_DABT_EL1, 0x0f);
    clear_fault(); probing = 1;
    probe_str(0x40c00040ULL, 1);
    probing = 0;
    report("permission: write read-only L2 block", 0x40c00040ULL, EC_DABT_EL1, 0x0e);
    clear_fault(); probing = 1;
    probe_ldtr(TEST(4));
    probing = 0;
    report("permission: LDTR of an EL1-only page", TEST(4), EC_DABT_EL1, 0x0f);
    clear_fault(); probing = 1;
    v = probe_ldtr(TEST(7));
    probing = 0;
    report("permission: LDTR of an EL0 read-only page", 0, -1, 0);
    clear_fault(); probing = 1;
    probe_sttr(TEST(7), 3);
    probing = 0;
    report("permission: STTR to an EL0 read-only page", TEST(7), EC_DABT_EL1, 0x0f);
    clear_fault(); probing = 1;
    probe_sttr(TEST(5) + 8, 0x55);
    probing = 0;
    report("permission: STTR to an EL0 RW page", 0, -1, 0);
    check_val("permission: value stored by STTR", *(volatile uint64_t *)(uintptr_t)(SCR(5) + 8), 0x55);

    /* execution at EL1 */
    sync_code(TEST(9));
    clear_fault(); probing = 1;
    probe_exec(TEST(9));
    probing = 0;
    report("execute: EL1 read-only page, PXN = 0", 0, -1, 0);
    clear_fault(); probing = 1;
    probe_exec(TEST(10));
    probing = 0;
    report("execute: same code, PXN = 1", TEST(10), EC_IABT_EL1, 0x0f);
    clear_fault(); probing = 1;
    probe_exec(TEST(8));
    probing = 0;
    report("execute: EL0-writable page (implicit PXN)", TEST(8), EC_IABT_EL1, 0x0f);
    clear_fault(); probing = 1;
    probe_exec(TEST(11) + 0x40);
    probing = 0;
    report("execute: invalid L3 entry", TEST(11) + 0x40, EC_IABT_EL1, 0x07);
    clear_fault(); probing = 1;
    probe_exec(TEST(13));
    probing = 0;
    report("execute: EL1 RW page, SCTLR_EL1.WXN = 0", 0, -1, 0);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1ULL << 19));
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    clear_fault(); probing = 1;
    probe_exec(TEST(13));
    probing = 0;
    report("execute: EL1 RW page, SCTLR_EL1.WXN = 1", TEST(13), EC_IABT_EL1, 0x0f);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~(1ULL << 19));
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");

    /* alignment */
    clear_fault(); probing = 1;
    v = probe_ldr(TEST(0) + 1);
    probing = 0;
    report("alignment: unaligned LDR, Normal, A = 0", 0, -1, 0);
    check_val("alignment: value", v, (scr_val(0) >> 8) | ((scr_val(0) + 1) << 56));
    clear_fault(); probing = 1;
    probe_ldxr(TEST(0) + 4);
    probing = 0;
    report("alignment: unaligned LDXR, Normal", TEST(0) + 4, EC_DABT_EL1, 0x21);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 2);
    isb();
    clear_fault(); probing = 1;
    probe_ldr(TEST(0) + 2);
    probing = 0;
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~2ULL);
    isb();
    report("alignment: unaligned LDR, Normal, A = 1", TEST(0) + 2, EC_DABT_EL1, 0x21);

    /* EL0 */
    sync_code(TEST(14));
    el0("EL0: read EL1-only page", 0, TEST(4), EC_DABT_EL0, 0x0f);
    el0("EL0: read EL0 read-only page", 1, 0, -1, 0);
    el0("EL0: write EL0 read-only page", 2, TEST(7), EC_DABT_EL0, 0x0f);
    el0("EL0: write EL0 RW page", 3, 0, -1, 0);
    check_val("EL0: value stored", *(volatile uint64_t *)(uintptr_t)SCR(5), 0x77);
    el0("EL0: execute UXN page", 4, TEST(7), EC_IABT_EL0, 0x0f);
    el0("EL0: read execute-only page (AP EL1 RO)", 5, TEST(9), EC_DABT_EL0, 0x0f);
    el0("EL0: execute execute-only page", 6, 0, -1, 0);
    el0("EL0: execute EL0 read-only page, UXN = 0", 7, 0, -1, 0);

    /* TLB maintenance: remap page 6 (nG, ASID 5) between scratch 6 and 7 */
    check_val("remap: first mapping", rd6(), scr_val(6));
    if (ncores > 1) {
        if (start_all(secondary) != 0)
            return 1;
        wait_ge32(&sec_ready, (uint32_t)ncores - 1);
    }
    remap(SCR(7));
    tlbi_va(TEST(6));
    check_val("remap: after TLBI VAE1IS", rd6(), scr_val(7));
    if (ncores > 1) {
        atomic_add32(&sec_go, 1);
        sev();
        wait_ge32(&sec_done, (uint32_t)ncores - 1);
        int ok = 1;
        for (int k = 1; k < ncores; k++)
            if (sec_before[k] != scr_val(6) || sec_after[k] != scr_val(7))
                ok = 0;
        kprintf("remap: cores 1-%d read the first mapping before, the new one after: %s\n",
                ncores - 1, ok ? "yes" : "NO");
        if (!ok)
            fails++;
    }
    remap(SCR(6));
    __asm__ volatile("tlbi vale1is, %0\n\tdsb ish\n\tisb" :: "r"((TEST(6) >> 12) | (ASID << 48)) : "memory");
    check_val("remap: after TLBI VALE1IS", rd6(), scr_val(6));
    remap(SCR(7));
    __asm__ volatile("tlbi vaae1is, %0\n\tdsb ish\n\tisb" :: "r"(TEST(6) >> 12) : "memory");
    check_val("remap: after TLBI VAAE1IS", rd6(), scr_val(7));
    remap(SCR(6));
    __asm__ volatile("tlbi aside1is, %0\n\tdsb ish\n\tisb" :: "r"(ASID << 48) : "memory");
    check_val("remap: after TLBI ASIDE1IS", rd6(), scr_val(6));
    remap(SCR(7));
    __asm__ volatile("tlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
    check_val("remap: after TLBI VMALLE1IS", rd6(), scr_val(7));
    remap(SCR(6));
    __asm__ volatile("tlbi vae1, %0\n\tdsb nsh\n\tisb" :: "r"((TEST(6) >> 12) | (ASID << 48)) : "memory");
    check_val("remap: after TLBI VAE1", rd6(), scr_val(6));
    remap(SCR(7));
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    check_val("remap: after TLBI VMALLE1", rd6(), scr_val(7));
    remap(SCR(6));
    write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)l1_lo | ((ASID + 1) << 48));
    isb();
    check_val("remap: switch to ASID 6 without TLBI", rd6(), scr_val(6));
    write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)l1_lo | (ASID << 48));
    isb();
    __asm__ volatile("tlbi aside1is, %0\n\tdsb ish\n\tisb" :: "r"(ASID << 48) : "memory");
    check_val("remap: back to ASID 5 after TLBI ASIDE1IS", rd6(), scr_val(6));

    mmu_off();
    kprintf("mmu: %s\n", fails ? "FAIL" : "pass");
    return fails ? 1 : 0;
}
