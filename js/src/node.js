// `httpseal/node`: verification for Node's `http` (and `https`, `http2`'s compatibility API)
// and Express-style `(req, res, next)` middleware, on the same driver as `httpseal/edge`.
// The target URI is the request as received — the request target, the Host field and the
// connection's TLS state (RFC 9110 §7.1) — never a URL normalised by a parser; the header
// fields are the lines as received (`rawHeaders`), so repeated fields are combined the way
// RFC 9421 says, by the core.

import { BODY_TOO_LARGE, BODY_UNREADABLE, REJECTION, configError, gatewayFactory, storeFrom } from "./gateway.js";

/** The options `httpseal/node` reads itself; the others are the core's. */
const IO_OPTIONS = ["cache", "nonces", "fetch", "scheme"];

const isBytes = (x) => x instanceof Uint8Array;

/** Whether the request has a body to stream (a length, or chunked). */
function hasBody(req) {
  if (req.method === "GET" || req.method === "HEAD") return false;
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined || req.httpVersionMajor === 2;
}

/**
 * Reads the body, at most `maxBytes`, and gives the bytes back to the stream (`unshift`
 * before its end is emitted), so the handler and any body parser after this middleware
 * read the body as if nothing had touched it.
 */
function readNodeBody(req, maxBytes) {
  // Complete with nothing buffered: an empty body. Listening now would make the stream emit
  // 'end' before the handler listens for it.
  if (req.complete === true && req.readableLength === 0) return Promise.resolve({ bytes: new Uint8Array(0) });
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      req.off("readable", onReadable);
      req.off("end", onEnd);
      req.off("error", onError);
      const all = Buffer.concat(chunks, size);
      if (all.length > 0) {
        if (!req.readableEnded) req.unshift(all);
        else if (req.rawBody === undefined) req.rawBody = all; // a stream that ended anyway
      }
      resolve(result(all));
    };
    const bytes = (all) => ({ bytes: new Uint8Array(all.buffer, all.byteOffset, all.length) });
    function onReadable() {
      // Only what is buffered: a read() at the end would emit 'end' before the handler listens.
      while (req.readableLength > 0) {
        const chunk = req.read();
        if (chunk === null) break;
        chunks.push(chunk);
        size += chunk.length;
        if (size > maxBytes) return finish(() => ({ failure: BODY_TOO_LARGE }));
      }
      // The whole message is in and 'end' is not emitted yet: the bytes can still go back.
      if (req.readableLength === 0 && (req._readableState?.ended ?? req.complete)) finish(bytes);
      return undefined;
    }
    const onEnd = () => finish(bytes);
    const onError = (err) => finish(() => ({ failure: BODY_UNREADABLE, detail: err?.message ?? String(err) }));
    req.on("readable", onReadable);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** The body for a Content-Digest check: one a raw-body parser kept, or the stream's. */
function bodyOf(req) {
  return async (maxBytes) => {
    const kept = req.rawBody ?? req.body;
    if (isBytes(kept) || typeof kept === "string") {
      const bytes = typeof kept === "string" ? new TextEncoder().encode(kept) : kept;
      return bytes.length > maxBytes ? { failure: BODY_TOO_LARGE } : { bytes };
    }
    if (Number(req.headers["content-length"]) > maxBytes) return { failure: BODY_TOO_LARGE };
    if (req.readableEnded || kept !== undefined) {
      return {
        failure: BODY_UNREADABLE,
        detail: "the body was read before httpseal saw it: mount httpseal before body parsers, or keep the raw bytes (req.rawBody, express.raw())",
      };
    }
    return readNodeBody(req, maxBytes);
  };
}

/** The request as the core reads it: target, Host, scheme, the field lines as received. */
function incomingOf(req, scheme) {
  const raw = Array.isArray(req.rawHeaders) ? req.rawHeaders : Object.entries(req.headers).flat();
  const headers = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // HTTP/2 pseudo-headers (":authority", ...) are not fields.
    if (!String(raw[i]).startsWith(":")) headers.push(String(raw[i]), String(raw[i + 1]));
  }
  const host = req.headers.host ?? req.headers[":authority"] ?? req.authority;
  return {
    request: {
      method: req.method,
      // Express strips a mount path from req.url; the target as received is originalUrl.
      target: req.originalUrl ?? req.url,
      host: typeof host === "string" ? host : undefined,
      scheme: scheme ?? (req.socket?.encrypted ? "https" : "http"),
      headers,
    },
    hasBody: hasBody(req),
    body: bodyOf(req),
  };
}

/** Removes every copy of the verdict header the client sent, whatever its case, and adds the core's. */
function annotate(req, name, value) {
  const headers = req.headers;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
  headers[name] = value;
  if (Array.isArray(req.rawHeaders)) {
    const kept = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (String(req.rawHeaders[i]).toLowerCase() !== name) kept.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    kept.push(name, value);
    req.rawHeaders.splice(0, req.rawHeaders.length, ...kept);
  }
}

function send(res, answer) {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.end(answer.body);
}

const recordOf = (reject) => ({ status: reject.status, headers: Object.fromEntries(reject.headers), body: reject.body });

/** `nodeCrypto`: the `node:crypto` module, which the Node entries give for the synchronous primitive. */
export function createNodeApi(core, nodeCrypto = undefined) {
  const createCore = gatewayFactory(core, nodeCrypto);

  function middleware(options = {}) {
    const gateway = createCore(options, IO_OPTIONS);
    const { cache, nonces, scheme } = gateway.io;
    if (scheme !== undefined && scheme !== "http" && scheme !== "https") throw configError("scheme must be \"http\" or \"https\" (the scheme clients used, behind a proxy that terminates TLS)");
    if (typeof cache === "string" || typeof nonces === "string") throw configError("cache and nonces are stores here ({get, put} or a Map), not binding names");
    const resolved = { cache: storeFrom(cache, undefined, "cache"), nonces: storeFrom(nonces, undefined, "nonces") };
    return function httpsealMiddleware(req, res, next) {
      const incoming = incomingOf(req, scheme);
      gateway.verify(incoming, resolved).then(
        (answer) => {
          req.httpseal = answer.verdict;
          if (answer.reject !== null && !gateway.handler) return send(res, answer.reject);
          annotate(req, gateway.header, answer.header);
          return next();
        },
        (err) => next(err),
      );
    };
  }

  function withVerification(listener, options) {
    if (typeof listener !== "function") throw configError("withVerification(listener, options) needs a request listener (req, res) => ...");
    const verify = middleware(options);
    return function verifiedListener(req, res) {
      verify(req, res, (err) => {
        if (err === undefined) return listener(req, res);
        // A bug, not a verdict: nothing is forwarded on it.
        console.error("httpseal: verification failed", err);
        res.statusCode = 500;
        return res.end();
      });
    };
  }

  function rejection(verdict) {
    const reject = verdict?.[REJECTION];
    return reject ? recordOf(reject) : null;
  }

  return { middleware, withVerification, rejection };
}

/** The names `httpseal/node` exports (the build writes them out). */
export const NODE_NAMES = ["middleware", "withVerification", "rejection"];
