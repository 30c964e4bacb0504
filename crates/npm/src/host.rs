//! The platform inputs of the sans-IO core: the clock and random bytes. Only the npm layer
//! calls these; the core takes their results as plain arguments.

use super::error::JsResult;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `crypto.getRandomValues` (Web Crypto; a global in browsers, Deno, workerd, Node ≥ 19).
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;

    /// `Date.now()`: milliseconds since the UNIX epoch.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// `N` bytes from the platform's CSPRNG.
pub fn random<const N: usize>() -> JsResult<[u8; N]> {
    let mut buf = [0u8; N];
    get_random_values(&mut buf)?;
    Ok(buf)
}

/// The current UNIX time in whole seconds.
pub fn now() -> u64 {
    // Date.now() is milliseconds since the epoch as a non-negative f64.
    (date_now() / 1000.0) as u64
}
