#!/usr/bin/env bash
# Build the machine guests (test/machine-guests/src/NAME.c [+ NAME.S] -> bin/NAME.elf):
# multi-core spinlock, SGIs, timers, EL0 system calls, MMU faults and TLBI,
# PSCI, self-hosted debug, the PMU, EL2 (its translation regime, traps and routing from EL1).  Each program is linked with the shared run-time (start.S, rt.c) and
# firmware/baremetal's libmini.c, with Debian clang + ld.lld at -O2.
#
#   tools/build-machine-guests.sh           rebuild test/machine-guests/bin/*.elf
#   tools/build-machine-guests.sh --check   rebuild into a temporary directory and
#                                           exit 1 (listing the files) if any image
#                                           differs from the committed one
#   tools/build-machine-guests.sh --qemu    run every image under QEMU with each
#                                           -smp that has an expected/NAME-smpN.txt
#                                           (several times) and compare
#   tools/build-machine-guests.sh --capture rewrite expected/NAME-smpN.txt from a
#                                           QEMU run, for each program and each of
#                                           its -smp values (smps() below)
#
# Builds are byte-reproducible: run from the repository root (the script cds
# there itself), relative paths only, no debug info, no build id, fixed file
# order, -ffile-prefix-map.  Needs Debian packages clang and lld (and
# qemu-system-arm for --qemu/--capture).
source "$(dirname "$0")/lib/guest-build.sh"
guest_build_setup '2,21p' "$0" "$@"

DIR=test/machine-guests
SRC_DIR=$DIR/src
BIN_DIR=$DIR/bin
EXP_DIR=$DIR/expected
RT_DIR=firmware/baremetal
LDSCRIPT=$SRC_DIR/machine.ld

# The -smp values each program is checked with (keep in step with
# test/machine-guests.test.ts).
smps() {
    case "$1" in
        spinlock) echo 1 2 4 ;;
        sgi) echo 1 4 20 ;;
        timer) echo 1 4 ;;
        el0) echo 1 ;;
        mmu) echo 1 4 ;;
        psci) echo 1 2 4 ;;
        virtio) echo 1 ;;
        gicv2) echo 1 4 ;;
        el2) echo 1 ;;
        its) echo 2 ;;
        *) echo 1 ;;
    esac
}

programs() {
    local f
    for f in "$SRC_DIR"/*.c; do
        b=$(basename "$f" .c)
        [ "$b" = rt ] || echo "$b"
    done | sort
}

# ------------------------------------------------------------- QEMU modes
# A program's devices beyond the board's (keep in step with
# test/machine-guests.test.ts); $DISKS holds fresh copies of the disk images.
qemu_devices() {
    case "$1" in
        virtio)
            node "$DIR/disks.mjs" "$DISKS"
            echo -global virtio-mmio.force-legacy=false \
                -drive "file=$DISKS/disk0.img,format=raw,if=none,id=d0" \
                -device virtio-blk-device,drive=d0,serial=a64emu-disk0 \
                -drive "file=$DISKS/disk1.img,format=raw,if=none,id=d1,readonly=on" \
                -device virtio-blk-device,drive=d1 -device virtio-rng-device ;;
    esac
}

run_qemu() { # image smp -> stdout = UART bytes; returns QEMU's exit status
    local name gic=3 virt=
    name=$(basename "$1" .elf)
    case "$name" in gicv2*) gic=2 ;; esac # the GICv2 board's program
    case "$name" in el2) virt=,virtualization=on ;; esac # started at EL2 (a64emu --el2)
    # shellcheck disable=SC2046 # word splitting of the device options is wanted
    timeout 60 qemu-system-aarch64 -M virt,gic-version=$gic$virt -cpu cortex-a57 -smp "$2" -m 256 \
        -nographic -semihosting $(qemu_devices "$name") -kernel "$1" </dev/null
}

if [ "$MODE" = qemu ] || [ "$MODE" = capture ]; then
    command -v qemu-system-aarch64 >/dev/null || {
        echo "qemu-system-aarch64 not found (apt-get install qemu-system-arm)" >&2; exit 2; }
    RUNS=${RUNS:-5} # --qemu: runs per (image, -smp); QEMU's MTTCG is nondeterministic
    fail=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    DISKS=$tmp
    mkdir -p "$EXP_DIR"
    for p in $(programs); do
        for n in $(smps "$p"); do
            exp=$EXP_DIR/$p-smp$n.txt
            if [ "$MODE" = capture ]; then
                set +e
                run_qemu "$BIN_DIR/$p.elf" "$n" >"$tmp/out"
                rc=$?
                set -e
                if [ $rc -ne 0 ]; then
                    echo "FAIL $p -smp $n: exit status $rc" >&2; cat "$tmp/out" >&2; fail=1; continue
                fi
                cp "$tmp/out" "$exp"
                echo "captured $exp ($(wc -c <"$exp") bytes)"
                continue
            fi
            for r in $(seq "$RUNS"); do
                set +e
                start=$(date +%s%N)
                run_qemu "$BIN_DIR/$p.elf" "$n" >"$tmp/out"
                rc=$?
                end=$(date +%s%N)
                set -e
                ms=$(( (end - start) / 1000000 ))
                if [ $rc -ne 0 ]; then
                    echo "FAIL $p -smp $n run $r: exit status $rc (${ms} ms)"; fail=1
                elif ! cmp -s "$tmp/out" "$exp"; then
                    echo "FAIL $p -smp $n run $r: output differs from $exp (${ms} ms)"
                    diff "$exp" "$tmp/out" | head -10 || true
                    fail=1
                else
                    echo "ok   $p -smp $n run $r (${ms} ms)"
                fi
            done
        done
    done
    exit $fail
fi

# ------------------------------------------------------------- toolchain
for t in clang ld.lld; do
    command -v "$t" >/dev/null || {
        echo "$t not found (apt-get install clang lld)" >&2; exit 2; }
done

CLANG_INC=$(clang -print-resource-dir)/include
CFLAGS=(
    --target=aarch64-none-elf -march=armv8-a -O2
    -mgeneral-regs-only -mstrict-align -mbranch-protection=none
    -std=c11 -ffreestanding -fno-builtin -nostdinc -isystem "$CLANG_INC"
    -fno-stack-protector -fno-pic -fno-pie -fno-common
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -ffile-prefix-map="$ROOT"=.
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -I "$RT_DIR" -I "$SRC_DIR"
)
LDFLAGS=(
    --target=aarch64-none-elf -fuse-ld=lld -nostdlib -static
    -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-T,"$LDSCRIPT"
)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ "$MODE" = check ]; then
    OUT=$WORK/bin
else
    OUT=$BIN_DIR
    mkdir -p "$BIN_DIR"
    rm -f "$BIN_DIR"/*.elf
fi
mkdir -p "$OUT"

clang "${CFLAGS[@]}" -c "$SRC_DIR/start.S" -o "$WORK/start.o"
clang "${CFLAGS[@]}" -c "$SRC_DIR/rt.c" -o "$WORK/rt.o"
clang "${CFLAGS[@]}" -c "$RT_DIR/libmini.c" -o "$WORK/libmini.o"
for p in $(programs); do
    objs=("$WORK/start.o" "$WORK/rt.o" "$WORK/libmini.o")
    if [ -f "$SRC_DIR/$p.S" ]; then # a program's own assembly, if any
        clang "${CFLAGS[@]}" -c "$SRC_DIR/$p.S" -o "$WORK/$p-asm.o"
        objs+=("$WORK/$p-asm.o")
    fi
    clang "${CFLAGS[@]}" -c "$SRC_DIR/$p.c" -o "$WORK/$p.o"
    clang "${LDFLAGS[@]}" "${objs[@]}" "$WORK/$p.o" -o "$OUT/$p.elf"
done

if [ "$MODE" = build ]; then
    echo "built $(find "$BIN_DIR" -name '*.elf' | wc -l) images in $BIN_DIR"
    exit 0
fi

# --check
source tools/lib/compare-images.sh
compare_images "$OUT" "$BIN_DIR" "machine guest images"
