// A JavaScript Worker on `httpseal/edge`, under workerd (Miniflare), against the Rust Worker
// (crates/edge/build, started as helpers.mjs startWorker does): the same requests must get
// the same verdicts, verdict headers and enforce answers, because both ask the same core.
// The JS Worker is built as a user would build it: `npm pack` of pkg/, installed into an
// empty project, bundled with esbuild for workerd (the `.wasm` as a compiled module).
// Directories are served on 127.0.0.1 (DEV_ALLOW_INSECURE_DIRECTORIES / allowHttp), or as
// https://agent.example.com through the JS Worker's `fetch` option to test the production
// KV keys. Keys are generated (httpseal's generateKeyPair), never the RFC test keys.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { ROOT, startEchoOrigin, startWorker, postVerify } from "./helpers.mjs";
import { DIRECTORY_PATH, directoryKvKey, startDirectoryServer, until } from "./directory-server.mjs";

const PKG = join(ROOT, "pkg");
const ESBUILD = join(ROOT, "js", "edge", "node_modules", ".bin", "esbuild");
const httpseal = await import(join(PKG, "dist", "full", "node", "index.mjs"));
const MAX_STALE = 7 * 24 * 3600; // the core's webbotauth::MAX_STALE
const now = () => Math.floor(Date.now() / 1000);

const WORKER = `
import { withVerification } from "httpseal/edge";

// The handler answers with what reached it: the URL, the header fields, the body, the verdict.
async function echo(request, env, ctx, verdict) {
  return Response.json({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text(), verdict });
}

// The options come from the environment (a Worker's vars), read once per isolate.
function options(env) {
  const o = JSON.parse(env.HTTPSEAL_OPTIONS);
  if (env.AGENT_ORIGIN) o.fetch = (url, init) => fetch(url.replace("https://agent.example.com", env.AGENT_ORIGIN), init);
  if (env.BROKEN_NONCES) o.nonces = { get: async () => { throw new Error("KV is down"); }, put: async () => {} };
  return o;
}

export default { fetch: withVerification(echo, options) };
`;

let project, bundle, server, origin, rust, keyA, keyB, keyT, dirA;
const workers = [];

before(async () => {
  project = mkdtempSync(join(tmpdir(), "httpseal-js-worker-"));
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [packed] = JSON.parse(run("npm", ["pack", PKG, "--json", "--pack-destination", project]));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "js-worker", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(project, packed.filename)]);
  writeFileSync(join(project, "worker.mjs"), WORKER);
  run(ESBUILD, ["worker.mjs", "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd,worker,browser",
    "--main-fields=module,main", "--loader:.wasm=copy", "--outdir=out", "--log-level=warning"]);
  bundle = join(project, "out");

  server = await startDirectoryServer();
  origin = await startEchoOrigin();
  [keyA, keyB, keyT] = [httpseal.generateKeyPair(), httpseal.generateKeyPair(), httpseal.generateKeyPair()];
  dirA = httpseal.signDirectoryResponse([keyA], { authority: server.authority, ttl: 3600 });
  server.set(DIRECTORY_PATH, { headers: { ...dirA.headers, "cache-control": "max-age=600" }, body: dirA.body });
});

after(async () => {
  await Promise.all(workers.map((w) => w.dispose()));
  server?.close();
  origin?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The JS Worker with these gateway options (and extra bindings). */
async function jsWorker(options, bindings = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(bundle, "worker.js"),
    modulesRoot: bundle,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js"] }],
    compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE", "NONCES"],
    bindings: { HTTPSEAL_OPTIONS: JSON.stringify({ kv: "DIRECTORY_CACHE", nonces: "NONCES", ...options }), ...bindings },
  });
  await mf.ready;
  workers.push(mf);
  return mf;
}

/** The Rust Worker, configured as the JS one: the same mode, keys and development switch. */
async function rustWorker(vars) {
  const mf = await startWorker({ UPSTREAM_ORIGIN: origin.url, ALLOW_TEST_KEYS: "false", DEV_ALLOW_INSECURE_DIRECTORIES: "true", ...vars });
  workers.push(mf);
  return mf;
}

const trusted = () => JSON.stringify({ keys: [httpseal.publicJwk(keyT)] });

/** Headers of a request to `url` signed by `key`, naming `agent` in Signature-Agent. */
const signedBy = (url, key, agent, sign = {}) =>
  httpseal.signRequest({ method: sign.method ?? "GET", url, body: sign.body }, key, { ...(agent ? { signatureAgent: agent } : {}), ...sign, method: undefined, body: undefined });

async function through(mf, url, init) {
  const res = await mf.dispatchFetch(url, init);
  if (res.status !== 200) assert.fail(`${res.status} ${await res.text()}`);
  return res.json();
}

test("parity: the same requests get the same verdict header and verdict JSON from the JS Worker and the Rust Worker", async () => {
  const [js, rs] = await Promise.all([
    jsWorker({ mode: "annotate", allowHttp: true, trustedJwks: JSON.parse(trusted()) }),
    rustWorker({ MODE: "annotate", TRUSTED_JWKS: trusted() }),
  ]);
  const url = "https://shop.example/items?id=7";
  const agent = server.origin;
  const t = now();
  const body = JSON.stringify({ order: 7 });
  const digestSign = { method: "POST", body, contentDigest: "sha-256", components: ["@method", "@authority", "@path", "content-digest", "signature-agent"] };
  const scenarios = [
    ["signed with the directory's key: verified", url, async () => signedBy(url, keyA, agent)],
    ["sent to another host: invalid_signature", "https://elsewhere.example/items?id=7", async () => signedBy(url, keyA, agent)],
    ["a key the directory does not list: unknown_key", url, async () => signedBy(url, keyB, agent)],
    ["unsigned: no_signature", url, async () => ({})],
    ["expired", url, async () => signedBy(url, keyA, agent, { created: t - 600, expires: t - 300 })],
    ["too long-lived: lifetime_too_long", url, async () => signedBy(url, keyA, agent, { expires: t + 2 * 86400 })],
    ["a trusted key, no Signature-Agent: identified by its thumbprint", url, async () => signedBy(url, keyT)],
    ["a forged verdict header is replaced", url, async () => ({ ...(await signedBy(url, keyA, agent)), "HTTPSeal-Verdict": "verified;keyid=\"forged\"" })],
    ["a signed body with its Content-Digest", url, async () => signedBy(url, keyA, agent, digestSign), { method: "POST", body }],
    ["a signed body swapped: content_digest_mismatch", url, async () => signedBy(url, keyA, agent, digestSign), { method: "POST", body: '{"order":8}' }],
  ];
  const outcomes = [];
  for (const [name, sendTo, headersOf, init = {}] of scenarios) {
    const headers = await headersOf();
    const [fromJs, fromRust] = await Promise.all([through(js, sendTo, { ...init, headers }), through(rs, sendTo, { ...init, headers })]);
    assert.equal(fromJs.headers["httpseal-verdict"], fromRust.headers["httpseal-verdict"], name);
    assert.equal(fromJs.body, fromRust.body, `${name}: the handler and the origin get the same body`);
    const headerPairs = Object.entries(headers).filter(([n]) => n.toLowerCase() !== "httpseal-verdict");
    const [status, verdict] = await postVerify(rs, { method: init.method ?? "GET", url: sendTo, headers: headerPairs, ...(init.body ? { body: init.body } : {}) });
    assert.equal(status, 200);
    assert.deepEqual(fromJs.verdict, verdict, `${name}: the verdict JSON`);
    outcomes.push(`${name} → ${fromJs.headers["httpseal-verdict"].split(";")[0]} ${fromJs.verdict.error?.code ?? ""}`.trim());
  }
  assert.match(outcomes[0], /→ verified$/);
  assert.match(outcomes.at(-1), /content_digest_mismatch$/);
  console.log(`parity (${outcomes.length} scenarios, identical):\n  ${outcomes.join("\n  ")}`);
  assert.equal(server.hits(), 2, "one directory fetch per Worker; every other request served from its isolate's memory");
});

test("parity in enforce: 401 + challenge, 403, 429 for a replayed nonce, the same problem bodies; verified requests pass", async () => {
  const [js, rs] = await Promise.all([
    jsWorker({ mode: "enforce", allowHttp: true }),
    rustWorker({ MODE: "enforce" }),
  ]);
  const url = "https://shop.example/checkout";
  const answer = async (mf, headers, sendTo = url) => {
    const res = await mf.dispatchFetch(sendTo, { headers });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      challenge: res.headers.get("accept-signature"),
      retryAfter: res.headers.get("retry-after"),
      body: res.status === 200 ? JSON.parse(text).headers["httpseal-verdict"] : JSON.parse(text),
    };
  };
  const replayed = await signedBy(url, keyA, server.origin);
  const cases = [
    ["unsigned", {}, url, 401],
    ["another host", await signedBy(url, keyA, server.origin), "https://evil.example/checkout", 403],
    ["unknown key", await signedBy(url, keyB, server.origin), url, 401],
    ["verified", replayed, url, 200],
    ["replayed", replayed, url, 429],
  ];
  for (const [name, headers, sendTo, status] of cases) {
    const [a, b] = [await answer(js, headers, sendTo), await answer(rs, headers, sendTo)];
    assert.equal(a.status, status, `${name}: ${JSON.stringify(a.body)}`);
    assert.deepEqual(a, b, name);
  }
  const unsigned = await answer(js, {});
  assert.equal(unsigned.type, "application/problem+json");
  assert.equal(unsigned.challenge, 'sig1=("@authority");created;expires;tag="web-bot-auth"');
});

test("KV under the production rules: dir:<sha-256 of the URL>, the URL as metadata, expirationTtl = fresh + 7 days of stale keys", async () => {
  const dir = httpseal.signDirectoryResponse([keyA], { authority: "agent.example.com", ttl: 3600 });
  server.set("/prod" + DIRECTORY_PATH, { headers: { ...dir.headers, "cache-control": "max-age=600" }, body: dir.body });
  const js = await jsWorker({}, { AGENT_ORIGIN: `${server.origin}/prod` });
  const url = "https://shop.example/";
  const dirUrl = `https://agent.example.com${DIRECTORY_PATH}`;
  const first = await through(js, url, { headers: await signedBy(url, keyA, "https://agent.example.com") });
  assert.equal(first.headers["httpseal-verdict"], `verified;label="sig1";keyid="${httpseal.jwkThumbprint(keyA)}";alg="ed25519";tag="web-bot-auth";agent="${dirUrl}";identifier="${dirUrl}"`);
  assert.equal(first.verdict.directoryProof, "valid");
  const kv = await js.getKVNamespace("DIRECTORY_CACHE");
  const entry = await until(async () => (await kv.list({ prefix: "dir:" })).keys.find((k) => k.name === directoryKvKey(dirUrl)), "the KV write (ctx.waitUntil)");
  assert.deepEqual(entry.metadata, { url: dirUrl });
  const ttl = entry.expiration - now();
  assert.ok(Math.abs(ttl - (600 + MAX_STALE)) <= 5, `KV keeps it while stale keys may serve: ${ttl} s`);
  const record = JSON.parse(await kv.get(directoryKvKey(dirUrl)));
  assert.equal(record.body, dir.body);
  assert.equal(record.shareable, true);
  for (let i = 0; i < 3; i++) await through(js, url, { headers: await signedBy(url, keyA, "https://agent.example.com") });
  assert.equal(server.hits("/prod" + DIRECTORY_PATH), 1, "later requests are served from the isolate's memory");
});

test("concurrent first requests share one fetch (single-flight across request contexts)", async () => {
  server.set("/slow/keys.json", { headers: dirA.headers, body: dirA.body, delayMs: 300 });
  const js = await jsWorker({ allowHttp: true });
  const url = "https://shop.example/";
  const agent = `${server.origin}/slow/keys.json`;
  const headerSets = await Promise.all(Array.from({ length: 8 }, () => signedBy(url, keyA, agent)));
  const answers = await Promise.all(headerSets.map((headers) => through(js, url, { headers })));
  for (const a of answers) assert.match(a.headers["httpseal-verdict"], /^verified;/);
  assert.equal(server.hits("/slow/keys.json"), 1);
});

test("directory down: stale keys from KV keep verifying, the failed refresh keeps them and backs off, KV keeps the last good record", async () => {
  const path = "/stale/keys.json";
  const agent = server.origin + path;
  server.set(path, (req) => req.socket.destroy());
  const js = await jsWorker({ allowHttp: true });
  const t = now();
  const stale = { body: dirA.body, fetchedAt: t - 7200, freshUntil: t - 3600, retryAfter: t - 3600, failures: 0, lastError: null, shareable: true };
  const kv = await js.getKVNamespace("DIRECTORY_CACHE");
  // Records fetched under allowHttp are kept apart from the others (dev:dir:…), so a
  // record only the development switch could fetch never answers without it.
  const key = "dev:" + directoryKvKey(agent);
  await kv.put(key, JSON.stringify(stale), { expirationTtl: 3600, metadata: { url: agent } });
  const url = "https://shop.example/";
  const first = await through(js, url, { headers: await signedBy(url, keyA, agent) });
  assert.match(first.headers["httpseal-verdict"], /^verified;/, "stale keys verify");
  await until(async () => server.hits(path) === 1, "the background refresh (ctx.waitUntil)");
  for (let i = 0; i < 3; i++) {
    const again = await through(js, url, { headers: await signedBy(url, keyA, agent) });
    assert.match(again.headers["httpseal-verdict"], /^verified;/, "a failed refresh never evicts keys");
  }
  assert.equal(server.hits(path), 1, "no refetch while backing off");
  const record = JSON.parse(await kv.get(key));
  assert.equal(record.body, dirA.body);
  assert.equal(record.failures, 0, "failures stay in the isolate's memory");
});

test("enforce: a replay store that fails is 503 + Retry-After (replay_check_unavailable); a bad option is 500 invalid_configuration", async () => {
  const js = await jsWorker({ mode: "enforce", allowHttp: true }, { BROKEN_NONCES: "true" });
  const url = "https://shop.example/";
  const res = await js.dispatchFetch(url, { headers: await signedBy(url, keyA, server.origin) });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "5");
  const problem = await res.json();
  assert.equal(problem.code, "replay_check_unavailable");
  assert.match(problem.detail, /KV is down/);
  const bad = await jsWorker({ mode: "block" });
  const refused = await bad.dispatchFetch(url);
  assert.equal(refused.status, 500);
  assert.deepEqual(await refused.json(), {
    type: "about:blank", title: "Internal Server Error", status: 500, code: "invalid_configuration",
    detail: 'mode: "block" is not a mode; use annotate (default), enforce or handler',
  });
});

test("the bundle: sizes of a Worker on httpseal/edge", () => {
  const files = readdirSync(bundle);
  const wasm = files.find((f) => f.endsWith(".wasm"));
  const sizes = {};
  for (const f of ["worker.js", wasm]) {
    const bytes = readFileSync(join(bundle, f));
    sizes[f.endsWith(".wasm") ? "wasm" : "js"] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  const kib = (n) => (n / 1024).toFixed(1);
  console.log(`JS Worker bundle: worker.js ${kib(sizes.js.bytes)} KiB (gzip ${kib(sizes.js.gzip)} KiB), wasm ${kib(sizes.wasm.bytes)} KiB (gzip ${kib(sizes.wasm.gzip)} KiB)`);
  assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, "one wasm module (the full build's)");
  assert.ok(sizes.wasm.gzip + sizes.js.gzip < 1024 * 1024, "under 1 MiB gzip");
});
