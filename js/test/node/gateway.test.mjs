// The gateways in Node: `httpseal/edge` (withVerification, the Hono middleware,
// fetchHandler, rejection) over WHATWG Requests, and `httpseal/node` (middleware,
// withVerification) over real `node:http` servers on 127.0.0.1. Every decision comes from the
// core (crates/npm/src/gateway.rs): these tests pin what reaches JavaScript — the verdict
// header's exact value, the enforce statuses, challenge, Retry-After and problem bodies, the
// route and agent rules, the cache and fetch rules. Keys are generated here.

import assert from "node:assert/strict";
import { request as httpRequest, createServer } from "node:http";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Hono } from "hono";
import { PKG, httpseal } from "./load.mjs";

const edge = await import(join(PKG, "dist", "full", "node", "edge.mjs"));
const node = await import(join(PKG, "dist", "full", "node", "server.mjs"));

const DIRECTORY_PATH = "/.well-known/http-message-signatures-directory";
const CHALLENGE = 'sig1=("@authority");created;expires;tag="web-bot-auth"';
const now = () => Math.floor(Date.now() / 1000);

const jwk = httpseal.generateKeyPair();
const thumbprint = httpseal.jwkThumbprint(jwk);
const trusted = { keys: [httpseal.publicJwk(jwk)] };

/** A WHATWG Request to `url` signed by `key` (Web Bot Auth), with `extra` headers. */
async function signed(url, { key = jwk, headers = {}, method = "GET", body, sign = {} } = {}) {
  const request = new Request(url, { method, headers, body });
  const added = await httpseal.signRequest(request, key, sign);
  return new Request(url, { method, headers: { ...headers, ...added }, body });
}

/** A handler that answers with what it was given. */
const echo = async (request, env, ctx, verdict) =>
  Response.json({ url: request.url, headers: Object.fromEntries(request.headers), verdict, body: await request.text() });

const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const handle = {
    port: server.address().port,
    close() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
  servers.push(handle);
  return handle;
}

describe("httpseal/edge: withVerification", () => {
  test("annotate: the core's verdict header replaces every client copy; the handler gets the verdict", async () => {
    const fetch = edge.withVerification(echo, { trustedJwks: trusted });
    const forged = new Request("https://shop.example/", { headers: { "HTTPSeal-Verdict": "verified", "httpseal-verdict": "verified;keyid=\"x\"" } });
    const seen = await (await fetch(forged, {}, undefined)).json();
    assert.equal(seen.headers["httpseal-verdict"], 'unverified;error="no_signature"');
    assert.equal(seen.verdict.verdict, "unverified");

    const url = "https://shop.example/items?id=7";
    const ok = await (await fetch(await signed(url, { headers: { "x-agent-verdict": "forged" } }), {}, undefined)).json();
    assert.equal(ok.headers["httpseal-verdict"], `verified;label="sig1";keyid="${thumbprint}";alg="ed25519";tag="web-bot-auth";identifier="${thumbprint}"`);
    assert.equal(ok.verdict.identifier, thumbprint);
    assert.equal(ok.headers["x-agent-verdict"], "forged", "only the configured header is the gateway's");
    assert.equal(ok.url, url);

    const custom = edge.withVerification(echo, { trustedJwks: trusted, verdictHeader: "X-Agent-Verdict" });
    const mine = await (await custom(await signed(url, { headers: { "X-AGENT-VERDICT": "verified" } }))).json();
    assert.match(mine.headers["x-agent-verdict"], /^verified;/);
    assert.equal(mine.headers["httpseal-verdict"], undefined);
  });

  test("enforce: 401 + Accept-Signature, 403, 429 and 503 + Retry-After, problem+json, as gateway::decide says", async () => {
    const nonces = new Map();
    const fetch = edge.withVerification(echo, { mode: "enforce", trustedJwks: trusted, nonces });
    const unsigned = await fetch(new Request("https://shop.example/"));
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers.get("content-type"), "application/problem+json");
    assert.equal(unsigned.headers.get("cache-control"), "no-store");
    assert.equal(unsigned.headers.get("accept-signature"), CHALLENGE);
    assert.deepEqual(await unsigned.json(), { type: "about:blank", title: "Unauthorized", status: 401, detail: "the message carries no Signature-Input and Signature", code: "no_signature" });

    const url = "https://shop.example/checkout";
    const request = await signed(url);
    const good = await fetch(request.clone());
    assert.equal(good.status, 200);
    const replay = await fetch(request);
    assert.equal(replay.status, 429);
    assert.equal((await replay.json()).code, "nonce_replayed");
    assert.equal(nonces.size, 1, "the nonce is recorded under the core's replay key");
    assert.match([...nonces.keys()][0], /^nonce:[A-Za-z0-9_-]{43}$/);

    const moved = await signed(url);
    const elsewhere = await fetch(new Request("https://evil.example/checkout", { headers: moved.headers }));
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.headers.get("accept-signature"), null);
    assert.equal((await elsewhere.json()).code, "invalid_signature");

    const expired = await fetch(await signed(url, { sign: { created: now() - 600, expires: now() - 300 } }));
    assert.equal(expired.status, 403);
    assert.equal((await expired.json()).code, "expired");

    const stranger = await fetch(await signed(url, { key: httpseal.generateKeyPair() }));
    assert.equal(stranger.status, 401, "an unknown key is unverified");
    assert.equal((await stranger.json()).code, "unknown_key");

    const broken = edge.withVerification(echo, { mode: "enforce", trustedJwks: trusted, nonces: { get: async () => { throw new Error("KV is down"); }, put: async () => {} } });
    const down = await broken(await signed(url));
    assert.equal(down.status, 503);
    assert.equal(down.headers.get("retry-after"), "5");
    const problem = await down.json();
    assert.equal(problem.code, "replay_check_unavailable");
    assert.match(problem.detail, /KV is down/);
  });

  test("handler mode: every request reaches the handler with its verdict; rejection() is what enforce would answer", async () => {
    let given;
    const fetch = edge.withVerification((request, env, ctx, verdict) => {
      given = { header: request.headers.get("httpseal-verdict"), verdict, env, ctx };
      return edge.rejection(verdict) ?? new Response("welcome");
    }, { mode: "handler", trustedJwks: trusted });
    const env = { some: "binding" };
    const ctx = { waitUntil() {} };
    const res = await fetch(new Request("https://shop.example/"), env, ctx);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("accept-signature"), CHALLENGE);
    assert.equal(given.header, 'unverified;error="no_signature"');
    assert.equal(given.env, env);
    assert.equal(given.ctx, ctx);
    assert.equal(JSON.stringify(given.verdict), JSON.stringify({ ...given.verdict }), "the verdict is the plain JSON verdict");
    const ok = await fetch(await signed("https://shop.example/"), env, ctx);
    assert.equal(await ok.text(), "welcome");
    assert.equal(edge.rejection(given.verdict), null);
  });

  test("route and agent rules come from the core's gateway::Rules", async () => {
    const other = httpseal.generateKeyPair();
    const rules = {
      routes: [
        { name: "api", path: "/api/*", mode: "enforce" },
        { name: "partners", path: "/partners/*", mode: "enforce", agents: "allowlist" },
        { name: "short", path: "/short/*", policy: { maxLifetime: 30 } },
      ],
      agents: [
        { name: "blocked", thumbprint: httpseal.jwkThumbprint(other), action: "deny" },
        { name: "friend", thumbprint, action: "allow" },
      ],
    };
    const fetch = edge.withVerification(echo, { trustedJwks: { keys: [httpseal.publicJwk(jwk), httpseal.publicJwk(other)] }, rules });
    assert.equal((await fetch(new Request("https://shop.example/home"))).status, 200, "the default is annotate");
    assert.equal((await fetch(new Request("https://shop.example/api/items"))).status, 401);
    assert.equal((await fetch(await signed("https://shop.example/api/items"))).status, 200);
    const denied = await fetch(await signed("https://shop.example/home", { key: other }));
    assert.equal(denied.status, 403);
    const deniedProblem = await denied.json();
    assert.equal(deniedProblem.code, "agent_denied");
    assert.match(deniedProblem.detail, /"blocked"/);
    assert.equal((await fetch(await signed("https://shop.example/partners/x"))).status, 200, "allowed by name");
    const short = await (await fetch(await signed("https://shop.example/short/x"))).json();
    assert.match(short.headers["httpseal-verdict"], /^invalid;.*error="lifetime_too_long";rule="maxLifetime"$/, "60 s signatures exceed the route's 30 s");

    const allowlist = edge.withVerification(echo, {
      trustedJwks: { keys: [httpseal.publicJwk(jwk), httpseal.publicJwk(other)] },
      rules: { routes: [{ path: "/partners/*", agents: "allowlist" }], agents: [{ thumbprint, action: "allow" }] },
    });
    const notListed = await allowlist(await signed("https://shop.example/partners/x", { key: other }));
    assert.equal(notListed.status, 403);
    assert.equal((await notListed.json()).code, "agent_not_allowed");
  });

  test("an agent rule's policy applies to that agent only (the core's identifier policies)", async () => {
    const other = httpseal.generateKeyPair();
    const fetch = edge.withVerification(echo, {
      trustedJwks: { keys: [httpseal.publicJwk(jwk), httpseal.publicJwk(other)] },
      rules: { agents: [{ name: "static-signer", thumbprint, action: "allow", policy: { maxLifetime: 3 * 86400 } }] },
    });
    const twoDays = { expires: now() + 2 * 86400 };
    const allowed = await (await fetch(await signed("https://shop.example/", { sign: twoDays }))).json();
    assert.match(allowed.headers["httpseal-verdict"], /^verified;/);
    const others = await (await fetch(await signed("https://shop.example/", { key: other, sign: twoDays }))).json();
    assert.match(others.headers["httpseal-verdict"], /^invalid;.*error="lifetime_too_long"/);
  });

  test("the Host field restores an authority the platform's URL normalised (a signer that kept :443)", async () => {
    const fetch = edge.withVerification(echo, { trustedJwks: trusted });
    const headers = await httpseal.signRequest({ method: "GET", url: "https://shop.example:443/items?x=1" }, jwk, { components: ["@target-uri"] });
    const asSent = new Request("https://shop.example/items?x=1", { headers: { ...headers, host: "shop.example:443" } });
    assert.equal(asSent.url, "https://shop.example/items?x=1", "the URL lost the port");
    const seen = await (await fetch(asSent)).json();
    assert.equal(seen.verdict.verdict, "verified", JSON.stringify(seen.verdict.error));
    assert.match(seen.verdict.signatureBase, /^"@target-uri": https:\/\/shop\.example:443\/items\?x=1\n/);
  });

  test("bad options throw invalid_configuration naming the option or the rule; options from env answer 500 per request", async () => {
    const bad = [
      [{ mode: "block" }, /mode: "block" is not a mode/],
      [{ profile: "wba" }, /profile: "wba" is not a profile/],
      [{ colour: "blue" }, /unknown option "colour"/],
      [{ verdictHeader: "Signature" }, /verdictHeader: "Signature" is a field that verification/],
      [{ verdictHeader: "bad header" }, /not a valid header name/],
      [{ trustedJwks: { keys: [jwk] } }, /trustedJwks: holds a private key/],
      [{ rules: { routes: [{ path: "api/*" }] } }, /rules: routes\[0\]: path "api\/\*" must start with \//],
      [{ policy: { maxAge: "soon" } }, /policy/],
      [{ maxCheckedBodyBytes: 1 << 30 }, /maxCheckedBodyBytes/],
      [{ nonces: 42 }, /nonces must be/],
    ];
    for (const [options, says] of bad) {
      assert.throws(() => edge.withVerification(echo, options), (err) => err.code === "invalid_configuration" && says.test(err.message), JSON.stringify(options));
    }
    const fromEnv = edge.withVerification(echo, (env) => ({ mode: env.MODE }));
    const res = await fromEnv(new Request("https://shop.example/"), { MODE: "block" });
    assert.equal(res.status, 500);
    const problem = await res.json();
    assert.equal(problem.code, "invalid_configuration");
    assert.match(problem.detail, /^mode: "block"/);
    const missing = await edge.withVerification(echo, { kv: "DIRECTORY_CACHE" })(new Request("https://shop.example/"), {});
    assert.equal(missing.status, 500);
    assert.match((await missing.json()).detail, /no binding "DIRECTORY_CACHE"/);
    const good = await fromEnv(new Request("https://shop.example/"), { MODE: "enforce" });
    assert.equal(good.status, 401);
  });

  test("a signed body is checked against its Content-Digest, streamed from a copy: the handler still reads it", async () => {
    const fetch = edge.withVerification(echo, { mode: "enforce", trustedJwks: trusted, maxCheckedBodyBytes: 1024 });
    const url = "https://shop.example/orders";
    const body = JSON.stringify({ hello: "world" });
    const sign = { contentDigest: "sha-256", components: ["@method", "@authority", "@path", "content-digest"] };
    const ok = await fetch(await signed(url, { method: "POST", body, sign, headers: { "content-type": "application/json" } }));
    assert.equal(ok.status, 200);
    const seen = await ok.json();
    assert.equal(seen.body, body);
    assert.match(seen.headers["httpseal-verdict"], /^verified;/);
    const request = await signed(url, { method: "POST", body, sign });
    const swapped = await fetch(new Request(url, { method: "POST", headers: request.headers, body: '{"hello":"mallory"}' }));
    assert.equal(swapped.status, 403);
    assert.equal((await swapped.json()).code, "content_digest_mismatch");
    const big = "x".repeat(2048);
    const large = await fetch(await signed(url, { method: "POST", body: big, sign }));
    assert.equal(large.status, 403);
    assert.equal((await large.json()).code, "limit_exceeded");
    const unsigned = await fetch(new Request(url, { method: "POST", body }));
    assert.equal(unsigned.status, 401, "an unsigned body is not read");
  });
});

describe("httpseal/edge: directories (the Worker's job and cache rules)", () => {
  /** A directory server reached as https://agent.example.com through the `fetch` option. */
  async function agentServer(key, { delayMs = 0 } = {}) {
    const hits = { count: 0 };
    const { status, headers, body } = httpseal.signDirectoryResponse([key], { authority: "agent.example.com", ttl: 3600 });
    const server = await listen((req, res) => {
      hits.count += 1;
      setTimeout(() => res.writeHead(status, { ...headers, "cache-control": "max-age=600" }).end(body), delayMs);
    });
    const origin = `http://127.0.0.1:${server.port}`;
    const fetchVia = (url, init) => fetch(url.replace("https://agent.example.com", origin), init);
    return { hits, fetchVia };
  }

  test("one fetch for concurrent requests (single-flight); KV gets dir:<sha-256> once, with expirationTtl and the URL as metadata", async () => {
    const key = httpseal.generateKeyPair();
    const { hits, fetchVia } = await agentServer(key, { delayMs: 200 });
    const puts = [];
    const data = new Map();
    const kv = {
      async get(k) { return data.get(k) ?? null; },
      async put(k, text, options) { puts.push({ k, options }); data.set(k, text); },
    };
    const waited = [];
    const ctx = { waitUntil: (p) => waited.push(p) };
    const fetch = edge.withVerification(echo, { kv, fetch: fetchVia });
    const url = "https://shop.example/";
    const requests = await Promise.all(Array.from({ length: 8 }, () => signed(url, { key, sign: { signatureAgent: "https://agent.example.com" } })));
    const answers = await Promise.all(requests.map(async (r) => (await fetch(r, {}, ctx)).json()));
    const dirUrl = `https://agent.example.com${DIRECTORY_PATH}`;
    for (const a of answers) assert.equal(a.headers["httpseal-verdict"], `verified;label="sig1";keyid="${httpseal.jwkThumbprint(key)}";alg="ed25519";tag="web-bot-auth";agent="${dirUrl}";identifier="${dirUrl}"`);
    assert.equal(hits.count, 1);
    await Promise.all(waited);
    assert.equal(puts.length, 1, "one KV write for the record eight requests kept");
    const { createHash } = await import("node:crypto");
    assert.equal(puts[0].k, "dir:" + createHash("sha256").update(dirUrl).digest("base64url"));
    assert.deepEqual(puts[0].options.metadata, { url: dirUrl });
    assert.ok(Math.abs(puts[0].options.expirationTtl - (600 + 7 * 86400)) <= 5, `${puts[0].options.expirationTtl}`);
  });

  test("more fetches in flight than the Worker's cap: fetch_busy, which enforce answers with 503 + Retry-After", async () => {
    let release;
    const held = new Promise((ok) => (release = ok));
    let started = 0;
    const hanging = async () => {
      started += 1;
      await held;
      return new Response("{}", { status: 503 });
    };
    const fetch = edge.withVerification(echo, { mode: "enforce", fetch: hanging });
    const key = httpseal.generateKeyPair();
    const pending = [];
    for (let i = 0; i < 16; i++) {
      pending.push(fetch(await signed("https://shop.example/", { key, sign: { signatureAgent: `https://agent${i}.example.com` } })));
    }
    while (started < 16) await new Promise((ok) => setTimeout(ok, 5));
    const busy = await fetch(await signed("https://shop.example/", { key, sign: { signatureAgent: "https://agent-x.example.com" } }));
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), "5");
    const problem = await busy.json();
    assert.equal(problem.code, "directory_unavailable");
    assert.match(problem.detail, /fetch_busy/);
    release();
    for (const r of await Promise.all(pending)) assert.equal(r.status, 401, "the others: the directory answered 503");
  });
});

describe("httpseal/edge: Hono and fetch-style servers", () => {
  test("Hono: app.use(httpseal(...)); the verdict in c.get('httpseal'), the header on c.req; enforce answers as the Worker", async () => {
    const app = new Hono();
    app.use("/private/*", edge.httpseal({ mode: "enforce", trustedJwks: trusted }));
    app.use("*", edge.httpseal({ trustedJwks: trusted }));
    app.get("*", (c) => c.json({ verdict: c.get("httpseal").verdict, header: c.req.header("httpseal-verdict") }));
    const open = await (await app.request(new Request("https://shop.example/", { headers: { "httpseal-verdict": "verified" } }))).json();
    assert.deepEqual(open, { verdict: "unverified", header: 'unverified;error="no_signature"' });
    const closed = await app.request(new Request("https://shop.example/private/x"));
    assert.equal(closed.status, 401);
    assert.equal(closed.headers.get("accept-signature"), CHALLENGE);
    const mine = await (await app.request(await signed("https://shop.example/private/x"))).json();
    assert.equal(mine.verdict, "verified");
  });

  test("fetchHandler (Deno.serve, Bun.serve): the handler gets the request, the verdict, and what the server passed", async () => {
    const handler = edge.fetchHandler((request, verdict, info) => Response.json({ verdict: verdict.verdict, info, header: request.headers.get("httpseal-verdict") }), { trustedJwks: trusted });
    const out = await (await handler(await signed("https://shop.example/"), { remoteAddr: "127.0.0.1" })).json();
    assert.equal(out.verdict, "verified");
    assert.deepEqual(out.info, { remoteAddr: "127.0.0.1" });
    assert.match(out.header, /^verified;/);
  });
});

/** A raw HTTP/1.1 request, so the test controls Host and the target exactly. */
function rawRequest(port, { method = "GET", path = "/", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, setHost: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("httpseal/node", () => {
  /** A listener that answers with what it saw (the verdict, the headers, the body). */
  const seen = (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ verdict: req.httpseal, headers: req.headers, raw: req.rawHeaders, body: Buffer.concat(chunks).toString("utf8") }));
    });
  };

  test("withVerification for node:http: the target URI as received (Host and target, no normalisation), the verdict on req.httpseal", async () => {
    const server = await listen(node.withVerification(seen, { trustedJwks: trusted }));
    // Signed over @target-uri with the default port kept: a URL parser would drop it.
    const target = "http://shop.example:80/items?x=1";
    const headers = await httpseal.signRequest({ method: "GET", url: target }, jwk, { components: ["@target-uri", "@authority"] });
    const res = await rawRequest(server.port, { path: "/items?x=1", headers: { host: "shop.example:80", ...headers, "HTTPSeal-Verdict": "verified" } });
    const out = JSON.parse(res.body);
    assert.equal(out.verdict.verdict, "verified", JSON.stringify(out.verdict.error));
    assert.match(out.verdict.signatureBase, /^"@target-uri": http:\/\/shop\.example:80\/items\?x=1\n/);
    assert.match(out.headers["httpseal-verdict"], /^verified;/);
    const copies = out.raw.filter((_, i) => i % 2 === 0 && out.raw[i].toLowerCase() === "httpseal-verdict");
    assert.equal(copies.length, 1, "the client's copy is gone from rawHeaders too");
    const other = await rawRequest(server.port, { path: "/items?x=1", headers: { host: "shop.example", ...headers } });
    assert.equal(JSON.parse(other.body).verdict.error.code, "invalid_signature", "another Host is another target URI");
  });

  test("Express-style middleware: enforce answers itself; next() otherwise; a mount path stays in the target (originalUrl)", async () => {
    const verify = node.middleware({ mode: "enforce", trustedJwks: trusted });
    // A minimal Express-like chain: app.use("/api", verify) strips "/api" from req.url.
    const server = await listen((req, res) => {
      req.originalUrl = req.url;
      req.url = req.url.replace(/^\/api/, "") || "/";
      verify(req, res, (err) => (err ? res.writeHead(500).end(String(err)) : seen(req, res)));
    });
    const unsigned = await rawRequest(server.port, { path: "/api/x", headers: { host: `127.0.0.1:${server.port}` } });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers["accept-signature"], CHALLENGE);
    assert.equal(unsigned.headers["content-type"], "application/problem+json");
    assert.equal(JSON.parse(unsigned.body).code, "no_signature");
    const url = `http://127.0.0.1:${server.port}/api/x`;
    const headers = await httpseal.signRequest({ method: "GET", url }, jwk, { components: ["@authority", "@path"] });
    const ok = await rawRequest(server.port, { path: "/api/x", headers: { host: `127.0.0.1:${server.port}`, ...headers } });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).verdict.verdict, "verified");
  });

  test("a signed body is read for its Content-Digest and given back: the listener reads it whole", async () => {
    const server = await listen(node.withVerification(seen, { mode: "enforce", trustedJwks: trusted }));
    const url = `http://127.0.0.1:${server.port}/orders`;
    const body = "x".repeat(200_000);
    const sign = { contentDigest: "sha-256", components: ["@method", "@authority", "@path", "content-digest"] };
    const headers = await httpseal.signRequest({ method: "POST", url, body }, jwk, sign);
    const ok = await rawRequest(server.port, { method: "POST", path: "/orders", headers: { host: `127.0.0.1:${server.port}`, ...headers }, body });
    assert.equal(ok.status, 200, ok.body.slice(0, 300));
    const out = JSON.parse(ok.body);
    assert.equal(out.body.length, body.length);
    assert.equal(out.verdict.verdict, "verified");
    const swapped = await rawRequest(server.port, { method: "POST", path: "/orders", headers: { host: `127.0.0.1:${server.port}`, ...headers }, body: "y".repeat(200_000) });
    assert.equal(swapped.status, 403);
    assert.equal(JSON.parse(swapped.body).code, "content_digest_mismatch");
  });

  test("chunked bodies, empty or in pieces: read for the digest, and the listener still gets its 'end'", async () => {
    const server = await listen(node.withVerification(seen, { mode: "enforce", trustedJwks: trusted }));
    const url = `http://127.0.0.1:${server.port}/upload`;
    for (const body of ["", "hello, in several chunks of seven bytes"]) {
      const headers = await httpseal.signRequest({ method: "POST", url, body }, jwk, { contentDigest: "sha-256", components: ["@method", "@authority", "content-digest"] });
      const res = await new Promise((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/upload", headers: { ...headers, "transfer-encoding": "chunked" } }, (r) => {
          let text = "";
          r.on("data", (c) => (text += c));
          r.on("end", () => resolve({ status: r.statusCode, text }));
        });
        req.on("error", reject);
        for (const part of body.match(/.{1,7}/gs) ?? []) req.write(part);
        req.end();
      });
      assert.equal(res.status, 200, res.text);
      const out = JSON.parse(res.text);
      assert.equal(out.verdict.verdict, "verified", JSON.stringify(out.verdict.error));
      assert.equal(out.body, body);
    }
  });

  test("behind a TLS-terminating proxy: scheme: 'https'; rejection() for handler mode", async () => {
    const server = await listen(node.withVerification((req, res) => {
      const reject = node.rejection(req.httpseal);
      if (reject) return res.writeHead(reject.status, reject.headers).end(reject.body);
      return seen(req, res);
    }, { mode: "handler", trustedJwks: trusted, scheme: "https" }));
    const headers = await httpseal.signRequest({ method: "GET", url: "https://shop.example/a" }, jwk, { components: ["@target-uri"] });
    const ok = await rawRequest(server.port, { path: "/a", headers: { host: "shop.example", ...headers } });
    assert.equal(JSON.parse(ok.body).verdict.verdict, "verified");
    const unsigned = await rawRequest(server.port, { path: "/a", headers: { host: "shop.example" } });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers["accept-signature"], CHALLENGE);
  });
});
