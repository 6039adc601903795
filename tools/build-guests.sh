#!/usr/bin/env bash
# Rebuild every committed guest image (needs Debian's clang, lld and gcc-aarch64-linux-gnu).
# With --check, build into a temporary directory and fail if anything differs from what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for script in tools/build-test-programs.sh tools/build-kernel-images.sh tools/build-machine-guests.sh tools/build-fp-guests.sh tools/build-bench-guests.sh; do
  if [ -x "$script" ] || [ -f "$script" ]; then
    bash "$script" "$@" || status=1
  fi
done
exit $status
