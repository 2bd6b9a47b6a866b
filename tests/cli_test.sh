#!/usr/bin/env bash
# natml's command line and start-up, as `ocaml` 4.13's: -help, -version,
# -vnum, OCaml's messages for bad options, init files (./.ocamlinit, the
# XDG file, ~/.ocamlinit, -init, -noinit) in a scratch directory with a
# scratch HOME, -open, -I, -stdin, `- FILE`, Sys.argv and
# Sys.interactive, -w and -warn-error, colours (-color, OCAML_COLOR) and
# the prompts of piped input. Every expected text is what `ocaml` 4.13.1
# prints for the same command (2>&1 unless said otherwise); where natml's
# text has to differ (its name, its version, its option list) the case
# says so. Usage: cli_test.sh NATML_EXE
set -u
natml=${1:?usage: cli_test.sh NATML_EXE}
natml=$(cd "$(dirname "$natml")" && pwd)/$(basename "$natml")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME= TERM=dumb
unset OCAML_COLOR
mkdir -p "$HOME" "$work/cwd"
cd "$work/cwd"
pass=0 fail=0
# check NAME WANT_STATUS WANT_OUTPUT COMMAND...: stdout and stderr together.
check() {
  local name=$1 want_rc=$2 want=$3; shift 3
  local got rc
  got=$("$@" 2>&1); rc=$?
  if [ "$rc" = "$want_rc" ] && [ "$got" == "$want" ]; then pass=$((pass + 1))
  else
    echo "FAIL $name: status $rc (want $want_rc)"
    diff <(echo "$want") <(echo "$got") | head -20
    fail=$((fail + 1))
  fi
}
# feed INPUT COMMAND...: runs COMMAND with INPUT on standard input.
feed() { local input=$1; shift; printf '%s\n' "$input" | "$@"; }

# ---- -help, -version, -vnum, bad options ------------------------------------
# ocaml's list is its own; the layout (usage line, "Options are:", a blank
# line, "  -opt doc" lines, -help and --help last) is the same.
help=$("$natml" -help); rc=$?
if [ "$rc" = 0 ] && [ "$(echo "$help" | head -2)" == $'Usage: natml <options> <files>\nOptions are:' ] \
  && [ -z "$(echo "$help" | sed -n 3p)" ] && [ -n "$(echo "$help" | grep -e '^  -init <file>  ')" ] \
  && [ "$(echo "$help" | tail -2)" == $'  -help  Display this list of options\n  --help  Display this list of options' ] \
  && [ "$("$natml" --help)" == "$help" ]; then pass=$((pass + 1))
else echo "FAIL help: status $rc"; echo "$help" | head -5; fail=$((fail + 1)); fi
# ocaml: "The OCaml toplevel, version 4.13.1" and "4.13.1": natml names itself.
check version 0 'The natml toplevel, version 0.1 (OCaml 4.13 compatible)' "$natml" -version
check version2 0 'The natml toplevel, version 0.1 (OCaml 4.13 compatible)' "$natml" --version
check vnum 0 '0.1' "$natml" -vnum
# ocaml names itself by argv[0] on the first line, by "ocaml" on the others.
usage=$'Usage: natml <options> <files>\nTry \'natml --help\' for more information.'
check unknown_option 2 "$natml: unknown option '-foo'."$'\n'"$usage" "$natml" -foo
check missing_argument 2 "$natml: option '-I' needs an argument."$'\n'"$usage" "$natml" -I
check dash_needs_file 2 "$natml: option '-' needs an argument."$'\n'"$usage" "$natml" -
check no_argument 2 "$natml: wrong argument 'x'; option '-noinit=x' expects no argument."$'\n'"$usage" \
  "$natml" -noinit=x
check color_value 2 "$natml: wrong argument 'foo'; option '-color' expects one of: auto always never."$'\n'"$usage" \
  "$natml" -color foo
check ill_formed_warnings 2 "$natml: Ill-formed list of warnings."$'\n'"$usage" "$natml" -w 8
check deprecated_letters 0 'File "_none_", line 1:
Alert ocaml_deprecated_cli: Setting a warning with a sequence of lowercase or uppercase letters,
like '"'"'zz'"'"', is deprecated.
Use the equivalent signed form: -z-z.
Hint: Enabling or disabling a warning by its mnemonic name requires a + or - prefix.' \
  feed '' "$natml" -noprompt -w zz

# ---- Init files -----------------------------------------------------------------
# Silent: no results, but the program's own output, and errors on stdout;
# the file stops at its first error.
printf 'let from_init = 42;;\nprint_endline (string_of_bool !Sys.interactive);;\nlet bad = 1 + "a";;\nlet after = 1;;\n' >.ocamlinit
check ocamlinit_here 0 'true
File ".ocamlinit", line 3, characters 14-17:
3 | let bad = 1 + "a";;
                  ^^^
Error: This expression has type string but an expression was expected of type
         int
- : int = 42' feed 'from_init;;' "$natml" -noprompt
check ocamlinit_stops_at_error 0 'true
File ".ocamlinit", line 3, characters 14-17:
3 | let bad = 1 + "a";;
                  ^^^
Error: This expression has type string but an expression was expected of type
         int
Line 1, characters 0-5:
1 | after;;
    ^^^^^
Error: Unbound value after' feed 'after;;' "$natml" -noprompt
check noinit 0 'Line 1, characters 0-9:
1 | from_init;;
    ^^^^^^^^^
Error: Unbound value from_init' feed 'from_init;;' "$natml" -noprompt -noinit
# Scripts, -stdin included, read no init file.
printf 'print_int from_init;;\n' >uses_init.ml
check no_init_for_scripts 2 'File "./uses_init.ml", line 1, characters 10-19:
1 | print_int from_init;;
              ^^^^^^^^^
Error: Unbound value from_init' "$natml" uses_init.ml
check no_init_for_stdin 2 'File "(stdin)", line 1, characters 10-19:
1 | print_int from_init;;
              ^^^^^^^^^
Error: Unbound value from_init' feed 'print_int from_init;;' "$natml" -stdin
rm .ocamlinit
printf 'let h = "home";;\n' >"$HOME/.ocamlinit"
check home_ocamlinit 0 '- : string = "home"' feed 'h;;' "$natml" -noprompt
mkdir -p "$HOME/.config/ocaml" "$work/xdg/ocaml"
printf 'let c = "config";;\n' >"$HOME/.config/ocaml/init.ml"
check config_init_ml 0 '- : string = "config"' feed 'c;;' "$natml" -noprompt
# XDG_CONFIG_HOME without the file: ~/.ocamlinit, not ~/.config.
check xdg_without_file 0 '- : string = "home"' feed 'h;;' env XDG_CONFIG_HOME="$work/xdg" "$natml" -noprompt
printf 'let x = "xdg";;\n' >"$work/xdg/ocaml/init.ml"
check xdg_init_ml 0 '- : string = "xdg"' feed 'x;;' env XDG_CONFIG_HOME="$work/xdg" "$natml" -noprompt
printf 'let g = 5;;\nlet f = function 1 -> 2;;\nfailwith "boom";;\nlet k = 1;;\n' >given.ml
check init_option 0 'File "given.ml", line 2, characters 8-23:
2 | let f = function 1 -> 2;;
            ^^^^^^^^^^^^^^^
Warning 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0
Exception: Failure "boom".
- : int = 5' feed 'g;; k;;' "$natml" -noprompt -init given.ml
check init_not_found 0 'Init file not found: "nope.ml".
- : int = 1' feed '1;;' "$natml" -noprompt -init nope.ml
rm -rf "$HOME/.ocamlinit" "$HOME/.config"

# ---- -open, -I ---------------------------------------------------------------------
check open 0 '- : int = 1' feed 'length [1];;' "$natml" -noprompt -open List
check open_two 0 '- : int -> int -> int = <fun>' feed 'min;;' "$natml" -noprompt -open List -open=Int
check open_unbound 2 'File "command line", line 1:
Error: Unbound module Lisst
Hint: Did you mean List?' feed '1;;' "$natml" -noprompt -open Lisst
printf 'print_int (length [1; 2]);;\n' >open.ml
check open_script 0 '2' "$natml" -open List open.ml
mkdir a b && printf 'print_string "a";;\n' >a/x.ml && printf 'print_string "b";;\n' >b/x.ml
check include_order 0 'a- : unit = ()' feed '#use "x.ml";;' "$natml" -noprompt -I a -I b
check include_order2 0 'b- : unit = ()' feed '#use "x.ml";;' "$natml" -noprompt -I b -I a

# ---- Scripts from standard input, Sys.argv, Sys.interactive ------------------------
printf 'Array.iter print_endline Sys.argv;;\nprint_endline (string_of_bool !Sys.interactive);;\n' >argv.ml
check stdin_script 0 $'-stdin\na\n-b\nfalse' feed "$(cat argv.ml)" "$natml" -stdin a -b
check dash_file 0 $'-\nargv.ml\nx\nfalse' "$natml" - argv.ml x
check script_args 0 $'argv.ml\n-x\nfalse' "$natml" argv.ml -x
check toplevel_argv 0 "$natml"$'\n-noprompt\n-I\nq\n- : unit = ()\ntrue\n- : unit = ()' \
  "$natml" -noprompt -I q <argv.ml
# natml's `--` (ocaml 4.13 has none and refuses it): later words are files.
check double_dash 0 $'argv.ml\n-y\nfalse' "$natml" -- argv.ml -y

# ---- Warnings ------------------------------------------------------------------------
printf 'let f = function 1 -> 2;;\nf 1;;\n' >partial.ml
check warn_off 0 $'val f : int -> int = <fun>\n- : int = 2' "$natml" -noprompt -w -8 <partial.ml
check warn_error 0 'Line 1, characters 8-23:
1 | let f = function 1 -> 2;;
            ^^^^^^^^^^^^^^^
Error (warning 8 [partial-match]): this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0
Line 1, characters 0-1:
1 | f 1;;
    ^
Error: Unbound value f' "$natml" -noprompt -warn-error +8 <partial.ml
check warn_error_script 2 'File "./partial.ml", line 1, characters 8-23:
1 | let f = function 1 -> 2;;
            ^^^^^^^^^^^^^^^
Error (warning 8 [partial-match]): this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0' "$natml" -w @partial-match partial.ml

# ---- Colours ---------------------------------------------------------------------------
# Byte for byte as `ocaml -color=always -noprompt < f.ml`.
printf 'let x = 1 + "a";;\nlet f = function 1 -> 2;;\nlet y = match 1 with\n | 2 -> 3;;\n' >colors.ml
B=$'\e[1m' R=$'\e[1;31m' M=$'\e[1;35m' Z=$'\e[0m'
colored="${B}Line 1, characters 12-15${Z}:
1 | let x = 1 + \"a\";;
                ${R}^^^${Z}
${R}Error${Z}: This expression has type string but an expression was expected of type
         int
${B}Line 1, characters 8-23${Z}:
1 | let f = function 1 -> 2;;
            ${M}^^^^^^^^^^^^^^^${Z}
${M}Warning${Z} 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0
val f : int -> int = <fun>
${B}Lines 1-2, characters 8-9${Z}:
1 | ........match 1 with
2 |  | 2 -> 3..
${M}Warning${Z} 8 [partial-match]: this pattern-matching is not exhaustive.
Here is an example of a case that is not matched:
0
Exception: Match_failure (\"//toplevel//\", 1, 8)."
check color_always 0 "$colored" "$natml" -noprompt -color=always <colors.ml
check color_env 0 "$colored" env OCAML_COLOR=always "$natml" -noprompt <colors.ml
plain=$("$natml" -noprompt <colors.ml 2>&1)
check color_option_beats_env 0 "$plain" env OCAML_COLOR=always "$natml" -noprompt -color never <colors.ml
check color_auto_off_pipe 0 "$plain" env TERM=xterm "$natml" -noprompt -color=auto <colors.ml
check color_script 2 "${B}File \"./colors.ml\", line 1, characters 12-15${Z}:
1 | let x = 1 + \"a\";;
                ${R}^^^${Z}
${R}Error${Z}: This expression has type string but an expression was expected of type
         int" "$natml" -color=always colors.ml
check color_env_bad 0 'File "_none_", line 1:
Warning 46 [bad-env-variable]: illegal environment variable OCAML_COLOR : expected "auto", "always" or "never"' \
  env OCAML_COLOR=x "$natml" -noprompt </dev/null

# ---- Prompts of piped input ------------------------------------------------------------
printf 'let x =\n 1;;\n(* a\n b *) 2;;\n' >cont.ml
check prompts 0 $'#   val x : int = 1\n# * - : int = 2\n# ' "$natml" <cont.ml
check nopromptcont 0 $'# val x : int = 1\n# - : int = 2\n# ' "$natml" -nopromptcont <cont.ml

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
