// verifyRequest without jwks: the Signature-Agent directory is resolved by the core's
// verifier job, driven by the package (js/src/verify.js, js/src/fetch.js) — looked up in the
// caller's cache, fetched from a local server on 127.0.0.1 under the core's fetch rules, kept
// in memory and in the cache. Keys are made here (generateKeyPair), never the RFC's test keys.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, describe, test } from "node:test";
import { httpseal, small } from "./load.mjs";

const DIRECTORY_PATH = "/.well-known/http-message-signatures-directory";
const DIRECTORY_TYPE = "application/http-message-signatures-directory+json";
const ACCEPT = "application/http-message-signatures-directory+json, application/jwk-set+json;q=0.9, application/json;q=0.8";
const MAX_DIRECTORY_BYTES = 64 * 1024;
const PAGE = "https://example.com/articles?page=2";

const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

/**
 * A server on 127.0.0.1 whose `routes` map a path to `(req, res, server)`. It counts the
 * requests each path received (`hits[path]`) and keeps their headers (`seen`).
 */
async function serve(routes) {
  const hits = {};
  const seen = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    seen.push({ path, headers: req.headers });
    const route = routes[path];
    if (route) route(req, res, handle);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  const handle = {
    origin: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    port,
    hits,
    seen,
    close() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
  servers.push(handle);
  return handle;
}

/** Serves `jwk`'s directory, signed for the server's authority (Web Bot Auth's proof). */
function signedDirectory(jwk, extraHeaders = {}) {
  return (req, res, server) => {
    const { status, headers, body } = httpseal.signDirectoryResponse([jwk], { authority: server.authority, ttl: 3600 });
    res.writeHead(status, { ...headers, ...extraHeaders }).end(body);
  };
}

/** A request signed by `jwk` whose Signature-Agent names `agent`. */
async function agentRequest(jwk, agent, url = PAGE) {
  const request = { method: "GET", url };
  const headers = await httpseal.signRequest(request, jwk, { signatureAgent: agent });
  return { ...request, headers };
}

const dev = (extra = {}) => ({ profile: "web-bot-auth", allowHttp: true, ...extra });

describe("a directory on 127.0.0.1 (allowHttp: true)", () => {
  test("verifies; the identifier and agent are the directory URL; a Map cache serves the next calls (nothing fetched)", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: signedDirectory(jwk) });
    const request = await agentRequest(jwk, server.origin);
    const cache = new Map();
    const directoryUrl = `${server.origin}${DIRECTORY_PATH}`;

    const first = await httpseal.verifyRequest(request, dev({ cache }));
    assert.equal(first.verdict, "verified", JSON.stringify(first.error));
    assert.equal(first.identifier, directoryUrl);
    assert.equal(first.agent, directoryUrl);
    assert.equal(first.directoryProof, "valid", "the directory response was signed for its authority");
    assert.equal(first.keyid, jwk.kid);
    assert.equal(server.hits[DIRECTORY_PATH], 1);
    assert.equal(server.seen[0].headers.accept, ACCEPT, "the core's Accept header");

    // The record went to the caller's cache as text, under the core's store key (kept
    // apart, dev:…, since allowHttp fetched it).
    assert.equal(cache.size, 1);
    const [[key, text]] = cache.entries();
    assert.match(key, /^dev:dir:[A-Za-z0-9_-]{43}$/);
    assert.equal(JSON.parse(text).proof, "valid");

    const second = await httpseal.verifyRequest(request, dev({ cache }));
    assert.deepEqual(second, first);
    assert.equal(server.hits[DIRECTORY_PATH], 1, "the second call fetched nothing");

    // Another build has its own memory: the Map alone serves it.
    const other = await small.verifyRequest(request, dev({ cache }));
    assert.equal(other.verdict, "verified", JSON.stringify(other.error));
    assert.equal(server.hits[DIRECTORY_PATH], 1, "served from the cache");
  });

  test("a Workers-KV-like cache (async get, put with expirationTtl) is used the same way", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: signedDirectory(jwk) });
    const request = await agentRequest(jwk, server.origin);
    const kv = {
      data: new Map(),
      puts: [],
      gets: 0,
      async get(key) {
        this.gets += 1;
        return this.data.get(key) ?? null;
      },
      async put(key, text, options) {
        this.puts.push({ key, options });
        this.data.set(key, text);
      },
    };
    const verdict = await small.verifyRequest(request, dev({ cache: kv }));
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.equal(kv.gets, 1);
    assert.equal(kv.puts.length, 1);
    assert.ok(kv.puts[0].options.expirationTtl >= 60, JSON.stringify(kv.puts[0]));
    const again = await httpseal.verifyRequest(request, dev({ cache: kv }));
    assert.equal(again.verdict, "verified");
    assert.equal(server.hits[DIRECTORY_PATH], 1);
  });

  test("a directory path (not an origin) is fetched as named; an unsigned one is used with directoryProof absent", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({
      "/keys.json": (req, res) => res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify(httpseal.createDirectory(jwk))),
    });
    const agent = `${server.origin}/keys.json`;
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, agent), dev());
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.equal(verdict.identifier, agent);
    assert.equal(verdict.directoryProof, "absent");
  });

  test("a key the directory does not list is unverified (unknown_key), and a tampered request invalid", async () => {
    const jwk = httpseal.generateKeyPair();
    const other = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: signedDirectory(other) });
    const missing = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), dev());
    assert.equal(missing.verdict, "unverified");
    assert.equal(missing.error.code, "unknown_key");

    const listed = await serve({ [DIRECTORY_PATH]: signedDirectory(jwk) });
    const request = await agentRequest(jwk, listed.origin);
    const moved = await httpseal.verifyRequest({ ...request, url: "https://example.org/articles?page=2" }, dev());
    assert.equal(moved.verdict, "invalid");
    assert.equal(moved.error.code, "invalid_signature");
  });

  test("failures stay in memory, never in the caller's cache, and are not fetched again at once (back-off)", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({});
    const request = await agentRequest(jwk, server.origin);
    const cache = new Map();
    const verdict = await httpseal.verifyRequest(request, dev({ cache }));
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "directory_unavailable");
    assert.equal(verdict.error.cause.code, "fetch_status");
    assert.equal(cache.size, 0, "a failure is not shared");
    const again = await httpseal.verifyRequest(request, dev({ cache }));
    assert.equal(again.error.code, "directory_unavailable");
    assert.equal(server.hits[DIRECTORY_PATH], 1, "remembered: no second fetch during the back-off");
  });

  test("a no-store directory is used but kept in memory only", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: signedDirectory(jwk, { "cache-control": "no-store" }) });
    const cache = new Map();
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), dev({ cache }));
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.equal(cache.size, 0);
  });

  test("two directories are fetched at once (the job hands out both before it waits)", async () => {
    const a = httpseal.generateKeyPair();
    const b = httpseal.generateKeyPair();
    let bAsked;
    const bArrived = new Promise((ok) => (bAsked = ok));
    // A answers only once B was asked: one fetch at a time would wait for A's timeout.
    const serverA = await serve({ [DIRECTORY_PATH]: (req, res, s) => bArrived.then(() => signedDirectory(a)(req, res, s)) });
    const serverB = await serve({
      [DIRECTORY_PATH]: (req, res, s) => {
        bAsked();
        signedDirectory(b)(req, res, s);
      },
    });
    const request = { method: "GET", url: PAGE };
    const first = await httpseal.signRequest(request, a, { signatureAgent: serverA.origin, label: "sig1" });
    const second = await httpseal.signRequest(request, b, { signatureAgent: serverB.origin, label: "sig2" });
    const headers = {};
    for (const name of ["Signature-Agent", "Signature-Input", "Signature"]) headers[name] = `${first[name]}, ${second[name]}`;
    const started = Date.now();
    const verdict = await httpseal.verifyRequest({ ...request, headers }, dev());
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.ok(Date.now() - started < 4000, "no fetch waited for another");
    assert.equal(serverA.hits[DIRECTORY_PATH], 1);
    assert.equal(serverB.hits[DIRECTORY_PATH], 1);
  });

  test("records read from the cache are kept in memory, also when several lookups were out at once", async () => {
    const a = httpseal.generateKeyPair();
    const b = httpseal.generateKeyPair();
    // A's directory does not list a, so the job needs both directories (it stops at the
    // first signature that verifies, whatever is still out).
    const serverA = await serve({ [DIRECTORY_PATH]: signedDirectory(httpseal.generateKeyPair()) });
    const serverB = await serve({ [DIRECTORY_PATH]: signedDirectory(b) });
    const request = { method: "GET", url: PAGE };
    const first = await httpseal.signRequest(request, a, { signatureAgent: serverA.origin, label: "sig1" });
    const second = await httpseal.signRequest(request, b, { signatureAgent: serverB.origin, label: "sig2" });
    const headers = {};
    for (const name of ["Signature-Agent", "Signature-Input", "Signature"]) headers[name] = `${first[name]}, ${second[name]}`;
    const map = new Map();
    // The full build fetches both directories into the Map.
    assert.equal((await httpseal.verifyRequest({ ...request, headers }, dev({ cache: map }))).verdict, "verified");
    assert.equal(map.size, 2);
    // The small build's memory has neither: both lookups go to the cache, at once, and both
    // records stay in its memory, so the next call asks the cache nothing.
    const gets = [];
    const counting = { get: (key) => (gets.push(key), map.get(key)), set: (key, text) => map.set(key, text) };
    assert.equal((await small.verifyRequest({ ...request, headers }, dev({ cache: counting }))).verdict, "verified");
    assert.equal(new Set(gets).size, 2);
    gets.length = 0;
    assert.equal((await small.verifyRequest({ ...request, headers }, dev({ cache: counting }))).verdict, "verified");
    assert.deepEqual(gets, []);
    assert.equal(serverA.hits[DIRECTORY_PATH] + serverB.hits[DIRECTORY_PATH], 2);
  });

  test("a stale cached record is used at once and refreshed after the verdict, in the background", async () => {
    const jwk = httpseal.generateKeyPair();
    let release;
    const held = new Promise((ok) => (release = ok));
    let answered = 0;
    const server = await serve({
      [DIRECTORY_PATH]: (req, res, s) => {
        // The first fetch answers at once; the refresh waits until the test lets it go.
        const go = s.hits[DIRECTORY_PATH] === 1 ? Promise.resolve() : held;
        go.then(() => {
          answered += 1;
          signedDirectory(jwk)(req, res, s);
        });
      },
    });
    const request = await agentRequest(jwk, server.origin);
    const cache = new Map();
    assert.equal((await httpseal.verifyRequest(request, dev({ cache }))).verdict, "verified");
    const [[key, text]] = cache.entries();
    const stale = JSON.parse(text);
    const past = Math.floor(Date.now() / 1000) - 10;
    Object.assign(stale, { freshUntil: past, retryAfter: past });
    cache.set(key, JSON.stringify(stale));

    // The other build's memory has no record: it reads the stale one from the cache.
    const verdict = await small.verifyRequest(request, dev({ cache }));
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    await waitFor(() => server.hits[DIRECTORY_PATH] === 2);
    assert.equal(answered, 1, "the verdict did not wait for the refresh");
    release();
    await waitFor(() => JSON.parse(cache.get(key)).freshUntil > past);
    assert.equal(answered, 2);
  });
});

async function waitFor(condition, ms = 3000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

describe("the fetch rules", () => {
  test("without allowHttp, a loopback directory is refused before anything is sent", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: signedDirectory(jwk) });
    // An https URL naming the loopback address, or any IP literal: the core's fetch rules refuse it.
    const loopback = await httpseal.verifyRequest(await agentRequest(jwk, `https://127.0.0.1:${server.port}`), { profile: "web-bot-auth" });
    assert.equal(loopback.verdict, "unverified");
    assert.equal(loopback.error.code, "directory_unavailable");
    assert.equal(loopback.error.cause.code, "fetch_loopback_refused");
    const literal = await httpseal.verifyRequest(await agentRequest(jwk, "https://203.0.113.7"), { profile: "web-bot-auth" });
    assert.equal(literal.verdict, "unverified");
    assert.equal(literal.error.cause.code, "fetch_ip_literal_refused");
    const internal = await httpseal.verifyRequest(await agentRequest(jwk, "https://agents.internal"), { profile: "web-bot-auth" });
    assert.equal(internal.error.cause.code, "fetch_private_host_refused");
    // An http URL: Web Bot Auth agents are https, so the member itself is unusable.
    const plain = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), { profile: "web-bot-auth" });
    assert.notEqual(plain.verdict, "verified");
    assert.equal(plain.error.code, "invalid_url", JSON.stringify(plain.error));
    assert.equal(server.hits[DIRECTORY_PATH], undefined, "nothing was fetched");
    // With the switch, the same request verifies.
    const allowed = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), dev());
    assert.equal(allowed.verdict, "verified", JSON.stringify(allowed.error));
  });

  test("records fetched under allowHttp never answer a verification without it (memory or cache)", async () => {
    const jwk = httpseal.generateKeyPair();
    const body = JSON.stringify(httpseal.createDirectory(jwk));
    const fetch = async () => new Response(body, { headers: { "content-type": DIRECTORY_TYPE } });
    const request = await agentRequest(jwk, "https://localhost:8443");
    const cache = new Map();
    const allowed = await httpseal.verifyRequest(request, { profile: "web-bot-auth", allowHttp: true, fetch, cache });
    assert.equal(allowed.verdict, "verified", JSON.stringify(allowed.error));
    assert.equal(cache.size, 1);
    assert.match([...cache.keys()][0], /^dev:dir:/, "kept apart in the caller's cache too");
    const refused = await httpseal.verifyRequest(request, { profile: "web-bot-auth", fetch, cache });
    assert.equal(refused.verdict, "unverified");
    assert.equal(refused.error.cause.code, "fetch_loopback_refused");
  });

  test("a directory over the size limit is refused (streamed without a length, and announced by Content-Length)", async () => {
    const jwk = httpseal.generateKeyPair();
    const big = JSON.stringify({ keys: [httpseal.publicJwk(jwk)], padding: "x".repeat(MAX_DIRECTORY_BYTES) });
    const server = await serve({
      "/streamed": (req, res) => {
        res.writeHead(200, { "content-type": DIRECTORY_TYPE });
        // Chunked, no Content-Length: the limit is found while reading.
        for (let i = 0; i < big.length; i += 4096) res.write(big.slice(i, i + 4096));
        res.end();
      },
      "/announced": (req, res) => res.writeHead(200, { "content-type": DIRECTORY_TYPE, "content-length": Buffer.byteLength(big) }).end(big),
    });
    for (const path of ["/streamed", "/announced"]) {
      const verdict = await httpseal.verifyRequest(await agentRequest(jwk, `${server.origin}${path}`), dev());
      assert.equal(verdict.verdict, "unverified", path);
      assert.equal(verdict.error.code, "directory_unavailable", path);
      assert.equal(verdict.error.cause.code, "fetch_too_large", path);
    }
  });

  test("a directory of exactly the limit is read whole", async () => {
    const jwk = httpseal.generateKeyPair();
    const directory = JSON.stringify(httpseal.createDirectory(jwk));
    const body = directory.slice(0, -1) + " ".repeat(MAX_DIRECTORY_BYTES - Buffer.byteLength(directory)) + "}";
    assert.equal(Buffer.byteLength(body), MAX_DIRECTORY_BYTES);
    const server = await serve({ "/keys": (req, res) => res.writeHead(200, { "content-type": DIRECTORY_TYPE }).end(body) });
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, `${server.origin}/keys`), dev());
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
  });

  test("a redirect is not followed", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({
      [DIRECTORY_PATH]: (req, res, s) => res.writeHead(302, { location: `${s.origin}/elsewhere` }).end(),
      "/elsewhere": signedDirectory(jwk),
    });
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), dev());
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "directory_unavailable");
    assert.equal(verdict.error.cause.code, "fetch_redirect_refused");
    assert.match(verdict.error.cause.message, /302/);
    assert.equal(server.hits["/elsewhere"], undefined, "the target was never asked");
  });

  test("a fetch that is aborted is a timeout (fetch_timeout); the caller's fetch gets the core's rules", async () => {
    const jwk = httpseal.generateKeyPair();
    const calls = [];
    const fetch = (url, init) => {
      calls.push({ url, init });
      return new Promise((resolve, reject) => setTimeout(() => reject(new DOMException("The operation was aborted.", "AbortError")), 30));
    };
    const agent = "https://slow.example.com";
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, agent), { profile: "web-bot-auth", fetch });
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "directory_unavailable");
    assert.equal(verdict.error.cause.code, "fetch_timeout");
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, `${agent}${DIRECTORY_PATH}`);
    assert.equal(calls[0].init.method, "GET");
    assert.equal(calls[0].init.redirect, "manual");
    assert.equal(calls[0].init.headers.accept, ACCEPT);
    assert.ok(calls[0].init.signal instanceof AbortSignal);
  });

  test("a fetch that fails is fetch_failed; a stand-in fetch's Response is read like any other", async () => {
    const jwk = httpseal.generateKeyPair();
    const failing = () => Promise.reject(new TypeError("fetch failed: ECONNREFUSED"));
    const failed = await httpseal.verifyRequest(await agentRequest(jwk, "https://down.example.com"), { profile: "web-bot-auth", fetch: failing });
    assert.equal(failed.error.cause.code, "fetch_failed");
    assert.match(failed.error.cause.message, /ECONNREFUSED/);
    const body = JSON.stringify(httpseal.createDirectory(jwk));
    const standIn = async () => new Response(body, { headers: { "content-type": DIRECTORY_TYPE } });
    const cache = new Map();
    const ok = await httpseal.verifyRequest(await agentRequest(jwk, "https://agent.example.com"), { profile: "web-bot-auth", fetch: standIn, cache });
    assert.equal(ok.verdict, "verified", JSON.stringify(ok.error));
    assert.equal(ok.identifier, `https://agent.example.com${DIRECTORY_PATH}`);
    // The edge Worker's KV key for the same directory: dir:<SHA-256 of the URL, base64url>.
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ok.identifier)));
    const expected = `dir:${btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
    assert.deepEqual([...cache.keys()], [expected]);
  });

  test("a server that never answers is abandoned after the core's timeout (5 s)", async () => {
    const jwk = httpseal.generateKeyPair();
    const server = await serve({ [DIRECTORY_PATH]: () => {} });
    const started = Date.now();
    const verdict = await httpseal.verifyRequest(await agentRequest(jwk, server.origin), dev());
    const took = Date.now() - started;
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.cause.code, "fetch_timeout");
    assert.ok(took >= 4900 && took < 6500, `took ${took} ms`);
  });
});
