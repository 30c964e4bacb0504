// The public JavaScript API of the npm package `httpseal`, over the raw wasm exports
// (`crates/npm/src/*.rs`). It converts inputs to the core's JSON shapes, reads bodies that live in
// streams, and parses the JSON the core returns. Every rule (defaults, policy, parsing)
// lives in the Rust core, shared with the CLI and the edge Worker.

import { codedError } from "./errors.js";
import { describeMessage, readMessage } from "./message.js";
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

const jsonValue = (value) => (typeof value === "string" ? JSON.parse(value) : value);

const VERIFY_OPTIONS = new Set(["jwks", "now", "profile", "policy"]);

/** How many parsed signing keys to keep; when full, the one added first is freed. */
const KEY_CACHE_SIZE = 16;

/**
 * Builds the API from the wasm-bindgen exports of one build (all algorithms or Ed25519).
 * `subtle` is the platform's SubtleCrypto, which signs and checks signature bytes where it
 * has the algorithm (see webcrypto.js); tests pass a stand-in.
 */
export function createApi(core, subtle = globalThis.crypto?.subtle) {
  const webCrypto = createWebCrypto(core, subtle);

  // Parsed signing keys by JWK text: an agent signs every request with the same key, and
  // reading a private JWK costs as much as a signature (see ParsedKey in crates/npm/src/keys.rs).
  // Each keeps its thumbprint, under which WebCrypto's imported key is cached.
  const keyCache = new Map();
  function signingKey(privateJwk) {
    const text = jwkText(privateJwk, "privateJwk");
    let entry = keyCache.get(text);
    if (entry === undefined) {
      const parsed = new core.ParsedKey(text);
      entry = { parsed, thumbprint: parsed.thumbprint() };
      if (keyCache.size >= KEY_CACHE_SIZE) {
        const [oldest, evicted] = keyCache.entries().next().value;
        keyCache.delete(oldest);
        evicted.parsed.free();
      }
      keyCache.set(text, entry);
    }
    return entry;
  }

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
    const pending = core.prepareSignature(JSON.stringify(json), bytes, key.parsed, JSON.stringify(options ?? {}));
    const out = JSON.parse(await webCrypto.sign(pending, key.thumbprint));
    // Ordered as the core added them: Signature-Agent, Content-Digest, Signature-Input, Signature.
    return headerRecord(out.headers);
  }

  async function verifyRequest(request, options) {
    if (options === null || typeof options !== "object") {
      throw codedError("malformed_message", "verifyRequest(request, {jwks, now?, profile?, policy?}) needs options");
    }
    for (const name of Object.keys(options)) {
      if (!VERIFY_OPTIONS.has(name)) {
        throw codedError("malformed_message", `unknown verify option ${JSON.stringify(name)} (jwks, now, profile, policy)`);
      }
    }
    const { json, bytes } = await readMessage(request, true);
    const doc = { ...json, jwks: jsonValue(options.jwks) };
    if (options.now !== undefined) {
      doc.now = options.now instanceof Date ? Math.floor(options.now.getTime() / 1000) : options.now;
    }
    if (options.profile !== undefined) doc.profile = options.profile;
    if (options.policy !== undefined) doc.policy = options.policy;
    const pending = core.prepareVerification(JSON.stringify(doc), bytes);
    let results;
    try {
      results = new Uint8Array(pending.checkCount());
      for (let i = 0; i < results.length; i++) results[i] = (await webCrypto.check(pending, i)) ? 1 : 0;
    } catch (err) {
      pending.free();
      throw err;
    }
    return JSON.parse(pending.finish(results));
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

  function webCryptoAlgorithms() {
    return webCrypto.algorithms(supportedAlgorithms());
  }

  return {
    generateKeyPair,
    publicJwk,
    jwkThumbprint,
    supportedAlgorithms,
    signRequest,
    verifyRequest,
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
  "signatureBase",
  "createDirectory",
  "signDirectoryResponse",
  "signedFetch",
  "useWebCrypto",
  "webCryptoAlgorithms",
];
