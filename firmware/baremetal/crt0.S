/*
 * crt0.S - start-up code for the bare-metal test programs (test/guests).
 *
 * Entered at EL1 with the MMU and caches off and DAIF masked, as QEMU's
 * `-kernel ELF` boot leaves the first core (secondary cores are powered off
 * and never run this code).  We:
 *   1. point VBAR_EL1 at a small vector table that reports any exception
 *      on the UART and exits with status 0x7F (instead of spinning forever),
 *   2. set SP to the top of the stack reserved by baremetal.ld,
 *   3. zero .bss,
 *   4. call main(),
 *   5. leave through semihosting SYS_EXIT with main's return value.
 *
 * No FP/SIMD register is touched anywhere: CPACR_EL1 traps them at reset and
 * all C code is built with -mgeneral-regs-only.  Built with -DCRT_ENABLE_FP
 * (the FP guests, test/fp-guests), it first sets CPACR_EL1.FPEN so that
 * ordinary compiler output may use the FP/SIMD registers.
 */

#include "start.h"

    .section .text.boot, "ax"
    .global _start
    .type   _start, %function
_start:
    adrp    x0, crt_vectors
    add     x0, x0, :lo12:crt_vectors
    msr     vbar_el1, x0
#ifdef CRT_ENABLE_FP
    mov     x0, #(3 << 20)          /* CPACR_EL1.FPEN = 0b11: no FP/SIMD trap at EL0/EL1 */
    msr     cpacr_el1, x0
#endif
    isb

    START_MAIN
    .size   _start, . - _start

/* void crt_exit(int status): semihosting SYS_EXIT (start.h). */
    .text
    .global crt_exit
    .type   crt_exit, %function
crt_exit:
    CRT_EXIT
    .size   crt_exit, . - crt_exit

/*
 * Exception vectors: 16 entries of 128 bytes, table aligned to 2 KiB.
 * Every entry calls crt_exception(kind, esr, elr, far) in libmini.c, which
 * prints a diagnostic and exits with status 0x7F.  The handler runs on a
 * small dedicated stack so that a fault caused by a bad SP still reports.
 */
    .macro vec kind
    .balign 128
    mov     x0, #\kind
    b       crt_vec_common
    .endm

    .balign 2048
    .global crt_vectors
crt_vectors:
    vec 0
    vec 1
    vec 2
    vec 3
    vec 4
    vec 5
    vec 6
    vec 7
    vec 8
    vec 9
    vec 10
    vec 11
    vec 12
    vec 13
    vec 14
    vec 15

crt_vec_common:
    adrp    x1, __exc_stack_top
    add     x1, x1, :lo12:__exc_stack_top
    mov     sp, x1
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    bl      crt_exception
4:  b       4b

    /* no executable stack needed (silences GNU ld's warning) */
    .section .note.GNU-stack, "", %progbits
