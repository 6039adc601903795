/*
 * psci.S - an entry point for PSCI CPU_ON that needs no stack: it records
 * the state the core starts in, then turns itself off with CPU_OFF.
 */
    .text
    .global ctx_entry
    .type   ctx_entry, %function
ctx_entry:
    adrp    x9, ctx_seen
    add     x9, x9, :lo12:ctx_seen
    str     x0, [x9, #0]            /* x0 = the context id */
    mrs     x1, CurrentEL
    str     x1, [x9, #8]
    mrs     x1, DAIF
    str     x1, [x9, #16]
    mrs     x1, SCTLR_EL1
    str     x1, [x9, #24]
    mrs     x1, SPSel
    str     x1, [x9, #32]
    mov     x1, #1
    dsb     sy
    str     x1, [x9, #40]           /* ready flag last */
    dsb     sy
    sev
    movz    x0, #0x0002
    movk    x0, #0x8400, lsl #16    /* CPU_OFF */
    hvc     #0
    str     x0, [x9, #48]           /* only if CPU_OFF returned */
    dsb     sy
1:  wfe
    b       1b
    .size   ctx_entry, . - ctx_entry

    .section .note.GNU-stack, "", %progbits
