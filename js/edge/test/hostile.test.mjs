// Issue 14: one unauthenticated client must not be able to push the isolate past its memory
// limit. Each test drives the built Worker under workerd the way an attacker would — raw
// sockets that stall mid-body and then vanish, a 100 MB chunked upload, a thousand hostile
// requests — and reads the size of the Worker's wasm memory through the test-only probe
// entry (test/entry-probe.mjs). wasm memory never shrinks, so its size after a scenario is
// the high-water mark of everything the Worker held during it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startWorker, startEchoOrigin, postVerify, wasmProbe, signRequest, ED25519_PUBLIC,
} from "./helpers.mjs";
import { startDirectoryServer, DIRECTORY_PATH } from "./directory-server.mjs";
import { HOST, MIB, sleep, sha256, probed, signedPost, rawRequest, manyAgents, chunkedUntilAnswered } from "./raw-client.mjs";

/** The bound the wasm memory must stay under through each scenario (README, Limits). */
const MEMORY_BOUND = 8 << 20;
const TRUSTED = JSON.stringify({ keys: [ED25519_PUBLIC] });

let echo, directories;
before(async () => {
  echo = await startEchoOrigin();
  directories = await startDirectoryServer();
});
after(() => { echo?.close(); directories?.close(); });

/** Asserts wasm memory is under [MEMORY_BOUND] and reports it (`node --test` diagnostics). */
function underBound(t, when, bytes) {
  t.diagnostic(`wasm memory ${when}: ${(bytes / MIB).toFixed(2)} MiB`);
  assert.ok(bytes < MEMORY_BOUND, `${when}: ${bytes} bytes, over ${MEMORY_BOUND}`);
}

/** Answers to a signed GET the Worker can verify: it still serves. */
async function stillServes(mf) {
  const [status, verdict] = await postVerify(mf, { method: "GET", url: "https://site.example/", headers: {} });
  assert.equal(status, 200);
  assert.equal(verdict.error.code, "no_signature");
}

test("64 stalled signed uploads of 1 MiB − 1 byte, then the clients vanish: wasm memory stays under the bound", async (t) => {
  const [mf, base] = await probed({ MODE: "enforce", PROFILE: "rfc9421", UPSTREAM_ORIGIN: echo.url, TRUSTED_JWKS: TRUSTED });
  try {
    const before = (await wasmProbe(mf)).memoryBytes;
    const length = MIB - 1;
    const body = Buffer.alloc(length, 1);
    const headers = await signedPost("/upload", sha256(body), undefined);
    const uploads = [];
    for (let i = 0; i < 64; i++) {
      const r = rawRequest(base, "POST", "/upload", { ...headers, "content-length": String(length) });
      await r.write(body.subarray(0, length - 1)); // all but the last byte: the upload stalls
      uploads.push(r);
    }
    await sleep(1000);
    const during = await wasmProbe(mf);
    await stillServes(mf);
    for (const r of uploads) r.socket.destroy();
    await sleep(1000);
    await stillServes(mf);
    const probe = await wasmProbe(mf);
    assert.equal(probe.instances, 1, "no critical error replaced the instance");
    underBound(t, "during", during.memoryBytes);
    underBound(t, "after", probe.memoryBytes);

    // The same body, sent whole, is checked and forwarded: the stall was the only difference.
    const whole = rawRequest(base, "POST", "/upload", { ...headers, "content-length": String(length) });
    await whole.write(body);
    const answer = await whole.response;
    whole.socket.destroy();
    assert.equal(answer?.status, 200, "a complete upload verifies and reaches the origin");
  } finally {
    await mf.dispose();
  }
});

test("signed 1 MiB POSTs behind a hanging directory: bodies are not read before a key is known", async (t) => {
  directories.set("/hang" + DIRECTORY_PATH, () => {}); // never answers
  const agent = directories.origin + "/hang" + DIRECTORY_PATH;
  const [mf, base] = await probed({
    MODE: "enforce", PROFILE: "web-bot-auth", UPSTREAM_ORIGIN: echo.url, DEV_ALLOW_INSECURE_DIRECTORIES: "true",
  });
  try {
    const body = Buffer.alloc(MIB, 2);
    const head = { ...(await signedPost("/upload", sha256(body), agent)), "content-length": String(MIB) };
    const posts = [];
    for (let i = 0; i < 64; i++) {
      const r = rawRequest(base, "POST", "/upload", head);
      r.write(body);
      posts.push(r);
    }
    await sleep(1500);
    const during = await wasmProbe(mf);
    await stillServes(mf);
    underBound(t, "during", during.memoryBytes);
    const answers = await Promise.all(posts.map((r) => r.response));
    for (const r of posts) r.socket.destroy();
    // Once the directory's fetch times out the key is unknown: 401, the body never read.
    for (const a of answers) {
      assert.equal(a?.status, 401, a?.text());
      assert.match(a.text(), /directory_unavailable/);
    }
    assert.equal(directories.hits("/hang" + DIRECTORY_PATH), 1, "64 requests shared one fetch");
    const probe = await wasmProbe(mf);
    underBound(t, "after", probe.memoryBytes);
    assert.equal(probe.instances, 1);
  } finally {
    await mf.dispose();
  }
});

test("a key in TRUSTED_JWKS is not held up by its agent's hanging directory", async (t) => {
  let pending = 0;
  directories.set("/slow" + DIRECTORY_PATH, () => { pending++; });
  const agent = directories.origin + "/slow" + DIRECTORY_PATH;
  const mf = await startWorker({
    MODE: "enforce", UPSTREAM_ORIGIN: echo.url, TRUSTED_JWKS: TRUSTED, DEV_ALLOW_INSECURE_DIRECTORIES: "true",
  });
  try {
    const headers = await signRequest(`https://${HOST}/`, { headers: { "signature-agent": `"${agent}"` } });
    const started = Date.now();
    const res = await mf.dispatchFetch(`https://${HOST}/`, {
      headers,
    });
    const waited = Date.now() - started;
    assert.equal(res.status, 200, await res.clone().text());
    assert.match((await res.json()).headers["httpseal-verdict"], /^verified;/);
    // The directory never answers, so a verdict that waited for it would come after the
    // fetch timed out (FETCH_TIMEOUT_MS, 5 s): this one did not wait.
    assert.ok(waited < 5000, `answered after ${waited} ms`);
    assert.ok(pending <= 1, "at most one fetch, in the background");
  } finally {
    await mf.dispose();
  }
});

test("a 100 MB chunked POST /verify is refused 413 after the first MiB; wasm memory stays under the bound", async (t) => {
  const [mf, base] = await probed({ MODE: "api" });
  try {
    const { answer, sent } = await chunkedUntilAnswered(base, "/verify", 100 * 1000 * 1000);
    assert.equal(answer?.status, 413, answer?.text?.());
    assert.match(answer.text(), /request_too_large/);
    assert.ok(sent < 100 * 1000 * 1000, `the Worker stopped reading: ${sent} bytes sent of 100 MB`);
    t.diagnostic(`413 after ${(sent / MIB).toFixed(1)} MiB written by the client`);
    const probe = await wasmProbe(mf);
    underBound(t, "after", probe.memoryBytes);
    await stillServes(mf);
  } finally {
    await mf.dispose();
  }
});

test("the isolate's buffering budget: past MAX_BUFFERED_BYTES a /verify is 503 busy with Retry-After", async (t) => {
  const [mf, base] = await probed({ MODE: "api", MAX_BUFFERED_BYTES: "100000" });
  try {
    // Announced larger than the budget: refused before a byte is read.
    const big = rawRequest(base, "POST", "/verify", { "content-type": "application/json", "content-length": "200000" });
    const refused = await big.response;
    big.socket.destroy();
    assert.equal(refused?.status, 503);
    assert.match(refused.text(), /retry-after: \d+/i);
    assert.match(refused.text(), /application\/problem\+json/);
    assert.match(refused.text(), /"code":"busy"/);

    // Two stalled uploads of 60 000 bytes each: the first holds 60 000 of the 100 000, the
    // second is refused at once; when the first client goes away its bytes are given back.
    const first = rawRequest(base, "POST", "/verify", { "content-type": "application/json", "content-length": "60000" });
    await first.write(Buffer.alloc(30000, 0x20));
    await sleep(300);
    const second = rawRequest(base, "POST", "/verify", { "content-type": "application/json", "content-length": "60000" });
    const busy = await second.response;
    second.socket.destroy();
    assert.equal(busy?.status, 503, busy?.text());
    first.socket.destroy();
    await sleep(500);
    const document = JSON.stringify({ method: "GET", url: "https://site.example/", headers: {} }) + " ".repeat(50000);
    const [status, verdict] = await postVerify(mf, document);
    assert.equal(status, 200, "the budget came back when the stalled client vanished");
    assert.equal(verdict.error.code, "no_signature");
  } finally {
    await mf.dispose();
  }
});

test("64 stalled /verify documents of ~1 MiB: at most MAX_BUFFERED_BYTES is held, the rest are busy", async (t) => {
  const [mf, base] = await probed({ MODE: "api" });
  try {
    const uploads = [];
    for (let i = 0; i < 64; i++) {
      const r = rawRequest(base, "POST", "/verify", { "content-type": "application/json", "content-length": String(MIB - 1) });
      r.write(Buffer.alloc(MIB - 2, 0x20));
      uploads.push(r);
    }
    await sleep(2000);
    const during = await wasmProbe(mf);
    let busy = 0;
    for (const r of uploads) {
      const a = await Promise.race([r.response, sleep(50).then(() => undefined)]);
      if (a?.status === 503) busy++;
      r.socket.destroy();
    }
    // The default budget (8 MiB) holds seven whole documents at a time; the others are
    // refused at once rather than buffered.
    assert.ok(busy >= 56, `${busy} of 64 refused as busy`);
    // The held documents stay with the platform until whole: wasm memory holds none.
    underBound(t, "during", during.memoryBytes);
    await sleep(500);
    await stillServes(mf);
    assert.equal((await wasmProbe(mf)).instances, 1);
  } finally {
    await mf.dispose();
  }
});

/** One thousand requests an attacker might send, gateway and /verify alike. */
function* hostileRequests(url) {
  const agents = manyAgents(Array.from({ length: 16 }, (_, i) => `${directories.origin}/gone${i}${DIRECTORY_PATH}`));
  const pairs = JSON.stringify(Array.from({ length: 60000 }, (_, i) => [`x-${i}`, "v"]));
  const cases = [
    // Signature fields that do not parse, or parse into something absurd.
    () => [url, { headers: { "signature-input": "sig1=(", signature: "sig1=:AAAA:" } }],
    () => [url, { headers: { "signature-input": "sig1=" + "(".repeat(5000), signature: "sig1=:x:" } }],
    () => [url, { headers: { "signature-input": Array.from({ length: 40 }, (_, i) => `s${i}=("@method");created=1`).join(", "), signature: "s0=:AAAA:" } }],
    () => [url, { headers: { "signature-input": `sig1=(${Array.from({ length: 100 }, (_, i) => `"h${i}"`).join(" ")});created=1;keyid="k"`, signature: "sig1=:AAAA:" } }],
    () => [url, { headers: { "signature-input": 'sig1=("@authority");created=1;keyid="k"', signature: "sig1=:" + "A".repeat(15000) + ":" } }],
    () => [url, { headers: { "signature-input": 'sig1=("@authority");created=99999999999;expires=1;keyid="k"', signature: "sig1=:AAAA:" } }],
    // Sixteen agents in one request: at most MAX_DIRECTORIES_PER_REQUEST are fetched.
    () => [url, { headers: agents }],
    // A signed body that never verifies.
    () => [url, { method: "POST", body: "x".repeat(4096), headers: { "content-digest": "sha-256=:AAAA:", "signature-input": 'sig1=("content-digest");created=1;keyid="k"', signature: "sig1=:AAAA:" } }],
    // Unsigned requests with too many lines, or too long a URL.
    () => [url, { headers: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, "v"])) }],
    () => [url + "?" + "q".repeat(9000), {}],
    // /verify documents: 60 000 header pairs, deep nesting, not JSON, too large.
    () => ["http://localhost/verify", { method: "POST", body: `{"method":"GET","url":"https://a.example/","headers":${pairs}}` }],
    () => ["http://localhost/verify", { method: "POST", body: "[".repeat(100000) }],
    () => ["http://localhost/verify", { method: "POST", body: '{"method":"GET","url":"https://a.example/","headers":{"a":' + "[".repeat(5000) + "}}" }],
    () => ["http://localhost/verify", { method: "POST", body: "\u0000".repeat(2048) }],
  ];
  for (let i = 0; i < 1000; i++) yield cases[i % cases.length]();
}

test("1 000 hostile requests: no 5xx, no leak past the bound, bounded directory fetches, and the isolate keeps answering", async (t) => {
  for (let i = 0; i < 16; i++) directories.set(`/gone${i}${DIRECTORY_PATH}`, { status: 404, body: "gone" });
  const [mf] = await probed({
    MODE: "annotate", UPSTREAM_ORIGIN: echo.url, TRUSTED_JWKS: TRUSTED, DEV_ALLOW_INSECURE_DIRECTORIES: "true",
    LOG_SAMPLE_RATE: "0", // a thousand decision lines would bury the test's own output
  });
  try {
    const url = `https://${HOST}/page`;
    const statuses = new Map();
    const queue = [...hostileRequests(url)];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const res = await mf.dispatchFetch(...next);
        const text = await res.text();
        // A budget refusal is the one 5xx by design (sixteen ~1 MB documents at once are
        // more than the default MAX_BUFFERED_BYTES): counted apart.
        const status = res.status === 503 && JSON.parse(text).code === "busy" ? "503 busy" : res.status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    assert.equal(total, 1000);
    for (const status of statuses.keys()) {
      assert.ok(status === "503 busy" || status < 500, `a ${status}: ${JSON.stringify([...statuses])}`);
    }
    t.diagnostic(`statuses ${JSON.stringify([...statuses])}`);
    const probe = await wasmProbe(mf);
    underBound(t, "after", probe.memoryBytes);
    assert.equal(probe.instances, 1);
    // Each of the 16 agents is named ~70 times; failures are remembered in memory, so each
    // directory is fetched at most MAX_FETCHES_PER_DIRECTORY (2) times in all, and only
    // MAX_DIRECTORIES_PER_REQUEST (4) of the 16 ever are: the request names them in order.
    let fetched = 0;
    for (let i = 0; i < 16; i++) fetched += directories.hits(`/gone${i}${DIRECTORY_PATH}`);
    assert.ok(fetched <= 4 * 2, `${fetched} directory fetches`);
    const kv = await mf.getKVNamespace("DIRECTORY_CACHE");
    assert.equal((await kv.list({ prefix: "dir:" })).keys.length, 0, "failures never reach KV");
    await stillServes(mf);
  } finally {
    await mf.dispose();
  }
});

test("unsigned requests are unverified whatever else is wrong with them", async (t) => {
  const mf = await startWorker({ MODE: "enforce", UPSTREAM_ORIGIN: echo.url });
  try {
    const url = `https://${HOST}/`;
    const manyLines = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, "v"]));
    for (const [target, init] of [[url, { headers: manyLines }], [url + "?" + "q".repeat(9000), {}]]) {
      const res = await mf.dispatchFetch(target, init);
      assert.equal(res.status, 401);
      assert.equal((await res.json()).code, "no_signature");
    }
    const [status, verdict] = await postVerify(mf, {
      method: "GET", url: "https://a.example/?" + "q".repeat(9000),
      headers: Object.entries(manyLines),
    });
    assert.equal(status, 200);
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "no_signature");
  } finally {
    await mf.dispose();
  }
});
