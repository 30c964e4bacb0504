// The node:crypto fast path (Node only). The same seam as webcrypto.js — the wasm core
// prepares every signature (parameters, key, algorithm, signature base) and finishes it —
// but the bytes are made or checked by node:crypto's synchronous OpenSSL calls: no Promise
// per step, no SubtleCrypto key import per call, and so a synchronous sign and verify.
// Node's WebCrypto is the same OpenSSL, so the core's host-check rules (src/verify/host.rs:
// which Ed25519 keys and signatures a host may decide, which "false" the core confirms)
// hold unchanged, and the verdicts are the core's either way.

import { importable, importedKeys } from "./hostkeys.js";

/**
 * How each registry algorithm maps onto node:crypto: `digest` is the first argument of
 * `crypto.sign`/`crypto.verify` (null for Ed25519, which hashes internally), `signing` and
 * `checking` the key options. RSA-PSS verifies with the salt length recovered from the
 * signature (RFC 9421 §3.3.1: verifiers accept any), and signs with 64 bytes of salt.
 */
function algorithms(constants) {
  const p1363 = { dsaEncoding: "ieee-p1363" };
  return {
    ed25519: { digest: null, signing: {}, checking: {} },
    "ecdsa-p256-sha256": { digest: "sha256", signing: p1363, checking: p1363 },
    "ecdsa-p384-sha384": { digest: "sha384", signing: p1363, checking: p1363 },
    "rsa-pss-sha512": {
      digest: "sha512",
      signing: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
      checking: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
    },
    "rsa-v1_5-sha256": {
      digest: "sha256",
      signing: { padding: constants.RSA_PKCS1_PADDING },
      checking: { padding: constants.RSA_PKCS1_PADDING },
    },
    "hmac-sha256": { hmac: "sha256" },
  };
}

/**
 * The fast path over `nodeCrypto` (the `node:crypto` module). Every function is
 * synchronous; `check` and `sign` have the shape of webcrypto.js's, so api.js drives either.
 */
export function createNodeCrypto(nodeCrypto) {
  const ALGS = algorithms(nodeCrypto.constants);
  let enabled = true;
  /**
   * `usage alg thumbprint` → the key as node:crypto is called with it — for HMAC the secret
   * KeyObject, else `{key, ...options}` of the algorithm and usage, made once per import so
   * that a sign or verify allocates nothing for it — or null (not importable).
   */
  const keys = importedKeys();

  function keyObject(id, alg, usage, jwkText) {
    return keys(id, () => {
      try {
        const text = jwkText();
        if (text === undefined) return null;
        const jwk = importable(text);
        const spec = ALGS[alg];
        if (spec.hmac !== undefined) return nodeCrypto.createSecretKey(Buffer.from(jwk.k ?? "", "base64url"));
        if (usage === "sign") return { key: nodeCrypto.createPrivateKey({ key: jwk, format: "jwk" }), ...spec.signing };
        return { key: nodeCrypto.createPublicKey({ key: jwk, format: "jwk" }), ...spec.checking };
      } catch {
        return null;
      }
    });
  }

  function hmac(spec, key, base) {
    return new Uint8Array(nodeCrypto.createHmac(spec.hmac, key).update(base).digest());
  }

  /**
   * A verifier job's check step: `true` or `false` when node:crypto decided (the job settles a
   * `false` by the core's rules), `undefined` when the core must.
   */
  function check(task) {
    const alg = enabled ? task.alg() : undefined;
    const spec = alg === undefined ? undefined : ALGS[alg];
    if (spec === undefined) return undefined;
    const key = keyObject(`verify ${alg} ${task.thumbprint()}`, alg, "verify", () => task.hostKey());
    if (key === null) return undefined;
    try {
      const signature = task.signature();
      const base = task.base();
      if (spec.hmac !== undefined) {
        const expected = hmac(spec, key, base);
        return expected.length === signature.length && nodeCrypto.timingSafeEqual(expected, signature);
      }
      return nodeCrypto.verify(spec.digest, base, key, signature) === true;
    } catch {
      return undefined;
    }
  }

  /**
   * Signs a SignTask whose key has the RFC 7638 `thumbprint`, and finishes it: the JSON
   * text of `{headers, signatureBase, alg}`.
   */
  function sign(task, thumbprint) {
    const alg = enabled ? task.alg() : undefined;
    const spec = alg === undefined ? undefined : ALGS[alg];
    let signature;
    if (spec !== undefined) {
      const key = keyObject(`sign ${alg} ${thumbprint}`, alg, "sign", () => task.hostKey());
      if (key !== null) {
        try {
          const base = task.base();
          signature = spec.hmac !== undefined ? hmac(spec, key, base) : new Uint8Array(nodeCrypto.sign(spec.digest, base, key));
        } catch {
          signature = undefined;
        }
      }
    }
    return signature === undefined ? task.finishInCore() : task.finish(signature);
  }

  return {
    check,
    sign,
    /** Turns the fast path on (the default) or off. */
    setEnabled(on) {
      enabled = Boolean(on);
    },
    /** The algorithms, of `names`, that node:crypto serves (all it maps, when enabled). */
    algorithms(names) {
      return enabled ? names.filter((alg) => ALGS[alg] !== undefined) : [];
    },
  };
}
