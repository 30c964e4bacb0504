#!/usr/bin/env bash
# Size and start-up of the edge Worker, as Cloudflare measures them:
#   - `wrangler deploy --dry-run`: the upload size and its gzip size (limit: 3 MiB gzip on
#     the free plan; httpseal's own target: <= 250 KiB gzip with every algorithm);
#   - `wrangler check startup`: a CPU profile of the Worker's start-up (module
#     instantiation), summarised as total sampled CPU time.
# Needs a build (make build-edge). Reaches no network: both run locally.
set -euo pipefail
cd "$(dirname "$0")/.."
wrangler="$PWD/js/edge/node_modules/.bin/wrangler"
export WRANGLER_SEND_METRICS=false
out="$(mktemp -d)"
trap 'cp "$out/startup.cpuprofile" /tmp/last-startup.cpuprofile 2>/dev/null; rm -rf "$out"' EXIT

# The build is made by `make build-edge` beforehand; skip wrangler's [build] command here.
cp wrangler.toml "$out/wrangler.toml"
sed -i '/^\[build\]/,/^$/d' "$out/wrangler.toml"
sed -i "s#^main = \"#main = \"$PWD/#; s#^directory = \"./#directory = \"$PWD/#" "$out/wrangler.toml"

echo "== wrangler deploy --dry-run"
# A dry run that fails (a missing assets directory, a bad config) must not pass silently.
dry="$("$wrangler" deploy --dry-run --outdir "$out/dist" --config "$out/wrangler.toml" 2>&1)" || { echo "$dry" >&2; exit 1; }
grep -E "Total Upload" <<<"$dry" || { echo "$dry" >&2; echo "edge-size: no upload size in the dry run" >&2; exit 1; }
wasm="crates/edge/build/index_bg.wasm"
printf 'wasm module: %d bytes, gzip -9: %d bytes\n' "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"

# The start-up profile's sampling is coarse: report the window and what the busy samples were in.
summarise() {
  node -e '
    const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const idle = (n) => ["(idle)", "(program)", "(garbage collector)", "(root)"].includes(n.callFrame.functionName);
    const busy = p.samples.map((id) => byId.get(id)).filter((n) => !idle(n));
    const where = [...new Set(busy.map((n) => n.callFrame.functionName || n.callFrame.url))];
    console.log(`${process.argv[2]}: start-up profile ${((p.endTime - p.startTime) / 1000).toFixed(1)} ms window, ${p.samples.length} samples, ${busy.length} busy (${where.join(", ") || "none"})`);
  ' "$1" "$2"
}

echo "== wrangler check startup"
# From the copy's directory: check startup runs `wrangler deploy` itself, which would
# otherwise find the repository's wrangler.toml (and its [build] step) in the working directory.
(cd "$out" && "$wrangler" check startup --config "$out/wrangler.toml" --outfile "$out/startup.cpuprofile" 2>&1 | tail -3) || true
summarise "$out/startup.cpuprofile" "httpseal Worker"

# The same for the baseline: a Worker on npm web-bot-auth@0.1.3 (js/edge/bench/workers/baseline.mjs,
# what `make bench-edge-cpu` compares against), bundled by wrangler.
mkdir -p "$out/baseline"
cat > "$out/baseline/wrangler.toml" <<TOML
name = "httpseal-bench-baseline"
main = "$PWD/js/edge/bench/workers/baseline.mjs"
compatibility_date = "$(sed -n 's/^compatibility_date = "\(.*\)"/\1/p' wrangler.toml)"
TOML
base_dry="$("$wrangler" deploy --dry-run --outdir "$out/baseline/dist" --config "$out/baseline/wrangler.toml" 2>&1)" || { echo "$base_dry" >&2; exit 1; }
echo "web-bot-auth Worker: $(grep -E "Total Upload" <<<"$base_dry")"
(cd "$out/baseline" && "$wrangler" check startup --config "$out/baseline/wrangler.toml" --outfile "$out/baseline/startup.cpuprofile" 2>&1 | tail -3) || true
summarise "$out/baseline/startup.cpuprofile" "web-bot-auth Worker"
