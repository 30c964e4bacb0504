// Cold start in Node: a fresh process that imports a package and signs one Web Bot Auth
// request, for httpseal (full and Ed25519-only builds), web-bot-auth@0.1.3 and
// http-message-signatures@1.0.6, and the floor: a process that signs once with node:crypto
// alone. Each child reports, when its first signature is made, the milliseconds since its
// process started (`performance.now()`) and the CPU it used (user + system, boot included);
// the parent also times the whole run (spawn to exit). Rounds interleave the cases, so a busy
// machine moves every case of a round together; ratios are taken per round, then their median.
//
//   make bench-coldstart   or   node js/bench/coldstart.mjs   (COLDSTART_ROUNDS=15)

import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./measure.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = Number(process.env.COLDSTART_ROUNDS ?? 15);
const entry = (variant) => pathToFileURL(join(root, "pkg", "dist", variant, "node", "index.mjs")).href;

// One fresh Ed25519 key (a private JWK) for every case.
const KEY = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
const REQUEST = `{ method: "GET", url: "https://example.com/path?page=2", headers: { "user-agent": "coldstart/1.0" } }`;
const REPORT = `process.stdout.write(JSON.stringify({ ms: performance.now(), cpu: (({ user, system }) => (user + system) / 1000)(process.cpuUsage()), ok: sig.length > 0 }));`;

const CASES = [
  [
    "httpseal",
    `const { signRequestSync } = await import(${JSON.stringify(entry("full"))});
     const sig = JSON.stringify(signRequestSync(${REQUEST}, ${JSON.stringify(KEY)}, { profile: "web-bot-auth" }));`,
  ],
  [
    "httpseal/ed25519",
    `const { signRequestSync } = await import(${JSON.stringify(entry("ed25519"))});
     const sig = JSON.stringify(signRequestSync(${REQUEST}, ${JSON.stringify(KEY)}, { profile: "web-bot-auth" }));`,
  ],
  [
    "web-bot-auth@0.1.3",
    `const { signatureHeaders } = await import("web-bot-auth");
     const { signerFromJWK } = await import("web-bot-auth/crypto");
     const now = Date.now();
     const sig = JSON.stringify(await signatureHeaders(new Request("https://example.com/path?page=2"), await signerFromJWK(${JSON.stringify(KEY)}), { created: new Date(now), expires: new Date(now + 60000) }));`,
  ],
  [
    "http-message-signatures@1.0.6",
    `const { createSigner, httpbis } = await import("http-message-signatures");
     const { createPrivateKey } = await import("node:crypto");
     const key = createSigner(createPrivateKey({ key: ${JSON.stringify(KEY)}, format: "jwk" }), "ed25519", "k");
     const signed = await httpbis.signMessage({ key, fields: ["@authority"], params: ["created", "keyid", "alg", "expires", "nonce", "tag"], paramValues: { expires: new Date(Date.now() + 60000), nonce: "n", tag: "web-bot-auth" } }, ${REQUEST});
     const sig = JSON.stringify(signed.headers);`,
  ],
  [
    "floor: node:crypto sign once",
    `const { createPrivateKey, sign } = await import("node:crypto");
     const sig = sign(null, Buffer.from("base"), createPrivateKey({ key: ${JSON.stringify(KEY)}, format: "jwk" })).toString("base64");`,
  ],
];
const BASE = "web-bot-auth@0.1.3";

function once(script) {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", `${script}\n${REPORT}`], { cwd: join(root, "js"), encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const r = JSON.parse(out);
  if (!r.ok) throw new Error("no signature");
  return { ...r, wall };
}

const runs = new Map(CASES.map(([name]) => [name, []]));
for (const [, script] of CASES) once(script); // warm the file cache, fail early
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, script] of CASES) runs.get(name).push(once(script));
}

const col = (name, field) => runs.get(name).map((r) => r[field]);
const ratio = (name, field) => median(runs.get(name).map((r, i) => r[field] / runs.get(BASE)[i][field]));
const f1 = (x) => x.toFixed(1);
const spread = (xs) => `${f1(Math.min(...xs))}–${f1(Math.max(...xs))}`;
console.log(`Cold start in Node ${process.version}: a fresh process imports the package and signs once (${ROUNDS} interleaved rounds; medians, min–max; ratios per round to ${BASE}, their median)\n`);
console.log("| case | first signature, ms since process start | CPU ms (user + sys) | process wall ms | × web-bot-auth (first signature / CPU) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [name] of CASES) {
  const ms = col(name, "ms");
  const cpu = col(name, "cpu");
  const wall = col(name, "wall");
  console.log(`| ${name} | ${f1(median(ms))} (${spread(ms)}) | ${f1(median(cpu))} (${spread(cpu)}) | ${f1(median(wall))} | ${ratio(name, "ms").toFixed(2)} / ${ratio(name, "cpu").toFixed(2)} |`);
}
