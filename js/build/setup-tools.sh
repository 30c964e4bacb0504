#!/usr/bin/env bash
# Idempotent: installs what the npm package's build and tests need and a fresh machine
# lacks — Debian chromium (headless tests), the wasm-bindgen CLI pinned to the crate's
# wasm-bindgen version. `npm ci` in js/ is run by make when the lock file changes.
set -euo pipefail
WASM_BINDGEN_VERSION=0.2.130

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
