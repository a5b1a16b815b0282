#!/bin/sh
# Replays every saved failure of a target (fuzz/artifacts/<target>/, or the files given after
# the target) one at a time and prints one line per input: what it did (the panic's place —
# for a failure discovery contained, the place of the original panic —, the work budget
# used up, a stack overflow, a timeout, out of memory) and the file. Sorting the output
# groups the inputs by family:
#   sh fuzz/triage.sh discover | sort | cut -f1 | uniq -c
set -u
cd "$(dirname "$0")"
t=$1
shift
bin=target/x86_64-unknown-linux-gnu/release/$t
[ $# -gt 0 ] || set -- artifacts/"$t"/*
for f in "$@"; do
    [ -f "$f" ] || continue
    out=$(timeout 120 "$bin" -timeout=10 -rss_limit_mb=2048 -runs=1 "$f" 2>&1)
    what=$(printf '%s\n' "$out" | grep -o "internal error while analysing this file (.* at [^ )]*" | sed 's/.* at /contained panic at /' | head -1)
    [ -n "$what" ] || what=$(printf '%s\n' "$out" | grep -o "exceeded the work budget" | head -1)
    [ -n "$what" ] || what=$(printf '%s\n' "$out" | grep -o "panicked at [^ ]*" | head -1)
    [ -n "$what" ] || what=$(printf '%s\n' "$out" | grep -o "stack overflow\|ERROR: libFuzzer: [a-z-]*\|out-of-memory" | head -1)
    [ -n "$what" ] || what="passes now"
    printf '%s\t%s\n' "$what" "$f"
done
