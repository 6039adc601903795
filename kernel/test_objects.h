/* Lock and counter objects for tests, in every image, with fixed global
 * symbols so a harness outside the guest (a debugger, the emulator's API)
 * can pass their addresses to acquire_spinlock() and friends. */
#ifndef KERNEL_TEST_OBJECTS_H
#define KERNEL_TEST_OBJECTS_H

#include "lock.h"

extern spinlock g_test_lock;
extern spinlock g_test_lock2;
extern rw_spinlock g_test_rw_lock;
extern seqlock g_test_seqlock;
extern vint32 g_test_counter;

void test_objects_register(void);	/* names them for the `spinlock` dump */

#endif
