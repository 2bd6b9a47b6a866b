#!/usr/bin/env bash
# Stdlib tests: every tests/stdlib/<name>.ml runs in script mode
# (`natml <name>.ml`); it must exit 0 and print exactly "OK" (its asserts
# do the checking). Prints one line per failure and "N passed, M failed".
# Usage: run_stdlib_tests.sh NATML_EXE [DIR]
set -u
natml=${1:?usage: run_stdlib_tests.sh NATML_EXE [DIR]}
dir=${2:-$(cd "$(dirname "$0")" && pwd)/stdlib}
pass=0 fail=0
for ml in "$dir"/*.ml; do
  name=$(basename "$ml")
  out=$(cd "$dir" && timeout 60 "$natml" "$name" </dev/null 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ] && [ "$out" == "OK" ]; then pass=$((pass + 1))
  else
    echo "FAIL $name (exit $rc)"
    echo "$out" | head -10
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
