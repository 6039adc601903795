/*
 * start.S - boot code for the machine guests (test/machine-guests).
 *
 * Core 0 enters _start at EL1 (MMU off, DAIF masked) as QEMU's `-kernel ELF`
 * boot leaves it.  Every other core is started by PSCI CPU_ON at
 * secondary_entry with x0 = the context id, which rt.c sets to the core's
 * index.  Each core gets its own stack and TPIDR_EL1 = its index.
 *
 * The vector table saves a full register frame (struct frame in rt.h) on the
 * current SP_EL1, calls exc_dispatch(frame, vector) in rt.c, restores the frame
 * (ELR, SPSR and x0-x30 may have been changed by the handler) and returns with
 * ERET.  Exceptions from EL0 arrive on the kernel stack (SP_EL1).
 */

#include "start.h"

#define FRAME_SIZE 288
#define STACK_SIZE 0x2000

    .section .text.boot, "ax"
    .global _start
    .type   _start, %function
_start:
    adrp    x0, rt_vectors
    add     x0, x0, :lo12:rt_vectors
    msr     vbar_el1, x0
    msr     tpidr_el1, xzr
    isb
    START_MAIN
    .size   _start, . - _start

/* Secondary cores: x0 = core index (the CPU_ON context id). */
    .text
    .global secondary_entry
    .type   secondary_entry, %function
secondary_entry:
    msr     tpidr_el1, x0
    adrp    x1, rt_vectors
    add     x1, x1, :lo12:rt_vectors
    msr     vbar_el1, x1
    isb
    adrp    x1, rt_stacks
    add     x1, x1, :lo12:rt_stacks
    add     x2, x0, #1
    mov     x3, #STACK_SIZE
    madd    x1, x2, x3, x1
    mov     sp, x1
    mov     x29, #0
    mov     x30, #0
    bl      rt_secondary_main        /* does not return */
3:  wfe
    b       3b
    .size   secondary_entry, . - secondary_entry

/* void crt_exit(int status): semihosting SYS_EXIT (start.h). */
    .global crt_exit
    .type   crt_exit, %function
crt_exit:
    CRT_EXIT
    .size   crt_exit, . - crt_exit

/*
 * uint64_t run_el0(void (*entry)(uint64_t), uint64_t sp_el0, uint64_t arg, uint64_t spsr)
 * Drop to EL0 at entry with SP_EL0 = sp_el0, x0 = arg and SPSR_EL1 = spsr
 * (EL0t plus DAIF bits).  Returns when a handler makes the EL0 program leave
 * through rt_el0_return (rt_el0_exit in rt.c), with x0 = its value.
 * Only callee-saved state survives: the EL0 program cannot touch SP_EL1.
 */
    .global run_el0
    .type   run_el0, %function
run_el0:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    msr     sp_el0, x1
    msr     elr_el1, x0
    msr     spsr_el1, x3
    mov     x0, x2
    mov     x1, #0
    mov     x2, #0
    mov     x3, #0
    mov     x29, #0
    mov     x30, #0
    eret
    .global rt_el0_return
rt_el0_return:               /* reached by ERET to EL1h from a handler */
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
    .size   run_el0, . - run_el0

/* Exception vectors: 16 entries of 128 bytes, 2 KiB aligned. */
    .macro vent kind
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       rt_vec_common
    .endm

    .balign 2048
    .global rt_vectors
rt_vectors:
    vent 0
    vent 1
    vent 2
    vent 3
    vent 4
    vent 5
    vent 6
    vent 7
    vent 8
    vent 9
    vent 10
    vent 11
    vent 12
    vent 13
    vent 14
    vent 15

rt_vec_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x1, elr_el1
    stp     x30, x1, [sp, #240]
    mrs     x1, spsr_el1
    mrs     x2, esr_el1
    stp     x1, x2, [sp, #256]
    mrs     x1, far_el1
    stp     x1, x0, [sp, #272]
    mov     x1, x0
    mov     x0, sp
    bl      exc_dispatch
    ldp     x30, x1, [sp, #240]
    msr     elr_el1, x1
    ldr     x1, [sp, #256]
    msr     spsr_el1, x1
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret

    .section .note.GNU-stack, "", %progbits
