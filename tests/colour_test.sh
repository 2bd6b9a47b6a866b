#!/usr/bin/env bash
# Colours and error highlighting at a real terminal (tmux), compared with
# the real ocaml 4.13 driven by the same keys: at a terminal both colour
# "Error" and "Warning" and, instead of a location line and an excerpt,
# redraw the phrase just typed with the location underlined (also in a
# phrase of two lines, and once per diagnostic when a phrase has two).
# The screens, escape sequences included, must be identical below the
# banner. Skips (77) without tmux or ocaml.
# Usage: colour_test.sh NATML_EXE
set -u
natml=${1:?usage: colour_test.sh NATML_EXE}
command -v ocaml >/dev/null || { echo "ocaml not found: skipped"; exit 77; }
. "$(dirname "$0")/tmux_lib.sh"
tmp=$(mktemp -d)
export HOME=$tmp NATML_HISTORY= TERM=xterm
unset OCAML_COLOR
# run NAME COMMAND: types the phrases into COMMAND's window.
run() {
  start "$1" "$tmp" "$2"
  wait_prompt "$1" || exit 1
  key "$1" 'let x = 1 + "a";; ' Enter; wait_prompt "$1" || exit 1
  key "$1" 'let f = function 1 -> 2;; ' Enter; wait_prompt "$1" || exit 1
  key "$1" 'let g = (fun x ->' Enter; sleep 0.3
  key "$1" ' x + "b");; ' Enter; wait_prompt "$1" || exit 1
  key "$1" 'let h = function 1 -> 2 | 1 -> 3;; ' Enter; wait_prompt "$1" || exit 1
  key "$1" 'h 1;; ' Enter; wait_prompt "$1" || exit 1
}
run n "$natml -noinit"
run o "ocaml -noinit"
# Below the banner, escape sequences kept.
colours() { t capture-pane -e -t "$1" -p | sed 's/[[:space:]]*$//; /^$/d' | tail -n +2; }
got=$(colours n) want=$(colours o)
if [ "$got" != "$want" ]; then
  echo "FAIL: natml's screen differs from ocaml's:"
  diff <(echo "$want" | cat -v) <(echo "$got" | cat -v)
  exit 1
fi
# It is the colours that were compared.
echo "$got" | grep -qF $'\033[4m"a"' || { echo "FAIL: no underlined location"; echo "$got" | cat -v; exit 1; }
echo "$got" | grep -qF $'\033[1m\033[31mError' || { echo "FAIL: Error not in colour"; exit 1; }
echo "colour: natml's terminal output is ocaml's"
