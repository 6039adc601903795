/* EL1 exception vectors. IRQs from EL1 (SP_EL1) go to arch_irq_handler,
 * which acknowledges through ICC_IAR1_EL1 and sends ICI SGIs to
 * smp_intercpu_interrupt_handler; everything else is unexpected and panics. */

#define FRAME_SIZE	(24 * 8)

.macro SAVE_REGS
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0 * 16]
	stp	x2, x3, [sp, #1 * 16]
	stp	x4, x5, [sp, #2 * 16]
	stp	x6, x7, [sp, #3 * 16]
	stp	x8, x9, [sp, #4 * 16]
	stp	x10, x11, [sp, #5 * 16]
	stp	x12, x13, [sp, #6 * 16]
	stp	x14, x15, [sp, #7 * 16]
	stp	x16, x17, [sp, #8 * 16]
	stp	x18, x29, [sp, #9 * 16]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #10 * 16]
	str	x1, [sp, #11 * 16]
.endm

.macro RESTORE_REGS
	ldr	x1, [sp, #11 * 16]
	ldp	x30, x0, [sp, #10 * 16]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0 * 16]
	ldp	x2, x3, [sp, #1 * 16]
	ldp	x4, x5, [sp, #2 * 16]
	ldp	x6, x7, [sp, #3 * 16]
	ldp	x8, x9, [sp, #4 * 16]
	ldp	x10, x11, [sp, #5 * 16]
	ldp	x12, x13, [sp, #6 * 16]
	ldp	x14, x15, [sp, #7 * 16]
	ldp	x16, x17, [sp, #8 * 16]
	ldp	x18, x29, [sp, #9 * 16]
	add	sp, sp, #FRAME_SIZE
.endm

.macro UNEXPECTED kind
	.balign 0x80
	SAVE_REGS
	mov	x0, #\kind
	mov	x1, sp
	bl	fw_unexpected_exception
	b	.
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global exception_vectors
exception_vectors:
	/* current EL with SP_EL0 */
	UNEXPECTED 0
	UNEXPECTED 1
	UNEXPECTED 2
	UNEXPECTED 3
	/* current EL with SP_EL1 */
	UNEXPECTED 4		/* synchronous */
	.balign 0x80		/* IRQ */
	b	irq_entry
	UNEXPECTED 6		/* FIQ */
	UNEXPECTED 7		/* SError */
	/* lower EL, AArch64 */
	UNEXPECTED 8
	UNEXPECTED 9
	UNEXPECTED 10
	UNEXPECTED 11
	/* lower EL, AArch32 */
	UNEXPECTED 12
	UNEXPECTED 13
	UNEXPECTED 14
	UNEXPECTED 15

irq_entry:
	SAVE_REGS
	bl	arch_irq_handler
	RESTORE_REGS
	eret
