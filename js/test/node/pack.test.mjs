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
import { EDGE_NAMES } from "../../src/edge.js";
import { NODE_NAMES } from "../../src/node.js";
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
  for (const want of ["package.json", "README.md", "index.d.ts", "index.d.cts", "api.mjs", "api.cjs", "edge.mjs", "edge.cjs", "node.mjs", "node.cjs", "edge.d.ts", "edge.d.cts", "node.d.ts", "node.d.cts"]) {
    assert.ok(files.includes(want), want);
  }
  for (const f of ["node/edge.cjs", "node/edge.mjs", "node/server.cjs", "node/server.mjs", "web/edge.js", "web/edge-workerd.js"]) {
    assert.ok(files.includes(`dist/full/${f}`), `dist/full/${f}`);
  }
  for (const variant of ["full", "ed25519"]) {
    for (const f of ["node/index.cjs", "node/index.mjs", "node/httpseal.cjs", "node/httpseal_bg.wasm", "web/index.js", "web/workerd.js", "web/httpseal.js", "web/httpseal_bg.wasm"]) {
      assert.ok(files.includes(`dist/${variant}/${f}`), `dist/${variant}/${f}`);
    }
  }
  assert.ok(files.every((f) => /^(package\.json|README\.md|LICENSE-\w+|(index|edge|node)\.d\.c?ts|(api|edge|node)\.[cm]js|dist\/.*)$/.test(f)), files.join(" "));
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

test("httpseal/edge and httpseal/node: import and require, on the wasm instance of httpseal", () => {
  const program = `
import * as edge from "httpseal/edge";
import * as server from "httpseal/node";
import { createRequire } from "node:module";
import { generateKeyPair, publicJwk, signRequest } from "httpseal";
const require = createRequire(import.meta.url);
const cjs = { edge: require("httpseal/edge"), server: require("httpseal/node") };
const jwk = generateKeyPair();
const fetch = edge.withVerification((request, env, ctx, verdict) => new Response(request.headers.get("httpseal-verdict")), { mode: "enforce", trustedJwks: [publicJwk(jwk)] });
const url = "https://example.com/";
const signed = new Request(url, { headers: await signRequest({ method: "GET", url }, jwk) });
const ok = await fetch(signed);
const refused = await fetch(new Request(url));
console.log(JSON.stringify({
  edge: Object.keys(edge).sort(), server: Object.keys(server).sort(),
  same: cjs.edge.withVerification === edge.withVerification && cjs.server.middleware === server.middleware,
  ok: [ok.status, await ok.text()], refused: [refused.status, refused.headers.get("accept-signature")],
}));
`;
  writeFileSync(join(project, "gateways.mjs"), program);
  const out = JSON.parse(run("node", ["gateways.mjs"]));
  assert.deepEqual(out.edge, [...EDGE_NAMES].sort());
  assert.deepEqual(out.server, [...NODE_NAMES].sort());
  assert.equal(out.same, true, "one instance for import and require");
  assert.equal(out.ok[0], 200);
  assert.match(out.ok[1], /^verified;label="sig1";/);
  assert.deepEqual(out.refused, [401, 'sig1=("@authority");created;expires;tag="web-bot-auth"']);
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
  assert.match(resolveWith("workerd", "httpseal/edge"), /\/dist\/full\/web\/edge-workerd\.js$/);
  assert.match(resolveWith("deno", "httpseal/edge"), /\/dist\/full\/web\/edge\.js$/);
  assert.match(resolveWith("node", "httpseal/edge"), /\/dist\/full\/node\/edge\.mjs$/);
  assert.match(resolveWith("node", "httpseal/node"), /\/dist\/full\/node\/server\.mjs$/);
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
  // @ts-expect-error: allowHttp is a boolean
  await verifyRequest({ method: "GET", url: "https://example.com/" }, { allowHttp: "yes" });
  // Without jwks: the Signature-Agent directory, cached in a Map (or Workers KV).
  const cache = new Map<string, string>();
  const fromDirectory: Verdict = await verifyRequest(new Request("https://example.com/"), { profile: "web-bot-auth", cache, fetch, allowHttp: false });
  const who: string | null = fromDirectory.identifier;
  const why: string | undefined = fromDirectory.error?.cause?.code;
  const proof: "valid" | "invalid" | "absent" | null = fromDirectory.directoryProof;
  console.log(who, why, proof, await verifyRequest(new Request("https://example.com/")));
  // @ts-expect-error: error codes are the ErrorCode union, not any string
  const notACode: ErrorCode = "no_such_code";
  return verifyRequest({ method: "GET", url: "https://example.com/", headers: { signature: sig } }, { jwks: [publicJwk(jwk)], now: new Date() });
}
`;
  writeFileSync(join(project, "demo.mts"), program);
  writeFileSync(join(project, "gateways.mts"), GATEWAYS_PROGRAM);
  writeFileSync(join(project, "demo.cts"), 'import h = require("httpseal/ed25519");\nimport e = require("httpseal/edge");\nimport n = require("httpseal/node");\nexport const kid: string = h.jwkThumbprint(h.generateKeyPair());\nexport const gateways = [e.withVerification((r: Request) => new Response(r.url)), n.middleware({ mode: "enforce" })];\n');
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom", "dom.iterable"], strict: true, noEmit: true, skipLibCheck: false }, files: ["demo.mts", "gateways.mts", "demo.cts"] }),
  );
  run("node", [TSC, "-p", "tsconfig.json"]);
});

test("every exported function is declared with a doc comment", () => {
  for (const [file, names] of [["index.d.ts", API_NAMES], ["edge.d.ts", EDGE_NAMES], ["node.d.ts", NODE_NAMES]]) {
    const dts = readFileSync(join(project, "node_modules", "httpseal", file), "utf8");
    for (const name of names) {
      assert.match(dts, new RegExp(`\\*/\\s*export function ${name}[<(]`), `${file}: ${name} has a /** ... */ comment`);
    }
  }
});

/** A TypeScript program over httpseal/edge and httpseal/node, for the type check above. */
const GATEWAYS_PROGRAM = `
import { withVerification, httpseal, fetchHandler, createGateway, rejection, type GatewayOptions, type GatewayRules } from "httpseal/edge";
import { middleware, withVerification as nodeListener, rejection as nodeRejection, type NodeRequestLike, type NodeResponseLike } from "httpseal/node";
import type { Verdict } from "httpseal";
const rules: GatewayRules = { routes: [{ name: "api", path: "/api/*", mode: "enforce" }], agents: [{ identifier: "https://agent.example", action: "allow", policy: { maxLifetime: 3600 } }] };
const options: GatewayOptions = { mode: "enforce", kv: "DIRECTORY_CACHE", nonces: "NONCES", rules, verdictHeader: "X-Agent-Verdict" };
interface Env { DIRECTORY_CACHE: { get(k: string): Promise<string | null>; put(k: string, v: string, o: { expirationTtl: number }): Promise<void> }; MODE: "annotate" | "enforce" }
export const worker = {
  fetch: withVerification<Env>((request, env, ctx, verdict: Verdict) => new Response(verdict.identifier ?? "anonymous"), options),
  other: withVerification<Env>((request) => new Response(request.url), (env) => ({ mode: env.MODE, kv: env.DIRECTORY_CACHE })),
};
// @ts-expect-error: "block" is not a mode
withVerification(() => new Response(), { mode: "block" });
// @ts-expect-error: a handler returns a Response
withVerification(() => "text", {});
export const hono = httpseal({ mode: "handler", trustedJwks: { keys: [] } });
export const deno = fetchHandler((request, verdict, info: { remoteAddr: string }) => rejection(verdict) ?? new Response(info.remoteAddr));
export const gateway = createGateway({ allowHttp: false });
export async function other(request: Request): Promise<Response> {
  const { verdict, response } = await gateway.handle(request);
  return response ?? new Response(verdict?.verdict ?? "none");
}
const store = new Map<string, string>();
export const express = middleware({ cache: store, nonces: (key, { ttl }) => (key.length > ttl ? "new" : "seen"), scheme: "https" });
export const listener = nodeListener((req: NodeRequestLike, res: NodeResponseLike) => {
  const verdict: Verdict | undefined = req.httpseal;
  const refused = verdict && nodeRejection(verdict);
  res.statusCode = refused ? refused.status : 200;
  res.end(refused ? refused.body : "ok");
}, { mode: "handler" });
// @ts-expect-error: Node stores are objects, not binding names
middleware({ cache: "DIRECTORY_CACHE" });
`;

/** The fenced code blocks of the package README, with their language. */
function readmeBlocks() {
  const readme = readFileSync(join(project, "node_modules", "httpseal", "README.md"), "utf8");
  return [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));
}

test("README: the Node examples run as pasted (ESM and CommonJS)", () => {
  const runnable = readmeBlocks().filter((b) => b.lang === "js" && b.code.startsWith("// run: node"));
  assert.equal(runnable.length, 3);
  const esm = runnable.find((b) => b.code.startsWith("// run: node\n"));
  writeFileSync(join(project, "readme-esm.mjs"), esm.code);
  const out = run("node", ["readme-esm.mjs"]);
  assert.match(out, /'Signature-Agent': 'sig1="https:\/\/agent\.example"'/);
  assert.match(out, /^verified [A-Za-z0-9_-]{43}$/m);
  assert.match(out, /^invalid invalid_signature$/m);
  const cjs = runnable.find((b) => b.code.startsWith("// run: node (CommonJS)"));
  writeFileSync(join(project, "readme-cjs.cjs"), cjs.code);
  assert.match(run("node", ["readme-cjs.cjs"]), /^[A-Za-z0-9_-]{43} sig1=\("@authority"\);created=\d+;/);
  const server = runnable.find((b) => b.code.startsWith("// run: node (httpseal/node)"));
  writeFileSync(join(project, "readme-server.mjs"), server.code);
  const lines = run("node", ["readme-server.mjs"]).trim().split("\n");
  assert.match(lines[0], /^200 hello [A-Za-z0-9_-]{43}$/);
  assert.equal(lines[1], '401 sig1=("@authority");created;expires;tag="web-bot-auth"');
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
