//! The `Accept-Signature` challenge of a 401 (RFC 9421 §5.1): what a signature must cover
//! and carry to satisfy the Worker's policy, so a client can retry correctly.

use crate::{ComponentId, Policy};
use alloc::string::String;
use alloc::vec::Vec;
use sfv::StringRef;

/// The label the challenge asks for.
pub const LABEL: &str = "sig1";

/// The `Accept-Signature` value for `policy`, e.g.
/// `sig1=("@authority");created;expires;tag="web-bot-auth"`.
pub fn accept_signature(policy: &Policy) -> String {
    let mut components: Vec<String> = policy
        .required
        .iter()
        .filter_map(|rule| rule.any_of.first().map(ComponentId::serialize))
        .collect();
    if components.is_empty() {
        // RFC 9421 itself requires nothing; ask for the request's identity at least.
        components.extend(["\"@method\"", "\"@authority\"", "\"@path\""].map(String::from));
    }
    let mut out = String::from(LABEL);
    out.push_str("=(");
    out.push_str(&components.join(" "));
    out.push(')');
    // `created` is always asked for: without it nothing bounds a signature's age.
    out.push_str(";created");
    if policy.require_expires {
        out.push_str(";expires");
    }
    if policy.require_nonce {
        out.push_str(";nonce");
    }
    if let Some(tag) = policy
        .tag
        .as_deref()
        .and_then(|t| StringRef::from_str(t).ok())
    {
        out.push_str(";tag=");
        out.push_str(&sfv::ItemSerializer::new().bare_item(tag).finish());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    #[test]
    fn per_profile() {
        assert_eq!(
            accept_signature(&Profile::WebBotAuth.policy()),
            r#"sig1=("@authority");created;expires;tag="web-bot-auth""#
        );
        assert_eq!(
            accept_signature(&Profile::Rfc9421.policy()),
            r#"sig1=("@method" "@authority" "@path");created"#
        );
        assert_eq!(
            accept_signature(&Profile::Fediverse.policy()),
            r#"sig1=("@method" "@target-uri");created"#
        );
    }

    #[test]
    fn parses_as_a_dictionary_of_inner_lists() {
        for p in Profile::ALL {
            let text = accept_signature(&p.policy());
            let dict = sfv::Parser::new(&text).parse::<sfv::Dictionary>().unwrap();
            assert!(
                matches!(dict.get("sig1"), Some(sfv::ListEntry::InnerList(_))),
                "{text}"
            );
        }
    }
}
