//! The `Accept-Signature` challenge of a 401 (RFC 9421 §5.1): what a signature must cover
//! and carry to satisfy the Worker's policy, so a client can retry correctly. Serialised
//! by [`crate::accept_signature`].

use crate::{ComponentId, Policy, SignatureRequest, accept_signature};
use alloc::string::String;
use alloc::vec::Vec;

/// The label the challenge asks for.
pub const LABEL: &str = "sig1";

/// The `Accept-Signature` value for `policy`, e.g.
/// `sig1=("@authority");created;expires;tag="web-bot-auth"`.
pub fn challenge(policy: &Policy) -> String {
    let mut components: Vec<String> = policy
        .required
        .iter()
        .filter_map(|rule| rule.any_of.first())
        .map(user_form)
        .collect();
    if components.is_empty() {
        // RFC 9421 itself requires nothing; ask for the request's identity at least.
        components.extend(["@method", "@authority", "@path"].map(String::from));
    }
    let build = || -> crate::Result<String> {
        // `created` is always asked for: without it nothing bounds a signature's age.
        let mut request =
            SignatureRequest::new(LABEL, components.iter().map(String::as_str))?.want_created();
        if policy.require_expires {
            request = request.want_expires();
        }
        if let Some(tag) = policy.accepted_tags().first() {
            request = request.with("tag", tag)?;
        }
        accept_signature(&[request])
    };
    // Every input comes from a validated policy; fall back to the bare minimum regardless.
    build().unwrap_or_else(|_| String::from("sig1=(\"@authority\");created"))
}

/// `"name";key="a"` (serialised) as `name;key="a"` (the form requests are built from).
fn user_form(c: &ComponentId) -> String {
    let s = c.serialize();
    match s.strip_prefix('"').and_then(|r| r.split_once('"')) {
        Some((name, params)) => alloc::format!("{name}{params}"),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    #[test]
    fn per_profile() {
        assert_eq!(
            challenge(&Profile::WebBotAuth.policy()),
            r#"sig1=("@authority");created;expires;tag="web-bot-auth""#
        );
        assert_eq!(
            challenge(&Profile::Rfc9421.policy()),
            r#"sig1=("@method" "@authority" "@path");created"#
        );
        assert_eq!(
            challenge(&Profile::Fediverse.policy()),
            r#"sig1=("@method" "@target-uri");created"#
        );
    }

    #[test]
    fn the_core_parses_it_back() {
        for p in Profile::ALL {
            let text = challenge(&p.policy());
            let parsed = crate::parse_accept_signature(&text).unwrap();
            assert_eq!(parsed.len(), 1, "{text}");
            assert_eq!(parsed[0].label, LABEL);
            assert!(parsed[0].wants_created());
        }
    }
}
