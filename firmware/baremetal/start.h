/*
 * start.h - start-up pieces shared by crt0.S (test/guests) and the machine
 * guests' start.S (test/machine-guests), as assembler macros.
 *
 *   START_MAIN   SP at the top of the linker script's stack (__stack_top),
 *                zero .bss (both ends 16-byte aligned by the linker script),
 *                call main() with no frame, and leave through crt_exit with
 *                main's return value.
 *   CRT_EXIT     the body of void crt_exit(int status): semihosting SYS_EXIT
 *                (0x18) with the AArch64 parameter block
 *                {ADP_Stopped_ApplicationExit (0x20026), status}.
 */

    .macro START_MAIN
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:  mov     x29, #0
    mov     x30, #0
    bl      main
    b       crt_exit
    .endm

    .macro CRT_EXIT
    sxtw    x2, w0
    sub     sp, sp, #16
    mov     x3, #0x0026
    movk    x3, #0x2, lsl #16
    stp     x3, x2, [sp]
    mov     x1, sp
    mov     w0, #0x18
    hlt     #0xf000
1:  wfi                     /* not reached under QEMU/a64emu */
    b       1b
    .endm
