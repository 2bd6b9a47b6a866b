# tmux_lib.sh — helpers for the tests that drive natml at a real terminal
# under tmux (history_test.sh, completion_test.sh): a private tmux
# server, keys, and waiting for the screen. Sourced; exits 77 without tmux.
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
tmux_sock=natml-$(basename "$0" .sh)-$$
t() { tmux -L "$tmux_sock" "$@"; }
trap 't kill-server 2>/dev/null; [ -n "${tmp:-}" ] && rm -rf "$tmp"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=${TERM:-xterm}
# start NAME DIR COMMAND: a 120x40 window running COMMAND in DIR, which
# reports its exit status and stays on screen.
start() { t new-session -d -s "$1" -c "$2" -x 120 -y 40 "$3; echo exit=\$?; sleep 30"; }
# wait_until NAME TEST TEXT: until the screen passes TEST (last_line_has,
# last_line_is, shows) with TEXT, for 30 s at most.
last_line_has() { screen "$1" | tail -1 | grep -qF -- "$2"; }
last_line_is() { [ "$(screen "$1" | tail -1)" = "$2" ]; }
shows() { screen "$1" | grep -qF -- "$2"; }
wait_until() {
  for _ in $(seq 300); do
    "$2" "$1" "$3" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $2 '$3'"; screen "$1"; return 1
}
# wait_for NAME TEXT: until the last line of the screen holds TEXT.
wait_for() { wait_until "$1" last_line_has "$2"; }
# wait_prompt NAME: until the last line is an empty prompt: what was
# entered before has run.
wait_prompt() { wait_until "$1" last_line_is '#'; }
key() { local name=$1; shift; t send-keys -t "$name" "$@"; }
# screen NAME: the screen without trailing blanks and blank lines.
screen() { t capture-pane -t "$1" -p | sed 's/[[:space:]]*$//; /^$/d'; }
# expect_block NAME WANT: the screen from WANT's first line on, as long as
# WANT, must be WANT (runs of spaces count as one).
expect_block() {
  local first got want
  want=$(echo "$2" | tr -s ' ')
  first=$(echo "$want" | head -1)
  got=$(screen "$1" | tr -s ' ' | awk -v f="$first" 'index($0, f) == 1 { on = 1 } on' | head -n "$(echo "$want" | wc -l)")
  [ "$got" = "$want" ] && return 0
  echo "FAIL: the screen of $1 differs:"; diff <(echo "$want") <(echo "$got"); return 1
}
