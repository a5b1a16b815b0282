#!/usr/bin/env bash
# Recreate eval/checkouts/<owner>+<name>/ at the commit recorded in each eval/labels/*.yaml.
#
#   eval/fetch.sh                       # every labelled repository, cloned from GitHub
#   eval/fetch.sh owner+name ...        # only these
#   EVAL_MIRRORS=/path eval/fetch.sh    # read <owner>+<name>/repo[/.git] bare snapshots under /path
#                                       # instead of cloning (offline machines)
#
# Only the source files are written (no .git); .eval-commit records the commit. Files missing
# from a snapshot (e.g. large binaries left out of it) are skipped with a note. The checkouts are
# git-ignored: the sources of the evaluated projects never go into this repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
labels=$here/labels
out=$here/checkouts
mkdir -p "$out"

keys=("$@")
if [ ${#keys[@]} -eq 0 ]; then
  for f in "$labels"/*.yaml; do keys+=("$(basename "$f" .yaml)"); done
fi

extract() { # git-dir commit dest
  local g=$1 c=$2 d=$3 line meta path mode type sha
  git --git-dir="$g" ls-tree -r -z "$c" | while IFS= read -r -d '' line; do
    meta=${line%%$'\t'*}; path=${line#*$'\t'}
    read -r mode type sha <<<"$meta"
    [ "$type" = blob ] || continue
    [ "$mode" = 120000 ] && continue # symlinks are not followed by the finder either
    mkdir -p "$d/$(dirname "$path")"
    if ! git --git-dir="$g" cat-file blob "$sha" >"$d/$path" 2>/dev/null; then
      rm -f "$d/$path"; echo "  (not in the snapshot: $path)" >&2
    fi
  done
}

for key in "${keys[@]}"; do
  f=$labels/$key.yaml
  [ -f "$f" ] || { echo "no label file $f" >&2; exit 2; }
  repo=$(sed -n 's/^repository: *//p' "$f" | head -1)
  commit=$(sed -n 's/^commit: *//p' "$f" | head -1)
  dest=$out/$key
  if [ -f "$dest/.eval-commit" ] && [ "$(cat "$dest/.eval-commit")" = "$commit" ]; then
    echo "$repo@${commit:0:8}: up to date"; continue
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if [ -n "${EVAL_MIRRORS:-}" ] && [ -d "$EVAL_MIRRORS/$key/repo" ]; then
    g=$EVAL_MIRRORS/$key/repo; [ -d "$g/.git" ] && g=$g/.git
  else
    git init -q --bare "$tmp/git"
    git --git-dir="$tmp/git" fetch -q --depth 1 "https://github.com/$repo.git" "$commit" 2>/dev/null ||
      git --git-dir="$tmp/git" fetch -q "https://github.com/$repo.git"
    g=$tmp/git
  fi
  git --git-dir="$g" cat-file -e "$commit^{commit}" 2>/dev/null || { echo "$repo: commit $commit not found" >&2; exit 1; }
  rm -rf "$dest"; mkdir -p "$dest"
  extract "$g" "$commit" "$dest"
  echo "$commit" >"$dest/.eval-commit"
  echo "$repo@${commit:0:8}: $(find "$dest" -type f | wc -l) files"
  rm -rf "$tmp"; trap - EXIT
done
