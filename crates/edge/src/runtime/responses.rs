//! Building responses: problem+json and JSON.

use alloc::string::ToString;
use httpseal::gateway::{PROBLEM_MEDIA_TYPE, Problem};
use serde::Serialize;
use worker::{Headers, Response, Result};

/// A problem+json response.
pub fn problem(p: &Problem) -> Result<Response> {
    with_problem_headers(p, Headers::new())
}

/// A problem+json response with extra headers (a challenge, `Allow`, `Retry-After`).
pub fn with_problem_headers(p: &Problem, headers: Headers) -> Result<Response> {
    headers.set("content-type", PROBLEM_MEDIA_TYPE)?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::from_bytes(p.to_json().into_bytes())?
        .with_status(p.status)
        .with_headers(headers))
}

/// `503 busy` with `Retry-After`: the isolate's budget is spent, try again shortly.
pub fn busy(detail: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set(
        "retry-after",
        &httpseal::gateway::RETRY_AFTER_SECONDS.to_string(),
    )?;
    with_problem_headers(&Problem::new(503, "busy", detail), headers)
}

/// A 200 JSON response.
pub fn json<T: Serialize>(value: &T) -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    let body = serde_json::to_vec(value).map_err(|e| worker::Error::RustError(e.to_string()))?;
    Ok(Response::from_bytes(body)?.with_headers(headers))
}
