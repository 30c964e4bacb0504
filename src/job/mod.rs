//! The verifier job: the whole verification flow as one sans-IO state machine, which every
//! host drives — the Worker (fetch, KV, the isolate's memory, the Durable Object), the CLI
//! (blocking HTTP), the npm package (JS `fetch`, an optional cache object). The job owns
//! every protocol decision; a host only moves bytes.
//!
//! ```text
//!   host                               VerifyJob (core)
//!   ────                               ────────────────
//!   VerifyJob::new(msg, setup) ──────▶ parse Signature-Input, Signature, Signature-Agent,
//!                                      Signature-Key (once); policy per signature
//!   loop { job.next() } ◀───────────── Step:
//!     Lookup  {key}            ──▶ store.get(key)        ──▶ Answer::Lookup(record?)
//!     Fetch   {url, rules}     ──▶ GET, no redirects, ≤ limit, ≤ timeout
//!                                                         ──▶ Answer::Fetch(response | failure)
//!     Store   {key, record, ttl, shared}   ──▶ store.put (memory; KV when shared)
//!     Refresh (DirectoryTask)  ──▶ drive it after the response (ctx.waitUntil)
//!     Check   {alg, key, base, sig}        ──▶ WebCrypto / node:crypto / core
//!                                                         ──▶ Answer::Check(host | core)
//!     Digest  {algorithms, max}            ──▶ hash the body as it streams
//!                                                         ──▶ Answer::Digest(digests)
//!     Nonce   {key, until, ttl}            ──▶ KV / Durable Object / Map
//!                                                         ──▶ Answer::Nonce(new | seen | failed)
//!     Wait                                 ──▶ await any pending answer
//!     Done                                 ──▶ job.verdict()
//! ```
//!
//! The order of the work, the cache rules and the replay window are the job's
//! ([`verify`](VerifyJob), [`DirectoryTask`], [`crate::verify::replay_entry`]); document
//! acceptance is [`crate::webbotauth::accept`]. Signing has the same shape, smaller
//! ([`SignJob`]).

mod directory;
pub mod drive;
mod memory;
mod sign;
mod step;
mod verify;

pub use directory::DirectoryTask;
pub use memory::RecordMemory;
pub use sign::{SignJob, SignStep};
pub use step::{
    Answer, AnswerError, BodyFailure, Check, CheckAnswer, DigestRequest, Fetch, Lookup,
    NonceAnswer, NonceRequest, Step, StepId, StoreRecord,
};
pub use verify::{
    DEFAULT_MAX_CHECKED_BODY_BYTES, DirectoryAccess, IdentifierPolicy, KnownKeys, SIGNATURE_FIELDS,
    VerifyJob, VerifySetup, unreadable_request,
};
