//! Verification with the signature check done by the host: a small state machine over the
//! core's public steps (parse, policy, key lookup, signature base), which hands each
//! signature's *check* — key, algorithm, base, signature bytes — to the caller and is told
//! the result. The Worker checks Ed25519 with WebCrypto (native code in workerd, several
//! times faster than Ed25519 compiled to wasm) and every other algorithm with the core.
//!
//! The core's [`crate::verify_message`] does the same steps with its own check, in one
//! call. Until the core exposes this split itself, the steps are composed here; a test
//! checks that both paths give identical verdicts over every vector and every failure rule.

use crate::input::{LabelledSignature, SignatureParams, combined_field, parse_signatures};
use crate::{
    Algorithm, ComponentId, Error, Key, KeySource, Message, Outcome, Policy, Result, Verdict,
    check_content_digest, signature_base, verify_message,
};
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// One signature whose bytes must be checked: `key` verifies `signature` over `base`
/// with `alg`, or the signature is invalid.
#[derive(Debug, Clone)]
pub struct PendingCheck {
    /// The algorithm, bound to the key.
    pub alg: Algorithm,
    /// The (public) key.
    pub key: Key,
    /// The signature base.
    pub base: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
    verdict: Verdict,
    index: usize,
}

/// What the host must do next.
#[derive(Debug)]
pub enum Step {
    /// Check this signature, then call [`Verification::checked`].
    Check(Box<PendingCheck>),
    /// The verdict.
    Done(Box<Verdict>),
}

/// Verification of one message under a policy, advanced by the host.
pub struct Verification<'a> {
    policy: &'a Policy,
    msg: &'a dyn Message,
    keys: &'a dyn KeySource,
    now: u64,
    sigs: Vec<LabelledSignature>,
    next: usize,
    best: Option<Verdict>,
}

impl<'a> Verification<'a> {
    /// Starts verifying `msg`; `Err` holds the verdict when no signature can be checked
    /// (none, malformed, or none the policy applies to).
    pub fn start(
        policy: &'a Policy,
        msg: &'a dyn Message,
        keys: &'a dyn KeySource,
        now: u64,
    ) -> core::result::Result<Self, Box<Verdict>> {
        let sigs: Vec<LabelledSignature> = match parse_signatures(msg) {
            Ok(s) => s.into_iter().filter(|s| policy.applies_to(s)).collect(),
            Err(_) => Vec::new(),
        };
        if sigs.is_empty() {
            // Nothing reaches a signature check: the core's verdict, with its exact wording.
            return Err(Box::new(verify_message(policy, msg, keys, now, None)));
        }
        Ok(Verification {
            policy,
            msg,
            keys,
            now,
            sigs,
            next: 0,
            best: None,
        })
    }

    /// The next step: a signature to check, or the verdict.
    pub fn step(&mut self) -> Step {
        while self.next < self.sigs.len() {
            let index = self.next;
            self.next += 1;
            let sig = &self.sigs[index];
            let mut verdict = about(sig);
            match self.prepare(sig, &mut verdict) {
                Ok((alg, key, base)) => {
                    return Step::Check(Box::new(PendingCheck {
                        alg,
                        key,
                        base,
                        signature: sig.signature.clone(),
                        verdict,
                        index,
                    }));
                }
                Err(e) => {
                    verdict.fail(&e);
                    self.consider(verdict);
                }
            }
        }
        Step::Done(Box::new(
            self.best
                .take()
                .unwrap_or_else(|| Verdict::from_error(&Error::NoSignature)),
        ))
    }

    /// Reports the result of a check; `Some` when that made the message verified.
    pub fn checked(&mut self, pending: Box<PendingCheck>, valid: bool) -> Option<Verdict> {
        let PendingCheck {
            mut verdict, index, ..
        } = *pending;
        let sig = &self.sigs[index];
        let result = if valid {
            check_body(self.policy, self.msg, &sig.params)
        } else {
            Err(Error::InvalidSignature)
        };
        match result {
            Ok(()) => {
                verdict.verdict = Outcome::Verified;
                Some(verdict)
            }
            Err(e) => {
                verdict.fail(&e);
                self.consider(verdict);
                None
            }
        }
    }

    /// Everything the core does for one signature before its check (`verify_one`).
    fn prepare(
        &self,
        sig: &LabelledSignature,
        verdict: &mut Verdict,
    ) -> Result<(Algorithm, Key, String)> {
        let policy = self.policy;
        policy.check_params(&sig.params, self.now)?;
        let resolved = self.keys.key_for(sig, self.msg)?;
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
            (None, None, Some(configured)) if resolved.key.key_type().fits(configured) => {
                configured
            }
            _ => resolved.key.resolve_algorithm(sig.params.alg())?,
        };
        verdict.alg = Some(alg.name().to_string());
        if let Some(allowed) = &policy.allowed_algorithms
            && !allowed.contains(&alg)
        {
            return Err(Error::AlgorithmNotAllowed(alg.name().into()));
        }
        let base = signature_base(self.msg, &sig.params, &policy.structured_fields)?;
        verdict.signature_base = Some(base.clone());
        Ok((alg, resolved.key.into_owned(), base))
    }

    /// The core's choice among failures: an invalid signature over an unverifiable one,
    /// else the first.
    fn consider(&mut self, verdict: Verdict) {
        let better = match &self.best {
            None => true,
            Some(b) => b.verdict == Outcome::Unverified && verdict.verdict == Outcome::Invalid,
        };
        if better {
            self.best = Some(verdict);
        }
    }
}

/// Runs a verification to the end with a synchronous `check` (the core's own check in
/// tests; any host primitive that answers at once).
pub fn run(mut v: Verification<'_>, check: impl Fn(&PendingCheck) -> bool) -> Verdict {
    loop {
        match v.step() {
            Step::Done(verdict) => return *verdict,
            Step::Check(pending) => {
                let valid = check(&pending);
                if let Some(verdict) = v.checked(pending, valid) {
                    return verdict;
                }
            }
        }
    }
}

/// The core's check of one signature.
pub fn core_check(p: &PendingCheck) -> bool {
    p.key.verify(p.alg, p.base.as_bytes(), &p.signature).is_ok()
}

/// A verdict about one signature, before it is checked.
fn about(sig: &LabelledSignature) -> Verdict {
    let p = &sig.params;
    let mut v = Verdict::from_error(&Error::NoSignature);
    v.verdict = Outcome::Invalid;
    v.error = None;
    v.label = Some(sig.label.clone());
    v.keyid = p.keyid().map(str::to_string);
    v.alg = p.alg().map(str::to_string);
    v.tag = p.tag().map(str::to_string);
    v.created = p.created();
    v.expires = p.expires();
    v.nonce = p.nonce().map(str::to_string);
    v.components = p.components().iter().map(ComponentId::serialize).collect();
    v
}

/// `Content-Digest` rules after a good signature: a covered digest must match the body
/// (when the body is known), and the policy may require one for a non-empty body.
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

#[cfg(test)]
mod tests {
    //! The stepwise path must give the core's verdict, field for field.
    extern crate std;
    use super::*;
    use crate::webbotauth::{AgentKeys, AgentOptions};
    use crate::{HttpMessage, JwkSet, Profile, parse_http1, parse_jwk};
    use alloc::collections::BTreeMap;
    use alloc::format;
    use serde_json::Value;

    fn vectors(path: &str) -> Value {
        let full = format!("{}/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(full).unwrap()).unwrap()
    }

    fn rfc_keys() -> JwkSet {
        let dir = format!("{}/tests/vectors/rfc9421/keys", env!("CARGO_MANIFEST_DIR"));
        let mut keys: Vec<Key> = ["test-key-rsa", "test-key-ecc-p256", "test-key-ed25519"]
            .iter()
            .map(|n| {
                parse_jwk(&std::fs::read_to_string(format!("{dir}/{n}.jwk.json")).unwrap()).unwrap()
            })
            .collect();
        let pss = parse_jwk(
            &std::fs::read_to_string(format!("{dir}/test-key-rsa-pss.jwk.json")).unwrap(),
        )
        .unwrap()
        .with_algorithm(Algorithm::RsaPssSha512)
        .unwrap();
        keys.push(pss);
        let secret = std::fs::read_to_string(format!("{dir}/test-shared-secret.b64")).unwrap();
        keys.push(
            Key::hmac(&crate::b64::decode(secret.trim()).unwrap())
                .unwrap()
                .with_kid("test-shared-secret"),
        );
        JwkSet::from_keys(keys)
    }

    fn same(
        policy: &Policy,
        msg: &dyn Message,
        keys: &dyn KeySource,
        now: u64,
        what: &str,
    ) -> Verdict {
        let core = verify_message(policy, msg, keys, now, None);
        let stepwise = match Verification::start(policy, msg, keys, now) {
            Ok(v) => run(v, core_check),
            Err(verdict) => *verdict,
        };
        assert_eq!(stepwise, core, "{what}");
        core
    }

    #[test]
    fn rfc9421_vectors_and_their_mutations() {
        let keys = rfc_keys();
        let mut outcomes = BTreeMap::new();
        for v in vectors("rfc9421/vectors.json")["vectors"]
            .as_array()
            .unwrap()
        {
            let name = v["name"].as_str().unwrap();
            let mut msg =
                parse_http1(v["signed_message"].as_str().unwrap().as_bytes(), "https").unwrap();
            if let Some(req) = v["related_request"].as_str() {
                msg = msg.with_related_request(parse_http1(req.as_bytes(), "https").unwrap());
            }
            let label = v["label"].as_str().unwrap();
            let mut policies = alloc::vec![
                Policy {
                    label: Some(label.into()),
                    ..Policy::default()
                },
                Policy::default(),
                Profile::WebBotAuth.policy(),
                Profile::Fediverse.policy(),
                Policy {
                    allowed_algorithms: Some(alloc::vec![Algorithm::Ed25519]),
                    ..Policy::default()
                },
                Policy {
                    label: Some("nope".into()),
                    ..Policy::default()
                },
                Policy {
                    tag: Some("x".into()),
                    label: Some(label.into()),
                    ..Policy::default()
                },
                Policy {
                    require_nonce: true,
                    ..Policy::default()
                },
            ];
            policies.push(Policy {
                require_digest_for_body: true,
                ..Policy::default()
            });
            for (i, policy) in policies.iter().enumerate() {
                for now in [1_618_884_480, 1_618_884_473 - 3600, 2_000_000_000] {
                    let verdict = same(
                        policy,
                        &msg,
                        &keys,
                        now,
                        &format!("{name} policy {i} now {now}"),
                    );
                    *outcomes.entry(verdict.verdict.as_str()).or_insert(0) += 1;
                }
            }
            // A changed body, no keys, and a key set that holds only one key.
            let mut changed = msg.clone();
            if changed.body.is_some() {
                changed.body = Some(b"{\"hello\": \"mallory\"}".to_vec());
                same(&Policy::default(), &changed, &keys, 1_618_884_480, name);
            }
            same(
                &Policy::default(),
                &msg,
                &JwkSet::default(),
                1_618_884_480,
                name,
            );
            let one = JwkSet::from_keys([keys.keys()[2].key.clone()]);
            same(&Policy::default(), &msg, &one, 1_618_884_480, name);
        }
        // Every outcome was exercised, not only the happy path.
        assert!(
            outcomes["verified"] > 20 && outcomes["invalid"] > 20 && outcomes["unverified"] > 20,
            "{outcomes:?}"
        );
    }

    #[test]
    fn web_bot_auth_vectors_with_agent_keys() {
        for file in [
            "webbotauth/web_bot_auth_architecture_v1.json",
            "webbotauth/web_bot_auth_architecture_v2.json",
        ] {
            for v in vectors(file).as_array().unwrap() {
                let mut msg =
                    HttpMessage::request("GET", v["target_url"].as_str().unwrap()).unwrap();
                msg.push_header("Signature-Input", v["signature_input"].as_str().unwrap());
                msg.push_header("Signature", v["signature"].as_str().unwrap());
                if let Some(a) = v["signature_agent"].as_str() {
                    msg.push_header("Signature-Agent", a);
                }
                let key = crate::key_from_jwk(v["key"].as_object().unwrap())
                    .unwrap()
                    .to_public();
                let known = JwkSet::from_keys([key]);
                let dirs: BTreeMap<String, JwkSet> = BTreeMap::new();
                let agent_keys = AgentKeys {
                    directories: &dirs,
                    known: Some(&known),
                    options: AgentOptions::default(),
                };
                for mut policy in [Profile::WebBotAuth.policy(), Profile::Rfc9421.policy()] {
                    for lifetime in [None, Some(86_400)] {
                        policy.max_lifetime = lifetime;
                        for now in [1_735_690_000, 1_735_693_200 + 61] {
                            same(&policy, &msg, &agent_keys, now, file);
                            same(&policy, &msg, &JwkSet::default(), now, file);
                        }
                    }
                }
                let mut moved = msg.clone();
                moved = {
                    let mut m = HttpMessage::request("GET", "https://other.example/").unwrap();
                    m.headers = moved.headers.clone();
                    m
                };
                same(
                    &Profile::WebBotAuth.policy(),
                    &moved,
                    &agent_keys,
                    1_735_690_000,
                    "moved",
                );
            }
        }
    }
}
