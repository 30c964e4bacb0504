// CPU per verified request, three gateways under one harness: our Worker (wasm), a baseline
// on npm web-bot-auth, and a floor that only runs crypto.subtle.verify(Ed25519) over a
// precomputed base. Each runs alone in its own workerd process (Miniflare), verifies, and
// forwards to the same in-process origin Worker; wrk drives it from 127.0.0.1.
//
// Two measures per round: the workerd process's CPU time (user + sys, from /proc/<pid>/stat)
// over the requests the round completed, minus the forward-only Worker's (the harness: the
// HTTP server, the forward, the origin Worker); and, for comparison, saturated throughput.
// The CPU figure is the one that counts at the edge, where a Worker is billed and limited by CPU.
//
//   node bench/cpu.mjs [seconds=10] [connections=16] [rounds=3]     (make bench-edge-cpu)
import { Miniflare } from "miniflare";
import { build } from "esbuild";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
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

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** The pids of the running workerd processes. */
function workerdPids() {
  const pids = new Set();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "workerd") pids.add(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** A process's CPU time (user + sys, all threads) in microseconds. */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of proc(5), counted from the state (field 3).
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** Starts a gateway (with the origin) and checks that it verifies and forwards. */
async function start(label, gateway, agent) {
  const before = workerdPids();
  // workerd's stdout carries a decision log line per request (Workers Logs): drained here, and
  // wrk runs asynchronously, so that a full pipe never stalls workerd (execFileSync would).
  const mf = new Miniflare({ workers: [gateway, origin], handleRuntimeStdio: (out, err) => (out.resume(), err.resume()) });
  const url = await mf.ready;
  const started = [...workerdPids()].filter((pid) => !before.has(pid));
  if (started.length !== 1) throw new Error(`${label}: expected one new workerd process, found ${started.length}`);
  const base = url.origin;
  const path = "/products/42?view=full";
  const headerSets = await signedRequests(base, path, 2000, agent);
  // A benchmark of rejections would be meaningless: the probe must be forwarded.
  const probe = await mf.dispatchFetch(base + path, { headers: headerSets[0] });
  const text = await probe.text();
  if (probe.status !== 200 || text !== "ok") throw new Error(`${label}: ${probe.status} ${text}`);
  const script = join(dir, `${label.replace(/\W+/g, "-")}.lua`);
  writeWrkScript(script, path, headerSets, 0);
  return { label, mf, base, script, pid: started[0], samples: [] };
}

const run = promisify(execFile);

/** One wrk round against a started gateway. */
async function round(g) {
  const cpuBefore = cpuMicros(g.pid);
  const { stdout: out } = await run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", g.script, g.base], { encoding: "utf8" });
  const cpu = cpuMicros(g.pid) - cpuBefore;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const result = /RESULT (.*)/.exec(out)[1];
  if (!/non200=0 /.test(result)) throw new Error(`${g.label}: ${result}`);
  g.samples.push({ rps, cpuPerRequest: cpu / requests, result });
}

const middle = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const median = (g) => ({ rps: middle(g.samples.map((s) => s.rps)), cpuPerRequest: middle(g.samples.map((s) => s.cpuPerRequest)), cpuAll: g.samples.map((s) => s.cpuPerRequest), result: g.samples.at(-1).result });

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
  // The decision log line (Workers Logs, on by default) is part of the cost above; this row
  // is the same gateway with LOG_SAMPLE_RATE=0, so its share can be read off.
  await start("httpseal (WebCrypto), no decision log", ours({ LOG_SAMPLE_RATE: "0" })),
  await start("httpseal (wasm Ed25519)", ours({ ED25519_VERIFIER: "wasm" })),
  // The Web Bot Auth path: the key comes from the agent's directory (Signature-Agent), fetched
  // once from the origin Worker and then served from the isolate's memory cache.
  await start("httpseal, agent directory (warm)", ours({ TRUSTED_JWKS: "" }), AGENT),
  await start("httpseal, agent directory (warm), no log", ours({ TRUSTED_JWKS: "", LOG_SAMPLE_RATE: "0" }), AGENT),
  // Diagnostic: the same requests, forwarded fail-open because the Worker does not know
  // the key — every step but the signature base and check.
  await start("httpseal, key unknown (no check)", ours({ MODE: "annotate", TRUSTED_JWKS: otherKey })),
];
// Rounds are interleaved, and the median taken, so that load from other processes on the
// machine affects every gateway alike.
for (let r = 0; r < rounds; r++) for (const g of gateways) await round(g);
for (const g of gateways) await g.mf.dispose();

const [zero, floor, baseline, ...rest] = gateways.map((g) => ({ label: g.label, ...median(g) }));
// Verification cost per request: the gateway's time per request minus the harness's.
const cost = (r) => 1e6 / r.rps - 1e6 / zero.rps;
const cpuCost = (r) => r.cpuPerRequest - zero.cpuPerRequest;
const range = (r) => `${Math.min(...r.cpuAll).toFixed(0)}-${Math.max(...r.cpuAll).toFixed(0)}`;
console.log(`\n${rounds} interleaved rounds of ${seconds}s, ${connections} connections, median round each; workerd CPU from /proc (${CLOCK_TICKS} ticks/s)`);
console.log(`${zero.label.padEnd(34)} ${zero.rps.toFixed(0).padStart(6)} req/s, workerd CPU ${zero.cpuPerRequest.toFixed(0)} us/request (${range(zero)}): the harness`);
console.log(`${"gateway".padEnd(34)}  CPU us/req (all rounds)  - harness  x floor  x baseline | req/s  verify us/req by throughput`);
for (const r of [floor, baseline, ...rest]) {
  const c = cpuCost(r);
  console.log(
    `${r.label.padEnd(34)} ${r.cpuPerRequest.toFixed(0).padStart(6)} (${range(r).padEnd(9)})   ${c.toFixed(0).padStart(6)}   ${(c / cpuCost(floor)).toFixed(2).padStart(6)}x ${(c / cpuCost(baseline)).toFixed(2).padStart(6)}x   | ${r.rps.toFixed(0).padStart(6)} ${cost(r).toFixed(0).padStart(8)}   ${r.result}`,
  );
}
