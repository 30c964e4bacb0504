// The public JavaScript API of the npm package `httpseal`, over the raw wasm exports
// (`crates/npm/src/*.rs`). It converts inputs to the core's JSON shapes, reads bodies that live in
// streams, and parses the JSON the core returns. Every rule (defaults, policy, parsing)
// lives in the Rust core, shared with the CLI and the edge Worker.

import { codedError } from "./errors.js";
import { describeMessage, readMessage } from "./message.js";
import { createNodeCrypto } from "./nodecrypto.js";
import { createRefresher, drive, driveSync, sharedStore } from "./verify.js";
import { createWebCrypto } from "./webcrypto.js";

const jwkText = (jwk, what) => {
  if (typeof jwk === "string") return jwk;
  if (jwk !== null && typeof jwk === "object") return JSON.stringify(jwk);
  throw codedError("malformed_jwk", `${what} must be a JWK object or its JSON text`);
};

/** Keys as a JWK Set, an array of JWKs or one JWK (objects or JSON text). */
const keysText = (keys) => {
  if (typeof keys === "string") return keys;
  if (keys !== null && typeof keys === "object") return JSON.stringify(keys);
  throw codedError("malformed_jwk", "keys must be a JWK Set, an array of JWKs or a JWK");
};

/**
 * Header pairs as a record. A repeated field (one Signature-Input line per key of a
 * directory) is combined with ", ", which HTTP defines as the same field.
 */
function headerRecord(pairs) {
  const record = {};
  for (const [name, value] of pairs) record[name] = name in record ? `${record[name]}, ${value}` : value;
  return record;
}

const VERIFY_OPTIONS = new Set(["jwks", "now", "profile", "policy", "fetch", "cache", "allowHttp"]);
const VERIFY_USAGE = "verifyRequest(request, {jwks?, now?, profile?, policy?, fetch?, cache?, allowHttp?})";
const VERIFY_SYNC_OPTIONS = new Set(["jwks", "now", "profile", "policy"]);
const VERIFY_SYNC_USAGE = "verifyRequestSync(message, {jwks, now?, profile?, policy?})";

/** Refuses an options object that is not one, or names a member `allowed` lacks. */
function checkOptions(options, allowed, usage) {
  if (options === null || typeof options !== "object") {
    throw codedError("malformed_message", `${usage} needs an options object`);
  }
  for (const name of Object.keys(options)) {
    if (!allowed.has(name)) {
      throw codedError("malformed_message", `unknown verify option ${JSON.stringify(name)} (${[...allowed].join(", ")})`);
    }
  }
}

/** How many parsed signing keys, and parsed `jwks`, to keep; when full, the one added first is freed. */
const KEY_CACHE_SIZE = 16;

/** A bounded map of wasm objects by text: the oldest is freed when a new one needs room. */
function parsedCache(parse) {
  const entries = new Map();
  return (text) => {
    let entry = entries.get(text);
    if (entry === undefined) {
      entry = parse(text);
      if (entries.size >= KEY_CACHE_SIZE) {
        const [oldest, evicted] = entries.entries().next().value;
        entries.delete(oldest);
        (evicted.parsed ?? evicted).free();
      }
      entries.set(text, entry);
    }
    return entry;
  };
}

/**
 * Builds the API from the wasm-bindgen exports of one build (all algorithms or Ed25519).
 * The platform's primitive signs and checks signature bytes where it has the algorithm:
 * `nodeCrypto` (the `node:crypto` module, given by the Node entries; synchronous, see
 * nodecrypto.js) when given, else `subtle`, the platform's SubtleCrypto (see webcrypto.js);
 * tests pass stand-ins. Without either, the core's portable primitives do it all.
 */
export function createApi(core, subtle = globalThis.crypto?.subtle, nodeCrypto = undefined) {
  // `webCrypto` names the platform primitive, whichever it is: the public switch is useWebCrypto.
  const native = nodeCrypto === undefined || nodeCrypto === null ? undefined : createNodeCrypto(nodeCrypto);
  const webCrypto = native ?? createWebCrypto(core, subtle);

  // Parsed signing keys by JWK text: an agent signs every request with the same key, and
  // reading a private JWK costs as much as a signature (see ParsedKey in crates/npm/src/keys.rs).
  // Each keeps its thumbprint, under which WebCrypto's imported key is cached.
  const parsedKey = parsedCache((text) => {
    const parsed = new core.ParsedKey(text);
    return { parsed, thumbprint: parsed.thumbprint() };
  });
  const signingKey = (privateJwk) => parsedKey(jwkText(privateJwk, "privateJwk"));
  // Parsed `jwks` by their JSON text (KeySet in crates/npm/src/verify.rs): a server checks
  // every request against the same keys. Jobs share the parsed set, so evicting one is safe.
  const keySet = parsedCache((text) => new core.KeySet(text));
  // Background refreshes of stale directories, one per directory at a time.
  const refresh = createRefresher();

  function generateKeyPair(alg = "ed25519") {
    return JSON.parse(core.generateKeyPair(alg));
  }

  function publicJwk(jwk) {
    return JSON.parse(core.publicJwk(jwkText(jwk, "publicJwk(jwk)")));
  }

  function jwkThumbprint(jwk) {
    return core.jwkThumbprint(jwkText(jwk, "jwkThumbprint(jwk)"));
  }

  function supportedAlgorithms() {
    return JSON.parse(core.supportedAlgorithms());
  }

  async function signRequest(request, privateJwk, options = {}) {
    // The body matters for signing only when a Content-Digest is to be computed.
    const { json, bytes } = await readMessage(request, Boolean(options && options.contentDigest));
    const key = signingKey(privateJwk);
    const task = new core.SignTask(JSON.stringify(json), bytes, key.parsed, JSON.stringify(options ?? {}));
    // finish() and finishInCore() consume (and free) the task.
    const out = JSON.parse(await webCrypto.sign(task, key.thumbprint));
    // Ordered as the core added them: Signature-Agent, Content-Digest, Signature-Input, Signature.
    return headerRecord(out.headers);
  }

  /**
   * The message of a synchronous call: a body can only be one the caller holds (a string or
   * bytes), never a stream, which would take a Promise to read.
   */
  function heldMessage(message, needBody, what) {
    const described = describeMessage(message);
    if (needBody && described.stream !== undefined) {
      throw codedError(
        "malformed_message",
        `${what} cannot read a Request or Response body (a stream): pass {method, url, headers, body} with the body as a string or bytes, or call the asynchronous form`,
      );
    }
    return described;
  }

  function signRequestSync(message, privateJwk, options = {}) {
    const { json, bytes } = heldMessage(message, Boolean(options && options.contentDigest), "signRequestSync");
    const key = signingKey(privateJwk);
    const task = new core.SignTask(JSON.stringify(json), bytes, key.parsed, JSON.stringify(options ?? {}));
    // Where the primitive is asynchronous (WebCrypto) the core signs: a Promise cannot be awaited here.
    const out = JSON.parse(native === undefined ? task.finishInCore() : native.sign(task, key.thumbprint));
    return headerRecord(out.headers);
  }

  /** The verify request document the core reads: the message with `now`, `profile` and `policy`. */
  function verifyDocument(json, options) {
    const doc = { ...json };
    if (options.now !== undefined) {
      doc.now = options.now instanceof Date ? Math.floor(options.now.getTime() / 1000) : options.now;
    }
    if (options.profile !== undefined) doc.profile = options.profile;
    if (options.policy !== undefined) doc.policy = options.policy;
    return JSON.stringify(doc);
  }

  function verifyRequestSync(message, options = {}) {
    checkOptions(options, VERIFY_SYNC_OPTIONS, VERIFY_SYNC_USAGE);
    if (options.jwks === undefined || options.jwks === null) {
      throw codedError(
        "malformed_message",
        `${VERIFY_SYNC_USAGE} needs jwks: resolving Signature-Agent directories fetches, which only verifyRequest can wait for`,
      );
    }
    const keys = keySet(keysText(options.jwks));
    const { json, bytes } = heldMessage(message, true, "verifyRequestSync");
    const task = core.VerifyTask.withKeys(verifyDocument(json, options), bytes, keys);
    try {
      driveSync(task, native === undefined ? () => undefined : native.check);
      return JSON.parse(task.verdict());
    } finally {
      task.free();
    }
  }

  async function verifyRequest(request, options = {}) {
    checkOptions(options, VERIFY_OPTIONS, VERIFY_USAGE);
    const withKeys = options.jwks !== undefined;
    let keys;
    if (withKeys) {
      if (options.jwks === null) {
        throw codedError("malformed_message", "no keys: give jwks (a JWK Set, an array of JWKs or one JWK), or leave it out to resolve Signature-Agent directories");
      }
      keys = keySet(keysText(options.jwks));
    }
    const fetchFn = options.fetch ?? globalThis.fetch;
    const store = sharedStore(options.cache);
    if (!withKeys) {
      if (typeof fetchFn !== "function") throw codedError("malformed_message", "fetch must be a function (there is no global fetch here)");
      if (store === null) throw codedError("malformed_message", "cache must have get(key) and put(key, text, options) or set(key, text)");
      if (options.allowHttp !== undefined && typeof options.allowHttp !== "boolean") throw codedError("malformed_message", "allowHttp must be a boolean");
    }
    const { json, bytes } = await readMessage(request, true);
    const text = verifyDocument(json, options);
    const task = withKeys ? core.VerifyTask.withKeys(text, bytes, keys) : new core.VerifyTask(text, bytes, options.allowHttp === true, store !== undefined);
    const io = { fetch: fetchFn, store, check: webCrypto.check };
    try {
      await drive(task, io);
      const verdict = JSON.parse(task.verdict());
      // Stale directories the job used are refreshed after the verdict, off the caller's path.
      for (let stale = task.takeRefresh(); stale !== undefined; stale = task.takeRefresh()) refresh(stale, io);
      return verdict;
    } finally {
      task.free();
    }
  }

  function signatureBase(message, params) {
    const { json } = describeMessage(message);
    return core.signatureBase(JSON.stringify(json), JSON.stringify(params ?? {}));
  }

  function createDirectory(keys) {
    return JSON.parse(core.createDirectory(keysText(keys)));
  }

  function signDirectoryResponse(keys, options) {
    const out = JSON.parse(core.signDirectoryResponse(keysText(keys), JSON.stringify(options ?? {})));
    return { status: out.status, headers: headerRecord(out.headers), body: out.body };
  }

  async function signedFetch(input, init, privateJwk, options = {}) {
    const request = new Request(input, init);
    const added = await signRequest(request, privateJwk, options);
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(added)) headers.set(name, value);
    return fetch(new Request(request, { headers }));
  }

  function useWebCrypto(enabled = true) {
    webCrypto.setEnabled(enabled);
  }

  /** The algorithms the platform's primitive (node:crypto in Node, else WebCrypto) serves here. */
  function webCryptoAlgorithms() {
    return Promise.resolve(webCrypto.algorithms(supportedAlgorithms()));
  }

  return {
    generateKeyPair,
    publicJwk,
    jwkThumbprint,
    supportedAlgorithms,
    signRequest,
    verifyRequest,
    signRequestSync,
    verifyRequestSync,
    signatureBase,
    createDirectory,
    signDirectoryResponse,
    signedFetch,
    useWebCrypto,
    webCryptoAlgorithms,
  };
}

/** The names every entry point exports (the build script writes them out). */
export const API_NAMES = [
  "generateKeyPair",
  "publicJwk",
  "jwkThumbprint",
  "supportedAlgorithms",
  "signRequest",
  "verifyRequest",
  "signRequestSync",
  "verifyRequestSync",
  "signatureBase",
  "createDirectory",
  "signDirectoryResponse",
  "signedFetch",
  "useWebCrypto",
  "webCryptoAlgorithms",
];
