//! The platform clock: `Date.now()` (std's `SystemTime::now()` panics on wasm32).

/// Seconds since the UNIX epoch.
pub fn now_seconds() -> u64 {
    worker::Date::now().as_millis() / 1000
}
