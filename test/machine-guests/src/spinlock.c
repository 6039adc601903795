/*
 * spinlock.c - a multi-core spinlock with LDAXR/STXR and SEVL/WFE.
 *
 * Every core (core 0 plus all secondaries, started by PSCI CPU_ON) takes a
 * lock ITERS(round) times and increments a shared counter with a plain load/add/
 * store inside it; inside the critical section it also checks that nobody
 * else is in it.  Four rounds: a test-and-set lock and a ticket lock, each
 * with the MMU off (data accesses are Device-nGnRnE) and on (an identity map,
 * RAM Normal write-back, inner shareable).  Core 0 waits for all cores, then
 * prints the totals, which depend only on the number of cores.
 *
 * Before that, core 0 checks single-core exclusive-monitor facts the
 * architecture guarantees: STXR fails without a reservation (after CLREX),
 * and fails when another core has stored to the reserved location.
 */
#include "rt.h"

/* Iterations per core per round.  The ticket lock hands the lock over in
 * FIFO order, so under QEMU with more vCPUs than host CPUs every handover to
 * a descheduled vCPU costs a host time slice: keep its rounds short. */
#define ITERS_TAS 2000
#define ITERS_TICKET 200
#define ROUNDS 4
#define ITERS(r) (((r) & 1) ? ITERS_TICKET : ITERS_TAS)

void tas_lock(volatile uint32_t *lock);
void tas_unlock(volatile uint32_t *lock);
void ticket_lock(volatile uint32_t *lock);
void ticket_unlock(volatile uint32_t *lock);
int stxr_after_clrex(volatile uint32_t *p, uint32_t v);
uint32_t ldxr32(volatile uint32_t *p);
int stxr32(volatile uint32_t *p, uint32_t v);

/* each lock and counter on its own 64-byte line (CTR_EL0.ERG = 64 bytes on
 * cortex-a57), so that no round's data shares an exclusives granule */
struct slot {
    volatile uint32_t lock;
    volatile uint32_t in_cs;
    volatile uint32_t counter;
    uint32_t pad[13];
} __attribute__((aligned(64)));

static struct slot slots[ROUNDS];
static volatile uint32_t overlaps[ROUNDS];
static volatile uint32_t acquired[ROUNDS][MAX_CORES];
static volatile uint32_t done_count;

/* cross-core monitor test: the reserved word alone in its granule, the
 * flags in others */
static struct slot xmon;
#define xmon_word (xmon.lock)
static struct slot xflags[2];
#define xmon_go (xflags[0].lock)
#define xmon_stored (xflags[1].lock)

static void work(int core)
{
    for (int r = 0; r < ROUNDS; r++) {
        rt_barrier(ncores);
        if (r == 2)
            mmu_on();
        rt_barrier(ncores);
        struct slot *s = &slots[r];
        int ticket = r & 1;
        for (int i = 0; i < ITERS(r); i++) {
            if (ticket)
                ticket_lock(&s->lock);
            else
                tas_lock(&s->lock);
            if (s->in_cs != 0)
                overlaps[r] = overlaps[r] + 1;
            s->in_cs = (uint32_t)core + 1;
            uint32_t c = s->counter;
            s->counter = c + 1;
            if (s->in_cs != (uint32_t)core + 1)
                overlaps[r] = overlaps[r] + 1;
            s->in_cs = 0;
            acquired[r][core] = acquired[r][core] + 1;
            if (ticket)
                ticket_unlock(&s->lock);
            else
                tas_unlock(&s->lock);
        }
    }
}

static void secondary(int core)
{
    /* first, the cross-core monitor test (core 1 only) */
    if (core == 1) {
        wait_ge32(&xmon_go, 1);
        xmon_word = 0x5678; /* a plain store to core 0's reserved word */
        dsb(sy);
        atomic_add32(&xmon_stored, 1);
        sev();
    }
    work(core);
    atomic_add32(&done_count, 1);
    sev();
    for (;;)
        wfe();
}

int main(void)
{
    int fail = 0;
    if (rt_init() != 0)
        return 1;
    kprintf("spinlock: %d cores; iterations per core: %d per test-and-set round, %d per ticket round\n",
            ncores, ITERS_TAS, ITERS_TICKET);

    /* exclusive-monitor facts on one core */
    volatile uint32_t word = 7;
    int st = stxr_after_clrex(&word, 9);
    kprintf("STXR after CLREX: status %d, memory %u\n", st, word);
    if (st != 1 || word != 7)
        fail = 1;
    int tries = 0;
    do {
        uint32_t v = ldxr32(&word);
        st = stxr32(&word, v + 1);
        tries++;
    } while (st != 0 && tries < 100);
    kprintf("LDXR/STXR pair: %s, memory %u\n", st == 0 ? "stored" : "never stored", word);
    if (st != 0 || word != 8)
        fail = 1;

    mmu_build_identity();
    if (start_all(secondary) != 0)
        return 1;

    if (ncores > 1) {
        /* core 0 reserves xmon_word; core 1 stores to it; STXR must fail */
        xmon_word = 0x1234;
        (void)ldxr32(&xmon_word);
        xmon_go = 1; /* a plain store: an LDAXR/STLXR here would move our reservation */
        dsb(sy);
        sev();
        while (xmon_stored == 0) /* plain loads: keep the reservation alive */
            ;
        st = stxr32(&xmon_word, 0x9abc);
        kprintf("STXR after another core's store: status %d, memory %x\n", st, xmon_word);
        if (st != 1 || xmon_word != 0x5678)
            fail = 1;
    }

    work(0);
    wait_ge32(&done_count, (uint32_t)ncores - 1);

    static const char *const names[ROUNDS] = {
        "test-and-set, MMU off", "ticket, MMU off", "test-and-set, MMU on", "ticket, MMU on",
    };
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t want = (uint32_t)ncores * ITERS(r);
        uint32_t sum = 0;
        int each_ok = 1;
        for (int k = 0; k < ncores; k++) {
            sum += acquired[r][k];
            if (acquired[r][k] != (uint32_t)ITERS(r))
                each_ok = 0;
        }
        uint32_t lockval = slots[r].lock;
        uint32_t want_lock = (r & 1) ? (want << 16 | want) & 0xffffffffu : 0;
        int ok = slots[r].counter == want && sum == want && each_ok && overlaps[r] == 0 &&
                 lockval == want_lock;
        kprintf("round %d (%s): counter %u (expected %u), acquisitions %u, overlaps %u, "
                "lock word %x: %s\n",
                r, names[r], slots[r].counter, want, sum, overlaps[r], lockval,
                ok ? "ok" : "FAIL");
        if (!ok)
            fail = 1;
    }
    mmu_off();
    kprintf("spinlock: %s\n", fail ? "FAIL" : "pass");
    return fail;
}
