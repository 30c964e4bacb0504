#!/usr/bin/env bash
# Instruction counts per call for each benchmark case (benches/instructions.rs), with
# callgrind: (count at N=110 - count at N=10) / 100, so setup cancels out. Repeatable to the
# instruction on any machine with the same toolchain and CPU features, unlike wall time.
#   scripts/bench-instructions.sh [case ...]
# httpseal runs on the build's Ed25519 backend: ed25519-dalek with default features; for
# ed25519-compact, BENCH_FEATURES="--no-default-features --features ed25519,pem,json-paths".
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
# shellcheck disable=SC2086
exe=$(cargo bench -p httpseal-bench ${BENCH_FEATURES:-} --bench instructions --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="instructions" and m.get("executable"): print(m["executable"])')
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(floor floor_dalek key_verify parse_base parse_base_policy httpseal web_bot_auth
         floor_httpsig_order floor_dalek_httpsig_order httpseal_httpsig_order
         web_bot_auth_httpsig_order httpsig_httpsig_order sign_floor sign_floor_dalek sign_httpseal)
fi
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
echo "httpseal's Ed25519 backend: $("$exe" | sed -n 's/.*(httpseal on \(.*\)).*/\1/p')"
printf '%-28s %14s\n' case instructions/call
for c in "${cases[@]}"; do
  lo=$(count "$c" 10)
  hi=$(count "$c" 110)
  printf '%-28s %14d\n' "$c" $(( (hi - lo) / 100 ))
done
