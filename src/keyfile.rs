//! PEM and DER key files into [`Key`]s: SPKI and PKCS#8 (the general containers, including
//! PKCS#8 with the RSASSA-PSS OID that RFC 9421's B.1.2 key uses), PKCS#1 (`RSA PUBLIC
//! KEY`, `RSA PRIVATE KEY`, as in B.1.1) and SEC1 (`EC PRIVATE KEY`, as in B.1.3).
//!
//! The container is dispatched on its algorithm OID here, so that one parser handles every
//! family and a key file of a family this build lacks gets a precise error.

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::limits::MAX_KEY_FILE_BYTES;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, asn1::OctetStringRef};

const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");

fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidKey(why.into())
}

/// Reads a PEM key file (the first PEM block); the label says which container it is.
pub fn key_from_pem(text: &str) -> Result<Key> {
    if text.len() > MAX_KEY_FILE_BYTES {
        return Err(Error::LimitExceeded(
            "key file larger than MAX_KEY_FILE_BYTES",
        ));
    }
    let start = text
        .find("-----BEGIN ")
        .ok_or_else(|| invalid("no PEM block"))?;
    let end_marker = text[start..]
        .find("-----END ")
        .ok_or_else(|| invalid("unterminated PEM block"))?;
    let end = text[start + end_marker..]
        .find('\n')
        .map_or(text.len(), |i| start + end_marker + i + 1);
    let block = text[start..end].trim_end();
    let (label, der) =
        der::pem::decode_vec(block.as_bytes()).map_err(|e| invalid(format!("bad PEM: {e}")))?;
    match label {
        "PUBLIC KEY" => key_from_spki(&der),
        "PRIVATE KEY" => key_from_pkcs8(&der),
        "RSA PUBLIC KEY" => rsa_pkcs1_public(&der, None),
        "RSA PRIVATE KEY" => rsa_pkcs1_private(&der, None),
        "EC PRIVATE KEY" => ec_sec1(&der, None),
        other => Err(Error::UnsupportedKey(format!("PEM label {other:?}"))),
    }
}

/// Reads a DER key file of any of the supported containers.
pub fn key_from_der(der: &[u8]) -> Result<Key> {
    if der.len() > MAX_KEY_FILE_BYTES {
        return Err(Error::LimitExceeded(
            "key file larger than MAX_KEY_FILE_BYTES",
        ));
    }
    key_from_spki(der)
        .or_else(|_| key_from_pkcs8(der))
        .or_else(|_| rsa_pkcs1_private(der, None))
        .or_else(|_| rsa_pkcs1_public(der, None))
        .or_else(|_| ec_sec1(der, None))
        .map_err(|_| invalid("not an SPKI, PKCS#8, PKCS#1 or SEC1 key"))
}

/// Reads a key file that is PEM or DER.
pub fn key_from_file_bytes(bytes: &[u8]) -> Result<Key> {
    match core::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN ") => key_from_pem(text),
        _ => key_from_der(bytes),
    }
}

/// SubjectPublicKeyInfo (RFC 5280).
pub fn key_from_spki(der: &[u8]) -> Result<Key> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| invalid(format!("bad SPKI: {e}")))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("unaligned public key"))?;
    let oid = spki.algorithm.oid;
    if oid == ED25519 {
        ed25519_public(bits)
    } else if oid == EC_PUBLIC_KEY {
        let curve: Oid = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| invalid("EC key without a named curve"))?;
        ec_public(bits, curve)
    } else if oid == RSA_ENCRYPTION {
        rsa_pkcs1_public(bits, None)
    } else if oid == RSASSA_PSS {
        rsa_pkcs1_public(bits, Some(Algorithm::RsaPssSha512))
    } else {
        Err(Error::UnsupportedKey(format!("public key algorithm {oid}")))
    }
}

/// PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958).
pub fn key_from_pkcs8(der: &[u8]) -> Result<Key> {
    let info =
        pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| invalid(format!("bad PKCS#8: {e}")))?;
    let oid = info.algorithm.oid;
    if oid == ED25519 {
        // CurvePrivateKey ::= OCTET STRING (RFC 8410 §7)
        let seed = OctetStringRef::from_der(info.private_key)
            .map_err(|_| invalid("bad Ed25519 private key"))?;
        ed25519_private(seed.as_bytes())
    } else if oid == EC_PUBLIC_KEY {
        let curve = info.algorithm.parameters_oid().ok();
        ec_sec1(info.private_key, curve)
    } else if oid == RSA_ENCRYPTION {
        rsa_pkcs1_private(info.private_key, None)
    } else if oid == RSASSA_PSS {
        rsa_pkcs1_private(info.private_key, Some(Algorithm::RsaPssSha512))
    } else {
        Err(Error::UnsupportedKey(format!(
            "private key algorithm {oid}"
        )))
    }
}

#[allow(unused_variables)]
fn ed25519_public(bytes: &[u8]) -> Result<Key> {
    #[cfg(feature = "ed25519")]
    return Key::ed25519_public(bytes);
    #[cfg(not(feature = "ed25519"))]
    Err(Error::UnsupportedKey("Ed25519 is not compiled in".into()))
}

#[allow(unused_variables)]
fn ed25519_private(seed: &[u8]) -> Result<Key> {
    #[cfg(feature = "ed25519")]
    return Key::ed25519_private(seed);
    #[cfg(not(feature = "ed25519"))]
    Err(Error::UnsupportedKey("Ed25519 is not compiled in".into()))
}

#[allow(unused_variables)]
fn ec_public(point: &[u8], curve: Oid) -> Result<Key> {
    if curve != P256 && curve != P384 {
        return Err(Error::UnsupportedKey(format!("EC curve {curve}")));
    }
    #[cfg(feature = "ecdsa")]
    return Key::ec_public(point);
    #[cfg(not(feature = "ecdsa"))]
    Err(Error::UnsupportedKey("ECDSA is not compiled in".into()))
}

/// SEC1 ECPrivateKey (RFC 5915); the curve comes from the container or the key itself.
#[allow(unused_variables)]
fn ec_sec1(der: &[u8], container_curve: Option<Oid>) -> Result<Key> {
    let key =
        sec1::EcPrivateKey::from_der(der).map_err(|e| invalid(format!("bad SEC1 key: {e}")))?;
    let curve = container_curve
        .or_else(|| key.parameters.and_then(|p| p.named_curve()))
        .ok_or_else(|| invalid("EC private key without a named curve"))?;
    let expected_len = if curve == P256 {
        32
    } else if curve == P384 {
        48
    } else {
        return Err(Error::UnsupportedKey(format!("EC curve {curve}")));
    };
    if key.private_key.len() != expected_len {
        return Err(invalid("EC private scalar has the wrong length"));
    }
    #[cfg(feature = "ecdsa")]
    return Key::ec_private(key.private_key);
    #[cfg(not(feature = "ecdsa"))]
    Err(Error::UnsupportedKey("ECDSA is not compiled in".into()))
}

#[allow(unused_variables)]
fn rsa_pkcs1_public(der: &[u8], alg: Option<Algorithm>) -> Result<Key> {
    #[cfg(feature = "rsa")]
    {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let key = rsa::RsaPublicKey::from_pkcs1_der(der)
            .map_err(|e| invalid(format!("bad RSA public key: {e}")))?;
        let key = Key::from_rsa_public(key)?;
        match alg {
            Some(a) => key.with_algorithm(a),
            None => Ok(key),
        }
    }
    #[cfg(not(feature = "rsa"))]
    Err(Error::UnsupportedKey("RSA is not compiled in".into()))
}

#[allow(unused_variables)]
fn rsa_pkcs1_private(der: &[u8], alg: Option<Algorithm>) -> Result<Key> {
    #[cfg(feature = "rsa")]
    {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        let mut key = rsa::RsaPrivateKey::from_pkcs1_der(der)
            .map_err(|e| invalid(format!("bad RSA private key: {e}")))?;
        key.validate()
            .map_err(|e| invalid(format!("RSA private key: {e}")))?;
        key.precompute()
            .map_err(|e| invalid(format!("RSA private key: {e}")))?;
        let key = Key::from_rsa_private(key)?;
        match alg {
            Some(a) => key.with_algorithm(a),
            None => Ok(key),
        }
    }
    #[cfg(not(feature = "rsa"))]
    Err(Error::UnsupportedKey("RSA is not compiled in".into()))
}

/// Encodes a public key as an SPKI PEM (`PUBLIC KEY`) — what `keygen` writes.
pub fn public_key_pem(key: &Key) -> Result<String> {
    let der = public_key_der(key)?;
    der::pem::encode_string("PUBLIC KEY", der::pem::LineEnding::LF, &der)
        .map_err(|e| invalid(format!("PEM encoding: {e}")))
}

fn public_key_der(key: &Key) -> Result<Vec<u8>> {
    use crate::b64;
    use der::Encode;
    let jwk = key.to_public().public_jwk();
    let get = |n: &str| {
        jwk.get(n)
            .and_then(|v| v.as_str())
            .map(b64::url_decode)
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let (algorithm, bits): (spki::AlgorithmIdentifierOwned, Vec<u8>) = match key.key_type() {
        crate::KeyType::Ed25519 => (
            spki::AlgorithmIdentifierOwned {
                oid: ED25519,
                parameters: None,
            },
            get("x")?,
        ),
        crate::KeyType::P256 | crate::KeyType::P384 => {
            let curve = if key.key_type() == crate::KeyType::P256 {
                P256
            } else {
                P384
            };
            let mut point = alloc::vec![4u8];
            point.extend(get("x")?);
            point.extend(get("y")?);
            (
                spki::AlgorithmIdentifierOwned {
                    oid: EC_PUBLIC_KEY,
                    parameters: Some(curve.into()),
                },
                point,
            )
        }
        #[cfg(feature = "rsa")]
        crate::KeyType::Rsa => {
            use rsa::pkcs1::EncodeRsaPublicKey;
            let jwk_n = get("n")?;
            let jwk_e = get("e")?;
            let pk = rsa::RsaPublicKey::new_unchecked(
                rsa::BigUint::from_bytes_be(&jwk_n),
                rsa::BigUint::from_bytes_be(&jwk_e),
            );
            let der = pk.to_pkcs1_der().map_err(|e| invalid(format!("{e}")))?;
            (
                spki::AlgorithmIdentifierOwned {
                    oid: RSA_ENCRYPTION,
                    parameters: Some(der::asn1::Null.into()),
                },
                der.as_bytes().to_vec(),
            )
        }
        _ => {
            return Err(Error::UnsupportedKey(
                "no public key file for this key type".into(),
            ));
        }
    };
    let info = spki::SubjectPublicKeyInfoOwned {
        algorithm,
        subject_public_key: der::asn1::BitString::from_bytes(&bits)
            .map_err(|e| invalid(format!("{e}")))?,
    };
    info.to_der().map_err(|e| invalid(format!("{e}")))
}
