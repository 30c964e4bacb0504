//! Verifying a message: the core's verifier job ([`VerifyJob`]) as a wasm object that the JS
//! layer (`js/src/verify.js`) drives, with the same JSON in and the same verdict out as the
//! Worker's `POST /verify` and `httpseal verify`.
//!
//! The boundary is flat. [`VerifyTask::next`] returns a small integer, the kind of the step
//! ([`STEP_DONE`], [`STEP_WAIT`], [`STEP_LOOKUP`], [`STEP_FETCH`], [`STEP_CHECK`],
//! [`STEP_STORE`], and for gateway tasks [`STEP_DIGEST`], [`STEP_NONCE`]); the step's data is
//! read through getters (strings, numbers, bytes); answers are methods taking plain values and
//! the step's id. Nothing crosses as an object graph.
//!
//! The wasm side keeps what JS need not see: the in-memory tier of the directory store
//! ([`super::memory`], consulted before a lookup reaches JS and fed every record the job
//! keeps), the background refreshes the job hands out (taken by JS after the verdict with
//! [`VerifyTask::take_refresh`], each a `VerifyTask` of its own). `verifyRequest` hands the
//! job the body with the message and keeps no replay store, so its jobs never ask for a
//! digest or a nonce; a gateway task ([`super::gateway`]) streams the body only when a
//! signature's `Content-Digest` needs it and may have a replay store, so its jobs do.

use super::error::{JsResult, OrThrow};
use super::host;
use super::memory::{self, Tier};
use super::message::with_body;
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use httpseal::alg::Algorithm;
use httpseal::api::{Verifiable, VerifyRequestJson};
use httpseal::error::Error;
use httpseal::fetch::{FetchFailure, FetchedResponse};
use httpseal::job::{
    Answer, BodyFailure, CheckAnswer, DirectoryAccess, DirectoryTask, NonceAnswer, Step, StepId,
    VerifyJob, VerifySetup,
};
use httpseal::jwk::JwkSet;
use httpseal::verify::Verdict;
use httpseal::webbotauth::DirectoryRecord;
use wasm_bindgen::prelude::wasm_bindgen;

/// [`VerifyTask::next`]: finished; read [`VerifyTask::verdict`].
pub const STEP_DONE: u8 = 0;
/// Every step that can run is out: await one of them and answer it.
pub const STEP_WAIT: u8 = 1;
/// Read `key()` from the caller's store: answer [`VerifyTask::answer_lookup`].
pub const STEP_LOOKUP: u8 = 2;
/// Fetch `url()` under `accept()`, `maxBytes()`, `timeoutMs()`, no redirects: answer
/// [`VerifyTask::answer_fetch`] or [`VerifyTask::fetch_failed`].
pub const STEP_FETCH: u8 = 3;
/// Check `signature()` over `base()`: answer [`VerifyTask::checked`] (the host's primitive
/// decided, allowed when `alg()` is defined) or [`VerifyTask::check_in_core`].
pub const STEP_CHECK: u8 = 4;
/// Put `record()` under `key()` in the caller's store for `ttl()` seconds (no answer).
pub const STEP_STORE: u8 = 5;
/// Read the request's body, at most `maxBytes()` bytes: answer [`VerifyTask::answer_body`]
/// or [`VerifyTask::body_failed`] (gateway tasks only: the body is asked for once a
/// signature verified and covers `Content-Digest`).
pub const STEP_DIGEST: u8 = 6;
/// Has the replay key `key()` been seen? Record it for `ttl()` seconds if not: answer
/// [`VerifyTask::answer_nonce`] (gateway tasks with a replay store only).
pub const STEP_NONCE: u8 = 7;

/// [`VerifyTask::fetch_failed`]: the network or the platform failed (`detail`: why).
pub const FETCH_NETWORK: u8 = 0;
/// The body is larger than `number` bytes.
pub const FETCH_TOO_LARGE: u8 = 1;
/// No complete answer within `number` milliseconds.
pub const FETCH_TIMEOUT: u8 = 2;
/// A redirect (status `number`, `detail`: its `Location`), not followed.
pub const FETCH_REDIRECT: u8 = 3;
/// Not fetched: the host has too many fetches in flight (`fetch_busy`, which a gateway in
/// `enforce` answers with 503 and `Retry-After`).
pub const FETCH_BUSY: u8 = 4;

/// [`VerifyTask::body_failed`]: reading the body failed (`detail`: why).
pub const BODY_UNREADABLE: u8 = 0;
/// The body is larger than `maxBytes()`.
pub const BODY_TOO_LARGE: u8 = 1;
/// The host will not buffer a body now.
pub const BODY_BUSY: u8 = 2;

/// [`VerifyTask::answer_nonce`]: not seen before, now recorded.
pub const NONCE_NEW: u8 = 0;
/// Seen before: a replay.
pub const NONCE_SEEN: u8 = 1;
/// The replay store failed (`detail`: how); replay is not ruled out.
pub const NONCE_UNAVAILABLE: u8 = 2;

/// A JWK Set read once and kept in wasm memory: the JS layer keeps a few by their JSON text,
/// so repeated verifications with the same `jwks` do not parse it again. Jobs share it.
#[wasm_bindgen]
pub struct KeySet {
    set: Arc<JwkSet>,
}

#[wasm_bindgen]
impl KeySet {
    /// Reads a JWK Set, an array of JWKs or one JWK (JSON text); keys this build cannot
    /// use are skipped.
    #[wasm_bindgen(constructor)]
    pub fn new(jwks: &str) -> JsResult<KeySet> {
        Ok(KeySet {
            set: Arc::new(JwkSet::parse(jwks).or_throw()?),
        })
    }
}

/// The data of the step [`VerifyTask::next`] returned last.
#[derive(Default)]
enum Current {
    #[default]
    None,
    Lookup {
        id: u32,
        key: String,
        url: String,
    },
    Fetch {
        id: u32,
        url: String,
        accept: &'static str,
        max_bytes: usize,
        timeout_ms: u64,
    },
    Check {
        id: u32,
        /// The algorithm, when the host's primitive may decide the check.
        host_alg: Option<Algorithm>,
        thumbprint: String,
        host_jwk: Option<String>,
        base: Vec<u8>,
        signature: Vec<u8>,
    },
    Store {
        key: String,
        url: String,
        text: String,
        ttl: u64,
    },
    Digest {
        id: u32,
        max_bytes: usize,
    },
    Nonce {
        id: u32,
        key: String,
        until: u64,
        ttl: u64,
    },
}

/// What a task drives: a verification, or a directory refresh it handed out.
enum Work {
    Job(Box<VerifyJob<'static>>),
    Refresh(Box<DirectoryTask>),
    /// A refresh the host gave up on.
    Ended,
    /// A verdict decided without a job (a gateway request with no signature fields, or one
    /// that could not be read as a message).
    /// Also a request past a limit of what httpseal reads
    /// ([`httpseal::api::MessageJson::to_verifiable`]).
    Decided(Box<Verdict>),
}

/// One verification (or one background directory refresh), driven by the JS layer.
#[wasm_bindgen]
pub struct VerifyTask {
    work: Work,
    current: Current,
    refreshes: VecDeque<Box<DirectoryTask>>,
    /// The lookups handed to JS and not answered yet (id, store key): a record the caller's
    /// store has is kept in memory too. Several may be out at once.
    lookups: Vec<(u32, String)>,
    /// The host's clock when the verification began: records are dated by it.
    clock: u64,
    tier: Tier,
    /// Whether the caller has a store of its own (else lookups that miss memory are answered
    /// "none" here, and nothing is handed out to store).
    shared_store: bool,
    /// The gateway route the request was verified under (gateway tasks).
    #[cfg(feature = "gateway")]
    pub(crate) route: usize,
}

/// What [`VerifyTask::next`] does with a step, decided while the step borrows the job.
enum Next {
    Return(u8, Current),
    /// Answer at once, and look again.
    Answer(Answer),
    Store(httpseal::job::StoreRecord),
    Refresh(Box<DirectoryTask>),
}

fn step_id(id: u32) -> StepId {
    StepId(id)
}

#[wasm_bindgen]
impl VerifyTask {
    /// Starts the verification of a [`VerifyRequestJson`] document (the message, `now`,
    /// `profile`, `policy`; not `jwks`) with optional body bytes, resolving `Signature-Agent`
    /// directories: memory, then the caller's store (when `shared_store`), then the network.
    /// `allow_http` is the development switch (http and loopback directories). Inputs that
    /// cannot be read (bad JSON, unknown profile or policy) throw; everything about the
    /// signatures is in the verdict.
    #[wasm_bindgen(constructor)]
    pub fn new(
        request: &str,
        body: Option<Vec<u8>>,
        allow_http: bool,
        shared_store: bool,
    ) -> JsResult<VerifyTask> {
        Self::start(request, body, None, allow_http, shared_store)
    }

    /// [`Self::new`] against the keys the caller gives: nothing is looked up or fetched.
    #[wasm_bindgen(js_name = withKeys)]
    pub fn with_keys(request: &str, body: Option<Vec<u8>>, keys: &KeySet) -> JsResult<VerifyTask> {
        Self::start(request, body, Some(keys), false, false)
    }

    fn start(
        request: &str,
        body: Option<Vec<u8>>,
        keys: Option<&KeySet>,
        allow_http: bool,
        shared_store: bool,
    ) -> JsResult<VerifyTask> {
        // serde_json directly, not `VerifyRequestJson::parse`: its serde_path_to_error
        // wrapper (which prefixes the member at fault) is ~8 KiB gzipped of wasm. The error
        // code is the same; the message says what is wrong without the path.
        let doc: VerifyRequestJson = serde_json::from_str(request)
            .map_err(|e| Error::MalformedMessage(format!("invalid verify request: {e}")))
            .or_throw()?;
        let msg = match doc.message.to_verifiable().or_throw()? {
            Verifiable::Message(msg) => with_body(msg, body).or_throw()?,
            Verifiable::Judged(verdict) => return Ok(VerifyTask::decided(verdict)),
        };
        let mut policy = doc.policy().or_throw()?;
        if allow_http && let Some(options) = policy.signature_agent.as_mut() {
            options.allow_http = true;
        }
        let clock = host::now();
        let mut setup = VerifySetup::new(policy, doc.now.unwrap_or(clock));
        setup.clock = clock;
        setup = match keys {
            Some(keys) => setup.known_set(&keys.set),
            None => setup.directories(DirectoryAccess::Fetch),
        };
        Ok(Self::of(
            Work::Job(Box::new(VerifyJob::new(msg, setup))),
            clock,
            Tier::of(allow_http),
            shared_store,
        ))
    }

    /// The next step's kind (`STEP_*`); its data is read with the getters below.
    // Not an iterator: the name is the job's, and JS calls it.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u8 {
        loop {
            let decided = match &mut self.work {
                Work::Job(job) => decide(job.next(), self.tier, self.clock, self.shared_store),
                Work::Refresh(task) => {
                    decide(task.next(), self.tier, self.clock, self.shared_store)
                }
                Work::Ended | Work::Decided(_) => Next::Return(STEP_DONE, Current::None),
            };
            match decided {
                Next::Return(kind, current) => {
                    if let Current::Lookup { id, key, .. } = &current {
                        self.lookups.push((*id, key.clone()));
                    }
                    self.current = current;
                    return kind;
                }
                Next::Answer(answer) => self.give(answer),
                Next::Store(s) => {
                    memory::put(self.tier, &s.key, s.record.clone(), s.ttl, self.clock);
                    if s.shared && self.shared_store {
                        self.current = Current::Store {
                            text: s.record.to_stored(),
                            key: s.key,
                            url: s.url,
                            ttl: s.ttl,
                        };
                        return STEP_STORE;
                    }
                }
                Next::Refresh(task) => self.refreshes.push_back(task),
            }
        }
    }

    fn give(&mut self, answer: Answer) {
        let refused = match &mut self.work {
            Work::Job(job) => job.answer(answer).is_err(),
            Work::Refresh(task) => task.answer(answer).is_err(),
            Work::Ended | Work::Decided(_) => false,
        };
        if refused {
            self.abandon();
        }
    }

    /// Ends the task because the host cannot answer what it waits for: a verification's
    /// verdict is then `unverified` with `host_answer_missing`; a refresh just stops.
    pub fn abandon(&mut self) {
        match &mut self.work {
            Work::Job(job) => job.abandon(),
            Work::Refresh(_) => self.work = Work::Ended,
            Work::Ended | Work::Decided(_) => {}
        }
    }

    /// The id of the step (answers carry it back).
    pub fn id(&self) -> u32 {
        match &self.current {
            Current::Lookup { id, .. }
            | Current::Fetch { id, .. }
            | Current::Check { id, .. }
            | Current::Digest { id, .. }
            | Current::Nonce { id, .. } => *id,
            Current::None | Current::Store { .. } => 0,
        }
    }

    /// The key of a lookup or a store in the caller's store (the core's store key, kept
    /// apart under `allowHttp`: [`Tier::shared_key`]), or a nonce's replay key.
    pub fn key(&self) -> String {
        match &self.current {
            Current::Lookup { key, .. } | Current::Store { key, .. } => self.tier.shared_key(key),
            Current::Nonce { key, .. } => key.clone(),
            _ => String::new(),
        }
    }

    /// The URL a lookup, fetch or store is about.
    pub fn url(&self) -> String {
        match &self.current {
            Current::Lookup { url, .. }
            | Current::Fetch { url, .. }
            | Current::Store { url, .. } => url.clone(),
            _ => String::new(),
        }
    }

    /// The `Accept` header of a fetch.
    pub fn accept(&self) -> String {
        match &self.current {
            Current::Fetch { accept, .. } => accept.to_string(),
            _ => String::new(),
        }
    }

    /// The largest body a fetch, or a digest step, may read (read one byte more to tell
    /// "too large").
    #[wasm_bindgen(js_name = maxBytes)]
    pub fn max_bytes(&self) -> usize {
        match &self.current {
            Current::Fetch { max_bytes, .. } | Current::Digest { max_bytes, .. } => *max_bytes,
            _ => 0,
        }
    }

    /// The time a fetch may take, headers and body, in milliseconds.
    #[wasm_bindgen(js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> u32 {
        match &self.current {
            Current::Fetch { timeout_ms, .. } => u32::try_from(*timeout_ms).unwrap_or(u32::MAX),
            _ => 0,
        }
    }

    /// The algorithm (registry name) of a check when the host's primitive may decide it
    /// (under the core's host-check rules); `undefined` when the core must.
    pub fn alg(&self) -> Option<String> {
        match &self.current {
            Current::Check { host_alg, .. } => host_alg.map(|a| a.name().to_string()),
            _ => None,
        }
    }

    /// The RFC 7638 thumbprint of a check's key, to cache what the host imported.
    pub fn thumbprint(&self) -> String {
        match &self.current {
            Current::Check { thumbprint, .. } => thumbprint.clone(),
            _ => String::new(),
        }
    }

    /// The public JWK (JSON text) the host imports to check; `undefined` when it may not.
    #[wasm_bindgen(js_name = hostKey)]
    pub fn host_key(&self) -> Option<String> {
        match &self.current {
            Current::Check { host_jwk, .. } => host_jwk.clone(),
            _ => None,
        }
    }

    /// The signature base of a check (UTF-8 bytes).
    pub fn base(&self) -> Vec<u8> {
        match &self.current {
            Current::Check { base, .. } => base.clone(),
            _ => Vec::new(),
        }
    }

    /// The signature bytes of a check.
    pub fn signature(&self) -> Vec<u8> {
        match &self.current {
            Current::Check { signature, .. } => signature.clone(),
            _ => Vec::new(),
        }
    }

    /// The record (text) a store keeps.
    pub fn record(&self) -> String {
        match &self.current {
            Current::Store { text, .. } => text.clone(),
            _ => String::new(),
        }
    }

    /// How long a store keeps the record, or a replay store the nonce, seconds.
    pub fn ttl(&self) -> u32 {
        match &self.current {
            Current::Store { ttl, .. } | Current::Nonce { ttl, .. } => {
                u32::try_from(*ttl).unwrap_or(u32::MAX)
            }
            _ => 0,
        }
    }

    /// Until when (UNIX seconds) a nonce's signature could be accepted: a strict replay
    /// store (a Durable Object) keeps the nonce until then.
    pub fn until(&self) -> f64 {
        match &self.current {
            Current::Nonce { until, .. } => *until as f64,
            _ => 0.0,
        }
    }

    /// Answers lookup `id` with the text the caller's store keeps (`undefined`: none). A
    /// record that reads is kept in memory too.
    #[wasm_bindgen(js_name = answerLookup)]
    pub fn answer_lookup(&mut self, id: u32, text: Option<String>) {
        let record = text.and_then(|t| DirectoryRecord::from_stored(&t, self.clock));
        let key = self
            .lookups
            .iter()
            .position(|(i, _)| *i == id)
            .map(|at| self.lookups.swap_remove(at).1);
        if let (Some(r), Some(key)) = (&record, key) {
            memory::put(
                self.tier,
                &key,
                r.clone(),
                r.storage_ttl(self.clock),
                self.clock,
            );
        }
        self.give(Answer::Lookup {
            id: step_id(id),
            record,
        });
    }

    /// Answers fetch `id` with the response: its status, its header fields as one string
    /// (`name\nvalue\nname\nvalue…`: no name or value holds a line feed) and its body.
    #[wasm_bindgen(js_name = answerFetch)]
    pub fn answer_fetch(&mut self, id: u32, status: u16, headers: &str, body: Vec<u8>) {
        let mut fields = headers.split('\n');
        let mut pairs = Vec::new();
        while let (Some(name), Some(value)) = (fields.next(), fields.next()) {
            pairs.push((name.to_string(), value.to_string()));
        }
        let response = FetchedResponse {
            status,
            headers: pairs,
            body,
        };
        self.give(Answer::Fetch {
            id: step_id(id),
            result: Ok(response),
        });
    }

    /// Answers fetch `id` with why there is no response: `kind` is a `FETCH_*` constant,
    /// `number` the redirect status, the size limit or the timeout, `detail` what the
    /// platform said (or the redirect's `Location`).
    #[wasm_bindgen(js_name = fetchFailed)]
    pub fn fetch_failed(&mut self, id: u32, kind: u8, number: u32, detail: &str) {
        let failure = match kind {
            FETCH_TOO_LARGE => FetchFailure::TooLarge {
                limit: number as usize,
            },
            FETCH_TIMEOUT => FetchFailure::Timeout {
                ms: u64::from(number),
            },
            FETCH_REDIRECT => FetchFailure::Redirect {
                status: u16::try_from(number).unwrap_or(0),
                location: (!detail.is_empty()).then(|| detail.to_string()),
            },
            FETCH_BUSY => FetchFailure::Busy,
            FETCH_NETWORK => FetchFailure::Network(detail.to_string()),
            _ => FetchFailure::Network(format!("unknown failure {kind}: {detail}")),
        };
        self.give(Answer::Fetch {
            id: step_id(id),
            result: Err(failure),
        });
    }

    /// Answers check `id` with the host primitive's result (allowed only when `alg()` was
    /// defined); the job settles a `false` by the core's rules.
    pub fn checked(&mut self, id: u32, verified: bool) {
        self.give(Answer::Check {
            id: step_id(id),
            answer: CheckAnswer::Host(verified),
        });
    }

    /// Answers digest step `id` with the request's body (the core computes the digests); at
    /// most `maxBytes()` bytes — a longer body is [`BODY_TOO_LARGE`].
    #[wasm_bindgen(js_name = answerBody)]
    pub fn answer_body(&mut self, id: u32, bytes: Vec<u8>) {
        self.give(Answer::Body {
            id: step_id(id),
            bytes,
        });
    }

    /// Answers digest step `id` with why there is no body: `kind` is a `BODY_*` constant,
    /// `detail` what the platform said.
    #[wasm_bindgen(js_name = bodyFailed)]
    pub fn body_failed(&mut self, id: u32, kind: u8, detail: &str) {
        let failure = match kind {
            BODY_TOO_LARGE => BodyFailure::TooLarge,
            BODY_BUSY => BodyFailure::Busy,
            BODY_UNREADABLE => BodyFailure::Unreadable(detail.to_string()),
            _ => BodyFailure::Unreadable(format!("unknown failure {kind}: {detail}")),
        };
        self.give(Answer::Digest {
            id: step_id(id),
            result: Err(failure),
        });
    }

    /// Answers nonce step `id`: `kind` is a `NONCE_*` constant; `detail` says how the store
    /// failed ([`NONCE_UNAVAILABLE`]).
    #[wasm_bindgen(js_name = answerNonce)]
    pub fn answer_nonce(&mut self, id: u32, kind: u8, detail: &str) {
        let answer = match kind {
            NONCE_NEW => NonceAnswer::New,
            NONCE_SEEN => NonceAnswer::Seen,
            NONCE_UNAVAILABLE => NonceAnswer::Unavailable(detail.to_string()),
            _ => NonceAnswer::Unavailable(format!("unknown answer {kind}: {detail}")),
        };
        self.give(Answer::Nonce {
            id: step_id(id),
            answer,
        });
    }

    /// Leaves check `id` to the core's own (pure Rust) primitive.
    #[wasm_bindgen(js_name = checkInCore)]
    pub fn check_in_core(&mut self, id: u32) {
        self.give(Answer::Check {
            id: step_id(id),
            answer: CheckAnswer::Core,
        });
    }

    /// The verdict ([`httpseal::Verdict`] as JSON), once [`Self::next`] returned
    /// [`STEP_DONE`].
    pub fn verdict(&self) -> String {
        match self.verdict_ref() {
            Some(v) => v.to_json(),
            None => unfinished().to_json(),
        }
    }

    /// A directory refresh the job handed out (a stale record it used), to drive after the
    /// verdict like a verification; `undefined` when there is none left.
    #[wasm_bindgen(js_name = takeRefresh)]
    pub fn take_refresh(&mut self) -> Option<VerifyTask> {
        let task = self.refreshes.pop_front()?;
        Some(Self::of(
            Work::Refresh(task),
            self.clock,
            self.tier,
            self.shared_store,
        ))
    }

    /// The store key of the directory a refresh task resolves (one refresh per directory
    /// at a time).
    #[wasm_bindgen(js_name = directoryKey)]
    pub fn directory_key(&self) -> String {
        match &self.work {
            Work::Refresh(task) => task.key().to_string(),
            _ => String::new(),
        }
    }
}

impl VerifyTask {
    fn of(work: Work, clock: u64, tier: Tier, shared_store: bool) -> Self {
        VerifyTask {
            work,
            current: Current::None,
            refreshes: VecDeque::new(),
            lookups: Vec::new(),
            clock,
            tier,
            shared_store,
            #[cfg(feature = "gateway")]
            route: 0,
        }
    }

    #[cfg(feature = "gateway")]
    /// A task over a job a gateway set up (its directory records kept apart under the
    /// development switch, as `verifyRequest`'s are).
    pub(crate) fn job(
        job: VerifyJob<'static>,
        clock: u64,
        allow_http: bool,
        shared_store: bool,
    ) -> Self {
        Self::of(
            Work::Job(Box::new(job)),
            clock,
            Tier::of(allow_http),
            shared_store,
        )
    }

    /// A task that is finished before it starts, with `verdict`.
    pub(crate) fn decided(verdict: Verdict) -> Self {
        Self::of(Work::Decided(Box::new(verdict)), 0, Tier::Default, false)
    }

    /// The verdict, once finished.
    pub(crate) fn verdict_ref(&self) -> Option<&Verdict> {
        match &self.work {
            Work::Job(job) => job.verdict(),
            Work::Decided(v) => Some(v),
            _ => None,
        }
    }
}

/// The verdict of a task asked before it finished.
pub(crate) fn unfinished() -> Verdict {
    Verdict::from_error(Error::HostAnswerMissing("the job has not finished".into()))
}

/// What to do with `step`: hand it to JS, or answer it here.
fn decide(step: Step<'_>, tier: Tier, clock: u64, shared_store: bool) -> Next {
    match step {
        Step::Done => Next::Return(STEP_DONE, Current::None),
        Step::Wait => Next::Return(STEP_WAIT, Current::None),
        Step::Lookup(l) => match memory::get(tier, l.key, clock) {
            Some(record) => Next::Answer(Answer::Lookup {
                id: l.id,
                record: Some(record),
            }),
            None if !shared_store => Next::Answer(Answer::Lookup {
                id: l.id,
                record: None,
            }),
            None => Next::Return(
                STEP_LOOKUP,
                Current::Lookup {
                    id: l.id.0,
                    key: l.key.to_string(),
                    url: l.url.to_string(),
                },
            ),
        },
        Step::Fetch(f) => Next::Return(
            STEP_FETCH,
            Current::Fetch {
                id: f.id.0,
                url: f.url.to_string(),
                accept: f.rules.accept,
                max_bytes: f.rules.max_body_bytes,
                timeout_ms: f.rules.timeout_ms,
            },
        ),
        Step::Check(c) => {
            let host = c.host_may_check();
            Next::Return(
                STEP_CHECK,
                Current::Check {
                    id: c.id.0,
                    host_alg: host.then_some(c.alg),
                    // Only a host that imports the key needs its name.
                    thumbprint: match (host, c.thumbprint()) {
                        (false, _) => String::new(),
                        (true, Some(t)) => t.to_string(),
                        (true, None) => c.key.thumbprint(),
                    },
                    host_jwk: c
                        .host_jwk()
                        .map(|jwk| serde_json::to_string(&jwk).unwrap_or_default()),
                    base: c.base.to_vec(),
                    signature: c.signature.to_vec(),
                },
            )
        }
        Step::Store(s) => Next::Store(s),
        Step::Refresh(task) => Next::Refresh(task),
        // Asked only of gateway tasks (a body streamed by the host, a replay store); a JS
        // driver that cannot answer abandons the job.
        Step::Digest(d) => Next::Return(
            STEP_DIGEST,
            Current::Digest {
                id: d.id.0,
                max_bytes: d.max_bytes,
            },
        ),
        Step::Nonce(n) => Next::Return(
            STEP_NONCE,
            Current::Nonce {
                id: n.id.0,
                key: n.key.to_string(),
                until: n.until,
                ttl: n.ttl,
            },
        ),
    }
}
