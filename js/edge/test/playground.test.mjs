// The signing playground as the Worker serves it (static assets at `/`), in headless Debian
// Chromium: the page loads its browser build from the Worker, signs a request with a key
// generated in the page, and has the Worker check it through POST /verify; then a tampered
// header comes back invalid from the Worker, with the reason shown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../../test/support/chromium.mjs";
import { startWorker, ROOT } from "./helpers.mjs";

const ARTIFACTS = join(ROOT, "js", "test-results");
let mf;
let origin;
let chromium;
let page;
const pageErrors = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mf = await startWorker({ MODE: "api" });
  origin = (await mf.ready).origin;
  chromium = await launchChromium({ width: 1280, height: 1000 });
  page = await chromium.context.newPage();
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
});
after(async () => {
  await chromium?.close();
  await mf?.dispose();
});

test("served by the Worker: generate → sign → verified by POST /verify; tampered → invalid", async () => {
  assert.equal(await page.locator("#verify-worker").isVisible(), true, "the Worker button shows over http");
  await page.waitForSelector("#worker-link:not([hidden])");
  await page.getByRole("button", { name: "Generate key" }).click();
  await page.getByRole("checkbox", { name: "@method" }).check();
  await page.getByRole("checkbox", { name: "@authority" }).check();
  await page.getByLabel("More components").fill("accept");
  await page.getByRole("button", { name: "Sign request" }).click();
  await page.waitForSelector("#base li");

  await page.getByRole("button", { name: "Verify with the Worker (POST /verify)" }).click();
  await page.waitForSelector("#verdict[data-verdict]");
  assert.equal(await page.locator("#verdict").getAttribute("data-verdict"), "verified", await page.locator("#verdict-why").textContent());
  assert.match(await page.locator("#verdict-badge").textContent(), /checked by the Worker/);
  await page.screenshot({ path: join(ARTIFACTS, "playground-worker-verified.png"), fullPage: true });

  const headers = page.getByLabel("Received headers");
  await headers.fill((await headers.inputValue()).replace("Accept: text/html", "Accept: application/json"));
  await page.getByRole("button", { name: "Verify with the Worker (POST /verify)" }).click();
  await page.waitForFunction(() => document.getElementById("verdict").dataset.verdict === "invalid");
  assert.match(await page.locator("#verdict-why").textContent(), /invalid_signature/);
  assert.match(await page.locator("#verdict-badge").textContent(), /checked by the Worker/);
  assert.deepEqual(pageErrors, []);
});
