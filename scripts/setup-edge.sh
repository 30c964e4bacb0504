#!/usr/bin/env bash
# Installs what the edge verifier's build needs on a fresh machine; does nothing when it is
# there: the wasm32 target (make setup-rust), the wasm-bindgen CLI at the version Cargo.lock
# pins (shared with the npm package's build), and js/edge's Node tooling (wrangler,
# miniflare, npm binaryen's wasm-opt, esbuild, web-bot-auth). scripts/build-edge.sh drives
# these directly; worker-build is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."

want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $NF}' || true)"
if [[ "$have" != "$want" ]]; then
  echo "setup-edge: installing wasm-bindgen-cli $want (was: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" --locked
fi

lock=js/edge/package-lock.json
stamp=js/edge/node_modules/.package-lock.json
if [[ ! -f "$stamp" || "$lock" -nt "$stamp" ]]; then
  echo "setup-edge: npm ci in js/edge"
  (cd js/edge && npm ci --no-audit --no-fund --loglevel=error)
fi
