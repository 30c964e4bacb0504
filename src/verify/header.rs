//! The verdict header a gateway (the Worker, the npm middleware) adds to forwarded requests.
//!
//! Its value is a Structured Field Item (RFC 9651): the outcome as a token, with the
//! details as parameters, so an origin can parse it with any sf library:
//!
//! ```text
//! HTTPSeal-Verdict: verified;label="sig1";keyid="poqk…";alg="ed25519";agent="https://…";identifier="https://…"
//! HTTPSeal-Verdict: invalid;label="sig1";…;error="lifetime_too_long";rule="maxLifetime"
//! HTTPSeal-Verdict: unverified;error="no_signature"
//! ```
//!
//! A gateway always removes any copy a client sent before adding its own, so an origin
//! may trust the header whenever the gateway is the only way in.

use super::verdict::Verdict;
use alloc::string::String;
use sfv::{ItemSerializer, KeyRef, StringRef, TokenRef};

/// The verdict header's default name.
pub const VERDICT_HEADER: &str = "HTTPSeal-Verdict";

/// The header value for `verdict`.
pub fn header_value(verdict: &Verdict) -> String {
    let token =
        TokenRef::from_str(verdict.verdict.as_str()).unwrap_or(TokenRef::constant("invalid"));
    let mut ser = ItemSerializer::new().bare_item(token);
    let params: [(&str, Option<&str>); 8] = [
        ("label", verdict.label.as_deref()),
        ("keyid", verdict.keyid.as_deref()),
        ("alg", verdict.alg.as_deref()),
        ("tag", verdict.tag.as_deref()),
        ("agent", verdict.agent.as_deref()),
        ("identifier", verdict.identifier.as_deref()),
        ("error", verdict.error.as_ref().map(|e| e.code())),
        ("rule", verdict.error.as_ref().and_then(|e| e.rule())),
    ];
    for (name, value) in params {
        // Values that are not sf-strings (never produced by the core) are left out rather
        // than let a client inject syntax into a header the origin trusts.
        if let Some(v) = value.and_then(|v| StringRef::from_str(v).ok()) {
            ser = ser.parameter(KeyRef::constant(name), v);
        }
    }
    ser.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::verify::Outcome;
    use alloc::string::ToString;

    #[test]
    fn verified_carries_the_details() {
        let mut v = Verdict::from_error(Error::NoSignature);
        v.verdict = Outcome::Verified;
        v.error = None;
        v.label = Some("sig1".into());
        v.keyid = Some("poqk".into());
        v.alg = Some("ed25519".into());
        v.tag = Some("web-bot-auth".into());
        v.agent = Some("https://agent.example/".into());
        v.identifier = Some("https://agent.example/".into());
        assert_eq!(
            header_value(&v),
            r#"verified;label="sig1";keyid="poqk";alg="ed25519";tag="web-bot-auth";agent="https://agent.example/";identifier="https://agent.example/""#
        );
    }

    #[test]
    fn failures_carry_the_code() {
        assert_eq!(
            header_value(&Verdict::from_error(Error::NoSignature)),
            r#"unverified;error="no_signature""#
        );
        let lifetime = Verdict::from_error(Error::LifetimeTooLong {
            lifetime: 9,
            max: 1,
        });
        assert_eq!(
            header_value(&lifetime),
            r#"invalid;error="lifetime_too_long";rule="maxLifetime""#
        );
        let mut v = Verdict::from_error(Error::InvalidSignature);
        v.keyid = Some("k\"ey".to_string());
        assert_eq!(
            header_value(&v),
            r#"invalid;keyid="k\"ey";error="invalid_signature""#
        );
        // A value that is not an sf-string is dropped, never spliced in.
        v.keyid = Some("bad\u{7f}".to_string());
        assert_eq!(header_value(&v), r#"invalid;error="invalid_signature""#);
    }
}
