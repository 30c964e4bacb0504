//! The in-memory tier of the directory store: records the verifier job asked to keep, held
//! parsed (keys and all) in this wasm instance for the life of the module, so a directory is
//! fetched and parsed once per TTL rather than once per request.
//!
//! Every record goes here; a shared store (the caller's `cache`: Workers KV, a `Map`) gets
//! only the records the job marks `shared`, as text. Failures and `no-store` directories
//! therefore stay in memory, never in the caller's store. Bounded: expired records go first,
//! then the least recently used ([`RecordMemory`], the core's, which the Worker uses too).
//!
//! Records fetched under the development switch (`allowHttp`: http and loopback URLs) are
//! kept apart from the others, here and in the caller's store ([`Tier::shared_key`]), so a
//! record only the switch could fetch never answers a verification without it (the job
//! asks its store before it applies the URL rules, which it does only to fetches).

use alloc::string::String;
use core::cell::RefCell;
use httpseal::job::RecordMemory;
use httpseal::webbotauth::DirectoryRecord;

/// Which records a lookup may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Fetched under the default rules (https, public names).
    Default,
    /// Fetched with `allowHttp`.
    Development,
}

impl Tier {
    /// The tier of records fetched with (`true`) or without the development switch.
    pub fn of(allow_http: bool) -> Self {
        if allow_http {
            Tier::Development
        } else {
            Tier::Default
        }
    }

    /// The key under which the caller's store (and this tier) keeps the record the job
    /// keeps under `key`: the same (the Worker's KV keys, `dir:…`), or `dev:dir:…` under the
    /// switch.
    pub fn shared_key(self, key: &str) -> String {
        match self {
            Tier::Default => String::from(key),
            Tier::Development => alloc::format!("dev:{key}"),
        }
    }
}

std::thread_local! {
    /// The core's bound (`MAX_REMEMBERED_DIRECTORIES`) and eviction order, as in the Worker.
    static MEMORY: RefCell<RecordMemory<DirectoryRecord>> =
        const { RefCell::new(RecordMemory::directories()) };
}

/// The record kept under `key`, if it has not expired by `clock`.
pub fn get(tier: Tier, key: &str, clock: u64) -> Option<DirectoryRecord> {
    let key = tier.shared_key(key);
    MEMORY.with_borrow_mut(|m| m.get(&key, clock).cloned())
}

/// Keeps `record` under `key` for `ttl` seconds from `clock`.
pub fn put(tier: Tier, key: &str, record: DirectoryRecord, ttl: u64, clock: u64) {
    let key = tier.shared_key(key);
    MEMORY.with_borrow_mut(|m| m.keep(&key, record, ttl, clock));
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::limits::MAX_REMEMBERED_DIRECTORIES as CAPACITY;
    use httpseal::webbotauth::{CachedDirectory, directory_freshness};

    fn record(now: u64) -> DirectoryRecord {
        let cached =
            CachedDirectory::fetched(r#"{"keys":[]}"#.into(), directory_freshness(None), now);
        DirectoryRecord::new(cached, now)
    }

    #[test]
    fn expires_partitions_and_evicts_the_least_recently_used() {
        put(Tier::Default, "dir:a", record(100), 60, 100);
        assert!(get(Tier::Default, "dir:a", 159).is_some());
        assert!(get(Tier::Default, "dir:a", 160).is_none(), "expired");
        assert!(get(Tier::Default, "dir:a", 100).is_none(), "and dropped");

        put(Tier::Development, "dir:b", record(100), 60, 100);
        assert!(
            get(Tier::Default, "dir:b", 100).is_none(),
            "allowHttp records stay apart"
        );
        assert!(get(Tier::Development, "dir:b", 100).is_some());

        for i in 0..CAPACITY {
            put(
                Tier::Default,
                &alloc::format!("k{i}"),
                record(100),
                600,
                100,
            );
        }
        assert!(
            get(Tier::Default, "k0", 100).is_some(),
            "k0 is now the most recent"
        );
        put(Tier::Default, "new", record(100), 600, 100);
        assert!(get(Tier::Default, "k0", 100).is_some());
        assert!(get(Tier::Default, "new", 100).is_some());
        let evicted = (0..CAPACITY)
            .filter(|i| get(Tier::Default, &alloc::format!("k{i}"), 100).is_none())
            .count();
        assert_eq!(evicted, 1, "one record made room");
    }
}
