//! Signing a request: the core's signing job ([`SignJob`], which owns every default) as a
//! wasm object. The core prepares the base, the JS layer signs it with WebCrypto where the
//! platform has the algorithm ([`SignTask::finish`]) or leaves it to the core's own
//! primitive ([`SignTask::finish_in_core`]), and the core finishes the header fields.

use super::error::{JsResult, OrThrow};
use super::host;
use super::keys::{ParsedKey, to_json};
use super::message::read_message;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::api::{SignOptions, SignRandomness};
use httpseal::error::Error;
use httpseal::job::SignJob;
use httpseal::key::Key;
use httpseal::profile::Profile;
use wasm_bindgen::prelude::wasm_bindgen;

/// The profile `signRequest` signs under when the options name none. The package's users
/// are agent authors, so it is Web Bot Auth; `profile: "rfc9421"` asks for plain RFC 9421.
/// (The core's own default, shared with the CLI, stays `rfc9421`.)
const DEFAULT_PROFILE: Profile = Profile::WebBotAuth;

/// A request whose signature base is built and waits for its signature.
#[wasm_bindgen]
pub struct SignTask {
    job: SignJob,
    /// The key, for [`Self::finish_in_core`] and [`Self::host_key`] (a copy: the caller's
    /// [`ParsedKey`] may be freed while the host signs).
    key: Key,
}

#[wasm_bindgen]
impl SignTask {
    /// Prepares the signature of `message` (JSON, plus optional body bytes) with `key` under
    /// `options` (a [`SignOptions`] JSON object; `profile` defaults to `web-bot-auth`) at the
    /// current time: the covered fields are added and the signature base is built.
    #[wasm_bindgen(constructor)]
    pub fn new(
        message: &str,
        body: Option<Vec<u8>>,
        key: &ParsedKey,
        options: &str,
    ) -> JsResult<SignTask> {
        let msg = read_message(message, body).or_throw()?;
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
        let job = SignJob::new(msg, key.key(), &opts, host::now(), &random).or_throw()?;
        Ok(SignTask {
            job,
            key: key.key().clone(),
        })
    }

    /// The algorithm to sign with (registry name), bound to the key.
    pub fn alg(&self) -> String {
        self.job.step().alg.name().to_string()
    }

    /// The private JWK (JSON text) for the host to import to sign with WebCrypto.
    #[wasm_bindgen(js_name = hostKey)]
    pub fn host_key(&self) -> JsResult<String> {
        Ok(to_json(&self.key.private_jwk().or_throw()?))
    }

    /// The signature base to sign (UTF-8 bytes).
    pub fn base(&self) -> Vec<u8> {
        self.job.step().base.to_vec()
    }

    /// Attaches the signature the host made over [`Self::base`]. Returns JSON
    /// `{"headers": [[name, value], ...], "signatureBase": "...", "alg": "..."}`.
    pub fn finish(self, signature: Vec<u8>) -> JsResult<String> {
        let (_, out) = self.job.finish(signature).or_throw()?;
        let json = serde_json::json!({
            "headers": out.headers,
            "signatureBase": out.base,
            "alg": out.alg.name(),
        });
        Ok(json.to_string())
    }

    /// Signs with the core's own (pure Rust) primitive, then [`Self::finish`]es.
    #[wasm_bindgen(js_name = finishInCore)]
    pub fn finish_in_core(self) -> JsResult<String> {
        let signature = self.job.sign_in_core(&self.key).or_throw()?;
        self.finish(signature)
    }
}
