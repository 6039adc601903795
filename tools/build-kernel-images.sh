#!/usr/bin/env bash
# Build the guest images (kernel/ + firmware/smp/) into firmware/images/.
#   tools/build-kernel-images.sh          build and install the images
#   tools/build-kernel-images.sh --check  build into a temp dir; exit 1 and
#                                         list the images that differ from
#                                         the committed ones, else 0
#   tools/build-kernel-images.sh --out DIR  build into DIR instead
# EXTRA_CFLAGS (e.g. -DTEST_TIMING: per-test times in the self-test output)
# is added to every compile; leave it unset for the committed images.
# Needs Debian's clang and lld (apt-get install clang lld). The output is
# byte-reproducible for a given clang/lld version: no debug info, no build
# id, file paths mapped to ".".
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

CHECK=0
OUTDIR=
case "${1:-}" in
	--check) CHECK=1 ;;
	--out) OUTDIR=${2:?--out needs a directory}; mkdir -p "$OUTDIR"; OUTDIR=$(cd "$OUTDIR" && pwd) ;;
	"") ;;
	*) echo "usage: $0 [--check | --out DIR]" >&2; exit 2 ;;
esac

CC=${CC:-clang}
LD=${LD:-ld.lld}
for tool in "$CC" "$LD"; do
	command -v "$tool" >/dev/null || { echo "$0: $tool not found (apt-get install clang lld)" >&2; exit 2; }
done

CFLAGS=(--target=aarch64-none-elf -mgeneral-regs-only -ffreestanding -nostdlib -fno-builtin
	-fno-stack-protector -std=c11 -O2 -Wall -Wextra -Werror -ffile-prefix-map="$ROOT"=.
	-fno-pic -fno-pie -mcmodel=small -fno-asynchronous-unwind-tables -fno-unwind-tables
	-fno-common ${EXTRA_CFLAGS:-})
LDFLAGS=(-m aarch64elf -nostdlib -static --build-id=none -z max-page-size=4096 -z norelro
	-T firmware/smp/smp.ld)

COMMON_SRCS=(
	firmware/smp/boot.S
	firmware/smp/vectors.S
	firmware/smp/fw_main.c
	firmware/smp/fdt.c
	kernel/main.c
	kernel/smp.c
	kernel/lock.c
	kernel/heap.c
	kernel/debug.c
	kernel/string.c
	kernel/test_objects.c
	kernel/arch/arm64/arch_smp.c
	kernel/arch/arm64/gicv3.c
	kernel/arch/arm64/gicv2.c
	kernel/arch/arm64/timer.c
	kernel/arch/arm64/psci.c
	kernel/arch/arm64/uart.c
	kernel/arch/arm64/semihost.c
	kernel/arch/arm64/mmu.c
)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=$ROOT/firmware/images
[ "$CHECK" = 1 ] && OUT=$TMP/out
[ -n "$OUTDIR" ] && OUT=$OUTDIR
mkdir -p "$OUT"

# build IMAGE WORKLOAD_SOURCE EXTRA_CFLAGS...
build() {
	local image=$1 workload=$2
	shift 2
	local objdir=$TMP/obj-$image objs=()
	mkdir -p "$objdir"
	for src in "${COMMON_SRCS[@]}" "$workload"; do
		local obj=$objdir/$(echo "$src" | tr / _).o
		"$CC" "${CFLAGS[@]}" "$@" -c "$src" -o "$obj"
		objs+=("$obj")
	done
	"$LD" "${LDFLAGS[@]}" "${objs[@]}" -o "$OUT/$image"
}

build smp-selftest.elf kernel/selftest.c -march=armv8-a
build smp-selftest-lse.elf kernel/selftest.c -march=armv8.1-a -DUSE_LSE
build smp-selftest-debug.elf kernel/selftest.c -march=armv8-a -DB_DEBUG_SPINLOCK_CONTENTION=1
# Compiler-only barriers, plain acquire/release accesses (x86 habits): fails under --memory-model arm.
build smp-selftest-x86barriers.elf kernel/selftest.c -march=armv8-a -DX86_BARRIERS
build deadlock.elf kernel/deadlock_demo.c -march=armv8-a
build smp-idle.elf kernel/idle.c -march=armv8-a

if [ "$CHECK" = 1 ]; then
	differ=0
	for f in "$OUT"/*.elf; do
		name=$(basename "$f")
		if ! cmp -s "$f" "$ROOT/firmware/images/$name"; then
			echo "differs: firmware/images/$name"
			differ=1
		fi
	done
	[ "$differ" = 0 ] && echo "all images match the committed ones"
	exit $differ
fi
echo "built: $(cd "$OUT" && ls *.elf | tr '\n' ' ')"
