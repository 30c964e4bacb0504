#!/usr/bin/env bash
# Builds the edge Worker (crates/edge) into crates/edge/build/ — index.js (the Worker module)
# and index_bg.wasm — with the pinned tools driven directly, no worker-build:
#
#   1. cargo build --lib --target wasm32-unknown-unknown --profile edge
#   2. wasm-bindgen --target module (+ the reset-state function and abort handler that let
#      a failed instance be replaced), the CLI version equal to Cargo.lock's wasm-bindgen
#   3. wasm-opt -O with the wasm features workerd supports (js/edge's npm binaryen)
#   4. esbuild (js/edge's npm esbuild) bundles js/edge/worker-shim.mjs with the glue
#
# Usage: scripts/build-edge.sh [--keep-names] [--out DIR]
#   --keep-names  keep the wasm name section (function names in profiles and stack traces;
#                 about 200 KB more), for `make profile-edge`
#   --out DIR     write there instead of crates/edge/build (replaced as a whole at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

out="crates/edge/build"
keep_names=false
while (($#)); do
  case "$1" in
    --keep-names) keep_names=true ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    *) echo "build-edge: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

bin="$root/js/edge/node_modules/.bin"
wasm_opt="${WASM_OPT_BIN:-$bin/wasm-opt}"
esbuild="${ESBUILD_BIN:-$bin/esbuild}"
bindgen="${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen || true)}"
for tool in "$wasm_opt" "$esbuild"; do
  [[ -x "$tool" ]] || { echo "build-edge: $tool is missing (make setup-edge: npm ci in js/edge)" >&2; exit 1; }
done
[[ -n "$bindgen" ]] || { echo "build-edge: wasm-bindgen is missing (make setup-edge)" >&2; exit 1; }

# The CLI must be the exact version of the wasm-bindgen crate the Worker links (the glue
# and the wasm's custom sections are one protocol).
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)"
have="$("$bindgen" --version | awk '{ print $NF }')"
if [[ "$have" != "$want" ]]; then
  echo "build-edge: wasm-bindgen CLI is $have, Cargo.lock has wasm-bindgen $want" >&2
  exit 1
fi

t0=$EPOCHREALTIME
step() { awk -v s="$1" -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "build-edge: %-30s %6.2f s\n", s, b - a }'; t0=$EPOCHREALTIME; }

# 1. The wasm. WASM_BINDGEN_USE_JS_SYS makes wasm-bindgen's macro spell async exports with
# js_sys::futures (wasm_bindgen_futures re-exports the same items); worker-build sets it, and
# cargo does not track it, so setting it the same way keeps one set of artifacts.
WASM_BINDGEN_USE_JS_SYS=1 cargo build -p httpseal-edge --lib --target wasm32-unknown-unknown --profile edge
step "cargo build (profile edge)"

stage="target/edge-build/$([[ $keep_names == true ]] && echo names || echo deploy)"
rm -rf "$stage" && mkdir -p "$stage/glue"
new="$out.new.$$"
rm -rf "$new" && mkdir -p "$new"
trap 'rm -rf "$new"' EXIT

# 2. The glue. `--target module` instantiates the wasm synchronously when the module loads
# (workerd hands a compiled WebAssembly.Module to `import`), the two flags add
# `__wbg_reset_state` and the guard that schedules it after a trap.
"$bindgen" target/wasm32-unknown-unknown/edge/httpseal_edge.wasm \
  --out-dir "$stage/glue" --out-name index --target module --no-typescript \
  --experimental-reset-state-function --force-enable-abort-handler
step "wasm-bindgen --target module"

# What the shim relies on: exactly these exported functions, and one wasm import. The glue
# imports the module with a source-phase import (`import source`); workerd and wrangler's
# bundler take the plain default import, which gives the same WebAssembly.Module.
glue="$stage/glue/index.js"
exports="$(grep -oE '^export (async )?function [A-Za-z0-9_$]+' "$glue" | awk '{ print $NF }' | sort | tr '\n' ' ')"
if [[ "$exports" != "__wbg_reset_state __worker_init_state fetch " ]]; then
  echo "build-edge: the glue exports functions '$exports'; js/edge/worker-shim.mjs expects" \
    "'__wbg_reset_state __worker_init_state fetch' (a new handler, or a changed workers-rs?)" >&2
  exit 1
fi
wasm_import='import source wasmModule from "./index_bg.wasm";'
if [[ "$(grep -cxF "$wasm_import" "$glue")" != 1 ]]; then
  echo "build-edge: the glue does not import its wasm as expected ($wasm_import)" >&2
  exit 1
fi
sed -i 's#^import source wasmModule from "./index_bg.wasm";$#import wasmModule from "./index_bg.wasm";#' "$glue"

# 3. wasm-opt. The features are listed rather than --all-features so binaryen never emits an
# encoding workerd does not run: rustc's wasm32 defaults plus exception handling (the glue's
# catch wrappers). The deployed build drops the name section and the producers section.
features=(mutable-globals sign-ext nontrapping-float-to-int bulk-memory multivalue reference-types exception-handling)
if [[ $keep_names == true ]]; then keep=(--debuginfo); else keep=(--strip-debug --strip-producers); fi
"$wasm_opt" "$stage/glue/index_bg.wasm" -o "$new/index_bg.wasm" -O "${features[@]/#/--enable-}" "${keep[@]}"
step "wasm-opt -O"

# 4. One ES module: the shim, the glue and its inline snippets. The wasm stays a separate
# module (imported by name), as do the runtime's cloudflare:* modules.
cp js/edge/worker-shim.mjs "$stage/glue/shim.mjs"
"$esbuild" "$stage/glue/shim.mjs" --bundle --format=esm --minify --log-level=warning \
  --external:./index_bg.wasm '--external:cloudflare:*' --outfile="$new/index.js"
step "esbuild (shim + glue)"

echo '*' >"$new/.gitignore"
# Replace the whole directory at once, so wrangler dev never loads half a build.
rm -rf "$out.old"
[[ -e "$out" ]] && mv "$out" "$out.old"
mv "$new" "$out"
rm -rf "$out.old"
trap - EXIT
printf 'build-edge: %s: index.js %d bytes, index_bg.wasm %d bytes\n' "$out" \
  "$(stat -c %s "$out/index.js")" "$(stat -c %s "$out/index_bg.wasm")"
