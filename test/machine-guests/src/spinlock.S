/*
 * spinlock.S - the locks under test in spinlock.c, in assembly so that the
 * exact instruction sequence is fixed: LDAXR/STXR with SEVL/WFE waiting.
 */
    .text

/* void tas_lock(volatile uint32_t *lock): test-and-set, 0 = free, 1 = held.
 * SEVL makes the first WFE fall through; afterwards a core sleeps in WFE
 * until the holder's release store clears its exclusive monitor (which
 * generates the event that wakes it). */
    .global tas_lock
    .type   tas_lock, %function
tas_lock:
    mov     w2, #1
    sevl
1:  wfe
2:  ldaxr   w1, [x0]
    cbnz    w1, 1b
    stxr    w3, w2, [x0]
    cbnz    w3, 2b
    ret
    .size   tas_lock, . - tas_lock

/* void tas_unlock(volatile uint32_t *lock) */
    .global tas_unlock
    .type   tas_unlock, %function
tas_unlock:
    stlr    wzr, [x0]
    ret
    .size   tas_unlock, . - tas_unlock

/* Ticket lock: one 32-bit word, owner in [15:0], next ticket in [31:16].
 * void ticket_lock(volatile uint32_t *lock) */
    .global ticket_lock
    .type   ticket_lock, %function
ticket_lock:
    /* take a ticket: atomically add 1 << 16 */
1:  ldaxr   w1, [x0]
    add     w2, w1, #0x10000
    stxr    w3, w2, [x0]
    cbnz    w3, 1b
    lsr     w4, w1, #16                 /* my ticket */
    and     w1, w1, #0xffff
    cmp     w1, w4
    b.eq    3f
    /* wait for owner == my ticket; the unlock's halfword store to the
     * owner field clears our reservation on the word and wakes us */
    sevl
2:  wfe
    ldaxr   w1, [x0]
    and     w1, w1, #0xffff
    cmp     w1, w4
    b.ne    2b
3:  ret
    .size   ticket_lock, . - ticket_lock

/* void ticket_unlock(volatile uint32_t *lock): owner += 1 (halfword store) */
    .global ticket_unlock
    .type   ticket_unlock, %function
ticket_unlock:
    ldrh    w1, [x0]
    add     w1, w1, #1
    stlrh   w1, [x0]
    ret
    .size   ticket_unlock, . - ticket_unlock

/* int stxr_after_clrex(volatile uint32_t *p, uint32_t v): STXR with no
 * reservation; returns the status (1 = failed, memory unchanged). */
    .global stxr_after_clrex
    .type   stxr_after_clrex, %function
stxr_after_clrex:
    clrex
    stxr    w2, w1, [x0]
    mov     w0, w2
    ret
    .size   stxr_after_clrex, . - stxr_after_clrex

/* uint32_t ldxr32(volatile uint32_t *p) / int stxr32(volatile uint32_t *p, uint32_t v) */
    .global ldxr32
    .type   ldxr32, %function
ldxr32:
    ldxr    w0, [x0]
    ret
    .size   ldxr32, . - ldxr32

    .global stxr32
    .type   stxr32, %function
stxr32:
    stxr    w2, w1, [x0]
    mov     w0, w2
    ret
    .size   stxr32, . - stxr32

    .section .note.GNU-stack, "", %progbits
