//! Errors thrown to JavaScript: an `Error` whose `message` is the core's text and whose
//! `code` is [`Error::code`], the stable machine-readable code shared with the CLI and the
//! Worker. JS callers branch on `err.code`, never on the message.

use alloc::string::ToString;
use httpseal::error::Error;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

// The two things needed from JavaScript's `Error`, declared here rather than taken from
// `js-sys` (whose generic bindings cost more than these two imports).
#[wasm_bindgen]
extern "C" {
    /// A JavaScript `Error`.
    #[wasm_bindgen(js_name = Error)]
    type JsError;

    /// `new Error(message)`.
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;

    /// `error.code = code`.
    #[wasm_bindgen(method, setter = code)]
    fn set_code(this: &JsError, code: &str);
}

/// What an export returns: a value, or the JS `Error` to throw.
pub type JsResult<T> = core::result::Result<T, JsValue>;

/// Builds the JS `Error` for a core error.
pub fn js_error(e: &Error) -> JsValue {
    coded_error(e.code(), &e.to_string())
}

/// A JS `Error` with `code` and `message` (for codes that are not the core's, such as a
/// gateway's `invalid_configuration`).
pub fn coded_error(code: &str, message: &str) -> JsValue {
    let err = JsError::new(message);
    err.set_code(code);
    err.into()
}

/// `?` for core results inside an export.
pub trait OrThrow<T> {
    /// Maps the core error to the JS `Error` to throw.
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for httpseal::Result<T> {
    fn or_throw(self) -> JsResult<T> {
        self.map_err(|e| js_error(&e))
    }
}
