/*
 * el2.S - EL2 pieces for el2.c: a vector table for EL2 (VBAR_EL2) that saves
 * a struct frame (rt.h) on SP_EL2 and calls el2_dispatch(frame, vector),
 * run_el1() to drop to EL1 and come back, and memory probes with one fixed
 * instruction each (so that fault syndromes do not depend on the compiler).
 */
#define FRAME_SIZE 288

    .text

/* uint64_t probe_ldr(uint64_t va): 0xdead if the load faulted (skipped) */
    .global probe_ldr
    .type   probe_ldr, %function
probe_ldr:
    mov     x1, x0
    mov     x0, #0xdead
    ldr     x0, [x1]
    ret
    .size   probe_ldr, . - probe_ldr

/* void probe_str(uint64_t va, uint64_t v) */
    .global probe_str
    .type   probe_str, %function
probe_str:
    str     x1, [x0]
    ret
    .size   probe_str, . - probe_str

/* void probe_exec(uint64_t va): branch there; an instruction abort returns via x30 */
    .global probe_exec
    .type   probe_exec, %function
probe_exec:
    stp     x29, x30, [sp, #-16]!
    blr     x0
    ldp     x29, x30, [sp], #16
    ret
    .size   probe_exec, . - probe_exec

/*
 * uint64_t run_el1(void (*entry)(void), uint64_t sp_el1, uint64_t spsr)
 * ERET to entry at EL1 (SPSR_EL2 = spsr) with SP_EL1 = sp_el1.  Returns when
 * a handler makes EL1 come back through el1_return (HVC #0xfff in el2.c),
 * with x0 = the value EL1 passed.  Only callee-saved registers survive.
 */
    .global run_el1
    .type   run_el1, %function
run_el1:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    msr     sp_el1, x1
    msr     elr_el2, x0
    msr     spsr_el2, x2
    mov     x0, #0
    mov     x1, #0
    mov     x2, #0
    mov     x29, #0
    mov     x30, #0
    isb
    eret
    .global el1_return
el1_return:                  /* reached by ERET to EL2h from a handler */
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
    .size   run_el1, . - run_el1

    .macro vent kind
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       el2_vec_common
    .endm

    .balign 2048
    .global el2_vectors
el2_vectors:
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

el2_vec_common:
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
    mrs     x1, elr_el2
    stp     x30, x1, [sp, #240]
    mrs     x1, spsr_el2
    mrs     x2, esr_el2
    stp     x1, x2, [sp, #256]
    mrs     x1, far_el2
    stp     x1, x0, [sp, #272]
    mov     x1, x0
    mov     x0, sp
    bl      el2_dispatch
    ldp     x30, x1, [sp, #240]
    msr     elr_el2, x1
    ldr     x1, [sp, #256]
    msr     spsr_el2, x1
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
