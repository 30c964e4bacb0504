import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ROOT } from "./test/helpers.mjs";
import { TRUSTED_JWKS, signedRequests, writeWrkScript } from "./bench/signed.mjs";
const here = ROOT + "js/edge/bench/";
const origin = { name: "origin", modules: true, modulesRoot: here, scriptPath: here + "workers/origin.mjs", compatibilityDate: "2026-04-20" };
const gw = { name: "gateway", modules: true, modulesRoot: ROOT, scriptPath: ROOT + "build/index.js",
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }], compatibilityDate: "2026-04-20",
    kvNamespaces: ["DIRECTORY_CACHE"], outboundService: "origin",
    bindings: { MODE: "enforce", UPSTREAM_ORIGIN: "https://origin.bench", TRUSTED_JWKS } };
const mf = new Miniflare({ inspectorPort: 9231, workers: [gw, origin] });
const url = await mf.ready;
const list = await (await fetch("http://127.0.0.1:9231/json")).json();
console.log(list.map((t) => t.webSocketDebuggerUrl));
const target = list.find((t) => t.webSocketDebuggerUrl.includes("gateway"));
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((ok) => ws.on("open", ok));
let id = 0; const pending = new Map();
ws.on("message", (m) => { const d = JSON.parse(m); if (pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); } });
const send = (method, params = {}) => new Promise((ok) => { const i = ++id; pending.set(i, ok); ws.send(JSON.stringify({ id: i, method, params })); });
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const hs = await signedRequests(url.origin, "/p", 2000);
writeWrkScript(join(dir, "p.lua"), "/p", hs, 0);
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
await send("Profiler.start");
execFileSync("wrk", ["-t1", "-c8", "-d5s", "-s", join(dir, "p.lua"), url.origin]);
const { result } = await send("Profiler.stop");
const p = result.profile;
const self = new Map();
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const counts = new Map();
p.samples.forEach((s) => counts.set(s, (counts.get(s) || 0) + 1));
for (const [nid, c] of counts) { const n = byId.get(nid); const k = n.callFrame.functionName || `(anon ${n.callFrame.url}:${n.callFrame.lineNumber})`; self.set(k, (self.get(k) || 0) + c); }
const total = p.samples.length;
console.log("samples", total);
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((100 * c / total).toFixed(1).padStart(5), k.slice(0, 120));
writeFileSync("/tmp/gw.cpuprofile", JSON.stringify(p));
ws.close(); await mf.dispose();
