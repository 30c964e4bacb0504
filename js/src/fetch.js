// Fetching a key document for the verifier job, under the rules the core states for every
// host (`httpseal::fetch`): GET with the core's Accept header, redirects not followed (a 3xx
// is a failure), the body read as a stream up to the limit plus one byte and refused past it
// whatever Content-Length says, the whole exchange aborted after the timeout. The URL was
// checked by the core (https, no IP literals or private names, unless allowHttp) before the
// job asked for it. Nothing here throws: every outcome is a response or a failure to report.

/** Failure kinds, as `VerifyTask.fetchFailed` reads them (crates/npm/src/verify.rs). */
export const FETCH_NETWORK = 0;
export const FETCH_TOO_LARGE = 1;
export const FETCH_TIMEOUT = 2;
export const FETCH_REDIRECT = 3;
export const FETCH_BUSY = 4;

const TIMED_OUT = Symbol("timed out");

/** An abort or a platform timeout (`AbortSignal.timeout`, a wrapper's own deadline). */
const isAbort = (err) => err !== null && typeof err === "object" && (err.name === "AbortError" || err.name === "TimeoutError");

export const describe = (err) => (err instanceof Error ? err.message || err.name : String(err));

function cancel(response) {
  try {
    response.body?.cancel?.().catch?.(() => {});
  } catch {
    // Nothing left to release.
  }
}

/** The body of a Response or Request, at most `maxBytes` bytes; `undefined` when there is more. */
export async function readBody(response, maxBytes) {
  const stream = response.body;
  if (stream === null || stream === undefined || typeof stream.getReader !== "function") {
    // A Response without a stream (a stand-in's): its bytes, still under the limit.
    const bytes = typeof response.arrayBuffer === "function" ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array(0);
    return bytes.length > maxBytes ? undefined : bytes;
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** The header fields as `name\nvalue\n…`, the flat form `VerifyTask.answerFetch` reads. */
function headerText(headers) {
  const parts = [];
  for (const [name, value] of headers) parts.push(name, value);
  return parts.join("\n");
}

/** One exchange, without the deadline. */
async function exchange(fetchFn, url, rules, signal) {
  const response = await fetchFn(url, { method: "GET", headers: { accept: rules.accept }, redirect: "manual", signal });
  // Browsers hide a manual redirect behind an opaque response (status 0); others show the 3xx.
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    cancel(response);
    return { failure: FETCH_REDIRECT, number: response.status, detail: response.headers?.get?.("location") ?? "" };
  }
  const declared = Number(response.headers?.get?.("content-length"));
  if (declared > rules.maxBytes) {
    cancel(response);
    return { failure: FETCH_TOO_LARGE, number: rules.maxBytes, detail: "" };
  }
  const body = await readBody(response, rules.maxBytes);
  if (body === undefined) return { failure: FETCH_TOO_LARGE, number: rules.maxBytes, detail: "" };
  return { status: response.status, headers: headerText(response.headers ?? []), body };
}

/**
 * Fetches `url` under `rules` (`{accept, maxBytes, timeoutMs}`) with `fetchFn` (the
 * caller's `fetch`, or the platform's). Resolves to `{status, headers, body}` or `{failure,
 * number, detail}`; never rejects.
 */
export async function fetchDocument(fetchFn, url, rules) {
  const controller = typeof AbortController === "function" ? new AbortController() : undefined;
  let timer;
  // The deadline holds even against a fetch that ignores its signal.
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => {
      controller?.abort();
      resolve(TIMED_OUT);
    }, rules.timeoutMs);
  });
  const timedOut = { failure: FETCH_TIMEOUT, number: rules.timeoutMs, detail: "" };
  try {
    const running = exchange(fetchFn, url, rules, controller?.signal);
    running.catch(() => {});
    const result = await Promise.race([running, deadline]);
    return result === TIMED_OUT ? timedOut : result;
  } catch (err) {
    return isAbort(err) ? timedOut : { failure: FETCH_NETWORK, number: 0, detail: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}
