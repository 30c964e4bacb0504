//! The Worker as the verifier job's host: it answers the job's steps with the platform and
//! decides nothing itself.
//!
//! - **Lookup**: the isolate's memory (bounded, holding parsed records), then Workers KV
//!   (`DIRECTORY_CACHE`, the core's record text; what KV returns is remembered in memory).
//! - **Fetch**: the fetcher ([`super::fetcher`]), at most one fetch per URL at a time in an
//!   isolate ([`SingleFlight`]: concurrent requests share the response) and at most
//!   [`MAX_CONCURRENT_FETCHES`](crate::budget::MAX_CONCURRENT_FETCHES) in flight
//!   (`fetch_busy` past it), each body held against the isolate's budget.
//! - **Store**: memory always; KV when the job says the record is `shared`, after the
//!   response (`ctx.waitUntil`), at most once per record per isolate.
//! - **Refresh**: a stale directory's refresh runs after the response (`ctx.waitUntil`),
//!   unless one is running.
//! - **Check**: WebCrypto where the core's rules allow it ([`super::signature_check`]), else
//!   the core.
//! - **Digest**: the body's digests as it streams from a copy of the request (the original
//!   stays whole for forwarding): memory O(chunk).
//! - **Nonce**: the Durable Object or KV ([`super::nonce_store`]).
//!
//! Lookups, fetches, checks and nonce questions run concurrently; the job says when it
//! waits.

use super::chunks::{Chunks, HASH_SLICE_BYTES, copy_slices};
use super::{fetcher, nonce_store, signature_check};
use crate::budget::Budget;
use crate::config::Ed25519Check;
use crate::observe::DirectorySource;
use crate::single_flight::SingleFlight;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use futures_util::stream::FuturesUnordered;
use httpseal::digest::BodyHasher;
use httpseal::fetch::{FetchFailure, FetchRules, FetchedResponse};
use httpseal::job::{
    Answer, BodyFailure, CheckAnswer, DigestRequest, DirectoryTask, NonceAnswer, RecordMemory,
    Step, StoreRecord, VerifyJob,
};
use httpseal::webbotauth::DirectoryRecord;
use httpseal::{Error, Verdict};
use worker::worker_sys::web_sys;
use worker::{Context, Delay, Env, console_warn};

/// The KV binding of the directory cache.
pub const BINDING: &str = "DIRECTORY_CACHE";

/// One directory in the isolate's memory, and whether KV has this version of it.
#[derive(Clone)]
struct Held {
    record: DirectoryRecord,
    in_kv: bool,
}

type Fetched = Rc<Result<FetchedResponse, FetchFailure>>;

std::thread_local! {
    /// The isolate's directories: the core's bound (`MAX_REMEMBERED_DIRECTORIES`) and
    /// eviction order.
    static MEMORY: RefCell<RecordMemory<Held>> = const { RefCell::new(RecordMemory::directories()) };
    /// Leaked once per isolate, so a request's future can hold them across awaits.
    static FLIGHTS: &'static SingleFlight<Fetched> = Box::leak(Box::new(SingleFlight::default()));
    static BUDGET: &'static Budget = Box::leak(Box::new(Budget::new()));
}

/// The isolate's budget of buffered bytes and fetches.
pub fn budget() -> &'static Budget {
    BUDGET.with(|b| *b)
}

/// What a request's verification cost, for its decision record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Where its directory came from.
    pub directory: DirectorySource,
    /// Signature checks.
    pub checks: u32,
    /// Directory lookups.
    pub lookups: u32,
    /// Directory fetches.
    pub fetches: u32,
}

/// What the driver answers with.
pub struct Io<'a> {
    /// The Worker's environment (KV, the Durable Object).
    pub env: &'a Env,
    /// The request's context (`waitUntil`).
    pub ctx: &'a Context,
    /// The request whose body a Digest step reads, when it has one.
    pub body: Option<&'a web_sys::Request>,
    /// Which implementation checks Ed25519.
    pub ed25519: Ed25519Check,
    /// The isolate's budget of buffered bytes (`MAX_BUFFERED_BYTES`).
    pub max_buffered: usize,
    /// The host clock (memory deadlines).
    pub clock: u64,
    /// What the verification cost (the driver counts).
    pub stats: Cell<Stats>,
}

impl Io<'_> {
    fn count(&self, f: impl FnOnce(&mut Stats)) {
        let mut s = self.stats.get();
        f(&mut s);
        self.stats.set(s);
    }
}

/// Drives `job` to its verdict.
pub async fn drive(job: &mut VerifyJob<'_>, io: &Io<'_>) -> Verdict {
    let mut pending: FuturesUnordered<LocalBoxFuture<'_, Answer>> = FuturesUnordered::new();
    let nonces = nonce_store::Store::bound(io.env).map(Rc::new);
    loop {
        match job.next() {
            Step::Lookup(l) => {
                let (id, key) = (l.id, l.key.to_string());
                io.count(|s| s.lookups += 1);
                match remembered(&key, io.clock) {
                    Some(record) => {
                        io.count(|s| s.directory = s.directory.max_with(DirectorySource::Memory));
                        answer(
                            job,
                            Answer::Lookup {
                                id,
                                record: Some(record),
                            },
                        )
                    }
                    None => {
                        let (env, clock) = (io.env.clone(), io.clock);
                        pending.push(Box::pin(async move {
                            let record = kv_read(&env, &key, clock).await;
                            if record.is_some() {
                                io.count(|s| {
                                    s.directory = s.directory.max_with(DirectorySource::Kv)
                                });
                            }
                            Answer::Lookup { id, record }
                        }));
                    }
                }
            }
            Step::Fetch(f) => {
                let (id, url, key, rules) = (f.id, f.url.to_string(), f.key.to_string(), f.rules);
                let max_buffered = io.max_buffered;
                io.count(|s| s.fetches += 1);
                pending.push(Box::pin(async move {
                    let fetched = fetch_once(&url, &key, rules, max_buffered).await;
                    let source = match &*fetched {
                        Ok(r) if r.status == 200 => DirectorySource::Fetch,
                        _ => DirectorySource::Failed,
                    };
                    io.count(|s| s.directory = s.directory.max_with(source));
                    Answer::Fetch {
                        id,
                        result: (*fetched).clone(),
                    }
                }));
            }
            Step::Check(c) => {
                let id = c.id;
                io.count(|s| s.checks += 1);
                match signature_check::start(&c, io.ed25519) {
                    Some(host) => pending.push(Box::pin(async move {
                        let answer = match host.await {
                            Some(verified) => CheckAnswer::Host(verified),
                            None => CheckAnswer::Core,
                        };
                        Answer::Check { id, answer }
                    })),
                    None => answer(
                        job,
                        Answer::Check {
                            id,
                            answer: CheckAnswer::Core,
                        },
                    ),
                }
            }
            Step::Digest(d) => {
                let body = io.body;
                pending.push(Box::pin(async move {
                    Answer::Digest {
                        id: d.id,
                        result: digest(body, &d).await,
                    }
                }));
            }
            Step::Nonce(n) => {
                let (id, key, until, ttl) = (n.id, n.key.to_string(), n.until, n.ttl);
                let store = nonces.clone();
                pending.push(Box::pin(async move {
                    let answer = match store {
                        Some(store) => store.ask(&key, until, ttl).await,
                        None => NonceAnswer::Unavailable("no replay store is bound".into()),
                    };
                    Answer::Nonce { id, answer }
                }));
            }
            Step::Store(s) => store(io.env, io.ctx, s, io.clock),
            Step::Refresh(task) => refresh(io, task),
            Step::Wait => match pending.next().await {
                Some(a) => answer(job, a),
                None => job.abandon(),
            },
            Step::Done => break,
        }
    }
    job.take_verdict()
        .unwrap_or_else(|| Verdict::from_error(Error::HostAnswerMissing("no verdict".into())))
}

/// Hands an answer over; one the job no longer waits for (it finished early) is dropped.
fn answer(job: &mut VerifyJob<'_>, answer: Answer) {
    let _ = job.answer(answer);
}

/// How a request waiting for another one's fetch pauses between checks (a timer in its own
/// I/O context, see [`SingleFlight`]).
const WAIT_STEP_MS: u64 = 10;

fn pause() -> Delay {
    Delay::from(core::time::Duration::from_millis(WAIT_STEP_MS))
}

/// Fetches `url` once for every request of the isolate that asks for `key` meanwhile.
async fn fetch_once(url: &str, key: &str, rules: FetchRules, max_buffered: usize) -> Fetched {
    let flights = FLIGHTS.with(|f| *f);
    let url = url.to_string();
    flights
        .run(
            key,
            move || async move {
                let budget = budget();
                let Some(_slot) = budget.start_fetch() else {
                    return Rc::new(Err(FetchFailure::Busy));
                };
                let Some(_held) = budget.reserve(rules.max_body_bytes, max_buffered) else {
                    return Rc::new(Err(FetchFailure::Busy));
                };
                Rc::new(fetcher::fetch(&url, &rules).await)
            },
            pause,
        )
        .await
}

fn remembered(key: &str, now: u64) -> Option<DirectoryRecord> {
    MEMORY.with_borrow_mut(|m| m.get(key, now).map(|h| h.record.clone()))
}

fn remember(key: &str, held: Held, now: u64) {
    let ttl = held.record.storage_ttl(now);
    MEMORY.with_borrow_mut(|m| m.keep(key, held, ttl, now));
}

async fn kv_read(env: &Env, key: &str, now: u64) -> Option<DirectoryRecord> {
    let kv = env.kv(BINDING).ok()?;
    let record = match kv.get(key).text().await {
        Ok(Some(text)) => DirectoryRecord::from_stored(&text, now),
        Ok(None) => None,
        Err(e) => {
            console_warn!("httpseal: directory cache read failed: {e}");
            None
        }
    }?;
    // What KV holds is remembered here, so the next request does not ask KV again.
    let held = Held {
        record: record.clone(),
        in_kv: true,
    };
    remember(key, held, now);
    Some(record)
}

/// KV metadata of a record: the URL it is about (for operators listing the namespace).
#[derive(serde::Serialize)]
struct Metadata<'a> {
    url: &'a str,
}

/// Keeps a record the job produced in memory; returns the KV write still to do when the
/// record is shared and KV does not hold this version yet (at most one write per version
/// per isolate).
fn remember_store(s: &StoreRecord, now: u64) -> bool {
    let already = MEMORY.with_borrow_mut(|m| {
        m.get(&s.key, now).is_some_and(|h| {
            h.in_kv && h.record.cached().fetched_at == s.record.cached().fetched_at
        })
    });
    let write = s.shared && !already;
    let held = Held {
        record: s.record.clone(),
        in_kv: write || already,
    };
    remember(&s.key, held, now);
    write
}

/// Writes a shared record to KV.
async fn kv_put(env: &Env, s: StoreRecord) {
    let Ok(kv) = env.kv(BINDING) else {
        return;
    };
    let put = match kv.put(&s.key, s.record.to_stored()) {
        Ok(builder) => match builder.metadata(Metadata { url: &s.url }) {
            Ok(builder) => builder.expiration_ttl(s.ttl).execute().await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = put {
        console_warn!("httpseal: directory cache write failed: {e}");
    }
}

/// Keeps a record the job produced: in memory now, in KV (when shared) after the response.
fn store(env: &Env, ctx: &Context, s: StoreRecord, now: u64) {
    if remember_store(&s, now) {
        let env = env.clone();
        ctx.wait_until(async move { kv_put(&env, s).await });
    }
}

/// Runs a stale directory's refresh after the response, unless one is running.
fn refresh(io: &Io<'_>, mut task: Box<DirectoryTask>) {
    if FLIGHTS.with(|f| f.is_running(task.key())) {
        return;
    }
    let (env, clock, max_buffered) = (io.env.clone(), io.clock, io.max_buffered);
    io.ctx.wait_until(async move {
        loop {
            let answer = match task.next() {
                Step::Fetch(f) => {
                    let (id, url, key, rules) =
                        (f.id, f.url.to_string(), f.key.to_string(), f.rules);
                    let fetched = fetch_once(&url, &key, rules, max_buffered).await;
                    Answer::Fetch {
                        id,
                        result: (*fetched).clone(),
                    }
                }
                Step::Store(s) => {
                    if remember_store(&s, clock) {
                        kv_put(&env, s).await;
                    }
                    continue;
                }
                _ => return,
            };
            if task.answer(answer).is_err() {
                return;
            }
        }
    });
}

/// The digests of `req`'s body, read from a copy as it streams (the original stays whole
/// for forwarding), up to the limit.
async fn digest(
    req: Option<&web_sys::Request>,
    d: &DigestRequest,
) -> Result<Vec<(httpseal::DigestAlgorithm, Vec<u8>)>, BodyFailure> {
    let unreadable = |e: &dyn core::fmt::Display| BodyFailure::Unreadable(alloc::format!("{e}"));
    let mut hasher = BodyHasher::new(&d.algorithms);
    let Some(req) = req else {
        return Ok(hasher.finish());
    };
    // A tee: the copy is hashed here, the original is still whole for forwarding.
    let copy = req
        .clone()
        .map_err(|e| unreadable(&alloc::format!("{e:?}")))?;
    let Some(stream) = copy.body() else {
        return Ok(hasher.finish());
    };
    let mut chunks = Chunks::new(&stream).map_err(|e| unreadable(&alloc::format!("{e:?}")))?;
    // The body passes through this buffer a slice at a time: memory per request is the
    // buffer, whatever the chunks' size.
    let mut slice = alloc::vec![0u8; HASH_SLICE_BYTES];
    while let Some(chunk) = chunks
        .next()
        .await
        .map_err(|e| unreadable(&alloc::format!("{e:?}")))?
    {
        if hasher.len() + u64::from(chunk.length()) > d.max_bytes as u64 {
            return Err(BodyFailure::TooLarge);
        }
        copy_slices(&chunk, &mut slice, |part| hasher.update(part));
    }
    Ok(hasher.finish())
}
