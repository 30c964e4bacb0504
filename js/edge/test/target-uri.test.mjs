// @target-uri is the target URI as received; only @authority is normalised (RFC 9421
// §2.2.2 vs §2.2.3). A signer that keeps the default port in the URL — pyauth's
// http-message-signatures signs `str(url)` — signed `https://shop.example:443/…`, and the
// Worker must rebuild the same value from the request it received (the Host field), not
// from the platform's normalised `request.url`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, sign } from "node:crypto";
import { ED25519_PRIVATE, ED25519_THUMBPRINT, ED25519_PUBLIC, startEchoOrigin, startWorker, postVerify } from "./helpers.mjs";

/** Signs `base` lines the way a signer that keeps the URL as given does. */
function signedHeaders(targetUri, created) {
  const params = `("@target-uri");created=${created};expires=${created + 60};keyid="${ED25519_THUMBPRINT}";tag="web-bot-auth"`;
  const base = `"@target-uri": ${targetUri}\n"@signature-params": ${params}`;
  const key = createPrivateKey({ key: ED25519_PRIVATE, format: "jwk" });
  const signature = sign(null, Buffer.from(base), key).toString("base64");
  return { "signature-input": `sig1=${params}`, signature: `sig1=:${signature}:` };
}

const trusted = JSON.stringify({ keys: [ED25519_PUBLIC] });

test("a signature over a target URI that kept :443 verifies through /verify and through the gateway", async () => {
  const created = Math.floor(Date.now() / 1000);
  const headers = signedHeaders("https://shop.example:443/items?x=1", created);
  const echo = await startEchoOrigin();
  const mf = await startWorker({ MODE: "annotate", UPSTREAM_ORIGIN: echo.url, TRUSTED_JWKS: trusted });
  try {
    // The JSON contract keeps the URL as given.
    const [status, v] = await postVerify(mf, { method: "GET", url: "https://shop.example:443/items?x=1", headers });
    assert.equal(status, 200);
    assert.equal(v.verdict, "verified", JSON.stringify(v.error));
    assert.match(v.signatureBase, /^"@target-uri": https:\/\/shop\.example:443\/items\?x=1\n/);
    // The same URL without the port is another target URI: the signature does not cover it.
    const [, other] = await postVerify(mf, { method: "GET", url: "https://shop.example/items?x=1", headers });
    assert.equal(other.verdict, "invalid");
    assert.equal(other.error.code, "invalid_signature");
    // The gateway rebuilds the target from the Host field the client sent
    // (crates/edge/src/target.rs, unit-tested natively): Miniflare's dispatchFetch puts its
    // own listener address in Host, so here the gateway sees the URL without the port, and
    // the signature over `:443` does not verify — exactly what a verifier that rebuilt the
    // target from `request.url` would answer.
    const res = await mf.dispatchFetch("https://shop.example/items?x=1", { headers });
    const seen = await res.json();
    assert.match(seen.headers["httpseal-verdict"], /^invalid;.*error="invalid_signature"/);
  } finally {
    await mf.dispose();
    echo.close();
  }
});
