// The node:crypto primitive (js/src/nodecrypto.js): which calls it makes, that keys are
// imported once, and that a failing or absent node:crypto falls back to the core with the
// same headers and verdicts. The shared cases (api.test.mjs, mode "node:crypto") prove the
// verdicts on every vector; these prove the path.

import assert from "node:assert/strict";
import * as realCrypto from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, test } from "node:test";
import { PKG, httpseal } from "./load.mjs";

const { createApi } = await import(join(PKG, "api.mjs"));
const core = createRequire(import.meta.url)(join(PKG, "dist", "full", "node", "httpseal.cjs"));

const NOW = 1700000000;
const REQUEST = { method: "GET", url: "https://example.com/a?b=c", headers: [["Accept", "text/html"]] };
const OPTIONS = { profile: "rfc9421", components: ["@method", "@authority", "@path", "accept"], created: NOW };
const GENERATED = ["ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "hmac-sha256"];

const signed = (headers) => ({ ...REQUEST, headers: [...REQUEST.headers, ...Object.entries(headers)] });

/** node:crypto, recording its calls by name; `fail(name)` makes that call throw. */
function fakeNodeCrypto(fail = () => false) {
  const calls = [];
  const wrap = (name) => (...args) => {
    calls.push(name);
    if (fail(name)) throw new Error(`${name} failed`);
    return realCrypto[name](...args);
  };
  const fake = { constants: realCrypto.constants, timingSafeEqual: realCrypto.timingSafeEqual };
  for (const name of ["sign", "verify", "createHmac", "createPublicKey", "createPrivateKey", "createSecretKey"]) fake[name] = wrap(name);
  return { fake, calls };
}

const count = (calls, name) => calls.filter((c) => c === name).length;

describe("node:crypto as the primitive", () => {
  test("signs and checks every generated algorithm, importing each key once", () => {
    const { fake, calls } = fakeNodeCrypto();
    const api = createApi(core, null, fake);
    for (const alg of GENERATED) {
      const jwk = api.generateKeyPair(alg);
      const jwks = [api.publicJwk(jwk)];
      for (let round = 0; round < 3; round++) {
        const headers = api.signRequestSync(REQUEST, jwk, { ...OPTIONS, alg });
        const verdict = api.verifyRequestSync(signed(headers), { jwks, now: NOW });
        assert.equal(verdict.verdict, "verified", `${alg}: ${JSON.stringify(verdict.error)}`);
      }
    }
    // Three rounds per algorithm: every signature by node:crypto, every key imported once per use.
    assert.equal(count(calls, "sign"), 9, "Ed25519 and two ECDSA curves sign with crypto.sign");
    assert.equal(count(calls, "verify"), 9);
    assert.equal(count(calls, "createHmac"), 6, "HMAC signs and checks with createHmac");
    assert.equal(count(calls, "createPrivateKey"), 3);
    assert.equal(count(calls, "createPublicKey"), 3);
    assert.equal(count(calls, "createSecretKey"), 2, "one secret key for signing, one for checking");
  });

  test("the asynchronous forms use it too, and useWebCrypto(false) turns it off", async () => {
    const { fake, calls } = fakeNodeCrypto();
    const api = createApi(core, null, fake);
    const jwk = api.generateKeyPair();
    const jwks = [api.publicJwk(jwk)];
    const verdict = await api.verifyRequest(signed(await api.signRequest(REQUEST, jwk, OPTIONS)), { jwks, now: NOW });
    assert.equal(verdict.verdict, "verified");
    assert.deepEqual([count(calls, "sign"), count(calls, "verify")], [1, 1]);
    assert.deepEqual(await api.webCryptoAlgorithms(), api.supportedAlgorithms());
    api.useWebCrypto(false);
    const off = api.verifyRequestSync(signed(api.signRequestSync(REQUEST, jwk, OPTIONS)), { jwks, now: NOW });
    assert.equal(off.verdict, "verified");
    assert.deepEqual([count(calls, "sign"), count(calls, "verify")], [1, 1], "no node:crypto call when off");
    assert.deepEqual(await api.webCryptoAlgorithms(), []);
  });

  test("a node:crypto that fails leaves the work to the core: the same headers and verdicts", () => {
    const { fake, calls } = fakeNodeCrypto((name) => name === "sign" || name === "verify" || name === "createHmac");
    const api = createApi(core, null, fake);
    for (const alg of GENERATED) {
      const jwk = api.generateKeyPair(alg);
      const options = { ...OPTIONS, alg, nonce: false };
      const headers = api.signRequestSync(REQUEST, jwk, options);
      if (alg === "ed25519" || alg === "hmac-sha256") {
        assert.deepEqual(headers, httpseal.signRequestSync(REQUEST, jwk, options), `${alg}: deterministic, the same bytes`);
      }
      const jwks = [api.publicJwk(jwk)];
      assert.equal(api.verifyRequestSync(signed(headers), { jwks, now: NOW }).verdict, "verified", alg);
      const tampered = { ...signed(headers), headers: [["Accept", "*/*"], ...signed(headers).headers.slice(1)] };
      assert.equal(api.verifyRequestSync(tampered, { jwks, now: NOW }).error?.code, "invalid_signature", alg);
    }
    assert.ok(calls.length > 0, "node:crypto was tried");
  });

  test("a key node:crypto cannot import is checked by the core", () => {
    const { fake, calls } = fakeNodeCrypto((name) => name === "createPublicKey");
    const api = createApi(core, null, fake);
    const jwk = api.generateKeyPair("ecdsa-p256-sha256");
    const verdict = api.verifyRequestSync(signed(api.signRequestSync(REQUEST, jwk, OPTIONS)), { jwks: [api.publicJwk(jwk)], now: NOW });
    assert.equal(verdict.verdict, "verified");
    assert.equal(count(calls, "verify"), 0, "nothing to verify with");
  });

  test("signatures of the package's Node entry verify with node:crypto itself", () => {
    const jwk = httpseal.generateKeyPair();
    const headers = httpseal.signRequestSync(REQUEST, jwk, OPTIONS);
    const base = httpseal.signatureBase(signed(headers), { label: "sig1" });
    const signature = Buffer.from(/sig1=:([^:]+):/.exec(headers.Signature)[1], "base64");
    const key = realCrypto.createPublicKey({ key: httpseal.publicJwk(jwk), format: "jwk" });
    assert.equal(realCrypto.verify(null, Buffer.from(base), key, signature), true);
  });
});
