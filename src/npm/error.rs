//! Errors thrown to JavaScript: an `Error` whose `message` is the core's text and whose
//! `code` is [`Error::code`], the stable machine-readable code shared with the CLI and the
//! Worker. JS callers branch on `err.code`, never on the message.

use crate::error::Error;
use alloc::string::ToString;
use wasm_bindgen::JsValue;

/// What an export returns: a value, or the JS `Error` to throw.
pub type JsResult<T> = core::result::Result<T, JsValue>;

/// Builds the JS `Error` for a core error.
pub fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

/// `?` for core results inside an export.
pub trait OrThrow<T> {
    /// Maps the core error to the JS `Error` to throw.
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for crate::Result<T> {
    fn or_throw(self) -> JsResult<T> {
        self.map_err(|e| js_error(&e))
    }
}
