#!/usr/bin/env bash
# Regression guard over OCaml 4.13.1's own testsuite, run differentially
# against the real `ocaml` by ../shared/tools/ocaml-testsuite.sh.
# tests/ocaml_testsuite_pass.txt holds one line per case that went
# through once: "ID pass" for a case that passed whole, "ID N" for a
# transcript of which N phrases printed what ocaml prints. A listed case
# must still pass, or match at least N phrases, and still be there. The
# guard fails when the runner fails or checked nothing; it exits 77
# (skipped) only when the tools are not beside the repository.
# Usage: ocaml_testsuite_guard.sh NATML_EXE [--update]
#   --update rewrites the pass list from this run, never lowering a line.
set -u
natml=${1:?usage: ocaml_testsuite_guard.sh NATML_EXE [--update]}
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tools=${NATML_OCAMLTS_TOOLS:-$here/../../shared/tools}
[ -f "$tools/ocaml-testsuite.sh" ] || { echo "ocaml-testsuite.sh not found in $tools: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
OCAMLTS_WORK=$work bash "$tools/ocaml-testsuite.sh" "$natml" | tail -1
if [ ! -s "$work/results.json" ]; then
  echo "guard: the testsuite runner wrote no results:"
  tail -5 "$work/report.md" 2>/dev/null
  exit 1
fi
python3 - "$work/results.json" "$here/ocaml_testsuite_pass.txt" "$update" <<'PY'
import json, sys
results, listfile, update = sys.argv[1], sys.argv[2], sys.argv[3] == "--update"
cases = {c["id"]: c for c in json.load(open(results))["cases"]}
if not any(c.get("status") in ("pass", "fail") for c in cases.values()):
    sys.exit("guard: the testsuite ran no case")
def score(c):
    if c is None: return None
    if c.get("status") == "pass": return "pass"
    return c.get("phrases_match", 0) if c.get("status") == "fail" else 0
listed = {}
for line in open(listfile):
    line = line.strip()
    if line and not line.startswith("#"):
        cid, want = line.split()
        listed[cid] = want if want == "pass" else int(want)
bad = 0
for cid, want in listed.items():
    got = score(cases.get(cid))
    if got is None:
        print("MISSING: %s (listed, not in the testsuite run)" % cid); bad += 1
    elif want == "pass" and got != "pass":
        print("REGRESSION: %s passed, now %s" % (cid, cases[cid].get("status"))); bad += 1
    elif want != "pass" and got != "pass" and got < want:
        print("REGRESSION: %s matched %d phrases, now %d" % (cid, want, got)); bad += 1
print("guard: %d passed, %d failed" % (len(listed) - bad, bad))
if update:
    for cid, c in cases.items():
        got, old = score(c), listed.get(cid)
        if got == "pass" or (got and old != "pass" and (old is None or got > old)):
            listed[cid] = got
    with open(listfile, "w") as f:
        f.write("# OCaml testsuite cases natml went through once (tests/ocaml_testsuite_guard.sh):\n")
        f.write("# 'ID pass' passed whole; 'ID N' matched N transcript phrases.\n")
        for cid in sorted(listed): f.write("%s %s\n" % (cid, listed[cid]))
    print("guard: pass list rewritten (%d cases)" % len(listed))
sys.exit(1 if bad else 0)
PY
