//! Driving a job when every answer is at hand at once: the CLI (blocking HTTP), tests (a
//! simulated network), and [`crate::verify_message`] (keys only). Asynchronous hosts (the
//! Worker, the npm package) write the same loop around their own I/O.

use super::directory::DirectoryTask;
use super::step::{
    Answer, BodyFailure, Check, CheckAnswer, DigestRequest, Fetch, Lookup, NonceAnswer,
    NonceRequest, Step, StoreRecord,
};
use super::verify::VerifyJob;
use crate::digest::DigestAlgorithm;
use crate::error::Error;
use crate::fetch::{FetchFailure, FetchedResponse};
use crate::verify::Verdict;
use crate::webbotauth::DirectoryRecord;
use alloc::vec::Vec;

/// A host that answers each step at once. Every method has the answer of a host that has
/// nothing: no store, no network, no replay store, no body, the core's own primitive.
pub trait BlockingHost {
    /// [`Step::Lookup`]: the record the store keeps under `lookup.key`.
    fn lookup(&mut self, lookup: &Lookup<'_>) -> Option<DirectoryRecord> {
        let _ = lookup;
        None
    }

    /// [`Step::Fetch`]: fetch under `fetch.rules`.
    fn fetch(&mut self, fetch: &Fetch<'_>) -> Result<FetchedResponse, FetchFailure> {
        let _ = fetch;
        Err(FetchFailure::NotFetched)
    }

    /// [`Step::Store`]: keep the record.
    fn store(&mut self, record: StoreRecord) {
        let _ = record;
    }

    /// [`Step::Check`]: check with a native primitive, or leave it to the core.
    fn check(&mut self, check: &Check<'_>) -> CheckAnswer {
        let _ = check;
        CheckAnswer::Core
    }

    /// [`Step::Nonce`]: look the nonce up and record it.
    fn nonce(&mut self, nonce: &NonceRequest<'_>) -> NonceAnswer {
        let _ = nonce;
        NonceAnswer::New
    }

    /// [`Step::Digest`]: the body's digests.
    fn digest(
        &mut self,
        request: &DigestRequest,
    ) -> Result<Vec<(DigestAlgorithm, Vec<u8>)>, BodyFailure> {
        let _ = request;
        Err(BodyFailure::Unreadable("this host has no body".into()))
    }

    /// [`Step::Refresh`]: by default the refresh runs at once, through this host.
    fn refresh(&mut self, task: alloc::boxed::Box<DirectoryTask>)
    where
        Self: Sized,
    {
        run_task(*task, self);
    }
}

/// Runs `job` to its verdict with `host`.
pub fn run(job: &mut VerifyJob<'_>, host: &mut impl BlockingHost) -> Verdict {
    loop {
        let answer = match job.next() {
            Step::Lookup(l) => Answer::Lookup {
                id: l.id,
                record: host.lookup(&l),
            },
            Step::Fetch(f) => Answer::Fetch {
                id: f.id,
                result: host.fetch(&f),
            },
            Step::Check(c) => Answer::Check {
                id: c.id,
                answer: host.check(&c),
            },
            Step::Digest(d) => Answer::Digest {
                id: d.id,
                result: host.digest(&d),
            },
            Step::Nonce(n) => Answer::Nonce {
                id: n.id,
                answer: host.nonce(&n),
            },
            Step::Store(s) => {
                host.store(s);
                continue;
            }
            Step::Refresh(task) => {
                host.refresh(task);
                continue;
            }
            // Every answer is given at once, so a wait means a step went unanswered.
            Step::Wait => {
                job.abandon();
                continue;
            }
            Step::Done => break,
        };
        if job.answer(answer).is_err() {
            job.abandon();
        }
    }
    job.take_verdict()
        .unwrap_or_else(|| Verdict::from_error(Error::HostAnswerMissing("no verdict".into())))
}

/// Runs a directory task (a background refresh) to its end with `host`.
pub fn run_task(mut task: DirectoryTask, host: &mut impl BlockingHost) {
    loop {
        let answer = match task.next() {
            Step::Fetch(f) => Answer::Fetch {
                id: f.id,
                result: host.fetch(&f),
            },
            Step::Store(s) => {
                host.store(s);
                continue;
            }
            _ => return,
        };
        if task.answer(answer).is_err() {
            return;
        }
    }
}
