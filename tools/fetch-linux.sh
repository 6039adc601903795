#!/usr/bin/env bash
# Fetch Debian bookworm's arm64 kernel and busybox-static into a cache directory (default .cache/linux,
# git-ignored), unpacked. Needs root on Debian (dpkg --add-architecture, apt-get update). Nothing it
# fetches is committed.
#
#   tools/fetch-linux.sh [CACHE_DIR]
#
# Leaves in CACHE_DIR: vmlinuz (the arm64 Image, uncompressed as Debian ships it), busybox (static,
# arm64), modules/ (the kernel modules a virtio-blk disk with ext2 needs, which Debian builds as
# modules: see MODULES below; uncompressed .ko files), and the .deb files they came from. Re-running
# reuses what is there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-$here/.cache/linux}
mkdir -p "$cache"
cd "$cache"

# In load order (each after what it depends on: `depends=` in the .ko's modinfo).
MODULES="lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 drivers/virtio/virtio_mmio drivers/block/virtio_blk"
have_modules() { for m in $MODULES; do [ -f "modules/$(basename "$m").ko" ] || return 1; done; }
unpack_modules() {
  mkdir -p modules
  for m in $MODULES; do
    f=$(ls root/lib/modules/*/kernel/"$m".ko* | head -n 1)
    case $f in
      *.xz) xz -dc "$f" ;; *.zst) zstd -dcq "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
    esac > "modules/$(basename "$m").ko"
  done
}

if [ -f vmlinuz ] && [ -f busybox ] && have_modules; then echo "fetch-linux: $cache already has vmlinuz, busybox and modules/"; exit 0; fi
# An older cache without modules/: take them from the kernel package already downloaded.
if [ -f vmlinuz ] && [ -f busybox ] && ls ./linux-image-*.deb >/dev/null 2>&1; then
  rm -rf root; dpkg-deb -x "$(ls ./linux-image-*.deb | head -n 1)" root; unpack_modules; rm -rf root
  echo "fetch-linux: $cache/modules"; exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "fetch-linux: must run as root (dpkg --add-architecture, apt-get update)" >&2; exit 2; fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then dpkg --add-architecture arm64; fi
apt-get update -qq
# The bookworm kernel: the newest linux-image-6.1.*-arm64 package with a real image (not the -dbg,
# -unsigned or meta packages).
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.[0-9.-]+-arm64$' | awk '{print $1}' | sort -V | tail -n 1)
if [ -z "$pkg" ]; then echo "fetch-linux: no linux-image-6.1.*-arm64 package in the apt lists" >&2; exit 1; fi
echo "fetch-linux: $pkg:arm64 busybox-static:arm64"
rm -f ./*.deb
apt-get download "$pkg:arm64" busybox-static:arm64
for deb in ./*.deb; do dpkg-deb -x "$deb" root; done
cp "$(ls root/boot/vmlinuz-* | head -n 1)" vmlinuz
cp root/bin/busybox busybox
unpack_modules
rm -rf root
echo "fetch-linux: $cache/vmlinuz $cache/busybox $cache/modules/"
