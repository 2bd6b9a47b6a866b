#!/usr/bin/env bash
# Builds natml (installing what it needs) and starts the toplevel.
# Arguments are passed to natml.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh" >&2
exec "${BUILD_DIR:-$top/build}/natml" "$@"
