//! The signature base of a message: for a signature it carries (by label) or for new
//! parameters, like `httpseal base`.

use super::error::{JsResult, OrThrow};
use super::message::read_message;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::base::signature_base;
use httpseal::component::ComponentId;
use httpseal::error::{Error, Result};
use httpseal::input::{SignatureParams, parse_signatures};
use httpseal::sftypes::SfRegistry;
use serde::Deserialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// Which signature's base: `label` (one in the message) or new parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BaseParamsJson {
    label: Option<String>,
    components: Option<Vec<String>>,
    created: Option<u64>,
    expires: Option<u64>,
    keyid: Option<String>,
    alg: Option<String>,
    nonce: Option<String>,
    tag: Option<String>,
}

impl BaseParamsJson {
    fn has_new_params(&self) -> bool {
        self.components.is_some()
            || self.created.is_some()
            || self.expires.is_some()
            || self.keyid.is_some()
            || self.alg.is_some()
            || self.nonce.is_some()
            || self.tag.is_some()
    }

    fn to_params(&self) -> Result<SignatureParams> {
        let mut p = SignatureParams::new();
        for c in self.components.iter().flatten() {
            p.push_component(ComponentId::parse(c)?)?;
        }
        for (name, value) in [("created", self.created), ("expires", self.expires)] {
            if let Some(v) = value {
                p.set_integer(name, v)?;
            }
        }
        for (name, value) in [
            ("keyid", &self.keyid),
            ("alg", &self.alg),
            ("nonce", &self.nonce),
            ("tag", &self.tag),
        ] {
            if let Some(v) = value {
                p.set_string(name, v)?;
            }
        }
        Ok(p)
    }
}

fn params_for(msg: &httpseal::http::HttpMessage, spec: &BaseParamsJson) -> Result<SignatureParams> {
    match &spec.label {
        Some(_) if spec.has_new_params() => Err(Error::MalformedMessage(
            "give label (a signature in the message) or new parameters, not both".into(),
        )),
        Some(label) => parse_signatures(msg)?
            .into_iter()
            .find(|s| s.label == *label)
            .map(|s| s.params)
            .ok_or_else(|| Error::LabelNotFound(label.to_string())),
        None => spec.to_params(),
    }
}

/// The signature base (RFC 9421 §2.5) of `message` (JSON) for `params` (JSON
/// `{label}` or `{components, created, expires, keyid, alg, nonce, tag}`).
#[wasm_bindgen(js_name = signatureBase)]
pub fn signature_base_of(message: &str, params: &str) -> JsResult<String> {
    let msg = read_message(message, None).or_throw()?;
    let spec: BaseParamsJson = serde_json::from_str(params)
        .map_err(|e| Error::MalformedMessage(format!("invalid signature base parameters: {e}")))
        .or_throw()?;
    let params = params_for(&msg, &spec).or_throw()?;
    signature_base(&msg, &params, &SfRegistry::new()).or_throw()
}
