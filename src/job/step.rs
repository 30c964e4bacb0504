//! What a job asks of its host ([`Step`]) and what the host answers ([`Answer`]).
//!
//! Steps that need an answer carry a [`StepId`]; the host answers by id, in any order, and
//! may run several at once (lookups and fetches of different directories). Steps without an
//! answer ([`Step::Store`], [`Step::Refresh`]) are instructions. [`Step::Wait`] means every
//! step that can run has been handed out: answer one of them. A step the host never
//! answers is a host bug, reported as such ([`super::VerifyJob::abandon`]) — never read as
//! a default.

use crate::alg::Algorithm;
use crate::digest::DigestAlgorithm;
use crate::fetch::{FetchFailure, FetchPurpose, FetchRules, FetchedResponse};
use crate::jwk::Jwk;
use crate::key::Key;
use crate::verify::host::{host_may_check, settle};
use crate::webbotauth::DirectoryRecord;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Names one question of a job; answers carry it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StepId(pub u32);

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What the job needs next.
#[must_use = "a step is the job asking its host to act; ignoring it stalls the job"]
#[derive(Debug)]
// A step is handed out once and moved to the host; boxing the record would cost every
// Store an allocation, and the hosts match on `Step::Store(StoreRecord)`.
#[allow(clippy::large_enum_variant)]
pub enum Step<'a> {
    /// Read the record a store keeps under `key` (the isolate's memory, then KV, or a
    /// `Map`): answer with [`Answer::Lookup`] (`None` when there is none).
    Lookup(Lookup<'a>),
    /// Fetch a document under the job's rules: answer with [`Answer::Fetch`], or, when
    /// another request of the same host fetched the same URL meanwhile (single-flight),
    /// with [`Answer::FetchedElsewhere`].
    Fetch(Fetch<'a>),
    /// Check signature bytes: answer with [`Answer::Check`].
    Check(Check<'a>),
    /// Compute the body's digests for its `Content-Digest` check: answer with
    /// [`Answer::Digest`] or [`Answer::Body`].
    Digest(DigestRequest),
    /// Has this nonce been seen? Record it if not: answer with [`Answer::Nonce`].
    Nonce(NonceRequest<'a>),
    /// Keep this record (no answer). `shared` says whether a shared store (KV) may keep it;
    /// memory always may.
    Store(StoreRecord),
    /// A directory to refresh after this request, without holding it up (`ctx.waitUntil`):
    /// drive the task like a job (no answer here).
    Refresh(alloc::boxed::Box<super::DirectoryTask>),
    /// Every step that can run is out: answer one of them.
    Wait,
    /// The job is finished: read [`super::VerifyJob::verdict`].
    Done,
}

/// [`Step::Lookup`].
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    /// Answer with this id.
    pub id: StepId,
    /// The store key ([`crate::webbotauth::store_key`] of the agent identifier: one record
    /// per identifier, however the URL was spelled).
    pub key: &'a str,
    /// The URL the record is about (for metadata and logs).
    pub url: &'a str,
}

/// [`Step::Fetch`].
#[derive(Debug, Clone, Copy)]
pub struct Fetch<'a> {
    /// Answer with this id.
    pub id: StepId,
    /// The URL, already checked against the fetch rules ([`crate::fetch::check_fetch_url`]).
    pub url: &'a str,
    /// How to fetch it.
    pub rules: FetchRules,
    /// Why the job needs it.
    pub purpose: FetchPurpose,
    /// The store key of the directory this fetch resolves (single-flight and coalescing
    /// hosts group fetches by it).
    pub key: &'a str,
}

/// [`Step::Check`]: one signature's bytes over its base, under a key the job resolved.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// Answer with this id.
    pub id: StepId,
    /// The algorithm, bound to the key (never taken from the signature alone).
    pub alg: Algorithm,
    /// The key.
    pub key: &'a Key,
    /// The signature base.
    pub base: &'a [u8],
    /// The signature bytes.
    pub signature: &'a [u8],
}

impl Check<'_> {
    /// Whether a host primitive (WebCrypto, `node:crypto`) may decide this check, under
    /// the rules that keep its verdicts identical to the core's ([`crate::verify::host`]);
    /// otherwise answer [`CheckAnswer::Core`].
    pub fn host_may_check(&self) -> bool {
        host_may_check(self.alg, self.key, self.signature)
    }

    /// The JWK a host imports to check (`None` when it must not).
    pub fn host_jwk(&self) -> Option<Jwk> {
        self.host_may_check().then(|| self.key.public_jwk())
    }

    /// The key's RFC 7638 thumbprint: what hosts key their imported keys by.
    pub fn thumbprint(&self) -> Option<&str> {
        self.key.thumbprint_str()
    }

    /// Checks with the core's own primitive (what [`CheckAnswer::Core`] does):
    /// `Err(InvalidSignature)` when the bytes do not verify, `Err(UnsupportedKey)` for a key
    /// only a host primitive can check.
    pub fn check_in_core(&self) -> crate::Result<()> {
        self.key.verify(self.alg, self.base, self.signature)
    }

    /// The result of a host primitive's answer, settled by the core's rules (a "false" is
    /// re-checked where native primitives are stricter than RFC 9421).
    pub fn settle(&self, host_verified: bool) -> crate::Result<()> {
        if settle(self.alg, host_verified, || self.check_in_core().is_ok()) {
            Ok(())
        } else {
            Err(crate::Error::InvalidSignature)
        }
    }
}

/// How a check was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckAnswer {
    /// The host's primitive answered (`true`: the signature verifies). Only valid when
    /// [`Check::host_may_check`]; the job settles a "false" itself.
    Host(bool),
    /// The host leaves the check to the core's own primitive.
    Core,
}

/// [`Step::Digest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRequest {
    /// Answer with this id.
    pub id: StepId,
    /// The digests to compute over the body (every trusted algorithm `Content-Digest`
    /// carries).
    pub algorithms: Vec<DigestAlgorithm>,
    /// Read at most this many bytes (plus one, to tell "too large"); larger bodies are
    /// [`BodyFailure::TooLarge`].
    pub max_bytes: usize,
}

/// Why a body's digest could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyFailure {
    /// The body is larger than the limit.
    TooLarge,
    /// The host refuses to read bodies now (its budget of buffered bytes is spent).
    Busy,
    /// Reading failed (the client went away, the stream broke).
    Unreadable(String),
}

/// [`Step::Nonce`].
#[derive(Debug, Clone, Copy)]
pub struct NonceRequest<'a> {
    /// Answer with this id.
    pub id: StepId,
    /// The store key ([`crate::verify::replay_key`]).
    pub key: &'a str,
    /// Until when the signature could be accepted (UNIX seconds).
    pub until: u64,
    /// How long to keep the entry, seconds (at least 60).
    pub ttl: u64,
}

/// What a replay store says about a nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonceAnswer {
    /// Not seen before; now recorded.
    New,
    /// Seen before: a replay.
    Seen,
    /// The store failed (could not read or record): replay is not ruled out.
    Unavailable(String),
}

/// [`Step::Store`].
#[derive(Debug, Clone)]
pub struct StoreRecord {
    /// The store key.
    pub key: String,
    /// The URL the record is about (KV metadata).
    pub url: String,
    /// The record (memory keeps it as is; a shared store keeps [`DirectoryRecord::to_stored`]).
    pub record: DirectoryRecord,
    /// Seconds to keep it.
    pub ttl: u64,
    /// Whether a shared store (KV) may keep it.
    pub shared: bool,
}

/// A host's answer to a step.
#[derive(Debug)]
pub enum Answer {
    /// To [`Step::Lookup`].
    Lookup {
        /// The step.
        id: StepId,
        /// The record, if the store has one.
        record: Option<DirectoryRecord>,
    },
    /// To [`Step::Fetch`].
    Fetch {
        /// The step.
        id: StepId,
        /// The response (any status), or why there is none.
        result: Result<FetchedResponse, FetchFailure>,
    },
    /// To [`Step::Fetch`], when the host fetched the same URL for another job meanwhile
    /// (single-flight): the record that fetch produced.
    FetchedElsewhere {
        /// The step.
        id: StepId,
        /// The record.
        record: DirectoryRecord,
    },
    /// To [`Step::Check`].
    Check {
        /// The step.
        id: StepId,
        /// The answer.
        answer: CheckAnswer,
    },
    /// To [`Step::Digest`]: the digests computed as the body streamed.
    Digest {
        /// The step.
        id: StepId,
        /// One digest per requested algorithm, or why there are none.
        result: Result<Vec<(DigestAlgorithm, Vec<u8>)>, BodyFailure>,
    },
    /// To [`Step::Digest`]: the whole body (the job computes the digests).
    Body {
        /// The step.
        id: StepId,
        /// The body.
        bytes: Vec<u8>,
    },
    /// To [`Step::Nonce`].
    Nonce {
        /// The step.
        id: StepId,
        /// The answer.
        answer: NonceAnswer,
    },
}

impl Answer {
    /// The step it answers.
    pub fn id(&self) -> StepId {
        match self {
            Answer::Lookup { id, .. }
            | Answer::Fetch { id, .. }
            | Answer::FetchedElsewhere { id, .. }
            | Answer::Check { id, .. }
            | Answer::Digest { id, .. }
            | Answer::Body { id, .. }
            | Answer::Nonce { id, .. } => *id,
        }
    }
}

/// An answer the job cannot take: a host bug, reported rather than guessed around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// No step with this id is waiting (never asked, or answered already).
    NotWaiting(StepId),
    /// The step with this id asked something else.
    WrongKind {
        /// The step.
        id: StepId,
        /// What it asked.
        asked: &'static str,
    },
    /// A host primitive answered a check the host may not decide.
    HostMayNotCheck(StepId),
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::NotWaiting(id) => write!(f, "step {id} is not waiting for an answer"),
            AnswerError::WrongKind { id, asked } => {
                write!(f, "step {id} asked for {asked}, and got another answer")
            }
            AnswerError::HostMayNotCheck(id) => write!(
                f,
                "step {id} is a check the host's primitive may not decide (answer Core)"
            ),
        }
    }
}

impl core::error::Error for AnswerError {}
