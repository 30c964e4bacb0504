// A CPU profile of the gateway under load: our Worker (built by `scripts/build-edge.sh
// --keep-names`, which keeps function names; `make profile-edge`) verifies signed requests and forwards
// them to an in-process origin while wrk drives it; the V8 inspector samples workerd.
// Prints self time per function (top N) and writes the .cpuprofile (Chrome DevTools).
//
//   node bench/profile.mjs <build dir> [seconds=10] [top=40] [agent]
//   agent: "agent" signs with Signature-Agent and resolves the key from the agent's
//   directory (warm cache); otherwise the key is in TRUSTED_JWKS.
import { Miniflare } from "miniflare";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { TRUSTED_JWKS, signedRequests, writeWrkScript, AGENT, DIRECTORY } from "./signed.mjs";

const [built, seconds = "10", top = "40", mode = ""] = process.argv.slice(2);
if (!built) throw new Error("usage: node bench/profile.mjs <build dir> [seconds] [top] [agent]");
const here = new URL(".", import.meta.url).pathname;
const inspectorPort = 9231;
const agent = mode === "agent";

// workerd's stdout (a decision log line per request) is drained and wrk runs asynchronously:
// a blocked event loop would let the pipe fill and stall workerd, and the profile with it.
const mf = new Miniflare({
  inspectorPort,
  handleRuntimeStdio: (out, err) => (out.resume(), err.resume()),
  workers: [
    {
      name: "gateway", modules: true, modulesRoot: built, scriptPath: join(built, "index.js"),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }], compatibilityDate: "2026-04-20",
      kvNamespaces: ["DIRECTORY_CACHE"], outboundService: "origin",
      bindings: { MODE: "enforce", UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS: agent ? "" : TRUSTED_JWKS, ALLOW_TEST_KEYS: "true" },
    },
    { name: "origin", modules: true, modulesRoot: here, scriptPath: join(here, "workers/origin.mjs"), compatibilityDate: "2026-04-20", bindings: { DIRECTORY } },
  ],
});
const base = (await mf.ready).origin;
const path = "/products/42?view=full";
const headerSets = await signedRequests(base, path, 2000, agent ? AGENT : undefined);
const probe = await mf.dispatchFetch(base + path, { headers: headerSets[0] });
if (probe.status !== 200) throw new Error(`probe: ${probe.status} ${await probe.text()}`);
await probe.text();

const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
const target = targets.find((t) => t.title?.includes("gateway")) ?? targets[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((ok, fail) => { ws.on("open", ok); ws.on("error", fail); });
let id = 0;
const pending = new Map();
ws.on("message", (m) => { const msg = JSON.parse(m); pending.get(msg.id)?.(msg); });
const send = (method, params = {}) => new Promise((ok) => { const i = ++id; pending.set(i, ok); ws.send(JSON.stringify({ id: i, method, params })); });

const dir = mkdtempSync(join(tmpdir(), "httpseal-profile-"));
const script = join(dir, "load.lua");
writeWrkScript(script, path, headerSets, 0);
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
await send("Profiler.start");
const { stdout: out } = await promisify(execFile)("wrk", ["-t1", "-c16", `-d${seconds}s`, "-s", script, base], { encoding: "utf8" });
const { result } = await send("Profiler.stop");
ws.close();
await mf.dispose();

const profile = result.profile;
const file = join(dir, "gateway.cpuprofile");
writeFileSync(file, JSON.stringify(profile));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (const s of profile.samples) {
  const f = byId.get(s).callFrame;
  const name = `${f.functionName || "(anonymous)"} ${f.url ? f.url.split("/").pop() : ""}`.trim();
  self.set(name, (self.get(name) ?? 0) + 1);
}
const total = profile.samples.length;
const idle = ["(idle)", "(program)", "(garbage collector)"].reduce((n, k) => n + (self.get(k) ?? 0), 0);
console.log(/Requests\/sec:\s+[\d.]+/.exec(out)[0], `samples=${total} idle=${(100 * (self.get("(idle)") ?? 0) / total).toFixed(1)}% gc=${(100 * (self.get("(garbage collector)") ?? 0) / total).toFixed(1)}%`);
const busy = total - (self.get("(idle)") ?? 0);
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${(100 * n / busy).toFixed(1).padStart(5)}%  ${name}`);
}
console.log(`profile: ${file} (non-idle samples: ${busy}; idle, program and GC: ${idle})`);
