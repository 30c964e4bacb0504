// `httpseal/edge`: verification in front of a fetch handler — a JavaScript Cloudflare Worker
// (`withVerification`), Hono (`httpseal()` middleware), Deno, Bun and other `(request) =>
// Response` servers (`fetchHandler`) — on the job and cache rules of the Rust Worker. The
// core decides (gateway.js, crates/npm/src/gateway.rs); this file turns its answers into
// WHATWG Requests and Responses.

import { BODY_TOO_LARGE, BODY_UNREADABLE, REJECTION, configError, configurationProblem, gatewayFactory, storeFrom } from "./gateway.js";
import { describe, readBody } from "./fetch.js";

/** The options `httpseal/edge` reads itself; the others are the core's. */
const IO_OPTIONS = ["kv", "nonces", "fetch"];

const toResponse = (r) => new Response(r.body, { status: r.status, headers: r.headers });

/** Whether the platform will stream a body (the Rust Worker's `has_body`). */
const hasBody = (request) => request.method !== "GET" && request.method !== "HEAD" && request.body !== null;

/** The body of `request`, read from a copy (the original stays whole for the handler). */
function bodyOf(request) {
  return async (maxBytes) => {
    if (Number(request.headers.get("content-length")) > maxBytes) return { failure: BODY_TOO_LARGE };
    try {
      const bytes = await readBody(request.clone(), maxBytes);
      return bytes === undefined ? { failure: BODY_TOO_LARGE } : { bytes };
    } catch (err) {
      return { failure: BODY_UNREADABLE, detail: describe(err) };
    }
  };
}

/** The request as the core reads it: its URL, the Host field the client sent, its fields. */
function incomingOf(request) {
  const headers = [];
  for (const [name, value] of request.headers) headers.push(name, value);
  return {
    request: { method: request.method, url: request.url, host: request.headers.get("host") ?? undefined, headers },
    hasBody: hasBody(request),
    body: bodyOf(request),
  };
}

/** `nodeCrypto`: the `node:crypto` module, which the Node entries give for the synchronous primitive. */
export function createEdgeApi(core, nodeCrypto = undefined) {
  const createCore = gatewayFactory(core, nodeCrypto);

  /** Options as given, or a function of `env` read once per env object (a Worker's vars). */
  function prepare(options) {
    if (typeof options !== "function") {
      const ready = createCore(options ?? {}, IO_OPTIONS);
      return () => ready;
    }
    const byEnv = new WeakMap();
    let without;
    return (env) => {
      const keyed = env !== null && (typeof env === "object" || typeof env === "function");
      let ready = keyed ? byEnv.get(env) : without;
      if (ready === undefined) {
        try {
          ready = { gateway: createCore(options(env) ?? {}, IO_OPTIONS) };
        } catch (err) {
          if (err?.code !== "invalid_configuration") throw err;
          ready = { error: err.message };
        }
        if (keyed) byEnv.set(env, ready);
        else without = ready;
      }
      if (ready.error !== undefined) throw configError(ready.error);
      return ready.gateway;
    };
  }

  /** `{verdict, request, response}`: `response` set when the gateway answers itself. */
  async function handle(prepared, request, env, ctx) {
    let gateway;
    let resolved;
    try {
      gateway = prepared(env);
      resolved = {
        cache: storeFrom(gateway.io.kv, env, "kv"),
        nonces: storeFrom(gateway.io.nonces, env, "nonces"),
        waitUntil: typeof ctx?.waitUntil === "function" ? (p) => ctx.waitUntil(p) : undefined,
      };
    } catch (err) {
      if (err?.code !== "invalid_configuration") throw err;
      // As the Rust Worker answers a bad variable: every request gets the problem.
      return { verdict: null, request, response: toResponse(configurationProblem(core, err.message)) };
    }
    const answer = await gateway.verify(incomingOf(request), resolved);
    if (answer.reject !== null && !gateway.handler) {
      return { verdict: answer.verdict, request, response: toResponse(answer.reject) };
    }
    // Any copy of the verdict header the client sent goes (Headers.delete ignores case),
    // then the core's.
    const headers = new Headers(request.headers);
    headers.delete(gateway.header);
    headers.set(gateway.header, answer.header);
    return { verdict: answer.verdict, request: new Request(request, { headers }), response: null };
  }

  const needHandler = (handler, what) => {
    if (typeof handler !== "function") throw configError(`${what} needs a handler function`);
  };

  function withVerification(handler, options) {
    needHandler(handler, "withVerification(handler, options)");
    const prepared = prepare(options);
    return async function verifiedFetch(request, env, ctx) {
      const out = await handle(prepared, request, env, ctx);
      return out.response ?? handler(out.request, env, ctx, out.verdict);
    };
  }

  function httpseal(options) {
    const prepared = prepare(options);
    return async function httpsealMiddleware(c, next) {
      let ctx;
      try {
        ctx = c.executionCtx; // Hono throws when the platform gave none
      } catch {
        ctx = undefined;
      }
      const out = await handle(prepared, c.req.raw, c.env, ctx);
      if (out.response) return out.response;
      c.req.raw = out.request;
      c.set("httpseal", out.verdict);
      await next();
      return undefined;
    };
  }

  function fetchHandler(handler, options) {
    needHandler(handler, "fetchHandler(handler, options)");
    const prepared = prepare(options);
    return async function verifiedHandler(request, ...rest) {
      const out = await handle(prepared, request, undefined, undefined);
      return out.response ?? handler(out.request, out.verdict, ...rest);
    };
  }

  function createGateway(options) {
    const prepared = prepare(options);
    return {
      handle: (request, env, ctx) => handle(prepared, request, env, ctx),
    };
  }

  function rejection(verdict) {
    const reject = verdict?.[REJECTION];
    return reject ? toResponse(reject) : null;
  }

  return { withVerification, httpseal, fetchHandler, createGateway, rejection };
}

/** The names `httpseal/edge` exports (the build writes them out). */
export const EDGE_NAMES = ["withVerification", "httpseal", "fetchHandler", "createGateway", "rejection"];
