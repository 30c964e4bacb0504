//! # httpseal
//!
//! RFC 9421 HTTP Message Signatures and Web Bot Auth, as a sans-IO core: it reads messages
//! through the small [`Message`] trait, takes the time, keys and random bytes as inputs, and
//! never does I/O. The same code runs natively, in a browser, in Node and in Cloudflare
//! Workers.
//!
//! Verification is split into steps a host can run its own way: [`parse_signatures`] reads
//! `Signature-Input` / `Signature`, [`signature_base`] rebuilds the exact bytes that were
//! signed, a key checks the signature bytes, and the policy checks parameters.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
extern crate alloc;
// `sfv` is built on std, so std is linked in any case; naming it here gives cdylib builds
// (wasm-bindgen, workers-rs) their allocator and panic handler. Our own code sees only
// `core` and `alloc`: no std prelude, no OS.
extern crate std as _;

pub mod base;
pub mod component;
mod derived;
pub mod error;
pub mod field;
pub mod http;
pub mod http1;
pub mod input;
pub mod limits;
pub mod message;
pub mod query;
pub mod sftypes;
mod sfwrite;
pub mod url;

pub use base::{component_value, signature_base};
pub use component::{ComponentFlags, ComponentId, Derived};
pub use error::{Error, Result};
pub use http::HttpMessage;
pub use http1::parse_http1;
pub use input::{LabelledSignature, SignatureParams, parse_signatures};
pub use message::{Message, Section, Target, TargetForm};
pub use sftypes::{SfRegistry, SfType};

pub mod alg;
pub mod b64;
pub mod jwk;
pub mod key;

pub use alg::Algorithm;
pub use jwk::{Jwk, JwkSet, jwk_thumbprint, key_from_jwk, parse_jwk};
pub use key::{Key, KeyType};
pub mod digest;
#[cfg(feature = "pem")]
pub mod keyfile;
pub use digest::{DigestAlgorithm, check_content_digest, content_digest};
pub mod sign;
pub mod verify;
pub use sign::{Signed, Signer};
pub use verify::{
    ErrorInfo, KeySource, NonceCheck, Outcome, Policy, Requirement, ResolvedKey, Verdict,
    verify_message,
};
pub mod profile;
pub use profile::Profile;
pub mod api;
pub mod webbotauth;
