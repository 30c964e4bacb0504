//! The verdict: `verified` / `invalid` / `unverified`, with what was checked and why.

use crate::component::ComponentId;
use crate::error::{Error, ErrorClass};
use crate::input::LabelledSignature;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

/// The three outcomes a verifier keeps apart (Web Bot Auth §"Verifier Outcomes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A signature and its key material validate under the policy.
    Verified,
    /// A signature, covered component, key, or freshness check fails.
    Invalid,
    /// Not enough information to decide: no signature, or the key is unknown.
    Unverified,
}

impl Outcome {
    /// The outcome an error leads to: its [`ErrorClass`] (missing information is
    /// `unverified`, anything that was checked and failed is `invalid`).
    pub fn of(error: &Error) -> Self {
        error.class().into()
    }

    /// The lowercase name (`verified`, `invalid`, `unverified`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::Invalid => "invalid",
            Outcome::Unverified => "unverified",
        }
    }
}

impl From<ErrorClass> for Outcome {
    fn from(class: ErrorClass) -> Self {
        match class {
            ErrorClass::Invalid => Outcome::Invalid,
            ErrorClass::Unverified => Outcome::Unverified,
        }
    }
}

/// An error as a verdict's JSON carries it: a stable code, a human message, the policy rule
/// that decided (when a rule did), and for an unavailable directory the typed cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// [`Error::code`]
    pub code: String,
    /// [`Error`]'s `Display`
    pub message: String,
    /// [`Error::rule`]: the setting that refused the signature (`maxLifetime`, `tag`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// Why a directory is unavailable: the code and message of the failed step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// The cause of an unavailable directory, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The stable code of the failed step (`fetch_timeout`, `fetch_status`, ...).
    pub code: String,
    /// What it said.
    pub message: String,
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        ErrorInfo {
            code: e.code().to_string(),
            message: e.to_string(),
            rule: e.rule(),
            cause: match e {
                Error::DirectoryUnavailable { cause, .. } => Some(Cause {
                    code: cause.code().to_string(),
                    message: cause.to_string(),
                }),
                _ => None,
            },
        }
    }
}

fn error_info<S: serde::Serializer>(error: &Option<Error>, s: S) -> Result<S::Ok, S::Error> {
    error.as_ref().map(ErrorInfo::from).serialize(s)
}

/// The result of verifying a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `verified`, `invalid` or `unverified`.
    pub verdict: Outcome,
    /// The label of the signature this verdict is about.
    pub label: Option<String>,
    /// Its `keyid`.
    pub keyid: Option<String>,
    /// The algorithm used (bound to the key), or the `alg` parameter if no key was found.
    pub alg: Option<String>,
    /// Its `tag`.
    pub tag: Option<String>,
    /// Its `created`.
    pub created: Option<u64>,
    /// Its `expires`.
    pub expires: Option<u64>,
    /// Its `nonce`.
    pub nonce: Option<String>,
    /// The covered components, serialised (`"@authority"`, `"signature-agent";key="a"`).
    pub components: Vec<String>,
    /// The signature agent (Web Bot Auth): the URL the key was resolved from.
    pub agent: Option<String>,
    /// Who signed, as far as the verifier can tell (draft -01 §4): the agent URL the key
    /// was resolved from, normalised; without one (no `Signature-Agent`, a key known by
    /// other means, a failed discovery) the key's JWK thumbprint (for a key not found, the
    /// `keyid` it claims).
    pub identifier: Option<String>,
    /// What the agent directory's own signatures proved (`valid`, `invalid`, `absent`), when
    /// the key came from a directory: `valid` binds the key to the directory's domain.
    pub directory_proof: Option<crate::webbotauth::ProofStatus>,
    /// The signature base, when it could be built (for debugging).
    pub signature_base: Option<String>,
    /// Why it is not `verified`: the typed error (serialised as `{code, message, rule?,
    /// cause?}`).
    #[serde(serialize_with = "error_info")]
    pub error: Option<Error>,
}

impl Verdict {
    /// A verdict about no particular signature.
    pub fn from_error(error: Error) -> Self {
        Verdict {
            verdict: Outcome::of(&error),
            label: None,
            keyid: None,
            alg: None,
            tag: None,
            created: None,
            expires: None,
            nonce: None,
            components: Vec::new(),
            agent: None,
            identifier: None,
            directory_proof: None,
            signature_base: None,
            error: Some(error),
        }
    }

    pub(crate) fn about(sig: &LabelledSignature) -> Self {
        let p = &sig.params;
        Verdict {
            verdict: Outcome::Invalid,
            label: Some(sig.label.clone()),
            keyid: p.keyid().map(str::to_string),
            alg: p.alg().map(str::to_string),
            tag: p.tag().map(str::to_string),
            created: p.created(),
            expires: p.expires(),
            nonce: p.nonce().map(str::to_string),
            components: p.components().iter().map(ComponentId::serialize).collect(),
            agent: None,
            identifier: p.keyid().map(str::to_string),
            directory_proof: None,
            signature_base: None,
            error: None,
        }
    }

    /// Whether the verdict is `verified`.
    pub fn is_verified(&self) -> bool {
        self.verdict == Outcome::Verified
    }

    /// The stable code of the error, if any.
    pub fn error_code(&self) -> Option<&'static str> {
        self.error.as_ref().map(Error::code)
    }

    /// Makes the verdict fail with `error` (an `invalid` or `unverified` verdict, by the
    /// error's class).
    pub fn fail(&mut self, error: Error) {
        self.verdict = Outcome::of(&error);
        self.error = Some(error);
    }

    /// The verdict as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
