// Support for the operator tests (rules, rate limits, logs, Analytics Engine, the
// dashboard): the Worker with its log lines captured and a recording Analytics Engine
// double, requests signed with a chosen key or a crafted keyid, and waiting for the next
// minute's first seconds (Miniflare's rate limiter counts per calendar minute).
import { createHash } from "node:crypto";
import { ROOT, startWorker } from "./helpers.mjs";

export const DOUBLES_ENTRY = ROOT + "js/edge/test/doubles-entry.mjs";

/** RFC 7638 thumbprint of an Ed25519 JWK. */
export const thumbprint = (jwk) => createHash("sha256")
  .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest("base64url");

/**
 * Starts the Worker with `vars`; `logs` receives its decision log lines (parsed), `doubles`
 * binds the recording ANALYTICS double (doubles-entry.mjs). Returns {mf, logs, lines,
 * points()} — `lines` every console line the Worker printed.
 */
export async function startObserved(vars, { doubles = false, options = {} } = {}) {
  const lines = [];
  const mf = await startWorker(vars, {
    structuredWorkerdLogs: true,
    handleStructuredLogs: ({ level, message }) => { lines.push({ level, message }); },
    ...(doubles ? { scriptPath: DOUBLES_ENTRY } : {}),
    ...options,
  });
  const decisions = () => lines
    .filter((l) => l.message.startsWith('{"httpseal":"decision"'))
    .map((l) => JSON.parse(l.message));
  return {
    mf,
    lines,
    decisions,
    /** Waits until `n` decision lines were logged (logs arrive asynchronously). */
    async waitForDecisions(n, ms = 5000) {
      const until = Date.now() + ms;
      while (decisions().length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      // A little longer, so that a line too many would show.
      await new Promise((r) => setTimeout(r, 150));
      return decisions();
    },
    async points() {
      const res = await mf.dispatchFetch("http://localhost/__doubles/analytics");
      return res.json();
    },
  };
}

/** Sends a request and reads its body; returns {status, headers, body (JSON or text)}. */
export async function send(mf, url, init = {}) {
  const res = await mf.dispatchFetch(url, { redirect: "manual", ...init });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch {}
  return { status: res.status, headers: res.headers, body };
}

/**
 * Headers of a request signed over `@authority` with a crafted `keyid` (and signature
 * bytes that cannot verify): the Worker cannot find such a key, so the verdict is
 * `unverified` and names the claimed keyid.
 */
export function claimedKeyid(keyid) {
  const now = Math.floor(Date.now() / 1000);
  return {
    "signature-input": `sig1=("@authority");created=${now};expires=${now + 60};keyid="${keyid}";alg="ed25519";tag="web-bot-auth"`,
    signature: `sig1=:${Buffer.alloc(64, 7).toString("base64")}:`,
  };
}

/** Resolves at the start of the next minute unless at least `need` seconds of this one are left. */
export async function roomInThisMinute(need = 15) {
  const left = 60 - (Date.now() / 1000) % 60;
  if (left < need) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

/** The fields of a decision record (crates/edge/src/observe.rs, DecisionRecord), in order. */
export const RECORD_FIELDS = [
  "time", "route", "verdict", "code", "rule", "identifier", "keyid", "alg", "tag",
  "directory", "action", "status", "ms", "checks", "lookups", "fetches",
];
