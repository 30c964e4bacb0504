// A local key directory server on 127.0.0.1 for the directory resolution tests: serves
// what each path is set to, counts hits per path, and can play dead (reset connections),
// hang (never answer) or answer slowly. Directories are signed by httpseal itself: a signer
// Worker (the same build, in `api` mode with OPERATOR_PRIVATE_JWKS) serves its directory
// for this server's authority, and the test server replays that response.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { startWorker } from "./helpers.mjs";

export const DIRECTORY_PATH = "/.well-known/http-message-signatures-directory";

/** Starts the server. `set(path, response)` with {status, headers, body, delayMs} or a function. */
export async function startDirectoryServer() {
  const routes = new Map();
  const hits = new Map();
  const sockets = new Set();
  let mode = "up";
  const server = createServer((req, res) => {
    const path = req.url.split("?")[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (mode === "down") return req.socket.destroy();
    if (mode === "hang") return; // never answers
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    if (typeof route === "function") return route(req, res);
    const send = () => {
      res.writeHead(route.status ?? 200, route.headers ?? {});
      res.end(route.body ?? "");
    };
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    set: (path, response) => routes.set(path, response),
    hits: (path = DIRECTORY_PATH) => hits.get(path) ?? 0,
    /** "up", "down" (connections reset) or "hang" (requests never answered). */
    mode: (m) => { mode = m; },
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

/**
 * The directory response httpseal's own directory route serves for `privateJwks` at
 * `origin` (signed for its authority): {headers: {name: value}, body}.
 */
export async function signedDirectory(origin, privateJwks) {
  const signer = await startWorker({ MODE: "api", OPERATOR_PRIVATE_JWKS: JSON.stringify({ keys: privateJwks }) });
  try {
    const res = await signer.dispatchFetch(origin + DIRECTORY_PATH);
    if (res.status !== 200) throw new Error(`signer: ${res.status} ${await res.text()}`);
    const headers = {};
    for (const name of ["content-type", "content-digest", "signature", "signature-input", "cache-control"]) {
      headers[name] = res.headers.get(name);
    }
    return { headers, body: await res.text() };
  } finally {
    await signer.dispose();
  }
}

/** The Worker's KV key for a directory URL (`dir:` + base64url SHA-256 of the URL). */
export const directoryKvKey = (url) => "dir:" + createHash("sha256").update(url).digest("base64url");

/** A fresh Ed25519 key pair as JWKs. */
export async function newEd25519() {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const priv = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const { key_ops, ext, ...jwk } = priv;
  const { d, ...pub } = jwk;
  return { private: jwk, public: pub };
}

/** Waits until `check()` is truthy (background work in the Worker), polling. */
export async function until(check, what, limitMs = 10_000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
