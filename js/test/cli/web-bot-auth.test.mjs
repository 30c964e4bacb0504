// The native `httpseal` CLI against Cloudflare's web-bot-auth@0.1.3, both directions:
// it signs, the Rust core verifies; the Rust core signs, it verifies. (The npm package's
// own interop tests run the same core compiled to wasm.)
//
//   make test-interop        (builds target/debug/httpseal with cargo build -p httpseal-cli first)

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { signatureHeaders, verify as wbaVerify } from "web-bot-auth";
import { signerFromJWK, verifierFromJWK } from "web-bot-auth/crypto";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const BIN = process.env.HTTPSEAL_BIN ?? join(root, "target", "debug", "httpseal");
const dir = mkdtempSync(join(tmpdir(), "httpseal-interop-"));
const URL_ = "https://example.com/path/to/resource?x=1";

/** Runs the CLI; returns { code, stdout }. */
function cli(args) {
  try {
    return { code: 0, stdout: execFileSync(BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    return { code: e.status, stdout: e.stdout ?? "" };
  }
}

const write = (name, value) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

const ed25519Jwk = () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ format: "jwk" });
};
const rsaPssJwk = JSON.parse(readFileSync(join(root, "tests/vectors/webbotauth/web_bot_auth_architecture_v2.json"), "utf8")).find(
  (e) => e.key.kty === "RSA",
).key;

for (const [name, makeKey] of [
  ["ed25519", ed25519Jwk],
  ["rsa-pss-sha512", () => rsaPssJwk],
]) {
  test(`${name}: web-bot-auth signs, the httpseal CLI verifies`, async () => {
    const jwk = makeKey();
    const now = Date.now();
    const request = new Request(URL_, { headers: { "user-agent": "interop/1" } });
    const headers = await signatureHeaders(request, await signerFromJWK(jwk), { created: new Date(now), expires: new Date(now + 60_000) });
    const { d, p, q, dp, dq, qi, ...pub } = jwk;
    const jwks = write(`${name}-pub.json`, { keys: [pub] });
    const signed = write(`${name}-signed.json`, { method: "GET", url: URL_, headers: Object.entries(headers) });
    // The RSA-PSS key is RFC 9421's published B.1.2, which verifiers refuse unless told this is a test.
    const testKeys = name === "rsa-pss-sha512" ? ["--allow-test-keys"] : [];
    const ok = cli(["verify", "--request", signed, "--jwks", jwks, "--profile", "web-bot-auth", "--compact", ...testKeys]);
    assert.equal(ok.code, 0, ok.stdout);
    const verdict = JSON.parse(ok.stdout);
    assert.equal(verdict.tag, "web-bot-auth");
    assert.equal(verdict.alg, name);
    // The same headers on another authority: invalid, exit 1.
    const moved = write(`${name}-moved.json`, { method: "GET", url: URL_.replace("example.com", "example.org"), headers: Object.entries(headers) });
    const bad = cli(["verify", "--request", moved, "--jwks", jwks, "--profile", "web-bot-auth", "--compact", ...testKeys]);
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, "invalid_signature");
  });

  test(`${name}: the httpseal CLI signs, web-bot-auth verifies`, async () => {
    const jwk = makeKey();
    const key = write(`${name}-key.json`, jwk);
    // web-bot-auth@0.1.3 sends the legacy sf-string Signature-Agent and cannot check the
    // Dictionary form's key= parameter, so the agent is given in that form here.
    const agent = '"https://agent.example"';
    const unsigned = write(`${name}-req.json`, { method: "GET", url: URL_, headers: [["Signature-Agent", agent]] });
    const out = cli(["sign", "--key", key, "--request", unsigned, "--profile", "web-bot-auth", "--components", "@authority signature-agent"]);
    assert.equal(out.code, 0, out.stdout);
    const headers = { "Signature-Agent": agent };
    for (const line of out.stdout.trim().split("\n")) {
      const at = line.indexOf(": ");
      headers[line.slice(0, at)] = line.slice(at + 2);
    }
    assert.match(headers["Signature-Input"], /tag="web-bot-auth"/);
    const { d, p, q, dp, dq, qi, ...pub } = jwk;
    const verifier = await verifierFromJWK(pub);
    await wbaVerify(new Request(URL_, { headers }), verifier);
    await assert.rejects(wbaVerify(new Request(URL_.replace("example.com", "example.org"), { headers }), verifier));
  });
}
