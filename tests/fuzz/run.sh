#!/bin/sh
# Runs libFuzzer targets over their seed corpus (tests/fuzz/corpus/<name>/).
#   run.sh smoke FUZZER...   a short, bounded run for `make check` (a target
#                            whose inputs are slow, e.g. a whole proposal per
#                            input, names its own count in corpus/../NAME.runs)
#   run.sh long FUZZER...    FUZZ_SECONDS (default 60) each, for `make fuzz`
# New inputs go to a scratch directory, never into the committed corpus.
set -eu
mode=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
case "$mode" in
smoke) limit="-runs=${FUZZ_RUNS:-20000}" ;;
long) limit="-max_total_time=${FUZZ_SECONDS:-60}" ;;
*) echo "usage: $0 smoke|long FUZZER..." >&2; exit 2 ;;
esac
for fuzzer in "$@"; do
        name=$(basename "$fuzzer")
        seeds="$here/corpus/${name#fuzz-}"
        scratch=$(mktemp -d)
        trap 'rm -rf "$scratch"' EXIT
        dict=""
        [ -f "$here/${name#fuzz-}.dict" ] && dict="-dict=$here/${name#fuzz-}.dict"
        runs_file="$here/${name#fuzz-}.runs"
        target_limit=$limit
        if [ "$mode" = smoke ] && [ -z "${FUZZ_RUNS:-}" ] && [ -f "$runs_file" ]; then
                target_limit="-runs=$(cat "$runs_file")"
        fi
        artifacts="${FUZZ_ARTIFACTS:-build/fuzz/artifacts}/$name/"
        mkdir -p "$artifacts"
        printf '  FUZZ   %s (%s)\n' "$name" "$target_limit"
        # shellcheck disable=SC2086
        if ! "$fuzzer" $target_limit $dict -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
                -print_final_stats=0 -artifact_prefix="$artifacts" "$scratch" "$seeds" >"$scratch/log" 2>&1; then
                cat "$scratch/log" >&2
                echo "fuzz: $name failed" >&2
                exit 1
        fi
        grep -E '^#[0-9]+ +DONE' "$scratch/log" | sed 's/^/         /' || true
        rm -rf "$scratch"
        trap - EXIT
done
