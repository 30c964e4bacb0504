// Sign and verify throughput in Node: httpseal (full and Ed25519-only builds, each with its
// WebCrypto fast path and with the wasm primitives only) against web-bot-auth@0.1.3
// (WebCrypto) and http-message-signatures@1.0.6 (node:crypto). Same process, same request,
// comparable signatures (Web Bot Auth shape: @authority, created, expires, keyid, alg,
// nonce, tag), one operation at a time (await each).
//
//   make bench-npm            or   node js/bench/bench.mjs   (BENCH_SECONDS=1.5 per case)

import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createSigner, createVerifier, httpbis } from "http-message-signatures";
import { signatureHeaders, verify as wbaVerify } from "web-bot-auth";
import { signerFromJWK, verifierFromJWK } from "web-bot-auth/crypto";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const full = await import(join(root, "pkg", "dist", "full", "node", "index.mjs"));
const small = await import(join(root, "pkg", "dist", "ed25519", "node", "index.mjs"));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);

const REQUEST = {
  method: "GET",
  url: "https://example.com/path/to/resource?page=2",
  headers: { accept: "text/html", "user-agent": "bench-agent/1.0" },
};
const withHeaders = (added) => ({ ...REQUEST, headers: { ...REQUEST.headers, ...added } });
const nonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(64))).toString("base64");
const rsaPssJwk = JSON.parse(
  (await import("node:fs")).readFileSync(join(root, "tests/vectors/webbotauth/web_bot_auth_architecture_v2.json"), "utf8"),
).find((e) => e.key.kty === "RSA").key;

async function measure(fn) {
  // Warm up until the JIT and the wasm tiers have settled.
  const warm = performance.now() + 500;
  while (performance.now() < warm) await fn();
  let n = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
  }
  return (n * 1000) / (performance.now() - start);
}

/** The three implementations, each prepared for one key (a private JWK). */
async function contenders(alg, jwk) {
  const pub = full.publicJwk(jwk);
  const kid = full.jwkThumbprint(jwk);
  const ours = (lib, webCrypto) => {
    const sign = () => lib.signRequest(REQUEST, jwk, { profile: "web-bot-auth" });
    return {
      before: () => lib.useWebCrypto(webCrypto),
      sign,
      verifyInput: async () => withHeaders(await sign()),
      verify: async (signed) => {
        // The RSA-PSS key is RFC 9421's published B.1.2, refused unless allowTestKeys.
        const v = await lib.verifyRequest(signed, { jwks: [pub], profile: "web-bot-auth", policy: { allowTestKeys: true } });
        if (v.verdict !== "verified") throw new Error(JSON.stringify(v.error));
      },
    };
  };
  const wbaSigner = await signerFromJWK(jwk);
  const wbaVerifier = await verifierFromJWK(pub);
  const wbaSign = () => {
    const now = Date.now();
    return signatureHeaders(REQUEST, wbaSigner, { created: new Date(now), expires: new Date(now + 60_000) });
  };
  const nodeAlg = alg;
  const privateKey = createPrivateKey({ key: jwk, format: "jwk" });
  const publicKey = createPublicKey({ key: pub, format: "jwk" });
  const hmsSign = () =>
    httpbis.signMessage(
      {
        key: createSigner(privateKey, nodeAlg, kid),
        fields: ["@authority"],
        name: "sig1",
        params: ["created", "keyid", "alg", "expires", "nonce", "tag"],
        paramValues: { expires: new Date(Date.now() + 60_000), nonce: nonce(), tag: "web-bot-auth" },
      },
      REQUEST,
    );
  const hmsVerifier = createVerifier(publicKey, nodeAlg);
  const list = [
    ["httpseal (WebCrypto)", ours(full, true)],
    ["httpseal (wasm only)", ours(full, false)],
  ];
  if (alg === "ed25519") {
    list.push(["httpseal/ed25519 (WebCrypto)", ours(small, true)], ["httpseal/ed25519 (wasm only, size-optimised)", ours(small, false)]);
  }
  list.push(
    [
      "web-bot-auth@0.1.3",
      {
        sign: wbaSign,
        verifyInput: async () => withHeaders(await wbaSign()),
        verify: (signed) => wbaVerify(signed, wbaVerifier),
      },
    ],
    [
      "http-message-signatures@1.0.6",
      {
        sign: hmsSign,
        verifyInput: hmsSign,
        verify: async (signed) => {
          const ok = await httpbis.verifyMessage({ keyLookup: async () => ({ id: kid, algs: [nodeAlg], verify: hmsVerifier }) }, signed);
          if (!ok) throw new Error("not verified");
        },
      },
    ],
  );
  return list;
}

const rows = [];
for (const [alg, jwk] of [
  ["ed25519", full.generateKeyPair("ed25519")],
  ["rsa-pss-sha512", rsaPssJwk],
]) {
  for (const [name, impl] of await contenders(alg, jwk)) {
    impl.before?.();
    const signed = await impl.verifyInput();
    await impl.verify(signed); // each verifies its own signature, and must succeed
    const sign = await measure(impl.sign);
    const verify = await measure(() => impl.verify(signed));
    rows.push({ alg, implementation: name, signPerSecond: Math.round(sign), verifyPerSecond: Math.round(verify) });
    console.error(`${alg.padEnd(15)} ${name.padEnd(46)} sign ${Math.round(sign).toString().padStart(7)}/s  verify ${Math.round(verify).toString().padStart(7)}/s`);
  }
}

const load = loadavg().map((l) => l.toFixed(2)).join(" ");
const table = [
  `Node ${process.version}, ${SECONDS} s per case, one operation at a time, load average at the end ${load}`,
  "",
  "| algorithm | implementation | sign ops/s | verify ops/s |",
  "| --- | --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.alg} | ${r.implementation} | ${r.signPerSecond} | ${r.verifyPerSecond} |`),
].join("\n");
console.log(table);
mkdirSync(join(root, "build", "npm"), { recursive: true });
writeFileSync(join(root, "build", "npm", "bench.json"), `${JSON.stringify({ node: process.version, seconds: SECONDS, loadAverage: load, rows }, null, 2)}\n`);
