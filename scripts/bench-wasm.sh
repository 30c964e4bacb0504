#!/usr/bin/env bash
# httpseal's two Ed25519 backends in wasm32-unknown-unknown, timed in Node: builds
# benches/wasm (plain exports, no wasm-bindgen) with ed25519-compact and with ed25519-dalek,
# in the npm package's two profiles (release: speed, wasm-small: size), then runs
# benches/wasm/bench.mjs on each pair (A = compact, B = dalek; ratios B/A per round).
#   scripts/bench-wasm.sh [rounds]        (make bench-wasm)
set -euo pipefail
cd "$(dirname "$0")/../benches/wasm"
rounds=${1:-60}
out=../../target/wasm-bench
for backend in compact dalek; do
  for profile in release wasm-small; do
    cargo build -q --profile "$profile" --target wasm32-unknown-unknown --features "$backend" \
      --target-dir "$out/$backend"
  done
done
for profile in release wasm-small; do
  echo "## profile $profile"
  # TurboFan from the start: the figures are the steady state, not Liftoff's.
  node --no-liftoff bench.mjs "$out/compact/wasm32-unknown-unknown/$profile/httpseal_wasm_bench.wasm" \
    "$out/dalek/wasm32-unknown-unknown/$profile/httpseal_wasm_bench.wasm" "$rounds"
done
