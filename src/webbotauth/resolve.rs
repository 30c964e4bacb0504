//! From a fetched document to keys, by location kind.

use super::agent::{AgentOptions, AgentType, check_agent_url};
use crate::error::{Error, Result};
use crate::jwk::JwkSet;
use alloc::string::{String, ToString};

/// How a fetched document is turned into keys. A Client ID Metadata Document (draft -00
/// typed members only) carries its keys inline (`jwks`) or points at them (`jwks_uri`,
/// which is then fetched as a JWK Set under the same identifier).
#[derive(Debug)]
pub enum KeyDocument {
    /// The keys.
    Keys(JwkSet),
    /// Fetch this JWK Set URL next.
    FetchJwksUri(String),
}

/// Reads a fetched document, already checked for status and media type, as keys at `now`.
pub fn read_key_document(
    kind: AgentType,
    body: &[u8],
    options: AgentOptions,
    now: u64,
) -> Result<KeyDocument> {
    match kind {
        AgentType::Directory | AgentType::JwksUri => {
            super::parse_directory(body, now).map(KeyDocument::Keys)
        }
        AgentType::Cimd => {
            let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
                Error::InvalidDirectory(alloc::format!("client metadata is not JSON: {e}"))
            })?;
            if let Some(jwks) = doc.get("jwks") {
                let text =
                    serde_json::to_vec(jwks).map_err(|e| Error::InvalidDirectory(e.to_string()))?;
                return super::parse_directory(&text, now).map(KeyDocument::Keys);
            }
            match doc.get("jwks_uri").and_then(serde_json::Value::as_str) {
                Some(uri) => {
                    check_agent_url(uri, options.allow_http)?;
                    Ok(KeyDocument::FetchJwksUri(uri.into()))
                }
                None => Err(Error::InvalidDirectory(
                    "client metadata has neither jwks nor jwks_uri".into(),
                )),
            }
        }
    }
}
