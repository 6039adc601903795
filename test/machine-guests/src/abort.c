/*
 * abort.c - synchronous external aborts from physical addresses with nothing
 * behind them (on QEMU's virt board and on a64emu's).
 *
 * Loads (LDR, LDRB, LDP, LDXR), stores (STR, STRH) and a branch to
 *   0x0c00_0000  the (empty) platform-bus window below RAM,
 *   0x8000_0000  above the end of RAM (-m 256) and below 4 GiB,
 *   0xf000_0000  likewise,
 * first with the MMU off, then with it on (the identity map: 0-1 GiB
 * Device, 1-2 GiB Normal).  Each must take a data abort (EC 0x25) or an
 * instruction abort (EC 0x21) with FSC 0x10 (synchronous external abort, not
 * on a translation table walk) and FAR = the address; the handler prints
 * ESR, FAR and ELR relative to the probe and continues after the access (or
 * at the caller, for the branch).  ESR.ISV is 0 and ESR.EA is the
 * IMPLEMENTATION DEFINED classification: both as QEMU reports them.
 */
#include "rt.h"

uint64_t ab_ldr(uint64_t pa);
uint64_t ab_ldrb(uint64_t pa);
uint64_t ab_ldp(uint64_t pa);
uint64_t ab_ldxr(uint64_t pa);
void ab_str(uint64_t pa, uint64_t v);
void ab_strh(uint64_t pa, uint64_t v);
void ab_exec(uint64_t pa);

static volatile int taken;
static uint64_t base; /* the probe being run: ELR is printed relative to it */

static void sync(struct frame *f)
{
    taken++;
    kprintf("  ESR %08lx (EC %02lx IL %lu ISV %lu EA %lu WnR %lu FSC %02lx) FAR %lx ELR probe+%lx\n",
            f->esr, ESR_EC(f->esr), ESR_IL(f->esr), (f->esr >> 24) & 1, (f->esr >> 9) & 1,
            (f->esr >> 6) & 1, f->esr & 0x3f, f->far, f->elr - base);
    if (ESR_EC(f->esr) == 0x21)
        f->elr = f->x[30]; /* the branch: back to the caller */
    else
        f->elr += 4;
}

static const uint64_t addrs[] = {0x0c000000ULL, 0x80000000ULL, 0xf0000000ULL};

static int run(const char *mode)
{
    int fail = 0;
    for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        uint64_t a = addrs[i];
        if (mode[0] == 'o' && mode[1] == 'n' && a >= 0x80000000ULL)
            continue; /* not in the identity map: a translation fault, not this test */
        int before = taken;
        kprintf("%s %lx:\n", mode, a);
        base = (uint64_t)ab_ldr;
        if (ab_ldr(a) != 0xdead) fail = 1;
        base = (uint64_t)ab_ldrb;
        if (ab_ldrb(a + 1) != 0xdead) fail = 1;
        base = (uint64_t)ab_ldp;
        if (ab_ldp(a + 16) != 0xdead) fail = 1;
        base = (uint64_t)ab_ldxr;
        if (ab_ldxr(a + 4) != 0xdead) fail = 1;
        base = (uint64_t)ab_str;
        ab_str(a + 8, 1);
        base = (uint64_t)ab_strh;
        ab_strh(a + 2, 1);
        base = a;
        ab_exec(a);
        if (taken - before != 7) fail = 1;
    }
    return fail;
}

int main(void)
{
    int fail = 0;
    if (rt_init() != 0)
        return 1;
    rt_sync_handler = sync;
    fail |= run("off");
    mmu_build_identity();
    mmu_on();
    fail |= run("on");
    mmu_off();
    kprintf("abort: %d aborts: %s\n", taken, fail ? "FAIL" : "pass");
    return fail;
}
