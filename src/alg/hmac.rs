//! `hmac-sha256`, compared in constant time.

use crate::error::{Error, Result};
use alloc::vec::Vec;
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(key: &[u8], message: &[u8]) -> Result<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| Error::InvalidKey("bad HMAC key".into()))?;
    mac.update(message);
    Ok(mac)
}

pub(crate) fn verify(key: &[u8], message: &[u8], signature: &[u8]) -> Result<()> {
    mac(key, message)?
        .verify_slice(signature)
        .map_err(|_| Error::InvalidSignature)
}

pub(crate) fn sign(key: &[u8], message: &[u8]) -> Result<Vec<u8>> {
    Ok(mac(key, message)?.finalize().into_bytes().to_vec())
}
