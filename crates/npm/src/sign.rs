//! Signing a request with the core's [`prepare_sign_request`] (which owns every default),
//! split around the signing itself so that the JavaScript layer can sign the base with
//! WebCrypto where the platform has the algorithm, and with the core's own primitive
//! ([`PendingSignature::finish_natively`]) everywhere else.

use super::error::{JsResult, OrThrow};
use super::host;
use super::keys::{ParsedKey, to_json};
use super::message::read_message;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::api::{PreparedRequestSignature, SignOptions, SignRandomness, prepare_sign_request};
use httpseal::error::Error;
use httpseal::http::HttpMessage;
use httpseal::key::Key;
use httpseal::profile::Profile;
use wasm_bindgen::prelude::wasm_bindgen;

/// The profile `signRequest` signs under when the options name none. The package's users
/// are agent authors, so it is Web Bot Auth; `profile: "rfc9421"` asks for plain RFC 9421.
/// (The core's own default, shared with the CLI, stays `rfc9421`.)
const DEFAULT_PROFILE: Profile = Profile::WebBotAuth;

/// A request whose signature base is built and waits for its signature.
#[wasm_bindgen]
pub struct PendingSignature {
    msg: HttpMessage,
    prepared: PreparedRequestSignature,
    /// The key, for [`Self::finish_natively`] (a copy: the caller's [`ParsedKey`] may be
    /// freed while the host signs).
    key: Key,
    /// Randomness for the core's own RSA signing.
    seed: [u8; 32],
}

/// Prepares the signature of `message` (JSON, plus optional body bytes) with `key` under
/// `options` (a [`SignOptions`] JSON object; `profile` defaults to `web-bot-auth`) at the
/// current time: the covered fields are added and the signature base is built.
#[wasm_bindgen(js_name = prepareSignature)]
pub fn prepare_signature(
    message: &str,
    body: Option<Vec<u8>>,
    key: &ParsedKey,
    options: &str,
) -> JsResult<PendingSignature> {
    let mut msg = read_message(message, body).or_throw()?;
    let mut opts: SignOptions = serde_json::from_str(options)
        .map_err(|e| Error::MalformedMessage(format!("invalid sign options: {e}")))
        .or_throw()?;
    if opts.profile.is_none() {
        opts.profile = Some(DEFAULT_PROFILE.name().to_string());
    }
    let bytes = host::random::<96>()?;
    let mut random = SignRandomness {
        nonce: [0; 64],
        seed: [0; 32],
    };
    random.nonce.copy_from_slice(&bytes[..64]);
    random.seed.copy_from_slice(&bytes[64..]);
    let prepared =
        prepare_sign_request(&mut msg, key.key(), &opts, host::now(), &random).or_throw()?;
    Ok(PendingSignature {
        msg,
        prepared,
        key: key.key().clone(),
        seed: random.seed,
    })
}

#[wasm_bindgen]
impl PendingSignature {
    /// The algorithm to sign with (registry name).
    pub fn algorithm(&self) -> String {
        self.prepared.signature.alg.name().to_string()
    }

    /// The private JWK (JSON text) for the host to import to sign with WebCrypto.
    #[wasm_bindgen(js_name = hostKey)]
    pub fn host_key(&self) -> JsResult<String> {
        Ok(to_json(&self.key.private_jwk().or_throw()?))
    }

    /// The signature base to sign (UTF-8 bytes).
    pub fn base(&self) -> Vec<u8> {
        self.prepared.signature.base.as_bytes().to_vec()
    }

    /// Attaches the signature the host made over [`Self::base`]. Returns JSON
    /// `{"headers": [[name, value], ...], "signatureBase": "...", "alg": "..."}`.
    pub fn finish(self, signature: Vec<u8>) -> JsResult<String> {
        let mut msg = self.msg;
        let out = self.prepared.finish(&mut msg, signature).or_throw()?;
        let json = serde_json::json!({
            "headers": out.headers,
            "signatureBase": out.base,
            "alg": out.alg.name(),
        });
        Ok(json.to_string())
    }

    /// Signs with the core's own (pure Rust) primitive, then [`Self::finish`]es.
    #[wasm_bindgen(js_name = finishNatively)]
    pub fn finish_natively(self) -> JsResult<String> {
        let signature = self
            .key
            .sign(
                self.prepared.signature.alg,
                self.prepared.signature.base.as_bytes(),
                Some(&self.seed),
            )
            .or_throw()?;
        self.finish(signature)
    }
}
