//! The fuzz entry points (see `entries.rs`, shared with `tests/fuzz_regressions.rs`).
#[path = "entries.rs"]
mod entries;
pub use entries::*;
