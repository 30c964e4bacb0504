//! The JSON shapes of the public contracts, shared by the CLI (`httpseal verify --request`),
//! the Worker (`POST /verify`) and the npm package (`verifyRequest` on plain objects), so
//! the three can never read a request differently.
//!
//! A message:
//! ```json
//! {"method": "GET", "url": "https://example.com/a?b=c",
//!  "headers": [["Host", "example.com"], ["Signature", "..."]],   // or {"host": "example.com"}
//!  "body": "text", "bodyBase64": "..."}                            // optional, one of them
//! ```
//! A response has `"status": 200` instead of `method`/`url`, and may carry the request it
//! answers as `"request": {...}` (for components with `req`). A verify request adds
//! `jwks`, `now`, `profile`, `policy` and `label` to the message.

mod bounded;
mod document;

use crate::b64;
use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::http::HttpMessage;
use crate::jwk::JwkSet;
use crate::profile::Profile;
use crate::sftypes::SfType;
use crate::verify::{Policy, Requirement};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn bad(why: impl Into<String>) -> Error {
    Error::MalformedMessage(why.into())
}

/// Header fields as a list of `[name, value]` pairs or an object of name → value(s).
///
/// Read with a bound while parsing: at most [`crate::limits::MAX_FIELD_LINES`] field lines
/// are kept. Past the bound the rest is read without being kept — only whether a name is
/// a signature field is remembered — so a document with thousands of pairs never
/// allocates them (and no untagged buffering of the whole value either), and the request
/// it describes can still be judged: an unsigned one is `unverified` whatever its size
/// ([`MessageJson::to_verifiable`]).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum HeadersJson {
    /// `[["Host", "example.com"], ...]`, order and repeats kept.
    List(Vec<(String, String)>),
    /// `{"host": "example.com", "x": ["a", "b"]}`.
    Map(serde_json::Map<String, Value>),
    /// More field lines than [`crate::limits::MAX_FIELD_LINES`]: none kept. Cannot be
    /// serialised (there is nothing to write back).
    #[serde(skip_serializing)]
    TooMany {
        /// Whether any of the lines is a `Signature-Input` or `Signature` field.
        carries_signature: bool,
    },
}

/// Whether a field name is one of [`crate::job::SIGNATURE_FIELDS`] (names are
/// case-insensitive).
fn is_signature_field(name: &str) -> bool {
    crate::job::SIGNATURE_FIELDS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
}

impl<'de> Deserialize<'de> for HeadersJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        d.deserialize_any(HeadersVisitor)
    }
}

struct HeadersVisitor;

impl<'de> serde::de::Visitor<'de> for HeadersVisitor {
    type Value = HeadersJson;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a list of [name, value] pairs or an object of name: value(s)")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<HeadersJson, A::Error> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        while let Some(pair) = seq.next_element::<(String, String)>()? {
            if pairs.len() == crate::limits::MAX_FIELD_LINES {
                let mut carries_signature =
                    pairs.iter().any(|(n, _)| is_signature_field(n)) || is_signature_field(&pair.0);
                drop(pairs);
                // The rest, one pair at a time, nothing kept but the answer.
                while let Some((name, _)) = seq.next_element::<(String, IgnoredAny)>()? {
                    carries_signature |= is_signature_field(&name);
                }
                return Ok(HeadersJson::TooMany { carries_signature });
            }
            pairs.push(pair);
        }
        Ok(HeadersJson::List(pairs))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<HeadersJson, A::Error> {
        let mut out = serde_json::Map::new();
        let mut lines = 0usize;
        while let Some(name) = map.next_key::<String>()? {
            let value: HeaderValueJson = map.next_value()?;
            lines = lines.saturating_add(match &value {
                HeaderValueJson::One(_) => 1,
                HeaderValueJson::Many(vs) => vs.len(),
                HeaderValueJson::TooMany => usize::MAX,
            });
            if lines > crate::limits::MAX_FIELD_LINES {
                let mut carries_signature =
                    out.keys().any(|n| is_signature_field(n)) || is_signature_field(&name);
                drop(out);
                while let Some((name, _)) = map.next_entry::<String, IgnoredAny>()? {
                    carries_signature |= is_signature_field(&name);
                }
                return Ok(HeadersJson::TooMany { carries_signature });
            }
            out.insert(
                name,
                match value {
                    HeaderValueJson::One(v) => Value::String(v),
                    HeaderValueJson::Many(vs) => {
                        Value::Array(vs.into_iter().map(Value::String).collect())
                    }
                    HeaderValueJson::TooMany => unreachable!("counted past the bound above"),
                },
            );
        }
        Ok(HeadersJson::Map(out))
    }
}

/// One member of a header object: a value or a list of values (bounded like the lines).
enum HeaderValueJson {
    One(String),
    Many(Vec<String>),
    /// More values than [`crate::limits::MAX_FIELD_LINES`], read without being kept.
    TooMany,
}

impl<'de> Deserialize<'de> for HeaderValueJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = HeaderValueJson;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> core::result::Result<Self::Value, E> {
                Ok(HeaderValueJson::One(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(
                self,
                v: String,
            ) -> core::result::Result<Self::Value, E> {
                Ok(HeaderValueJson::One(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    if out.len() == crate::limits::MAX_FIELD_LINES {
                        drop(out);
                        while seq.next_element::<IgnoredAny>()?.is_some() {}
                        return Ok(HeaderValueJson::TooMany);
                    }
                    out.push(v);
                }
                Ok(HeaderValueJson::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Default for HeadersJson {
    fn default() -> Self {
        HeadersJson::List(Vec::new())
    }
}

impl HeadersJson {
    /// Whether a `Signature-Input` or `Signature` field is among the lines (a request with
    /// neither is `unverified`, whatever else is wrong with it).
    pub fn carries_signature(&self) -> bool {
        match self {
            HeadersJson::List(pairs) => pairs.iter().any(|(n, _)| is_signature_field(n)),
            HeadersJson::Map(map) => map.keys().any(|n| is_signature_field(n)),
            HeadersJson::TooMany { carries_signature } => *carries_signature,
        }
    }

    /// The field lines in order.
    pub fn lines(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        match self {
            HeadersJson::TooMany { .. } => {
                return Err(Error::LimitExceeded(
                    "more header field lines than MAX_FIELD_LINES",
                ));
            }
            HeadersJson::List(pairs) => out.extend(pairs.iter().cloned()),
            HeadersJson::Map(map) => {
                for (name, value) in map {
                    match value {
                        Value::String(v) => out.push((name.clone(), v.clone())),
                        Value::Array(vs) => {
                            for v in vs {
                                let v = v.as_str().ok_or_else(|| {
                                    bad(format!("header {name:?}: values must be strings"))
                                })?;
                                out.push((name.clone(), v.to_string()));
                            }
                        }
                        _ => {
                            return Err(bad(format!(
                                "header {name:?}: value must be a string or a list of strings"
                            )));
                        }
                    }
                }
            }
        }
        for (name, value) in &out {
            let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if name.is_empty() || !name.bytes().all(tchar) {
                return Err(bad(format!("{name:?} is not a valid header name")));
            }
            if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
                return Err(bad(format!(
                    "header {name:?}: values cannot contain line breaks or NUL"
                )));
            }
        }
        Ok(out)
    }
}

/// What [`MessageJson::to_verifiable`] reads: a message to verify, or the verdict already
/// decided for a request that cannot be read as one.
#[derive(Debug, Clone)]
pub enum Verifiable {
    /// The message, for a verifier job.
    Message(HttpMessage),
    /// The verdict (`unverified` for an unsigned request, `invalid` for a signed one).
    Judged(crate::Verdict),
}

/// A request or response in JSON.
///
/// Read member by member (`document.rs`): unknown and repeated members are errors, and a
/// related request carries none of its own.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageJson {
    /// Request method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Absolute request URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Response status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Header fields.
    #[serde(default)]
    pub headers: HeadersJson,
    /// Trailer fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailers: Option<HeadersJson>,
    /// Body as UTF-8 text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Body as base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// For a response: the request it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Box<MessageJson>>,
}

impl MessageJson {
    /// The JSON form of a message (the inverse of [`Self::to_message`]): a request's URL is
    /// rebuilt from scheme, authority and request target; a body that is not UTF-8 goes
    /// to `bodyBase64`.
    pub fn from_message(msg: &HttpMessage) -> Self {
        let (body, body_base64) = match &msg.body {
            None => (None, None),
            Some(b) => match core::str::from_utf8(b) {
                Ok(text) => (Some(text.to_string()), None),
                Err(_) => (None, Some(b64::encode(b))),
            },
        };
        let (method, url, status) = match &msg.kind {
            crate::http::Kind::Request(r) => {
                let target = match r.form {
                    crate::TargetForm::Absolute => r.request_target.clone(),
                    _ => format!(
                        "{}://{}{}",
                        r.scheme,
                        r.authority,
                        r.request_target.trim_start_matches('*')
                    ),
                };
                (Some(r.method.clone()), Some(target), None)
            }
            crate::http::Kind::Response(s) => (None, None, Some(*s)),
        };
        MessageJson {
            method,
            url,
            status,
            headers: HeadersJson::List(msg.headers.clone()),
            trailers: (!msg.trailers.is_empty()).then(|| HeadersJson::List(msg.trailers.clone())),
            body,
            body_base64,
            request: msg
                .related_request
                .as_deref()
                .map(|r| Box::new(Self::from_message(r))),
        }
    }

    /// Whether the message carries a `Signature-Input` or `Signature` field.
    pub fn carries_signature(&self) -> bool {
        self.headers.carries_signature()
    }

    /// The message to verify, or the verdict on a request that cannot be read as one.
    ///
    /// A request beyond a limit of what httpseal reads (more field lines than
    /// [`crate::limits::MAX_FIELD_LINES`], a URL over [`crate::limits::MAX_URL_BYTES`]) is
    /// judged, as the Worker's gateway judges one arriving over HTTP
    /// ([`crate::job::unreadable_request`]): `unverified` (`no_signature`) when it carries
    /// no signature field, `invalid` with the limit otherwise. A document that does not
    /// describe a message at all (no method, a body given twice, a header name that is not
    /// a token) is an error, as from [`Self::to_message`].
    pub fn to_verifiable(&self) -> Result<Verifiable> {
        let over_long_url = self
            .url
            .as_ref()
            .is_some_and(|u| u.len() > crate::limits::MAX_URL_BYTES);
        match self.to_message() {
            Ok(msg) => Ok(Verifiable::Message(msg)),
            Err(e @ Error::LimitExceeded(_)) => Ok(Verifiable::Judged(
                crate::job::unreadable_request(e, self.carries_signature()),
            )),
            Err(e @ Error::InvalidUrl(_)) if over_long_url => Ok(Verifiable::Judged(
                crate::job::unreadable_request(e, self.carries_signature()),
            )),
            Err(e) => Err(e),
        }
    }

    /// Builds the owned message.
    pub fn to_message(&self) -> Result<HttpMessage> {
        let mut msg = match (&self.method, &self.url, self.status) {
            (Some(method), Some(url), None) => HttpMessage::request(method, url)?,
            (None, None, Some(status)) => HttpMessage::response(status)?,
            (_, _, Some(_)) => {
                return Err(bad(
                    "a message has either status (response) or method and url (request)",
                ));
            }
            (None, _, None) => return Err(bad("field \"method\" is required")),
            (_, None, None) => return Err(bad("field \"url\" is required")),
        };
        for (n, v) in self.headers.lines()? {
            msg.try_push_header(&n, &v)?;
        }
        if let Some(trailers) = &self.trailers {
            for (n, v) in trailers.lines()? {
                msg.push_trailer(&n, &v);
            }
        }
        msg.body = match (&self.body, &self.body_base64) {
            (Some(_), Some(_)) => return Err(bad("give body or bodyBase64, not both")),
            (Some(text), None) => Some(text.as_bytes().to_vec()),
            (None, Some(b)) => Some(b64::decode(b).ok_or_else(|| bad("bodyBase64 is not base64"))?),
            (None, None) => None,
        };
        if let Some(req) = &self.request {
            if msg.is_request_kind() {
                return Err(bad("only a response can carry a related request"));
            }
            msg = msg.with_related_request(req.to_message()?);
        }
        Ok(msg)
    }
}

/// Deserialises JSON text; with the `json-paths` feature, errors name the path of the
/// offending member (`policy.maxAge: invalid type ...`).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    #[cfg(feature = "json-paths")]
    {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || path.is_empty() {
                bad(format!("invalid {what}: {inner}"))
            } else {
                bad(format!("invalid {what}: {path}: {inner}"))
            }
        })
    }
    #[cfg(not(feature = "json-paths"))]
    serde_json::from_str(text).map_err(|e| bad(format!("invalid {what}: {e}")))
}

/// A `requiredComponents` entry: one component, or a list of which any one will do.
#[derive(Debug, Clone)]
pub enum RequiredJson {
    /// `"@method"`
    One(String),
    /// `["@authority", "@target-uri"]`
    AnyOf(Vec<String>),
}

impl<'de> Deserialize<'de> for RequiredJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RequiredJson;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a component, or a list of components of which any one will do")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> core::result::Result<Self::Value, E> {
                Ok(RequiredJson::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let list = bounded::list(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RequiredJson::AnyOf(list.unwrap_or_default()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Overrides for individual policy rules, on top of a profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyJson {
    /// Clock skew, seconds.
    pub skew: Option<u64>,
    /// Maximum age of `created`, seconds (`null`: none).
    #[serde(default, deserialize_with = "bounded::present_value")]
    pub max_age: Option<Value>,
    /// Maximum `expires - created`, seconds (`null`: none).
    #[serde(default, deserialize_with = "bounded::present_value")]
    pub max_lifetime: Option<Value>,
    /// Require `created`.
    pub require_created: Option<bool>,
    /// Require `expires`.
    pub require_expires: Option<bool>,
    /// Require `keyid`.
    pub require_keyid: Option<bool>,
    /// Require `nonce`.
    pub require_nonce: Option<bool>,
    /// Components that must be covered (replaces the profile's list).
    #[serde(default, deserialize_with = "bounded::list")]
    pub required_components: Option<Vec<RequiredJson>>,
    /// Allowed algorithm names (replaces the profile's list).
    #[serde(default, deserialize_with = "bounded::list")]
    pub algorithms: Option<Vec<String>>,
    /// Required tag (`null`: any).
    #[serde(default, deserialize_with = "bounded::present_value")]
    pub tag: Option<Value>,
    /// Further accepted tags (replaces the profile's list).
    #[serde(default, deserialize_with = "bounded::list")]
    pub tags: Option<Vec<String>>,
    /// Only this label.
    pub label: Option<String>,
    /// Check a covered Content-Digest against the body.
    pub check_content_digest: Option<bool>,
    /// A body must be covered by content-digest.
    pub require_digest_for_body: Option<bool>,
    /// The algorithm for RSA keys that carry none (`rsa-v1_5-sha256` or `rsa-pss-sha512`).
    pub rsa_algorithm: Option<String>,
    /// Accept the published test keys (RFC 9421 B.1.x): tests and conformance runs only.
    pub allow_test_keys: Option<bool>,
    /// An outer signature must cover what an inner one it covers covers (Web Bot Auth).
    pub nested_coverage: Option<bool>,
    /// Read draft -00 typed `Signature-Agent` members (`type=directory|jwks_uri|cimd`).
    pub draft00_members: Option<bool>,
    /// Extra structured-field types: `{"example-dict": "dictionary"}`.
    #[serde(default, deserialize_with = "bounded::string_map")]
    pub structured_fields: Option<serde_json::Map<String, Value>>,
}

fn optional_seconds(name: &str, v: &Value) -> Result<Option<u64>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| bad(format!("{name} must be a non-negative integer"))),
        _ => Err(bad(format!("{name} must be a number of seconds or null"))),
    }
}

impl PolicyJson {
    /// Applies these overrides to `policy`.
    pub fn apply(&self, policy: &mut Policy) -> Result<()> {
        if let Some(s) = self.skew {
            policy.skew = s;
        }
        if let Some(v) = &self.max_age {
            policy.max_age = optional_seconds("maxAge", v)?;
        }
        if let Some(v) = &self.max_lifetime {
            policy.max_lifetime = optional_seconds("maxLifetime", v)?;
        }
        let flags = [
            (self.require_created, &mut policy.require_created),
            (self.require_expires, &mut policy.require_expires),
            (self.require_keyid, &mut policy.require_keyid),
            (self.require_nonce, &mut policy.require_nonce),
            (self.check_content_digest, &mut policy.check_content_digest),
            (
                self.require_digest_for_body,
                &mut policy.require_digest_for_body,
            ),
            (self.allow_test_keys, &mut policy.allow_test_keys),
            (self.nested_coverage, &mut policy.nested_coverage),
        ];
        for (value, slot) in flags {
            if let Some(v) = value {
                *slot = v;
            }
        }
        if let Some(req) = &self.required_components {
            policy.required = req
                .iter()
                .map(|r| match r {
                    RequiredJson::One(c) => Requirement::any_of([c.as_str()]),
                    RequiredJson::AnyOf(cs) => Requirement::any_of(cs.iter().map(String::as_str)),
                })
                .collect::<Result<_>>()?;
        }
        if let Some(algs) = &self.algorithms {
            policy.allowed_algorithms =
                Some(algs.iter().map(|a| a.parse()).collect::<Result<Vec<_>>>()?);
        }
        match &self.tag {
            None => {}
            Some(Value::Null) => policy.tag = None,
            Some(Value::String(t)) => policy.tag = Some(t.clone()),
            Some(_) => return Err(bad("tag must be a string or null")),
        }
        if let Some(tags) = &self.tags {
            policy.tags = tags.clone();
        }
        if let Some(l) = &self.label {
            policy.label = Some(l.clone());
        }
        if let Some(a) = &self.rsa_algorithm {
            policy.rsa_algorithm = Some(a.parse()?);
        }
        if let Some(on) = self.draft00_members {
            match policy.signature_agent.as_mut() {
                Some(options) => options.draft00_members = on,
                None if on => {
                    return Err(bad(
                        "draft00Members applies to the web-bot-auth profile (Signature-Agent)",
                    ));
                }
                None => {}
            }
        }
        if let Some(types) = &self.structured_fields {
            for (name, ty) in types {
                let ty: SfType = ty.as_str().and_then(|t| t.parse().ok()).ok_or_else(|| {
                    bad(format!(
                        "structuredFields.{name} must be \"list\", \"dictionary\" or \"item\""
                    ))
                })?;
                policy.structured_fields =
                    core::mem::take(&mut policy.structured_fields).with(name, ty);
            }
        }
        Ok(())
    }
}

/// The body of `POST /verify` and the input of `httpseal verify --request`.
///
/// Read member by member with bounds applied while parsing (`document.rs`, `bounded.rs`):
/// the message's members sit beside `jwks`, `now`, `profile` and `policy`.
#[derive(Debug, Clone, Default)]
pub struct VerifyRequestJson {
    /// The message (its members are the document's own).
    pub message: MessageJson,
    /// Keys to check against: a JWK Set, an array of JWKs or one JWK.
    pub jwks: Option<Value>,
    /// The time to verify at (UNIX seconds); the host's clock when absent.
    pub now: Option<u64>,
    /// `rfc9421` (default), `web-bot-auth` or `fediverse`.
    pub profile: Option<String>,
    /// Rule overrides.
    pub policy: Option<PolicyJson>,
}

impl VerifyRequestJson {
    /// Parses the JSON text, with errors that name the offending field.
    pub fn parse(text: &str) -> Result<Self> {
        parse_json(text, "verify request")
    }

    /// The profile (default `rfc9421`).
    pub fn profile(&self) -> Result<Profile> {
        self.profile
            .as_deref()
            .map_or(Ok(Profile::Rfc9421), Profile::from_name)
    }

    /// The policy: the profile's, with the overrides applied.
    pub fn policy(&self) -> Result<Policy> {
        let mut policy = self.profile()?.policy();
        if let Some(p) = &self.policy {
            p.apply(&mut policy)?;
        }
        Ok(policy)
    }

    /// The supplied keys, if any.
    pub fn jwks(&self) -> Result<Option<JwkSet>> {
        self.jwks.as_ref().map(JwkSet::from_value).transpose()
    }
}

/// Options for signing a request, as the CLI flags and the npm `signRequest` options
/// name them. Defaults follow the profile: for `web-bot-auth`, `@authority` (plus the
/// agent's `signature-agent` member), `expires` = `created` + 60 s, a random 64-byte nonce,
/// `tag="web-bot-auth"` and `keyid` = the key's thumbprint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignOptions {
    /// `rfc9421` (default) or `web-bot-auth`.
    pub profile: Option<String>,
    /// Algorithm (must fit the key; picks PSS or v1.5 for an RSA key).
    pub alg: Option<String>,
    /// Covered components, in the user form (`@method`, `signature-agent;key="sig1"`).
    pub components: Option<Vec<String>>,
    /// Label (default `sig1`).
    pub label: Option<String>,
    /// `created` (default: now).
    pub created: Option<u64>,
    /// `expires`.
    pub expires: Option<u64>,
    /// `expires` as seconds after `created`.
    pub ttl: Option<u64>,
    /// `nonce`: a string, `true` for a random one, `false` for none.
    pub nonce: Option<Value>,
    /// `tag`.
    pub tag: Option<String>,
    /// `keyid` (default: the key's `kid`, or its thumbprint; Web Bot Auth: the thumbprint).
    pub keyid: Option<String>,
    /// Whether to send the `alg` parameter (default true).
    pub include_alg: Option<bool>,
    /// The agent's key directory URL, sent as `Signature-Agent: label="url"` and covered.
    pub signature_agent: Option<String>,
    /// Add `Content-Digest` (`sha-256` or `sha-512`) for the body and cover it.
    pub content_digest: Option<String>,
}

/// Randomness the host supplies for one signature (the core draws none itself).
pub struct SignRandomness {
    /// Bytes for a random nonce (base64 of all 64).
    pub nonce: [u8; 64],
    /// Seed for algorithms that need randomness (RSA).
    pub seed: [u8; 32],
}

/// What signing added to the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOutput {
    /// The header fields added, in order (`Signature-Agent` and `Content-Digest` when
    /// asked, then `Signature-Input` and `Signature`).
    pub headers: Vec<(String, String)>,
    /// The signature base that was signed.
    pub base: String,
    /// The algorithm used.
    pub alg: crate::Algorithm,
}

/// Signs `msg` with `key` under `opts` at time `now`, adding the headers to `msg`.
pub fn sign_request(
    msg: &mut HttpMessage,
    key: &crate::Key,
    opts: &SignOptions,
    now: u64,
    random: &SignRandomness,
) -> Result<SignOutput> {
    let prepared = prepare_sign_request(msg, key, opts, now, random)?;
    let signature = key.sign(
        prepared.signature.alg,
        prepared.signature.base.as_bytes(),
        Some(&random.seed),
    )?;
    prepared.finish(msg, signature)
}

/// A request signature ready to be signed by the host's own primitive.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequestSignature {
    /// The base, the algorithm and the label.
    pub signature: crate::sign::PreparedSignature,
    /// Fields already added to the message (`Signature-Agent`, `Content-Digest`).
    added: Vec<(String, String)>,
}

impl PreparedRequestSignature {
    /// Attaches the signature bytes and returns every header added.
    pub fn finish(self, msg: &mut HttpMessage, signature: Vec<u8>) -> Result<SignOutput> {
        let mut headers = self.added;
        let signed = self.signature.finish(signature)?;
        signed.apply_to(msg)?;
        headers.push(("Signature-Input".into(), signed.signature_input));
        headers.push(("Signature".into(), signed.signature));
        Ok(SignOutput {
            headers,
            base: signed.base,
            alg: signed.alg,
        })
    }
}

/// [`sign_request`] up to the signing itself: adds the covered fields to `msg` and builds
/// the base, so a host can sign with WebCrypto and call [`PreparedRequestSignature::finish`].
pub fn prepare_sign_request(
    msg: &mut HttpMessage,
    key: &crate::Key,
    opts: &SignOptions,
    now: u64,
    random: &SignRandomness,
) -> Result<PreparedRequestSignature> {
    use crate::digest::{DigestAlgorithm, content_digest};
    let profile = opts
        .profile
        .as_deref()
        .map_or(Ok(Profile::Rfc9421), Profile::from_name)?;
    if profile == Profile::Fediverse {
        return Err(bad(
            "there are no fediverse signing defaults; give the components",
        ));
    }
    let wba = profile == Profile::WebBotAuth;
    let label = opts.label.as_deref().unwrap_or("sig1");
    crate::input::check_label(label)?;
    let mut headers: Vec<(String, String)> = Vec::new();

    // Fields the signature covers must be in the message before its base is built.
    if let Some(url) = &opts.signature_agent {
        let value = crate::webbotauth::signature_agent_member(label, url)?;
        msg.remove_header("signature-agent");
        headers.push(("Signature-Agent".into(), value));
    }
    if let Some(name) = &opts.content_digest {
        let alg = DigestAlgorithm::from_name(name)
            .ok_or_else(|| bad(format!("contentDigest is sha-256 or sha-512, not {name:?}")))?;
        let value = content_digest(msg.body.as_deref().unwrap_or_default(), &[alg]);
        msg.remove_header("content-digest");
        headers.push(("Content-Digest".into(), value));
    }
    for (n, v) in &headers {
        msg.push_header(n, v);
    }

    let components: Vec<String> = match &opts.components {
        Some(list) => list.clone(),
        None => {
            let mut out: Vec<String> = Vec::new();
            match msg.request_line() {
                None => out.push("@status".into()),
                Some(_) if wba => out.push("@authority".into()),
                Some(r) => {
                    out.extend(["@method", "@authority", "@path"].map(String::from));
                    if r.query.is_some() {
                        out.push("@query".into());
                    }
                }
            }
            if opts.signature_agent.is_some() {
                out.push(format!("signature-agent;key=\"{label}\""));
            }
            if opts.content_digest.is_some() {
                out.push("content-digest".into());
            }
            out
        }
    };
    let created = opts.created.unwrap_or(now);
    let expires = match (opts.expires, opts.ttl) {
        (Some(_), Some(_)) => return Err(bad("give expires or ttl, not both")),
        (Some(e), None) => Some(e),
        (None, Some(ttl)) => Some(created.saturating_add(ttl)),
        (None, None) if wba => Some(created + 60),
        (None, None) => None,
    };
    let keyid = match &opts.keyid {
        Some(k) => k.clone(),
        None if wba => key.thumbprint(),
        None => key.kid().map_or_else(|| key.thumbprint(), str::to_string),
    };
    let nonce = match &opts.nonce {
        Some(Value::String(n)) => Some(n.clone()),
        Some(Value::Bool(true)) => Some(b64::encode(&random.nonce)),
        Some(Value::Bool(false)) => None,
        Some(_) => return Err(bad("nonce is a string, true (random) or false")),
        None if wba => Some(b64::encode(&random.nonce)),
        None => None,
    };
    let tag = opts
        .tag
        .clone()
        .or_else(|| wba.then(|| crate::webbotauth::TAG.to_string()));

    // Parameter order as in the Web Bot Auth vectors: created, keyid, alg, expires, nonce, tag.
    let mut signer = crate::Signer::new(key)?.label(label)?;
    if let Some(alg) = &opts.alg {
        signer = signer.algorithm(alg.parse()?)?;
    }
    signer = signer
        .components(components.iter().map(String::as_str))?
        .created(created)?
        .keyid(&keyid)?;
    if opts.include_alg.unwrap_or(true) {
        signer = signer.alg_param()?;
    }
    if let Some(e) = expires {
        signer = signer.expires(e)?;
    }
    if let Some(n) = &nonce {
        signer = signer.nonce(n)?;
    }
    if let Some(t) = &tag {
        signer = signer.tag(t)?;
    }
    Ok(PreparedRequestSignature {
        signature: signer.prepare(msg)?,
        added: headers,
    })
}

/// Parses a component list given as one string (`"@method @path content-digest"`, also
/// comma-separated) or already split.
pub fn parse_component_list(text: &str) -> Result<Vec<ComponentId>> {
    split_components(text)
        .into_iter()
        .map(ComponentId::parse)
        .collect()
}

/// Splits a component list on spaces and commas outside quoted strings.
pub fn split_components(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            ' ' | ',' | '\t' if !quoted => {
                if let Some(s) = start.take() {
                    out.push(&text[s..i]);
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    #[test]
    fn reads_requests_and_responses() {
        let r = VerifyRequestJson::parse(
            r#"{"method":"POST","url":"https://example.com/a?b","headers":{"x":["1","2"],"y":"3"},"body":"hi","now":5,"profile":"fediverse"}"#,
        )
        .unwrap();
        let m = r.message.to_message().unwrap();
        assert_eq!(m.headers.len(), 3);
        assert_eq!(m.body(), Some(&b"hi"[..]));
        assert_eq!(r.profile().unwrap(), Profile::Fediverse);
        let resp = MessageJson {
            status: Some(200),
            request: Some(Box::new(MessageJson {
                method: Some("GET".into()),
                url: Some("https://a/".into()),
                ..Default::default()
            })),
            ..Default::default()
        };
        assert!(resp.to_message().unwrap().related_request().is_some());
    }

    #[test]
    fn messages_round_trip_through_json() {
        let m = HttpMessage::request("POST", "https://example.com:8443/a?b=c")
            .unwrap()
            .with_header("X", "1")
            .with_body(&[0xff, 0][..]);
        let json = MessageJson::from_message(&m);
        assert_eq!(json.url.as_deref(), Some("https://example.com:8443/a?b=c"));
        assert!(json.body.is_none() && json.body_base64.is_some());
        assert_eq!(json.to_message().unwrap(), m);
    }

    #[test]
    fn clear_errors() {
        let err = |t: &str| {
            VerifyRequestJson::parse(t)
                .and_then(|r| r.message.to_message().map(|_| ()))
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"url":"https://a/"}"#).contains("method"));
        assert!(err(r#"{"method":"GET"}"#).contains("url"));
        assert!(err(r#"{"method":"GET","url":"https://a/","jkws":{}}"#).contains("jkws"));
        assert!(
            err(r#"{"method":"GET","url":"https://a/","headers":[["a b","c"]]}"#)
                .contains("header name")
        );
        assert!(
            err(r#"{"method":"GET","url":"https://a/","headers":{"a":"x\ny"}}"#)
                .contains("line breaks")
        );
        assert!(err(r#"{"method":"GET","url":"/a"}"#).contains("absolute"));
        assert!(err("{").contains("invalid verify request"));
    }

    #[test]
    fn policy_overrides() {
        let r = VerifyRequestJson::parse(
            r#"{"method":"GET","url":"https://a/","profile":"web-bot-auth","policy":{"tag":null,"maxAge":30,"requiredComponents":["@method",["@path","@query"]],"algorithms":["ed25519"]}}"#,
        )
        .unwrap();
        let p = r.policy().unwrap();
        assert_eq!(p.tag, None);
        assert_eq!(p.max_age, Some(30));
        assert_eq!(p.required.len(), 2);
        assert!(
            VerifyRequestJson::parse(r#"{"method":"GET","url":"https://a/","policy":{"skeew":1}}"#)
                .is_err()
        );
        assert!(
            VerifyRequestJson::parse(
                r#"{"method":"GET","url":"https://a/","policy":{"algorithms":["md5"]}}"#
            )
            .unwrap()
            .policy()
            .is_err()
        );
    }

    /// A verify request whose headers are `lines` (JSON text of the `headers` member).
    fn judged(url: &str, headers: &str) -> Verifiable {
        let doc = format!(r#"{{"method":"GET","url":"{url}","headers":{headers}}}"#);
        VerifyRequestJson::parse(&doc)
            .unwrap()
            .message
            .to_verifiable()
            .unwrap()
    }

    fn pairs(n: usize, signature_at: Option<usize>) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| match signature_at {
                Some(at) if at == i => r#"["Signature","sig1=:AA==:"]"#.to_string(),
                _ => format!(r#"["x-{i}","v"]"#),
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    fn outcome(v: Verifiable) -> (crate::Outcome, &'static str) {
        match v {
            Verifiable::Judged(verdict) => (verdict.verdict, verdict.error.unwrap().code()),
            Verifiable::Message(m) => panic!("read as a message of {} lines", m.headers.len()),
        }
    }

    #[test]
    fn requests_beyond_the_limits_are_judged_unsigned_means_unverified() {
        use crate::Outcome::{Invalid, Unverified};
        let n = crate::limits::MAX_FIELD_LINES;
        let url = "https://a.example/";
        assert!(matches!(
            judged(url, &pairs(n, None)),
            Verifiable::Message(_)
        ));
        assert_eq!(
            outcome(judged(url, &pairs(n + 1, None))),
            (Unverified, "no_signature")
        );
        // A signature field before or past the bound: signed, so invalid with the limit.
        for at in [0, n - 1, n, n + 40] {
            assert_eq!(
                outcome(judged(url, &pairs(n + 50, Some(at)))),
                (Invalid, "limit_exceeded"),
                "{at}"
            );
        }
        // The object form, by names and by values.
        let names: Vec<String> = (0..n + 1).map(|i| format!(r#""x-{i}":"v""#)).collect();
        assert_eq!(
            outcome(judged(url, &format!("{{{}}}", names.join(",")))),
            (Unverified, "no_signature")
        );
        let values = format!(
            r#"{{"x":[{}],"signature-input":"sig1=()"}}"#,
            alloc::vec![r#""v""#; n + 1].join(",")
        );
        assert_eq!(outcome(judged(url, &values)), (Invalid, "limit_exceeded"));
        // An overlong URL.
        let long = format!("{url}?{}", "q".repeat(crate::limits::MAX_URL_BYTES));
        assert_eq!(outcome(judged(&long, "[]")), (Unverified, "no_signature"));
        assert_eq!(
            outcome(judged(&long, &pairs(1, Some(0)))),
            (Invalid, "invalid_url")
        );
        // A document that describes no request is still an error.
        let doc = VerifyRequestJson::parse(r#"{"method":"GET","url":"/relative"}"#).unwrap();
        assert!(doc.message.to_verifiable().is_err());
    }

    #[test]
    fn splits_component_lists() {
        assert_eq!(
            split_components(r#"@method, @query-param;name="a b" "content-digest""#),
            [
                "@method",
                r#"@query-param;name="a b""#,
                r#""content-digest""#
            ]
        );
    }
}
