// The shared cases (RFC 9421 and Web Bot Auth vectors, API behaviour, the WebCrypto fast
// path) against the Node build of the package: with node:crypto (the Node entries' default),
// with WebCrypto, and with the wasm primitives only.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { MODES, allCases } from "../cases/index.mjs";
import { serveStatic } from "../support/serve.mjs";
import { PKG, ROOT, httpseal, small, vectors } from "./load.mjs";

let server;
before(async () => {
  server = await serveStatic({ "/": ROOT });
});
after(() => server.close());

// The package's Node entries sign and check with node:crypto; WebCrypto (Node's crypto.subtle)
// is what the same API uses on every other platform, so it runs here too, over the same wasm.
const requireCjs = createRequire(import.meta.url);
const { createApi } = await import(join(PKG, "api.mjs"));
const overSubtle = (build) => createApi(requireCjs(join(PKG, "dist", build, "node", "httpseal.cjs")), crypto.subtle);
const webApi = { httpseal: overSubtle("full"), small: overSubtle("ed25519") };

/** `[mode, builds, useWebCrypto, primitive]`. */
const NODE_MODES = [
  ["node:crypto", { httpseal, small }, true, "node:crypto"],
  ...MODES.map(([mode, on]) => [mode, on ? webApi : { httpseal, small }, on, on ? "webcrypto" : "none"]),
];

for (const [mode, builds, webcrypto, primitive] of NODE_MODES) {
  describe(mode, () => {
    before(() => {
      builds.httpseal.useWebCrypto(webcrypto);
      builds.small.useWebCrypto(webcrypto);
    });
    for (const [name, fn] of allCases) {
      test(name, () => fn({ ...builds, vectors, assert, webcrypto, primitive, echoUrl: `${server.url}/echo` }));
    }
  });
}
