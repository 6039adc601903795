/* Entry of every core.
 * _start: the boot core, as QEMU's -kernel enters an ELF image (x0 may or
 *   may not hold the DTB address).
 * _secondary_start: the others, via PSCI CPU_ON with x0 = CPU index.
 * Both drop to EL1 when entered at EL2, take their stack, install the
 * vectors and call into C with interrupts masked. */

#define STACK_SIZE	0x4000

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0
	bl	drop_to_el1		/* x20 = the EL we were entered at */

	/* zero .bss (not the stacks: nothing relies on them being zero) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	mov	x0, #0
	bl	set_stack_and_vectors
	mov	x0, x19
	mov	x1, x20
	bl	fw_main
	b	park

	.global _secondary_start
_secondary_start:
	msr	daifset, #0xf
	mov	x19, x0
	bl	drop_to_el1
	mov	x0, x19
	bl	set_stack_and_vectors
	mov	x0, x19
	bl	fw_secondary_main
	b	park

/* x0 = CPU index: SP_EL1 = top of that CPU's stack; VBAR_EL1 = vectors */
set_stack_and_vectors:
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	add	x0, x0, #1
	mov	x2, #STACK_SIZE
	madd	x1, x0, x2, x1
	mov	sp, x1
	adrp	x1, exception_vectors
	add	x1, x1, :lo12:exception_vectors
	msr	vbar_el1, x1
	isb
	ret

/* If at EL2, set EL2 up so that EL1 runs undisturbed and eret to the
 * caller at EL1h. Returns x20 = entry EL. Uses no stack. */
drop_to_el1:
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	and	x20, x20, #3
	cmp	x20, #2
	b.eq	1f
	ret
1:
	mov	x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64; IMO/FMO 0: IRQs go to EL1 */
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3		/* EL1PCTEN, EL1PCEN: EL1 may use the physical counter and timer */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mrs	x1, id_aa64pfr0_el1	/* GIC [27:24]: 0 = no system-register interface (GICv2), */
	ubfx	x1, x1, #24, #4		/* where ICC_SRE_EL2 is UNDEFINED */
	cbz	x1, 2f
	mov	x1, #0xf		/* ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use ICC_SRE_EL1) */
	msr	S3_4_C12_C9_5, x1
	isb
2:
	mrs	x1, midr_el1		/* EL1 reads of MIDR/MPIDR return these */
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	mov	x1, #0x33ff		/* CPTR_EL2: no FP/SIMD trap */
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	ldr	x1, =0x30d00800		/* SCTLR_EL1: RES1 bits, MMU and caches off */
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		/* SPSR_EL2: EL1h, DAIF masked */
	msr	spsr_el2, x1
	msr	elr_el2, x30
	isb
	eret

park:
	msr	daifset, #0xf
1:	wfe
	b	1b
