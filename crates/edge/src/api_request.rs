//! `POST /verify`: read the JSON request (exactly [`httpseal::api::VerifyRequestJson`], the
//! contract shared with the CLI and the npm package); the runtime then drives the verifier
//! job with it and answers with the verdict.
//!
//! Everything here is pure; the runtime only reads the body (bounded) and the clock. Input
//! the Worker cannot read is a 400 problem naming the field, never a 5xx.

use crate::config::Config;
use alloc::format;
use alloc::string::ToString;
use alloc::sync::Arc;
use httpseal::api::{Verifiable, VerifyRequestJson};
use httpseal::gateway::Problem;
use httpseal::{JwkSet, Policy, Profile};

/// Largest `POST /verify` body read.
pub const MAX_VERIFY_BODY_BYTES: usize = 1024 * 1024;

/// A parsed `POST /verify` request, ready to verify.
#[derive(Debug, Clone)]
pub struct VerifyCall {
    /// The message to verify, or the verdict on a request that cannot be read as one
    /// (an unsigned one past a limit is `unverified`, as through the gateway).
    pub message: Verifiable,
    /// The request's profile, or the Worker's.
    pub profile: Profile,
    /// That profile's rules, the Worker's skew and lifetime, then the request's overrides.
    pub policy: Policy,
    /// Keys the caller supplied; `None` means the Worker's own key sources.
    pub jwks: Option<Arc<JwkSet>>,
    /// The time to verify at; `None` means the Worker's clock.
    pub now: Option<u64>,
}

/// Reads a `POST /verify` body.
pub fn parse_verify_request(body: &[u8], config: &Config) -> Result<VerifyCall, Problem> {
    if body.len() > MAX_VERIFY_BODY_BYTES {
        return Err(Problem::new(
            413,
            "request_too_large",
            format!("the request body is larger than {MAX_VERIFY_BODY_BYTES} bytes"),
        ));
    }
    let text = core::str::from_utf8(body)
        .map_err(|_| Problem::bad_request("the request body is not UTF-8 JSON"))?;
    let request = VerifyRequestJson::parse(text).map_err(|e| {
        // serde loses the field name of a type error inside a flattened struct; name it.
        Problem::bad_request(match misfit_field(text) {
            Some(hint) => format!("{e} ({hint})"),
            None => e.to_string(),
        })
    })?;
    let message = request
        .message
        .to_verifiable()
        .map_err(|e| Problem::bad_request(e.to_string()))?;
    let profile = match request.profile.as_deref() {
        None => config.profile,
        Some(name) => Profile::from_name(name).map_err(|e| Problem::bad_request(e.to_string()))?,
    };
    let mut policy = config.policy_for(profile);
    if let Some(overrides) = &request.policy {
        overrides
            .apply(&mut policy)
            .map_err(|e| Problem::bad_request(format!("policy: {e}")))?;
    }
    let jwks = request
        .jwks()
        .map_err(|e| Problem::bad_request(format!("jwks: {e}")))?
        .map(Arc::new);
    Ok(VerifyCall {
        message,
        profile,
        policy,
        jwks,
        now: request.now,
    })
}

/// The first top-level member of a JSON object whose type cannot be right, described.
///
/// Read without building the document: each member's value is only classified (string,
/// non-negative integer, object, list, other) and skipped, so a hostile document costs
/// no more memory here than its nesting depth (a `serde_json::Value` of a 1 MiB document
/// of small arrays is more than ten times its size).
fn misfit_field(text: &str) -> Option<alloc::string::String> {
    serde_json::from_str::<FirstMisfit>(text).ok()?.0
}

/// The JSON type of a value, its content skipped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Count,
    Object,
    List,
    Other,
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Kind;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
                Ok(Kind::String)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
                Ok(Kind::Count)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
                Ok(Kind::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
                Ok(Kind::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
                Ok(Kind::Other)
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Kind, A::Error> {
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Kind::Object)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Kind, A::Error> {
                while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Kind::List)
            }
        }
        d.deserialize_any(V)
    }
}

/// The description of the first misfit member of a top-level object, if any.
struct FirstMisfit(Option<alloc::string::String>);

impl<'de> serde::Deserialize<'de> for FirstMisfit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FirstMisfit;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<FirstMisfit, A::Error> {
                let mut first = None;
                while let Some((name, kind)) = m.next_entry::<alloc::string::String, Kind>()? {
                    if first.is_none() {
                        first = misfit(&name, kind);
                    }
                }
                Ok(FirstMisfit(first))
            }
        }
        d.deserialize_map(V)
    }
}

/// What a member named `name` must be, when `kind` cannot be it.
fn misfit(name: &str, kind: Kind) -> Option<alloc::string::String> {
    let container = matches!(kind, Kind::Object | Kind::List);
    let expected = match name {
        "method" | "url" | "body" | "bodyBase64" | "profile" if kind != Kind::String => "a string",
        "status" | "now" if kind != Kind::Count => "a non-negative integer",
        "headers" | "trailers" if !container => "an object or a list of [name, value] pairs",
        "jwks" if !container => "a JWK Set, a list of JWKs or one JWK",
        "policy" | "request" if kind != Kind::Object => "an object",
        _ => return None,
    };
    Some(format!("field {name:?} must be {expected}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::from_lookup(|_| None).unwrap()
    }

    fn problem(body: &str) -> Problem {
        parse_verify_request(body.as_bytes(), &config()).unwrap_err()
    }

    #[test]
    fn malformed_input_is_a_400_naming_the_problem() {
        let cases = [
            ("{", "invalid verify request"),
            ("[]", "invalid verify request"),
            (r#"{"url":"https://a/"}"#, "method"),
            (r#"{"method":"GET","url":"/relative"}"#, "absolute"),
            (
                r#"{"method":"GET","url":"https://a/","headerz":{}}"#,
                "headerz",
            ),
            (
                r#"{"method":"GET","url":"https://a/","headers":{"a":1}}"#,
                "a string or a list",
            ),
            (
                r#"{"method":"GET","url":"https://a/","now":"soon"}"#,
                "field \"now\" must be",
            ),
            (
                r#"{"method":"GET","url":"https://a/","now":-1}"#,
                "field \"now\" must be",
            ),
            (
                r#"{"method":5,"url":"https://a/"}"#,
                "field \"method\" must be a string",
            ),
            (
                r#"{"method":"GET","url":"https://a/","headers":"x"}"#,
                "field \"headers\"",
            ),
            (
                r#"{"method":"GET","url":"https://a/","profile":"nope"}"#,
                "unknown profile",
            ),
            (r#"{"method":"GET","url":"https://a/","jwks":5}"#, "jwks"),
            (
                r#"{"method":"GET","url":"https://a/","policy":{"algorithms":["md5"]}}"#,
                "policy",
            ),
        ];
        for (body, says) in cases {
            let p = problem(body);
            assert_eq!((p.status, p.code.as_str()), (400, "bad_request"), "{body}");
            assert!(p.detail.contains(says), "{body}: {}", p.detail);
        }
        let p = parse_verify_request(&[0xff, 0xfe], &config()).unwrap_err();
        assert!(p.detail.contains("UTF-8"));
        let big = alloc::vec![b' '; MAX_VERIFY_BODY_BYTES + 1];
        assert_eq!(
            parse_verify_request(&big, &config()).unwrap_err().status,
            413
        );
    }

    #[test]
    fn bounded_header_lists() {
        let pairs: alloc::vec::Vec<alloc::string::String> =
            (0..300).map(|i| format!("[\"x-{i}\",\"v\"]")).collect();
        let body = format!(
            r#"{{"method":"GET","url":"https://a/","headers":[{}]}}"#,
            pairs.join(",")
        );
        // Unsigned: judged `unverified`, as the gateway judges such a request.
        let call = parse_verify_request(body.as_bytes(), &config()).unwrap();
        let Verifiable::Judged(verdict) = call.message else {
            panic!("300 lines are not read as a message");
        };
        assert_eq!(verdict.error.unwrap().code(), "no_signature");
        // Signed: `invalid`, naming the limit.
        let signed = body.replace(r#"["x-0","v"]"#, r#"["Signature","sig1=:AA==:"]"#);
        let call = parse_verify_request(signed.as_bytes(), &config()).unwrap();
        let Verifiable::Judged(verdict) = call.message else {
            panic!("300 lines are not read as a message");
        };
        assert_eq!(verdict.verdict, httpseal::Outcome::Invalid);
        assert!(
            verdict
                .error
                .unwrap()
                .to_string()
                .contains("MAX_FIELD_LINES")
        );
    }

    #[test]
    fn profile_and_clock_defaults_come_from_the_worker() {
        let call =
            parse_verify_request(br#"{"method":"GET","url":"https://a/"}"#, &config()).unwrap();
        assert_eq!(call.profile, Profile::WebBotAuth);
        assert_eq!(call.policy.max_lifetime, Some(86_400));
        let call = parse_verify_request(
            br#"{"method":"GET","url":"https://a/","profile":"rfc9421","policy":{"maxLifetime":null},"now":7}"#,
            &config(),
        )
        .unwrap();
        assert_eq!(
            (call.profile, call.policy.max_lifetime, call.now),
            (Profile::Rfc9421, None, Some(7))
        );
    }
}
