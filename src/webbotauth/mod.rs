//! Web Bot Auth (draft-ietf-webbotauth-httpsig-protocol): agents sign every request and
//! name the key directory they publish in `Signature-Agent`; verifiers resolve it.
//!
//! Everything here is data in, data out: the rules of the protocol (which member a signature
//! names, where its keys live, how a fetched document is accepted, how long it is cached),
//! used by the verifier job ([`crate::job`]), which every host drives.

mod accept;
mod agent;
mod cache;
mod directory;
mod failure;
mod record;
mod resolve;

pub use crate::limits::{
    MAX_AGENT_MEMBERS, MAX_AGENT_URL_BYTES, MAX_DIRECTORY_BYTES, MAX_DIRECTORY_KEYS,
};
pub use accept::{Accepted, accept};
pub use agent::{
    AgentLocation, AgentMember, AgentOptions, AgentType, check_agent_url, covered_member,
    parse_signature_agent, select_member, signature_agent_member,
};
pub use failure::DiscoveryFailure;
pub use record::{DirectoryRecord, RecordUse, store_key};

pub use directory::{
    DEFAULT_DIRECTORY_SIGNATURE_TTL, DirectoryProof, DirectoryResponse, build_directory,
    check_directory_response, directory_jwk, directory_signature_policy, parse_directory,
    sign_directory, verify_directory_response,
};

pub use cache::{
    CacheState, CachedDirectory, DEFAULT_DIRECTORY_TTL, FIRST_RETRY_DELAY, Freshness,
    MAX_DIRECTORY_TTL, MAX_NEGATIVE_TTL, MAX_STALE, MIN_DIRECTORY_TTL, ProofStatus,
    directory_freshness,
};
pub use resolve::{KeyDocument, read_key_document};

/// The `tag` of a Web Bot Auth request signature.
pub const TAG: &str = "web-bot-auth";
/// The `tag` of a directory response signature.
pub const DIRECTORY_TAG: &str = "http-message-signatures-directory";
/// Where an origin-only `Signature-Agent` publishes its keys.
pub const DIRECTORY_PATH: &str = "/.well-known/http-message-signatures-directory";
/// The media type of a key directory.
pub const DIRECTORY_MEDIA_TYPE: &str = "application/http-message-signatures-directory+json";
