#include "test_objects.h"

spinlock g_test_lock = B_SPINLOCK_INITIALIZER;
spinlock g_test_lock2 = B_SPINLOCK_INITIALIZER;
rw_spinlock g_test_rw_lock = B_RW_SPINLOCK_INITIALIZER;
seqlock g_test_seqlock = B_SEQLOCK_INITIALIZER;
vint32 g_test_counter;

void test_objects_register(void)
{
	spinlock_register(&g_test_lock, "g_test_lock", 0);
	spinlock_register(&g_test_lock2, "g_test_lock2", 0);
	spinlock_register(&g_test_rw_lock, "g_test_rw_lock", 1);
	spinlock_register(&g_test_seqlock, "g_test_seqlock", 2);
}
