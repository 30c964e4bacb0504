//! `POST /verify`: read the JSON request (exactly [`httpseal::api::VerifyRequestJson`], the
//! contract shared with the CLI and the npm package), verify, answer with the verdict.
//!
//! Everything here is pure; the runtime only reads the body and the clock. Input the Worker
//! cannot read is a 400 problem naming the field, never a 5xx.

use crate::config::Config;
use crate::problem::Problem;
use crate::verification::{Keys, verify};
use alloc::format;
use alloc::string::ToString;
use httpseal::api::VerifyRequestJson;
use httpseal::webbotauth::DirectoryStore;
use httpseal::{HttpMessage, JwkSet, Policy, Profile, Verdict};

/// Largest `POST /verify` body read.
pub const MAX_VERIFY_BODY_BYTES: usize = 1024 * 1024;

/// A parsed `POST /verify` request, ready to verify.
#[derive(Debug, Clone)]
pub struct VerifyCall {
    /// The message to verify.
    pub message: HttpMessage,
    /// The request's profile, or the Worker's.
    pub profile: Profile,
    /// That profile's rules, the Worker's skew and lifetime, then the request's overrides.
    pub policy: Policy,
    /// Keys the caller supplied; `None` means the Worker's own key sources.
    pub jwks: Option<JwkSet>,
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
        .to_message()
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
        .map_err(|e| Problem::bad_request(format!("jwks: {e}")))?;
    Ok(VerifyCall {
        message,
        profile,
        policy,
        jwks,
        now: request.now,
    })
}

/// The first top-level member of a JSON object whose type cannot be right, described.
fn misfit_field(text: &str) -> Option<alloc::string::String> {
    use serde_json::Value;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    map.iter().find_map(|(name, v)| {
        let expected = match name.as_str() {
            "method" | "url" | "body" | "bodyBase64" | "profile" if !v.is_string() => "a string",
            "status" | "now" if !v.is_u64() => "a non-negative integer",
            "headers" | "trailers" if !(v.is_object() || v.is_array()) => {
                "an object or a list of [name, value] pairs"
            }
            "jwks" if !(v.is_object() || v.is_array()) => "a JWK Set, a list of JWKs or one JWK",
            "policy" | "request" if !v.is_object() => "an object",
            _ => return None,
        };
        Some(format!("field {name:?} must be {expected}"))
    })
}

impl VerifyCall {
    /// The keys to verify with: the supplied ones, else the Worker's trusted keys, and the
    /// agent directories the runtime resolved (`directories`).
    pub fn keys<'a>(&'a self, config: &'a Config, directories: &'a dyn DirectoryStore) -> Keys<'a> {
        Keys {
            known: self.jwks.as_ref().unwrap_or(&config.trusted_keys),
            directories,
            allow_http: config.allow_insecure_directories,
        }
    }

    /// Verifies with the core's own signature check (the Worker checks Ed25519 with
    /// WebCrypto instead, through the same steps).
    pub fn verify(
        &self,
        config: &Config,
        directories: &dyn DirectoryStore,
        clock_now: u64,
    ) -> Verdict {
        verify(
            self.profile,
            &self.policy,
            &self.message,
            &self.keys(config, directories),
            self.now.unwrap_or(clock_now),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::Outcome;

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
    fn profile_and_clock_defaults_come_from_the_worker() {
        let call =
            parse_verify_request(br#"{"method":"GET","url":"https://a/"}"#, &config()).unwrap();
        assert_eq!(call.profile, Profile::WebBotAuth);
        assert_eq!(call.policy.max_lifetime, Some(86_400));
        let v = call.verify(&config(), &crate::verification::no_directories(), 1);
        assert_eq!(
            (v.verdict, v.error.unwrap().code.as_str()),
            (Outcome::Unverified, "no_signature")
        );
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
