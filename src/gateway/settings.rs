//! The settings every gateway host reads the same way: the Worker's variables
//! (`CLOCK_SKEW_SECONDS`, `MAX_SIGNATURE_LIFETIME_SECONDS`, `MAX_CHECKED_BODY_BYTES`,
//! `VERDICT_HEADER`) and the npm middleware's options of the same meaning. The hosts read
//! the values (from `env`, from an options object); what a value may be and what it does
//! to a route's policy is decided here, once.

use crate::job::DirectoryAccess;
use crate::profile::Profile;
use crate::verify::Policy;
use alloc::format;
use alloc::string::String;

/// Clock skew allowed by default (seconds).
pub const DEFAULT_CLOCK_SKEW_SECONDS: u64 = 60;
/// The largest clock skew a gateway may allow (seconds).
pub const MAX_CLOCK_SKEW_SECONDS: u64 = 3_600;
/// Longest `expires - created` by default, for every profile without a stricter rule of
/// its own (seconds).
pub const DEFAULT_MAX_LIFETIME_SECONDS: u64 = 86_400;
/// The longest lifetime a gateway may be configured to accept (seconds).
pub const MAX_MAX_LIFETIME_SECONDS: u64 = 7 * 86_400;
/// The largest body a gateway may be configured to hash for `Content-Digest` (bytes).
pub const MAX_CHECKED_BODY_LIMIT: usize = 8 << 20;

/// Names the verdict header may not take: the fields verification reads, and fields HTTP
/// or the platform own.
pub const RESERVED_VERDICT_HEADERS: &[&str] = &[
    "signature",
    "signature-input",
    "signature-agent",
    "signature-key",
    "content-digest",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "cookie",
    "authorization",
];

/// The verdict header's name, lower-cased; `Err` says why `name` cannot be one.
pub fn verdict_header_name(name: &str) -> Result<String, String> {
    let lower = name.trim().to_ascii_lowercase();
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if lower.is_empty() || !lower.bytes().all(token) {
        return Err(format!("{name:?} is not a valid header name"));
    }
    if RESERVED_VERDICT_HEADERS.contains(&lower.as_str()) {
        return Err(format!(
            "{name:?} is a field that verification or HTTP itself uses"
        ));
    }
    Ok(lower)
}

/// A route's policy before the operator's per-route and per-agent overrides: `profile`'s
/// rules with the gateway's clock skew and lifetime limit. A profile whose own lifetime
/// limit is stricter keeps it (Visa TAP's 8 minutes are the protocol's, not a default):
/// the gateway-wide setting loosens only what the profile leaves to the operator. An
/// operator who wants more for one route says so in that route's policy overrides.
pub fn route_policy(profile: Profile, skew: u64, max_lifetime: u64) -> Policy {
    let mut policy = profile.policy();
    policy.skew = skew;
    policy.max_lifetime = Some(match profile.lifetime_ceiling() {
        Some(ceiling) => ceiling.min(max_lifetime),
        None => max_lifetime,
    });
    policy
}

/// Whether a gateway resolves key directories for a route: under Web Bot Auth the agents'
/// `Signature-Agent` directories, under any profile a configured JWK Set URL.
pub fn directory_access(profile: Profile, jwks_url_configured: bool) -> DirectoryAccess {
    if profile == Profile::WebBotAuth || jwks_url_configured {
        DirectoryAccess::Fetch
    } else {
        DirectoryAccess::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_header_names() {
        assert_eq!(
            verdict_header_name(" X-Agent-Verdict ").unwrap(),
            "x-agent-verdict"
        );
        assert!(
            verdict_header_name("Signature")
                .unwrap_err()
                .contains("verification")
        );
        assert!(
            verdict_header_name("a b")
                .unwrap_err()
                .contains("not a valid")
        );
        assert!(verdict_header_name("").is_err());
    }

    #[test]
    fn a_profile_keeps_a_stricter_lifetime_of_its_own() {
        let p = route_policy(Profile::VisaTap, 5, DEFAULT_MAX_LIFETIME_SECONDS);
        assert_eq!((p.skew, p.max_lifetime), (5, Some(480)));
        assert_eq!(
            route_policy(Profile::VisaTap, 60, 300).max_lifetime,
            Some(300)
        );
        for profile in [Profile::Rfc9421, Profile::WebBotAuth, Profile::Fediverse] {
            let p = route_policy(profile, 60, 7 * 86_400);
            assert_eq!(p.max_lifetime, Some(7 * 86_400), "{profile}");
        }
    }

    #[test]
    fn directories_are_resolved_under_web_bot_auth_or_with_a_jwks_url() {
        assert_eq!(
            directory_access(Profile::WebBotAuth, false),
            DirectoryAccess::Fetch
        );
        assert_eq!(
            directory_access(Profile::Rfc9421, true),
            DirectoryAccess::Fetch
        );
        assert_eq!(
            directory_access(Profile::VisaTap, false),
            DirectoryAccess::None
        );
    }
}
