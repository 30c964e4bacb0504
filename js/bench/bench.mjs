// Sign and verify throughput in Node: httpseal (full and Ed25519-only builds; node:crypto, the
// Node entry's default, async and sync; WebCrypto; the wasm primitives only) against
// web-bot-auth@0.1.3 (WebCrypto) and http-message-signatures@1.0.6 (node:crypto), and the floor:
// bare node:crypto sign/verify of the same signature base. Same process, same request,
// comparable signatures (Web Bot Auth shape: @authority, created, expires, keyid, alg, nonce,
// tag), one operation at a time (await each). The cases are interleaved over BENCH_ROUNDS
// rounds; the table gives each one's median ops/s with the spread (min-max), and ratios taken
// per round, then their median, so a busy machine moves every case of a round together.
//
//   make bench-npm    or   node js/bench/bench.mjs   (BENCH_SECONDS=0.4 per case per round, BENCH_ROUNDS=7)

import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, constants } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createSigner, createVerifier, httpbis } from "http-message-signatures";
import { signatureHeaders, verify as wbaVerify } from "web-bot-auth";
import { signerFromJWK, verifierFromJWK } from "web-bot-auth/crypto";
import { measure as measureFor, median, warm } from "./measure.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const full = await import(join(root, "pkg", "dist", "full", "node", "index.mjs"));
const small = await import(join(root, "pkg", "dist", "ed25519", "node", "index.mjs"));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const measure = (fn) => measureFor(fn, SECONDS);
const { createApi } = await import(join(root, "pkg", "api.mjs"));
const requireCjs = (await import("node:module")).createRequire(import.meta.url);
// The same wasm as `full`, with WebCrypto as the primitive (what browsers and workerd use).
const fullWebCrypto = createApi(requireCjs(join(root, "pkg", "dist", "full", "node", "httpseal.cjs")), crypto.subtle);

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

/** The three implementations, each prepared for one key (a private JWK). */
async function contenders(alg, jwk) {
  const pub = full.publicJwk(jwk);
  const kid = full.jwkThumbprint(jwk);
  // The RSA-PSS key is RFC 9421's published B.1.2, refused unless allowTestKeys.
  const verifyOptions = { jwks: [pub], profile: "web-bot-auth", policy: { allowTestKeys: true } };
  const ours = (lib, primitive) => {
    const sign = () => lib.signRequest(REQUEST, jwk, { profile: "web-bot-auth" });
    return {
      before: () => lib.useWebCrypto(primitive),
      sign,
      verifyInput: async () => withHeaders(await sign()),
      verify: async (signed) => {
        const v = await lib.verifyRequest(signed, verifyOptions);
        if (v.verdict !== "verified") throw new Error(JSON.stringify(v.error));
      },
    };
  };
  const oursSync = (lib) => ({
    before: () => lib.useWebCrypto(true),
    sign: () => lib.signRequestSync(REQUEST, jwk, { profile: "web-bot-auth" }),
    verifyInput: () => withHeaders(lib.signRequestSync(REQUEST, jwk, { profile: "web-bot-auth" })),
    verify: (signed) => {
      const v = lib.verifyRequestSync(signed, verifyOptions);
      if (v.verdict !== "verified") throw new Error(JSON.stringify(v.error));
    },
  });
  // The floor: node:crypto alone, over the signature base httpseal signs (no parsing, no base).
  const floorSigned = withHeaders(full.signRequestSync(REQUEST, jwk, { profile: "web-bot-auth" }));
  const floorBase = Buffer.from(full.signatureBase(floorSigned, { label: "sig1" }));
  const floorKey = alg === "ed25519" ? {} : { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 };
  const floorDigest = alg === "ed25519" ? null : "sha512";
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
  const floorPrivate = { key: privateKey, ...floorKey };
  const floorPublic = { key: publicKey, ...floorKey };
  const floorSignature = nodeSign(floorDigest, floorBase, floorPrivate);
  const list = [
    ["httpseal (node:crypto)", ours(full, true)],
    ["httpseal sync (node:crypto)", oursSync(full)],
    ["httpseal (WebCrypto)", ours(fullWebCrypto, true)],
    ["httpseal (wasm only)", ours(full, false)],
  ];
  if (alg === "ed25519") {
    list.push(["httpseal/ed25519 (node:crypto)", ours(small, true)], ["httpseal/ed25519 (wasm only, size-optimised)", ours(small, false)]);
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
    [
      FLOOR,
      {
        sign: () => nodeSign(floorDigest, floorBase, floorPrivate),
        verifyInput: () => floorSignature,
        verify: (signature) => {
          if (!nodeVerify(floorDigest, floorBase, floorPublic, signature)) throw new Error("not verified");
        },
      },
    ],
  );
  return list;
}

const FLOOR = "node:crypto sign/verify only (the floor)";
const HMS = "http-message-signatures@1.0.6";
const WBA = "web-bot-auth@0.1.3";

const rows = [];
const ratios = [];
for (const [alg, jwk] of [
  ["ed25519", full.generateKeyPair("ed25519")],
  ["rsa-pss-sha512", rsaPssJwk],
]) {
  const cases = await contenders(alg, jwk);
  const inputs = [];
  for (const [, impl] of cases) {
    impl.before?.();
    const signed = await impl.verifyInput();
    await impl.verify(signed); // each verifies its own signature, and must succeed
    await warm(impl.sign);
    await warm(() => impl.verify(signed));
    inputs.push(signed);
  }
  /** name → {sign: [ops/s per round], verify: [...]} */
  const runs = new Map(cases.map(([name]) => [name, { sign: [], verify: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [name, impl]] of cases.entries()) {
      impl.before?.();
      runs.get(name).sign.push(await measure(impl.sign));
      runs.get(name).verify.push(await measure(() => impl.verify(inputs[i])));
    }
  }
  for (const [name, { sign, verify }] of runs) {
    const row = { alg, implementation: name, sign: Math.round(median(sign)), signMin: Math.round(Math.min(...sign)), signMax: Math.round(Math.max(...sign)), verify: Math.round(median(verify)), verifyMin: Math.round(Math.min(...verify)), verifyMax: Math.round(Math.max(...verify)) };
    rows.push(row);
    console.error(`${alg.padEnd(15)} ${name.padEnd(46)} sign ${String(row.sign).padStart(7)}/s  verify ${String(row.verify).padStart(7)}/s`);
  }
  // Per-round ratios of httpseal's node:crypto paths to each peer and to the floor.
  const perRound = (a, b, op) => median(runs.get(a)[op].map((x, r) => x / runs.get(b)[op][r]));
  for (const ours of ["httpseal (node:crypto)", "httpseal sync (node:crypto)"]) {
    for (const op of ["sign", "verify"]) {
      ratios.push({ alg, ours, op, vsHms: perRound(ours, HMS, op), vsWba: perRound(ours, WBA, op), timeVsFloor: perRound(FLOOR, ours, op) });
    }
  }
}

const spread = (median, min, max) => `${median} (${min}-${max})`;
const load = loadavg().map((l) => l.toFixed(2)).join(" ");
const table = [
  `Node ${process.version}, ${ROUNDS} interleaved rounds of ${SECONDS} s per case, one operation at a time, load average at the end ${load}`,
  "",
  "| algorithm | implementation | sign ops/s, median (min-max) | verify ops/s, median (min-max) |",
  "| --- | --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.alg} | ${r.implementation} | ${spread(r.sign, r.signMin, r.signMax)} | ${spread(r.verify, r.verifyMin, r.verifyMax)} |`),
  "",
  "Ratios (median of per-round ratios): ops/s against each peer (target ≥ 1.0× http-message-signatures, ≥ 1.5× web-bot-auth), and time against bare node:crypto (target ≤ 1.15×).",
  "",
  "| algorithm | httpseal | op | × http-message-signatures | × web-bot-auth | time × node:crypto |",
  "| --- | --- | --- | ---: | ---: | ---: |",
  ...ratios.map((r) => `| ${r.alg} | ${r.ours} | ${r.op} | ${r.vsHms.toFixed(2)} | ${r.vsWba.toFixed(2)} | ${r.timeVsFloor.toFixed(2)} |`),
].join("\n");
console.log(table);
mkdirSync(join(root, "build", "npm"), { recursive: true });
writeFileSync(join(root, "build", "npm", "bench.json"), `${JSON.stringify({ node: process.version, seconds: SECONDS, rounds: ROUNDS, loadAverage: load, rows, ratios }, null, 2)}\n`);
