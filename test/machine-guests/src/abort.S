/*
 * abort.S - memory probes for abort.c.  Each touches memory with one fixed
 * instruction, so that the syndrome of the external abort it takes is the
 * same on every build.  A probe that faults is skipped by the handler (ELR
 * + 4) and returns 0xdead (loads) or returns normally (stores).
 */
    .text

    .macro probe name, insn
    .global \name
    .type   \name, %function
\name:
    mov     x1, x0
    mov     x0, #0xdead
    \insn
    ret
    .size   \name, . - \name
    .endm

/* uint64_t ab_ldr(uint64_t pa): ldr x0, [x1] */
    probe ab_ldr, "ldr x0, [x1]"
/* uint64_t ab_ldrb(uint64_t pa): ldrb w0, [x1] */
    probe ab_ldrb, "ldrb w0, [x1]"
/* uint64_t ab_ldp(uint64_t pa): ldp x0, x2, [x1] */
    probe ab_ldp, "ldp x0, x2, [x1]"
/* uint64_t ab_ldxr(uint64_t pa): ldxr w0, [x1] */
    probe ab_ldxr, "ldxr w0, [x1]"

/* void ab_str(uint64_t pa, uint64_t v): str x1, [x0] */
    .global ab_str
    .type   ab_str, %function
ab_str:
    str     x1, [x0]
    ret
    .size   ab_str, . - ab_str

/* void ab_strh(uint64_t pa, uint64_t v): strh w1, [x0] */
    .global ab_strh
    .type   ab_strh, %function
ab_strh:
    strh    w1, [x0]
    ret
    .size   ab_strh, . - ab_strh

/* void ab_exec(uint64_t pa): blr x0; the handler returns to x30 */
    .global ab_exec
    .type   ab_exec, %function
ab_exec:
    stp     x29, x30, [sp, #-16]!
    blr     x0
    ldp     x29, x30, [sp], #16
    ret
    .size   ab_exec, . - ab_exec
