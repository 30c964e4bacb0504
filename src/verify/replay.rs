//! Replay protection (RFC 9421 §7.2.2): under which key a nonce is remembered, and for how
//! long — one formula for every host's store (a Workers KV namespace, a Durable Object, a
//! `Map`).
//!
//! A nonce is remembered until the signature that carries it can no longer be accepted:
//! `expires` + skew; without `expires`, `created` + the policy's maximum age + skew; with
//! neither, [`DEFAULT_REPLAY_WINDOW`] from now (such a signature could be replayed after it,
//! so profiles that care require `expires`).

use super::policy::Policy;
use crate::b64;
use crate::input::SignatureParams;
use alloc::format;
use alloc::string::String;
use sha2::{Digest, Sha256};

/// How long a nonce is remembered when the signature bounds its own acceptance by neither
/// `expires` nor a maximum age, seconds.
pub const DEFAULT_REPLAY_WINDOW: u64 = 24 * 3600;

/// The shortest time a store is asked to keep a nonce, seconds (Workers KV refuses
/// expirations closer than 60 s).
pub const MIN_REPLAY_TTL: u64 = 60;

/// Where and how long one nonce is remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayEntry {
    /// The store key: `nonce:` and base64url(SHA-256(keyid, 0, nonce)) — fixed length
    /// whatever the client sends, and scoped by key so two signers never collide.
    pub key: String,
    /// Until when (UNIX seconds) the signature could be accepted.
    pub until: u64,
    /// Seconds from now to keep the entry (at least [`MIN_REPLAY_TTL`]).
    pub ttl: u64,
}

/// The replay entry of a signature with `params` that verified at `now` under `policy`;
/// `None` when it carries no nonce.
pub fn replay_entry(params: &SignatureParams, policy: &Policy, now: u64) -> Option<ReplayEntry> {
    let nonce = params.nonce()?;
    let until = params
        .expires()
        .or_else(|| {
            let (created, max_age) = (params.created()?, policy.max_age?);
            Some(created.saturating_add(max_age))
        })
        .unwrap_or(now.saturating_add(DEFAULT_REPLAY_WINDOW))
        .saturating_add(policy.skew);
    Some(ReplayEntry {
        key: replay_key(params.keyid(), nonce),
        until,
        ttl: until.saturating_sub(now).max(MIN_REPLAY_TTL),
    })
}

/// The store key of a nonce used by `keyid`.
pub fn replay_key(keyid: Option<&str>, nonce: &str) -> String {
    let mut h = Sha256::new();
    h.update(keyid.unwrap_or_default().as_bytes());
    h.update([0]);
    h.update(nonce.as_bytes());
    format!("nonce:{}", b64::url_encode(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> SignatureParams {
        SignatureParams::parse(text).unwrap()
    }

    #[test]
    fn keys_are_fixed_length_and_scoped_by_keyid() {
        let long = "n".repeat(4000);
        assert_eq!(
            replay_key(Some("k"), &long).len(),
            replay_key(Some("k"), "x").len()
        );
        assert!(replay_key(Some("k"), "x").len() < 512);
        assert_ne!(replay_key(Some("a"), "x"), replay_key(Some("b"), "x"));
        assert_ne!(replay_key(Some("ab"), "c"), replay_key(Some("a"), "bc"));
    }

    #[test]
    fn remembered_until_the_signature_can_no_longer_be_accepted() {
        let p = Policy::default(); // skew 60, no max age
        let e = replay_entry(
            &params(r#"("@authority");created=1000;expires=1300;nonce="n""#),
            &p,
            1000,
        )
        .unwrap();
        assert_eq!((e.until, e.ttl), (1360, 360));
        let with_age = Policy {
            max_age: Some(600),
            ..Policy::default()
        };
        let e = replay_entry(
            &params(r#"("@authority");created=1000;nonce="n""#),
            &with_age,
            1000,
        )
        .unwrap();
        assert_eq!(e.until, 1660);
        let e = replay_entry(&params(r#"("@authority");nonce="n""#), &p, 1000).unwrap();
        assert_eq!(e.until, 1000 + DEFAULT_REPLAY_WINDOW + 60);
        let e = replay_entry(
            &params(r#"("@authority");expires=1000;nonce="n""#),
            &Policy {
                skew: 0,
                ..Policy::default()
            },
            1000,
        )
        .unwrap();
        assert_eq!(e.ttl, MIN_REPLAY_TTL);
        assert!(replay_entry(&params(r#"("@authority");created=1"#), &p, 1000).is_none());
    }
}
