// The API's own behaviour: keys, Web Bot Auth signing defaults, every input form
// (plain object, Request, Headers, record, bytes), verdicts, errors with stable codes,
// signedFetch against the local echo endpoint, and the Ed25519-only build.

import { signed, withHeader } from "./helpers.mjs";

const VERDICT_KEYS = ["verdict", "label", "keyid", "alg", "tag", "created", "expires", "nonce", "components", "agent", "identifier", "directoryProof", "signatureBase", "error"];
const ALGS = ["ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "hmac-sha256"];
const GET = { method: "GET", url: "https://example.com/path?q=1", headers: [["Accept", "text/html"]] };

const b64Bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const cases = [
  [
    "keys: generateKeyPair gives private JWKs whose kid is the thumbprint; publicJwk drops the secret",
    async ({ httpseal, assert }) => {
      assert.deepEqual(httpseal.supportedAlgorithms(), ["ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "rsa-pss-sha512", "rsa-v1_5-sha256", "hmac-sha256"]);
      const expected = {
        ed25519: { kty: "OKP", crv: "Ed25519" },
        "ecdsa-p256-sha256": { kty: "EC", crv: "P-256" },
        "ecdsa-p384-sha384": { kty: "EC", crv: "P-384" },
        "hmac-sha256": { kty: "oct" },
      };
      for (const alg of ALGS) {
        const jwk = httpseal.generateKeyPair(alg);
        assert.equal(jwk.kty, expected[alg].kty, alg);
        assert.equal(jwk.crv, expected[alg].crv, alg);
        assert.equal(jwk.kid, httpseal.jwkThumbprint(jwk), alg);
        const pub = httpseal.publicJwk(jwk);
        assert.equal(pub.kid, jwk.kid, alg);
        if (alg !== "hmac-sha256") {
          assert.ok(jwk.d, alg);
          assert.equal(pub.d, undefined, alg);
          assert.equal(httpseal.jwkThumbprint(pub), jwk.kid, alg);
        }
      }
      assert.equal(httpseal.generateKeyPair().crv, "Ed25519", "default is ed25519");
      const a = httpseal.generateKeyPair();
      const b = httpseal.generateKeyPair();
      assert.notEqual(a.d, b.d, "keys come from crypto.getRandomValues");
    },
  ],
  [
    "sign: every generated algorithm signs and verifies; a changed header makes it invalid with the reason",
    async ({ httpseal, assert }) => {
      for (const alg of ALGS) {
        const jwk = httpseal.generateKeyPair(alg);
        const headers = await httpseal.signRequest(GET, jwk, { components: ["@method", "@authority", "@path", "@query", "accept"] });
        const sent = signed(GET, headers);
        const jwks = { keys: [httpseal.publicJwk(jwk)] };
        const ok = await httpseal.verifyRequest(sent, { jwks });
        assert.equal(ok.verdict, "verified", `${alg}: ${JSON.stringify(ok.error)}`);
        assert.equal(ok.alg, alg);
        const bad = await httpseal.verifyRequest(withHeader(sent, "Accept", "application/json"), { jwks });
        assert.equal(bad.verdict, "invalid", alg);
        assert.equal(bad.error.code, "invalid_signature", alg);
        assert.match(bad.signatureBase, /"accept": application\/json/);
      }
    },
  ],
  [
    "sign: the default profile is web-bot-auth, its defaults from the core (@authority + signature-agent, 60 s, 64-byte nonce, tag, thumbprint keyid)",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const before = nowSeconds();
      const headers = await httpseal.signRequest({ method: "GET", url: "https://example.com/" }, jwk, {
        signatureAgent: "https://agent.example",
      });
      assert.deepEqual(Object.keys(headers), ["Signature-Agent", "Signature-Input", "Signature"]);
      assert.equal(headers["Signature-Agent"], 'sig1="https://agent.example"');
      const m = /^sig1=\("@authority" "signature-agent";key="sig1"\);created=(\d+);keyid="([^"]+)";alg="ed25519";expires=(\d+);nonce="([^"]+)";tag="web-bot-auth"$/.exec(headers["Signature-Input"]);
      assert.ok(m, headers["Signature-Input"]);
      const [, created, keyid, expires, nonce] = m;
      assert.equal(keyid, httpseal.jwkThumbprint(jwk));
      assert.equal(Number(expires) - Number(created), 60);
      assert.ok(Number(created) >= before && Number(created) <= nowSeconds(), "created is the clock's now");
      assert.equal(b64Bytes(nonce).length, 64);
      const again = await httpseal.signRequest({ method: "GET", url: "https://example.com/" }, jwk, { profile: "web-bot-auth" });
      assert.notEqual(again["Signature-Input"].match(/nonce="([^"]+)"/)[1], nonce, "a fresh nonce each time");
      assert.match(again["Signature-Input"], /^sig1=\("@authority"\);created=\d+;keyid="[^"]+";alg="ed25519";expires=\d+;nonce="[^"]+";tag="web-bot-auth"$/, "the same as no profile");
      const verdict = await httpseal.verifyRequest(
        { method: "GET", url: "https://example.com/", headers: Object.entries(headers) },
        { jwks: [httpseal.publicJwk(jwk)], profile: "web-bot-auth" },
      );
      assert.deepEqual(Object.keys(verdict), VERDICT_KEYS);
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      assert.deepEqual(verdict.components, ['"@authority"', '"signature-agent";key="sig1"']);
      // A key the caller supplied identifies the signer by its thumbprint; no directory was read.
      assert.equal(verdict.identifier, jwk.kid);
      assert.equal(verdict.agent, null);
      assert.equal(verdict.directoryProof, null);
    },
  ],
  [
    "sign: profile rfc9421 signs plain RFC 9421 (method, authority, path, query; created, keyid = kid, alg; no expires, nonce or tag)",
    async ({ httpseal, assert }) => {
      const jwk = { ...httpseal.generateKeyPair(), kid: "my-key" };
      const before = nowSeconds();
      const headers = await httpseal.signRequest(GET, jwk, { profile: "rfc9421" });
      assert.deepEqual(Object.keys(headers), ["Signature-Input", "Signature"]);
      const m = /^sig1=\("@method" "@authority" "@path" "@query"\);created=(\d+);keyid="my-key";alg="ed25519"$/.exec(headers["Signature-Input"]);
      assert.ok(m, headers["Signature-Input"]);
      assert.ok(Number(m[1]) >= before && Number(m[1]) <= nowSeconds(), "created is the clock's now");
      const verdict = await httpseal.verifyRequest(signed(GET, headers), { jwks: [httpseal.publicJwk(jwk)] });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      await assert.rejects(httpseal.signRequest(GET, jwk, { profile: "fediverse" }), { code: "malformed_message" });
    },
  ],
  [
    "input forms: Request, Headers, a record and [[n, v]] pairs all sign and verify the same message",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const jwks = [httpseal.publicJwk(jwk)];
      const url = "https://example.com/a/b?c=d";
      const options = { components: ["@method", "@target-uri", "x-agent"], created: 1700000000, nonce: "fixed" };
      const forms = [
        new Request(url, { method: "PUT", headers: { "X-Agent": "crawler/1" } }),
        { method: "PUT", url: new URL(url), headers: new Headers({ "X-Agent": "crawler/1" }) },
        { method: "PUT", url, headers: { "x-agent": "crawler/1" } },
        { method: "PUT", url, headers: [["X-Agent", "crawler/1"]] },
      ];
      const inputs = [];
      for (const form of forms) {
        const h = await httpseal.signRequest(form, jwk, options);
        inputs.push(h["Signature-Input"]);
        // Ed25519 is deterministic: the same message gives the same signature.
        assert.equal(h.Signature, (await httpseal.signRequest(forms[3], jwk, options)).Signature);
        const sent = new Request(url, { method: "PUT", headers: { "X-Agent": "crawler/1", ...h } });
        const verdict = await httpseal.verifyRequest(sent, { jwks, now: 1700000000 });
        assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      }
      assert.equal(new Set(inputs).size, 1);
    },
  ],
  [
    "input forms: a Request body is read (from a copy) for Content-Digest, and stays readable",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const body = JSON.stringify({ hello: "world" });
      const request = new Request("https://example.com/upload", { method: "POST", body, headers: { "content-type": "application/json" } });
      const headers = await httpseal.signRequest(request, jwk, { contentDigest: "sha-256", created: 1700000000 });
      assert.equal(headers["Content-Digest"], "sha-256=:k6I5cakU5erL8KjSUVTNownDwccvu5kU1Hxg88toFYg=:");
      assert.equal(await request.text(), body, "the caller's body is untouched");
      const sent = new Request("https://example.com/upload", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
      const verdict = await httpseal.verifyRequest(sent, { jwks: [httpseal.publicJwk(jwk)], now: 1700000001 });
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      const forged = new Request("https://example.com/upload", { method: "POST", body: "{}", headers: { "content-type": "application/json", ...headers } });
      const bad = await httpseal.verifyRequest(forged, { jwks: [httpseal.publicJwk(jwk)], now: 1700000001 });
      assert.equal(bad.error.code, "content_digest_mismatch");
    },
  ],
  [
    "verdicts: unverified without a signature or a key, invalid when expired; now may be a Date",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const other = httpseal.generateKeyPair();
      const none = await httpseal.verifyRequest(GET, { jwks: [httpseal.publicJwk(jwk)] });
      assert.equal(none.verdict, "unverified");
      assert.equal(none.error.code, "no_signature");
      // Without jwks, nothing is known but what Signature-Agent names (here: nothing).
      for (const options of [undefined, {}]) {
        const bare = await httpseal.verifyRequest(GET, options);
        assert.equal(bare.error.code, "no_signature");
      }
      const headers = await httpseal.signRequest(GET, jwk, { profile: "web-bot-auth", created: 1700000000 });
      const sent = signed(GET, headers);
      const unknown = await httpseal.verifyRequest(sent, { jwks: [httpseal.publicJwk(other)], now: 1700000000 });
      assert.equal(unknown.verdict, "unverified");
      assert.equal(unknown.error.code, "unknown_key");
      const expired = await httpseal.verifyRequest(sent, { jwks: [httpseal.publicJwk(jwk)], now: new Date((1700000000 + 3600) * 1000), profile: "web-bot-auth" });
      assert.equal(expired.verdict, "invalid");
      assert.equal(expired.error.code, "expired");
      assert.equal(expired.keyid, jwk.kid);
      const strict = await httpseal.verifyRequest(sent, { jwks: [httpseal.publicJwk(jwk)], now: 1700000000, policy: { requiredComponents: ["@method"] } });
      assert.equal(strict.error.code, "missing_required_component");
    },
  ],
  [
    "verdicts: a request past a limit of what httpseal reads is unverified when unsigned, invalid when signed (as the Worker judges it)",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const lines = Array.from({ length: 300 }, (_, i) => [`x-${i}`, "v"]);
      const many = await httpseal.verifyRequest({ ...GET, headers: lines }, { jwks: [httpseal.publicJwk(jwk)] });
      assert.equal(many.verdict, "unverified");
      assert.equal(many.error.code, "no_signature");
      const long = await httpseal.verifyRequest({ ...GET, url: GET.url + "&" + "q".repeat(9000) }, { jwks: [httpseal.publicJwk(jwk)] });
      assert.equal(long.error.code, "no_signature");
      const signedMany = await httpseal.verifyRequest({ ...GET, headers: [...lines, ["Signature", "sig1=:AA==:"]] }, { jwks: [httpseal.publicJwk(jwk)] });
      assert.equal(signedMany.verdict, "invalid");
      assert.equal(signedMany.error.code, "limit_exceeded");
      assert.match(signedMany.error.message, /MAX_FIELD_LINES/);
    },
  ],
  [
    "signatureBase: new parameters give the exact RFC 9421 base, a label reads the message's own",
    async ({ httpseal, assert }) => {
      const base = httpseal.signatureBase(GET, { components: ["@method", "@authority", '@query-param;name="q"'], created: 1700000000, keyid: "k" });
      assert.equal(
        base,
        '"@method": GET\n"@authority": example.com\n"@query-param";name="q": 1\n"@signature-params": ("@method" "@authority" "@query-param";name="q");created=1700000000;keyid="k"',
      );
      const jwk = httpseal.generateKeyPair();
      const headers = await httpseal.signRequest(GET, jwk, { profile: "rfc9421", label: "mine", components: ["@method", "accept"], created: 1 });
      assert.equal(httpseal.signatureBase(signed(GET, headers), { label: "mine" }), `"@method": GET\n"accept": text/html\n"@signature-params": ("@method" "accept");created=1;keyid="${jwk.kid}";alg="ed25519"`);
      assert.throws(() => httpseal.signatureBase(GET, { label: "nope" }), { code: "label_not_found" });
      assert.throws(() => httpseal.signatureBase(GET, { components: ["x-missing"] }), { code: "missing_field" });
    },
  ],
  [
    "errors: thrown as Error with a stable .code, for keys, options, components and messages",
    async ({ httpseal, assert }) => {
      const jwk = httpseal.generateKeyPair();
      const isCoded = (code) => (err) => err instanceof Error && err.code === code && typeof err.message === "string" && err.message.length > 0;
      assert.throws(() => httpseal.generateKeyPair("md5"), isCoded("unsupported_algorithm"));
      assert.throws(() => httpseal.publicJwk({ kty: "OKP", crv: "Ed25519" }), isCoded("malformed_jwk"));
      assert.throws(() => httpseal.publicJwk("not json"), isCoded("malformed_jwk"));
      assert.throws(() => httpseal.jwkThumbprint({ kty: "XYZ" }), isCoded("unsupported_key"));
      await assert.rejects(httpseal.signRequest(GET, httpseal.publicJwk(jwk)), isCoded("not_a_private_key"));
      await assert.rejects(httpseal.signRequest(GET, jwk, { components: ["@nope"] }), isCoded("unknown_derived_component"));
      await assert.rejects(httpseal.signRequest(GET, jwk, { components: ["x-absent"] }), isCoded("missing_field"));
      await assert.rejects(httpseal.signRequest(GET, jwk, { colour: "blue" }), (e) => isCoded("malformed_message")(e) && /colour/.test(e.message));
      await assert.rejects(httpseal.signRequest({ url: "https://a/" }, jwk), isCoded("malformed_message"));
      await assert.rejects(httpseal.signRequest({ method: "GET", url: "/relative" }, jwk), isCoded("invalid_url"));
      await assert.rejects(httpseal.signRequest({ ...GET, headers: [["bad name", "x"]] }, jwk), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: null }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, null), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: "not json" }), isCoded("malformed_jwk"));
      await assert.rejects(httpseal.verifyRequest(GET, { cache: {} }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { fetch: "no" }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { allowHttp: "yes" }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: [], profile: "nope" }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: [], keys: [] }), isCoded("malformed_message"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: [], policy: { algorithms: ["md5"] } }), isCoded("unsupported_algorithm"));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: [], policy: { skeew: 1 } }), (e) => isCoded("malformed_message")(e) && /unknown field `skeew`/.test(e.message));
      await assert.rejects(httpseal.verifyRequest(GET, { jwks: [], policy: { skew: "30" } }), (e) => isCoded("malformed_message")(e) && /invalid type: string "30"/.test(e.message));
    },
  ],
  [
    "signedFetch: signs and sends the request; the server side verifies what it received",
    async ({ httpseal, assert, echoUrl }) => {
      const jwk = httpseal.generateKeyPair();
      const response = await httpseal.signedFetch(`${echoUrl}?page=2`, { method: "POST", body: "hello", headers: { "x-test": "1" } }, jwk, {
        profile: "web-bot-auth",
        components: ["@method", "@authority", "@path", "@query", "x-test", "content-digest"],
        contentDigest: "sha-256",
      });
      assert.equal(response.status, 200);
      const seen = await response.json();
      assert.equal(seen.body, "hello");
      assert.ok(seen.headers.some(([n]) => n === "signature-input"));
      const verdict = await httpseal.verifyRequest(
        { method: seen.method, url: seen.url, headers: seen.headers, body: seen.body },
        { jwks: [httpseal.publicJwk(jwk)], profile: "web-bot-auth" },
      );
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      assert.ok(verdict.components.includes('"content-digest"'));
    },
  ],
  [
    "ed25519 build: only Ed25519, interoperable with the full build",
    async ({ httpseal, small, assert }) => {
      assert.deepEqual(small.supportedAlgorithms(), ["ed25519"]);
      assert.throws(() => small.generateKeyPair("ecdsa-p256-sha256"), { code: "unsupported_algorithm" });
      const jwk = small.generateKeyPair();
      const headers = await small.signRequest(GET, jwk, { profile: "web-bot-auth" });
      const full = await httpseal.verifyRequest(signed(GET, headers), { jwks: [httpseal.publicJwk(jwk)], profile: "web-bot-auth" });
      assert.equal(full.verdict, "verified", JSON.stringify(full.error));
      const p256 = httpseal.generateKeyPair("ecdsa-p256-sha256");
      const ec = await httpseal.signRequest(GET, p256, {});
      const onSmall = await small.verifyRequest(signed(GET, ec), { jwks: [httpseal.publicJwk(p256)] });
      assert.equal(onSmall.verdict, "unverified", "an EC key is skipped by a build without ECDSA");
    },
  ],
  [
    "verifyRequest without jwks: the Signature-Agent directory is fetched from a local server (allowHttp), then served from memory",
    async ({ httpseal, assert, echoUrl }) => {
      const origin = new URL(echoUrl).origin;
      const jwk = httpseal.generateKeyPair();
      // The test server keeps the directory (its own keys, never the RFC's) at a path of its own.
      const agent = `${origin}/directory/${jwk.kid}`;
      const put = await fetch(agent, { method: "PUT", body: JSON.stringify(httpseal.createDirectory(jwk)) });
      assert.equal(put.status, 204);
      const request = { method: "GET", url: "https://example.com/articles" };
      const sent = { ...request, headers: await httpseal.signRequest(request, jwk, { signatureAgent: agent }) };
      const options = { profile: "web-bot-auth", allowHttp: true, cache: new Map() };
      const verdict = await httpseal.verifyRequest(sent, options);
      assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
      assert.equal(verdict.identifier, agent);
      assert.equal(verdict.agent, agent);
      assert.equal(verdict.directoryProof, "absent");
      assert.equal(verdict.keyid, jwk.kid);
      assert.deepEqual(await httpseal.verifyRequest(sent, options), verdict);
      const { hits } = await (await fetch(`${agent}?hits`)).json();
      assert.equal(hits, 1, "fetched once");
      // Without the development switch an http agent is not used.
      const refused = await httpseal.verifyRequest(sent, { profile: "web-bot-auth" });
      assert.equal(refused.error.code, "invalid_url");
    },
  ],
];
