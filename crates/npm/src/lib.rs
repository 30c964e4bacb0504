//! The wasm-bindgen API of the npm package `httpseal` (crate `httpseal-npm`).
//!
//! These exports are the *raw* layer: they take and return JSON text (the same shapes as
//! [`httpseal::api`], read by the same code as the CLI and the Worker's `POST /verify`), plus
//! body bytes as a `Uint8Array`. The package's hand-written JavaScript (`js/src/`) turns
//! WHATWG `Request` / `Headers` objects into those shapes and is what users call.
//!
//! JSON rather than `serde-wasm-bindgen`: serde_json is already in the core, so this adds
//! no code to the wasm, and `JSON.stringify` on the JS side is faster than walking an
//! object field by field across the boundary.
//!
//! This is the only place that reaches the platform: the clock (`Date.now()`) and
//! randomness (`crypto.getRandomValues`) live in [`host`]; the core never sees either.
//!
//! Signing and verifying are the core's jobs ([`httpseal::job`]) as wasm objects that the
//! JavaScript layer drives: [`SignTask`] (the core builds the base, JS signs it with WebCrypto
//! where the platform has the algorithm or leaves it to the core, the core finishes the
//! headers) and [`VerifyTask`] (the verifier job: its steps — look up, fetch, check, store —
//! cross the boundary as a small integer plus getters, and answers as methods taking plain
//! values; see [`verify`]). The core's [`httpseal::verify::host`] rules say which checks
//! WebCrypto may do, and the job settles its answers, so the verdict is the same either way.
//!
//! With the `gateway` feature (the full build), [`Gateway`] makes a gateway's decisions for
//! `httpseal/edge` and `httpseal/node`: routes and agent rules, what `enforce` answers, the
//! challenge, the problem bodies and the verdict header — the core's, as the Rust Worker's.

extern crate alloc;

mod base;
mod directory;
mod error;
#[cfg(feature = "gateway")]
mod gateway;
mod host;
mod keys;
mod memory;
mod message;
mod sign;
mod verify;

pub use base::signature_base_of;
pub use directory::{create_directory, sign_directory_response};
#[cfg(feature = "gateway")]
pub use gateway::Gateway;
pub use keys::{ParsedKey, generate_key_pair, jwk_thumbprint_of, public_jwk, supported_algorithms};
pub use sign::SignTask;
pub use verify::{KeySet, VerifyTask};
