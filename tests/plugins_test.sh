#!/usr/bin/env bash
# Plugins end to end: `natmlc -shared`, `#load` in the toplevel, `natml
# lib.so script.ml`, every refusal (missing, not ELF, truncated,
# bit-flipped, compiled against another interface, unit loaded twice),
# each followed by a phrase that must still run, and the example C host
# (no LLVM linked) with its hot reload.
# Usage: plugins_test.sh NATML NATMLC NATML_HOST COUNTER_ML
set -u
natml=${1:?usage: plugins_test.sh NATML NATMLC NATML_HOST COUNTER_ML}
natmlc=${2:?} host=${3:?} counter_ml=${4:?}
src=$(cd "$(dirname "$0")" && pwd)/plugins
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect NAME INPUT EXPECTED: pipes INPUT into natml -noprompt.
expect() {
  local got want
  got=$(printf '%s' "$2" | timeout 60 "$natml" -noprompt -noinit 2>&1)
  want=$(printf '%s' "$3")
  if [ "$got" != "$want" ]; then
    fail "$1"
    diff <(echo "$want") <(echo "$got") | head -20
  fi
}

# ---- compiling --------------------------------------------------------------
printf 'let double x = 2 * x\n' > mylib.ml
"$natmlc" -shared mylib.ml -o mylib.so || fail "natmlc -shared mylib.ml"
cp "$src/geom.ml" "$src/shapes.ml" .
"$natmlc" -shared geom.ml -o geom.so || fail "natmlc geom"
"$natmlc" -shared geom.so shapes.ml -o shapes.so || fail "natmlc shapes against geom.so"
mkdir v2 && cp "$src/v2/geom.ml" v2/ && "$natmlc" -shared v2/geom.ml -o v2/geom.so || fail "natmlc v2"

# ---- the acceptance ------------------------------------------------------------
expect acceptance '#load "mylib.so";;
Mylib.double 21;;
' '- : int = 42
'

# ---- a plugin using an earlier plugin ------------------------------------------
expect plugin_uses_plugin '#load "shapes.so";;
#load "geom.so";;
#load "shapes.so";;
Shapes.far;;
Shapes.total ();;
Geom.check { Geom.x = -1; y = 0 };;
let p = Shapes.double Geom.origin;;
' "Error: Reference to undefined global \`Geom'
- : Geom.point = {Geom.x = 10; y = 14}
- : int = 16
Exception: Geom.Bad \"negative\".
val p : Geom.point = {Geom.x = 0; y = 0}
"

# ---- #require, #load_rec and #list: dependencies from the descriptor ----------
mkdir -p pkgs && cp geom.so shapes.so mylib.so pkgs/ && printf 'not a plugin' > pkgs/junk.so
got=$(printf '#list;;\n#require "shapes";;\nShapes.far;;\n#require "shapes";;\n#list;;\n#require "nope";;\n' |
  NATML_PATH="$work/pkgs" timeout 60 "$natml" -noprompt -noinit 2>&1)
want="geom    (Geom)  $work/pkgs/geom.so
mylib   (Mylib)  $work/pkgs/mylib.so
shapes  (Shapes)  $work/pkgs/shapes.so
$work/pkgs/geom.so: loaded
$work/pkgs/shapes.so: loaded
- : Geom.point = {Geom.x = 10; y = 14}
geom    (Geom) loaded  $work/pkgs/geom.so
mylib   (Mylib)  $work/pkgs/mylib.so
shapes  (Shapes) loaded  $work/pkgs/shapes.so
No plugin named nope.so on the search path (#list shows those there are)."
if [ "$got" != "$want" ]; then
  fail "#require"
  diff <(echo "$want") <(echo "$got") | head -20
fi
expect load_rec "#directory \"$work/pkgs\";;
#load_rec \"shapes.so\";;
Shapes.far;;
" '- : Geom.point = {Geom.x = 10; y = 14}'
expect load_without_deps '#load "shapes.so";;
1;;
' 'Error: Reference to undefined global `Geom'"'"'
- : int = 1'

# ---- refusals: each leaves the session going --------------------------------------
head -c 1000 mylib.so > truncated.so
expect refusals '#load "nope.so";;
#load "mylib.ml";;
#load "truncated.so";;
#load "v2/geom.so";;
#load "shapes.so";;
#load "mylib.so";;
#load "mylib.so";;
Mylib.double 2;;
' "Cannot find file nope.so.
File mylib.ml is not a natml plugin (not an ELF file).
File truncated.so is a corrupted natml plugin (segment 0 out of bounds).
The files shapes.so and v2/geom.so disagree over interface Geom
Cannot load mylib.so: the module \`Mylib' is already loaded (either by the main program or a previously-dynlinked library).
- : int = 4
"

# A unit whose initialisation raises: nothing of it joins the
# environment, and plugins using it are refused.
cp "$src/fails.ml" . && printf 'let y = Fails.x\n' > usefails.ml
"$natmlc" -shared fails.ml -o fails.so || fail "natmlc fails"
"$natmlc" -shared fails.so usefails.ml -o usefails.so || fail "natmlc usefails"
expect failed_init '#load "fails.so";;
#load "usefails.so";;
1;;
' "Exception: Failure \"init failed\".
Cannot load usefails.so: it uses unit Fails, whose earlier initialisation failed (the failed code would be used).
- : int = 1
"

# Truncated copies and single-byte flips at many offsets, all in one
# session: each refused, none crashes it, the last phrase runs.
size=$(stat -c %s geom.so)
input=
for n in 0 1 16 63 64 200 $((size / 2)) $((size - 1)); do
  head -c "$n" geom.so > "t$n.so"
  input+="#load \"t$n.so\";;"$'\n'
done
nflips=0
for ((off = 0; off < size; off += 11)); do
  cp geom.so "f$off.so"
  byte=$(od -An -tu1 -j "$off" -N1 geom.so | tr -d ' ')
  printf "\\$(printf '%03o' $((byte ^ 0x24)))" | dd of="f$off.so" bs=1 seek="$off" conv=notrunc status=none
  input+="#load \"f$off.so\";;"$'\n'
  nflips=$((nflips + 1))
done
input+='1 + 1;;'$'\n'
got=$(printf '%s' "$input" | timeout 120 "$natml" -noprompt -noinit 2>&1)
refused=$(grep -c -e 'is not a natml plugin' -e 'is a corrupted natml plugin' -e 'another version of natml' <<<"$got")
[ "$refused" -eq $((nflips + 8)) ] || fail "damaged plugins: $refused of $((nflips + 8)) refused"
[ "$(tail -n 1 <<<"$got")" == "- : int = 2" ] || fail "the session did not go on after damaged plugins"

# ---- script mode: natml lib.so script.ml ---------------------------------------------
printf 'let () = print_int (Mylib.double 21); print_newline ()\n' > script.ml
[ "$("$natml" mylib.so script.ml 2>&1)" == "42" ] || fail "natml mylib.so script.ml"
"$natml" truncated.so script.ml >/dev/null 2>&1
[ $? -eq 2 ] || fail "natml truncated.so script.ml should exit 2"

# ---- natmlc refusals ----------------------------------------------------------------
printf 'let r = ref []\n' > weak.ml
"$natmlc" -shared weak.ml -o weak.so 2>/dev/null && fail "natmlc accepted a weak type variable"
"$natmlc" -shared list.ml -o list.so 2>/dev/null && fail "natmlc accepted unit List"
true

# ---- the C host: no LLVM, load, call, hot reload ------------------------------------------
if ldd "$host" | grep -qi llvm || nm "$host" | grep -q ' LLVM'; then fail "natml_host links LLVM"; fi
mkdir host v1 v2c
cp "$counter_ml" v1/counter.ml
sed 's/let version = 1/let version = 2/' "$counter_ml" > v2c/counter.ml
"$natmlc" -shared v1/counter.ml -o host/counter.so || fail "natmlc counter"
got=$("$host" host/counter.so "$natmlc -shared v2c/counter.ml -o host/counter.so" 2>&1)
want="loaded host/counter.so: unit Counter
Counter.version = 1
add 5 -> 5
add 37 -> 42
counter version 1 at 42
second load refused: Cannot load host/counter.so: the module \`Counter' is already loaded (either by the main program or a previously-dynlinked library).
reloaded: Counter.version = 2
add 1 -> 1
counter version 2 at 1"
if [ "$got" != "$want" ]; then
  fail "natml_host"
  diff <(echo "$want") <(echo "$got") | head -20
fi

if [ "$fails" -eq 0 ]; then echo "plugins: all passed ($nflips bit flips)"; fi
[ "$fails" -eq 0 ]
