#!/usr/bin/env bash
# Load test of the edge Worker under `wrangler dev` (see js/edge/bench/load.mjs).
set -euo pipefail
cd "$(dirname "$0")/../js/edge"
exec node bench/load.mjs "$@"
