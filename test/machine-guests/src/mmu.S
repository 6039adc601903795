/*
 * mmu.S - memory probes for mmu.c.  Each touches memory with one fixed
 * instruction, so that the syndrome of any fault it takes (ESR.ISS: SRT,
 * SAS, SF, WnR) is the same on every build.  A probe that faults is skipped
 * by the handler and returns 0xdead (loads) or returns normally (stores).
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

/* uint64_t probe_ldr(uint64_t va): ldr x0, [x1] */
    probe probe_ldr, "ldr x0, [x1]"
/* uint64_t probe_ldtr(uint64_t va): ldtr x0, [x1] (EL0 permissions) */
    probe probe_ldtr, "ldtr x0, [x1]"
/* uint64_t probe_ldxr(uint64_t va): ldxr x0, [x1]; clrex */
    .global probe_ldxr
    .type   probe_ldxr, %function
probe_ldxr:
    mov     x1, x0
    mov     x0, #0xdead
    ldxr    x0, [x1]
    clrex
    ret
    .size   probe_ldxr, . - probe_ldxr

/* void probe_str(uint64_t va, uint64_t v): str x1, [x0] */
    .global probe_str
    .type   probe_str, %function
probe_str:
    str     x1, [x0]
    ret
    .size   probe_str, . - probe_str

/* void probe_sttr(uint64_t va, uint64_t v): sttr x1, [x0] */
    .global probe_sttr
    .type   probe_sttr, %function
probe_sttr:
    sttr    x1, [x0]
    ret
    .size   probe_sttr, . - probe_sttr

/* void probe_exec(uint64_t va): blr to va (which should hold a RET); the
 * handler of an instruction abort returns to our x30 */
    .global probe_exec
    .type   probe_exec, %function
probe_exec:
    stp     x29, x30, [sp, #-16]!
    blr     x0
    ldp     x29, x30, [sp], #16
    ret
    .size   probe_exec, . - probe_exec

    .section .note.GNU-stack, "", %progbits
