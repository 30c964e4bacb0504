// RFC 9421 Appendix B and §2.4/§3/§4.3 vectors, through the JS API only.

import { parseHttp1 } from "../support/http1.mjs";
import { optionsFor, rfcKeys } from "./helpers.mjs";

const RFC_NOW = 1618884480;
// The RFC's keys are published, so verifiers refuse them unless told this is a test.
const TEST_KEYS = { allowTestKeys: true };

function vectorMessage(v, raw) {
  const msg = parseHttp1(raw);
  if (v.related_request) msg.request = parseHttp1(v.related_request);
  return msg;
}

export const cases = [
  [
    "rfc9421: all 20 signature vectors verify (17) or fail (3) through verifyRequest, with the RFC's base",
    async ({ httpseal, vectors, assert }) => {
      const keys = Object.values(rfcKeys(vectors)).map((k) => httpseal.publicJwk(k));
      let verified = 0;
      let invalid = 0;
      for (const v of vectors.rfc9421.vectors) {
        const verdict = await httpseal.verifyRequest(vectorMessage(v, v.signed_message), {
          jwks: { keys },
          now: RFC_NOW,
          policy: { ...TEST_KEYS, label: v.label },
        });
        assert.equal(verdict.label, v.label, v.name);
        assert.equal(verdict.signatureBase, v.signature_base, `${v.name}: base`);
        assert.equal(verdict.alg, v.alg, `${v.name}: alg`);
        if (v.expected_valid) {
          assert.equal(verdict.verdict, "verified", `${v.name}: ${JSON.stringify(verdict.error)}`);
          assert.equal(verdict.error, null);
          verified += 1;
        } else {
          assert.equal(verdict.verdict, "invalid", v.name);
          assert.equal(verdict.error.code, "invalid_signature", v.name);
          invalid += 1;
        }
      }
      assert.deepEqual([verified, invalid], [17, 3]);
    },
  ],
  [
    "rfc9421: signatureBase(message, {label}) rebuilds every vector's base byte for byte",
    async ({ httpseal, vectors, assert }) => {
      for (const v of vectors.rfc9421.vectors) {
        const base = httpseal.signatureBase(vectorMessage(v, v.signed_message), { label: v.label });
        assert.equal(base, v.signature_base, v.name);
      }
    },
  ],
  [
    "rfc9421: signRequest reproduces every valid vector's Signature-Input, and the deterministic ones' Signature",
    async ({ httpseal, vectors, assert }) => {
      const keys = rfcKeys(vectors);
      let deterministic = 0;
      for (const v of vectors.rfc9421.vectors.filter((x) => x.expected_valid)) {
        const message = vectorMessage(v, v.message);
        // Some vector messages already carry their signatures (none is covered by another
        // here): sign a copy without them.
        if (v.message_includes_signature_headers) {
          message.headers = message.headers.filter(([name]) => !/^signature(-input)?$/i.test(name));
        }
        const options = optionsFor(v.signature_input);
        // An RSA key without alg serves both RSA algorithms: say which.
        if (v.key === "test-key-rsa") options.alg = v.alg;
        const headers = await httpseal.signRequest(message, keys[v.key], options);
        assert.deepEqual(Object.keys(headers), ["Signature-Input", "Signature"], v.name);
        assert.equal(headers["Signature-Input"], v.signature_input, v.name);
        if (v.deterministic) {
          assert.equal(headers.Signature, v.signature, `${v.name}: signature bytes`);
          deterministic += 1;
        }
        // Randomised or not, our signature verifies over the RFC's base.
        const resigned = { ...message, headers: [...message.headers, ...Object.entries(headers)] };
        const verdict = await httpseal.verifyRequest(resigned, {
          jwks: [httpseal.publicJwk(keys[v.key])],
          now: RFC_NOW,
          policy: { ...TEST_KEYS, label: v.label },
        });
        assert.equal(verdict.verdict, "verified", `${v.name}: ${JSON.stringify(verdict.error)}`);
        assert.equal(verdict.signatureBase, v.signature_base, v.name);
      }
      // B.2.5 hmac, B.2.6 ed25519, B.4 #1-#4 ed25519, §4.3 proxy_sig rsa-v1_5.
      assert.equal(deterministic, 7);
    },
  ],
  [
    "rfc9421: the three invalid vectors stay invalid when the message is altered the way the RFC describes",
    async ({ httpseal, vectors, assert }) => {
      const keys = Object.values(rfcKeys(vectors)).map((k) => httpseal.publicJwk(k));
      const bad = vectors.rfc9421.vectors.filter((v) => !v.expected_valid);
      assert.equal(bad.length, 3);
      for (const v of bad) {
        const verdict = await httpseal.verifyRequest(vectorMessage(v, v.signed_message), {
          jwks: keys,
          now: RFC_NOW,
          policy: { ...TEST_KEYS, label: v.label },
        });
        assert.equal(verdict.verdict, "invalid", v.name);
        assert.equal(verdict.keyid, v.key, v.name);
      }
    },
  ],
  [
    "rfc9421/9530: Content-Digest made by signRequest matches the RFC values, and a changed body is caught",
    async ({ httpseal, vectors, assert }) => {
      const digests = vectors.protocol.content_digest_rfc9530_and_rfc9421;
      const jwk = rfcKeys(vectors)["test-key-ed25519"];
      const body = digests.body_hello_world;
      const request = { method: "POST", url: "https://example.com/foo", headers: [["Content-Type", "application/json"]] };
      for (const [alg, bodyForm] of [
        ["sha-512", body],
        ["sha-256", new TextEncoder().encode(body)],
      ]) {
        const headers = await httpseal.signRequest({ ...request, body: bodyForm }, jwk, { contentDigest: alg, created: RFC_NOW });
        assert.deepEqual(Object.keys(headers), ["Content-Digest", "Signature-Input", "Signature"]);
        assert.equal(headers["Content-Digest"], digests[alg], alg);
        assert.match(headers["Signature-Input"], /"content-digest"\);created=/);
        const sent = { ...request, headers: [...request.headers, ...Object.entries(headers)] };
        const ok = await httpseal.verifyRequest({ ...sent, body }, { jwks: [httpseal.publicJwk(jwk)], now: RFC_NOW, policy: TEST_KEYS });
        assert.equal(ok.verdict, "verified", JSON.stringify(ok.error));
        const tampered = await httpseal.verifyRequest({ ...sent, body: body.replace("world", "there") }, { jwks: [httpseal.publicJwk(jwk)], now: RFC_NOW, policy: TEST_KEYS });
        assert.equal(tampered.verdict, "invalid");
        assert.equal(tampered.error.code, "content_digest_mismatch");
      }
    },
  ],
  [
    "rfc9421: the published test keys are refused unless the policy says allowTestKeys (test_key)",
    async ({ httpseal, vectors, assert }) => {
      const v = vectors.rfc9421.vectors.find((x) => x.expected_valid && x.key === "test-key-ed25519");
      const jwks = [httpseal.publicJwk(rfcKeys(vectors)["test-key-ed25519"])];
      const message = vectorMessage(v, v.signed_message);
      const refused = await httpseal.verifyRequest(message, { jwks, now: RFC_NOW, policy: { label: v.label } });
      assert.equal(refused.verdict, "invalid", v.name);
      assert.equal(refused.error.code, "test_key");
      assert.equal(refused.error.rule, "allowTestKeys");
      assert.match(refused.error.message, /B\.1\.4/);
      const allowed = await httpseal.verifyRequest(message, { jwks, now: RFC_NOW, policy: { label: v.label, allowTestKeys: true } });
      assert.equal(allowed.verdict, "verified", JSON.stringify(allowed.error));
    },
  ],
];
