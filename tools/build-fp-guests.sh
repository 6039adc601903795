#!/usr/bin/env bash
# Build the FP/SIMD guest programs (test/fp-guests/src/*.c) as ordinary
# compiler output: no -mgeneral-regs-only, so the compilers use the FP/SIMD
# registers, vectorise loops and fuse multiply-adds. Three builds each:
# clang -O2, clang -O3 and gcc -O3, for armv8-a+crypto (the Cortex-A57).
#
#   tools/build-fp-guests.sh           rebuild test/fp-guests/bin/*.elf
#   tools/build-fp-guests.sh --check   rebuild into a temporary directory and
#                                      fail if any image differs
#   tools/build-fp-guests.sh --qemu    run every image under QEMU and compare
#                                      its output with test/fp-guests/expected
#   tools/build-fp-guests.sh --capture rewrite test/fp-guests/expected/IMAGE.txt
#                                      from a QEMU run of each image (one file
#                                      per image: the compilers fuse and
#                                      vectorise differently, so results may
#                                      differ in the last bits between builds)
#
# Reproducible as build-test-programs.sh (same flags otherwise, same runtime
# firmware/baremetal, whose crt0 enables FP/SIMD with -DCRT_ENABLE_FP).
source "$(dirname "$0")/lib/guest-build.sh"
guest_build_setup '2,20p' "$0" "$@"

SRC_DIR=test/fp-guests/src
BIN_DIR=test/fp-guests/bin
EXP_DIR=test/fp-guests/expected
RT_DIR=firmware/baremetal
LDSCRIPT=$RT_DIR/baremetal.ld
VARIANTS="clang-O2 clang-O3 gcc-O3"

QEMU=(qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 1 -m 256
      -nographic -semihosting -kernel)

programs() {
    local f
    for f in "$SRC_DIR"/*.c; do basename "$f" .c; done | sort
}

run_qemu() { timeout 60 "${QEMU[@]}" "$1" </dev/null; }

if [ "$MODE" = qemu ] || [ "$MODE" = capture ]; then
    command -v qemu-system-aarch64 >/dev/null || {
        echo "qemu-system-aarch64 not found (apt-get install qemu-system-arm ipxe-qemu)" >&2; exit 2; }
    fail=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$EXP_DIR"
    for p in $(programs); do
        for v in $VARIANTS; do
            img=$BIN_DIR/$p-$v.elf exp=$EXP_DIR/$p-$v.txt
            set +e
            run_qemu "$img" >"$tmp/out"
            rc=$?
            set -e
            if [ $rc -ne 0 ]; then echo "FAIL $img: exit status $rc"; fail=1; continue; fi
            if [ "$MODE" = capture ]; then
                cp "$tmp/out" "$exp"
                echo "captured $exp ($(wc -c <"$exp") bytes)"
            elif ! cmp -s "$tmp/out" "$exp"; then
                echo "FAIL $img: output differs from $exp"; fail=1
            else
                echo "ok   $img"
            fi
        done
    done
    exit $fail
fi

for t in clang ld.lld aarch64-linux-gnu-gcc; do
    command -v "$t" >/dev/null || {
        echo "$t not found (apt-get install clang lld gcc-aarch64-linux-gnu)" >&2; exit 2; }
done

COMMON_CFLAGS=(
    -march=armv8-a+crypto -mstrict-align -mbranch-protection=none
    -std=c11 -ffreestanding -fno-builtin -nostdinc -fno-math-errno
    -fno-stack-protector -fno-pic -fno-pie -fno-common
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -ffile-prefix-map="$ROOT"=.
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -DCRT_ENABLE_FP -I "$RT_DIR"
)
baremetal_toolchains

build_one() { # prog variant outdir
    local p=$1 v=$2 out=$3 tc=${2%-*} opt=${2#*-}
    local obj=$WORK/$p-$v cc ld
    mkdir -p "$obj"
    if [ "$tc" = clang ]; then cc=("${CLANG[@]}"); ld=("${CLANG_LD[@]}"); else cc=("${GCC[@]}"); ld=("${GCC_LD[@]}"); fi
    # The runtime stays general-regs-only, so that its exception report works even when FP/SIMD
    # does not.
    "${cc[@]}" "${COMMON_CFLAGS[@]}" -mgeneral-regs-only "-$opt" -c "$RT_DIR/crt0.S" -o "$obj/crt0.o"
    "${cc[@]}" "${COMMON_CFLAGS[@]}" -mgeneral-regs-only "-$opt" -c "$RT_DIR/libmini.c" -o "$obj/libmini.o"
    "${cc[@]}" "${COMMON_CFLAGS[@]}" "-$opt" -c "$SRC_DIR/$p.c" -o "$obj/$p.o"
    "${cc[@]}" "${COMMON_LDFLAGS[@]}" "${ld[@]}" "$obj/crt0.o" "$obj/libmini.o" "$obj/$p.o" -o "$out/$p-$v.elf"
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ "$MODE" = check ]; then OUT=$WORK/bin; else OUT=$BIN_DIR; rm -f "$BIN_DIR"/*.elf; fi
mkdir -p "$OUT"
for p in $(programs); do
    for v in $VARIANTS; do build_one "$p" "$v" "$OUT"; done
done

if [ "$MODE" = build ]; then
    echo "built $(find "$BIN_DIR" -name '*.elf' | wc -l) images in $BIN_DIR"
    exit 0
fi
source tools/lib/compare-images.sh
compare_images "$OUT" "$BIN_DIR" "FP guest images"
