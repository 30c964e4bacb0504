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
import { TRUSTED_JWKS, signedRequests, writeWrkScript, AGENT, DIRECTORY } from "./signed.mjs";

const [seconds = 10, connections = 16, rounds = 3] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "httpseal-bench-"));
const here = new URL(".", import.meta.url).pathname;

async function bundle(name) {
  const out = join(dir, `${name}.mjs`);
  await build({ entryPoints: [join(here, "workers", `${name}.mjs`)], bundle: true, format: "esm", outfile: out, logLevel: "error" });
  return out;
}

const origin = { name: "origin", modules: true, modulesRoot: here, scriptPath: join(here, "workers/origin.mjs"), compatibilityDate: "2026-04-20", bindings: { DIRECTORY } };

// HTTPSEAL_BUILD=<dir> benchmarks another build (e.g. `scripts/build-edge.sh --keep-names --out <dir>`).
const built = process.env.HTTPSEAL_BUILD ?? join(ROOT, "crates/edge/build");

function ours(extra) {
  return {
    name: "gateway", modules: true, modulesRoot: built, scriptPath: join(built, "index.js"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }], compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE"], outboundService: "origin",
    bindings: { MODE: "enforce", UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS, ALLOW_TEST_KEYS: "true", ...extra },
  };
}

async function js(name, bindings) {
  return {
    name: "gateway", modules: true, modulesRoot: dir, scriptPath: await bundle(name), compatibilityDate: "2026-04-20",
    outboundService: "origin", bindings: { UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS, ...bindings },
  };
}

/** Starts a gateway (with the origin) and checks that it verifies and forwards. */
async function start(label, gateway, agent) {
  const mf = new Miniflare({ workers: [gateway, origin] });
  const url = await mf.ready;
  const base = url.origin;
  const path = "/products/42?view=full";
  const headerSets = await signedRequests(base, path, 2000, agent);
  // A benchmark of rejections would be meaningless: the probe must be forwarded.
  const probe = await mf.dispatchFetch(base + path, { headers: headerSets[0] });
  const text = await probe.text();
  if (probe.status !== 200 || text !== "ok") throw new Error(`${label}: ${probe.status} ${text}`);
  const script = join(dir, `${label.replace(/\W+/g, "-")}.lua`);
  writeWrkScript(script, path, headerSets, 0);
  return { label, mf, base, script, samples: [] };
}

/** One wrk round against a started gateway. */
function round(g) {
  const out = execFileSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", g.script, g.base], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const result = /RESULT (.*)/.exec(out)[1];
  if (!/non200=0 /.test(result)) throw new Error(`${g.label}: ${result}`);
  g.samples.push({ rps, result });
}

const median = (g) => [...g.samples].sort((a, b) => a.rps - b.rps)[Math.floor(g.samples.length / 2)];

// The floor verifies a real Ed25519 signature, made here, over a fixed base of the same shape.
const floorBase = "\"@authority\": 127.0.0.1\n\"@signature-params\": (\"@authority\");created=1;keyid=\"x\"";
const otherKey = JSON.stringify({ keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }] });
const key = await crypto.subtle.importKey("jwk", ED25519_PRIVATE, { name: "Ed25519" }, false, ["sign"]);
const floorSig = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, key, new TextEncoder().encode(floorBase))).toString("base64");

const gateways = [
  await start("forward only (no verification)", await js("forward", {})),
  await start("floor (WebCrypto verify only)", await js("floor", { FLOOR_BASE: floorBase, FLOOR_SIGNATURE: floorSig })),
  await start("baseline (npm web-bot-auth)", await js("baseline", {})),
  await start("httpseal (WebCrypto Ed25519)", ours({})),
  await start("httpseal (wasm Ed25519)", ours({ ED25519_VERIFIER: "wasm" })),
  // The Web Bot Auth path: the key comes from the agent's directory (Signature-Agent), fetched
  // once from the origin Worker and then served from the isolate's memory cache.
  await start("httpseal, agent directory (warm)", ours({ TRUSTED_JWKS: "" }), AGENT),
  // Diagnostic: the same requests, forwarded fail-open because the Worker does not know
  // the key — every step but the signature base and check.
  await start("httpseal, key unknown (no check)", ours({ MODE: "annotate", TRUSTED_JWKS: otherKey })),
];
// Rounds are interleaved, and the median taken, so that load from other processes on the
// machine affects every gateway alike.
for (let r = 0; r < rounds; r++) for (const g of gateways) round(g);
for (const g of gateways) await g.mf.dispose();

const [zero, floor, baseline, ...rest] = gateways.map((g) => ({ label: g.label, ...median(g) }));
// Verification cost per request: the gateway's time per request minus the harness's.
const cost = (r) => 1e6 / r.rps - 1e6 / zero.rps;
console.log(`\n${rounds} interleaved rounds of ${seconds}s, ${connections} connections, median round each`);
console.log(`${zero.label.padEnd(34)} ${zero.rps.toFixed(0).padStart(6)} req/s (harness: ${(1e6 / zero.rps).toFixed(0)} us/request)`);
console.log(`${"gateway".padEnd(34)}  req/s  verify us/req  req/s vs floor, vs baseline`);
for (const r of [floor, baseline, ...rest]) {
  console.log(`${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} ${cost(r).toFixed(0).padStart(8)}       ${(r.rps / floor.rps).toFixed(2)}x, ${(r.rps / baseline.rps).toFixed(2)}x   ${r.result}`);
}
