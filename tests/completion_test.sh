#!/usr/bin/env bash
# Tab completion at a real terminal (tmux), as libedit presents it: a
# unique candidate completes in place (with a space after a value, a dot
# after a module, the closing quote after a file name); several complete
# their common prefix, and a second Tab lists them. Each completed line
# is then run, so the screen shows the completion was the right text:
# a stdlib value, a value bound in the session, a directive name, a file
# name inside #use "…", a plugin's file, then its module and value just
# after #load. Skips (77) without tmux.
# Usage: completion_test.sh NATML_EXE PLUGIN_DIR (holding mylib.so)
set -u
natml=${1:?usage: completion_test.sh NATML_EXE PLUGIN_DIR}
plugins=${2:?usage: completion_test.sh NATML_EXE PLUGIN_DIR}
. "$(dirname "$0")/tmux_lib.sh"
tmp=$(mktemp -d)
echo 'let from_script = 5;;' > "$tmp/script_one.ml"
mkdir "$tmp/some_dir"
start c "$tmp" "env NATML_HISTORY= $natml -noinit"
wait_prompt c || exit 1
key c 'List.fi' Tab Tab; wait_until c shows 'find_opt' || exit 1
key c C-u 'List.rev_ap' Tab; wait_for c '# List.rev_append' || exit 1
key c '[1; 2] [3];; ' Enter; wait_prompt c || exit 1
key c 'let my_counter = 41;; ' Enter; wait_prompt c || exit 1
key c 'my_co' Tab; wait_for c '# my_counter' || exit 1
key c '+ 1;; ' Enter; wait_prompt c || exit 1
key c '#mod_us' Tab; wait_for c '# #mod_use' || exit 1
key c '"scr' Tab; wait_for c 'script_one.ml"' || exit 1
key c ';; ' Enter; wait_prompt c || exit 1
key c "#load \"$plugins/myl" Tab; wait_for c 'mylib.so"' || exit 1
key c ';; ' Enter; wait_prompt c || exit 1
key c 'Myli' Tab; wait_for c '# Mylib.' || exit 1
key c 'dou' Tab; wait_for c 'Mylib.double' || exit 1
key c '21;; ' Enter; wait_prompt c || exit 1
key c C-d; wait_for c 'exit=0' || exit 1
expect_block c "# List.fi
filter     filter_map filteri    find       find_all   find_map   find_opt
# List.rev_append [1; 2] [3];;
- : int list = [2; 1; 3]
# let my_counter = 41;;
val my_counter : int = 41
# my_counter + 1;;
- : int = 42
# #mod_use \"script_one.ml\";;
module Script_one : sig val from_script : int end
# #load \"$plugins/mylib.so\";;
# Mylib.double 21;;
- : int = 42" || exit 1
echo "1 passed, 0 failed"
