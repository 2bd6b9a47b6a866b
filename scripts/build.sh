#!/usr/bin/env bash
# Builds natml into BUILD_DIR (default: build/ at the top of the tree),
# installing missing Debian packages first. Options after the build type
# go to cmake (e.g. -DNATML_SANITIZE=ON, -DNATML_WERROR=ON).
# Usage: scripts/build.sh [Debug|Release|RelWithDebInfo] [cmake options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
natml_install_packages "${NATML_PACKAGES[@]}"
build=${BUILD_DIR:-$top/build}
type=${1:-RelWithDebInfo}
[ $# -gt 0 ] && shift
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
