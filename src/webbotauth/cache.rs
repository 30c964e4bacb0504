//! Directory caching rules, as pure functions of the time and what a fetch returned.
//!
//! The host (the Worker's memory cache and KV, or any other store) keeps a
//! [`CachedDirectory`] per agent and asks it what to do; the rules live here so every host
//! applies the same ones:
//! - freshness from `Cache-Control` (`s-maxage`, `max-age`), clamped to
//!   [[`MIN_DIRECTORY_TTL`], [`MAX_DIRECTORY_TTL`]]; `no-store`/`private` keep the directory
//!   out of shared storage;
//! - a failed fetch is cached for at most [`MAX_NEGATIVE_TTL`] (exponential backoff);
//! - when a refresh fails, the keys already held keep verifying ("stale-on-error"): an
//!   outage is not evidence, so it must not revoke keys at every verifier at once;
//! - a key is evicted only when a *successful* refresh no longer lists it.

use crate::error::{Error, Result};
use alloc::string::{String, ToString};
use serde::{Deserialize, Serialize};

/// Shortest freshness lifetime (also applied to `no-cache`/`no-store`), seconds.
pub const MIN_DIRECTORY_TTL: u64 = 60;
/// Longest freshness lifetime, seconds.
pub const MAX_DIRECTORY_TTL: u64 = 24 * 3600;
/// Freshness lifetime when the response carries no caching directive, seconds.
pub const DEFAULT_DIRECTORY_TTL: u64 = 3600;
/// Longest a failed lookup is remembered before the next attempt, seconds.
pub const MAX_NEGATIVE_TTL: u64 = 300;
/// First retry delay after a failure, seconds (doubles per consecutive failure).
pub const FIRST_RETRY_DELAY: u64 = 30;
/// How long stale keys keep verifying after their freshness ran out while refreshes
/// fail, seconds. A bound, so a directory that disappeared for good stops verifying.
pub const MAX_STALE: u64 = 7 * 24 * 3600;

/// How long a fetched directory stays fresh, and whether shared storage may keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Freshness {
    /// Seconds the directory is fresh.
    pub ttl: u64,
    /// Whether a shared cache (KV) may store it.
    pub shareable: bool,
}

/// Reads `Cache-Control` of a directory response.
pub fn directory_freshness(cache_control: Option<&str>) -> Freshness {
    let mut shareable = true;
    let mut max_age = None;
    let mut s_maxage = None;
    let mut no_cache = false;
    for directive in cache_control.unwrap_or_default().split(',') {
        let (name, value) = match directive.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
            None => (directive.trim(), None),
        };
        let seconds = || value.and_then(|v| v.parse::<u64>().ok());
        match name.to_ascii_lowercase().as_str() {
            "no-store" | "private" => shareable = false,
            "no-cache" => no_cache = true,
            "max-age" => max_age = max_age.or_else(seconds),
            "s-maxage" => s_maxage = s_maxage.or_else(seconds),
            _ => {}
        }
    }
    let ttl = if no_cache || !shareable {
        MIN_DIRECTORY_TTL
    } else {
        s_maxage.or(max_age).unwrap_or(DEFAULT_DIRECTORY_TTL)
    };
    Freshness {
        ttl: ttl.clamp(MIN_DIRECTORY_TTL, MAX_DIRECTORY_TTL),
        shareable,
    }
}

/// What a verifier holds about one agent's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedDirectory {
    /// The last directory body that was fetched and accepted, if any.
    pub body: Option<String>,
    /// When `body` was fetched.
    pub fetched_at: u64,
    /// Until when `body` is fresh.
    pub fresh_until: u64,
    /// No fetch before this time (backoff after failures).
    pub retry_after: u64,
    /// Consecutive failed fetches.
    pub failures: u32,
    /// The last failure, for diagnostics.
    pub last_error: Option<String>,
    /// The stable code of the last failure.
    #[serde(default)]
    pub last_code: Option<String>,
    /// Whether shared storage may keep the entry.
    pub shareable: bool,
    /// What the directory response's own signatures proved (draft -01 Appendix B): the
    /// keys are used either way, since the verifier fetched the URL itself.
    #[serde(default)]
    pub proof: ProofStatus,
}

/// What a directory response's signatures proved about its keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProofStatus {
    /// No directory response signature.
    #[default]
    Absent,
    /// Every directory response signature verified.
    Valid,
    /// A directory response signature failed: no domain binding.
    Invalid,
}

impl ProofStatus {
    /// The lowercase name (`absent`, `valid`, `invalid`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProofStatus::Absent => "absent",
            ProofStatus::Valid => "valid",
            ProofStatus::Invalid => "invalid",
        }
    }
}

/// What the cache says about an agent at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheState {
    /// Keys are fresh: use them, do not fetch.
    Fresh,
    /// Keys are stale: use them, and refresh (in the background if the host can).
    Stale,
    /// Stale and a recent refresh failed: use them, do not fetch yet.
    StaleBackingOff,
    /// No keys, and a recent fetch failed: do not fetch yet (negative cache).
    Failed,
    /// No usable entry: fetch.
    Missing,
}

impl CachedDirectory {
    /// The entry after a successful fetch of `body`: it replaces whatever was held, so a
    /// key the new directory no longer lists is gone.
    pub fn fetched(body: String, freshness: Freshness, now: u64) -> Self {
        CachedDirectory {
            body: Some(body),
            fetched_at: now,
            fresh_until: now + freshness.ttl,
            retry_after: now,
            failures: 0,
            last_error: None,
            last_code: None,
            shareable: freshness.shareable,
            proof: ProofStatus::Absent,
        }
    }

    /// [`Self::fetched`], with what the response's own signatures proved.
    pub fn with_proof(mut self, proof: ProofStatus) -> Self {
        self.proof = proof;
        self
    }

    /// The entry after a failed fetch: keys already held are kept (stale-on-error), and
    /// the next attempt waits `30 s × 2^(failures-1)`, at most [`MAX_NEGATIVE_TTL`].
    pub fn failed(previous: Option<&CachedDirectory>, error: &Error, now: u64) -> Self {
        let (code, reason) = match error {
            Error::DirectoryUnavailable { cause, .. } => (cause.code(), cause.to_string()),
            other => (other.code(), other.to_string()),
        };
        Self::failed_with(previous, code, reason, now)
    }

    /// [`Self::failed`] with the failure's code and reason.
    pub fn failed_with(
        previous: Option<&CachedDirectory>,
        code: &str,
        reason: String,
        now: u64,
    ) -> Self {
        let mut entry = previous.cloned().unwrap_or(CachedDirectory {
            body: None,
            fetched_at: 0,
            fresh_until: 0,
            retry_after: now,
            failures: 0,
            last_error: None,
            last_code: None,
            shareable: true,
            proof: ProofStatus::Absent,
        });
        entry.failures = entry.failures.saturating_add(1);
        let delay = FIRST_RETRY_DELAY.saturating_mul(1 << entry.failures.saturating_sub(1).min(8));
        entry.retry_after = now + delay.min(MAX_NEGATIVE_TTL);
        entry.last_error = Some(reason);
        entry.last_code = Some(code.to_string());
        entry
    }

    /// The state at `now`.
    pub fn state(&self, now: u64) -> CacheState {
        let usable = self.body.is_some() && now < self.fresh_until.saturating_add(MAX_STALE);
        match (usable, now < self.fresh_until, now < self.retry_after) {
            (true, true, _) => CacheState::Fresh,
            (true, false, false) => CacheState::Stale,
            (true, false, true) => CacheState::StaleBackingOff,
            (false, _, true) => CacheState::Failed,
            (false, _, false) => CacheState::Missing,
        }
    }

    /// The directory body to verify with at `now` (fresh or stale), if any.
    pub fn usable_body(&self, now: u64) -> Option<&str> {
        match self.state(now) {
            CacheState::Fresh | CacheState::Stale | CacheState::StaleBackingOff => {
                self.body.as_deref()
            }
            CacheState::Failed | CacheState::Missing => None,
        }
    }

    /// The keys to verify with at `now` (fresh or stale), read with the directory rules
    /// ([`super::parse_directory`]); `None` when the entry holds none. Hosts keep the parsed
    /// set in memory rather than calling this per request.
    pub fn keys(&self, now: u64) -> Option<Result<crate::jwk::JwkSet>> {
        self.usable_body(now)
            .map(|body| super::parse_directory(body.as_bytes(), now))
    }

    /// How long a store should keep this entry (seconds from `now`): as long as it can
    /// still serve stale keys; a failure without keys for five minutes (the longest
    /// back-off, Appendix C.5), so that a retry after a shorter back-off still finds the
    /// failure count and doubles the next wait.
    pub fn storage_ttl(&self, now: u64) -> u64 {
        let until = match self.body {
            Some(_) => self.fresh_until.saturating_add(MAX_STALE),
            None => self.retry_after.max(now.saturating_add(MAX_NEGATIVE_TTL)),
        };
        until.saturating_sub(now).max(MIN_DIRECTORY_TTL)
    }

    /// Serialises the entry for a key-value store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an entry back.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidDirectory(alloc::format!("bad cache entry: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_from_cache_control() {
        let f = |v: Option<&str>| directory_freshness(v);
        assert_eq!(
            f(Some("max-age=86400")),
            Freshness {
                ttl: 86400,
                shareable: true
            }
        );
        assert_eq!(f(Some("max-age=10")).ttl, MIN_DIRECTORY_TTL);
        assert_eq!(f(Some("max-age=999999")).ttl, MAX_DIRECTORY_TTL);
        assert_eq!(f(Some("public, max-age=600, s-maxage=1200")).ttl, 1200);
        assert_eq!(
            f(Some("no-store")),
            Freshness {
                ttl: MIN_DIRECTORY_TTL,
                shareable: false
            }
        );
        assert_eq!(f(Some("no-cache, max-age=3000")).ttl, MIN_DIRECTORY_TTL);
        assert_eq!(f(None).ttl, DEFAULT_DIRECTORY_TTL);
        assert_eq!(f(Some("max-age=\"120\"")).ttl, 120);
        assert_eq!(f(Some("max-age=abc")).ttl, DEFAULT_DIRECTORY_TTL);
    }

    #[test]
    fn stale_on_error_and_eviction_only_on_success() {
        let fresh = Freshness {
            ttl: 600,
            shareable: true,
        };
        let e = CachedDirectory::fetched("v1".into(), fresh, 1000);
        assert_eq!(e.state(1000), CacheState::Fresh);
        assert_eq!(e.state(1600), CacheState::Stale);
        // The refresh fails: keys stay usable, the next try waits.
        let failed = CachedDirectory::failed(Some(&e), &Error::InvalidDirectory("x".into()), 1600);
        assert_eq!(failed.state(1601), CacheState::StaleBackingOff);
        assert_eq!(failed.usable_body(1601), Some("v1"));
        assert_eq!(failed.state(1600 + FIRST_RETRY_DELAY), CacheState::Stale);
        // Backoff doubles and is capped at five minutes.
        let again =
            CachedDirectory::failed(Some(&failed), &Error::InvalidDirectory("x".into()), 2000);
        assert_eq!(again.retry_after, 2000 + 2 * FIRST_RETRY_DELAY);
        let mut many = again;
        for _ in 0..10 {
            many = CachedDirectory::failed(Some(&many), &Error::InvalidDirectory("x".into()), 3000);
        }
        assert_eq!(many.retry_after, 3000 + MAX_NEGATIVE_TTL);
        // A successful refresh replaces the keys.
        let v2 = CachedDirectory::fetched("v2".into(), fresh, 4000);
        assert_eq!(v2.usable_body(4000), Some("v2"));
        // A body that is not a directory surfaces as an error when read as keys.
        assert!(v2.keys(4000).unwrap().is_err());
        let dir = CachedDirectory::fetched("{\"keys\":[]}".into(), fresh, 4000);
        assert!(dir.keys(4000).unwrap().unwrap().is_empty());
        // Stale keys are bounded.
        assert_eq!(e.usable_body(1600 + MAX_STALE), None);
    }

    #[test]
    fn negative_cache() {
        let n = CachedDirectory::failed(None, &Error::InvalidDirectory("x".into()), 100);
        assert_eq!(n.state(101), CacheState::Failed);
        assert_eq!(n.usable_body(101), None);
        assert_eq!(n.state(100 + FIRST_RETRY_DELAY), CacheState::Missing);
        assert!(n.storage_ttl(100) >= MIN_DIRECTORY_TTL);
        // Kept past its back-off (at most five minutes), so the next failure doubles it.
        assert_eq!(n.storage_ttl(100), MAX_NEGATIVE_TTL);
        let again = CachedDirectory::failed(
            Some(&n),
            &Error::InvalidDirectory("x".into()),
            100 + FIRST_RETRY_DELAY,
        );
        assert_eq!(again.retry_after, 100 + 3 * FIRST_RETRY_DELAY);
        assert_eq!(CachedDirectory::from_json(&n.to_json()).unwrap(), n);
    }
}
