//! Verification in the Worker: the core's steps through [`crate::edge::stepwise`], with
//! each signature checked by [`super::signature_check`] (WebCrypto for Ed25519).

use super::signature_check;
use crate::edge::config::Ed25519Check;
use crate::edge::stepwise::{Step, Verification};
use crate::edge::verification::{Keys, key_source};
use crate::{Message, Policy, Profile, Verdict};

/// Verifies `msg` under `profile`'s `policy` at `now`.
pub async fn verify(
    profile: Profile,
    policy: &Policy,
    msg: &dyn Message,
    keys: &Keys<'_>,
    now: u64,
    ed25519: Ed25519Check,
) -> Verdict {
    let source = key_source(profile, keys);
    let mut v = match Verification::start(policy, msg, &source, now) {
        Ok(v) => v,
        Err(verdict) => return *verdict,
    };
    loop {
        match v.step() {
            Step::Done(verdict) => return *verdict,
            Step::Check(pending) => {
                let valid = signature_check::check(&pending, ed25519).await;
                if let Some(verdict) = v.checked(pending, valid) {
                    return verdict;
                }
            }
        }
    }
}
