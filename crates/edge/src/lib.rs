//! The edge verifier: a Cloudflare Worker that verifies signed requests before the origin
//! sees them (built by `worker-build`, configured by `wrangler.toml`).
//!
//! The Worker is a driver of the core's verifier job ([`httpseal::job::VerifyJob`]) and makes
//! no protocol decision of its own: what to fetch, what to accept, how long to cache, when a
//! nonce expires and what `enforce` answers are the core's. What lives here is the
//! platform's side — configuration from the environment ([`config`]), the `POST /verify`
//! JSON ([`api_request`]), one fetch per
//! URL at a time ([`single_flight`]), the isolate's budgets ([`budget`]) — all unit-tested
//! natively with `cargo test -p httpseal-edge`. Only [`runtime`] (wasm32) touches the Workers
//! platform: requests, `fetch`, KV, the Durable Object, static assets, the clock and the
//! isolate's memory (the core's bounded [`httpseal::job::RecordMemory`]).
//! Deployment and every route are documented in the README (section "Edge verifier").

// The edge is a platform layer: it uses std (the core itself stays no_std + alloc).
extern crate alloc;

pub mod api_request;
pub mod budget;
pub mod config;
pub mod observe;
pub mod single_flight;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
