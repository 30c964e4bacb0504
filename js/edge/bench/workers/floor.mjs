// Floor: the platform's cost of one Ed25519 verification and a forward, nothing else. The
// signature base and signature are precomputed (FLOOR_BASE, FLOOR_SIGNATURE); the request
// is not parsed. No verifier can do less work per request.
let key;
let base;
let signature;

export default {
  async fetch(request, env) {
    if (!key) {
      key = await crypto.subtle.importKey("jwk", JSON.parse(env.TRUSTED_JWKS).keys[0], { name: "Ed25519" }, false, ["verify"]);
      base = new TextEncoder().encode(env.FLOOR_BASE);
      signature = Uint8Array.from(atob(env.FLOOR_SIGNATURE), (c) => c.charCodeAt(0));
    }
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, base);
    if (!ok) return new Response("invalid", { status: 403 });
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("httpseal-verdict", "verified");
    return fetch(env.UPSTREAM_ORIGIN + url.pathname + url.search, { method: request.method, headers, redirect: "manual" });
  },
};
