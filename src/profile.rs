//! Named profiles: presets of [`Policy`] rules for the ecosystems that use RFC 9421.
//!
//! A profile is only a starting point; every rule stays individually configurable.

use crate::alg::Algorithm;
use crate::component::Derived;
use crate::error::{Error, Result};
use crate::verify::{Policy, Requirement};
use alloc::string::ToString;
use alloc::vec;
use core::fmt;

/// The asymmetric algorithms of the registry: the ones a key directory's keys can use
/// (Web Bot Auth and Visa TAP accept any of them; HMAC needs a shared secret).
const ASYMMETRIC: [Algorithm; 5] = [
    Algorithm::Ed25519,
    Algorithm::EcdsaP256Sha256,
    Algorithm::EcdsaP384Sha384,
    Algorithm::RsaPssSha512,
    Algorithm::RsaV15Sha256,
];

/// The profiles httpseal knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// RFC 9421 as written: no requirements beyond the RFC's own.
    #[default]
    Rfc9421,
    /// Web Bot Auth (draft-ietf-webbotauth-httpsig-protocol).
    WebBotAuth,
    /// ActivityPub servers (Mastodon, tootik) signing with RFC 9421.
    Fediverse,
    /// Visa's Trusted Agent Protocol: agents browsing (`agent-browser-auth`) and paying
    /// (`agent-payer-auth`) with keys from a JWK Set URL the operator configures.
    VisaTap,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 4] = [
        Profile::Rfc9421,
        Profile::WebBotAuth,
        Profile::Fediverse,
        Profile::VisaTap,
    ];

    /// The profile's name (`rfc9421`, `web-bot-auth`, `fediverse`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Rfc9421 => "rfc9421",
            Profile::WebBotAuth => "web-bot-auth",
            Profile::Fediverse => "fediverse",
            Profile::VisaTap => "visa-tap",
        }
    }

    /// Looks a profile up by name.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                Error::MalformedMessage(alloc::format!(
                    "unknown profile {name:?} (rfc9421, web-bot-auth, fediverse, visa-tap)"
                ))
            })
    }

    /// The longest signature lifetime the protocol itself allows, when it sets one that a
    /// gateway's general setting may not loosen: Visa TAP's 8 minutes. (Web Bot Auth's
    /// 24 hours are httpseal's default, not the draft's rule.)
    pub fn lifetime_ceiling(self) -> Option<u64> {
        match self {
            Profile::VisaTap => visa_tap().max_lifetime,
            Profile::Rfc9421 | Profile::WebBotAuth | Profile::Fediverse => None,
        }
    }

    /// The profile's policy.
    pub fn policy(self) -> Policy {
        match self {
            Profile::Rfc9421 => Policy::default(),
            Profile::WebBotAuth => web_bot_auth(),
            Profile::Fediverse => fediverse(),
            Profile::VisaTap => visa_tap(),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Web Bot Auth §"Generating HTTP Message Signature": `tag="web-bot-auth"`, `created`
/// and `expires` present, at most 24 h apart, `@authority` or `@target-uri` covered,
/// `keyid` present (a thumbprint), no shared secrets. Signature-Agent coverage and key
/// resolution are checked by [`crate::webbotauth`].
fn web_bot_auth() -> Policy {
    Policy {
        tag: Some("web-bot-auth".to_string()),
        require_created: true,
        require_expires: true,
        require_keyid: true,
        keyid_is_thumbprint: true,
        signature_agent: Some(crate::webbotauth::AgentOptions::default()),
        nested_coverage: true,
        max_lifetime: Some(24 * 3600),
        required: vec![Requirement {
            any_of: vec![Derived::Authority.into(), Derived::TargetUri.into()],
        }],
        allowed_algorithms: Some(ASYMMETRIC.to_vec()),
        ..Policy::default()
    }
}

/// Mastodon and tootik (`fediverse-profiles.json`): `rsa-v1_5-sha256` or `ed25519`,
/// `@method` and `@target-uri` covered, `content-digest` covered and matching for a
/// request with a body, `created` required and within an hour.
fn fediverse() -> Policy {
    Policy {
        require_created: true,
        max_age: Some(3600),
        required: vec![
            Requirement {
                any_of: vec![Derived::Method.into()],
            },
            Requirement {
                any_of: vec![Derived::TargetUri.into()],
            },
        ],
        allowed_algorithms: Some(vec![Algorithm::RsaV15Sha256, Algorithm::Ed25519]),
        rsa_algorithm: Some(Algorithm::RsaV15Sha256),
        require_digest_for_body: true,
        ..Policy::default()
    }
}

/// Visa's Trusted Agent Protocol (merchant specification, as its sample code and every
/// implementation quote it): tags `agent-browser-auth` and `agent-payer-auth`, the label
/// `sig2`, `@authority` and `@path` covered, `created`, `expires`, `keyid` and `nonce`
/// present, `expires - created` at most 8 minutes, the registry's asymmetric algorithms.
/// Keys come from a JWK Set URL the operator configures (the Visa agent registry) and are
/// found by `keyid` = the JWK's `kid`.
///
/// Visa's sample signer writes `keyId="…"` and `; ` between parameters, which Structured
/// Fields cannot parse and RFC 9421 §3.2 step 7 does not let a verifier take verbatim. This
/// profile does not accept that shape: no captured TAP agent request has been found that
/// uses it, Cloudflare verifies TAP traffic as Web Bot Auth, and accepting it would mean
/// building the base from unparsed bytes (`docs/agents.md`, "Visa Trusted Agent Protocol").
fn visa_tap() -> Policy {
    Policy {
        tags: vec![
            "agent-browser-auth".to_string(),
            "agent-payer-auth".to_string(),
        ],
        label: Some("sig2".to_string()),
        require_created: true,
        require_expires: true,
        require_keyid: true,
        require_nonce: true,
        max_lifetime: Some(8 * 60),
        required: vec![
            Requirement {
                any_of: vec![Derived::Authority.into()],
            },
            Requirement {
                any_of: vec![Derived::Path.into()],
            },
        ],
        allowed_algorithms: Some(ASYMMETRIC.to_vec()),
        ..Policy::default()
    }
}
