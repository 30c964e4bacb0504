//! RFC 9421 Appendix B and §2.4/§3/§4.3: every signature vector verifies (or, for the three
//! that must fail, fails), deterministic algorithms re-sign byte for byte, and every key
//! container the RFC prints loads to the same key.

mod common;

use common::*;
use httpseal::keyfile::{key_from_der, key_from_pem};
use httpseal::{
    Algorithm, Error, JwkSet, Outcome, Policy, SfRegistry, SignatureParams, parse_signatures,
    signature_base, verify_message,
};

fn b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[test]
fn every_vector_verifies_or_fails_as_expected() {
    for v in rfc9421()["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let key = rfc_key(v["key"].as_str().unwrap());
        let base = v["signature_base"].as_str().unwrap();
        let params = SignatureParams::parse(v["signature_input_value"].as_str().unwrap()).unwrap();
        let alg = key.resolve_algorithm(params.alg()).unwrap();
        assert_eq!(alg.name(), v["alg"].as_str().unwrap(), "{name}");
        let result = key.verify(
            alg,
            base.as_bytes(),
            &b64(v["signature_b64"].as_str().unwrap()),
        );
        if v["expected_valid"].as_bool().unwrap() {
            result.unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            assert_eq!(result, Err(Error::InvalidSignature), "{name}");
        }
    }
}

#[test]
fn deterministic_vectors_resign_byte_for_byte() {
    let mut count = 0;
    for v in rfc9421()["vectors"].as_array().unwrap() {
        if !v["deterministic"].as_bool().unwrap() || !v["expected_valid"].as_bool().unwrap() {
            continue;
        }
        let key = rfc_key(v["key"].as_str().unwrap());
        let params = SignatureParams::parse(v["signature_input_value"].as_str().unwrap()).unwrap();
        let alg = key.resolve_algorithm(params.alg()).unwrap();
        let sig = key
            .sign(
                alg,
                v["signature_base"].as_str().unwrap().as_bytes(),
                Some(&[9; 32]),
            )
            .unwrap();
        assert_eq!(
            sig,
            b64(v["signature_b64"].as_str().unwrap()),
            "{}",
            v["name"]
        );
        count += 1;
    }
    // B.2.5 hmac, B.2.6 ed25519, B.4 #1-#4 ed25519, §4.3 proxy_sig rsa-v1_5.
    assert_eq!(count, 7);
}

#[test]
fn signed_messages_verify_end_to_end() {
    // The whole path: parse the signed message, rebuild the base, look the key up by keyid.
    let keys = JwkSet::from_keys(
        [
            "test-key-rsa-pss",
            "test-key-ecc-p256",
            "test-key-ed25519",
            "test-key-rsa",
            "test-shared-secret",
        ]
        .map(rfc_key),
    );
    for v in rfc9421()["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let mut msg = message(v["signed_message"].as_str().unwrap());
        if let Some(req) = v["related_request"].as_str() {
            msg = msg.with_related_request(message(req));
        }
        let policy = Policy {
            label: Some(v["label"].as_str().unwrap().into()),
            ..Policy::default()
        };
        // Every key here is a published test key: refused by default (draft -01 §6.8
        // asks verifiers to reject them), whatever the signature.
        let refused = verify_message(&policy, &msg, &keys, 1_618_884_480, None);
        assert_eq!(
            (refused.verdict, refused.error_code()),
            (Outcome::Invalid, Some("test_key")),
            "{name}"
        );
        let policy = allowing_test_keys(policy);
        let verdict = verify_message(&policy, &msg, &keys, 1_618_884_480, None);
        let expected = if v["expected_valid"].as_bool().unwrap() {
            Outcome::Verified
        } else {
            Outcome::Invalid
        };
        assert_eq!(verdict.verdict, expected, "{name}: {:?}", verdict.error);
        assert_eq!(
            verdict.signature_base.as_deref(),
            Some(v["signature_base"].as_str().unwrap()),
            "{name}"
        );
        if expected == Outcome::Invalid {
            assert_eq!(verdict.error_code(), Some("invalid_signature"), "{name}");
        }
    }
}

#[test]
fn b4_transformations() {
    // B.4: transformations that keep the covered components verify; the others do not.
    let doc = rfc9421();
    let transforms: Vec<_> = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rfc_section"] == "B.4")
        .collect();
    assert_eq!(transforms.len(), 6);
    let key = rfc_key("test-key-ed25519");
    for v in transforms {
        let msg = vector_message(v);
        let params = SignatureParams::parse(v["signature_input_value"].as_str().unwrap()).unwrap();
        let base = signature_base(&msg, &params, &SfRegistry::new()).unwrap();
        let ok = key
            .verify(
                Algorithm::Ed25519,
                base.as_bytes(),
                &b64(v["signature_b64"].as_str().unwrap()),
            )
            .is_ok();
        assert_eq!(ok, v["expected_valid"].as_bool().unwrap(), "{}", v["name"]);
    }
}

#[test]
fn every_key_container_loads_to_the_same_key() {
    let dir = format!("{}/tests/vectors/rfc9421/keys", env!("CARGO_MANIFEST_DIR"));
    for name in [
        "test-key-rsa",
        "test-key-rsa-pss",
        "test-key-ecc-p256",
        "test-key-ed25519",
    ] {
        let jwk = rfc_key(name).to_public().public_jwk();
        let same = |k: httpseal::Key, what: &str| {
            let mut got = k.to_public().public_jwk();
            got.remove("alg");
            let mut want = jwk.clone();
            want.remove("alg");
            want.remove("kid");
            assert_eq!(got, want, "{name} {what}");
        };
        for file in [
            format!("{name}.pub.pem"),
            format!("{name}.priv.pem"),
            format!("normalized/{name}.spki.pem"),
            format!("normalized/{name}.pkcs8.pem"),
        ] {
            let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
            let key = key_from_pem(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                key.is_private(),
                file.contains("priv") || file.contains("pkcs8"),
                "{file}"
            );
            same(key, &file);
            // The same bytes as DER load too.
            let (_, der) = der_of(&text);
            same(
                key_from_der(&der).unwrap_or_else(|e| panic!("{file} as DER: {e}")),
                &file,
            );
        }
    }
    // B.1.2's private key is PKCS#8 with the RSASSA-PSS OID: it is bound to rsa-pss-sha512.
    let pss =
        key_from_pem(&std::fs::read_to_string(format!("{dir}/test-key-rsa-pss.priv.pem")).unwrap())
            .unwrap();
    assert_eq!(pss.algorithm(), Some(Algorithm::RsaPssSha512));
    let plain =
        key_from_pem(&std::fs::read_to_string(format!("{dir}/test-key-rsa.priv.pem")).unwrap())
            .unwrap();
    assert_eq!(plain.algorithm(), None);
}

fn der_of(pem: &str) -> (String, Vec<u8>) {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    (String::new(), b64(&body))
}

#[test]
fn vector_signatures_in_messages_match() {
    // The Signature field of every signed message parses to the vector's signature bytes.
    for v in rfc9421()["vectors"].as_array().unwrap() {
        let msg = message(v["signed_message"].as_str().unwrap());
        let sigs = parse_signatures(&msg).unwrap();
        let s = sigs
            .iter()
            .find(|s| s.label == v["label"].as_str().unwrap())
            .unwrap();
        assert_eq!(s.signature, b64(v["signature_b64"].as_str().unwrap()));
    }
}
