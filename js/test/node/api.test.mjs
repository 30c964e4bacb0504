// The shared cases (RFC 9421 and Web Bot Auth vectors, API behaviour) against the Node
// build of the package.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { allCases } from "../cases/index.mjs";
import { serveStatic } from "../support/serve.mjs";
import { ROOT, httpseal, small, vectors } from "./load.mjs";

let server;
before(async () => {
  server = await serveStatic({ "/": ROOT });
});
after(() => server.close());

for (const [name, fn] of allCases) {
  test(name, () => fn({ httpseal, small, vectors, assert, echoUrl: `${server.url}/echo` }));
}
