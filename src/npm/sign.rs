//! Signing a request with the core's [`sign_request`] (which owns every default).

use super::error::{JsResult, OrThrow};
use super::host;
use super::keys::ParsedKey;
use super::message::read_message;
use crate::api::{SignOptions, SignRandomness, sign_request};
use crate::error::Error;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use wasm_bindgen::prelude::wasm_bindgen;

/// Signs `message` (JSON, plus optional body bytes) with `key` under `options`
/// (a [`SignOptions`] JSON object) at the current time. Returns JSON
/// `{"headers": [[name, value], ...], "signatureBase": "...", "alg": "..."}`.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request_json(
    message: &str,
    body: Option<Vec<u8>>,
    key: &ParsedKey,
    options: &str,
) -> JsResult<String> {
    let mut msg = read_message(message, body).or_throw()?;
    let opts: SignOptions = serde_json::from_str(options)
        .map_err(|e| Error::MalformedMessage(format!("invalid sign options: {e}")))
        .or_throw()?;
    let bytes = host::random::<96>()?;
    let mut random = SignRandomness {
        nonce: [0; 64],
        seed: [0; 32],
    };
    random.nonce.copy_from_slice(&bytes[..64]);
    random.seed.copy_from_slice(&bytes[64..]);
    let out = sign_request(&mut msg, key.key(), &opts, host::now(), &random).or_throw()?;
    let json = serde_json::json!({
        "headers": out.headers,
        "signatureBase": out.base,
        "alg": out.alg.name(),
    });
    Ok(json.to_string())
}
