// The WebCrypto fast path (js/src/webcrypto.js, src/verify/host.rs in the core): the same results
// as the core's own primitives, including the Ed25519 and RSA-PSS inputs on which
// WebCrypto alone would decide differently. Every case runs with the fast path on and off.

import { BASE, BASE_PLUS_ORDER_2, IDENTITY, rawSignature, signWithR } from "./ed25519-math.mjs";
import { rfcKeys, signed, withHeader } from "./helpers.mjs";

const NOW = 1700000000;
const REQUEST = { method: "GET", url: "https://example.com/path?q=1", headers: [["Accept", "text/html"]] };
const PLAIN = { profile: "rfc9421", components: ["@method", "@authority", "@path", "accept"], created: NOW };
// Some cases sign with the RFC's published RSA keys, which verifiers refuse unless told this is a test.
const TEST_KEYS = { allowTestKeys: true };

const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toB64 = (bytes) => btoa(String.fromCharCode(...bytes));
const utf8 = (text) => new TextEncoder().encode(text);

/** REQUEST signed by `jwk` (under `keyid`), its signature base, and a way to swap the signature. */
async function signedRequest(httpseal, jwk, keyid = jwk.kid) {
  const sent = signed(REQUEST, await httpseal.signRequest(REQUEST, jwk, { ...PLAIN, keyid }));
  const base = utf8(httpseal.signatureBase(sent, { label: "sig1" }));
  return { base, withSignature: (bytes) => withHeader(sent, "Signature", `sig1=:${toB64(bytes)}:`) };
}

/** What WebCrypto itself says of an Ed25519 signature (`undefined` when it cannot say). */
async function webCryptoSays(publicKey, signature, message) {
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
  } catch {
    return undefined;
  }
}

/** Runs `fn` with the fast path set to `on` in both builds, then restores the suite's mode. */
async function withWebCrypto({ httpseal, small, webcrypto }, on, fn) {
  httpseal.useWebCrypto(on);
  small.useWebCrypto(on);
  try {
    return await fn();
  } finally {
    httpseal.useWebCrypto(webcrypto);
    small.useWebCrypto(webcrypto);
  }
}

export const cases = [
  [
    "webcrypto: this platform's WebCrypto serves every algorithm of each build (none when turned off)",
    async ({ httpseal, small, webcrypto, assert }) => {
      const all = httpseal.supportedAlgorithms();
      assert.deepEqual(await httpseal.webCryptoAlgorithms(), webcrypto ? all : []);
      assert.deepEqual(await small.webCryptoAlgorithms(), webcrypto ? ["ed25519"] : []);
    },
  ],
  [
    "webcrypto: signatures are made and checked by crypto.subtle when it is the primitive and on, and never otherwise",
    async ({ httpseal, webcrypto, primitive, assert }) => {
      const proto = Object.getPrototypeOf(crypto.subtle);
      const { sign, verify } = proto;
      const calls = { sign: 0, verify: 0 };
      proto.sign = function (...args) {
        calls.sign += 1;
        return sign.apply(this, args);
      };
      proto.verify = function (...args) {
        calls.verify += 1;
        return verify.apply(this, args);
      };
      try {
        for (const alg of ["ed25519", "ecdsa-p256-sha256", "hmac-sha256"]) {
          const jwk = httpseal.generateKeyPair(alg);
          await httpseal.webCryptoAlgorithms(); // detection done beforehand
          const before = { ...calls };
          const sent = signed(REQUEST, await httpseal.signRequest(REQUEST, jwk, PLAIN));
          const verdict = await httpseal.verifyRequest(sent, { jwks: [httpseal.publicJwk(jwk)], now: NOW });
          assert.equal(verdict.verdict, "verified", `${alg}: ${JSON.stringify(verdict.error)}`);
          const bySubtle = webcrypto && primitive !== "node:crypto";
          assert.deepEqual([calls.sign - before.sign, calls.verify - before.verify], bySubtle ? [1, 1] : [0, 0], alg);
        }
      } finally {
        proto.sign = sign;
        proto.verify = verify;
      }
    },
  ],
  [
    "webcrypto: signatures made either way verify either way; deterministic algorithms give the same bytes",
    async (ctx) => {
      const { httpseal, small, vectors, assert } = ctx;
      const rfc = rfcKeys(vectors);
      const keys = [
        ["ed25519", httpseal.generateKeyPair("ed25519")],
        ["ecdsa-p256-sha256", httpseal.generateKeyPair("ecdsa-p256-sha256")],
        ["ecdsa-p384-sha384", httpseal.generateKeyPair("ecdsa-p384-sha384")],
        ["rsa-pss-sha512", rfc["test-key-rsa-pss"]],
        ["rsa-v1_5-sha256", rfc["test-key-rsa"]],
        ["hmac-sha256", httpseal.generateKeyPair("hmac-sha256")],
      ];
      const deterministic = new Set(["ed25519", "rsa-v1_5-sha256", "hmac-sha256"]);
      for (const [alg, jwk] of keys) {
        const options = { ...PLAIN, alg };
        const jwks = [httpseal.publicJwk(jwk)];
        const made = {};
        for (const on of [true, false]) {
          made[on] = await withWebCrypto(ctx, on, () => httpseal.signRequest(REQUEST, jwk, options));
        }
        for (const on of [true, false]) {
          for (const by of [true, false]) {
            const verdict = await withWebCrypto(ctx, on, () => httpseal.verifyRequest(signed(REQUEST, made[by]), { jwks, now: NOW, policy: TEST_KEYS }));
            assert.equal(verdict.verdict, "verified", `${alg}, made with webcrypto=${by}, checked with webcrypto=${on}: ${JSON.stringify(verdict.error)}`);
            const tampered = withHeader(signed(REQUEST, made[by]), "Accept", "*/*");
            const bad = await withWebCrypto(ctx, on, () => httpseal.verifyRequest(tampered, { jwks, now: NOW, policy: TEST_KEYS }));
            assert.equal(bad.error?.code, "invalid_signature", `${alg} tampered, checked with webcrypto=${on}`);
          }
        }
        assert.equal(made.true["Signature-Input"], made.false["Signature-Input"], alg);
        if (deterministic.has(alg)) assert.equal(made.true.Signature, made.false.Signature, `${alg}: same bytes`);
        else assert.notEqual(made.true.Signature, made.false.Signature, `${alg}: randomised`);
      }
      const jwk = keys[0][1];
      const bySmall = await withWebCrypto(ctx, true, () => small.signRequest(REQUEST, jwk, PLAIN));
      const byFull = await withWebCrypto(ctx, false, () => httpseal.signRequest(REQUEST, jwk, PLAIN));
      assert.equal(bySmall.Signature, byFull.Signature, "the Ed25519-only build signs the same bytes");
    },
  ],
  [
    "webcrypto: an Ed25519 signature whose R is the identity (small order) is invalid, though WebCrypto alone accepts it",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const { base, withSignature } = await signedRequest(httpseal, jwk);
      const A = fromB64url(jwk.x);
      // s = H(R ‖ A ‖ M)·a, so sB − H·A = R = identity: the cofactorless equation holds.
      const forged = await signWithR(fromB64url(jwk.d), A, base, IDENTITY, 0n);
      assert.equal(await webCryptoSays(A, forged, base), true, "OpenSSL/BoringSSL accept it");
      const verdict = await httpseal.verifyRequest(withSignature(forged), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
      assert.equal(verdict.verdict, "invalid");
      assert.equal(verdict.error.code, "invalid_signature");
    },
  ],
  [
    "webcrypto: an Ed25519 signature whose R is off by a point of order 2 verifies (cofactored, as the core does), though WebCrypto alone refuses it",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const { base, withSignature } = await signedRequest(httpseal, jwk);
      const A = fromB64url(jwk.x);
      // R = B + T (T of order 2), s = 1 + H·a: sB − H·A − R = −T, of small order.
      const offset = await signWithR(fromB64url(jwk.d), A, base, BASE_PLUS_ORDER_2, 1n);
      assert.equal(await webCryptoSays(A, offset, base), false, "OpenSSL/BoringSSL refuse it");
      const verdict = await httpseal.verifyRequest(withSignature(offset), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      // The same R with the honest nonce of B (r = 1) but without the offset is refused by both.
      const honest = await signWithR(fromB64url(jwk.d), A, base, BASE, 1n);
      assert.equal(await webCryptoSays(A, honest, base), true);
      const ok = await httpseal.verifyRequest(withSignature(honest), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
      assert.equal(ok.verdict, "verified", "r = 1 is a valid (if silly) nonce");
    },
  ],
  [
    "webcrypto: a small-order Ed25519 public key verifies nothing, though WebCrypto alone accepts a forgery with it",
    async ({ httpseal, assert }) => {
      const weak = { kty: "OKP", crv: "Ed25519", kid: "weak", x: btoa(String.fromCharCode(...IDENTITY)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_") };
      const { base, withSignature } = await signedRequest(httpseal, httpseal.generateKeyPair(), "weak");
      // A = identity: R = B, s = 1 satisfy sB − H·A = R for every message.
      const forged = rawSignature(BASE, 1);
      const says = await webCryptoSays(IDENTITY, forged, base);
      assert.ok(says === true || says === undefined, "WebCrypto accepts it or refuses the key");
      const verdict = await httpseal.verifyRequest(withSignature(forged), { jwks: [weak], now: NOW });
      assert.equal(verdict.verdict, "invalid");
      assert.equal(verdict.error.code, "invalid_signature");
    },
  ],
  [
    "webcrypto: RSA-PSS signatures with salt lengths other than 64 (0, 32, the maximum) verify, corrupted ones do not",
    async ({ httpseal, vectors, assert }) => {
      const jwk = rfcKeys(vectors)["test-key-rsa-pss"];
      const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
      const key = await crypto.subtle.importKey("jwk", { kty, n, e, d, p, q, dp, dq, qi }, { name: "RSA-PSS", hash: "SHA-512" }, false, ["sign"]);
      const { base, withSignature } = await signedRequest(httpseal, jwk, "test-key-rsa-pss");
      const jwks = [httpseal.publicJwk(jwk)];
      for (const saltLength of [0, 32, 64, 190]) {
        const signature = new Uint8Array(await crypto.subtle.sign({ name: "RSA-PSS", saltLength }, key, base));
        const verdict = await httpseal.verifyRequest(withSignature(signature), { jwks, now: NOW, policy: TEST_KEYS });
        assert.equal(verdict.verdict, "verified", `salt ${saltLength}: ${JSON.stringify(verdict.error)}`);
        assert.equal(verdict.alg, "rsa-pss-sha512");
        signature[100] ^= 1;
        const bad = await httpseal.verifyRequest(withSignature(signature), { jwks, now: NOW, policy: TEST_KEYS });
        assert.equal(bad.error?.code, "invalid_signature", `salt ${saltLength}, corrupted`);
      }
    },
  ],
];
