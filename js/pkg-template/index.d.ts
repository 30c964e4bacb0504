// Type declarations of the npm package `httpseal` (both entry points: `httpseal`, all
// algorithms, and `httpseal/ed25519`, Ed25519 only). Every function is implemented by the
// httpseal Rust core compiled to WebAssembly, the same code as the CLI and the edge Worker.

/** A JSON Web Key (RFC 7517) as a plain object. */
export interface Jwk {
  kty: "OKP" | "EC" | "RSA" | "oct" | string;
  kid?: string;
  alg?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  k?: string;
  [member: string]: unknown;
}

/** A JWK Set `{keys: [...]}`. */
export interface JwkSet {
  keys: Jwk[];
}

/** An algorithm of the HTTP Signature Algorithms registry (RFC 9421 §6.2). */
export type Algorithm =
  | "ed25519"
  | "ecdsa-p256-sha256"
  | "ecdsa-p384-sha384"
  | "rsa-pss-sha512"
  | "rsa-v1_5-sha256"
  | "hmac-sha256";

/** A verification profile: a preset of policy rules. */
export type Profile = "rfc9421" | "web-bot-auth" | "fediverse";

/**
 * Header fields: `[name, value]` pairs (order and repeats kept), a record of name → value
 * (or list of values), or a WHATWG `Headers`.
 */
export type HeadersInit =
  | Array<[string, string]>
  | Record<string, string | string[]>
  | Headers
  | Iterable<[string, string]>;

/** A body: text, or bytes. */
export type BodyInit = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A request as a plain object (the same JSON shape as the CLI's and the Worker's). */
export interface RequestObject {
  method: string;
  /** The absolute URL (`https://example.com/path?query`). */
  url: string | URL;
  headers?: HeadersInit;
  body?: BodyInit;
  /** The body as base64, instead of `body`. */
  bodyBase64?: string;
  trailers?: HeadersInit;
}

/** A response as a plain object; `request` is the request it answers (for `;req`). */
export interface ResponseObject {
  status: number;
  headers?: HeadersInit;
  body?: BodyInit;
  bodyBase64?: string;
  trailers?: HeadersInit;
  request?: RequestObject | Request;
}

/** A message: a WHATWG `Request` / `Response`, or a plain object. */
export type MessageInput = Request | Response | RequestObject | ResponseObject;

/**
 * Options of {@link signRequest}. Unset options take the core's defaults for the profile:
 * with the default `web-bot-auth` profile, `@authority` (plus `signature-agent` when
 * `signatureAgent` is given), `expires` = `created` + 60 s, a random 64-byte nonce,
 * `tag="web-bot-auth"` and `keyid` = the key's JWK thumbprint. With `profile: "rfc9421"`
 * (plain RFC 9421): `@method @authority @path` (and `@query` when there is one), `keyid` =
 * the JWK's `kid` or its thumbprint, no expiry, no nonce, no tag.
 */
export interface SignOptions {
  /**
   * `"web-bot-auth"` (default: this package is for agents) or `"rfc9421"` (plain RFC 9421
   * signing, e.g. for APIs that are not about bots).
   */
  profile?: "rfc9421" | "web-bot-auth";
  /** The algorithm; must fit the key (it picks PSS or v1.5 for an RSA key). */
  alg?: Algorithm;
  /**
   * Covered components, written as inside `Signature-Input` without the quotes around
   * the name: `"@method"`, `"content-digest"`, `'@query-param;name="q"'`,
   * `'signature-agent;key="sig1"'`.
   */
  components?: string[];
  /** The signature label (default `sig1`). */
  label?: string;
  /** `created`, UNIX seconds (default: now). */
  created?: number;
  /** `expires`, UNIX seconds. */
  expires?: number;
  /** `expires` as seconds after `created` (instead of `expires`). */
  ttl?: number;
  /** The nonce: a string, `true` for 64 random bytes (base64), `false` for none. */
  nonce?: string | boolean;
  /** The `tag` parameter. */
  tag?: string;
  /** The `keyid` parameter. */
  keyid?: string;
  /** Whether to send the `alg` parameter (default `true`). */
  includeAlg?: boolean;
  /**
   * Your key directory's URL: adds `Signature-Agent: <label>="<url>"` and covers it
   * (Web Bot Auth).
   */
  signatureAgent?: string;
  /** Adds `Content-Digest` for the body (`"sha-256"` or `"sha-512"`) and covers it. */
  contentDigest?: "sha-256" | "sha-512";
}

/**
 * The headers {@link signRequest} adds, in order: `Signature-Agent` and `Content-Digest`
 * (when asked), then `Signature-Input` and `Signature`. Pass it to `new Headers()` or
 * spread it into `fetch`'s `headers`.
 */
export interface SignatureHeaders {
  "Signature-Input": string;
  Signature: string;
  "Signature-Agent"?: string;
  "Content-Digest"?: string;
  [name: string]: string | undefined;
}

/** A `requiredComponents` entry: a component, or a list of which any one will do. */
export type RequiredComponent = string | string[];

/** Overrides of individual rules of the profile's policy. */
export interface PolicyOptions {
  /** Clock skew tolerated on `created` and `expires`, seconds (default 60). */
  skew?: number;
  /** Oldest acceptable `created`, seconds before now (`null`: no limit). */
  maxAge?: number | null;
  /** Longest acceptable `expires - created`, seconds (`null`: no limit). */
  maxLifetime?: number | null;
  requireCreated?: boolean;
  requireExpires?: boolean;
  requireKeyid?: boolean;
  requireNonce?: boolean;
  /** Components that must be covered (replaces the profile's list). */
  requiredComponents?: RequiredComponent[];
  /** Allowed algorithms (replaces the profile's list). */
  algorithms?: Algorithm[];
  /** Only signatures with this `tag` apply (`null`: any tag). */
  tag?: string | null;
  /** Only the signature with this label applies. */
  label?: string;
  /** Check a covered `Content-Digest` against the body (default `true`). */
  checkContentDigest?: boolean;
  /** A non-empty body must be covered by `content-digest`. */
  requireDigestForBody?: boolean;
  /** Types of extra structured fields, for the `sf` and `key` parameters. */
  structuredFields?: Record<string, "list" | "dictionary" | "item">;
  /** The algorithm for RSA keys whose JWK names none. */
  rsaAlgorithm?: "rsa-pss-sha512" | "rsa-v1_5-sha256";
  /**
   * Accept the published test keys (RFC 9421 B.1.x, including the Ed25519 key of the Web
   * Bot Auth drafts' examples). Off by default: anyone can sign with them, so a signature
   * made with one is `invalid` with `test_key`. For tests and conformance runs only.
   */
  allowTestKeys?: boolean;
  /**
   * An outer signature covering `"signature";key=X` must also cover what signature X
   * covers (Web Bot Auth's multiple-signature rule; on in the `web-bot-auth` profile).
   */
  nestedCoverage?: boolean;
  /** Read draft -00 typed `Signature-Agent` members (`type=directory|jwks_uri|cimd`). */
  draft00Members?: boolean;
}

/**
 * Where {@link verifyRequest} keeps key directories between calls, beside its own memory:
 * Workers KV (`get` + `put` with `expirationTtl`), a `Map` (`get` + `set`), or anything
 * shaped so. Keys are the core's store keys (`dir:<sha-256 of the URL>`, the same as the
 * edge Worker's KV; `dev:dir:…` under `allowHttp`); values are the core's record text, put
 * with `expirationTtl` and the URL as `metadata` (as the Worker writes them). Only
 * records the core marks shareable are put here: failures and `no-store` directories stay in
 * memory. A store that throws or rejects is treated as empty.
 */
export interface DirectoryCache {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  put?(key: string, text: string, options: { expirationTtl: number; metadata?: { url: string } }): unknown;
  set?(key: string, text: string): unknown;
}

/** Options of {@link verifyRequest}. */
export interface VerifyOptions {
  /**
   * The keys to check against: a JWK Set, an array of JWKs, one JWK, or its JSON text.
   * Nothing is fetched when they are given. Without them, the keys are resolved from the
   * agent's key directory that `Signature-Agent` names (with the `web-bot-auth` profile).
   */
  jwks?: JwkSet | Jwk[] | Jwk | string;
  /** The time to verify at, UNIX seconds or a `Date` (default: now). */
  now?: number | Date;
  /** `"rfc9421"` (default), `"web-bot-auth"` or `"fediverse"`. */
  profile?: Profile;
  /** Rule overrides on top of the profile. */
  policy?: PolicyOptions;
  /**
   * Without `jwks`: the `fetch` that fetches key directories (default `globalThis.fetch`).
   * It is called as `fetch(url, { method: "GET", headers: { accept }, redirect: "manual",
   * signal })` for URLs the core's rules admit (https, a public DNS name); a redirect is not
   * followed, a body over 64 KiB is refused, and the exchange is aborted after 5 s.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Without `jwks`: a store for directories shared across calls or isolates (see {@link DirectoryCache}). */
  cache?: DirectoryCache;
  /**
   * Without `jwks`: the development switch (like the CLI's `--allow-http`): `http` and
   * loopback directories (`http://127.0.0.1:8787`) may be fetched. Off by default; never
   * turn it on in production.
   */
  allowHttp?: boolean;
}

/**
 * Which step of a directory's resolution failed (`verdict.error.cause.code` of
 * `directory_unavailable`): the URL breaks the fetch rules and nothing was sent
 * (`fetch_scheme_refused`, `fetch_ip_literal_refused`, `fetch_loopback_refused`,
 * `fetch_private_host_refused`, `fetch_userinfo_refused`, `fetch_url_malformed`); the fetch
 * gave no usable response (`fetch_redirect_refused`, `fetch_too_large`, `fetch_timeout`,
 * `fetch_failed`, `fetch_busy`, `not_fetched`, `fetch_status`, `directory_media_type`); too
 * many directories (`too_many_directories`); or the document is not a directory (its
 * {@link ErrorCode}, e.g. `invalid_directory`, `malformed_jwk`).
 */
export type DirectoryFailureCode =
  | "fetch_scheme_refused"
  | "fetch_ip_literal_refused"
  | "fetch_loopback_refused"
  | "fetch_private_host_refused"
  | "fetch_userinfo_refused"
  | "fetch_url_malformed"
  | "fetch_redirect_refused"
  | "fetch_too_large"
  | "fetch_timeout"
  | "fetch_failed"
  | "fetch_busy"
  | "not_fetched"
  | "fetch_status"
  | "directory_media_type"
  | "too_many_directories"
  | ErrorCode;

/** Why a key directory was not available (`verdict.error.cause` of `directory_unavailable`). */
export interface DirectoryFailureCause {
  code: DirectoryFailureCode;
  message: string;
}

/** Why a verdict is not `verified`. */
export interface VerdictError {
  code: ErrorCode;
  /** For people; not stable. */
  message: string;
  /** The policy setting that refused the signature (`maxLifetime`, `tag`, `allowTestKeys`, …), when one did. */
  rule?: string;
  /** For `directory_unavailable`: which step failed. */
  cause?: DirectoryFailureCause;
}

/**
 * The outcome of verification, identical to the JSON of the edge Worker's `POST /verify`
 * and of `httpseal verify`.
 */
export interface Verdict {
  /**
   * `verified`: a signature and its key validate under the policy. `invalid`: a
   * signature, component, key or freshness check failed. `unverified`: no signature, or
   * no key for it.
   */
  verdict: "verified" | "invalid" | "unverified";
  /** The label of the signature this verdict is about. */
  label: string | null;
  keyid: string | null;
  /** The algorithm used (bound to the key), or the `alg` parameter if no key was found. */
  alg: string | null;
  tag: string | null;
  created: number | null;
  expires: number | null;
  nonce: string | null;
  /** The covered components, serialised (`"@authority"`, `"signature-agent";key="a"`). */
  components: string[];
  /** The signature agent URL the key was resolved from (Web Bot Auth), when known. */
  agent: string | null;
  /**
   * Who signed, as far as the verifier can tell: the (normalised) agent directory URL the
   * key came from; for a key the caller supplied in `jwks`, its JWK thumbprint; for a key
   * not found, the `keyid` it claims.
   */
  identifier: string | null;
  /**
   * When the key came from a directory: what the directory response's own signatures
   * proved (`valid`: they bind the keys to the directory's host).
   */
  directoryProof: "valid" | "invalid" | "absent" | null;
  /** The signature base that was checked, when it could be built (for debugging). */
  signatureBase: string | null;
  /** Why the verdict is not `verified`: a stable `code` and a readable `message`. */
  error: VerdictError | null;
}

/**
 * Which signature base {@link signatureBase} builds: the one of a signature the message
 * carries (`label`), or one for new parameters.
 */
export type SignatureBaseParams =
  | { label: string }
  | {
      components?: string[];
      created?: number;
      expires?: number;
      keyid?: string;
      alg?: string;
      nonce?: string;
      tag?: string;
    };

// error-codes:start
// Generated from the error table in src/error.rs by `make error-docs`: do not edit.
/**
 * A stable error code (`err.code`, `verdict.error.code`); the README's "Error codes"
 * table says what each one means and which verdict it leads to.
 */
export type ErrorCode =
  | "header_too_large"
  | "malformed_signature_input"
  | "malformed_signature"
  | "malformed_accept_signature"
  | "missing_signature_value"
  | "missing_signature_input"
  | "duplicate_label"
  | "too_many_signatures"
  | "too_many_components"
  | "invalid_signature_parameter"
  | "invalid_component"
  | "duplicate_component"
  | "unknown_derived_component"
  | "unknown_component_parameter"
  | "incompatible_component_parameters"
  | "signature_params_covered"
  | "missing_field"
  | "missing_query_param_name"
  | "query_param_not_found"
  | "query_param_repeated"
  | "dictionary_key_not_found"
  | "unknown_structured_field"
  | "malformed_field"
  | "req_on_request"
  | "missing_related_request"
  | "component_not_applicable"
  | "invalid_component_value"
  | "signature_base_too_large"
  | "component_value_too_large"
  | "unsupported_algorithm"
  | "algorithm_mismatch"
  | "invalid_key"
  | "unsupported_key"
  | "malformed_jwk"
  | "unknown_key"
  | "ambiguous_key"
  | "invalid_signature"
  | "entropy_required"
  | "not_a_private_key"
  | "malformed_content_digest"
  | "unsupported_digest_algorithm"
  | "content_digest_mismatch"
  | "no_signature"
  | "no_applicable_signature"
  | "label_not_found"
  | "missing_created"
  | "missing_expires"
  | "missing_keyid"
  | "created_in_future"
  | "expired"
  | "signature_too_old"
  | "lifetime_too_long"
  | "expires_before_created"
  | "missing_required_component"
  | "algorithm_not_allowed"
  | "tag_mismatch"
  | "nonce_required"
  | "nonce_replayed"
  | "replay_check_unavailable"
  | "test_key"
  | "incomplete_coverage"
  | "unusable_signature_agent"
  | "ambiguous_signature_agent"
  | "directory_unavailable"
  | "invalid_directory"
  | "keyid_not_thumbprint"
  | "malformed_signature_key"
  | "unsupported_scheme"
  | "invalid_jwt"
  | "expired_jwt"
  | "issuer_mismatch"
  | "malformed_message"
  | "invalid_url"
  | "host_answer_missing"
  | "limit_exceeded";
// error-codes:end

/**
 * An error thrown by httpseal. `code` is stable and machine-readable (the same codes as
 * the CLI and the Worker: `malformed_jwk`, `unsupported_algorithm`, `invalid_component`,
 * `malformed_message`, ...); `message` is for people.
 */
export interface HttpsealError extends Error {
  code: ErrorCode;
}

/**
 * Generates a key pair from `crypto.getRandomValues` and returns the private JWK, with
 * `kid` set to its RFC 7638 thumbprint. Keep it secret; publish {@link publicJwk} of it.
 *
 * @param alg `"ed25519"` (default), `"ecdsa-p256-sha256"`, `"ecdsa-p384-sha384"`,
 *   `"rsa-pss-sha512"`, `"rsa-v1_5-sha256"` (2048-bit) or `"hmac-sha256"` — those of
 *   {@link supportedAlgorithms}.
 * @throws {HttpsealError} `unsupported_algorithm` for an unknown name or one this build
 *   lacks.
 * @example
 * const jwk = generateKeyPair();          // { kty: "OKP", crv: "Ed25519", x, d, kid }
 */
export function generateKeyPair(alg?: Algorithm): Jwk;

/**
 * The public JWK of a (private or public) JWK: the required public members, `kid`, and an
 * RSA key's `alg`. This is what goes into a key directory.
 * @throws {HttpsealError} `malformed_jwk`, `unsupported_key`, `invalid_key`.
 */
export function publicJwk(jwk: Jwk | string): Jwk;

/**
 * The RFC 7638 JWK SHA-256 thumbprint (base64url) of a JWK, computed from its required
 * members as written. Web Bot Auth uses it as `keyid`.
 * @throws {HttpsealError} `malformed_jwk`, `unsupported_key`.
 */
export function jwkThumbprint(jwk: Jwk | string): string;

/** The algorithms this build signs and verifies with (`["ed25519"]` for `httpseal/ed25519`). */
export function supportedAlgorithms(): Algorithm[];

/**
 * Signs a request (RFC 9421; Web Bot Auth unless `options.profile` is `"rfc9421"`) and
 * returns the headers to add to it. The request is not modified. Reads the body (of a copy)
 * only when `contentDigest` is asked for. The signature bytes are made by WebCrypto where
 * the platform has the algorithm, else by the package's own code: see {@link useWebCrypto}.
 *
 * @param request a WHATWG `Request`, or `{method, url, headers, body?}` with headers as
 *   `[[name, value], ...]`, a record or a `Headers`.
 * @param privateJwk the private key as a JWK object or JSON text.
 * @param options see {@link SignOptions}; omitted options take the profile's defaults.
 * @throws {HttpsealError} `malformed_message` (the request or options cannot be read),
 *   `malformed_jwk`, `not_a_private_key`, `invalid_component`, `missing_field`, ...
 * @example
 * // Web Bot Auth: @authority and signature-agent, expires in 60 s, a random nonce.
 * const headers = await signRequest({ method: "GET", url: "https://example.com/" }, jwk, {
 *   signatureAgent: "https://agent.example",
 * });
 * // Plain RFC 9421: @method @authority @path (@query), created, keyid, alg.
 * const plain = await signRequest(request, jwk, { profile: "rfc9421" });
 */
export function signRequest(
  request: Request | RequestObject | ResponseObject,
  privateJwk: Jwk | string,
  options?: SignOptions,
): Promise<SignatureHeaders>;

/**
 * Verifies the signatures of a message and returns a {@link Verdict}: against the given
 * `jwks`, or, without them, against the keys of the agent's key directory that the
 * `Signature-Agent` field names (Web Bot Auth: use the `web-bot-auth` profile). Directories
 * are looked up in this module's memory, then in `options.cache`, then fetched under the
 * core's rules (https and public names only unless `allowHttp`; no redirects; 64 KiB; 5 s)
 * and kept as long as the directory says (1 h by default, at most 24 h; stale keys keep
 * working while a refresh runs in the background after the verdict). Several directories
 * are fetched at once.
 *
 * A failed check is a verdict, not an exception: it throws only for inputs it cannot read
 * (a malformed message, keys, profile, policy or options). An unreachable directory is an
 * `unverified` verdict with `error.code` `directory_unavailable` and the failed step in
 * `error.cause`. Signature bytes are checked by WebCrypto where the platform has the
 * algorithm (see {@link useWebCrypto}); the verdict is the same either way.
 *
 * @example
 * // Keys you have:
 * const verdict = await verifyRequest(request, { jwks: { keys: [publicJwk(jwk)] } });
 * if (verdict.verdict !== "verified") console.log(verdict.error.code);
 * // An agent's keys, from its directory (kept in Workers KV across isolates):
 * const agent = await verifyRequest(request, { profile: "web-bot-auth", cache: env.DIRECTORIES });
 * if (agent.verdict === "verified") console.log(agent.identifier); // the directory URL
 */
export function verifyRequest(request: MessageInput, options?: VerifyOptions): Promise<Verdict>;

/**
 * {@link signRequest} without a Promise, for code that cannot wait (a synchronous hook, a
 * hot loop). In Node the signature is made by `node:crypto` (synchronous OpenSSL) where it
 * has the algorithm, elsewhere by the package's WebAssembly code (WebCrypto has no
 * synchronous form). The headers are the same as {@link signRequest}'s.
 *
 * @param message `{method, url, headers, body?}` (or a WHATWG `Request`): a body, needed only
 *   with `contentDigest`, must be a string or bytes, since a stream cannot be read synchronously.
 * @throws {HttpsealError} as {@link signRequest}, and `malformed_message` for a body stream
 *   when `contentDigest` needs it.
 * @example
 * const headers = signRequestSync({ method: "GET", url: "https://example.com/" }, jwk, {
 *   signatureAgent: "https://agent.example",
 * });
 */
export function signRequestSync(
  message: Request | RequestObject | ResponseObject,
  privateJwk: Jwk | string,
  options?: SignOptions,
): SignatureHeaders;

/** Options of {@link verifyRequestSync}: the keys are required, since nothing is fetched. */
export interface VerifySyncOptions {
  /** The keys to check against: a JWK Set, an array of JWKs, one JWK, or its JSON text. */
  jwks: JwkSet | Jwk[] | Jwk | string;
  /** See {@link VerifyOptions.now}. */
  now?: VerifyOptions["now"];
  /** See {@link VerifyOptions.profile}. */
  profile?: VerifyOptions["profile"];
  /** See {@link VerifyOptions.policy}. */
  policy?: VerifyOptions["policy"];
}

/**
 * {@link verifyRequest} against keys you have, without a Promise: the same verdict. In Node
 * the signature bytes are checked by `node:crypto` (synchronous OpenSSL) where it has the
 * algorithm, elsewhere by the package's WebAssembly code. Directories are not resolved
 * (that fetches): without `jwks` it throws `malformed_message`; use {@link verifyRequest}.
 *
 * @param message `{method, url, headers, body?}` with the body as a string or bytes, or a
 *   WHATWG `Request`/`Response` without a body.
 * @example
 * const verdict = verifyRequestSync(message, { jwks: [publicJwk(jwk)], profile: "web-bot-auth" });
 */
export function verifyRequestSync(message: MessageInput, options: VerifySyncOptions): Verdict;

/**
 * The signature base (RFC 9421 §2.5) of a message: the exact text that is signed, for the
 * signature labelled `label` in the message, or for new parameters. The body is never
 * part of a base, so this is synchronous even for a `Request`.
 * @throws {HttpsealError} `label_not_found`, `missing_field`, `invalid_component`, ...
 */
export function signatureBase(message: MessageInput, params: SignatureBaseParams): string;

/** A key directory: the JWK Set an agent publishes. */
export interface Directory {
  keys: Array<Jwk & { kid: string; use: "sig" }>;
}

/**
 * The key directory (Web Bot Auth) publishing the public halves of `keys`, each with
 * `kid` = its thumbprint and `"use": "sig"`. Serve it at
 * `/.well-known/http-message-signatures-directory` as
 * `application/http-message-signatures-directory+json`, or use
 * {@link signDirectoryResponse} to serve it signed.
 * @param keys private or public JWKs: a JWK Set, an array or one JWK.
 * @throws {HttpsealError} `unsupported_key` (a shared secret, or a key this build lacks),
 *   `malformed_jwk`.
 */
export function createDirectory(keys: JwkSet | Jwk[] | Jwk | string): Directory;

/** Options of {@link signDirectoryResponse}. */
export interface DirectorySignOptions {
  /** The host that serves the directory (the `@authority` the signatures cover). */
  authority: string;
  /** `created`, UNIX seconds (default: now). */
  created?: number;
  /** `expires`, UNIX seconds; or give `ttl` (not both). */
  expires?: number;
  /**
   * Seconds from `created` to `expires`. Without `ttl` or `expires`: 86400 (24 h, the
   * core's default, as for `httpseal directory sign`).
   */
  ttl?: number;
}

/** A signed directory response, ready for `new Response(body, { status, headers })`. */
export interface SignedDirectoryResponse {
  status: 200;
  /**
   * `Content-Type`, `Content-Digest`, `Signature-Input`, `Signature` (with several keys,
   * their signatures are combined in one field, comma-separated, as HTTP allows).
   */
  headers: Record<string, string>;
  /** The directory JSON, exactly the bytes the `Content-Digest` covers. */
  body: string;
}

/**
 * The directory response signed with every one of `keys` (the possession proof of Web Bot
 * Auth): one signature per key (`binding`, `binding2`, ...) over `"@authority";req` and
 * `content-digest`, with `tag="http-message-signatures-directory"`.
 * @param keys the agent's private JWKs.
 * @throws {HttpsealError} `not_a_private_key`, `unsupported_key`, `malformed_message`
 *   (both `ttl` and `expires`), `expires_before_created`.
 * @example
 * const { status, headers, body } = signDirectoryResponse([jwk], { authority: "agent.example" });
 * return new Response(body, { status, headers });
 */
export function signDirectoryResponse(
  keys: JwkSet | Jwk[] | Jwk | string,
  options: DirectorySignOptions,
): SignedDirectoryResponse;

/**
 * `fetch` with a signature: builds `new Request(input, init)`, signs it with
 * {@link signRequest}, adds the headers and fetches it.
 */
export function signedFetch(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  privateJwk: Jwk | string,
  options?: SignOptions,
): Promise<Response>;

/**
 * Turns the WebCrypto fast path on (the default wherever `crypto.subtle` exists) or off.
 * On, {@link signRequest}, {@link signedFetch} and {@link verifyRequest} make and check the
 * signature bytes with the platform's native primitive for every algorithm it has — in Node
 * `node:crypto` (synchronous OpenSSL, also used by {@link signRequestSync} and
 * {@link verifyRequestSync}), elsewhere `crypto.subtle` (detected once per algorithm) — and
 * with the package's own WebAssembly code for the rest.
 * Off, the WebAssembly code does all of it. The headers and verdicts are the same either
 * way (ECDSA and RSA-PSS signatures are randomised, so their bytes differ between any two
 * signatures); the switch exists to compare, to debug, or to avoid a platform's WebCrypto.
 * It applies to this entry point (`httpseal` and `httpseal/ed25519` each have their own).
 */
export function useWebCrypto(enabled?: boolean): void;

/**
 * The algorithms, of {@link supportedAlgorithms}, whose signatures the platform's primitive
 * (`node:crypto` in Node, WebCrypto elsewhere) makes and checks here: all six in Node ≥ 20 and current browsers, no `ed25519` where WebCrypto
 * lacks it (older browsers), none without `crypto.subtle` (a page served over plain HTTP)
 * or after `useWebCrypto(false)`.
 */
export function webCryptoAlgorithms(): Promise<Algorithm[]>;
