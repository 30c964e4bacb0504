// The test-only memory probe (test/entry-probe.mjs, for issue 14): a test reads the size of
// the running Worker's wasm memory; a critical error makes the next request run on a fresh
// instance (the shim's reinitialisation); the deployed entry has no probe.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startWorker, postVerify, wasmProbe, PROBE_ENTRY, ROOT } from "./helpers.mjs";

const UNSIGNED = { method: "GET", url: "https://site.example/", headers: {} };
const PAGE = 65536;

test("the probe entry reads the wasm memory of the running Worker", async () => {
  const mf = await startWorker({}, { scriptPath: PROBE_ENTRY });
  try {
    const first = await wasmProbe(mf);
    assert.equal(first.instances, 1);
    assert.equal(first.criticalError, false);
    assert.ok(first.memoryBytes >= PAGE && first.memoryBytes % PAGE === 0, `whole wasm pages: ${first.memoryBytes}`);
    for (let i = 0; i < 20; i++) {
      const [status, verdict] = await postVerify(mf, UNSIGNED);
      assert.equal(status, 200);
      assert.equal(verdict.error.code, "no_signature");
    }
    const after = await wasmProbe(mf);
    assert.equal(after.instances, 1, "the same instance served every request");
    assert.ok(after.memoryBytes >= first.memoryBytes, "wasm memory never shrinks");
  } finally {
    await mf.dispose();
  }
});

test("after a critical error the next request runs on a new wasm instance", async () => {
  const mf = await startWorker({}, { scriptPath: PROBE_ENTRY });
  try {
    await postVerify(mf, UNSIGNED);
    assert.equal((await wasmProbe(mf)).instances, 1);
    const poisoned = await mf.dispatchFetch("http://localhost/__probe/poison", { method: "POST" });
    assert.equal(poisoned.status, 204);
    assert.equal((await wasmProbe(mf)).criticalError, true);
    const [status, verdict] = await postVerify(mf, UNSIGNED);
    assert.equal(status, 200);
    assert.equal(verdict.verdict, "unverified");
    assert.equal(verdict.error.code, "no_signature");
    const probe = await wasmProbe(mf);
    assert.equal(probe.instances, 2, "reinitialised once");
    assert.equal(probe.criticalError, false);
    assert.ok(probe.memoryBytes >= PAGE);
  } finally {
    await mf.dispose();
  }
});

test("after a failure inside the wasm the next request runs on a new wasm instance", async () => {
  const mf = await startWorker({}, { scriptPath: PROBE_ENTRY });
  try {
    await postVerify(mf, UNSIGNED);
    const broken = await mf.dispatchFetch("http://localhost/__probe/break", { method: "POST" });
    assert.equal(broken.status, 202);
    const [status, verdict] = await postVerify(mf, UNSIGNED);
    assert.equal(status, 200);
    assert.equal(verdict.error.code, "no_signature");
    const probe = await wasmProbe(mf);
    assert.equal(probe.instances, 2, "the failed instance was replaced before the next request");
  } finally {
    await mf.dispose();
  }
});

test("the deployed entry and the built Worker have no probe", async () => {
  for (const file of ["js/edge/entry.mjs", "crates/edge/build/index.js"]) {
    assert.doesNotMatch(readFileSync(ROOT + file, "utf8"), /__probe/, file);
  }
  const mf = await startWorker({ MODE: "api" });
  try {
    const res = await mf.dispatchFetch("http://localhost/__probe/wasm");
    const body = await res.text();
    assert.equal(res.status, 404);
    assert.doesNotMatch(body, /memoryBytes/);
  } finally {
    await mf.dispose();
  }
});
