#!/usr/bin/env bash
# Builds natml (installing what it needs) and runs every test: the cmocka
# unit tests, the transcript tests and the conformance guard through
# ctest; first it prints the conformance corpus report when
# ../shared/conformance is there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
natml_install_packages "${NATML_PACKAGES[@]}" "${NATML_TEST_PACKAGES[@]}"
"$top/scripts/build.sh"
build=${BUILD_DIR:-$top/build}
corpus="$top/../shared/conformance"
if [ -f "$corpus/run.sh" ]; then
  echo "== conformance corpus (report; the guard is the ctest test conformance_guard) =="
  bash "$corpus/run.sh" --report "$build/natml" | grep -v '^FAIL' | sed 's/^\([0-9]* passed, [0-9]* failed\)$/conformance total: \1/'
fi
echo "== ctest =="
cd "$build" && ctest --output-on-failure -j"$(nproc)"
