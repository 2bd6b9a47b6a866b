#!/usr/bin/env bash
# Script mode, as `ocaml FILE args`: a first #! line is skipped, Sys.argv
# holds the script and its arguments, nothing is echoed, and the exit
# status is that of `exit n`, 2 after an uncaught exception or a type
# error (phrases before it have run), and 2 with no output at all after a
# syntax error (the whole file is parsed first).
# Usage: script_mode_test.sh NATML_EXE
set -u
natml=${1:?usage: script_mode_test.sh NATML_EXE}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0 fail=0
check() { # name, want-status, want-stdout, script-file, args...
  local name=$1 want_rc=$2 want_out=$3 file=$4; shift 4
  local out rc
  out=$("$natml" "$file" "$@" 2>/dev/null); rc=$?
  if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then pass=$((pass + 1))
  else echo "FAIL $name: status $rc (want $want_rc), output:"; echo "$out"; fail=$((fail + 1)); fi
}
printf '#!/usr/bin/env natml\nlet () = Array.iter print_endline Sys.argv\nlet x = 42\n' >argv.ml
check argv 0 $'argv.ml\none\ntwo' argv.ml one two
printf 'let () = print_endline "before"\nlet () = exit 3\nlet () = print_endline "never"\n' >exit.ml
check exit 3 before exit.ml
printf 'let () = print_endline "a"\nlet () = failwith "boom"\nlet () = print_endline "b"\n' >exn.ml
check uncaught 2 a exn.ml
printf 'let () = print_endline "a"\nlet x = 1 + "s"\nlet () = print_endline "b"\n' >type.ml
check type_error 2 a type.ml
printf 'let () = print_endline "a"\nlet x = (1 + 2\nlet () = print_endline "b"\n' >syntax.ml
check syntax_error 2 "" syntax.ml
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
