// Type declarations of `httpseal/edge`: verification in front of a fetch handler — a
// Cloudflare Worker, Hono, Deno, Bun — with the decisions of the Rust core (the same as the
// httpseal edge Worker's: routes and agent rules, what `enforce` answers, the verdict header).

import type { DirectoryCache, Jwk, JwkSet, PolicyOptions, Profile, Verdict } from "./index.js";

export type { Verdict } from "./index.js";

/**
 * What the gateway does with requests that are not `verified`: `"annotate"` (default) forwards
 * every request with a trustworthy verdict header (fail-open); `"enforce"` forwards verified
 * requests only and answers the others itself (401 + `Accept-Signature`, 403, 429, 503 +
 * `Retry-After`, `application/problem+json`); `"handler"` forwards every request and leaves the
 * decision to the handler, which gets the verdict (and {@link rejection} for what `enforce`
 * would answer).
 */
export type GatewayMode = "annotate" | "enforce" | "handler";

/** One route of a {@link GatewayRules} document. */
export interface RouteRule {
  /** Names the rule in errors and refusals (default `routes[i]`). */
  name?: string;
  /** The path pattern: literal text and `*` (any run of characters), e.g. `"/api/*"`. */
  path?: string;
  mode?: "annotate" | "enforce";
  profile?: Profile | "visa-tap";
  /** Overrides on top of the profile and the gateway's `policy`. */
  policy?: PolicyOptions;
  /** Rate-limit verified agents per (route, identifier): reported by the core, not enforced by this package. */
  rateLimit?: boolean;
  /** `"allowlist"`: only agents an `allow` rule names pass (default `"any"`). */
  agents?: "any" | "allowlist";
}

/** One agent rule of a {@link GatewayRules} document: about exactly one of `identifier` or `thumbprint`. */
export interface AgentRule {
  name?: string;
  /** The agent's URL (a bare origin means its well-known directory), as verdicts name it. */
  identifier?: string;
  /** An RFC 7638 thumbprint (a key given in `trustedJwks`). */
  thumbprint?: string;
  /** `"deny"` refuses the agent's verified requests with 403 `agent_denied`. */
  action: "allow" | "deny";
  /** Overrides while verifying this agent (e.g. a longer `maxLifetime`). */
  policy?: PolicyOptions;
}

/** The operator's rules (the core's `gateway::Rules`): the first route whose `path` matches decides, else `default`. */
export interface GatewayRules {
  routes?: RouteRule[];
  default?: Omit<RouteRule, "path">;
  agents?: AgentRule[];
}

/** A Workers KV namespace, or anything with `get` and `put`/`set` (a `Map`). */
export type KvLike = DirectoryCache;

/**
 * A replay store: a KV namespace (best effort: read, then write with the core's
 * `expirationTtl`), a `{get, put}` store, or a function that answers `"new"` (now recorded) or
 * `"seen"` (strict stores: a Durable Object, a database). A store that fails makes the
 * verdict `unverified` (`replay_check_unavailable`): `enforce` answers 503 + `Retry-After`.
 */
export type NonceStore = KvLike | ((key: string, entry: { ttl: number; until: number }) => "new" | "seen" | Promise<"new" | "seen">);

/** Options of the gateway (the core reads all but `kv`, `nonces` and `fetch`). */
export interface GatewayOptions {
  mode?: GatewayMode;
  /** `"web-bot-auth"` (default), `"rfc9421"`, `"fediverse"` or `"visa-tap"`. */
  profile?: Profile | "visa-tap";
  /** Overrides on top of the profile, for every route (skew 60 s and a 24 h lifetime unless given). */
  policy?: PolicyOptions;
  /** Per-path routes and per-agent rules, as an object or its JSON text. */
  rules?: GatewayRules | string;
  /** The header that carries the verdict to the handler (default `HTTPSeal-Verdict`). */
  verdictHeader?: string;
  /** Public keys trusted directly (matched by `kid` or thumbprint), checked before any directory. */
  trustedJwks?: JwkSet | Jwk[] | Jwk | string;
  /** A JWK Set URL the operator trusts, fetched and cached like a directory. */
  jwksUrl?: string;
  /** Development only: directories over `http://` and on loopback hosts. */
  allowHttp?: boolean;
  /** Largest signed body whose `Content-Digest` is checked (default 1 MiB, at most 8 MiB). */
  maxCheckedBodyBytes?: number;
  /** Where directories are kept beside the isolate's memory: a KV namespace, or the name of its binding in `env`. Keys `dir:<sha-256 of the URL>`, as the Rust Worker's. */
  kv?: KvLike | string;
  /** Replay protection: a {@link NonceStore}, or the name of a KV binding in `env`. */
  nonces?: NonceStore | string;
  /** The `fetch` that fetches directories (default `globalThis.fetch`). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Options, or a function of the Worker's `env` that returns them (called once per `env`). */
export type GatewayOptionsInit<Env = any> = GatewayOptions | ((env: Env) => GatewayOptions);

/** The Worker `ExecutionContext` parts the gateway uses. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A Worker's `fetch` that verifies every request, then answers for the handler (`enforce`)
 * or calls it with the request — any client copy of the verdict header removed, the core's
 * added — and the verdict. Directories are cached in the isolate's memory and, with `kv`, in
 * KV; KV writes and background refreshes go to `ctx.waitUntil`.
 *
 * @example
 * export default {
 *   fetch: withVerification((request, env, ctx, verdict) => new Response(`hello ${verdict.identifier}`),
 *     { mode: "enforce", kv: "DIRECTORY_CACHE" }),
 * };
 */
export function withVerification<Env = any, Ctx extends ExecutionContextLike | undefined = ExecutionContextLike>(
  handler: (request: Request, env: Env, ctx: Ctx, verdict: Verdict) => Response | Promise<Response>,
  options?: GatewayOptionsInit<Env>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** The parts of a Hono `Context` the middleware uses. */
export interface HonoContextLike {
  req: { raw: Request };
  env: any;
  readonly executionCtx?: ExecutionContextLike;
  set(key: "httpseal", value: Verdict): void;
}

/**
 * Hono middleware: `app.use(httpseal({ mode: "enforce" }))`. The verdict is
 * `c.get("httpseal")` (declare `Variables: { httpseal: Verdict }`); `c.req.raw` carries the
 * verdict header; `enforce` answers as the Rust Worker does. `options` may be a function of
 * `c.env`.
 */
export function httpseal(options?: GatewayOptionsInit): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | undefined>;

/**
 * For fetch-style servers (Deno, Bun, any `(request) => Response`): `Deno.serve(fetchHandler((request, verdict) => ...))`.
 * The handler gets the annotated request, the verdict, then whatever the server passed.
 */
export function fetchHandler<Rest extends unknown[] = unknown[]>(
  handler: (request: Request, verdict: Verdict, ...rest: Rest) => Response | Promise<Response>,
  options?: GatewayOptionsInit,
): (request: Request, ...rest: Rest) => Promise<Response>;

/** What {@link Gateway.handle} resolves to. */
export interface GatewayResult {
  /** The verdict (`null` only for a configuration error). */
  verdict: Verdict | null;
  /** The request to hand on: the verdict header set, any client copy removed. */
  request: Request;
  /** The response to send instead (enforce, or a configuration error), else `null`. */
  response: Response | null;
}

/** The building block of the three integrations above. */
export interface Gateway {
  handle(request: Request, env?: any, ctx?: ExecutionContextLike): Promise<GatewayResult>;
}

/** A gateway for other frameworks: `await gateway.handle(request, env, ctx)`. */
export function createGateway(options?: GatewayOptionsInit): Gateway;

/**
 * The response `enforce` would send for a verdict this package produced (the core's status,
 * challenge, `Retry-After` and problem body), or `null` when it would forward — for handlers
 * in `mode: "handler"` that enforce on some requests only.
 */
export function rejection(verdict: Verdict): Response | null;
