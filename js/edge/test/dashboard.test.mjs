// The operator dashboard under workerd: the /_httpseal/ route (404 unless the token is
// presented; ?token= traded for a cookie with a 303), the summary API counting a mix of
// traffic sent to the gateway (verified, invalid, unverified, a directory fetch, a cache
// hit and a failed fetch), the Analytics Engine SQL path against a local mock of the SQL
// API, and the page itself in headless Debian Chromium (screenshots in js/test-results/;
// HTTPSEAL_UPDATE_SCREENSHOTS=1 also refreshes docs/dashboard.png, the README's).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../../test/support/chromium.mjs";
import {
  startWorker, startEchoOrigin, signRequest, ROOT, ED25519_PUBLIC, ED25519_THUMBPRINT,
} from "./helpers.mjs";
import { startDirectoryServer, signedDirectory, newEd25519, DIRECTORY_PATH } from "./directory-server.mjs";
import { send, claimedKeyid } from "./operator-support.mjs";

const TOKEN = "d0c5-7e57-70k3n-0123456789abcdef";
const ARTIFACTS = join(ROOT, "js", "test-results");
let echo, server, keyB, keyD;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  echo = await startEchoOrigin();
  server = await startDirectoryServer();
  [keyB, keyD] = await Promise.all([newEd25519(), newEd25519()]);
  const dir = await signedDirectory(server.origin, [keyB.private]);
  server.set(DIRECTORY_PATH, { headers: { ...dir.headers, "cache-control": "max-age=600" }, body: dir.body });
});
after(() => { echo?.close(); server?.close(); });

const gateway = (vars = {}, options = {}) => startWorker({
  UPSTREAM_ORIGIN: echo.url,
  TRUSTED_JWKS: JSON.stringify({ keys: [ED25519_PUBLIC] }),
  DEV_ALLOW_INSECURE_DIRECTORIES: "true",
  DASHBOARD_TOKEN: TOKEN,
  ...vars,
}, options);

const summary = async (mf, headers = { authorization: `Bearer ${TOKEN}` }) => {
  const r = await send(mf, "https://shop.example/_httpseal/api/summary", { headers });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const sum = (buckets, key) => buckets.reduce((n, b) => n + b[key], 0);

/**
 * Sends a mix of traffic through the gateway and returns what the dashboard should count:
 * 6 verified by a trusted key, 2 invalid (the wrong host), 3 unsigned, 1 unknown key, an
 * agent whose directory is fetched once then remembered (3 verified), and an agent whose
 * directory cannot be fetched (1 unverified, a failed fetch).
 */
async function sendMix(mf) {
  const paths = ["/", "/products", "/products/42", "/cart", "/search?q=tea", "/about"];
  for (const p of paths) {
    const url = "https://shop.example" + p;
    assert.equal((await send(mf, url, { headers: await signRequest(url) })).status, 200);
  }
  for (let i = 0; i < 2; i++) await send(mf, "https://elsewhere.example/", { headers: await signRequest("https://shop.example/") });
  for (let i = 0; i < 3; i++) await send(mf, "https://shop.example/robots.txt");
  await send(mf, "https://shop.example/", { headers: claimedKeyid("k-claimed") });
  const agent = { "signature-agent": `"${server.origin}"` };
  for (let i = 0; i < 3; i++) {
    const url = `https://shop.example/feed/${i}`;
    const seen = await send(mf, url, { headers: await signRequest(url, { headers: agent, jwk: keyB.private }) });
    assert.match(seen.body.headers["httpseal-verdict"], /^verified;/);
  }
  const missing = { "signature-agent": `"${server.origin}/missing/jwks.json"` };
  const lost = await send(mf, "https://shop.example/", { headers: await signRequest("https://shop.example/", { headers: missing, jwk: keyD.private }) });
  assert.match(lost.body.headers["httpseal-verdict"], /error="directory_unavailable"/);
  return {
    totals: { verified: 9, invalid: 2, unverified: 5 },
    directories: { memory: 2, kv: 0, fetch: 1, failed: 1 },
    errors: { no_signature: 3, invalid_signature: 2, unknown_key: 1, directory_unavailable: 1 },
    agentUrl: server.origin + DIRECTORY_PATH,
  };
}

test("the route: 404 without the token, with a wrong one, and when DASHBOARD_TOKEN is unset; ?token= → 303 and a cookie", async () => {
  const off = await gateway({ DASHBOARD_TOKEN: "" });
  try {
    for (const path of ["/_httpseal/", "/_httpseal", "/_httpseal/api/summary", `/_httpseal/?token=${TOKEN}`, "/_httpseal/dashboard.js"]) {
      const r = await send(off, "https://shop.example" + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(r.status, 404, path);
      assert.equal(r.body.code, "not_found");
      assert.equal(r.headers.get("set-cookie"), null);
    }
    assert.equal((await send(off, "https://shop.example/_httpseal/x")).body.code, "not_found", "reserved even when off: never forwarded");
  } finally {
    await off.dispose();
  }

  const mf = await gateway();
  try {
    const wrong = TOKEN.replace(/.$/, "0");
    for (const [what, path, headers] of [
      ["no token", "/_httpseal/", {}],
      ["no token (assets)", "/_httpseal/dashboard.js", {}],
      ["no token (api)", "/_httpseal/api/summary", {}],
      ["wrong ?token=", `/_httpseal/?token=${wrong}`, {}],
      ["a prefix of it", `/_httpseal/?token=${TOKEN.slice(0, -1)}`, {}],
      ["wrong cookie", "/_httpseal/", { cookie: `httpseal_dashboard=${wrong}` }],
      ["another cookie's name", "/_httpseal/", { cookie: `other=${TOKEN}` }],
      ["wrong bearer", "/_httpseal/api/summary", { authorization: `Bearer ${wrong}` }],
      ["basic auth", "/_httpseal/api/summary", { authorization: `Basic ${TOKEN}` }],
    ]) {
      const r = await send(mf, "https://shop.example" + path, { headers });
      assert.equal(r.status, 404, what);
      assert.equal(r.headers.get("set-cookie"), null, what);
    }

    const login = await send(mf, `https://shop.example/_httpseal/?token=${TOKEN}`);
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("location"), "/_httpseal/", "the token leaves the address bar");
    assert.equal(login.headers.get("set-cookie"), `httpseal_dashboard=${TOKEN}; Path=/_httpseal; HttpOnly; Secure; SameSite=Strict`);
    assert.equal(login.headers.get("cache-control"), "no-store");

    const cookie = { cookie: `theme=dark; httpseal_dashboard=${TOKEN}` };
    const page = await send(mf, "https://shop.example/_httpseal/", { headers: cookie });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /^text\/html/);
    assert.match(page.body, /<title>httpseal — operator dashboard<\/title>/);
    assert.equal(page.headers.get("content-security-policy"), "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    assert.equal(page.headers.get("cache-control"), "no-store");
    for (const path of ["/_httpseal", "/_httpseal/index.html"]) {
      const r = await send(mf, "https://shop.example" + path, { headers: cookie });
      assert.equal(r.status, 200, path);
      assert.equal(r.body, page.body, path);
    }
    const js = await send(mf, "https://shop.example/_httpseal/dashboard.js", { headers: cookie });
    assert.match(js.headers.get("content-type"), /javascript/);
    const css = await send(mf, "https://shop.example/_httpseal/dashboard.css", { headers: cookie });
    assert.match(css.headers.get("content-type"), /^text\/css/);
    assert.equal((await send(mf, "https://shop.example/_httpseal/worker.html", { headers: cookie })).status, 404, "only the dashboard's own files");
    const api = await send(mf, "https://shop.example/_httpseal/api/summary", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(api.status, 200);
    assert.equal(api.headers.get("content-type"), "application/json");
    assert.equal(api.headers.get("cache-control"), "no-store");
    assert.equal(api.body.source, "isolate");
  } finally {
    await mf.dispose();
  }

  const odd = await gateway({ DASHBOARD_TOKEN: "0123456789abcdef; Path=/" });
  try {
    const r = await send(odd, "https://shop.example/_httpseal/");
    assert.equal(r.status, 500, "a token that cannot travel in a URL and a cookie is a configuration error");
    assert.match(r.body.detail, /^DASHBOARD_TOKEN: may hold only letters, digits/);
  } finally {
    await odd.dispose();
  }
});

test("the summary API counts the traffic sent: verdicts per minute and hour, agents, error codes, directory sources", async () => {
  const mf = await gateway();
  try {
    const want = await sendMix(mf);
    const s = await summary(mf);
    assert.equal(s.source, "isolate");
    assert.ok(Math.abs(s.now - Date.now() / 1000) < 30);
    assert.deepEqual(s.totals, want.totals);
    assert.equal(s.hour.length, 60);
    assert.equal(s.day.length, 24);
    for (const k of ["verified", "invalid", "unverified"]) {
      assert.equal(sum(s.hour, k), want.totals[k], `hour ${k}`);
      assert.equal(sum(s.day, k), want.totals[k], `day ${k}`);
    }
    assert.equal(s.hour[59].t, Math.floor(s.now / 60) * 60, "the last minute is the current one");
    assert.equal(s.day[23].t, Math.floor(s.now / 3600) * 3600);
    assert.ok(s.hour.slice(0, 58).every((b) => b.verified + b.invalid + b.unverified === 0), "all of it in the last two minutes");
    assert.deepEqual(s.directories, want.directories);
    assert.deepEqual(Object.fromEntries(s.errors.map((e) => [e.code, e.count])), want.errors);
    assert.deepEqual(s.errors[0], { code: "no_signature", count: 3 }, "most frequent first");
    const agents = Object.fromEntries(s.agents.map(({ identifier, ...mix }) => [identifier, mix]));
    assert.deepEqual(agents[ED25519_THUMBPRINT], { verified: 6, invalid: 2, unverified: 0 });
    assert.deepEqual(agents[want.agentUrl], { verified: 3, invalid: 0, unverified: 0 });
    assert.deepEqual(agents["k-claimed"], { verified: 0, invalid: 0, unverified: 1 });
    assert.equal(s.agents[0].identifier, ED25519_THUMBPRINT, "most decisions first");
    const keys = new Set();
    JSON.stringify(s, (k, v) => { keys.add(k); return v; });
    assert.deepEqual([...keys].filter((k) => k && !/^\d+$/.test(k)).sort(),
      ["agents", "code", "count", "day", "directories", "errors", "failed", "fetch", "hour", "identifier", "invalid", "kv", "memory", "now", "source", "t", "totals", "unverified", "verified"],
      "counts and names only: no signature, nonce, keyid or body field");
    assert.ok(!JSON.stringify(s).includes("sig1="));

    // POST /verify decisions are counted too, under their own route.
    await send(mf, "https://shop.example/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "GET", url: "https://a.example/", headers: {} }) });
    assert.equal((await summary(mf)).totals.unverified, want.totals.unverified + 1);
  } finally {
    await mf.dispose();
  }
});

/** A local stand-in for the Analytics Engine SQL API: records each query, answers `answer()`. */
async function startSqlApi(answer) {
  const queries = [];
  const sockets = new Set();
  const api = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      queries.push({ method: req.method, url: req.url, authorization: req.headers.authorization, sql: Buffer.concat(chunks).toString() });
      const { status = 200, body } = answer();
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    });
  });
  api.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((ok) => api.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${api.address().port}/client/v4/accounts/0123abcd/analytics_engine/sql`,
    queries,
    close: () => new Promise((ok) => { for (const s of sockets) s.destroy(); api.close(ok); }),
  };
}

/** The SQL API's JSON answer (FORMAT JSON) for `rows`. */
const sqlAnswer = (rows) => ({
  meta: [{ name: "t", type: "UInt32" }, { name: "verdict", type: "String" }, { name: "code", type: "String" },
    { name: "identifier", type: "String" }, { name: "directory", type: "String" }, { name: "n", type: "UInt64" }],
  data: rows,
  rows: rows.length,
  rows_before_limit_at_least: rows.length,
});

const analyticsVars = (url) => ({
  ANALYTICS_ACCOUNT_ID: "0123abcd", ANALYTICS_API_TOKEN: "test-api-token", ANALYTICS_DATASET: "httpseal_test", ANALYTICS_SQL_URL: url,
});

test("the Analytics Engine path: the SQL API is asked with the token, its rows (sample-weighted) make the summary; its failures are 502", async () => {
  const now = Math.floor(Date.now() / 1000);
  const minute = Math.floor(now / 60) * 60;
  const agentA = "https://a.example/.well-known/http-message-signatures-directory";
  let answer = () => ({ body: sqlAnswer([
    { t: minute - 60, verdict: "verified", code: "", identifier: agentA, directory: "kv", n: "40" },
    { t: minute - 120, verdict: "invalid", code: "expired", identifier: "https://b.example/keys.json", directory: "fetch", n: 3 },
    { t: minute - 30 * 60, verdict: "unverified", code: "directory_unavailable", identifier: "https://c.example/keys.json", directory: "failed", n: "2" },
    { t: minute - 5 * 3600, verdict: "unverified", code: "no_signature", identifier: "", directory: "none", n: "100" },
    { t: minute - 2 * 86400, verdict: "verified", code: "", identifier: agentA, directory: "memory", n: "999" },
  ]) });
  const api = await startSqlApi(() => answer());
  const mf = await gateway(analyticsVars(api.url));
  try {
    await send(mf, "https://shop.example/", { headers: await signRequest("https://shop.example/") });
    const s = await summary(mf);
    assert.equal(s.source, "analytics-engine");
    assert.deepEqual(s.totals, { verified: 40, invalid: 3, unverified: 102 }, "the rows, weighted by n; older than a day left out; not the isolate's own decision");
    assert.equal(sum(s.hour, "verified"), 40);
    assert.equal(sum(s.hour, "unverified"), 2);
    assert.equal(sum(s.day, "unverified"), 102);
    assert.deepEqual(s.directories, { memory: 0, kv: 40, fetch: 3, failed: 2 });
    assert.deepEqual(s.agents[0], { identifier: agentA, verified: 40, invalid: 0, unverified: 0 });
    assert.deepEqual(s.errors.map((e) => e.code), ["no_signature", "expired", "directory_unavailable"]);

    assert.equal(api.queries.length, 1);
    const [q] = api.queries;
    assert.equal(q.method, "POST");
    assert.equal(q.url, "/client/v4/accounts/0123abcd/analytics_engine/sql");
    assert.equal(q.authorization, "Bearer test-api-token");
    assert.match(q.sql, /^SELECT .* FROM httpseal_test WHERE timestamp > NOW\(\) - INTERVAL '1' DAY GROUP BY .* FORMAT JSON$/);
    assert.match(q.sql, /SUM\(_sample_interval\) AS n/);

    answer = () => ({ status: 401, body: { errors: [{ code: 10000, message: "Authentication error" }] } });
    const refused = await send(mf, "https://shop.example/_httpseal/api/summary", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, "analytics_unavailable");
    assert.match(refused.body.detail, /answered 401: no data array/);
    assert.ok(!refused.body.detail.includes("test-api-token"), "the API token is never shown");

    await api.close();
    const down = await send(mf, "https://shop.example/_httpseal/api/summary", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(down.status, 502, "an unreachable SQL API is a 502, not the Worker's 500");
    assert.equal(down.body.code, "analytics_unavailable");
  } finally {
    await mf.dispose();
    await api.close();
  }
});

/** Opens the dashboard in Chromium with the token; returns {chromium, page, foreign, problems}. */
async function openDashboard(origin) {
  const chromium = await launchChromium({ width: 1280, height: 900 });
  const page = await chromium.context.newPage();
  const foreign = [];
  const problems = [];
  page.on("request", (r) => { if (!r.url().startsWith(origin)) foreign.push(r.url()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
  await page.goto(`${origin}/_httpseal/?token=${TOKEN}`);
  await page.waitForSelector("body[data-state=ready]", { timeout: 30_000 });
  return { chromium, page, foreign, problems };
}

const text = (page, selector) => page.locator(selector).textContent();

test("the dashboard in Chromium: charts and numbers of the traffic sent, refreshed every 10 s; screenshot js/test-results/dashboard.png", async () => {
  const mf = await gateway();
  let chromium;
  try {
    const want = await sendMix(mf);
    const origin = (await mf.ready).origin;
    const before = await summary(mf);
    const opened = await openDashboard(origin);
    ({ chromium } = opened);
    const { page, foreign, problems } = opened;
    assert.equal(page.url(), `${origin}/_httpseal/`, "the token is gone from the address bar");
    const [cookie] = await chromium.context.cookies();
    assert.deepEqual([cookie.name, cookie.httpOnly, cookie.sameSite, cookie.path], ["httpseal_dashboard", true, "Strict", "/_httpseal"]);

    assert.equal(await text(page, "#source"), "isolate");
    assert.match(await text(page, "#as-of"), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.equal(await text(page, "#total-verified"), "9");
    assert.equal(await text(page, "#total-invalid"), "2");
    assert.equal(await text(page, "#total-unverified"), "5");
    assert.equal(await text(page, "#total-all"), "16");
    assert.equal(await text(page, "#share-verified"), "56.3 %");
    assert.equal(await page.locator("#hour-chart svg g.column").count(), 60);
    assert.equal(await page.locator("#day-chart svg g.column").count(), 24);
    const drawn = await page.$$eval("#hour-chart g.column", (gs) => gs.reduce((n, g) => n + Number(g.dataset.total ?? 0), 0));
    assert.equal(drawn, 16, "the hour's columns hold every decision");
    assert.ok(await page.locator("#hour-chart rect.verified").count() >= 1);
    assert.ok(await page.locator("#hour-chart rect.invalid").count() >= 1);
    assert.match(await text(page, "#hour-sum"), /^16 decisions: 9 verified, 2 invalid, 5 unverified\./);

    const agents = await page.locator("#agents li").allTextContents();
    assert.equal(agents.length, 4);
    assert.equal(agents[0], `${ED25519_THUMBPRINT}8: 6 verified, 2 invalid`);
    assert.ok(agents.includes(`${want.agentUrl}3: 3 verified`), agents.join("\n"));
    assert.equal(await page.locator("#agents li").first().locator("rect.verified").count(), 1);
    assert.equal(await page.locator("#agents li").first().locator("rect.invalid").count(), 1);
    const errors = await page.locator("#errors li").allTextContents();
    assert.deepEqual(errors.slice(0, 2), ["no_signature3", "invalid_signature2"]);
    assert.ok(errors.includes("directory_unavailable1"));
    assert.deepEqual(await page.locator("#directories li").allTextContents(), ["isolate memory2", "Workers KV0", "fetched1", "fetch failed1"]);
    assert.equal(await text(page, "#fetch-failures"), "1 of 2 directory fetches failed; 2 requests were served from a cache.");

    // The page and its refreshes are not traffic: no favicon request reached the gateway.
    assert.deepEqual((await summary(mf)).totals, before.totals);

    // Auto-refresh: new traffic shows within one period.
    for (let i = 0; i < 2; i++) await send(mf, "https://shop.example/late");
    const first = await page.evaluate(() => document.body.dataset.updated);
    await page.waitForFunction(() => document.getElementById("total-unverified").textContent === "7", null, { timeout: 15_000 });
    assert.equal(await text(page, "#total-all"), "18");
    assert.ok(Number(await page.evaluate(() => document.body.dataset.updated)) >= Number(first));

    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
    // The README's picture: refreshed on request only, so a test run leaves the tree clean.
    if (process.env.HTTPSEAL_UPDATE_SCREENSHOTS === "1") copyFileSync(join(ARTIFACTS, "dashboard.png"), join(ROOT, "docs", "dashboard.png"));

    // A session the Worker no longer accepts says so instead of showing stale numbers silently.
    await chromium.context.clearCookies();
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.waitForSelector("body[data-state=signed-out]", { timeout: 10_000 });
    assert.match(await text(page, "#problem"), /Open \/_httpseal\/\?token=… again/);

    assert.deepEqual(foreign, [], "nothing from elsewhere");
    assert.deepEqual(problems.filter((p) => !/404/.test(p)), [], "no script errors and no CSP violations");
  } finally {
    await chromium?.close();
    await mf.dispose();
  }
});

test("the dashboard in Chromium over Analytics Engine (a day of sampled rows from the SQL mock); screenshot js/test-results/dashboard-analytics-engine.png", async () => {
  const now = Math.floor(Date.now() / 1000);
  const minute = Math.floor(now / 60) * 60;
  // A day of traffic: a daily curve, a burst of invalid signatures, a directory outage.
  const agents = [
    "https://crawler.search.example/.well-known/http-message-signatures-directory",
    "https://agent.shopping.example/.well-known/http-message-signatures-directory",
    "https://assistant.example/keys/jwks.json",
    ED25519_THUMBPRINT,
  ];
  const rows = [];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let t = minute - 1439 * 60; t <= minute; t += t > minute - 3600 ? 60 : 600) {
    const width = t > minute - 3600 ? 1 : 10;
    const hour = new Date(t * 1000).getUTCHours();
    const level = (20 + 14 * Math.sin(((hour - 6) / 24) * 2 * Math.PI)) * width;
    agents.forEach((identifier, i) => {
      const n = Math.round(level * (0.5 - i * 0.1) * (0.7 + 0.6 * rand()));
      if (n > 0) rows.push({ t, verdict: "verified", code: "", identifier, directory: i === 3 ? "none" : i === 2 ? "kv" : "memory", n: String(n) });
    });
    rows.push({ t, verdict: "unverified", code: "no_signature", identifier: "", directory: "none", n: String(Math.round(level * 0.6 * (0.7 + 0.6 * rand()))) });
    if (rand() < 0.3) rows.push({ t, verdict: "invalid", code: "expired", identifier: agents[1], directory: "memory", n: String(width) });
    if (t > minute - 40 * 60 && t < minute - 25 * 60) {
      rows.push({ t, verdict: "invalid", code: "invalid_signature", identifier: "https://forged.example/.well-known/http-message-signatures-directory", directory: "fetch", n: "6" });
    }
    if (t > minute - 9 * 3600 && t < minute - 8 * 3600) {
      rows.push({ t, verdict: "unverified", code: "directory_unavailable", identifier: agents[2], directory: "failed", n: String(3 * width) });
    }
  }
  const api = await startSqlApi(() => ({ body: sqlAnswer(rows) }));
  const mf = await gateway(analyticsVars(api.url));
  let chromium;
  try {
    const origin = (await mf.ready).origin;
    const opened = await openDashboard(origin);
    ({ chromium } = opened);
    const { page, problems } = opened;
    assert.equal(await text(page, "#source"), "analytics-engine");
    assert.match(await text(page, "#source-note"), /Analytics Engine/);
    const s = await summary(mf);
    const all = s.totals.verified + s.totals.invalid + s.totals.unverified;
    assert.equal((await text(page, "#total-all")).replace(/,/g, ""), String(all));
    assert.equal(await page.locator("#agents li").count(), 5);
    assert.ok((await page.locator("#day-chart g.column[data-total]").count()) >= 23);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-analytics-engine.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await chromium?.close();
    await mf.dispose();
    await api.close();
  }
});
