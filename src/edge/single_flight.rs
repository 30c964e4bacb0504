//! One fetch per URL at a time within an isolate.
//!
//! When a popular agent's directory expires, every request in flight would fetch it at
//! once. Here the first caller starts the fetch and later callers for the same key await
//! the same future. The future is shared (not owned by the first request), so it completes
//! even if the request that started it goes away, and the key is released when it does.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use futures_util::FutureExt;
use futures_util::future::Shared;

type SharedFuture<T> = Shared<Pin<Box<dyn Future<Output = T>>>>;

/// Deduplicates concurrent work by key. Single-threaded, as a Worker isolate is.
pub struct SingleFlight<T: Clone> {
    in_flight: RefCell<BTreeMap<String, SharedFuture<T>>>,
}

impl<T: Clone + 'static> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            in_flight: RefCell::new(BTreeMap::new()),
        }
    }
}

impl<T: Clone + 'static> SingleFlight<T> {
    /// Runs `start()` for `key` unless a run for `key` is already in flight, in which case
    /// its result is awaited instead. `start` is called at most once per flight.
    pub async fn run<F, Fut>(&self, key: &str, start: F) -> T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T> + 'static,
    {
        let existing = self.in_flight.borrow().get(key).cloned();
        let shared = match existing {
            Some(s) => s,
            None => {
                // `start` runs with no borrow held, so it may use this SingleFlight itself.
                let fut: Pin<Box<dyn Future<Output = T>>> = Box::pin(start());
                let s = fut.shared();
                self.in_flight
                    .borrow_mut()
                    .insert(key.to_string(), s.clone());
                s
            }
        };
        let out = shared.clone().await;
        let mut map = self.in_flight.borrow_mut();
        if map.get(key).is_some_and(|s| s.ptr_eq(&shared)) {
            map.remove(key);
        }
        out
    }

    /// How many keys are in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.borrow().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::rc::Rc;
    use core::cell::Cell;
    use core::task::{Context, Poll, Waker};

    /// A fetch that finishes when the test says so, counting how often it was started.
    fn gated(gate: Rc<Cell<Option<u32>>>, starts: Rc<Cell<u32>>) -> impl Future<Output = u32> {
        starts.set(starts.get() + 1);
        futures_util::future::poll_fn(move |_| match gate.get() {
            Some(v) => Poll::Ready(v),
            None => Poll::Pending,
        })
    }

    fn poll<F: Future>(f: Pin<&mut F>) -> Poll<F::Output> {
        f.poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn concurrent_callers_share_one_run() {
        let sf = SingleFlight::<u32>::default();
        let gate = Rc::new(Cell::new(None));
        let starts = Rc::new(Cell::new(0));
        let mut a = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone())));
        let mut b = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone())));
        let mut other = Box::pin(sf.run("v", || gated(gate.clone(), starts.clone())));
        assert!(poll(a.as_mut()).is_pending());
        assert!(poll(b.as_mut()).is_pending());
        assert!(poll(other.as_mut()).is_pending());
        assert_eq!(starts.get(), 2, "one start for u, one for v");
        assert_eq!(sf.in_flight(), 2);
        gate.set(Some(7));
        assert_eq!(poll(b.as_mut()), Poll::Ready(7));
        assert_eq!(poll(a.as_mut()), Poll::Ready(7));
        assert_eq!(poll(other.as_mut()), Poll::Ready(7));
        assert_eq!(sf.in_flight(), 0, "keys are released when done");
    }

    #[test]
    fn completes_when_the_starter_is_dropped_and_starts_anew_afterwards() {
        let sf = SingleFlight::<u32>::default();
        let gate = Rc::new(Cell::new(None));
        let starts = Rc::new(Cell::new(0));
        let mut a = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone())));
        assert!(poll(a.as_mut()).is_pending());
        let mut b = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone())));
        assert!(poll(b.as_mut()).is_pending());
        drop(a);
        gate.set(Some(1));
        assert_eq!(poll(b.as_mut()), Poll::Ready(1));
        assert_eq!(starts.get(), 1);
        let mut c = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone())));
        assert_eq!(poll(c.as_mut()), Poll::Ready(1));
        assert_eq!(starts.get(), 2, "a finished flight is not reused");
    }
}
