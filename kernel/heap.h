/* A fixed-block kernel heap: enough for FREE_ARG message arguments. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include "types.h"

#define HEAP_BLOCK_SIZE 128
#define HEAP_BLOCK_COUNT 512

void heap_init(void);
void *kmalloc(size_t size);	/* NULL if size > HEAP_BLOCK_SIZE or the heap is full */
void kfree(void *ptr);
int32 heap_free_blocks(void);

#endif
