#!/usr/bin/env bash
# Installs what the edge verifier's build needs on a fresh machine; does nothing when it is
# there: the wasm32 target (make setup-rust), the wasm-bindgen CLI at the pinned version
# (js/build/setup-tools.sh, shared with the npm package's build), and js/edge's Node tooling (wrangler,
# miniflare, npm binaryen's wasm-opt, esbuild, web-bot-auth). scripts/build-edge.sh drives
# these directly; worker-build is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI (and Chromium, which the dashboard test drives) come from the npm
# package's setup, so the pinned version is installed by one script, without --locked.
js/build/setup-tools.sh

lock=js/edge/package-lock.json
stamp=js/edge/node_modules/.package-lock.json
if [[ ! -f "$stamp" || "$lock" -nt "$stamp" ]]; then
  echo "setup-edge: npm ci in js/edge"
  (cd js/edge && npm ci --no-audit --no-fund --loglevel=error)
fi
