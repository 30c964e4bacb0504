//! Verifying a message: the same JSON in and the same verdict out as the Worker's
//! `POST /verify` and `httpseal verify --request`.

use super::error::{JsResult, OrThrow};
use super::host;
use super::message::with_body;
use crate::api::VerifyRequestJson;
use crate::error::Error;
use crate::verify::verify_message;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::wasm_bindgen;

/// Verifies a [`VerifyRequestJson`] document (message + `jwks`, `now`, `profile`,
/// `policy`), with optional body bytes. Returns the [`crate::Verdict`] as JSON. Inputs
/// that cannot be read (bad JSON, unknown profile, no keys) throw; everything about the
/// signatures themselves is reported in the verdict.
#[wasm_bindgen(js_name = verifyRequest)]
pub fn verify_request_json(request: &str, body: Option<Vec<u8>>) -> JsResult<String> {
    let doc = VerifyRequestJson::parse(request).or_throw()?;
    let msg = with_body(doc.message.to_message().or_throw()?, body).or_throw()?;
    let policy = doc.policy().or_throw()?;
    let keys = doc
        .jwks()
        .or_throw()?
        .ok_or_else(|| {
            Error::MalformedMessage(
                "no keys: give jwks (a JWK Set, an array of JWKs or one JWK)".into(),
            )
        })
        .or_throw()?;
    let now = doc.now.unwrap_or_else(host::now);
    Ok(verify_message(&policy, &msg, &keys, now, None).to_json())
}
