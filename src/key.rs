//! Keys: the material of one algorithm family, bound to an algorithm.
//!
//! The algorithm is always fixed by the key, never trusted from the `alg` parameter
//! (RFC 9421 §3.2 step 6, §7.3.6): an `alg` that disagrees with the key is an error, and a
//! public key can never be used as an HMAC secret. RSA material fits two algorithms, so an
//! RSA key is bound by its JWK `alg`, by the PSS OID of its key file, or explicitly with
//! [`Key::with_algorithm`]; an unbound RSA key accepts the signature's `alg` parameter when
//! it names an RSA algorithm.

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The family of a key, which decides the algorithms it can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// Ed25519 (JWK `OKP` / `Ed25519`).
    Ed25519,
    /// ECDSA P-256 (JWK `EC` / `P-256`).
    P256,
    /// ECDSA P-384 (JWK `EC` / `P-384`).
    P384,
    /// RSA (JWK `RSA`).
    Rsa,
    /// A shared secret (JWK `oct`).
    Oct,
}

impl KeyType {
    /// Whether `alg` can be used with keys of this type.
    pub fn fits(self, alg: Algorithm) -> bool {
        matches!(
            (self, alg),
            (KeyType::Ed25519, Algorithm::Ed25519)
                | (KeyType::P256, Algorithm::EcdsaP256Sha256)
                | (KeyType::P384, Algorithm::EcdsaP384Sha384)
                | (
                    KeyType::Rsa,
                    Algorithm::RsaPssSha512 | Algorithm::RsaV15Sha256
                )
                | (KeyType::Oct, Algorithm::HmacSha256)
        )
    }

    /// The one algorithm of a single-algorithm family.
    fn implied_algorithm(self) -> Option<Algorithm> {
        match self {
            KeyType::Ed25519 => Some(Algorithm::Ed25519),
            KeyType::P256 => Some(Algorithm::EcdsaP256Sha256),
            KeyType::P384 => Some(Algorithm::EcdsaP384Sha384),
            KeyType::Oct => Some(Algorithm::HmacSha256),
            KeyType::Rsa => None,
        }
    }
}

#[derive(Clone)]
pub(crate) enum Material {
    #[cfg(feature = "ed25519")]
    Ed25519Public(crate::alg::ed25519::PublicKey),
    #[cfg(feature = "ed25519")]
    Ed25519Private(crate::alg::ed25519::KeyPair),
    #[cfg(feature = "ecdsa-p256")]
    P256Public(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "ecdsa-p256")]
    P256Private(p256::ecdsa::SigningKey),
    #[cfg(feature = "ecdsa-p384")]
    P384Public(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "ecdsa-p384")]
    P384Private(p384::ecdsa::SigningKey),
    #[cfg(feature = "rsa")]
    RsaPublic(rsa::RsaPublicKey),
    #[cfg(feature = "rsa")]
    RsaPrivate(Box<rsa::RsaPrivateKey>),
    #[cfg(feature = "hmac")]
    Hmac(Zeroizing<Vec<u8>>),
    /// A public key of a family this build does not compile in: the core knows its type,
    /// JWK and thumbprint; only a host primitive can check its signatures.
    #[cfg(feature = "host-keys")]
    Host(HostKey),
}

/// The public JWK members of a key that only the host's primitive can use.
#[cfg(feature = "host-keys")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HostKey {
    pub(crate) key_type: KeyType,
    pub(crate) members: crate::jwk::Jwk,
}

/// A verification or signing key, bound to its algorithm.
#[derive(Clone)]
pub struct Key {
    pub(crate) material: Material,
    alg: Option<Algorithm>,
    kid: Option<String>,
    /// The RFC 7638 thumbprint of the public key (base64url of SHA-256: 43 characters),
    /// computed once when the key is made, because verifiers compare it with `keyid` on
    /// every request (Web Bot Auth). Boxed, so that a key grows by one pointer only.
    pub(crate) thumbprint: Option<Box<[u8; 43]>>,
    /// Whether a host primitive (WebCrypto) may check signatures under this key: false for
    /// an Ed25519 public key that is not canonical or is of small order, where native
    /// verifiers and the core disagree ([`crate::PendingCheck::host_may_check`]). Computed
    /// once, because deciding it decompresses the point (a field exponentiation): the
    /// Ed25519 key keeps the same fact for the core's own checks (`PublicKey::is_valid`).
    pub(crate) host_checkable: bool,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print private material.
        f.debug_struct("Key")
            .field("type", &self.key_type())
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("private", &self.is_private())
            .finish()
    }
}

impl Key {
    pub(crate) fn from_material(material: Material) -> Self {
        let mut key = Key {
            material,
            alg: None,
            kid: None,
            thumbprint: None,
            host_checkable: true,
        };
        key.alg = key.key_type().implied_algorithm();
        key.host_checkable = key.compute_host_checkable();
        key.thumbprint = key
            .compute_thumbprint()
            .as_bytes()
            .try_into()
            .ok()
            .map(Box::new);
        key
    }

    /// An Ed25519 public key from its 32 bytes.
    #[cfg(feature = "ed25519")]
    pub fn ed25519_public(bytes: &[u8]) -> Result<Self> {
        Ok(Self::from_material(Material::Ed25519Public(
            crate::alg::ed25519::PublicKey::from_slice(bytes)?,
        )))
    }

    /// An Ed25519 private key from its 32-byte seed (RFC 8032 private key).
    #[cfg(feature = "ed25519")]
    pub fn ed25519_private(seed: &[u8]) -> Result<Self> {
        Ok(Self::from_material(Material::Ed25519Private(
            crate::alg::ed25519::KeyPair::from_seed(seed)?,
        )))
    }

    /// An ECDSA public key from a SEC1 point, on P-256 or P-384 by its length.
    #[cfg(any(feature = "ecdsa-p256", feature = "ecdsa-p384"))]
    pub fn ec_public(sec1: &[u8]) -> Result<Self> {
        #[allow(unused_imports)]
        use crate::alg::ecdsa;
        Ok(Self::from_material(match sec1.len() {
            #[cfg(feature = "ecdsa-p256")]
            33 | 65 => Material::P256Public(ecdsa::p256_public(sec1)?),
            #[cfg(feature = "ecdsa-p384")]
            49 | 97 => Material::P384Public(ecdsa::p384_public(sec1)?),
            n => {
                return Err(Error::UnsupportedKey(alloc::format!(
                    "EC point of {n} bytes"
                )));
            }
        }))
    }

    /// An ECDSA private key from its scalar (32 bytes: P-256, 48 bytes: P-384).
    #[cfg(any(feature = "ecdsa-p256", feature = "ecdsa-p384"))]
    pub fn ec_private(scalar: &[u8]) -> Result<Self> {
        #[allow(unused_imports)]
        use crate::alg::ecdsa;
        Ok(Self::from_material(match scalar.len() {
            #[cfg(feature = "ecdsa-p256")]
            32 => Material::P256Private(ecdsa::p256_private(scalar)?),
            #[cfg(feature = "ecdsa-p384")]
            48 => Material::P384Private(ecdsa::p384_private(scalar)?),
            n => {
                return Err(Error::UnsupportedKey(alloc::format!(
                    "EC scalar of {n} bytes"
                )));
            }
        }))
    }

    /// An RSA public key from big-endian modulus and exponent.
    #[cfg(feature = "rsa")]
    pub fn rsa_public(n: &[u8], e: &[u8]) -> Result<Self> {
        Ok(Self::from_material(Material::RsaPublic(
            crate::alg::rsa::public_key(n, e)?,
        )))
    }

    /// An RSA private key from big-endian components (two or more primes).
    #[cfg(feature = "rsa")]
    pub fn rsa_private(n: &[u8], e: &[u8], d: &[u8], primes: &[&[u8]]) -> Result<Self> {
        Ok(Self::from_material(Material::RsaPrivate(Box::new(
            crate::alg::rsa::private_key(n, e, d, primes)?,
        ))))
    }

    #[cfg(feature = "rsa")]
    pub(crate) fn from_rsa_private(key: rsa::RsaPrivateKey) -> Result<Self> {
        use rsa::traits::PublicKeyParts;
        crate::alg::rsa::check_size(key.n())?;
        Ok(Self::from_material(Material::RsaPrivate(Box::new(key))))
    }

    /// Only key files (feature `pem`) read a bare RSA public key.
    #[cfg(all(feature = "rsa", feature = "pem"))]
    pub(crate) fn from_rsa_public(key: rsa::RsaPublicKey) -> Result<Self> {
        use rsa::traits::PublicKeyParts;
        crate::alg::rsa::check_size(key.n())?;
        Ok(Self::from_material(Material::RsaPublic(key)))
    }

    /// A shared secret for `hmac-sha256`, bounded by the named limits.
    #[cfg(feature = "hmac")]
    pub fn hmac(secret: &[u8]) -> Result<Self> {
        use crate::limits::{MAX_HMAC_KEY_BYTES, MIN_HMAC_KEY_BYTES};
        if !(MIN_HMAC_KEY_BYTES..=MAX_HMAC_KEY_BYTES).contains(&secret.len()) {
            return Err(Error::InvalidKey(alloc::format!(
                "an HMAC secret has {MIN_HMAC_KEY_BYTES}..={MAX_HMAC_KEY_BYTES} bytes, not {}",
                secret.len()
            )));
        }
        Ok(Self::from_material(Material::Hmac(Zeroizing::new(
            secret.to_vec(),
        ))))
    }

    /// Generates a new private key for `alg` from 32 random bytes supplied by the host
    /// (RSA: 2048-bit modulus).
    pub fn generate(alg: Algorithm, seed: &[u8; 32]) -> Result<Self> {
        let key = match alg {
            #[cfg(feature = "ed25519")]
            Algorithm::Ed25519 => Self::ed25519_private(seed)?,
            #[cfg(feature = "ecdsa-p256")]
            Algorithm::EcdsaP256Sha256 => {
                let sk = p256::ecdsa::SigningKey::from_slice(&expand(seed, 32))
                    .map_err(|_| Error::InvalidKey("try another seed".into()))?;
                Self::from_material(Material::P256Private(sk))
            }
            #[cfg(feature = "ecdsa-p384")]
            Algorithm::EcdsaP384Sha384 => {
                let sk = p384::ecdsa::SigningKey::from_slice(&expand(seed, 48))
                    .map_err(|_| Error::InvalidKey("try another seed".into()))?;
                Self::from_material(Material::P384Private(sk))
            }
            #[cfg(feature = "rsa")]
            Algorithm::RsaPssSha512 | Algorithm::RsaV15Sha256 => {
                Self::from_rsa_private(crate::alg::rsa::generate(2048, seed)?)?
                    .with_algorithm(alg)?
            }
            #[cfg(feature = "hmac")]
            Algorithm::HmacSha256 => Self::hmac(&expand(seed, 64))?,
            #[allow(unreachable_patterns)]
            other => return Err(Error::UnsupportedAlgorithm(other.name().into())),
        };
        Ok(key)
    }

    /// A public key of a family this build does not compile in, from its JWK members
    /// (already checked by the JWK reader): see [`Material::Host`].
    #[cfg(feature = "host-keys")]
    pub(crate) fn host(key_type: KeyType, members: crate::jwk::Jwk) -> Self {
        Self::from_material(Material::Host(HostKey { key_type, members }))
    }

    /// See `host_checkable`: an Ed25519 key must be canonical and not of small order.
    fn compute_host_checkable(&self) -> bool {
        match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Public(pk) => pk.is_valid(),
            #[cfg(feature = "ed25519")]
            Material::Ed25519Private(kp) => kp.public().is_valid(),
            #[allow(unreachable_patterns)]
            _ => true,
        }
    }

    /// Whether only a host primitive can check this key's signatures (its family is not
    /// compiled in).
    pub fn is_host_only(&self) -> bool {
        #[cfg(feature = "host-keys")]
        if matches!(self.material, Material::Host(_)) {
            return true;
        }
        false
    }

    /// Binds the key to `alg`; an algorithm the key type cannot serve is an error.
    pub fn with_algorithm(mut self, alg: Algorithm) -> Result<Self> {
        if !self.key_type().fits(alg) {
            return Err(Error::AlgorithmMismatch {
                key: self.type_name(),
                parameter: alg.name().into(),
            });
        }
        self.alg = Some(alg);
        Ok(self)
    }

    /// Sets the key identifier (`kid`).
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The key identifier, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The bound algorithm; `None` for an RSA key not bound to PSS or v1.5.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The family of the key.
    pub fn key_type(&self) -> KeyType {
        match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Public(_) | Material::Ed25519Private(_) => KeyType::Ed25519,
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Public(_) | Material::P256Private(_) => KeyType::P256,
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Public(_) | Material::P384Private(_) => KeyType::P384,
            #[cfg(feature = "rsa")]
            Material::RsaPublic(_) | Material::RsaPrivate(_) => KeyType::Rsa,
            #[cfg(feature = "hmac")]
            Material::Hmac(_) => KeyType::Oct,
            #[cfg(feature = "host-keys")]
            Material::Host(h) => h.key_type,
        }
    }

    fn type_name(&self) -> &'static str {
        match self.key_type() {
            KeyType::Ed25519 => "Ed25519",
            KeyType::P256 => "P-256",
            KeyType::P384 => "P-384",
            KeyType::Rsa => "RSA",
            KeyType::Oct => "HMAC secret",
        }
    }

    /// Whether the key can sign (private, or a shared secret).
    pub fn is_private(&self) -> bool {
        match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Private(_) => true,
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Private(_) => true,
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Private(_) => true,
            #[cfg(feature = "rsa")]
            Material::RsaPrivate(_) => true,
            #[cfg(feature = "hmac")]
            Material::Hmac(_) => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// The public half (a shared secret stays what it is).
    pub fn to_public(&self) -> Key {
        let material = match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Private(kp) => Material::Ed25519Public(kp.public().clone()),
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Private(sk) => Material::P256Public(*sk.verifying_key()),
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Private(sk) => Material::P384Public(*sk.verifying_key()),
            #[cfg(feature = "rsa")]
            Material::RsaPrivate(sk) => Material::RsaPublic(sk.to_public_key()),
            other => other.clone(),
        };
        Key {
            material,
            alg: self.alg,
            kid: self.kid.clone(),
            thumbprint: self.thumbprint.clone(),
            host_checkable: self.host_checkable,
        }
    }

    /// The algorithm to use for a signature whose `alg` parameter is `param` (RFC 9421
    /// §3.2 step 6): the key's own algorithm, which the parameter must match when present.
    pub fn resolve_algorithm(&self, param: Option<&str>) -> Result<Algorithm> {
        let from_param = match param {
            Some(name) => Some(
                Algorithm::from_name(name)
                    .ok_or_else(|| Error::UnsupportedAlgorithm(name.into()))?,
            ),
            None => None,
        };
        match (self.alg, from_param) {
            (Some(bound), Some(p)) if bound != p => Err(Error::AlgorithmMismatch {
                key: bound.name(),
                parameter: p.name().into(),
            }),
            (Some(bound), _) => Ok(bound),
            (None, Some(p)) if self.key_type().fits(p) => Ok(p),
            (None, Some(p)) => Err(Error::AlgorithmMismatch {
                key: self.type_name(),
                parameter: p.name().into(),
            }),
            (None, None) => Err(Error::InvalidKey(
                "an RSA key serves rsa-pss-sha512 and rsa-v1_5-sha256: bind it with the JWK's alg \
                 (PS512 / RS256), an explicit algorithm, or the signature's alg parameter"
                    .to_string(),
            )),
        }
    }

    /// Verifies `signature` over `message` with algorithm `alg` (from [`Self::resolve_algorithm`]).
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<()> {
        if !self.key_type().fits(alg) {
            return Err(Error::AlgorithmMismatch {
                key: self.type_name(),
                parameter: alg.name().into(),
            });
        }
        match (&self.material, alg) {
            #[cfg(feature = "ed25519")]
            (Material::Ed25519Public(pk), _) => pk.verify(message, signature),
            #[cfg(feature = "ed25519")]
            (Material::Ed25519Private(kp), _) => kp.public().verify(message, signature),
            #[cfg(feature = "ecdsa-p256")]
            (Material::P256Public(vk), _) => crate::alg::ecdsa::p256_verify(vk, message, signature),
            #[cfg(feature = "ecdsa-p256")]
            (Material::P256Private(sk), _) => {
                crate::alg::ecdsa::p256_verify(sk.verifying_key(), message, signature)
            }
            #[cfg(feature = "ecdsa-p384")]
            (Material::P384Public(vk), _) => crate::alg::ecdsa::p384_verify(vk, message, signature),
            #[cfg(feature = "ecdsa-p384")]
            (Material::P384Private(sk), _) => {
                crate::alg::ecdsa::p384_verify(sk.verifying_key(), message, signature)
            }
            #[cfg(feature = "rsa")]
            (Material::RsaPublic(pk), alg) => rsa_verify(pk, alg, message, signature),
            #[cfg(feature = "rsa")]
            (Material::RsaPrivate(sk), alg) => {
                rsa_verify(&sk.to_public_key(), alg, message, signature)
            }
            #[cfg(feature = "hmac")]
            (Material::Hmac(secret), _) => crate::alg::hmac::verify(secret, message, signature),
            #[cfg(feature = "host-keys")]
            (Material::Host(h), _) => Err(Error::UnsupportedKey(alloc::format!(
                "this build checks {:?} signatures only with the host's primitive",
                h.key_type
            ))),
        }
    }

    /// Signs `message` with algorithm `alg`. `seed` supplies the randomness RSA needs
    /// (PSS salt, blinding); the other algorithms are deterministic and ignore it.
    pub fn sign(&self, alg: Algorithm, message: &[u8], seed: Option<&[u8; 32]>) -> Result<Vec<u8>> {
        if !self.key_type().fits(alg) {
            return Err(Error::AlgorithmMismatch {
                key: self.type_name(),
                parameter: alg.name().into(),
            });
        }
        let _ = seed;
        match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Private(kp) => Ok(kp.sign(message)),
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Private(sk) => Ok(crate::alg::ecdsa::p256_sign(sk, message)),
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Private(sk) => Ok(crate::alg::ecdsa::p384_sign(sk, message)),
            #[cfg(feature = "rsa")]
            Material::RsaPrivate(sk) => {
                let seed = seed.ok_or(Error::EntropyRequired)?;
                match alg {
                    Algorithm::RsaPssSha512 => crate::alg::rsa::pss_sign(sk, message, seed),
                    _ => crate::alg::rsa::v15_sign(sk, message, seed),
                }
            }
            #[cfg(feature = "hmac")]
            Material::Hmac(secret) => crate::alg::hmac::sign(secret, message),
            #[allow(unreachable_patterns)]
            _ => Err(Error::NotAPrivateKey),
        }
    }
}

#[cfg(feature = "rsa")]
fn rsa_verify(
    pk: &rsa::RsaPublicKey,
    alg: Algorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    match alg {
        Algorithm::RsaPssSha512 => crate::alg::rsa::pss_verify(pk, message, signature),
        _ => crate::alg::rsa::v15_verify(pk, message, signature),
    }
}

/// Expands a 32-byte seed to `len` bytes (SHA-512 in counter mode), for key generation.
#[allow(dead_code)]
fn expand(seed: &[u8; 32], len: usize) -> Zeroizing<Vec<u8>> {
    use sha2::{Digest, Sha512};
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut counter = 0u32;
    while out.len() < len {
        let mut h = Sha512::new();
        h.update(b"httpseal keygen");
        h.update(seed);
        h.update(counter.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        counter += 1;
    }
    out.truncate(len);
    out
}
