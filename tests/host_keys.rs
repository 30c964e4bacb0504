//! A build without a family (here: P-384, as in the edge Worker) still reads its public
//! keys — type, JWK, thumbprint — and hands their checks to the host's primitive
//! (WebCrypto); the core alone leaves such a signature unverified, never verified.
//!
//! Run with `cargo test --no-default-features --features ed25519,host-keys --test host_keys`
//! (part of `make test`).

mod common;

use common::vectors;
use httpseal::api::VerifyRequestJson;
use httpseal::job::{Answer, CheckAnswer, Step, VerifyJob, VerifySetup};
use httpseal::{Error, KeyType, Outcome, Policy, parse_jwk};

#[test]
fn p384_keys_are_host_only_and_checked_by_the_host() {
    assert!(
        !httpseal::Algorithm::EcdsaP384Sha384.is_supported(),
        "run without ecdsa-p384"
    );
    let doc = vectors("host-keys/p384-request.json");
    let jwk = &doc["publicJwk"];
    let key = parse_jwk(&jwk.to_string()).unwrap();
    assert_eq!(key.key_type(), KeyType::P384);
    assert!(key.is_host_only());
    // Same thumbprint and JWK as the full build computes.
    assert_eq!(key.thumbprint(), jwk["kid"].as_str().unwrap());
    let public = key.public_jwk();
    assert_eq!(
        (public["x"].clone(), public["y"].clone()),
        (jwk["x"].clone(), jwk["y"].clone())
    );
    // Signing needs the private key, which a host-only family cannot take.
    let mut private = jwk.as_object().unwrap().clone();
    private.insert("d".into(), httpseal::b64::url_encode(&[1; 48]).into());
    assert_eq!(
        httpseal::key_from_jwk(&private).unwrap_err().code(),
        "unsupported_key"
    );
    // Malformed members are still refused.
    let mut bad = jwk.as_object().unwrap().clone();
    bad.insert("x".into(), "AAAA".into());
    assert_eq!(
        httpseal::key_from_jwk(&bad).unwrap_err().code(),
        "malformed_jwk"
    );

    let request = VerifyRequestJson::parse(&serde_json::json!({"method": doc["request"]["method"], "url": doc["request"]["url"], "headers": doc["request"]["headers"], "jwks": {"keys": [jwk]}}).to_string()).unwrap();
    let msg = request.message.to_message().unwrap();
    let keys = request.jwks().unwrap().unwrap();
    let now = doc["now"].as_u64().unwrap();
    let policy = Policy::default();
    let job = || VerifyJob::borrowing(&msg, VerifySetup::new(policy.clone(), now).known(&keys));
    // The job hands the check to the host, with the public JWK to import.
    let first_check = |job: &mut VerifyJob<'_>| match job.next() {
        Step::Check(c) => {
            assert!(c.host_may_check());
            assert_eq!(c.host_jwk().unwrap()["crv"], "P-384");
            assert!(c.host_jwk().unwrap().get("d").is_none());
            c.id
        }
        other => panic!("expected a check, got {other:?}"),
    };
    let answered = |answer: CheckAnswer| {
        let mut job = job();
        let id = first_check(&mut job);
        job.answer(Answer::Check { id, answer }).unwrap();
        assert!(matches!(job.next(), Step::Done));
        job.into_verdict().unwrap()
    };
    // The core alone cannot decide: unverified, with the reason.
    let alone = answered(CheckAnswer::Core);
    assert_eq!(
        (alone.verdict, alone.error_code()),
        (Outcome::Unverified, Some("unsupported_key"))
    );
    let alone = httpseal::verify_message(&policy, &msg, &keys, now, None);
    assert_eq!(
        (alone.verdict, alone.error_code()),
        (Outcome::Unverified, Some("unsupported_key"))
    );
    // The host's answer decides.
    assert!(answered(CheckAnswer::Host(true)).is_verified());
    let no = answered(CheckAnswer::Host(false));
    assert_eq!(
        (no.verdict, no.error_code()),
        (Outcome::Invalid, Some("invalid_signature"))
    );
    let _ = Error::NoSignature;
}
