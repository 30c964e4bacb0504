#!/usr/bin/env bash
# Size and start-up of the edge Worker, as Cloudflare measures them:
#   - `wrangler deploy --dry-run`: the upload size and its gzip size (limit: 3 MiB gzip on
#     the free plan; httpseal's own target: <= 250 KiB gzip with every algorithm);
#   - `wrangler check startup`: a CPU profile of the Worker's start-up (module
#     instantiation), summarised as total sampled CPU time.
# Needs a build (make build-edge). Reaches no network: both run locally.
set -euo pipefail
cd "$(dirname "$0")/.."
wrangler="js/edge/node_modules/.bin/wrangler"
export WRANGLER_SEND_METRICS=false
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The build is made by `make build-edge` beforehand; skip wrangler's [build] command here.
cp wrangler.toml "$out/wrangler.toml"
sed -i '/^\[build\]/,/^$/d' "$out/wrangler.toml"
sed -i "s#^main = \"#main = \"$PWD/#; s#^directory = \"./public\"#directory = \"$PWD/public\"#" "$out/wrangler.toml"

echo "== wrangler deploy --dry-run"
"$wrangler" deploy --dry-run --outdir "$out/dist" --config "$out/wrangler.toml" 2>&1 | grep -E "Total Upload|gzip" || true
wasm="build/index_bg.wasm"
printf 'wasm module: %d bytes, gzip -9: %d bytes\n' "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"

echo "== wrangler check startup"
"$wrangler" check startup --config "$out/wrangler.toml" --outfile "$out/startup.cpuprofile" 2>&1 | tail -3 || true
node -e '
  const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const total = (p.endTime - p.startTime) / 1000;
  const idle = new Set(p.nodes.filter((n) => ["(idle)", "(program)", "(garbage collector)"].includes(n.callFrame.functionName)).map((n) => n.id));
  let busy = 0;
  p.samples.forEach((id, i) => { if (!idle.has(id)) busy += p.timeDeltas[i] || 0; });
  console.log(`start-up profile: ${total.toFixed(1)} ms wall, ${(busy / 1000).toFixed(1)} ms sampled CPU in ${p.samples.length} samples`);
' "$out/startup.cpuprofile"
