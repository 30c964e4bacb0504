// CPU per verified request, three gateways under one harness: our Worker (wasm), a baseline
// on npm web-bot-auth, and a floor that only runs crypto.subtle.verify(Ed25519) over a
// precomputed base. Each runs alone in workerd (Miniflare), verifies, and forwards to the
// same in-process origin Worker; wrk drives it from 127.0.0.1. workerd runs one isolate on
// one thread, so saturated throughput is the inverse of CPU time per request.
//
//   node bench/cpu.mjs [seconds=10] [connections=16] [rounds=3]     (make bench-edge-cpu)
import { Miniflare } from "miniflare";
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, ED25519_PRIVATE } from "../test/helpers.mjs";
import { TRUSTED_JWKS, signedRequests, writeWrkScript } from "./signed.mjs";

const [seconds = 10, connections = 16, rounds = 3] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "httpseal-bench-"));
const here = new URL(".", import.meta.url).pathname;

async function bundle(name) {
  const out = join(dir, `${name}.mjs`);
  await build({ entryPoints: [join(here, "workers", `${name}.mjs`)], bundle: true, format: "esm", outfile: out, logLevel: "error" });
  return out;
}

const origin = { name: "origin", modules: true, modulesRoot: here, scriptPath: join(here, "workers/origin.mjs"), compatibilityDate: "2026-04-20" };

function ours(extra) {
  return {
    name: "gateway", modules: true, modulesRoot: ROOT, scriptPath: ROOT + "build/index.js",
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }], compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE"], outboundService: "origin",
    bindings: { MODE: "enforce", UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS, ...extra },
  };
}

async function js(name, bindings) {
  return {
    name: "gateway", modules: true, modulesRoot: dir, scriptPath: await bundle(name), compatibilityDate: "2026-04-20",
    outboundService: "origin", bindings: { UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS, ...bindings },
  };
}

async function measure(label, gateway, { expect = "ok" } = {}) {
  const mf = new Miniflare({ workers: [gateway, origin] });
  const url = await mf.ready;
  const base = `${url.origin}`;
  const path = "/products/42?view=full";
  const headerSets = await signedRequests(base, path, 2000);
  // Sanity: the gateway must verify and forward (a benchmark of 403s would be meaningless).
  const probe = await mf.dispatchFetch(base + path, { headers: headerSets[0] });
  const text = await probe.text();
  if (probe.status !== 200 || text !== expect) throw new Error(`${label}: ${probe.status} ${text}`);
  const script = join(dir, `${label}.lua`);
  writeWrkScript(script, path, headerSets, 0);
  let best = 0;
  let lat = "";
  for (let r = 0; r < rounds; r++) {
    const out = execFileSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, base], { encoding: "utf8" });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
    const result = /RESULT (.*)/.exec(out)[1];
    if (!/non200=0 socket_errors=0/.test(result)) throw new Error(`${label}: ${result}`);
    if (rps > best) { best = rps; lat = result; }
  }
  await mf.dispose();
  return { label, rps: best, lat };
}

const floorBase = "\"@authority\": 127.0.0.1\n\"@signature-params\": (\"@authority\");created=1;keyid=\"x\"";
// The floor verifies a real Ed25519 signature, made here, over a fixed base of the same shape.
const key = await crypto.subtle.importKey("jwk", ED25519_PRIVATE, { name: "Ed25519" }, false, ["sign"]);
const floorSig = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, key, new TextEncoder().encode(floorBase))).toString("base64");

const runs = [];
runs.push(await measure("floor (WebCrypto verify only)", await js("floor", { FLOOR_BASE: floorBase, FLOOR_SIGNATURE: floorSig })));
runs.push(await measure("baseline (npm web-bot-auth)", await js("baseline", {})));
runs.push(await measure("httpseal (WebCrypto Ed25519)", ours({})));
runs.push(await measure("httpseal (wasm Ed25519)", ours({ ED25519_VERIFIER: "wasm" })));
// Diagnostic: the same requests, forwarded fail-open because the Worker does not know the
// key — every step but the signature check, so the difference to the row above is the
// cost of Ed25519 in wasm.
const otherKey = JSON.stringify({ keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }] });
runs.push(await measure("httpseal, no signature check", ours({ MODE: "annotate", TRUSTED_JWKS: otherKey })));
const floor = runs[0].rps;
const baseline = runs[1].rps;
console.log(`\n${seconds}s x ${rounds} rounds, ${connections} connections, best round each`);
console.log("gateway                          req/s   vs floor  vs baseline   latency");
for (const r of runs) {
  console.log(`${r.label.padEnd(32)} ${r.rps.toFixed(0).padStart(6)}   ${(floor / r.rps).toFixed(2)}x slower   ${(r.rps / baseline).toFixed(2)}x   ${r.lat}`);
}
