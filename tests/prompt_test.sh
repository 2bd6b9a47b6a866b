#!/usr/bin/env bash
# The interactive prompt at a real terminal (tmux): Ctrl-C on an empty
# and on a half-typed line drops it and keeps the session, Ctrl-C during a
# phrase interrupts it, UTF-8 typed at the terminal reaches the lexer
# whole, and Ctrl-D at an empty prompt leaves with status 0. The screen
# must show what ocaml 4.13 shows for the same keys (checked by hand: the
# lines below are ocaml's, banner aside). Skips (77) without tmux.
# Usage: prompt_test.sh NATML_EXE
set -u
natml=${1:?usage: prompt_test.sh NATML_EXE}
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
sock=natml-prompt-$$
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=${TERM:-xterm}
# Neither the user's history file nor an init file of theirs is touched.
export NATML_HISTORY=
t new-session -d -s p -x 120 -y 40 "$natml -noinit; echo exit=\$?; sleep 30"
# Waits until the screen's last non-blank line ends with $1. (Containing
# it is not enough: the echoed input `# let keep = 1;;` contains the
# prompt `#` before natml has answered.)
wait_for() {
  for _ in $(seq 100); do
    t capture-pane -t p -p | sed 's/[[:space:]]*$//; /^$/d' | tail -1 |
      awk -v s="$1" '{ exit !(substr($0, length($0) - length(s) + 1) == s) }' && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$1'"; t capture-pane -t p -p; return 1
}
key() { t send-keys -t p "$@"; }
wait_for '#' || exit 1
key 'let keep = 1;; ' Enter; wait_for '#' || exit 1
key C-c; wait_for '#' || exit 1
key 'let s = "é";; ' Enter; wait_for '#' || exit 1
key 'String.length s;; ' Enter; wait_for '#' || exit 1
key 'let rec spin n = spin (n + 1);; ' Enter; wait_for '#' || exit 1
key 'spin 0;; ' Enter; sleep 0.5
key C-c; wait_for '#' || exit 1
key 'let x = (1 +' Enter; sleep 0.3
key C-c; wait_for '#' || exit 1
key 'let half = ' ; sleep 0.2
key C-c; wait_for '#' || exit 1
key 'keep;; ' Enter; wait_for '#' || exit 1
key C-d; wait_for 'exit=0' || exit 1
screen=$(t capture-pane -t p -p | sed 's/[[:space:]]*$//; /^$/d')
want='# let keep = 1;;
val keep : int = 1
# ^CInterrupted.
# let s = "é";;
val s : string = "é"
# String.length s;;
- : int = 2
# let rec spin n = spin (n + 1);;
val spin : int -> '"'"'a = <fun>
# spin 0;;
^CInterrupted.
# let x = (1 +
  ^CInterrupted.
# let half = ^CInterrupted.
# keep;;
- : int = 1'
# The block from the first phrase on, as long as the expected one.
got=$(echo "$screen" | sed -n '/^# let keep/,$p' | head -n "$(echo "$want" | wc -l)")
if [ "$got" != "$want" ]; then
  echo "FAIL: the screen differs from ocaml's:"
  diff <(echo "$want") <(echo "$got")
  exit 1
fi
echo "$screen" | tail -1 | grep -qx 'exit=0' || { echo "FAIL: Ctrl-D did not leave with status 0:"; echo "$screen" | tail -3; exit 1; }
echo "1 passed, 0 failed"
