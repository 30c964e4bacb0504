// POST /verify over the shared vectors: RFC 9421 (all 20 signature vectors, requests and
// responses), Web Bot Auth (Cloudflare's v1/v2 vectors and the protocol draft's signed
// directory response) with supplied keys and a pinned clock; and every kind of bad input.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startWorker, postVerify, json, publicJwk, ROOT } from "./helpers.mjs";

let mf;

/** A raw HTTP/1.1 message of the vectors as the JSON message shape. */
function fromRaw(raw) {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const body = rest.join("\r\n\r\n");
  const [start, ...lines] = head.split("\r\n");
  const headers = lines.map((l) => { const i = l.indexOf(":"); return [l.slice(0, i), l.slice(i + 1).trim()]; });
  const msg = { headers };
  if (start.startsWith("HTTP/")) {
    msg.status = Number(start.split(" ")[1]);
  } else {
    const [method, target] = start.split(" ");
    const host = headers.find(([n]) => n.toLowerCase() === "host")[1];
    msg.method = method;
    msg.url = target.startsWith("/") ? `https://${host}${target}` : target;
  }
  if (body) msg.body = body;
  return msg;
}

/** The RFC's keys as a public JWK Set, bound as the RFC binds them. */
function rfcKeys() {
  const dir = `${ROOT}tests/vectors/rfc9421/keys/`;
  const keys = ["test-key-rsa", "test-key-rsa-pss", "test-key-ecc-p256", "test-key-ed25519"].map((name) => {
    const jwk = publicJwk(JSON.parse(readFileSync(`${dir}${name}.jwk.json`, "utf8")));
    return name === "test-key-rsa-pss" ? { ...jwk, alg: "PS512" } : jwk;
  });
  const secret = Buffer.from(readFileSync(`${dir}test-shared-secret.b64`, "utf8").trim(), "base64");
  keys.push({ kty: "oct", kid: "test-shared-secret", k: secret.toString("base64url") });
  return { keys };
}

// Every vector runs twice: Ed25519 checked by WebCrypto (the default) and by the core's
// Rust implementation compiled to wasm; both must give the same verdicts.
for (const [variant, vars] of [["WebCrypto Ed25519", {}], ["wasm Ed25519", { ED25519_VERIFIER: "wasm" }]]) {
describe(variant, () => {
before(async () => { mf = await startWorker(vars); });
after(async () => { await mf?.dispose(); });

test("RFC 9421: every signature vector verifies, or fails as the RFC says", async () => {
  const vectors = json("rfc9421/vectors.json").vectors;
  assert.equal(vectors.length, 20);
  const jwks = rfcKeys();
  let verified = 0;
  for (const v of vectors) {
    const msg = fromRaw(v.signed_message);
    if (v.related_request) msg.request = fromRaw(v.related_request);
    const [status, verdict] = await postVerify(mf, {
      ...msg, jwks, now: 1618884480, profile: "rfc9421", policy: { label: v.label },
    });
    assert.equal(status, 200, v.name);
    assert.equal(verdict.label, v.label, v.name);
    assert.equal(verdict.signatureBase, v.signature_base, v.name);
    if (v.expected_valid) {
      assert.equal(verdict.verdict, "verified", `${v.name}: ${JSON.stringify(verdict.error)}`);
      assert.equal(verdict.alg, v.alg, v.name);
      verified++;
    } else {
      assert.equal(verdict.verdict, "invalid", v.name);
      assert.equal(verdict.error.code, "invalid_signature", v.name);
    }
  }
  assert.equal(verified, 17);
});

test("RFC 9421: a key that is not supplied leaves the message unverified", async () => {
  const v = json("rfc9421/vectors.json").vectors.find((x) => x.rfc_section === "B.2.6");
  const [, verdict] = await postVerify(mf, {
    ...fromRaw(v.signed_message), now: 1618884480, profile: "rfc9421",
    jwks: { keys: [rfcKeys().keys[2]] },
  });
  assert.equal(verdict.verdict, "unverified");
  assert.equal(verdict.error.code, "unknown_key");
});

test("ECDSA P-384, which the Worker does not compile in, is checked by WebCrypto", async () => {
  const v = json("host-keys/p384-request.json");
  const body = { ...v.request, jwks: { keys: [v.publicJwk] }, now: v.now, profile: "rfc9421" };
  const [, verdict] = await postVerify(mf, body);
  assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
  assert.equal(verdict.alg, "ecdsa-p384-sha384");
  const [, moved] = await postVerify(mf, { ...body, url: "https://example.com/q" });
  assert.equal(moved.verdict, "invalid");
  assert.equal(moved.error.code, "invalid_signature");
});

const WBA_NOW = 1735690000; // inside every vector's validity (v1 vectors expire after an hour)

function wbaRequest(v) {
  const headers = [["Signature-Input", v.signature_input], ["Signature", v.signature]];
  if (v.signature_agent) headers.push(["Signature-Agent", v.signature_agent]);
  return { method: "GET", url: v.target_url, headers };
}

test("Web Bot Auth: Cloudflare's v1 and v2 vectors verify under the web-bot-auth profile", async () => {
  const all = [...json("webbotauth/web_bot_auth_architecture_v1.json"), ...json("webbotauth/web_bot_auth_architecture_v2.json")];
  assert.equal(all.length, 8);
  for (const v of all) {
    const jwks = { keys: [publicJwk(v.key)] };
    const longLived = v.expires_ms - v.created_ms > 86_400_000;
    // The v2 vectors expire in 2124: a century-long signature the profile rightly refuses
    // by default, so the lifetime rule is lifted for them (and checked below).
    const policy = longLived ? { maxLifetime: null } : undefined;
    const [status, verdict] = await postVerify(mf, { ...wbaRequest(v), jwks, now: WBA_NOW, profile: "web-bot-auth", policy });
    assert.equal(status, 200);
    const what = `${v.label} ${v.signature_input.slice(0, 60)}`;
    assert.equal(verdict.verdict, "verified", `${what}: ${JSON.stringify(verdict.error)}`);
    assert.equal(verdict.tag, "web-bot-auth");
    assert.equal(verdict.keyid, publicJwk(v.key).kty === "OKP" ? "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U" : "oD0HwocPBSfpNy5W3bpJeyFGY_IQ_YpqxSjQ3Yd-CLA");
    assert.equal(verdict.nonce, v.nonce);
    if (longLived) {
      const [, strict] = await postVerify(mf, { ...wbaRequest(v), jwks, now: WBA_NOW, profile: "web-bot-auth" });
      assert.equal(strict.verdict, "invalid", what);
      assert.equal(strict.error.code, "lifetime_too_long", what);
    } else {
      const [, late] = await postVerify(mf, { ...wbaRequest(v), jwks, now: 1735693200 + 61, profile: "web-bot-auth" });
      assert.equal(late.error.code, "expired", what);
    }
  }
});

test("Web Bot Auth: protocol draft E.1/E.2 request vectors, and a changed authority fails", async () => {
  const doc = json("webbotauth/httpsig-protocol-vectors.json");
  const jwks = { keys: [
    publicJwk(doc.keys.ed25519_rfc9421_B14.jwk_private),
    { kty: "RSA", n: doc.keys.rsa_pss_rfc9421_B12.n, e: doc.keys.rsa_pss_rfc9421_B12.e, alg: "PS512" },
  ] };
  const requests = doc.vectors.filter((v) => v.signature_agent);
  assert.equal(requests.length, 4);
  for (const v of requests) {
    const msg = { method: "GET", url: doc.request.target_uri, headers: [
      ["Signature-Agent", v.signature_agent], ["Signature-Input", v.signature_input], ["Signature", v.signature]] };
    const body = { ...msg, jwks, now: WBA_NOW, profile: "web-bot-auth", policy: { maxLifetime: null } };
    const [, verdict] = await postVerify(mf, body);
    assert.equal(verdict.verdict, "verified", `${v.id}: ${JSON.stringify(verdict.error)}`);
    assert.equal(verdict.signatureBase, v.signature_base, v.id);
    const [, moved] = await postVerify(mf, { ...body, url: "https://other.example/path/to/resource" });
    assert.equal(moved.verdict, "invalid", v.id);
    assert.equal(moved.error.code, "invalid_signature", v.id);
  }
});

test("Web Bot Auth: the signed directory response (E.2.3) verifies; a changed body does not", async () => {
  const doc = json("webbotauth/httpsig-protocol-vectors.json");
  const v = doc.vectors.find((x) => x.id.startsWith("E.2.3"));
  const response = {
    status: 200,
    headers: [
      ["Content-Type", "application/http-message-signatures-directory+json"],
      ["Content-Digest", v.content_digest],
      ["Signature-Input", v.signature_input],
      ["Signature", v.signature],
    ],
    body: v.response_body_exact_no_trailing_newline,
    request: { method: "GET", url: "https://signature-agent.test/.well-known/http-message-signatures-directory", headers: [] },
  };
  const jwks = { keys: [publicJwk(doc.keys.ed25519_rfc9421_B14.jwk_private)] };
  // The vector signs for a century; the Worker caps lifetimes at a day unless told not to.
  const policy = { tag: "http-message-signatures-directory", maxLifetime: null };
  const [, verdict] = await postVerify(mf, { ...response, jwks, now: WBA_NOW, profile: "rfc9421", policy });
  assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
  assert.equal(verdict.signatureBase, v.signature_base);
  const [, tampered] = await postVerify(mf, { ...response, body: response.body.replace("sig", "enc"), jwks, now: WBA_NOW, profile: "rfc9421", policy });
  assert.equal(tampered.verdict, "invalid");
  assert.equal(tampered.error.code, "content_digest_mismatch");
});

test("malformed input is a 400 problem naming what is wrong, never a 5xx", async () => {
  const cases = [
    ["{", "invalid verify request"],
    ["null", "invalid verify request"],
    [{ url: "https://a.example/" }, "method"],
    [{ method: "GET" }, "url"],
    [{ method: "GET", url: "/relative" }, "absolute"],
    [{ method: "GET", url: "https://a.example/", headers: [["bad name", "x"]] }, "header name"],
    [{ method: "GET", url: "https://a.example/", headers: { a: "x\ny" } }, "line breaks"],
    [{ method: "GET", url: "https://a.example/", now: "soon" }, 'field "now" must be'],
    [{ method: "GET", url: "https://a.example/", profile: "strict" }, "unknown profile"],
    [{ method: "GET", url: "https://a.example/", jwks: "keys" }, "jwks"],
    [{ method: "GET", url: "https://a.example/", policy: { skeew: 1 } }, "skeew"],
    [{ method: "GET", url: "https://a.example/", extra: 1 }, "extra"],
    [{ method: "GET", url: "https://a.example/", body: "a", bodyBase64: "YQ==" }, "not both"],
  ];
  for (const [body, says] of cases) {
    const [status, problem, res] = await postVerify(mf, body);
    const what = JSON.stringify(body);
    assert.equal(status, 400, what);
    assert.equal(res.headers.get("content-type"), "application/problem+json", what);
    assert.equal(problem.code, "bad_request", what);
    assert.equal(problem.status, 400, what);
    assert.ok(problem.detail.includes(says), `${what}: ${problem.detail}`);
  }
});

test("/verify: method, size and encoding errors", async () => {
  const get = await mf.dispatchFetch("http://localhost/verify");
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await get.json()).code, "method_not_allowed");
  const big = await mf.dispatchFetch("http://localhost/verify", { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, "request_too_large");
  const binary = await mf.dispatchFetch("http://localhost/verify", { method: "POST", body: new Uint8Array([0xff, 0xfe, 0x00]) });
  assert.equal(binary.status, 400);
  assert.match((await binary.json()).detail, /UTF-8/);
});

test("/verify without jwks uses the Worker's TRUSTED_JWKS and its clock", async () => {
  const ed = json("webbotauth/web_bot_auth_architecture_v2.json").find((v) => v.key.kty === "OKP" && !v.signature_agent);
  const trusted = await startWorker({ ...vars, TRUSTED_JWKS: JSON.stringify({ keys: [publicJwk(ed.key)] }) });
  try {
    const [, verdict] = await postVerify(trusted, { ...wbaRequest(ed), policy: { maxLifetime: null } });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    const [, none] = await postVerify(mf, { ...wbaRequest(ed), policy: { maxLifetime: null } });
    assert.equal(none.verdict, "unverified");
    assert.equal(none.error.code, "unknown_key");
  } finally {
    await trusted.dispose();
  }
});
});
}
