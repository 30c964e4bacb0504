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
//! Signing and verifying are split around the cryptography ([`prepare_signature`] →
//! [`PendingSignature`], [`prepare_verification`] → [`PendingVerification`]) so that the
//! JavaScript layer makes and checks the signature bytes with WebCrypto where the platform
//! has the algorithm, and with the core's own primitives otherwise; the core's
//! [`httpseal::verify::host`] rules say
//! which checks WebCrypto may do, and settle its answers, so the verdict is the same either way.

extern crate alloc;

mod base;
mod directory;
mod error;
mod host;
mod keys;
mod message;
mod sign;
mod verify;

pub use base::signature_base_of;
pub use directory::{create_directory, sign_directory_response};
pub use keys::{ParsedKey, generate_key_pair, jwk_thumbprint_of, public_jwk, supported_algorithms};
pub use sign::{PendingSignature, prepare_signature};
pub use verify::{PendingVerification, prepare_verification};
