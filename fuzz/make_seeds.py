#!/usr/bin/env python3
"""Writes the fuzz seed corpus, fuzz/seeds/<target>/<name>, from tests/vectors/.

The seeds are committed; run this again only when the vectors change. `make fuzz` copies
them into fuzz/corpus/<target>/ (ignored by git), where libFuzzer grows its own corpus.
"""
import base64
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
VEC = ROOT / "tests" / "vectors"
OUT = ROOT / "fuzz" / "seeds"


def load(path):
    return json.loads((VEC / path).read_text())


def slug(name):
    return re.sub(r"[^A-Za-z0-9.]+", "_", name).strip("_")


seeds = {}


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    seeds.setdefault(target, {})[slug(name)] = data


rfc = load("rfc9421/vectors.json")
wba = load("webbotauth/httpsig-protocol-vectors.json")

# signatures: every RFC 9421 signed message (with its related request after a NUL byte).
for v in rfc["vectors"]:
    msg = v["signed_message"].encode()
    if v.get("related_request"):
        msg += b"\0" + v["related_request"].encode()
    put("signatures", v["name"], msg)
    put("params", v["name"], v["signature_input_value"])

# signatures: the Web Bot Auth requests.
req = wba["request"]
for v in wba["vectors"]:
    if "request" in v:  # the signed directory response, with its request
        body = v["response_body_exact_no_trailing_newline"]
        raw = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/http-message-signatures-directory+json\r\n"
            f"Content-Digest: {v['content_digest']}\r\nSignature-Input: {v['signature_input']}\r\n"
            f"Signature: {v['signature']}\r\n\r\n{body}\0{v['request']}"
        )
        put("signatures", v["id"], raw)
        put("jwk", v["id"] + "_directory", body)
        continue
    raw = (
        f"GET {req['target_uri'].split(req['authority'], 1)[1]} HTTP/1.1\r\nHost: {req['authority']}\r\n"
        f"Signature-Agent: {v['signature_agent']}\r\nSignature-Input: {v['signature_input']}\r\n"
        f"Signature: {v['signature']}\r\n\r\n"
    )
    put("signatures", v["id"], raw)
    put("params", v["id"], v["signature_input"].split("=", 1)[1])

# signatures: each §2 component example, covered by a Signature-Input naming its lines.
for name, ex in rfc["component_examples"].items():
    if not isinstance(ex, dict):  # the §4 / §5 field examples: their member values
        put("params", name, ex.split("=", 1)[1])
        continue
    lines = ex.get("expected_lines") or []
    if "expected_line_bs_multi" in ex:
        lines = lines + [ex["expected_line_bs_multi"]]
    ids = []
    for line in lines:
        ident = line[: line.index(": ")] if ": " in line else line
        ids.append(ident)
        put("params", name + "_" + ident, ident)
    if not ids:
        continue
    sig = f'Signature-Input: sig1=({" ".join(ids)});created=1735689600;keyid="test-shared-secret"\r\nSignature: sig1=:AAAA:\r\n'
    if "message" in ex:
        msg = (ex["message"] or "GET /path HTTP/1.1\nHost: example.com").replace("\n", "\r\n")
        head, sep, rest = msg.partition("\r\n\r\n")
        raw = head + "\r\n" + sig + "\r\n" + rest if sep else msg + "\r\n" + sig
        put("signatures", name, raw)
        if "@query-param" in name or "@query" in name:
            target = msg.split(" ")[1]
            if "?" in target:
                put("query", name, target.split("?", 1)[1])
    else:
        frag = ex.get("message_fragment") or ex.get("message_fragment_multi")
        frag = frag.replace("\n", "\r\n")
        put("signatures", name, f"GET /foo HTTP/1.1\r\nHost: example.com\r\n{frag}\r\n{sig}\r\n")

# query: the §2.2.8 pieces one by one.
for piece in ["this%20is%20a%20big%0Amultiline%20value", "with+plus+whitespace", "fa%C3%A7ade%22%3A%20", "a%zz%4", "%FF"]:
    put("query", piece, piece)

# jwk: the RFC's key files as JWK, the thumbprint vectors, a set with all of them.
jwks = []
for p in sorted((VEC / "rfc9421" / "keys").glob("*.jwk.json")):
    text = p.read_text()
    put("jwk", p.name, text)
    jwks.append(json.loads(text))
put("jwk", "set_of_rfc_keys", json.dumps({"keys": jwks}))
for name, t in wba["jwk_thumbprints"].items():
    if "jwk" in t:
        put("jwk", "thumbprint_" + name, json.dumps(t["jwk"]))
put("jwk", "private_ed25519", json.dumps(wba["keys"]["ed25519_rfc9421_B14"]["jwk_private"]))

# keyfile: PEM files as printed and their DER bodies.
for p in sorted((VEC / "rfc9421" / "keys").glob("*.pem")):
    text = p.read_text()
    put("keyfile", p.name, text)
    body = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
    put("keyfile", p.name.replace(".pem", ".der"), base64.b64decode(body))

# content_digest: RFC 9530 examples and the RFC 9421 message digests, value NUL body.
for v in load("rfc9421/rfc9530-vectors.json")["vectors"]:
    if v.get("field") == "Content-Digest" and "input_bytes_b64" in v:
        put("content_digest", v["name"], v["field_value"].encode() + b"\0" + base64.b64decode(v["input_bytes_b64"]))
for name, c in rfc["content_digest_checks"].items():
    put("content_digest", name, c["expected"].encode() + b"\0" + c["body"].encode())

# verify_json: the POST /verify shape, for the Web Bot Auth vectors and B.2.6.
key = wba["keys"]["ed25519_rfc9421_B14"]["jwk_private"]
public = {k: key[k] for k in ("kty", "crv", "x")}
for v in wba["vectors"][2:4]:
    doc = {
        "method": "GET",
        "url": req["target_uri"],
        "headers": [["Signature-Agent", v["signature_agent"]], ["Signature-Input", v["signature_input"]], ["Signature", v["signature"]]],
        "jwks": {"keys": [public]},
        "now": 1735689600,
        "profile": "web-bot-auth",
    }
    put("verify_json", v["id"], json.dumps(doc))
b26 = next(v for v in rfc["vectors"] if v["rfc_section"] == "B.2.6")
fields = b26["message_parsed"]["fields"]
doc = {
    "method": "POST",
    "url": "https://example.com/foo?param=Value&Pet=dog",
    "headers": {k: v for k, v in fields} | {"Signature-Input": b26["signature_input"], "Signature": b26["signature"]},
    "body": b26["message_parsed"]["body"],
    "jwks": [dict(public, kid="test-key-ed25519")],
    "now": 1618884473,
    "policy": {"requiredComponents": ["@method", ["@authority", "@target-uri"]], "maxAge": None, "skew": 30},
}
put("verify_json", "B.2.6", json.dumps(doc))
doc = {
    "status": 200,
    "headers": [["Content-Digest", wba["vectors"][4]["content_digest"]], ["Signature-Input", wba["vectors"][4]["signature_input"]], ["Signature", wba["vectors"][4]["signature"]]],
    "body": wba["vectors"][4]["response_body_exact_no_trailing_newline"],
    "request": {"method": "GET", "url": "https://signature-agent.test/.well-known/http-message-signatures-directory", "headers": {}},
    "now": 1735689600,
}
put("verify_json", "E.2.3_response", json.dumps(doc))

# Signing helpers for seeds that must verify (RFC 9421 B.1.4 Ed25519 key).
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

B14 = wba["keys"]["ed25519_rfc9421_B14"]["jwk_private"]
SK = Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(B14["d"] + "="))
THUMB = wba["keys"]["ed25519_rfc9421_B14"]["jwk_thumbprint_sha256_b64url"]
NOW = 1735689600


def signed_request(lines, components, params, label="sig1", extra=()):
    """A GET request for https://example.com/ with `lines` (name, value) and a signature
    over `components` (name, component id, value) with `params` (the text after `)`)."""
    base = "".join(f"{cid}: {value}\n" for cid, value in components)
    sp = "(" + " ".join(cid for cid, _ in components) + ")" + params
    base += f'"@signature-params": {sp}'
    sig = base64.b64encode(SK.sign(base.encode())).decode()
    head = "GET / HTTP/1.1\r\nHost: example.com\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in list(lines) + list(extra))
    head += f"Signature-Input: {label}={sp}\r\nSignature: {label}=:{sig}:\r\n\r\n"
    return head


# web_bot_auth: the Web Bot Auth requests, with the signed directory after a NUL byte;
# one freshly signed request within the profile's 24 h lifetime; Signature-Agent forms.
directory = wba["vectors"][4]["response_body_exact_no_trailing_newline"]
for v in wba["vectors"][:4]:
    raw = (
        f"GET /path/to/resource HTTP/1.1\r\nHost: example.com\r\n"
        f"Signature-Agent: {v['signature_agent']}\r\nSignature-Input: {v['signature_input']}\r\n"
        f"Signature: {v['signature']}\r\n\r\n"
    )
    put("web_bot_auth", v["id"], raw + "\0" + directory)
agent = 'agent2="https://signature-agent.test"'
params = f';created={NOW};keyid="{THUMB}";alg="ed25519";expires={NOW + 3600};nonce="bm9uY2U=";tag="web-bot-auth"'
put("web_bot_auth", "fresh_ed25519_dictionary", signed_request(
    [("Signature-Agent", agent)],
    [('"@authority"', "example.com"), ('"signature-agent";key="agent2"', '"https://signature-agent.test"')],
    params, label="agent2") + "\0" + directory)
for case in load("webbotauth/web_bot_auth_signature_agent_v1.json"):
    raw = f"GET / HTTP/1.1\r\nHost: example.com\r\nSignature-Agent: {case['header']}\r\n"
    raw += f'Signature-Input: sig1=("@authority" "signature-agent";key="sig1");created={NOW};expires={NOW + 60};keyid="{THUMB}";tag="web-bot-auth"\r\nSignature: sig1=:AAAA:\r\n\r\n'
    put("web_bot_auth", "agent_" + case["name"], raw + "\0" + directory)

# signature_key: a verifying hwk request, and the other schemes with their documents.
hwk = f'sig1=hwk;kty="OKP";crv="Ed25519";x="{B14["x"]}";alg="Ed25519"'
put("signature_key", "hwk_ed25519", signed_request(
    [("Signature-Key", hwk)],
    [('"@method"', "GET"), ('"@authority"', "example.com"), ('"signature-key"', hwk)],
    f";created={NOW}"))
public_set = json.dumps({"keys": [dict(kty="OKP", crv="Ed25519", x=B14["x"], kid="key-1", alg="EdDSA")]})
jwks = 'sig1=jwks;url="https://client.example/keys.jwks";kid="key-1"'
put("signature_key", "jwks", signed_request(
    [("Signature-Key", jwks)],
    [('"@authority"', "example.com"), ('"signature-key"', jwks)],
    f";created={NOW}") + "\0" + public_set)
jwks_uri = 'sig1=jwks_uri;id="https://client.example";dwk="example-configuration";kid="key-1"'
meta = json.dumps({"issuer": "https://client.example", "jwks_uri": "https://client.example/keys.jwks"})
put("signature_key", "jwks_uri", signed_request(
    [("Signature-Key", jwks_uri)],
    [('"@authority"', "example.com"), ('"signature-key"', jwks_uri)],
    f";created={NOW}") + "\0" + meta + "\0" + public_set)
for name, scheme in load("webbotauth/signature-key-cases.json")["schemes"].items():
    for i, example in enumerate(scheme.get("examples") or [scheme.get("example")]):
        if example:
            put("signature_key", f"{name}_{i}", f"GET / HTTP/1.1\r\nHost: example.com\r\nSignature-Key: {example}\r\nSignature-Input: sig=(\"@authority\" \"signature-key\");created={NOW}\r\nSignature: sig=:AAAA:\r\n\r\n")

# accept_signature: the RFC 9421 §5.1 example and a two-member request.
put("accept_signature", "5.1", rfc["component_examples"]["5.1 Accept-Signature example"].split(": ", 1)[1])
put("accept_signature", "two", 'sig1=("@method" "@authority");created;keyid="k";tag="t", proxy=("signature-agent";key="a");alg="ed25519"')

if OUT.exists():
    shutil.rmtree(OUT)
for target, files in sorted(seeds.items()):
    d = OUT / target
    d.mkdir(parents=True)
    for name, data in sorted(files.items()):
        (d / name).write_bytes(data)
    print(f"{target}: {len(files)} seeds, {sum(map(len, files.values()))} bytes")
