//! Reads [`Config`] from the Worker's environment, once per isolate while it is unchanged.

use crate::config::{Config, ConfigError, vars};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use worker::{Env, js_sys, wasm_bindgen::JsValue};

/// The variables' raw values, in the order of [`vars::ALL`] (kept to show what was parsed).
type RawVars = Vec<Option<String>>;
/// A parse result shared by the requests of one isolate.
type Parsed = Rc<Result<Config, ConfigError>>;

std::thread_local! {
    /// The raw values and what they parsed to. Parsing keys (RSA in particular) costs far
    /// more than reading nine variables, so it happens only when a value changes.
    static CACHE: RefCell<Option<(RawVars, Parsed)>> = const { RefCell::new(None) };
}

/// A variable as text: strings as they are; booleans as `true`/`false`; numbers
/// (`CLOCK_SKEW_SECONDS = 60` in TOML) and tables (`TRUSTED_JWKS = { keys = [...] }`) as
/// JSON — JavaScript formats them, which keeps float formatting out of the wasm.
fn read(env: &Env, name: &str) -> Option<String> {
    let v = js_sys::Reflect::get(env, &JsValue::from_str(name)).ok()?;
    if v.is_undefined() || v.is_null() {
        return None;
    }
    if let Some(s) = v.as_string() {
        return Some(s);
    }
    if let Some(b) = v.as_bool() {
        return Some(String::from(if b { "true" } else { "false" }));
    }
    js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string())
}

/// The configuration, or the error naming the first bad variable.
///
/// Read once per isolate: a Worker's variables and secrets cannot change under a running
/// isolate (a new deployment or `wrangler secret put` starts new isolates), and reading
/// eleven bindings across the JS boundary on every request costs measurable CPU.
pub fn load(env: &Env) -> Parsed {
    if let Some(parsed) = CACHE.with(|c| c.borrow().as_ref().map(|(_, p)| p.clone())) {
        return parsed;
    }
    let raw: Vec<Option<String>> = vars::ALL.iter().map(|name| read(env, name)).collect();
    CACHE.with(|cache| {
        let parsed = Rc::new(Config::from_lookup(|name| {
            vars::ALL
                .iter()
                .position(|n| *n == name)
                .and_then(|i| raw[i].clone())
        }));
        *cache.borrow_mut() = Some((raw, parsed.clone()));
        parsed
    })
}
