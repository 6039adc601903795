# Shared by the guest build scripts (build-test-programs.sh, build-machine-guests.sh): a reproducible
# environment, the repository root as the working directory (ROOT), and MODE from the one argument
# (build, or --check, --qemu, --capture).
# Usage: source it, then: guest_build_setup HELP_RANGE "$0" "$@"   (HELP_RANGE: the sed range of the
# script's header comment that --help prints, e.g. '2,20p')
set -euo pipefail
export LC_ALL=C
export SOURCE_DATE_EPOCH=0

guest_build_setup() {
    local help=$1 script=$2
    shift 2
    cd "$(dirname "$script")/.."
    ROOT=$PWD
    MODE=build
    case "${1:-}" in
        "") ;;
        --check) MODE=check ;;
        --qemu) MODE=qemu ;;
        --capture) MODE=capture ;;
        -h|--help) sed -n "$help" "$script"; exit 0 ;;
        *) echo "usage: $script [--check|--qemu|--capture]" >&2; exit 2 ;;
    esac
}

# The bare-metal C toolchains of test/guests and test/fp-guests (after LDSCRIPT is set): the link flags,
# clang and gcc with only their own freestanding headers (-nostdinc drops those too; stdarg.h,
# stddef.h, stdint.h and arm_neon.h are safe), and each one's linker flags. gcc at -O2 turns byte loops
# into memset/memcpy calls, and libmini's own memset would then call itself:
# -fno-tree-loop-distribute-patterns stops that.
baremetal_toolchains() {
    COMMON_LDFLAGS=(
        -nostdlib -static
        -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-T,"$LDSCRIPT"
    )
    CLANG_INC=$(clang -print-resource-dir)/include
    GCC_INC=$(aarch64-linux-gnu-gcc -print-file-name=include)
    CLANG=(clang --target=aarch64-none-elf -isystem "$CLANG_INC")
    CLANG_LD=(-fuse-ld=lld)
    GCC=(aarch64-linux-gnu-gcc -isystem "$GCC_INC" -fno-tree-loop-distribute-patterns
         -mno-outline-atomics)
    GCC_LD=(-no-pie)
}
