// The WebCrypto fast path on platforms that lack some of it: the package's own API
// (pkg/api.mjs) over the Node build's wasm core, with stand-ins for crypto.subtle that
// miss Ed25519, fail, or are absent. Results must equal the default API's.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, test } from "node:test";
import { PKG, httpseal } from "./load.mjs";

const { createApi } = await import(join(PKG, "api.mjs"));
const core = createRequire(import.meta.url)(join(PKG, "dist", "full", "node", "httpseal.cjs"));

const NOW = 1700000000;
const REQUEST = { method: "GET", url: "https://example.com/a?b=c", headers: [["Accept", "text/html"]] };
const OPTIONS = { profile: "rfc9421", components: ["@method", "@authority", "@path", "accept"], created: NOW };
const ALL = ["ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "rsa-pss-sha512", "rsa-v1_5-sha256", "hmac-sha256"];

const signedRequest = (headers) => ({ ...REQUEST, headers: [...REQUEST.headers, ...Object.entries(headers)] });

/**
 * crypto.subtle, recording its calls (`"sign ECDSA"`), with `refuse(name)` naming the
 * algorithms it lacks: their calls fail as they would there (NotSupportedError).
 */
function fakeSubtle(refuse = () => false) {
  const real = crypto.subtle;
  const calls = [];
  const call = (op, name, run) => {
    calls.push(`${op} ${name}`);
    if (refuse(name)) return Promise.reject(new DOMException(`${name} is not supported`, "NotSupportedError"));
    return run();
  };
  const subtle = {
    importKey: (format, key, alg, extractable, usages) => call("importKey", alg.name, () => real.importKey(format, key, alg, extractable, usages)),
    sign: (alg, key, data) => call("sign", alg.name, () => real.sign(alg, key, data)),
    verify: (alg, key, signature, data) => call("verify", alg.name, () => real.verify(alg, key, signature, data)),
  };
  return { subtle, calls };
}

const count = (calls, prefix) => calls.filter((c) => c.startsWith(prefix)).length;

describe("a platform without Ed25519 in WebCrypto", () => {
  const { subtle, calls } = fakeSubtle((name) => name === "Ed25519");
  const api = createApi(core, subtle);

  test("detects it once and serves the other algorithms", async () => {
    assert.deepEqual(await api.webCryptoAlgorithms(), ALL.filter((a) => a !== "ed25519"));
    const probes = calls.length;
    assert.deepEqual(await api.webCryptoAlgorithms(), ALL.filter((a) => a !== "ed25519"));
    assert.equal(calls.length, probes, "detection runs once per algorithm");
  });

  test("signs and verifies Ed25519 in wasm, with the same bytes as the default API", async () => {
    const jwk = httpseal.generateKeyPair();
    const before = calls.length;
    const ours = await api.signRequest(REQUEST, jwk, OPTIONS);
    assert.deepEqual(ours, await httpseal.signRequest(REQUEST, jwk, OPTIONS));
    const verdict = await api.verifyRequest(signedRequest(ours), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.deepEqual(calls.slice(before), [], "no WebCrypto call for Ed25519");
  });

  test("still uses WebCrypto for ECDSA", async () => {
    const jwk = httpseal.generateKeyPair("ecdsa-p256-sha256");
    const before = calls.length;
    const headers = await api.signRequest(REQUEST, jwk, OPTIONS);
    const verdict = await api.verifyRequest(signedRequest(headers), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.deepEqual(calls.slice(before), ["importKey ECDSA", "sign ECDSA", "importKey ECDSA", "verify ECDSA"]);
  });
});

describe("imported keys", () => {
  test("are cached by thumbprint and usage: the same key signs and verifies many times with one import each", async () => {
    const { subtle, calls } = fakeSubtle(() => false);
    const api = createApi(core, subtle);
    await api.webCryptoAlgorithms();
    const jwk = httpseal.generateKeyPair();
    const before = calls.length;
    for (let i = 0; i < 3; i++) {
      const headers = await api.signRequest(REQUEST, jwk, OPTIONS);
      // The same public key written differently (no kid, other member order) is the same key.
      const { x, crv, kty } = httpseal.publicJwk(jwk);
      const verdict = await api.verifyRequest(signedRequest(headers), { jwks: [{ x, crv, kty, kid: jwk.kid }], now: NOW });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    }
    const made = calls.slice(before);
    assert.equal(count(made, "importKey"), 2, made.join(", "));
    assert.equal(count(made, "sign"), 3);
    assert.equal(count(made, "verify"), 3);
  });

  test("are bounded: the least recently used goes first", async () => {
    const { subtle, calls } = fakeSubtle(() => false);
    const api = createApi(core, subtle);
    await api.webCryptoAlgorithms();
    const keys = Array.from({ length: 65 }, () => httpseal.generateKeyPair());
    const sign = (jwk) => api.signRequest(REQUEST, jwk, OPTIONS);
    await sign(keys[0]);
    for (const jwk of keys.slice(1, 64)) await sign(jwk); // 64 imported: full
    await sign(keys[0]); // used again: now the most recent
    const before = count(calls, "importKey");
    await sign(keys[64]); // evicts keys[1]
    await sign(keys[0]);
    assert.equal(count(calls, "importKey") - before, 1, "keys[0] stayed");
    await sign(keys[1]);
    assert.equal(count(calls, "importKey") - before, 2, "keys[1] was evicted");
  });
});

describe("WebCrypto that fails", () => {
  test("a throwing verify or sign falls back to the core, with the same results", async () => {
    const fake = fakeSubtle(() => false);
    const api = createApi(core, fake.subtle);
    await api.webCryptoAlgorithms();
    fake.subtle.sign = () => Promise.reject(new DOMException("busy", "OperationError"));
    fake.subtle.verify = () => Promise.reject(new DOMException("busy", "OperationError"));
    const jwk = httpseal.generateKeyPair();
    const headers = await api.signRequest(REQUEST, jwk, OPTIONS);
    assert.deepEqual(headers, await httpseal.signRequest(REQUEST, jwk, OPTIONS));
    const jwks = [httpseal.publicJwk(jwk)];
    assert.equal((await api.verifyRequest(signedRequest(headers), { jwks, now: NOW })).verdict, "verified");
    const tampered = { ...signedRequest(headers), headers: [["Accept", "*/*"], ...Object.entries(headers)] };
    assert.equal((await api.verifyRequest(tampered, { jwks, now: NOW })).error.code, "invalid_signature");
  });

  test("an implementation whose probe signature does not verify is not used", async () => {
    const fake = fakeSubtle(() => false);
    fake.subtle.verify = async () => false;
    const api = createApi(core, fake.subtle);
    assert.deepEqual(await api.webCryptoAlgorithms(), ["rsa-pss-sha512", "rsa-v1_5-sha256"], "RSA is detected by importing a key");
    const jwk = httpseal.generateKeyPair("ecdsa-p384-sha384");
    const headers = await api.signRequest(REQUEST, jwk, OPTIONS);
    const verdict = await api.verifyRequest(signedRequest(headers), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
  });
});

describe("no WebCrypto at all (e.g. a page served over plain HTTP)", () => {
  test("everything runs in wasm, and useWebCrypto(true) cannot turn on what is not there", async () => {
    const api = createApi(core, null);
    assert.deepEqual(await api.webCryptoAlgorithms(), []);
    api.useWebCrypto(true);
    assert.deepEqual(await api.webCryptoAlgorithms(), []);
    const jwk = httpseal.generateKeyPair("hmac-sha256");
    const headers = await api.signRequest(REQUEST, jwk, OPTIONS);
    assert.deepEqual(headers, await httpseal.signRequest(REQUEST, jwk, OPTIONS));
    const verdict = await api.verifyRequest(signedRequest(headers), { jwks: [jwk], now: NOW });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
  });
});
