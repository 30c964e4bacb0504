// Type declarations of `httpseal/node`: verification for Node's `http` and Express-style
// middleware, with the decisions of the Rust core (the same as the httpseal edge Worker's).

import type { Verdict } from "./index.js";
import type { GatewayOptions, KvLike, NonceStore } from "./edge.js";

export type { Verdict } from "./index.js";
export type { GatewayMode, GatewayOptions, GatewayRules, RouteRule, AgentRule, KvLike, NonceStore } from "./edge.js";

/** Options of the Node gateway: those of `httpseal/edge`, with stores given as objects. */
export interface NodeGatewayOptions extends Omit<GatewayOptions, "kv" | "nonces"> {
  /** Where directories are kept beside the process's memory (a `Map`, Redis behind `{get, put}`, ...). */
  cache?: KvLike;
  /** Replay protection (a store with expiry, or a function answering `"new"` / `"seen"`). */
  nonces?: NonceStore;
  /**
   * The scheme clients used, when a proxy in front terminates TLS (default: the socket's own
   * TLS state). The rest of the target URI is always the request as received: the request
   * target and the Host field.
   */
  scheme?: "http" | "https";
}

/** The parts of an `http.IncomingMessage` the middleware reads; the verdict is `req.httpseal`. */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  socket?: { encrypted?: boolean } | null;
  httpseal?: Verdict;
}

/** The parts of an `http.ServerResponse` the middleware writes when it answers itself. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * Express-style middleware (`app.use(middleware({ mode: "enforce" }))`): verifies the request
 * as received, sets `req.httpseal` to the verdict and the verdict header on `req.headers`
 * (any client copy removed), then calls `next()` — or, under `enforce`, answers with the
 * core's status, challenge and problem body. Mount it before body parsers: a body it reads
 * for a `Content-Digest` check is given back to the stream.
 */
export function middleware(
  options?: NodeGatewayOptions,
): <Req extends NodeRequestLike, Res extends NodeResponseLike>(req: Req, res: Res, next: (err?: unknown) => void) => void;

/**
 * A request listener for `http.createServer`: `createServer(withVerification((req, res) => ...,
 * { mode: "enforce" }))`. The listener runs for forwarded requests, with `req.httpseal` set.
 */
export function withVerification<Req extends NodeRequestLike, Res extends NodeResponseLike>(
  listener: (req: Req, res: Res) => void,
  options?: NodeGatewayOptions,
): (req: Req, res: Res) => void;

/** What `enforce` would answer for a verdict this package produced, or `null` when it would forward. */
export function rejection(verdict: Verdict): { status: number; headers: Record<string, string>; body: string } | null;
