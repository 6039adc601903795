/*
 * psci.c - PSCI over HVC, the oracle check of a64emu's firmware: normal calls
 * and error cases, with every return code printed.
 *
 *   PSCI_VERSION; PSCI_FEATURES of implemented, optional and unknown ids;
 *   MIGRATE_INFO_TYPE; calls to unknown function ids (and SMC, which is not
 *   the conduit here: UNDEFINED at EL1 without EL3);
 *   AFFINITY_INFO of on, off and absent cores;
 *   CPU_ON of an absent core (INVALID_PARAMETERS) and of a core that is on
 *   (ALREADY_ON); CPU_ON of core 1 with a 64-bit context id, the state it
 *   starts in (x0, CurrentEL, DAIF, SCTLR_EL1.M/C, SPSel); CPU_OFF by core 1,
 *   after which AFFINITY_INFO reports it off (polled until it does: the
 *   power-down completes asynchronously on QEMU); CPU_ON of it again;
 *   CPU_SUSPEND to standby, woken by the virtual timer;
 *   and SYSTEM_OFF to end the run when every check passed (status 0).
 *
 * An HVC that is not a PSCI call on the board is UNDEFINED (no EL2): the
 * handler reports it as "UNDEFINED" instead of a return code.
 */
#include "rt.h"

#define UNDEF_MARK 0x7fff0000deadULL

void ctx_entry(void);
volatile uint64_t ctx_seen[8]; /* x0, CurrentEL, DAIF, SCTLR, SPSel, ready, CPU_OFF result */

static int fails;
static volatile uint64_t undef_esr;

static void sync_handler(struct frame *f)
{
    uint32_t ec = (uint32_t)ESR_EC(f->esr);
    if (ec == 0 && (f->vector >> 2) == VEC_CUR_SPX) {
        uint32_t insn = *(volatile uint32_t *)(uintptr_t)f->elr;
        if (insn == 0xd4000002u || insn == 0xd4000003u) { /* HVC #0, SMC #0 */
            undef_esr = f->esr;
            f->x[0] = UNDEF_MARK;
            f->elr += 4;
            return;
        }
    }
    kprintf("*** core %d: unexpected exception esr %lx elr %lx far %lx\n", this_core(), f->esr,
            f->elr, f->far);
    crt_exit(0x7f);
}

static int64_t smc_call(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("smc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
    return (int64_t)x0;
}

static const char *code_name(int64_t r)
{
    switch (r) {
    case 0: return "SUCCESS";
    case -1: return "NOT_SUPPORTED";
    case -2: return "INVALID_PARAMETERS";
    case -3: return "DENIED";
    case -4: return "ALREADY_ON";
    case -5: return "ON_PENDING";
    case -6: return "INTERNAL_FAILURE";
    case -7: return "NOT_PRESENT";
    case -8: return "DISABLED";
    case -9: return "INVALID_ADDRESS";
    }
    return "";
}

/* print a result; want = the value required (by the PSCI spec, and what
 * QEMU returns), or NOCHECK to print only */
#define NOCHECK 0x7fffffffffffffffLL
static void show(const char *what, int64_t r, int64_t want)
{
    if ((uint64_t)r == UNDEF_MARK)
        kprintf("%-52s UNDEFINED (ESR %lx)", what, undef_esr);
    else if (r > 0)
        kprintf("%-52s %ld", what, r);
    else
        kprintf("%-52s %ld %s", what, r, code_name(r));
    if (want != NOCHECK && r != want) {
        kprintf("  FAIL (expected %ld)", want);
        fails++;
    }
    kprintf("\n");
}

static volatile uint32_t c1_alive;
static volatile uint64_t c1_state[4];
static volatile uint32_t c1_off_request;
static volatile int64_t c1_off_result = 1;

static void core1_main(int me)
{
    (void)me;
    c1_state[0] = read_sysreg(tpidr_el1); /* the context id, set by start.S */
    c1_state[1] = read_sysreg(CurrentEL);
    atomic_add32(&c1_alive, 1);
    sev();
    wait_ge32(&c1_off_request, 1);
    c1_off_result = psci_call(PSCI_CPU_OFF, 0, 0, 0); /* does not return */
    dsb(sy);
    for (;;)
        wfe();
}

/* Polling other cores' progress: QEMU completes CPU_ON and CPU_OFF
 * asynchronously on the target's vCPU thread, which may be slow to get a
 * host CPU, and every PSCI call takes QEMU's global lock: poll gently (every
 * 1000 counter ticks, 16 us) and give up only after 2 s of counter time. */
static uint64_t ticks(void)
{
    isb();
    return read_sysreg(cntvct_el0);
}

static void pause_ticks(uint64_t n)
{
    for (uint64_t end = ticks() + n; ticks() < end;)
        ;
}

#define POLL_LIMIT (2 * read_sysreg(cntfrq_el0))

/* AFFINITY_INFO polled until it returns `want` (bounded by time) */
static int64_t affinity_until(uint64_t aff, int64_t want)
{
    int64_t r = 0;
    for (uint64_t end = ticks() + POLL_LIMIT; ticks() < end; pause_ticks(1000)) {
        r = psci_call(PSCI_AFFINITY_INFO_64, aff, 0, 0);
        if (r == want)
            break;
    }
    return r;
}

/* CPU_SUSPEND with the virtual timer armed to wake the core (IRQs masked) */
static int64_t suspend_with_timer(uint64_t rd, uint64_t power_state)
{
    gic_enable_ppi_sgi(rd, 1u << 27);
    write_sysreg(cntv_tval_el0, read_sysreg(cntfrq_el0) / 1000);
    write_sysreg(cntv_ctl_el0, 1);
    isb();
    int64_t r = psci_call(PSCI_CPU_SUSPEND_64, power_state, 0, 0);
    /* let the timer expire whatever happened, then quiesce it */
    while (!(read_sysreg(cntv_ctl_el0) & 4))
        ;
    write_sysreg(cntv_ctl_el0, 0);
    isb();
    mmio_write32(rd + GICR_SGI + 0x180, 1u << 27); /* ICENABLER0 */
    return r;
}

int main(void)
{
    rt_sync_handler = sync_handler;
    if (rt_init() != 0)
        return 1;
    int n = ncores;
    uint64_t me = core_aff[0];
    uint64_t absent = n < 16 ? (uint64_t)n : 0x0f0f; /* an affinity no core has */
    kprintf("psci: %d cores\n", n);

    int64_t ver = psci_call(PSCI_VERSION, 0, 0, 0);
    kprintf("%-52s %lx (%ld.%ld)\n", "PSCI_VERSION", ver, ver >> 16, ver & 0xffff);
    if (ver < 0x10000) /* PSCI_FEATURES and the rest below need 1.0 */
        fails++;

    static const struct { uint32_t id; const char *name; int64_t want; } feats[] = {
        { PSCI_VERSION, "PSCI_VERSION", 0 },
        { PSCI_CPU_SUSPEND_32, "CPU_SUSPEND (32)", NOCHECK },
        { PSCI_CPU_SUSPEND_64, "CPU_SUSPEND (64)", NOCHECK },
        { PSCI_CPU_OFF, "CPU_OFF", 0 },
        { PSCI_CPU_ON_32, "CPU_ON (32)", 0 },
        { PSCI_CPU_ON_64, "CPU_ON (64)", 0 },
        { PSCI_AFFINITY_INFO_32, "AFFINITY_INFO (32)", 0 },
        { PSCI_AFFINITY_INFO_64, "AFFINITY_INFO (64)", 0 },
        { PSCI_MIGRATE_32, "MIGRATE (32)", -1 },
        { PSCI_MIGRATE_64, "MIGRATE (64)", -1 },
        { PSCI_MIGRATE_INFO_TYPE, "MIGRATE_INFO_TYPE", 0 },
        { PSCI_MIGRATE_INFO_UP_CPU_32, "MIGRATE_INFO_UP_CPU (32)", NOCHECK },
        { PSCI_MIGRATE_INFO_UP_CPU_64, "MIGRATE_INFO_UP_CPU (64)", NOCHECK },
        { PSCI_SYSTEM_OFF, "SYSTEM_OFF", 0 },
        { PSCI_SYSTEM_RESET, "SYSTEM_RESET", 0 },
        { PSCI_FEATURES, "PSCI_FEATURES", 0 },
        { 0x8400000Bu, "CPU_FREEZE", NOCHECK },
        { 0xC400000Cu, "CPU_DEFAULT_SUSPEND (64)", NOCHECK },
        { 0xC400000Du, "NODE_HW_STATE (64)", NOCHECK },
        { 0xC400000Eu, "SYSTEM_SUSPEND (64)", NOCHECK },
        { 0x8400000Fu, "PSCI_SET_SUSPEND_MODE", NOCHECK },
        { 0xC4000010u, "PSCI_STAT_RESIDENCY (64)", NOCHECK },
        { 0xC4000011u, "PSCI_STAT_COUNT (64)", NOCHECK },
        { 0xC4000012u, "SYSTEM_RESET2 (64)", NOCHECK },
        { 0x84000013u, "MEM_PROTECT", NOCHECK },
        { 0xC4000014u, "MEM_PROTECT_CHECK_RANGE (64)", NOCHECK },
        { 0x8400001Fu, "0x8400001f (unassigned PSCI id)", -1 },
        { 0x80000000u, "SMCCC_VERSION", NOCHECK },
        { 0x80000001u, "SMCCC_ARCH_FEATURES", NOCHECK },
        { 0xC2000000u, "0xc2000000 (SiP service)", NOCHECK },
    };
    char buf[80];
    for (size_t i = 0; i < sizeof feats / sizeof feats[0]; i++) {
        ksnprintf(buf, sizeof buf, "PSCI_FEATURES(%s)", feats[i].name);
        show(buf, psci_call(PSCI_FEATURES, feats[i].id, 0, 0), feats[i].want);
    }

    show("MIGRATE_INFO_TYPE (2: no Trusted OS migration)", psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    show("MIGRATE_INFO_UP_CPU (64)", psci_call(PSCI_MIGRATE_INFO_UP_CPU_64, 0, 0, 0), NOCHECK);
    show("MIGRATE (64) to core 0", psci_call(PSCI_MIGRATE_64, me, 0, 0), NOCHECK);
    show("HVC 0x8400001f (unassigned PSCI id)", psci_call(0x8400001Fu, 0, 0, 0), NOCHECK);
    show("HVC 0xc400001f (unassigned PSCI id, 64)", psci_call(0xC400001Fu, 0, 0, 0), NOCHECK);
    show("HVC SMCCC_VERSION", psci_call(0x80000000u, 0, 0, 0), NOCHECK);
    show("HVC 0xc2000000 (SiP service)", psci_call(0xC2000000u, 0, 0, 0), NOCHECK);
    show("SMC PSCI_VERSION (the conduit is HVC)", smc_call(PSCI_VERSION), NOCHECK);

    /* AFFINITY_INFO */
    show("AFFINITY_INFO(core 0, level 0): ON", psci_call(PSCI_AFFINITY_INFO_64, me, 0, 0), 0);
    show("AFFINITY_INFO (32)(core 0, level 0)", psci_call(PSCI_AFFINITY_INFO_32, me, 0, 0), 0);
    show("AFFINITY_INFO(absent core)", psci_call(PSCI_AFFINITY_INFO_64, absent, 0, 0), -2);
    show("AFFINITY_INFO(core 0 | bit 31, MPIDR.M)", psci_call(PSCI_AFFINITY_INFO_64, me | 0x80000000u, 0, 0),
         NOCHECK);
    show("AFFINITY_INFO(core 0, level 1)", psci_call(PSCI_AFFINITY_INFO_64, me & ~0xffULL, 1, 0), NOCHECK);
    if (n > 1)
        show("AFFINITY_INFO(core 1): OFF", psci_call(PSCI_AFFINITY_INFO_64, core_aff[1], 0, 0), 1);

    /* CPU_ON errors */
    uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
    show("CPU_ON(absent core)", psci_call(PSCI_CPU_ON_64, absent, entry, 1), -2);
    show("CPU_ON(affinity with Aff3 = 1)", psci_call(PSCI_CPU_ON_64, me | (1ULL << 32), entry, 1), -2);
    show("CPU_ON(core 0, itself): ALREADY_ON", psci_call(PSCI_CPU_ON_64, me, entry, 0), -4);
    show("CPU_ON(core 0 | bit 31, MPIDR.M)", psci_call(PSCI_CPU_ON_64, me | 0x80000000u, entry, 0), NOCHECK);

    if (n > 1) {
        /* core 1 on, then off */
        show("CPU_ON(core 1)", start_core(1, core1_main), 0);
        wait_ge32(&c1_alive, 1);
        kprintf("core 1 started: context id %lu, CurrentEL %lu\n", c1_state[0], c1_state[1] >> 2);
        if (c1_state[0] != 1 || c1_state[1] != 4)
            fails++;
        show("AFFINITY_INFO(core 1): ON", psci_call(PSCI_AFFINITY_INFO_64, core_aff[1], 0, 0), 0);
        show("CPU_ON(core 1) again: ALREADY_ON", psci_call(PSCI_CPU_ON_64, core_aff[1], entry, 1), -4);
        atomic_add32(&c1_off_request, 1);
        sev();
        show("AFFINITY_INFO(core 1) after its CPU_OFF: OFF", affinity_until(core_aff[1], 1), 1);
        if (c1_off_result != 1) {
            kprintf("CPU_OFF returned to core 1: %ld FAIL\n", c1_off_result);
            fails++;
        }

        /* on again, at an entry that records its start state, then off */
        uint64_t ctx = 0x123456789abcdef0ULL;
        show("CPU_ON(core 1, 64-bit context id)",
             psci_call(PSCI_CPU_ON_64, core_aff[1], (uint64_t)(uintptr_t)ctx_entry, ctx), 0);
        for (uint64_t end = ticks() + POLL_LIMIT; ctx_seen[5] == 0 && ticks() < end;)
            pause_ticks(100);
        kprintf("core 1 at its entry: x0 %lx, CurrentEL %lu, DAIF %lx, SCTLR_EL1.M %lu .C %lu, SPSel %lu\n",
                ctx_seen[0], ctx_seen[1] >> 2, ctx_seen[2], ctx_seen[3] & 1, (ctx_seen[3] >> 2) & 1,
                ctx_seen[4]);
        if (ctx_seen[0] != ctx || ctx_seen[1] != 4 || ctx_seen[2] != 0x3c0 || (ctx_seen[3] & 5) != 0)
            fails++;
        show("AFFINITY_INFO(core 1) after its second CPU_OFF", affinity_until(core_aff[1], 1), 1);
        if (ctx_seen[6] != 0) {
            kprintf("CPU_OFF returned to core 1: %lx FAIL\n", ctx_seen[6]);
            fails++;
        }
    }
    if (n > 2)
        show("AFFINITY_INFO(core 2): OFF", psci_call(PSCI_AFFINITY_INFO_64, core_aff[2], 0, 0), 1);

    /* CPU_SUSPEND: standby, woken by the virtual timer (IRQs stay masked) */
    gic_dist_init();
    uint64_t rd = gic_cpu_init();
    show("CPU_SUSPEND(standby, power_state 0)", suspend_with_timer(rd, 0), 0);
    show("CPU_SUSPEND(power_state 0x01000000)", suspend_with_timer(rd, 0x01000000), NOCHECK);
    show("CPU_SUSPEND(power_state 0x00010000, powerdown)", suspend_with_timer(rd, 0x00010000), NOCHECK);

    kprintf("psci: %s\n", fails ? "FAIL" : "pass, SYSTEM_OFF");
    if (fails)
        return 1;
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    kprintf("SYSTEM_OFF returned FAIL\n");
    return 1;
}
