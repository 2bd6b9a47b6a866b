#!/usr/bin/env bash
# Regression guard over ../shared/conformance: every case listed in
# tests/conformance_pass.txt (one "kind/NAME" per line) passed once and
# must keep passing. Runs the corpus once and fails when a listed case
# fails. Exits 77 (skipped) when the corpus is not beside the repository.
# Usage: conformance_guard.sh NATML_EXE
set -u
natml=${1:?usage: conformance_guard.sh NATML_EXE}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${NATML_CONFORMANCE:-$here/../../shared/conformance}
[ -f "$corpus/run.sh" ] || { echo "conformance corpus not found at $corpus: skipped"; exit 77; }
list="$here/conformance_pass.txt"
out=$(bash "$corpus/run.sh" --report "$natml" 2>&1)
echo "$out" | grep -E '^tier|passed'
bad=0 n=0
while read -r case; do
  case "$case" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  if echo "$out" | grep -q "^FAIL $case "; then echo "REGRESSION: $case"; bad=$((bad + 1)); fi
done <"$list"
echo "guard: $((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
