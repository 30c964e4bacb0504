// Runs the shared cases (the same list as Node's api.test.mjs) against the web build of
// the package, served from the repository root by js/test/support/serve.mjs. The Node side
// (chromium.test.mjs) reads window.__results.

import * as httpseal from "/pkg/dist/full/web/index.js";
import * as small from "/pkg/dist/ed25519/web/index.js";
import { MODES, allCases } from "../cases/index.mjs";
import { assert } from "../support/assert.mjs";
import { loadVectors } from "../support/vector-files.mjs";

async function read(path) {
  const response = await fetch(`/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
}

const list = document.getElementById("results");
const results = [];
try {
  const vectors = await loadVectors(read);
  const echoUrl = `${location.origin}/echo`;
  for (const [mode, webcrypto] of MODES) {
    httpseal.useWebCrypto(webcrypto);
    small.useWebCrypto(webcrypto);
    for (const [caseName, fn] of allCases) {
      await runCase(`${mode}: ${caseName}`, () => fn({ httpseal, small, vectors, assert, webcrypto, primitive: webcrypto ? "webcrypto" : "none", echoUrl }));
    }
  }
} catch (err) {
  results.push({ name: "setup", ok: false, error: String(err && err.stack ? err.stack : err) });
}
window.__results = results;

/** Runs one case and records its result (also in the page, for a person watching). */
async function runCase(name, run) {
  const item = document.createElement("li");
  item.textContent = name;
  list.append(item);
  const started = performance.now();
  try {
    await run();
    results.push({ name, ok: true, ms: performance.now() - started });
    item.textContent = `✔ ${name}`;
  } catch (err) {
    results.push({ name, ok: false, error: `${err && err.code ? `[${err.code}] ` : ""}${err && err.stack ? err.stack : err}` });
    item.textContent = `✖ ${name}: ${err}`;
  }
}
