//! Where a nonce is recorded in the nonce KV namespace, and for how long.
//!
//! The key is a hash of (keyid, nonce): fixed length whatever the client sends (KV keys
//! are at most 512 bytes), and two signers cannot collide on each other's nonces.

use alloc::format;
use alloc::string::String;
use httpseal::b64;
use sha2::{Digest, Sha256};

/// KV refuses expirations closer than 60 s.
pub const MIN_KV_TTL: u64 = 60;

/// The KV key of a nonce used by `keyid`.
pub fn kv_key(keyid: Option<&str>, nonce: &str) -> String {
    let mut h = Sha256::new();
    h.update(keyid.unwrap_or_default().as_bytes());
    h.update([0]);
    h.update(nonce.as_bytes());
    format!("nonce:{}", b64::url_encode(&h.finalize()))
}

/// How long to remember a nonce: until the signature can no longer be accepted
/// (`expires` + skew, else `created` + max lifetime + skew), at least KV's minimum.
pub fn ttl(
    expires: Option<u64>,
    created: Option<u64>,
    max_lifetime: u64,
    skew: u64,
    now: u64,
) -> u64 {
    let until = expires
        .or_else(|| created.map(|c| c.saturating_add(max_lifetime)))
        .unwrap_or(now.saturating_add(max_lifetime))
        .saturating_add(skew);
    until.saturating_sub(now).max(MIN_KV_TTL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fixed_length_and_scoped_by_keyid() {
        let long = "n".repeat(4000);
        assert_eq!(kv_key(Some("k"), &long).len(), kv_key(Some("k"), "x").len());
        assert!(kv_key(Some("k"), "x").len() < 512);
        assert_ne!(kv_key(Some("a"), "x"), kv_key(Some("b"), "x"));
        assert_ne!(kv_key(Some("ab"), "c"), kv_key(Some("a"), "bc"));
        assert_eq!(kv_key(Some("a"), "x"), kv_key(Some("a"), "x"));
    }

    #[test]
    fn remembered_until_the_signature_expires() {
        assert_eq!(ttl(Some(1300), Some(1000), 86_400, 60, 1000), 360);
        assert_eq!(ttl(None, Some(1000), 600, 60, 1000), 660);
        assert_eq!(ttl(Some(1000), None, 600, 0, 1000), MIN_KV_TTL);
        assert_eq!(ttl(None, None, 600, 60, 1000), 660);
    }
}
