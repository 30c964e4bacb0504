// Signed requests for the benchmarks: N distinct Web Bot Auth signatures (distinct nonces,
// so replay protection never trips) over one authority, written as a wrk Lua script that
// sends them in turn and stops each thread after its share.
import { writeFileSync } from "node:fs";
import { signRequest, ED25519_PUBLIC } from "../test/helpers.mjs";

export const TRUSTED_JWKS = JSON.stringify({ keys: [ED25519_PUBLIC] });

/** The agent the directory rows name; the bench origin Worker serves its directory. */
export const AGENT = "https://agent.bench";
/** The agent's key directory (unsigned: directory signatures are checked only on a fetch). */
export const DIRECTORY = JSON.stringify({ keys: [ED25519_PUBLIC] });

/**
 * `count` signed header sets for `origin` + `path`, valid for an hour; with `agent`, the
 * requests name it in Signature-Agent (covered), as Web Bot Auth agents do.
 */
export async function signedRequests(origin, path, count, agent) {
  const now = Math.floor(Date.now() / 1000);
  const headers = agent ? { "signature-agent": `"${agent}"` } : {};
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(await signRequest(origin + path, { created: now, expires: now + 3600, headers }));
  }
  return out;
}

const lua = (s) => JSON.stringify(s); // JSON strings of printable ASCII are valid Lua strings

/**
 * Writes a wrk script: requests in turn, per-thread response and non-200 counts, each
 * thread stopping after `perThread` responses (so the total is exact), a summary in done().
 * With `perThread`, thread k sends headerSets[k*stride ..] where stride = headerSets.length
 * / threads: give each thread `perThread` + its connections of them, so requests still in
 * flight when a thread stops never reuse another thread's nonces.
 */
export function writeWrkScript(file, path, headerSets, perThread, threads = 1) {
  const stride = Math.floor(headerSets.length / threads);
  const sets = headerSets.map((h) => `{${Object.entries(h).map(([k, v]) => `[${lua(k)}]=${lua(v)}`).join(",")}}`);
  writeFileSync(file, `
local sets = {${sets.join(",\n")}}
local requests = {}
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  -- Formatted here, not at load time: wrk sets the Host header only once the URL is known.
  for k, h in ipairs(sets) do requests[k] = wrk.format("GET", ${lua(path)}, h) end
  i = id * ${stride}
  responses = 0
  errors = 0
end
function request()
  i = i + 1
  return requests[(i % #requests) + 1] -- thread ranges are disjoint (see stride)
end
function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    errors = errors + 1
    if errors <= 3 then io.write(string.format("non-200: %d %s\\n", status, body:sub(1, 200))) end
  end
  if ${perThread} > 0 and responses >= ${perThread} then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local r, e = 0, 0
  for _, t in ipairs(threads) do r = r + t:get("responses"); e = e + t:get("errors") end
  io.write(string.format("RESULT responses=%d non200=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f\\n",
    r, e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`);
}
