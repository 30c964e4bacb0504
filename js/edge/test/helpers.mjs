// Shared helpers for the workerd tests: start the built Worker (crates/edge/build/) in Miniflare with a
// given configuration, a local upstream that echoes what it receives, the standard
// vectors, and signing with npm web-bot-auth (Cloudflare's implementation, for interop).
import { Miniflare } from "miniflare";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signatureHeaders } from "web-bot-auth";
import { Ed25519Signer } from "web-bot-auth/crypto";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const at = (p) => ROOT + p;

/** The `[vars]` of the shipped wrangler.toml (flat `KEY = "value"` lines). */
export function wranglerVars() {
  const text = readFileSync(at("wrangler.toml"), "utf8");
  const section = text.split(/^\[vars\]$/m)[1].split(/^\[/m)[0];
  const vars = {};
  for (const m of section.matchAll(/^([A-Z0-9_]+)\s*=\s*"(.*)"\s*$/gm)) vars[m[1]] = m[2];
  return vars;
}

/**
 * Starts the Worker with `vars` (the Worker's own defaults for anything not given, except
 * ALLOW_TEST_KEYS, on unless a test sets it), from
 * its deployed entry (js/edge/entry.mjs: the built Worker and the NonceLedger Durable
 * Object class); `options` adds Miniflare options (e.g. `durableObjects`).
 */
export async function startWorker(vars = {}, options = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: at("js/edge/entry.mjs"),
    modulesRoot: ROOT,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE", "NONCES"],
    // The tests sign with the RFC 9421 B.1.4 key (the Web Bot Auth vectors' key), which the
    // Worker refuses by default as a published test key; the default is tested on its own.
    bindings: { ALLOW_TEST_KEYS: "true", ...vars },
    assets: {
      directory: at("target/edge-site"),
      binding: "ASSETS",
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
    },
    ...options,
  });
  await mf.ready;
  return mf;
}

/** A local origin on 127.0.0.1 that answers with the request it received, as JSON. */
export async function startEchoOrigin() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      }));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export const json = (path) => JSON.parse(readFileSync(at(`tests/vectors/${path}`), "utf8"));

/** The public members of a JWK. */
export function publicJwk(jwk) {
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  return pub;
}

/** RFC 9421 Appendix B.1.4, the Ed25519 test key (also Web Bot Auth's test key). */
export const ED25519_PRIVATE = JSON.parse(readFileSync(at("tests/vectors/rfc9421/keys/test-key-ed25519.jwk.json"), "utf8"));
delete ED25519_PRIVATE.kid;
export const ED25519_PUBLIC = publicJwk(ED25519_PRIVATE);
export const ED25519_THUMBPRINT = "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U";

/**
 * Signs a request the way a Web Bot Auth agent does, with npm web-bot-auth: `@authority`
 * (and `signature-agent` when given), created/expires/nonce, tag="web-bot-auth".
 */
export async function signRequest(url, { headers = {}, created, expires, nonce, jwk = ED25519_PRIVATE } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const signer = await Ed25519Signer.fromJWK(jwk);
  const request = new Request(url, { headers });
  const signed = await signatureHeaders(request, signer, {
    created: new Date((created ?? now) * 1000),
    expires: new Date((expires ?? now + 60) * 1000),
    ...(nonce ? { nonce } : {}),
  });
  return { ...headers, "signature": signed.Signature, "signature-input": signed["Signature-Input"] };
}

/** POSTs a verify request to the Worker; returns [status, parsed body, response]. */
export async function postVerify(mf, body) {
  const res = await mf.dispatchFetch("http://localhost/verify", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return [res.status, await res.json(), res];
}


/**
 * The test-only entry (test/entry-probe.mjs): the deployed entry plus /__probe/ routes that
 * read the Worker's wasm memory. Start it with `startWorker(vars, { scriptPath: PROBE_ENTRY })`.
 */
export const PROBE_ENTRY = at("js/edge/test/entry-probe.mjs");

/** Through the probe entry: {memoryBytes, instances, criticalError} of the running Worker. */
export async function wasmProbe(mf) {
  const res = await mf.dispatchFetch("http://localhost/__probe/wasm");
  if (res.status !== 200) throw new Error(`probe: ${res.status} ${await res.text()}`);
  return res.json();
}
