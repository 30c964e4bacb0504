// Sign and verify in headless Chromium, one page: httpseal's web build (WebCrypto, the
// default there, and wasm only) against web-bot-auth@0.1.3 on the same Web Bot Auth Ed25519
// request, interleaved rounds; the table gives medians (min-max) and the median of per-round
// ratios against web-bot-auth (target ≥ 1.0×).
//
//   make bench-browser    or   node js/bench/browser.mjs [seconds=0.4] [rounds=7]

import { build } from "esbuild";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../test/support/chromium.mjs";
import { serveStatic } from "../test/support/serve.mjs";
import { median } from "./measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const [seconds = 0.4, rounds = 7] = process.argv.slice(2).map(Number);

// web-bot-auth for the page: its index and crypto entries in one ES module.
const out = mkdtempSync(join(tmpdir(), "httpseal-bench-"));
const entry = join(out, "entry.mjs");
writeFileSync(entry, 'export { signatureHeaders, verify } from "web-bot-auth";\nexport { signerFromJWK, verifierFromJWK } from "web-bot-auth/crypto";\n');
await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", outfile: join(out, "bench-wba.js"), nodePaths: [join(root, "js", "node_modules")], logLevel: "error" });

const server = await serveStatic({ "/bench-wba.js": join(out, "bench-wba.js"), "/": root });
const chromium = await launchChromium();
try {
  const page = await chromium.context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(`${server.url}/js/bench/browser/index.html?seconds=${seconds}&rounds=${rounds}`);
  await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 600_000 });
  const result = await page.evaluate(() => window.__bench);
  if (result.error || errors.length) throw new Error(result.error ?? errors.join("\n"));
  const wba = result.names.indexOf("web-bot-auth@0.1.3");
  const lines = [
    `${result.userAgent.match(/Chrome\/[\d.]+/)?.[0]}, ${rounds} interleaved rounds of ${seconds} s per case, Ed25519, one operation at a time`,
    "",
    "| implementation | sign ops/s, median (min-max) | verify ops/s, median (min-max) | sign × web-bot-auth | verify × web-bot-auth |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const [i, name] of result.names.entries()) {
    const r = result.runs[i];
    const cell = (xs) => `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))})`;
    const ratio = (op) => median(r[op].map((x, k) => x / result.runs[wba][op][k])).toFixed(2);
    lines.push(`| ${name} | ${cell(r.sign)} | ${cell(r.verify)} | ${ratio("sign")} | ${ratio("verify")} |`);
  }
  console.log(lines.join("\n"));
} finally {
  await chromium.close();
  await server.close();
}
