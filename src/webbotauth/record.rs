//! What a verifier holds about one agent's key directory, and what to do with it at a
//! given time: the record a host's store keeps (in memory, in KV) for the verifier job.
//!
//! The record is the core's [`CachedDirectory`] — the JSON a shared store keeps — with its
//! keys parsed once, so a host that keeps records in memory verifies a warm request without
//! parsing JSON. The caching rules are [`CachedDirectory::state`]'s: fresh keys are used;
//! stale keys are used while a refresh runs in the background; after a failed refresh they
//! are used without fetching until the back-off ends (stale-on-error); a failed lookup with
//! no keys is remembered for at most five minutes (negative caching); anything else is
//! fetched.

use super::cache::{CacheState, CachedDirectory, ProofStatus};
use super::failure::DiscoveryFailure;
use crate::jwk::JwkSet;
use alloc::string::String;
use alloc::sync::Arc;

/// One directory as a host's store keeps it.
#[derive(Debug, Clone)]
pub struct DirectoryRecord {
    cached: CachedDirectory,
    keys: Option<Arc<JwkSet>>,
}

/// What the verifier does with a record at a given time.
#[derive(Debug, Clone)]
pub enum RecordUse {
    /// Use these keys; no fetch.
    Use(Arc<JwkSet>),
    /// Use these (stale) keys and refresh the directory in the background.
    UseAndRefresh(Arc<JwkSet>),
    /// No keys, and a recent attempt failed: do not fetch yet.
    Unavailable(DiscoveryFailure),
    /// Nothing usable: fetch now.
    Fetch,
}

impl DirectoryRecord {
    /// A record of `cached`, its body parsed with the directory rules at `now`. A body that
    /// no longer parses (written by another version) counts as no body.
    pub fn new(cached: CachedDirectory, now: u64) -> Self {
        let keys = match cached.keys(now) {
            Some(Ok(set)) => Some(Arc::new(set)),
            Some(Err(_)) | None => None,
        };
        DirectoryRecord { cached, keys }
    }

    /// A record with keys parsed already (the job's acceptance of a fetched document).
    pub(crate) fn with_keys(cached: CachedDirectory, keys: JwkSet) -> Self {
        DirectoryRecord {
            cached,
            keys: Some(Arc::new(keys)),
        }
    }

    /// The record after a failed attempt: `cached` (from [`CachedDirectory::failed`]) with
    /// the keys `previous` held, parsed already.
    pub(crate) fn failed(cached: CachedDirectory, previous: Option<&DirectoryRecord>) -> Self {
        DirectoryRecord {
            keys: previous.and_then(|p| p.keys.clone()),
            cached,
        }
    }

    /// A record read back from a shared store ([`Self::to_stored`]); `None` when the text
    /// is not a record (a host then treats it as missing).
    pub fn from_stored(text: &str, now: u64) -> Option<Self> {
        CachedDirectory::from_json(text)
            .ok()
            .map(|c| DirectoryRecord::new(c, now))
    }

    /// The text a shared store keeps.
    pub fn to_stored(&self) -> String {
        self.cached.to_json()
    }

    /// The record itself.
    pub fn cached(&self) -> &CachedDirectory {
        &self.cached
    }

    /// The parsed keys, when the record holds a body.
    pub fn keys(&self) -> Option<&Arc<JwkSet>> {
        self.keys.as_ref()
    }

    /// What the directory response's signatures proved.
    pub fn proof(&self) -> ProofStatus {
        self.cached.proof
    }

    /// The keys to use at `now`: the parsed ones, or — when a key's `nbf` or `exp` has
    /// passed since they were parsed — the body read again at `now`, so that an expired
    /// key stops verifying and a key rotated in ahead of time starts, whatever the record's
    /// freshness.
    fn keys_at(&self, now: u64) -> Option<Arc<JwkSet>> {
        let keys = self.keys.as_ref()?;
        if keys.holds_at(now) {
            return Some(keys.clone());
        }
        match self.cached.keys(now) {
            Some(Ok(set)) => Some(Arc::new(set)),
            Some(Err(_)) | None => None,
        }
    }

    /// What to do at `now`.
    pub fn use_at(&self, now: u64) -> RecordUse {
        let state = self.cached.state(now);
        let keys = match state {
            CacheState::Fresh | CacheState::Stale | CacheState::StaleBackingOff => {
                self.keys_at(now)
            }
            CacheState::Failed | CacheState::Missing => None,
        };
        match (state, keys) {
            (CacheState::Fresh | CacheState::StaleBackingOff, Some(keys)) => RecordUse::Use(keys),
            (CacheState::Stale, Some(keys)) => RecordUse::UseAndRefresh(keys),
            (CacheState::Failed, _) => RecordUse::Unavailable(DiscoveryFailure::Remembered {
                code: self
                    .cached
                    .last_code
                    .clone()
                    .unwrap_or_else(|| "directory_unavailable".into()),
                reason: self
                    .cached
                    .last_error
                    .clone()
                    .unwrap_or_else(|| "the last fetch failed".into()),
            }),
            // A usable state without parsed keys cannot be used: fetch again.
            (CacheState::Fresh | CacheState::Stale | CacheState::StaleBackingOff, None)
            | (CacheState::Missing, _) => RecordUse::Fetch,
        }
    }

    /// Whether this record says more than `other` (fetched or attempted later), so that a
    /// copy another isolate wrote to a shared store replaces an older one in memory.
    pub fn is_newer_than(&self, other: &DirectoryRecord) -> bool {
        (self.cached.fetched_at, self.cached.retry_after)
            > (other.cached.fetched_at, other.cached.retry_after)
    }

    /// How long a store keeps the record, in seconds from `now`: as long as it can still
    /// serve stale keys or hold back a retry.
    pub fn storage_ttl(&self, now: u64) -> u64 {
        self.cached.storage_ttl(now)
    }

    /// Whether a shared store (KV) may keep it: `Cache-Control: no-store` / `private`
    /// directories and remembered failures stay in the host's memory.
    pub fn shareable(&self) -> bool {
        self.cached.shareable && self.keys.is_some()
    }
}

/// The key under which stores keep the directory of the agent identified by `url` (the
/// job passes [`super::AgentLocation::identifier`], so every spelling of one URL shares a
/// record): `dir:` and the URL's SHA-256 in base64url (fixed length: KV keys are at most
/// 512 bytes, agent URLs may be longer).
pub fn store_key(url: &str) -> String {
    use sha2::{Digest, Sha256};
    alloc::format!(
        "dir:{}",
        crate::b64::url_encode(&Sha256::digest(url.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::webbotauth::{FIRST_RETRY_DELAY, Freshness, MAX_STALE};
    use alloc::string::ToString;

    const DIR: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}"#;

    fn fetched(now: u64) -> DirectoryRecord {
        let freshness = Freshness {
            ttl: 600,
            shareable: true,
        };
        DirectoryRecord::new(CachedDirectory::fetched(DIR.into(), freshness, now), now)
    }

    fn down() -> Error {
        Error::InvalidDirectory("down".into())
    }

    #[test]
    fn fresh_then_stale_then_backing_off_after_a_failed_refresh() {
        let e = fetched(1000);
        assert!(matches!(e.use_at(1000), RecordUse::Use(k) if k.keys().len() == 1));
        assert!(matches!(e.use_at(1600), RecordUse::UseAndRefresh(_)));
        let failed = DirectoryRecord {
            cached: CachedDirectory::failed(Some(&e.cached), &down(), 1600),
            keys: e.keys.clone(),
        };
        assert!(
            matches!(failed.use_at(1601), RecordUse::Use(_)),
            "stale-on-error"
        );
        assert!(matches!(
            failed.use_at(1600 + FIRST_RETRY_DELAY),
            RecordUse::UseAndRefresh(_)
        ));
        assert!(failed.is_newer_than(&e));
        assert!(!e.is_newer_than(&failed));
        assert!(matches!(e.use_at(1600 + MAX_STALE), RecordUse::Fetch));
    }

    #[test]
    fn negative_records_say_why_until_the_retry() {
        let n = DirectoryRecord::new(CachedDirectory::failed(None, &down(), 100), 100);
        match n.use_at(101) {
            RecordUse::Unavailable(why) => {
                assert_eq!(why.code(), "invalid_directory");
                assert!(why.to_string().contains("down"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            n.use_at(100 + FIRST_RETRY_DELAY),
            RecordUse::Fetch
        ));
        assert!(n.storage_ttl(100) >= 60);
        assert!(!n.shareable(), "a failure stays in memory");
    }

    #[test]
    fn key_windows_are_judged_when_the_keys_are_used() {
        // Two keys: the first expires at 1300, the second is valid from 1300.
        let body = r#"{"keys":[
            {"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs","exp":1300},
            {"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","nbf":1300}
        ]}"#;
        let freshness = Freshness {
            ttl: 600,
            shareable: true,
        };
        let e = DirectoryRecord::new(CachedDirectory::fetched(body.into(), freshness, 1000), 1000);
        let x = |use_: RecordUse| match use_ {
            RecordUse::Use(k) => k
                .keys()
                .iter()
                .map(|k| k.key.public_jwk()["x"].to_string())
                .collect::<alloc::vec::Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let first = x(e.use_at(1000));
        assert_eq!(first.len(), 1);
        assert!(first[0].contains("JrQL"));
        // Still fresh at 1300, but the first key's exp and the second's nbf have passed.
        let later = x(e.use_at(1300));
        assert_eq!(later.len(), 1);
        assert!(later[0].contains("11qY"));
        assert!(e.keys().unwrap().holds_at(1299) && !e.keys().unwrap().holds_at(1300));
    }

    #[test]
    fn store_keys_are_short_and_stable() {
        let k = store_key("https://agent.example/.well-known/http-message-signatures-directory");
        assert!(k.starts_with("dir:") && k.len() == 4 + 43, "{k}");
        assert_ne!(k, store_key("https://agent.example/keys.json"));
    }

    #[test]
    fn records_round_trip_through_a_shared_store() {
        let e = fetched(10);
        let back = DirectoryRecord::from_stored(&e.to_stored(), 11).unwrap();
        assert_eq!(back.keys().unwrap().keys().len(), 1);
        assert!(DirectoryRecord::from_stored("not json", 11).is_none());
        let broken = DirectoryRecord::new(
            CachedDirectory::fetched(
                "not json".into(),
                Freshness {
                    ttl: 600,
                    shareable: true,
                },
                10,
            ),
            10,
        );
        assert!(broken.keys().is_none());
        assert!(matches!(broken.use_at(11), RecordUse::Fetch));
    }
}
