//! Verifying with the keys at hand: the verifier job ([`crate::job::VerifyJob`]) driven at
//! once, with the core's own primitives and no directories. Hosts that fetch, cache or check
//! with a native primitive drive the job themselves.

use super::keys::KeySource;
use super::policy::{NonceCheck, Policy};
use super::verdict::Verdict;
use crate::input::LabelledSignature;
use crate::job::drive::{self, BlockingHost};
use crate::job::{NonceAnswer, NonceRequest, VerifyJob, VerifySetup};
use crate::message::Message;

/// Answers nonce steps from a [`NonceCheck`].
struct Nonces<'a>(Option<&'a dyn NonceCheck>);

impl BlockingHost for Nonces<'_> {
    fn nonce(&mut self, nonce: &NonceRequest<'_>) -> NonceAnswer {
        match self.0 {
            Some(store) if !store.check_and_record(nonce.key, nonce.until) => NonceAnswer::Seen,
            _ => NonceAnswer::New,
        }
    }
}

/// Verifies `msg`: the first applicable signature that passes makes it `verified`. A nonce
/// is checked with `nonces` (under the key [`crate::verify::replay_key`] gives it) only for a
/// signature that passed everything else.
pub fn verify_message(
    policy: &Policy,
    msg: &dyn Message,
    keys: &dyn KeySource,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Verdict {
    let mut setup = VerifySetup::new(policy.clone(), now).known(keys);
    setup.nonces = nonces.is_some();
    let mut job = VerifyJob::borrowing(msg, setup);
    drive::run(&mut job, &mut Nonces(nonces))
}

/// Verifies one signature of `msg` under `policy`, ignoring the policy's label and tag
/// selection (which [`verify_message`] applies).
pub fn verify_signature(
    policy: &Policy,
    msg: &dyn Message,
    sig: &LabelledSignature,
    keys: &dyn KeySource,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Verdict {
    let mut policy = policy.clone();
    policy.label = Some(sig.label.clone());
    policy.tag = None;
    verify_message(&policy, msg, keys, now, nonces)
}
