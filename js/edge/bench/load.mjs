// Load test: `wrangler dev` (local workerd, local KV) serving the built Worker in enforce
// mode, driven by autocannon from 127.0.0.1 with exactly N distinct signed Web Bot Auth
// requests (each nonce is recorded in the local NONCES KV, as in production) at
// concurrency C. Reports errors, requests/s, p50/p99 latency and workerd's memory before
// and after.
//
//   node bench/load.mjs [requests=20000] [concurrency=32]      (make bench-edge-load)
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../test/helpers.mjs";
import autocannon from "autocannon";
import { TRUSTED_JWKS, signedRequests } from "./signed.mjs";

const args = process.argv.slice(2);
// --no-nonces: without the NONCES binding (no KV read and write per request).
const withNonces = !args.includes("--no-nonces");
const [total = 20000, concurrency = 32] = args.filter((a) => !a.startsWith("--")).map(Number);
const port = 8799;
const origin = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), "httpseal-load-"));

// The shipped configuration, with the prebuilt Worker (no [build] step), enforce mode,
// the static page as upstream and the signer's key (the RFC 9421 test key) trusted.
let config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
  .replace(/^\[build\][\s\S]*?\n\n/m, "")
  .replace(/^main = "/m, `main = "${ROOT}`)
  .replace(/^directory = "\.\//m, `directory = "${ROOT}`)
  .replace(/^MODE = .*$/m, 'MODE = "enforce"')
  .replace(/^UPSTREAM_ORIGIN = .*$/m, 'UPSTREAM_ORIGIN = "assets"')
  .replace(/^TRUSTED_JWKS = .*$/m, `TRUSTED_JWKS = '${TRUSTED_JWKS}'\n# The requests are signed with the RFC 9421 test key, refused unless allowed.\nALLOW_TEST_KEYS = "true"`);
if (!withNonces) config = config.replace(/^\[\[kv_namespaces\]\]\nbinding = "NONCES"\nid = .*$/m, "");
writeFileSync(join(dir, "wrangler.toml"), config);

const wrangler = spawn(join(ROOT, "js/edge/node_modules/.bin/wrangler"),
  ["dev", "--config", join(dir, "wrangler.toml"), "--port", String(port), "--ip", "127.0.0.1", "--persist-to", join(dir, "state")],
  { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
let log = "";
wrangler.stdout.on("data", (d) => { log += d; });
wrangler.stderr.on("data", (d) => { log += d; });
const stop = () => { try { process.kill(-wrangler.pid, "SIGTERM"); } catch {} };
process.on("exit", stop);

async function ready() {
  for (let i = 0; i < 120; i++) {
    try { const r = await fetch(origin + "/"); await r.arrayBuffer(); if (r.status === 401) return; } catch {}
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`wrangler dev did not start:\n${log}`);
}

/** RSS (KiB) of the workerd processes under wrangler. */
function workerdRss() {
  const descendants = (pid) => {
    let out = [];
    try {
      for (const c of execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).trim().split("\n").filter(Boolean)) {
        out.push(Number(c), ...descendants(c));
      }
    } catch {}
    return out;
  };
  return descendants(wrangler.pid)
    .filter((p) => { try { return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "workerd"; } catch { return false; } })
    .reduce((kib, p) => kib + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0), 0);
}

await ready();
console.log(`signing ${total} requests...`);
const headerSets = await signedRequests(origin, "/", total + 1);
const probe = await fetch(origin + "/", { headers: headerSets[0] });
if (probe.status !== 200) throw new Error(`a signed request was answered ${probe.status}: ${await probe.text()}`);
await probe.arrayBuffer();
const before = workerdRss();
console.log(`autocannon: ${total} requests, ${concurrency} connections`);
let next = 1;
const statuses = {};
const result = await autocannon({
  url: origin,
  connections: concurrency,
  amount: total,
  timeout: 30,
  requests: [{ method: "GET", path: "/", setupRequest: (req) => ({ ...req, headers: headerSets[next++] }) }],
  setupClient: (client) => client.on("response", (status) => { statuses[status] = (statuses[status] ?? 0) + 1; }),
});
const after = workerdRss();
stop();
console.log(`\nrequests: ${result.requests.total} (+1 probe), statuses ${JSON.stringify(statuses)}; NONCES KV ${withNonces ? "bound" : "not bound"}`);
console.log(`errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`);
console.log(`requests/s: ${(result.requests.total / (result.duration)).toFixed(0)} over ${result.duration.toFixed(1)} s`);
console.log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(`workerd RSS: ${(before / 1024).toFixed(1)} MiB before, ${(after / 1024).toFixed(1)} MiB after`);
