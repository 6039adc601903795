// A minimal /init for boot tests, without FP/SIMD: mounts sysfs, takes CPU 1 offline and back
// online through /sys/devices/system/cpu/cpu1/online (PSCI CPU_OFF, then CPU_ON), says so on the
// console, then powers off (reboot(2) with LINUX_REBOOT_CMD_POWER_OFF: PSCI SYSTEM_OFF).
.global _start
_start:
  adr x0, s_sysfs
  adr x1, s_sys
  adr x2, s_sysfs
  mov x3, #0
  mov x4, #0
  mov x8, #40            // mount("sysfs", "/sys", "sysfs", 0, NULL)
  svc #0
  mov w20, #'0'
  bl set_cpu1
  adr x1, m_off
  mov x2, #(m_off_end - m_off)
  bl say_result
  mov w20, #'1'
  bl set_cpu1
  adr x1, m_on
  mov x2, #(m_on_end - m_on)
  bl say_result
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

// Write the character in w20 to cpu1/online; x21 = write's result (1 on success).
set_cpu1:
  mov x0, #-100          // AT_FDCWD
  adr x1, s_online
  mov x2, #1             // O_WRONLY
  mov x3, #0
  mov x8, #56            // openat
  svc #0
  mov x19, x0
  sub sp, sp, #16
  strb w20, [sp]
  mov x1, sp
  mov x2, #1
  mov x8, #64            // write
  svc #0
  mov x21, x0
  mov x0, x19
  mov x8, #57            // close
  svc #0
  add sp, sp, #16
  ret

// Print the message at x1 (x2 bytes), then "ok\n" if x21 == 1, else "failed\n".
say_result:
  mov x0, #1
  mov x8, #64
  svc #0
  adr x1, m_ok
  mov x2, #3
  adr x3, m_failed
  cmp x21, #1
  csel x1, x1, x3, eq
  mov x3, #7
  csel x2, x2, x3, eq
  mov x0, #1
  mov x8, #64
  svc #0
  ret

s_sysfs: .asciz "sysfs"
s_sys: .asciz "/sys"
s_online: .asciz "/sys/devices/system/cpu/cpu1/online"
m_off: .ascii "a64emu-init: cpu1 offline: "
m_off_end:
m_on: .ascii "a64emu-init: cpu1 online again: "
m_on_end:
m_ok: .ascii "ok\n"
m_failed: .ascii "failed\n"
