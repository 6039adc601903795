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
