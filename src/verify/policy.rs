//! The rules a signature must meet beyond being cryptographically valid.

use crate::alg::Algorithm;
use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::input::{LabelledSignature, SignatureParams};
use crate::sftypes::SfRegistry;
use alloc::string::String;
use alloc::vec::Vec;

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
    /// Further tags that apply as well as [`Self::tag`] (a profile with several, such as
    /// Visa TAP's `agent-browser-auth` and `agent-payer-auth`). With neither set, any tag.
    pub tags: Vec<String>,
    /// When set, only the signature with this label applies.
    pub label: Option<String>,
    /// Check a covered `content-digest` against the body when the body is available.
    pub check_content_digest: bool,
    /// A request with a non-empty body must cover `content-digest`.
    pub require_digest_for_body: bool,
    /// `keyid` must be the JWK SHA-256 thumbprint of the key (Web Bot Auth).
    pub keyid_is_thumbprint: bool,
    /// The algorithm for an RSA key that carries none, when the signature names none
    /// either (static configuration, RFC 9421 §3.2 step 6.1: fediverse actors publish
    /// bare RSA keys and sign with `rsa-v1_5-sha256`).
    pub rsa_algorithm: Option<Algorithm>,
    /// Web Bot Auth's `Signature-Agent` rules, whatever the key source: a present field's
    /// member must be covered and name a usable https URL (`allow_http` for development);
    /// the verifier job resolves the member's directory.
    pub signature_agent: Option<crate::webbotauth::AgentOptions>,
    /// Accept the published test keys (RFC 9421 Appendix B.1, listed by thumbprint in `src/testkeys.rs`): for tests and conformance runs
    /// only. Off by default: a signature under a key anyone holds proves nothing.
    pub allow_test_keys: bool,
    /// A signature that covers another signature's `Signature` member must also cover its
    /// `Signature-Input` member, its `Signature-Agent` member and every component it covers
    /// (Web Bot Auth "Multiple Signatures").
    pub nested_coverage: bool,
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
            tags: Vec::new(),
            label: None,
            check_content_digest: true,
            require_digest_for_body: false,
            keyid_is_thumbprint: false,
            rsa_algorithm: None,
            signature_agent: None,
            allow_test_keys: false,
            nested_coverage: false,
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
            if let Some(max) = self.max_lifetime
                && e - c > max
            {
                return Err(Error::LifetimeTooLong {
                    lifetime: e - c,
                    max,
                });
            }
        }
        if let (Some(c), Some(max_age)) = (created, self.max_age)
            && now.saturating_sub(c) > max_age.saturating_add(self.skew)
        {
            return Err(Error::SignatureTooOld {
                created: c,
                now,
                max_age,
            });
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

    pub(crate) fn check_algorithm(&self, alg: Algorithm) -> Result<()> {
        match &self.allowed_algorithms {
            Some(allowed) if !allowed.contains(&alg) => {
                Err(Error::AlgorithmNotAllowed(alg.name().into()))
            }
            _ => Ok(()),
        }
    }

    /// Whether a signature is one this policy considers at all (label and tag).
    pub fn applies_to(&self, sig: &LabelledSignature) -> bool {
        self.label.as_ref().is_none_or(|l| *l == sig.label) && self.accepts_tag(sig.params.tag())
    }

    /// Whether `tag` is one the policy accepts ([`Self::tag`] or [`Self::tags`]; any when
    /// neither is set).
    pub fn accepts_tag(&self, tag: Option<&str>) -> bool {
        if self.tag.is_none() && self.tags.is_empty() {
            return true;
        }
        tag.is_some_and(|t| self.tag.as_deref() == Some(t) || self.tags.iter().any(|x| x == t))
    }

    /// The tags the policy accepts, for messages and challenges.
    pub fn accepted_tags(&self) -> Vec<&str> {
        self.tag
            .as_deref()
            .into_iter()
            .chain(self.tags.iter().map(String::as_str))
            .collect()
    }
}
