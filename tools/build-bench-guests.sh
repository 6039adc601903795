#!/usr/bin/env bash
# Build the benchmark guests of `npm run bench` (tools/bench/src -> tools/bench/bin), with Debian clang
# + ld.lld at -O2, linked with the machine guests' run-time (test/machine-guests/src: start.S, rt.c,
# machine.ld) and firmware/baremetal's libmini:
#   intmark.elf          a CoreMark-class integer workload of our own (lists, matrix, state machine,
#                        CRC), split over however many cores the board has
#   exit0.elf            exits at once: the emulators' start-up
#   PROG-long.elf        test/guests/src/PROG.c (and the FP guests' fpbench/vecbench), repeated
#                        as many times as the bench asks (tools/bench/src/repeat.c)
# The bench passes the iteration count as a 32-bit word at 0x4ff00000.
#
#   tools/build-bench-guests.sh           rebuild tools/bench/bin/*.elf
#   tools/build-bench-guests.sh --check   rebuild into a temporary directory and exit 1 (listing the
#                                         files) if any image differs from the committed one
#
# Builds are byte-reproducible (as the other guest builds: tools/lib/guest-build.sh).
source "$(dirname "$0")/lib/guest-build.sh"
guest_build_setup '2,17p' "$0" "$@"
[ "$MODE" = build ] || [ "$MODE" = check ] || { echo "usage: $0 [--check]" >&2; exit 2; }

SRC_DIR=tools/bench/src
BIN_DIR=tools/bench/bin
RT_SRC=test/machine-guests/src
RT_DIR=firmware/baremetal
LDSCRIPT=$RT_SRC/machine.ld
INT_PROGRAMS="vm hash sort recursion"
FP_PROGRAMS="fpbench vecbench"

for t in clang ld.lld; do
    command -v "$t" >/dev/null || {
        echo "$t not found (apt-get install clang lld)" >&2; exit 2; }
done

CLANG_INC=$(clang -print-resource-dir)/include
BASE_CFLAGS=(
    --target=aarch64-none-elf -O2 -mstrict-align -mbranch-protection=none
    -std=c11 -ffreestanding -fno-builtin -nostdinc -isystem "$CLANG_INC"
    -fno-stack-protector -fno-pic -fno-pie -fno-common
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -ffile-prefix-map="$ROOT"=.
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -I "$RT_DIR" -I "$RT_SRC"
)
CFLAGS=("${BASE_CFLAGS[@]}" -march=armv8-a -mgeneral-regs-only)
FP_CFLAGS=("${BASE_CFLAGS[@]}" -march=armv8-a+crypto -fno-math-errno -O3)
LDFLAGS=(
    --target=aarch64-none-elf -fuse-ld=lld -nostdlib -static
    -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-T,"$LDSCRIPT"
)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ "$MODE" = check ]; then OUT=$WORK/bin; else OUT=$BIN_DIR; mkdir -p "$BIN_DIR"; rm -f "$BIN_DIR"/*.elf; fi
mkdir -p "$OUT"

clang "${CFLAGS[@]}" -c "$RT_SRC/start.S" -o "$WORK/start.o"
clang "${CFLAGS[@]}" -c "$RT_SRC/rt.c" -o "$WORK/rt.o"
clang "${CFLAGS[@]}" -c "$RT_DIR/libmini.c" -o "$WORK/libmini.o"
RT=("$WORK/start.o" "$WORK/rt.o" "$WORK/libmini.o")
for p in intmark exit0; do
    clang "${CFLAGS[@]}" -c "$SRC_DIR/$p.c" -o "$WORK/$p.o"
    clang "${LDFLAGS[@]}" "${RT[@]}" "$WORK/$p.o" -o "$OUT/$p.elf"
done
clang "${CFLAGS[@]}" -c "$SRC_DIR/repeat.c" -o "$WORK/repeat.o"
clang "${CFLAGS[@]}" -DBENCH_FP -c "$SRC_DIR/repeat.c" -o "$WORK/repeat-fp.o"
for p in $INT_PROGRAMS; do
    clang "${CFLAGS[@]}" -Dmain=program_main -c "test/guests/src/$p.c" -o "$WORK/$p.o"
    clang "${LDFLAGS[@]}" "${RT[@]}" "$WORK/repeat.o" "$WORK/$p.o" -o "$OUT/$p-long.elf"
done
for p in $FP_PROGRAMS; do
    clang "${FP_CFLAGS[@]}" -Dmain=program_main -Wno-missing-prototypes -c "test/fp-guests/src/$p.c" -o "$WORK/$p.o"
    clang "${LDFLAGS[@]}" "${RT[@]}" "$WORK/repeat-fp.o" "$WORK/$p.o" -o "$OUT/$p-long.elf"
done

if [ "$MODE" = build ]; then
    echo "built $(find "$BIN_DIR" -name '*.elf' | wc -l) images in $BIN_DIR"
    exit 0
fi
source tools/lib/compare-images.sh
compare_images "$OUT" "$BIN_DIR" "bench guest images"
