//! When the JavaScript layer may check or make a signature with the platform's own
//! primitive (WebCrypto) instead of the core's, so that the verdict is the same either way.
//!
//! The registry algorithms are fully specified, so a WebCrypto "true" means what the core's
//! check means, with one family of exceptions: Ed25519 verifiers differ on inputs that only
//! a key's holder (or a weak key) can produce. `ed25519-compact` rejects a public key or an
//! `R` of small order and checks the cofactored equation; OpenSSL (Node) and BoringSSL
//! (Chromium) accept a small-order `A` or `R` that satisfies the cofactorless equation and
//! reject an `R` off by a small-order point. So:
//! - a key is handed to the host only after [`PublicKey::validate`] (canonical, not of small
//!   order), once per imported key;
//! - a signature whose `R` is one of the eight small-order points stays with the core;
//! - the JavaScript layer asks the core again when WebCrypto says "false" for Ed25519 (and
//!   for RSA-PSS, whose WebCrypto check fixes the salt length at 64).
//!
//! With these, WebCrypto says "true" only where the core does, and every "false" it could
//! disagree on is re-checked by the core.

use crate::alg::Algorithm;
use crate::key::{Key, Material};
use crate::verify::PendingCheck;
use alloc::string::String;

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

/// The algorithm of `check` when the host may check it with its own primitive, `None`
/// when the core must (an Ed25519 signature of the wrong length or with a small-order `R`:
/// the core rejects those at once).
pub fn host_algorithm(check: &PendingCheck<'_>) -> Option<Algorithm> {
    #[cfg(feature = "ed25519")]
    if check.alg == Algorithm::Ed25519 {
        let r = check.signature.get(..32)?;
        if check.signature.len() != 64 || SMALL_ORDER_POINTS.iter().any(|p| p == r) {
            return None;
        }
    }
    Some(check.alg)
}

/// The JWK (JSON text) a host imports to verify with `key`: the public half, or the secret
/// of an HMAC key. `None` for an Ed25519 key the core would never accept (not canonical,
/// or of small order), which the host's verifier might.
pub fn verification_jwk(key: &Key) -> Option<String> {
    #[cfg(feature = "ed25519")]
    {
        let public = match &key.material {
            Material::Ed25519Public(pk) => Some(pk),
            Material::Ed25519Private(kp) => Some(&kp.pk),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        if public.is_some_and(|pk| pk.validate().is_err()) {
            return None;
        }
    }
    serde_json::to_string(&key.public_jwk()).ok()
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
