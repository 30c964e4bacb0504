//! # httpseal
//!
//! RFC 9421 HTTP Message Signatures and Web Bot Auth, as a sans-IO core: it reads messages
//! through the small [`Message`] trait, takes the time, keys and random bytes as inputs, and
//! never does I/O. The same code runs natively, in a browser, in Node and in Cloudflare
//! Workers.
//!
//! Verification is split into steps a host can run its own way:
//! 1. **parse** — [`parse_signatures`] reads `Signature-Input` / `Signature`;
//! 2. **plan** — [`webbotauth::plan`] / [`sigkey::plan`] say which key documents to fetch;
//! 3. **base** — [`signature_base`] rebuilds the exact bytes that were signed;
//! 4. **check** — [`Key::verify`] checks the signature bytes (a host may use a native
//!    primitive instead);
//! 5. **policy** — [`Policy`] (presets in [`Profile`]) checks parameters and coverage.
//!
//! [`verify_message`] runs all five and returns a [`Verdict`]; [`Signer`] creates
//! signatures. See the README for the CLI, the Worker and the npm package.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
extern crate alloc;
// `sfv` is built on std, so std is linked in any case. Our own code sees only `core` and
// `alloc`: no std prelude, no OS.
extern crate std as _;

// Messages and their parts.
pub mod http;
pub mod http1;
pub mod message;
pub mod query;
pub mod url;

// RFC 9421: components, fields, the signature base, the signature fields.
pub mod accept;
pub mod base;
pub mod component;
mod derived;
pub mod field;
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
pub mod verify;

// Protocols on top.
pub mod sigkey;
pub mod webbotauth;

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
    ErrorInfo, KeySource, NonceCheck, Outcome, PendingCheck, Policy, Requirement, ResolvedKey,
    Verdict, Verification, verify_message, verify_signature,
};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
