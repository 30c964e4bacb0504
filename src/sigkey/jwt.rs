//! Compact JWS / JWT verification, as far as `Signature-Key` needs it: the JOSE
//! algorithms that map onto HTTP signature algorithms, the registered time claims, and
//! nothing else (no `none`, no JWE, no `crit` extensions).

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::limits::MAX_JWT_BYTES;
use alloc::format;
use alloc::string::{String, ToString};
use serde_json::{Map, Value};

/// A decoded, not yet verified JWT.
#[derive(Debug, Clone)]
pub struct Jwt {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: alloc::vec::Vec<u8>,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidJwt(why.into())
}

fn json_part(part: &str, what: &str) -> Result<Map<String, Value>> {
    let bytes = b64::url_decode(part).map_err(|_| invalid(format!("{what} is not base64url")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(invalid(format!("{what} is not a JSON object"))),
    }
}

impl Jwt {
    /// Splits and decodes a compact JWS.
    pub fn decode(token: &str) -> Result<Self> {
        if token.len() > MAX_JWT_BYTES {
            return Err(invalid("longer than MAX_JWT_BYTES"));
        }
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("not a compact JWS (three parts)"));
        };
        let header = json_part(h, "header")?;
        if header.contains_key("crit") {
            return Err(invalid("crit extensions are not supported"));
        }
        Ok(Jwt {
            header,
            claims: json_part(p, "payload")?,
            signing_input: format!("{h}.{p}"),
            signature: b64::url_decode(s).map_err(|_| invalid("signature is not base64url"))?,
        })
    }

    /// A header member as a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// The JOSE `alg` as an HTTP signature algorithm.
    pub fn algorithm(&self) -> Result<Algorithm> {
        let alg = self.header_str("alg").ok_or_else(|| invalid("no alg"))?;
        Algorithm::from_jwk_alg(alg)
            .filter(|a| !a.is_symmetric())
            .ok_or_else(|| Error::UnsupportedAlgorithm(format!("JWS alg {alg}")))
    }

    /// Checks the signature with `key`, whose type must fit the header's `alg`.
    pub fn verify_signature(&self, key: &Key) -> Result<()> {
        let alg = self.algorithm()?;
        key.verify(alg, self.signing_input.as_bytes(), &self.signature)
            .map_err(|e| match e {
                Error::InvalidSignature => invalid("the JWT signature does not verify"),
                other => other,
            })
    }

    /// Checks `exp` (required), `nbf` and `iat` against `now` with `skew` seconds of slack.
    pub fn check_times(&self, now: u64, skew: u64) -> Result<()> {
        let time = |name: &str| {
            self.claims.get(name).map(|v| {
                v.as_u64()
                    .ok_or_else(|| invalid(format!("{name} is not a time")))
            })
        };
        let exp = time("exp").ok_or_else(|| invalid("exp is required"))??;
        if now > exp.saturating_add(skew) {
            return Err(Error::ExpiredJwt(exp));
        }
        if let Some(nbf) = time("nbf").transpose()?
            && nbf > now.saturating_add(skew)
        {
            return Err(invalid(format!("not valid before {nbf}")));
        }
        if let Some(iat) = time("iat").transpose()?
            && iat > now.saturating_add(skew)
        {
            return Err(invalid(format!("issued in the future ({iat})")));
        }
        Ok(())
    }

    /// The confirmation key `cnf.jwk` (the key that signs the HTTP message).
    pub fn confirmation_key(&self) -> Result<Key> {
        let jwk = self
            .claims
            .get("cnf")
            .and_then(|c| c.get("jwk"))
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("cnf.jwk is required"))?;
        if jwk.contains_key("d") {
            return Err(invalid("cnf.jwk must be a public key"));
        }
        crate::jwk::key_from_jwk(jwk)
    }
}

impl core::fmt::Display for Jwt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "JWT typ={:?} alg={:?}",
            self.header_str("typ"),
            self.header_str("alg")
        )
    }
}

/// Builds a compact JWS signed by `key` (tests and tools that mint `jkt-jwt` tokens).
pub fn sign_jwt(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    key: &Key,
) -> Result<String> {
    let alg = key
        .algorithm()
        .ok_or_else(|| invalid("the signing key has no algorithm"))?;
    let h = b64::url_encode(Value::Object(header.clone()).to_string().as_bytes());
    let p = b64::url_encode(Value::Object(claims.clone()).to_string().as_bytes());
    let input = format!("{h}.{p}");
    let sig = key.sign(alg, input.as_bytes(), None)?;
    Ok(format!("{input}.{}", b64::url_encode(&sig)))
}

impl Jwt {
    /// The `iss` of a `jkt-jwt`: `urn:jkt:sha-256:<thumbprint of the header jwk>`.
    pub fn jkt_issuer(thumbprint: &str) -> String {
        format!("urn:jkt:sha-256:{thumbprint}")
    }

    /// The header's embedded `jwk`.
    pub fn header_key(&self) -> Result<Key> {
        let jwk = self
            .header
            .get("jwk")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("header jwk is required"))?;
        if jwk.contains_key("d") {
            return Err(invalid("the header jwk must be a public key"));
        }
        crate::jwk::key_from_jwk(jwk)
    }

    /// `typ`, which must be one of `expected`.
    pub fn check_typ(&self, expected: &[&str]) -> Result<()> {
        match self.header_str("typ") {
            Some(t) if expected.contains(&t) => Ok(()),
            other => Err(invalid(format!(
                "typ {other:?} (expected one of {expected:?})"
            ))),
        }
    }

    /// A claim that must be present, as a string.
    pub fn required_claim(&self, name: &str) -> Result<&str> {
        self.claim_str(name)
            .ok_or_else(|| invalid(format!("{name} is required")))
    }
}
