// The package as users get it: `npm pack` the built pkg/, install the tarball into an empty
// project (no registry needed: the package has no dependencies) and use it there through
// its conditional exports — Node ESM, Node CJS, the Ed25519-only subpath, TypeScript types.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { API_NAMES } from "../../src/api.js";
import { launchChromium } from "../support/chromium.mjs";
import { serveStatic } from "../support/serve.mjs";
import { PKG, ROOT } from "./load.mjs";

const TSC = join(ROOT, "js", "node_modules", "typescript", "bin", "tsc");
let project;
let tarball;
let packed;

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });

before(() => {
  project = mkdtempSync(join(tmpdir(), "httpseal-pack-"));
  [packed] = JSON.parse(run("npm", ["pack", PKG, "--json", "--pack-destination", project]));
  tarball = join(project, packed.filename);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball]);
});
after(() => rmSync(project, { recursive: true, force: true }));

test("the tarball holds the package and nothing else", () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const want of ["package.json", "README.md", "index.d.ts", "index.d.cts", "api.mjs", "api.cjs"]) {
    assert.ok(files.includes(want), want);
  }
  for (const variant of ["full", "ed25519"]) {
    for (const f of ["node/index.cjs", "node/index.mjs", "node/httpseal.cjs", "node/httpseal_bg.wasm", "web/index.js", "web/workerd.js", "web/httpseal.js", "web/httpseal_bg.wasm"]) {
      assert.ok(files.includes(`dist/${variant}/${f}`), `dist/${variant}/${f}`);
    }
  }
  assert.ok(files.every((f) => /^(package\.json|README\.md|LICENSE-\w+|index\.d\.c?ts|api\.c?js|api\.mjs|dist\/.*)$/.test(f)), files.join(" "));
});

const ROUND_TRIP = (load) => `
${load}
const jwk = h.generateKeyPair();
const request = { method: "GET", url: "https://example.com/" };
const headers = await h.signRequest(request, jwk, { profile: "web-bot-auth", signatureAgent: "https://agent.example" });
const verdict = await h.verifyRequest({ ...request, headers }, { jwks: [h.publicJwk(jwk)], profile: "web-bot-auth" });
console.log(JSON.stringify({ verdict: verdict.verdict, algs: h.supportedAlgorithms(), names: Object.keys(h).sort() }));
`;

function check(output, algs) {
  const result = JSON.parse(output);
  assert.equal(result.verdict, "verified");
  assert.deepEqual(result.algs, algs);
  for (const name of API_NAMES) assert.ok(result.names.includes(name), name);
}

const ALL = ["ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "rsa-pss-sha512", "rsa-v1_5-sha256", "hmac-sha256"];

test("Node ESM: import from 'httpseal' and 'httpseal/ed25519', no init call", () => {
  writeFileSync(join(project, "esm.mjs"), ROUND_TRIP('import * as h from "httpseal";'));
  check(run("node", ["esm.mjs"]), ALL);
  writeFileSync(join(project, "esm-small.mjs"), ROUND_TRIP('import * as h from "httpseal/ed25519";'));
  check(run("node", ["esm-small.mjs"]), ["ed25519"]);
});

test("Node CommonJS: require('httpseal') and require('httpseal/ed25519')", () => {
  const wrap = (spec) => `(async () => {${ROUND_TRIP(`const h = require("${spec}");`)}})();`;
  writeFileSync(join(project, "cjs.cjs"), wrap("httpseal"));
  check(run("node", ["cjs.cjs"]), ALL);
  writeFileSync(join(project, "cjs-small.cjs"), wrap("httpseal/ed25519"));
  check(run("node", ["cjs-small.cjs"]), ["ed25519"]);
});

test("one instance for import and require in the same program", () => {
  writeFileSync(
    join(project, "mixed.mjs"),
    'import { createRequire } from "node:module"; import * as h from "httpseal"; const r = createRequire(import.meta.url)("httpseal"); console.log(h.signRequest === r.signRequest);',
  );
  assert.equal(run("node", ["mixed.mjs"]).trim(), "true");
});

test("conditional exports: browsers, Deno and bundlers get the web build, workerd its own entry", () => {
  const resolveWith = (condition, spec) =>
    run("node", [`--conditions=${condition}`, "--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(spec)}))`]).trim();
  assert.match(resolveWith("browser", "httpseal"), /\/dist\/full\/web\/index\.js$/);
  assert.match(resolveWith("deno", "httpseal/ed25519"), /\/dist\/ed25519\/web\/index\.js$/);
  assert.match(resolveWith("workerd", "httpseal"), /\/dist\/full\/web\/workerd\.js$/);
  assert.match(resolveWith("node", "httpseal"), /\/dist\/full\/node\/index\.mjs$/);
});

test("TypeScript: the declarations type-check a program (ESM and CJS) and catch a misuse", () => {
  const program = `
import { generateKeyPair, publicJwk, signRequest, verifyRequest, useWebCrypto, webCryptoAlgorithms, type Algorithm, type ErrorCode, type Verdict, type SignatureHeaders } from "httpseal";
export async function demo(): Promise<Verdict> {
  const native: Algorithm[] = await webCryptoAlgorithms();
  useWebCrypto(native.length > 0);
  const jwk = generateKeyPair("ecdsa-p256-sha256");
  const headers: SignatureHeaders = await signRequest(new Request("https://example.com/"), jwk, { profile: "web-bot-auth", ttl: 30 });
  const sig: string = headers.Signature;
  // @ts-expect-error: an unknown option is a type error
  await signRequest({ method: "GET", url: "https://example.com/" }, jwk, { colour: "blue" });
  // @ts-expect-error: verifyRequest needs jwks
  await verifyRequest({ method: "GET", url: "https://example.com/" }, { now: 1 });
  // @ts-expect-error: error codes are the ErrorCode union, not any string
  const notACode: ErrorCode = "no_such_code";
  return verifyRequest({ method: "GET", url: "https://example.com/", headers: { signature: sig } }, { jwks: [publicJwk(jwk)], now: new Date() });
}
`;
  writeFileSync(join(project, "demo.mts"), program);
  writeFileSync(join(project, "demo.cts"), 'import h = require("httpseal/ed25519");\nexport const kid: string = h.jwkThumbprint(h.generateKeyPair());\n');
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom", "dom.iterable"], strict: true, noEmit: true, skipLibCheck: false }, files: ["demo.mts", "demo.cts"] }),
  );
  run("node", [TSC, "-p", "tsconfig.json"]);
});

test("every exported function is declared with a doc comment", () => {
  const dts = readFileSync(join(project, "node_modules", "httpseal", "index.d.ts"), "utf8");
  for (const name of API_NAMES) {
    assert.match(dts, new RegExp(`\\*/\\s*export function ${name}\\(`), `${name} has a /** ... */ comment`);
  }
});

/** The fenced code blocks of the package README, with their language. */
function readmeBlocks() {
  const readme = readFileSync(join(project, "node_modules", "httpseal", "README.md"), "utf8");
  return [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));
}

test("README: the Node examples run as pasted (ESM and CommonJS)", () => {
  const runnable = readmeBlocks().filter((b) => b.lang === "js" && b.code.startsWith("// run: node"));
  assert.equal(runnable.length, 2);
  const esm = runnable.find((b) => b.code.startsWith("// run: node\n"));
  writeFileSync(join(project, "readme-esm.mjs"), esm.code);
  const out = run("node", ["readme-esm.mjs"]);
  assert.match(out, /'Signature-Agent': 'sig1="https:\/\/agent\.example"'/);
  assert.match(out, /^verified [A-Za-z0-9_-]{43}$/m);
  assert.match(out, /^invalid invalid_signature$/m);
  const cjs = runnable.find((b) => b.code.startsWith("// run: node (CommonJS)"));
  writeFileSync(join(project, "readme-cjs.cjs"), cjs.code);
  assert.match(run("node", ["readme-cjs.cjs"]), /^[A-Za-z0-9_-]{43} sig1=\("@authority"\);created=\d+;/);
});

test("README: the browser example runs as pasted from a static server (Chromium)", async () => {
  const [html] = readmeBlocks().filter((b) => b.lang === "html");
  writeFileSync(join(project, "index.html"), html.code);
  const server = await serveStatic({ "/": project });
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => document.getElementById("out").textContent !== "signing…", null, { timeout: 60_000 });
    const text = await page.locator("#out").textContent();
    assert.match(text, /^verified\n/);
    assert.match(text, /"Signature-Input": "sig1=\(\\"@authority\\"\);created=/);
  } finally {
    await chromium.close();
    await server.close();
  }
});
