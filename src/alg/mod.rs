//! The HTTP Signature Algorithms registry (RFC 9421 §3.3, §6.2) and the primitives behind
//! each entry. Each family sits behind its cargo feature so small builds carry only what
//! they use; the `Algorithm` names themselves always exist, so a build without a family
//! can still say precisely what it does not support.

#[cfg(any(feature = "ecdsa-p256", feature = "ecdsa-p384"))]
pub(crate) mod ecdsa;
#[cfg(feature = "ed25519")]
pub(crate) mod ed25519;
#[cfg(feature = "hmac")]
pub(crate) mod hmac;
#[cfg(feature = "rsa")]
pub(crate) mod rsa;
#[cfg(feature = "rsa")]
pub(crate) mod seeded_rng;

use core::fmt;

/// An algorithm of the HTTP Signature Algorithms registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// `ed25519` (RFC 9421 §3.3.6)
    Ed25519,
    /// `ecdsa-p256-sha256` (§3.3.4), raw `r‖s`.
    EcdsaP256Sha256,
    /// `ecdsa-p384-sha384` (§3.3.5), raw `r‖s`.
    EcdsaP384Sha384,
    /// `rsa-pss-sha512` (§3.3.1): MGF1-SHA-512, salt 64 when signing.
    RsaPssSha512,
    /// `rsa-v1_5-sha256` (§3.3.2)
    RsaV15Sha256,
    /// `hmac-sha256` (§3.3.3)
    HmacSha256,
}

impl Algorithm {
    /// Every registered algorithm.
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Ed25519,
        Algorithm::EcdsaP256Sha256,
        Algorithm::EcdsaP384Sha384,
        Algorithm::RsaPssSha512,
        Algorithm::RsaV15Sha256,
        Algorithm::HmacSha256,
    ];

    /// The registry name used in the `alg` parameter.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "ed25519",
            Algorithm::EcdsaP256Sha256 => "ecdsa-p256-sha256",
            Algorithm::EcdsaP384Sha384 => "ecdsa-p384-sha384",
            Algorithm::RsaPssSha512 => "rsa-pss-sha512",
            Algorithm::RsaV15Sha256 => "rsa-v1_5-sha256",
            Algorithm::HmacSha256 => "hmac-sha256",
        }
    }

    /// Looks up a registry name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The JOSE (`alg` of a JWK) name of the same algorithm.
    pub fn jose_name(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "Ed25519",
            Algorithm::EcdsaP256Sha256 => "ES256",
            Algorithm::EcdsaP384Sha384 => "ES384",
            Algorithm::RsaPssSha512 => "PS512",
            Algorithm::RsaV15Sha256 => "RS256",
            Algorithm::HmacSha256 => "HS256",
        }
    }

    /// Reads a JWK `alg`: a JOSE name or a registry name (the Web Bot Auth directory
    /// format restricts `alg` to registry names; JOSE keys use their own).
    pub fn from_jwk_alg(alg: &str) -> Option<Self> {
        Some(match alg {
            "EdDSA" | "Ed25519" => Algorithm::Ed25519,
            "ES256" => Algorithm::EcdsaP256Sha256,
            "ES384" => Algorithm::EcdsaP384Sha384,
            "PS512" => Algorithm::RsaPssSha512,
            "RS256" => Algorithm::RsaV15Sha256,
            "HS256" => Algorithm::HmacSha256,
            other => return Self::from_name(other),
        })
    }

    /// Whether the signature output is deterministic (same key and base, same bytes).
    pub fn is_deterministic(self) -> bool {
        matches!(
            self,
            Algorithm::Ed25519 | Algorithm::RsaV15Sha256 | Algorithm::HmacSha256
        )
    }

    /// Whether this is a symmetric (shared secret) algorithm.
    pub fn is_symmetric(self) -> bool {
        self == Algorithm::HmacSha256
    }

    /// Whether this build can sign and verify with this algorithm.
    pub fn is_supported(self) -> bool {
        match self {
            Algorithm::Ed25519 => cfg!(feature = "ed25519"),
            Algorithm::EcdsaP256Sha256 => cfg!(feature = "ecdsa-p256"),
            Algorithm::EcdsaP384Sha384 => cfg!(feature = "ecdsa-p384"),
            Algorithm::RsaPssSha512 | Algorithm::RsaV15Sha256 => cfg!(feature = "rsa"),
            Algorithm::HmacSha256 => cfg!(feature = "hmac"),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Algorithm {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| crate::Error::UnsupportedAlgorithm(s.into()))
    }
}
