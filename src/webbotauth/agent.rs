//! The `Signature-Agent` field: which URL publishes the signer's keys.

use crate::error::{Error, Result};
use crate::url::UrlParts;
use alloc::format;
use alloc::string::{String, ToString};

/// Longest `Signature-Agent` URL accepted.
pub const MAX_AGENT_URL_BYTES: usize = 2048;

/// How a member's URL resolves to keys (the `type` parameter of protocol drafts -00…-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentType {
    /// An origin: keys at `<origin>/.well-known/http-message-signatures-directory`.
    Directory,
    /// A JWK Set URL.
    JwksUri,
    /// A Client ID Metadata Document, which carries `jwks` or `jwks_uri`.
    Cimd,
}

/// One member of `Signature-Agent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMember {
    /// The dictionary key (for the legacy string form: the label of the signature).
    pub key: String,
    /// The URL as sent.
    pub uri: String,
    /// How it resolves.
    pub kind: AgentType,
    /// Whether the header used the legacy sf-string form.
    pub legacy: bool,
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
