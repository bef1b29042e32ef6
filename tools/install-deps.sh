#!/usr/bin/env bash
# Installs the system libraries agent-trace builds against, when missing:
# libzstd-dev and libsqlite3-dev (pkg-config finds them), and the zstd and
# python3 commands that some tests use. Idempotent; needs root (or sudo).
set -euo pipefail
missing=()
for package in libzstd-dev libsqlite3-dev zlib1g-dev pkg-config zstd python3 python3-venv; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
