#!/usr/bin/env bash
# Script mode, as `ocaml FILE args`: a first #! line is skipped, Sys.argv
# holds the script and its arguments, nothing is echoed, and the exit
# status is that of `exit n`, 2 after an uncaught exception or a type
# error (phrases before it have run), and 2 with no output at all after a
# syntax error (the whole file is parsed first); a failing #use or #load
# does not stop it. Consecutive items run
# as one unit, yet everything prints in OCaml's order: a diagnostic after
# the effects of the items before its own, nothing after an uncaught
# exception. Expected texts are what `ocaml FILE.ml 2>&1` (4.13) prints.
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
check_all() { # name, want-status, want-stdout+stderr, script-file
  local name=$1 want_rc=$2 want_out=$3 file=$4
  local out rc
  out=$("$natml" "$file" 2>&1); rc=$?
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

# Warnings between printing items: each after the output of the items
# before it, on stderr.
printf 'let () = print_endline "one"\nlet f x = match x with 0 -> 1\nlet () = print_endline "two"\nlet g = function None -> 0\nlet () = print_endline "three"\n' >warn.ml
check_all warning_order 0 'one
File "./warn.ml", line 2, characters 10-29:
2 | let f x = match x with 0 -> 1
              ^^^^^^^^^^^^^^^^^^^
Warning 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
1
two
File "./warn.ml", line 4, characters 8-26:
4 | let g = function None -> 0
            ^^^^^^^^^^^^^^^^^^
Warning 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
Some _
three' warn.ml
# Lexer warnings come first, before anything runs.
printf 'let () = print_endline "a"\nlet s = "x\\qy"\nlet () = print_endline s\n' >lexwarn.ml
check_all lexer_warning 0 'File "./lexwarn.ml", line 2, characters 10-12:
2 | let s = "x\qy"
              ^^
Warning 14 [illegal-backslash]: illegal backslash escape in string.
a
x\qy' lexwarn.ml
# An uncaught exception: neither a later type error nor a later warning
# is printed.
printf 'let () = print_endline "a"\nlet f () = failwith "boom"\nlet () = f ()\nlet x = 1 + "s"\n' >exn_type.ml
check_all exception_then_type_error 2 'a
Exception: Failure "boom".' exn_type.ml
printf 'let () = print_endline "a"\nlet f x = match x with 0 -> 1\nlet () = failwith "boom"\nlet g = function None -> 0\n' >exn_warn.ml
check_all exception_then_warning 2 'a
File "./exn_warn.ml", line 2, characters 10-29:
2 | let f x = match x with 0 -> 1
              ^^^^^^^^^^^^^^^^^^^
Warning 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
1
Exception: Failure "boom".' exn_warn.ml
# A type error after the items before it ran.
printf 'let () = print_endline "a"\nlet h x = x * 2\nlet x = 1 + "s"\nlet () = print_endline "b"\n' >type_after.ml
check_all type_error_order 2 'a
File "./type_after.ml", line 3, characters 12-15:
3 | let x = 1 + "s"
                ^^^
Error: This expression has type string but an expression was expected of type
         int' type_after.ml
# An error found when compiling (a type error in OCaml), in the middle of
# items compiled together.
printf 'let () = print_endline "a"\nlet rec x = x + 1\nlet () = print_endline "b"\n' >letrec.ml
check_all let_rec_error_order 2 'a
File "./letrec.ml", line 2, characters 12-17:
2 | let rec x = x + 1
                ^^^^^
Error: This kind of expression is not allowed as right-hand side of `let rec'"'"'' letrec.ml
# #use inside a script: the items before it have run, its own items
# see and change the script's values.
printf 'let r = ref 0\nlet () = print_endline "start";;\n#use "inc.ml";;\nlet () = Printf.printf "r = %%d\\n" !r\n' >use.ml
printf 'let () = r := !r + 5\nlet () = match !r with 5 -> print_endline "in inc"\nlet () = r := !r * 2\n' >inc.ml
check_all use_in_script 0 'start
File "./inc.ml", line 2, characters 9-50:
2 | let () = match !r with 5 -> print_endline "in inc"
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
Warning 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0
in inc
r = 10' use.ml
# A #use or #load that fails says so and the script goes on (OCaml's
# directives succeed whatever their file does); an unknown directive
# stops it.
printf '#use "nope.ml";;\nlet () = print_endline "after use";;\n#load "nope.so";;\nlet () = print_endline "after load";;\n#nope;;\nlet () = print_endline "never"\n' >failing_use.ml
check failing_use 2 $'after use\nafter load' failing_use.ml
check_all failing_use_messages 2 $'Cannot find file nope.ml.\nafter use\nCannot find file nope.so.\nafter load\nUnknown directive `nope\'.' failing_use.ml
printf 'let () = print_endline "start";;\n#use "raises.ml";;\nlet () = print_endline "after"\n' >use_raises.ml
printf 'let () = failwith "boom"\n' >raises.ml
check use_raises 0 $'start\nafter' use_raises.ml
# Uncaught exceptions print with their types, even when a later item
# redeclares their name.
printf 'exception E of string * int option\nlet f s = raise (E (s, Some 1))\nlet () = print_endline "a"\nlet () = f "x"\n' >exn_args.ml
check_all exception_arguments 2 'a
Exception: E ("x", Some 1).' exn_args.ml
printf 'exception E of int option\nlet () = print_endline "a"\nlet () = raise (E None)\nexception E of string\n' >exn_shadow.ml
check_all exception_shadowed 2 'a
Exception: E None.' exn_shadow.ml
printf 'type t = A | B\nexception E of t\nlet () = raise (E A)\ntype u = A\n' >constr_shadow.ml
check_all constructor_shadowed 2 'Exception: E A.' constr_shadow.ml
# Modules seen through a signature after being defined.
printf 'module N = struct let f x = x + 1 end\nmodule M : sig val f : int -> int end = N\nlet () = print_int (M.f 1); print_newline ()\nlet k = let module P : sig val f : int -> int end = N in P.f 5\nlet () = print_int k; print_newline ()\n' >modules.ml
check_all module_ascription 0 $'2\n6' modules.ml
# Calls between items compiled together are direct calls.
printf 'let add n x = x + n\nlet () = print_int (add 1 2)\n' >direct.ml
if "$natml" -dir direct.ml 2>&1 | grep -q '(call nml_t[0-9]*_add_'; then pass=$((pass + 1))
else echo "FAIL direct_call: -dir shows no direct call to add"; fail=$((fail + 1)); fi

# Directives in a script: #use prints nothing; a directive that prints a
# message (a missing #use file, an error in it, a bad printer) lets the
# script go on; an unknown directive or a failed lookup stops it.
printf 'let x = 1\nlet f y = y + x\n' >used.ml
printf '#use "used.ml";;\nlet () = print_int (f 1);;\n' >use.ml
check use_silent 0 2 use.ml
printf '#use "missing.ml";;\n#install_printer nope;;\nlet () = print_int 1;;\n' >use_missing.ml
check_all use_missing 0 $'Cannot find file missing.ml.\nUnbound value nope.\n1' use_missing.ml
printf 'let x = 1 + "a"\n' >bad.ml
printf '#use "bad.ml";;\nlet () = print_int 1;;\n' >use_bad.ml
check use_bad 0 1 use_bad.ml
printf '#nope;;\nlet () = print_int 1;;\n' >unknown_dir.ml
check_all unknown_directive 2 "Unknown directive \`nope'." unknown_dir.ml
printf '#show_val nope;;\nlet () = print_int 1;;\n' >show_err.ml
check show_error 2 "" show_err.ml
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
