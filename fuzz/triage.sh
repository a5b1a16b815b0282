#!/bin/sh
# Replays every saved failure of a target (fuzz/artifacts/<target>/) one at a time and prints
# one line per input: what it did (the panic's place, a stack overflow, a timeout, out of
# memory) and the file. Sorting the output groups the inputs by family.
#   fuzz/triage.sh discover | sort | uniq -c -w 60
set -u
cd "$(dirname "$0")"
t=$1
bin=target/x86_64-unknown-linux-gnu/release/$t
for f in artifacts/"$t"/*; do
    [ -f "$f" ] || continue
    out=$(timeout 120 "$bin" -timeout=10 -rss_limit_mb=2048 -runs=1 "$f" 2>&1)
    what=$(printf '%s\n' "$out" | grep -o "panicked at [^ ]*" | head -1)
    [ -n "$what" ] || what=$(printf '%s\n' "$out" | grep -o "stack overflow\|ERROR: libFuzzer: [a-z-]*\|out-of-memory" | head -1)
    [ -n "$what" ] || what="passes now"
    printf '%s\t%s\n' "$what" "$f"
done
