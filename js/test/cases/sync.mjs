// signRequestSync and verifyRequestSync: the same headers and verdicts as the asynchronous
// forms, in every host and mode (node:crypto in Node, the wasm primitives elsewhere or when
// the platform primitive is off), and clear errors for what cannot be done without a Promise.

import { rfcKeys, signed, withHeader } from "./helpers.mjs";

const NOW = 1700000000;
const REQUEST = { method: "POST", url: "https://example.com/orders?id=7", headers: [["Content-Type", "application/json"]], body: '{"id":7}' };
const PLAIN = { profile: "rfc9421", components: ["@method", "@authority", "@path", "content-type", "content-digest"], created: NOW, contentDigest: "sha-256" };
const TEST_KEYS = { allowTestKeys: true };

/** One key per registry algorithm (the RFC's RSA keys: generating RSA takes too long). */
function keysOf(httpseal, vectors) {
  const rfc = rfcKeys(vectors);
  return [
    ["ed25519", httpseal.generateKeyPair("ed25519")],
    ["ecdsa-p256-sha256", httpseal.generateKeyPair("ecdsa-p256-sha256")],
    ["ecdsa-p384-sha384", httpseal.generateKeyPair("ecdsa-p384-sha384")],
    ["rsa-pss-sha512", rfc["test-key-rsa-pss"]],
    ["rsa-v1_5-sha256", rfc["test-key-rsa"]],
    ["hmac-sha256", httpseal.generateKeyPair("hmac-sha256")],
  ];
}

/** Calls `fn` and returns the HttpsealError it throws (fails if it does not throw). */
function thrown(assert, fn, what) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail(`${what} did not throw`);
}

export const cases = [
  [
    "sync: every algorithm signs with signRequestSync and verifies with verifyRequestSync and verifyRequest alike; tampering is the same error",
    async ({ httpseal, vectors, assert }) => {
      for (const [alg, jwk] of keysOf(httpseal, vectors)) {
        const jwks = [httpseal.publicJwk(jwk)];
        const options = { jwks, now: NOW, policy: TEST_KEYS };
        const headers = httpseal.signRequestSync(REQUEST, jwk, { ...PLAIN, alg });
        assert.equal(typeof headers.then, "undefined", `${alg}: a record, not a Promise`);
        const sent = signed(REQUEST, headers);
        const bySync = httpseal.verifyRequestSync(sent, options);
        assert.equal(bySync.verdict, "verified", `${alg}: ${JSON.stringify(bySync.error)}`);
        assert.deepEqual(await httpseal.verifyRequest(sent, options), bySync, `${alg}: the same verdict either way`);
        // Signed asynchronously, checked synchronously.
        const made = signed(REQUEST, await httpseal.signRequest(REQUEST, jwk, { ...PLAIN, alg }));
        assert.equal(httpseal.verifyRequestSync(made, options).verdict, "verified", alg);
        for (const [what, bad] of [
          ["a changed header", withHeader(sent, "Content-Type", "text/plain")],
          ["a changed body", { ...sent, body: '{"id":8}' }],
        ]) {
          const sync = httpseal.verifyRequestSync(bad, options);
          assert.equal(sync.verdict, "invalid", `${alg}, ${what}`);
          assert.deepEqual(await httpseal.verifyRequest(bad, options), sync, `${alg}, ${what}: the same verdict`);
        }
      }
    },
  ],
  [
    "sync: deterministic signatures are byte for byte those of signRequest",
    async ({ httpseal, vectors, assert }) => {
      for (const [alg, jwk] of keysOf(httpseal, vectors)) {
        if (!["ed25519", "rsa-v1_5-sha256", "hmac-sha256"].includes(alg)) continue;
        const options = { ...PLAIN, alg, nonce: false };
        assert.deepEqual(httpseal.signRequestSync(REQUEST, jwk, options), await httpseal.signRequest(REQUEST, jwk, options), alg);
      }
    },
  ],
  [
    "sync: the Web Bot Auth profile's defaults and policy apply as in verifyRequest (expired, test keys refused)",
    async ({ httpseal, vectors, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const get = { method: "GET", url: "https://example.com/", headers: [] };
      const sent = signed(get, httpseal.signRequestSync(get, jwk, { signatureAgent: "https://agent.example", created: NOW }));
      const jwks = [httpseal.publicJwk(jwk)];
      const ok = httpseal.verifyRequestSync(sent, { jwks, now: NOW + 1, profile: "web-bot-auth" });
      assert.equal(ok.verdict, "verified", JSON.stringify(ok.error));
      const late = httpseal.verifyRequestSync(sent, { jwks, now: NOW + 3600, profile: "web-bot-auth" });
      assert.deepEqual(late, await httpseal.verifyRequest(sent, { jwks, now: NOW + 3600, profile: "web-bot-auth" }));
      assert.equal(late.error?.code, "expired");
      const rfcKey = rfcKeys(vectors)["test-key-ed25519"];
      const byTestKey = signed(get, httpseal.signRequestSync(get, rfcKey, { profile: "rfc9421", created: NOW }));
      const refused = httpseal.verifyRequestSync(byTestKey, { jwks: [httpseal.publicJwk(rfcKey)], now: NOW });
      assert.deepEqual(refused, await httpseal.verifyRequest(byTestKey, { jwks: [httpseal.publicJwk(rfcKey)], now: NOW }));
      assert.notEqual(refused.verdict, "verified", "a published test key is refused unless allowTestKeys");
    },
  ],
  [
    "sync: what needs a Promise is refused with malformed_message naming the way out",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const sent = signed(REQUEST, httpseal.signRequestSync(REQUEST, jwk, PLAIN));
      const noKeys = thrown(assert, () => httpseal.verifyRequestSync(sent, { now: NOW }), "no jwks");
      assert.equal(noKeys.code, "malformed_message");
      assert.match(noKeys.message, /needs jwks.*verifyRequest/);
      const unknown = thrown(assert, () => httpseal.verifyRequestSync(sent, { jwks: [jwk], fetch }), "a fetch option");
      assert.equal(unknown.code, "malformed_message");
      assert.match(unknown.message, /unknown verify option "fetch"/);
      const stream = new Request(REQUEST.url, { method: "POST", body: REQUEST.body, headers: REQUEST.headers });
      const body = thrown(assert, () => httpseal.verifyRequestSync(stream, { jwks: [jwk] }), "a Request body");
      assert.equal(body.code, "malformed_message");
      assert.match(body.message, /cannot read a Request or Response body/);
      const digest = thrown(assert, () => httpseal.signRequestSync(stream, jwk, PLAIN), "a body to digest");
      assert.equal(digest.code, "malformed_message");
      // A Request whose body is not needed signs synchronously.
      const get = new Request("https://example.com/a", { headers: { accept: "text/html" } });
      const headers = httpseal.signRequestSync(get, jwk, { profile: "rfc9421", created: NOW });
      const verdict = httpseal.verifyRequestSync(new Request(get, { headers: { ...Object.fromEntries(get.headers), ...headers } }), { jwks: [httpseal.publicJwk(jwk)], now: NOW });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    },
  ],
  [
    "sync: the Ed25519-only build has the same synchronous forms",
    async ({ small, assert }) => {
      const jwk = small.generateKeyPair();
      const sent = signed(REQUEST, small.signRequestSync(REQUEST, jwk, PLAIN));
      const verdict = small.verifyRequestSync(sent, { jwks: [small.publicJwk(jwk)], now: NOW });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    },
  ],
];
