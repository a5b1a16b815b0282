#!/bin/sh
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the test fixtures, in each
# target's input format (see fuzz/src/lib.rs). Run from the repository root or from fuzz/;
# re-running adds nothing twice (each seed is named after its content).
set -eu
cd "$(dirname "$0")/.."
root=tests/fixtures
out=fuzz/corpus

seed() { # target, reads the seed on stdin
    mkdir -p "$out/$1"
    tmp="$out/$1/.seed.tmp"
    cat >"$tmp"
    mv "$tmp" "$out/$1/seed-$(sha1sum "$tmp" | cut -c1-16)"
}

# One file: its path on the first line, then its text.
one() { # target, file, name
    { printf '%s\n' "$3"; cat "$2"; } | seed "$1"
}

# lex, discover: every fixture of discovery, alone; discover also each file with the next one
# of its folder (constants and helpers imported across files).
mkdir -p "$out"
find "$root/discover" "$root/sdk" "$root/check" examples -type f | sort >"$out.list.tmp"
prev=""
while read -r f; do
    name=$(basename "$f")
    one lex "$f" "$name"
    one discover "$f" "$name"
    if [ -n "$prev" ] && [ "$(dirname "$prev")" = "$(dirname "$f")" ]; then
        { printf '%s\n' "$(basename "$prev")"; cat "$prev"; printf '\000%s\n' "$name"; cat "$f"; } |
            seed discover
    fi
    prev=$f
    case "$name" in
    *.json | *.ipynb | *.http | *.rest | *.md | *.yml | *.yaml) one formats "$f" "$name" ;;
    esac
done <"$out.list.tmp"
rm -f "$out.list.tmp"

# Documentation with fenced code blocks: the README's and DEVELOPERS.md's own.
one formats README.md README.md
one formats DEVELOPERS.md DEVELOPERS.md

# Manifests: the fixture's and the example's, and the YAML blocks of the README.
seed manifest <"$root/check/project/isc-scope-lint.yaml"
seed manifest <examples/isc-scope-lint.yaml
awk '/^```yaml/{on=1; n++; next} /^```/{on=0} on{print > (FILENAME "." n ".tmp")}' README.md
for f in README.md.*.tmp; do
    [ -f "$f" ] && seed manifest <"$f" && rm -f "$f"
done
grep -ho '"credentials:[^"]*"' tests/it/*.rs src/manifest/*.rs | while read -r m; do
    printf '%b' "$(printf '%s' "$m" | sed 's/^"//; s/"$//')" | seed manifest
done
seed manifest <<'END'
# every key
credentials:
  - name: sync-bot   # a comment
    kind: pat
    owner:
      user_levels:
        - SOURCE_ADMIN
        - HELPDESK
      service_account: true
    scopes:
      - idn:sources:read
      - "idn:accounts:read"
    paths: [sync/**, 'jobs/*.py']
    calls: [GET /v3/sources/{id}, "POST /beta/workflows/{id}/test"]
  - name: reporter
    kind: oauth-client
    scopes: [sp:scopes:all]
assume:
  - operation: GET /v2025/widgets
    user_levels: [ORG_ADMIN]
    reason: verified in the tenant
ignore:
  - rule: sunset-version
    path: legacy/**
    credential: reporter
    reason: being replaced
spec: [specs/extra.yaml]
scope_semantics: all-of
END

# Specs: the fixtures (good and bad), and the head of a real spec with its first path when
# ../shared/specs/isc is there (read at seeding time, never committed).
for f in "$root"/specs/* "$root"/bad/*; do seed spec <"$f"; done
real=../shared/specs/isc/deref-sailpoint-api.v3.yaml
if [ -f "$real" ]; then
    awk '/^paths:/{p=1} p && /^  \/.*:$/{n++} n>=2{exit} {print}' "$real" | seed spec
fi

# Calls: a sample of the catalog's operations (route), and argument lists of `scopes`, one
# with calls on stdin after a `-` line.
awk -F'\t' '$1=="op"{print $2" "$3}' specs/catalog.tsv | awk 'NR%97==1' | head -40 >"$out.calls.tmp"
split -l 4 "$out.calls.tmp" "$out.calls.part."
for f in "$out".calls.part.*; do
    seed route <"$f"
    seed scopes <"$f"
    { printf 'GET /v3/sources/{id}\n-\n'; cat "$f"; } | seed scopes
    rm -f "$f"
done
rm -f "$out.calls.tmp"
printf 'get https://acme.api.identitynow.com/v3/sources/2c9180835d2e5168015d32f890ca1581?limit=1\n' | seed route
printf 'GET /cc/api/user/list\nDELETE /v3/sources\nGET /v3/sourcez/1\nFETCH /v3/sources\nGET\n' | seed scopes

for t in "$out"/*/; do echo "$(ls "$t" | wc -l) seeds in $t"; done
