//! # httpseal
//!
//! RFC 9421 HTTP Message Signatures and Web Bot Auth, as a sans-IO core: it reads messages
//! through the small [`Message`] trait, takes the time, keys and random bytes as inputs, and
//! never does I/O. The same code runs natively, in a browser, in Node and in Cloudflare
//! Workers.
//!
//! Verification is one job owned by the core, [`job::VerifyJob`]: it parses the request
//! once and says what it needs next — look a directory up in the host's store, fetch one
//! under the core's rules, check signature bytes (with a native primitive or the core's),
//! digest the body, ask a replay store — until the [`Verdict`]. Every host (the Worker, the
//! npm package, the CLI) drives it; [`verify_message`] drives it with the keys at hand.
//! [`Signer`] and [`job::SignJob`] create signatures. See the README for the CLI, the Worker
//! and the npm package, and `docs/architecture.md` for the job's steps.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
extern crate alloc;
// `sfv` is built on std, so std is linked in any case. Our own code sees only `core` and
// `alloc`: no std prelude, no OS.
extern crate std as _;

// Messages and their parts.
pub mod http;
mod http1;
pub mod message;
#[doc(hidden)] // the fuzzers and property tests reach the query parser directly
pub mod query;
pub mod url;

// RFC 9421: components, fields, the signature base, the signature fields.
mod accept;
pub mod base;
pub mod component;
mod derived;
mod field;
pub mod input;
pub mod sftypes;
mod sfwrite;

// Keys and algorithms.
pub mod alg;
pub mod b64;
pub mod jwk;
pub mod key;
#[cfg(feature = "pem")]
pub mod keyfile;

// Signing, verifying and their rules.
pub mod digest;
pub mod profile;
pub mod sign;
mod testkeys;
pub mod verify;

// Protocols on top.
pub mod sigkey;
pub mod webbotauth;

// The flow every host drives, what it fetches, and the gateway's answers.
pub mod fetch;
pub mod gateway;
pub mod job;

// The JSON contracts of the CLI, the Worker and the npm package; errors and limits.
pub mod api;
pub mod error;
pub mod limits;

pub use accept::{SignatureRequest, accept_signature, parse_accept_signature};
pub use alg::Algorithm;
pub use base::{component_value, signature_base};
pub use component::{ComponentFlags, ComponentId, Derived};
pub use digest::{
    DigestAlgorithm, DigestMember, check_content_digest, content_digest, parse_digest_field,
};
pub use error::{ALL_CODES, Error, ErrorClass, ErrorCode, Result};
pub use http::HttpMessage;
pub use http1::parse_http1;
pub use input::{LabelledSignature, SignatureParams, parse_signatures};
pub use jwk::{Jwk, JwkSet, jwk_thumbprint, key_from_jwk, parse_jwk};
pub use key::{Key, KeyType};
pub use message::{Message, Section, Target, TargetForm};
pub use profile::Profile;
pub use sftypes::{SfRegistry, SfType};
pub use sign::{PreparedSignature, Signed, Signer};
pub use verify::{
    ErrorInfo, KeySource, NonceCheck, Outcome, Policy, Requirement, ResolvedKey, Verdict,
    verify_message, verify_signature,
};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
