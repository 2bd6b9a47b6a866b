#!/usr/bin/env bash
# Generated-code speed, natml beside ocamlopt, in one run: every program of
# ../shared/bench/programs (or of tests/bench, a copy, when the shared
# folder is absent) runs as a natml script and as ocamlopt native code, in
# turns, so that the ratio holds on a noisy machine. Prints CPU seconds
# (user + sys, median of RUNS, default 3), the ratio natml/ocamlopt per
# program, and last "geomean natml/ocamlopt = R". Outputs must match.
# Usage: scripts/bench_speed.sh [NATML_EXE] [PROGRAM_DIR]   (default: build/natml)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
natml=${1:-$top/build/natml}
dir=${2:-}
if [ -z "$dir" ]; then
  dir=$top/../shared/bench/programs
  [ -d "$dir" ] || dir=$top/tests/bench
fi
runs=${RUNS:-3}
command -v ocamlopt >/dev/null || { echo "bench_speed.sh: ocamlopt not found (apt-get install ocaml-nox)"; exit 2; }
[ -x "$natml" ] || { echo "bench_speed.sh: $natml is not an executable"; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# Median CPU seconds of "$@" over $runs runs; the output goes to $work/out.
cpu() {
  local t=() i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" >"$work/out" 2>/dev/null
    t+=("$(awk '{printf "%.3f", $1 + $2}' "$work/time")")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

printf '%-14s %10s %10s %8s\n' program ocamlopt natml ratio
logsum=0; n=0; bad=0
for src in "$dir"/*.ml; do
  name=$(basename "$src" .ml)
  cp "$src" "$work/$name.ml"
  if ! (cd "$work" && ocamlopt -o "$name.native" "$name.ml" 2>/dev/null); then
    echo "$name: ocamlopt failed"; continue
  fi
  ref=$(cpu "$work/$name.native"); cp "$work/out" "$work/$name.ref"
  got=$(cpu "$natml" "$work/$name.ml")
  if ! cmp -s "$work/out" "$work/$name.ref"; then
    printf '%-14s %10s %10s %8s\n' "$name" "$ref" "-" WRONG; bad=$((bad + 1)); continue
  fi
  ratio=$(awk -v a="$got" -v b="$ref" 'BEGIN {printf "%.2f", a / (b > 0 ? b : 0.001)}')
  printf '%-14s %10s %10s %8s\n' "$name" "$ref" "$got" "$ratio"
  logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN {print s + log(r)}'); n=$((n + 1))
done
[ "$bad" -gt 0 ] && echo "$bad program(s) printed wrong output"
[ "$n" -gt 0 ] || { echo "geomean natml/ocamlopt = none (no program ran correctly)"; exit 1; }
awk -v s="$logsum" -v n="$n" 'BEGIN {printf "geomean natml/ocamlopt = %.2f over %d programs\n", exp(s / n), n}'
[ "$bad" -eq 0 ]
