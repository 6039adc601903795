#!/usr/bin/env bash
# Build the bare-metal test programs (test/guests/src/*.c) four ways each:
# Debian clang + ld.lld and gcc-aarch64-linux-gnu, at -O0 and -O2.
#
#   tools/build-test-programs.sh           rebuild test/guests/bin/*.elf
#   tools/build-test-programs.sh --check   rebuild into a temporary directory and
#                                          exit 1 (listing the files) if any image
#                                          differs from the committed one
#   tools/build-test-programs.sh --qemu    run every committed image under QEMU and
#                                          compare its UART output with
#                                          test/guests/expected/NAME.txt
#   tools/build-test-programs.sh --capture rewrite test/guests/expected/NAME.txt from
#                                          QEMU runs of NAME-gcc-O0.elf
#
# Builds are byte-reproducible: run from the repository root (the script cds
# there itself), relative paths only, no debug info, no build id, fixed file
# order, -ffile-prefix-map.  Needs Debian packages clang, lld,
# gcc-aarch64-linux-gnu (and qemu-system-arm for --qemu/--capture).
source "$(dirname "$0")/lib/guest-build.sh"
guest_build_setup '2,20p' "$0" "$@"

SRC_DIR=test/guests/src
BIN_DIR=test/guests/bin
EXP_DIR=test/guests/expected
RT_DIR=firmware/baremetal
LDSCRIPT=$RT_DIR/baremetal.ld

QEMU=(qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 1 -m 256
      -nographic -semihosting -kernel)

programs() {
    local f
    for f in "$SRC_DIR"/*.c; do
        basename "$f" .c
    done | sort
}

# ------------------------------------------------------------- QEMU modes
run_qemu() { # image -> stdout = UART bytes; returns QEMU's exit status
    timeout 20 "${QEMU[@]}" "$1" </dev/null
}

if [ "$MODE" = qemu ] || [ "$MODE" = capture ]; then
    command -v qemu-system-aarch64 >/dev/null || {
        echo "qemu-system-aarch64 not found (apt-get install qemu-system-arm)" >&2; exit 2; }
    fail=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for p in $(programs); do
        if [ "$MODE" = capture ]; then
            mkdir -p "$EXP_DIR"
            set +e
            run_qemu "$BIN_DIR/$p-gcc-O0.elf" >"$tmp/out"
            rc=$?
            set -e
            if [ $rc -ne 0 ]; then
                echo "FAIL $p-gcc-O0.elf: exit status $rc" >&2; fail=1; continue
            fi
            cp "$tmp/out" "$EXP_DIR/$p.txt"
            echo "captured $EXP_DIR/$p.txt ($(wc -c <"$EXP_DIR/$p.txt") bytes)"
            continue
        fi
        for v in clang-O0 clang-O2 gcc-O0 gcc-O2; do
            img=$BIN_DIR/$p-$v.elf
            set +e
            start=$(date +%s%N)
            run_qemu "$img" >"$tmp/out"
            rc=$?
            end=$(date +%s%N)
            set -e
            ms=$(( (end - start) / 1000000 ))
            if [ $rc -ne 0 ]; then
                echo "FAIL $img: exit status $rc (${ms} ms)"; fail=1
            elif ! cmp -s "$tmp/out" "$EXP_DIR/$p.txt"; then
                echo "FAIL $img: output differs from $EXP_DIR/$p.txt (${ms} ms)"; fail=1
            else
                echo "ok   $img (${ms} ms)"
            fi
        done
    done
    exit $fail
fi

# ------------------------------------------------------------- toolchains
for t in clang ld.lld aarch64-linux-gnu-gcc aarch64-linux-gnu-objdump; do
    command -v "$t" >/dev/null || {
        echo "$t not found (apt-get install clang lld gcc-aarch64-linux-gnu)" >&2; exit 2; }
done

COMMON_CFLAGS=(
    -march=armv8-a -mgeneral-regs-only -mstrict-align -mbranch-protection=none
    -std=c11 -ffreestanding -fno-builtin -nostdinc
    -fno-stack-protector -fno-pic -fno-pie -fno-common
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -ffile-prefix-map="$ROOT"=.
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -I "$RT_DIR"
)
baremetal_toolchains

build_one() { # prog toolchain opt(O0|O2) outdir
    local p=$1 tc=$2 opt=$3 out=$4
    local obj=$WORK/$p-$tc-$opt
    local cc ld
    mkdir -p "$obj"
    if [ "$tc" = clang ]; then
        cc=("${CLANG[@]}"); ld=("${CLANG_LD[@]}")
    else
        cc=("${GCC[@]}"); ld=("${GCC_LD[@]}")
    fi
    "${cc[@]}" "${COMMON_CFLAGS[@]}" "-$opt" -c "$RT_DIR/crt0.S" -o "$obj/crt0.o"
    "${cc[@]}" "${COMMON_CFLAGS[@]}" "-$opt" -c "$RT_DIR/libmini.c" -o "$obj/libmini.o"
    "${cc[@]}" "${COMMON_CFLAGS[@]}" "-$opt" -c "$SRC_DIR/$p.c" -o "$obj/$p.o"
    "${cc[@]}" "${COMMON_LDFLAGS[@]}" "${ld[@]}" \
        "$obj/crt0.o" "$obj/libmini.o" "$obj/$p.o" -o "$out/$p-$tc-$opt.elf"
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ "$MODE" = check ]; then
    OUT=$WORK/bin
else
    OUT=$BIN_DIR
    rm -f "$BIN_DIR"/*.elf
fi
mkdir -p "$OUT"

# Guard: the images must not touch FP/SIMD registers (CPACR_EL1 traps them at
# reset and crt0 does not enable them).  Any b/h/s/d/q/v register operand fails.
check_no_fp() { # image
    local bad
    bad=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$1" |
          awk -F'\t' 'NF >= 3 && $1 ~ /^ +[0-9a-f]+:$/ { print $2 "\t" $3 }' |
          sed -e 's/<[^>]*>//g' -e 's|//.*||' |
          grep -P '\t(.*[ ,\[{])?([bhsdq][0-9]{1,2}|v[0-9]{1,2}\.)\b' || true)
    if [ -n "$bad" ]; then
        echo "error: $1 uses FP/SIMD registers:" >&2
        echo "$bad" | head -5 >&2
        exit 1
    fi
}

for p in $(programs); do
    for tc in clang gcc; do
        for opt in -O0 -O2; do
            build_one "$p" "$tc" "${opt#-}" "$OUT"
            check_no_fp "$OUT/$p-$tc-${opt#-}.elf"
        done
    done
done

if [ "$MODE" = build ]; then
    n=$(find "$BIN_DIR" -name '*.elf' | wc -l)
    echo "built $n images in $BIN_DIR"
    exit 0
fi

# --check
source tools/lib/compare-images.sh
compare_images "$OUT" "$BIN_DIR" "test images"
