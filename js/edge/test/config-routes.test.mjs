// Configuration and the Worker's own routes under workerd: the shipped wrangler.toml
// parses, bad variables are a 500 problem naming the variable (on every route, never a
// crash), api mode serves public/, the directory route's status, the pass-through guard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, wranglerVars, startEchoOrigin } from "./helpers.mjs";

test("the shipped wrangler.toml [vars] are valid and are the documented defaults", async () => {
  const vars = wranglerVars();
  assert.deepEqual(Object.keys(vars).sort(), [
    "CLOCK_SKEW_SECONDS", "DEV_ALLOW_INSECURE_DIRECTORIES", "ED25519_VERIFIER", "MAX_CHECKED_BODY_BYTES", "MAX_SIGNATURE_LIFETIME_SECONDS", "MODE",
    "PROFILE", "TRUSTED_JWKS", "UPSTREAM_ORIGIN", "VERDICT_HEADER"]);
  const origin = await startEchoOrigin();
  const mf = await startWorker({ ...vars, UPSTREAM_ORIGIN: origin.url });
  try {
    const res = await mf.dispatchFetch("https://site.example/");
    assert.equal(res.status, 200, "annotate by default: forwarded");
    assert.equal((await res.json()).headers["httpseal-verdict"], 'unverified;error="no_signature"');
  } finally {
    await mf.dispose();
    origin.close();
  }
});

test("a bad variable is a 500 problem naming it, on every route", async () => {
  const cases = [
    [{ MODE: "block" }, "MODE", "annotate (default), enforce or api"],
    [{ PROFILE: "webbotauth" }, "PROFILE", "web-bot-auth (default), rfc9421, fediverse or visa-tap"],
    [{ CLOCK_SKEW_SECONDS: "1m" }, "CLOCK_SKEW_SECONDS", "whole number of seconds"],
    [{ MAX_SIGNATURE_LIFETIME_SECONDS: "-5" }, "MAX_SIGNATURE_LIFETIME_SECONDS", "whole number"],
    [{ UPSTREAM_ORIGIN: "origin.example" }, "UPSTREAM_ORIGIN", "not a URL"],
    [{ VERDICT_HEADER: "Signature" }, "VERDICT_HEADER", "verification or HTTP itself uses"],
    [{ DEV_ALLOW_INSECURE_DIRECTORIES: "maybe" }, "DEV_ALLOW_INSECURE_DIRECTORIES", "true or false"],
    [{ ED25519_VERIFIER: "native" }, "ED25519_VERIFIER", "webcrypto (default) or wasm"],
    [{ MAX_CHECKED_BODY_BYTES: "9000000" }, "MAX_CHECKED_BODY_BYTES", "whole number of bytes"],
    [{ TRUSTED_JWKS: "{not json" }, "TRUSTED_JWKS", "not a JWK Set"],
    [{ OPERATOR_PRIVATE_JWKS: '{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}' },
      "OPERATOR_PRIVATE_JWKS", "must be private"],
    [{ RULES: '{"routes":[{"path":"/checkout/*","mode":"block"}]}' }, "RULES", "routes[0]: mode \"block\" is not a mode"],
    [{ RULES: '{"agents":[{"identifier":"https://a.example","action":"allow","policy":{"maxAge":"soon"}}]}' }, "RULES", "agents[0]: policy"],
    [{ LOG_SAMPLE_RATE: "10%" }, "LOG_SAMPLE_RATE", "between 0 and 1"],
    [{ DASHBOARD_TOKEN: "short" }, "DASHBOARD_TOKEN", "shorter than 16"],
    [{ ANALYTICS_ACCOUNT_ID: "abc" }, "ANALYTICS_API_TOKEN", "set both"],
  ];
  for (const [vars, name, says] of cases) {
    const mf = await startWorker(vars);
    try {
      for (const [path, init] of [["/", {}], ["/verify", { method: "POST", body: "{}" }],
        ["/.well-known/http-message-signatures-directory", {}]]) {
        const res = await mf.dispatchFetch(`https://site.example${path}`, init);
        assert.equal(res.status, 500, `${name} ${path}`);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
        const p = await res.json();
        assert.equal(p.code, "invalid_configuration");
        assert.ok(p.detail.startsWith(`${name}: `), p.detail);
        assert.ok(p.detail.includes(says), p.detail);
      }
    } finally {
      await mf.dispose();
    }
  }
});

test("variables given as TOML numbers, booleans and tables are read too", async () => {
  const mf = await startWorker({
    MODE: "enforce", CLOCK_SKEW_SECONDS: 5, DEV_ALLOW_INSECURE_DIRECTORIES: true,
    TRUSTED_JWKS: { keys: [{ kty: "OKP", crv: "Ed25519", x: "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs" }] },
    UPSTREAM_ORIGIN: "assets",
  });
  try {
    const res = await mf.dispatchFetch("https://site.example/");
    assert.equal(res.status, 401, "configuration accepted; enforce mode active");
    await res.arrayBuffer();
  } finally {
    await mf.dispose();
  }
});

test("api mode: the playground at /, worker.html, its browser build, 404 elsewhere, no gateway", async () => {
  const mf = await startWorker({ MODE: "api" });
  try {
    const page = await mf.dispatchFetch("https://verifier.example/");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /text\/html/);
    assert.match(await page.text(), /httpseal signing playground/);
    const about = await mf.dispatchFetch("https://verifier.example/worker.html");
    assert.equal(about.status, 200);
    const html = await about.text();
    assert.match(html, /httpseal edge verifier/);
    assert.match(html, /\/verify/);
    const wasm = await mf.dispatchFetch("https://verifier.example/vendor/httpseal/api.mjs");
    assert.equal(wasm.status, 200, "the playground's copy of the npm package is served");
    await wasm.arrayBuffer();
    const missing = await mf.dispatchFetch("https://verifier.example/nothing-here");
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  } finally {
    await mf.dispose();
  }
});

test("the directory route: 404 without operator keys, 405 for other methods", async () => {
  const mf = await startWorker({ MODE: "api" });
  try {
    const res = await mf.dispatchFetch("https://agent.example/.well-known/http-message-signatures-directory");
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const p = await res.json();
    assert.equal(p.code, "no_directory");
    assert.match(p.detail, /OPERATOR_PRIVATE_JWKS/);
    const post = await mf.dispatchFetch("https://agent.example/.well-known/http-message-signatures-directory", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.arrayBuffer();
  } finally {
    await mf.dispose();
  }
});

test("the directory route serves the operator's signed directory, which verifies", async () => {
  const { ED25519_PRIVATE, ED25519_PUBLIC, ED25519_THUMBPRINT, postVerify } = await import("./helpers.mjs");
  const mf = await startWorker({ MODE: "annotate", OPERATOR_PRIVATE_JWKS: JSON.stringify({ keys: [ED25519_PRIVATE] }) });
  try {
    const url = "https://agent.example/.well-known/http-message-signatures-directory";
    const res = await mf.dispatchFetch(url);
    assert.equal(res.status, 200, "served in every mode, before the gateway");
    assert.equal(res.headers.get("content-type"), "application/http-message-signatures-directory+json");
    assert.equal(res.headers.get("cache-control"), "public, max-age=3600");
    const body = await res.text();
    const dir = JSON.parse(body);
    assert.deepEqual(dir.keys.map((k) => [k.kid, k.x, k.d]), [[ED25519_THUMBPRINT, ED25519_PUBLIC.x, undefined]], "public halves only");
    const headers = [...res.headers].filter(([n]) => /^(content-type|content-digest|signature|signature-input)$/.test(n));
    assert.match(res.headers.get("signature-input"), /tag="http-message-signatures-directory"/);
    const now = Math.floor(Date.now() / 1000);
    const [, verdict] = await postVerify(mf, {
      status: 200, headers, body, request: { method: "GET", url, headers: [] },
      profile: "rfc9421", jwks: { keys: [ED25519_PUBLIC] }, policy: { tag: "http-message-signatures-directory" },
    });
    assert.equal(verdict.verdict, "verified", JSON.stringify(verdict.error));
    assert.ok(verdict.expires - verdict.created === 86400 && Math.abs(verdict.created - now) < 5);

    const again = await mf.dispatchFetch(url);
    assert.equal(await again.text(), body, "the signed response is reused");
    const head = await mf.dispatchFetch(url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    assert.equal(head.headers.get("signature"), res.headers.get("signature"));
  } finally {
    await mf.dispose();
  }
});

test("pass-through on a loopback address explains itself instead of looping", async () => {
  const mf = await startWorker({});
  try {
    const res = await mf.dispatchFetch("http://localhost:8787/page");
    assert.equal(res.status, 502);
    const p = await res.json();
    assert.equal(p.code, "no_upstream");
    assert.match(p.detail, /UPSTREAM_ORIGIN/);
  } finally {
    await mf.dispose();
  }
});

test("upstream = assets: the gateway forwards to the static site (what make dev runs)", async () => {
  const mf = await startWorker({ UPSTREAM_ORIGIN: "assets" });
  try {
    const res = await mf.dispatchFetch("http://localhost:8787/");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /httpseal signing playground/);
  } finally {
    await mf.dispose();
  }
});
