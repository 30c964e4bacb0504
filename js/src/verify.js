// Driving the core's verifier job (`httpseal::job::VerifyJob`, as the wasm object
// `VerifyTask` of crates/npm/src/verify.rs). The job decides everything — which directories,
// in which order, what to keep and for how long, whether a response is a directory; this
// loop only moves bytes: it reads the step the job asks for, does the I/O, and hands back
// the answer. Lookups and fetches of several directories run at once (the job hands them all
// out before it says "wait"). Gateways (gateway.js) also answer the two steps only they are
// asked: the request's body (when a signature covers Content-Digest) and the nonce.

import { fetchDocument } from "./fetch.js";
import { createFlights } from "./flight.js";

/** Step kinds, as `VerifyTask.next()` returns them (crates/npm/src/verify.rs). */
const STEP_DONE = 0;
const STEP_WAIT = 1;
const STEP_LOOKUP = 2;
const STEP_FETCH = 3;
const STEP_CHECK = 4;
const STEP_STORE = 5;
const STEP_DIGEST = 6;
const STEP_NONCE = 7;

/** Every directory fetch of this module instance: one per URL at a time (single-flight). */
export const flights = createFlights();

/** A number per fetch function: fetches are shared per (function, URL), never across functions. */
const fetchIds = new WeakMap();
let nextFetchId = 0;
const fetchId = (fn) => {
  let id = fetchIds.get(fn);
  if (id === undefined) fetchIds.set(fn, (id = nextFetchId++));
  return id;
};

/** Fetches `url` under `rules` with `fetchFn`, sharing a fetch of the same URL in flight. */
export function fetchShared(fetchFn, url, rules, capped = false, busy = undefined) {
  // A waiter gives up on another caller's fetch after the fetch's own deadline (and a margin).
  return flights.run(`${fetchId(fetchFn)} ${url}`, () => fetchDocument(fetchFn, url, rules), { limitMs: rules.timeoutMs + 1000, capped, busy });
}
/**
 * The caller's directory store: anything with `get(key)` (a string, `undefined`/`null`, or
 * a Promise of one) and `put(key, text, {expirationTtl})` (Workers KV) or `set(key, text)`
 * (a `Map`). Its failures are misses; they never fail a verification.
 */
export function sharedStore(cache) {
  if (cache === undefined || cache === null) return undefined;
  const put = typeof cache.put === "function" ? "put" : typeof cache.set === "function" ? "set" : undefined;
  if (typeof cache.get !== "function" || put === undefined) return null;
  return {
    async get(key) {
      try {
        const text = await cache.get(key);
        return typeof text === "string" ? text : undefined;
      } catch {
        return undefined;
      }
    },
    /** Keeps a record; returns a Promise that settles (never rejects) when the write is done. */
    put(key, text, ttl, url) {
      try {
        // The URL as KV metadata, as the Worker writes it (for operators listing the namespace).
        const done = put === "put" ? cache.put(key, text, { expirationTtl: ttl, metadata: { url } }) : cache.set(key, text);
        if (done !== null && typeof done === "object" && typeof done.then === "function") return done.then(undefined, () => {});
      } catch {
        // A store that refuses a record costs a fetch later, nothing more.
      }
      return undefined;
    },
  };
}

/** Answers fetch `id` with what `fetchDocument` resolved to. */
function answerFetch(task, id, result) {
  if (result.failure === undefined) task.answerFetch(id, result.status, result.headers, result.body);
  else task.fetchFailed(id, result.failure, result.number, result.detail);
}

/** Answers check `id` with the primitive's `verified` (`undefined`: the core checks). */
function answerCheck(task, id, verified) {
  if (verified === undefined) task.checkInCore(id);
  else task.checked(id, verified);
}

/**
 * Runs `task` until it is done. `io` is `{fetch, store, check}`: the fetch function, the
 * shared store (or undefined) and the WebCrypto check (`true`/`false`, or `undefined` for
 * the core); a gateway adds `fetchDocument(url, rules)` (its own single-flight and cap),
 * `body(maxBytes)` (the request's body: `{bytes}` or `{failure, detail}`), `nonces(key, ttl,
 * until)` (`[kind, detail]`) and `waitUntil(promise)` (work that may outlive the response).
 */
export async function drive(task, io) {
  /** id → Promise of `[id, apply]`; none rejects. */
  const pending = new Map();
  for (;;) {
    switch (task.next()) {
      case STEP_DONE:
        return;
      case STEP_WAIT: {
        if (pending.size === 0) {
          // Nothing is out, yet the job waits: a driver bug, reported in the verdict.
          task.abandon();
          break;
        }
        const [id, apply] = await Promise.race(pending.values());
        pending.delete(id);
        apply();
        break;
      }
      case STEP_LOOKUP: {
        const id = task.id();
        const lookup = io.store ? io.store.get(task.key()) : Promise.resolve(undefined);
        pending.set(
          id,
          lookup.then((text) => [id, () => task.answerLookup(id, text)]),
        );
        break;
      }
      case STEP_FETCH: {
        const id = task.id();
        const rules = { accept: task.accept(), maxBytes: task.maxBytes(), timeoutMs: task.timeoutMs() };
        const url = task.url();
        const fetching = io.fetchDocument ? io.fetchDocument(url, rules) : fetchShared(io.fetch, url, rules);
        pending.set(
          id,
          fetching.then((result) => [id, () => answerFetch(task, id, result)]),
        );
        break;
      }
      case STEP_DIGEST: {
        const id = task.id();
        if (io.body === undefined) {
          // Only a gateway that said it can stream the body is asked for it.
          task.abandon();
          break;
        }
        pending.set(
          id,
          io.body(task.maxBytes()).then((r) => [id, () => (r.bytes !== undefined ? task.answerBody(id, r.bytes) : task.bodyFailed(id, r.failure, r.detail ?? ""))]),
        );
        break;
      }
      case STEP_NONCE: {
        const id = task.id();
        if (io.nonces === undefined) {
          task.abandon();
          break;
        }
        pending.set(
          id,
          io.nonces(task.key(), task.ttl(), task.until()).then(([kind, detail]) => [id, () => task.answerNonce(id, kind, detail ?? "")]),
        );
        break;
      }
      case STEP_CHECK: {
        const id = task.id();
        let verified;
        try {
          verified = await io.check(task);
        } catch {
          verified = undefined;
        }
        answerCheck(task, id, verified);
        break;
      }
      case STEP_STORE: {
        const done = io.store?.put(task.key(), task.record(), task.ttl(), task.url());
        if (done !== undefined) io.waitUntil?.(done);
        break;
      }
      default:
        task.abandon();
    }
  }
}

/**
 * Runs a job that needs no I/O (keys given, no gateway) to its verdict without a Promise:
 * `check(task)` is the synchronous primitive's answer (`true`/`false`, or `undefined` for the
 * core). Any other step is a driver bug, reported in the verdict as `drive` reports it.
 */
export function driveSync(task, check) {
  for (;;) {
    switch (task.next()) {
      case STEP_DONE:
        return;
      case STEP_CHECK: {
        const id = task.id();
        let verified;
        try {
          verified = check(task);
        } catch {
          verified = undefined;
        }
        answerCheck(task, id, verified);
        break;
      }
      default:
        task.abandon();
    }
  }
}

/**
 * Background directory refreshes, at most one per directory at a time: run after the
 * verdict is returned, never awaited by the caller, errors swallowed. Returns the refresh's
 * Promise (for `ctx.waitUntil`), or undefined when one is running already.
 */
export function createRefresher() {
  const running = new Set();
  return function refresh(task, io) {
    const key = task.directoryKey();
    if (running.has(key)) {
      task.free();
      return undefined;
    }
    running.add(key);
    return drive(task, io)
      .catch(() => {})
      .finally(() => {
        running.delete(key);
        task.free();
      });
  };
}
