// Assembles the npm package in ../../pkg from the two wasm builds that `make pkg` compiled
// (all algorithms, and Ed25519 only). No network: wasm-bindgen is the installed CLI,
// wasm-opt comes from the npm package `binaryen`, esbuild bundles the JS glue.
//
//   node js/build/build-pkg.mjs <full.wasm> <ed25519.wasm>
//
// Layout of pkg/:
//   package.json, README.md, index.d.ts (+ .d.cts), api.mjs / api.cjs (the JS glue)
//   dist/<variant>/node/  index.cjs, index.mjs, httpseal.cjs, httpseal_bg.wasm
//   dist/<variant>/web/   index.js (top-level await init), workerd.js, httpseal.js, httpseal_bg.wasm

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { API_NAMES } from "../src/api.js";

const jsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(jsDir, "..");
const pkg = join(root, "pkg");
const work = join(root, "build", "npm", "bindgen");
const bin = (name) => join(jsDir, "node_modules", ".bin", name);

const [fullWasm, ed25519Wasm] = process.argv.slice(2);
if (!fullWasm || !ed25519Wasm) {
  console.error("usage: build-pkg.mjs <full.wasm> <ed25519.wasm>");
  process.exit(2);
}

// The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept
// them and must not introduce others.
const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-mutable-globals",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-reference-types",
  "--enable-multivalue",
];

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
}

// The full build is optimised for speed, the Ed25519-only one for size.
const VARIANTS = [
  { name: "full", input: fullWasm, opt: "-O3" },
  { name: "ed25519", input: ed25519Wasm, opt: "-Oz" },
];

function bindgen(input, target, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  run("wasm-bindgen", ["--target", target, "--out-dir", outDir, "--out-name", "httpseal", "--no-typescript", input]);
  return join(outDir, "httpseal_bg.wasm");
}

function wasmOpt(wasm, opt) {
  run(bin("wasm-opt"), [opt, ...WASM_FEATURES, "--strip-debug", "--strip-producers", wasm, "-o", wasm]);
}

const names = API_NAMES.join(", ");
const nodeCjs = `"use strict";
// Node (CommonJS): the wasm is compiled synchronously from the file beside this one.
const { createApi } = require("../../../api.cjs");
module.exports = createApi(require("./httpseal.cjs"));
`;
const nodeMjs = `// Node (ES modules): the same instance as the CommonJS entry, so a program that mixes
// import and require loads the wasm once.
import api from "./index.cjs";
export const { ${names} } = api;
`;
const webJs = `// Browsers, Deno, bundlers: the wasm is fetched and instantiated by a top-level await,
// so importing this module is all the setup there is.
import init, * as core from "./httpseal.js";
import { createApi } from "../../../api.mjs";
await init({ module_or_path: new URL("./httpseal_bg.wasm", import.meta.url) });
export const { ${names} } = createApi(core);
`;
const workerdJs = `// Cloudflare Workers (workerd): wrangler imports .wasm files as compiled modules, and a
// Worker may not fetch at start-up, so the module is instantiated synchronously.
import wasm from "./httpseal_bg.wasm";
import * as core from "./httpseal.js";
import { createApi } from "../../../api.mjs";
core.initSync({ module: wasm });
export const { ${names} } = createApi(core);
`;

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
const sizes = {};
for (const { name: variant, input, opt } of VARIANTS) {
  const nodeWasm = bindgen(input, "nodejs", join(work, variant, "nodejs"));
  const webWasm = bindgen(input, "web", join(work, variant, "web"));
  // wasm-bindgen emits the same module for both targets (only the JS glue differs), so
  // wasm-opt, the slow step, runs once when that holds.
  const same = readFileSync(nodeWasm).equals(readFileSync(webWasm));
  wasmOpt(nodeWasm, opt);
  if (same) copyFileSync(nodeWasm, webWasm);
  else wasmOpt(webWasm, opt);
  const node = join(pkg, "dist", variant, "node");
  const web = join(pkg, "dist", variant, "web");
  mkdirSync(node, { recursive: true });
  mkdirSync(web, { recursive: true });
  copyFileSync(join(work, variant, "nodejs", "httpseal.js"), join(node, "httpseal.cjs"));
  copyFileSync(join(work, variant, "nodejs", "httpseal_bg.wasm"), join(node, "httpseal_bg.wasm"));
  copyFileSync(join(work, variant, "web", "httpseal.js"), join(web, "httpseal.js"));
  copyFileSync(join(work, variant, "web", "httpseal_bg.wasm"), join(web, "httpseal_bg.wasm"));
  writeFileSync(join(node, "index.cjs"), nodeCjs);
  writeFileSync(join(node, "index.mjs"), nodeMjs);
  writeFileSync(join(web, "index.js"), webJs);
  writeFileSync(join(web, "workerd.js"), workerdJs);
  const bytes = readFileSync(join(web, "httpseal_bg.wasm"));
  sizes[variant] = { wasm: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

for (const format of ["esm", "cjs"]) {
  const out = join(pkg, format === "esm" ? "api.mjs" : "api.cjs");
  run(bin("esbuild"), [join(jsDir, "src", "api.js"), "--bundle", `--format=${format}`, "--platform=neutral", "--target=es2022", `--outfile=${out}`, "--log-level=warning"]);
}

const template = join(jsDir, "pkg-template");
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1];
const manifest = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(template, "README.md"), join(pkg, "README.md"));
copyFileSync(join(template, "index.d.ts"), join(pkg, "index.d.ts"));
copyFileSync(join(template, "index.d.ts"), join(pkg, "index.d.cts"));
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  try {
    copyFileSync(join(root, license), join(pkg, license));
  } catch {
    // The repository may not carry license files yet; package.json names the licence.
  }
}

writeFileSync(join(root, "build", "npm", "sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);
for (const [variant, s] of Object.entries(sizes)) {
  console.log(`pkg: ${variant} wasm ${(s.wasm / 1024).toFixed(1)} KiB, gzip ${(s.gzip / 1024).toFixed(1)} KiB`);
}
