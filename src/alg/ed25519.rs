//! `ed25519` via `ed25519-compact`: small, no_std, constant-time signing.

use crate::error::{Error, Result};
use ed25519_compact::{KeyPair, PublicKey, Seed, Signature};

pub(crate) fn public_from_bytes(bytes: &[u8]) -> Result<PublicKey> {
    PublicKey::from_slice(bytes)
        .map_err(|_| Error::InvalidKey("an Ed25519 public key is 32 bytes".into()))
}

pub(crate) fn keypair_from_seed(seed: &[u8]) -> Result<KeyPair> {
    let seed = Seed::from_slice(seed)
        .map_err(|_| Error::InvalidKey("an Ed25519 private key is 32 bytes".into()))?;
    // `KeyPair::from_seed` panics on an all-zero seed; untrusted JWKs can carry one.
    KeyPair::try_from_seed(seed)
        .map_err(|_| Error::InvalidKey("an all-zero Ed25519 private key".into()))
}

pub(crate) fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<()> {
    let sig = Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
    key.verify(message, &sig)
        .map_err(|_| Error::InvalidSignature)
}

pub(crate) fn sign(key: &KeyPair, message: &[u8]) -> alloc::vec::Vec<u8> {
    // No noise: RFC 8032 deterministic signatures, so vectors re-sign byte for byte.
    key.sk.sign(message, None).to_vec()
}
