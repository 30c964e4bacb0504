// Baseline: the same gateway job done with npm web-bot-auth (Cloudflare's TypeScript
// implementation): verify the request's Web Bot Auth signature with the key given in
// TRUSTED_JWKS, then forward it to the upstream with a verdict header (401/403 otherwise).
import { verify } from "web-bot-auth";
import { verifierFromJWK } from "web-bot-auth/crypto";

let verifier; // imported once per isolate, as our Worker parses its keys once

export default {
  async fetch(request, env) {
    verifier ??= await verifierFromJWK(JSON.parse(env.TRUSTED_JWKS).keys[0]);
    let verdict = "verified";
    try {
      await verify(request, verifier);
    } catch (e) {
      const status = request.headers.has("signature") ? 403 : 401;
      return Response.json({ status, detail: String(e) }, { status, headers: { "content-type": "application/problem+json" } });
    }
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("httpseal-verdict", verdict);
    return fetch(env.UPSTREAM_ORIGIN + url.pathname + url.search, { method: request.method, headers, redirect: "manual" });
  },
};
