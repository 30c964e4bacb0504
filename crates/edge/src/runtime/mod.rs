//! The Worker itself (wasm32 only): the fetch handler and its routes. Every protocol
//! decision is the core's — the verifier job says what to look up, fetch, check, digest and
//! record, the gateway decisions say what `enforce` answers — and this layer moves bytes
//! between the job and the platform (requests, `fetch`, KV, the Durable Object, static
//! assets, the clock), within the isolate's budgets.

mod chunks;
mod clock;
mod dashboard;
mod directory;
mod driver;
mod env_config;
pub mod fetcher;
mod forward;
mod gateway;
mod incoming;
mod message;
mod nonce_store;
mod observe;
mod random;
mod responses;
mod routes;
mod signature_check;

use httpseal::gateway::Problem;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::{Env, IntoResponse, worker_sys::web_sys};

/// The Worker's `fetch` handler, exported to the JavaScript shim (`js/edge/worker-shim.mjs`, bundled by `scripts/build-edge.sh`).
///
/// Written out rather than with workers-rs' `#[event(fetch)]`, whose expansion assumes a
/// crate with std's prelude; httpseal's core is `no_std`.
#[wasm_bindgen(wasm_bindgen_futures = ::worker::wasm_bindgen_futures, js_sys = ::worker::js_sys)]
pub async fn fetch(
    req: web_sys::Request,
    env: Env,
    ctx: worker::worker_sys::Context,
) -> Result<JsValue, JsValue> {
    let ctx = worker::Context::new(ctx);
    let response = match routes::route(&req, &env, &ctx).await {
        Ok(response) => response,
        // A platform error (a binding that throws, a body that cannot be read): answer
        // with a problem rather than let the runtime print an opaque 500.
        Err(e) => responses::problem(&Problem::new(
            500,
            "internal_error",
            alloc::format!("the Worker could not complete the request: {e}"),
        ))?,
    };
    match response.into_raw() {
        Ok(raw) => Ok(JsValue::from(raw)),
        Err(e) => {
            let e: alloc::boxed::Box<dyn core::error::Error> = e.into();
            Err(JsValue::from_str(&alloc::format!("{e}")))
        }
    }
}
