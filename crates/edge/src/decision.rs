//! What the gateway does with a verdict: forward it, or answer for the origin.

use crate::config::Mode;
use crate::problem::Problem;
use httpseal::{Outcome, Verdict};

/// The gateway's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Forward to the upstream, with the verdict header.
    Forward,
    /// Answer with this problem; `challenge` asks for an `Accept-Signature` header.
    Reject {
        /// The problem+json body and its status.
        problem: Problem,
        /// Whether the answer carries an `Accept-Signature` challenge (401).
        challenge: bool,
    },
}

/// `annotate` forwards everything (fail-open); `enforce` forwards only verified requests and
/// answers 401 (unsigned or no usable key, with a challenge), 429 (replayed nonce) or 403
/// (any other invalid signature).
pub fn decide(mode: Mode, verdict: &Verdict) -> Decision {
    if mode != Mode::Enforce || verdict.verdict == Outcome::Verified {
        return Decision::Forward;
    }
    let (code, detail) = match &verdict.error {
        Some(e) => (e.code.as_str(), e.message.as_str()),
        None => ("invalid_signature", "the request is not verified"),
    };
    let (status, challenge) = match (verdict.verdict, code) {
        (Outcome::Unverified, _) => (401, true),
        (_, "nonce_replayed") => (429, false),
        _ => (403, false),
    };
    Decision::Reject {
        problem: Problem::new(status, code, detail),
        challenge,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::Error;

    fn verified() -> Verdict {
        let mut v = Verdict::from_error(&Error::NoSignature);
        v.verdict = Outcome::Verified;
        v.error = None;
        v
    }

    fn status(mode: Mode, v: &Verdict) -> Option<(u16, &'static str, bool)> {
        match decide(mode, v) {
            Decision::Forward => None,
            Decision::Reject { problem, challenge } => Some((
                problem.status,
                match problem.code.as_str() {
                    "no_signature" => "no_signature",
                    "unknown_key" => "unknown_key",
                    "invalid_signature" => "invalid_signature",
                    "expired" => "expired",
                    "nonce_replayed" => "nonce_replayed",
                    _ => "other",
                },
                challenge,
            )),
        }
    }

    #[test]
    fn annotate_and_api_always_forward() {
        for e in [
            Error::NoSignature,
            Error::InvalidSignature,
            Error::NonceReplayed("n".into()),
        ] {
            assert_eq!(
                decide(Mode::Annotate, &Verdict::from_error(&e)),
                Decision::Forward
            );
            assert_eq!(
                decide(Mode::Api, &Verdict::from_error(&e)),
                Decision::Forward
            );
        }
    }

    #[test]
    fn enforce_maps_outcomes_to_statuses() {
        let e = Mode::Enforce;
        assert_eq!(status(e, &verified()), None);
        let v = |err: Error| Verdict::from_error(&err);
        assert_eq!(
            status(e, &v(Error::NoSignature)),
            Some((401, "no_signature", true))
        );
        assert_eq!(
            status(e, &v(Error::UnknownKey("k".into()))),
            Some((401, "unknown_key", true))
        );
        assert_eq!(
            status(e, &v(Error::InvalidSignature)),
            Some((403, "invalid_signature", false))
        );
        assert_eq!(
            status(e, &v(Error::Expired { expires: 1, now: 2 })),
            Some((403, "expired", false))
        );
        let mut replayed = verified();
        replayed.fail(&Error::NonceReplayed("n".into()));
        assert_eq!(status(e, &replayed), Some((429, "nonce_replayed", false)));
    }
}
