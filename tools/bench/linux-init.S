// /init for the bench's Linux boot: prints one line on the console (the moment the bench times), then
// powers off (reboot(2) with LINUX_REBOOT_CMD_POWER_OFF: PSCI SYSTEM_OFF). No FP/SIMD, no libc.
.global _start
_start:
  mov x0, #1
  adr x1, msg
  mov x2, #(msg_end - msg)
  mov x8, #64            // write(1, msg, len)
  svc #0
  movz x0, #0xdead
  movk x0, #0xfee1, lsl #16   // LINUX_REBOOT_MAGIC1
  movz x1, #0x1969
  movk x1, #0x2812, lsl #16   // LINUX_REBOOT_MAGIC2
  movz x2, #0xfedc
  movk x2, #0x4321, lsl #16   // LINUX_REBOOT_CMD_POWER_OFF
  mov x3, #0
  mov x8, #142           // reboot
  svc #0
1: b 1b
msg: .ascii "a64emu-bench: init's first line\n"
msg_end:
