// The release folder (make release-edge → target/release-edge/httpseal-edge/) deploys with
// wrangler alone: a copy in a temporary directory, with no cargo or rustc on PATH, passes
// `wrangler deploy --dry-run` and serves POST /verify and its static site under `wrangler dev`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

const RELEASE = join(ROOT, "target/release-edge");
const FOLDER = join(RELEASE, "httpseal-edge");
const WRANGLER = join(ROOT, "js/edge/node_modules/wrangler");

/** The `[vars]` and the KV bindings of a wrangler.toml (the flat lines the repository uses). */
function settings(path) {
  const text = readFileSync(path, "utf8");
  const vars = {};
  const section = text.split(/^\[vars\]$/m)[1].split(/^\[/m)[0];
  for (const m of section.matchAll(/^([A-Z0-9_]+)\s*=\s*"(.*)"\s*$/gm)) vars[m[1]] = m[2];
  const kv = [...text.matchAll(/^\[\[kv_namespaces\]\]\nbinding = "(.*)"\nid = "(.*)"$/gm)].map((m) => [m[1], m[2]]);
  const commented = text.split("\n").filter((l) => /^# \[\[|^# (name|class_name|tag|new_sqlite_classes) = /.test(l));
  const top = Object.fromEntries([...text.matchAll(/^(name|compatibility_date) = "(.*)"$/gm)].map((m) => [m[1], m[2]]));
  return { vars, kv, commented, top, build: /^\[build\]$/m.test(text) };
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

function files(dir, prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

test("the release folder: layout, wrangler.toml as the repository's without [build], the tarball", () => {
  assert.ok(existsSync(FOLDER), `${FOLDER} is missing: run make release-edge`);
  const listed = files(FOLDER);
  for (const f of ["README.md", "wrangler.toml", "package.json", "build-info.json", "worker/entry.mjs", "worker/index.js",
    "worker/index_bg.wasm", "worker/nonce-ledger.mjs", "site/index.html", "site/worker.html"]) {
    assert.ok(listed.includes(f), `${f} in the release folder`);
  }
  assert.deepEqual(files(join(FOLDER, "site")).sort(), files(join(ROOT, "target/edge-site")).sort(), "site/ is the whole static site");
  for (const f of ["index.js", "index_bg.wasm"]) {
    assert.ok(readFileSync(join(FOLDER, "worker", f)).equals(readFileSync(join(ROOT, "crates/edge/build", f))), `worker/${f} is the build`);
  }

  const repo = settings(join(ROOT, "wrangler.toml"));
  const release = settings(join(FOLDER, "wrangler.toml"));
  assert.equal(repo.build, true);
  assert.equal(release.build, false, "no [build] step");
  for (const key of ["vars", "kv", "commented", "top"]) assert.deepEqual(release[key], repo[key], `the same ${key}`);
  const toml = readFileSync(join(FOLDER, "wrangler.toml"), "utf8");
  assert.match(toml, /^main = "worker\/entry\.mjs"$/m);
  assert.match(toml, /^directory = "\.\/site"$/m);

  const pkg = JSON.parse(readFileSync(join(FOLDER, "package.json"), "utf8"));
  const installed = JSON.parse(readFileSync(join(WRANGLER, "package.json"), "utf8")).version;
  assert.equal(pkg.devDependencies.wrangler, installed, "the release pins the wrangler it is tested with");
  assert.doesNotMatch(readFileSync(join(FOLDER, "README.md"), "utf8"), /\{\{/);

  const tarball = join(RELEASE, `httpseal-edge-${pkg.version}.tar.gz`);
  const sum = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  assert.equal(readFileSync(`${tarball}.sha256`, "utf8"), `${sum}  httpseal-edge-${pkg.version}.tar.gz\n`);
  const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n").filter((l) => l && !l.endsWith("/"));
  assert.deepEqual(listing.sort(), listed.map((f) => `httpseal-edge/${f}`).sort(), "the tarball holds the folder");
});

test("a copy of the release deploys (dry run) and runs under wrangler dev with no Rust toolchain", async (t) => {
  const work = mkdtempSync(join(tmpdir(), "httpseal-release-"));
  const children = [];
  t.after(() => {
    for (const child of children) if (child.exitCode === null) try { process.kill(-child.pid, "SIGTERM"); } catch {}
    rmSync(work, { recursive: true, force: true });
  });
  const site = join(work, "httpseal-edge");
  cpSync(FOLDER, site, { recursive: true });
  // PATH: a directory holding only node, then the system's; no cargo, rustc or rustup.
  const bin = join(work, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  const env = {
    HOME: process.env.HOME,
    PATH: `${bin}:/usr/bin:/bin`,
    WRANGLER_SEND_METRICS: "false",
    XDG_CONFIG_HOME: join(work, "config"),
    NO_COLOR: "1",
  };
  const rust = spawnSync("sh", ["-c", "command -v cargo; command -v rustc; command -v rustup; true"], { env, encoding: "utf8" });
  assert.equal(rust.stdout.trim(), "", `no Rust toolchain on PATH=${env.PATH}`);
  const wrangler = join(WRANGLER, "bin/wrangler.js");

  const dry = spawnSync("node", [wrangler, "deploy", "--dry-run", "--outdir", join(work, "dist")], { cwd: site, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(dry.status, 0, `wrangler deploy --dry-run failed:\n${dry.stdout}\n${dry.stderr}`);
  assert.match(dry.stdout, /Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
  assert.match(dry.stdout, /Read [1-9]\d* files from the assets directory .*httpseal-edge\/site/);
  for (const binding of ["env.DIRECTORY_CACHE", "env.NONCES", "env.ASSETS", 'env.MODE ("annotate")']) assert.ok(dry.stdout.includes(binding), binding);
  const dist = readdirSync(join(work, "dist"));
  assert.ok(dist.includes("entry.js"), `bundle: ${dist}`);
  assert.ok(dist.some((f) => f.endsWith("index_bg.wasm")), `the wasm module is uploaded: ${dist}`);

  // wrangler dev: the shipped configuration, then api mode (the static site at /).
  async function dev(...extra) {
    const port = await freePort();
    const inspector = await freePort();
    const child = spawn("node", [wrangler, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port),
      "--inspector-port", String(inspector), "--show-interactive-dev-session=false", ...extra],
    { cwd: site, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let log = "";
    child.stdout.on("data", (d) => { log += d; });
    child.stderr.on("data", (d) => { log += d; });
    const origin = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 250) {
      if (child.exitCode !== null) assert.fail(`wrangler dev exited (${child.exitCode}):\n${log}`);
      if (/Ready on http/.test(log)) break;
      if (waited > 90_000) assert.fail(`wrangler dev did not start:\n${log}`);
      await new Promise((ok) => setTimeout(ok, 250));
    }
    const stop = async () => {
      process.kill(-child.pid, "SIGTERM");
      await new Promise((ok) => (child.exitCode !== null ? ok() : child.once("exit", ok)));
    };
    return { origin, stop, log: () => log };
  }

  const shipped = await dev();
  try {
    const res = await fetch(`${shipped.origin}/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ method: "GET", url: "https://example.com/", headers: {} }),
    });
    assert.equal(res.status, 200, shipped.log());
    const verdict = await res.json();
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "no_signature");
  } finally {
    await shipped.stop();
  }

  const api = await dev("--var", "MODE:api");
  try {
    const page = await fetch(`${api.origin}/worker.html`);
    assert.equal(page.status, 200, api.log());
    assert.equal(await page.text(), readFileSync(join(site, "site/worker.html"), "utf8"));
  } finally {
    await api.stop();
  }
});
