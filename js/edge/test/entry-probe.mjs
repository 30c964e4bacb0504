// The Worker's entry for tests that look inside it: js/edge/entry.mjs (the built Worker and
// the NonceLedger Durable Object class) plus routes under /__probe/ that only this entry has.
// The deployed entry (wrangler.toml `main`) has none of this, and nothing of it is in the
// built Worker (crates/edge/build/).
//
//   GET  /__probe/wasm    → {memoryBytes, instances, criticalError}: the live instance's
//                           memory.buffer.byteLength, how many instances were created
//                           (1 + reinitialisations), workers-rs' critical-error flag
//   POST /__probe/poison  → sets the critical-error flag, as workers-rs' panic hook does;
//                           the next request must run on a new instance
//   POST /__probe/break   → hands the Worker's fetch a plain object instead of a Request:
//                           the wasm fails on it (a JS error through wasm frames, which the
//                           glue treats as an abort), that call never settles, and the next
//                           request must run on a new instance
import { wasmInstances } from "./wasm-instances.mjs"; // first: before the Worker instantiates
import worker from "../entry.mjs";

export { NonceLedger } from "../entry.mjs";

function probe(request) {
  const { pathname } = new URL(request.url);
  const state = globalThis.__worker_init_state; // workers-rs' shared state object
  if (pathname === "/__probe/wasm" && request.method === "GET") {
    const { count, latest } = wasmInstances();
    return Response.json({
      memoryBytes: latest ? latest.exports.memory.buffer.byteLength : null,
      instances: count,
      criticalError: state?.criticalError ?? null,
    });
  }
  if (pathname === "/__probe/poison" && request.method === "POST") {
    state.criticalError = true;
    return new Response(null, { status: 204 });
  }
  return null;
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__probe/break" && request.method === "POST") {
      worker.fetch({ method: "GET", url: "https://broken.example/" }, env, ctx).catch(() => {});
      return new Response(null, { status: 202 });
    }
    return probe(request) ?? worker.fetch(request, env, ctx);
  },
};
