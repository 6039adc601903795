/* The default image's workload: self-tests of the SMP layer on every CPU.
 * Output: `PASS: name` or `FAIL: name: detail` per result (and `SKIP:` for a
 * check the machine cannot show), `INFO:` lines with numbers worth seeing,
 * then `SUMMARY: N passed, M failed`; the run ends through semihosting with
 * status 0 only when nothing failed.
 *
 * The boot CPU drives; the others run jobs it hands out through a plain
 * shared-memory dispatcher (run_job), which uses atomics and WFE but no ICIs,
 * so the lock tests do not depend on the code under test. Every test works
 * with any CPU count from 1 up, adapting what it expects. */
#include "smp.h"
#include "heap.h"
#include "debug.h"
#include "workload.h"
#include "test_objects.h"
#include "arch/arm64/arch.h"
#include "arch/arm64/atomic.h"
#include "arch/arm64/barrier.h"
#include "arch/arm64/cpu.h"


static int32 sPassed, sFailed, sSkipped;
static const char *volatile sCurrentTest = "boot";
static int32 sNum;		/* CPUs */
static uint64 sRunStart;

#define WATCHDOG_SECONDS 30
#define DEFAULT_TIMEOUT_US 5000000

/* ---- reporting ---- */

static void pass(const char *name)
{
	kprintf("PASS: %s\n", name);
	sPassed++;
}

static void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *name, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("FAIL: %s: %s\n", name, buf);
	sFailed++;
}

static void skip(const char *name, const char *why)
{
	kprintf("SKIP: %s: %s\n", name, why);
	sSkipped++;
}

static void watchdog_fired(int32 cpu)
{
	kprintf("FAIL: %s: watchdog: no result after %d s (cpu %d)\n", sCurrentTest,
		WATCHDOG_SECONDS, cpu);
	debug_command("spinlock", 0);
	debug_command("ici", 0);
	kprintf("SUMMARY: %d passed, %d failed\n", sPassed, sFailed + 1);
	semihost_exit(1);
}

static void begin_test(const char *name)
{
#ifdef TEST_TIMING
	static uint64 last;
	uint64 now = timer_now();
	if (last)
		kprintf("TIMING: %lu us before %s\n", (now - last) * 1000000 / timer_frequency(), name);
	last = now;
#endif
	sCurrentTest = name;
	timer_arm_oneshot(timer_frequency() * WATCHDOG_SECONDS);
}

static bool wait_for_value(vint32 *p, int32 value, uint64 timeoutUs)
{
	uint64 end = timer_now() + timer_us_to_ticks(timeoutUs);
	while (atomic_get(p) != value) {
		if (timer_now() > end)
			return false;
		cpu_wait(p, value);
	}
	return true;
}

/* ---- job dispatcher ---- */

typedef void (*job_func)(int32 cpu, void *arg);

static job_func volatile sJobFunc;
static void *volatile sJobArg;
static volatile uint64 sJobMask;
static vint32 sJobGeneration;
static vint32 sJobDone;

static uint64 all_cpus_mask(void)
{
	return sNum >= 64 ? ~0ULL : (1ULL << sNum) - 1;
}

/* Run fn on every CPU in mask (the boot CPU first, inline), and wait until
 * all are done. Interrupts stay on while waiting, so ICIs get through. */
static bool run_job(uint64 mask, job_func fn, void *arg)
{
	sJobFunc = fn;
	sJobArg = arg;
	sJobMask = mask;
	atomic_set(&sJobDone, 0);
	atomic_add(&sJobGeneration, 1);	/* store-release: the job is published */
	arch_smp_kick_other_cpus();		/* idle CPUs sleep in WFI */
	if (mask & 1)
		fn(0, arg);
	if (!wait_for_value(&sJobDone, sNum - 1, 20000000)) {
		fail(sCurrentTest, "job did not finish on every CPU (%d of %d)",
			atomic_get(&sJobDone), sNum - 1);
		return false;
	}
	return true;
}

static bool run_on_all(job_func fn, void *arg)
{
	return run_job(all_cpus_mask(), fn, arg);
}

/* Idle CPUs sleep in WFI, not WFE: under QEMU, WFE only yields, and idle
 * vCPUs spinning on a host with fewer cores than vCPUs would starve the ones
 * doing the work. WFI ends on any interrupt: the dispatcher's kick SGI or an
 * ICI. It runs with IRQs masked so an interrupt between the check and the
 * WFI stays pending and ends the WFI instead of being lost before it. */
void workload_secondary(int32 cpu)
{
	/* generation 0 means no job yet; reading the current value here instead
	 * would lose a job published before this CPU got here */
	int32 seen = 0;
	for (;;) {
		disable_interrupts();
		int32 generation = atomic_get(&sJobGeneration);
		if (generation == seen)
			__asm__ volatile("wfi" ::: "memory");
		enable_interrupts();	/* take whatever woke us */
		if (generation == seen)
			continue;
		seen = generation;
		if (sJobMask & (1ULL << cpu))
			sJobFunc(cpu, sJobArg);
		atomic_add(&sJobDone, 1);
	}
}

/* ---- counting callbacks ---- */

typedef struct counters {
	vint32 perCPU[SMP_MAX_CPUS];
	vint32 total;
	vint32 wrongCPU;	/* called with a cpu argument that is not the running CPU */
} counters;

static counters sCounts;

static void reset_counters(counters *c)
{
	for (int i = 0; i < SMP_MAX_CPUS; i++)
		c->perCPU[i] = 0;
	c->total = 0;
	c->wrongCPU = 0;
	memory_full_barrier();
}

static void count_cpu(counters *c, int32 cpu)
{
	if (cpu != smp_get_current_cpu())
		atomic_add(&c->wrongCPU, 1);
	atomic_add(&c->perCPU[cpu], 1);
	atomic_add(&c->total, 1);
}

/* smp_call_func form, for raw SMP_MSG_CALL_FUNCTION messages */
static void count_call(addr_t data1, int32 cpu, addr_t data2, addr_t data3)
{
	(void)data2;
	(void)data3;
	count_cpu((counters *)data1, cpu);
}

/* (void *, int) form, for call_single_cpu and call_all_cpus */
static void count_func(void *cookie, int cpu)
{
	count_cpu((counters *)cookie, cpu);
}

/* After the expected number arrived, wait a little more so a duplicate
 * delivery would show, then compare every CPU's count exactly. */
static bool check_counts(const char *name, counters *c, uint64 expectMask, int32 expectEach)
{
	int32 expectedTotal = 0;
	for (int32 cpu = 0; cpu < sNum; cpu++)
		if (expectMask & (1ULL << cpu))
			expectedTotal += expectEach;
	bool arrived = wait_for_value(&c->total, expectedTotal, DEFAULT_TIMEOUT_US);
	timer_delay_us(200);
	for (int32 cpu = 0; cpu < sNum; cpu++) {
		int32 expected = (expectMask & (1ULL << cpu)) ? expectEach : 0;
		if (c->perCPU[cpu] != expected) {
			fail(name, "cpu %d ran it %d times, expected %d%s", cpu, c->perCPU[cpu],
				expected, arrived ? "" : " (timed out)");
			return false;
		}
	}
	if (c->total != expectedTotal) {
		fail(name, "total %d, expected %d", c->total, expectedTotal);
		return false;
	}
	if (c->wrongCPU) {
		fail(name, "%d calls got a wrong cpu argument", c->wrongCPU);
		return false;
	}
	return true;
}

static int32 received(int32 cpu, int32 message)
{
	return atomic_get(&gCPU[cpu].ici_received[message]);
}

/* ---- early calls (before ICIs are enabled) ---- */

static int32 sGICVersion;	/* 3 or 2: how ICIs are sent (kernel_args) */

void workload_before_wakeup(kernel_args *args)
{
	sNum = smp_get_num_cpus();
	sGICVersion = args->gic_version;

	begin_test("early_call_all_cpus");
	reset_counters(&sCounts);
	call_all_cpus_early(count_func, &sCounts);
	/* call_all_cpus_early returns after every CPU ran it: no waiting */
	if (check_counts("early_call_all_cpus", &sCounts, all_cpus_mask(), 1))
		pass("early_call_all_cpus");

	begin_test("early_call_all_cpus_fallback");
	reset_counters(&sCounts);
	call_all_cpus(count_func, &sCounts);	/* ICIs are off: takes the early path */
	if (check_counts("early_call_all_cpus_fallback", &sCounts, all_cpus_mask(), 1))
		pass("early_call_all_cpus_fallback");
	timer_disarm();
}

/* ---- boot and topology ---- */

static int32 count_sgi_groups(uint64 mask)
{
	uint64 groups[SMP_MAX_CPUS];
	int32 n = 0;
	for (int32 cpu = 0; cpu < sNum; cpu++) {
		if (!(mask & (1ULL << cpu)))
			continue;
		uint64 m = gCPU[cpu].mpidr;
		uint64 g = (m & ~0xffULL) | ((m & 0xff) >> 4);	/* cluster + Aff0 range */
		bool seen = false;
		for (int32 i = 0; i < n; i++)
			seen |= groups[i] == g;
		if (!seen)
			groups[n++] = g;
	}
	return n;
}

/* SGI register writes a multicast to mask takes: GICv3, one ICC_SGI1R_EL1
 * write per group; GICv2, one GICD_SGIR write (8 targets, no clusters). */
static int32 multicast_sgi_writes(uint64 mask)
{
	if (sGICVersion == 2)
		return mask != 0;
	return count_sgi_groups(mask);
}

static void test_boot(void)
{
	begin_test("boot_all_cpus");
	bool ok = true;
	for (int32 a = 0; a < sNum; a++)
		for (int32 b = a + 1; b < sNum; b++)
			if (gCPU[a].mpidr == gCPU[b].mpidr) {
				fail("boot_all_cpus", "cpus %d and %d share MPIDR 0x%lx", a, b, gCPU[a].mpidr);
				ok = false;
			}
	if (gCPU[0].mpidr != arch_cpu_mpidr()) {
		fail("boot_all_cpus", "cpu 0 is not the boot CPU");
		ok = false;
	}
	kprintf("INFO: %d CPUs, %d Aff1 cluster(s); MPIDR affinities:", sNum,
		count_sgi_groups(all_cpus_mask()));
	for (int32 cpu = 0; cpu < sNum; cpu++)
		kprintf(" %lx", gCPU[cpu].mpidr);
	kprintf("\n");
	kprintf("INFO: GICv%d: ICIs through %s\n", sGICVersion,
		sGICVersion == 2 ? "GICD_SGIR" : "ICC_SGI1R_EL1");
	if (ok)
		pass("boot_all_cpus");
}

/* ---- spinlock ---- */

#define SPIN_ITERATIONS 1000

typedef struct spin_test {
	volatile int64 counter;	/* deliberately not atomic: the lock protects it */
	vint32 inside;
	vint32 overlaps;
} spin_test;

static spin_test sSpin;

static void spin_job(int32 cpu, void *arg)
{
	(void)cpu;
	spin_test *t = arg;
	for (int i = 0; i < SPIN_ITERATIONS; i++) {
		acquire_spinlock(&g_test_lock);
		if (atomic_add(&t->inside, 1) != 0)
			atomic_add(&t->overlaps, 1);
		int64 v = t->counter;
		__asm__ volatile("nop\n\tnop\n\tnop\n\tnop" ::: "memory");	/* widen the race window */
		t->counter = v + 1;
		atomic_add(&t->inside, -1);
		release_spinlock(&g_test_lock);
	}
}

static void test_spinlock(void)
{
	begin_test("spinlock_mutual_exclusion");
	sSpin.counter = 0;
	sSpin.inside = 0;
	sSpin.overlaps = 0;
	if (run_on_all(spin_job, &sSpin)) {
		int64 expected = (int64)sNum * SPIN_ITERATIONS;
		if (sSpin.overlaps != 0 || sSpin.counter != expected)
			fail("spinlock_mutual_exclusion", "%d overlapping holders, counter %ld of %ld",
				sSpin.overlaps, sSpin.counter, expected);
		else if (spinlock_is_held(&g_test_lock))
			fail("spinlock_mutual_exclusion", "lock still held afterwards");
		else
			pass("spinlock_mutual_exclusion");
	}
}

static vint32 sTryResult;

static void try_job(int32 cpu, void *arg)
{
	(void)cpu;
	spinlock *lock = arg;
	bool got = try_acquire_spinlock(lock);
	atomic_set(&sTryResult, got ? 1 : 0);
	if (got)
		release_spinlock(lock);
}

static void test_try_acquire(void)
{
	begin_test("spinlock_try_acquire");
	const char *name = "spinlock_try_acquire";
	uint64 other = sNum > 1 ? 2 : 1;	/* the other CPU, or ourselves */
	if (!try_acquire_spinlock(&g_test_lock)) {
		fail(name, "free lock not acquired");
		return;
	}
	if (try_acquire_spinlock(&g_test_lock)) {
		fail(name, "held lock acquired again by its holder");
		return;
	}
	atomic_set(&sTryResult, -1);
	run_job(other, try_job, &g_test_lock);
	if (sTryResult != 0) {
		fail(name, "held lock acquired by cpu %d", sNum > 1 ? 1 : 0);
		release_spinlock(&g_test_lock);
		return;
	}
	if (g_test_lock.holder != 1) {
		fail(name, "holder field %d, expected cpu 0", g_test_lock.holder - 1);
		return;
	}
	release_spinlock(&g_test_lock);
	atomic_set(&sTryResult, -1);
	run_job(other, try_job, &g_test_lock);
	if (sTryResult != 1) {
		fail(name, "released lock not acquired");
		return;
	}
	pass(name);
}

/* ---- rw_spinlock ---- */

typedef struct rw_test {
	vint32 readersInside;
	vint32 writersInside;
	vint32 maxReaders;
	vint32 violations;
	vint32 timeouts;
	volatile int64 data;
	vint32 writes;
} rw_test;

static rw_test sRW;

static void rw_readers_job(int32 cpu, void *arg)
{
	(void)cpu;
	rw_test *t = arg;
	acquire_read_spinlock(&g_test_rw_lock);
	atomic_add(&t->readersInside, 1);
	/* every reader holds the lock until all are inside: only possible if
	 * readers really share it */
	if (!wait_for_value(&t->readersInside, sNum, 5000000))
		atomic_add(&t->timeouts, 1);
	int32 seen = atomic_get(&t->readersInside);
	if (seen > t->maxReaders)
		t->maxReaders = seen;
	atomic_add(&t->writes, 1);
	/* leave only when everyone has looked */
	wait_for_value(&t->writes, sNum, 5000000);
	release_read_spinlock(&g_test_rw_lock);
}

#define RW_ITERATIONS 400

static void rw_mixed_job(int32 cpu, void *arg)
{
	rw_test *t = arg;
	for (int i = 0; i < RW_ITERATIONS; i++) {
		if ((i + cpu) % 4 == 0) {
			acquire_write_spinlock(&g_test_rw_lock);
			if (atomic_add(&t->writersInside, 1) != 0 || atomic_get(&t->readersInside) != 0)
				atomic_add(&t->violations, 1);
			int64 v = t->data;
			__asm__ volatile("nop\n\tnop\n\tnop\n\tnop" ::: "memory");
			t->data = v + 1;
			atomic_add(&t->writes, 1);
			atomic_add(&t->writersInside, -1);
			release_write_spinlock(&g_test_rw_lock);
		} else {
			acquire_read_spinlock(&g_test_rw_lock);
			atomic_add(&t->readersInside, 1);
			if (atomic_get(&t->writersInside) != 0)
				atomic_add(&t->violations, 1);
			__asm__ volatile("nop\n\tnop" ::: "memory");
			atomic_add(&t->readersInside, -1);
			release_read_spinlock(&g_test_rw_lock);
		}
	}
}

static vint32 sStrayResult;

static void stray_reader_job(int32 cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	atomic_set(&sStrayResult, try_acquire_read_spinlock(&g_test_rw_lock) ? 1 : 0);
}

static void test_rw_spinlock(void)
{
	begin_test("rw_spinlock_concurrent_readers");
	sRW = (rw_test){ 0 };
	if (run_on_all(rw_readers_job, &sRW)) {
		if (sRW.timeouts || sRW.maxReaders != sNum)
			fail("rw_spinlock_concurrent_readers", "at most %d of %d readers inside at once",
				sRW.maxReaders, sNum);
		else if (g_test_rw_lock.lock != 0)
			fail("rw_spinlock_concurrent_readers", "lock word 0x%x afterwards",
				(uint32)g_test_rw_lock.lock);
		else
			pass("rw_spinlock_concurrent_readers");
	}

	begin_test("rw_spinlock_exclusive_writers");
	sRW = (rw_test){ 0 };
	if (run_on_all(rw_mixed_job, &sRW)) {
		if (sRW.violations || sRW.data != sRW.writes)
			fail("rw_spinlock_exclusive_writers", "%d exclusion violations, data %ld after %d writes",
				sRW.violations, sRW.data, sRW.writes);
		else if (g_test_rw_lock.lock != 0)
			fail("rw_spinlock_exclusive_writers", "lock word 0x%x afterwards",
				(uint32)g_test_rw_lock.lock);
		else
			pass("rw_spinlock_exclusive_writers");
	}

	/* A reader that fails against a writer leaves its increment behind;
	 * the writer's release (store 0) wipes it, so the lock is free again. */
	begin_test("rw_spinlock_stray_reader_count");
	const char *name = "rw_spinlock_stray_reader_count";
	uint64 other = sNum > 1 ? 2 : 1;
	acquire_write_spinlock(&g_test_rw_lock);
	atomic_set(&sStrayResult, -1);
	run_job(other, stray_reader_job, NULL);
	uint32 word = (uint32)g_test_rw_lock.lock;
	if (sStrayResult != 0) {
		fail(name, "reader got in past a writer");
		return;
	}
	if (word != 0x80000001u) {
		fail(name, "lock word 0x%x after the failed reader, expected 0x80000001", word);
		return;
	}
	if (try_acquire_write_spinlock(&g_test_rw_lock)) {
		fail(name, "second writer got in");
		return;
	}
	release_write_spinlock(&g_test_rw_lock);
	word = (uint32)g_test_rw_lock.lock;
	if (word != 0) {
		fail(name, "lock word 0x%x after the writer's release, expected 0", word);
		return;
	}
	if (!try_acquire_write_spinlock(&g_test_rw_lock)) {
		fail(name, "stray count blocks the next writer");
		return;
	}
	release_write_spinlock(&g_test_rw_lock);
	atomic_set(&sStrayResult, -1);
	run_job(other, stray_reader_job, NULL);
	if (sStrayResult != 1) {
		fail(name, "reader refused on a free lock");
		return;
	}
	release_read_spinlock(&g_test_rw_lock);
	if (g_test_rw_lock.lock != 0) {
		fail(name, "lock word 0x%x at the end", (uint32)g_test_rw_lock.lock);
		return;
	}
	pass(name);
}

/* ---- seqlock ---- */

#define SEQ_ITERATIONS 300
#define SEQ_WORDS 4

typedef struct seq_test {
	volatile uint64 data[SEQ_WORDS];	/* a writer stores one value into all */
	vint32 torn;
	vint32 reads;
	vint32 retries;
	vint32 writes;
} seq_test;

static seq_test sSeq;

static void seq_job(int32 cpu, void *arg)
{
	seq_test *t = arg;
	for (int i = 0; i < SEQ_ITERATIONS; i++) {
		if ((i + cpu) % 6 == 0) {
			acquire_write_seqlock(&g_test_seqlock);
			uint64 v = ((uint64)cpu << 32) | (uint64)i;
			for (int w = 0; w < SEQ_WORDS; w++) {
				t->data[w] = v;
				__asm__ volatile("nop\n\tnop" ::: "memory");
			}
			atomic_add(&t->writes, 1);
			release_write_seqlock(&g_test_seqlock);
		} else {
			uint64 copy[SEQ_WORDS];
			uint32 count;
			int tries = 0;
			do {
				count = acquire_read_seqlock(&g_test_seqlock);
				for (int w = 0; w < SEQ_WORDS; w++)
					copy[w] = t->data[w];
				tries++;
			} while (!release_read_seqlock(&g_test_seqlock, count));
			for (int w = 1; w < SEQ_WORDS; w++)
				if (copy[w] != copy[0]) {
					atomic_add(&t->torn, 1);
					break;
				}
			atomic_add(&t->reads, 1);
			atomic_add(&t->retries, tries - 1);
		}
	}
}

static void test_seqlock(void)
{
	begin_test("seqlock_reader_rejects_write_in_progress");
	const char *name = "seqlock_reader_rejects_write_in_progress";
	uint32 before = acquire_read_seqlock(&g_test_seqlock);
	acquire_write_seqlock(&g_test_seqlock);
	uint32 during = acquire_read_seqlock(&g_test_seqlock);
	bool duringOK = release_read_seqlock(&g_test_seqlock, during);
	bool tryOK = try_acquire_write_seqlock(&g_test_seqlock);
	release_write_seqlock(&g_test_seqlock);
	bool beforeOK = release_read_seqlock(&g_test_seqlock, before);
	uint32 after = acquire_read_seqlock(&g_test_seqlock);
	if (duringOK || (during & 1) == 0)
		fail(name, "read during a write accepted (count %u)", during);
	else if (tryOK)
		fail(name, "try_acquire_write_seqlock succeeded while held");
	else if (beforeOK)
		fail(name, "read spanning a write accepted");
	else if (!release_read_seqlock(&g_test_seqlock, after))
		fail(name, "read with no writer rejected");
	else
		pass(name);

	begin_test("seqlock_no_torn_reads");
	sSeq = (seq_test){ 0 };
	if (run_on_all(seq_job, &sSeq)) {
		if (sSeq.torn)
			fail("seqlock_no_torn_reads", "%d torn reads accepted out of %d", sSeq.torn, sSeq.reads);
		else if (g_test_seqlock.count & 1)
			fail("seqlock_no_torn_reads", "count odd afterwards");
		else {
			kprintf("INFO: seqlock: %d reads, %d retries, %d writes\n", sSeq.reads,
				sSeq.retries, sSeq.writes);
			pass("seqlock_no_torn_reads");
		}
	}
}

/* ---- ICIs ---- */

#define UNICAST_REPEAT 3

static addr_t *make_page_list(void)
{
	addr_t *list = kmalloc(sizeof(addr_t));
	if (list)
		list[0] = MMU_TEST_WINDOW_VA;
	return list;
}

/* FREE_ARG: the argument is a kmalloc()ed page list for
 * SMP_MSG_INVALIDATE_PAGE_LIST; deliveries are counted by message type and
 * the heap must return to where it was (each argument freed exactly once;
 * a double free panics). */
typedef struct free_arg_check {
	int32 before[SMP_MAX_CPUS];
	int32 heapBefore;
} free_arg_check;

static void free_arg_begin(free_arg_check *c)
{
	for (int32 cpu = 0; cpu < sNum; cpu++)
		c->before[cpu] = received(cpu, SMP_MSG_INVALIDATE_PAGE_LIST);
	c->heapBefore = heap_free_blocks();
}

static bool free_arg_end(const char *name, free_arg_check *c, uint64 expectMask, int32 each)
{
	uint64 end = timer_now() + timer_us_to_ticks(DEFAULT_TIMEOUT_US);
	while (heap_free_blocks() != c->heapBefore && timer_now() < end)
		cpu_pause();
	timer_delay_us(200);
	for (int32 cpu = 0; cpu < sNum; cpu++) {
		int32 got = received(cpu, SMP_MSG_INVALIDATE_PAGE_LIST) - c->before[cpu];
		int32 expected = (expectMask & (1ULL << cpu)) ? each : 0;
		if (got != expected) {
			fail(name, "cpu %d received %d, expected %d", cpu, got, expected);
			return false;
		}
	}
	if (heap_free_blocks() != c->heapBefore) {
		fail(name, "heap has %d free blocks, %d before: argument not freed",
			heap_free_blocks(), c->heapBefore);
		return false;
	}
	return true;
}

static void test_unicast(void)
{
	uint64 others = all_cpus_mask() & ~1ULL;
	static const struct { const char *name; uint32 flags; } kinds[] = {
		{ "ici_unicast_async", SMP_MSG_FLAG_ASYNC },
		{ "ici_unicast_sync", SMP_MSG_FLAG_SYNC },
	};
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		begin_test(kinds[k].name);
		reset_counters(&sCounts);
		for (int r = 0; r < UNICAST_REPEAT; r++)
			for (int32 cpu = 0; cpu < sNum; cpu++)	/* including ourselves: a no-op */
				smp_send_ici(cpu, SMP_MSG_CALL_FUNCTION, (addr_t)&sCounts, 0, 0,
					(void *)count_call, kinds[k].flags);
		if (kinds[k].flags & SMP_MSG_FLAG_SYNC) {
			/* SYNC: everything ran before the sends returned */
			if (sCounts.total != UNICAST_REPEAT * (sNum - 1)) {
				fail(kinds[k].name, "only %d of %d done when the sends returned",
					sCounts.total, UNICAST_REPEAT * (sNum - 1));
				continue;
			}
		}
		if (check_counts(kinds[k].name, &sCounts, others, UNICAST_REPEAT))
			pass(kinds[k].name);
	}

	static const struct { const char *name; uint32 flags; } freeKinds[] = {
		{ "ici_unicast_free_arg", SMP_MSG_FLAG_FREE_ARG },
		{ "ici_unicast_free_arg_sync", SMP_MSG_FLAG_FREE_ARG | SMP_MSG_FLAG_SYNC },
	};
	for (size_t k = 0; k < ARRAY_SIZE(freeKinds); k++) {
		begin_test(freeKinds[k].name);
		free_arg_check c;
		free_arg_begin(&c);
		for (int32 cpu = 0; cpu < sNum; cpu++) {
			addr_t *list = make_page_list();
			smp_send_ici(cpu, SMP_MSG_INVALIDATE_PAGE_LIST, (addr_t)list, 1, 0, list,
				freeKinds[k].flags);
		}
		if (free_arg_end(freeKinds[k].name, &c, others, 1))
			pass(freeKinds[k].name);
	}
}

/* Every CPU sends at the same time, to the FANOUT CPUs after it (all the
 * others when there are at most FANOUT + 1), so the message count stays
 * linear in the CPU count up to SMP_MAX_CPUS. */
#define FANOUT 7

static int32 fanout(void)
{
	return sNum - 1 < FANOUT ? sNum - 1 : FANOUT;
}

/* one SYNC message to each of its fan-out targets */
static void all_to_all_job(int32 cpu, void *arg)
{
	for (int32 k = 1; k <= fanout(); k++)
		smp_send_ici((cpu + k) % sNum, SMP_MSG_CALL_FUNCTION, (addr_t)arg, 0, 0,
			(void *)count_call, SMP_MSG_FLAG_SYNC);
}

static void test_all_to_all(void)
{
	begin_test("ici_unicast_all_to_all_sync");
	reset_counters(&sCounts);
	if (run_on_all(all_to_all_job, &sCounts)
			&& check_counts("ici_unicast_all_to_all_sync", &sCounts, all_cpus_mask(), fanout()))
		pass("ici_unicast_all_to_all_sync");
}

static void mask_to_cpuset(uint64 mask, CPUSet *set)
{
	cpuset_clear_all(set);
	for (int32 cpu = 0; cpu < 64; cpu++)
		if (mask & (1ULL << cpu))
			cpuset_set_bit(set, cpu);
}

static void multicast_all_job(int32 cpu, void *arg)
{
	CPUSet set;
	cpuset_set_first(&set, sNum);	/* includes the sender, which is skipped */
	(void)cpu;
	smp_send_multicast_ici(&set, SMP_MSG_CALL_FUNCTION, (addr_t)arg, 0, 0,
		(void *)count_call, SMP_MSG_FLAG_SYNC);
}

static void test_multicast(void)
{
	/* targets: every odd CPU plus the last one; the mask also names the
	 * sender, which must be left out */
	uint64 mask = 1;
	for (int32 cpu = 1; cpu < sNum; cpu += 2)
		mask |= 1ULL << cpu;
	if (sNum > 1)
		mask |= 1ULL << (sNum - 1);
	uint64 targets = mask & ~1ULL;
	int32 groups = multicast_sgi_writes(targets);
	kprintf("INFO: multicast to %d CPUs in %d SGI group(s) (Aff3.Aff2.Aff1 + range)\n",
		(int32)__builtin_popcountll(targets), groups);
	CPUSet set;
	mask_to_cpuset(mask, &set);

	static const struct { const char *name; uint32 flags; } kinds[] = {
		{ "ici_multicast_async", SMP_MSG_FLAG_ASYNC },
		{ "ici_multicast_sync", SMP_MSG_FLAG_SYNC },
	};
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		begin_test(kinds[k].name);
		reset_counters(&sCounts);
		int32 writesBefore = atomic_get(&g_multicast_sgi_writes);
		smp_send_multicast_ici(&set, SMP_MSG_CALL_FUNCTION, (addr_t)&sCounts, 0, 0,
			(void *)count_call, kinds[k].flags);
		int32 writes = atomic_get(&g_multicast_sgi_writes) - writesBefore;
		if ((kinds[k].flags & SMP_MSG_FLAG_SYNC)
				&& sCounts.total != (int32)__builtin_popcountll(targets)) {
			fail(kinds[k].name, "only %d done when the send returned", sCounts.total);
			continue;
		}
		if (!check_counts(kinds[k].name, &sCounts, targets, 1))
			continue;
		if (writes != groups) {
			fail(kinds[k].name, "%d SGI register writes, not %d", writes, groups);
			continue;
		}
		pass(kinds[k].name);
	}

	begin_test("ici_multicast_free_arg");
	free_arg_check c;
	free_arg_begin(&c);
	addr_t *list = make_page_list();
	smp_send_multicast_ici(&set, SMP_MSG_INVALIDATE_PAGE_LIST, (addr_t)list, 1, 0, list,
		SMP_MSG_FLAG_FREE_ARG);
	if (free_arg_end("ici_multicast_free_arg", &c, targets, 1))
		pass("ici_multicast_free_arg");

	/* one multicast to every other CPU, sent from the last CPU: crosses
	 * every cluster there is */
	begin_test("ici_multicast_all_clusters");
	reset_counters(&sCounts);
	uint64 fromMask = sNum > 1 ? (1ULL << (sNum - 1)) : 1;
	uint64 allTargets = all_cpus_mask() & ~fromMask;
	int32 allGroups = multicast_sgi_writes(allTargets);
	int32 writesBefore = atomic_get(&g_multicast_sgi_writes);
	if (run_job(fromMask, multicast_all_job, &sCounts)
			&& check_counts("ici_multicast_all_clusters", &sCounts, allTargets, 1)) {
		int32 writes = atomic_get(&g_multicast_sgi_writes) - writesBefore;
		if (writes != allGroups)
			fail("ici_multicast_all_clusters", "%d SGI register writes, not %d",
				writes, allGroups);
		else
			pass("ici_multicast_all_clusters");
	}
}

static void broadcast_job(int32 cpu, void *arg)
{
	(void)cpu;
	smp_send_broadcast_ici(SMP_MSG_CALL_FUNCTION, (addr_t)arg, 0, 0, (void *)count_call,
		SMP_MSG_FLAG_SYNC);
}

static void test_broadcast(void)
{
	uint64 others = all_cpus_mask() & ~1ULL;
	static const struct { const char *name; uint32 flags; } kinds[] = {
		{ "ici_broadcast_async", SMP_MSG_FLAG_ASYNC },
		{ "ici_broadcast_sync", SMP_MSG_FLAG_SYNC },
	};
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		begin_test(kinds[k].name);
		reset_counters(&sCounts);
		smp_send_broadcast_ici(SMP_MSG_CALL_FUNCTION, (addr_t)&sCounts, 0, 0,
			(void *)count_call, kinds[k].flags);
		if ((kinds[k].flags & SMP_MSG_FLAG_SYNC) && sCounts.total != sNum - 1) {
			fail(kinds[k].name, "only %d done when the send returned", sCounts.total);
			continue;
		}
		if (check_counts(kinds[k].name, &sCounts, others, 1))
			pass(kinds[k].name);
	}

	static const struct { const char *name; uint32 flags; } freeKinds[] = {
		{ "ici_broadcast_free_arg", SMP_MSG_FLAG_FREE_ARG },
		{ "ici_broadcast_free_arg_sync", SMP_MSG_FLAG_FREE_ARG | SMP_MSG_FLAG_SYNC },
	};
	for (size_t k = 0; k < ARRAY_SIZE(freeKinds); k++) {
		begin_test(freeKinds[k].name);
		free_arg_check c;
		free_arg_begin(&c);
		addr_t *list = make_page_list();
		smp_send_broadcast_ici(SMP_MSG_INVALIDATE_PAGE_LIST, (addr_t)list, 1, 0, list,
			freeKinds[k].flags);
		if (free_arg_end(freeKinds[k].name, &c, others, 1))
			pass(freeKinds[k].name);
	}

	/* from another CPU: the boot CPU receives it while it waits for the job */
	begin_test("ici_broadcast_from_other_cpu");
	reset_counters(&sCounts);
	uint64 from = sNum > 1 ? (1ULL << (sNum - 1)) : 1;
	if (run_job(from, broadcast_job, &sCounts)
			&& check_counts("ici_broadcast_from_other_cpu", &sCounts, all_cpus_mask() & ~from, 1))
		pass("ici_broadcast_from_other_cpu");
}

/* ---- function-call distribution ---- */

static void test_call_functions(void)
{
	begin_test("call_single_cpu_sync");
	reset_counters(&sCounts);
	bool ok = true;
	for (int32 cpu = 0; cpu < sNum && ok; cpu++) {
		call_single_cpu_sync((uint32)cpu, count_func, &sCounts);
		if (sCounts.perCPU[cpu] != 1) {
			fail("call_single_cpu_sync", "cpu %d had not run it when the call returned", cpu);
			ok = false;
		}
	}
	if (ok && check_counts("call_single_cpu_sync", &sCounts, all_cpus_mask(), 1))
		pass("call_single_cpu_sync");

	begin_test("call_single_cpu");
	reset_counters(&sCounts);
	for (int32 cpu = 0; cpu < sNum; cpu++)
		call_single_cpu((uint32)cpu, count_func, &sCounts);
	if (check_counts("call_single_cpu", &sCounts, all_cpus_mask(), 1))
		pass("call_single_cpu");

	begin_test("call_all_cpus_sync");
	reset_counters(&sCounts);
	call_all_cpus_sync(count_func, &sCounts);
	if (sCounts.total != sNum)
		fail("call_all_cpus_sync", "%d of %d done when the call returned", sCounts.total, sNum);
	else if (check_counts("call_all_cpus_sync", &sCounts, all_cpus_mask(), 1))
		pass("call_all_cpus_sync");

	begin_test("call_all_cpus");
	reset_counters(&sCounts);
	call_all_cpus(count_func, &sCounts);
	if (check_counts("call_all_cpus", &sCounts, all_cpus_mask(), 1))
		pass("call_all_cpus");
}

/* ---- rendezvous ---- */

#define RENDEZVOUS_ROUNDS 4

typedef struct rendezvous_test {
	vint32 arrived[RENDEZVOUS_ROUNDS];
	uint32 var[RENDEZVOUS_ROUNDS];
	vint32 early;	/* left a rendezvous before everyone arrived */
} rendezvous_test;

static rendezvous_test sRendezvous;

static void rendezvous_job(int32 cpu, void *arg)
{
	rendezvous_test *t = arg;
	for (int r = 0; r < RENDEZVOUS_ROUNDS; r++) {
		if (cpu == r % sNum)
			timer_delay_us(100);	/* someone is always late */
		atomic_add(&t->arrived[r], 1);
		smp_cpu_rendezvous(&t->var[r]);
		if (atomic_get(&t->arrived[r]) != sNum)
			atomic_add(&t->early, 1);
	}
}

static void test_rendezvous(void)
{
	begin_test("smp_cpu_rendezvous");
	sRendezvous = (rendezvous_test){ 0 };
	if (run_on_all(rendezvous_job, &sRendezvous)) {
		if (sRendezvous.early)
			fail("smp_cpu_rendezvous", "%d CPU(s) left before all arrived", sRendezvous.early);
		else
			pass("smp_cpu_rendezvous");
	}
}

/* ---- message-pool exhaustion ---- */

static vint32 sPoolHolding;
static vint32 sPoolSawEmpty;

/* Hold off ICI processing (interrupts masked, no spin loop that processes
 * them) until the pool is seen empty, then let them all in. */
static void pool_holder_job(int32 cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	cpu_status state = disable_interrupts();
	atomic_set(&sPoolHolding, 1);
	if (wait_for_value(&sFreeMessageCount, 0, DEFAULT_TIMEOUT_US))
		atomic_set(&sPoolSawEmpty, 1);
	restore_interrupts(state);
}

#define POOL_FLOOD_EXTRA 8

static void pool_flood_job(int32 cpu, void *arg)
{
	(void)arg;
	if (cpu == 1) {
		pool_holder_job(cpu, arg);
		return;
	}
	wait_for_value(&sPoolHolding, 1, DEFAULT_TIMEOUT_US);
	/* more ASYNC messages than the pool holds, all to the holder: the last
	 * ones wait in find_free_message until it drains its mailbox */
	for (int i = 0; i < MSG_POOL_SIZE + POOL_FLOOD_EXTRA; i++)
		smp_send_ici(1, SMP_MSG_CALL_FUNCTION, (addr_t)&sCounts, 0, 0, (void *)count_call,
			SMP_MSG_FLAG_ASYNC);
}

/* about 300 messages in all (more than the pool holds), at least 4 per
 * sender-target pair */
static int32 pool_load_per_target(void)
{
	int32 n = 300 / (sNum * fanout());
	return n < 4 ? 4 : n;
}

/* every CPU sends at once with interrupts masked: messages to a CPU are
 * only handled when it waits (for a free message, a lock, a SYNC reply) */
static void pool_load_job(int32 cpu, void *arg)
{
	cpu_status state = disable_interrupts();
	int32 perTarget = pool_load_per_target();
	for (int i = 0; i < perTarget; i++)
		for (int32 k = 1; k <= fanout(); k++)
			smp_send_ici((cpu + k) % sNum, SMP_MSG_CALL_FUNCTION, (addr_t)arg, 0, 0,
				(void *)count_call, (i % 8 == 7) ? SMP_MSG_FLAG_SYNC : SMP_MSG_FLAG_ASYNC);
	restore_interrupts(state);
}

static bool pool_is_full(void)
{
	uint64 end = timer_now() + timer_us_to_ticks(DEFAULT_TIMEOUT_US);
	while (atomic_get(&sFreeMessageCount) != MSG_POOL_SIZE) {
		if (timer_now() > end)
			return false;
		cpu_pause();
	}
	return true;
}

static void test_pool_exhaustion(void)
{
	const char *name = "message_pool_exhaustion";
	const char *loadName = "message_pool_all_cpus_send";
	if (sNum < 2) {
		kprintf("INFO: message pool: 1 CPU, ICIs are off and nothing is ever queued\n");
		pass(name);
		pass(loadName);
		return;
	}

	/* 1: the pool really runs dry, and the sender waits rather than fails */
	begin_test(name);
	reset_counters(&sCounts);
	sFreeMessageLowWater = MSG_POOL_SIZE;
	atomic_set(&sPoolHolding, 0);
	atomic_set(&sPoolSawEmpty, 0);
	if (run_job(3, pool_flood_job, NULL)) {
		bool counted = check_counts(name, &sCounts, 2, MSG_POOL_SIZE + POOL_FLOOD_EXTRA);
		if (!counted)
			;
		else if (!sPoolSawEmpty || sFreeMessageLowWater != 0)
			fail(name, "pool never ran dry (low water %d)", sFreeMessageLowWater);
		else if (!pool_is_full())
			fail(name, "pool has %d of %d messages afterwards", sFreeMessageCount, MSG_POOL_SIZE);
		else
			pass(name);
	}

	/* 2: every CPU sends to every other at once, interrupts masked */
	begin_test(loadName);
	reset_counters(&sCounts);
	sFreeMessageLowWater = MSG_POOL_SIZE;
	if (run_on_all(pool_load_job, &sCounts)
			&& check_counts(loadName, &sCounts, all_cpus_mask(), pool_load_per_target() * fanout())) {
		if (!pool_is_full())
			fail(loadName, "pool has %d of %d messages afterwards", sFreeMessageCount, MSG_POOL_SIZE);
		else {
			kprintf("INFO: message pool: %d messages through a pool of %d, low water %d\n",
				sCounts.total, MSG_POOL_SIZE, sFreeMessageLowWater);
			pass(loadName);
		}
	}
}

/* ---- TLB shootdown ---- */

#define PAGE_A_MARK 0xaaaaaaaa00000000ULL
#define PAGE_B_MARK 0xbbbbbbbb00000000ULL

static uint64 sTLBPageA[512] __attribute__((aligned(4096)));
static uint64 sTLBPageB[512] __attribute__((aligned(4096)));
static volatile uint64 sSeen[SMP_MAX_CPUS];

static void read_window_job(int32 cpu, void *arg)
{
	(void)arg;
	sSeen[cpu] = *(volatile uint64 *)MMU_TEST_WINDOW_VA;
}

/* CPUs in mask whose last read did not see `expected` */
static int32 count_not_seeing(uint64 mask, uint64 expected, int32 *firstBad)
{
	int32 bad = 0;
	*firstBad = -1;
	for (int32 cpu = 0; cpu < sNum; cpu++) {
		if ((mask & (1ULL << cpu)) && sSeen[cpu] != expected) {
			if (bad++ == 0)
				*firstBad = cpu;
		}
	}
	return bad;
}

static void test_tlb(void)
{
	addr_t va = MMU_TEST_WINDOW_VA;
	sTLBPageA[0] = PAGE_A_MARK;
	sTLBPageB[0] = PAGE_B_MARK;
	uint64 all = all_cpus_mask();
	uint64 others = sNum > 1 ? all & ~1ULL : 1;	/* the observers */
	int32 bad, firstBad;

	/* window -> A everywhere, and every CPU caches the translation */
	begin_test("tlb_initial_mapping");
	mmu_set_window((addr_t)sTLBPageA);
	arch_tlb_invalidate_all_cpus();
	run_on_all(read_window_job, NULL);
	bad = count_not_seeing(all, PAGE_A_MARK, &firstBad);
	if (bad) {
		fail("tlb_initial_mapping", "cpu %d read 0x%lx through the window", firstBad, sSeen[firstBad]);
		return;
	}
	pass("tlb_initial_mapping");

	/* remap to B with no shootdown: an observer that cached the old entry
	 * still reads A. (With 1 CPU the observer is the boot CPU itself, which
	 * then skips its own invalidation.) */
	begin_test("tlb_stale_observed");
	mmu_set_window((addr_t)sTLBPageB);
	if (sNum > 1)
		arch_cpu_invalidate_TLB_range(va, va + 4096);	/* this CPU only */
	uint64 selfSeen = *(volatile uint64 *)va;
	run_job(others, read_window_job, NULL);
	int32 stale = 0;
	for (int32 cpu = 0; cpu < sNum; cpu++)
		if ((others & (1ULL << cpu)) && sSeen[cpu] == PAGE_A_MARK)
			stale++;
	if (sNum > 1 && selfSeen != PAGE_B_MARK)
		fail("tlb_stale_observed", "the remapping CPU reads 0x%lx after its own TLBI", selfSeen);
	else if (stale > 0) {
		kprintf("INFO: stale translation seen by %d of %d observer CPU(s)\n", stale,
			(int32)__builtin_popcountll(others));
		pass("tlb_stale_observed");
	} else
		skip("tlb_stale_observed", "no observer read the old page: this machine's TLB "
			"did not keep the entry (or it does not cache translations)");

	/* the shootdown: broadcast SMP_MSG_INVALIDATE_PAGE_RANGE, SYNC */
	begin_test("tlb_shootdown");
	smp_send_broadcast_ici(SMP_MSG_INVALIDATE_PAGE_RANGE, va, va + 4096, 0, NULL, SMP_MSG_FLAG_SYNC);
	arch_cpu_invalidate_TLB_range(va, va + 4096);
	run_on_all(read_window_job, NULL);
	bad = count_not_seeing(all, PAGE_B_MARK, &firstBad);
	if (bad)
		fail("tlb_shootdown", "%d CPU(s) still read the old page (cpu %d: 0x%lx)", bad,
			firstBad, sSeen[firstBad]);
	else
		pass("tlb_shootdown");

	/* the same with SMP_MSG_GLOBAL_INVALIDATE_PAGES, back to A */
	begin_test("tlb_shootdown_global");
	mmu_set_window((addr_t)sTLBPageA);
	smp_send_broadcast_ici(SMP_MSG_GLOBAL_INVALIDATE_PAGES, 0, 0, 0, NULL, SMP_MSG_FLAG_SYNC);
	arch_cpu_global_TLB_invalidate();
	run_on_all(read_window_job, NULL);
	bad = count_not_seeing(all, PAGE_A_MARK, &firstBad);
	if (bad)
		fail("tlb_shootdown_global", "%d CPU(s) still read the old page", bad);
	else
		pass("tlb_shootdown_global");

	/* hardware broadcast instead of ICIs: TLBI VAE1IS from one CPU */
	begin_test("tlb_broadcast_tlbi");
	mmu_set_window((addr_t)sTLBPageB);
	arch_tlb_invalidate_page_all_cpus(va);
	run_on_all(read_window_job, NULL);
	bad = count_not_seeing(all, PAGE_B_MARK, &firstBad);
	if (bad)
		fail("tlb_broadcast_tlbi", "%d CPU(s) still read the old page", bad);
	else
		pass("tlb_broadcast_tlbi");
}

/* ---- CPU halt ---- */

static void test_cpu_halt(void)
{
	const char *name = "cpu_halt";
	begin_test(name);
	if (sNum < 2) {
		kprintf("INFO: cpu_halt: 1 CPU, no other CPU to halt\n");
		pass(name);
		pass("cpu_halt_release");
		return;
	}
	int32 target = sNum - 1;
	reset_counters(&sCounts);
	/* SYNC returns once the target has taken the message, just before it parks */
	smp_send_ici(target, SMP_MSG_CPU_HALT, 0, 0, 0, NULL, SMP_MSG_FLAG_SYNC);
	if (!wait_for_value(&gCPU[target].halted, 1, DEFAULT_TIMEOUT_US)) {
		fail(name, "cpu %d did not park", target);
		return;
	}
	int32 irqsBefore = atomic_get(&gCPU[target].interrupts);
	/* a parked CPU takes no interrupts and handles no messages */
	smp_send_ici(target, SMP_MSG_CALL_FUNCTION, (addr_t)&sCounts, 0, 0, (void *)count_call,
		SMP_MSG_FLAG_ASYNC);
	timer_delay_us(2000);
	if (!gCPU[target].halted)
		fail(name, "cpu %d left the parking loop by itself", target);
	else if (sCounts.total != 0)
		fail(name, "parked cpu %d handled a message", target);
	else if (atomic_get(&gCPU[target].interrupts) != irqsBefore)
		fail(name, "parked cpu %d took an interrupt", target);
	else
		pass(name);

	begin_test("cpu_halt_release");
	smp_release_halted_cpus();
	if (check_counts("cpu_halt_release", &sCounts, 1ULL << target, 1)
			&& wait_for_value(&gCPU[target].halted, 0, DEFAULT_TIMEOUT_US))
		pass("cpu_halt_release");
	else if (gCPU[target].halted)
		fail("cpu_halt_release", "cpu %d still parked", target);
}

/* ---- heap ---- */

static void test_heap(void)
{
	begin_test("heap_kmalloc_kfree");
	int32 before = heap_free_blocks();
	void *a = kmalloc(HEAP_BLOCK_SIZE);
	void *b = kmalloc(1);
	void *big = kmalloc(HEAP_BLOCK_SIZE + 1);
	bool ok = a && b && a != b && !big && heap_free_blocks() == before - 2;
	kfree(a);
	kfree(b);
	if (ok && heap_free_blocks() == before)
		pass("heap_kmalloc_kfree");
	else
		fail("heap_kmalloc_kfree", "a %p b %p big %p, %d free of %d", a, b, big,
			heap_free_blocks(), before);
}

/* ---- driver ---- */

void workload_boot_cpu(kernel_args *args)
{
	(void)args;
	g_timer_interrupt_hook = watchdog_fired;
	test_objects_register();
	sRunStart = timer_now();

	test_boot();
	test_heap();
	test_spinlock();
	test_try_acquire();
	test_rw_spinlock();
	test_seqlock();
	test_unicast();
	test_all_to_all();
	test_multicast();
	test_broadcast();
	test_call_functions();
	test_rendezvous();
	test_pool_exhaustion();
	test_tlb();
	test_cpu_halt();
	timer_disarm();

	uint64 ticks = timer_now() - sRunStart;
	kprintf("INFO: tests took %lu us of generic-timer time\n",
		ticks * 1000000 / timer_frequency());
#if B_DEBUG_SPINLOCK_CONTENTION
	kprintf("INFO: lock contention statistics (ticks at %lu Hz):\n", timer_frequency());
	dump_all_spinlocks();
#endif
	if (sSkipped)
		kprintf("INFO: %d check(s) skipped\n", sSkipped);
	kprintf("SUMMARY: %d passed, %d failed\n", sPassed, sFailed);
	semihost_exit(sFailed ? 1 : 0);
}
