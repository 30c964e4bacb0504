//! One fetch per URL at a time within an isolate.
//!
//! When a popular agent's directory expires, every request in flight would fetch it at
//! once. Here the first caller runs the work and later callers for the same key wait for
//! its result.
//!
//! Waiters do not await the first caller's future: in workerd every request has its own
//! I/O context, and a request that waits on a promise only another request can resolve is
//! cancelled as hung (and its continuation would run in the other request's context).
//! Instead each waiter checks a shared slot between pauses it makes in its own context (a
//! timer, [`SingleFlight::run`]'s `pause`). If the first caller goes away before finishing,
//! its slot is marked abandoned and the next waiter runs the work itself.

use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::RefCell;
use core::future::Future;

#[derive(Debug)]
enum Slot<T> {
    Running,
    Done(T),
    Abandoned,
}

type SharedSlot<T> = Rc<RefCell<Slot<T>>>;

/// Deduplicates concurrent work by key. Single-threaded, as a Worker isolate is.
pub struct SingleFlight<T: Clone> {
    in_flight: RefCell<BTreeMap<String, SharedSlot<T>>>,
}

impl<T: Clone> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            in_flight: RefCell::new(BTreeMap::new()),
        }
    }
}

/// Releases the key when the first caller finishes or is dropped.
struct Release<'a, T: Clone> {
    flights: &'a SingleFlight<T>,
    key: &'a str,
    slot: SharedSlot<T>,
}

impl<T: Clone> Drop for Release<'_, T> {
    fn drop(&mut self) {
        let mut slot = self.slot.borrow_mut();
        if matches!(*slot, Slot::Running) {
            *slot = Slot::Abandoned;
        }
        let mut map = self.flights.in_flight.borrow_mut();
        if map.get(self.key).is_some_and(|s| Rc::ptr_eq(s, &self.slot)) {
            map.remove(self.key);
        }
    }
}

impl<T: Clone> SingleFlight<T> {
    /// Runs `start()` for `key` unless a run for `key` is in flight, in which case its
    /// result is awaited, checking after each `pause()`. `start` is called at most once.
    pub async fn run<F, Fut, P, PFut>(&self, key: &str, start: F, mut pause: P) -> T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
        P: FnMut() -> PFut,
        PFut: Future<Output = ()>,
    {
        let mut start = Some(start);
        loop {
            let existing = self.in_flight.borrow().get(key).cloned();
            let Some(slot) = existing else {
                let slot = Rc::new(RefCell::new(Slot::Running));
                self.in_flight
                    .borrow_mut()
                    .insert(key.to_string(), slot.clone());
                let release = Release {
                    flights: self,
                    key,
                    slot: slot.clone(),
                };
                let start = start
                    .take()
                    .expect("start is only taken by the first caller");
                let out = start().await;
                *slot.borrow_mut() = Slot::Done(out.clone());
                drop(release);
                return out;
            };
            loop {
                match &*slot.borrow() {
                    Slot::Done(v) => return v.clone(),
                    Slot::Abandoned => break,
                    Slot::Running => {}
                }
                pause().await;
            }
            // The first caller went away: run the work here (or wait for whoever did).
        }
    }

    /// Whether a run for `key` is in flight.
    pub fn is_running(&self, key: &str) -> bool {
        self.in_flight.borrow().contains_key(key)
    }

    /// How many keys are in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.borrow().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use core::cell::Cell;
    use core::pin::Pin;
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

    /// A pause that is pending until polled a second time.
    fn yield_once() -> impl Future<Output = ()> {
        let mut yielded = false;
        futures_util::future::poll_fn(move |_| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                Poll::Pending
            }
        })
    }

    #[test]
    fn concurrent_callers_share_one_run() {
        let sf = SingleFlight::<u32>::default();
        let gate = Rc::new(Cell::new(None));
        let starts = Rc::new(Cell::new(0));
        let mut a = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        let mut b = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        let mut other = Box::pin(sf.run("v", || gated(gate.clone(), starts.clone()), yield_once));
        assert!(poll(a.as_mut()).is_pending());
        assert!(poll(b.as_mut()).is_pending());
        assert!(poll(other.as_mut()).is_pending());
        assert_eq!(starts.get(), 2, "one start for u, one for v");
        assert_eq!(sf.in_flight(), 2);
        assert!(sf.is_running("u") && !sf.is_running("w"));
        gate.set(Some(7));
        assert!(
            poll(b.as_mut()).is_pending(),
            "b checks again after its pause"
        );
        assert_eq!(poll(a.as_mut()), Poll::Ready(7));
        assert_eq!(poll(b.as_mut()), Poll::Ready(7));
        assert_eq!(poll(other.as_mut()), Poll::Ready(7));
        assert_eq!(sf.in_flight(), 0, "keys are released when done");
        assert!(!sf.is_running("u"));
    }

    #[test]
    fn waiters_pause_between_checks_until_the_result_is_there() {
        let sf = SingleFlight::<u32>::default();
        let gate = Rc::new(Cell::new(None));
        let starts = Rc::new(Cell::new(0));
        let pauses = Rc::new(Cell::new(0));
        let mut a = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        assert!(poll(a.as_mut()).is_pending());
        let counted = || {
            pauses.set(pauses.get() + 1);
            yield_once()
        };
        let mut b = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), counted));
        for _ in 0..3 {
            assert!(poll(b.as_mut()).is_pending());
        }
        assert_eq!(
            pauses.get(),
            3,
            "one pause per check while the run is going"
        );
        gate.set(Some(3));
        assert_eq!(poll(a.as_mut()), Poll::Ready(3));
        assert_eq!(poll(b.as_mut()), Poll::Ready(3));
        assert_eq!(starts.get(), 1);
    }

    #[test]
    fn a_waiter_takes_over_when_the_first_caller_is_dropped() {
        let sf = SingleFlight::<u32>::default();
        let gate = Rc::new(Cell::new(None));
        let starts = Rc::new(Cell::new(0));
        let mut a = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        assert!(poll(a.as_mut()).is_pending());
        let mut b = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        assert!(poll(b.as_mut()).is_pending());
        drop(a);
        assert_eq!(sf.in_flight(), 0, "the abandoned run releases its key");
        gate.set(Some(1));
        assert_eq!(poll(b.as_mut()), Poll::Ready(1));
        assert_eq!(starts.get(), 2, "b ran the work itself");
        let mut c = Box::pin(sf.run("u", || gated(gate.clone(), starts.clone()), yield_once));
        assert_eq!(poll(c.as_mut()), Poll::Ready(1));
        assert_eq!(starts.get(), 3, "a finished flight is not reused");
    }
}
