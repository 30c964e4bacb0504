#!/usr/bin/env bash
# Idempotent: installs what the npm package's build and tests need and a fresh machine
# lacks — Debian chromium (headless tests), the wasm-bindgen CLI pinned to the crate's
# wasm-bindgen version. `npm ci` in js/ is run by make when the lock file changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The CLI must match the wasm-bindgen crate exactly: the version Cargo.lock pins.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)"
[[ -n "$WASM_BINDGEN_VERSION" ]] || { echo "setup-tools: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

# Chromium comes from Debian's packages (download-bound) while the CLI compiles (CPU-bound):
# on a fresh machine the two run side by side.
apt_pid=
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) &
  apt_pid=$!
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  # A debug build: it compiles in about half the time of a release build (71 s against ~140 s
  # here, the longest step of a fresh machine's setup) and writes the same output; it runs
  # 0.6 s instead of 0.2 s on the package's wasm, and the builds call it six times.
  echo "setup-tools: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (debug build)"
  cargo install --debug wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [[ -n "$apt_pid" ]]; then
  wait "$apt_pid" || { echo "setup-tools: installing Debian's chromium failed" >&2; exit 1; }
  command -v chromium >/dev/null || { echo "setup-tools: chromium is still missing" >&2; exit 1; }
fi
