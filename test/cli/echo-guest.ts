// A guest shared by the CLI and console tests: polls the PL011's UARTFR.RXFE, echoes every byte it
// receives until 'q', then exits through semihosting with status 5.

/** Guest code that exits through semihosting (SYS_EXIT, ADP_Stopped_ApplicationExit) with `status`. */
export const semihostingExit = (status: number): string => `
    adr x1, block
    mov w0, #0x18
    hlt #0xf000
  block:
    .quad 0x20026
    .quad ${status}`;

export const ECHO_UNTIL_Q = `
  movz x0, #0x0900, lsl #16
  loop:
    ldr w1, [x0, #0x18]
    tbnz w1, #4, loop
    ldr w2, [x0]
    str w2, [x0]
    cmp w2, #0x71
    b.ne loop
${semihostingExit(5)}`;
