//! Why an agent's key directory is not available: the typed cause inside
//! [`Error::DirectoryUnavailable`].
//!
//! A failed discovery is not evidence against the signer (draft -01 § Discovery Failure):
//! every cause leaves the signature `unverified`, and none evicts cached keys. The cause says
//! which step failed, so a host can act on it (the Worker answers `busy` with 503) and a
//! verdict can say more than "not available".

use crate::error::Error;
use crate::fetch::FetchFailure;
use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

/// Why a directory is not available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryFailure {
    /// The fetch gave no response (refused URL, redirect, too large, timeout, network), or
    /// the host fetches nothing.
    Fetch(FetchFailure),
    /// The server answered another status than `200`.
    Status(u16),
    /// The response is not a JSON media type a directory is served with.
    MediaType(String),
    /// The document breaks the directory rules (not JSON, not a JWK Set, ...).
    Document(Box<Error>),
    /// A recent attempt failed and is remembered (negative caching): no fetch until the
    /// back-off ends.
    Remembered {
        /// The stable code of the remembered failure.
        code: String,
        /// What it said.
        reason: String,
    },
    /// The request names more distinct directories than a verifier resolves for one
    /// request ([`crate::limits::MAX_DIRECTORIES_PER_REQUEST`]).
    TooManyDirectories,
}

impl DiscoveryFailure {
    /// The stable code of the cause.
    pub fn code(&self) -> &str {
        match self {
            DiscoveryFailure::Fetch(f) => f.code(),
            DiscoveryFailure::Status(_) => "fetch_status",
            DiscoveryFailure::MediaType(_) => "directory_media_type",
            DiscoveryFailure::Document(e) => e.code(),
            DiscoveryFailure::Remembered { code, .. } => code,
            DiscoveryFailure::TooManyDirectories => "too_many_directories",
        }
    }

    /// The error a verdict carries for `url`.
    pub fn at(self, url: &str) -> Error {
        Error::DirectoryUnavailable {
            url: url.into(),
            cause: Box::new(self),
        }
    }
}

impl From<FetchFailure> for DiscoveryFailure {
    fn from(f: FetchFailure) -> Self {
        DiscoveryFailure::Fetch(f)
    }
}

impl fmt::Display for DiscoveryFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoveryFailure::Fetch(failure) => failure.fmt(f),
            DiscoveryFailure::Status(s) => {
                write!(f, "the server answered {s} (only 200 is a directory)")
            }
            DiscoveryFailure::MediaType(m) => write!(f, "media type {m:?} is not a JWK Set"),
            DiscoveryFailure::Document(e) => e.fmt(f),
            DiscoveryFailure::Remembered { reason, .. } => {
                write!(f, "{reason} (remembered; retried after a back-off)")
            }
            DiscoveryFailure::TooManyDirectories => write!(
                f,
                "the request names more than {} key directories",
                crate::limits::MAX_DIRECTORIES_PER_REQUEST
            ),
        }
    }
}
