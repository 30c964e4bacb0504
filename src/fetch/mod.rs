//! Fetching, as data. The core never fetches: when the verifier job needs a document (a
//! `Signature-Agent` directory, the JWK Set a client-metadata document names, a
//! `Signature-Key` document), it hands the host a URL and the rules of the fetch, and the host
//! answers with what came back. Every host therefore fetches the same way:
//!
//! - the URL passed [`check_fetch_url`] already (https, a DNS name, no private names);
//! - `GET` with the [`FetchRules::accept`] header, no redirects followed (a 3xx is a
//!   failure: a redirect could lead anywhere the URL rules refuse);
//! - the body read up to [`FetchRules::max_body_bytes`] plus one byte, whether or not the
//!   response announces a length, and refused past it;
//! - the whole exchange within [`FetchRules::timeout_ms`], then aborted.
//!
//! The host reports the response ([`FetchedResponse`], any status: the core decides that
//! only `200` is a directory) or why there is none ([`FetchFailure`]).

mod target;

pub use target::{FetchTarget, HostClass, Refusal, check_fetch_url, classify_host};

use crate::limits::MAX_DIRECTORY_BYTES;
use crate::webbotauth::DIRECTORY_MEDIA_TYPE;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Time for one fetch, headers and body, in milliseconds.
pub const FETCH_TIMEOUT_MS: u64 = 5_000;

/// The `Accept` header of a key document fetch.
pub const DIRECTORY_ACCEPT: &str = "application/http-message-signatures-directory+json, application/jwk-set+json;q=0.9, application/json;q=0.8";

/// The media types a key document may be served with (parameters such as `charset` aside).
pub const DIRECTORY_MEDIA_TYPES: &[&str] = &[
    DIRECTORY_MEDIA_TYPE,
    "application/jwk-set+json",
    "application/json",
];

/// Why the job needs a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FetchPurpose {
    /// A `Signature-Agent` member's JWK Set (or the well-known directory of a bare origin).
    AgentDirectory,
    /// The `jwks_uri` a Client ID Metadata Document names (draft -00 typed members).
    ClientMetadataJwks,
    /// A document a `Signature-Key` member needs (a JWK Set, key metadata).
    SignatureKeyDocument,
}

impl FetchPurpose {
    /// A short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchPurpose::AgentDirectory => "agent_directory",
            FetchPurpose::ClientMetadataJwks => "client_metadata_jwks",
            FetchPurpose::SignatureKeyDocument => "signature_key_document",
        }
    }
}

/// How a host must fetch: the same for every host, stated by the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchRules {
    /// The `Accept` header to send.
    pub accept: &'static str,
    /// The media types the core accepts (a host may refuse others early).
    pub media_types: &'static [&'static str],
    /// Read at most this many body bytes (plus one, to tell "too large"), after content
    /// decoding.
    pub max_body_bytes: usize,
    /// Time for the whole exchange, in milliseconds; abort after it.
    pub timeout_ms: u64,
    /// Always `false`: a 3xx is reported as [`FetchFailure::Redirect`], never followed.
    pub follow_redirects: bool,
    /// The development switch: `http` and loopback hosts may be fetched.
    pub allow_insecure: bool,
}

impl FetchRules {
    /// The rules of a key document fetch.
    pub const fn key_document(allow_insecure: bool) -> Self {
        FetchRules {
            accept: DIRECTORY_ACCEPT,
            media_types: DIRECTORY_MEDIA_TYPES,
            max_body_bytes: MAX_DIRECTORY_BYTES,
            timeout_ms: FETCH_TIMEOUT_MS,
            follow_redirects: false,
            allow_insecure,
        }
    }
}

/// What a fetch returned: any status (the core decides what counts as a directory).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchedResponse {
    /// The status code.
    pub status: u16,
    /// The response header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The body, at most [`FetchRules::max_body_bytes`].
    pub body: Vec<u8>,
}

impl FetchedResponse {
    /// The first value of a header field (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a fetch gave no response. Each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFailure {
    /// The URL breaks the fetch rules; nothing was sent.
    Refused(Refusal),
    /// The server answered with a redirect, which is not followed.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// Where it pointed.
        location: Option<String>,
    },
    /// The body is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The exchange took longer than the timeout.
    Timeout {
        /// The timeout, in milliseconds.
        ms: u64,
    },
    /// The host fetches nothing (a verification with supplied keys, a CLI run without
    /// `--fetch`).
    NotFetched,
    /// The host is at its limit of fetches in flight; try again later.
    Busy,
    /// The network or the platform failed.
    Network(String),
}

impl FetchFailure {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            FetchFailure::Refused(r) => r.code(),
            FetchFailure::Redirect { .. } => "fetch_redirect_refused",
            FetchFailure::TooLarge { .. } => "fetch_too_large",
            FetchFailure::Timeout { .. } => "fetch_timeout",
            FetchFailure::NotFetched => "not_fetched",
            FetchFailure::Busy => "fetch_busy",
            FetchFailure::Network(_) => "fetch_failed",
        }
    }
}

impl fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchFailure::Refused(r) => r.fmt(f),
            FetchFailure::Redirect { status, location } => write!(
                f,
                "the server answered {status} (redirect to {}); redirects are not followed",
                location.as_deref().unwrap_or("nowhere")
            ),
            FetchFailure::TooLarge { limit } => {
                write!(f, "the body is larger than {limit} bytes")
            }
            FetchFailure::Timeout { ms } => write!(f, "no complete answer within {ms} ms"),
            FetchFailure::NotFetched => f.write_str("this verifier fetches no documents"),
            FetchFailure::Busy => f.write_str("too many fetches in flight"),
            FetchFailure::Network(why) => write!(f, "fetch failed: {why}"),
        }
    }
}
