// Runs the examples against each other on 127.0.0.1, as they are written (make test-examples
// installs each with its pinned dependencies first): the agent signs → the Node server
// verifies → 200; unsigned → 401 with the challenge; the Hono Worker, bundled for workerd
// and served by Miniflare (js/edge's), verifies the agent's request on /api/* and annotates /.
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, test } from "node:test";

const HERE = dirname(fileURLToPath(import.meta.url));
const EDGE = join(HERE, "..", "js", "edge", "node_modules");
// js/edge's Miniflare (pinned there with wrangler), not a second copy.
const fromEdge = createRequire(join(EDGE, "..", "package.json"));
const { Miniflare } = await import(pathToFileURL(fromEdge.resolve("miniflare")).href);
const CHALLENGE = 'sig1=("@authority");created;expires;tag="web-bot-auth"';

const cleanup = [];
after(async () => {
  for (const done of cleanup.reverse()) await done();
});

/** Runs the agent example against `url`: resolves to {code, out}. */
function agent(url) {
  return new Promise((resolve) => {
    execFile("node", ["agent.mjs", url], { cwd: join(HERE, "agent"), timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, out: stdout.trim(), err: stderr.trim() });
    });
  });
}

/** Starts the Node server example on a free port; resolves to its URL. */
async function nodeServer() {
  const child = spawn("node", ["server.mjs"], {
    cwd: join(HERE, "node-server"),
    env: { ...process.env, PORT: "0", HTTPSEAL_ALLOW_HTTP: "true" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanup.push(() => child.kill());
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      const m = /listening on (http:\/\/\S+)/.exec(String(chunk));
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server.mjs exited with ${code}`)));
  });
}

test("node-server: the agent's signed request is verified against its own directory (200); unsigned is 401 + challenge", async () => {
  const url = await nodeServer();
  const signed = await agent(url);
  assert.equal(signed.code, 0, signed.out + signed.err);
  assert.match(signed.out, /^200 hello http:\/\/127\.0\.0\.1:\d+\/\.well-known\/http-message-signatures-directory$/);
  const unsigned = await fetch(url);
  assert.equal(unsigned.status, 401);
  assert.equal(unsigned.headers.get("accept-signature"), CHALLENGE);
  assert.equal((await unsigned.json()).code, "no_signature");
});

test("hono-worker under Miniflare: /api/* lets the agent in (200, its identifier), refuses the unsigned (401); / is annotated", async () => {
  const out = mkdtempSync(join(tmpdir(), "httpseal-hono-worker-"));
  cleanup.push(() => rmSync(out, { recursive: true, force: true }));
  // What wrangler does for a Worker: bundle for workerd, the .wasm as a module of its own.
  execFileSync(join(EDGE, ".bin", "esbuild"), ["src/index.mjs", "--bundle", "--format=esm", "--platform=neutral",
    "--conditions=workerd,worker,browser", "--main-fields=module,main", "--loader:.wasm=copy", `--outdir=${out}`, "--log-level=warning"],
  { cwd: join(HERE, "hono-worker") });
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, "index.js"),
    modulesRoot: out,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js"] }],
    compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE"],
    bindings: { HTTPSEAL_ALLOW_HTTP: "true" },
    host: "127.0.0.1",
    port: 0,
  });
  cleanup.push(() => mf.dispose());
  const base = await mf.ready;
  const api = new URL("/api/hello", base).href;
  const signed = await agent(api);
  assert.equal(signed.code, 0, signed.out + signed.err);
  const [status, body] = [signed.out.slice(0, 3), JSON.parse(signed.out.slice(4))];
  assert.equal(status, "200");
  assert.match(body.hello, /^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/http-message-signatures-directory$/);
  const unsigned = await fetch(api);
  assert.equal(unsigned.status, 401);
  assert.equal(unsigned.headers.get("accept-signature"), CHALLENGE);
  const home = await fetch(new URL("/", base), { headers: { "httpseal-verdict": "verified" } });
  assert.equal(home.status, 200);
  assert.equal((await home.text()).trim(), 'unverified;error="no_signature"', "annotated, the forged copy replaced");
  const kv = await mf.getKVNamespace("DIRECTORY_CACHE");
  const { keys } = await kv.list({ prefix: "dev:dir:" });
  assert.equal(keys.length, 1, "the agent's directory is cached in KV (development keys under allowHttp)");
});
