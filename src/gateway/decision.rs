//! What a gateway does with a verdict: forward the request, or answer for the origin. The
//! Worker and the npm middleware ask the same function, so `enforce` answers the same
//! everywhere.

use super::problem::Problem;
use crate::error::Error;
use crate::fetch::FetchFailure;
use crate::verify::{Outcome, Verdict};
use crate::webbotauth::DiscoveryFailure;

/// What a gateway does with requests that are not `verified`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Fail-open: forward every request, with a trustworthy verdict header.
    Annotate,
    /// Forward only verified requests; answer 401 / 403 / 429 / 503 otherwise.
    Enforce,
}

impl Mode {
    /// The name used in configuration (`annotate`, `enforce`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Annotate => "annotate",
            Mode::Enforce => "enforce",
        }
    }

    /// The mode named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "annotate" => Some(Mode::Annotate),
            "enforce" => Some(Mode::Enforce),
            _ => None,
        }
    }
}

/// Seconds a client is told to wait when the verifier cannot decide for lack of a resource
/// (a replay store that failed, too many fetches in flight).
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// A gateway's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Forward to the upstream, with the verdict header.
    Forward,
    /// Answer with this problem.
    Reject {
        /// The problem+json body and its status.
        problem: Problem,
        /// Whether the answer carries an `Accept-Signature` challenge (401).
        challenge: bool,
        /// The `Retry-After` seconds, for answers that say "not now" (429, 503).
        retry_after: Option<u64>,
    },
}

/// `annotate` forwards everything (fail-open); `enforce` forwards only verified requests and
/// answers, by the verdict's error:
/// - 429 for a replayed nonce (`nonce_replayed`);
/// - 503 with `Retry-After` when the verifier could not decide for lack of a resource: the
///   replay store failed (`replay_check_unavailable`, so `enforce` fails closed) or the
///   isolate had too many directory fetches in flight (`directory_unavailable` caused by
///   `fetch_busy`);
/// - 401 with an `Accept-Signature` challenge for any other `unverified` verdict (no
///   signature, no key the gateway can check). Draft -01 §5.3 suggests 403 for a challenge;
///   401 is this gateway's published contract;
/// - 403 for any other `invalid` verdict.
pub fn decide(mode: Mode, verdict: &Verdict) -> Decision {
    if mode == Mode::Annotate || verdict.verdict == Outcome::Verified {
        return Decision::Forward;
    }
    let reject = |status, challenge, retry_after| {
        let problem = match &verdict.error {
            Some(e) => Problem::new(status, e.code(), alloc::format!("{e}")),
            None => Problem::new(status, "invalid_signature", "the request is not verified"),
        };
        Decision::Reject {
            problem,
            challenge,
            retry_after,
        }
    };
    match &verdict.error {
        Some(Error::NonceReplayed(_)) => reject(429, false, None),
        Some(Error::ReplayCheckUnavailable(_)) => reject(503, false, Some(RETRY_AFTER_SECONDS)),
        Some(Error::DirectoryUnavailable { cause, .. })
            if matches!(**cause, DiscoveryFailure::Fetch(FetchFailure::Busy)) =>
        {
            reject(503, false, Some(RETRY_AFTER_SECONDS))
        }
        _ if verdict.verdict == Outcome::Unverified => reject(401, true, None),
        _ => reject(403, false, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn verified() -> Verdict {
        let mut v = Verdict::from_error(Error::NoSignature);
        v.verdict = Outcome::Verified;
        v.error = None;
        v
    }

    fn answer(mode: Mode, v: &Verdict) -> Option<(u16, alloc::string::String, bool, Option<u64>)> {
        match decide(mode, v) {
            Decision::Forward => None,
            Decision::Reject {
                problem,
                challenge,
                retry_after,
            } => Some((problem.status, problem.code, challenge, retry_after)),
        }
    }

    #[test]
    fn annotate_always_forwards() {
        for e in [
            Error::NoSignature,
            Error::InvalidSignature,
            Error::NonceReplayed("n".into()),
        ] {
            assert_eq!(
                decide(Mode::Annotate, &Verdict::from_error(e)),
                Decision::Forward
            );
        }
    }

    #[test]
    fn enforce_decides_on_the_error_variant() {
        let e = Mode::Enforce;
        assert_eq!(answer(e, &verified()), None);
        let v = |err: Error| Verdict::from_error(err);
        let s = |x: &str| x.to_string();
        assert_eq!(
            answer(e, &v(Error::NoSignature)),
            Some((401, s("no_signature"), true, None))
        );
        assert_eq!(
            answer(e, &v(Error::UnknownKey("k".into()))),
            Some((401, s("unknown_key"), true, None))
        );
        assert_eq!(
            answer(e, &v(Error::InvalidSignature)),
            Some((403, s("invalid_signature"), false, None))
        );
        assert_eq!(
            answer(e, &v(Error::Expired { expires: 1, now: 2 })),
            Some((403, s("expired"), false, None))
        );
        let mut replayed = verified();
        replayed.fail(Error::NonceReplayed("n".into()));
        assert_eq!(
            answer(e, &replayed),
            Some((429, s("nonce_replayed"), false, None))
        );
        let mut unrecorded = verified();
        unrecorded.fail(Error::ReplayCheckUnavailable("KV refused the write".into()));
        assert_eq!(
            answer(e, &unrecorded),
            Some((
                503,
                s("replay_check_unavailable"),
                false,
                Some(RETRY_AFTER_SECONDS)
            ))
        );
        let busy = v(DiscoveryFailure::Fetch(FetchFailure::Busy).at("https://a.example/"));
        assert_eq!(
            answer(e, &busy),
            Some((
                503,
                s("directory_unavailable"),
                false,
                Some(RETRY_AFTER_SECONDS)
            ))
        );
        let down = v(DiscoveryFailure::Status(500).at("https://a.example/"));
        assert_eq!(
            answer(e, &down),
            Some((401, s("directory_unavailable"), true, None))
        );
    }
}
