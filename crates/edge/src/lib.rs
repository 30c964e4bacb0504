//! The edge verifier: a Cloudflare Worker that verifies signed requests before the origin
//! sees them (built by `worker-build`, configured by `wrangler.toml`).
//!
//! The layout follows the sans-IO split of the whole crate. The modules at this level are
//! plain functions and data — configuration parsing, the gateway decision, the verdict
//! header, the `Accept-Signature` challenge, problem bodies, the SSRF rules, the bounded
//! memory cache and single-flight, what a fetched key directory amounts to and what to do
//! with a cached one — so they are unit-tested natively with
//! `cargo test -p httpseal-edge`. Only [`runtime`] (wasm32) touches the Workers platform:
//! requests, `fetch`, KV, static assets and the clock. Deployment and every route are
//! documented in the README (section "Edge verifier").

// The edge is a platform layer: it uses std (the core itself stays no_std + alloc).
extern crate alloc;

pub mod api_request;
pub mod challenge;
pub mod config;
pub mod decision;
pub mod directory_document;
pub mod directory_entry;
pub mod memory_cache;
pub mod nonce_key;
pub mod problem;
pub mod resolved;
pub mod single_flight;
pub mod ssrf;
pub mod verification;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
