// The shared API cases in headless Debian Chromium, against the web build (pkg/dist/*/web,
// top-level-await init, fetched wasm), once with the WebCrypto fast path and once without:
// each browser result becomes a node:test test.

import { after, test } from "node:test";
import { MODES, allCases } from "../cases/index.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { serveStatic } from "../support/serve.mjs";
import { ROOT } from "./load.mjs";

const server = await serveStatic({ "/": ROOT });
const chromium = await launchChromium();
after(async () => {
  await chromium.close();
  await server.close();
});

const page = await chromium.context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(String(err)));
await page.goto(`${server.url}/js/test/browser/index.html`);
await page.waitForFunction(() => Array.isArray(window.__results), null, { timeout: 180_000 });
const results = await page.evaluate(() => window.__results);
const userAgent = await page.evaluate(() => navigator.userAgent);

test(`chromium ran every shared case (${userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? userAgent})`, () => {
  if (pageErrors.length) throw new Error(pageErrors.join("\n"));
  const ran = results.map((r) => r.name);
  const expected = MODES.flatMap(([mode]) => allCases.map(([name]) => `${mode}: ${name}`));
  if (JSON.stringify(ran) !== JSON.stringify(expected)) {
    throw new Error(`ran ${ran.length} of ${expected.length}: ${JSON.stringify(ran)}`);
  }
});

for (const result of results) {
  test(`chromium ${result.name}`, () => {
    if (!result.ok) throw new Error(result.error);
  });
}
