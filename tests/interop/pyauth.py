#!/usr/bin/env python3
"""pyauth's http-message-signatures as an interop peer for the httpseal CLI.

    pyauth.py version
        prints the installed http-message-signatures version
    pyauth.py sign KEY.jwk METHOD URL COMPONENTS CREATED [LABEL]
        signs METHOD URL (with `Host` as Python's http.client would send it) with the
        Ed25519 private JWK in KEY.jwk, keyid = its `kid`, covering the space-separated
        COMPONENTS, created=CREATED, expires=CREATED+60; prints the request as the httpseal
        CLI's `--request` JSON plus `"pyauthBase"`, the base pyauth signed
    pyauth.py verify PUBLIC.jwk REQUEST.json
        verifies the signed REQUEST.json (as `httpseal sign --out` writes it) with the
        public JWK; prints the covered components pyauth checked, exits 1 if it fails

Only the library's public API is used to sign and verify; the base is read by recording
what the Ed25519 algorithm is asked to sign. Run by crates/cli/tests/pyauth.rs (set up by
scripts/setup-python-interop.sh); PYTHONPATH selects another installed version.
"""

import base64
import datetime
import json
import sys
import urllib.parse

import http_message_signatures as hms
from cryptography.hazmat.primitives.asymmetric import ed25519
from http_message_signatures import algorithms


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Message:
    """The request interface pyauth reads: method, url, a mutable headers mapping."""

    def __init__(self, method, url, headers):
        self.method, self.url, self.headers = method, url, headers


class Keys(hms.HTTPSignatureKeyResolver):
    def __init__(self, private=None, public=None):
        self.private, self.public = private, public

    def resolve_private_key(self, key_id):
        return self.private

    def resolve_public_key(self, key_id):
        return self.public


def version():
    try:
        from importlib.metadata import version as v

        return v("http-message-signatures")
    except Exception:  # an unpacked copy on PYTHONPATH has no metadata
        return getattr(hms, "__version__", "unknown")


def host_header(url):
    # http.client.putrequest: the port is left out of Host when it is the default one.
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def sign(key_path, method, url, components, created, label="sig1"):
    jwk = json.load(open(key_path))
    private = ed25519.Ed25519PrivateKey.from_private_bytes(b64url(jwk["d"]))
    signed_bases = []
    original = algorithms.ED25519.sign

    def recording(self, message):
        signed_bases.append(message)
        return original(self, message)

    algorithms.ED25519.sign = recording
    msg = Message(method, url, {"Host": host_header(url)})
    signer = hms.HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=Keys(private=private))
    t = datetime.datetime.fromtimestamp(int(created), tz=datetime.timezone.utc)
    signer.sign(
        msg,
        key_id=jwk["kid"],
        created=t,
        expires=t + datetime.timedelta(seconds=60),
        label=label,
        covered_component_ids=tuple(components.split()),
    )
    algorithms.ED25519.sign = original
    out = {
        "method": method,
        "url": url,
        "headers": [[n, v] for n, v in msg.headers.items()],
        "pyauthVersion": version(),
        "pyauthBase": signed_bases[-1].decode(),
    }
    print(json.dumps(out))


def verify(public_path, request_path):
    jwk = json.load(open(public_path))
    public = ed25519.Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    req = json.load(open(request_path))
    msg = Message(req["method"], req["url"], dict(req["headers"]))
    verifier = hms.HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=Keys(public=public))
    try:
        results = verifier.verify(msg)
    except Exception as e:  # pyauth raises on any failure
        print(json.dumps({"verified": False, "error": f"{type(e).__name__}: {e}"}))
        sys.exit(1)
    print(json.dumps({"verified": True, "covered": [str(list(r.covered_components)) for r in results]}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "version":
        print(version())
    elif command == "sign":
        sign(*args)
    elif command == "verify":
        verify(*args)
    else:
        sys.exit(f"unknown command {command}")
