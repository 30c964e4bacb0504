// Issue 14's measurements, re-run against the built Worker under Miniflare (workerd) with
// the test-only memory probe: for each scenario an attacker might try, the Worker's wasm
// memory after it (wasm memory never shrinks: this is the high-water mark), what the
// Worker answered and how long it took. `make bench-edge-hostile`; prints a Markdown table.
import { startEchoOrigin, wasmProbe, postVerify, signRequest, ED25519_PUBLIC } from "../test/helpers.mjs";
import { startDirectoryServer, DIRECTORY_PATH } from "../test/directory-server.mjs";
import { MIB, sleep, sha256, probed, signedPost, rawRequest, manyAgents, chunkedUntilAnswered } from "../test/raw-client.mjs";

const TRUSTED = JSON.stringify({ keys: [ED25519_PUBLIC] });
const echo = await startEchoOrigin();
const directories = await startDirectoryServer();
const rows = [];
const mib = (bytes) => (bytes / MIB).toFixed(2);

/** Runs `scenario(mf, base)` on a fresh Worker with `vars`; records one row. */
async function measure(name, vars, scenario) {
  const [mf, base] = await probed({ LOG_SAMPLE_RATE: "0", ...vars });
  try {
    const before = (await wasmProbe(mf)).memoryBytes;
    const started = performance.now();
    const answer = await scenario(mf, base);
    const ms = Math.round(performance.now() - started);
    const probe = await wasmProbe(mf);
    const [status] = await postVerify(mf, { method: "GET", url: "https://a.example/", headers: {} });
    rows.push([name, mib(before), mib(probe.memoryBytes), answer, `${ms} ms`, status === 200 && probe.instances === 1 ? "yes" : "NO"]);
  } finally {
    await mf.dispose();
  }
}

/** `count` signed uploads announcing `length` bytes, all but the last byte sent. */
async function stalledUploads(base, count, length) {
  const body = Buffer.alloc(length, 1);
  const head = { ...(await signedPost("/upload", sha256(body))), "content-length": String(length) };
  const uploads = [];
  for (let i = 0; i < count; i++) {
    const r = rawRequest(base, "POST", "/upload", head);
    await r.write(body.subarray(0, length - 1));
    uploads.push(r);
  }
  await sleep(1000);
  for (const r of uploads) r.socket.destroy();
  await sleep(500);
  return `${count} stalled, then gone`;
}

const gateway = { MODE: "enforce", PROFILE: "rfc9421", UPSTREAM_ORIGIN: echo.url, TRUSTED_JWKS: TRUSTED };

await measure("POST /verify, 100 MB chunked", { MODE: "api" }, async (_, base) => {
  const { answer, sent } = await chunkedUntilAnswered(base, "/verify", 100e6);
  return `${answer?.status} after ${mib(sent)} MiB sent`;
});
for (const n of [16, 32, 64]) {
  await measure(`${n} stalled signed uploads of 1 MiB − 1`, gateway, (_, base) => stalledUploads(base, n, MIB - 1));
}
await measure("8 stalled signed uploads of 8 MiB − 1 (MAX_CHECKED_BODY_BYTES 8 MiB)",
  { ...gateway, MAX_CHECKED_BODY_BYTES: String(8 * MIB) }, (_, base) => stalledUploads(base, 8, 8 * MIB - 1));
directories.set("/hang" + DIRECTORY_PATH, () => {});
await measure("64 signed 1 MiB POSTs behind a hanging directory",
  { MODE: "enforce", UPSTREAM_ORIGIN: echo.url, DEV_ALLOW_INSECURE_DIRECTORIES: "true" }, async (_, base) => {
    const body = Buffer.alloc(MIB, 2);
    const head = { ...(await signedPost("/upload", sha256(body), directories.origin + "/hang" + DIRECTORY_PATH)), "content-length": String(MIB) };
    const posts = Array.from({ length: 64 }, () => {
      const r = rawRequest(base, "POST", "/upload", head);
      r.write(body);
      return r;
    });
    const answers = await Promise.all(posts.map((r) => r.response));
    for (const r of posts) r.socket.destroy();
    const statuses = [...new Set(answers.map((a) => a?.status))].join(",");
    return `${statuses} (directory fetched ${directories.hits("/hang" + DIRECTORY_PATH)}×)`;
  });
await measure("64 stalled POST /verify of ~1 MiB", { MODE: "api" }, async (_, base) => {
  const uploads = Array.from({ length: 64 }, () => {
    const r = rawRequest(base, "POST", "/verify", { "content-type": "application/json", "content-length": String(MIB - 1) });
    r.write(Buffer.alloc(MIB - 2, 0x20));
    return r;
  });
  await sleep(2000);
  let busy = 0;
  for (const r of uploads) {
    if ((await Promise.race([r.response, sleep(20)]))?.status === 503) busy++;
    r.socket.destroy();
  }
  return `${busy} of 64 answered 503 busy at once`;
});
await measure("POST /verify of 1 MB with 60 000 header pairs", { MODE: "api" }, async (mf) => {
  const pairs = JSON.stringify(Array.from({ length: 60000 }, (_, i) => [`x-${i}`, "v"]));
  const [status, verdict] = await postVerify(mf, `{"method":"GET","url":"https://a.example/","headers":${pairs}}`);
  return `${status} ${verdict.verdict ?? ""} ${verdict.error?.code ?? verdict.code}`;
});
for (let i = 0; i < 16; i++) directories.set(`/gone${i}${DIRECTORY_PATH}`, { status: 404, body: "gone" });
await measure("one request naming 16 agents", { MODE: "annotate", UPSTREAM_ORIGIN: echo.url, DEV_ALLOW_INSECURE_DIRECTORIES: "true" }, async (mf) => {
  const urls = Array.from({ length: 16 }, (_, i) => `${directories.origin}/gone${i}${DIRECTORY_PATH}`);
  const res = await mf.dispatchFetch("https://shop.example/", { headers: manyAgents(urls) });
  const verdict = (await res.json()).headers["httpseal-verdict"];
  let fetches = 0;
  for (let i = 0; i < 16; i++) fetches += directories.hits(`/gone${i}${DIRECTORY_PATH}`);
  const kv = (await (await mf.getKVNamespace("DIRECTORY_CACHE")).list()).keys.length;
  return `${fetches} fetches, ${kv} KV writes: ${verdict}`;
});
directories.set("/slow" + DIRECTORY_PATH, () => {});
await measure("trusted key, its agent's directory hanging", { ...gateway, PROFILE: "web-bot-auth", DEV_ALLOW_INSECURE_DIRECTORIES: "true" }, async (mf) => {
  const headers = await signRequest("https://shop.example/", { headers: { "signature-agent": `"${directories.origin}/slow${DIRECTORY_PATH}"` } });
  const res = await mf.dispatchFetch("https://shop.example/", { headers });
  return `${res.status} ${(await res.json()).headers["httpseal-verdict"].split(";")[0]}`;
});
await measure("unsigned, 300 header lines / 9 KiB URL", gateway, async (mf) => {
  const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, "v"]));
  const a = await mf.dispatchFetch("https://shop.example/", { headers: many });
  const b = await mf.dispatchFetch("https://shop.example/?" + "q".repeat(9000));
  return `${a.status} ${(await a.json()).code} / ${b.status} ${(await b.json()).code}`;
});

echo.close();
directories.close();
console.log("| scenario | wasm before (MiB) | wasm after (MiB) | answer | time | still serving |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
