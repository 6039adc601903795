#!/usr/bin/env bash
# Build a gzip-compressed cpio (newc) initramfs from Debian's static busybox (tools/fetch-linux.sh
# puts it in .cache/linux/busybox) with an /init script:
#
#   tools/make-initramfs.sh [-b BUSYBOX] [-i INIT_SCRIPT] [-o OUTPUT] [-m MODULE.ko]...
#
# Defaults: -b .cache/linux/busybox, -o .cache/linux/initramfs.cpio.gz, and an /init that mounts
# /proc, /sys and /dev and starts a shell on the console. With -i, that file's commands run as /init
# (under busybox sh, after `busybox --install -s`). Each -m file goes in as /lib/modules/MODULE.ko. The archive is written by tools/initramfs.ts
# (no cpio or root needed; the same bytes on every host). Needs `npm run build` first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec node "$here/dist/tools/initramfs.js" "$@"
