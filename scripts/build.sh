#!/usr/bin/env bash
# Builds natml into BUILD_DIR (default: build/ at the top of the tree),
# installing missing Debian packages first.
# Usage: scripts/build.sh [Debug|Release|RelWithDebInfo]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
natml_install_packages "${NATML_PACKAGES[@]}"
build=${BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE="${1:-RelWithDebInfo}" >/dev/null
cmake --build "$build" -j"$(nproc)"
