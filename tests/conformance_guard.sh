#!/usr/bin/env bash
# Regression guard over ../shared/conformance: every case listed in
# tests/conformance_pass.txt (one "kind/NAME" per line) passed once and
# must keep passing. Runs the corpus once and fails when a listed case
# fails or is gone from the corpus, or when the runner fails or prints no
# results: a guard that checked nothing must not pass. Exits 77 (skipped)
# only when the corpus is not beside the repository.
# Usage: conformance_guard.sh NATML_EXE
set -u
natml=${1:?usage: conformance_guard.sh NATML_EXE}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${NATML_CONFORMANCE:-$here/../../shared/conformance}
[ -d "$corpus" ] || { echo "conformance corpus not found at $corpus: skipped"; exit 77; }
[ -f "$corpus/run.sh" ] || { echo "guard: $corpus has no run.sh"; exit 1; }
list="$here/conformance_pass.txt"
out=$(bash "$corpus/run.sh" --report "$natml" 2>&1)
rc=$?
echo "$out" | grep -E '^tier|passed'
if [ "$rc" -ne 0 ]; then
  echo "guard: the runner failed (exit $rc):"
  echo "$out" | tail -5
  exit 1
fi
# The runner's last line counts what it ran; without it, or with nothing
# run, no case was checked.
summary=$(echo "$out" | tail -1)
if ! [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] ||
   [ $((BASH_REMATCH[1] + BASH_REMATCH[2])) -eq 0 ]; then
  echo "guard: the runner printed no results (last line: '$summary')"
  exit 1
fi
bad=0 n=0
while read -r case; do
  case "$case" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  if [ ! -f "$corpus/$case.ml" ]; then
    echo "MISSING: $case (listed in tests/conformance_pass.txt, not in the corpus)"
    bad=$((bad + 1))
  elif echo "$out" | grep -q "^FAIL $case "; then
    echo "REGRESSION: $case"
    bad=$((bad + 1))
  fi
done <"$list"
echo "guard: $((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
