//! The host's half of a signature check, with the platform's WebCrypto
//! (`crypto.subtle.verify`, native code in workerd) where the core's host-check rules allow
//! it ([`httpseal::PendingCheck::host_jwk`], [`httpseal::PendingCheck::settle`]: weak keys and
//! small-order points stay with the core, and a "false" is confirmed by the core):
//! - Ed25519, unless `ED25519_VERIFIER = "wasm"`;
//! - keys of families the Worker does not compile in (P-384, `host-keys`): only WebCrypto
//!   can check them.
//!
//! Every other check is the core's Rust code. WebCrypto is called through direct bindings
//! to `crypto.subtle` (one crossing per call; the signature and the base are handed over
//! as views of wasm memory, which WebCrypto copies before it returns). Imported keys are
//! kept per isolate (importing costs about as much as a verification), bounded so that
//! clients naming many keys cannot grow memory.

use crate::config::Ed25519Check;
use alloc::collections::BTreeMap;
use core::cell::RefCell;
use httpseal::{Algorithm, PendingCheck, Result};
use wasm_bindgen::prelude::wasm_bindgen;
use worker::js_sys::{self, Array, Promise, Uint8Array};
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;

/// Imported keys kept per isolate.
const MAX_IMPORTED_KEYS: usize = 64;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = verify, catch)]
    fn subtle_verify(
        algorithm: &JsValue,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> core::result::Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = importKey, catch)]
    fn subtle_import_key(
        format: &str,
        key_data: &JsValue,
        algorithm: &JsValue,
        extractable: bool,
        usages: &JsValue,
    ) -> core::result::Result<Promise, JsValue>;
}

/// How WebCrypto names one algorithm: for importing the key and for verifying.
struct WebCryptoAlgorithm {
    import: JsValue,
    verify: JsValue,
}

std::thread_local! {
    static IMPORTED: RefCell<BTreeMap<[u8; 43], JsValue>> = const { RefCell::new(BTreeMap::new()) };
    static ED25519: WebCryptoAlgorithm = WebCryptoAlgorithm {
        import: JsValue::from_str("Ed25519"),
        verify: JsValue::from_str("Ed25519"),
    };
    static ECDSA_P384: WebCryptoAlgorithm = WebCryptoAlgorithm {
        import: js_sys::JSON::parse(r#"{"name":"ECDSA","namedCurve":"P-384"}"#).unwrap_or_default(),
        verify: js_sys::JSON::parse(r#"{"name":"ECDSA","hash":"SHA-384"}"#).unwrap_or_default(),
    };
    static VERIFY_USAGE: JsValue = Array::of1(&JsValue::from_str("verify")).into();
}

/// The check's result: `Ok` when the signature bytes verify.
pub async fn check(pending: &PendingCheck<'_>, ed25519: Ed25519Check) -> Result<()> {
    let by_host = match pending.alg {
        Algorithm::Ed25519 => ed25519 == Ed25519Check::WebCrypto,
        Algorithm::EcdsaP384Sha384 => pending.key.is_host_only(),
        _ => false,
    };
    if by_host && let Some(valid) = webcrypto(pending).await {
        return pending.settle(valid);
    }
    // The core's check; for a host-only key whose WebCrypto check failed to run, this
    // leaves the signature unverified (`unsupported_key`), never verified.
    pending.check()
}

/// WebCrypto's answer, or `None` when it may not or could not answer (the core decides).
async fn webcrypto(pending: &PendingCheck<'_>) -> Option<bool> {
    let algorithm: &'static std::thread::LocalKey<WebCryptoAlgorithm> = match pending.alg {
        Algorithm::Ed25519 => &ED25519,
        Algorithm::EcdsaP384Sha384 => &ECDSA_P384,
        _ => return None,
    };
    if !pending.host_may_check() {
        return None;
    }
    // Imported keys are found by the key's thumbprint, computed when the key was made (it
    // names the key type and every public member), so a warm request builds no JWK.
    let thumbprint: [u8; 43] = pending.key.thumbprint_str()?.as_bytes().try_into().ok()?;
    let key = match IMPORTED.with(|m| m.borrow().get(&thumbprint).cloned()) {
        Some(k) => k,
        None => {
            let key = import(pending, algorithm).await?;
            IMPORTED.with(|m| {
                let mut m = m.borrow_mut();
                if m.len() >= MAX_IMPORTED_KEYS {
                    m.clear();
                }
                m.insert(thumbprint, key.clone());
            });
            key
        }
    };
    let promise = algorithm
        .with(|a| subtle_verify(&a.verify, &key, &pending.signature, pending.base.as_bytes()));
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Imports the pending check's key into WebCrypto: Ed25519 as its raw 32 bytes, other
/// families as a public JWK.
async fn import(
    pending: &PendingCheck<'_>,
    algorithm: &'static std::thread::LocalKey<WebCryptoAlgorithm>,
) -> Option<JsValue> {
    let jwk = pending.host_jwk()?;
    let (format, data): (&str, JsValue) = match pending.alg {
        Algorithm::Ed25519 => {
            let x = jwk.get("x").and_then(|v| v.as_str())?;
            let raw = httpseal::b64::url_decode(x).ok()?;
            ("raw", Uint8Array::from(raw.as_slice()).into())
        }
        _ => {
            let text = serde_json::to_string(&jwk).ok()?;
            ("jwk", js_sys::JSON::parse(&text).ok()?)
        }
    };
    let promise = algorithm
        .with(|a| VERIFY_USAGE.with(|u| subtle_import_key(format, &data, &a.import, false, u)));
    JsFuture::from(promise.ok()?).await.ok()
}
