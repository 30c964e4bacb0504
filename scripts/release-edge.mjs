#!/usr/bin/env node
// Assembles the edge Worker's release folder, deployable with wrangler alone (no Rust):
//   target/release-edge/httpseal-edge/            the folder (layout in release/edge/README.md)
//   target/release-edge/httpseal-edge-<v>.tar.gz  the same, as a release tarball (+ .sha256)
// from the built Worker (crates/edge/build/, make build-edge), js/edge/entry.mjs and
// nonce-ledger.mjs, the static site (target/edge-site/, make site-edge) and the repository's
// wrangler.toml, rewritten for the folder. Every rewrite must match exactly once, so a change
// to wrangler.toml or the entry that this script does not know about fails here.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const at = (p) => join(ROOT, p);
const OUT = at("target/release-edge");
const NAME = "httpseal-edge";
const DIR = join(OUT, NAME);

function fail(message) {
  console.error(`release-edge: ${message}`);
  process.exit(1);
}

/** Replaces `from` (a string or a regex) by `to` in `text`, which must contain it exactly once. */
function replaceOnce(text, from, to, what) {
  const count = typeof from === "string" ? text.split(from).length - 1 : (text.match(new RegExp(from.source, from.flags.replace("g", "") + "g")) ?? []).length;
  if (count !== 1) fail(`${what}: expected one match of ${from}, found ${count}`);
  return text.replace(from, to);
}

for (const [path, hint] of [
  ["crates/edge/build/index.js", "make build-edge"],
  ["crates/edge/build/index_bg.wasm", "make build-edge"],
  ["target/edge-site/index.html", "make site-edge"],
]) {
  if (!existsSync(at(path))) fail(`${path} is missing (${hint})`);
}

const cargo = readFileSync(at("Cargo.toml"), "utf8");
const workspace = cargo.split(/^\[workspace\.package\]$/m)[1].split(/^\[/m)[0];
const field = (name) => workspace.match(new RegExp(`^${name} = "(.*)"$`, "m"))?.[1] ?? fail(`no ${name} in [workspace.package]`);
const version = field("version");
const repository = field("repository");
const license = field("license");
const wrangler = JSON.parse(readFileSync(at("js/edge/package.json"), "utf8")).devDependencies.wrangler;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(DIR, "worker"), { recursive: true });

// The Worker: the build, the Durable Object, and the entry with its import made local.
cpSync(at("crates/edge/build/index.js"), join(DIR, "worker/index.js"));
cpSync(at("crates/edge/build/index_bg.wasm"), join(DIR, "worker/index_bg.wasm"));
cpSync(at("js/edge/nonce-ledger.mjs"), join(DIR, "worker/nonce-ledger.mjs"));
let entry = readFileSync(at("js/edge/entry.mjs"), "utf8");
entry = replaceOnce(entry, /^\/\/ The Worker's entry \(wrangler\.toml `main`\)[^]*?(?=^export )/m,
  "// The Worker's entry (wrangler.toml `main`): httpseal's fetch handler (index.js, index_bg.wasm)\n" +
  "// and the Durable Object class for strict replay protection (NONCE_LEDGER binding).\n", "js/edge/entry.mjs header");
entry = replaceOnce(entry, `from "../../crates/edge/build/index.js";`, `from "./index.js";`, "js/edge/entry.mjs");
writeFileSync(join(DIR, "worker/entry.mjs"), entry);

// The static site.
cpSync(at("target/edge-site"), join(DIR, "site"), { recursive: true });

// wrangler.toml: the repository's, without [build], paths inside the folder.
let toml = readFileSync(at("wrangler.toml"), "utf8");
toml = replaceOnce(toml, /^[^]*?\n(?=name = )/,
  `# httpseal edge verifier ${version} — a Cloudflare Worker that verifies RFC 9421 / Web Bot Auth\n` +
  "# signatures before requests reach the origin. Deploy: README.md in this folder; every setting:\n" +
  `# ${repository}#edge-verifier\n`, "wrangler.toml header");
toml = replaceOnce(toml, /^# The built Worker .*\nmain = ".*"$/m,
  "# The built Worker (worker/index.js + index_bg.wasm) and the NonceLedger Durable Object class.\n" +
  'main = "worker/entry.mjs"', "wrangler.toml main");
toml = replaceOnce(toml, /^\[build\]\n(?:.+\n)*\n/m, "", "wrangler.toml [build]");
toml = replaceOnce(toml, /^# Static files: [^]*?(?=^\[assets\]$)/m,
  "# Static files (site/): the signing playground at `/` and worker.html. Served at `/` in `api`\n" +
  '# mode, and the upstream when UPSTREAM_ORIGIN = "assets". The Worker always runs first, so\n' +
  "# the gateway sees every request.\n", "wrangler.toml assets comment");
toml = replaceOnce(toml, /^directory = ".*"$/m, 'directory = "./site"', "wrangler.toml assets directory");
toml = replaceOnce(toml, "(js/edge/nonce-ledger.mjs)", "(worker/nonce-ledger.mjs)", "wrangler.toml NonceLedger comment");
if (/make |crates\/|js\/edge|target\//.test(toml)) fail("wrangler.toml still refers to the repository: " + toml.match(/.*(make |crates\/|js\/edge|target\/).*/)[0]);
writeFileSync(join(DIR, "wrangler.toml"), toml);

// README and package.json.
const readme = readFileSync(at("release/edge/README.md"), "utf8")
  .replaceAll("{{VERSION}}", version).replaceAll("{{REPOSITORY}}", repository).replaceAll("{{WRANGLER_VERSION}}", wrangler);
if (readme.includes("{{")) fail("release/edge/README.md has an unknown placeholder");
writeFileSync(join(DIR, "README.md"), readme);
writeFileSync(join(DIR, "package.json"), JSON.stringify({
  name: NAME,
  version,
  description: "The httpseal edge verifier, built: a Cloudflare Worker that verifies RFC 9421 and Web Bot Auth signatures. Deploy with wrangler; no Rust toolchain needed.",
  license,
  repository: { type: "git", url: `git+${repository}.git` },
  type: "module",
  files: ["README.md", "wrangler.toml", "build-info.json", "worker/", "site/"],
  scripts: { deploy: "wrangler deploy", "dry-run": "wrangler deploy --dry-run --outdir dist", dev: "wrangler dev --local" },
  devDependencies: { wrangler },
}, null, 2) + "\n");

// Provenance: what the files were built from.
const run = (cmd, args) => { try { return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8" }).trim(); } catch { return null; } };
const sha256 = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
const lock = readFileSync(at("Cargo.lock"), "utf8");
const locked = (name) => lock.match(new RegExp(`^name = "${name}"\\nversion = "(.*)"$`, "m"))?.[1] ?? null;
const dirty = run("git", ["status", "--porcelain", "--", "src", "crates/edge", "Cargo.lock", "js/edge/worker-shim.mjs", "scripts/build-edge.sh"]);
writeFileSync(join(DIR, "build-info.json"), JSON.stringify({
  name: NAME,
  version,
  commit: run("git", ["rev-parse", "HEAD"]),
  uncommittedChanges: dirty === null ? null : dirty !== "",
  rustc: run("rustc", ["--version"]),
  "wasm-bindgen": locked("wasm-bindgen"),
  worker: locked("worker"),
  wrangler,
  files: Object.fromEntries(["worker/index.js", "worker/index_bg.wasm", "worker/entry.mjs", "worker/nonce-ledger.mjs"]
    .map((f) => [f, { bytes: statSync(join(DIR, f)).size, sha256: sha256(join(DIR, f)) }])),
}, null, 2) + "\n");

// The tarball: reproducible (sorted, owner 0, mtime of the commit).
const tarball = join(OUT, `${NAME}-${version}.tar.gz`);
const mtime = run("git", ["log", "-1", "--format=%ct"]) ?? "0";
execFileSync("tar", ["--sort=name", `--mtime=@${mtime}`, "--owner=0", "--group=0", "--numeric-owner",
  "-C", OUT, "-cf", tarball.replace(/\.gz$/, ""), NAME]);
execFileSync("gzip", ["-9", "-n", "-f", tarball.replace(/\.gz$/, "")]);
writeFileSync(`${tarball}.sha256`, `${sha256(tarball)}  ${NAME}-${version}.tar.gz\n`);
console.log(`release-edge: ${DIR}/ and ${tarball} (${statSync(tarball).size} bytes)`);
