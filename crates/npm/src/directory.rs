//! Key directories for agents (Web Bot Auth): the JWK Set to publish at
//! `/.well-known/http-message-signatures-directory`, and that response signed with each
//! key, both built by [`httpseal::webbotauth`].

use super::error::{JsResult, OrThrow};
use super::host;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::error::{Error, Result};
use httpseal::jwk::JwkSet;
use httpseal::key::Key;
use httpseal::webbotauth::{DEFAULT_DIRECTORY_SIGNATURE_TTL, build_directory, sign_directory};
use serde::Deserialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// Reads keys given as a JWK Set, an array of JWKs or one JWK. Unlike a verifier, a
/// publisher wants every key it named: a key this build cannot read is an error.
fn read_keys(text: &str) -> Result<Vec<Key>> {
    let set = JwkSet::parse(text)?;
    if let Some((i, why)) = set.skipped().first() {
        return Err(match why {
            Error::UnsupportedKey(w) => Error::UnsupportedKey(format!("key #{i}: {w}")),
            Error::MalformedJwk(w) => Error::MalformedJwk(format!("key #{i}: {w}")),
            other => other.clone(),
        });
    }
    Ok(set.keys().iter().map(|k| k.key.clone()).collect())
}

/// The directory body (compact JSON text) publishing the public halves of `keys`: `kid` =
/// thumbprint, `"use": "sig"`. Shared secrets are refused.
#[wasm_bindgen(js_name = createDirectory)]
pub fn create_directory(keys: &str) -> JsResult<String> {
    build_directory(&read_keys(keys).or_throw()?).or_throw()
}

/// When and for which host a directory response is signed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DirectorySignOptions {
    /// The host serving the directory (`@authority` of the request it answers).
    authority: String,
    created: Option<u64>,
    expires: Option<u64>,
    /// Seconds after `created`; without `expires` or `ttl`, the core's
    /// [`DEFAULT_DIRECTORY_SIGNATURE_TTL`] (24 h), as for `httpseal directory sign`.
    ttl: Option<u64>,
}

impl DirectorySignOptions {
    fn window(&self, now: u64) -> Result<(u64, u64)> {
        let created = self.created.unwrap_or(now);
        let expires = match (self.expires, self.ttl) {
            (Some(e), None) => e,
            (None, Some(ttl)) => created.saturating_add(ttl),
            (Some(_), Some(_)) => {
                return Err(Error::MalformedMessage(
                    "give expires or ttl, not both".into(),
                ));
            }
            (None, None) => created.saturating_add(DEFAULT_DIRECTORY_SIGNATURE_TTL),
        };
        Ok((created, expires))
    }
}

/// Signs the directory response for `options.authority` with every key of `keys`
/// (private JWKs). Returns JSON `{"status": 200, "headers": [[name, value], ...],
/// "body": "..."}`.
#[wasm_bindgen(js_name = signDirectoryResponse)]
pub fn sign_directory_response(keys: &str, options: &str) -> JsResult<String> {
    let keys = read_keys(keys).or_throw()?;
    let opts: DirectorySignOptions = serde_json::from_str(options)
        .map_err(|e| Error::MalformedMessage(format!("invalid directory options: {e}")))
        .or_throw()?;
    let (created, expires) = opts.window(host::now()).or_throw()?;
    let signed = sign_directory(
        &keys,
        &opts.authority,
        created,
        expires,
        &host::random::<32>()?,
    )
    .or_throw()?;
    let json = serde_json::json!({ "status": 200, "headers": signed.headers, "body": signed.body });
    Ok(json.to_string())
}
