/* Console output, panic, and the debugger commands. The commands read live
 * structures without taking their locks (they must work while a CPU holds
 * one forever), so every list walk is bounded. */
#include "debug.h"
#include "smp.h"
#include "lock.h"
#include "heap.h"
#include "string.h"
#include "arch/arm64/arch.h"
#include "arch/arm64/atomic.h"
#include "arch/arm64/cpu.h"

/* ---- formatting ---- */

typedef struct out_buf {
	char *buf;
	size_t size;
	size_t len;
} out_buf;

static void out_char(out_buf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(out_buf *o, uint64 value, unsigned base, bool negative,
	int width, bool zeroPad, bool upper)
{
	char digits[24];
	int n = 0;
	do {
		unsigned d = (unsigned)(value % base);
		digits[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
		value /= base;
	} while (value);
	int len = n + (negative ? 1 : 0);
	if (negative && zeroPad)
		out_char(o, '-');
	for (; width > len; width--)
		out_char(o, zeroPad ? '0' : ' ');
	if (negative && !zeroPad)
		out_char(o, '-');
	while (n)
		out_char(o, digits[--n]);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	out_buf o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		bool zeroPad = false, leftAlign = false;
		int width = 0, longs = 0;
		if (*fmt == '-') {
			leftAlign = true;
			fmt++;
		}
		if (*fmt == '0') {
			zeroPad = true;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		if (*fmt == 'z') {
			longs = 1;
			fmt++;
		}
		switch (*fmt) {
			case 'd':
			case 'i': {
				int64 v = longs ? va_arg(ap, int64) : va_arg(ap, int);
				out_number(&o, v < 0 ? (uint64)-v : (uint64)v, 10, v < 0, width, zeroPad, false);
				break;
			}
			case 'u':
			case 'x':
			case 'X': {
				uint64 v = longs ? va_arg(ap, uint64) : va_arg(ap, unsigned);
				out_number(&o, v, *fmt == 'u' ? 10 : 16, false, width, zeroPad, *fmt == 'X');
				break;
			}
			case 'p':
				out_char(&o, '0');
				out_char(&o, 'x');
				out_number(&o, (uint64)(addr_t)va_arg(ap, void *), 16, false, 0, false, false);
				break;
			case 's': {
				const char *s = va_arg(ap, const char *);
				if (s == NULL)
					s = "(null)";
				int len = 0;
				while (s[len])
					len++;
				if (!leftAlign)
					for (; width > len; width--)
						out_char(&o, ' ');
				while (*s)
					out_char(&o, *s++);
				if (leftAlign)
					for (; width > len; width--)
						out_char(&o, ' ');
				break;
			}
			case 'c':
				out_char(&o, (char)va_arg(ap, int));
				break;
			case '%':
				out_char(&o, '%');
				break;
			case '\0':
				fmt--;
				break;
			default:
				out_char(&o, '%');
				out_char(&o, *fmt);
		}
	}
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* A plain flag, not a spinlock: printing must not recurse into the lock
 * code, whose deadlock report itself prints. */
static vint32 sPrintLock;
static vint32 sPanicking;

static void print_lock(void)
{
	/* bounded, so a CPU that died holding it cannot silence a panic */
	for (uint32 i = 0; atomic_get_and_set(&sPrintLock, 1) != 0; i++) {
		if (atomic_get(&sPanicking) && i > 1000000)
			return;
		cpu_pause();
	}
}

static void print_unlock(void)
{
	atomic_set(&sPrintLock, 0);
}

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cpu_status state = disable_interrupts();
	print_lock();
	uart_puts(buf);
	print_unlock();
	restore_interrupts(state);
}

/* ---- debugger commands ---- */

static const char *sMessageNames[SMP_MSG_COUNT] = {
	"INVALIDATE_PAGE_RANGE", "INVALIDATE_PAGE_LIST", "USER_INVALIDATE_PAGES",
	"GLOBAL_INVALIDATE_PAGES", "CPU_HALT", "CALL_FUNCTION", "RESCHEDULE",
};

static const char *message_name(int32 message)
{
	return message >= 0 && message < SMP_MSG_COUNT ? sMessageNames[message] : "?";
}

static int32 registry_kind(const void *lock)
{
	int32 n = atomic_get(&g_spinlock_registry_count);
	for (int32 i = 0; i < n && i < SPINLOCK_REGISTRY_SIZE; i++) {
		if (g_spinlock_registry[i].lock == lock)
			return g_spinlock_registry[i].kind;
	}
	return 0;
}

void dump_spinlock(const void *lockAddress)
{
	const char *name = spinlock_name_of(lockAddress);
	switch (registry_kind(lockAddress)) {
		case 1: {
			const rw_spinlock *lock = lockAddress;
			uint32 word = (uint32)lock->lock;
			kprintf("  rw_spinlock %p \"%s\": %s, %u reader count, writer cpu %d\n",
				lockAddress, name, (word >> 31) ? "write-locked" : "no writer",
				word & 0x7fffffff, lock->writer - 1);
			return;
		}
		case 2: {
			const seqlock *lock = lockAddress;
			kprintf("  seqlock %p \"%s\": count %u (%s), writer lock %s, holder cpu %d\n",
				lockAddress, name, (uint32)lock->count, (lock->count & 1) ? "write in progress" : "stable",
				lock->lock.lock ? "held" : "free", lock->lock.holder - 1);
			return;
		}
		default: {
			const spinlock *lock = lockAddress;
			kprintf("  spinlock %p \"%s\": %s", lockAddress, name, lock->lock ? "locked" : "unlocked");
			if (lock->lock)
				kprintf(" by cpu %d", lock->holder - 1);
			kprintf("\n");
#if B_DEBUG_SPINLOCK_CONTENTION
			kprintf("    acquisitions %d, failed tries %d, wait %ld ticks, held %ld ticks\n",
				lock->acquisitions, lock->failed_try_acquire, lock->total_wait, lock->total_held);
#endif
		}
	}
}

void dump_all_spinlocks(void)
{
	kprintf("spinlocks:\n");
	int32 n = atomic_get(&g_spinlock_registry_count);
	for (int32 i = 0; i < n && i < SPINLOCK_REGISTRY_SIZE; i++)
		dump_spinlock(g_spinlock_registry[i].lock);
}

static void dump_message(const struct smp_msg *msg, bool broadcast)
{
	kprintf("    msg %p %s data 0x%lx 0x%lx 0x%lx ptr %p flags 0x%x ref %d done %d",
		msg, message_name(msg->message), (uint64)msg->data, (uint64)msg->data2,
		(uint64)msg->data3, msg->data_ptr, msg->flags, msg->ref_count, msg->done);
	if (broadcast)
		kprintf(" targets %08x%08x", msg->proc_bitmap.bitmap[1], msg->proc_bitmap.bitmap[0]);
	kprintf("\n");
}

void dump_ici_messages(void)
{
	kprintf("ici: %d CPUs, ICIs %s, free messages %d of %d (low water %d), heap free %d\n",
		sNumCPUs, sICIEnabled ? "enabled" : "disabled", sFreeMessageCount,
		sNumCPUs > 1 ? MSG_POOL_SIZE : 0, sFreeMessageLowWater, heap_free_blocks());
	for (int32 cpu = 0; cpu < sNumCPUs; cpu++) {
		const cpu_ent *c = &gCPU[cpu];
		kprintf("  cpu %d mpidr 0x%lx: sent %d, irqs %d%s, received", cpu, c->mpidr,
			c->ici_sent, c->interrupts, c->halted ? ", HALTED" : "");
		for (int32 m = 0; m < SMP_MSG_COUNT; m++)
			kprintf(" %d", c->ici_received[m]);
		kprintf("\n");
		int32 shown = 0;
		for (const struct smp_msg *msg = sCPUMessages[cpu]; msg != NULL && shown < 16;
				msg = msg->next, shown++)
			dump_message(msg, false);
	}
	kprintf("  broadcast list:%s\n", sBroadcastMessages ? "" : " empty");
	int32 shown = 0;
	for (const struct smp_msg *msg = sBroadcastMessages; msg != NULL && shown < 32;
			msg = msg->next, shown++)
		dump_message(msg, true);
}

typedef struct debugger_command {
	const char *name;
	const char *description;
} debugger_command;

static const debugger_command sCommands[] = {
	{ "spinlock", "dump a spinlock (argument: its address; 0: every named lock)" },
	{ "ici", "dump the ICI message pool, mailboxes and broadcast list" },
};

void debug_init(void)
{
	(void)sCommands;
}

int debug_command(const char *name, addr_t argument)
{
	if (strcmp(name, "ici") == 0) {
		dump_ici_messages();
		return 0;
	}
	if (strcmp(name, "spinlock") == 0) {
		if (argument)
			dump_spinlock((const void *)argument);
		else
			dump_all_spinlocks();
		return 0;
	}
	kprintf("unknown command \"%s\"; commands:\n", name);
	for (size_t c = 0; c < ARRAY_SIZE(sCommands); c++)
		kprintf("  %-10s %s\n", sCommands[c].name, sCommands[c].description);
	return -1;
}

/* ---- panic ---- */

static void halt_forever(void)
{
	disable_interrupts();
	for (;;)
		__asm__ volatile("wfe");
}

static void panic_common(const char *message)
{
	disable_interrupts();
	if (atomic_get_and_set(&sPanicking, 1) != 0)
		halt_forever();	/* another CPU is already reporting */

	kprintf("\nPANIC: cpu %d: %s\n", smp_get_current_cpu(), message);
	kprintf("--- debugger command: spinlock ---\n");
	debug_command("spinlock", 0);
	kprintf("--- debugger command: ici ---\n");
	debug_command("ici", 0);
	kprintf("PANIC: exiting with status %d\n", PANIC_EXIT_STATUS);
	semihost_exit(PANIC_EXIT_STATUS);
}

void panic(const char *fmt, ...)
{
	char buf[192];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	panic_common(buf);
	halt_forever();
	__builtin_unreachable();
}

void spinlock_deadlock_detected(const void *lock, int32 holder, uint32 spins)
{
	char buf[192];
	if (spins == 0)
		ksnprintf(buf, sizeof(buf), "deadlock: cpu %d re-acquires lock %p (\"%s\") "
			"it already holds (holder cpu %d)", smp_get_current_cpu(), lock,
			spinlock_name_of(lock), holder);
	else
		ksnprintf(buf, sizeof(buf), "acquire_spinlock(): deadlock detected: cpu %d "
			"spun %u times on lock %p (\"%s\") held by cpu %d", smp_get_current_cpu(),
			spins, lock, spinlock_name_of(lock), holder);
	panic_common(buf);
	halt_forever();
	__builtin_unreachable();
}
