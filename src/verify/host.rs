//! When a host may check a signature with its own primitive (WebCrypto in workerd and
//! browsers) instead of the core's, so that the verdict is the same either way.
//!
//! The registry algorithms are fully specified, so a native "true" means what the core's
//! check means, with one family of exceptions: Ed25519 verifiers differ on inputs that only
//! a key's holder (or a weak key) can produce. `ed25519-compact` rejects a public key or an
//! `R` of small order and checks the cofactored equation; OpenSSL (Node) and BoringSSL
//! (Chromium, workerd) accept a small-order `A` or `R` that satisfies the cofactorless
//! equation and reject an `R` off by a small-order point. So:
//! - an Ed25519 key is handed to the host only when it is canonical and not of small order;
//! - a signature whose `R` is one of the eight small-order points stays with the core;
//! - a native "false" for Ed25519 is confirmed by the core, and so is one for RSA-PSS,
//!   whose WebCrypto check fixes the salt length at 64 while RFC 9421 verifiers accept
//!   others.
//!
//! With these, a host says "true" only where the core does, and every "false" it could
//! disagree on is re-checked by the core.

use super::run::PendingCheck;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::jwk::Jwk;

/// The canonical encodings of the eight points of order dividing 8 on edwards25519:
/// the identity, the point of order 2, the two of order 4 and the four of order 8. A
/// non-canonical encoding is rejected by both kinds of verifier, so these are all the `R`
/// values on which they can disagree for a valid key.
#[cfg(feature = "ed25519")]
const SMALL_ORDER_POINTS: [[u8; 32]; 8] = {
    const fn hex(s: &str) -> [u8; 32] {
        let s = s.as_bytes();
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
            i += 1;
        }
        out
    }
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            _ => c - b'a' + 10,
        }
    }
    [
        hex("0100000000000000000000000000000000000000000000000000000000000000"),
        hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        hex("0000000000000000000000000000000000000000000000000000000000000000"),
        hex("0000000000000000000000000000000000000000000000000000000000000080"),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
    ]
};

impl PendingCheck<'_> {
    /// Whether a host primitive may decide this check. `false` for an Ed25519 signature of
    /// the wrong length, with a small-order `R`, or under a weak key: the core decides those.
    pub fn host_may_check(&self) -> bool {
        #[cfg(feature = "ed25519")]
        if self.alg == Algorithm::Ed25519 {
            let Some(r) = self.signature.get(..32) else {
                return false;
            };
            if self.signature.len() != 64 || SMALL_ORDER_POINTS.iter().any(|p| p == r) {
                return false;
            }
            if !self.key.host_checkable {
                return false;
            }
        }
        true
    }

    /// The JWK a host imports to do this check (the public half, or an HMAC key's secret);
    /// `None` when the host must not ([`Self::host_may_check`]).
    pub fn host_jwk(&self) -> Option<Jwk> {
        self.host_may_check().then(|| self.key.public_jwk())
    }

    /// The check's result from the host primitive's answer: "true" is final; "false" is
    /// confirmed by the core where native primitives are stricter than RFC 9421 asks
    /// (Ed25519, RSA-PSS with another salt length than 64).
    pub fn settle(&self, host_verified: bool) -> Result<()> {
        match (host_verified, self.alg) {
            (true, _) => Ok(()),
            (false, Algorithm::Ed25519 | Algorithm::RsaPssSha512) => self.check(),
            (false, _) => Err(Error::InvalidSignature),
        }
    }
}

#[cfg(all(test, feature = "ed25519"))]
mod tests {
    use super::*;

    #[test]
    fn the_eight_small_order_points() {
        for (i, p) in SMALL_ORDER_POINTS.iter().enumerate() {
            assert_eq!(
                ed25519_compact::PublicKey::new(*p).validate(),
                Err(ed25519_compact::Error::WeakPublicKey),
                "#{i}"
            );
            assert!(!SMALL_ORDER_POINTS[..i].contains(p), "#{i} is repeated");
        }
    }
}
