//! The Worker itself (wasm32 only): the fetch handler and its routes. Every decision is
//! made by the pure modules of [`crate`]; this layer moves bytes between them and
//! the platform (requests, `fetch`, KV, static assets, the clock).

mod agent_directories;
mod clock;
mod directory;
mod env_config;
pub mod fetcher;
mod forward;
mod gateway;
mod incoming;
mod message;
mod nonce_store;
mod random;
mod responses;
mod routes;
mod signature_check;
mod verify_async;

use crate::problem::Problem;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::{Env, IntoResponse, worker_sys::web_sys};

/// The Worker's `fetch` handler, exported to the JavaScript shim `worker-build` generates.
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
