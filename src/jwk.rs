//! JSON Web Keys (RFC 7517) into [`Key`]s and back, JWK Sets, and RFC 7638 thumbprints.
//!
//! Parsing is bounded ([`MAX_JWKS_BYTES`], [`MAX_JWKS_KEYS`]) and never panics. In a set,
//! keys this build cannot use (other curves, encryption keys, unknown `kty`) are skipped
//! with a reason, not fatal: directories legitimately publish keys for other consumers.

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{Error, Result};
use crate::key::{Key, KeyType, Material};
use crate::limits::{MAX_JWKS_BYTES, MAX_JWKS_KEYS};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A JWK as a JSON object.
pub type Jwk = Map<String, Value>;

fn malformed(why: impl Into<String>) -> Error {
    Error::MalformedJwk(why.into())
}

fn member<'a>(jwk: &'a Jwk, name: &str) -> Result<&'a str> {
    match jwk.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(malformed(format!("{name} is not a string"))),
        None => Err(malformed(format!("{name} is missing"))),
    }
}

fn optional<'a>(jwk: &'a Jwk, name: &str) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(_) => member(jwk, name).map(Some),
    }
}

fn bytes(jwk: &Jwk, name: &str) -> Result<Vec<u8>> {
    b64::url_decode(member(jwk, name)?).map_err(|_| malformed(format!("{name} is not base64url")))
}

#[cfg_attr(
    not(any(
        feature = "ed25519",
        feature = "ecdsa-p256",
        feature = "ecdsa-p384",
        feature = "host-keys"
    )),
    allow(dead_code)
)]
fn fixed(jwk: &Jwk, name: &str, len: usize) -> Result<Vec<u8>> {
    let b = bytes(jwk, name)?;
    if b.len() != len {
        return Err(malformed(format!(
            "{name} must be {len} bytes, not {}",
            b.len()
        )));
    }
    Ok(b)
}

/// Parses a JWK document (text) into a key.
pub fn parse_jwk(text: &str) -> Result<Key> {
    if text.len() > MAX_JWKS_BYTES {
        return Err(Error::LimitExceeded("JWK larger than MAX_JWKS_BYTES"));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(jwk)) => key_from_jwk(&jwk),
        Ok(_) => Err(malformed("not a JSON object")),
        Err(e) => Err(malformed(format!("not JSON: {e}"))),
    }
}

/// Reads a JWK object into a key: public, or private when it carries `d` (or is `oct`).
pub fn key_from_jwk(jwk: &Jwk) -> Result<Key> {
    let kty = member(jwk, "kty")?;
    if let Some(u) = optional(jwk, "use")?
        && u != "sig"
    {
        return Err(Error::UnsupportedKey(format!(
            "use {u:?} (only \"sig\" keys sign)"
        )));
    }
    let private = jwk.contains_key("d");
    let key = match kty {
        "OKP" => okp(jwk, private)?,
        "EC" => ec(jwk, private)?,
        "RSA" => rsa(jwk, private)?,
        "oct" => oct(jwk)?,
        other => return Err(Error::UnsupportedKey(format!("kty {other:?}"))),
    };
    let key = match optional(jwk, "alg")? {
        None => key,
        Some(name) => {
            let alg = Algorithm::from_jwk_alg(name).ok_or_else(|| {
                Error::UnsupportedKey(format!("alg {name:?} is not an HTTP signature algorithm"))
            })?;
            key.with_algorithm(alg)?
        }
    };
    Ok(match optional(jwk, "kid")? {
        Some(kid) => key.with_kid(kid),
        None => key,
    })
}

#[allow(unused_variables)]
fn okp(jwk: &Jwk, private: bool) -> Result<Key> {
    let crv = member(jwk, "crv")?;
    if crv != "Ed25519" {
        return Err(Error::UnsupportedKey(format!("OKP curve {crv:?}")));
    }
    #[cfg(feature = "ed25519")]
    {
        let x = fixed(jwk, "x", 32)?;
        if private {
            let key = Key::ed25519_private(&fixed(jwk, "d", 32)?)?;
            if key
                .to_public()
                .public_jwk()
                .get("x")
                .and_then(Value::as_str)
                != Some(member(jwk, "x")?)
            {
                return Err(malformed("d and x are not the same key"));
            }
            return Ok(key);
        }
        Key::ed25519_public(&x)
    }
    #[cfg(not(feature = "ed25519"))]
    Err(Error::UnsupportedKey("Ed25519 is not compiled in".into()))
}

#[allow(unused_variables)]
fn ec(jwk: &Jwk, private: bool) -> Result<Key> {
    let crv = member(jwk, "crv")?;
    let (len, built) = match crv {
        "P-256" => (32, cfg!(feature = "ecdsa-p256")),
        "P-384" => (48, cfg!(feature = "ecdsa-p384")),
        other => return Err(Error::UnsupportedKey(format!("EC curve {other:?}"))),
    };
    if !built {
        let key_type = if len == 32 {
            KeyType::P256
        } else {
            KeyType::P384
        };
        return host_key(jwk, key_type, &[("x", len), ("y", len)], private);
    }
    #[cfg(any(feature = "ecdsa-p256", feature = "ecdsa-p384"))]
    {
        let mut point = alloc::vec![4u8];
        point.extend_from_slice(&fixed(jwk, "x", len)?);
        point.extend_from_slice(&fixed(jwk, "y", len)?);
        let public = Key::ec_public(&point)?;
        if private {
            let key = Key::ec_private(&fixed(jwk, "d", len)?)?;
            if key.to_public().public_jwk() != public.public_jwk() {
                return Err(malformed("d does not match x and y"));
            }
            return Ok(key);
        }
        Ok(public)
    }
    #[cfg(not(any(feature = "ecdsa-p256", feature = "ecdsa-p384")))]
    Err(Error::UnsupportedKey("ECDSA is not compiled in".into()))
}

#[allow(unused_variables)]
fn rsa(jwk: &Jwk, private: bool) -> Result<Key> {
    #[cfg(feature = "rsa")]
    {
        let n = bytes(jwk, "n")?;
        let e = bytes(jwk, "e")?;
        if private {
            let (p, q) = match (jwk.get("p"), jwk.get("q")) {
                (Some(_), Some(_)) => (bytes(jwk, "p")?, bytes(jwk, "q")?),
                _ => return Err(malformed("an RSA private JWK needs p and q")),
            };
            return Key::rsa_private(&n, &e, &bytes(jwk, "d")?, &[&p, &q]);
        }
        Key::rsa_public(&n, &e)
    }
    #[cfg(not(feature = "rsa"))]
    {
        let n = bytes(jwk, "n")?;
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        if !(crate::limits::MIN_RSA_BITS..=crate::limits::MAX_RSA_BITS).contains(&bits) {
            return Err(Error::UnsupportedKey(format!("RSA modulus of {bits} bits")));
        }
        host_key(
            jwk,
            KeyType::Rsa,
            &[("n", n.len()), ("e", bytes(jwk, "e")?.len())],
            private,
        )
    }
}

/// A public key of a family this build does not compile in (feature `host-keys`): its
/// members are checked for form here (base64url, lengths); the host's primitive checks the
/// key itself when it imports it. Without `host-keys` the family is simply unsupported.
#[allow(unused_variables)]
fn host_key(jwk: &Jwk, key_type: KeyType, members: &[(&str, usize)], private: bool) -> Result<Key> {
    let name = match key_type {
        KeyType::P256 => "P-256",
        KeyType::P384 => "P-384",
        KeyType::Rsa => "RSA",
        KeyType::Ed25519 => "Ed25519",
        KeyType::Oct => "HMAC",
    };
    #[cfg(feature = "host-keys")]
    if !private {
        let mut public = Map::new();
        for name in ["kty", "crv"] {
            if let Some(v) = jwk.get(name) {
                public.insert(name.into(), v.clone());
            }
        }
        for (member, len) in members {
            fixed(jwk, member, *len)?;
            public.insert(
                (*member).into(),
                Value::String(self::member(jwk, member)?.into()),
            );
        }
        return Ok(Key::host(key_type, public));
    }
    Err(Error::UnsupportedKey(format!("{name} is not compiled in")))
}

fn oct(jwk: &Jwk) -> Result<Key> {
    #[cfg(feature = "hmac")]
    {
        Key::hmac(&bytes(jwk, "k")?)
    }
    #[cfg(not(feature = "hmac"))]
    {
        let _ = jwk;
        Err(Error::UnsupportedKey("HMAC is not compiled in".into()))
    }
}

impl Key {
    /// The public JWK: required members, `alg` when the key is bound to an RSA algorithm,
    /// and `kid` when set. For a shared secret this is the secret itself.
    pub fn public_jwk(&self) -> Jwk {
        let mut m = Map::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.to_string(), Value::String(v));
        };
        match &self.to_public().material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Public(pk) => {
                put("kty", "OKP".into());
                put("crv", "Ed25519".into());
                put("x", b64::url_encode(pk.as_bytes()));
            }
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Public(vk) => {
                put("kty", "EC".into());
                put("crv", "P-256".into());
                let p = vk.to_encoded_point(false);
                let (x, y) = (p.x().map(|c| &c[..]), p.y().map(|c| &c[..]));
                put("x", b64::url_encode(x.unwrap_or_default()));
                put("y", b64::url_encode(y.unwrap_or_default()));
            }
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Public(vk) => {
                put("kty", "EC".into());
                put("crv", "P-384".into());
                let p = vk.to_encoded_point(false);
                let (x, y) = (p.x().map(|c| &c[..]), p.y().map(|c| &c[..]));
                put("x", b64::url_encode(x.unwrap_or_default()));
                put("y", b64::url_encode(y.unwrap_or_default()));
            }
            #[cfg(feature = "rsa")]
            Material::RsaPublic(pk) => {
                use rsa::traits::PublicKeyParts;
                put("kty", "RSA".into());
                put("n", b64::url_encode(&pk.n().to_bytes_be()));
                put("e", b64::url_encode(&pk.e().to_bytes_be()));
            }
            #[cfg(feature = "hmac")]
            Material::Hmac(secret) => {
                put("kty", "oct".into());
                put("k", b64::url_encode(secret));
            }
            #[cfg(feature = "host-keys")]
            Material::Host(h) => {
                for (k, v) in &h.members {
                    if let Some(v) = v.as_str() {
                        put(k, v.into());
                    }
                }
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
        if self.key_type() == KeyType::Rsa
            && let Some(alg) = self.algorithm()
        {
            put("alg", alg.jose_name().into());
        }
        if let Some(kid) = self.kid() {
            put("kid", kid.into());
        }
        m
    }

    /// The private JWK (public members plus the private ones).
    pub fn private_jwk(&self) -> Result<Jwk> {
        if !self.is_private() {
            return Err(Error::NotAPrivateKey);
        }
        let mut m = self.public_jwk();
        // An HMAC key's secret is already in its public JWK (`k`): with only `hmac`
        // compiled in, nothing is put here.
        #[cfg_attr(
            not(any(
                feature = "ed25519",
                feature = "ecdsa-p256",
                feature = "ecdsa-p384",
                feature = "rsa"
            )),
            allow(unused_mut, unused_variables)
        )]
        let mut put = |k: &str, v: Vec<u8>| {
            m.insert(k.to_string(), Value::String(b64::url_encode(&v)));
        };
        match &self.material {
            #[cfg(feature = "ed25519")]
            Material::Ed25519Private(kp) => put("d", kp.seed().to_vec()),
            #[cfg(feature = "ecdsa-p256")]
            Material::P256Private(sk) => put("d", sk.to_bytes().to_vec()),
            #[cfg(feature = "ecdsa-p384")]
            Material::P384Private(sk) => put("d", sk.to_bytes().to_vec()),
            #[cfg(feature = "rsa")]
            Material::RsaPrivate(sk) => {
                use rsa::traits::{PrivateKeyParts, PublicKeyParts};
                let _ = sk.e();
                put("d", sk.d().to_bytes_be());
                let primes = sk.primes();
                if let [p, q] = primes {
                    put("p", p.to_bytes_be());
                    put("q", q.to_bytes_be());
                    let one = rsa::BigUint::from(1u8);
                    put("dp", (sk.d() % (p - &one)).to_bytes_be());
                    put("dq", (sk.d() % (q - &one)).to_bytes_be());
                    if let Some(qi) = sk.crt_coefficient() {
                        put("qi", qi.to_bytes_be());
                    }
                }
            }
            _ => {}
        }
        Ok(m)
    }

    /// The RFC 7638 JWK SHA-256 thumbprint, base64url (RFC 8037 §A.3 for Ed25519).
    pub fn thumbprint(&self) -> String {
        match self.thumbprint_str() {
            Some(t) => t.to_string(),
            None => self.compute_thumbprint(),
        }
    }

    /// [`Self::thumbprint`] without allocating: the 43 characters computed when the key was
    /// made (hosts key caches of imported keys by it on every request).
    pub fn thumbprint_str(&self) -> Option<&str> {
        core::str::from_utf8(self.thumbprint.as_deref()?).ok()
    }

    /// Computes [`Self::thumbprint`] (once, when the key is made).
    pub(crate) fn compute_thumbprint(&self) -> String {
        // The public JWK always has the required members, so this cannot fail.
        jwk_thumbprint(&self.public_jwk()).unwrap_or_default()
    }
}

/// The RFC 7638 thumbprint of a JWK, from its required members as written.
pub fn jwk_thumbprint(jwk: &Jwk) -> Result<String> {
    let required: &[&str] = match member(jwk, "kty")? {
        "OKP" => &["crv", "kty", "x"],
        "EC" => &["crv", "kty", "x", "y"],
        "RSA" => &["e", "kty", "n"],
        "oct" => &["k", "kty"],
        other => {
            return Err(Error::UnsupportedKey(format!(
                "no thumbprint for kty {other:?}"
            )));
        }
    };
    let mut canonical = String::with_capacity(128);
    canonical.push('{');
    for (i, name) in required.iter().enumerate() {
        if i > 0 {
            canonical.push(',');
        }
        canonical.push('"');
        canonical.push_str(name);
        canonical.push_str("\":");
        let value = member(jwk, name)?;
        // JSON needs escapes only for `"`, `\` and control characters; base64url values
        // and curve names have none, so they are written as they are.
        if value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            canonical
                .push_str(&serde_json::to_string(value).map_err(|e| malformed(e.to_string()))?);
        } else {
            canonical.push('"');
            canonical.push_str(value);
            canonical.push('"');
        }
    }
    canonical.push('}');
    Ok(b64::url_encode(&Sha256::digest(canonical.as_bytes())))
}

/// One usable key of a set, with its thumbprint.
#[derive(Debug, Clone)]
pub struct SetKey {
    /// The key.
    pub key: Key,
    /// Its RFC 7638 thumbprint.
    pub thumbprint: String,
}

/// A JWK Set: the keys this build can use, and why the others were skipped.
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    keys: Vec<SetKey>,
    skipped: Vec<(usize, Error)>,
    /// The skipped keys that were readable as keys: index, thumbprint, `kid`.
    skipped_ids: Vec<(usize, String, Option<String>)>,
    /// When the document's keys carry `nbf`/`exp`: the times between which this reading of
    /// it holds (`[from, until)`, no key's window opens or closes inside).
    window: Option<(u64, u64)>,
}

impl JwkSet {
    /// Parses `{"keys": [...]}`; a single JWK object or a JSON array of JWKs is accepted
    /// too. Unusable keys are skipped; keys past [`MAX_JWKS_KEYS`] are ignored.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_JWKS_BYTES {
            return Err(Error::LimitExceeded("JWK Set larger than MAX_JWKS_BYTES"));
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| malformed(format!("not JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Reads an already-parsed JSON value (see [`Self::parse`]).
    pub fn from_value(value: &Value) -> Result<Self> {
        let entries: &[Value] = match value {
            Value::Object(o) if o.contains_key("keys") => match o.get("keys") {
                Some(Value::Array(a)) => a,
                _ => return Err(malformed("keys is not an array")),
            },
            Value::Object(_) => core::slice::from_ref(value),
            Value::Array(a) => a,
            _ => return Err(malformed("a JWK Set is an object with a keys array")),
        };
        let mut set = JwkSet::default();
        for (i, entry) in entries.iter().take(MAX_JWKS_KEYS).enumerate() {
            let result = match entry {
                Value::Object(jwk) => key_from_jwk(jwk),
                _ => Err(malformed("a key is not an object")),
            };
            match result {
                Ok(key) => set.push(key),
                Err(e) => set.skipped.push((i, e)),
            }
        }
        if entries.len() > MAX_JWKS_KEYS {
            set.skipped.push((
                MAX_JWKS_KEYS,
                Error::LimitExceeded("keys beyond MAX_JWKS_KEYS ignored"),
            ));
        }
        Ok(set)
    }

    /// A set of the given keys.
    pub fn from_keys(keys: impl IntoIterator<Item = Key>) -> Self {
        let mut set = JwkSet::default();
        for k in keys {
            set.push(k);
        }
        set
    }

    /// Adds a key.
    pub fn push(&mut self, key: Key) {
        let thumbprint = key.thumbprint();
        self.keys.push(SetKey { key, thumbprint });
    }

    /// Records a key of the document that was not usable, and why.
    pub fn push_skipped(&mut self, index: usize, why: Error) {
        self.skipped.push((index, why));
    }

    /// Whether the set read from a document is still the one to use at `now`: false once a
    /// key's `nbf` or `exp` ([`crate::webbotauth::parse_directory`]) has passed since it was
    /// read (or before it, for a `now` earlier than the reading); the document must then be
    /// read again at `now`. Always true for a set without validity windows.
    pub fn holds_at(&self, now: u64) -> bool {
        self.window
            .is_none_or(|(from, until)| from <= now && now < until)
    }

    /// Records that this reading holds from `from` until `until` (exclusive).
    pub(crate) fn set_window(&mut self, from: u64, until: u64) {
        self.window = Some((from, until));
    }

    /// Records a key of the document that was readable but not usable (outside its
    /// `nbf`/`exp` window, not for signing, ...), and why: [`Self::skipped_key`] finds it.
    pub fn push_skipped_key(&mut self, index: usize, key: &Key, why: Error) {
        self.skipped_ids
            .push((index, key.thumbprint(), key.kid().map(str::to_string)));
        self.skipped.push((index, why));
    }

    /// Why the document's key that `keyid` names — its thumbprint, or when `by_kid` its
    /// `kid` — was skipped, when it was.
    pub fn skipped_key(&self, keyid: &str, by_kid: bool) -> Option<&Error> {
        let (index, ..) = self.skipped_ids.iter().find(|(_, thumbprint, kid)| {
            thumbprint == keyid || (by_kid && kid.as_deref() == Some(keyid))
        })?;
        self.skipped
            .iter()
            .find(|(i, _)| i == index)
            .map(|(_, why)| why)
    }

    /// The usable keys.
    pub fn keys(&self) -> &[SetKey] {
        &self.keys
    }

    /// Keys that were skipped, by index in the document, with the reason.
    pub fn skipped(&self) -> &[(usize, Error)] {
        &self.skipped
    }

    /// Whether there are no usable keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key whose RFC 7638 thumbprint is `thumbprint` (a `kid` never matches: for
    /// verifiers whose `keyid` must be the thumbprint, as Web Bot Auth's).
    pub fn find_thumbprint(&self, thumbprint: &str) -> Result<&Key> {
        self.keys
            .iter()
            .find(|k| k.thumbprint == thumbprint)
            .map(|k| &k.key)
            .ok_or_else(|| Error::UnknownKey(thumbprint.to_string()))
    }

    /// The key for a signature's `keyid`: its `kid` or its thumbprint equals `keyid`.
    /// Without a `keyid`, a set of exactly one key yields that key.
    pub fn find(&self, keyid: Option<&str>) -> Result<&Key> {
        match keyid {
            Some(id) => self
                .keys
                .iter()
                .find(|k| k.key.kid() == Some(id))
                .or_else(|| self.keys.iter().find(|k| k.thumbprint == id))
                .map(|k| &k.key)
                .ok_or_else(|| Error::UnknownKey(id.to_string())),
            None => match self.keys.as_slice() {
                [only] => Ok(&only.key),
                [] => Err(Error::UnknownKey(String::new())),
                _ => Err(Error::AmbiguousKey),
            },
        }
    }

    /// The set as a JWK Set document of public keys.
    pub fn to_public_value(&self) -> Value {
        let keys = self
            .keys
            .iter()
            .map(|k| Value::Object(k.key.to_public().public_jwk()))
            .collect();
        let mut m = Map::new();
        m.insert("keys".into(), Value::Array(keys));
        Value::Object(m)
    }
}
