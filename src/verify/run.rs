//! Running a verification, split around the cryptographic check so a host can check the
//! signature bytes with its own primitive (WebCrypto in workerd and browsers) and let the
//! core do everything else.
//!
//! [`prepare`] applies, per applicable signature in order, the rules that need no
//! cryptography: parameters (so an expired or out-of-policy signature costs nothing), the
//! key and the algorithm bound to it, the signature base. The host checks each
//! [`PendingCheck`]; [`Verification::finish`] then applies `Content-Digest` and, last, the
//! nonce (so forged requests cannot fill a replay store), and picks the verdict: the first
//! signature that passes, else the most telling failure.

use super::keys::KeySource;
use super::policy::{NonceCheck, Policy};
use super::verdict::{Outcome, Verdict};
use crate::alg::Algorithm;
use crate::base::signature_base;
use crate::digest::check_content_digest;
use crate::error::{Error, Result};
use crate::input::{LabelledSignature, SignatureParams, combined_field, parse_signatures};
use crate::key::Key;
use crate::message::Message;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A signature that passed every rule needing no cryptography; its bytes wait for a check.
#[derive(Debug, Clone)]
pub struct PendingCheck<'k> {
    /// The algorithm bound to the key.
    pub alg: Algorithm,
    /// The verification key (a host may import `key.to_public().public_jwk()`).
    pub key: Cow<'k, Key>,
    /// The signature base, as bytes to check.
    pub base: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
    params: SignatureParams,
    verdict: Verdict,
}

impl PendingCheck<'_> {
    /// Checks the signature with the core's own (pure Rust) primitives.
    pub fn check(&self) -> Result<()> {
        self.key
            .verify(self.alg, self.base.as_bytes(), &self.signature)
    }

    /// The label of the signature.
    pub fn label(&self) -> &str {
        self.verdict.label.as_deref().unwrap_or_default()
    }

    /// The same check, owning its key (to keep it across an asynchronous host check).
    pub fn into_owned(self) -> PendingCheck<'static> {
        PendingCheck {
            alg: self.alg,
            key: Cow::Owned(self.key.into_owned()),
            base: self.base,
            signature: self.signature,
            params: self.params,
            verdict: self.verdict,
        }
    }
}

#[derive(Debug, Clone)]
enum Slot<'k> {
    Failed(Box<Verdict>),
    Pending(Box<PendingCheck<'k>>),
}

/// A verification waiting for its cryptographic checks.
#[derive(Debug, Clone)]
pub struct Verification<'k> {
    /// Set when the outcome is known without any check (no signature, none applicable).
    decided: Option<Verdict>,
    slots: Vec<Slot<'k>>,
}

/// Runs every rule that needs no cryptography and returns the checks still to do.
pub fn prepare<'k>(
    policy: &Policy,
    msg: &dyn Message,
    keys: &'k dyn KeySource,
    now: u64,
) -> Verification<'k> {
    prepare_signatures(policy, msg, parse_signatures(msg), keys, now)
}

/// [`prepare`] for the result of [`parse_signatures`] on `msg`, for a host that parsed the
/// signatures already (to plan key fetches, [`crate::webbotauth::plan_signatures`]).
pub fn prepare_signatures<'k>(
    policy: &Policy,
    msg: &dyn Message,
    parsed: Result<Vec<LabelledSignature>>,
    keys: &'k dyn KeySource,
    now: u64,
) -> Verification<'k> {
    let decided = |v: Verdict| Verification {
        decided: Some(v),
        slots: Vec::new(),
    };
    let sigs = match parsed {
        Ok(s) if s.is_empty() => return decided(Verdict::from_error(&Error::NoSignature)),
        Ok(s) => s,
        Err(e) => return decided(Verdict::from_error(&e)),
    };
    if !sigs.iter().any(|s| policy.applies_to(s)) {
        return decided(not_applicable(policy, &sigs));
    }
    let slots = sigs
        .into_iter()
        .filter(|s| policy.applies_to(s))
        .map(|sig| slot(policy, msg, sig, keys, now))
        .collect();
    Verification {
        decided: None,
        slots,
    }
}

/// One applicable signature through [`pre_check`]; its parts move into the pending check.
fn slot<'k>(
    policy: &Policy,
    msg: &dyn Message,
    sig: LabelledSignature,
    keys: &'k dyn KeySource,
    now: u64,
) -> Slot<'k> {
    let mut verdict = Verdict::about(&sig);
    match pre_check(policy, msg, &sig, keys, now, &mut verdict) {
        Ok((alg, key, base)) => Slot::Pending(Box::new(PendingCheck {
            alg,
            key,
            base,
            signature: sig.signature,
            params: sig.params,
            verdict,
        })),
        Err(e) => {
            verdict.fail(&e);
            Slot::Failed(Box::new(verdict))
        }
    }
}

/// Why no signature applies: the requested label is missing, or has the wrong tag, or no
/// signature carries the required tag.
fn not_applicable(policy: &Policy, sigs: &[LabelledSignature]) -> Verdict {
    let requested = policy
        .label
        .as_ref()
        .and_then(|l| sigs.iter().find(|s| s.label == *l));
    let why = match (&policy.label, &policy.tag, requested) {
        (Some(l), _, None) => Error::LabelNotFound(l.clone()),
        // The caller asked for this very signature, and its tag is wrong.
        (Some(_), Some(t), Some(sig)) => {
            let mut verdict = Verdict::about(sig);
            verdict.fail(&Error::TagMismatch {
                expected: t.clone(),
                found: sig.params.tag().map(Into::into),
            });
            return verdict;
        }
        (_, Some(t), _) => {
            Error::NoApplicableSignature(alloc::format!("no signature has tag {t:?}"))
        }
        _ => Error::NoApplicableSignature("no signature matches the policy".into()),
    };
    Verdict::from_error(&why)
}

/// The rules before the check, for one signature: the algorithm, the key and the base.
fn pre_check<'k>(
    policy: &Policy,
    msg: &dyn Message,
    sig: &LabelledSignature,
    keys: &'k dyn KeySource,
    now: u64,
    verdict: &mut Verdict,
) -> Result<(Algorithm, Cow<'k, Key>, String)> {
    policy.check_params(&sig.params, now)?;
    if let Some(options) = policy.signature_agent
        && let Some(member) =
            crate::webbotauth::covered_member(msg, &sig.label, sig.params.components())?
    {
        member.validate(options.allow_http)?;
    }
    let resolved = keys.key_for(sig, msg)?;
    verdict.agent = resolved.agent.clone();
    if policy.keyid_is_thumbprint {
        let keyid = sig.params.keyid().unwrap_or_default();
        if resolved.key.thumbprint() != keyid {
            return Err(Error::KeyIdNotThumbprint(keyid.to_string()));
        }
    }
    let alg = match (
        resolved.key.algorithm(),
        sig.params.alg(),
        policy.rsa_algorithm,
    ) {
        (None, None, Some(configured)) if resolved.key.key_type().fits(configured) => configured,
        _ => resolved.key.resolve_algorithm(sig.params.alg())?,
    };
    verdict.alg = Some(alg.name().to_string());
    policy.check_algorithm(alg)?;
    let base = signature_base(msg, &sig.params, &policy.structured_fields)?;
    verdict.signature_base = Some(base.clone());
    Ok((alg, resolved.key, base))
}

impl<'k> Verification<'k> {
    /// The checks to do, in order.
    pub fn checks(&self) -> impl Iterator<Item = &PendingCheck<'k>> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Pending(p) => Some(&**p),
            Slot::Failed(_) => None,
        })
    }

    /// The same verification, owning its keys (to keep it across an asynchronous check).
    pub fn into_owned(self) -> Verification<'static> {
        Verification {
            decided: self.decided,
            slots: self
                .slots
                .into_iter()
                .map(|s| match s {
                    Slot::Failed(v) => Slot::Failed(v),
                    Slot::Pending(p) => Slot::Pending(Box::new(p.into_owned())),
                })
                .collect(),
        }
    }

    /// Finishes with the core's own primitives doing the checks.
    pub fn finish_natively(
        self,
        policy: &Policy,
        msg: &dyn Message,
        now: u64,
        nonces: Option<&dyn NonceCheck>,
    ) -> Verdict {
        let results: Vec<Result<()>> = self.checks().map(PendingCheck::check).collect();
        self.finish(policy, msg, now, nonces, results)
    }

    /// Finishes with the host's results for [`Self::checks`], in the same order
    /// (`Err(Error::InvalidSignature)` when the bytes do not verify).
    pub fn finish(
        self,
        policy: &Policy,
        msg: &dyn Message,
        now: u64,
        nonces: Option<&dyn NonceCheck>,
        results: impl IntoIterator<Item = Result<()>>,
    ) -> Verdict {
        if let Some(v) = self.decided {
            return v;
        }
        let mut results = results.into_iter();
        let mut best: Option<Verdict> = None;
        for slot in self.slots {
            let verdict = match slot {
                Slot::Failed(v) => *v,
                Slot::Pending(p) => {
                    let checked = results.next().unwrap_or(Err(Error::InvalidSignature));
                    let PendingCheck {
                        verdict, params, ..
                    } = *p;
                    let mut verdict = verdict;
                    match checked.and_then(|()| post_check(policy, msg, &params, now, nonces)) {
                        Ok(()) => {
                            verdict.verdict = Outcome::Verified;
                            return verdict;
                        }
                        Err(e) => verdict.fail(&e),
                    }
                    verdict
                }
            };
            // Report an invalid signature over an unverifiable one, else the first.
            let better = match &best {
                None => true,
                Some(b) => b.verdict == Outcome::Unverified && verdict.verdict == Outcome::Invalid,
            };
            if better {
                best = Some(verdict);
            }
        }
        best.unwrap_or_else(|| Verdict::from_error(&Error::NoSignature))
    }
}

/// The rules after a successful check: the body, then the nonce.
fn post_check(
    policy: &Policy,
    msg: &dyn Message,
    params: &SignatureParams,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Result<()> {
    check_body(policy, msg, params)?;
    if let (Some(nonce), Some(store)) = (params.nonce(), nonces) {
        let until = params
            .expires()
            .or_else(|| policy.max_age.and_then(|a| params.created().map(|c| c + a)))
            .unwrap_or(now + 86_400)
            .saturating_add(policy.skew);
        if !store.check_and_record(nonce, until) {
            return Err(Error::NonceReplayed(nonce.to_string()));
        }
    }
    Ok(())
}

/// `Content-Digest` rules: a covered digest must match the body (when the body is known),
/// and the policy may require one for any non-empty body.
fn check_body(policy: &Policy, msg: &dyn Message, params: &SignatureParams) -> Result<()> {
    let covers_digest = params
        .components()
        .iter()
        .any(|c| c.name() == "content-digest" && c.flags().is_ok_and(|f| !f.req && !f.tr));
    let body = msg.body();
    if policy.require_digest_for_body && !covers_digest && body.is_some_and(|b| !b.is_empty()) {
        return Err(Error::MissingRequiredComponent("\"content-digest\"".into()));
    }
    if covers_digest
        && policy.check_content_digest
        && let Some(body) = body
    {
        let value = combined_field(msg, "content-digest")?.unwrap_or_default();
        check_content_digest(&value, body)?;
    }
    Ok(())
}

/// Verifies `msg`: the first applicable signature that passes makes it `verified`.
pub fn verify_message(
    policy: &Policy,
    msg: &dyn Message,
    keys: &dyn KeySource,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Verdict {
    prepare(policy, msg, keys, now).finish_natively(policy, msg, now, nonces)
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
    Verification {
        decided: None,
        slots: alloc::vec![slot(policy, msg, sig.clone(), keys, now)],
    }
    .finish_natively(policy, msg, now, nonces)
}
