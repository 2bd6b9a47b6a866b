#!/usr/bin/env bash
# Transcript tests: every tests/transcripts/<area>/<name>.ml is piped into
# `natml -noprompt -noinit` (no init file of the user's) and its output
# (stdout and stderr) compared with
# <name>.expected, trailing blanks ignored. Prints one line per failure and
# a closing "N passed, M failed".
# Usage: run_transcripts.sh NATML_EXE [DIR]
set -u
natml=${1:?usage: run_transcripts.sh NATML_EXE [DIR]}
dir=${2:-$(cd "$(dirname "$0")" && pwd)/transcripts}
pass=0 fail=0
norm() { sed 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
for ml in "$dir"/*/*.ml; do
  exp=${ml%.ml}.expected
  name=${ml#"$dir"/}
  if [ ! -f "$exp" ]; then echo "FAIL $name (no .expected)"; fail=$((fail + 1)); continue; fi
  got=$(cd "$(dirname "$ml")" && timeout 30 "$natml" -noprompt -noinit <"$ml" 2>&1 | norm)
  want=$(norm <"$exp")
  if [ "$got" == "$want" ]; then pass=$((pass + 1))
  else
    echo "FAIL $name"
    diff <(echo "$want") <(echo "$got") | head -20
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
