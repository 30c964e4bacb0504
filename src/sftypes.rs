//! Which HTTP fields are Structured Fields, and of which type.
//!
//! RFC 9421 §2.1.1 lets a signer cover a field with `sf` only when "the application knows
//! the type": the verifier must re-serialise the value exactly as the signer did, so both
//! need the same table. This is the IANA field registry's "Structured Type" column for the
//! fields in use today; applications add their own through [`SfRegistry::with`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The three top-level Structured Field types (RFC 9651 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfType {
    /// A List.
    List,
    /// A Dictionary.
    Dictionary,
    /// An Item.
    Item,
}

/// Registered structured fields, sorted by name for binary search.
const REGISTERED: &[(&str, SfType)] = &[
    ("accept-ch", SfType::List),
    ("accept-signature", SfType::Dictionary),
    ("available-dictionary", SfType::Item),
    ("cache-status", SfType::List),
    ("cdn-cache-control", SfType::Dictionary),
    ("client-cert", SfType::Item),
    ("client-cert-chain", SfType::List),
    ("content-digest", SfType::Dictionary),
    ("cross-origin-embedder-policy", SfType::Item),
    ("cross-origin-embedder-policy-report-only", SfType::Item),
    ("cross-origin-opener-policy", SfType::Item),
    ("cross-origin-opener-policy-report-only", SfType::Item),
    ("dictionary-id", SfType::Item),
    ("idempotency-key", SfType::Item),
    ("origin-agent-cluster", SfType::Item),
    ("priority", SfType::Dictionary),
    ("proxy-status", SfType::List),
    ("repr-digest", SfType::Dictionary),
    ("sec-ch-ua", SfType::List),
    ("sec-ch-ua-mobile", SfType::Item),
    ("sec-ch-ua-platform", SfType::Item),
    ("signature", SfType::Dictionary),
    ("signature-agent", SfType::Dictionary),
    ("signature-input", SfType::Dictionary),
    ("signature-key", SfType::Dictionary),
    ("unencoded-digest", SfType::Dictionary),
    ("use-as-dictionary", SfType::Dictionary),
    ("want-content-digest", SfType::Dictionary),
    ("want-repr-digest", SfType::Dictionary),
];

/// The structured-field types known to a signer or verifier: the registered fields plus
/// any the application adds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SfRegistry {
    extra: Vec<(String, SfType)>,
}

impl SfRegistry {
    /// The registered fields only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or overrides) the type of a field; the name is matched case-insensitively.
    pub fn with(mut self, name: &str, ty: SfType) -> Self {
        self.extra.push((name.to_ascii_lowercase(), ty));
        self
    }

    /// The type of a field, given its lowercase name.
    pub fn type_of(&self, name: &str) -> Option<SfType> {
        if let Some((_, ty)) = self.extra.iter().rev().find(|(n, _)| n == name) {
            return Some(*ty);
        }
        REGISTERED
            .binary_search_by(|(n, _)| n.cmp(&name))
            .ok()
            .map(|i| REGISTERED[i].1)
    }

    /// The fields added by the application.
    pub fn extra(&self) -> impl Iterator<Item = (&str, SfType)> {
        self.extra.iter().map(|(n, t)| (n.as_str(), *t))
    }
}

impl core::str::FromStr for SfType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "list" => Ok(SfType::List),
            "dictionary" | "dict" => Ok(SfType::Dictionary),
            "item" => Ok(SfType::Item),
            other => Err(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_lookups_work() {
        assert!(REGISTERED.windows(2).all(|w| w[0].0 < w[1].0));
        let r = SfRegistry::new();
        assert_eq!(r.type_of("content-digest"), Some(SfType::Dictionary));
        assert_eq!(r.type_of("example-dict"), None);
        let r = r.with("Example-Dict", SfType::Dictionary);
        assert_eq!(r.type_of("example-dict"), Some(SfType::Dictionary));
    }
}
