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
use serde::Deserialize;
use serde_json::Value;

fn bad(why: impl Into<String>) -> Error {
    Error::MalformedMessage(why.into())
}

/// Header fields as a list of `[name, value]` pairs or an object of name → value(s).
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageJson {
    /// Request method.
    pub method: Option<String>,
    /// Absolute request URL.
    pub url: Option<String>,
    /// Response status.
    pub status: Option<u16>,
    /// Header fields.
    #[serde(default)]
    pub headers: HeadersJson,
    /// Trailer fields.
    #[serde(default)]
    pub trailers: Option<HeadersJson>,
    /// Body as UTF-8 text.
    pub body: Option<String>,
    /// Body as base64.
    pub body_base64: Option<String>,
    /// For a response: the request it answers.
    pub request: Option<Box<MessageJson>>,
}

impl MessageJson {
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
        serde_json::from_str(text).map_err(|e| bad(format!("invalid verify request: {e}")))
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
