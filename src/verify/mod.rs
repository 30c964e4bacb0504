//! Verifying signatures (RFC 9421 §3.2) under a policy, with a structured verdict.
//!
//! - [`policy`]: the rules beyond the cryptography, and the named presets' building blocks;
//! - [`keys`]: where keys come from ([`KeySource`]);
//! - [`run`]: the verification itself, split around the cryptographic check so a host can
//!   use a native primitive ([`prepare`] → [`PendingCheck`] → [`Verification::finish`]);
//! - [`host`]: when a host's native primitive may do the check, and how its answer is
//!   settled so verdicts never differ from the core's;
//! - [`verdict`]: `verified` / `invalid` / `unverified` and what was checked;
//! - [`header`]: the verdict as a Structured Field, the header gateways forward.

pub mod header;
pub mod host;
pub mod keys;
pub mod policy;
pub mod run;
pub mod verdict;

pub use header::{VERDICT_HEADER, header_value};
pub use keys::{KeySource, ResolvedKey};
pub use policy::{NonceCheck, Policy, Requirement};
pub use run::{
    PendingCheck, Verification, prepare, prepare_signatures, verify_message, verify_signature,
};
pub use verdict::{ErrorInfo, Outcome, Verdict};
