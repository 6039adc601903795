# /init of the busybox boot test (test/linux/busybox.test.ts), run by busybox sh. Everything from the
# marker line on must print the same on a64emu and on qemu-system-aarch64, so it prints only what is
# deterministic: no counts, times or addresses.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Debian builds these as modules; each after its dependencies (tools/fetch-linux.sh). ext4 (which
# mounts ext2 here) wants the crc32c crypto driver even for ext2.
for m in crc16 crc32c_generic mbcache jbd2 ext4 virtio_mmio virtio_blk; do insmod /lib/modules/$m.ko || echo "insmod $m: failed"; done
echo "=== a64emu busybox test ==="
n=$(nproc)
echo "cpus: $n, online: $(cat /sys/devices/system/cpu/online)"

# A process pinned to each CPU (busybox taskset); each reports the CPU it ran on (field 39 of stat)
# and a sum it computed there.
oncpus() {
  i=0
  while [ $i -lt $n ]; do
    taskset -c $i sh -c 's=0; k=0; while [ $k -lt 200 ]; do s=$((s + k * k)); k=$((k + 1)); done; echo "cpu $0: ran on $(cut -d" " -f39 /proc/self/stat), sum $s"' $i > /tmp/cpu.$i &
    i=$((i + 1))
  done
  wait
  i=0; while [ $i -lt $n ]; do cat /tmp/cpu.$i; i=$((i + 1)); done
}
oncpus

# CPU hotplug through sysfs (PSCI CPU_OFF, then CPU_ON).
if [ $n -gt 1 ]; then
  echo 0 > /sys/devices/system/cpu/cpu1/online && echo "cpu1 offline, online: $(cat /sys/devices/system/cpu/online)"
  echo "cpu1 online file: $(cat /sys/devices/system/cpu/cpu1/online)"
  echo 1 > /sys/devices/system/cpu/cpu1/online && echo "cpu1 back, online: $(cat /sys/devices/system/cpu/online)"
  oncpus
fi

# /proc/interrupts: the CPU columns and the interrupt lines there are (no counts), the PMU's included.
echo "interrupts: $(head -n 1 /proc/interrupts | wc -w) CPU columns"
awk -v n=$n 'NR > 1 { s = ""; for (k = n + 2; k <= NF; k++) s = s " " $k
  if ($1 ~ /^[0-9]+:$/) print "irq" s; else print $1 s }' /proc/interrupts

# The RTC: its name, and a plausible date (the year only: a64emu's clock starts at a fixed epoch).
echo "rtc: $(cat /sys/class/rtc/rtc0/name)"
y=$(cut -c1-4 /sys/class/rtc/rtc0/date)
if [ "$y" -ge 2024 ] && [ "$y" -lt 2100 ]; then echo "rtc year: plausible"; else echo "rtc year: $y, implausible"; fi

# The virtio-blk disk: an ext2 image made by the test (mke2fs -d).
echo "disk: $(cat /sys/block/vda/size) sectors"
mount -t ext2 /dev/vda /mnt && echo "mounted /dev/vda"
ls /mnt
cat /mnt/hello.txt
md5sum /mnt/data.bin | cut -d" " -f1
echo "written by the guest" > /mnt/guest.txt
dd if=/mnt/data.bin of=/mnt/copy.bin bs=4096 2>/dev/null
mkdir /mnt/dir && echo nested > /mnt/dir/file
sync
umount /mnt && echo "unmounted"
mount -t ext2 -o ro /dev/vda /mnt && echo "mounted again"
ls /mnt /mnt/dir
cat /mnt/guest.txt /mnt/dir/file
cmp /mnt/data.bin /mnt/copy.bin && echo "copy: same"
umount /mnt
echo "=== done ==="
poweroff -f
