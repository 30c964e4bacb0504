//! Random bytes from the platform (`crypto.getRandomValues`): the core draws none itself.

use worker::js_sys::{self, Function, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};

/// `N` random bytes.
pub fn bytes<const N: usize>() -> worker::Result<[u8; N]> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?;
    let get: Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))?.dyn_into()?;
    let array = Uint8Array::new_with_length(N as u32);
    get.call1(&crypto, &array)?;
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    Ok(out)
}
