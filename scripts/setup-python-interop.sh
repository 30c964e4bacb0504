#!/usr/bin/env bash
# Idempotent: installs pyauth's http-message-signatures for the CLI interop test
# (crates/cli/tests/pyauth.rs, driven by tests/interop/pyauth.py):
#   - the current release, with pip --user (plain pip inside a virtualenv);
#   - 2.0.1, the last release that kept a default port in @authority, unpacked under
#     target/interop-python/ (pip --target, no dependencies: it needs only `cryptography`,
#     which the current release pulls in). The test puts it on PYTHONPATH to show that
#     deviation from RFC 9421 §2.2.3.
set -euo pipefail
CURRENT=3.0.0
OLD=2.0.1
root="$(cd "$(dirname "$0")/.." && pwd)"
old_dir="${HTTPSEAL_PYAUTH_OLD:-$root/target/interop-python/http-message-signatures-$OLD}"

if ! command -v python3 >/dev/null; then
  echo "setup-python-interop: python3 not found; the pyauth interop test needs it" >&2
  exit 1
fi
installed() { # $1: version; $2: PYTHONPATH
  PYTHONPATH="${2:-}" python3 - "$1" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(version("http-message-signatures") != sys.argv[1])
PY
}
if ! installed "$CURRENT"; then
  user=--user
  if python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then user=; fi
  python3 -m pip install $user --quiet --disable-pip-version-check "http-message-signatures==$CURRENT"
fi
if ! installed "$OLD" "$old_dir"; then
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --upgrade \
    --target "$old_dir" "http-message-signatures==$OLD"
fi
echo "setup-python-interop: http-message-signatures $CURRENT (pip), $OLD ($old_dir)"
