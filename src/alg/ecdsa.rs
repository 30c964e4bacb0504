//! `ecdsa-p256-sha256` and `ecdsa-p384-sha384` via RustCrypto, signatures as raw `r‖s`.
//! Signing uses RFC 6979 deterministic nonces, so it needs no randomness.

use crate::error::{Error, Result};
use alloc::vec::Vec;
use p256::ecdsa::signature::{Signer, Verifier};

pub(crate) fn p256_verify(
    key: &p256::ecdsa::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
    key.verify(message, &sig)
        .map_err(|_| Error::InvalidSignature)
}

pub(crate) fn p384_verify(
    key: &p384::ecdsa::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let sig = p384::ecdsa::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
    key.verify(message, &sig)
        .map_err(|_| Error::InvalidSignature)
}

pub(crate) fn p256_sign(key: &p256::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::Signature = key.sign(message);
    sig.to_bytes().to_vec()
}

pub(crate) fn p384_sign(key: &p384::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: p384::ecdsa::Signature = key.sign(message);
    sig.to_bytes().to_vec()
}

pub(crate) fn p256_public(sec1: &[u8]) -> Result<p256::ecdsa::VerifyingKey> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .map_err(|_| Error::InvalidKey("not a P-256 point".into()))
}

pub(crate) fn p384_public(sec1: &[u8]) -> Result<p384::ecdsa::VerifyingKey> {
    p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .map_err(|_| Error::InvalidKey("not a P-384 point".into()))
}

pub(crate) fn p256_private(scalar: &[u8]) -> Result<p256::ecdsa::SigningKey> {
    p256::ecdsa::SigningKey::from_slice(scalar)
        .map_err(|_| Error::InvalidKey("not a P-256 private scalar".into()))
}

pub(crate) fn p384_private(scalar: &[u8]) -> Result<p384::ecdsa::SigningKey> {
    p384::ecdsa::SigningKey::from_slice(scalar)
        .map_err(|_| Error::InvalidKey("not a P-384 private scalar".into()))
}
