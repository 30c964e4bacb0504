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
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Rfc9421, Profile::WebBotAuth, Profile::Fediverse];

    /// The profile's name (`rfc9421`, `web-bot-auth`, `fediverse`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Rfc9421 => "rfc9421",
            Profile::WebBotAuth => "web-bot-auth",
            Profile::Fediverse => "fediverse",
        }
    }

    /// Looks a profile up by name.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                Error::MalformedMessage(alloc::format!(
                    "unknown profile {name:?} (rfc9421, web-bot-auth, fediverse)"
                ))
            })
    }

    /// The profile's policy.
    pub fn policy(self) -> Policy {
        match self {
            Profile::Rfc9421 => Policy::default(),
            Profile::WebBotAuth => web_bot_auth(),
            Profile::Fediverse => fediverse(),
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
        max_lifetime: Some(24 * 3600),
        required: vec![Requirement {
            any_of: vec![Derived::Authority.into(), Derived::TargetUri.into()],
        }],
        allowed_algorithms: Some(vec![
            Algorithm::Ed25519,
            Algorithm::EcdsaP256Sha256,
            Algorithm::EcdsaP384Sha384,
            Algorithm::RsaPssSha512,
            Algorithm::RsaV15Sha256,
        ]),
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
