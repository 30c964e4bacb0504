//! Verifying signatures (RFC 9421 §3.2) under a policy, with a structured verdict.
//!
//! Each signature in the message is tried in order: cheap parameter rules first (so an
//! expired or out-of-policy signature costs no cryptography), then the key, the algorithm
//! bound to it, the signature base, the signature bytes, `Content-Digest`, and last the
//! nonce (so forged requests cannot fill a replay store). The first signature that passes
//! verifies the message; otherwise the most telling failure is reported.

use crate::alg::Algorithm;
use crate::base::signature_base;
use crate::component::ComponentId;
use crate::digest::check_content_digest;
use crate::error::{Error, Result};
use crate::input::{LabelledSignature, SignatureParams, combined_field, parse_signatures};
use crate::jwk::JwkSet;
use crate::key::Key;
use crate::message::Message;
use crate::sftypes::SfRegistry;
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
    /// The outcome an error leads to: missing information is `unverified`, anything that
    /// was checked and failed is `invalid`.
    pub fn of(error: &Error) -> Self {
        match error {
            Error::NoSignature
            | Error::NoApplicableSignature(_)
            | Error::LabelNotFound(_)
            | Error::UnknownKey(_)
            | Error::AmbiguousKey
            | Error::UnsupportedKey(_) => Outcome::Unverified,
            _ => Outcome::Invalid,
        }
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

/// A stable error code and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// [`Error::code`]
    pub code: String,
    /// [`Error`]'s `Display`
    pub message: String,
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        ErrorInfo {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
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
    /// The signature base, when it could be built (for debugging).
    pub signature_base: Option<String>,
    /// Why it is not `verified`.
    pub error: Option<ErrorInfo>,
}

impl Verdict {
    /// A verdict about no particular signature.
    pub fn from_error(error: &Error) -> Self {
        Verdict {
            verdict: Outcome::of(error),
            label: None,
            keyid: None,
            alg: None,
            tag: None,
            created: None,
            expires: None,
            nonce: None,
            components: Vec::new(),
            agent: None,
            signature_base: None,
            error: Some(error.into()),
        }
    }

    fn about(sig: &LabelledSignature) -> Self {
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
            signature_base: None,
            error: None,
        }
    }

    /// Whether the verdict is `verified`.
    pub fn is_verified(&self) -> bool {
        self.verdict == Outcome::Verified
    }

    /// Turns a verified verdict into an invalid one (a host's own later check failed,
    /// such as an asynchronous nonce store).
    pub fn fail(&mut self, error: &Error) {
        self.verdict = Outcome::of(error);
        self.error = Some(error.into());
    }

    /// The verdict as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A rule that one of several components be covered (a single one: simply required).
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// Any of these satisfies the rule.
    pub any_of: Vec<ComponentId>,
}

impl Requirement {
    /// Parses components in the user form (`@authority`, `content-digest`).
    pub fn any_of<'a>(components: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        Ok(Requirement {
            any_of: components
                .into_iter()
                .map(ComponentId::parse)
                .collect::<Result<_>>()?,
        })
    }

    fn satisfied_by(&self, params: &SignatureParams) -> bool {
        self.any_of
            .iter()
            .any(|want| params.components().iter().any(|c| c.same_component(want)))
    }

    fn describe(&self) -> String {
        let names: Vec<String> = self.any_of.iter().map(ComponentId::serialize).collect();
        names.join(" or ")
    }
}

/// Checks a nonce against what was seen before (RFC 9421 §7.2.2). Called only for a
/// signature that verified; it should record the nonce until `until` (the signature's
/// `expires`, or `created` + the maximum age) and answer whether it was new.
pub trait NonceCheck {
    /// Returns `true` when `nonce` had not been seen and is now recorded.
    fn check_and_record(&self, nonce: &str, until: u64) -> bool;
}

/// The rules a signature must meet beyond being cryptographically valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Clock skew tolerated on `created` (future) and `expires` (past), seconds.
    pub skew: u64,
    /// Oldest acceptable `created`, seconds before now.
    pub max_age: Option<u64>,
    /// Longest acceptable `expires - created`, seconds.
    pub max_lifetime: Option<u64>,
    /// `created` must be present.
    pub require_created: bool,
    /// `expires` must be present.
    pub require_expires: bool,
    /// `keyid` must be present.
    pub require_keyid: bool,
    /// `nonce` must be present.
    pub require_nonce: bool,
    /// Components that must be covered.
    pub required: Vec<Requirement>,
    /// When set, only these algorithms are accepted.
    pub allowed_algorithms: Option<Vec<Algorithm>>,
    /// When set, only signatures with this `tag` apply; others are ignored.
    pub tag: Option<String>,
    /// When set, only the signature with this label applies.
    pub label: Option<String>,
    /// Check a covered `content-digest` against the body when the body is available.
    pub check_content_digest: bool,
    /// A request with a non-empty body must cover `content-digest`.
    pub require_digest_for_body: bool,
    /// Structured-field types for `sf` components.
    pub structured_fields: SfRegistry,
}

impl Default for Policy {
    /// The `rfc9421` profile: the RFC's own requirements, 60 s skew, `created` and
    /// `expires` honoured when present, every algorithm, any tag.
    fn default() -> Self {
        Policy {
            skew: 60,
            max_age: None,
            max_lifetime: None,
            require_created: false,
            require_expires: false,
            require_keyid: false,
            require_nonce: false,
            required: Vec::new(),
            allowed_algorithms: None,
            tag: None,
            label: None,
            check_content_digest: true,
            require_digest_for_body: false,
            structured_fields: SfRegistry::new(),
        }
    }
}

impl Policy {
    /// Checks the signature parameters against the policy at time `now`.
    pub fn check_params(&self, p: &SignatureParams, now: u64) -> Result<()> {
        if self.require_keyid && p.keyid().is_none() {
            return Err(Error::MissingKeyId);
        }
        let created = p.created();
        let expires = p.expires();
        match created {
            None if self.require_created => return Err(Error::MissingCreated),
            Some(c) if c > now.saturating_add(self.skew) => {
                return Err(Error::CreatedInFuture { created: c, now });
            }
            _ => {}
        }
        match expires {
            None if self.require_expires => return Err(Error::MissingExpires),
            Some(e) if now > e.saturating_add(self.skew) => {
                return Err(Error::Expired { expires: e, now });
            }
            _ => {}
        }
        if let (Some(c), Some(e)) = (created, expires) {
            if e < c {
                return Err(Error::ExpiresBeforeCreated);
            }
            if let Some(max) = self.max_lifetime {
                if e - c > max {
                    return Err(Error::LifetimeTooLong {
                        lifetime: e - c,
                        max,
                    });
                }
            }
        }
        if let (Some(c), Some(max_age)) = (created, self.max_age) {
            if now.saturating_sub(c) > max_age.saturating_add(self.skew) {
                return Err(Error::SignatureTooOld {
                    created: c,
                    now,
                    max_age,
                });
            }
        }
        if self.require_nonce && p.nonce().is_none() {
            return Err(Error::NonceRequired);
        }
        for rule in &self.required {
            if !rule.satisfied_by(p) {
                return Err(Error::MissingRequiredComponent(rule.describe()));
            }
        }
        Ok(())
    }

    fn check_algorithm(&self, alg: Algorithm) -> Result<()> {
        match &self.allowed_algorithms {
            Some(allowed) if !allowed.contains(&alg) => {
                Err(Error::AlgorithmNotAllowed(alg.name().into()))
            }
            _ => Ok(()),
        }
    }

    /// Whether a signature is one this policy considers at all (label and tag).
    fn applies_to(&self, sig: &LabelledSignature) -> bool {
        self.label.as_ref().is_none_or(|l| *l == sig.label)
            && self
                .tag
                .as_deref()
                .is_none_or(|t| sig.params.tag() == Some(t))
    }
}

/// Where keys come from. A JWK Set is the simplest source; Web Bot Auth resolves keys per
/// signature agent.
pub trait KeySource {
    /// The key for one signature. `Err(UnknownKey)` leaves the message unverified.
    fn key_for(&self, sig: &LabelledSignature, msg: &dyn Message) -> Result<ResolvedKey<'_>>;
}

/// A key found for a signature, and where it came from.
#[derive(Debug, Clone)]
pub struct ResolvedKey<'a> {
    /// The key.
    pub key: &'a Key,
    /// The signature agent URL the key was published at, when known.
    pub agent: Option<String>,
}

impl KeySource for JwkSet {
    fn key_for(&self, sig: &LabelledSignature, _msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        Ok(ResolvedKey {
            key: self.find(sig.params.keyid())?,
            agent: None,
        })
    }
}

impl KeySource for Key {
    fn key_for(&self, _sig: &LabelledSignature, _msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        Ok(ResolvedKey {
            key: self,
            agent: None,
        })
    }
}

/// Verifies one signature under `policy`; fills `verdict` (which starts as "about" it).
fn verify_one(
    policy: &Policy,
    msg: &dyn Message,
    sig: &LabelledSignature,
    keys: &dyn KeySource,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
    verdict: &mut Verdict,
) -> Result<()> {
    policy.check_params(&sig.params, now)?;
    let resolved = keys.key_for(sig, msg)?;
    verdict.agent = resolved.agent.clone();
    let alg = resolved.key.resolve_algorithm(sig.params.alg())?;
    verdict.alg = Some(alg.name().to_string());
    policy.check_algorithm(alg)?;
    let base = signature_base(msg, &sig.params, &policy.structured_fields)?;
    let crypto = resolved.key.verify(alg, base.as_bytes(), &sig.signature);
    verdict.signature_base = Some(base);
    crypto?;
    check_body(policy, msg, &sig.params)?;
    if let (Some(nonce), Some(store)) = (sig.params.nonce(), nonces) {
        let until = sig
            .params
            .expires()
            .or_else(|| {
                policy
                    .max_age
                    .and_then(|a| sig.params.created().map(|c| c + a))
            })
            .unwrap_or(now + 86_400)
            .saturating_add(policy.skew);
        if !store.check_and_record(nonce, until) {
            return Err(Error::NonceReplayed(nonce.to_string()));
        }
    }
    Ok(())
}

/// `Content-Digest` rules: a covered digest must match the body (when the body is known),
/// and the policy may require one for any non-empty body.
fn check_body(policy: &Policy, msg: &dyn Message, params: &SignatureParams) -> Result<()> {
    let covers_digest = params
        .components()
        .iter()
        .any(|c| c.name() == "content-digest" && c.flags().is_ok_and(|f| !f.req && !f.tr));
    let body = msg.body();
    if policy.require_digest_for_body && !covers_digest && body.is_some_and(|b| !b.is_empty()) {
        return Err(Error::MissingRequiredComponent("\"content-digest\"".into()));
    }
    if covers_digest && policy.check_content_digest {
        if let Some(body) = body {
            let value = combined_field(msg, "content-digest")?.unwrap_or_default();
            check_content_digest(&value, body)?;
        }
    }
    Ok(())
}

/// Verifies `msg`: the first applicable signature that passes makes it `verified`.
pub fn verify_message(
    policy: &Policy,
    msg: &dyn Message,
    keys: &dyn KeySource,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Verdict {
    let sigs = match parse_signatures(msg) {
        Ok(s) if s.is_empty() => return Verdict::from_error(&Error::NoSignature),
        Ok(s) => s,
        Err(e) => return Verdict::from_error(&e),
    };
    let applicable: Vec<&LabelledSignature> =
        sigs.iter().filter(|s| policy.applies_to(s)).collect();
    if applicable.is_empty() {
        let why = match (&policy.label, &policy.tag) {
            (Some(l), _) if !sigs.iter().any(|s| s.label == *l) => Error::LabelNotFound(l.clone()),
            (_, Some(t)) => {
                Error::NoApplicableSignature(alloc::format!("no signature has tag {t:?}"))
            }
            _ => Error::NoApplicableSignature("no signature matches the policy".into()),
        };
        return Verdict::from_error(&why);
    }
    let mut best: Option<Verdict> = None;
    for sig in applicable {
        let mut verdict = Verdict::about(sig);
        match verify_one(policy, msg, sig, keys, now, nonces, &mut verdict) {
            Ok(()) => {
                verdict.verdict = Outcome::Verified;
                return verdict;
            }
            Err(e) => {
                verdict.fail(&e);
                // Report an invalid signature over an unverifiable one, else the first.
                let better = match &best {
                    None => true,
                    Some(b) => {
                        b.verdict == Outcome::Unverified && verdict.verdict == Outcome::Invalid
                    }
                };
                if better {
                    best = Some(verdict);
                }
            }
        }
    }
    best.unwrap_or_else(|| Verdict::from_error(&Error::NoSignature))
}
