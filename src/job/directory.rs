//! One directory's resolution after the store had nothing usable: fetch under the core's
//! rules, accept the document, and say what to keep. The verifier job runs one per missing
//! directory; a stale record's background refresh is the same task, handed to the host as
//! [`Step::Refresh`] and driven on its own.
//!
//! The cache rules hold here: a successful fetch replaces the record (a key the agent no
//! longer lists stops verifying); a failed one never evicts — the keys held keep verifying
//! (stale-on-error) and the next attempt backs off (negative caching, at most five minutes);
//! a failure stays in the host's memory, never in a shared store, so unauthenticated
//! requests cannot make the verifier write to KV for directories that do not resolve.

use super::step::{Answer, AnswerError, Fetch, Step, StepId, StoreRecord};
use crate::fetch::{FetchFailure, FetchPurpose, FetchRules, FetchedResponse, check_fetch_url};
use crate::jwk::JwkSet;
use crate::limits::MAX_FETCHES_PER_DIRECTORY;
use crate::webbotauth::{
    Accepted, AgentLocation, AgentOptions, AgentType, CachedDirectory, DirectoryRecord,
    DiscoveryFailure, ProofStatus, RecordUse, accept, store_key,
};
use alloc::string::String;
use alloc::sync::Arc;

/// What a resolution ends with.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// Keys to verify with, and what the directory's signatures proved.
    Keys(Arc<JwkSet>, ProofStatus),
    /// No keys: why.
    Unavailable(DiscoveryFailure),
}

impl Resolution {
    /// How the verifier uses `record` at `now` (`refresh`: whether a background refresh is
    /// due), or `None` when it must fetch.
    pub(crate) fn of_record(record: &DirectoryRecord, now: u64) -> Option<(Self, bool)> {
        let proof = record.proof();
        match record.use_at(now) {
            RecordUse::Use(keys) => Some((Resolution::Keys(keys, proof), false)),
            RecordUse::UseAndRefresh(keys) => Some((Resolution::Keys(keys, proof), true)),
            RecordUse::Unavailable(why) => Some((Resolution::Unavailable(why), false)),
            RecordUse::Fetch => None,
        }
    }
}

#[derive(Debug)]
enum TaskState {
    /// The next fetch can be handed out.
    Ready,
    /// A fetch is out.
    Fetching(StepId),
    /// Finished; the record to keep is not handed out yet.
    Storing(StoreRecord, Resolution),
    /// Finished and stored.
    Done(Resolution),
}

/// One directory's fetch, acceptance and record.
#[derive(Debug)]
pub struct DirectoryTask {
    location: AgentLocation,
    key: String,
    /// The URL fetched now: the location's, or the `jwks_uri` a client-metadata document
    /// named.
    url: String,
    kind: AgentType,
    purpose: FetchPurpose,
    previous: Option<DirectoryRecord>,
    options: AgentOptions,
    clock: u64,
    fetches: usize,
    state: TaskState,
    /// Ids for a task driven on its own (a background refresh).
    own_ids: u32,
}

impl DirectoryTask {
    /// The resolution of `location`, whose store held `previous` (stale or failed), at the
    /// host's `clock`.
    pub(crate) fn new(
        location: AgentLocation,
        previous: Option<DirectoryRecord>,
        options: AgentOptions,
        clock: u64,
    ) -> Self {
        let mut task = DirectoryTask {
            key: store_key(&location.identifier),
            url: location.fetch_url.clone(),
            kind: location.kind,
            purpose: FetchPurpose::AgentDirectory,
            location,
            previous,
            options,
            clock,
            fetches: 0,
            state: TaskState::Ready,
            own_ids: 0,
        };
        // The URL rules apply before anything is sent, whatever host fetches.
        if let Err(refusal) = check_fetch_url(&task.url, options.allow_http) {
            task.fail(DiscoveryFailure::Fetch(FetchFailure::Refused(refusal)));
        }
        task
    }

    /// The store key of the directory.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The URL being resolved (the agent's).
    pub fn url(&self) -> &str {
        &self.location.fetch_url
    }

    /// The result, once finished.
    pub(crate) fn resolution(&self) -> Option<&Resolution> {
        match &self.state {
            TaskState::Done(r) | TaskState::Storing(_, r) => Some(r),
            _ => None,
        }
    }

    /// The record to keep, when the task just finished (handed out once).
    pub(crate) fn take_store(&mut self) -> Option<StoreRecord> {
        if !matches!(self.state, TaskState::Storing(..)) {
            return None;
        }
        let TaskState::Storing(store, resolution) =
            core::mem::replace(&mut self.state, TaskState::Ready)
        else {
            return None;
        };
        self.state = TaskState::Done(resolution);
        Some(store)
    }

    /// Hands out the next fetch, with `id`; `None` when none is due.
    pub(crate) fn start_fetch(&mut self, id: StepId) -> Option<Fetch<'_>> {
        if !matches!(self.state, TaskState::Ready) {
            return None;
        }
        self.state = TaskState::Fetching(id);
        self.fetches += 1;
        Some(Fetch {
            id,
            url: &self.url,
            rules: FetchRules::key_document(self.options.allow_http),
            purpose: self.purpose,
            key: &self.key,
        })
    }

    /// Whether the next fetch can be handed out.
    pub(crate) fn ready_to_fetch(&self) -> bool {
        matches!(self.state, TaskState::Ready)
    }

    /// Whether `id` is this task's fetch in flight.
    pub(crate) fn is_fetching(&self, id: StepId) -> bool {
        matches!(self.state, TaskState::Fetching(f) if f == id)
    }

    /// Takes the fetch's result.
    pub(crate) fn fetched(&mut self, result: Result<FetchedResponse, FetchFailure>) {
        let response = match result {
            Ok(r) => r,
            Err(failure) => return self.fail(DiscoveryFailure::Fetch(failure)),
        };
        let location = AgentLocation {
            kind: self.kind,
            ..self.location.clone()
        };
        match accept(&location, &self.url, &response, self.options, self.clock) {
            Accepted::Record(record) => self.finish(record),
            Accepted::FetchJwksUri(uri)
                if self.kind == AgentType::Cimd && self.fetches < MAX_FETCHES_PER_DIRECTORY =>
            {
                match check_fetch_url(&uri, self.options.allow_http) {
                    Ok(_) => {
                        self.url = uri;
                        self.kind = AgentType::JwksUri;
                        self.purpose = FetchPurpose::ClientMetadataJwks;
                        self.state = TaskState::Ready;
                    }
                    Err(r) => self.fail(DiscoveryFailure::Fetch(FetchFailure::Refused(r))),
                }
            }
            Accepted::FetchJwksUri(_) => self.fail(DiscoveryFailure::Document(
                alloc::boxed::Box::new(crate::Error::InvalidDirectory(
                    "a JWK Set document points at another one".into(),
                )),
            )),
            Accepted::Rejected(failure) => self.fail(failure),
        }
    }

    /// Takes a record another request's fetch of the same URL produced (single-flight).
    pub(crate) fn fetched_elsewhere(&mut self, record: DirectoryRecord) {
        let resolution = match Resolution::of_record(&record, self.clock) {
            Some((r, _)) => r,
            None => Resolution::Unavailable(DiscoveryFailure::Fetch(FetchFailure::Network(
                "the coalesced fetch left no usable record".into(),
            ))),
        };
        // The fetching request stored it already.
        self.state = TaskState::Done(resolution);
    }

    fn finish(&mut self, record: DirectoryRecord) {
        let resolution = match record.keys() {
            Some(keys) => Resolution::Keys(keys.clone(), record.proof()),
            None => Resolution::Unavailable(DiscoveryFailure::Document(alloc::boxed::Box::new(
                crate::Error::InvalidDirectory("no keys".into()),
            ))),
        };
        let store = StoreRecord {
            key: self.key.clone(),
            url: self.location.fetch_url.clone(),
            ttl: record.storage_ttl(self.clock),
            shared: record.shareable(),
            record,
        };
        self.state = TaskState::Storing(store, resolution);
    }

    /// A failed attempt: remembered (with back-off), the keys already held kept.
    fn fail(&mut self, failure: DiscoveryFailure) {
        let previous = self.previous.as_ref();
        let cached = CachedDirectory::failed_with(
            previous.map(DirectoryRecord::cached),
            failure.code(),
            alloc::format!("{failure}"),
            self.clock,
        );
        let record = DirectoryRecord::failed(cached, previous);
        let resolution = match record.use_at(self.clock) {
            RecordUse::Use(keys) | RecordUse::UseAndRefresh(keys) => {
                Resolution::Keys(keys, record.proof())
            }
            RecordUse::Unavailable(_) | RecordUse::Fetch => Resolution::Unavailable(failure),
        };
        let store = StoreRecord {
            key: self.key.clone(),
            url: self.location.fetch_url.clone(),
            ttl: record.storage_ttl(self.clock),
            // Failures stay in the host's memory (module docs).
            shared: false,
            record,
        };
        self.state = TaskState::Storing(store, resolution);
    }

    /// The next step of a task driven on its own (a background refresh): [`Step::Fetch`],
    /// [`Step::Store`], [`Step::Wait`] or [`Step::Done`]. (Not an iterator: each step
    /// borrows the task.)
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Step<'_> {
        if let Some(store) = self.take_store() {
            return Step::Store(store);
        }
        match self.state {
            TaskState::Ready => {
                self.own_ids += 1;
                let id = StepId(self.own_ids);
                match self.start_fetch(id) {
                    Some(fetch) => Step::Fetch(fetch),
                    None => Step::Done,
                }
            }
            TaskState::Fetching(_) => Step::Wait,
            TaskState::Storing(..) | TaskState::Done(_) => Step::Done,
        }
    }

    /// An answer to a task driven on its own: [`Answer::Fetch`] or
    /// [`Answer::FetchedElsewhere`].
    pub fn answer(&mut self, answer: Answer) -> Result<(), AnswerError> {
        let id = answer.id();
        if !self.is_fetching(id) {
            return Err(AnswerError::NotWaiting(id));
        }
        match answer {
            Answer::Fetch { result, .. } => self.fetched(result),
            Answer::FetchedElsewhere { record, .. } => self.fetched_elsewhere(record),
            _ => {
                return Err(AnswerError::WrongKind {
                    id,
                    asked: "a fetch",
                });
            }
        }
        Ok(())
    }
}
