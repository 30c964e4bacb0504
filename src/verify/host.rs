//! When a host may check a signature with its own primitive (WebCrypto in workerd and
//! browsers) instead of the core's, so that the verdict is the same either way.
//!
//! The registry algorithms are fully specified, so a native "true" means what the core's
//! check means, with one family of exceptions: Ed25519 verifiers differ on inputs that only
//! a key's holder (or a weak key) can produce. The core (either of its Ed25519 backends,
//! whose common rules are in `src/alg/ed25519.rs`) rejects a public key or an `R` that is
//! not canonical or is of small order and checks the cofactored equation; OpenSSL (Node) and
//! BoringSSL (Chromium, workerd) accept a small-order `A` or `R` that satisfies the cofactorless
//! equation and reject an `R` off by a small-order point. So:
//! - an Ed25519 key is handed to the host only when it is canonical and not of small order;
//! - a signature whose `R` is one of the eight small-order points stays with the core;
//! - a native "false" for Ed25519 is confirmed by the core, and so is one for RSA-PSS,
//!   whose WebCrypto check fixes the salt length at 64 while RFC 9421 verifiers accept
//!   others.
//!
//! With these, a host says "true" only where the core does, and every "false" it could
//! disagree on is re-checked by the core.

use crate::alg::Algorithm;
#[cfg(feature = "ed25519")]
use crate::alg::ed25519::SMALL_ORDER_POINTS;
use crate::key::Key;

/// Whether a host primitive may decide a check of `signature` under `key` with `alg`.
/// `false` for an Ed25519 signature of the wrong length, with a small-order `R`, or under a
/// weak key: the core decides those.
pub fn host_may_check(alg: Algorithm, key: &Key, signature: &[u8]) -> bool {
    #[cfg(feature = "ed25519")]
    if alg == Algorithm::Ed25519 {
        let Some(r) = signature.get(..32) else {
            return false;
        };
        if signature.len() != 64 || SMALL_ORDER_POINTS.iter().any(|p| p == r) {
            return false;
        }
        if !key.host_checkable {
            return false;
        }
    }
    let _ = (alg, key, signature);
    true
}

/// A check's result from the host primitive's answer: "true" is final; "false" is
/// confirmed by the core (`core_check`) where native primitives are stricter than RFC 9421
/// asks (Ed25519, RSA-PSS with another salt length than 64).
pub fn settle(alg: Algorithm, host_verified: bool, core_check: impl FnOnce() -> bool) -> bool {
    match (host_verified, alg) {
        (true, _) => true,
        (false, Algorithm::Ed25519 | Algorithm::RsaPssSha512) => core_check(),
        (false, _) => false,
    }
}
