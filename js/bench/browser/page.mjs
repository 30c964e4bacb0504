// The browser side of js/bench/browser.mjs: httpseal (web build; WebCrypto and wasm only)
// and web-bot-auth@0.1.3 (bundled for the page by esbuild) sign and verify the same Web Bot
// Auth request shape, interleaved over rounds. Results go to window.__bench.

import * as httpseal from "/pkg/dist/full/web/index.js";
import { signatureHeaders, verify as wbaVerify, signerFromJWK, verifierFromJWK } from "/bench-wba.js";
import { measure as measureFor, warm } from "/js/bench/measure.mjs";

const params = new URLSearchParams(location.search);
const SECONDS = Number(params.get("seconds") ?? 0.4);
const ROUNDS = Number(params.get("rounds") ?? 7);
const measure = (fn) => measureFor(fn, SECONDS);

const REQUEST = { method: "GET", url: "https://example.com/path/to/resource?page=2", headers: { accept: "text/html", "user-agent": "bench-agent/1.0" } };
const withHeaders = (added) => ({ ...REQUEST, headers: { ...REQUEST.headers, ...added } });

async function run() {
  const jwk = httpseal.generateKeyPair("ed25519");
  const pub = httpseal.publicJwk(jwk);
  const verifyOptions = { jwks: [pub], profile: "web-bot-auth" };
  const ours = (primitive) => ({
    before: () => httpseal.useWebCrypto(primitive),
    sign: () => httpseal.signRequest(REQUEST, jwk, { profile: "web-bot-auth" }),
    input: async () => withHeaders(await httpseal.signRequest(REQUEST, jwk, { profile: "web-bot-auth" })),
    verify: async (signed) => {
      const v = await httpseal.verifyRequest(signed, verifyOptions);
      if (v.verdict !== "verified") throw new Error(JSON.stringify(v.error));
    },
  });
  const signer = await signerFromJWK(jwk);
  const verifier = await verifierFromJWK(pub);
  const wbaSign = () => {
    const now = Date.now();
    return signatureHeaders(new Request(REQUEST.url, { headers: REQUEST.headers }), signer, { created: new Date(now), expires: new Date(now + 60_000) });
  };
  const cases = [
    ["httpseal (WebCrypto)", ours(true)],
    ["httpseal (wasm only)", ours(false)],
    ["web-bot-auth@0.1.3", {
      sign: wbaSign,
      input: async () => new Request(REQUEST.url, { headers: { ...REQUEST.headers, ...(await wbaSign()) } }),
      verify: (signed) => wbaVerify(signed, verifier),
    }],
  ];
  const inputs = [];
  for (const [, c] of cases) {
    c.before?.();
    const input = await c.input();
    await c.verify(input);
    await warm(c.sign);
    await warm(() => c.verify(input));
    inputs.push(input);
  }
  const runs = cases.map(() => ({ sign: [], verify: [] }));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [, c]] of cases.entries()) {
      c.before?.();
      runs[i].sign.push(await measure(c.sign));
      runs[i].verify.push(await measure(() => c.verify(inputs[i])));
    }
  }
  return { userAgent: navigator.userAgent, names: cases.map(([n]) => n), runs };
}

run().then(
  (result) => (window.__bench = result),
  (err) => (window.__bench = { error: String(err?.stack ?? err) }),
);
