// The shared cases (RFC 9421 and Web Bot Auth vectors, API behaviour, the WebCrypto fast
// path) against the Node build of the package, once with WebCrypto and once without.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MODES, allCases } from "../cases/index.mjs";
import { serveStatic } from "../support/serve.mjs";
import { ROOT, httpseal, small, vectors } from "./load.mjs";

let server;
before(async () => {
  server = await serveStatic({ "/": ROOT });
});
after(() => server.close());

for (const [mode, webcrypto] of MODES) {
  describe(mode, () => {
    before(() => {
      httpseal.useWebCrypto(webcrypto);
      small.useWebCrypto(webcrypto);
    });
    for (const [name, fn] of allCases) {
      test(name, () => fn({ httpseal, small, vectors, assert, webcrypto, echoUrl: `${server.url}/echo` }));
    }
  });
}
