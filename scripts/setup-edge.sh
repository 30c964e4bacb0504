#!/usr/bin/env bash
# Installs what the edge verifier needs on a fresh machine; does nothing when it is there.
#   worker-build (cargo install, ~10 min the first time), the wasm32 target (setup-rust),
#   and js/edge's Node tooling (wrangler, miniflare, binaryen, esbuild, web-bot-auth).
set -euo pipefail
want="${1:-0.8.7}"
cd "$(dirname "$0")/.."

have="$(worker-build --version 2>/dev/null | awk '{print $NF}' || true)"
if [[ "$have" != "$want" ]]; then
  echo "setup-edge: installing worker-build $want (was: ${have:-none})"
  cargo install worker-build --version "$want" --locked
fi
if ! command -v wasm-bindgen >/dev/null; then
  echo "setup-edge: installing wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi
bindgen="$(wasm-bindgen --version | awk '{print $NF}')"
if [[ "$bindgen" != "0.2.130" ]]; then
  echo "setup-edge: wasm-bindgen CLI is $bindgen, the crate pins 0.2.130" >&2
  exit 1
fi

lock=js/edge/package-lock.json
stamp=js/edge/node_modules/.package-lock.json
if [[ ! -f "$stamp" || "$lock" -nt "$stamp" ]]; then
  echo "setup-edge: npm ci in js/edge"
  (cd js/edge && npm ci --no-audit --no-fund --loglevel=error)
fi
