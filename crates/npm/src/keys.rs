//! Keys: generate a key pair, derive the public JWK, compute RFC 7638 thumbprints.

use super::error::{JsResult, OrThrow};
use super::host;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use httpseal::alg::Algorithm;
use httpseal::error::Error;
use httpseal::jwk::{Jwk, jwk_thumbprint, parse_jwk};
use httpseal::key::Key;
use wasm_bindgen::prelude::wasm_bindgen;

/// A key read once from its JWK and kept in wasm memory. Reading a private Ed25519 JWK
/// re-derives its public key to check `d` against `x` (a scalar multiplication, as costly
/// as signing), so the JS layer keeps a few of these instead of parsing on every call.
#[wasm_bindgen]
pub struct ParsedKey {
    key: Key,
}

#[wasm_bindgen]
impl ParsedKey {
    /// Reads a JWK (JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(jwk: &str) -> JsResult<ParsedKey> {
        Ok(ParsedKey {
            key: parse_jwk(jwk).or_throw()?,
        })
    }
}

#[wasm_bindgen]
impl ParsedKey {
    /// The RFC 7638 thumbprint of the key, to cache what the host imported.
    pub fn thumbprint(&self) -> String {
        self.key.thumbprint()
    }
}

impl ParsedKey {
    /// The key.
    pub fn key(&self) -> &Key {
        &self.key
    }
}

pub(super) fn to_json(jwk: &Jwk) -> String {
    // A map of strings always serialises.
    serde_json::to_string(jwk).unwrap_or_default()
}

/// Generates a private key for `alg` (a registry name such as `ed25519`), with `kid` set
/// to its RFC 7638 thumbprint. Returns the private JWK as JSON text.
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(alg: &str) -> JsResult<String> {
    let alg: Algorithm = alg.parse().or_throw()?;
    let key = Key::generate(alg, &host::random::<32>()?).or_throw()?;
    let kid = key.thumbprint();
    Ok(to_json(&key.with_kid(kid).private_jwk().or_throw()?))
}

/// The public JWK (JSON text) of a JWK, private or public; `kid` and an RSA key's `alg`
/// are kept.
#[wasm_bindgen(js_name = publicJwk)]
pub fn public_jwk(jwk: &str) -> JsResult<String> {
    Ok(to_json(
        &parse_jwk(jwk).or_throw()?.to_public().public_jwk(),
    ))
}

/// The RFC 7638 SHA-256 thumbprint (base64url) of a JWK, from its required members as
/// written.
#[wasm_bindgen(js_name = jwkThumbprint)]
pub fn jwk_thumbprint_of(jwk: &str) -> JsResult<String> {
    let jwk: Jwk = serde_json::from_str(jwk)
        .map_err(|e| Error::MalformedJwk(format!("not a JSON object: {e}")))
        .or_throw()?;
    jwk_thumbprint(&jwk).or_throw()
}

/// The algorithm names this build can sign and verify with (JSON array), in registry
/// order: all six in the full build, `["ed25519"]` in the small one.
#[wasm_bindgen(js_name = supportedAlgorithms)]
pub fn supported_algorithms() -> String {
    let names: Vec<&str> = Algorithm::ALL
        .into_iter()
        .filter(|a| a.is_supported())
        .map(Algorithm::name)
        .collect();
    serde_json::to_string(&names).unwrap_or_default()
}
