//! A bounded in-isolate cache in front of KV.
//!
//! A Worker isolate serves many requests; keeping resolved directories in its memory saves a
//! KV read (a network round trip) on almost every request. The cache is bounded in entries,
//! so a client naming many agents cannot grow the isolate's memory: when full, expired
//! entries go first, then the least recently used. Entries carry two deadlines: *fresh*
//! (serve without asking anyone) and *stale* (serve only when a refresh fails — the
//! stale-on-error rule of the directory cache).

use alloc::collections::BTreeMap;
use alloc::string::String;

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<V> {
    /// Within its fresh lifetime.
    Fresh(V),
    /// Past fresh, still usable if a refresh fails.
    Stale(V),
    /// Absent or past its stale lifetime.
    Miss,
}

#[derive(Debug, Clone)]
struct Entry<V> {
    value: V,
    fresh_until: u64,
    stale_until: u64,
    last_used: u64,
}

/// A map of at most `capacity` entries with fresh/stale deadlines (seconds).
#[derive(Debug, Clone)]
pub struct MemoryCache<V> {
    capacity: usize,
    entries: BTreeMap<String, Entry<V>>,
    clock: u64,
}

impl<V: Clone> MemoryCache<V> {
    /// An empty cache holding at most `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Self {
        MemoryCache {
            capacity: capacity.max(1),
            entries: BTreeMap::new(),
            clock: 0,
        }
    }

    /// Looks `key` up at time `now`.
    pub fn get(&mut self, key: &str, now: u64) -> Lookup<V> {
        self.clock += 1;
        let tick = self.clock;
        match self.entries.get_mut(key) {
            Some(e) if now < e.fresh_until => {
                e.last_used = tick;
                Lookup::Fresh(e.value.clone())
            }
            Some(e) if now < e.stale_until => {
                e.last_used = tick;
                Lookup::Stale(e.value.clone())
            }
            Some(_) => {
                self.entries.remove(key);
                Lookup::Miss
            }
            None => Lookup::Miss,
        }
    }

    /// Stores `value` under `key`: fresh until `fresh_until`, usable on error until
    /// `stale_until` (at least `fresh_until`).
    pub fn insert(&mut self, key: &str, value: V, fresh_until: u64, stale_until: u64, now: u64) {
        self.clock += 1;
        if !self.entries.contains_key(key) && self.entries.len() >= self.capacity {
            self.evict(now);
        }
        self.entries.insert(
            key.into(),
            Entry {
                value,
                fresh_until,
                stale_until: stale_until.max(fresh_until),
                last_used: self.clock,
            },
        );
    }

    /// Forgets `key`.
    pub fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// The number of entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops every dead entry; if none was dead, the least recently used one.
    fn evict(&mut self, now: u64) {
        let before = self.entries.len();
        self.entries.retain(|_, e| now < e.stale_until);
        if self.entries.len() < before {
            return;
        }
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| e.last_used)
            .map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            self.entries.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_then_stale_then_gone() {
        let mut c = MemoryCache::new(4);
        c.insert("a", 1, 100, 200, 0);
        assert_eq!(c.get("a", 99), Lookup::Fresh(1));
        assert_eq!(c.get("a", 100), Lookup::Stale(1));
        assert_eq!(c.get("a", 199), Lookup::Stale(1));
        assert_eq!(c.get("a", 200), Lookup::Miss);
        assert!(c.is_empty());
        assert_eq!(c.get("b", 0), Lookup::<i32>::Miss);
    }

    #[test]
    fn bounded_with_lru_eviction() {
        let mut c = MemoryCache::new(3);
        for (i, k) in ["a", "b", "c"].iter().enumerate() {
            c.insert(k, i, 1000, 1000, 0);
        }
        assert_eq!(c.get("a", 1), Lookup::Fresh(0)); // a is now the most recently used
        c.insert("d", 3, 1000, 1000, 1);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("b", 2), Lookup::Miss, "b was least recently used");
        assert_eq!(c.get("a", 2), Lookup::Fresh(0));
        // Replacing an entry never evicts another.
        c.insert("a", 9, 1000, 1000, 2);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("c", 2), Lookup::Fresh(2));
    }

    #[test]
    fn dead_entries_are_evicted_first() {
        let mut c = MemoryCache::new(2);
        c.insert("old", 1, 10, 20, 0);
        c.insert("live", 2, 1000, 1000, 0);
        assert_eq!(c.get("old", 5), Lookup::Fresh(1)); // most recently used, but dies at 20
        c.insert("new", 3, 1000, 1000, 30);
        assert_eq!(c.get("live", 30), Lookup::Fresh(2));
        assert_eq!(c.get("new", 30), Lookup::Fresh(3));
        assert_eq!(c.get("old", 30), Lookup::Miss);
    }

    #[test]
    fn stale_deadline_is_at_least_fresh() {
        let mut c = MemoryCache::new(1);
        c.insert("a", 1, 100, 50, 0);
        assert_eq!(c.get("a", 99), Lookup::Fresh(1));
    }
}
