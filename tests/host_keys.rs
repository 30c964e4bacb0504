//! A build without a family (here: P-384, as in the edge Worker) still reads its public
//! keys — type, JWK, thumbprint — and hands their checks to the host's primitive
//! (WebCrypto); the core alone leaves such a signature unverified, never verified.
//!
//! Run with `cargo test --no-default-features --features ed25519,host-keys --test host_keys`
//! (part of `make test`).

mod common;

use common::vectors;
use httpseal::api::VerifyRequestJson;
use httpseal::{Error, KeyType, Outcome, Policy, parse_jwk, verify::prepare};

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
    let prepared = prepare(&policy, &msg, &keys, now);
    let check = prepared.checks().next().unwrap();
    assert!(check.host_may_check());
    assert_eq!(check.host_jwk().unwrap()["crv"], "P-384");
    // The core alone cannot decide: unverified, with the reason.
    let alone = prepared.clone().finish_natively(&policy, &msg, now, None);
    assert_eq!(
        (alone.verdict, alone.error.unwrap().code.as_str()),
        (Outcome::Unverified, "unsupported_key")
    );
    // The host's answer decides.
    assert!(
        prepared
            .clone()
            .finish(&policy, &msg, now, None, [check.settle(true)])
            .is_verified()
    );
    let no = prepared
        .clone()
        .finish(&policy, &msg, now, None, [check.settle(false)]);
    assert_eq!(
        (no.verdict, no.error.unwrap().code.as_str()),
        (Outcome::Invalid, "invalid_signature")
    );
    let _ = Error::NoSignature;
}
