// Web Bot Auth vectors (draft-ietf-webbotauth-httpsig-protocol Appendix E and the
// architecture vectors published with Cloudflare's implementation), through the JS API.

import { optionsFor, parseSignatureInput, withHeader } from "./helpers.mjs";

const CREATED = 1735689600;
// Most vectors expire in 2124 (expires=4889289600): a lifetime the web-bot-auth profile
// refuses (24 h at most), so these checks lift that one rule, and one test shows it bites.
// Their keys are the published RFC 9421 ones, which verifiers refuse unless this is a test.
const TEST_KEYS = { allowTestKeys: true };
const LONG_LIVED = { ...TEST_KEYS, maxLifetime: null };

function protocolRequest(vectors, v) {
  const { method, target_uri: url } = vectors.protocol.request;
  return {
    method,
    url,
    headers: [
      ["Signature-Agent", v.signature_agent],
      ["Signature-Input", v.signature_input],
      ["Signature", v.signature],
    ],
  };
}

/** The protocol vectors' keys: Ed25519 (B.1.4) and the RSA-PSS key of the v2 file. */
function protocolKeys(httpseal, vectors) {
  const ed25519 = vectors.protocol.keys.ed25519_rfc9421_B14.jwk_private;
  const rsa = vectors.archV2.find((e) => e.key.kty === "RSA").key;
  return { ed25519, rsa, public: [httpseal.publicJwk(ed25519), httpseal.publicJwk(rsa)] };
}

function archRequest(entry) {
  const headers = [];
  if (entry.signature_agent) headers.push(["Signature-Agent", entry.signature_agent]);
  headers.push(["Signature-Input", entry.signature_input], ["Signature", entry.signature]);
  return { method: "GET", url: entry.target_url, headers };
}

export const cases = [
  [
    "web-bot-auth: protocol vectors E.1.1-E.2.2 verify under the web-bot-auth profile with the draft's base",
    async ({ httpseal, vectors, assert }) => {
      const keys = protocolKeys(httpseal, vectors);
      const requests = vectors.protocol.vectors.filter((v) => v.signature_agent);
      assert.equal(requests.length, 4);
      for (const v of requests) {
        const verdict = await httpseal.verifyRequest(protocolRequest(vectors, v), {
          jwks: { keys: keys.public },
          now: CREATED + 30,
          profile: "web-bot-auth",
          policy: LONG_LIVED,
        });
        assert.equal(verdict.verdict, "verified", `${v.id}: ${JSON.stringify(verdict.error)}`);
        assert.equal(verdict.signatureBase, v.signature_base, v.id);
        assert.equal(verdict.tag, "web-bot-auth", v.id);
        assert.equal(verdict.alg, v.alg, v.id);
        assert.equal(verdict.keyid, parseSignatureInput(v.signature_input).params.keyid, v.id);
      }
    },
  ],
  [
    "web-bot-auth: a changed Signature-Agent or authority makes a protocol vector invalid",
    async ({ httpseal, vectors, assert }) => {
      const keys = protocolKeys(httpseal, vectors);
      const v = vectors.protocol.vectors.find((x) => x.id === "E.2.1-ed25519-dictionary");
      const request = protocolRequest(vectors, v);
      const options = { jwks: keys.public, now: CREATED + 30, profile: "web-bot-auth", policy: LONG_LIVED };
      const strict = await httpseal.verifyRequest(request, { ...options, policy: TEST_KEYS });
      assert.equal(strict.error.code, "lifetime_too_long", "the profile caps the lifetime at 24 h");
      const agent = await httpseal.verifyRequest(withHeader(request, "Signature-Agent", 'agent2="https://evil.test"'), options);
      assert.equal(agent.verdict, "invalid");
      assert.equal(agent.error.code, "invalid_signature");
      assert.match(agent.signatureBase, /"signature-agent";key="agent2": "https:\/\/evil.test"/);
      const moved = await httpseal.verifyRequest({ ...request, url: "https://example.org/path/to/resource" }, options);
      assert.equal(moved.verdict, "invalid");
      const late = await httpseal.verifyRequest(request, { ...options, now: 4889289600 + 3600 });
      assert.equal(late.verdict, "invalid");
      assert.equal(late.error.code, "expired");
    },
  ],
  [
    "web-bot-auth: signRequest re-signs the Ed25519 protocol vectors byte for byte",
    async ({ httpseal, vectors, assert }) => {
      const { ed25519 } = protocolKeys(httpseal, vectors);
      const ed = vectors.protocol.vectors.filter((v) => v.alg === "ed25519");
      assert.equal(ed.length, 2);
      for (const v of ed) {
        const request = protocolRequest(vectors, v);
        const unsigned = { ...request, headers: request.headers.slice(0, 1) };
        const headers = await httpseal.signRequest(unsigned, ed25519, optionsFor(v.signature_input, { profile: "web-bot-auth" }));
        assert.equal(headers["Signature-Input"], v.signature_input, v.id);
        assert.equal(headers.Signature, v.signature, v.id);
      }
    },
  ],
  [
    "web-bot-auth: the signed directory response E.2.3 verifies (tag, @authority;req, content-digest)",
    async ({ httpseal, vectors, assert }) => {
      const { ed25519 } = protocolKeys(httpseal, vectors);
      const v = vectors.protocol.vectors.find((x) => x.id === "E.2.3-signed-directory-response");
      const [requestLine, ...fields] = v.request.split("\n");
      const requestHeaders = fields.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]);
      const response = {
        status: 200,
        headers: [
          ["Content-Type", "application/http-message-signatures-directory+json"],
          ["Content-Digest", v.content_digest],
          ["Signature-Input", v.signature_input],
          ["Signature", v.signature],
        ],
        body: v.response_body_exact_no_trailing_newline,
        request: { method: "GET", url: `https://signature-agent.test${requestLine.split(" ")[1]}`, headers: requestHeaders },
      };
      const options = { jwks: [httpseal.publicJwk(ed25519)], now: CREATED + 30, policy: { ...TEST_KEYS, tag: "http-message-signatures-directory" } };
      const verdict = await httpseal.verifyRequest(response, options);
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      assert.equal(verdict.signatureBase, v.signature_base);
      assert.equal(verdict.label, "binding");
      const swapped = await httpseal.verifyRequest({ ...response, body: response.body.replace("sig", "enc") }, options);
      assert.equal(swapped.error.code, "content_digest_mismatch");
    },
  ],
  [
    "web-bot-auth: all 8 architecture vectors (v1 legacy and v2, RSA-PSS and Ed25519) verify; Ed25519 re-signs exactly",
    async ({ httpseal, vectors, assert }) => {
      let count = 0;
      for (const [file, entries] of [["v1", vectors.archV1], ["v2", vectors.archV2]]) {
        for (const entry of entries) {
          const name = `${file} ${entry.key.kty} ${entry.label}`;
          const created = entry.created_ms / 1000;
          const verdict = await httpseal.verifyRequest(archRequest(entry), {
            jwks: { keys: [httpseal.publicJwk(entry.key)] },
            now: created + 10,
            profile: "web-bot-auth",
            policy: LONG_LIVED,
          });
          assert.equal(verdict.verdict, "verified", `${name}: ${JSON.stringify(verdict.error)}`);
          assert.equal(verdict.nonce, entry.nonce, name);
          assert.equal(verdict.expires, entry.expires_ms / 1000, name);
          if (entry.key.kty === "OKP") {
            const unsigned = { ...archRequest(entry) };
            unsigned.headers = unsigned.headers.filter(([n]) => n === "Signature-Agent");
            const headers = await httpseal.signRequest(unsigned, entry.key, optionsFor(entry.signature_input, { profile: "web-bot-auth" }));
            assert.equal(headers["Signature-Input"], entry.signature_input, name);
            assert.equal(headers.Signature, entry.signature, name);
          }
          count += 1;
        }
      }
      assert.equal(count, 8);
    },
  ],
  [
    "directory: signDirectoryResponse reproduces the signed directory vector E.2.3 byte for byte",
    async ({ httpseal, vectors, assert }) => {
      const { ed25519 } = protocolKeys(httpseal, vectors);
      const v = vectors.protocol.vectors.find((x) => x.id === "E.2.3-signed-directory-response");
      const signed = httpseal.signDirectoryResponse([ed25519], { authority: "signature-agent.test", created: CREATED, expires: 4889289600 });
      assert.equal(signed.status, 200);
      assert.equal(signed.body, v.response_body_exact_no_trailing_newline);
      assert.deepEqual(Object.keys(signed.headers), ["Content-Type", "Content-Digest", "Signature-Input", "Signature"]);
      assert.equal(signed.headers["Content-Type"], "application/http-message-signatures-directory+json");
      assert.equal(signed.headers["Content-Digest"], v.content_digest);
      assert.equal(signed.headers["Signature-Input"], v.signature_input);
      assert.equal(signed.headers.Signature, v.signature);
      assert.deepEqual(httpseal.createDirectory(ed25519), JSON.parse(v.response_body_exact_no_trailing_newline));
    },
  ],
  [
    "directory: createDirectory publishes public keys only; a response signed with two keys verifies per key",
    async ({ httpseal, assert }) => {
      const a = httpseal.generateKeyPair("ed25519");
      const b = httpseal.generateKeyPair("ecdsa-p256-sha256");
      const directory = httpseal.createDirectory({ keys: [a, b] });
      assert.deepEqual(directory.keys.map((k) => k.kid), [a.kid, b.kid]);
      assert.ok(directory.keys.every((k) => k.use === "sig" && k.d === undefined));
      const { status, headers, body } = httpseal.signDirectoryResponse([a, b], { authority: "agent.example", ttl: 3600 });
      assert.equal(body, JSON.stringify(directory));
      assert.match(headers["Signature-Input"], /^binding=\("@authority";req "content-digest"\);created=(\d+);expires=\d+;keyid="[^"]+";tag="http-message-signatures-directory", binding2=/);
      const response = {
        status,
        headers,
        body,
        request: { method: "GET", url: "https://agent.example/.well-known/http-message-signatures-directory" },
      };
      for (const [label, key] of [["binding", a], ["binding2", b]]) {
        const verdict = await httpseal.verifyRequest(response, { jwks: directory, policy: { label, tag: "http-message-signatures-directory" } });
        assert.equal(verdict.verdict, "verified", `${label}: ${JSON.stringify(verdict.error)}`);
        assert.equal(verdict.keyid, key.kid);
      }
      const elsewhere = await httpseal.verifyRequest({ ...response, request: { ...response.request, url: "https://evil.example/.well-known/http-message-signatures-directory" } }, { jwks: directory });
      assert.equal(elsewhere.verdict, "invalid", "the signatures bind the directory to its host");
      assert.throws(() => httpseal.createDirectory([httpseal.generateKeyPair("hmac-sha256")]), { code: "unsupported_key" });
      assert.throws(() => httpseal.signDirectoryResponse([httpseal.publicJwk(a)], { authority: "agent.example", ttl: 60 }), { code: "not_a_private_key" });
      assert.throws(() => httpseal.signDirectoryResponse([a], { authority: "agent.example", ttl: 60, expires: 4889289600 }), { code: "malformed_message" });
    },
  ],
  [
    "directory: without ttl or expires, signDirectoryResponse signs for the core's default lifetime (24 h)",
    async ({ httpseal, assert }) => {
      const key = httpseal.generateKeyPair();
      const before = Math.floor(Date.now() / 1000);
      const { headers } = httpseal.signDirectoryResponse([key], { authority: "agent.example" });
      const [, created, expires] = /;created=(\d+);expires=(\d+);/.exec(headers["Signature-Input"]);
      assert.equal(Number(expires) - Number(created), 24 * 3600);
      assert.ok(Number(created) >= before && Number(created) <= Math.floor(Date.now() / 1000), "created is the clock's now");
      const fixed = httpseal.signDirectoryResponse([key], { authority: "agent.example", created: 1735689600 });
      assert.match(fixed.headers["Signature-Input"], /;created=1735689600;expires=1735776000;/);
    },
  ],
  [
    "jwk: thumbprints of RFC 7638, RFC 8037 and the Web Bot Auth keys",
    async ({ httpseal, vectors, assert }) => {
      for (const t of vectors.thumbprints) {
        assert.equal(httpseal.jwkThumbprint(JSON.parse(t.jwk)), t.thumbprint, t.name);
        assert.equal(httpseal.jwkThumbprint(t.jwk), t.thumbprint, `${t.name} as text`);
      }
      const known = vectors.protocol.jwk_thumbprints;
      assert.equal(httpseal.jwkThumbprint(known.rfc8037_A3_ed25519.jwk), known.rfc8037_A3_ed25519.thumbprint_b64url);
      assert.equal(httpseal.jwkThumbprint(known.rfc7638_3_1_rsa.jwk), known.rfc7638_3_1_rsa.thumbprint_b64url);
      const keys = protocolKeys(httpseal, vectors);
      assert.equal(httpseal.jwkThumbprint(keys.ed25519), known.rfc9421_B14_ed25519.thumbprint_b64url);
      assert.equal(httpseal.jwkThumbprint(keys.rsa), known.rfc9421_B12_rsa_pss.thumbprint_b64url);
    },
  ],
];
