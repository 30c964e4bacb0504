//! The in-memory tier of a host's directory store: what the job asked to keep
//! ([`super::StoreRecord`]) or what the host read back from its shared store, held as it is
//! (parsed keys and all) by the process, isolate or wasm instance, so that a directory is
//! fetched and parsed once per lifetime rather than once per request.
//!
//! One type for every host, so that the bound and the eviction order are decided once:
//! at most `capacity` records ([`MAX_REMEMBERED_DIRECTORIES`] for directories), a record is
//! gone once its deadline has passed, and a full memory drops its expired records first,
//! then the least recently used one. A client naming many agents therefore cannot grow a
//! host's memory, and the agents that send traffic stay.
//!
//! How long a record is kept is the job's decision ([`super::StoreRecord::ttl`],
//! [`crate::webbotauth::DirectoryRecord::storage_ttl`]); the host passes it on.

use crate::limits::MAX_REMEMBERED_DIRECTORIES;
use alloc::string::String;
use alloc::vec::Vec;

struct Entry<V> {
    key: String,
    value: V,
    /// UNIX seconds from which the record is gone.
    until: u64,
    /// When it was last kept or found (a counter), for eviction.
    used: u64,
}

/// A bounded map from store keys to records, with deadlines: a vector sorted by key (a
/// binary search finds a record; a few hundred of them cost less code than a tree, which
/// the npm package's size counts).
pub struct RecordMemory<V> {
    capacity: usize,
    entries: Vec<Entry<V>>,
    tick: u64,
}

impl<V> RecordMemory<V> {
    /// An empty memory for at most `capacity` records (at least one).
    pub const fn new(capacity: usize) -> Self {
        RecordMemory {
            capacity: if capacity == 0 { 1 } else { capacity },
            entries: Vec::new(),
            tick: 0,
        }
    }

    /// An empty memory for directory records: [`MAX_REMEMBERED_DIRECTORIES`].
    pub const fn directories() -> Self {
        Self::new(MAX_REMEMBERED_DIRECTORIES)
    }

    /// The record kept under `key`, unless its deadline has passed by `now` (it is then
    /// forgotten).
    pub fn get(&mut self, key: &str, now: u64) -> Option<&V> {
        let at = self.find(key).ok()?;
        if self.entries[at].until <= now {
            self.entries.remove(at);
            return None;
        }
        self.tick += 1;
        let entry = &mut self.entries[at];
        entry.used = self.tick;
        Some(&entry.value)
    }

    /// Keeps `value` under `key` for `ttl` seconds from `now`, in place of what was there.
    /// A record with no lifetime left is not kept, and the one it replaces is forgotten
    /// (as it would be by the next lookup, had the new one been kept expired).
    pub fn keep(&mut self, key: &str, value: V, ttl: u64, now: u64) {
        if ttl == 0 {
            self.forget(key);
            return;
        }
        self.tick += 1;
        let (until, used) = (now.saturating_add(ttl), self.tick);
        if let Ok(at) = self.find(key) {
            let held = &mut self.entries[at];
            (held.value, held.until, held.used) = (value, until, used);
            return;
        }
        if self.entries.len() >= self.capacity {
            self.make_room(now);
        }
        let entry = Entry {
            key: String::from(key),
            value,
            until,
            used,
        };
        match self.find(key) {
            Ok(at) | Err(at) => self.entries.insert(at, entry),
        }
    }

    /// Forgets `key`.
    pub fn forget(&mut self, key: &str) {
        if let Ok(at) = self.find(key) {
            self.entries.remove(at);
        }
    }

    /// The number of records held (expired ones included until they are looked up or
    /// make room).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// At most `capacity`: drops every expired record; if none had expired, the least
    /// recently used one.
    fn make_room(&mut self, now: u64) {
        let before = self.entries.len();
        self.entries.retain(|e| e.until > now);
        if self.entries.len() < before {
            return;
        }
        let oldest = (0..self.entries.len()).min_by_key(|&i| self.entries[i].used);
        if let Some(at) = oldest {
            self.entries.remove(at);
        }
    }

    /// Where `key` is, or would be inserted.
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| e.key.as_str().cmp(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn a_record_lives_until_its_deadline() {
        let mut m = RecordMemory::new(4);
        m.keep("dir:a", 1, 60, 100);
        assert_eq!(m.get("dir:a", 159), Some(&1));
        assert_eq!(m.get("dir:a", 160), None, "expired at 100 + 60");
        assert!(m.is_empty(), "and forgotten");
        m.keep("dir:a", 2, 0, 100);
        assert_eq!(m.get("dir:a", 100), None, "no lifetime: not kept");
        m.keep("dir:b", 3, 60, 100);
        m.keep("dir:b", 4, 0, 110);
        assert_eq!(m.get("dir:b", 110), None, "nor the record it replaces");
        assert!(m.is_empty());
    }

    #[test]
    fn keeping_again_replaces_the_record_and_its_deadline() {
        let mut m = RecordMemory::new(4);
        m.keep("dir:a", 1, 10, 100);
        m.keep("dir:a", 2, 100, 105);
        assert_eq!(m.len(), 1);
        assert_eq!(m.get("dir:a", 200), Some(&2));
        m.forget("dir:a");
        assert_eq!(m.get("dir:a", 200), None);
    }

    #[test]
    fn a_full_memory_drops_the_expired_records_first() {
        let mut m = RecordMemory::new(3);
        m.keep("old-1", 1, 10, 100);
        m.keep("old-2", 2, 10, 100);
        m.keep("live", 3, 1000, 100);
        m.keep("new", 4, 1000, 200);
        assert_eq!(m.len(), 2, "both expired records went");
        assert_eq!(m.get("live", 200), Some(&3));
        assert_eq!(m.get("new", 200), Some(&4));
    }

    #[test]
    fn a_full_memory_of_live_records_drops_the_least_recently_used() {
        let mut m = RecordMemory::new(3);
        for k in ["a", "b", "c"] {
            m.keep(k, 0, 1000, 100);
        }
        assert!(m.get("a", 101).is_some(), "a used: b is now the oldest");
        m.keep("d", 0, 1000, 102);
        assert_eq!(m.len(), 3);
        assert!(m.get("b", 103).is_none());
        for k in ["a", "c", "d"] {
            assert!(m.get(k, 103).is_some(), "{k}");
        }
    }

    #[test]
    fn many_agents_never_hold_more_than_the_bound() {
        let mut m = RecordMemory::directories();
        for i in 0..10 * MAX_REMEMBERED_DIRECTORIES {
            m.keep(&format!("dir:{i}"), i, 3600, 100);
            assert!(m.len() <= MAX_REMEMBERED_DIRECTORIES);
        }
        assert_eq!(m.len(), MAX_REMEMBERED_DIRECTORIES);
        let last = 10 * MAX_REMEMBERED_DIRECTORIES - 1;
        assert_eq!(
            m.get(&format!("dir:{last}"), 100),
            Some(&last),
            "the newest stays"
        );
        assert!(m.get("dir:0", 100).is_none(), "the oldest went");
        assert_eq!(RecordMemory::<u8>::new(0).capacity, 1);
    }
}
