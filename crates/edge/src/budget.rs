//! The isolate's budgets for work done on behalf of requests in flight.
//!
//! WebAssembly memory never shrinks, and a Workers isolate has 128 MB for every request it
//! serves, so whatever the Worker buffers in wasm for an unauthenticated client is a lever
//! to get the isolate killed for everybody. The Worker buffers as little as it can (a
//! signed body is hashed as it streams, chunk by chunk; a body to forward stays with the
//! platform), and what it must buffer — a `POST /verify` document, a directory being
//! fetched — is counted against one isolate-wide budget: past it, a request is answered at
//! once with `503 busy` instead of buffering. Directory fetches in flight are capped too, so
//! one request naming many agents, or many requests naming new ones, cannot fan out.

use core::cell::Cell;

/// Default budget of bytes buffered in wasm for requests in flight (`MAX_BUFFERED_BYTES`).
pub const DEFAULT_MAX_BUFFERED_BYTES: usize = 8 << 20;

/// The largest budget `MAX_BUFFERED_BYTES` may set.
pub const MAX_MAX_BUFFERED_BYTES: usize = 64 << 20;

/// Directory fetches in flight per isolate; more are answered `fetch_busy` at once.
pub const MAX_CONCURRENT_FETCHES: usize = 16;

/// Bytes buffered and fetches in flight, for one isolate (single-threaded, as an isolate
/// is).
#[derive(Debug, Default)]
pub struct Budget {
    buffered: Cell<usize>,
    fetches: Cell<usize>,
}

/// Bytes held against a [`Budget`]; given back when dropped.
#[derive(Debug)]
#[must_use = "the bytes are given back when the reservation is dropped"]
pub struct Reservation<'a> {
    budget: &'a Budget,
    bytes: usize,
    limit: usize,
}

/// One fetch in flight; the slot is freed when dropped.
#[derive(Debug)]
#[must_use = "the slot is freed when dropped"]
pub struct FetchSlot<'a> {
    budget: &'a Budget,
}

impl Budget {
    /// A budget with nothing held.
    pub const fn new() -> Self {
        Budget {
            buffered: Cell::new(0),
            fetches: Cell::new(0),
        }
    }

    /// Bytes held now.
    pub fn buffered(&self) -> usize {
        self.buffered.get()
    }

    /// Fetches in flight now.
    pub fn fetches(&self) -> usize {
        self.fetches.get()
    }

    /// Holds `bytes` within `limit`; `None` when they would not fit.
    pub fn reserve(&self, bytes: usize, limit: usize) -> Option<Reservation<'_>> {
        let mut r = Reservation {
            budget: self,
            bytes: 0,
            limit,
        };
        r.grow(bytes).then_some(r)
    }

    /// A slot for one more fetch; `None` at [`MAX_CONCURRENT_FETCHES`].
    pub fn start_fetch(&self) -> Option<FetchSlot<'_>> {
        let n = self.fetches.get();
        (n < MAX_CONCURRENT_FETCHES).then(|| {
            self.fetches.set(n + 1);
            FetchSlot { budget: self }
        })
    }
}

impl Reservation<'_> {
    /// Holds `more` bytes as well; `false` (and nothing more held) when they would not fit.
    pub fn grow(&mut self, more: usize) -> bool {
        let used = self.budget.buffered.get();
        match used.checked_add(more) {
            Some(total) if total <= self.limit => {
                self.budget.buffered.set(total);
                self.bytes += more;
                true
            }
            _ => false,
        }
    }

    /// Gives `fewer` of the bytes held back (at most all of them).
    pub fn release(&mut self, fewer: usize) {
        let fewer = fewer.min(self.bytes);
        self.bytes -= fewer;
        let used = self.budget.buffered.get();
        self.budget.buffered.set(used.saturating_sub(fewer));
    }

    /// Bytes this reservation holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let used = self.budget.buffered.get();
        self.budget.buffered.set(used.saturating_sub(self.bytes));
    }
}

impl Drop for FetchSlot<'_> {
    fn drop(&mut self) {
        let n = self.budget.fetches.get();
        self.budget.fetches.set(n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_hold_and_give_back() {
        let b = Budget::new();
        let mut a = b.reserve(600, 1000).unwrap();
        assert!(b.reserve(500, 1000).is_none(), "past the budget");
        assert!(a.grow(400));
        assert!(!a.grow(1), "full");
        assert_eq!((b.buffered(), a.bytes()), (1000, 1000));
        drop(a);
        assert_eq!(b.buffered(), 0);
        assert!(b.reserve(1000, 1000).is_some());
        assert!(b.reserve(usize::MAX, 1000).is_none(), "no overflow");
        let mut c = b.reserve(0, 1000).unwrap();
        assert!(c.grow(300));
        c.release(200);
        assert_eq!((b.buffered(), c.bytes()), (100, 100));
        c.release(500);
        assert_eq!((b.buffered(), c.bytes()), (0, 0));
    }

    #[test]
    fn fetch_slots_are_capped() {
        let b = Budget::new();
        let slots: Vec<_> = (0..MAX_CONCURRENT_FETCHES)
            .map(|_| b.start_fetch().unwrap())
            .collect();
        assert!(b.start_fetch().is_none());
        drop(slots);
        assert_eq!(b.fetches(), 0);
        assert!(b.start_fetch().is_some());
    }
}
