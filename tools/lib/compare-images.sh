# Shared by the guest build scripts' --check: compare freshly built images with the committed ones,
# both ways (changed, missing from the commit, committed but built by no source).
# Usage: compare_images FRESH_DIR COMMITTED_DIR LABEL; returns 1 and lists the differences if any.
compare_images() {
    local out=$1 bin=$2 label=$3 f b
    local differ=()
    for f in "$out"/*.elf; do
        b=$(basename "$f")
        if [ ! -f "$bin/$b" ]; then
            differ+=("$bin/$b (missing from the committed images)")
        elif ! cmp -s "$f" "$bin/$b"; then
            differ+=("$bin/$b")
        fi
    done
    for f in "$bin"/*.elf; do
        [ -e "$f" ] || continue
        b=$(basename "$f")
        [ -f "$out/$b" ] || differ+=("$bin/$b (no source builds it)")
    done
    if [ ${#differ[@]} -ne 0 ]; then
        echo "$label differ from a fresh build:" >&2
        printf '  %s\n' "${differ[@]}" >&2
        return 1
    fi
    echo "all $(find "$out" -name '*.elf' | wc -l) $label are up to date"
}
