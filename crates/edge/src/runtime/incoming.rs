//! The incoming request as the platform hands it over (`web_sys::Request`).
//!
//! workers-rs' `worker::Request` reads the request's `cf` object when it is built, which
//! costs workerd a JSON parse on every request (3–4 % of the gateway's CPU in profiles);
//! the gateway never needs `cf`, so it works on the platform's request directly.

use alloc::string::String;
use alloc::vec::Vec;
use worker::wasm_bindgen::JsCast;
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::web_sys;
use worker::{Headers, Response, Result};

/// The path of a request URL (`/a/b`, without query), as WHATWG serialises it.
pub fn path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    &path[..path.find(['?', '#']).unwrap_or(path.len())]
}

/// The request's header fields (lower-case names, repeated fields combined).
pub fn headers(req: &web_sys::Request) -> Headers {
    Headers(req.headers())
}

/// A header's value.
pub fn header(req: &web_sys::Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// Whether the request carries a body.
pub fn has_body(req: &web_sys::Request) -> bool {
    !matches!(req.method().as_str(), "GET" | "HEAD") && req.body().is_some()
}

/// The whole body.
pub async fn bytes(req: &web_sys::Request) -> Result<Vec<u8>> {
    let buffer = JsFuture::from(req.array_buffer()?).await?;
    Ok(worker::js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Sends `req` with the platform's global `fetch`.
pub async fn fetch(req: &web_sys::Request) -> Result<Response> {
    let global: web_sys::WorkerGlobalScope = worker::js_sys::global().unchecked_into();
    let response: web_sys::Response = JsFuture::from(global.fetch_with_request(req))
        .await?
        .dyn_into()?;
    Ok(Response::from(response))
}

/// Sends `req` to a service binding or the static assets (`env.ASSETS.fetch(req)`).
pub async fn fetch_binding(binding: worker::Fetcher, req: &web_sys::Request) -> Result<Response> {
    let fetcher: worker::worker_sys::Fetcher = binding.into_rpc();
    let response: web_sys::Response = JsFuture::from(fetcher.fetch(req)?).await?.dyn_into()?;
    Ok(Response::from(response))
}
