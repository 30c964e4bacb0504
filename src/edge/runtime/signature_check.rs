//! The host's half of a signature check: Ed25519 with the platform's WebCrypto
//! (`crypto.subtle.verify`, native code in workerd) where the core's host-check rules allow
//! it ([`crate::PendingCheck::host_jwk`], [`crate::PendingCheck::settle`]: weak keys and
//! small-order points stay with the core, and a "false" is confirmed by the core); every
//! other check — and all of them under `ED25519_VERIFIER = "wasm"` — by the core's Rust code.
//!
//! Imported WebCrypto keys are kept per isolate (importing costs about as much as a
//! verification), bounded so that clients naming many keys cannot grow memory.

use crate::edge::config::Ed25519Check;
use crate::{Algorithm, PendingCheck, Result};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::RefCell;
use worker::js_sys::{self, Array, Function, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;

/// Imported keys kept per isolate.
const MAX_IMPORTED_KEYS: usize = 64;

crate::edge::std::thread_local! {
    static IMPORTED: RefCell<BTreeMap<Vec<u8>, JsValue>> = const { RefCell::new(BTreeMap::new()) };
}

/// The check's result: `Ok` when the signature bytes verify.
pub async fn check(pending: &PendingCheck<'_>, ed25519: Ed25519Check) -> Result<()> {
    if pending.alg == Algorithm::Ed25519
        && ed25519 == Ed25519Check::WebCrypto
        && let Some(raw) = host_ed25519_key(pending)
    {
        // A platform failure (not a bad signature) falls back to the core's check.
        if let Ok(valid) = webcrypto_ed25519(&raw, pending).await {
            return pending.settle(valid);
        }
    }
    pending.check()
}

/// The 32-byte public key to import, when the core lets the host check this signature.
fn host_ed25519_key(pending: &PendingCheck<'_>) -> Option<Vec<u8>> {
    let jwk = pending.host_jwk()?;
    let x = jwk.get("x")?.as_str()?;
    crate::b64::url_decode(x).ok().filter(|b| b.len() == 32)
}

async fn webcrypto_ed25519(
    raw: &[u8],
    pending: &PendingCheck<'_>,
) -> core::result::Result<bool, JsValue> {
    let subtle = Reflect::get(
        &Reflect::get(&js_sys::global(), &"crypto".into())?,
        &"subtle".into(),
    )?;
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"Ed25519".into())?;
    let key = match IMPORTED.with(|m| m.borrow().get(raw).cloned()) {
        Some(k) => k,
        None => {
            let import: Function = Reflect::get(&subtle, &"importKey".into())?.dyn_into()?;
            let args = Array::of5(
                &"raw".into(),
                &Uint8Array::from(raw),
                &algorithm,
                &JsValue::FALSE,
                &Array::of1(&"verify".into()),
            );
            let promise: Promise = import.apply(&subtle, &args)?.dyn_into()?;
            let key = JsFuture::from(promise).await?;
            IMPORTED.with(|m| {
                let mut m = m.borrow_mut();
                if m.len() >= MAX_IMPORTED_KEYS {
                    m.clear();
                }
                m.insert(raw.to_vec(), key.clone());
            });
            key
        }
    };
    let verify: Function = Reflect::get(&subtle, &"verify".into())?.dyn_into()?;
    let args = Array::of4(
        &algorithm,
        &key,
        &Uint8Array::from(pending.signature.as_slice()),
        &Uint8Array::from(pending.base.as_bytes()),
    );
    let promise: Promise = verify.apply(&subtle, &args)?.dyn_into()?;
    Ok(JsFuture::from(promise).await?.as_bool().unwrap_or(false))
}
