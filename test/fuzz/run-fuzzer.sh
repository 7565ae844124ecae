#!/bin/sh
# run-fuzzer.sh: runs one libFuzzer target for a while on a copy of its seed
# corpus (the source tree stays untouched, as make distcheck needs).
# Usage: run-fuzzer.sh TARGET CORPUS_DIR SECONDS
# Exit status: 0 when no input crashed, 1 on a crash (the reproducer is kept
# and its path printed), 2 on a usage error.
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 TARGET CORPUS_DIR SECONDS" >&2
    exit 2
fi
target=$1 seeds=$2 seconds=$3
if [ ! -x "$target" ]; then
    echo "$0: fuzz target $target is not built" >&2
    exit 2
fi
if [ ! -d "$seeds" ]; then
    echo "$0: seed corpus $seeds is not a directory" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/savu-fuzz.XXXXXX") || exit 2
mkdir "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/"
# libFuzzer reports leaks and sanitizer errors itself; do not abort() early.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" "$work/corpus"
status=$?
if [ $status -ne 0 ] || [ -n "$(ls "$work/artifacts")" ]; then
    echo "$0: $target failed (status $status); reproducers kept in $work/artifacts:" >&2
    ls "$work/artifacts" >&2
    exit 1
fi
rm -rf "$work"
exit 0
