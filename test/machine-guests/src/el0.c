/*
 * el0.c - EL0 and its ways back into EL1.
 *
 * The kernel (EL1) drops to an EL0 program with ERET (SPSR_EL1 = EL0t) and
 * serves its system calls (SVC, EC 0x15) from the lower-EL AArch64 vector:
 *   svc #0 exit(code)        leave EL0: run_el0() returns code
 *   svc #1 write(buf, len)   print to the UART
 *   svc #2 check(name, ec)   print the last trap the kernel recorded
 *   svc #3 show(name, value) print a value read at EL0 (and that nothing trapped)
 *   svc #4 notrap(name)      print that nothing trapped since the last call
 *   svc #0x1234 echo(x)      returns x + the immediate, taken from ESR_EL1
 * Each SVC handler checks the ESR (EC 0x15, IL 1, ISS = the immediate) and
 * that ELR_EL1 points just after an SVC instruction with that immediate.
 *
 * The EL0 program runs twice.  Run 1, with every trap control set, makes
 * each of these trap to EL1; the kernel records ESR, the instruction at ELR
 * and skips it:
 *   MRS DAIF and MSR DAIFSet (SCTLR_EL1.UMA = 0: EC 0x18),
 *   MRS CTR_EL0 (UCT = 0: EC 0x18), IC IVAU (UCI = 0: EC 0x18),
 *   MRS CNTVCT_EL0 (CNTKCTL_EL1.EL0VCTEN = 0: EC 0x18),
 *   WFI (nTWI = 0: EC 0x01), but not WFE just after an exception return,
 *   which set the event register, so it would not wait (nTWE only traps a
 *   WFE that would enter a low-power state),
 *   an FP instruction (CPACR_EL1.FPEN = 0: EC 0x07),
 * and in both runs these are UNDEFINED at EL0 (EC 0x00) or fault:
 *   MRS SCTLR_EL1, MSR VBAR_EL1, HVC, SMC, ERET, UDF, BRK (EC 0x3C),
 *   a branch to a misaligned PC (EC 0x22).
 * Not tested: SP alignment faults (SCTLR_EL1.SA0, EC 0x26), which QEMU 7.2
 * does not implement.  The MSR DAIFSet trap's ESR is printed with ISS.Op1 and
 * ISS.Op2 masked: QEMU 7.2 swaps them (it reports Op1 = 6, Op2 = 3; the
 * instruction has op1 = 3, op2 = 6).
 * Run 2 clears the trap controls: the same accesses then execute at EL0
 * (except the FP instruction: a64emu implements no FP/SIMD registers and its
 * ID_AA64PFR0_EL1 says so, so there FP instructions are UNDEFINED once
 * CPACR_EL1 lets them through).
 */
#include "rt.h"

#define SPSR_EL0 0x3c0 /* EL0t, D A I F masked */

static char el0_stack[8192] __attribute__((aligned(16)));

struct trap {
    uint64_t esr, elr, far, spsr, vector;
    uint32_t insn;
    int valid;
};
static struct trap last;
static int fails;
static int svc_bad;
static uint64_t first_spsr;

/* ------------------------------------------------------------ EL0 side */

#define SVC(imm, a0, a1)                                                   \
    ({                                                                     \
        register uint64_t x0_ __asm__("x0") = (uint64_t)(a0);              \
        register uint64_t x1_ __asm__("x1") = (uint64_t)(a1);              \
        __asm__ volatile("svc #" #imm : "+r"(x0_) : "r"(x1_) : "memory");  \
        x0_;                                                               \
    })

static size_t el0_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void el0_puts(const char *s) { SVC(1, s, el0_strlen(s)); }
static void el0_check(const char *name, int ec) { SVC(2, name, ec); }
static void el0_show(const char *name, uint64_t v) { SVC(3, name, v); }
static void el0_notrap(const char *name) { SVC(4, name, 0); }

/* a function to branch to at a misaligned address (+2) */
static void __attribute__((noinline, aligned(16))) el0_target(void)
{
    __asm__ volatile("nop\n\tnop" ::: "memory");
}

static void el0_main(uint64_t mode)
{
    uint64_t v;
    el0_puts("EL0: hello from EL0\n");
    v = SVC(0x1234, 0x1000, 0);
    el0_show("EL0: svc #0x1234 echo(0x1000)", v);

    if (mode == 1) { /* every trap control set */
        __asm__ volatile("mov x0, #1\n\tmrs x0, daif\n\tmov %0, x0" : "=r"(v) :: "x0", "memory");
        el0_check("MRS x0, DAIF (UMA=0)", 0x18);
        __asm__ volatile("msr daifset, #2" ::: "memory");
        el0_check("MSR DAIFSet, #2 (UMA=0)", 0x18);
        __asm__ volatile("mrs x3, ctr_el0" ::: "x3", "memory");
        el0_check("MRS x3, CTR_EL0 (UCT=0)", 0x18);
        __asm__ volatile("ic ivau, %0" :: "r"((uint64_t)(uintptr_t)el0_target) : "memory");
        el0_check("IC IVAU (UCI=0)", 0x18);
        __asm__ volatile("mrs x5, cntvct_el0" ::: "x5", "memory");
        el0_check("MRS x5, CNTVCT_EL0 (EL0VCTEN=0)", 0x18);
        __asm__ volatile("wfi" ::: "memory");
        el0_check("WFI (nTWI=0)", 0x01);
        /* the ERET that ended the last SVC set the event register, so this
         * WFE would not wait: it must not trap (nTWE traps only a WFE that
         * would enter a low-power state) */
        __asm__ volatile("wfe" ::: "memory");
        el0_notrap("WFE after an exception return (nTWE=0)");
        __asm__ volatile(".inst 0x9e6703e0" ::: "memory"); /* fmov d0, xzr */
        el0_check("FMOV d0, xzr (FPEN=00)", 0x07);
    } else { /* the same accesses, now allowed */
        __asm__ volatile("mrs %0, daif" : "=r"(v) :: "memory");
        el0_show("EL0: MRS DAIF (UMA=1)", v);
        __asm__ volatile("msr daifclr, #4\n\tmrs %0, daif\n\tmsr daifset, #4" : "=r"(v) :: "memory");
        el0_show("EL0: MSR DAIFClr, #4; MRS DAIF (UMA=1)", v);
        __asm__ volatile("mrs %0, ctr_el0" : "=r"(v) :: "memory");
        el0_show("EL0: MRS CTR_EL0 (UCT=1)", v);
        __asm__ volatile("ic ivau, %0" :: "r"((uint64_t)(uintptr_t)el0_target) : "memory");
        el0_show("EL0: IC IVAU (UCI=1) executed", 1);
        uint64_t a, b;
        __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(a) :: "memory");
        __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(b) :: "memory");
        el0_show("EL0: CNTVCT_EL0 (EL0VCTEN=1) readable, monotonic", b >= a);
        __asm__ volatile("sevl\n\twfe" ::: "memory");
        el0_show("EL0: SEVL; WFE (nTWE=1) executed", 1);
    }

    /* UNDEFINED at EL0 whatever the controls */
    __asm__ volatile("mrs x2, sctlr_el1" ::: "x2", "memory");
    el0_check("MRS x2, SCTLR_EL1", 0x00);
    __asm__ volatile("msr vbar_el1, xzr" ::: "memory");
    el0_check("MSR VBAR_EL1, xzr", 0x00);
    __asm__ volatile("mov x0, %0\n\thvc #0" :: "r"((uint64_t)PSCI_VERSION) : "x0", "memory");
    el0_check("HVC #0 (x0 = PSCI_VERSION)", 0x00);
    __asm__ volatile("mov x0, %0\n\tsmc #0" :: "r"((uint64_t)PSCI_VERSION) : "x0", "memory");
    el0_check("SMC #0", 0x00);
    __asm__ volatile("eret" ::: "memory");
    el0_check("ERET", 0x00);
    __asm__ volatile("udf #0x42" ::: "memory");
    el0_check("UDF #0x42", 0x00);
    __asm__ volatile("brk #0x123" ::: "memory");
    el0_check("BRK #0x123", 0x3c);
    /* branch to a misaligned PC; the kernel returns to x30 */
    __asm__ volatile("add x9, %0, #2\n\tblr x9" :: "r"((uint64_t)(uintptr_t)el0_target)
                     : "x9", "x30", "memory");
    el0_check("BLR to a misaligned address", 0x22);

    SVC(0, 0x40 + mode, 0); /* exit */
    el0_puts("EL0: not reached\n");
    for (;;)
        ;
}

/* ------------------------------------------------------------ EL1 side */

static void print_trap(const char *name, int want_ec)
{
    uint32_t ec = (uint32_t)ESR_EC(last.esr);
    int ok = last.valid && (int)ec == want_ec && ESR_IL(last.esr) == 1 &&
             (last.vector >> 2) == VEC_LOWER64 && (last.spsr & 0xf) == 0;
    uint64_t esr = last.esr;
    if (last.insn == 0xd50342df) /* MSR DAIFSet, #2: see the top of the file */
        esr &= ~(0x3fULL << 14);
    kprintf("%-40s ESR %08lx EC %02x, insn at ELR %08x", name, esr, ec, last.insn);
    if (ec == 0x22)
        kprintf(", FAR = ELR %s", last.far == last.elr ? "yes" : "no");
    if (!last.valid)
        kprintf(" (stale: nothing trapped)");
    kprintf(" %s\n", ok ? "ok" : "FAIL");
    if (!ok)
        fails++;
    last.valid = 0;
}

static void sync_handler(struct frame *f)
{
    uint64_t esr = f->esr;
    uint32_t ec = (uint32_t)ESR_EC(esr);
    if ((f->vector >> 2) != VEC_LOWER64) {
        kprintf("*** unexpected exception at EL1: esr %lx elr %lx far %lx\n", esr, f->elr, f->far);
        crt_exit(0x7f);
    }
    if (ec == 0x15) {
        uint32_t imm = (uint32_t)(esr & 0xffff);
        uint32_t before = *(volatile uint32_t *)(uintptr_t)(f->elr - 4);
        if (ESR_IL(esr) != 1 || (esr & 0x1ff0000) != 0 || before != (0xd4000001u | (imm << 5)))
            svc_bad++;
        if (first_spsr == ~0ULL)
            first_spsr = f->spsr;
        switch (imm) {
        case 0:
            rt_el0_exit(f, f->x[0]);
            return;
        case 1: {
            const char *s = (const char *)(uintptr_t)f->x[0];
            for (uint64_t i = 0; i < f->x[1]; i++)
                uart_putc(s[i]);
            f->x[0] = f->x[1];
            return;
        }
        case 2:
            print_trap((const char *)(uintptr_t)f->x[0], (int)f->x[1]);
            return;
        case 3:
        case 4:
            if (imm == 3)
                kprintf("%s: %lx", (const char *)(uintptr_t)f->x[0], f->x[1]);
            else
                kprintf("%-40s", (const char *)(uintptr_t)f->x[0]);
            if (last.valid) {
                kprintf(" FAIL: trapped, ESR %lx\n", last.esr);
                last.valid = 0;
                fails++;
            } else {
                kprintf(imm == 3 ? "\n" : " no trap ok\n");
            }
            return;
        case 0x1234:
            f->x[0] += imm;
            return;
        default:
            kprintf("unknown system call %x\n", imm);
            fails++;
            return;
        }
    }
    last.esr = esr;
    last.elr = f->elr;
    last.far = f->far;
    last.spsr = f->spsr;
    last.vector = f->vector;
    last.insn = *(volatile uint32_t *)(uintptr_t)(f->elr & ~3ULL);
    last.valid = 1;
    if (ec == 0x22) {               /* PC alignment: return to the caller */
        f->elr = f->x[30];
    } else {
        if (ec == 0x18) {           /* trapped MRS: make Rt visibly not read */
            uint32_t rt = (uint32_t)(esr >> 5) & 31;
            if (rt != 31 && (esr & 1))
                f->x[rt] = 0xbad;
        }
        f->elr += 4;
    }
}

#define SCTLR_UMA (1ULL << 9)
#define SCTLR_DZE (1ULL << 14)
#define SCTLR_UCT (1ULL << 15)
#define SCTLR_NTWI (1ULL << 16)
#define SCTLR_NTWE (1ULL << 18)
#define SCTLR_UCI (1ULL << 26)

int main(void)
{
    rt_sync_handler = sync_handler;
    first_spsr = ~0ULL;
    uint64_t sctlr = read_sysreg(sctlr_el1);
    /* the reset value is IMPLEMENTATION DEFINED: QEMU's cortex-a57 has
     * 0x00c50838 (nTWE, nTWI, SA0, SA, CP15BEN set); print the EL0 controls */
    kprintf("el0: SCTLR_EL1 at reset: UCI %lu nTWE %lu nTWI %lu UCT %lu DZE %lu UMA %lu SA0 %lu "
            "SA %lu C %lu M %lu; CPACR_EL1 %lx, CNTKCTL_EL1 & 3 %lx\n",
            (sctlr >> 26) & 1, (sctlr >> 18) & 1, (sctlr >> 16) & 1, (sctlr >> 15) & 1,
            (sctlr >> 14) & 1, (sctlr >> 9) & 1, (sctlr >> 4) & 1, (sctlr >> 3) & 1,
            (sctlr >> 2) & 1, sctlr & 1, read_sysreg(cpacr_el1), read_sysreg(cntkctl_el1) & 3);
    uint64_t stack_top = (uint64_t)(uintptr_t)(el0_stack + sizeof el0_stack);

    /* run 1: all traps on */
    sctlr &= ~(SCTLR_UMA | SCTLR_UCT | SCTLR_NTWI | SCTLR_NTWE | SCTLR_UCI | SCTLR_DZE);
    write_sysreg(sctlr_el1, sctlr);
    write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) & ~3ULL);
    write_sysreg(cpacr_el1, 0);
    isb();
    kprintf("run 1: trap controls set\n");
    uint64_t r = run_el0(el0_main, stack_top, 1, SPSR_EL0);
    kprintf("run 1: EL0 exited with %lx, SPSR_EL1 at the first SVC %lx\n", r, first_spsr & 0x3cf);
    if (r != 0x41 || (first_spsr & 0x3cf) != SPSR_EL0)
        fails++;

    /* run 2: traps off */
    sctlr |= SCTLR_UMA | SCTLR_UCT | SCTLR_NTWI | SCTLR_NTWE | SCTLR_UCI;
    write_sysreg(sctlr_el1, sctlr);
    write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | 2); /* EL0VCTEN */
    write_sysreg(cpacr_el1, 3ULL << 20);                     /* FPEN = 11 */
    isb();
    kprintf("run 2: trap controls clear\n");
    r = run_el0(el0_main, stack_top, 2, SPSR_EL0);
    kprintf("run 2: EL0 exited with %lx\n", r);
    if (r != 0x42)
        fails++;
    write_sysreg(cpacr_el1, 0);
    isb();

    kprintf("SVC syndrome or ELR problems: %d\n", svc_bad);
    if (svc_bad)
        fails++;
    kprintf("el0: %s\n", fails ? "FAIL" : "pass");
    return fails ? 1 : 0;
}
