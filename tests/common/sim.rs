//! A simulated host for the verifier job: a network of canned responses, a store of
//! directory records (memory, and a shared store that keeps only what may be shared), a
//! replay store and a clock, behind [`BlockingHost`]. Tests serve documents, run requests
//! through [`Sim::verify`], advance the clock and read back what the job fetched and kept.
//!
//! The sim is a well-behaved host: it fetches only what the job asks, under the job's
//! [`FetchRules`] (a 3xx is a [`FetchFailure::Redirect`], a body over the limit is
//! [`FetchFailure::TooLarge`]), keeps every record [`Step::Store`] hands it for the TTL it
//! says (in the shared store only when `shared`), and runs background refreshes
//! ([`Step::Refresh`]) when the test says so, after the request ([`Sim::run_refreshes`]).
//! [`Route::Raw`] breaks the rules on purpose, to show the core does not rely on the host.
//!
//! Included by the tests that need it (`#[path = "common/sim.rs"] mod sim;`), so that the
//! crates that share `tests/common/mod.rs` do not build it.
#![allow(dead_code)]

use httpseal::digest::{BodyHasher, DigestAlgorithm};
use httpseal::fetch::{FetchFailure, FetchPurpose, FetchRules, FetchedResponse};
use httpseal::job::drive::{self, BlockingHost};
use httpseal::job::{
    BodyFailure, Check, CheckAnswer, DigestRequest, DirectoryAccess, DirectoryTask, Fetch, Lookup,
    NonceAnswer, NonceRequest, StoreRecord, VerifyJob, VerifySetup,
};
use httpseal::webbotauth::{self, DIRECTORY_MEDIA_TYPE, DirectoryRecord, store_key};
use httpseal::{HttpMessage, Key, Outcome, Policy, Profile, Verdict};
use std::collections::BTreeMap;

/// What the network answers for one URL.
#[derive(Debug, Clone)]
pub enum Route {
    /// This response, delivered the way the fetch rules say (a 3xx becomes a redirect
    /// failure, a body over the limit a too-large failure).
    Respond(FetchedResponse),
    /// This response handed to the job as is, whatever the rules: a host that does not
    /// enforce them.
    Raw(FetchedResponse),
    /// No response: this failure.
    Fail(FetchFailure),
    /// The server never answers. A job that fetches it makes the test fail.
    Hang,
}

/// One step the job asked of the host, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Lookup(String),
    Fetch(String, FetchPurpose),
    Store { url: String, shared: bool },
    Refresh(String),
    Check,
    Digest,
    Nonce,
}

/// A record the store keeps, and until when.
#[derive(Debug, Clone)]
pub struct Kept<T> {
    pub url: String,
    pub value: T,
    pub until: u64,
}

/// The simulated host.
pub struct Sim {
    /// The host's clock (UNIX seconds): records are dated by it, and the job verifies at it.
    pub now: u64,
    routes: BTreeMap<String, Route>,
    /// Fetches per URL, since the sim was made.
    pub fetches: BTreeMap<String, usize>,
    /// Every step the host was asked, in order.
    pub seen: Vec<Seen>,
    /// Every record `Step::Store` handed over, in order.
    pub stored: Vec<StoreRecord>,
    /// The host's memory: every record, by store key.
    pub memory: BTreeMap<String, Kept<DirectoryRecord>>,
    /// The shared store (KV): only the records the job said may be shared, as text.
    pub shared: BTreeMap<String, Kept<String>>,
    /// The replay store: nonce keys and until when they are kept.
    pub nonces: BTreeMap<String, u64>,
    /// When set, the replay store fails with this reason.
    pub replay_store_down: Option<String>,
    /// The request body the host streams when the job asks for its digest.
    pub body: Option<Vec<u8>>,
    /// Refreshes handed out and not run yet.
    pub refreshes: Vec<DirectoryTask>,
}

impl Default for Sim {
    fn default() -> Self {
        Sim::at(1_800_000_000)
    }
}

impl Sim {
    /// A sim whose clock reads `now`, with an empty network and store.
    pub fn at(now: u64) -> Self {
        Sim {
            now,
            routes: BTreeMap::new(),
            fetches: BTreeMap::new(),
            seen: Vec::new(),
            stored: Vec::new(),
            memory: BTreeMap::new(),
            shared: BTreeMap::new(),
            nonces: BTreeMap::new(),
            replay_store_down: None,
            body: None,
            refreshes: Vec::new(),
        }
    }

    /// Answers `url` with `route` from now on.
    pub fn serve(&mut self, url: &str, route: Route) -> &mut Self {
        self.routes.insert(url.to_string(), route);
        self
    }

    /// Serves `keys` at `url` as an unsigned directory, fresh for `max_age` seconds.
    pub fn serve_keys(&mut self, url: &str, keys: &[&Key], max_age: u64) -> &mut Self {
        self.serve(url, Route::Respond(directory_response(keys, max_age)))
    }

    /// Moves the clock on.
    pub fn advance(&mut self, seconds: u64) {
        self.now += seconds;
    }

    /// A setup at the sim's clock: the store and the network for directories, the replay
    /// store for nonces, the host's body for digests when the sim has one.
    pub fn setup(&self, policy: Policy) -> VerifySetup<'static> {
        let mut setup = VerifySetup::new(policy, self.now).directories(DirectoryAccess::Fetch);
        setup.nonces = true;
        setup.body_from_host = self.body.is_some();
        setup
    }

    /// Verifies `msg` under `policy` with [`Self::setup`].
    pub fn verify(&mut self, msg: &HttpMessage, policy: &Policy) -> Verdict {
        let setup = self.setup(policy.clone());
        self.run(msg, setup)
    }

    /// Verifies `msg` with `setup`, driving the job through this host.
    pub fn run<'k>(&mut self, msg: &'k HttpMessage, setup: VerifySetup<'k>) -> Verdict {
        let mut job = VerifyJob::borrowing(msg, setup);
        drive::run(&mut job, self)
    }

    /// Runs the refreshes handed out so far (after the response, as `ctx.waitUntil` does);
    /// returns how many ran.
    pub fn run_refreshes(&mut self) -> usize {
        let tasks = std::mem::take(&mut self.refreshes);
        let n = tasks.len();
        for task in tasks {
            drive::run_task(task, self);
        }
        n
    }

    /// Fetches of `url` so far.
    pub fn fetched(&self, url: &str) -> usize {
        self.fetches.get(url).copied().unwrap_or(0)
    }

    /// Fetches of any URL so far.
    pub fn total_fetches(&self) -> usize {
        self.fetches.values().sum()
    }

    /// Forgets the counters and the step log (the network, the store and the clock stay).
    pub fn clear_log(&mut self) {
        self.fetches.clear();
        self.seen.clear();
        self.stored.clear();
    }

    /// How many steps of this kind the host was asked since the log was cleared.
    pub fn count(&self, kind: fn(&Seen) -> bool) -> usize {
        self.seen.iter().filter(|s| kind(s)).count()
    }

    /// The record the host's memory keeps for the directory fetched from `url`, while kept.
    pub fn record(&self, url: &str) -> Option<&DirectoryRecord> {
        self.memory
            .get(&store_key(url))
            .filter(|k| k.until > self.now)
            .map(|k| &k.value)
    }

    /// The text the shared store keeps for `url`, while kept.
    pub fn shared_record(&self, url: &str) -> Option<&str> {
        self.shared
            .get(&store_key(url))
            .filter(|k| k.until > self.now)
            .map(|k| k.value.as_str())
    }

    /// Puts `record` in the store for `url` (memory, and the shared store when `shared`),
    /// as an earlier request would have.
    pub fn keep(&mut self, url: &str, record: DirectoryRecord, shared: bool) {
        let until = self.now + record.storage_ttl(self.now);
        if shared {
            self.shared.insert(
                store_key(url),
                Kept {
                    url: url.into(),
                    value: record.to_stored(),
                    until,
                },
            );
        }
        self.memory.insert(
            store_key(url),
            Kept {
                url: url.into(),
                value: record,
                until,
            },
        );
    }

    /// Puts `keys` in the store for `url` as a directory fetched now, fresh for `ttl`.
    pub fn keep_keys(&mut self, url: &str, keys: &[&Key], ttl: u64) {
        let body = directory_body(keys);
        let freshness = webbotauth::Freshness {
            ttl,
            shareable: true,
        };
        let cached = webbotauth::CachedDirectory::fetched(body, freshness, self.now);
        let record = DirectoryRecord::new(cached, self.now);
        self.keep(url, record, true);
    }

    fn route(&self, url: &str) -> Route {
        self.routes
            .get(url)
            .cloned()
            .unwrap_or_else(|| Route::Fail(FetchFailure::Network(format!("no route to {url}"))))
    }
}

impl BlockingHost for Sim {
    fn lookup(&mut self, lookup: &Lookup<'_>) -> Option<DirectoryRecord> {
        self.seen.push(Seen::Lookup(lookup.url.to_string()));
        if let Some(k) = self.memory.get(lookup.key).filter(|k| k.until > self.now) {
            return Some(k.value.clone());
        }
        self.shared
            .get(lookup.key)
            .filter(|k| k.until > self.now)
            .and_then(|k| DirectoryRecord::from_stored(&k.value, self.now))
    }

    fn fetch(&mut self, fetch: &Fetch<'_>) -> Result<FetchedResponse, FetchFailure> {
        let url = fetch.url.to_string();
        self.seen.push(Seen::Fetch(url.clone(), fetch.purpose));
        *self.fetches.entry(url.clone()).or_default() += 1;
        assert!(
            !fetch.rules.follow_redirects,
            "the job never asks to follow"
        );
        match self.route(&url) {
            Route::Respond(r) => deliver(r, &fetch.rules),
            Route::Raw(r) => Ok(r),
            Route::Fail(f) => Err(f),
            Route::Hang => panic!("the job fetched {url}, which never answers"),
        }
    }

    fn store(&mut self, record: StoreRecord) {
        self.seen.push(Seen::Store {
            url: record.url.clone(),
            shared: record.shared,
        });
        let until = self.now + record.ttl;
        if record.shared {
            self.shared.insert(
                record.key.clone(),
                Kept {
                    url: record.url.clone(),
                    value: record.record.to_stored(),
                    until,
                },
            );
        }
        self.memory.insert(
            record.key.clone(),
            Kept {
                url: record.url.clone(),
                value: record.record.clone(),
                until,
            },
        );
        self.stored.push(record);
    }

    fn check(&mut self, _check: &Check<'_>) -> CheckAnswer {
        self.seen.push(Seen::Check);
        CheckAnswer::Core
    }

    fn nonce(&mut self, nonce: &NonceRequest<'_>) -> NonceAnswer {
        self.seen.push(Seen::Nonce);
        if let Some(why) = &self.replay_store_down {
            return NonceAnswer::Unavailable(why.clone());
        }
        let now = self.now;
        self.nonces.retain(|_, until| *until > now);
        match self.nonces.insert(nonce.key.to_string(), now + nonce.ttl) {
            Some(_) => NonceAnswer::Seen,
            None => NonceAnswer::New,
        }
    }

    fn digest(
        &mut self,
        request: &DigestRequest,
    ) -> Result<Vec<(DigestAlgorithm, Vec<u8>)>, BodyFailure> {
        self.seen.push(Seen::Digest);
        let body = self
            .body
            .as_ref()
            .ok_or_else(|| BodyFailure::Unreadable("no body".into()))?;
        // Streamed, as a host reads a request body: in chunks, never past the limit.
        let mut hasher = BodyHasher::new(&request.algorithms);
        for chunk in body.chunks(1000) {
            if hasher.len() as usize + chunk.len() > request.max_bytes {
                return Err(BodyFailure::TooLarge);
            }
            hasher.update(chunk);
        }
        Ok(hasher.finish())
    }

    fn refresh(&mut self, task: Box<DirectoryTask>) {
        self.seen.push(Seen::Refresh(task.url().to_string()));
        self.refreshes.push(*task);
    }
}

/// A response as a host that follows `rules` delivers it.
fn deliver(r: FetchedResponse, rules: &FetchRules) -> Result<FetchedResponse, FetchFailure> {
    if (300..400).contains(&r.status) {
        return Err(FetchFailure::Redirect {
            status: r.status,
            location: r.header("location").map(str::to_string),
        });
    }
    if r.body.len() > rules.max_body_bytes {
        return Err(FetchFailure::TooLarge {
            limit: rules.max_body_bytes,
        });
    }
    Ok(r)
}

/// A key of the tests' own (not a published test key): Ed25519 from the seed `[n; 32]`.
pub fn key(n: u8) -> Key {
    Key::ed25519_private(&[n; 32]).unwrap()
}

/// The web-bot-auth profile as a verifier runs it (published test keys refused).
pub fn wba() -> Policy {
    Profile::WebBotAuth.policy()
}

/// A verdict's outcome and error code: the pair most scenario assertions compare.
pub fn outcome(v: &Verdict) -> (Outcome, Option<&'static str>) {
    (v.verdict, v.error_code())
}

/// The JWK Set of `keys`' public halves.
pub fn directory_body(keys: &[&Key]) -> String {
    let public: Vec<Key> = keys.iter().map(|k| k.to_public()).collect();
    webbotauth::build_directory(&public).unwrap()
}

/// A `200` response with `body` as the directory media type, fresh for `max_age` seconds.
pub fn json_response(body: &str, max_age: u64) -> FetchedResponse {
    FetchedResponse {
        status: 200,
        headers: vec![
            ("Content-Type".into(), DIRECTORY_MEDIA_TYPE.into()),
            ("Cache-Control".into(), format!("max-age={max_age}")),
        ],
        body: body.as_bytes().to_vec(),
    }
}

/// An unsigned directory of `keys`, fresh for `max_age` seconds.
pub fn directory_response(keys: &[&Key], max_age: u64) -> FetchedResponse {
    json_response(&directory_body(keys), max_age)
}

/// A directory of `keys` signed by each of them for `authority` (draft -01 Appendix B.1),
/// valid for an hour from `now`, fresh for `max_age` seconds.
pub fn signed_directory_response(
    keys: &[&Key],
    authority: &str,
    now: u64,
    max_age: u64,
) -> FetchedResponse {
    let owned: Vec<Key> = keys.iter().map(|k| (*k).clone()).collect();
    let signed =
        webbotauth::sign_directory(&owned, authority, now - 10, now + 3600, &[9; 32]).unwrap();
    let mut headers = signed.headers;
    headers.push(("Cache-Control".into(), format!("max-age={max_age}")));
    FetchedResponse {
        status: 200,
        headers,
        body: signed.body.into_bytes(),
    }
}

/// A response with `status` and no body (a redirect gets a `Location`).
pub fn status_response(status: u16, location: Option<&str>) -> FetchedResponse {
    let mut headers = vec![];
    if let Some(l) = location {
        headers.push(("Location".into(), l.to_string()));
    }
    FetchedResponse {
        status,
        headers,
        body: Vec::new(),
    }
}
