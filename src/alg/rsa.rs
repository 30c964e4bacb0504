//! `rsa-pss-sha512` and `rsa-v1_5-sha256` via the `rsa` crate.
//!
//! PSS verification recovers the salt length from the encoded message (RFC 8017 §9.1.2
//! with the salt length left open, like OpenSSL's "auto"): RFC 9421 signers use 64 bytes,
//! but Node-based signers use the maximum, and both must verify. Signing always uses 64.

use super::seeded_rng::SeededRng;
use crate::error::{Error, Result};
use crate::limits::{MAX_RSA_BITS, MIN_RSA_BITS};
use alloc::format;
use alloc::vec::Vec;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha512};

/// Checks the modulus size against the named limits.
pub(crate) fn check_size(n: &BigUint) -> Result<()> {
    let bits = n.bits();
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(Error::UnsupportedKey(format!(
            "RSA modulus of {bits} bits (accepted: {MIN_RSA_BITS}..={MAX_RSA_BITS})"
        )));
    }
    Ok(())
}

pub(crate) fn public_key(n: &[u8], e: &[u8]) -> Result<RsaPublicKey> {
    let n = BigUint::from_bytes_be(n);
    check_size(&n)?;
    RsaPublicKey::new_with_max_size(n, BigUint::from_bytes_be(e), MAX_RSA_BITS)
        .map_err(|e| Error::InvalidKey(format!("RSA public key: {e}")))
}

pub(crate) fn private_key(n: &[u8], e: &[u8], d: &[u8], primes: &[&[u8]]) -> Result<RsaPrivateKey> {
    let n = BigUint::from_bytes_be(n);
    check_size(&n)?;
    let primes = primes.iter().map(|p| BigUint::from_bytes_be(p)).collect();
    let mut key = RsaPrivateKey::from_components(
        n,
        BigUint::from_bytes_be(e),
        BigUint::from_bytes_be(d),
        primes,
    )
    .map_err(|e| Error::InvalidKey(format!("RSA private key: {e}")))?;
    key.validate()
        .map_err(|e| Error::InvalidKey(format!("RSA private key: {e}")))?;
    key.precompute()
        .map_err(|e| Error::InvalidKey(format!("RSA private key: {e}")))?;
    Ok(key)
}

pub(crate) fn v15_verify(key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> Result<()> {
    if signature.len() != key.size() {
        return Err(Error::InvalidSignature);
    }
    let hash = Sha256::digest(message);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hash, signature)
        .map_err(|_| Error::InvalidSignature)
}

pub(crate) fn v15_sign(key: &RsaPrivateKey, message: &[u8], seed: &[u8; 32]) -> Result<Vec<u8>> {
    let hash = Sha256::digest(message);
    key.sign_with_rng(
        &mut SeededRng::new(seed),
        Pkcs1v15Sign::new::<Sha256>(),
        &hash,
    )
    .map_err(|e| Error::InvalidKey(format!("RSA signing failed: {e}")))
}

/// The RFC 9421 salt length for signing.
pub(crate) const PSS_SALT_LEN: usize = 64;

pub(crate) fn pss_sign(key: &RsaPrivateKey, message: &[u8], seed: &[u8; 32]) -> Result<Vec<u8>> {
    let hash = Sha512::digest(message);
    key.sign_with_rng(
        &mut SeededRng::new(seed),
        Pss::new_blinded_with_salt::<Sha512>(PSS_SALT_LEN),
        &hash,
    )
    .map_err(|e| Error::InvalidKey(format!("RSA signing failed: {e}")))
}

/// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2, §9.1.2) with SHA-512 and MGF1-SHA-512, any salt length.
pub(crate) fn pss_verify(key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> Result<()> {
    let k = key.size();
    if signature.len() != k {
        return Err(Error::InvalidSignature);
    }
    // RSAVP1: m = s^e mod n, with s < n.
    let s = BigUint::from_bytes_be(signature);
    if &s >= key.n() {
        return Err(Error::InvalidSignature);
    }
    let m = rsa::hazmat::rsa_encrypt(key, &s).map_err(|_| Error::InvalidSignature)?;
    let m = m.to_bytes_be();
    if m.len() > k {
        return Err(Error::InvalidSignature);
    }
    let mut em_full = alloc::vec![0u8; k - m.len()];
    em_full.extend_from_slice(&m);

    let mod_bits = key.n().bits();
    let em_bits = mod_bits - 1;
    let em_len = em_bits.div_ceil(8);
    // When em_len < k the leading octet must be zero (I2OSP into em_len octets).
    let (lead, em) = em_full.split_at(k - em_len);
    if lead.iter().any(|&b| b != 0) {
        return Err(Error::InvalidSignature);
    }
    let h_len = 64;
    if em_len < h_len + 2 || em[em_len - 1] != 0xbc {
        return Err(Error::InvalidSignature);
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    let unused_bits = 8 * em_len - em_bits;
    if masked_db[0] & !(0xffu8 >> unused_bits) != 0 {
        return Err(Error::InvalidSignature);
    }
    let mut db = masked_db.to_vec();
    mgf1_sha512_xor(h, &mut db);
    db[0] &= 0xffu8 >> unused_bits;
    // DB = PS (zeros) || 0x01 || salt
    let one = db
        .iter()
        .position(|&b| b != 0)
        .ok_or(Error::InvalidSignature)?;
    if db[one] != 0x01 {
        return Err(Error::InvalidSignature);
    }
    let salt = &db[one + 1..];
    let mut hasher = Sha512::new();
    hasher.update([0u8; 8]);
    hasher.update(Sha512::digest(message));
    hasher.update(salt);
    let expected = hasher.finalize();
    if subtle::ConstantTimeEq::ct_eq(&expected[..], h).into() {
        Ok(())
    } else {
        Err(Error::InvalidSignature)
    }
}

fn mgf1_sha512_xor(seed: &[u8], out: &mut [u8]) {
    for (counter, chunk) in out.chunks_mut(64).enumerate() {
        let mut h = Sha512::new();
        h.update(seed);
        h.update((counter as u32).to_be_bytes());
        for (o, m) in chunk.iter_mut().zip(h.finalize()) {
            *o ^= m;
        }
    }
}

/// Generates a key (used by `keygen`; slow in debug builds).
pub(crate) fn generate(bits: usize, seed: &[u8; 32]) -> Result<RsaPrivateKey> {
    RsaPrivateKey::new(&mut SeededRng::new(seed), bits)
        .map_err(|e| Error::InvalidKey(format!("{e}")))
}
