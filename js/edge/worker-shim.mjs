// The Worker module around the wasm: scripts/build-edge.sh bundles this file with the
// wasm-bindgen glue (`--target module`, written next to it as ./index.js) into
// crates/edge/build/index.js. It is httpseal's own replacement for worker-build's shim.
//
// The glue instantiates crates/edge's wasm when the module loads and exports the Rust
// `fetch(req, env, ctx)`. This module gives workerd a module-format handler that calls it,
// and makes sure a request never runs on a wasm instance that has failed:
//
// - The glue is generated with `--experimental-reset-state-function` and
//   `--force-enable-abort-handler`: every call into the wasm is guarded, a trap marks the
//   instance terminated and runs workers-rs' abort hook, which schedules a reinitialisation;
//   the next call then starts on a fresh instance (`__wbg_reset_state`).
// - workers-rs' panic hook also sets `criticalError` on its shared state object (exported as
//   `__worker_init_state`). Checking it before each request, as worker-build's shim does,
//   covers a failure the glue's guard did not see; a `WebAssembly.RuntimeError` this module
//   sees (thrown, rejected, or uncaught elsewhere in the isolate) sets it too.
//
// The Durable Object class (NonceLedger) is plain JavaScript, exported by js/edge/entry.mjs;
// no class is exported from the wasm, so worker-build's per-instance class proxies (which
// rebuild Rust-backed objects after a reset) have nothing to do here.
import * as glue from "./index.js";

// Full stack traces in `wrangler tail` when Rust code fails deep in a call chain.
Error.stackTraceLimit = 100;

const state = glue.__worker_init_state();

function reinitialiseIfCritical() {
  if (!state.criticalError) return;
  console.log("httpseal-edge: reinitialising the wasm instance after a critical error");
  glue.__wbg_reset_state();
  state.criticalError = false;
}

function noteCritical(error) {
  if (error instanceof WebAssembly.RuntimeError) {
    console.error("Critical", error);
    state.criticalError = true;
  }
}

// A trap in work no request awaits (a waitUntil task, a timer) surfaces here.
if (typeof addEventListener === "function") {
  addEventListener("error", (event) => noteCritical(event.error));
  addEventListener("unhandledrejection", (event) => noteCritical(event.reason));
}

export default {
  fetch(request, env, ctx) {
    reinitialiseIfCritical();
    let response;
    try {
      response = glue.fetch(request, env, ctx);
    } catch (error) {
      noteCritical(error);
      throw error;
    }
    return response.catch((error) => {
      noteCritical(error);
      throw error;
    });
  },
};
