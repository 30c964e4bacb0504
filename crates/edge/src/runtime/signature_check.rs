//! The host's half of a signature check: the platform's WebCrypto (`crypto.subtle.verify`,
//! native code in workerd) where the core's host-check rules allow it
//! ([`httpseal::job::Check::host_may_check`]; the job settles a "false" itself):
//! - Ed25519, unless `ED25519_VERIFIER = "wasm"`;
//! - keys of families the Worker does not compile in (P-384, `host-keys`): only WebCrypto
//!   can check them.
//!
//! Every other check is left to the core. WebCrypto is called through direct bindings to
//! `crypto.subtle` (one crossing per call; the signature and the base are handed over as
//! views of wasm memory, which WebCrypto copies before the call returns). Imported keys are
//! kept per isolate by thumbprint (importing costs about as much as a verification), bounded
//! so that clients naming many keys cannot grow memory.

use crate::config::Ed25519Check;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::RefCell;
use futures_util::future::LocalBoxFuture;
use httpseal::Algorithm;
use httpseal::job::Check;
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

type Algorithms = &'static std::thread::LocalKey<WebCryptoAlgorithm>;

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

/// WebCrypto's answer to come (`None` inside: it could not answer, the core decides), or
/// `None` when the check is the core's.
pub fn start(
    check: &Check<'_>,
    ed25519: Ed25519Check,
) -> Option<LocalBoxFuture<'static, Option<bool>>> {
    let by_host = match check.alg {
        Algorithm::Ed25519 => ed25519 == Ed25519Check::WebCrypto,
        Algorithm::EcdsaP384Sha384 => check.key.is_host_only(),
        _ => false,
    };
    let algorithm: Algorithms = match check.alg {
        Algorithm::Ed25519 => &ED25519,
        Algorithm::EcdsaP384Sha384 => &ECDSA_P384,
        _ => return None,
    };
    if !by_host || !check.host_may_check() {
        return None;
    }
    let thumbprint: [u8; 43] = check.thumbprint()?.as_bytes().try_into().ok()?;
    if let Some(key) = IMPORTED.with(|m| m.borrow().get(&thumbprint).cloned()) {
        // A warm key: the bytes are copied by WebCrypto now, the answer comes later.
        let promise = algorithm
            .with(|a| subtle_verify(&a.verify, &key, check.signature, check.base))
            .ok()?;
        return Some(Box::pin(async move {
            JsFuture::from(promise).await.ok()?.as_bool()
        }));
    }
    let jwk = check.host_jwk()?;
    let (format, data): (&'static str, JsValue) = match check.alg {
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
    let signature: Vec<u8> = check.signature.to_vec();
    let base: Vec<u8> = check.base.to_vec();
    Some(Box::pin(async move {
        let promise = algorithm
            .with(|a| VERIFY_USAGE.with(|u| subtle_import_key(format, &data, &a.import, false, u)))
            .ok()?;
        let key = JsFuture::from(promise).await.ok()?;
        IMPORTED.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= MAX_IMPORTED_KEYS {
                m.clear();
            }
            m.insert(thumbprint, key.clone());
        });
        let promise = algorithm
            .with(|a| subtle_verify(&a.verify, &key, &signature, &base))
            .ok()?;
        JsFuture::from(promise).await.ok()?.as_bool()
    }))
}
