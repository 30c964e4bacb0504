// Helpers shared by the test cases: the RFC keys as JWKs, and reading a Signature-Input
// value back into signRequest options (so a vector can be re-signed through the JS API).

const b64ToUrl = (b64) => b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The RFC 9421 Appendix B keys as private JWKs (kid = the RFC's key name). */
export function rfcKeys(vectors) {
  return {
    "test-key-ecc-p256": vectors["key:test-key-ecc-p256"],
    "test-key-ed25519": vectors["key:test-key-ed25519"],
    // B.1.2 is an RSASSA-PSS key: its JWK says so with alg.
    "test-key-rsa-pss": { ...vectors["key:test-key-rsa-pss"], alg: "PS512" },
    "test-key-rsa": vectors["key:test-key-rsa"],
    "test-shared-secret": { kty: "oct", kid: "test-shared-secret", k: b64ToUrl(vectors["text:test-shared-secret"]) },
  };
}

/** `label=(components);params` → `{label, components, params}` (components in user form). */
export function parseSignatureInput(text) {
  const eq = text.indexOf("=");
  const label = text.slice(0, eq);
  const close = text.indexOf(")");
  const inner = text.slice(eq + 2, close);
  const components = [];
  const item = /"([^"]+)"((?:;[a-z]+(?:=(?:"[^"]*"|[^\s;"]+))?)*)/g;
  for (const m of inner.matchAll(item)) components.push(m[1] + m[2]);
  const params = {};
  const param = /;([a-z]+)=("([^"]*)"|\d+)/g;
  for (const m of text.slice(close + 1).matchAll(param)) {
    params[m[1]] = m[3] !== undefined ? m[3] : Number(m[2]);
  }
  return { label, components, params };
}

/** signRequest options that reproduce a Signature-Input exactly (core parameter order). */
export function optionsFor(signatureInput, extra = {}) {
  const { label, components, params } = parseSignatureInput(signatureInput);
  // Plain RFC 9421 unless told otherwise (signRequest's own default is web-bot-auth).
  const options = { profile: "rfc9421", label, components, created: params.created, keyid: params.keyid, includeAlg: "alg" in params };
  if (params.alg) options.alg = params.alg;
  if (params.expires !== undefined) options.expires = params.expires;
  options.nonce = params.nonce ?? false;
  if (params.tag) options.tag = params.tag;
  return { ...options, ...extra };
}

/** Replaces (or adds) a header in a plain message's `[[name, value]]` list. */
export function withHeader(message, name, value) {
  const headers = message.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  return { ...message, headers: [...headers, [name, value]] };
}

/** A plain message with the signature headers appended. */
export function signed(message, headers) {
  return { ...message, headers: [...message.headers, ...Object.entries(headers)] };
}
