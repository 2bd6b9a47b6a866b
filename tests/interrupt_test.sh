#!/usr/bin/env bash
# Ctrl-C: a SIGINT during an ML loop becomes Sys.Break, which the program
# catches (script mode) or the toplevel reports as "Interrupted." before
# going on with the next phrase.
# Usage: interrupt_test.sh NATML_EXE
set -u
natml=${1:?usage: interrupt_test.sh NATML_EXE}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail=0
cat >"$work/loop.ml" <<'ML'
let () =
  (try while true do () done with Sys.Break -> print_endline "caught Break");
  print_endline "after"
ML
"$natml" "$work/loop.ml" >"$work/out1" 2>&1 &
pid=$!; sleep 1; kill -INT $pid; wait $pid; rc=$?
if [ "$rc" -ne 0 ] || [ "$(cat "$work/out1")" != $'caught Break\nafter' ]; then
  echo "FAIL script: rc=$rc, output:"; cat "$work/out1"; fail=1
fi
mkfifo "$work/in"
"$natml" -noprompt -noinit <"$work/in" >"$work/out2" 2>&1 &
pid=$!
exec 3>"$work/in"
echo 'let rec spin n = spin (n + 1);;' >&3
echo 'spin 0;;' >&3
sleep 1; kill -INT $pid; sleep 0.3
echo '1 + 1;;' >&3
exec 3>&-
wait $pid
want=$'val spin : int -> \'a = <fun>\nInterrupted.\n- : int = 2'
got=$(sed -e '/^$/d' "$work/out2")
if [ "$got" != "$want" ]; then echo "FAIL toplevel, output:"; cat "$work/out2"; fail=1; fi
[ $fail -eq 0 ] && echo "2 passed, 0 failed" || echo "interrupt tests failed"
exit $fail
