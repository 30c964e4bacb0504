// Directory resolution under workerd: agents name their key directory in Signature-Agent,
// the Worker fetches it from a local server on 127.0.0.1 (DEV_ALLOW_INSECURE_DIRECTORIES),
// checks the directory's own signatures, and caches it in memory and KV. Directories are
// signed by httpseal's directory route; requests by npm web-bot-auth.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  startWorker, startEchoOrigin, signRequest, postVerify, ED25519_PRIVATE, ED25519_THUMBPRINT,
} from "./helpers.mjs";
import {
  startDirectoryServer, signedDirectory, directoryKvKey, newEd25519, until, DIRECTORY_PATH,
} from "./directory-server.mjs";

const MAX_STALE = 7 * 24 * 3600; // the core's webbotauth::MAX_STALE
let server, echo, keyB, dirA, dirAB, dirB;

before(async () => {
  server = await startDirectoryServer();
  echo = await startEchoOrigin();
  keyB = await newEd25519();
  [dirA, dirAB, dirB] = await Promise.all([
    signedDirectory(server.origin, [ED25519_PRIVATE]),
    signedDirectory(server.origin, [ED25519_PRIVATE, keyB.private]),
    signedDirectory(server.origin, [keyB.private]),
  ]);
});
after(() => { server?.close(); echo?.close(); });

const thumbprint = (jwk) => createHash("sha256")
  .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest("base64url");
const now = () => Math.floor(Date.now() / 1000);

async function gateway(vars = {}) {
  return startWorker({ MODE: "annotate", UPSTREAM_ORIGIN: echo.url, DEV_ALLOW_INSECURE_DIRECTORIES: "true", ...vars });
}

/** Headers of a request to `url` signed by `jwk`, naming `agent` in Signature-Agent. */
async function signedBy(url, agent, jwk = ED25519_PRIVATE) {
  return signRequest(url, { headers: { "signature-agent": `"${agent}"` }, jwk });
}

/**
 * Signed with the Dictionary form `agent="<url>";type=<type>`, covered as
 * `"signature-agent";key="agent"`. npm web-bot-auth 0.1.3 signs the whole field for a `key`
 * component (not the member, as RFC 9421 §2.1.2 says), so this base is built here.
 */
async function signedByMember(url, agentUrl, type) {
  const member = `"${agentUrl}"${type ? `;type=${type}` : ""}`;
  const created = now();
  const params = `("@authority" "signature-agent";key="agent");created=${created};expires=${created + 60}` +
    `;keyid="${ED25519_THUMBPRINT}";tag="web-bot-auth"`;
  const base = `"@authority": ${new URL(url).host}\n"signature-agent";key="agent": ${member}\n"@signature-params": ${params}`;
  const key = await crypto.subtle.importKey("jwk", ED25519_PRIVATE, { name: "Ed25519" }, false, ["sign"]);
  const sig = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, key, new TextEncoder().encode(base))).toString("base64");
  return { "signature-agent": `agent=${member}`, "signature-input": `agent=${params}`, signature: `agent=:${sig}:` };
}

/** The verdict header the origin received for a gateway request. */
async function verdictOf(mf, url, headers) {
  const res = await mf.dispatchFetch(url, { headers });
  if (res.status !== 200) assert.fail(`${res.status} ${await res.text()}`);
  return (await res.json()).headers["httpseal-verdict"];
}

/** `/verify` of a GET to `url` with `headers`, without jwks (directories are resolved). */
async function verifyApi(mf, url, headers) {
  const [status, verdict] = await postVerify(mf, { method: "GET", url, headers });
  assert.equal(status, 200);
  return verdict;
}

async function kvEntry(mf, url) {
  const kv = await mf.getKVNamespace("DIRECTORY_CACHE");
  const { keys } = await kv.list({ prefix: "dir:" });
  const listed = keys.find((k) => k.name === directoryKvKey(url));
  const text = await kv.get(directoryKvKey(url));
  return listed && { listed, record: JSON.parse(text) };
}

/** Seeds KV with a record as another isolate would have left it. */
async function seed(mf, url, record) {
  const kv = await mf.getKVNamespace("DIRECTORY_CACHE");
  await kv.put(directoryKvKey(url), JSON.stringify(record), { expirationTtl: 3600, metadata: { url } });
}

test("an agent's signed directory verifies its requests, from cache after the first fetch, with KV filled for its TTL", async () => {
  const dirUrl = server.origin + DIRECTORY_PATH;
  server.set(DIRECTORY_PATH, { headers: { ...dirA.headers, "cache-control": "max-age=600" }, body: dirA.body });
  const mf = await gateway();
  try {
    const url = "https://shop.example/items";
    const first = await verdictOf(mf, url, await signedBy(url, server.origin));
    assert.equal(first, `verified;label="sig1";keyid="${ED25519_THUMBPRINT}";alg="ed25519";tag="web-bot-auth";agent="${dirUrl}";identifier="${dirUrl}"`);
    assert.equal(server.hits(), 1);

    const t = now();
    const { listed, record } = await kvEntry(mf, dirUrl);
    assert.deepEqual(listed.metadata, { url: dirUrl });
    assert.equal(record.body, dirA.body, "the accepted directory body is kept");
    assert.equal(record.freshUntil - record.fetchedAt, 600, "fresh for Cache-Control max-age");
    assert.equal(record.failures, 0);
    assert.equal(record.shareable, true);
    const ttl = listed.expiration - t;
    assert.ok(Math.abs(ttl - (600 + MAX_STALE)) <= 5, `KV keeps it while stale keys may serve: ${ttl} s`);

    for (let i = 0; i < 3; i++) {
      assert.match(await verdictOf(mf, url, await signedBy(url, server.origin)), /^verified;/);
    }
    assert.equal(server.hits(), 1, "later requests are served from the isolate's memory");

    const moved = await verdictOf(mf, "https://elsewhere.example/items", await signedBy(url, server.origin));
    assert.match(moved, /^invalid;.*error="invalid_signature"$/, "the directory's key, the wrong signature base");
    const stranger = await verdictOf(mf, url, await signedBy(url, server.origin, keyB.private));
    assert.equal(stranger, `unverified;label="sig1";keyid="${thumbprint(keyB.public)}";alg="ed25519";tag="web-bot-auth";identifier="${thumbprint(keyB.public)}";error="unknown_key"`,
      "a key the agent's directory does not list");
    const unsigned = await verdictOf(mf, url, {});
    assert.equal(unsigned, 'unverified;error="no_signature"');

    const verdict = await verifyApi(mf, url, await signedBy(url, server.origin));
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.equal(verdict.agent, dirUrl, "/verify resolves directories too");
    assert.equal(server.hits(), 1);
  } finally {
    await mf.dispose();
  }
});

test("keys are looked up by (agent, keyid): another agent's directory does not vouch for the key", async () => {
  server.set("/b/keys.json", { headers: dirB.headers, body: dirB.body });
  server.set("/a/keys.json", { headers: dirA.headers, body: dirA.body });
  const mf = await gateway({ MODE: "enforce" });
  try {
    const url = "https://shop.example/";
    const res = await mf.dispatchFetch(url, { headers: await signedBy(url, `${server.origin}/b/keys.json`) });
    assert.equal(res.status, 401, "signed by A, naming B's directory");
    assert.equal((await res.json()).code, "unknown_key");
    const ok = await mf.dispatchFetch(url, { headers: await signedBy(url, `${server.origin}/a/keys.json`) });
    assert.equal(ok.status, 200);
    assert.match((await ok.json()).headers["httpseal-verdict"], new RegExp(`agent="${server.origin}/a/keys.json"`));
  } finally {
    await mf.dispose();
  }
});

test("concurrent first requests share one fetch (single-flight)", async () => {
  server.set("/slow/keys.json", { headers: dirA.headers, body: dirA.body, delayMs: 300 });
  const mf = await gateway();
  try {
    const url = "https://shop.example/";
    const agent = `${server.origin}/slow/keys.json`;
    const headerSets = await Promise.all(Array.from({ length: 8 }, () => signedBy(url, agent)));
    const verdicts = await Promise.all(headerSets.map((h) => verdictOf(mf, url, h)));
    for (const v of verdicts) assert.match(v, /^verified;/);
    assert.equal(server.hits("/slow/keys.json"), 1);
  } finally {
    await mf.dispose();
  }
});

test("directory down: stale keys from KV keep verifying, the failed refresh keeps them and backs off", async () => {
  const path = "/stale/keys.json";
  const agent = server.origin + path;
  server.set(path, (req) => req.socket.destroy()); // the agent's server is down
  const mf = await gateway();
  try {
    const t = now();
    const stale = {
      body: dirA.body, fetchedAt: t - 7200, freshUntil: t - 3600, retryAfter: t - 3600,
      failures: 0, lastError: null, shareable: true,
    };
    await seed(mf, agent, stale);
    const url = "https://shop.example/";
    assert.match(await verdictOf(mf, url, await signedBy(url, agent)), /^verified;/, "stale keys verify");
    await until(async () => server.hits(path) === 1, "the background refresh to run");
    for (let i = 0; i < 3; i++) {
      assert.match(await verdictOf(mf, url, await signedBy(url, agent)), /^verified;/, "a failed refresh never evicts keys");
    }
    assert.equal(server.hits(path), 1, "no refetch while backing off (the failure is remembered in the isolate)");
    // Failures stay in the isolate's memory: KV keeps the last directory that resolved, so
    // requests naming unreachable directories never cost KV writes.
    const { record } = await kvEntry(mf, agent);
    assert.equal(record.body, dirA.body);
    assert.equal(record.failures, 0);
  } finally {
    await mf.dispose();
  }
});

test("a refresh that no longer lists a key evicts it; a successful one replaces the keys", async () => {
  const path = "/rotate/keys.json";
  const agent = server.origin + path;
  server.set(path, { headers: dirB.headers, body: dirB.body });
  const mf = await gateway();
  try {
    const t = now();
    await seed(mf, agent, {
      body: dirAB.body, fetchedAt: t - 7200, freshUntil: t - 3600, retryAfter: t - 3600,
      failures: 0, lastError: null, shareable: true,
    });
    const url = "https://shop.example/";
    assert.match(await verdictOf(mf, url, await signedBy(url, agent)), /^verified;/, "A is in the stale copy");
    await until(async () => (await kvEntry(mf, agent))?.record.fetchedAt >= t, "the background refresh");
    assert.equal(server.hits(path), 1);
    assert.equal((await kvEntry(mf, agent)).record.body, dirB.body);
    assert.match(await verdictOf(mf, url, await signedBy(url, agent)), /^unverified;.*error="unknown_key"$/, "A is gone");
    assert.match(await verdictOf(mf, url, await signedBy(url, agent, keyB.private)), /^verified;/, "B verifies");
    assert.equal(server.hits(path), 1);
  } finally {
    await mf.dispose();
  }
});

test("a directory whose own proof fails still serves its keys, recorded without a domain binding (draft -01 Appendix B)", async () => {
  const path = "/forged/keys.json";
  const agent = server.origin + path;
  // Signed for this server, then the body is changed: the covered Content-Digest fails, so
  // the proof is refused; the keys came from the URL the verifier fetched itself, and
  // draft -01 Appendix B says "A verifier MAY use a key obtained by resolving the directory
  // itself whether or not it has valid proof".
  const forged = dirA.body.replace(/"use":"sig"/, '"use":"sig","x5u":"https://attacker.example/"');
  assert.notEqual(forged, dirA.body);
  server.set(path, { headers: dirA.headers, body: forged });
  const mf = await gateway({ MODE: "enforce" });
  try {
    const url = "https://shop.example/";
    for (let i = 0; i < 3; i++) {
      const v = await verifyApi(mf, url, await signedBy(url, agent));
      assert.equal(v.verdict, "verified", JSON.stringify(v.error));
      assert.equal(v.directoryProof, "invalid", "no domain binding");
    }
    assert.equal(server.hits(path), 1, "cached after the first fetch");
    const { record } = await kvEntry(mf, agent);
    assert.equal(record.proof, "invalid");
    // A directory with a valid proof is bound to its domain.
    const valid = await verifyApi(mf, url, await signedBy(url, server.origin + "/.well-known/http-message-signatures-directory"));
    assert.equal(valid.directoryProof, "valid");
  } finally {
    await mf.dispose();
  }
});

test("negative caching: an unreachable directory is tried once per backoff window", async () => {
  const path = "/down/keys.json";
  const agent = server.origin + path;
  server.set(path, { status: 503, headers: { "content-type": "text/plain" }, body: "maintenance" });
  const mf = await gateway();
  try {
    const url = "https://shop.example/";
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await verifyApi(mf, url, await signedBy(url, agent)));
    for (const v of verdicts) {
      assert.equal(v.verdict, "unverified");
      assert.equal(v.error.code, "directory_unavailable");
      assert.match(v.error.message, /fetch_status: the server answered 503/);
    }
    assert.equal(server.hits(path), 1);
  } finally {
    await mf.dispose();
  }
});

test("oversized, redirecting and hanging directories are refused", async () => {
  const big = JSON.stringify({ keys: [], pad: "x".repeat(70 * 1024) });
  server.set("/big/keys.json", { headers: { "content-type": "application/json" }, body: big });
  server.set("/chunked/keys.json", (req, res) => {
    res.writeHead(200, { "content-type": "application/json" }); // no Content-Length
    for (let i = 0; i < 70; i++) res.write("x".repeat(1024));
    res.end();
  });
  server.set("/moved/keys.json", { status: 302, headers: { location: `${server.origin}/a/keys.json` } });
  server.set("/hang/keys.json", () => {}); // never answers
  const mf = await gateway();
  try {
    const url = "https://shop.example/";
    const reason = async (path) => (await verifyApi(mf, url, await signedBy(url, server.origin + path))).error;
    const hitsA = server.hits("/a/keys.json");
    for (const [path, code] of [["/big/keys.json", "fetch_too_large"], ["/chunked/keys.json", "fetch_too_large"],
      ["/moved/keys.json", "fetch_redirect_refused"], ["/hang/keys.json", "fetch_timeout"]]) {
      const error = await reason(path);
      assert.equal(error.code, "directory_unavailable", path);
      assert.match(error.message, new RegExp(code), path);
    }
    assert.equal(server.hits("/a/keys.json"), hitsA, "the redirect is not followed");
  } finally {
    await mf.dispose();
  }
});

test("SSRF: with the development switch off, no http, IP-literal, loopback or private directory is fetched", async () => {
  const mf = await startWorker({ MODE: "annotate", UPSTREAM_ORIGIN: echo.url });
  try {
    const url = "https://shop.example/";
    const port = server.authority.split(":")[1];
    const cases = [
      [server.origin, "invalid_url", /must be https/],
      [`https://127.0.0.1:${port}`, "directory_unavailable", /fetch_loopback_refused/],
      [`https://2130706433:${port}`, "directory_unavailable", /fetch_loopback_refused/],
      [`https://localhost:${port}`, "directory_unavailable", /fetch_loopback_refused/],
      ["https://[::1]", "directory_unavailable", /fetch_loopback_refused/],
      ["https://10.0.0.8", "directory_unavailable", /fetch_ip_literal_refused/],
      ["https://192.168.1.1/keys.json", "directory_unavailable", /fetch_ip_literal_refused/],
      ["https://169.254.169.254/latest/keys", "directory_unavailable", /fetch_ip_literal_refused/],
      ["https://printer.local", "directory_unavailable", /fetch_private_host_refused/],
      ["https://intranet", "directory_unavailable", /fetch_private_host_refused/],
    ];
    const before = server.hits();
    for (const [agent, code, says] of cases) {
      const v = await verifyApi(mf, url, await signedBy(url, agent));
      assert.notEqual(v.verdict, "verified", agent);
      assert.equal(v.error.code, code, `${agent}: ${JSON.stringify(v.error)}`);
      assert.match(v.error.message, says, agent);
    }
    assert.equal(server.hits(), before, "nothing reached the local server");
    const header = await verdictOf(mf, url, await signedBy(url, `https://127.0.0.1:${port}`));
    assert.match(header, /^unverified;.*error="directory_unavailable"$/);
  } finally {
    await mf.dispose();
  }
});

test("no-store directories are used but kept out of KV; /verify with jwks fetches nothing", async () => {
  const path = "/nostore/keys.json";
  const agent = server.origin + path;
  server.set(path, { headers: { ...dirA.headers, "cache-control": "no-store" }, body: dirA.body });
  const mf = await gateway();
  try {
    const url = "https://shop.example/";
    assert.match(await verdictOf(mf, url, await signedBy(url, agent)), /^verified;/);
    assert.equal(server.hits(path), 1);
    assert.equal(await kvEntry(mf, agent), undefined);
    const other = "/unfetched/keys.json";
    const [, v] = await postVerify(mf, {
      method: "GET", url, headers: await signedBy(url, server.origin + other),
      jwks: { keys: [keyB.public] },
    });
    assert.equal(v.error.code, "directory_unavailable", "the caller's keys only: the directory is not fetched");
    assert.equal(server.hits(other), 0);
  } finally {
    await mf.dispose();
  }
});

test("Client ID Metadata Documents (draft -00 typed members, ACCEPT_DRAFT00_MEMBERS): inline jwks, or a jwks_uri fetched under the same rules; ignored by default (draft -01 §5.2.1)", async () => {
  const json = { "content-type": "application/json" };
  server.set("/cimd/inline.json", { headers: json, body: JSON.stringify({ client_id: "x", jwks: { keys: [JSON.parse(dirA.body).keys[0]] } }) });
  server.set("/cimd/ref.json", { headers: json, body: JSON.stringify({ client_id: "x", jwks_uri: `${server.origin}/cimd/jwks.json` }) });
  server.set("/cimd/jwks.json", { headers: dirA.headers, body: dirA.body });
  server.set("/cimd/plain.json", { headers: dirA.headers, body: dirA.body });
  server.set("/cimd/elsewhere.json", { headers: json, body: JSON.stringify({ client_id: "x", jwks_uri: "https://10.1.2.3/jwks.json" }) });
  const strict = await gateway();
  try {
    const url = "https://shop.example/";
    const v = await verifyApi(strict, url, await signedByMember(url, server.origin + "/cimd/inline.json", "cimd"));
    assert.equal(v.verdict, "unverified");
    assert.equal(v.error.code, "unusable_signature_agent", "a member with parameters is ignored");
    assert.equal(server.hits("/cimd/inline.json"), 0, "and nothing is fetched for it");
  } finally {
    await strict.dispose();
  }
  const mf = await gateway({ ACCEPT_DRAFT00_MEMBERS: "true" });
  try {
    const url = "https://shop.example/";
    for (const path of ["/cimd/inline.json", "/cimd/ref.json"]) {
      const agent = server.origin + path;
      const v = await verifyApi(mf, url, await signedByMember(url, agent, "cimd"));
      assert.equal(v.verdict, "verified", `${path}: ${JSON.stringify(v.error)}`);
      assert.equal(v.agent, agent, "the agent is the document the signature names");
      assert.match(JSON.parse((await kvEntry(mf, agent)).record.body).keys[0].x, /^JrQL/, "KV keeps the JWK Set");
    }
    assert.deepEqual(["/cimd/inline.json", "/cimd/ref.json", "/cimd/jwks.json"].map((p) => server.hits(p)), [1, 1, 1]);
    const v = await verifyApi(mf, url, await signedByMember(url, server.origin + "/cimd/elsewhere.json", "cimd"));
    assert.equal(v.error.code, "directory_unavailable");
    assert.match(v.error.message, /fetch_ip_literal_refused/, "the jwks_uri passes the SSRF rules too");
    const plain = await verifyApi(mf, url, await signedByMember(url, server.origin + "/cimd/plain.json"));
    assert.equal(plain.verdict, "verified", "the Dictionary form without type: a JWK Set URL");
  } finally {
    await mf.dispose();
  }
});
