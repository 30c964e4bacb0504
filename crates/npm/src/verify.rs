//! Verifying a message: the same JSON in and the same verdict out as the Worker's
//! `POST /verify` and `httpseal verify --request`.
//!
//! Split around the cryptographic check ([`httpseal::verify::prepare`] →
//! [`httpseal::verify::Verification::finish`]) so that the JavaScript layer can check each
//! signature with WebCrypto where the platform has the algorithm, and with the core's own
//! primitive ([`PendingVerification::check_natively`]) everywhere else.

use super::error::{JsResult, OrThrow};
use super::host;
use super::message::with_body;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::api::VerifyRequestJson;
use httpseal::error::{Error, Result};
use httpseal::http::HttpMessage;
use httpseal::verify::{PendingCheck, Policy, Verification, prepare};
use wasm_bindgen::prelude::wasm_bindgen;

/// A verification whose signatures wait for their checks: every rule that needs no
/// cryptography has been applied.
#[wasm_bindgen]
pub struct PendingVerification {
    verification: Verification<'static>,
    policy: Policy,
    msg: HttpMessage,
    now: u64,
}

/// Reads a [`VerifyRequestJson`] document (message + `jwks`, `now`, `profile`, `policy`),
/// with optional body bytes, and prepares its verification. Inputs that cannot be read
/// (bad JSON, unknown profile, no keys) throw; everything about the signatures themselves
/// is reported in the verdict that [`PendingVerification::finish`] returns.
#[wasm_bindgen(js_name = prepareVerification)]
pub fn prepare_verification(request: &str, body: Option<Vec<u8>>) -> JsResult<PendingVerification> {
    // serde_json directly, not `VerifyRequestJson::parse`: its serde_path_to_error wrapper
    // (which prefixes the member at fault, `policy.maxAge: ...`) is ~22 KB of wasm, ~8 KiB
    // gzipped. The error code is the same; the message says what is wrong without the path.
    let doc: VerifyRequestJson = serde_json::from_str(request)
        .map_err(|e| Error::MalformedMessage(format!("invalid verify request: {e}")))
        .or_throw()?;
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
    let verification = prepare(&policy, &msg, &keys, now).into_owned();
    Ok(PendingVerification {
        verification,
        policy,
        msg,
        now,
    })
}

#[wasm_bindgen]
impl PendingVerification {
    fn check(&self, i: usize) -> Option<&PendingCheck<'static>> {
        self.verification.checks().nth(i)
    }

    /// How many signatures wait for a check.
    #[wasm_bindgen(js_name = checkCount)]
    pub fn check_count(&self) -> usize {
        self.verification.checks().count()
    }

    /// The algorithm (registry name) of check `i` when the host may do it with its own
    /// primitive; `undefined` when the core must ([`PendingCheck::host_may_check`]).
    #[wasm_bindgen(js_name = hostAlgorithm)]
    pub fn host_algorithm(&self, i: usize) -> Option<String> {
        self.check(i)
            .filter(|c| c.host_may_check())
            .map(|c| c.alg.name().to_string())
    }

    /// The RFC 7638 thumbprint of check `i`'s key, to cache what the host imported.
    #[wasm_bindgen(js_name = keyThumbprint)]
    pub fn key_thumbprint(&self, i: usize) -> String {
        self.check(i)
            .map(|c| c.key.thumbprint())
            .unwrap_or_default()
    }

    /// The JWK (JSON text) for the host to import to do check `i`; `undefined` when the
    /// host must not check with this key ([`PendingCheck::host_jwk`]).
    #[wasm_bindgen(js_name = hostKey)]
    pub fn host_key(&self, i: usize) -> Option<String> {
        let jwk = self.check(i)?.host_jwk()?;
        serde_json::to_string(&jwk).ok()
    }

    /// The signature base of check `i` (UTF-8 bytes).
    pub fn base(&self, i: usize) -> Vec<u8> {
        self.check(i)
            .map(|c| c.base.as_bytes().to_vec())
            .unwrap_or_default()
    }

    /// The signature bytes of check `i`.
    pub fn signature(&self, i: usize) -> Vec<u8> {
        self.check(i)
            .map(|c| c.signature.clone())
            .unwrap_or_default()
    }

    /// The result of check `i` given the host primitive's answer: "false" is confirmed by
    /// the core where native primitives are stricter ([`PendingCheck::settle`]).
    pub fn settle(&self, i: usize, host_verified: bool) -> bool {
        self.check(i)
            .is_some_and(|c| c.settle(host_verified).is_ok())
    }

    /// Check `i` with the core's own (pure Rust) primitive.
    #[wasm_bindgen(js_name = checkNatively)]
    pub fn check_natively(&self, i: usize) -> bool {
        self.check(i).is_some_and(|c| c.check().is_ok())
    }

    /// Finishes with one result per check, in order (`1`: the signature verifies, `0`: it
    /// does not): Content-Digest, then the verdict. Returns the [`httpseal::Verdict`] as JSON.
    pub fn finish(self, results: &[u8]) -> String {
        let results: Vec<Result<()>> = results
            .iter()
            .map(|&ok| {
                if ok == 1 {
                    Ok(())
                } else {
                    Err(Error::InvalidSignature)
                }
            })
            .collect();
        self.verification
            .finish(&self.policy, &self.msg, self.now, None, results)
            .to_json()
    }
}
