//! `ecdsa-p256-sha256` (feature `ecdsa-p256`) and `ecdsa-p384-sha384` (feature
//! `ecdsa-p384`) via RustCrypto, signatures as raw `r‖s`. Signing uses RFC 6979
//! deterministic nonces, so it needs no randomness. The curves are separate features
//! because P-384's arithmetic is by far the largest code in a wasm build.

use crate::error::{Error, Result};
use alloc::vec::Vec;

#[cfg(feature = "ecdsa-p256")]
pub(crate) fn p256_verify(
    key: &p256::ecdsa::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
    p256::ecdsa::signature::Verifier::verify(key, message, &sig)
        .map_err(|_| Error::InvalidSignature)
}

#[cfg(feature = "ecdsa-p384")]
pub(crate) fn p384_verify(
    key: &p384::ecdsa::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let sig = p384::ecdsa::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
    p384::ecdsa::signature::Verifier::verify(key, message, &sig)
        .map_err(|_| Error::InvalidSignature)
}

#[cfg(feature = "ecdsa-p256")]
pub(crate) fn p256_sign(key: &p256::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(key, message);
    sig.to_bytes().to_vec()
}

#[cfg(feature = "ecdsa-p384")]
pub(crate) fn p384_sign(key: &p384::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: p384::ecdsa::Signature = p384::ecdsa::signature::Signer::sign(key, message);
    sig.to_bytes().to_vec()
}

#[cfg(feature = "ecdsa-p256")]
pub(crate) fn p256_public(sec1: &[u8]) -> Result<p256::ecdsa::VerifyingKey> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .map_err(|_| Error::InvalidKey("not a P-256 point".into()))
}

#[cfg(feature = "ecdsa-p384")]
pub(crate) fn p384_public(sec1: &[u8]) -> Result<p384::ecdsa::VerifyingKey> {
    p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .map_err(|_| Error::InvalidKey("not a P-384 point".into()))
}

#[cfg(feature = "ecdsa-p256")]
pub(crate) fn p256_private(scalar: &[u8]) -> Result<p256::ecdsa::SigningKey> {
    p256::ecdsa::SigningKey::from_slice(scalar)
        .map_err(|_| Error::InvalidKey("not a P-256 private scalar".into()))
}

#[cfg(feature = "ecdsa-p384")]
pub(crate) fn p384_private(scalar: &[u8]) -> Result<p384::ecdsa::SigningKey> {
    p384::ecdsa::SigningKey::from_slice(scalar)
        .map_err(|_| Error::InvalidKey("not a P-384 private scalar".into()))
}
