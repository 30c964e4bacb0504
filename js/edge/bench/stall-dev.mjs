// Issue 14's `make dev` case: under wrangler dev (enforce, the static site as upstream),
// 64 signed uploads of 1 MiB − 1 byte stall mid-body, then their clients disconnect. Reports
// workerd's resident memory before, during and after, and whether the local server is still
// up and answering. `make bench-edge-stall-dev`.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, ED25519_PUBLIC } from "../test/helpers.mjs";
import { MIB, sleep, sha256, signedPost, rawRequest } from "../test/raw-client.mjs";

const port = 8797;
const dir = mkdtempSync(join(tmpdir(), "httpseal-stall-"));
// The repository's wrangler.toml, without its [build] step (the Worker is built already).
const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
  .replace(/^\[build\][\s\S]*?\n\n/m, "")
  .replace(/^main = "/m, `main = "${ROOT}`)
  .replace(/^directory = "\.\//m, `directory = "${ROOT}`);
writeFileSync(join(dir, "wrangler.toml"), config);
const vars = { MODE: "enforce", PROFILE: "rfc9421", UPSTREAM_ORIGIN: "assets", ALLOW_TEST_KEYS: "true", TRUSTED_JWKS: JSON.stringify({ keys: [ED25519_PUBLIC] }) };
const args = ["dev", "--config", join(dir, "wrangler.toml"), "--port", String(port), "--ip", "127.0.0.1", "--persist-to", join(dir, "state")];
for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
const wrangler = spawn(join(ROOT, "js/edge/node_modules/.bin/wrangler"), args, {
  detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
let log = "";
wrangler.stdout.on("data", (d) => (log += d));
wrangler.stderr.on("data", (d) => (log += d));
let exited = null;
wrangler.on("exit", (code, signal) => { exited = `${code ?? signal}`; });
const stop = () => { try { process.kill(-wrangler.pid, "SIGTERM"); } catch {} };
process.on("exit", stop);

/** Resident memory of the workerd processes under wrangler, in MiB. */
function workerdRss() {
  let total = 0;
  const out = execFileSync("ps", ["-eo", "pid,pgid,rss,comm"], { encoding: "utf8" });
  for (const line of out.split("\n").slice(1)) {
    const [, pgid, rss, comm] = line.trim().split(/\s+/);
    if (Number(pgid) === wrangler.pid && comm === "workerd") total += Number(rss);
  }
  return (total / 1024).toFixed(1);
}
async function up() {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/`);
    await r.arrayBuffer();
    return r.status;
  } catch (e) {
    return String(e.cause?.code ?? e);
  }
}
for (let i = 0; i < 120 && typeof (await up()) !== "number"; i++) await sleep(500);
const base = new URL(`http://127.0.0.1:${port}`);
const rssBefore = workerdRss();
const body = Buffer.alloc(MIB - 1, 1);
const head = { ...(await signedPost("/upload", sha256(body))), "content-length": String(MIB - 1) };
const uploads = [];
for (let i = 0; i < 64; i++) {
  const r = rawRequest(base, "POST", "/upload", head);
  await r.write(body.subarray(0, MIB - 2));
  uploads.push(r);
}
await sleep(3000);
const rssDuring = workerdRss();
const during = await up();
for (const r of uploads) r.socket.destroy();
await sleep(3000);
const after = await up();
const rssAfter = workerdRss();
console.log(`workerd RSS: ${rssBefore} MiB before, ${rssDuring} MiB with 64 stalled uploads, ${rssAfter} MiB after they disconnected`);
console.log(`GET / during: ${during}; after the disconnects: ${after}; wrangler dev exited: ${exited ?? "no"}`);
const errors = log.split("\n").filter((l) => /rror|lost|Uncaught/i.test(l));
console.log(`log lines naming an error: ${errors.length}${errors.length ? "\n  " + [...new Set(errors)].slice(0, 5).join("\n  ") : ""}`);
stop();
process.exit(exited || after !== 200 ? 1 : 0);
