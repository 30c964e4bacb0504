// The signing playground explains a failure (as the Worker serves it, in headless Debian
// Chromium): which component the failure is about (a covered header that changed or is
// missing, an expired window, a digest mismatch, a wrong tag), the base that was checked
// next to the one that was signed with the differing line highlighted, and each base line
// linked to the request part it came from. Screenshots: js/test-results/playground-explain-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../../test/support/chromium.mjs";
import { startWorker, ROOT } from "./helpers.mjs";

const ARTIFACTS = join(ROOT, "js", "test-results");
let mf, chromium, page;
const pageErrors = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mf = await startWorker({ MODE: "api" });
  chromium = await launchChromium({ width: 1280, height: 1000 });
  page = await chromium.context.newPage();
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  await page.goto(`${(await mf.ready).origin}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  await page.getByRole("button", { name: "Generate key" }).click();
});
after(async () => {
  await chromium?.close();
  await mf?.dispose();
});

/** Signs the form's request over @method @authority @path accept (+ `extra` components). */
async function sign({ extra = [], body = "", digest = "" } = {}) {
  const wanted = ["@method", "@authority", "@path", ...extra];
  for (const box of await page.locator("#components input").all()) {
    await box.setChecked(wanted.includes(await box.getAttribute("value")));
  }
  await page.getByLabel("More components").fill("accept");
  await page.locator("#body").fill(body);
  await page.locator("#digest").selectOption(digest);
  await page.getByRole("button", { name: "Sign request" }).click();
  await page.waitForSelector("#base li");
}

const received = () => page.getByLabel("Received headers");
async function editReceived(from, to) {
  const text = await received().inputValue();
  assert.ok(text.includes(from), text);
  await received().fill(text.replace(from, to));
}
async function verify(button = "Verify here", want = "invalid") {
  await page.locator("#verdict").evaluate((el) => { delete el.dataset.verdict; });
  await page.getByRole("button", { name: button }).click();
  await page.waitForSelector("#verdict[data-verdict]");
  assert.equal(await page.locator("#verdict").getAttribute("data-verdict"), want, await page.locator("#verdict-why").textContent());
}
const about = () => page.locator("#failure-about").textContent();

test("a tampered covered header: the bases side by side, the differing line marked, each line linked to its request part", async () => {
  await sign();
  await editReceived("Accept: text/html", "Accept: application/json");
  await verify();
  assert.equal(await about(), 'the signature base: "accept" differs from what was signed', "the core's invalid_signature, placed by the comparison");
  assert.match(await page.locator("#failure-detail").textContent(), /a covered component differs from what was signed/);

  const rows = page.locator("#compare tbody tr");
  assert.equal(await rows.count(), 6, "@method @authority @path accept signature-agent @signature-params");
  const differing = page.locator("#compare tbody tr.differs");
  assert.equal(await differing.count(), 1);
  assert.equal(await differing.getAttribute("data-component"), '"accept"');
  assert.equal(await differing.locator("td").nth(1).textContent(), '"accept": application/json', "the line checked");
  assert.equal(await differing.locator("td").nth(2).textContent(), '"accept": text/html', "the line signed");
  assert.equal(await differing.locator("td").nth(1).locator("mark").textContent(), "application/json");
  assert.equal(await differing.locator("td").nth(2).locator("mark").textContent(), "text/html");
  assert.match(await page.locator("#compare-hint").textContent(), /^1 line differs/);
  assert.deepEqual(await page.locator("#parts li.about").evaluateAll((lis) => lis.map((li) => li.dataset.part)), ["header:accept"]);
  const acceptPart = page.locator('#parts li[data-part="header:accept"]');
  assert.match(await acceptPart.textContent(), /signed as: text\/html/);

  // Click a base line → the request part it comes from is highlighted.
  await differing.locator("td").nth(1).getByRole("button").click();
  assert.deepEqual(await page.locator("#parts li.highlight").evaluateAll((lis) => lis.map((li) => li.dataset.part)), ["header:accept"]);
  assert.equal(await differing.evaluate((tr) => tr.classList.contains("selected")), true);
  await rows.nth(1).locator("td").nth(1).getByRole("button").click();
  assert.deepEqual(await page.locator("#parts li.highlight").evaluateAll((lis) => lis.map((li) => li.dataset.part)), ["authority"], "@authority → the URL's authority");
  await rows.nth(5).locator("td").nth(2).getByRole("button").click();
  assert.deepEqual(await page.locator("#parts li.highlight").evaluateAll((lis) => lis.map((li) => li.dataset.part)), ["header:signature-input"], "@signature-params → Signature-Input");
  await differing.locator("td").nth(1).getByRole("button").click();

  await page.locator("#verdict").scrollIntoViewIfNeeded();
  await page.locator("#verdict").screenshot({ path: join(ARTIFACTS, "playground-explain-base.png") });

  // The Worker's verdict explains the same way.
  await verify("Verify with the Worker (POST /verify)");
  assert.equal(await page.locator("#compare tbody tr.differs").getAttribute("data-component"), '"accept"');
  assert.match(await page.locator("#verdict-badge").textContent(), /checked by the Worker/);

  // Nothing covered changed, the signature bytes did: identical bases, and the page says so.
  await editReceived("Accept: application/json", "Accept: text/html");
  const text = await received().inputValue();
  const signature = /^Signature: sig1=:(.*):$/m.exec(text)[1];
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  await editReceived(`sig1=:${signature}:`, `sig1=:${flipped}:`);
  await verify();
  assert.equal(await page.locator("#compare tbody tr.differs").count(), 0);
  assert.equal(await about(), "the signature base (every covered component)");
  assert.match(await page.locator("#compare-hint").textContent(), /^Both bases are identical: the covered components did not change, so the signature was made with another key/);
  assert.match(await page.locator('#parts li[data-part="header:signature"]').textContent(), /signed as: sig1=:/, "the Signature itself differs");
  await editReceived(`sig1=:${flipped}:`, `sig1=:${signature}:`);
});

test("a covered header removed: the failure names the missing field; the signed base shows its line", async () => {
  await editReceived("Accept: text/html\n", "");
  await verify();
  assert.equal(await about(), "the covered field accept");
  assert.match(await page.locator("#failure-detail").textContent(), /the request has no accept header/);
  assert.equal(await page.locator("#parts li.missing").textContent(), "accept: (not in the request)");
  const row = page.locator('#compare tbody tr[data-component="\\"accept\\""]');
  assert.equal(await row.evaluate((tr) => tr.classList.contains("differs")), true);
  assert.equal(await row.locator("td").nth(2).textContent(), '"accept": text/html');
  assert.match(await page.locator("#compare-hint").textContent(), /none can be built from the request received/);
});

test("an expired window: the failure is about expires, marked in Signature-Input", async () => {
  await sign();
  await page.locator("#v-now").fill(String(Math.floor(Date.now() / 1000) + 3600));
  await verify();
  assert.equal(await about(), "the signature's validity window (expires)");
  assert.match(await page.locator("#failure-detail").textContent(), /^expires=\d+ passed (59|60) min before the time checked/);
  assert.match(await page.locator("#failure-detail").textContent(), /\(policy rule: skew\)$/);
  const input = page.locator('#parts li[data-part="header:signature-input"]');
  assert.equal(await input.evaluate((li) => li.classList.contains("about")), true);
  assert.match(await input.locator("mark").textContent(), /^expires=\d+$/);
  assert.equal(await page.locator("#compare tbody tr.differs").count(), 0, "the base is not the problem");
  assert.match(await page.locator("#compare tbody tr").first().locator("td").nth(1).textContent(), /^"@method": GET$/, "the base checked, rebuilt in the page");
  assert.equal(await page.locator("#compare-hint").textContent(), "Both bases are identical: the covered components did not change; the failure is about the signature's validity window (expires).");
  await page.locator("#verdict").screenshot({ path: join(ARTIFACTS, "playground-explain-expired.png") });
  await page.locator("#v-now").fill("");
});

test("a changed body: the failure is about the body and its Content-Digest", async () => {
  await sign({ extra: ["content-digest"], body: '{"order":1}', digest: "sha-256" });
  await page.getByLabel("Received body").fill('{"order":2}');
  await verify();
  assert.equal(await about(), "the body and its Content-Digest");
  assert.deepEqual((await page.locator("#parts li.about").evaluateAll((lis) => lis.map((li) => li.dataset.part))).sort(), ["body", "header:content-digest"]);
  assert.match(await page.locator("#parts li[data-part=body]").textContent(), /signed as: \{"order":1\}/);
});

test("a wrong tag: the failure is about the signature's tag", async () => {
  await sign();
  await editReceived('tag="web-bot-auth"', 'tag="something-else"');
  await verify("Verify here", "unverified");
  assert.equal(await about(), "the signature's tag");
  assert.match(await page.locator('#parts li[data-part="header:signature-input"] mark').textContent(), /^tag="something-else"$/);
  assert.equal(await page.locator('#parts li[data-part="header:signature-input"]').isVisible(), true, "the parts are shown without a base");
  assert.equal(await page.locator("#compare-block").isHidden(), true, "no label, no base to compare");
  await page.screenshot({ path: join(ARTIFACTS, "playground-explain-tag.png"), fullPage: true });

  // Verified again: nothing to explain.
  await editReceived('tag="something-else"', 'tag="web-bot-auth"');
  await verify("Verify here", "verified");
  assert.equal(await page.locator("#failure").isHidden(), true);
  assert.equal(await page.locator("#explain").isHidden(), true);
  assert.deepEqual(pageErrors, []);
});
