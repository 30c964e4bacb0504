//! Verification in the Worker: the core's verification split around the signature check
//! ([`httpseal::verify::prepare`] → host checks → [`httpseal::Verification::finish`]), with each
//! check done by [`super::signature_check`] (WebCrypto for Ed25519).

use super::signature_check;
use crate::config::Ed25519Check;
use crate::verification::{Keys, key_source};
use alloc::vec::Vec;
use httpseal::{LabelledSignature, Message, Policy, Profile, Result, Verdict};

/// Verifies `msg` under `profile`'s `policy` at `now`; `parsed` is
/// [`httpseal::parse_signatures`] of `msg`, parsed once by the caller for planning too.
pub async fn verify(
    profile: Profile,
    policy: &Policy,
    msg: &dyn Message,
    parsed: Result<Vec<LabelledSignature>>,
    keys: &Keys<'_>,
    now: u64,
    ed25519: Ed25519Check,
) -> Verdict {
    let source = key_source(profile, keys);
    let verification = httpseal::verify::prepare_signatures(policy, msg, parsed, &source, now);
    let mut results = Vec::new();
    for pending in verification.checks() {
        results.push(signature_check::check(pending, ed25519).await);
    }
    // Nonces are checked afterwards against KV (asynchronously), see nonce_store.
    verification.finish(policy, msg, now, None, results)
}
