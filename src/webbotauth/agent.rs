//! The `Signature-Agent` field: which URL publishes the signer's keys, and how a
//! signature is tied to exactly one of its members.
//!
//! Draft -01 (§5.2.1, §5.5), with the compatibility rules agents that sign today need:
//! - the Dictionary `sig1="https://agent.example/keys.json"`, covered as
//!   `"signature-agent";key="sig1"`: the member is chosen by the `key` the signature covers
//!   (an intermediary may relabel `Signature`, §6.6.1), and its URL is a JWK Set fetched as
//!   sent;
//! - a member that carries parameters is ignored (§5.2.1); the typed members of draft -00
//!   (`type=directory|jwks_uri|cimd`) are read only with [`AgentOptions::draft00_members`];
//! - the legacy sf-string `"https://agent.example"`, covered as `"signature-agent"`, read as
//!   a one-member dictionary keyed by the covering signature's label (§5.2.1 MAY);
//! - **compatibility rule**: a bare origin (`https://chatgpt.com`, `https://agent.bot.goog`)
//!   means its well-known directory, `<origin>/.well-known/http-message-signatures-directory`.
//!   Draft -01 dropped that default, but every agent deployed at the end of 2026 sends bare
//!   origins, and an origin's home page is never a JWK Set.

use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::input::combined_field;
use crate::limits::{MAX_AGENT_MEMBERS, MAX_AGENT_URL_BYTES};
use crate::message::Message;
use crate::url::{UrlParts, normalize_authority, normalize_identifier};
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

/// How agent URLs may be resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentOptions {
    /// Accept `http://` agent URLs and fetch from loopback hosts (development only: local
    /// directory servers).
    pub allow_http: bool,
    /// Read the typed members of draft -00 (`type=directory|jwks_uri|cimd`, Client ID
    /// Metadata Documents). Off by default: draft -01 removed them and says to ignore any
    /// member that carries parameters, and no deployed agent sends them.
    pub draft00_members: bool,
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

/// Whether a member carries parameters other than a draft -00 `type` (read from
/// [`AgentMember::declared_type`] and [`AgentMember::key`] is not enough: see
/// [`parse_signature_agent`], which records it in `declared_type` as an unknown type).
const OTHER_PARAMETERS: &str = "(parameters)";

/// Where a member's keys are fetched and what identifies the agent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgentLocation {
    /// How the fetched document is read.
    pub kind: AgentType,
    /// The URL to fetch (fragment dropped; query kept, as sent).
    pub fetch_url: String,
    /// The agent's identifier: the fetched URL without query and fragment, normalised per
    /// RFC 3986 §6.2.2–6.2.3 ([`normalize_identifier`]). It is the `agent` and the
    /// `identifier` of a verdict whose key came from this location.
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
        let declared_type = match params.get(const { sfv::key_ref("type") }) {
            Some(BareItem::Token(t)) => Some(match t.as_str() {
                "directory" => Ok(AgentType::Directory),
                "jwks_uri" => Ok(AgentType::JwksUri),
                "cimd" => Ok(AgentType::Cimd),
                other => Err(other.to_string()),
            }),
            Some(other) => Some(Err(format!("{other:?}"))),
            None if !params.is_empty() => Some(Err(OTHER_PARAMETERS.to_string())),
            None => None,
        };
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
    pub fn validate(&self, options: AgentOptions) -> Result<()> {
        self.resolution(options).map(|_| ())
    }

    /// How the member resolves, and its URL split: the decision behind [`Self::locate`].
    fn resolution(&self, options: AgentOptions) -> Result<(AgentType, UrlParts<'_>)> {
        let parts = check_agent_url(&self.uri, options.allow_http)?;
        if self.declared_type.is_some() && !options.draft00_members {
            return Err(Error::UnusableSignatureAgent(format!(
                "the member {} carries parameters, and draft -01 (§5.2.1) says to ignore such \
                 members (draft -00 typed members are read with the draft00Members option)",
                self.key.as_deref().unwrap_or("(legacy string)")
            )));
        }
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
            Some(Err(unknown)) if unknown == OTHER_PARAMETERS => {
                return Err(Error::UnusableSignatureAgent(
                    "the member carries parameters other than a draft -00 type".into(),
                ));
            }
            Some(Err(unknown)) => {
                return Err(Error::UnusableSignatureAgent(format!(
                    "unsupported type {unknown}"
                )));
            }
        };
        Ok((kind, parts))
    }

    /// Where this member's keys live. A URL with a path or query is a JWK Set fetched as
    /// sent (draft -01 §5.5); a bare origin is its well-known directory (the compatibility
    /// rule above). A member with parameters is ignored unless draft -00 typed members are
    /// read, and then an explicit `type=directory` on a URL that is not an origin, or an
    /// unknown `type`, makes it unusable. An unusable member leaves the signature
    /// unverified.
    pub fn locate(&self, options: AgentOptions) -> Result<AgentLocation> {
        let (kind, parts) = self.resolution(options)?;
        Ok(match kind {
            AgentType::Directory => {
                let scheme = parts.scheme.to_ascii_lowercase();
                let url = format!(
                    "{scheme}://{}{DIRECTORY_PATH}",
                    normalize_authority(&scheme, parts.authority)
                );
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
                    identifier: normalize_identifier(as_sent)?,
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
    select_member(&parse_signature_agent(&value)?, label, components).map(Some)
}

/// [`covered_member`] for a field parsed once ([`parse_signature_agent`]): the member the
/// signature labelled `label`, covering `components`, names.
pub fn select_member(
    members: &[AgentMember],
    label: &str,
    components: &[ComponentId],
) -> Result<AgentMember> {
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
            .iter()
            .find(|m| m.key.as_deref() == Some(key.as_str()))
            .cloned()
            .ok_or(Error::DictionaryKeyNotFound { field: "signature-agent".into(), key }),
        None => match members {
            [only] => Ok(only.clone()),
            _ => Err(Error::AmbiguousSignatureAgent(
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
        let default = AgentOptions::default();
        let draft00 = AgentOptions {
            draft00_members: true,
            ..default
        };
        let insecure = AgentOptions {
            allow_http: true,
            ..default
        };
        let dir = m("https://Agent.Example:443", None)
            .locate(default)
            .unwrap();
        assert_eq!(dir.kind, AgentType::Directory);
        assert_eq!(
            dir.fetch_url,
            "https://agent.example/.well-known/http-message-signatures-directory"
        );
        let jwks = m("https://agent.example/keys.json?v=2#x", None)
            .locate(default)
            .unwrap();
        assert_eq!(
            (jwks.kind, jwks.fetch_url.as_str()),
            (AgentType::JwksUri, "https://agent.example/keys.json?v=2")
        );
        assert_eq!(jwks.identifier, "https://agent.example/keys.json");
        assert!(
            m("https://agent.example/x", Some(Ok(AgentType::Directory)))
                .locate(draft00)
                .is_err()
        );
        assert!(
            m("https://agent.example", Some(Err("nope".into())))
                .locate(draft00)
                .is_err()
        );
        // Draft -01: any member with parameters is ignored.
        let typed = m("https://agent.example/keys", Some(Ok(AgentType::JwksUri)));
        assert_eq!(
            typed.locate(default).unwrap_err().code(),
            "unusable_signature_agent"
        );
        assert_eq!(typed.locate(draft00).unwrap().kind, AgentType::JwksUri);
        assert!(m("http://agent.example", None).locate(default).is_err());
        assert!(m("http://agent.example", None).locate(insecure).is_ok());
        assert!(
            m("https://u:p@agent.example", None)
                .locate(default)
                .is_err()
        );
    }
}
