/*
 * el2.c - EL2: its registers, its translation regime, and EL1 below it.
 *
 * Started at EL2 (QEMU -M virt,virtualization=on; a64emu --el2).  It prints:
 *  - CurrentEL, ID_AA64PFR0_EL1.EL2, the reset values of HCR_EL2, VPIDR_EL2,
 *    VMPIDR_EL2 and the GICv3 virtualisation registers KVM probes
 *    (ICH_VTR_EL2, ICH_HCR_EL2, ICH_VMCR_EL2, ICH_ELRSR/EISR/MISR_EL2,
 *    ICC_SRE_EL2, the list registers and active priority registers), and
 *    what a few of them read back after writes;
 *  - with stage 1 of the EL2 regime on (TTBR0_EL2, TCR_EL2 with one 39-bit
 *    VA range, MAIR_EL2, SCTLR_EL2.M/C/I): values read through remapped
 *    pages, and the syndromes (ESR_EL2, FAR_EL2) of translation faults at
 *    levels 0-3, an access flag fault, a permission fault on a read-only
 *    page, an instruction abort on an execute-never page; that AP[1] does
 *    not matter at EL2; AT S1E2R/W into PAR_EL1; the value seen after
 *    TLBI VAE2 and TLBI ALLE2;
 *  - from EL1 (ERET with HCR_EL2.RW): MIDR_EL1/MPIDR_EL1 reading VPIDR_EL2/
 *    VMPIDR_EL2, HVC taken to EL2 (EC 0x16), SMC trapped by HCR_EL2.TSC
 *    (EC 0x17), WFI trapped by HCR_EL2.TWI (EC 0x01), CNTPCT_EL0 trapped by CNTHCTL_EL2.EL1PCTEN = 0 (EC 0x18),
 *    an FP instruction trapped by CPTR_EL2.TFP (EC 0x07), and an IRQ
 *    routed to EL2 by HCR_EL2.IMO although EL1 masks it.
 */
#include "rt.h"

uint64_t probe_ldr(uint64_t va);
void probe_str(uint64_t va, uint64_t v);
void probe_exec(uint64_t va);
uint64_t run_el1(void (*entry)(void), uint64_t sp_el1, uint64_t spsr);
extern char el2_vectors[], el1_return[];
void el2_dispatch(struct frame *f, uint64_t vector);

#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_LR2_EL2 S3_4_C12_C12_2
#define ICH_LR3_EL2 S3_4_C12_C12_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

#define PG 4096ULL
#define TEST_BASE 0x40600000ULL /* L2[3]: the test pages (an L3 table) */
#define SCRATCH 0x40400000ULL   /* L2[2]: physical scratch pages, mapped flat */
#define TEST(i) (TEST_BASE + (uint64_t)(i)*PG)
#define SCR(i) (SCRATCH + (uint64_t)(i)*PG)

/* TCR_EL2: T0SZ 25 (39-bit VAs), IRGN0/ORGN0 WBWA, SH0 inner, TG0 4 KiB,
 * PS 40 bits, RES1 bits 31 and 23 */
#define TCR_EL2_VALUE ((1ULL << 31) | (1ULL << 23) | (2ULL << 16) | (3ULL << 12) | (1ULL << 10) | (1ULL << 8) | 25ULL)
#define NORMAL (PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
#define XN (1ULL << 54)
#define PAGE (NORMAL | PTE_PAGE) /* a level 3 page */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static char el1_stack[8192] __attribute__((aligned(16)));

/* ------------------------------------------------------------ EL2 exceptions */

struct trap {
    uint64_t esr, far, elr, spsr, vector;
    int n;
};
static volatile struct trap last;
static volatile uint32_t irq_id;

static void clear(void)
{
    last.esr = last.far = last.elr = last.spsr = last.vector = 0;
    last.n = 0;
}

void el2_dispatch(struct frame *f, uint64_t vector)
{
    uint32_t ec = (uint32_t)ESR_EC(f->esr);
    if ((vector & 3) == VEC_IRQ) {
        irq_id = (uint32_t)read_sysreg(ICC_IAR1_EL1);
        write_sysreg(ICC_EOIR1_EL1, irq_id);
        last.elr = f->elr;
        last.spsr = f->spsr;
        last.vector = vector;
        last.n++;
        return;
    }
    if ((vector & 3) != VEC_SYNC) {
        kprintf("*** unexpected exception: vector %lu esr %lx elr %lx\n", vector, f->esr, f->elr);
        crt_exit(0x7f);
    }
    if (ec == 0x16 && (f->esr & 0xffff) == 0xfff) { /* EL1 is done: back to run_el1's caller */
        f->elr = (uint64_t)(uintptr_t)el1_return;
        f->spsr = 0x3c9; /* EL2h, DAIF masked */
        return;
    }
    last.esr = f->esr;
    last.far = f->far;
    last.elr = f->elr;
    last.spsr = f->spsr;
    last.vector = vector;
    last.n++;
    if (ec == 0x16) /* HVC: the preferred return is the next instruction */
        f->x[0] += 1;
    else if (ec == 0x20 || ec == 0x21) /* instruction abort: back to the caller */
        f->elr = f->x[30];
    else
        f->elr += 4; /* skip the trapped or faulting instruction */
}

static void report(const char *what)
{
    kprintf("%-26s", what);
    if (last.n == 0) {
        kprintf("no exception\n");
        return;
    }
    uint32_t ec = (uint32_t)ESR_EC(last.esr);
    uint64_t iss = last.esr & 0x1ffffff;
    /* Data aborts: ISS[24:14] (ISV and the instruction syndrome) left out. QEMU 7.2 fills them in
     * for aborts taken to EL2; a64emu gives ISV = 0, which the Arm ARM allows for stage 1 aborts. */
    if (ec == 0x24 || ec == 0x25)
        iss &= 0x3fff;
    kprintf("vector %lu EC %02x ISS %07lx", last.vector, ec, iss);
    if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
        kprintf(" FAR %lx", last.far);
    kprintf("\n");
}

/* ------------------------------------------------------------ EL2 MMU */

static void tlbi_vae2(uint64_t va)
{
    dsb(ishst);
    __asm__ volatile("tlbi vae2, %0" :: "r"(va >> 12) : "memory");
    dsb(ish);
    isb();
}

static void tlbi_alle2(void)
{
    dsb(ishst);
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb(ish);
    isb();
}

static uint64_t at_s1e2(uint64_t va, int write)
{
    if (write)
        __asm__ volatile("at s1e2w, %0" :: "r"(va) : "memory");
    else
        __asm__ volatile("at s1e2r, %0" :: "r"(va) : "memory");
    isb();
    return read_sysreg(par_el1);
}

static void build_tables(void)
{
    l1[0] = 0x00000000ULL | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | XN;
    l1[1] = (uint64_t)(uintptr_t)l2 | PTE_VALID | PTE_TABLE;
    /* l1[2]: invalid (level 1 fault) */
    l2[0] = 0x40000000ULL | NORMAL;                  /* device tree */
    l2[1] = 0x40200000ULL | NORMAL;                  /* this image, its stack */
    l2[2] = SCRATCH | NORMAL | XN;                   /* scratch pages */
    l2[3] = (uint64_t)(uintptr_t)l3 | PTE_VALID | PTE_TABLE;
    /* l2[4]: invalid (level 2 fault) */
    for (int i = 5; i < 32; i++)
        l2[i] = (0x40000000ULL + (uint64_t)i * 0x200000) | NORMAL;
    l3[0] = SCR(0) | PAGE | XN;                          /* read-write */
    l3[1] = SCR(1) | PAGE | XN | PTE_AP_RO;              /* read-only */
    /* l3[2]: invalid (level 3 fault) */
    l3[3] = SCR(3) | PAGE | XN | PTE_AP_EL0;             /* AP[1] = 1: ignored at EL2 */
    l3[4] = SCR(4) | PAGE;                               /* executable */
    l3[5] = SCR(4) | PAGE | XN;                          /* the same code, execute-never */
    l3[6] = (SCR(6) | PAGE) & ~PTE_AF;                   /* access flag clear */
    l3[7] = SCR(7) | PAGE | XN;                          /* remapped below */
    dsb(ishst);
}

static void mmu_el2_on(void)
{
    write_sysreg(mair_el2, MAIR_VALUE);
    write_sysreg(tcr_el2, TCR_EL2_VALUE);
    write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)l1);
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb nsh" ::: "memory");
    isb();
    uint64_t sctlr = read_sysreg(sctlr_el2);
    write_sysreg(sctlr_el2, sctlr | (1u << 0) | (1u << 2) | (1u << 12)); /* M, C, I */
    isb();
}

static void mmu_tests(void)
{
    for (int i = 0; i < 9; i++)
        *(volatile uint64_t *)SCR(i) = 0x1111111111111111ULL * (uint64_t)(i + 1);
    *(volatile uint32_t *)SCR(4) = 0xd2800540u;     /* mov x0, #42 */
    *(volatile uint32_t *)(SCR(4) + 4) = 0xd65f03c0u; /* ret */
    build_tables();
    mmu_el2_on();
    kprintf("SCTLR_EL2.M %lu\n", read_sysreg(sctlr_el2) & 1);
    kprintf("TCR_EL2 %lx\n", read_sysreg(tcr_el2));

    clear();
    kprintf("read TEST(0): %lx\n", probe_ldr(TEST(0)));
    kprintf("read TEST(1): %lx\n", probe_ldr(TEST(1)));
    kprintf("read TEST(3): %lx\n", probe_ldr(TEST(3)));
    probe_str(TEST(3), 0x33);
    kprintf("write TEST(3), read: %lx\n", probe_ldr(TEST(3)));
    report("no fault so far");

    clear(); probe_str(TEST(1), 5); report("write read-only page");
    clear(); kprintf("%lx ", probe_ldr(TEST(2))); report("read L3 invalid");
    clear(); kprintf("%lx ", probe_ldr(0x40800000ULL)); report("read L2 invalid");
    clear(); kprintf("%lx ", probe_ldr(0x80000000ULL)); report("read L1 invalid");
    clear(); kprintf("%lx ", probe_ldr(1ULL << 40)); report("read beyond T0SZ");
    clear(); kprintf("%lx ", probe_ldr(TEST(6))); report("read AF clear");
    clear(); probe_exec(TEST(5)); report("execute XN page");
    clear(); probe_exec(TEST(4)); report("execute executable page");
    clear(); probe_exec(TEST(2)); report("execute invalid page");

    kprintf("AT S1E2R TEST(0): PAR %lx\n", at_s1e2(TEST(0), 0));
    kprintf("AT S1E2W TEST(1): PAR %lx\n", at_s1e2(TEST(1), 1));
    kprintf("AT S1E2R TEST(2): PAR %lx\n", at_s1e2(TEST(2), 0));

    kprintf("TEST(7) before: %lx\n", probe_ldr(TEST(7)));
    l3[7] = SCR(8) | PAGE | XN;
    tlbi_vae2(TEST(7));
    kprintf("TEST(7) after TLBI VAE2: %lx\n", probe_ldr(TEST(7)));
    l3[7] = SCR(0) | PAGE | XN;
    tlbi_alle2();
    kprintf("TEST(7) after TLBI ALLE2: %lx\n", probe_ldr(TEST(7)));
    l3[2] = SCR(2) | PAGE | XN;
    tlbi_vae2(TEST(2));
    kprintf("TEST(2) mapped: %lx\n", probe_ldr(TEST(2)));
}

/* ------------------------------------------------------------ EL1 */

static volatile uint64_t el1_midr, el1_mpidr, el1_hvc, el1_el;

static void el1_main(void)
{
    el1_el = read_sysreg(CurrentEL);
    el1_midr = read_sysreg(midr_el1);
    el1_mpidr = read_sysreg(mpidr_el1);
    register uint64_t x0 __asm__("x0") = 7;
    __asm__ volatile("hvc #0x42" : "+r"(x0) :: "memory");
    el1_hvc = x0;
    __asm__ volatile("hvc #0xfff" ::: "memory");
}

static void el1_cntpct(void)
{
    (void)read_sysreg(cntpct_el0);
    __asm__ volatile("hvc #0xfff" ::: "memory");
}

static void el1_smc(void)
{
    __asm__ volatile("smc #0x5" ::: "memory");
    __asm__ volatile("hvc #0xfff" ::: "memory");
}

static void el1_fp(void)
{
    __asm__ volatile(".inst 0x9e6703e0" ::: "memory"); /* fmov d0, xzr */
    __asm__ volatile("hvc #0xfff" ::: "memory");
}

static void el1_wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("hvc #0xfff" ::: "memory");
}

static void el1_nothing(void)
{
    __asm__ volatile("nop\n\thvc #0xfff" ::: "memory");
}

#define SPSR_EL1H 0x3c5 /* EL1h, DAIF masked */
#define EL1_SP ((uint64_t)(uintptr_t)(el1_stack + sizeof el1_stack))

static void el1_tests(void)
{
    write_sysreg(hcr_el2, 1ULL << 31); /* RW: EL1 is AArch64 */
    write_sysreg(vpidr_el2, 0x410fd0f1u);
    write_sysreg(vmpidr_el2, 0x80000123u);
    write_sysreg(vbar_el1, (uint64_t)(uintptr_t)0); /* EL1 takes nothing here */
    isb();

    clear();
    run_el1(el1_main, EL1_SP, SPSR_EL1H);
    kprintf("EL1: CurrentEL %lx MIDR %lx MPIDR %lx\n", el1_el, el1_midr, el1_mpidr);
    kprintf("HVC #0x42 returned %lu; ", el1_hvc);
    report("hvc");
    kprintf("  ELR offset %ld SPSR %lx\n", (int64_t)(last.elr - (uint64_t)(uintptr_t)el1_main), last.spsr);

    uint64_t cnthctl = read_sysreg(cnthctl_el2);
    kprintf("CNTHCTL_EL2 %lx\n", cnthctl);
    write_sysreg(cnthctl_el2, cnthctl & ~1ULL);
    isb();
    clear(); run_el1(el1_cntpct, EL1_SP, SPSR_EL1H); report("CNTPCT, EL1PCTEN 0");
    write_sysreg(cnthctl_el2, cnthctl | 3);
    isb();
    clear(); run_el1(el1_cntpct, EL1_SP, SPSR_EL1H); report("CNTPCT, EL1PCTEN 1");

    write_sysreg(hcr_el2, (1ULL << 31) | (1ULL << 19)); /* TSC */
    isb();
    clear(); run_el1(el1_smc, EL1_SP, SPSR_EL1H); report("SMC, TSC 1");
    kprintf("  ELR at the SMC: %d\n", last.elr == (uint64_t)(uintptr_t)el1_smc);
    write_sysreg(hcr_el2, (1ULL << 31) | (1ULL << 13)); /* TWI */
    isb();
    clear(); run_el1(el1_wfi, EL1_SP, SPSR_EL1H); report("WFI, TWI 1");
    kprintf("  ELR at the WFI: %d\n", last.elr == (uint64_t)(uintptr_t)el1_wfi);
    write_sysreg(hcr_el2, 1ULL << 31);

    write_sysreg(cpacr_el1, 3ULL << 20); /* FPEN: EL1 does not trap */
    uint64_t cptr = read_sysreg(cptr_el2);
    kprintf("CPTR_EL2.TFP %lu\n", (cptr >> 10) & 1); /* its RES1 bits: QEMU reads them as 0 */
    write_sysreg(cptr_el2, cptr | (1u << 10)); /* TFP */
    isb();
    clear(); run_el1(el1_fp, EL1_SP, SPSR_EL1H); report("FP, TFP 1");
    write_sysreg(cptr_el2, cptr & ~(1ULL << 10));
    isb();
    clear(); run_el1(el1_fp, EL1_SP, SPSR_EL1H); report("FP, TFP 0");

    /* an SGI pending at EL2 (masked there), taken to EL2 once EL1 runs with IMO set */
    gic_dist_init();
    uint64_t rd = gic_cpu_init();
    gic_enable_ppi_sgi(rd, 1u << 3);
    write_sysreg(ICC_SGI1R_EL1, (3ULL << 24) | 1ULL); /* SGI 3 to Aff0 = 0 (this core) */
    isb();
    write_sysreg(hcr_el2, (1ULL << 31) | (1ULL << 4)); /* IMO */
    isb();
    clear(); irq_id = 1023;
    run_el1(el1_nothing, EL1_SP, SPSR_EL1H); /* EL1 masks IRQs: they go to EL2 regardless */
    kprintf("IRQ with IMO: taken %d vector %lu INTID %u ELR at entry %d SPSR %lx\n", last.n, last.vector, irq_id,
            last.elr == (uint64_t)(uintptr_t)el1_nothing, last.spsr);
    write_sysreg(hcr_el2, 1ULL << 31);
    isb();
}

/* ------------------------------------------------------------ registers */

static void reg_tests(void)
{
    kprintf("CurrentEL %lx\n", read_sysreg(CurrentEL));
    /* EL2 implemented (QEMU: 2, AArch64 and AArch32; a64emu: 1, AArch64 only) */
    kprintf("ID_AA64PFR0_EL1.EL2 != 0: %d\n", ((read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf) != 0);
    kprintf("HCR_EL2 %lx\n", read_sysreg(hcr_el2));
    kprintf("VPIDR_EL2 %lx (MIDR %lx)\n", read_sysreg(vpidr_el2), read_sysreg(midr_el1));
    kprintf("VMPIDR_EL2 %lx (MPIDR %lx)\n", read_sysreg(vmpidr_el2), read_sysreg(mpidr_el1));
    kprintf("ICC_SRE_EL2 %lx\n", read_sysreg(ICC_SRE_EL2));
    kprintf("ICH_VTR_EL2 %lx\n", read_sysreg(ICH_VTR_EL2));
    kprintf("ICH_HCR_EL2 %lx\n", read_sysreg(ICH_HCR_EL2));
    kprintf("ICH_VMCR_EL2 %lx\n", read_sysreg(ICH_VMCR_EL2));
    kprintf("ICH_ELRSR_EL2 %lx EISR %lx MISR %lx\n", read_sysreg(ICH_ELRSR_EL2), read_sysreg(ICH_EISR_EL2),
            read_sysreg(ICH_MISR_EL2));
    kprintf("ICH_LR0..3 %lx %lx %lx %lx\n", read_sysreg(ICH_LR0_EL2), read_sysreg(ICH_LR1_EL2),
            read_sysreg(ICH_LR2_EL2), read_sysreg(ICH_LR3_EL2));
    kprintf("ICH_AP0R0 %lx AP1R0 %lx\n", read_sysreg(ICH_AP0R0_EL2), read_sysreg(ICH_AP1R0_EL2));
    /* write-back: a pending virtual SGI-like LR, an EOI-marked empty LR, all ones */
    write_sysreg(ICH_LR0_EL2, (1ULL << 62) | (1ULL << 60) | (0xa0ULL << 48) | 27);
    write_sysreg(ICH_LR1_EL2, (1ULL << 41) | 5);
    write_sysreg(ICH_LR2_EL2, ~0ULL);
    kprintf("ICH_LR0..2 %lx %lx %lx\n", read_sysreg(ICH_LR0_EL2), read_sysreg(ICH_LR1_EL2), read_sysreg(ICH_LR2_EL2));
    kprintf("ICH_ELRSR_EL2 %lx EISR %lx\n", read_sysreg(ICH_ELRSR_EL2), read_sysreg(ICH_EISR_EL2));
    write_sysreg(ICH_LR0_EL2, 0);
    write_sysreg(ICH_LR1_EL2, 0);
    write_sysreg(ICH_LR2_EL2, 0);
    write_sysreg(ICH_VMCR_EL2, ~0ULL);
    kprintf("ICH_VMCR_EL2 all ones: %lx\n", read_sysreg(ICH_VMCR_EL2));
    write_sysreg(ICH_VMCR_EL2, 0);
    kprintf("ICH_VMCR_EL2 zero: %lx\n", read_sysreg(ICH_VMCR_EL2));
    write_sysreg(ICH_AP0R0_EL2, ~0ULL);
    write_sysreg(ICH_AP1R0_EL2, ~0ULL);
    kprintf("ICH_AP0R0 %lx AP1R0 %lx\n", read_sysreg(ICH_AP0R0_EL2), read_sysreg(ICH_AP1R0_EL2));
    write_sysreg(ICH_AP0R0_EL2, 0);
    write_sysreg(ICH_AP1R0_EL2, 0);
    write_sysreg(ICH_HCR_EL2, 0x1fULL);
    kprintf("ICH_HCR_EL2 %lx\n", read_sysreg(ICH_HCR_EL2));
    write_sysreg(ICH_HCR_EL2, 0);
}

int main(void)
{
    write_sysreg(vbar_el2, (uint64_t)(uintptr_t)el2_vectors);
    isb();
    kprintf("el2: start\n");
    reg_tests();
    mmu_tests();
    el1_tests();
    kprintf("el2: done\n");
    return 0;
}
