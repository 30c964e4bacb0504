#!/usr/bin/env bash
# Issue 10's side-by-side table in one command (make bench-compare): every benchmark that
# compares httpseal with its peers and floors, one after the other on this machine, into
# build/bench-compare.md (and the terminal). Each section is its own script's output, with
# the command that made it; ratios are computed inside each run, never across sections.
# Takes about 15 minutes. Needs valgrind and wrk (Debian packages; wrk is installed by
# make bench-edge-cpu's recipe when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench-compare.md
mkdir -p build
section() {
  local title="$1"; shift
  printf '\n## %s\n\n`%s`\n\n' "$title" "$*"
  "$@" 2>&1
}
{
  printf '# httpseal side by side (%s, %s, load %s)\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  section "Node: sign and verify (npm package)" node js/bench/bench.mjs
  section "Node: cold start (a fresh process imports and signs once)" node js/bench/coldstart.mjs
  section "Chromium: sign and verify (npm web build)" node js/bench/browser.mjs
  section "Worker: workerd CPU per verified request" bash -c "cd js/edge && node bench/cpu.mjs 8 16 3"
  section "Worker: size and start-up" scripts/edge-size.sh
  section "Native: instructions per call (callgrind)" scripts/bench-instructions.sh
  section "Native: cost as work grows" cargo bench -p httpseal-bench --bench scaling
} | tee "$out"
echo "bench-compare: written to $out"
