/* Fixed-size blocks on a free list under a spinlock. kfree runs from ICI
 * processing, so the lock is always taken with interrupts masked. */
#include "heap.h"
#include "lock.h"
#include "debug.h"
#include "arch/arm64/cpu.h"

typedef union heap_block {
	union heap_block *next;
	uint8 bytes[HEAP_BLOCK_SIZE];
} heap_block;

static heap_block sHeapArena[HEAP_BLOCK_COUNT] __attribute__((aligned(64)));
static uint8 sHeapAllocated[HEAP_BLOCK_COUNT];	/* catches double and wild frees */
static heap_block *sHeapFree;
static int32 sHeapFreeCount;
spinlock g_heap_lock = B_SPINLOCK_INITIALIZER;

void heap_init(void)
{
	sHeapFree = NULL;
	for (int32 i = HEAP_BLOCK_COUNT - 1; i >= 0; i--) {
		sHeapArena[i].next = sHeapFree;
		sHeapFree = &sHeapArena[i];
		sHeapAllocated[i] = 0;
	}
	sHeapFreeCount = HEAP_BLOCK_COUNT;
	spinlock_register(&g_heap_lock, "heap", 0);
}

void *kmalloc(size_t size)
{
	if (size > HEAP_BLOCK_SIZE)
		return NULL;
	cpu_status state = disable_interrupts();
	acquire_spinlock(&g_heap_lock);
	heap_block *block = sHeapFree;
	if (block != NULL) {
		sHeapFree = block->next;
		sHeapFreeCount--;
		sHeapAllocated[block - sHeapArena] = 1;
	}
	release_spinlock(&g_heap_lock);
	restore_interrupts(state);
	return block;
}

void kfree(void *ptr)
{
	if (ptr == NULL)
		return;
	heap_block *block = ptr;
	if (block < sHeapArena || block >= sHeapArena + HEAP_BLOCK_COUNT
			|| ((addr_t)ptr - (addr_t)sHeapArena) % sizeof(heap_block) != 0)
		panic("kfree: %p is not a heap block", ptr);
	cpu_status state = disable_interrupts();
	acquire_spinlock(&g_heap_lock);
	if (!sHeapAllocated[block - sHeapArena])
		panic("kfree: double free of %p", ptr);
	sHeapAllocated[block - sHeapArena] = 0;
	block->next = sHeapFree;
	sHeapFree = block;
	sHeapFreeCount++;
	release_spinlock(&g_heap_lock);
	restore_interrupts(state);
}

int32 heap_free_blocks(void)
{
	return *(volatile int32 *)&sHeapFreeCount;
}
