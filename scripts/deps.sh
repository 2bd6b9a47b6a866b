#!/usr/bin/env bash
# Installs the Debian packages natml needs to build and test, when missing
# (apt-get as root, sudo otherwise). Sourced by build.sh.
set -euo pipefail
NATML_PACKAGES=(cmake gcc make pkg-config llvm-14-dev libgc-dev libcmocka-dev libedit-dev)
NATML_TEST_PACKAGES=(ocaml-nox tmux strace clang-format)

natml_install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "natml: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}
