//! The `Signature-Agent` field: which URL publishes the signer's keys, and how a
//! signature is tied to exactly one of its members.
//!
//! Forms seen in the wild, all accepted:
//! - the Dictionary of protocol -02 and the working-group copy: `sig1="https://agent.example"`,
//!   covered as `"signature-agent";key="sig1"` — the member is chosen by the `key` the
//!   signature covers, never by the signature's label;
//! - member parameters `type=directory|jwks_uri|cimd` of drafts -00…-02 (the WG copy drops
//!   them; other parameters are ignored);
//! - the legacy sf-string `"https://agent.example"`, covered as `"signature-agent"`.

use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::input::combined_field;
use crate::limits::{MAX_AGENT_MEMBERS, MAX_AGENT_URL_BYTES};
use crate::message::Message;
use crate::url::{UrlParts, normalize_authority};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sfv::{BareItem, Dictionary, Item, ListEntry, Parser};

use super::DIRECTORY_PATH;

/// How a member's URL resolves to keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentType {
    /// An origin: keys at `<origin>/.well-known/http-message-signatures-directory`.
    Directory,
    /// A JWK Set URL, fetched as sent.
    JwksUri,
    /// A Client ID Metadata Document, which carries `jwks` or `jwks_uri`.
    Cimd,
}

/// One member of `Signature-Agent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMember {
    /// The dictionary key (`None` for the legacy sf-string form).
    pub key: Option<String>,
    /// The URL as sent.
    pub uri: String,
    /// The `type` parameter when present (`None`: absent; `Some(Err(name))`: unknown).
    pub declared_type: Option<core::result::Result<AgentType, String>>,
}

/// Where a member's keys are fetched and what identifies the agent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgentLocation {
    /// How the fetched document is read.
    pub kind: AgentType,
    /// The URL to fetch (fragment dropped; query kept, as sent).
    pub fetch_url: String,
    /// The agent's identifier: the fetched URL normalised (lower-case scheme and host,
    /// default port dropped) without query and fragment. Keys are cached under it, and it
    /// is the `agent` of a verified verdict.
    pub identifier: String,
}

/// Checks a URL an agent may name: `https` (or `http` when `allow_http`), a host, no
/// userinfo, bounded length.
pub fn check_agent_url(url: &str, allow_http: bool) -> Result<UrlParts<'_>> {
    if url.len() > MAX_AGENT_URL_BYTES {
        return Err(Error::InvalidUrl(
            "Signature-Agent URL longer than the limit".into(),
        ));
    }
    let parts = UrlParts::parse(url)?;
    let scheme = parts.scheme.to_ascii_lowercase();
    if scheme != "https" && !(allow_http && scheme == "http") {
        return Err(Error::InvalidUrl(format!(
            "Signature-Agent URL must be https, not {:?}",
            parts.scheme
        )));
    }
    let after_scheme = &url[parts.scheme.len() + 3..];
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    if after_scheme[..authority_end].contains('@') {
        return Err(Error::InvalidUrl(
            "Signature-Agent URL must not carry userinfo".into(),
        ));
    }
    Ok(parts)
}

/// The `Signature-Agent` member a signer sends: `label="url"` (Dictionary form).
pub fn signature_agent_member(label: &str, url: &str) -> Result<String> {
    check_agent_url(url, true)?;
    let key = crate::input::check_label(label)?;
    let value = sfv::StringRef::from_str(url).map_err(|_| Error::InvalidUrl(url.to_string()))?;
    let mut ser = sfv::DictSerializer::new();
    ser.bare_item(key, value);
    Ok(ser.finish().unwrap_or_default())
}

/// Parses a `Signature-Agent` field value: a Dictionary, or the legacy sf-string (it
/// starts with `"`, which no Dictionary key can).
pub fn parse_signature_agent(value: &str) -> Result<Vec<AgentMember>> {
    let malformed = |why: String| Error::MalformedField {
        field: "signature-agent".into(),
        reason: why,
    };
    let value = value.trim();
    if value.starts_with('"') {
        let item: Item = Parser::new(value)
            .parse_item()
            .map_err(|e| malformed(e.to_string()))?;
        let BareItem::String(uri) = item.bare_item else {
            return Err(malformed("not a string".into()));
        };
        return Ok(alloc::vec![AgentMember {
            key: None,
            uri: uri.as_str().to_string(),
            declared_type: None
        }]);
    }
    let dict: Dictionary = Parser::new(value)
        .parse_dictionary()
        .map_err(|e| malformed(e.to_string()))?;
    if dict.len() > MAX_AGENT_MEMBERS {
        return Err(Error::LimitExceeded(
            "more Signature-Agent members than MAX_AGENT_MEMBERS",
        ));
    }
    let mut out = Vec::with_capacity(dict.len());
    for (key, entry) in &dict {
        let ListEntry::Item(Item {
            bare_item: BareItem::String(uri),
            params,
        }) = entry
        else {
            return Err(malformed(format!(
                "member {:?} is not a string",
                key.as_str()
            )));
        };
        let declared_type = params.get(const { sfv::key_ref("type") }).map(|t| match t {
            BareItem::Token(t) => match t.as_str() {
                "directory" => Ok(AgentType::Directory),
                "jwks_uri" => Ok(AgentType::JwksUri),
                "cimd" => Ok(AgentType::Cimd),
                other => Err(other.to_string()),
            },
            other => Err(format!("{other:?}")),
        });
        out.push(AgentMember {
            key: Some(key.as_str().to_string()),
            uri: uri.as_str().to_string(),
            declared_type,
        });
    }
    Ok(out)
}

impl AgentMember {
    /// Checks the member is usable (what [`Self::locate`] would refuse) without building
    /// its URLs: the policy's check on every request.
    pub fn validate(&self, allow_http: bool) -> Result<()> {
        self.resolution(allow_http).map(|_| ())
    }

    /// How the member resolves, and its URL split: the decision behind [`Self::locate`].
    fn resolution(&self, allow_http: bool) -> Result<(AgentType, UrlParts<'_>)> {
        let parts = check_agent_url(&self.uri, allow_http)?;
        let origin_only = matches!(parts.path, "" | "/") && parts.query.is_none();
        let kind = match &self.declared_type {
            None if origin_only => AgentType::Directory,
            None => AgentType::JwksUri,
            Some(Ok(AgentType::Directory)) if !origin_only => {
                return Err(Error::UnusableSignatureAgent(format!(
                    "{} has type=directory but is not an origin",
                    self.uri
                )));
            }
            Some(Ok(t)) => *t,
            Some(Err(unknown)) => {
                return Err(Error::UnusableSignatureAgent(format!(
                    "unsupported type {unknown}"
                )));
            }
        };
        Ok((kind, parts))
    }

    /// Where this member's keys live. Without a `type`: an origin-only URL is a directory
    /// (`<origin>/.well-known/http-message-signatures-directory`), a URL with a path or
    /// query is a JWK Set fetched as sent. An explicit `type=directory` on a URL that is
    /// not an origin, or an unknown `type`, makes the member unusable (the draft says to
    /// ignore such members), which leaves the signature unverified.
    pub fn locate(&self, allow_http: bool) -> Result<AgentLocation> {
        let (kind, parts) = self.resolution(allow_http)?;
        let scheme = parts.scheme.to_ascii_lowercase();
        let origin = format!(
            "{scheme}://{}",
            normalize_authority(&scheme, parts.authority)
        );
        Ok(match kind {
            AgentType::Directory => {
                let url = format!("{origin}{DIRECTORY_PATH}");
                AgentLocation {
                    kind,
                    fetch_url: url.clone(),
                    identifier: url,
                }
            }
            AgentType::JwksUri | AgentType::Cimd => {
                let as_sent = self.uri.split('#').next().unwrap_or_default();
                AgentLocation {
                    kind,
                    fetch_url: as_sent.to_string(),
                    identifier: format!(
                        "{origin}{}",
                        if parts.path.is_empty() {
                            "/"
                        } else {
                            parts.path
                        }
                    ),
                }
            }
        })
    }
}

/// The `Signature-Agent` member a signature covers, if the message has the field.
///
/// - field absent: `Ok(None)`;
/// - field present but not covered: error (its member must be covered);
/// - covered with `key="X"`: member `X` (absent: error);
/// - covered without `key`: the legacy string, or a Dictionary of exactly one member.
pub fn covered_member(
    msg: &dyn Message,
    label: &str,
    components: &[ComponentId],
) -> Result<Option<AgentMember>> {
    let Some(value) = combined_field(msg, "signature-agent")? else {
        return Ok(None);
    };
    let members = parse_signature_agent(&value)?;
    let covered: Vec<&ComponentId> = components
        .iter()
        .filter(|c| c.name() == "signature-agent")
        .collect();
    // A signature may also cover other signers' members (protocol §"Multiple Signatures");
    // its own is then the one keyed by its label.
    let component = match covered.as_slice() {
        [] => return Err(Error::MissingRequiredComponent("\"signature-agent\" (the field is present)".into())),
        [one] => *one,
        several => several
            .iter()
            .copied()
            .find(|c| c.flags().is_ok_and(|f| f.key.as_deref() == Some(label)))
            .ok_or_else(|| {
                Error::AmbiguousSignatureAgent(format!(
                    "the signature covers several Signature-Agent members and none is keyed {label:?}"
                ))
            })?,
    };
    let flags = component.flags()?;
    if flags.req || flags.tr || flags.bs {
        return Err(Error::AmbiguousSignatureAgent(format!(
            "{component} is not the request's header field"
        )));
    }
    match flags.key {
        Some(key) => members
            .into_iter()
            .find(|m| m.key.as_deref() == Some(key.as_str()))
            .map(Some)
            .ok_or(Error::DictionaryKeyNotFound { field: "signature-agent".into(), key }),
        None => match <[AgentMember; 1]>::try_from(members) {
            Ok([only]) => Ok(Some(only)),
            Err(_) => Err(Error::AmbiguousSignatureAgent(
                "several Signature-Agent members and the signature names none (cover signature-agent;key=...)".into(),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_members() {
        let m = |uri: &str, t: Option<core::result::Result<AgentType, String>>| AgentMember {
            key: Some("a".into()),
            uri: uri.into(),
            declared_type: t,
        };
        let dir = m("https://Agent.Example:443", None).locate(false).unwrap();
        assert_eq!(dir.kind, AgentType::Directory);
        assert_eq!(
            dir.fetch_url,
            "https://agent.example/.well-known/http-message-signatures-directory"
        );
        let jwks = m("https://agent.example/keys.json?v=2#x", None)
            .locate(false)
            .unwrap();
        assert_eq!(
            (jwks.kind, jwks.fetch_url.as_str()),
            (AgentType::JwksUri, "https://agent.example/keys.json?v=2")
        );
        assert_eq!(jwks.identifier, "https://agent.example/keys.json");
        assert!(
            m("https://agent.example/x", Some(Ok(AgentType::Directory)))
                .locate(false)
                .is_err()
        );
        assert!(
            m("https://agent.example", Some(Err("nope".into())))
                .locate(false)
                .is_err()
        );
        assert!(m("http://agent.example", None).locate(false).is_err());
        assert!(m("http://agent.example", None).locate(true).is_ok());
        assert!(m("https://u:p@agent.example", None).locate(false).is_err());
    }
}
