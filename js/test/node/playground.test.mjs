// End to end, in headless Debian Chromium: the playground (js/playground/, as the Worker or
// any static server serves it) generates a key, signs, verifies; a tampered header makes
// the verdict invalid with the reason in plain words. Screenshots go to
// js/test-results/ as artifacts.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchChromium } from "../support/chromium.mjs";
import { serveStatic } from "../support/serve.mjs";
import { ROOT } from "./load.mjs";

const ARTIFACTS = join(ROOT, "js", "test-results");
let server;
let chromium;
let page;
const foreignRequests = [];
const pageErrors = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serveStatic({ "/": join(ROOT, "js", "playground") });
  chromium = await launchChromium({ width: 1280, height: 1000 });
  page = await chromium.context.newPage();
  page.on("request", (r) => {
    if (!r.url().startsWith(server.url)) foreignRequests.push(r.url());
  });
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  await page.goto(`${server.url}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

test("every form control has a label, and the page loads nothing from elsewhere", async () => {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")].filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label")).map((el) => el.id),
  );
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.locator("h1").count(), 1);
  assert.deepEqual(foreignRequests, []);
});

test("generate → sign → verified", async () => {
  await page.getByLabel("Algorithm").selectOption("ed25519");
  await page.getByRole("button", { name: "Generate key" }).click();
  const thumbprint = (await page.locator("#thumbprint").textContent()).trim();
  assert.match(thumbprint, /^[A-Za-z0-9_-]{43}$/);
  const directory = JSON.parse(await page.locator("#directory").textContent());
  assert.equal(directory.keys[0].kid, thumbprint);
  assert.equal(directory.keys[0].d, undefined, "the directory holds the public key only");

  await page.getByRole("checkbox", { name: "@method" }).check();
  await page.getByRole("checkbox", { name: "@authority" }).check();
  await page.getByRole("checkbox", { name: "@path" }).check();
  await page.getByLabel("More components").fill("accept");
  await page.getByRole("button", { name: "Sign request" }).click();
  await page.waitForSelector("#base li");

  const signatureInput = await page.locator("#signature-headers dd").nth(1).textContent();
  assert.match(signatureInput, new RegExp(`^sig1=\\("@method" "@authority" "@path" "accept" "signature-agent";key="sig1"\\);created=\\d+;keyid="${thumbprint}";alg="ed25519";expires=\\d+;nonce="[^"]+";tag="web-bot-auth"$`));
  const base = await page.locator("#base li").allTextContents();
  assert.deepEqual(base.slice(0, 5), ["\"@method\": GET", "\"@authority\": example.com", "\"@path\": /articles", "\"accept\": text/html", "\"signature-agent\";key=\"sig1\": \"https://agent.example\""]);
  assert.match(base[5], /^"@signature-params": \(/);
  assert.match(await page.locator("#curl").textContent(), /^curl 'https:\/\/example.com\/articles\?page=2'/);

  await page.getByRole("button", { name: "Verify here" }).click();
  await page.waitForSelector("#verdict[data-verdict]");
  assert.equal(await page.locator("#verdict").getAttribute("data-verdict"), "verified");
  assert.match(await page.locator("#verdict-why").textContent(), /^Verified: the signature is valid/);
  await page.screenshot({ path: join(ARTIFACTS, "playground-verified.png"), fullPage: true });
});

test("tamper a covered header → invalid, with the reason shown", async () => {
  const headers = page.getByLabel("Received headers");
  const text = await headers.inputValue();
  assert.match(text, /^Accept: text\/html$/m);
  await headers.fill(text.replace("Accept: text/html", "Accept: application/json"));
  await page.getByRole("button", { name: "Verify here" }).click();
  await page.waitForFunction(() => document.getElementById("verdict").dataset.verdict === "invalid");
  const why = await page.locator("#verdict-why").textContent();
  assert.match(why, /^Invalid: a signature is present, but it does not hold for this request\./);
  assert.match(why, /A covered component changed after signing/);
  assert.match(why, /invalid_signature/);
  assert.match(await page.locator("#verdict-base").textContent(), /"accept": application\/json/);
  await page.locator("#verdict").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, "playground-tampered.png"), fullPage: true });
  await page.locator("#verdict").screenshot({ path: join(ARTIFACTS, "playground-tampered-verdict.png") });
  assert.deepEqual(pageErrors, []);
});
