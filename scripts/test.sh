#!/usr/bin/env bash
# Builds natml (installing what it needs) and runs every test: the cmocka
# unit tests, the transcript tests, the conformance guard and the guard
# over OCaml's own testsuite through ctest; first it prints the
# conformance corpus report when ../shared/conformance is there. Then the same suite (labels unit and
# transcript) runs on an ASan + UBSan build in BUILD_DIR-asan. Both builds
# treat warnings as errors, and the tree must be formatted as .clang-format
# says. CI runs this script (.ci/run).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
natml_install_packages "${NATML_PACKAGES[@]}" "${NATML_TEST_PACKAGES[@]}"
build=${BUILD_DIR:-$top/build}
echo "== format (.clang-format) =="
(cd "$top" && git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror) \
  || { echo "natml: the tree is not formatted; run scripts/format.sh"; exit 1; }
BUILD_DIR=$build "$top/scripts/build.sh" RelWithDebInfo -DNATML_WERROR=ON -DNATML_SANITIZE=OFF
corpus="$top/../shared/conformance"
if [ -f "$corpus/run.sh" ]; then
  echo "== conformance corpus (report; the guard is the ctest test conformance_guard) =="
  bash "$corpus/run.sh" --report "$build/natml" | grep -v '^FAIL' | sed 's/^\([0-9]* passed, [0-9]* failed\)$/conformance total: \1/'
fi
echo "== ctest =="
(cd "$build" && ctest --output-on-failure -j"$(nproc)")

echo "== ASan + UBSan build ($build-asan) =="
BUILD_DIR=$build-asan "$top/scripts/build.sh" Debug -DNATML_WERROR=ON -DNATML_SANITIZE=ON
echo "== ctest (ASan + UBSan) =="
(cd "$build-asan" && ctest --output-on-failure -j"$(nproc)" -L 'unit|transcript')
