// The operator features under workerd: route rules (mode, policy overrides, errors naming
// the rule), agent rules (deny, allowlists, per-agent overrides), rate limiting through the
// RATE_LIMITER binding (Miniflare's own Workers Rate Limiting implementation), the decision
// log lines (sampled by LOG_SAMPLE_RATE) and the data points written to the ANALYTICS
// binding (Miniflare's binding, and a recording double: doubles-entry.mjs). Requests are
// signed by npm web-bot-auth with keys the Worker trusts through TRUSTED_JWKS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startWorker, startEchoOrigin, signRequest, ED25519_PRIVATE, ED25519_PUBLIC, ED25519_THUMBPRINT,
} from "./helpers.mjs";
import { newEd25519, startDirectoryServer, signedDirectory, DIRECTORY_PATH } from "./directory-server.mjs";
import {
  startObserved, send, claimedKeyid, roomInThisMinute, thumbprint, RECORD_FIELDS,
} from "./operator-support.mjs";

let origin, keyB, keyC;
const A = ED25519_THUMBPRINT;
let B, C;
before(async () => {
  origin = await startEchoOrigin();
  [keyB, keyC] = await Promise.all([newEd25519(), newEd25519()]);
  [B, C] = [thumbprint(keyB.public), thumbprint(keyC.public)];
});
after(() => origin?.close());

const now = () => Math.floor(Date.now() / 1000);
const trusted = () => JSON.stringify({ keys: [ED25519_PUBLIC, keyB.public, keyC.public] });
const base = (vars) => ({ UPSTREAM_ORIGIN: origin.url, TRUSTED_JWKS: trusted(), ...vars });
const signedBy = (url, jwk = ED25519_PRIVATE, opts = {}) => signRequest(url, { jwk, ...opts });
/** The verdict header the origin received (the request was forwarded). */
const forwarded = (r) => {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.headers["httpseal-verdict"];
};

test("route rules: enforce /checkout/* and /api/*, annotate elsewhere; a route's policy override applies", async () => {
  const mf = await startWorker(base({
    RULES: JSON.stringify({
      routes: [
        { name: "checkout", path: "/checkout/*", mode: "enforce" },
        { name: "api", path: "/api/*", mode: "enforce", policy: { maxLifetime: 300 } },
      ],
      default: { mode: "annotate" },
    }),
  }));
  try {
    const unsignedCheckout = await send(mf, "https://shop.example/checkout/x");
    assert.equal(unsignedCheckout.status, 401);
    assert.equal(unsignedCheckout.body.code, "no_signature");
    assert.equal(unsignedCheckout.headers.get("accept-signature"), 'sig1=("@authority");created;expires;tag="web-bot-auth"');
    assert.equal((await send(mf, "https://shop.example/api/orders")).status, 401, "/api/* enforces too");
    assert.equal(forwarded(await send(mf, "https://shop.example/")), 'unverified;error="no_signature"', "annotate elsewhere");
    assert.equal(forwarded(await send(mf, "https://shop.example/checkout")), 'unverified;error="no_signature"', "/checkout itself is not under /checkout/*");

    const url = "https://shop.example/checkout/pay";
    assert.match(forwarded(await send(mf, url, { headers: await signedBy(url) })), /^verified;/);

    // Ten minutes of lifetime: within the Worker's 24 h, beyond the api route's 300 s.
    const long = { expires: now() + 600 };
    const api = "https://shop.example/api/orders";
    const refused = await send(mf, api, { headers: await signedBy(api, ED25519_PRIVATE, long) });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "lifetime_too_long");
    assert.match(refused.body.detail, /300/);
    assert.match(forwarded(await send(mf, url, { headers: await signedBy(url, ED25519_PRIVATE, long) })), /^verified;/,
      "the checkout route keeps the Worker's maximum lifetime");
    const home = "https://shop.example/home";
    assert.match(forwarded(await send(mf, home, { headers: await signedBy(home, ED25519_PRIVATE, long) })), /^verified;/);
  } finally {
    await mf.dispose();
  }
});

test("RULES as a TOML table (wrangler passes a JSON object), and numbers as TOML numbers, read like their text", async () => {
  const mf = await startWorker(base({
    RULES: { routes: [{ name: "checkout", path: "/checkout/*", mode: "enforce", rateLimit: true }] },
    RATE_LIMIT_RETRY_AFTER_SECONDS: 30,
    LOG_SAMPLE_RATE: 0.25,
  }), { ratelimits: { RATE_LIMITER: { simple: { limit: 1, period: 60 } } } });
  try {
    await roomInThisMinute();
    assert.equal((await send(mf, "https://shop.example/checkout/x")).status, 401);
    assert.equal(forwarded(await send(mf, "https://shop.example/")), 'unverified;error="no_signature"');
    const url = "https://shop.example/checkout/x";
    assert.equal((await send(mf, url, { headers: await signedBy(url) })).status, 200);
    const limited = await send(mf, url, { headers: await signedBy(url) });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "30");
  } finally {
    await mf.dispose();
  }
});

test("a bad rule: every request is a 500 problem naming RULES and the rule", async () => {
  for (const [rules, says] of [
    [{ routes: [{ name: "checkout", path: "checkout/*", mode: "enforce" }] }, /^RULES: checkout: path "checkout\/\*" must start with \//],
    [{ routes: [{ path: "/a", mode: "block" }] }, /^RULES: routes\[0\]: mode "block" is not a mode/],
    [{ agents: [{ name: "bad-bot", thumbprint: A, action: "block" }] }, /^RULES: bad-bot: action "block" is not allow or deny/],
    [{ agents: [{ identifier: "https://a.example", action: "deny", policy: { maxLifetime: 5 } }] }, /^RULES: agents\[0\]: a deny rule takes no policy/],
  ]) {
    const mf = await startWorker(base({ RULES: JSON.stringify(rules) }));
    try {
      for (const path of ["/", "/checkout/x", "/verify"]) {
        const r = await send(mf, "https://shop.example" + path);
        assert.equal(r.status, 500, path);
        assert.equal(r.headers.get("content-type"), "application/problem+json");
        assert.equal(r.body.code, "invalid_configuration");
        assert.match(r.body.detail, says);
      }
    } finally {
      await mf.dispose();
    }
  }
});

test("agent rules: deny → 403 agent_denied naming the rule; an allowlist route lets through only allowed agents", async () => {
  const mf = await startWorker(base({
    RULES: JSON.stringify({
      routes: [{ name: "partners", path: "/partners/*", mode: "enforce", agents: "allowlist" }],
      agents: [
        { name: "blocked-bot", thumbprint: B, action: "deny" },
        { name: "partner-a", thumbprint: A, action: "allow" },
      ],
    }),
  }));
  try {
    const home = "https://shop.example/";
    const denied = await send(mf, home, { headers: await signedBy(home, keyB.private) });
    assert.equal(denied.status, 403, "denied even where the route annotates");
    assert.equal(denied.headers.get("content-type"), "application/problem+json");
    assert.equal(denied.body.code, "agent_denied");
    assert.match(denied.body.detail, /agent rule "blocked-bot" denies/);
    assert.match(denied.body.detail, new RegExp(B));

    const p = "https://shop.example/partners/feed";
    assert.match(forwarded(await send(mf, p, { headers: await signedBy(p) })), /^verified;/, "an allow rule names A");
    const stranger = await send(mf, p, { headers: await signedBy(p, keyC.private) });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.code, "agent_not_allowed");
    assert.match(stranger.body.detail, /route "partners" lets through only the agents an allow rule names/);
    assert.match(stranger.body.detail, new RegExp(C));
    assert.match(forwarded(await send(mf, home, { headers: await signedBy(home, keyC.private) })), /^verified;/,
      "the allowlist is the partners route's only");
    assert.equal((await send(mf, p)).status, 401, "unsigned on an allowlist route: the mode's answer");

    // Rules apply to identities the verifier established: B's key over the wrong host is
    // an invalid signature, not B.
    const wrongHost = await send(mf, "https://elsewhere.example/", { headers: await signedBy(home, keyB.private) });
    assert.match(forwarded(wrongHost), /^invalid;.*error="invalid_signature"$/);
  } finally {
    await mf.dispose();
  }
});

test("a per-agent override: a longer maximum lifetime for one agent's static signature verifies it, and not another agent", async () => {
  const mf = await startWorker(base({
    MODE: "enforce",
    RULES: JSON.stringify({
      agents: [{ name: "static-a", thumbprint: A, action: "allow", policy: { maxLifetime: 90 * 86400 } }],
    }),
  }));
  try {
    const url = "https://shop.example/catalog";
    const month = { created: now() - 60, expires: now() + 30 * 86400 };
    const a = await send(mf, url, { headers: await signedBy(url, ED25519_PRIVATE, month) });
    assert.match(forwarded(a), /^verified;/, JSON.stringify(a.body));
    const b = await send(mf, url, { headers: await signedBy(url, keyB.private, month) });
    assert.equal(b.status, 403);
    assert.equal(b.body.code, "lifetime_too_long");
    const tooLong = await send(mf, url, { headers: await signedBy(url, ED25519_PRIVATE, { expires: now() + 100 * 86400 }) });
    assert.equal(tooLong.body.code, "lifetime_too_long", "the override is a longer limit, not none");
  } finally {
    await mf.dispose();
  }
});

test("agent rules by URL: a directory agent is denied, or given its override, once its key was found at its directory", async () => {
  const server = await startDirectoryServer();
  try {
    const dir = await signedDirectory(server.origin, [keyB.private]);
    server.set(DIRECTORY_PATH, { headers: dir.headers, body: dir.body });
    const dirUrl = server.origin + DIRECTORY_PATH;
    const agentRules = (action, extra = {}) => JSON.stringify({ agents: [{ name: "agent-b", identifier: server.origin, action, ...extra }] });
    const headers = (url, jwk, opts = {}) => signRequest(url, { headers: { "signature-agent": `"${server.origin}"` }, jwk, ...opts });
    const url = "https://shop.example/";
    // B only through its directory: a key in TRUSTED_JWKS is found first, and named by its
    // thumbprint.
    const notB = JSON.stringify({ keys: [ED25519_PUBLIC, keyC.public] });

    const deny = await startWorker(base({ TRUSTED_JWKS: notB, DEV_ALLOW_INSECURE_DIRECTORIES: "true", RULES: agentRules("deny") }));
    try {
      const denied = await send(deny, url, { headers: await headers(url, keyB.private) });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.code, "agent_denied");
      assert.equal(denied.body.detail, `agent rule "agent-b" denies ${dirUrl}`, "the origin names its well-known directory");
      const stranger = await newEd25519();
      const claim = await send(deny, url, { headers: await headers(url, stranger.private) });
      assert.match(forwarded(claim), /^unverified;.*error="unknown_key"$/, "a key the directory does not list is only a claim: not denied, not the agent");
    } finally {
      await deny.dispose();
    }

    const month = { created: now() - 60, expires: now() + 30 * 86400 };
    const relax = await startWorker(base({
      MODE: "enforce", TRUSTED_JWKS: notB, DEV_ALLOW_INSECURE_DIRECTORIES: "true",
      RULES: agentRules("allow", { policy: { maxLifetime: 90 * 86400 } }),
    }));
    try {
      const ok = await send(relax, url, { headers: await headers(url, keyB.private, month) });
      assert.match(forwarded(ok), new RegExp(`^verified;.*identifier="${dirUrl}"$`));
      const other = await send(relax, url, { headers: await signedBy(url, keyC.private, month) });
      assert.equal(other.body.code, "lifetime_too_long", "a trusted key that is not the agent keeps the Worker's limit");
    } finally {
      await relax.dispose();
    }
  } finally {
    server.close();
  }
});

test("rate limiting: 429 rate_limited with Retry-After past the RATE_LIMITER limit, per route and agent; unverified traffic is not limited", async () => {
  const rules = JSON.stringify({ routes: [{ name: "api", path: "/api/*", rateLimit: true }] });
  const mf = await startWorker(base({ RULES: rules, RATE_LIMIT_RETRY_AFTER_SECONDS: "42" }), {
    ratelimits: { RATE_LIMITER: { simple: { limit: 3, period: 60 } } },
  });
  try {
    await roomInThisMinute();
    const api = "https://shop.example/api/items";
    for (let i = 0; i < 3; i++) {
      assert.match(forwarded(await send(mf, api, { headers: await signedBy(api) })), /^verified;/, `request ${i + 1}`);
    }
    const limited = await send(mf, api, { headers: await signedBy(api) });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "42");
    assert.equal(limited.headers.get("content-type"), "application/problem+json");
    assert.equal(limited.body.code, "rate_limited");
    assert.match(limited.body.detail, new RegExp(`${A} is over the rate limit of route "api"; retry after 42 s`));

    assert.match(forwarded(await send(mf, api, { headers: await signedBy(api, keyB.private) })), /^verified;/, "another agent has its own count");
    const home = "https://shop.example/";
    assert.match(forwarded(await send(mf, home, { headers: await signedBy(home) })), /^verified;/, "a route without rateLimit");
    for (let i = 0; i < 6; i++) {
      assert.equal(forwarded(await send(mf, api)), 'unverified;error="no_signature"', "unsigned traffic is the operator's other controls' business");
      assert.match(forwarded(await send(mf, "https://elsewhere.example/api/items", { headers: await signedBy(api) })), /^invalid;/,
        "an invalid signature names no identity to count");
      assert.match(forwarded(await send(mf, api, { headers: claimedKeyid("k-" + i) })), /^unverified;.*error="unknown_key"/);
    }
  } finally {
    await mf.dispose();
  }

  const unbound = await startWorker(base({ RULES: rules }));
  try {
    const api = "https://shop.example/api/items";
    for (let i = 0; i < 8; i++) {
      assert.match(forwarded(await send(unbound, api, { headers: await signedBy(api) })), /^verified;/, "no binding, no limit");
    }
  } finally {
    await unbound.dispose();
  }
});

test("log lines: one JSON line per decision with the record's fields, sampled by LOG_SAMPLE_RATE, never the nonce or signature", async () => {
  const url = "https://shop.example/x";
  const nonce = (await import("node:crypto")).randomBytes(64).toString("base64");
  const mix = async (mf) => {
    const signed = await signedBy(url, ED25519_PRIVATE, { nonce });
    const sent = [signed.signature, signed["signature-input"]];
    await send(mf, url, { headers: signed });
    await send(mf, url);
    await send(mf, "https://elsewhere.example/x", { headers: await signedBy(url) });
    await send(mf, url, { headers: claimedKeyid("who-knows") });
    await send(mf, "https://shop.example/checkout/a", { headers: await signedBy("https://shop.example/checkout/a", keyB.private) });
    await send(mf, url, { method: "POST", body: "secret body text", headers: await signedBy(url) });
    return sent;
  };
  const rules = JSON.stringify({ routes: [{ name: "checkout", path: "/checkout/*", mode: "enforce" }], agents: [{ name: "no-b", thumbprint: B, action: "deny" }] });

  const all = await startObserved(base({ RULES: rules }));
  try {
    const [signature, input] = await mix(all.mf);
    const lines = await all.waitForDecisions(6);
    assert.equal(lines.length, 6, "every decision at the default rate (1)");
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), ["httpseal", ...RECORD_FIELDS]);
      assert.equal(line.httpseal, "decision");
    }
    const text = all.lines.map((l) => l.message).join("\n");
    for (const secret of [nonce, signature.slice(6, 40), "secret body text"]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.ok(!text.includes(input), "no Signature-Input");
    const [v, u, i, k, d, p] = lines;
    assert.deepEqual([v.verdict, v.route, v.identifier, v.keyid, v.alg, v.tag, v.action, v.status, v.checks],
      ["verified", "default", A, A, "ed25519", "web-bot-auth", "forward", 0, 1]);
    assert.deepEqual([u.verdict, u.code, u.identifier, u.checks], ["unverified", "no_signature", null, 0]);
    assert.deepEqual([i.verdict, i.code], ["invalid", "invalid_signature"]);
    assert.deepEqual([k.verdict, k.code, k.identifier], ["unverified", "unknown_key", "who-knows"]);
    assert.deepEqual([d.verdict, d.route, d.action, d.status, d.rule, d.code], ["verified", "checkout", "deny", 403, "no-b", null]);
    assert.equal(p.verdict, "verified");
    assert.ok(lines.every((l) => Math.abs(l.time - now()) < 30 && Number.isInteger(l.ms)));
  } finally {
    await all.mf.dispose();
  }

  const half = await startObserved(base({ RULES: rules, LOG_SAMPLE_RATE: "0.5" }));
  try {
    await mix(half.mf);
    const lines = await half.waitForDecisions(3);
    assert.equal(lines.length, 3, "one decision in two");
    assert.deepEqual(lines.map((l) => l.verdict), ["unverified", "unverified", "verified"], "the 2nd, 4th and 6th");
  } finally {
    await half.mf.dispose();
  }

  const none = await startObserved(base({ LOG_SAMPLE_RATE: "0" }));
  try {
    await mix(none.mf);
    assert.equal((await none.waitForDecisions(1, 500)).length, 0);
  } finally {
    await none.mf.dispose();
  }
});

test("Analytics Engine: one data point per decision (a recording double); Miniflare's own binding accepts them", async () => {
  const rules = JSON.stringify({ routes: [{ name: "api", path: "/api/*", mode: "enforce" }] });
  const w = await startObserved(base({ RULES: rules }), { doubles: true });
  try {
    const url = "https://shop.example/api/x";
    await send(w.mf, url, { headers: await signedBy(url) });
    await send(w.mf, url);
    await send(w.mf, "https://elsewhere.example/api/x", { headers: await signedBy(url) });
    const long = "k".repeat(300);
    await send(w.mf, "https://shop.example/", { headers: claimedKeyid(long) });
    const { points, refused } = await w.points();
    assert.deepEqual(refused, [], "nothing the platform would refuse");
    assert.equal(points.length, 4);
    for (const p of points) {
      assert.equal(p.blobs.length, 10);
      assert.deepEqual(p.doubles.length, 5);
      assert.equal(p.doubles[0], 1, "double1 counts");
      assert.equal(p.indexes.length, 1);
      assert.ok(Buffer.byteLength(p.indexes[0]) <= 96);
    }
    const [v, u, i, k] = points;
    assert.deepEqual(v.blobs, ["api", "verified", "", A, A, "ed25519", "web-bot-auth", "none", "forward", ""]);
    assert.deepEqual(v.indexes, [A]);
    assert.deepEqual(u.blobs.slice(0, 4), ["api", "unverified", "no_signature", ""]);
    assert.deepEqual(u.blobs.slice(8), ["reject", ""]);
    assert.equal(u.doubles[4], 401, "double5: the status answered");
    assert.deepEqual(u.indexes, ["api"], "no identifier: the route is the index");
    assert.deepEqual(i.blobs.slice(1, 3), ["invalid", "invalid_signature"]);
    assert.equal(i.doubles[4], 403);
    assert.deepEqual(k.blobs.slice(0, 4), ["default", "unverified", "unknown_key", long]);
    assert.equal(k.indexes[0], long.slice(0, 96), "a 300-byte claimed keyid: the index is cut to 96 bytes, the point kept");
  } finally {
    await w.mf.dispose();
  }

  const real = await startObserved(base({}), { options: { analyticsEngineDatasets: { ANALYTICS: { dataset: "httpseal" } } } });
  try {
    const url = "https://shop.example/";
    assert.match(forwarded(await send(real.mf, url, { headers: await signedBy(url) })), /^verified;/);
    assert.equal((await real.waitForDecisions(1)).length, 1);
    assert.deepEqual(real.lines.filter((l) => l.level === "error"), [], "writeDataPoint did not fail");
  } finally {
    await real.mf.dispose();
  }
});
