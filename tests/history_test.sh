#!/usr/bin/env bash
# History across sessions at a real terminal (tmux): phrases typed in one
# session are in the history file at once, under a temporary HOME's
# ~/.local/state/natml/history; a second session recalls them with Up,
# a phrase typed over two lines as one entry, and Enter runs it again.
# NATML_HISTORY= turns the file off. Skips (77) without tmux.
# Usage: history_test.sh NATML_EXE
set -u
natml=${1:?usage: history_test.sh NATML_EXE}
. "$(dirname "$0")/tmux_lib.sh"
tmp=$(mktemp -d)
mkdir "$tmp/home"
run="env -u XDG_STATE_HOME -u NATML_HISTORY HOME=$tmp/home $natml"
hist=$tmp/home/.local/state/natml/history

start one "$tmp" "$run"
wait_prompt one || exit 1
key one 'let from_first = 6 * 7;; ' Enter; wait_prompt one || exit 1
key one 'let two_lines =' Enter; sleep 0.5
key one 'from_first + 1;; ' Enter; wait_prompt one || exit 1
# Saved as entered, before the session ends: one line per phrase.
want_file='let from_first = 6 * 7;; 
let two_lines =\nfrom_first + 1;; '
[ "$(cat "$hist" 2>/dev/null)" = "$want_file" ] || { echo "FAIL: the history file holds:"; cat "$hist"; exit 1; }
key one C-d; wait_for one 'exit=0' || exit 1

start two "$tmp" "$run"
wait_prompt two || exit 1
key two Up Up; wait_for two '# let from_first' || exit 1
key two Enter; wait_prompt two || exit 1
key two Up Up; wait_for two 'from_first + 1;;' || exit 1
key two Enter; wait_prompt two || exit 1
key two C-d; wait_for two 'exit=0' || exit 1
expect_block two '# let from_first = 6 * 7;;
val from_first : int = 42
# let two_lines =
from_first + 1;;
val two_lines : int = 43' || exit 1

# Without a history file, nothing is written.
before=$(cat "$hist")
start three "$tmp" "env NATML_HISTORY= HOME=$tmp/home $natml"
wait_prompt three || exit 1
key three 'let not_saved = 1;; ' Enter; wait_prompt three || exit 1
key three C-d; wait_for three 'exit=0' || exit 1
[ "$(cat "$hist")" = "$before" ] || { echo "FAIL: NATML_HISTORY= still wrote the history file"; exit 1; }
echo "1 passed, 0 failed"
