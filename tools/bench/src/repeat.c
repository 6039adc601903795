/*
 * repeat.c - lengthens a test program (test/guests, test/fp-guests) for the
 * bench: the program is compiled with -Dmain=program_main and this main()
 * calls it BENCH_PARAM times (once if nothing was loaded there), so a run
 * lasts long enough to measure a steady state.  The program's static state
 * is not reset between calls: every call still does the same work, and
 * both emulators run the same image.
 */
#include "libmini.h"

#define BENCH_PARAM 0x4ff00000UL

int program_main(void);
int main(void);

int main(void)
{
#ifdef BENCH_FP
    /* CPACR_EL1.FPEN = 0b11: the program is ordinary FP/SIMD compiler output */
    __asm__ volatile("msr cpacr_el1, %0\n\tisb" :: "r"((uint64_t)3 << 20) : "memory");
#endif
    uint32_t n = *(volatile uint32_t *)BENCH_PARAM;
    if (n == 0)
        n = 1;
    int status = 0;
    for (uint32_t k = 0; k < n && status == 0; k++)
        status = program_main();
    return status;
}
