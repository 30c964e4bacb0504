#!/usr/bin/env bash
# Runs one cargo-fuzz target for a number of seconds, single job, at low priority.
#   scripts/fuzz-run.sh <target> <seconds>
# The committed seeds (fuzz/seeds/<target>/) are copied into the working corpus
# (fuzz/corpus/<target>/, not committed), which libFuzzer then grows. A crash leaves its
# reproducer in fuzz/artifacts/<target>/; copy it to fuzz/regressions/<target>/ with the
# fix so that `make test` replays it.
set -euo pipefail
target=$1
seconds=$2
cd "$(dirname "$0")/../fuzz"
mkdir -p "corpus/$target" logs
cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
dict=()
if [ -f "dict/$target.dict" ]; then dict=("-dict=dict/$target.dict"); fi
log="logs/$target-$(date +%Y%m%d-%H%M%S).log"
echo "fuzz $target for ${seconds}s (log: fuzz/$log)"
nice -n 10 cargo +nightly fuzz run --jobs 1 "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  "${dict[@]}" 2>&1 | tee "$log" | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done |==[0-9]+== ERROR|SUMMARY|stat::)' || true
status=${PIPESTATUS[0]}
exit "$status"
