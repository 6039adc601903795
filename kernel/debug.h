/* Console output, panic, and the guest versions of Haiku's `spinlock` and
 * `ici` debugger commands. */
#ifndef KERNEL_DEBUG_H
#define KERNEL_DEBUG_H

#include "types.h"
#include <stdarg.h>

#define PANIC_EXIT_STATUS 3

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void spinlock_deadlock_detected(const void *lock, int32 holder, uint32 spins) __attribute__((noreturn));

void debug_init(void);
void dump_spinlock(const void *lock);		/* `spinlock ADDRESS` */
void dump_all_spinlocks(void);			/* `spinlock` with no argument */
void dump_ici_messages(void);			/* `ici` */
int debug_command(const char *name, addr_t argument);	/* run a command by name */

#endif
