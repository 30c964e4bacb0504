//! Sign → verify round trips for every algorithm and every kind of component, each
//! followed by a tampered copy that must fail; and the fediverse profile's rules.

mod common;

use common::{allowing_test_keys, rfc_key};
use httpseal::job::drive::{self, BlockingHost};
use httpseal::job::{Answer, AnswerError, CheckAnswer, Step, StepId, VerifyJob, VerifySetup};
use httpseal::{
    Algorithm, HttpMessage, JwkSet, Key, Outcome, Policy, Profile, SfRegistry, SfType, Signer,
    verify_message,
};

fn keys() -> Vec<(Algorithm, Key)> {
    vec![
        (
            Algorithm::Ed25519,
            Key::generate(Algorithm::Ed25519, &[1; 32]).unwrap(),
        ),
        (
            Algorithm::EcdsaP256Sha256,
            Key::generate(Algorithm::EcdsaP256Sha256, &[2; 32]).unwrap(),
        ),
        (
            Algorithm::EcdsaP384Sha384,
            Key::generate(Algorithm::EcdsaP384Sha384, &[3; 32]).unwrap(),
        ),
        (Algorithm::RsaPssSha512, rfc_key("test-key-rsa-pss")),
        (
            Algorithm::RsaV15Sha256,
            rfc_key("test-key-rsa")
                .with_algorithm(Algorithm::RsaV15Sha256)
                .unwrap(),
        ),
        (
            Algorithm::HmacSha256,
            Key::generate(Algorithm::HmacSha256, &[4; 32]).unwrap(),
        ),
    ]
}

fn request() -> HttpMessage {
    HttpMessage::request(
        "POST",
        "https://Example.com:443/a/b?q=1&name=caf%C3%A9+au+lait&empty=",
    )
    .unwrap()
    .with_header("Content-Type", "application/json")
    .with_header("Example-Dict", " a=1,  b=2;x=1, c=(a   b)")
    .with_header("X-Multi", "one, two")
    .with_header("X-Multi", "three")
    .with_header(
        "Content-Digest",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
    )
    .with_body(&b"{\"hello\": \"world\"}"[..])
}

fn response() -> HttpMessage {
    let mut r = HttpMessage::response(201)
        .unwrap()
        .with_header("Content-Type", "text/plain")
        .with_related_request(request());
    r.push_trailer("Expires", "Wed, 9 Nov 2022 07:28:00 GMT");
    r
}

/// (components, message builder, a tamper that changes one covered value)
type Case = (&'static str, fn() -> HttpMessage, fn(&mut HttpMessage));

fn cases() -> Vec<Case> {
    vec![
        (
            "@method @target-uri @authority @scheme @request-target @path @query",
            request,
            |m| {
                *m = HttpMessage::request("POST", "https://example.com/a/b?q=2")
                    .unwrap()
                    .with_headers_of(m)
            },
        ),
        (
            "@query-param;name=\"name\" @query-param;name=\"empty\"",
            request,
            |m| {
                *m = HttpMessage::request("POST", "https://example.com/a/b?q=1&name=tea&empty=")
                    .unwrap()
                    .with_headers_of(m)
            },
        ),
        ("content-type x-multi", request, |m| {
            m.push_header("X-Multi", "four")
        }),
        ("example-dict;sf", request, |m| {
            m.remove_header("example-dict");
            m.push_header("Example-Dict", "a=2, b=2;x=1, c=(a b)")
        }),
        (
            "example-dict;key=\"b\" example-dict;key=\"c\"",
            request,
            |m| {
                m.remove_header("example-dict");
                m.push_header("Example-Dict", "a=1, b=3;x=1, c=(a b)")
            },
        ),
        ("x-multi;bs", request, |m| {
            // Same plain value, different field lines: only bs tells them apart.
            m.remove_header("x-multi");
            m.push_header("X-Multi", "one, two, three")
        }),
        ("content-digest", request, |m| {
            m.body = Some(b"tampered".to_vec())
        }),
        ("@status content-type expires;tr", response, |m| {
            m.trailers.clear();
            m.push_trailer("Expires", "Thu, 10 Nov 2022 07:28:00 GMT")
        }),
        (
            "@status @method;req @authority;req @path;req content-type;req",
            response,
            |m| {
                let mut req = request();
                req.remove_header("content-type");
                req.push_header("Content-Type", "text/html");
                m.related_request = Some(Box::new(req));
            },
        ),
    ]
}

trait WithHeaders {
    fn with_headers_of(self, other: &HttpMessage) -> HttpMessage;
}

impl WithHeaders for HttpMessage {
    fn with_headers_of(mut self, other: &HttpMessage) -> HttpMessage {
        self.headers = other.headers.clone();
        self.body = other.body.clone();
        self
    }
}

#[test]
fn every_algorithm_and_component_kind_round_trips() {
    let types = SfRegistry::new().with("example-dict", SfType::Dictionary);
    // The RSA keys are the RFC's (B.1.1, B.1.2), published test keys refused by default.
    let policy = allowing_test_keys(Policy {
        structured_fields: types.clone(),
        ..Policy::default()
    });
    let mut count = 0;
    for (alg, key) in keys() {
        let verifier = JwkSet::from_keys([key.to_public().with_kid("k")]);
        for (components, make, tamper) in cases() {
            let mut msg = make();
            let signed = Signer::new(&key)
                .unwrap()
                .algorithm(alg)
                .unwrap()
                .components(components.split(' '))
                .unwrap()
                .created(1000)
                .unwrap()
                .keyid("k")
                .unwrap()
                .alg_param()
                .unwrap()
                .structured_fields(types.clone())
                .sign(&msg, Some(&[7; 32]))
                .unwrap_or_else(|e| panic!("{alg} {components}: {e}"));
            assert_eq!(signed.alg, alg);
            signed.apply_to(&mut msg).unwrap();
            let v = verify_message(&policy, &msg, &verifier, 1000, None);
            assert_eq!(
                v.verdict,
                Outcome::Verified,
                "{alg} {components}: {:?}",
                v.error
            );
            assert_eq!(v.signature_base.as_deref(), Some(signed.base.as_str()));
            let mut bad = msg.clone();
            tamper(&mut bad);
            let v = verify_message(&policy, &bad, &verifier, 1000, None);
            assert_eq!(v.verdict, Outcome::Invalid, "{alg} {components} tampered");
            count += 1;
        }
    }
    assert_eq!(count, 6 * 9);
}

#[test]
fn deterministic_algorithms_sign_identically_twice() {
    for (alg, key) in keys() {
        let msg = request();
        let sign = |seed: u8| {
            Signer::new(&key)
                .unwrap()
                .algorithm(alg)
                .unwrap()
                .components(["@method"])
                .unwrap()
                .sign(&msg, Some(&[seed; 32]))
                .unwrap()
        };
        assert_eq!(
            sign(1).signature == sign(2).signature,
            alg.is_deterministic()
                || alg == Algorithm::EcdsaP256Sha256
                || alg == Algorithm::EcdsaP384Sha384,
            "{alg}"
        );
    }
}

#[test]
fn a_signature_beside_existing_ones() {
    let (a, b) = (
        Key::generate(Algorithm::Ed25519, &[5; 32]).unwrap(),
        Key::generate(Algorithm::EcdsaP256Sha256, &[6; 32]).unwrap(),
    );
    let mut msg = request();
    Signer::new(&a)
        .unwrap()
        .components(["@method"])
        .unwrap()
        .keyid("a")
        .unwrap()
        .sign(&msg, None)
        .unwrap()
        .apply_to(&mut msg)
        .unwrap();
    let second = Signer::new(&b)
        .unwrap()
        .label("proxy")
        .unwrap()
        .components(["@method", "@authority"])
        .unwrap()
        .keyid("b")
        .unwrap()
        .sign(&msg, None)
        .unwrap();
    second.apply_to(&mut msg).unwrap();
    // The same label again is refused.
    let again = Signer::new(&b)
        .unwrap()
        .label("proxy")
        .unwrap()
        .components(["@path"])
        .unwrap()
        .sign(&msg, None)
        .unwrap();
    assert_eq!(
        again.apply_to(&mut msg.clone()).unwrap_err().code(),
        "duplicate_label"
    );
    let keys = JwkSet::from_keys([a.to_public().with_kid("a"), b.to_public().with_kid("b")]);
    for label in ["sig1", "proxy"] {
        let v = verify_message(
            &Policy {
                label: Some(label.into()),
                ..Policy::default()
            },
            &msg,
            &keys,
            0,
            None,
        );
        assert_eq!(v.verdict, Outcome::Verified, "{label}");
    }
}

fn fediverse_post(
    key: &Key,
    alg: Algorithm,
    components: &str,
    body: &[u8],
    digest: bool,
) -> HttpMessage {
    let mut msg = HttpMessage::request("POST", "https://social.example/users/alice/inbox")
        .unwrap()
        .with_header("Content-Type", "application/activity+json")
        .with_body(body);
    if digest {
        msg.push_header(
            "Content-Digest",
            &httpseal::content_digest(body, &[httpseal::DigestAlgorithm::Sha256]),
        );
    }
    Signer::new(key)
        .unwrap()
        .algorithm(alg)
        .unwrap()
        .components(components.split(' '))
        .unwrap()
        .created(10_000)
        .unwrap()
        .keyid("https://my.example.com/actor#main-key")
        .unwrap()
        .sign(&msg, Some(&[1; 32]))
        .unwrap()
        .apply_to(&mut msg)
        .unwrap();
    msg
}

#[test]
fn fediverse_profile() {
    let rsa = rfc_key("test-key-rsa");
    let ed = Key::generate(Algorithm::Ed25519, &[9; 32]).unwrap();
    let p256 = Key::generate(Algorithm::EcdsaP256Sha256, &[8; 32]).unwrap();
    let actor = "https://my.example.com/actor#main-key";
    let keys = |k: &Key| JwkSet::from_keys([k.to_public().with_kid(actor)]);
    // The RSA key is the RFC's B.1.1, a published test key refused by default.
    let policy = allowing_test_keys(Profile::Fediverse.policy());
    let code = |v: httpseal::Verdict| v.error_code().unwrap_or_default();
    let full = "@method @target-uri content-digest";
    // Mastodon's shape: rsa-v1_5-sha256, @method @target-uri content-digest, created.
    let msg = fediverse_post(
        &rsa,
        Algorithm::RsaV15Sha256,
        full,
        b"{\"type\":\"Follow\"}",
        true,
    );
    let v = verify_message(&policy, &msg, &keys(&rsa), 10_000, None);
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(v.keyid.as_deref(), Some(actor));
    // tootik also accepts ed25519.
    assert!(
        verify_message(
            &policy,
            &fediverse_post(&ed, Algorithm::Ed25519, full, b"{}", true),
            &keys(&ed),
            10_000,
            None
        )
        .is_verified()
    );
    // Other algorithms are refused.
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(&p256, Algorithm::EcdsaP256Sha256, full, b"{}", true),
            &keys(&p256),
            10_000,
            None
        )),
        "algorithm_not_allowed"
    );
    // A bare RSA key means rsa-v1_5-sha256 here, so an unannounced PSS signature fails...
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(&rsa, Algorithm::RsaPssSha512, full, b"{}", true),
            &keys(&rsa),
            10_000,
            None
        )),
        "invalid_signature"
    );
    // ...and an announced one is refused by the allow-list.
    let mut pss = HttpMessage::request("GET", "https://social.example/users/alice").unwrap();
    Signer::new(&rsa)
        .unwrap()
        .algorithm(Algorithm::RsaPssSha512)
        .unwrap()
        .components(["@method", "@target-uri"])
        .unwrap()
        .created(10_000)
        .unwrap()
        .alg_param()
        .unwrap()
        .sign(&pss, Some(&[1; 32]))
        .unwrap()
        .apply_to(&mut pss)
        .unwrap();
    assert_eq!(
        code(verify_message(&policy, &pss, &keys(&rsa), 10_000, None)),
        "algorithm_not_allowed"
    );
    // @method and @target-uri must be covered.
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(
                &ed,
                Algorithm::Ed25519,
                "@target-uri content-digest",
                b"{}",
                true
            ),
            &keys(&ed),
            10_000,
            None
        )),
        "missing_required_component"
    );
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(
                &ed,
                Algorithm::Ed25519,
                "@method @authority @path content-digest",
                b"{}",
                true
            ),
            &keys(&ed),
            10_000,
            None
        )),
        "missing_required_component"
    );
    // A body must be covered by content-digest, and the digest must match.
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(&ed, Algorithm::Ed25519, "@method @target-uri", b"{}", true),
            &keys(&ed),
            10_000,
            None
        )),
        "missing_required_component"
    );
    let mut tampered = fediverse_post(&ed, Algorithm::Ed25519, full, b"{}", true);
    tampered.body = Some(b"{\"evil\":1}".to_vec());
    assert_eq!(
        code(verify_message(&policy, &tampered, &keys(&ed), 10_000, None)),
        "content_digest_mismatch"
    );
    // Without a body, no digest is needed.
    let get = fediverse_post(&ed, Algorithm::Ed25519, "@method @target-uri", b"", false);
    assert!(verify_message(&policy, &get, &keys(&ed), 10_000, None).is_verified());
    // created is required and must be within an hour (plus skew).
    assert!(
        verify_message(
            &policy,
            &fediverse_post(&ed, Algorithm::Ed25519, full, b"{}", true),
            &keys(&ed),
            10_000 + 3600 + 60,
            None
        )
        .is_verified()
    );
    assert_eq!(
        code(verify_message(
            &policy,
            &fediverse_post(&ed, Algorithm::Ed25519, full, b"{}", true),
            &keys(&ed),
            10_000 + 3600 + 61,
            None
        )),
        "signature_too_old"
    );
}

/// What a host sees of a job's first [`Step::Check`]: its id, whether its primitive may
/// decide it, the JWK it would import, and how the core settles a host "false".
struct SeenCheck {
    id: StepId,
    alg: Algorithm,
    host_may_check: bool,
    host_jwk: Option<httpseal::Jwk>,
    settled_false: bool,
    settled_true: bool,
    verifies: bool,
}

fn first_check(job: &mut VerifyJob<'_>) -> SeenCheck {
    match job.next() {
        Step::Check(c) => SeenCheck {
            id: c.id,
            alg: c.alg,
            host_may_check: c.host_may_check(),
            host_jwk: c.host_jwk(),
            settled_false: c.settle(false).is_ok(),
            settled_true: c.settle(true).is_ok(),
            verifies: c.check_in_core().is_ok(),
        },
        other => panic!("expected a check, got {other:?}"),
    }
}

/// Answers the job's remaining steps (none but checks are expected) and returns its verdict.
fn finish(job: &mut VerifyJob<'_>) -> httpseal::Verdict {
    drive::run(job, &mut CoreChecks)
}

struct CoreChecks;
impl BlockingHost for CoreChecks {}

#[test]
fn a_host_can_do_the_check_step_itself() {
    let key = Key::generate(Algorithm::Ed25519, &[21; 32]).unwrap();
    let mut msg = request();
    Signer::new(&key)
        .unwrap()
        .components(["@method", "content-digest"])
        .unwrap()
        .created(1000)
        .unwrap()
        .sign(&msg, None)
        .unwrap()
        .apply_to(&mut msg)
        .unwrap();
    let keys = JwkSet::from_keys([key.to_public()]);
    let policy = Policy::default();
    let setup = |now| VerifySetup::new(policy.clone(), now).known(&keys);
    // A host primitive that agrees with the core: verified, and the body rules still ran.
    let host = |base: &[u8], sig: &[u8]| key.to_public().verify(Algorithm::Ed25519, base, sig);
    let run_with_host = |msg: &HttpMessage| {
        let mut job = VerifyJob::borrowing(msg, setup(1000));
        let (id, answer) = match job.next() {
            Step::Check(c) => {
                assert_eq!(c.alg, Algorithm::Ed25519);
                assert!(c.host_may_check());
                (c.id, host(c.base, c.signature).is_ok())
            }
            other => panic!("expected a check, got {other:?}"),
        };
        job.answer(Answer::Check {
            id,
            answer: CheckAnswer::Host(answer),
        })
        .unwrap();
        // One signature, one check: nothing else is asked of the host.
        assert!(matches!(job.next(), Step::Done));
        job.into_verdict().unwrap()
    };
    let verdict = run_with_host(&msg);
    assert_eq!(verdict.verdict, Outcome::Verified);
    assert_eq!(verdict.label.as_deref(), Some("sig1"));
    // A host check that fails makes it invalid. (A host "false" on Ed25519 is confirmed by
    // the core, `verify::host::settle`: here the signature bytes really are wrong.)
    let mut forged = msg.clone();
    let value = forged.header("signature").unwrap().to_string();
    forged.remove_header("signature");
    let encoded = value.trim_start_matches("sig1=:").trim_end_matches(':');
    let mut bytes = httpseal::b64::decode(encoded).unwrap();
    bytes[10] ^= 1;
    forged.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&bytes)),
    );
    let verdict = run_with_host(&forged);
    assert_eq!(verdict.error_code(), Some("invalid_signature"));
    // The body is checked after the host's check, so a tampered body still fails.
    let mut tampered = msg.clone();
    tampered.body = Some(b"x".to_vec());
    assert_eq!(
        run_with_host(&tampered).error_code(),
        Some("content_digest_mismatch")
    );
    // Decided without any check: no signature.
    let mut none = VerifyJob::new(request(), setup(1000));
    assert!(matches!(none.next(), Step::Done));
    assert_eq!(none.verdict().unwrap().error_code(), Some("no_signature"));
}

#[test]
fn host_check_rules_keep_verdicts_identical() {
    let key = Key::generate(Algorithm::Ed25519, &[31; 32]).unwrap();
    let mut msg = request();
    Signer::new(&key)
        .unwrap()
        .components(["@method"])
        .unwrap()
        .sign(&msg, None)
        .unwrap()
        .apply_to(&mut msg)
        .unwrap();
    let keys = JwkSet::from_keys([key.to_public()]);
    fn job<'k>(msg: &HttpMessage, keys: &'k JwkSet) -> VerifyJob<'k> {
        VerifyJob::new(
            msg.clone(),
            VerifySetup::new(Policy::default(), 0).known(keys),
        )
    }
    let mut j = job(&msg, &keys);
    let check = first_check(&mut j);
    // A well-formed signature under a valid key may go to the host; the JWK is public.
    assert_eq!(check.alg, Algorithm::Ed25519);
    assert!(check.host_may_check);
    assert!(check.host_jwk.unwrap().get("d").is_none());
    // A host "false" on Ed25519 is confirmed by the core: here the core says it verifies.
    assert!(check.settled_false);
    assert!(check.settled_true);
    assert!(check.verifies);
    // ...and the job settles a host "false" the same way.
    j.answer(Answer::Check {
        id: check.id,
        answer: CheckAnswer::Host(false),
    })
    .unwrap();
    assert!(finish(&mut j).is_verified());
    // A small-order R stays with the core.
    let mut forged = msg.clone();
    forged.remove_header("signature");
    let mut sig = vec![0u8; 64];
    sig[0] = 1; // R = the identity point (small order)
    forged.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&sig)),
    );
    let mut j = job(&forged, &keys);
    let c = first_check(&mut j);
    assert!(!c.host_may_check);
    assert!(c.host_jwk.is_none());
    // A host that answers such a check anyway is told so, and the check stays open.
    assert_eq!(
        j.answer(Answer::Check {
            id: c.id,
            answer: CheckAnswer::Host(true),
        }),
        Err(AnswerError::HostMayNotCheck(c.id))
    );
    j.answer(Answer::Check {
        id: c.id,
        answer: CheckAnswer::Core,
    })
    .unwrap();
    assert_eq!(finish(&mut j).error_code(), Some("invalid_signature"));
    // A weak (small-order) public key stays with the core as well.
    let weak = Key::ed25519_public(&{
        let mut a = [0u8; 32];
        a[0] = 1;
        a
    })
    .unwrap();
    let weak_keys = JwkSet::from_keys([weak]);
    assert!(!first_check(&mut job(&msg, &weak_keys)).host_may_check);
    // For algorithms without such differences, a host "false" is final.
    let p256 = Key::generate(Algorithm::EcdsaP256Sha256, &[32; 32]).unwrap();
    let mut m = request();
    Signer::new(&p256)
        .unwrap()
        .components(["@method"])
        .unwrap()
        .sign(&m, None)
        .unwrap()
        .apply_to(&mut m)
        .unwrap();
    let ks = JwkSet::from_keys([p256.to_public()]);
    let mut j = job(&m, &ks);
    let c = first_check(&mut j);
    assert!(c.host_may_check);
    assert!(c.verifies);
    assert!(!c.settled_false);
    j.answer(Answer::Check {
        id: c.id,
        answer: CheckAnswer::Host(false),
    })
    .unwrap();
    assert_eq!(finish(&mut j).error_code(), Some("invalid_signature"));
}
