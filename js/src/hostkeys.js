// What the platform primitives (webcrypto.js, nodecrypto.js) share about the keys they import:
// the JWK members a platform reads, and a bounded cache of imported keys.

/** The members WebCrypto and node:crypto read from a JWK; `alg`, `kid`, `use` and `key_ops` are left out. */
const KEY_MEMBERS = ["kty", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"];

/** How many imported keys a primitive keeps; when full, the least recently used one goes. */
export const KEY_CACHE_SIZE = 64;

/** The JWK text the core hands out (`hostKey()`), as the object a platform imports. */
export function importable(jwkText) {
  const jwk = JSON.parse(jwkText);
  const out = {};
  for (const name of KEY_MEMBERS) if (jwk[name] !== undefined) out[name] = jwk[name];
  return out;
}

/**
 * A cache of at most KEY_CACHE_SIZE imported keys by id (usage, algorithm and thumbprint):
 * `(id, make)` returns the entry for `id`, made by `make()` when there is none, and marks it
 * most recently used.
 */
export function importedKeys() {
  const entries = new Map();
  return (id, make) => {
    let entry;
    if (entries.has(id)) {
      entry = entries.get(id);
      entries.delete(id);
    } else {
      entry = make();
      if (entries.size >= KEY_CACHE_SIZE) entries.delete(entries.keys().next().value);
    }
    entries.set(id, entry);
    return entry;
  };
}
