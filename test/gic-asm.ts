// Guest assembly (keystone syntax) shared by the tests whose guests take interrupts through the
// board's GICv3 (QEMU virt's layout: the distributor at 0x0800_0000, core n's redistributor at
// 0x080a_0000 + n * 0x2_0000, its SGI frame 0x1_0000 above).

/** Enable the distributor: affinity routing, both groups (GICD_CTLR = 0x13). Uses x2 and w0. */
export const GICD_INIT = `
    movz x2, #0x0800, lsl #16
    mov w0, #0x13
    str w0, [x2]`;

/** `gicr_init`, called with x2 = the calling core's redistributor: wakes it, puts SGIs and PPIs in
 * group 1, enables the SGIs and PPI 27 (the virtual timer) at priority 0x80, opens the CPU interface
 * (PMR 0xff, group 1 on) and sets VBAR_EL1 to the guest's label `vectors`. Returns with x2 = the SGI
 * frame; uses w0/x0. */
export const GICR_INIT = `
gicr_init:
    str wzr, [x2, #0x14]
    add x2, x2, #0x10, lsl #12
    mov w0, #-1
    str w0, [x2, #0x80]
    movz w0, #0xffff
    movk w0, #0x0800, lsl #16
    str w0, [x2, #0x100]
    mov w0, #0x80808080
    str w0, [x2, #0x400]
    str w0, [x2, #0x418]
    mov x0, #0xff
    msr icc_pmr_el1, x0
    mov x0, #1
    msr icc_igrpen1_el1, x0
    adr x0, vectors
    msr vbar_el1, x0
    isb
    ret`;
