#!/usr/bin/env bash
# Phrase latency, natml beside OCaml's bytecode toplevel, in one run.
# A session of N phrases (bindings, functions, recursion, tuples, strings,
# lists, applications) is piped into `natml -noprompt` and `ocaml
# -noprompt`; cost per phrase = (session - startup) / N, wall clock,
# median of RUNS (default 3). With several sizes it also prints how the
# per-phrase cost grows (flatness: cost at the largest size over the
# smallest).
# Usage: scripts/bench_latency.sh [NATML_EXE] [N...]   (default: build/natml 1000 10000)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
natml=${1:-$top/build/natml}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-3}
command -v ocaml >/dev/null || { echo "bench_latency.sh: ocaml not found (apt-get install ocaml-nox)"; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

session() {
  local i c
  for ((i = 0; i < $1; i++)); do
    c=$((i / 8))
    case $((i % 8)) in
      0) echo "let x$c = $c + 1;;" ;;
      1) echo "let f$c y = y * 2 + x$c;;" ;;
      2) echo "f$c 10;;" ;;
      3) echo "let rec g$c n = if n = 0 then 0 else n + g$c (n - 1);;" ;;
      4) echo "g$c 10 + f$c x$c;;" ;;
      5) echo "let p$c = (x$c, \"s$c\", [x$c; 2; 3]);;" ;;
      6) echo "let h$c = fun (a, b, l) -> a + String.length b + List.length l;;" ;;
      7) echo "h$c p$c;;" ;;
    esac
  done
}

wall_ms() { # median wall ms of: $1 -noprompt < $2
  local t=() s e
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$1" -noprompt <"$2" >"$work/out" 2>&1; e=$(date +%s%N)
    t+=("$(( (e - s) / 1000 ))")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)] / 1000}'
}

: >"$work/empty.ml"
ns=$(wall_ms "$natml" "$work/empty.ml"); os=$(wall_ms ocaml "$work/empty.ml")
echo "startup ms: natml $ns, ocaml $os"
first=""
for n in "${sizes[@]}"; do
  session "$n" >"$work/s$n.ml"
  ocaml -noprompt <"$work/s$n.ml" 2>&1 | sed "s/[[:space:]]*\$//" | sed "1{/^ *OCaml version/d}" | sed "1{/^\$/d}" >"$work/ocaml.out"
  "$natml" -noprompt <"$work/s$n.ml" 2>&1 | sed 's/[[:space:]]*$//' >"$work/natml.out"
  if ! cmp -s "$work/ocaml.out" "$work/natml.out"; then
    echo "warning: natml's output differs from ocaml's on the $n-phrase session:"
    diff "$work/ocaml.out" "$work/natml.out" | head -5
  fi
  nt=$(wall_ms "$natml" "$work/s$n.ml"); ot=$(wall_ms ocaml "$work/s$n.ml")
  line=$(awk -v nt="$nt" -v ns="$ns" -v ot="$ot" -v os="$os" -v n="$n" 'BEGIN {
    a = (nt - ns) / n; b = (ot - os) / n
    printf "%d phrases: per-phrase ms: natml %.3f, ocaml %.3f, ratio %.2f", n, a, b, a / (b > 0 ? b : 0.001) }')
  echo "$line"
  cost=$(echo "$line" | sed 's/.*natml \([0-9.]*\),.*/\1/')
  if [ -z "$first" ]; then first=$cost; firstn=$n
  else awk -v a="$first" -v b="$cost" -v n1="$firstn" -v n2="$n" 'BEGIN { printf "flatness: per-phrase cost at %d / at %d = %.2f\n", n2, n1, b / a }'; fi
done
