//! Web Bot Auth (draft-ietf-webbotauth-httpsig-protocol): agents sign every request and
//! name the key directory they publish in `Signature-Agent`; verifiers resolve it.
//!
//! Everything here is data in, data out: the verifier gets a *plan* of what to fetch and
//! rules for caching, never a fetch. The Worker, the CLI and the npm package do the I/O.

mod agent;

pub use agent::{AgentMember, AgentType, signature_agent_member};

/// The `tag` of a Web Bot Auth request signature.
pub const TAG: &str = "web-bot-auth";
/// The `tag` of a directory response signature.
pub const DIRECTORY_TAG: &str = "http-message-signatures-directory";
/// Where an origin-only `Signature-Agent` publishes its keys.
pub const DIRECTORY_PATH: &str = "/.well-known/http-message-signatures-directory";
/// The media type of a key directory.
pub const DIRECTORY_MEDIA_TYPE: &str = "application/http-message-signatures-directory+json";
