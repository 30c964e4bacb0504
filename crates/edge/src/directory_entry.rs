//! What the Worker holds about one agent's key directory, and what to do about it at a
//! given time.
//!
//! The record is the core's [`CachedDirectory`] — the same JSON is kept in KV — and the
//! caching rules are the core's ([`CachedDirectory::state`]): fresh keys are used; stale
//! keys are used while a refresh runs in the background; after a failed refresh they are
//! used without fetching until the backoff ends (stale-on-error); a failed lookup with no
//! keys is remembered for at most five minutes (negative caching); anything else is
//! fetched. In memory, the record travels with its parsed key set, so a warm request never
//! parses JSON.

use alloc::rc::Rc;
use alloc::string::String;
use httpseal::JwkSet;
use httpseal::webbotauth::{CacheState, CachedDirectory};

/// One agent directory as held in the isolate's memory.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// The record (what KV stores).
    pub record: CachedDirectory,
    /// The keys of `record.body`, parsed once (`None` when the record holds no body).
    pub keys: Option<Rc<JwkSet>>,
}

/// What a verification does with an entry at a given time.
#[derive(Debug, Clone)]
pub enum Step {
    /// Use these keys; no fetch.
    Use(Rc<JwkSet>),
    /// Use these (stale) keys and refresh the directory in the background.
    UseAndRefresh(Rc<JwkSet>),
    /// No keys, and a recent attempt failed: do not fetch yet (the reason).
    Unavailable(String),
    /// Nothing usable: fetch now.
    Fetch,
}

impl DirectoryEntry {
    /// An entry from a record, its body parsed with the directory rules at `now`. A body
    /// that no longer parses (a record written by another version) counts as no body.
    pub fn from_record(record: CachedDirectory, now: u64) -> Self {
        let keys = match record.keys(now) {
            Some(Ok(set)) => Some(Rc::new(set)),
            Some(Err(_)) | None => None,
        };
        DirectoryEntry { record, keys }
    }

    /// What to do at `now`.
    pub fn step(&self, now: u64) -> Step {
        let state = self.record.state(now);
        match (state, &self.keys) {
            (CacheState::Fresh | CacheState::StaleBackingOff, Some(keys)) => {
                Step::Use(keys.clone())
            }
            (CacheState::Stale, Some(keys)) => Step::UseAndRefresh(keys.clone()),
            (CacheState::Failed, _) => Step::Unavailable(
                self.record
                    .last_error
                    .clone()
                    .unwrap_or_else(|| "the last fetch failed".into()),
            ),
            // A usable state without parsed keys cannot be used: fetch again.
            (CacheState::Fresh | CacheState::Stale | CacheState::StaleBackingOff, None)
            | (CacheState::Missing, _) => Step::Fetch,
        }
    }

    /// Whether this entry says more than `other` (it was fetched or attempted later), so
    /// that a copy another isolate wrote to KV replaces an older one in memory.
    pub fn is_newer_than(&self, other: &DirectoryEntry) -> bool {
        (self.record.fetched_at, self.record.retry_after)
            > (other.record.fetched_at, other.record.retry_after)
    }

    /// How long memory and KV keep the entry, in seconds from `now`.
    pub fn storage_ttl(&self, now: u64) -> u64 {
        self.record.storage_ttl(now)
    }
}

/// The KV key of the directory fetched from `url`: `dir:` and the URL's SHA-256 in
/// base64url (KV keys are at most 512 bytes; agent URLs may be longer). The URL itself is
/// in the entry's KV metadata, for operators listing the namespace.
pub fn kv_key(url: &str) -> String {
    use sha2::{Digest, Sha256};
    alloc::format!(
        "dir:{}",
        httpseal::b64::url_encode(&Sha256::digest(url.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::Error;
    use httpseal::webbotauth::{FIRST_RETRY_DELAY, Freshness, MAX_STALE};

    const DIR: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}"#;

    fn fetched(now: u64) -> DirectoryEntry {
        let freshness = Freshness {
            ttl: 600,
            shareable: true,
        };
        DirectoryEntry::from_record(CachedDirectory::fetched(DIR.into(), freshness, now), now)
    }

    fn down() -> Error {
        Error::DirectoryUnavailable("https://agent.example (fetch_failed: down)".into())
    }

    #[test]
    fn fresh_then_stale_then_backing_off_after_a_failed_refresh() {
        let e = fetched(1000);
        assert!(matches!(e.step(1000), Step::Use(k) if k.keys().len() == 1));
        assert!(matches!(e.step(1600), Step::UseAndRefresh(_)));
        let failed = DirectoryEntry {
            record: CachedDirectory::failed(Some(&e.record), &down(), 1600),
            keys: e.keys.clone(),
        };
        assert!(matches!(failed.step(1601), Step::Use(_)), "stale-on-error");
        assert!(matches!(
            failed.step(1600 + FIRST_RETRY_DELAY),
            Step::UseAndRefresh(_)
        ));
        assert!(failed.is_newer_than(&e));
        assert!(!e.is_newer_than(&failed));
        assert!(matches!(e.step(1600 + MAX_STALE), Step::Fetch));
    }

    #[test]
    fn negative_entries_say_why_until_the_retry() {
        let n = DirectoryEntry::from_record(CachedDirectory::failed(None, &down(), 100), 100);
        match n.step(101) {
            Step::Unavailable(why) => assert!(why.contains("fetch_failed: down"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(n.step(100 + FIRST_RETRY_DELAY), Step::Fetch));
        assert!(n.storage_ttl(100) >= 60);
    }

    #[test]
    fn kv_keys_are_short_and_stable() {
        let k = kv_key("https://agent.example/.well-known/http-message-signatures-directory");
        assert!(k.starts_with("dir:") && k.len() == 4 + 43, "{k}");
        assert_eq!(
            k,
            kv_key("https://agent.example/.well-known/http-message-signatures-directory")
        );
        assert_ne!(k, kv_key("https://agent.example/keys.json"));
    }

    #[test]
    fn a_record_whose_body_no_longer_parses_is_fetched_again() {
        let freshness = Freshness {
            ttl: 600,
            shareable: true,
        };
        let e = DirectoryEntry::from_record(
            CachedDirectory::fetched("not json".into(), freshness, 10),
            10,
        );
        assert!(e.keys.is_none());
        assert!(matches!(e.step(11), Step::Fetch));
    }
}
