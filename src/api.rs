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
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn bad(why: impl Into<String>) -> Error {
    Error::MalformedMessage(why.into())
}

/// Header fields as a list of `[name, value]` pairs or an object of name → value(s).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum HeadersJson {
    /// `[["Host", "example.com"], ...]`, order and repeats kept.
    List(Vec<(String, String)>),
    /// `{"host": "example.com", "x": ["a", "b"]}`.
    Map(serde_json::Map<String, Value>),
}

impl Default for HeadersJson {
    fn default() -> Self {
        HeadersJson::List(Vec::new())
    }
}

impl HeadersJson {
    /// The field lines in order.
    pub fn lines(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        match self {
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

/// A request or response in JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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

/// Deserialises JSON text, naming the path of the offending member in errors
/// (`policy.maxAge: invalid type ...`).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
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

/// A `requiredComponents` entry: one component, or a list of which any one will do.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RequiredJson {
    /// `"@method"`
    One(String),
    /// `["@authority", "@target-uri"]`
    AnyOf(Vec<String>),
}

/// Overrides for individual policy rules, on top of a profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyJson {
    /// Clock skew, seconds.
    pub skew: Option<u64>,
    /// Maximum age of `created`, seconds (`null`: none).
    #[serde(default, deserialize_with = "present")]
    pub max_age: Option<Value>,
    /// Maximum `expires - created`, seconds (`null`: none).
    #[serde(default, deserialize_with = "present")]
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
    pub required_components: Option<Vec<RequiredJson>>,
    /// Allowed algorithm names (replaces the profile's list).
    pub algorithms: Option<Vec<String>>,
    /// Required tag (`null`: any).
    #[serde(default, deserialize_with = "present")]
    pub tag: Option<Value>,
    /// Only this label.
    pub label: Option<String>,
    /// Check a covered Content-Digest against the body.
    pub check_content_digest: Option<bool>,
    /// A body must be covered by content-digest.
    pub require_digest_for_body: Option<bool>,
    /// The algorithm for RSA keys that carry none (`rsa-v1_5-sha256` or `rsa-pss-sha512`).
    pub rsa_algorithm: Option<String>,
    /// Extra structured-field types: `{"example-dict": "dictionary"}`.
    pub structured_fields: Option<serde_json::Map<String, Value>>,
}

/// Keeps an explicit `null` (`Some(Value::Null)`) apart from an absent member (`None`).
fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> core::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
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
        if let Some(l) = &self.label {
            policy.label = Some(l.clone());
        }
        if let Some(a) = &self.rsa_algorithm {
            policy.rsa_algorithm = Some(a.parse()?);
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyRequestJson {
    /// The message.
    #[serde(flatten)]
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
