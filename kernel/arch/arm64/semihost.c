/* Arm semihosting: only SYS_EXIT, to end the run with a status. */
#include "arch.h"

#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void semihost_exit(int32 status)
{
	/* AArch64 SYS_EXIT takes a pointer to {reason, subcode}. */
	static volatile uint64 block[2];
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64)(int64)status;
	register uint64 x0 __asm__("x0") = SYS_EXIT;
	register uint64 x1 __asm__("x1") = (uint64)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	/* without a semihosting host, park */
	for (;;)
		__asm__ volatile("wfi");
}
