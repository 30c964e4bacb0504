//! The incoming request as the platform hands it over (`web_sys::Request`).
//!
//! workers-rs' `worker::Request` reads the request's `cf` object when it is built, which
//! costs workerd a JSON parse on every request (3–4 % of the gateway's CPU in profiles);
//! the gateway never needs `cf`, so it works on the platform's request directly.

use super::chunks::Chunks;
use crate::budget::{Budget, Reservation};
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

/// Why a body was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRefused {
    /// It is larger than the limit (announced, or found while streaming).
    TooLarge,
    /// The isolate's budget of buffered bytes is spent.
    Busy,
}

/// The whole body, read as it streams up to `limit` bytes (plus one, to tell "too large"),
/// whether or not it announces a length, each chunk held against `budget`.
pub async fn bytes_bounded<'b>(
    req: &web_sys::Request,
    limit: usize,
    budget: &'b Budget,
    budget_limit: usize,
) -> Result<core::result::Result<(Vec<u8>, Reservation<'b>), BodyRefused>> {
    let declared = header(req, "content-length").and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Ok(Err(BodyRefused::TooLarge));
    }
    let Some(mut held) = budget.reserve(declared.unwrap_or(0), budget_limit) else {
        return Ok(Err(BodyRefused::Busy));
    };
    let Some(stream) = req.body() else {
        return Ok(Ok((Vec::new(), held)));
    };
    let mut chunks = Chunks::new(&stream)?;
    // The chunks stay with the platform (JS memory, reclaimable) until the whole body is
    // in; wasm memory, which never shrinks, then receives it once, in a buffer of exactly
    // its size — growing a buffer as chunks arrive would leave up to twice the body
    // allocated, as each larger buffer is placed after the ones freed before it.
    let mut held_chunks = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = chunks.next().await? {
        let len = chunk.length() as usize;
        if total + len > limit {
            // Dropping the reader cancels the rest of the upload.
            return Ok(Err(BodyRefused::TooLarge));
        }
        total += len;
        if !held.grow(total.saturating_sub(held.bytes())) {
            return Ok(Err(BodyRefused::Busy));
        }
        held_chunks.push(chunk);
    }
    let mut body = alloc::vec![0u8; total];
    let mut at = 0;
    for chunk in held_chunks {
        let len = chunk.length() as usize;
        chunk.copy_to(&mut body[at..at + len]);
        at += len;
    }
    Ok(Ok((body, held)))
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
