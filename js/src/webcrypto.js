// The WebCrypto fast path. The wasm core prepares every signature (parameters, key,
// algorithm, signature base) and finishes it (Content-Digest, verdict, headers); in between,
// the signature bytes are made or checked here with the platform's own primitive
// (`crypto.subtle`, native code) when the platform has the algorithm, and by the core's
// portable implementation otherwise. The verdicts and headers are the same either way (see
// src/verify/host.rs in the core for the Ed25519 cases that make this need care).

import { importable, importedKeys } from "./hostkeys.js";

/** How each registry algorithm maps onto WebCrypto. */
const WEBCRYPTO = {
  ed25519: { key: { name: "Ed25519" }, op: { name: "Ed25519" } },
  "ecdsa-p256-sha256": { key: { name: "ECDSA", namedCurve: "P-256" }, op: { name: "ECDSA", hash: "SHA-256" } },
  "ecdsa-p384-sha384": { key: { name: "ECDSA", namedCurve: "P-384" }, op: { name: "ECDSA", hash: "SHA-384" } },
  // RFC 9421 §3.3.1 signs with a 64-byte salt, but verifiers must accept other lengths (Node
  // signers use the maximum); WebCrypto fixes the salt length, so its "false" is re-checked.
  "rsa-pss-sha512": { key: { name: "RSA-PSS", hash: "SHA-512" }, op: { name: "RSA-PSS", saltLength: 64 } },
  "rsa-v1_5-sha256": { key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, op: { name: "RSASSA-PKCS1-v1_5" } },
  "hmac-sha256": { key: { name: "HMAC", hash: "SHA-256" }, op: { name: "HMAC" } },
};

/**
 * A 2048-bit RSA public key (no private half exists anywhere): importing it is how RSA
 * support is detected, since generating an RSA key to probe with would take too long.
 */
const RSA_PROBE_KEY = {
  kty: "RSA",
  e: "AQAB",
  n:
    "0s9YToLT9pSNRtWXAGmv2kmpSI6j0SCOIuXwOuQ2b_sWE8AdoyMCfNx9WqPm2prxstAh8bcrZ1S1tUZYFkyMI4ZM_2cXZ_vOpl4o1qnVTG3FZ-M1-lSZsX8n8B" +
    "euzD8dDo0961cokreRGNI_LKt5wxK9zXTJI3OdjFqGLF213fr7jzpEIVmq5FIzv3swMJlucpzHzHLsYQQKYT6oNFbR_G9CoQc4EX0wN7UdwLG3uVSB2kr6iLJlM" +
    "ysdVBE0e1QpuSGxh3_j0HLMAK8GAiu5soH8Gl6klDGpNt3BM8GiesicZ8HHjolZofHhChwSkFsHV8Nbav3KR_MzEMgoJvWqmQ",
};

const PROBE_MESSAGE = new TextEncoder().encode("httpseal WebCrypto probe");

/**
 * The fast path for one build of the core. `subtle` is the platform's SubtleCrypto
 * (undefined where there is none, e.g. a page served over plain HTTP).
 */
export function createWebCrypto(core, subtle) {
  let enabled = subtle !== undefined && subtle !== null;
  /** alg → Promise<boolean>: whether WebCrypto has it (detected once). */
  const support = new Map();
  /** `usage alg thumbprint` → Promise<CryptoKey | null> (null: not importable). */
  const keys = importedKeys();

  async function probe(alg) {
    const spec = WEBCRYPTO[alg];
    if (alg.startsWith("rsa-")) {
      await subtle.importKey("jwk", RSA_PROBE_KEY, spec.key, false, ["verify"]);
      return true;
    }
    // A throw-away key from the core: WebCrypto must import it, sign with it, and accept
    // its own signature while refusing it over another message.
    const jwk = core.generateKeyPair(alg);
    const pub = importable(core.publicJwk(jwk));
    const [privateKey, publicKey] = await Promise.all([
      subtle.importKey("jwk", importable(jwk), spec.key, false, ["sign"]),
      subtle.importKey("jwk", pub, spec.key, false, ["verify"]),
    ]);
    const signature = await subtle.sign(spec.op, privateKey, PROBE_MESSAGE);
    const good = await subtle.verify(spec.op, publicKey, signature, PROBE_MESSAGE);
    const bad = await subtle.verify(spec.op, publicKey, signature, PROBE_MESSAGE.subarray(1));
    return good === true && bad === false;
  }

  /** Whether WebCrypto serves `alg` here (false when the fast path is off). */
  function supports(alg) {
    if (!enabled || WEBCRYPTO[alg] === undefined) return false;
    let known = support.get(alg);
    if (known === undefined) {
      known = probe(alg).catch(() => false);
      support.set(alg, known);
    }
    return known;
  }

  /** The imported key for `id`, importing (once) the JWK text `jwkText()` gives. */
  function cryptoKey(id, alg, usage, jwkText) {
    return keys(id, () =>
      Promise.resolve()
        .then(jwkText)
        .then((text) => (text === undefined ? null : subtle.importKey("jwk", importable(text), WEBCRYPTO[alg].key, false, [usage])))
        .catch(() => null),
    );
  }

  /**
   * A verifier job's check step (`task`, after `next()` returned a check): `true` or `false`
   * when WebCrypto decided (the job settles a `false` by the core's rules), `undefined` when
   * the core must check (the key or signature is one WebCrypto may not decide, the platform
   * lacks the algorithm, or WebCrypto failed).
   */
  async function check(task) {
    const alg = enabled ? task.alg() : undefined;
    if (alg === undefined || !(await supports(alg))) return undefined;
    const key = await cryptoKey(`verify ${alg} ${task.thumbprint()}`, alg, "verify", () => task.hostKey());
    if (key === null) return undefined;
    try {
      return (await subtle.verify(WEBCRYPTO[alg].op, key, task.signature(), task.base())) === true;
    } catch {
      return undefined;
    }
  }

  /**
   * Signs a SignTask whose key has the RFC 7638 `thumbprint`, and finishes it: the JSON
   * text of `{headers, signatureBase, alg}`.
   */
  async function sign(task, thumbprint) {
    const alg = task.alg();
    let signature;
    if (await supports(alg)) {
      const key = await cryptoKey(`sign ${alg} ${thumbprint}`, alg, "sign", () => task.hostKey());
      if (key !== null) {
        try {
          signature = new Uint8Array(await subtle.sign(WEBCRYPTO[alg].op, key, task.base()));
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
    /** Turns the fast path on (the default where there is a SubtleCrypto) or off. */
    setEnabled(on) {
      enabled = Boolean(on) && subtle !== undefined && subtle !== null;
    },
    /** The algorithms, of `names`, that WebCrypto serves here now. */
    async algorithms(names) {
      const served = await Promise.all(names.map((alg) => supports(alg)));
      return names.filter((_, i) => served[i]);
    },
  };
}
