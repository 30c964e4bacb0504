//! The `Signature-Key` field (draft-hardt-httpbis-signature-key-09): the signer says, per
//! signature label, where its key comes from.
//!
//! Every scheme is parsed. Keys that travel with the request (`hwk`, a `jkt-jwt`'s
//! confirmation key) resolve without network; the others need documents (a JWK Set, key
//! metadata), which come back as a plan of URLs for the host to fetch, exactly like
//! Web Bot Auth directories. The field must be a covered component, so the key choice is
//! signed.

pub mod jwt;

use crate::error::{Error, Result};
use crate::input::{LabelledSignature, combined_field, parse_signatures};
use crate::jwk::{JwkSet, jwk_thumbprint, key_from_jwk};
use crate::key::Key;
use crate::limits::MAX_SIGNATURE_KEY_MEMBERS;
use crate::message::Message;
use crate::verify::{KeySource, ResolvedKey};
use alloc::borrow::{Cow, ToOwned};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use jwt::Jwt;
use serde_json::{Map, Value};
use sfv::{BareItem, Dictionary, Item, ListEntry, Parser};

/// One `Signature-Key` member: how the key of one signature is found.
#[derive(Debug, Clone, PartialEq)]
pub enum Scheme {
    /// `hwk`: the public key inline, as JWK members.
    Hwk(Map<String, Value>),
    /// `jkt-jwt`: a JWT signed by an identity key in its header, naming the signing key.
    JktJwt {
        /// The token.
        jwt: String,
    },
    /// `jwks_uri`: key metadata at `{id}/.well-known/{dwk}`, whose `jwks_uri` holds `kid`.
    JwksUri {
        /// The issuer (an https URL).
        id: String,
        /// The well-known document name.
        dwk: String,
        /// The key id.
        kid: String,
    },
    /// `jwks`: a JWK Set URL and the key id in it.
    Jwks {
        /// The JWK Set URL.
        url: String,
        /// The key id.
        kid: String,
    },
    /// `jwt`: a JWT from an issuer whose `cnf.jwk` signs the message.
    Jwt {
        /// The token.
        jwt: String,
    },
    /// `self-jwt`: a JWT signed by the same issuer key that signs the message.
    SelfJwt {
        /// The token.
        jwt: String,
    },
    /// `x509`: a certificate chain (parsed, not resolved: it needs a trust store).
    X509 {
        /// Where the chain is.
        x5u: String,
        /// SHA-256 of the leaf certificate.
        x5t: Vec<u8>,
    },
    /// `cached`: a key the verifier cached earlier under `cid` (strawman in -09).
    Cached {
        /// The cache id.
        cid: String,
    },
}

impl Scheme {
    /// The scheme token.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::Hwk(_) => "hwk",
            Scheme::JktJwt { .. } => "jkt-jwt",
            Scheme::JwksUri { .. } => "jwks_uri",
            Scheme::Jwks { .. } => "jwks",
            Scheme::Jwt { .. } => "jwt",
            Scheme::SelfJwt { .. } => "self-jwt",
            Scheme::X509 { .. } => "x509",
            Scheme::Cached { .. } => "cached",
        }
    }
}

fn malformed(why: impl Into<String>) -> Error {
    Error::MalformedSignatureKey(why.into())
}

/// Parses a `Signature-Key` value into (label, scheme) pairs.
pub fn parse_signature_key(value: &str) -> Result<Vec<(String, Scheme)>> {
    let dict: Dictionary = Parser::new(value)
        .parse_dictionary()
        .map_err(|e| malformed(e.to_string()))?;
    if dict.len() > MAX_SIGNATURE_KEY_MEMBERS {
        return Err(Error::LimitExceeded(
            "more Signature-Key members than MAX_SIGNATURE_KEY_MEMBERS",
        ));
    }
    let mut out = Vec::with_capacity(dict.len());
    for (label, entry) in &dict {
        let ListEntry::Item(Item {
            bare_item: BareItem::Token(scheme),
            params,
        }) = entry
        else {
            return Err(malformed(format!(
                "member {:?} is not a scheme token",
                label.as_str()
            )));
        };
        let string = |name: &str| -> Result<String> {
            match params.iter().find(|(k, _)| k.as_str() == name) {
                Some((_, BareItem::String(s))) => Ok(s.as_str().to_string()),
                Some(_) => Err(malformed(format!(
                    "{} {name} must be a string",
                    scheme.as_str()
                ))),
                None => Err(malformed(format!("{} needs {name}", scheme.as_str()))),
            }
        };
        let parsed = match scheme.as_str() {
            "hwk" => {
                if params.iter().any(|(k, _)| k.as_str() == "kid") {
                    return Err(malformed("hwk must not carry kid"));
                }
                let mut jwk = Map::new();
                for name in ["kty", "crv", "x", "y", "n", "e", "alg"] {
                    if let Ok(v) = string(name) {
                        jwk.insert(name.into(), Value::String(v));
                    }
                }
                if !jwk.contains_key("kty") {
                    return Err(malformed("hwk needs kty"));
                }
                Scheme::Hwk(jwk)
            }
            "jkt-jwt" => Scheme::JktJwt {
                jwt: string("jwt")?,
            },
            "jwks_uri" => Scheme::JwksUri {
                id: string("id")?,
                dwk: string("dwk")?,
                kid: string("kid")?,
            },
            "jwks" => Scheme::Jwks {
                url: string("url")?,
                kid: string("kid")?,
            },
            "jwt" => Scheme::Jwt {
                jwt: string("jwt")?,
            },
            "self-jwt" => Scheme::SelfJwt {
                jwt: string("jwt")?,
            },
            "x509" => Scheme::X509 {
                x5u: string("x5u")?,
                x5t: match params.iter().find(|(k, _)| k.as_str() == "x5t") {
                    Some((_, BareItem::ByteSequence(b))) => b.clone(),
                    _ => return Err(malformed("x509 needs x5t as a byte sequence")),
                },
            },
            "cached" => Scheme::Cached {
                cid: string("cid")?,
            },
            other => return Err(Error::UnsupportedSignatureKeyScheme(other.to_string())),
        };
        out.push((label.as_str().to_string(), parsed));
    }
    Ok(out)
}

/// Documents the host fetched for `Signature-Key` resolution, by URL.
pub trait Documents {
    /// The body fetched from `url`, if the host has it.
    fn document(&self, url: &str) -> Option<&[u8]>;
}

impl Documents for BTreeMap<String, Vec<u8>> {
    fn document(&self, url: &str) -> Option<&[u8]> {
        self.get(url).map(Vec::as_slice)
    }
}

/// How a scheme resolved.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// The key that signs the message, and the signer's identity (a thumbprint URN, a
    /// JWK Set URL, an issuer).
    Key {
        /// The key.
        key: Key,
        /// Who the key speaks for.
        identity: String,
    },
    /// This document must be fetched first.
    Fetch(String),
}

/// Options for resolution.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolveOptions {
    /// The time, for JWT validity.
    pub now: u64,
    /// Clock skew tolerated for JWT times.
    pub skew: u64,
    /// Accept `http://` URLs (development only).
    pub allow_http: bool,
}

fn https(url: &str, options: ResolveOptions) -> Result<&str> {
    crate::webbotauth::check_agent_url(url, options.allow_http).map(|_| url)
}

/// The key metadata document `{issuer}/.well-known/{dwk}`, its issuer checked, and the
/// JWK Set its `jwks_uri` names — or the next document to fetch.
fn issuer_keys(
    issuer: &str,
    dwk: &str,
    docs: &dyn Documents,
    options: ResolveOptions,
) -> Result<core::result::Result<Vec<u8>, String>> {
    https(issuer, options)?;
    if dwk.is_empty() || dwk.contains(['/', '?', '#']) || dwk.contains("..") {
        return Err(malformed(format!("dwk {dwk:?} is not a document name")));
    }
    let meta_url = format!("{}/.well-known/{dwk}", issuer.trim_end_matches('/'));
    let Some(meta) = docs.document(&meta_url) else {
        return Ok(Err(meta_url));
    };
    let meta: Value = serde_json::from_slice(meta)
        .map_err(|e| Error::IssuerMismatch(format!("{meta_url} is not JSON: {e}")))?;
    match meta.get("issuer").and_then(Value::as_str) {
        Some(i) if i == issuer => {}
        Some(i) => {
            return Err(Error::IssuerMismatch(format!(
                "{meta_url} names issuer {i:?}, not {issuer:?}"
            )));
        }
        None => return Err(Error::IssuerMismatch(format!("{meta_url} has no issuer"))),
    }
    let jwks_uri = meta
        .get("jwks_uri")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::IssuerMismatch(format!("{meta_url} has no jwks_uri")))?;
    https(jwks_uri, options)?;
    match docs.document(jwks_uri) {
        Some(body) => Ok(Ok(body.to_vec())),
        None => Ok(Err(jwks_uri.to_string())),
    }
}

/// The key `kid` of a JWK Set document; with `require_alg`, the published JWK must name
/// its algorithm (draft-hardt §jwks_uri), which a parsed key cannot tell.
fn key_by_kid(body: &[u8], kid: &str, require_alg: bool) -> Result<Key> {
    let set = jwks_from(body)?;
    let key = set
        .keys()
        .iter()
        .find(|k| k.key.kid() == Some(kid))
        .map(|k| k.key.clone())
        .ok_or_else(|| Error::UnknownKey(kid.to_string()))?;
    if require_alg {
        let doc: Value =
            serde_json::from_slice(body).map_err(|e| Error::MalformedJwk(e.to_string()))?;
        let published = doc
            .get("keys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid));
        if published.and_then(|k| k.get("alg")).is_none() {
            return Err(Error::InvalidKey(format!(
                "key {kid:?} does not name its alg"
            )));
        }
    }
    Ok(key)
}

fn jwks_from(body: &[u8]) -> Result<JwkSet> {
    let text = core::str::from_utf8(body)
        .map_err(|_| Error::MalformedJwk("JWK Set is not UTF-8".into()))?;
    JwkSet::parse(text)
}

/// Resolves one scheme with the documents fetched so far.
pub fn resolve(
    scheme: &Scheme,
    docs: &dyn Documents,
    options: ResolveOptions,
) -> Result<Resolution> {
    match scheme {
        Scheme::Hwk(jwk) => {
            let key = key_from_jwk(jwk)?;
            let identity = format!("urn:jkt:sha-256:{}", key.thumbprint());
            Ok(Resolution::Key { key, identity })
        }
        Scheme::JktJwt { jwt } => {
            let token = Jwt::decode(jwt)?;
            token.check_typ(&["jkt-s256+jwt"])?;
            let identity_key = token.header_key()?;
            let header_jwk = token
                .header
                .get("jwk")
                .and_then(Value::as_object)
                .ok_or_else(|| Error::InvalidJwt("header jwk is required".into()))?;
            let expected_iss = Jwt::jkt_issuer(&jwk_thumbprint(header_jwk)?);
            if token.required_claim("iss")? != expected_iss {
                return Err(Error::InvalidJwt(format!("iss must be {expected_iss}")));
            }
            token.verify_signature(&identity_key)?;
            token.check_times(options.now, options.skew)?;
            if !token.claims.contains_key("iat") {
                return Err(Error::InvalidJwt("iat is required".into()));
            }
            Ok(Resolution::Key {
                key: token.confirmation_key()?,
                identity: expected_iss,
            })
        }
        Scheme::Jwks { url, kid } => {
            https(url, options)?;
            match docs.document(url) {
                Some(body) => Ok(Resolution::Key {
                    key: key_by_kid(body, kid, false)?,
                    identity: url.clone(),
                }),
                None => Ok(Resolution::Fetch(url.clone())),
            }
        }
        Scheme::JwksUri { id, dwk, kid } => match issuer_keys(id, dwk, docs, options)? {
            Ok(body) => Ok(Resolution::Key {
                key: key_by_kid(&body, kid, true)?,
                identity: id.clone(),
            }),
            Err(url) => Ok(Resolution::Fetch(url)),
        },
        Scheme::Jwt { jwt } | Scheme::SelfJwt { jwt } => {
            let token = Jwt::decode(jwt)?;
            token.check_times(options.now, options.skew)?;
            let iss = token.required_claim("iss")?;
            let dwk = token.required_claim("dwk")?;
            let body = match issuer_keys(iss, dwk, docs, options)? {
                Ok(body) => body,
                Err(url) => return Ok(Resolution::Fetch(url)),
            };
            let kid = token
                .header_str("kid")
                .ok_or_else(|| Error::InvalidJwt("header kid is required".into()))?;
            let issuer_key = key_by_kid(&body, kid, false)?;
            token.verify_signature(&issuer_key)?;
            let key = match scheme {
                Scheme::SelfJwt { .. } => {
                    if token.claims.contains_key("cnf") {
                        return Err(Error::InvalidJwt("self-jwt must not carry cnf".into()));
                    }
                    issuer_key
                }
                _ => token.confirmation_key()?,
            };
            Ok(Resolution::Key {
                key,
                identity: iss.to_string(),
            })
        }
        Scheme::X509 { .. } => Err(Error::UnsupportedSignatureKeyScheme(
            "x509 (needs a trust store)".into(),
        )),
        Scheme::Cached { .. } => Err(Error::UnsupportedSignatureKeyScheme("cached".into())),
    }
}

/// The `Signature-Key` scheme of one signature, which must cover the field.
pub fn scheme_for(msg: &dyn Message, sig: &LabelledSignature) -> Result<Option<Scheme>> {
    let Some(value) = combined_field(msg, "signature-key")? else {
        return Ok(None);
    };
    require_covered(sig)?;
    let members = parse_signature_key(&value)?;
    Ok(members
        .into_iter()
        .find(|(l, _)| *l == sig.label)
        .map(|(_, s)| s))
}

/// A message that carries `Signature-Key` must cover it with the signature it keys: the
/// field says which key to trust, so an uncovered one could be swapped in transit.
pub fn require_covered(sig: &LabelledSignature) -> Result<()> {
    if sig
        .params
        .components()
        .iter()
        .any(|c| c.name() == "signature-key")
    {
        Ok(())
    } else {
        Err(Error::MissingRequiredComponent(
            "\"signature-key\" (the field is present)".into(),
        ))
    }
}

/// The documents still to fetch for the message's `Signature-Key` members. Resolution can
/// take two rounds (key metadata, then its JWK Set): fetch, then plan again.
pub fn plan(
    msg: &dyn Message,
    docs: &dyn Documents,
    options: ResolveOptions,
) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    for sig in parse_signatures(msg)? {
        if let Ok(Some(scheme)) = scheme_for(msg, &sig)
            && let Ok(Resolution::Fetch(url)) = resolve(&scheme, docs, options)
            && !urls.contains(&url)
        {
            urls.push(url);
        }
    }
    Ok(urls)
}

/// Keys from `Signature-Key`, with the documents fetched so far.
pub struct SignatureKeys<'a> {
    /// Fetched documents by URL.
    pub documents: &'a dyn Documents,
    /// Resolution options.
    pub options: ResolveOptions,
}

impl KeySource for SignatureKeys<'_> {
    fn key_for(&self, sig: &LabelledSignature, msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        let scheme = scheme_for(msg, sig)?.ok_or_else(|| {
            Error::UnknownKey(format!("no Signature-Key member for {}", sig.label))
        })?;
        match resolve(&scheme, self.documents, self.options)? {
            Resolution::Key { key, identity } => Ok(ResolvedKey {
                key: Cow::Owned(key),
                agent: Some(identity),
            }),
            Resolution::Fetch(url) => Err(crate::webbotauth::DiscoveryFailure::Fetch(
                crate::fetch::FetchFailure::NotFetched,
            )
            .at(&url)),
        }
    }
}

/// The `hwk` member a signer sends for `key`: its public JWK members and JOSE `alg`.
pub fn hwk_member(label: &str, key: &Key) -> Result<String> {
    let label = crate::input::check_label(label)?;
    let jwk = key.to_public().public_jwk();
    let mut ser = sfv::DictSerializer::new();
    let mut params: Vec<(sfv::Key, BareItem)> = Vec::new();
    for name in ["kty", "crv", "x", "y", "n", "e"] {
        if let Some(v) = jwk.get(name).and_then(Value::as_str) {
            let key = sfv::KeyRef::from_str(name)
                .map_err(|_| malformed(name))?
                .to_owned();
            let value = sfv::StringRef::from_str(v)
                .map_err(|_| malformed(name))?
                .to_owned();
            params.push((key, BareItem::String(value)));
        }
    }
    let alg = key
        .algorithm()
        .ok_or_else(|| Error::InvalidKey("an hwk key needs an algorithm".into()))?;
    params.push((
        const { sfv::key_ref("alg") }.to_owned(),
        BareItem::String(
            sfv::StringRef::from_str(alg.jose_name())
                .map_err(|_| malformed("alg"))?
                .to_owned(),
        ),
    ));
    ser.bare_item(
        label,
        sfv::TokenRef::from_str("hwk").map_err(|_| malformed("hwk"))?,
    )
    .parameters(params.iter().map(|(k, v)| (k, v)));
    Ok(ser.finish().unwrap_or_default())
}
