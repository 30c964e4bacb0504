//! The signature check of [`crate::edge::stepwise`]: Ed25519 with the platform's WebCrypto
//! (`crypto.subtle.verify`, native code in workerd), every other algorithm — and Ed25519
//! when `ED25519_VERIFIER = "wasm"` — with the core's Rust implementation.
//!
//! Imported WebCrypto keys are kept per isolate (importing costs about as much as a
//! verification), bounded so that clients naming many keys cannot grow memory.

use crate::Algorithm;
use crate::edge::config::Ed25519Check;
use crate::edge::stepwise::{PendingCheck, core_check};
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

/// Whether `pending`'s signature is valid.
pub async fn check(pending: &PendingCheck, ed25519: Ed25519Check) -> bool {
    if pending.alg == Algorithm::Ed25519 && ed25519 == Ed25519Check::WebCrypto {
        // A platform failure (not a bad signature) falls back to the core's check.
        if let Ok(valid) = webcrypto_ed25519(pending).await {
            return valid;
        }
    }
    core_check(pending)
}

async fn webcrypto_ed25519(pending: &PendingCheck) -> Result<bool, JsValue> {
    let raw = raw_ed25519_public(pending).ok_or_else(|| JsValue::from_str("not an Ed25519 key"))?;
    let subtle = Reflect::get(
        &Reflect::get(&js_sys::global(), &"crypto".into())?,
        &"subtle".into(),
    )?;
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"Ed25519".into())?;
    let key = match IMPORTED.with(|m| m.borrow().get(&raw).cloned()) {
        Some(k) => k,
        None => {
            let usages = Array::of1(&"verify".into());
            let import: Function = Reflect::get(&subtle, &"importKey".into())?.dyn_into()?;
            let args = Array::of5(
                &"raw".into(),
                &Uint8Array::from(raw.as_slice()),
                &algorithm,
                &JsValue::FALSE,
                &usages,
            );
            let promise: Promise = import.apply(&subtle, &args)?.dyn_into()?;
            let key = JsFuture::from(promise).await?;
            IMPORTED.with(|m| {
                let mut m = m.borrow_mut();
                if m.len() >= MAX_IMPORTED_KEYS {
                    m.clear();
                }
                m.insert(raw, key.clone());
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

/// The 32-byte public key of an Ed25519 key (the JWK's `x`).
fn raw_ed25519_public(pending: &PendingCheck) -> Option<Vec<u8>> {
    let jwk = pending.key.to_public().public_jwk();
    let x = jwk.get("x")?.as_str()?;
    crate::b64::url_decode(x).ok().filter(|b| b.len() == 32)
}
