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
//   edge.mjs / edge.cjs, node.mjs / node.cjs (the gateway glue), edge.d.ts, node.d.ts (+ .d.cts)
//   dist/full/node/       edge.cjs, edge.mjs, server.cjs, server.mjs   (httpseal/edge, httpseal/node)
//   dist/full/web/        edge.js, edge-workerd.js                     (httpseal/edge)
// The gateway entries use the full build (its wasm has the `gateway` feature), sharing the
// wasm instance of `httpseal` itself.

import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { API_NAMES } from "../src/api.js";
import { EDGE_NAMES } from "../src/edge.js";
import { NODE_NAMES } from "../src/node.js";

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

/** wasm-opt in a child process (it is mostly single-threaded: the two variants run side by side). */
async function wasmOpt(wasm, opt) {
  const { stderr } = await promisify(execFile)(bin("wasm-opt"), [opt, ...WASM_FEATURES, "--strip-debug", "--strip-producers", wasm, "-o", wasm]);
  if (stderr) process.stderr.write(stderr);
}

const names = API_NAMES.join(", ");
const nodeCjs = `"use strict";
// Node (CommonJS): the wasm is compiled synchronously from the file beside this one, and
// signatures are made and checked by node:crypto (synchronous OpenSSL) where it has the algorithm.
const { createApi } = require("../../../api.cjs");
module.exports = createApi(require("./httpseal.cjs"), globalThis.crypto?.subtle, require("node:crypto"));
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

// The gateway entries (full build only): each platform's entry loads the wasm the way
// `httpseal` does there (importing that entry first), then builds the gateway API over it.
const edgeNames = EDGE_NAMES.join(", ");
const nodeNames = NODE_NAMES.join(", ");
const gatewayEntries = {
  "node/edge.cjs": `"use strict";
// httpseal/edge in Node (CommonJS): the same wasm instance as require("httpseal").
module.exports = require("../../../edge.cjs").createEdgeApi(require("./httpseal.cjs"), require("node:crypto"));
`,
  "node/edge.mjs": `// httpseal/edge in Node (ES modules): the same instance as the CommonJS entry.
import api from "./edge.cjs";
export const { ${edgeNames} } = api;
`,
  "node/server.cjs": `"use strict";
// httpseal/node (CommonJS): Node's http and Express, on the wasm instance of require("httpseal").
module.exports = require("../../../node.cjs").createNodeApi(require("./httpseal.cjs"), require("node:crypto"));
`,
  "node/server.mjs": `// httpseal/node (ES modules): the same instance as the CommonJS entry.
import api from "./server.cjs";
export const { ${nodeNames} } = api;
`,
  "web/edge.js": `// httpseal/edge for Deno, browsers and bundlers: index.js instantiates the wasm first.
import "./index.js";
import * as core from "./httpseal.js";
import { createEdgeApi } from "../../../edge.mjs";
export const { ${edgeNames} } = createEdgeApi(core);
`,
  // Not through workerd.js: a Worker bundles only what it imports, and initSync is a no-op
  // once "httpseal" (or this entry) instantiated the module.
  "web/edge-workerd.js": `// httpseal/edge in Cloudflare Workers: the wasm module instantiated synchronously, as workerd.js does.
import wasm from "./httpseal_bg.wasm";
import * as core from "./httpseal.js";
import { createEdgeApi } from "../../../edge.mjs";
core.initSync({ module: wasm });
export const { ${edgeNames} } = createEdgeApi(core);
`,
};

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
const sizes = {};
const bound = VARIANTS.map(({ name: variant, input, opt }) => {
  const nodeWasm = bindgen(input, "nodejs", join(work, variant, "nodejs"));
  const webWasm = bindgen(input, "web", join(work, variant, "web"));
  // wasm-bindgen emits the same module for both targets (only the JS glue differs), so
  // wasm-opt, the slow step, runs once when that holds.
  const same = readFileSync(nodeWasm).equals(readFileSync(webWasm));
  return { variant, nodeWasm, webWasm, opt, same };
});
await Promise.all(
  bound.map(async ({ nodeWasm, webWasm, opt, same }) => {
    await wasmOpt(nodeWasm, opt);
    if (same) copyFileSync(nodeWasm, webWasm);
    else await wasmOpt(webWasm, opt);
  }),
);
for (const { variant } of bound) {
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
  if (variant === "full") {
    for (const [path, text] of Object.entries(gatewayEntries)) writeFileSync(join(pkg, "dist", variant, path), text);
  }
  const bytes = readFileSync(join(web, "httpseal_bg.wasm"));
  sizes[variant] = { wasm: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

for (const glue of ["api", "edge", "node"]) {
  for (const format of ["esm", "cjs"]) {
    const out = join(pkg, `${glue}.${format === "esm" ? "mjs" : "cjs"}`);
    run(bin("esbuild"), [join(jsDir, "src", `${glue}.js`), "--bundle", `--format=${format}`, "--platform=neutral", "--target=es2022", `--outfile=${out}`, "--log-level=warning"]);
  }
  const bytes = readFileSync(join(pkg, `${glue}.mjs`));
  sizes[`${glue}.mjs`] = { js: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
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
// The gateway declarations import the shared types from index.d.ts (index.d.cts for CommonJS).
for (const types of ["edge", "node"]) {
  const text = readFileSync(join(template, `${types}.d.ts`), "utf8");
  writeFileSync(join(pkg, `${types}.d.ts`), text);
  writeFileSync(join(pkg, `${types}.d.cts`), text.replaceAll('from "./index.js"', 'from "./index.cjs"').replaceAll('from "./edge.js"', 'from "./edge.cjs"'));
}
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  try {
    copyFileSync(join(root, license), join(pkg, license));
  } catch {
    // The repository may not carry license files yet; package.json names the licence.
  }
}

writeFileSync(join(root, "build", "npm", "sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);
for (const [name, s] of Object.entries(sizes)) {
  const what = s.wasm === undefined ? `js ${(s.js / 1024).toFixed(1)} KiB` : `wasm ${(s.wasm / 1024).toFixed(1)} KiB`;
  console.log(`pkg: ${name} ${what}, gzip ${(s.gzip / 1024).toFixed(1)} KiB`);
}
