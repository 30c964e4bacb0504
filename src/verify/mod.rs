//! Verifying signatures (RFC 9421 §3.2) under a policy, with a structured verdict.
//!
//! - [`policy`]: the rules beyond the cryptography, and the named presets' building blocks;
//! - [`keys`]: where keys come from ([`KeySource`]);
//! - [`run`]: verification with the keys at hand (the verifier job, [`crate::job`],
//!   driven at once);
//! - [`host`]: when a host's native primitive may do the check, and how its answer is
//!   settled so verdicts never differ from the core's;
//! - [`replay`]: where and how long a nonce is remembered;
//! - [`verdict`]: `verified` / `invalid` / `unverified` and what was checked;
//! - [`header`]: the verdict as a Structured Field, the header gateways forward.

pub mod header;
pub mod host;
pub mod keys;
pub mod policy;
pub mod replay;
pub mod run;
pub mod verdict;

pub use header::{VERDICT_HEADER, header_value};
pub use keys::{KeySource, ResolvedKey};
pub use policy::{NonceCheck, Policy, Requirement};
pub use replay::{ReplayEntry, replay_entry, replay_key};
pub use run::{verify_message, verify_signature};
pub use verdict::{Cause, ErrorInfo, Outcome, Verdict};
