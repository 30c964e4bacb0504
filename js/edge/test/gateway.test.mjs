// The gateway under workerd: annotate (fail-open, forged verdict headers stripped), enforce
// (401 with a challenge, 403, 429 for a replayed nonce), forwarding to a local origin, and
// the nonce KV. Requests are signed by npm web-bot-auth, keys are given in TRUSTED_JWKS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startWorker, startEchoOrigin, signRequest, ED25519_PUBLIC, ED25519_THUMBPRINT,
} from "./helpers.mjs";

let origin;
before(async () => { origin = await startEchoOrigin(); });
after(() => origin?.close());

async function worker(vars) {
  return startWorker({ UPSTREAM_ORIGIN: origin.url, TRUSTED_JWKS: JSON.stringify({ keys: [ED25519_PUBLIC] }), ...vars });
}

/** Parses `token;a="b";c="d"` (the verdict header) into {verdict, params}. */
function parseVerdict(value) {
  const [verdict, ...rest] = value.split(";");
  const params = Object.fromEntries(rest.map((p) => { const i = p.indexOf("="); return [p.slice(0, i), JSON.parse(p.slice(i + 1))]; }));
  return { verdict, params };
}

test("annotate: a signed request reaches the origin with a verified verdict; a forged one is replaced", async () => {
  const mf = await worker({ MODE: "annotate" });
  try {
    const url = "https://shop.example/items?id=7";
    const headers = await signRequest(url, { headers: { "HTTPSeal-Verdict": "verified;keyid=\"forged\"" } });
    const res = await mf.dispatchFetch(url, { headers });
    assert.equal(res.status, 200);
    const seen = await res.json();
    assert.equal(seen.url, "/items?id=7", "path and query are kept");
    assert.equal(seen.headers["x-forwarded-host"], "shop.example");
    const { verdict, params } = parseVerdict(seen.headers["httpseal-verdict"]);
    assert.equal(verdict, "verified");
    assert.equal(params.keyid, ED25519_THUMBPRINT);
    assert.equal(params.alg, "ed25519");
    assert.equal(params.tag, "web-bot-auth");
    assert.ok(seen.headers["signature-input"], "signature fields are forwarded untouched");
  } finally {
    await mf.dispose();
  }
});

test("annotate: unsigned and invalid requests are forwarded (fail-open) with their verdict", async () => {
  const mf = await worker({ MODE: "annotate", VERDICT_HEADER: "X-Agent-Verdict" });
  try {
    const forged = await mf.dispatchFetch("https://shop.example/", { headers: { "x-agent-verdict": "verified", "X-AGENT-VERDICT": "verified" } });
    const seen = await forged.json();
    assert.equal(seen.headers["x-agent-verdict"], 'unverified;error="no_signature"');
    assert.equal(seen.headers["httpseal-verdict"], undefined, "only the configured header is set");

    const headers = await signRequest("https://shop.example/");
    const wrongHost = await (await mf.dispatchFetch("https://elsewhere.example/", { headers })).json();
    assert.equal(wrongHost.headers["x-agent-verdict"], 'invalid;label="sig1";keyid="' + ED25519_THUMBPRINT + '";alg="ed25519";tag="web-bot-auth";identifier="' + ED25519_THUMBPRINT + '";error="invalid_signature"');
  } finally {
    await mf.dispose();
  }
});

test("enforce: 401 with an Accept-Signature challenge, 403 for invalid, 200 for verified", async () => {
  const mf = await worker({ MODE: "enforce" });
  try {
    const unsigned = await mf.dispatchFetch("https://shop.example/");
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers.get("content-type"), "application/problem+json");
    assert.equal(unsigned.headers.get("accept-signature"), 'sig1=("@authority");created;expires;tag="web-bot-auth"');
    const p401 = await unsigned.json();
    assert.equal(p401.code, "no_signature");
    assert.equal(p401.status, 401);
    assert.equal(p401.title, "Unauthorized");

    const url = "https://shop.example/checkout";
    const good = await mf.dispatchFetch(url, { headers: await signRequest(url) });
    assert.equal(good.status, 200);
    assert.match((await good.json()).headers["httpseal-verdict"], /^verified;/);

    const tampered = await mf.dispatchFetch("https://evil.example/checkout", { headers: await signRequest(url) });
    assert.equal(tampered.status, 403);
    assert.equal(tampered.headers.get("accept-signature"), null);
    assert.equal((await tampered.json()).code, "invalid_signature");

    const now = Math.floor(Date.now() / 1000);
    const expired = await mf.dispatchFetch(url, { headers: await signRequest(url, { created: now - 600, expires: now - 300 }) });
    assert.equal(expired.status, 403);
    assert.equal((await expired.json()).code, "expired");

    const tooLong = await mf.dispatchFetch(url, { headers: await signRequest(url, { expires: now + 2 * 86400 }) });
    assert.equal(tooLong.status, 403);
    assert.equal((await tooLong.json()).code, "lifetime_too_long");

    const other = await mf.dispatchFetch(url, { headers: await signRequest(url, { jwk: {
      kty: "OKP", crv: "Ed25519", d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" } }) });
    assert.equal(other.status, 401, "a key the Worker does not know is unverified, not invalid");
    assert.equal((await other.json()).code, "unknown_key");
  } finally {
    await mf.dispose();
  }
});

test("enforce: a replayed nonce is 429, and the nonce is kept in KV until the signature expires", async () => {
  const mf = await worker({ MODE: "enforce" });
  try {
    const url = "https://shop.example/api";
    const now = Math.floor(Date.now() / 1000);
    const headers = await signRequest(url, { expires: now + 300 });
    const first = await mf.dispatchFetch(url, { headers });
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    const again = await mf.dispatchFetch(url, { headers });
    assert.equal(again.status, 429);
    const problem = await again.json();
    assert.equal(problem.code, "nonce_replayed");
    assert.equal(problem.title, "Too Many Requests");

    const kv = await mf.getKVNamespace("NONCES");
    const { keys } = await kv.list({ prefix: "nonce:" });
    assert.equal(keys.length, 1);
    const ttl = keys[0].expiration - now;
    assert.ok(ttl >= 300 && ttl <= 300 + 60 + 5, `nonce kept ${ttl} s: until expires + skew`);

    const fresh = await mf.dispatchFetch(url, { headers: await signRequest(url) });
    assert.equal(fresh.status, 200, "a new nonce passes");
    await fresh.arrayBuffer();
  } finally {
    await mf.dispose();
  }
});

test("enforce with the NONCE_LEDGER Durable Object: strict replay protection, KV not used", async () => {
  const mf = await startWorker(
    { UPSTREAM_ORIGIN: origin.url, TRUSTED_JWKS: JSON.stringify({ keys: [ED25519_PUBLIC] }), MODE: "enforce" },
    { durableObjects: { NONCE_LEDGER: "NonceLedger" } },
  );
  try {
    const url = "https://shop.example/api";
    const headers = await signRequest(url);
    // Eight copies of one signed request at once: exactly one passes.
    const answers = await Promise.all(Array.from({ length: 8 }, () => mf.dispatchFetch(url, { headers })));
    const statuses = answers.map((r) => r.status).sort();
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    assert.deepEqual(statuses, [200, 429, 429, 429, 429, 429, 429, 429]);
    const again = await mf.dispatchFetch(url, { headers });
    assert.equal(again.status, 429);
    assert.equal((await again.json()).code, "nonce_replayed");
    const fresh = await mf.dispatchFetch(url, { headers: await signRequest(url) });
    assert.equal(fresh.status, 200, "a new nonce passes");
    await fresh.arrayBuffer();
    const kv = await mf.getKVNamespace("NONCES");
    assert.equal((await kv.list({ prefix: "nonce:" })).keys.length, 0, "the Durable Object decides; KV is not used");
  } finally {
    await mf.dispose();
  }
});

test("annotate: a replayed nonce is forwarded marked invalid", async () => {
  const mf = await worker({ MODE: "annotate" });
  try {
    const url = "https://shop.example/";
    const headers = await signRequest(url);
    await (await mf.dispatchFetch(url, { headers })).arrayBuffer();
    const seen = await (await mf.dispatchFetch(url, { headers })).json();
    assert.match(seen.headers["httpseal-verdict"], /^invalid;.*error="nonce_replayed";rule="nonce"$/);
  } finally {
    await mf.dispose();
  }
});

test("bodies: forwarded intact, and checked against a covered Content-Digest", async () => {
  // A small limit keeps the over-limit bodies small: workerd closes the connection on a
  // large upload it answers before reading, which fetch() reports as a network error.
  const mf = await worker({ MODE: "enforce", PROFILE: "rfc9421", MAX_CHECKED_BODY_BYTES: "1024" });
  try {
    const url = "https://shop.example/orders";
    const body = JSON.stringify({ hello: "world" });
    const digest = "sha-256=:" + Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body))).toString("base64") + ":";
    const { signatureHeaders } = await import("web-bot-auth");
    const { Ed25519Signer } = await import("web-bot-auth/crypto");
    const { ED25519_PRIVATE } = await import("./helpers.mjs");
    const signer = await Ed25519Signer.fromJWK(ED25519_PRIVATE);
    const now = Math.floor(Date.now() / 1000);
    const sign = async (d) => {
      const req = new Request(url, { method: "POST", headers: { "content-digest": d, "content-type": "application/json" } });
      const h = await signatureHeaders(req, signer, {
        created: new Date(now * 1000), expires: new Date((now + 60) * 1000),
        components: ["@method", "@authority", "@path", "content-digest"],
      });
      return { "content-digest": d, "content-type": "application/json", signature: h.Signature, "signature-input": h["Signature-Input"] };
    };
    const ok = await mf.dispatchFetch(url, { method: "POST", headers: await sign(digest), body });
    assert.equal(ok.status, 200);
    const seen = await ok.json();
    assert.equal(seen.body, body, "the origin receives the body the gateway checked");
    assert.match(seen.headers["httpseal-verdict"], /^verified;/);

    const swapped = await mf.dispatchFetch(url, { method: "POST", headers: await sign(digest), body: '{"hello":"mallory"}' });
    assert.equal(swapped.status, 403);
    assert.equal((await swapped.json()).code, "content_digest_mismatch");

    const big = "x".repeat(1025);
    const large = await mf.dispatchFetch(url, { method: "POST", headers: await sign(digest), body: big });
    assert.equal(large.status, 403);
    const p = await large.json();
    assert.equal(p.code, "limit_exceeded");
    assert.match(p.detail, /MAX_CHECKED_BODY_BYTES/);
    const chunked = await mf.dispatchFetch(url, { method: "POST", headers: await sign(digest), duplex: "half",
      body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }) });
    assert.equal(chunked.status, 403, "a body without Content-Length is read only up to the limit");
    assert.equal((await chunked.json()).code, "limit_exceeded");

    const unsignedBig = await mf.dispatchFetch(url, { method: "POST", body: big });
    assert.equal(unsignedBig.status, 401, "unsigned bodies are never read");
    assert.equal((await unsignedBig.json()).code, "no_signature");
  } finally {
    await mf.dispose();
  }
});
