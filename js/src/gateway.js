// The gateway driver behind `httpseal/edge` (a JavaScript Worker, Hono, fetch-style servers)
// and `httpseal/node` (Node's http, Express): one incoming request → the core's verifier job
// → the core's answer. Every decision is the wasm `Gateway`'s (crates/npm/src/gateway.rs):
// which route and rules apply, what the job fetches, keeps and checks, what `enforce`
// answers (status, challenge, Retry-After, problem body), the verdict header's value. This
// layer moves bytes: it hands the request over, answers the job's steps (directories through
// memory, the caller's KV and the network, one fetch per URL at a time; the body when a
// signature covers Content-Digest; the nonce), and gives back what the core said.

import { codedError } from "./errors.js";
import { FETCH_BUSY, describe } from "./fetch.js";
import { createRefresher, drive, fetchShared, sharedStore } from "./verify.js";
import { createNodeCrypto } from "./nodecrypto.js";
import { createWebCrypto } from "./webcrypto.js";

/** The options the core reads (crates/npm/src/gateway.rs, GatewayJson). */
const CORE_OPTIONS = ["mode", "profile", "policy", "rules", "verdictHeader", "trustedJwks", "jwksUrl", "allowHttp", "maxCheckedBodyBytes"];

/** Where a verdict keeps the answer `enforce` would give (`rejection(verdict)`); shared by both entries. */
export const REJECTION = Symbol.for("httpseal.rejection");

/** `VerifyTask.bodyFailed` kinds (crates/npm/src/verify.rs). */
export const BODY_UNREADABLE = 0;
export const BODY_TOO_LARGE = 1;

/** `VerifyTask.answerNonce` kinds. */
const NONCE_NEW = 0;
const NONCE_SEEN = 1;
const NONCE_UNAVAILABLE = 2;

const BUSY = { failure: FETCH_BUSY, number: 0, detail: "" };

/** How many KV writes per store are remembered, so one record is written once per isolate. */
const WRITTEN_ENTRIES = 256;

export const configError = (message) => codedError("invalid_configuration", message);

const isStore = (x) => x !== null && typeof x === "object" && typeof x.get === "function" && (typeof x.put === "function" || typeof x.set === "function");

/**
 * Per wasm instance: the platform primitive's imported keys (node:crypto when the Node entries
 * give it, else WebCrypto), the background refreshes, what KV was sent.
 */
const instances = new WeakMap();
function instance(core, nodeCrypto) {
  let state = instances.get(core);
  if (state === undefined) {
    const webCrypto = nodeCrypto ? createNodeCrypto(nodeCrypto) : createWebCrypto(core, globalThis.crypto?.subtle);
    state = { webCrypto, refresh: createRefresher(), written: new WeakMap() };
    instances.set(core, state);
  }
  return state;
}

/**
 * The caller's directory store, with its writes made at most once per record (several
 * requests that waited for one fetch each keep the same record: KV gets it once).
 */
function onceStore(state, cache) {
  const store = sharedStore(cache);
  let written = state.written.get(cache);
  if (written === undefined) state.written.set(cache, (written = new Map()));
  return {
    get: store.get,
    put(key, text, ttl, url) {
      if (written.get(key) === text) return undefined;
      written.delete(key);
      written.set(key, text);
      if (written.size > WRITTEN_ENTRIES) written.delete(written.keys().next().value);
      return store.put(key, text, ttl, url);
    },
  };
}

/**
 * A replay store: a KV namespace (best effort, as the Worker's NONCES: read, then write with
 * the core's expirationTtl), any `{get, put | set}`, or a function `(key, {ttl, until}) =>
 * "new" | "seen"` (a Durable Object, a database). Failures are reported, never read as "new".
 */
function nonceAnswers(nonces) {
  if (typeof nonces === "function") {
    return async (key, ttl, until) => {
      try {
        const answer = await nonces(key, { ttl, until });
        if (answer === "new") return [NONCE_NEW];
        if (answer === "seen") return [NONCE_SEEN];
        return [NONCE_UNAVAILABLE, `the replay store answered ${JSON.stringify(answer)}, not "new" or "seen"`];
      } catch (err) {
        return [NONCE_UNAVAILABLE, `the replay store failed: ${describe(err)}`];
      }
    };
  }
  return async (key, ttl) => {
    let seen;
    try {
      seen = await nonces.get(key);
    } catch (err) {
      return [NONCE_UNAVAILABLE, `the replay store could not be read: ${describe(err)}`];
    }
    if (seen !== null && seen !== undefined) return [NONCE_SEEN];
    try {
      await (typeof nonces.put === "function" ? nonces.put(key, "1", { expirationTtl: ttl }) : nonces.set(key, "1"));
      return [NONCE_NEW];
    } catch (err) {
      return [NONCE_UNAVAILABLE, `the replay store refused the write: ${describe(err)}`];
    }
  };
}

const text = (value, name) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw configError(`${name} must be a string`);
  return value;
};
const json = (value, name) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value !== "object") throw configError(`${name} must be an object or its JSON text`);
  return JSON.stringify(value);
};

/** The wasm Gateway for the core's options; every value is checked by the core. */
function newGateway(core, o) {
  if (o.allowHttp !== undefined && typeof o.allowHttp !== "boolean") throw configError("allowHttp must be a boolean");
  if (o.maxCheckedBodyBytes !== undefined && typeof o.maxCheckedBodyBytes !== "number") throw configError("maxCheckedBodyBytes must be a number of bytes");
  return new core.Gateway(
    text(o.mode, "mode"),
    text(o.profile, "profile"),
    json(o.policy, "policy"),
    json(o.rules, "rules"),
    text(o.verdictHeader, "verdictHeader"),
    json(o.trustedJwks, "trustedJwks"),
    text(o.jwksUrl, "jwksUrl"),
    o.allowHttp === true,
    o.maxCheckedBodyBytes,
  );
}

/**
 * `createGateway(options, io)`: reads `options` once — the core's (mode, profile, policy,
 * rules, verdictHeader, trustedJwks, jwksUrl, allowHttp, maxCheckedBodyBytes) go to the wasm
 * `Gateway`, which throws `invalid_configuration` naming what is wrong; `io` names the
 * adapter's own options (its stores, `fetch`), returned as `io` for it to resolve.
 */
export function gatewayFactory(core, nodeCrypto = undefined) {
  const state = instance(core, nodeCrypto);
  return function createGateway(options, ioNames) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw configError("the options are an object: {mode, profile, policy, rules, verdictHeader, trustedJwks, ...}");
    }
    const coreOptions = {};
    const io = {};
    for (const [name, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (CORE_OPTIONS.includes(name)) coreOptions[name] = value;
      else if (ioNames.includes(name)) io[name] = value;
      else throw configError(`unknown option ${JSON.stringify(name)} (${[...CORE_OPTIONS, ...ioNames].join(", ")})`);
    }
    if (io.fetch !== undefined && typeof io.fetch !== "function") throw configError("fetch must be a function");
    if (io.nonces !== undefined && typeof io.nonces !== "function" && typeof io.nonces !== "string" && !isStore(io.nonces)) {
      throw configError("nonces must be a KV namespace (or its binding name), a {get, put} store or a function (key, {ttl, until}) => \"new\" | \"seen\"");
    }
    const gateway = newGateway(core, coreOptions);
    const handler = coreOptions.mode === "handler";
    const header = gateway.verdictHeader();

    /**
     * Verifies one incoming request: `incoming` is `{request, hasBody, body}` (`{method,
     * url | target + scheme, host, headers: [name, value, …]}`, whether the platform can
     * stream a body, and `body(maxBytes)`);
     * `resolved` is `{cache, nonces, waitUntil}`. Resolves to the core's answer: `{verdict,
     * header, route, reject}`, the verdict carrying `reject` under REJECTION.
     */
    async function verify(incoming, resolved) {
      const store = resolved.cache === undefined ? undefined : onceStore(state, resolved.cache);
      const nonces = resolved.nonces === undefined ? undefined : nonceAnswers(resolved.nonces);
      const fetchFn = io.fetch ?? globalThis.fetch;
      const r = incoming.request;
      const task = gateway.verify(r.method, r.url, r.target, r.host, r.scheme, r.headers, incoming.hasBody, nonces !== undefined, store !== undefined);
      const driveIo = {
        fetchDocument: (url, rules) => fetchShared(fetchFn, url, rules, true, BUSY),
        store,
        check: state.webCrypto.check,
        body: incoming.body,
        nonces,
        waitUntil: resolved.waitUntil,
      };
      try {
        await drive(task, driveIo);
        const answer = JSON.parse(gateway.answer(task));
        // Stale directories the job used are refreshed after the response (ctx.waitUntil).
        for (let stale = task.takeRefresh(); stale !== undefined; stale = task.takeRefresh()) {
          const running = state.refresh(stale, { ...driveIo, body: undefined, nonces: undefined });
          if (running !== undefined) resolved.waitUntil?.(running);
        }
        Object.defineProperty(answer.verdict, REJECTION, { value: answer.reject });
        return answer;
      } finally {
        task.free();
      }
    }

    return { verify, io, handler, header };
  };
}

/** A store option as given, or the binding of that name in `env`; throws configError. */
export function storeFrom(option, env, what) {
  if (option === undefined) return undefined;
  const value = typeof option === "string" ? env?.[option] : option;
  if (typeof option === "string" && (value === undefined || value === null)) {
    throw configError(`${what}: there is no binding ${JSON.stringify(option)} in env (add a KV namespace binding of that name, or pass the namespace itself)`);
  }
  if (what === "nonces" && typeof value === "function") return value;
  if (!isStore(value)) throw configError(`${what} must be a KV namespace, its binding name or a {get, put} store`);
  return value;
}

/** The response for a configuration the core found wrong (`500 invalid_configuration`), as {status, headers, body}. */
export const configurationProblem = (core, message) => JSON.parse(core.Gateway.configurationProblem(message));
